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
