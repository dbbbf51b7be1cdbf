//! Membership changes (dissertation ch. 4) and log compaction (§7 of the
//! paper, dissertation ch. 5), rule by rule on the pure node and as whole
//! runs in the simulator. The runs re-express etcd-io/raft's confchange and
//! snapshot cases (`testdata/confchange_v1_add_single.txt`,
//! `confchange_v2_add_double_auto.txt`, `snapshot_succeed_via_app_resp.txt`)
//! in our scenario language; the checker must stay silent in every one.

use ringraft::raft::*;
use ringraft::sim::*;

fn env(from: NodeId, to: NodeId, msg: Message) -> Envelope {
    Envelope { from, to, msg }
}

/// Node 1 of `n` elected leader in term 1, its no-op appended.
fn leader(n: u8, config: Config) -> Node {
    let mut node = Node::new(1, (1..=n).collect(), config);
    node.on_election_timeout();
    for p in 2..=n {
        node.step(env(p, 1, Message::RequestVoteResponse(RequestVoteResponse { term: 1, vote_granted: true })));
    }
    assert_eq!(node.role(), Role::Leader);
    node
}

/// `peer` acknowledges everything up to `index`.
fn ack(node: &mut Node, peer: NodeId, index: Index) -> Output {
    node.step(env(
        peer,
        1,
        Message::AppendEntriesResponse(AppendEntriesResponse {
            term: node.current_term(),
            success: true,
            match_index: index,
            conflict_term: 0,
            conflict_index: 0,
            round: 0,
        }),
    ))
}

#[test]
fn a_change_waits_for_an_entry_of_the_leaders_term() {
    // §4.1, the 2015 fix: the no-op of term 1 is not committed yet.
    let mut l = leader(3, Config::default());
    assert_eq!(l.propose_change(ConfChange::Add { node: 4 }).unwrap_err(), ChangeRefused::NoCommitInTerm);
    // The bug flag lets it through.
    let bugs = Bugs { unsafe_single_server_change: true, ..Bugs::default() };
    let mut b = leader(3, Config { bugs, ..Config::default() });
    assert!(b.propose_change(ConfChange::Add { node: 4 }).is_ok());
}

#[test]
fn one_change_at_a_time_and_bad_changes_are_refused() {
    let mut l = leader(3, Config { learner_catch_up: false, ..Config::default() });
    ack(&mut l, 2, 1);
    assert_eq!(l.commit_index(), 1);
    assert_eq!(l.propose_change(ConfChange::Add { node: 2 }).unwrap_err(), ChangeRefused::AlreadyMember { node: 2 });
    assert_eq!(l.propose_change(ConfChange::Remove { node: 7 }).unwrap_err(), ChangeRefused::NotMember { node: 7 });
    let (index, _) = l.propose_change(ConfChange::Add { node: 4 }).unwrap();
    assert_eq!(index, 2);
    // §4.1: in effect as soon as it is in the log, committed or not.
    assert_eq!(l.membership().voters, vec![1, 2, 3, 4]);
    assert_eq!(l.propose_change(ConfChange::Remove { node: 3 }).unwrap_err(), ChangeRefused::Pending { index: 2 });
    // A majority of the new configuration (3 of 4) commits it.
    ack(&mut l, 2, 2);
    assert_eq!(l.commit_index(), 1, "2 of 4 is no majority");
    ack(&mut l, 4, 2);
    assert_eq!(l.commit_index(), 2);
    assert!(l.propose_change(ConfChange::Remove { node: 3 }).is_ok());

    let mut solo = leader(1, Config::default());
    assert_eq!(solo.commit_index(), 1);
    assert_eq!(solo.propose_change(ConfChange::Remove { node: 1 }).unwrap_err(), ChangeRefused::LastVoter);
    assert_eq!(
        solo.propose_change(ConfChange::Joint { voters: vec![], learners: vec![2] }).unwrap_err(),
        ChangeRefused::LastVoter
    );
    assert_eq!(solo.propose_change(ConfChange::Joint { voters: vec![1], learners: vec![] }).unwrap_err(), ChangeRefused::Unchanged);
}

#[test]
fn a_configuration_entry_rules_on_a_follower_before_it_commits_and_not_after_truncation() {
    let mut f = Node::new(2, vec![1, 2, 3], Config::default());
    let m = Membership { voters: vec![1, 2, 3, 4], ..Membership::default() };
    let ae = |entries: Vec<Entry>, prev: Index, prev_term: Term, term: Term| {
        env(
            1,
            2,
            Message::AppendEntries(AppendEntries {
                term,
                leader_id: 1,
                prev_log_index: prev,
                prev_log_term: prev_term,
                entries,
                leader_commit: 0,
                round: 0,
            }),
        )
    };
    f.step(ae(vec![Entry::new(1, Command::Noop), Entry::new(1, Command::Config(m.clone()))], 0, 0, 1));
    assert_eq!(f.membership(), &m);
    assert_eq!(f.membership_index(), 2);
    assert_eq!(f.commit_index(), 0);
    // A leader of term 2 overwrites index 2: the configuration before rules again.
    f.step(ae(vec![Entry::new(2, Command::Noop)], 1, 1, 2));
    assert_eq!(f.membership().voters, vec![1, 2, 3]);
    assert_eq!(f.membership_index(), 0);
}

#[test]
fn a_learner_neither_votes_in_the_count_nor_stands() {
    // A learner's election timeout does nothing but re-arm (§4.2.1).
    let mut fresh = Node::new(4, vec![], Config::default());
    let out = fresh.on_election_timeout();
    assert_eq!(fresh.role(), Role::Follower);
    assert_eq!(fresh.current_term(), 0);
    assert!(out.notes.iter().any(|n| matches!(n, Note::NotVoterNoElection { .. })));
    assert!(out.messages.is_empty());
}

#[test]
fn install_snapshot_keeps_a_matching_suffix_or_replaces_the_log() {
    let snap = |last_index, last_term| {
        std::sync::Arc::new(StateSnapshot {
            last_index,
            last_term,
            membership: Some(Membership::of(vec![1, 2, 3])),
            kv: [("x".into(), "7".into())].into_iter().collect(),
            sessions: Default::default(),
        })
    };
    let log: Vec<Entry> = (0..4).map(|_| Entry::new(1, Command::Noop)).collect();
    let p = Persistent { current_term: 1, voted_for: None, log: log.into(), snapshot: None };
    // Rule 6: the log holds (2, term 1): the entries after it stay.
    let mut f = Node::restart(2, vec![1, 2, 3], Config::default(), p.clone());
    let out = f.step(env(1, 2, Message::InstallSnapshot(InstallSnapshot { term: 1, leader_id: 1, snapshot: snap(2, 1), round: 0 })));
    assert_eq!((f.log_offset(), f.last_log_index(), f.commit_index()), (2, 4, 2));
    assert_eq!(f.kv().get("x").map(|v| &**v), Some("7"));
    assert!(out.notes.iter().any(|n| matches!(n, Note::SnapshotInstalled { kept: 2, .. })));
    // Rule 7: a snapshot whose last entry conflicts replaces the whole log.
    let mut g = Node::restart(3, vec![1, 2, 3], Config::default(), Persistent { current_term: 2, ..p });
    g.step(env(1, 3, Message::InstallSnapshot(InstallSnapshot { term: 2, leader_id: 1, snapshot: snap(3, 2), round: 0 })));
    assert_eq!((g.log_offset(), g.last_log_index(), g.last_log_term()), (3, 3, 2));
    // Restarting loads the snapshot (ch. 5).
    let back = Node::restart(3, vec![1, 2, 3], Config::default(), g.crash_state());
    assert_eq!((back.commit_index(), back.last_applied()), (3, 3));
    assert_eq!(back.kv().get("x").map(|v| &**v), Some("7"));
    // A stale term is refused (rule 1).
    let out = g.step(env(1, 3, Message::InstallSnapshot(InstallSnapshot { term: 1, leader_id: 1, snapshot: snap(9, 1), round: 0 })));
    assert!(out.notes.iter().any(|n| matches!(n, Note::SnapshotRejectedStaleTerm { .. })));
    assert_eq!(g.log_offset(), 3);
}

// ---------------------------------------------------------------------------
// Whole runs

fn run(json: &str, until_ms: u64) -> Sim {
    let mut sim = Sim::from_json(json).expect("scenario parses");
    sim.run_until(until_ms * 1000);
    sim
}

fn live_memberships(sim: &Sim) -> Vec<(NodeId, Membership)> {
    (1..=9).filter(|&id| sim.is_alive(id)).map(|id| (id, sim.node(id).unwrap().membership().clone())).collect()
}

fn leader_of(sim: &Sim) -> Option<NodeId> {
    sim.world().current_leader()
}

#[test]
fn adding_a_server_with_catch_up_makes_it_a_voter_once_caught_up() {
    // etcd confchange_v1_add_single, with §4.2.1's catch-up.
    let sim = run(
        r#"{"nodes": 3, "seed": 4, "client_load": {"interval_ms": 20, "keys": 3},
            "actions": [{"at_ms": 1500, "action": {"type": "add_server", "node": 4}}]}"#,
        4000,
    );
    assert_eq!(sim.violation_count(), 0, "{:?}", sim.violations());
    for (id, m) in live_memberships(&sim) {
        assert_eq!(m.voters, vec![1, 2, 3, 4], "S{id}");
        assert!(m.learners.is_empty() && m.catching_up.is_none(), "S{id}: {m:?}");
    }
    let l = leader_of(&sim).expect("a leader");
    let s4 = sim.node(4).unwrap();
    assert!(s4.commit_index() + 40 >= sim.node(l).unwrap().commit_index(), "S4 keeps up");
}

#[test]
fn adding_a_server_without_catch_up_is_a_voter_at_once() {
    let mut sim = run(r#"{"nodes": 3, "seed": 4, "raft": {"learner_catch_up": false}}"#, 1500);
    sim.apply(Action::AddServer { node: 4 });
    let l = leader_of(&sim).unwrap();
    assert_eq!(sim.node(l).unwrap().membership().voters, vec![1, 2, 3, 4]);
    sim.run_for(1_000_000);
    assert_eq!(sim.violation_count(), 0);
    assert!(live_memberships(&sim).iter().all(|(_, m)| m.voters == vec![1, 2, 3, 4]));
}

#[test]
fn a_removed_leader_steps_down_and_the_rest_elect_one() {
    // §4.2.2.
    let mut sim = run(r#"{"nodes": 3, "seed": 9, "client_load": {"interval_ms": 50, "keys": 2}}"#, 1500);
    let old = leader_of(&sim).unwrap();
    sim.apply(Action::RemoveServer { node: old });
    sim.run_for(2_000_000);
    assert_eq!(sim.violation_count(), 0, "{:?}", sim.violations());
    let new = leader_of(&sim).expect("a new leader");
    assert_ne!(new, old);
    assert_eq!(sim.node(old).unwrap().role(), Role::Follower);
    let rest: Vec<NodeId> = (1..=3).filter(|&n| n != old).collect();
    assert_eq!(sim.node(new).unwrap().membership().voters, rest);
}

#[test]
fn a_joint_change_from_three_to_five_servers_ends_in_c_new() {
    // §4.3; etcd confchange_v2_add_double_auto.
    let sim = run(
        r#"{"nodes": 3, "seed": 2, "client_load": {"interval_ms": 30, "keys": 4},
            "actions": [{"at_ms": 1500, "action": {"type": "change_config", "voters": [1, 2, 3, 4, 5]}}]}"#,
        4000,
    );
    assert_eq!(sim.violation_count(), 0, "{:?}", sim.violations());
    let ms = live_memberships(&sim);
    assert_eq!(ms.len(), 5);
    for (id, m) in ms {
        assert_eq!(m.voters, vec![1, 2, 3, 4, 5], "S{id}");
        assert!(!m.is_joint(), "S{id} left the joint configuration");
    }
}

#[test]
fn replacing_a_server_under_load_keeps_every_property() {
    let sim = run(
        r#"{"nodes": 3, "seed": 11, "client_load": {"interval_ms": 10, "keys": 4},
            "actions": [{"at_ms": 1200, "action": {"type": "add_server", "node": 4}},
                        {"at_ms": 2500, "action": {"type": "remove_server", "node": 1}}]}"#,
        5000,
    );
    assert_eq!(sim.violation_count(), 0, "{:?}", sim.violations());
    let l = leader_of(&sim).unwrap();
    assert_eq!(sim.node(l).unwrap().membership().voters, vec![2, 3, 4]);
}

#[test]
fn a_follower_behind_a_snapshot_gets_install_snapshot_and_catches_up() {
    // etcd snapshot_succeed_via_app_resp: S3 is down while the others compact.
    let sim = run(
        r#"{"nodes": 3, "seed": 3, "raft": {"snapshot_threshold": 10},
            "client_load": {"interval_ms": 20, "keys": 3},
            "actions": [{"at_ms": 1000, "action": {"type": "crash", "node": 3}},
                        {"at_ms": 2500, "action": {"type": "restart", "node": 3}}]}"#,
        4000,
    );
    assert_eq!(sim.violation_count(), 0, "{:?}", sim.violations());
    let l = leader_of(&sim).unwrap();
    let lead = sim.node(l).unwrap();
    let s3 = sim.node(3).unwrap();
    assert!(lead.log_offset() > 0, "the leader compacted");
    assert!(s3.log_offset() > 0, "S3 holds a snapshot");
    assert!(s3.commit_index() + 20 >= lead.commit_index());
}

#[test]
fn snapshots_with_crashes_and_restarts_stay_safe_over_many_seeds() {
    for seed in 0..40 {
        let json = format!(
            r#"{{"nodes": 5, "seed": {seed}, "raft": {{"snapshot_threshold": 5}},
                "network": {{"loss": 0.05, "latency_min_ms": 2, "latency_max_ms": 15}},
                "client_load": {{"interval_ms": 15, "keys": 3}},
                "actions": [{{"at_ms": 800, "action": {{"type": "crash_leader"}}}},
                            {{"at_ms": 1300, "action": {{"type": "crash", "node": 2}}}},
                            {{"at_ms": 2000, "action": {{"type": "restart", "node": 2}}}},
                            {{"at_ms": 2100, "action": {{"type": "add_server", "node": 6}}}},
                            {{"at_ms": 2600, "action": {{"type": "remove_server", "node": 5}}}}]}}"#
        );
        let sim = run(&json, 5000);
        assert_eq!(sim.violation_count(), 0, "seed {seed}: {:?}", sim.violations());
    }
}

/// `Membership::quorum_index` (the round a majority has answered, for
/// reads and leases) is the largest value `quorum` accepts, trying every
/// candidate: in simple and joint configurations, with learners and with
/// servers that answered nothing.
#[test]
fn quorum_index_is_the_largest_value_a_quorum_holds() {
    let mut x = 0x9e37_79b9u64;
    let mut next = |m: u64| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % m
    };
    for _ in 0..2000 {
        let pick = |next: &mut dyn FnMut(u64) -> u64| (1..=7u8).filter(|_| next(2) == 0).collect::<Vec<_>>();
        let voters = pick(&mut next);
        let outgoing = if next(2) == 0 { pick(&mut next) } else { vec![] };
        let values: Vec<u64> = (0..8).map(|_| next(6)).collect();
        let m = Membership { voters: voters.clone(), outgoing: outgoing.clone(), ..Membership::default() };
        let held = |p: NodeId| values[p as usize];
        let brute = (0..=6u64).filter(|&n| m.quorum(|p| held(p) >= n)).max().unwrap_or(0);
        assert_eq!(m.quorum_index(held), brute, "voters {voters:?} outgoing {outgoing:?} values {values:?}");
    }
}
