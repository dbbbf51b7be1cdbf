//! The scenario language: defaults, error paths, and no panic on any input.

use proptest::prelude::*;
use ringraft::sim::*;

fn err(json: &str) -> ScenarioError {
    Scenario::from_json(json).expect_err("should be rejected")
}

#[test]
fn defaults_fill_omitted_fields() {
    let s = Scenario::from_json("{}").unwrap();
    assert_eq!(s.nodes, 5);
    assert_eq!((s.timing.election_min_ms, s.timing.election_max_ms, s.timing.heartbeat_ms), (150, 300, 50));
    assert_eq!((s.network.latency_min_ms, s.network.latency_max_ms), (10, 20));
    // Round trip.
    let again = Scenario::from_json(&s.to_json()).unwrap();
    assert_eq!(s, again);
}

#[test]
fn errors_name_the_field_path() {
    let cases: &[(&str, &str)] = &[
        (r#"{"nodez": 3}"#, "nodez"),
        (r#"{"nodes": 12}"#, "nodes"),
        (r#"{"nodes": "five"}"#, "nodes"),
        (r#"{"timing": {"election_min_ms": 300, "election_max_ms": 150}}"#, "timing.election_min_ms"),
        (r#"{"network": {"loss": 1.5}}"#, "network.loss"),
        (r#"{"network": {"jitter": 1}}"#, "network.jitter"),
        (r#"{"raft": {"bugs": {"typo": true}}}"#, "raft.bugs.typo"),
        (r#"{"nodes": 3, "initial": [{}, {}]}"#, "initial"),
        (
            r#"{"nodes": 3, "initial": [{"term": 3, "log": [1]}, {"term": 3, "log": [1]}, {"term": 3, "log": [1, 2, 3, 2]}]}"#,
            "initial[2].log[3].term",
        ),
        (r#"{"nodes": 3, "initial": [{"term": 1, "log": [1, 2]}, {}, {}]}"#, "initial[0].term"),
        (r#"{"nodes": 3, "initial": [{"term": 1, "voted_for": 4}, {}, {}]}"#, "initial[0].voted_for"),
        (r#"{"nodes": 3, "initial": [{"term": 1, "log": ["x"]}, {}, {}]}"#, "initial[0].log[0]"),
        (
            r#"{"nodes": 3, "initial": [{"term": 2, "voted_for": 1}, {"term": 2, "voted_for": 3}, {"term": 2, "voted_for": 1}]}"#,
            "initial[1].voted_for",
        ),
        (r#"{"actions": [{"at_ms": 5, "action": {"type": "crash", "node": 9}}]}"#, "actions[0].action.node"),
        (r#"{"actions": [{"at_ms": 5, "action": {"type": "explode"}}]}"#, "actions[0].action"),
        (r#"{"actions": [{"at_ms": -5, "action": {"type": "heal"}}]}"#, "actions[0].at_ms"),
        (
            r#"{"actions": [{"action": {"type": "partition", "groups": [[1, 2], [2, 3]]}}]}"#,
            "actions[0].action.groups[1][0]",
        ),
        (r#"{"until": ["forever"]}"#, "until[0]"),
        (r#"{"client_load": {"interval_ms": 0}}"#, "client_load.interval_ms"),
    ];
    for (json, path) in cases {
        let e = err(json);
        assert_eq!(&e.path, path, "{json} → {e}");
        assert!(!e.reason.is_empty());
    }
    let e = err(r#"{"nodes": 3, "initial": [{"term": 2, "log": [1, 2]}, {"term": 2, "log": [1, {"term": 2, "command": {"op": "noop"}}]}, {}]}"#);
    assert_eq!(e.path, "initial[1].log[1]", "{e}");
    assert!(e.reason.contains("Log Matching"));
    assert_eq!(err("{not json").path, "");
}

#[test]
fn full_entries_and_until_forms_parse() {
    let s = Scenario::from_json(
        r#"{"nodes": 3, "initial": [{"term": 1, "log": [{"term": 1, "command": {"op": "set", "key": "a", "value": "1"}}]}, {"term": 1}, {"term": 1, "crashed": true}],
            "until": ["leader_elected", "all_logs_equal", {"committed": {"index": 2}}, {"time_ms": 900}]}"#,
    )
    .unwrap();
    assert_eq!(s.until.len(), 4);
    let mut sim = Sim::new(s).unwrap();
    assert!(!sim.is_alive(3));
    sim.run_scenario(1000);
}

fn arb_json() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| Value::from(n)),
        (0u64..20).prop_map(Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        "[a-z_]{0,12}".prop_map(Value::String),
        prop_oneof![Just("crash"), Just("heal"), Just("partition"), Just("client_request"), Just("set")]
            .prop_map(|s| Value::String(s.into())),
    ];
    leaf.prop_recursive(4, 40, 6, |inner| {
        let keys = prop_oneof![
            Just("nodes".to_string()), Just("seed".to_string()), Just("initial".to_string()),
            Just("actions".to_string()), Just("action".to_string()), Just("type".to_string()),
            Just("node".to_string()), Just("term".to_string()), Just("log".to_string()),
            Just("at_ms".to_string()), Just("timing".to_string()), Just("network".to_string()),
            Just("until".to_string()), Just("voted_for".to_string()), Just("groups".to_string()),
            "[a-z]{1,6}",
        ];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
            prop::collection::btree_map(keys, inner, 0..6)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_strings_never_panic(s in ".{0,200}") {
        let _ = Scenario::from_json(&s);
    }

    #[test]
    fn arbitrary_json_never_panics(v in arb_json()) {
        if let Ok(sc) = Scenario::from_value(&v) {
            // Whatever validates must also run.
            let mut sim = Sim::new(sc).unwrap();
            for _ in 0..200 { sim.step(); }
            let _ = sim.snapshot();
        }
        let _ = Scenario::from_json(&v.to_string());
    }
}

/// Initial logs: at most `MAX_INITIAL_LOG` entries a server, and a large
/// valid one (9 servers at the limit, sharing a prefix) is accepted — its
/// Log Matching check is linear in the logs, not quadratic.
#[test]
fn initial_logs_have_a_stated_limit() {
    let log = |n: usize, last_term: u64| {
        let mut v: Vec<String> = (0..n.saturating_sub(1)).map(|_| "1".to_string()).collect();
        v.push(last_term.to_string());
        v.join(",")
    };
    let sc = |n: usize| {
        let nodes: Vec<String> = (0..9).map(|i| format!("{{\"term\": 3, \"log\": [{}]}}", log(n, 1 + (i % 2) as u64))).collect();
        format!("{{\"nodes\": 9, \"initial\": [{}]}}", nodes.join(","))
    };
    let max = ringraft::sim::scenario::MAX_INITIAL_LOG;
    Scenario::from_json(&sc(max)).expect("at the limit");
    let e = err(&sc(max + 1));
    assert_eq!(e.path, "initial[0].log");
    assert!(e.to_string().contains(&format!("at most {max}")), "{e}");
    // Log Matching still caught where the logs diverge before a shared entry.
    let bad = r#"{"nodes": 2, "initial": [{"term": 2, "log": [1, 1, 2]}, {"term": 2, "log": [1, 2, 2]}]}"#;
    assert_eq!(err(bad).path, "initial[1].log[2]");
}

/// The settings objects are read after the schema check: wrong types and
/// out-of-range counts are refused with their path, values land where named.
#[test]
fn settings_objects_read_every_field() {
    let sc = Scenario::from_json(r#"{"timing": {"election_min_ms": 100, "election_max_ms": 200, "heartbeat_ms": 20},
        "network": {"latency_min_ms": 1, "latency_max_ms": 5, "loss": 0.25, "duplicate": 0.5, "reorder": true},
        "raft": {"max_batch": 3, "noop_on_election": false, "backtrack": "conflict_hint", "pre_vote": true, "check_quorum": true,
                 "bugs": {"commit_old_terms": true, "skip_up_to_date_check": true}},
        "client_load": {"interval_ms": 7, "keys": 2}, "follow_redirects": true}"#).unwrap();
    assert_eq!((sc.timing.election_min_ms, sc.timing.election_max_ms, sc.timing.heartbeat_ms), (100, 200, 20));
    assert_eq!((sc.network.latency_min_ms, sc.network.latency_max_ms, sc.network.loss, sc.network.duplicate, sc.network.reorder), (1, 5, 0.25, 0.5, true));
    let r = &sc.raft;
    assert_eq!((r.max_batch, r.noop_on_election, r.backtrack, r.pre_vote, r.check_quorum), (3, false, ringraft::raft::Backtrack::ConflictHint, true, true));
    assert!(r.bugs.commit_old_terms && r.bugs.skip_up_to_date_check && !r.bugs.forget_vote_on_crash);
    assert_eq!(sc.client_load.map(|l| (l.interval_ms, l.keys)), Some((7, 2)));
    assert!(sc.follow_redirects);
    // Fields left out keep their defaults.
    let sc = Scenario::from_json(r#"{"timing": {"heartbeat_ms": 10}, "raft": {"pre_vote": true}}"#).unwrap();
    assert_eq!((sc.timing.election_min_ms, sc.timing.heartbeat_ms, sc.raft.max_batch, sc.raft.noop_on_election), (150, 10, 16, true));
    for (json, path) in [
        (r#"{"raft": {"backtrack": "fast"}}"#, "raft.backtrack"),
        (r#"{"raft": {"max_batch": 99999999999}}"#, "raft.max_batch"),
        (r#"{"client_load": {"keys": 99999999999}}"#, "client_load.keys"),
        (r#"{"network": {"loss": "lots"}}"#, "network.loss"),
        (r#"{"raft": {"bugs": {"commit_old_terms": 1}}}"#, "raft.bugs.commit_old_terms"),
    ] {
        assert_eq!(err(json).path, path, "{json}");
    }
    assert!(err(r#"{"raft": {"backtrack": "fast"}}"#).to_string().contains("expected `one_by_one` or `conflict_hint`"));
}

/// Errors name the deepest field and say what was expected there.
#[test]
fn errors_name_the_deepest_field_and_what_it_expects() {
    let cases = [
        (r#"{"until": [{"committed": 5}]}"#, "until[0].committed", r#"expected {"index": N}"#),
        (r#"{"until": [{"time_ms": "soon"}]}"#, "until[0].time_ms", "expected a whole number"),
        (r#"{"until": ["nope"]}"#, "until[0]", r#"unknown condition "nope""#),
        (r#"{"actions": [{"action": {"type": "crash", "node": "x"}}]}"#, "actions[0].action.node", "invalid type"),
        (
            r#"{"actions": [{"action": {"type": "client_request", "node": 1, "command": {"op": "set", "key": 1}}}]}"#,
            "actions[0].action.command.key",
            "expected a string",
        ),
        (r#"{"nodes": 1, "initial": [{"log": [{"term": 1, "command": {"op": "zap"}}]}]}"#, "initial[0].log[0].command", "unknown variant `zap`"),
        (r#"{"nodes": 1, "initial": [{"log": [{"term": 1}]}]}"#, "initial[0].log[0]", "missing field `command`"),
        (r#"{"raft": {"backtrack": "fast"}}"#, "raft.backtrack", "expected `one_by_one` or `conflict_hint`"),
        (r#"{"raft": {"read_mode": "fast"}}"#, "raft.read_mode", "expected `log`, `read_index` or `lease`"),
        // Known conditions used in the wrong form say which form they take.
        (r#"{"until": [{"leader_elected": true}]}"#, "until[0].leader_elected", r#"takes no value (write the string "leader_elected")"#),
        (r#"{"until": ["committed"]}"#, "until[0]", r#""committed" needs a value"#),
        (r#"{"until": [{"committed": {"index": "x"}}]}"#, "until[0].committed.index", "expected a non-negative integer, found a string"),
        (r#"{"until": [{"committed": {"index": 1, "term": 2}}]}"#, "until[0].committed.term", r#"unknown field (expected {"index": N})"#),
        (r#"{"until": [{"committed": {}}]}"#, "until[0].committed", "missing field `index`"),
        (r#"{"until": [{"time_ms": 5, "committed": 1}]}"#, "until[0]", "found an object with 2 fields"),
        (r#"{"until": [7]}"#, "until[0]", "found a number"),
        // Inside actions: the item of a list, the unknown field, and what the author writes instead of Rust types.
        (r#"{"actions": [{"action": {"type": "partition", "groups": [[1, "a"]]}}]}"#, "actions[0].action.groups[0][1]", "expected a non-negative integer"),
        (r#"{"actions": [{"action": {"type": "crash", "node": 1, "nod": 2}}]}"#, "actions[0].action.nod", "unknown field, expected `node`"),
        (r#"{"actions": [{"action": {"type": "crash", "node": "x"}}]}"#, "actions[0].action.node", "expected a whole number from 0 to 255"),
        (r#"{"actions": [{"action": {"type": "set_network", "loss": "x"}}]}"#, "actions[0].action.loss", "expected a number"),
        (r#"{"actions": [{"action": {"type": "set_client_load", "load": {"keys": "a"}}}]}"#, "actions[0].action.load.keys", "expected a non-negative integer"),
    ];
    for (json, path, reason) in cases {
        let e = err(json);
        assert_eq!(e.path, path, "{json}: {e}");
        assert!(e.to_string().contains(reason), "{json}: {e}");
    }
    // The good forms still read.
    let sc = Scenario::from_json(r#"{"until": ["leader_elected", "all_logs_equal", {"committed": {"index": 3}}, {"time_ms": 40}],
        "nodes": 1, "initial": [{"term": 1, "log": [1, {"term": 1, "command": {"op": "set", "key": "k", "value": "v"}}]}]}"#).unwrap();
    assert_eq!(sc.until, vec![Until::LeaderElected, Until::AllLogsEqual, Until::Committed { index: 3 }, Until::TimeMs(40)]);
    assert_eq!(sc.initial.unwrap()[0].log.len(), 2);
}

/// A scenario may carry an `expect` block (checked by `ringraft run`, see
/// `sim::expect`): the scenario reader accepts it unread, in every build.
#[test]
fn the_expect_block_is_accepted_and_read_with_paths() {
    let text = r#"{"nodes": 3, "expect": {"leader": null, "violations": "election_safety", "nodes": {"2": {"role": "follower"}}}}"#;
    assert_eq!(Scenario::from_json(text).unwrap().nodes, 3);
    // Even one the expect reader refuses: the page opens the scenario all the same.
    assert!(Scenario::from_json(r#"{"expect": {"nodes": {"2": {"role": "boss"}}}}"#).is_ok());
    #[cfg(feature = "expect")]
    {
        use ringraft::sim::expect::{read_scenario, Violations};
        let (sc, e) = read_scenario(text).unwrap();
        let e = e.unwrap();
        assert_eq!((sc.nodes, e.leader), (3, Some(None)));
        assert_eq!(e.violations, Some(Violations::Broken(vec![Property::ElectionSafety])));
        assert_eq!(e.nodes[&2].role, Some(ringraft::raft::Role::Follower));
        assert_eq!(e.nodes[&2].term, None);
        assert!(read_scenario("{}").unwrap().1.is_none());
        let e = read_scenario(r#"{"expect": {"nodes": {"2": {"role": "boss"}}}}"#).unwrap_err();
        assert_eq!(e.path, "expect.nodes.2.role");
        assert!(e.reason.starts_with("unknown variant `boss`"), "{e}");
        // The scenario's own errors come first, as without a block.
        assert_eq!(read_scenario(r#"{"nodes": 0, "expect": {"x": 1}}"#).unwrap_err().path, "nodes");
    }
}
