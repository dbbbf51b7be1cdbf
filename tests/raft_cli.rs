//! The Raft side of the command-line runner: help lists every option and
//! bug flag, `run --trace` is JSON lines only, `check` counts what it says.

use std::process::Command;

fn ringraft(args: &[&str]) -> (i32, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_ringraft")).args(args).output().expect("runs");
    (o.status.code().unwrap_or(-1), String::from_utf8_lossy(&o.stdout).into(), String::from_utf8_lossy(&o.stderr).into())
}

#[test]
fn help_lists_every_command_option_and_bug_flag() {
    let (code, out, _) = ringraft(&["help"]);
    assert_eq!(code, 0);
    for cmd in ["run", "check", "bench", "liveness", "ring", "jump"] {
        assert!(out.contains(&format!("  {cmd} ")), "{cmd} in {out}");
    }
    let (code, out, _) = ringraft(&["check", "--help"]);
    assert_eq!(code, 0);
    for opt in ["--seeds", "--start", "--fault-ms", "--bug", "--dump"] {
        assert!(out.contains(opt), "{opt}");
    }
    for (bug, _) in ringraft::cli::raft::BUG_FLAGS {
        assert!(out.contains(bug), "{bug}");
    }
    let (code, _, err) = ringraft(&["check", "--bug", "nonsense"]);
    assert_eq!(code, 2);
    assert!(err.contains("commit_old_terms, forget_vote_on_crash"), "{err}");
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
        let (r, v) = (p["runs_violating"].as_u64().unwrap(), p["violations"].as_u64().unwrap());
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
