//! The Raft side of the command-line runner: help lists every option and
//! bug flag, `run --trace` is JSON lines only, `check` counts what it says,
//! a scenario's `expect` block makes it a test.

use std::process::Command;

fn ringraft(args: &[&str]) -> (i32, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_ringraft")).args(args).output().expect("runs");
    (o.status.code().unwrap_or(-1), String::from_utf8_lossy(&o.stdout).into(), String::from_utf8_lossy(&o.stderr).into())
}

#[test]
fn help_lists_every_command_option_and_bug_flag() {
    let (code, out, _) = ringraft(&["help"]);
    assert_eq!(code, 0);
    for cmd in ["run", "check", "bench", "liveness", "explore", "ring", "jump"] {
        assert!(out.contains(&format!("  {cmd} ")), "{cmd} in {out}");
    }
    let (code, out, _) = ringraft(&["check", "--help"]);
    assert_eq!(code, 0);
    for opt in ["--seeds", "--start", "--fault-ms", "--bug", "--dump", "--max-seconds"] {
        assert!(out.contains(opt), "{opt}");
    }
    let (_, top, _) = ringraft(&["help"]);
    // One flag per field of `Bugs`, in its order.
    let names: Vec<&str> = ringraft::cli::raft::BUG_FLAGS.iter().map(|b| b.name).collect();
    assert_eq!(names, ringraft::raft::Bugs::NAMES);
    for b in ringraft::cli::raft::BUG_FLAGS {
        assert!(out.contains(b.name) && out.contains(b.what), "{}", b.name);
        assert!(top.contains(b.name), "{} in help", b.name);
    }
    let (code, _, err) = ringraft(&["check", "--bug", "nonsense"]);
    assert_eq!(code, 2);
    assert!(err.contains("commit_old_terms, forget_vote_on_crash"), "{err}");
    // Every option a command's --help names is in `ringraft help` too.
    for cmd in ["run", "check", "bench", "liveness", "explore", "ring", "jump"] {
        let (code, out, err) = ringraft(&[cmd, "--help"]);
        assert_eq!(code, 0, "{cmd} --help: {err}");
        let options = out.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-')).filter(|w| w.starts_with("--") && w.len() > 2);
        for opt in options.filter(|o| *o != "--help") {
            assert!(top.contains(opt), "{cmd} {opt} missing from `ringraft help`");
        }
    }
    assert!(top.contains(&format!("{} an expectation failed", ringraft::cli::raft::EXIT_EXPECT_FAILED)), "{top}");
}

#[test]
fn run_trace_is_json_lines_with_the_final_state_last() {
    let (code, out, _) = ringraft(&["run", "figure-8", "--trace"]);
    assert_eq!(code, 0);
    let lines: Vec<serde_json::Value> = out.lines().map(|l| serde_json::from_str(l).expect("a JSON line")).collect();
    assert!(lines.len() > 10);
    assert!(lines[..lines.len() - 1].iter().all(|e| e.get("what").is_some() && e.get("text").is_some()));
    let last = lines.last().unwrap();
    assert_eq!(last["nodes"].as_array().map(Vec::len), Some(5));
    assert_eq!(last["events"].as_u64(), Some(lines.len() as u64 - 1));
}

#[test]
fn check_summary_counts_runs_and_violations_apart() {
    let (code, out, err) = ringraft(&["check", "--bug", "skip_consistency_check", "--seeds", "40"]);
    assert_eq!(code, 1);
    assert!(err.lines().all(|l| l.starts_with("seed ")), "failing seeds go to stderr");
    let s: serde_json::Value = serde_json::from_str(&out).expect("stdout is the JSON summary alone");
    let runs = s["runs_with_violations"].as_u64().unwrap();
    for p in s["violations_by_property"].as_array().unwrap() {
        let (r, v) = (p["runs_with_violation"].as_u64().unwrap(), p["violations"].as_u64().unwrap());
        assert!(r >= 1 && r <= runs && v >= r, "{p}");
    }
}

#[test]
fn run_stops_a_dense_long_run_at_its_memory_bound_with_the_state_reached() {
    // Nine servers, a client request every millisecond, an hour of virtual
    // time: the logs grow without bound. `--max-mb 8` stops it early.
    let dir = std::env::temp_dir().join(format!("ringraft-dense-{}.json", std::process::id()));
    let sc = r#"{"nodes": 9, "seed": 1, "client_load": {"interval_ms": 1}, "until": [{"time_ms": 3600000}]}"#;
    std::fs::write(&dir, sc).unwrap();
    let (code, out, err) = ringraft(&["run", dir.to_str().unwrap(), "--max-mb", "8"]);
    std::fs::remove_file(&dir).ok();
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("stopped: the run's state passed 8 MB"), "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("the final state as JSON");
    assert_eq!(v["stopped"]["reason"], "memory");
    assert_eq!(v["stopped"]["limit_mb"], 8);
    assert_eq!(v["until_met"], false);
    let t = v["time_ms"].as_f64().unwrap();
    assert!(t > 0.0 && t < 3_600_000.0, "stopped part way, at {t} ms");
    // Within the default bound the same scenario, shorter, runs to its end.
    let (code, _, _) = ringraft(&["run", "leader-election", "--max-mb", "8"]);
    assert_eq!(code, 0);
}

/// A scenario file with the `expect` block as another field.
fn with_expect(scenario: &str, expect: serde_json::Value) -> std::path::PathBuf {
    let text = std::fs::read_to_string(scenario).ok().or_else(|| ringraft::sim::presets::get(scenario).map(|j| j.to_string())).expect("a scenario");
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["expect"] = expect;
    static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let path = std::env::temp_dir().join(format!("ringraft-expect-{}-{n}.json", std::process::id()));
    std::fs::write(&path, v.to_string()).unwrap();
    path
}

fn run_file(path: &std::path::Path) -> (i32, String, String) {
    let r = ringraft(&["run", path.to_str().unwrap()]);
    std::fs::remove_file(path).ok();
    r
}

/// Every file in tests/expect/, and every bundled scenario with an
/// `expect` block, is a test: `run` meets its block.
#[test]
fn scenario_files_with_expect_blocks_pass() {
    let bundled = std::fs::read_dir("scenarios").unwrap().map(|e| e.unwrap().path());
    let bundled = bundled.filter(|p| std::fs::read_to_string(p).unwrap().contains("\"expect\""));
    let files: Vec<_> = std::fs::read_dir("tests/expect").unwrap().map(|e| e.unwrap().path()).chain(bundled).collect();
    assert!(files.len() >= 7, "{files:?}");
    for f in files {
        let (code, out, err) = ringraft(&["run", f.to_str().unwrap()]);
        assert_eq!(code, 0, "{}: {err}", f.display());
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["expect"], serde_json::json!({"met": true, "mismatches": []}), "{}", f.display());
    }
}

#[test]
fn a_failed_expectation_exits_4_naming_the_field() {
    let exp = serde_json::json!({"leader": 1, "nodes": {"2": {"role": "leader", "term": 1, "alive": true}}});
    let (code, out, err) = run_file(&with_expect("tests/expect/three-node-election.json", exp));
    assert_eq!(code, ringraft::cli::raft::EXIT_EXPECT_FAILED, "{err}");
    assert_eq!(err.trim(), r#"expect failed: expect.nodes.2.role: expected "leader", found "follower""#);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["expect"]["met"], false);
    assert_eq!(v["expect"]["mismatches"], serde_json::json!([{"field": "expect.nodes.2.role", "expected": "leader", "found": "follower"}]));
    // No leader expected, one found; the trace's last line carries the result too.
    let path = with_expect("tests/expect/three-node-election.json", serde_json::json!({"leader": null}));
    let (code, out, err) = ringraft(&["run", path.to_str().unwrap(), "--trace"]);
    std::fs::remove_file(&path).ok();
    assert_eq!(code, 4);
    assert!(err.contains("expect.leader: expected null, found 1"), "{err}");
    let last: serde_json::Value = serde_json::from_str(out.lines().last().unwrap()).unwrap();
    assert_eq!(last["expect"]["mismatches"][0]["field"], "expect.leader");
}

/// A bug demonstration is a test too: the violation it must show is
/// expected, so it passes; expecting none fails with the properties broken.
#[test]
fn expected_violations_are_judged_by_the_block() {
    let (code, _, _) = ringraft(&["run", "bug-forget-vote-on-crash"]);
    assert_eq!(code, 1, "without expect a violation fails the run");
    let (code, _, err) = run_file(&with_expect("bug-forget-vote-on-crash", serde_json::json!({"violations": "election_safety"})));
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = run_file(&with_expect("bug-forget-vote-on-crash", serde_json::json!({"violations": ["log_matching"]})));
    assert_eq!(code, 4);
    assert!(err.contains(r#"expect.violations: expected ["log_matching"], found ["election_safety"]"#), "{err}");
    let (code, _, err) = run_file(&with_expect("bug-forget-vote-on-crash", serde_json::json!({"violations": 0})));
    assert_eq!(code, 4);
    assert!(err.contains("expect.violations: expected 0, found "), "{err}");
}

#[test]
fn bad_expect_blocks_are_refused_with_their_path() {
    for (exp, msg) in [
        (serde_json::json!({"nodes": {"2": {"role": "boss"}}}), "expect.nodes.2.role: unknown variant `boss`, expected one of `follower`"),
        (serde_json::json!({"nodes": {"4": {}}}), "expect.nodes.4: node 4 does not exist (nodes are 1..=3)"),
        (serde_json::json!({"nodes": {"1": {"log_terms": [1, "a"]}}}), "expect.nodes.1.log_terms[1]: invalid type: string \"a\", expected a non-negative integer"),
        (serde_json::json!({"nodes": {"1": {"votes": [1]}}}), "expect.nodes.1.votes: unknown field (expected one of: role, term, log_terms, commit_index, alive, voters, learners, snapshot_index)"),
        (serde_json::json!({"violations": "safety"}), "expect.violations: unknown property \"safety\", expected one of election_safety,"),
        (serde_json::json!({"leader": 0}), "expect.leader: node 0 does not exist"),
        (serde_json::json!({"leaders": 1}), "expect.leaders: unknown field"),
    ] {
        let (code, out, err) = run_file(&with_expect("tests/expect/three-node-election.json", exp));
        assert_eq!(code, 2, "{err}");
        assert!(out.is_empty());
        assert!(err.contains(msg), "{msg} in {err}");
    }
}

#[test]
fn check_refuses_an_absurd_fault_window_and_stops_at_max_seconds_with_what_it_ran() {
    let (code, _, err) = ringraft(&["check", "--fault-ms", "99999999"]);
    assert_eq!(code, 2);
    assert!(err.contains("at most 600000"), "{err}");
    // A million seeds would take hours: --max-seconds stops it, says so, and counts what ran.
    let (code, out, err) = ringraft(&["check", "--seeds", "1000000", "--max-seconds", "3"]);
    assert_eq!(code, 3, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("a JSON summary");
    assert_eq!(v["stopped"]["reason"], "time");
    assert_eq!(v["stopped"]["seeds_asked"], 1_000_000);
    let ran = v["seeds"].as_u64().unwrap();
    assert!(ran > 0 && ran < 1_000_000, "{ran} seeds ran");
    // Progress lines on stderr while it ran.
    let progress: Vec<serde_json::Value> =
        err.lines().filter(|l| l.starts_with("{\"progress\"")).map(|l| serde_json::from_str(l).expect("JSON")).collect();
    assert!(!progress.is_empty(), "{err}");
    assert!(progress[0]["progress"]["seeds_done"].as_u64().unwrap() > 0);
}
