//! The sharded store: availability under server faults, client writes,
//! rebalancing on a new server, determinism.

use std::collections::BTreeSet;

use ringraft::cluster::{Cluster, ClusterConfig, FailReason, WriteStatus, WriteStep, SAMPLE_KEYS};
use ringraft::sim::MS;

const SETTLE: u64 = 2_000 * MS;

fn cluster() -> Cluster {
    let mut c = Cluster::new(ClusterConfig::default()).expect("valid config");
    c.advance_by(SETTLE);
    c
}

fn all_available(c: &Cluster) -> bool {
    (0..c.shard_count()).all(|s| c.is_available(s)) && SAMPLE_KEYS.iter().all(|k| c.key_available(k))
}

fn set(v: &[String]) -> BTreeSet<String> {
    v.iter().cloned().collect()
}

#[test]
fn placement_uses_distinct_servers_and_every_shard_elects_a_leader() {
    let c = cluster();
    assert_eq!(c.shard_count(), 8);
    for s in 0..c.shard_count() {
        let servers = c.replica_servers(s);
        assert_eq!(servers.len(), 3);
        assert_eq!(set(servers).len(), 3, "shard {s}: replicas on distinct servers {servers:?}");
        let pref: Vec<String> = c
            .server_ring()
            .preference_list(&format!("shard-{s}"), 3)
            .unwrap()
            .into_iter()
            .map(|i| c.server_ring().node_name(i).to_string())
            .collect();
        assert_eq!(servers, pref.as_slice(), "shard {s} follows the ring's preference list");
    }
    assert!(all_available(&c));
    // Every server hosts something (5 servers, 24 replicas).
    let v = c.view();
    assert!(v.servers.iter().all(|s| !s.replicas.is_empty()));
    assert_eq!(v.servers.iter().map(|s| s.replicas.len()).sum::<usize>(), 24);
}

#[test]
fn crashing_any_one_server_leaves_every_key_available() {
    for server in ["A", "B", "C", "D", "E"] {
        let mut c = cluster();
        c.crash(server).unwrap();
        c.advance_by(SETTLE);
        assert!(all_available(&c), "after crashing {server}: {:?}", unavailable(&c));
        c.restart(server).unwrap();
        c.advance_by(SETTLE);
        assert!(all_available(&c));
    }
}

#[test]
fn isolating_any_one_server_leaves_every_key_available() {
    for server in ["A", "B", "C", "D", "E"] {
        let mut c = cluster();
        c.isolate(server).unwrap();
        c.advance_by(SETTLE);
        assert!(all_available(&c), "after isolating {server}: {:?}", unavailable(&c));
    }
}

fn unavailable(c: &Cluster) -> Vec<usize> {
    (0..c.shard_count()).filter(|&s| !c.is_available(s)).collect()
}

#[test]
fn crashing_two_servers_of_a_group_makes_only_groups_that_lost_a_majority_unavailable() {
    let mut c = cluster();
    let victims: Vec<String> = c.replica_servers(0)[..2].to_vec();
    for v in &victims {
        c.crash(v).unwrap();
    }
    c.advance_by(SETTLE);
    let mut some_available = false;
    for s in 0..c.shard_count() {
        let lost = c.replica_servers(s).iter().filter(|x| victims.contains(x)).count();
        assert_eq!(c.is_available(s), lost < 2, "shard {s} lost {lost} replicas");
        some_available |= c.is_available(s);
    }
    assert!(!c.is_available(0));
    assert!(some_available, "groups that kept a majority stay available");
    for k in SAMPLE_KEYS {
        let lost = c.replica_servers(c.shard_of(k)).iter().filter(|x| victims.contains(x)).count();
        assert_eq!(c.key_available(k), lost < 2, "key {k}");
    }
    // A write to the dead shard fails rather than pretending.
    let key = (0..1000).map(|i| format!("k{i}")).find(|k| c.shard_of(k) == 0).unwrap();
    let id = c.put(&key, "x");
    c.advance_by(SETTLE + SETTLE);
    assert_eq!(c.write(id).unwrap().status, WriteStatus::Failed);

    for v in &victims {
        c.restart(v).unwrap();
    }
    c.advance_by(SETTLE);
    assert!(all_available(&c), "restart brings them back: {:?}", unavailable(&c));
}

#[test]
fn partitioning_two_servers_of_a_group_and_healing() {
    let mut c = cluster();
    let victims: Vec<String> = c.replica_servers(3)[1..].to_vec();
    for v in &victims {
        c.isolate(v).unwrap();
    }
    c.advance_by(SETTLE);
    assert!(!c.is_available(3));
    for s in 0..c.shard_count() {
        let lost = c.replica_servers(s).iter().filter(|x| victims.contains(x)).count();
        assert_eq!(c.is_available(s), lost < 2, "shard {s}");
    }
    c.heal();
    c.advance_by(SETTLE);
    assert!(all_available(&c), "{:?}", unavailable(&c));
}

#[test]
fn a_put_reaches_its_shard_and_commits_on_a_majority() {
    let mut c = cluster();
    for (i, key) in ["alice", "bob", "carol", "zed"].iter().enumerate() {
        let id = c.put(key, &format!("v{i}"));
        let shard = c.shard_of(key);
        c.advance_by(500 * MS);
        let w = c.write(id).unwrap().clone();
        assert_eq!(w.shard, shard);
        assert_eq!(w.status, WriteStatus::Acknowledged, "{key}: {:?}", w.steps);
        let kinds: Vec<&str> = w.steps.iter().map(|s| s.step.id()).collect();
        assert_eq!(&kinds[..3], &["hashed", "routed", "sent"]);
        assert!(kinds.contains(&"appended"));
        let committed = w
            .steps
            .iter()
            .find_map(|s| match &s.step {
                WriteStep::Committed { servers } => Some(servers.clone()),
                _ => None,
            })
            .expect("committed step");
        assert!(committed.len() >= c.majority());
        assert!(committed.iter().all(|s| c.replica_servers(shard).contains(s)));
        assert_eq!(kinds.last(), Some(&"acknowledged"));
        // Step times never go backwards.
        assert!(w.steps.windows(2).all(|p| p[0].time <= p[1].time));
        let view = c.shard_view(shard);
        assert!(view.data.contains(&(key.to_string(), format!("v{i}"))));
        // Only this shard received it.
        for s in (0..c.shard_count()).filter(|&s| s != shard) {
            assert!(!c.shard_view(s).data.iter().any(|(k, _)| k == key));
        }
    }
}

#[test]
fn a_put_to_a_follower_is_redirected_to_the_leader() {
    let mut c = cluster();
    // Find a shard whose first replica (where the client starts) is not the leader.
    let shard = (0..c.shard_count())
        .find(|&s| c.shard_view(s).leader.as_deref() != Some(c.replica_servers(s)[0].as_str()))
        .expect("some shard is led by a non-first replica");
    let key = (0..1000).map(|i| format!("k{i}")).find(|k| c.shard_of(k) == shard).unwrap();
    let leader = c.shard_view(shard).leader.unwrap();
    let id = c.put(&key, "1");
    let w = c.write(id).unwrap();
    assert!(
        w.steps.iter().any(|s| matches!(&s.step, WriteStep::Redirected { to: Some(l), .. } if *l == leader)),
        "{:?}",
        w.steps
    );
    // Next-step driving: each call adds one step until the ack.
    let mut guard = 0;
    while c.write(id).unwrap().status == WriteStatus::Pending && guard < 20 {
        assert!(c.advance_until_write_step(id, 1_000 * MS));
        guard += 1;
    }
    assert_eq!(c.write(id).unwrap().status, WriteStatus::Acknowledged);
}

#[test]
fn a_write_through_an_isolated_leader_times_out() {
    let mut c = cluster();
    let leader = c.shard_view(0).leader.unwrap();
    c.isolate(&leader).unwrap();
    let key = (0..1000).map(|i| format!("k{i}")).find(|k| c.shard_of(k) == 0).unwrap();
    // Right away the stale leader still believes it leads; the client may reach it.
    let id = c.put(&key, "lost?");
    c.advance_by(SETTLE + SETTLE);
    let w = c.write(id).unwrap();
    assert_ne!(w.status, WriteStatus::Pending);
    if w.status == WriteStatus::Failed {
        assert!(w.steps.iter().any(|s| matches!(s.step, WriteStep::Failed { reason: FailReason::TimedOut | FailReason::NoLeader | FailReason::LeaderLost })));
    }
}

#[test]
fn adding_a_server_moves_only_replicas_whose_preference_list_changed() {
    let mut c = cluster();
    let before: Vec<Vec<String>> = (0..c.shard_count()).map(|s| c.replica_servers(s).to_vec()).collect();
    let name = c.next_server_name();
    assert_eq!(name, "F");
    let (_, plan) = c.plan_add_server(&name).unwrap();
    let r = c.add_server(&name).unwrap();
    assert_eq!(r.moves, plan);
    assert!(!r.moves.is_empty(), "a sixth server takes some replicas");
    for s in 0..c.shard_count() {
        let after = c.replica_servers(s).to_vec();
        let pref: BTreeSet<String> = c
            .server_ring()
            .preference_list(&format!("shard-{s}"), 3)
            .unwrap()
            .into_iter()
            .map(|i| c.server_ring().node_name(i).to_string())
            .collect();
        assert_eq!(set(&after), pref, "shard {s} sits on its new preference list");
        let moves: Vec<_> = r.moves.iter().filter(|m| m.shard == s).collect();
        if set(&before[s]) == pref {
            assert!(moves.is_empty(), "shard {s} unchanged: nothing moves");
            assert_eq!(after, before[s]);
        } else {
            for m in &moves {
                assert!(before[s].contains(&m.from) && !pref.contains(&m.from));
                assert!(!before[s].contains(&m.to) && pref.contains(&m.to));
                assert_eq!(m.to, "F", "with one new server, every move goes to it");
            }
            let stayed = before[s].iter().filter(|x| pref.contains(*x)).count();
            assert_eq!(moves.len(), 3 - stayed);
        }
    }
    // Data survives the rebuild and the new replica catches up.
    let id = c.put("alice", "before-F");
    let _ = id;
    c.advance_by(SETTLE);
    assert!(all_available(&c), "{:?}", unavailable(&c));
    for m in &r.moves {
        let v = c.shard_view(m.shard);
        let leader_log = v.replicas.iter().find(|x| Some(&x.server) == v.leader.as_ref()).unwrap().log_len;
        let moved = v.replicas.iter().find(|x| x.server == m.to).unwrap();
        assert_eq!(moved.log_len, leader_log, "shard {}: new replica on {} caught up", m.shard, m.to);
    }
}

#[test]
fn committed_data_survives_a_rebalance() {
    let mut c = cluster();
    let keys: Vec<String> = (0..40).map(|i| format!("user{i}")).collect();
    for k in &keys {
        c.put(k, "v");
    }
    c.advance_by(SETTLE);
    assert!(c.writes().iter().all(|w| w.status == WriteStatus::Acknowledged));
    c.add_server("F").unwrap();
    c.advance_by(SETTLE);
    for k in &keys {
        let v = c.shard_view(c.shard_of(k));
        assert!(v.data.iter().any(|(kk, _)| kk == k), "{k} still readable on shard {}", v.shard);
    }
}

fn script(seed: u64) -> (u64, ringraft::cluster::ClusterView) {
    let mut c = Cluster::new(ClusterConfig { seed, ..ClusterConfig::default() }).unwrap();
    c.advance_by(700 * MS);
    c.crash("B").unwrap();
    c.put("alice", "1");
    c.advance_by(300 * MS);
    c.isolate("D").unwrap();
    c.put("bob", "2");
    c.advance_by(900 * MS);
    c.restart("B").unwrap();
    c.heal();
    c.add_server("F").unwrap();
    c.advance_by(1_000 * MS);
    (c.state_hash(), c.view())
}

#[test]
fn same_seed_and_actions_give_the_same_state() {
    let (h1, v1) = script(7);
    let (h2, v2) = script(7);
    assert_eq!(h1, h2);
    assert_eq!(v1, v2);
    let (h3, _) = script(8);
    assert_ne!(h1, h3, "another seed gives another run");
}

#[test]
fn bad_configs_are_refused() {
    assert!(Cluster::new(ClusterConfig { replicas: 6, ..ClusterConfig::default() }).is_err());
    assert!(Cluster::new(ClusterConfig { replicas: 0, ..ClusterConfig::default() }).is_err());
    assert!(Cluster::new(ClusterConfig { shards: 0, ..ClusterConfig::default() }).is_err());
    let mut c = cluster();
    assert!(c.crash("Z").is_err());
    assert!(c.add_server("A").is_err());
}
