//! Reads outside the log (dissertation §6.4 ReadIndex, §6.4.1 leases), the
//! vote guard leases rest on (§4.2.3), client sessions (§6.3) and the
//! history checker, rule by rule on the pure node and then as whole runs.
//! The node-level cases re-express etcd-io/raft's read-only tests
//! (`TestReadOnlyOptionSafe`, `TestReadOnlyOptionLease`,
//! `TestReadOnlyForNewLeader`) in our own terms.

use std::num::NonZeroU32;

use ringraft::raft::*;
use ringraft::sim::*;

fn env(from: NodeId, to: NodeId, msg: Message) -> Envelope {
    Envelope { from, to, msg }
}

fn cfg(read_mode: ReadMode) -> Config {
    Config { read_mode, ..Config::default() }
}

/// S1 leader of term 1 in a 3-server cluster, its no-op committed by S2.
fn leader(config: Config) -> Node {
    let mut n = Node::new(1, vec![1, 2, 3], config);
    n.set_min_election_timeout(150_000);
    n.on_election_timeout();
    n.step(env(2, 1, Message::RequestVoteResponse(RequestVoteResponse { term: 1, vote_granted: true })));
    assert_eq!(n.role(), Role::Leader);
    let last = n.last_log_index();
    ack(&mut n, 2, 1, last, 0);
    assert_eq!(n.commit_index(), 1, "no-op committed");
    n
}

fn ack(n: &mut Node, from: NodeId, term: Term, match_index: Index, round: u64) -> Output {
    n.step(env(
        from,
        1,
        Message::AppendEntriesResponse(AppendEntriesResponse {
            term,
            success: true,
            match_index,
            conflict_term: 0,
            conflict_index: 0,
            round,
        }),
    ))
}

/// The round the AppendEntries in `out` carry (all the same).
fn round_sent(out: &Output) -> u64 {
    out.messages
        .iter()
        .find_map(|e| match &e.msg {
            Message::AppendEntries(ae) => Some(ae.round),
            _ => None,
        })
        .expect("an AppendEntries")
}

#[test]
fn read_index_waits_for_a_majority_to_answer_a_new_round() {
    let mut n = leader(cfg(ReadMode::ReadIndex));
    let out = n.read(7, "x".into()).unwrap();
    assert!(out.reads.is_empty(), "not before the round is answered");
    assert!(out.notes.iter().any(|x| matches!(x, Note::ReadIndexRecorded { id: 7, read_index: 1, .. })));
    let round = round_sent(&out);
    assert_eq!(out.messages.len(), 2, "a heartbeat to each follower");
    // A reply to an older round proves nothing about this read.
    let stale = ack(&mut n, 2, 1, 1, round - 1);
    assert!(stale.reads.is_empty());
    let out = ack(&mut n, 3, 1, 1, round);
    assert!(out.notes.iter().any(|x| matches!(x, Note::ReadConfirmed { id: 7, .. })));
    assert_eq!(out.reads, vec![ReadReply { id: 7, value: Ok(None) }]);
}

#[test]
fn a_new_leader_reads_only_after_an_entry_of_its_term_commits() {
    let mut n = Node::new(1, vec![1, 2, 3], Config { read_mode: ReadMode::ReadIndex, noop_on_election: false, ..Config::default() });
    n.on_election_timeout();
    n.step(env(2, 1, Message::RequestVoteResponse(RequestVoteResponse { term: 1, vote_granted: true })));
    let out = n.read(1, "x".into()).unwrap();
    assert!(out.notes.iter().all(|x| !matches!(x, Note::ReadIndexRecorded { .. })), "waits (§6.4 step 1)");
    let (index, _) = n.propose(Command::Set { key: "x".into(), value: "1".into() }).unwrap();
    let out = ack(&mut n, 2, 1, index, 0);
    assert!(out.notes.iter().any(|x| matches!(x, Note::ReadIndexRecorded { id: 1, read_index: 1, .. })));
    let round = round_sent(&out);
    let out = ack(&mut n, 3, 1, index, round);
    assert_eq!(out.reads, vec![ReadReply { id: 1, value: Ok(Some("1".into())) }]);
}

#[test]
fn followers_redirect_reads_and_a_deposed_leader_fails_them() {
    let mut f = Node::new(2, vec![1, 2, 3], cfg(ReadMode::ReadIndex));
    assert_eq!(f.read(1, "x".into()), Err(ClientError::NotLeader { leader_hint: None }));
    let mut n = leader(cfg(ReadMode::ReadIndex));
    n.read(3, "x".into()).unwrap();
    let out = n.step(env(3, 1, Message::AppendEntriesResponse(AppendEntriesResponse {
        term: 5,
        success: false,
        match_index: 0,
        conflict_term: 0,
        conflict_index: 0,
        round: 0,
    })));
    assert_eq!(n.role(), Role::Follower);
    assert_eq!(out.reads, vec![ReadReply { id: 3, value: Err(ReadFailed::SteppedDown) }]);
}

#[test]
fn read_without_quorum_check_answers_at_once() {
    let mut c = cfg(ReadMode::ReadIndex);
    c.bugs.read_without_quorum_check = true;
    let mut n = leader(c);
    let out = n.read(4, "x".into()).unwrap();
    assert_eq!(out.reads.len(), 1, "the bug skips the round");
    assert!(out.notes.iter().any(|x| matches!(x, Note::ReadAnswered { unconfirmed: true, .. })));
}

#[test]
fn a_lease_answers_at_once_until_it_runs_out_on_the_leaders_clock() {
    let mut n = leader(cfg(ReadMode::Lease));
    // No round answered yet since taking office: no lease.
    let out = n.read(1, "x".into()).unwrap();
    assert!(out.notes.iter().any(|x| matches!(x, Note::LeaseUnavailable { id: 1 })));
    let round = round_sent(&out);
    n.set_clock(1_000);
    ack(&mut n, 2, 1, 1, round);
    // The round started at local time 0: the lease lasts 150 ms ÷ 1.1.
    assert_eq!(n.lease_until(), Some(150_000 * 100 / LEASE_DRIFT_BOUND_PCT));
    n.set_clock(100_000);
    let out = n.read(2, "x".into()).unwrap();
    assert_eq!(out.reads, vec![ReadReply { id: 2, value: Ok(None) }]);
    assert!(out.notes.iter().any(|x| matches!(x, Note::ReadAnswered { id: 2, lease: true, .. })));
    n.set_clock(140_000);
    assert!(n.read(3, "x".into()).unwrap().reads.is_empty(), "expired: the ReadIndex way");
    // The bug takes the whole timeout.
    let mut c = cfg(ReadMode::Lease);
    c.bugs.lease_ignores_drift = true;
    let mut b = leader(c);
    let round = round_sent(&b.read(1, "x".into()).unwrap());
    ack(&mut b, 2, 1, 1, round);
    assert_eq!(b.lease_until(), Some(150_000));
}

#[test]
fn a_lease_never_assumes_a_longer_timeout_than_was_in_force() {
    let mut n = leader(cfg(ReadMode::Lease));
    let round = round_sent(&n.read(1, "x".into()).unwrap());
    n.set_min_election_timeout(60_000);
    n.set_min_election_timeout(600_000);
    ack(&mut n, 2, 1, 1, round);
    assert_eq!(n.lease_until(), Some(60_000 * 100 / LEASE_DRIFT_BOUND_PCT));
}

#[test]
fn a_transfer_ends_the_lease_for_the_term() {
    let mut n = leader(cfg(ReadMode::Lease));
    let round = round_sent(&n.read(1, "x".into()).unwrap());
    ack(&mut n, 2, 1, 1, round);
    assert!(n.lease_until().is_some());
    n.transfer_leadership(2).unwrap();
    assert_eq!(n.lease_until(), None);
}

#[test]
fn the_vote_guard_ignores_request_vote_while_a_leader_is_heard() {
    let mut f = Node::new(2, vec![1, 2, 3], cfg(ReadMode::Lease));
    f.step(env(1, 2, Message::AppendEntries(AppendEntries {
        term: 1,
        leader_id: 1,
        prev_log_index: 0,
        prev_log_term: 0,
        entries: vec![],
        leader_commit: 0,
        round: 1,
    })));
    let rv = |transfer| Message::RequestVote(RequestVote { term: 2, candidate_id: 3, last_log_index: 0, last_log_term: 0, transfer });
    let out = f.step(env(3, 2, rv(false)));
    assert!(out.messages.is_empty(), "no reply");
    assert_eq!(f.current_term(), 1, "no term change");
    assert!(out.notes.contains(&Note::VoteIgnoredLeaderContact { candidate: 3, term: 2 }));
    // A transfer's candidate was asked for by the leader itself.
    let out = f.step(env(3, 2, rv(true)));
    assert_eq!(f.voted_for(), Some(3));
    assert_eq!(out.messages.len(), 1);
    // After its own election timeout the server votes again as usual.
    let mut g = Node::new(2, vec![1, 2, 3], Config { disruption_guard: true, ..Config::default() });
    g.on_election_timeout();
    assert!(g.step(env(3, 2, rv(false))).messages.iter().any(|e| matches!(e.msg, Message::RequestVoteResponse(_))));
    // A server restarting after a crash waits out one timeout first.
    let p = Persistent { current_term: 1, voted_for: None, log: Default::default(), snapshot: None };
    let mut r = Node::restart(2, vec![1, 2, 3], cfg(ReadMode::Lease), p);
    assert!(r.step(env(3, 2, rv(false))).messages.is_empty());
}

fn session(client: u32, seq: u32) -> Option<Session> {
    Some(Session { client, seq: NonZeroU32::new(seq).unwrap() })
}

#[test]
fn a_session_applies_a_retried_command_once() {
    for no_dedup in [false, true] {
        let mut c = Config::default();
        c.bugs.no_dedup = no_dedup;
        let mut n = Node::new(1, vec![1], c);
        n.on_election_timeout();
        let append = Command::Append { key: "k".into(), value: "a,".into() };
        let (_, first) = n.propose_with(append.clone(), session(9, 1)).unwrap();
        let (_, retry) = n.propose_with(append, session(9, 1)).unwrap();
        assert!(!first.applied[0].duplicate);
        assert_eq!(retry.applied[0].duplicate, !no_dedup);
        assert_eq!(n.kv().get("k").map(|v| &**v), Some(if no_dedup { "a,a," } else { "a," }));
        assert_eq!(retry.notes.iter().any(|x| matches!(x, Note::DuplicateSkipped { client: 9, seq: 1, .. })), !no_dedup);
    }
}

// ----- whole runs ----------------------------------------------------------

fn preset(name: &str) -> Sim {
    Sim::from_json(presets::get(name).expect("bundled")).expect("valid")
}

fn linearizability(sim: &Sim) -> Vec<&Violation> {
    sim.violations().iter().filter(|v| v.property == Property::Linearizability).collect()
}

#[test]
fn bundled_stale_lease_read_is_caught_and_read_index_prevents_it() {
    let mut lease = preset("stale-lease-read");
    lease.run_until(2000 * MS);
    let v = linearizability(&lease);
    assert!(!v.is_empty(), "the stale read is flagged");
    let ops = lease.world().ops();
    let stale = ops.iter().find(|o| v[0].ops.contains(&(o.id as u64)) && matches!(o.command, Command::Get { .. })).expect("a read");
    assert_eq!(stale.server, Some(1), "answered by the cut-off leader");
    assert!(lease.violations().iter().all(|v| v.property == Property::Linearizability), "Raft itself is safe");

    let mut ri = preset("stale-lease-read-index");
    ri.run_until(2000 * MS);
    assert_eq!(ri.violation_count(), 0);
    let reads_at_s1 = ri.world().ops().iter().filter(|o| o.server == Some(1) && o.invoked_at >= 1_200 * MS);
    assert!(reads_at_s1.clone().count() > 0 && reads_at_s1.clone().all(|o| o.outcome == OpOutcome::Failed || o.outcome == OpOutcome::Pending));
}

#[test]
fn bundled_retry_pair_shows_what_sessions_prevent() {
    let mut off = preset("retry-without-sessions");
    off.run_until(2000 * MS);
    assert!(!linearizability(&off).is_empty(), "a retried append applied twice");
    assert!(off.world().ops().iter().any(|o| o.tries > 1));

    let mut on = preset("retry-with-sessions");
    on.run_until(2000 * MS);
    assert_eq!(on.violation_count(), 0);
    assert!(on.world().ops().iter().any(|o| o.tries > 1), "retries happen here too");
    let mut sim = preset("retry-with-sessions");
    let mut skipped = 0;
    sim.run_scenario_observed(2000, |ev| skipped += ev.notes.iter().filter(|n| matches!(n, Note::DuplicateSkipped { .. })).count());
    assert!(skipped > 0, "retries answered from the session table");
}

#[test]
fn a_leadership_transfer_under_load_keeps_the_history_linearizable() {
    let mut sim = preset("leader-transfer");
    sim.apply(Action::SetClientLoad {
        load: Some(ClientLoad { reads_pct: 30, append: true, clients: 3, sessions: true, timeout_ms: 200, retry: true, ..ClientLoad::every(20, 2) }),
    });
    sim.apply(Action::SetRaft { pre_vote: None, check_quorum: None, read_mode: Some(ReadMode::ReadIndex), disruption_guard: None, snapshot_threshold: None, learner_catch_up: None });
    sim.run_until(2000 * MS);
    assert_eq!(sim.violation_count(), 0);
    assert_eq!(sim.node(3).unwrap().role(), Role::Leader);
    let done = sim.world().ops().iter().filter(|o| matches!(o.outcome, OpOutcome::Done { .. })).count();
    assert!(done > 50, "{done} operations answered");
}

#[test]
fn clock_drift_runs_a_servers_clock_at_its_rate() {
    let sc = Scenario { nodes: 3, seed: 1, ..Scenario::default() };
    let mut sim = Sim::new(sc).unwrap();
    sim.apply(Action::SetClockDrift { node: 2, rate: 2.0 });
    sim.run_until(10 * MS);
    let before = sim.world().local_time(2);
    sim.run_until(20 * MS);
    assert_eq!(sim.world().local_time(2) - before, 20_000, "twice the 10 ms that passed");
    assert_eq!(sim.world().local_time(1), 20 * MS);
}
