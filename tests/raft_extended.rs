//! The extended protocol of Ongaro's dissertation, rule by rule on the pure
//! node, then as whole runs in the simulator: PreVote (§9.6), CheckQuorum
//! (§6.2) and leadership transfer (§3.10). The runs re-express etcd-io/raft's
//! `testdata/prevote*.txt` and `checkquorum.txt` cases (a partitioned
//! follower rejoining; a leader cut off in a minority) in our own terms.

use ringraft::raft::*;
use ringraft::sim::*;

fn cfg(pre_vote: bool, check_quorum: bool) -> Config {
    Config { pre_vote, check_quorum, ..Config::default() }
}

fn node(id: NodeId, n: u8, config: Config) -> Node {
    Node::new(id, (1..=n).collect(), config)
}

fn env(from: NodeId, to: NodeId, msg: Message) -> Envelope {
    Envelope { from, to, msg }
}

fn heartbeat(term: Term, leader: NodeId, to: NodeId) -> Envelope {
    env(
        leader,
        to,
        Message::AppendEntries(AppendEntries {
            term,
            leader_id: leader,
            prev_log_index: 0,
            prev_log_term: 0,
            entries: vec![],
            leader_commit: 0,
            round: 0,
        }),
    )
}

fn pre_votes(out: &Output) -> Vec<(NodeId, PreVote)> {
    out.messages
        .iter()
        .filter_map(|e| match &e.msg {
            Message::PreVote(p) => Some((e.to, p.clone())),
            _ => None,
        })
        .collect()
}

/// Node 1 of 3 elected leader in term 1 (votes from 2).
fn leader_of_three(config: Config) -> Node {
    let mut n = node(1, 3, config);
    let out = n.on_election_timeout();
    if n.role() == Role::PreCandidate {
        n.step(env(2, 1, Message::PreVoteResponse(PreVoteResponse { term: 0, asked: 1, vote_granted: true })));
    }
    assert_eq!(n.role(), Role::Candidate, "{out:?}");
    n.step(env(2, 1, Message::RequestVoteResponse(RequestVoteResponse { term: 1, vote_granted: true })));
    assert_eq!(n.role(), Role::Leader);
    n
}

// ----- PreVote (§9.6) ------------------------------------------------------------

#[test]
fn a_pre_candidate_asks_about_the_next_term_without_taking_it() {
    let mut n = node(3, 5, cfg(true, false));
    for _ in 0..5 {
        let out = n.on_election_timeout();
        assert_eq!(n.role(), Role::PreCandidate);
        assert_eq!(n.current_term(), 0, "PreVote must not raise the term");
        assert_eq!(n.voted_for(), None, "nor record a vote");
        let asked = pre_votes(&out);
        assert_eq!(asked.len(), 4);
        assert!(asked.iter().all(|(_, p)| p.term == 1 && p.candidate_id == 3));
        assert!(matches!(out.notes[0], Note::PreVoteStarted { term: 1, was: _ }));
        assert_eq!(out.notes[0].section(), "§9.6");
    }
}

#[test]
fn pre_vote_majority_starts_a_real_election() {
    let mut n = node(1, 5, cfg(true, false));
    n.on_election_timeout();
    let grant = |from| env(from, 1, Message::PreVoteResponse(PreVoteResponse { term: 0, asked: 1, vote_granted: true }));
    let out = n.step(grant(2));
    assert_eq!(n.role(), Role::PreCandidate, "2 of 3 needed");
    assert!(matches!(out.notes[..], [Note::PreVoteReceived { from: 2, votes: 2, needed: 3 }]));
    // A duplicate of the same answer does not count twice.
    n.step(grant(2));
    assert_eq!(n.role(), Role::PreCandidate);
    let out = n.step(grant(4));
    assert_eq!((n.role(), n.current_term(), n.voted_for()), (Role::Candidate, 1, Some(1)));
    assert!(out.notes.iter().any(|x| matches!(x, Note::PreVoteWon { term: 1, votes: 3, needed: 3 })));
    let rv: Vec<_> = out.messages.iter().filter(|e| matches!(e.msg, Message::RequestVote(_))).collect();
    assert_eq!(rv.len(), 4, "RequestVote to everyone once the pre-vote is won");
}

#[test]
fn an_answer_to_an_earlier_round_is_ignored() {
    let mut n = node(1, 3, cfg(true, false));
    n.on_election_timeout();
    // Term moves on (a newer leader spoke), then a late grant for term 1 arrives.
    n.step(heartbeat(4, 2, 1));
    n.on_election_timeout();
    assert_eq!((n.role(), n.current_term()), (Role::PreCandidate, 4));
    n.step(env(3, 1, Message::PreVoteResponse(PreVoteResponse { term: 0, asked: 1, vote_granted: true })));
    assert_eq!(n.role(), Role::PreCandidate, "a grant about term 1 says nothing about term 5");
}

#[test]
fn a_follower_that_hears_its_leader_refuses_pre_votes_and_keeps_its_term() {
    let mut f = node(2, 3, cfg(true, false));
    f.step(heartbeat(3, 1, 2));
    let ask = |term| env(3, 2, Message::PreVote(PreVote { term, candidate_id: 3, last_log_index: 0, last_log_term: 0 }));
    let out = f.step(ask(4));
    assert_eq!(f.current_term(), 3, "a PreVote's term updates nobody");
    assert!(matches!(out.notes[..], [Note::PreVoteRefusedLeaderAlive { candidate: 3, leader: Some(1) }]));
    let reply = &out.messages[0].msg;
    assert_eq!(reply, &Message::PreVoteResponse(PreVoteResponse { term: 3, asked: 4, vote_granted: false }));
    assert!(out.timers.is_empty(), "refusing resets no timer");
    // Once its own election timeout has passed without the leader, it would vote.
    f.on_election_timeout();
    let out = f.step(ask(4));
    assert!(matches!(out.notes[..], [Note::PreVoteGranted { candidate: 3, term: 4, .. }]));
    assert_eq!(f.voted_for(), None, "a pre-vote records nothing");
    // Not for a term that is not later than its own.
    let out = f.step(ask(3));
    assert!(matches!(out.notes[..], [Note::PreVoteRefusedStaleTerm { term: 3, current_term: 3, .. }]));
}

#[test]
fn pre_vote_refused_to_a_log_that_is_behind() {
    let mut f = node(2, 3, cfg(true, false));
    let p = Persistent { current_term: 2, voted_for: None, log: vec![Entry::new(1, Command::Noop), Entry::new(2, Command::Noop)].into(), snapshot: None };
    f = Node::restart(2, f.cluster().to_vec(), cfg(true, false), p);
    let out = f.step(env(3, 2, Message::PreVote(PreVote { term: 3, candidate_id: 3, last_log_index: 5, last_log_term: 1 })));
    assert!(matches!(
        out.notes[..],
        [Note::PreVoteRefusedLogBehind { candidate: 3, last_term: 1, last_index: 5, own_last_term: 2, own_last_index: 2 }]
    ));
    let lines: Vec<Line> = out.notes[0].lines().iter().map(|l| l.0).collect();
    assert_eq!(lines, vec![Line::PvStaleTerm, Line::PvLeaderAlive, Line::PvUpToDate]);
}

#[test]
fn a_leader_refuses_pre_votes() {
    let mut l = leader_of_three(cfg(true, false));
    let out = l.step(env(3, 1, Message::PreVote(PreVote { term: 9, candidate_id: 3, last_log_index: 9, last_log_term: 9 })));
    assert_eq!((l.role(), l.current_term()), (Role::Leader, 1));
    assert!(matches!(out.notes[..], [Note::PreVoteRefusedLeaderAlive { leader: Some(1), .. }]));
}

#[test]
fn granting_a_real_vote_ends_a_pre_vote_round() {
    let mut n = node(2, 3, cfg(true, false));
    n.on_election_timeout();
    n.step(env(3, 2, Message::RequestVote(RequestVote { term: 1, candidate_id: 3, last_log_index: 0, last_log_term: 0, transfer: false })));
    assert_eq!((n.role(), n.voted_for()), (Role::Follower, Some(3)));
}

// ----- CheckQuorum (§6.2) ----------------------------------------------------------

#[test]
fn check_quorum_keeps_a_leader_that_hears_a_majority() {
    let mut l = leader_of_three(cfg(false, true));
    assert!(l.wants_leader_timer());
    l.step(env(
        2,
        1,
        Message::AppendEntriesResponse(AppendEntriesResponse {
            term: 1,
            success: true,
            match_index: 1,
            conflict_term: 0,
            conflict_index: 0,
            round: 0,
        }),
    ));
    let out = l.on_election_timeout();
    assert_eq!(l.role(), Role::Leader);
    assert!(matches!(out.notes[..], [Note::CheckQuorumPassed { active: 2, needed: 2, .. }]));
    assert_eq!(out.timers, vec![Timer::Election], "the next check is armed");
    // Nobody answered during the next window: step down, same term.
    let out = l.on_election_timeout();
    assert_eq!((l.role(), l.current_term(), l.leader_id()), (Role::Follower, 1, None));
    assert!(matches!(out.notes[..], [Note::CheckQuorumFailed { term: 1, active: 1, needed: 2 }]));
    assert!(matches!(l.propose(Command::Noop), Err(ClientError::NotLeader { .. })));
}

#[test]
fn without_check_quorum_a_leader_has_no_election_timer() {
    let mut l = leader_of_three(Config::default());
    assert!(!l.wants_leader_timer());
    let out = l.on_election_timeout();
    assert_eq!(l.role(), Role::Leader);
    assert!(out.notes.is_empty() && out.timers.is_empty());
}

// ----- Leadership transfer (§3.10) -------------------------------------------------

fn ack(from: NodeId, term: Term, match_index: Index) -> Envelope {
    env(
        from,
        1,
        Message::AppendEntriesResponse(AppendEntriesResponse { term, success: true, match_index, conflict_term: 0, conflict_index: 0, round: 0 }),
    )
}

#[test]
fn transfer_catches_the_target_up_then_sends_timeout_now() {
    let mut l = leader_of_three(Config::default());
    // S2 has nothing confirmed yet (the no-op at index 1 is unacknowledged).
    let out = l.transfer_leadership(2).expect("started");
    assert!(matches!(out.notes[0], Note::TransferStarted { to: 2, term: 1, match_index: 0, last_index: 1 }));
    assert!(out.messages.iter().all(|e| !matches!(e.msg, Message::TimeoutNow(_))), "not before it is caught up");
    assert_eq!(out.timers, vec![Timer::Election], "the transfer's deadline");
    assert_eq!(l.propose(Command::Noop), Err(ClientError::Transferring { to: 2 }));
    assert_eq!(l.transfer_leadership(3).unwrap_err(), TransferRefused::InProgress { to: 2 });
    let out = l.step(ack(2, 1, 1));
    let tn: Vec<_> = out.messages.iter().filter(|e| matches!(e.msg, Message::TimeoutNow(_))).collect();
    assert_eq!(tn.len(), 1);
    assert_eq!(tn[0].to, 2);
    // The target campaigns at once, skipping PreVote even when it is on.
    let mut t = node(2, 3, cfg(true, false));
    t.step(heartbeat(1, 1, 2));
    let out = t.step(tn[0].clone());
    assert_eq!((t.role(), t.current_term()), (Role::Candidate, 2));
    assert!(matches!(out.notes[0], Note::TimeoutNowReceived { from: 1, term: 1 }));
    // Its RequestVote deposes the old leader, which ends the transfer.
    let rv = out.messages.iter().find(|e| e.to == 1).unwrap().clone();
    l.step(rv);
    assert_eq!((l.role(), l.transferee()), (Role::Follower, None));
}

#[test]
fn a_transfer_that_does_not_complete_is_abandoned_after_an_election_timeout() {
    let mut l = leader_of_three(Config::default());
    l.step(ack(3, 1, 1));
    let out = l.transfer_leadership(3).unwrap();
    assert!(out.messages.iter().any(|e| e.to == 3 && matches!(e.msg, Message::TimeoutNow(_))), "already caught up");
    assert!(l.wants_leader_timer());
    let out = l.on_election_timeout();
    assert!(matches!(out.notes[..], [Note::TransferAborted { to: 3, term: 1 }]));
    assert_eq!((l.role(), l.transferee()), (Role::Leader, None));
    assert!(l.propose(Command::Noop).is_ok(), "proposals accepted again");
    assert!(!l.wants_leader_timer());
}

#[test]
fn transfers_that_cannot_start_say_why() {
    let mut l = leader_of_three(Config::default());
    assert_eq!(l.transfer_leadership(1).unwrap_err(), TransferRefused::ToSelf);
    assert_eq!(l.transfer_leadership(7).unwrap_err(), TransferRefused::UnknownServer { to: 7 });
    let mut f = node(2, 3, Config::default());
    assert_eq!(f.transfer_leadership(3).unwrap_err(), TransferRefused::NotLeader);
}

// ----- whole runs in the simulator ---------------------------------------------------

fn scenario(seed: u64, pre_vote: bool, check_quorum: bool) -> Scenario {
    Scenario { nodes: 5, seed, raft: cfg(pre_vote, check_quorum), ..Scenario::default() }
}

fn leader(sim: &Sim) -> Option<(NodeId, Term)> {
    sim.world().current_leader().map(|id| (id, sim.node(id).unwrap().current_term()))
}

/// etcd's prevote case: a follower cut off for a while comes back. Without
/// PreVote it has raised its term with every timeout and, on return, forces
/// the healthy leader out; with PreVote its term never moved.
fn rejoin(seed: u64, pre_vote: bool) -> (Option<(NodeId, Term)>, Option<(NodeId, Term)>, Term) {
    let mut sim = Sim::new(scenario(seed, pre_vote, false)).unwrap();
    sim.run_until(1500 * MS);
    let before = leader(&sim);
    let (l, _) = before.expect("a leader after 1.5 s");
    let f = if l == 5 { 4 } else { 5 };
    sim.apply(Action::Isolate { node: f });
    sim.run_until(4000 * MS);
    let isolated_term = sim.node(f).unwrap().current_term();
    sim.apply(Action::Heal);
    sim.run_until(6000 * MS);
    assert_eq!(sim.violation_count(), 0);
    (before, leader(&sim), isolated_term)
}

#[test]
fn pre_vote_stops_a_rejoining_follower_from_deposing_the_leader() {
    for seed in 1..=8 {
        let (before, after, isolated) = rejoin(seed, false);
        let t0 = before.unwrap().1;
        assert!(isolated > t0 + 3, "seed {seed}: without PreVote the cut-off follower inflates its term");
        assert!(after.unwrap().1 > t0, "seed {seed}: and deposes the leader when it returns");

        let (before, after, isolated) = rejoin(seed, true);
        let t0 = before.unwrap().1;
        assert_eq!(isolated, t0, "seed {seed}: with PreVote its term does not move");
        assert_eq!(after, before, "seed {seed}: the same leader in the same term");
    }
}

/// etcd's checkquorum case: the leader alone in a minority.
fn isolated_leader(seed: u64, check_quorum: bool) -> (NodeId, bool) {
    let mut sim = Sim::new(scenario(seed, false, check_quorum)).unwrap();
    sim.run_until(1500 * MS);
    let (l, _) = leader(&sim).expect("a leader");
    sim.apply(Action::Isolate { node: l });
    // Two election timeouts at most (150–300 ms each, and the check's own window).
    sim.run_until(2300 * MS);
    let still = sim.node(l).unwrap().role() == Role::Leader;
    assert_eq!(sim.violation_count(), 0);
    (l, still)
}

#[test]
fn check_quorum_makes_a_leader_in_a_minority_step_down() {
    for seed in 1..=8 {
        assert!(isolated_leader(seed, false).1, "seed {seed}: without CheckQuorum it keeps leading");
        assert!(!isolated_leader(seed, true).1, "seed {seed}: with CheckQuorum it steps down");
    }
}

#[test]
fn transfer_under_client_load_hands_over_to_the_target() {
    for seed in 1..=8 {
        let mut sc = scenario(seed, true, true);
        sc.client_load = Some(ClientLoad::every(20, 4));
        let mut sim = Sim::new(sc).unwrap();
        sim.run_until(1500 * MS);
        let (l, term) = leader(&sim).expect("a leader");
        let to = if l == 3 { 2 } else { 3 };
        sim.apply(Action::TransferLeadership { to });
        let start = sim.now();
        let mut took = None;
        while sim.now() < start + 1000 * MS && sim.step() {
            if leader(&sim).is_some_and(|(id, t)| id == to && t > term) {
                took = Some(sim.now() - start);
                break;
            }
        }
        let took = took.unwrap_or_else(|| panic!("seed {seed}: S{to} did not take over within 1 s"));
        assert!(took < 100 * MS, "seed {seed}: took {took} µs; a transfer needs no election timeout");
        sim.run_for(500 * MS);
        assert_eq!(sim.violation_count(), 0);
    }
}

#[test]
fn transfer_without_a_leader_or_to_nowhere_is_reported() {
    let mut sim = Sim::new(scenario(1, false, false)).unwrap();
    sim.apply(Action::TransferLeadership { to: 2 });
    assert!(matches!(sim.last_event().unwrap().what, What::NoLeader { .. }));
    sim.run_until(1500 * MS);
    let (l, _) = leader(&sim).unwrap();
    sim.apply(Action::TransferLeadership { to: l });
    assert!(matches!(sim.last_event().unwrap().what, What::TransferRefused { reason: TransferRefused::ToSelf, .. }));
    sim.apply(Action::TransferLeadership { to: 9 });
    assert!(matches!(sim.last_event().unwrap().what, What::Invalid { .. }), "S9 is not in a 5-server cluster");
}

#[test]
fn options_switch_mid_run_and_replay_the_same() {
    let run = || {
        let mut sim = Sim::new(scenario(4, false, false)).unwrap();
        sim.run_until(1000 * MS);
        sim.apply(Action::SetRaft { pre_vote: Some(true), check_quorum: Some(true), read_mode: None, disruption_guard: None, snapshot_threshold: None, learner_catch_up: None });
        let (l, _) = leader(&sim).unwrap();
        sim.apply(Action::Isolate { node: l });
        sim.run_until(2500 * MS);
        assert_ne!(sim.node(l).unwrap().role(), Role::Leader, "CheckQuorum is on now");
        assert_eq!(sim.node(l).unwrap().config().pre_vote, true);
        (sim.trace_hash(), sim.event_count())
    };
    assert_eq!(run(), run());
}

// ----- the bundled scenarios teach what they say ---------------------------------------

fn preset(name: &str) -> Sim {
    Sim::from_json(presets::get(name).expect("bundled")).expect("valid")
}

fn role_term(sim: &Sim, id: NodeId) -> (Role, Term) {
    let n = sim.node(id).unwrap();
    (n.role(), n.current_term())
}

#[test]
fn bundled_rejoin_pair_shows_what_pre_vote_prevents() {
    let mut off = preset("rejoin-without-prevote");
    off.run_until(2900 * MS);
    assert!(role_term(&off, 5).1 > 3, "S5's term climbs while it is cut off");
    assert_eq!(role_term(&off, 1), (Role::Leader, 1));
    off.run_until(4500 * MS);
    assert_ne!(role_term(&off, 1), (Role::Leader, 1), "S1 was deposed");
    assert!(leader(&off).is_some_and(|(_, t)| t > 3));

    let mut on = preset("rejoin-with-prevote");
    on.run_until(2900 * MS);
    assert_eq!(role_term(&on, 5).1, 1, "a pre-candidate's term stays put");
    on.run_until(4500 * MS);
    assert_eq!(leader(&on), Some((1, 1)), "S1 still leads term 1");
    assert_eq!(role_term(&on, 5), (Role::Follower, 1));
    assert_eq!(off.violation_count() + on.violation_count(), 0);
}

fn client_outcome_at(sim: &Sim, node: NodeId) -> Option<ClientOutcome> {
    sim.recent_events()
        .filter_map(|e| match e.what {
            What::Client { node: n, outcome, source: ClientSource::User, .. } if n == node => Some(outcome),
            _ => None,
        })
        .last()
}

#[test]
fn bundled_isolated_leader_pair_shows_what_check_quorum_does() {
    let mut off = preset("isolated-leader");
    off.run_until(1400 * MS + 1);
    assert_eq!(role_term(&off, 1), (Role::Leader, 1), "S1 still thinks it leads");
    assert!(matches!(client_outcome_at(&off, 1), Some(ClientOutcome::Appended { .. })), "and takes a request it cannot commit");
    assert!(leader(&off).is_some_and(|(id, t)| id != 1 && t >= 2), "the majority has a new leader");

    let mut on = preset("check-quorum");
    on.run_until(1400 * MS + 1);
    assert_ne!(role_term(&on, 1).0, Role::Leader, "CheckQuorum made S1 step down");
    assert!(matches!(client_outcome_at(&on, 1), Some(ClientOutcome::NotLeader { .. })));
    on.run_until(3500 * MS);
    assert_eq!(off.violation_count() + on.violation_count(), 0);
}

#[test]
fn bundled_transfer_hands_over_to_s3() {
    let mut sim = preset("leader-transfer");
    sim.run_until(990 * MS);
    assert_eq!(leader(&sim), Some((1, 1)));
    sim.run_until(2000 * MS);
    assert_eq!(leader(&sim).map(|l| l.0), Some(3));
    assert_eq!(sim.violation_count(), 0);
}

#[test]
fn liveness_figures_over_seeds_and_cluster_sizes() {
    use ringraft::sim::liveness::*;
    let seeds = 0..30u64;
    let deposed = |pv| seeds.clone().filter_map(|s| rejoin_deposes(s, pv)).filter(|d| *d).count();
    assert_eq!(deposed(true), 0, "with PreVote a rejoining follower never deposes the leader");
    assert!(deposed(false) >= 27, "without it, it nearly always does");
    let cq: Vec<u64> = seeds.clone().filter_map(|s| minority_leader_us(s, true)).collect();
    assert_eq!(cq.len(), 30);
    // Election timeouts are 150–300 ms: the check fires within two of them.
    assert!(cq.iter().all(|&us| us <= 600 * MS), "{cq:?}");
    assert!(seeds.clone().filter_map(|s| minority_leader_us(s, false)).all(|us| us == CUT_MS * MS));
    let t: Vec<Option<u64>> = seeds.filter_map(transfer_us).collect();
    assert!(t.iter().all(|x| x.is_some_and(|us| us < 150 * MS)), "{t:?}");
}
