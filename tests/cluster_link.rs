//! Shareable cluster state: actions as data, the cluster's own log, and
//! rebuilding a cluster from a link — exactly, and refusing bad links.

use ringraft::cluster::{
    Cluster, ClusterAction, ClusterConfig, ClusterError, ClusterRecord, WriteStatus, MAX_LINK_ACTIONS, MAX_LINK_TIME_US,
};
use ringraft::link::cluster::{ClusterLink, WARMUP_US};
use ringraft::sim::{Action, MS};

fn crash(s: &str) -> ClusterAction {
    ClusterAction::Crash { server: s.into() }
}
fn put(k: &str, v: &str) -> ClusterAction {
    ClusterAction::Put { key: k.into(), value: v.into() }
}

/// A session like a person's at the page: faults, writes, a server added
/// and one removed (replicas moving by membership changes meanwhile),
/// time advanced in uneven frame-sized slices in between.
fn session(seed: u64) -> Cluster {
    let mut c = Cluster::new(ClusterConfig { seed, ..ClusterConfig::default() }).unwrap();
    let frame = |c: &mut Cluster, ms: u64| {
        // Frames of 7, 16 and 33 ms, as requestAnimationFrame would give.
        let mut left = ms * MS;
        for d in [7 * MS, 16 * MS, 33 * MS].iter().cycle() {
            let d = (*d).min(left);
            c.advance_by(d);
            left -= d;
            if left == 0 {
                break;
            }
        }
    };
    frame(&mut c, 1_000);
    c.apply(&crash("B")).unwrap();
    frame(&mut c, 250);
    c.apply(&put("alice", "1")).unwrap();
    frame(&mut c, 300);
    c.apply(&ClusterAction::Isolate { server: "D".into() }).unwrap();
    c.apply(&put("bob", "2")).unwrap();
    // Next-step driving of the write panel advances to event times.
    let id = c.writes().len() - 1;
    while c.write(id).unwrap().status == WriteStatus::Pending {
        c.advance_until_write_step(id, 3_000 * MS);
    }
    frame(&mut c, 400);
    c.apply(&ClusterAction::Restart { server: "B".into() }).unwrap();
    c.apply(&ClusterAction::Heal).unwrap();
    c.apply(&ClusterAction::AddServer { name: "F".into() }).unwrap();
    c.apply(&put("carol", "3")).unwrap();
    frame(&mut c, 120);
    c.apply(&ClusterAction::Reconnect { server: "D".into() }).unwrap();
    c.apply(&crash("F")).unwrap();
    frame(&mut c, 900);
    c.apply(&ClusterAction::RemoveServer { server: "C".into() }).unwrap();
    c.apply(&put("dave", "4")).unwrap();
    frame(&mut c, 700);
    c
}

#[test]
fn apply_records_every_action_with_its_time() {
    let c = session(3);
    let kinds: Vec<&ClusterAction> = c.log().iter().map(|r| &r.action).collect();
    assert_eq!(kinds.len(), 12);
    assert_eq!(kinds[0], &crash("B"));
    assert_eq!(c.log()[0].time, 1_000 * MS);
    assert!(c.log().windows(2).all(|w| w[0].time <= w[1].time));
    assert!(c.servers().contains(&"F".to_string()));
    assert_eq!(c.writes().len(), 4);
    assert!(c.is_leaving("C") || !c.servers().contains(&"C".to_string()));
}

#[test]
fn replaying_a_clusters_own_log_reproduces_it_exactly() {
    for seed in [1, 3, 11] {
        let c = session(seed);
        let link = c.to_link();
        let json = link.to_json();
        let back = ClusterLink::from_json(&json).unwrap();
        assert_eq!(back, link, "JSON round trip");
        let r = Cluster::from_link(&back).unwrap();
        assert_eq!(r.now(), c.now());
        assert_eq!(r.state_hash(), c.state_hash(), "seed {seed}");
        assert_eq!(r.view(), c.view(), "seed {seed}: what the page draws");
        assert_eq!(r.writes(), c.writes(), "seed {seed}: write traces, step by step");
        assert_eq!(r.rebalances(), c.rebalances());
        assert_eq!(r.log(), c.log(), "the rebuilt cluster's log is the link's actions");
    }
}

#[test]
fn stepping_back_then_forward_redoes_the_same_run() {
    for seed in [2, 5] {
        let c = session(seed);
        let end = c.now();
        // Back to before the last five actions (and to every 400 ms before that).
        for back_to in [c.log()[5].time - 10 * MS, end - 400 * MS, end - 1_600 * MS, WARMUP_US] {
            let mut r = c.rewound_to(back_to).unwrap();
            assert_eq!(r.now(), back_to);
            assert!(r.log().iter().all(|x| x.time <= back_to), "only what happened by then");
            assert_eq!(r.log().len() + r.future().len(), c.log().len(), "the rest is kept as the future");
            assert_eq!(r.to_link().actions, c.to_link().actions, "a link still carries every action");
            // Forward again in frame-sized slices: the same end, exactly.
            while r.now() < end {
                r.advance_by((16 * MS).min(end - r.now()));
            }
            assert_eq!(r.state_hash(), c.state_hash(), "seed {seed}, back to {back_to}");
            assert_eq!(r.writes(), c.writes());
            assert_eq!(r.log(), c.log());
            assert!(r.future().is_empty());
        }
        // Never before the warm-up, never past now.
        assert_eq!(c.rewound_to(0).unwrap().now(), WARMUP_US);
        assert_eq!(c.rewound_to(end + 1).unwrap().now(), end);
    }
}

#[test]
fn a_new_action_after_stepping_back_replaces_the_future() {
    let c = session(7);
    let back_to = c.log()[3].time + MS;
    let mut r = c.rewound_to(back_to).unwrap();
    assert!(!r.future().is_empty());
    // A refused action keeps the future…
    assert!(r.apply(&crash("nobody")).is_err());
    assert!(!r.future().is_empty());
    // …a done one forks: the old future is gone, the link ends with it.
    r.apply(&ClusterAction::Heal).unwrap();
    assert!(r.future().is_empty());
    assert_eq!(r.log().last().map(|x| &x.action), Some(&ClusterAction::Heal));
    assert_eq!(r.to_link().actions.len(), 5);
    r.advance_to(c.now());
    assert_eq!(r.log().len(), 5, "nothing of the old future happens");
}

#[test]
fn a_link_shown_before_its_last_actions_keeps_them_as_the_future() {
    let c = session(9);
    let mut link = c.to_link();
    link.at_us = c.log()[6].time - MS;
    let json = link.to_json();
    let mut r = Cluster::from_link(&ClusterLink::from_json(&json).unwrap()).unwrap();
    assert_eq!(r.now(), link.at_us);
    let done = c.log().iter().filter(|x| x.time <= link.at_us).count();
    assert!(done < c.log().len());
    assert_eq!(r.log(), &c.log()[..done]);
    assert_eq!(r.future(), &c.log()[done..]);
    assert_eq!(r.to_link(), link, "the link round-trips with its future");
    r.advance_to(c.now());
    assert_eq!(r.state_hash(), c.state_hash());
}

#[test]
fn loading_an_earlier_link_and_continuing_reaches_the_same_end() {
    let c = session(5);
    let cut = c.log()[4].time;
    let mut link = c.to_link();
    link.actions.retain(|r| r.time <= cut);
    let done = link.actions.len();
    link.at_us = cut + 50 * MS;
    let mut again = Cluster::from_link(&link).unwrap();
    for r in &c.log()[done..] {
        again.advance_to(r.time);
        again.apply(&r.action).unwrap();
    }
    again.advance_to(c.now());
    assert_eq!(again.state_hash(), c.state_hash());
    assert_eq!(again.writes(), c.writes());
}

#[test]
fn the_default_link_is_the_default_page() {
    let link = ClusterLink::default();
    assert_eq!(link.to_json(), r#"{"actions":[],"at_us":1000000}"#);
    assert_eq!(ClusterLink::from_json("{}").unwrap(), link, "every field is optional");
    let c = Cluster::from_link(&link).unwrap();
    let mut d = Cluster::new(ClusterConfig::default()).unwrap();
    d.advance_to(WARMUP_US);
    assert_eq!(c.state_hash(), d.state_hash());
}

#[test]
fn the_json_format_is_readable_and_config_fields_round_trip() {
    let json = r#"{"seed":7,"replicas":5,"servers":7,"actions":[[1000000,{"type":"crash","server":"B"}],[1200000,{"type":"put","key":"alice","value":"x"}],[1300000,{"type":"add_server","name":"H"}],[1300000,{"type":"heal"}]],"at_us":2000000,"write":0,"step":3}"#;
    let link = ClusterLink::from_json(json).unwrap();
    assert_eq!(link.config(), ClusterConfig { servers: 7, shards: 8, replicas: 5, seed: 7 });
    assert_eq!(link.actions[0], ClusterRecord { time: 1_000_000, action: crash("B") });
    assert_eq!(link.write, Some(0));
    let c = Cluster::from_link(&link).unwrap();
    assert_eq!(c.config().replicas, 5);
    assert_eq!(c.servers().len(), 8);
    assert!(c.is_crashed("B"));
    assert_eq!(c.now(), 2_000_000);
    let again = ClusterLink::from_json(&link.to_json()).unwrap();
    assert_eq!(again, link);
}

fn err(json: &str) -> ClusterError {
    match ClusterLink::from_json(json).and_then(|l| Cluster::from_link(&l)) {
        Ok(_) => panic!("accepted: {json}"),
        Err(e) => e,
    }
}

#[test]
fn bad_links_are_clear_errors_never_panics() {
    // Not JSON, wrong shapes, unknown fields and actions.
    for j in ["", "nope", "[]", r#"{"actions":5}"#, r#"{"sed":1}"#, r#"{"actions":[[1,{"type":"explode"}]]}"#,
        r#"{"actions":[[1,{"type":"crash"}]]}"#, r#"{"actions":[[-1,{"type":"heal"}]]}"#, r#"{"at_us":-5}"#,
        r#"{"actions":[{"type":"heal"}]}"#, r#"{"seed":1e99}"#] {
        assert!(matches!(err(j), ClusterError::Json(_)), "{j}: {:?}", err(j));
    }
    // Unknown server, named with the action's index.
    let e = err(r#"{"actions":[[1000,{"type":"heal"}],[2000,{"type":"crash","server":"Z"}]]}"#);
    assert_eq!(e, ClusterError::InAction { index: 1, error: Box::new(ClusterError::UnknownServer("Z".into())) });
    assert_eq!(e.to_string(), r#"action 1: no server named "Z""#);
    // An impossible action is refused even when it lies after the time shown (the future).
    let e = err(r#"{"actions":[[1000,{"type":"heal"}],[3000,{"type":"crash","server":"Z"}]],"at_us":2000}"#);
    assert_eq!(e, ClusterError::InAction { index: 1, error: Box::new(ClusterError::UnknownServer("Z".into())) });
    // Times out of order; absurd times.
    assert!(matches!(err(r#"{"actions":[[2000,{"type":"heal"}],[1000,{"type":"heal"}]]}"#),
        ClusterError::OutOfOrder { index: 1, time: 1000, previous: 2000 }));
    assert!(matches!(err(&format!(r#"{{"at_us":{}}}"#, MAX_LINK_TIME_US + 1)), ClusterError::TimeTooLate { .. }));
    assert!(matches!(err(r#"{"at_us":18446744073709551615}"#), ClusterError::TimeTooLate { .. }));
    assert!(matches!(err(r#"{"actions":[[18446744073709551615,{"type":"heal"}]]}"#), ClusterError::TimeTooLate { .. }));
    // Absurd sizes.
    assert!(matches!(err(r#"{"servers":1000000000000}"#), ClusterError::TooManyServers));
    assert!(matches!(err(r#"{"shards":100000}"#), ClusterError::BadShards(_)));
    assert!(matches!(err(r#"{"replicas":0}"#), ClusterError::BadReplicas { .. }));
    assert!(matches!(err(r#"{"replicas":6}"#), ClusterError::BadReplicas { .. }));
    assert!(matches!(err(r#"{"servers":0}"#), ClusterError::BadReplicas { .. }));
    let many = format!(r#"{{"actions":[{}]}}"#, vec![r#"[1,{"type":"heal"}]"#; MAX_LINK_ACTIONS + 1].join(","));
    assert!(matches!(err(&many), ClusterError::TooManyActions { .. }));
    let huge = format!(r#"{{"actions":[[1,{{"type":"put","key":"{}","value":""}}]]}}"#, "k".repeat(70_000));
    assert!(matches!(err(&huge), ClusterError::LinkTooLong { .. }));
    // Bad keys, values and server names.
    let in_action = |j: &str| match err(j) {
        ClusterError::InAction { error, .. } => *error,
        e => panic!("{j}: {e:?}"),
    };
    assert!(matches!(in_action(r#"{"actions":[[1,{"type":"put","key":"","value":"1"}]]}"#), ClusterError::BadKey(_)));
    assert!(matches!(in_action(r#"{"actions":[[1,{"type":"put","key":"a\u0000","value":"1"}]]}"#), ClusterError::BadKey(_)));
    let long = "x".repeat(ringraft::cluster::MAX_VALUE_LEN + 1);
    assert!(matches!(in_action(&format!(r#"{{"actions":[[1,{{"type":"put","key":"a","value":"{long}"}}]]}}"#)), ClusterError::BadValue(_)));
    assert!(matches!(in_action(r#"{"actions":[[1,{"type":"add_server","name":" "}]]}"#), ClusterError::BadServerName(_)));
    assert!(matches!(in_action(r#"{"actions":[[1,{"type":"add_server","name":"A"}]]}"#), ClusterError::ServerExists(_)));
    let adds: Vec<String> = (0..8).map(|i| format!(r#"[1,{{"type":"add_server","name":"N{i}"}}]"#)).collect();
    assert_eq!(in_action(&format!(r#"{{"actions":[{}]}}"#, adds.join(","))), ClusterError::TooManyServers);
    // A write that does not exist.
    assert!(matches!(err(r#"{"write":0}"#), ClusterError::NoSuchWrite { write: 0, writes: 0 }));
}

#[test]
fn refused_actions_change_nothing_and_are_not_recorded() {
    let mut c = Cluster::new(ClusterConfig::default()).unwrap();
    c.advance_to(WARMUP_US);
    let h = c.state_hash();
    assert!(c.apply(&crash("Z")).is_err());
    assert!(c.apply(&put("", "1")).is_err());
    assert!(c.apply(&ClusterAction::AddServer { name: "A".into() }).is_err());
    assert_eq!(c.state_hash(), h);
    assert!(c.log().is_empty());
    assert!(c.writes().is_empty());
}

#[test]
fn write_traces_do_not_depend_on_how_time_is_sliced() {
    // An isolated leader accepts a write it cannot commit: the write times
    // out. Whether time moves in one jump or in frames, the trace is the same.
    let run = |slice: u64| {
        let mut c = Cluster::new(ClusterConfig::default()).unwrap();
        c.advance_to(WARMUP_US);
        let leader = c.shard_view(0).leader.unwrap();
        c.apply(&ClusterAction::Isolate { server: leader }).unwrap();
        let key = (0..1000).map(|i| format!("k{i}")).find(|k| c.shard_of(k) == 0).unwrap();
        c.apply(&put(&key, "x")).unwrap();
        let end = c.now() + 5_000 * MS;
        while c.now() < end {
            c.advance_to((c.now() + slice).min(end));
        }
        (c.writes().to_vec(), c.state_hash())
    };
    let (one, h1) = run(u64::MAX / 4);
    for slice in [MS, 16 * MS, 333 * MS] {
        let (w, h) = run(slice);
        assert_eq!(w, one, "slice {slice} µs");
        assert_eq!(h, h1);
    }
}


#[test]
fn remove_server_reads_and_writes_as_json() {
    let a = ClusterAction::RemoveServer { server: "B".into() };
    let json = serde_json::to_string(&ClusterRecord { time: 5, action: a.clone() }).unwrap();
    assert_eq!(json, r#"[5,{"type":"remove_server","server":"B"}]"#);
    let back: ClusterRecord = serde_json::from_str(&json).unwrap();
    assert_eq!(back.action, a);
    let link = ClusterLink::from_json(r#"{"actions":[[1500000,{"type":"remove_server","server":"B"}]],"at_us":4000000}"#).unwrap();
    let c = Cluster::from_link(&link).unwrap();
    assert!(!c.servers().contains(&"B".to_string()), "B drained and gone");
    assert_eq!(c.to_link(), link);
    // Bad shapes and impossible removals are clear errors.
    assert!(matches!(err(r#"{"actions":[[1,{"type":"remove_server"}]]}"#), ClusterError::Json(_)));
    assert!(matches!(err(r#"{"actions":[[1,{"type":"remove_server","name":"B"}]]}"#), ClusterError::Json(_)));
    let in_action = |j: &str| match err(j) {
        ClusterError::InAction { index, error } => (index, *error),
        e => panic!("{j}: {e:?}"),
    };
    assert_eq!(in_action(r#"{"actions":[[1,{"type":"remove_server","server":"Z"}]]}"#), (0, ClusterError::UnknownServer("Z".into())));
    assert_eq!(
        in_action(r#"{"actions":[[1,{"type":"remove_server","server":"B"}],[2,{"type":"remove_server","server":"B"}]]}"#),
        (1, ClusterError::ServerLeaving("B".into()))
    );
    assert_eq!(
        in_action(r#"{"actions":[[1,{"type":"remove_server","server":"A"}],[2,{"type":"remove_server","server":"B"}],[3,{"type":"remove_server","server":"C"}]]}"#),
        (2, ClusterError::TooFewServers { servers: 2, replicas: 3 })
    );
}

#[test]
fn an_old_link_that_added_a_server_plays_out_as_membership_changes() {
    // A link from before moves were membership changes: a write in flight
    // when F joins. It still opens; the write is no longer failed by the
    // move, and each moved shard went learner → voter → old node removed.
    let json = r#"{"actions":[[1200000,{"type":"put","key":"alice","value":"1"}],[1200000,{"type":"add_server","name":"F"}]],"at_us":4000000}"#;
    let c = Cluster::from_link(&ClusterLink::from_json(json).unwrap()).unwrap();
    assert_eq!(c.write(0).unwrap().status, WriteStatus::Acknowledged);
    let r = &c.rebalances()[0];
    assert!(!r.moves.is_empty());
    for m in &r.moves {
        let p = c.move_progress(m).unwrap();
        assert!(p.is_done(), "{p:?}");
        let config = c.configuration(m.shard);
        assert!(config.is_voter(m.new) && !config.contains(m.old));
        let kinds: Vec<_> = c.group(m.shard).actions().iter().map(|a| a.action.clone()).collect();
        assert!(kinds.contains(&Action::AddServer { node: m.new }));
        assert!(kinds.contains(&Action::RemoveServer { node: m.old }));
    }
}
