//! `ringraft run | check | bench`: the simulator from the command line.
//! Arguments are parsed by hand (no CLI dependency).

use crate::i18n::{explain, Lang};
use std::time::Instant;

use serde_json::{json, Value};

use crate::raft::Bugs;
use crate::sim::{fuzz, presets, ClientLoad, HistorySettings, Property, Scenario, Sim, World, MS};

fn usage_error(msg: &str) -> i32 {
    eprintln!("error: {msg}");
    2
}

/// The final state of every node, as `run` prints it.
fn nodes_json(w: &World) -> Value {
    let nodes: Vec<Value> = w
        .nodes
        .iter()
        .map(|s| {
            let n = &s.node;
            json!({
                "id": n.id(),
                "alive": s.alive,
                "role": n.role(),
                "term": n.current_term(),
                "votedFor": n.voted_for(),
                "log": n.log().iter().map(|e| e.term).collect::<Vec<_>>(),
                "snapshotIndex": n.log_offset(),
                "voters": n.membership().voters,
                "learners": n.membership().learners,
                "commitIndex": n.commit_index(),
                "lastApplied": n.last_applied(),
                "kv": n.kv(),
            })
        })
        .collect();
    Value::Array(nodes)
}

/// Each command's arguments: its `--help` and `ringraft help` print the same line.
pub const RUN_ARGS: &str = "run SCENARIO.json [--trace] [--max-mb MB]";
pub const CHECK_ARGS: &str = "check [--seeds N] [--start S] [--fault-ms MS] [--bug NAME] [--dump SEED] [--max-seconds S]";
pub const BENCH_ARGS: &str = "bench [--minutes M] [--latency-min MS] [--latency-max MS] [--load-ms MS]";
pub const LIVENESS_ARGS: &str = "liveness [--seeds N]";

/// `run`'s exit status when the scenario's `expect` block does not hold.
pub const EXIT_EXPECT_FAILED: i32 = 4;

/// `ringraft run SCENARIO.json [--trace]`. A preset name (e.g. `figure-8`)
/// works in place of a path.
pub fn run_main(args: &[String]) -> i32 {
    let mut path = None;
    let mut trace = false;
    let mut max_mb = RUN_MAX_MB;
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        match a.as_str() {
            "-h" | "--help" => {
                out!("usage: ringraft {RUN_ARGS}
Runs a scenario file (or a bundled one by name, e.g. figure-8) until its
`until` conditions hold (or 10 s of virtual time) and prints the final state,
the safety checker's violations and the trace hash as JSON. A scenario's
`expect` block (leader, violations, per-node role / term / log_terms /
commit_index / alive) is checked at the end: the JSON's \"expect\" holds
what did not match, stderr names each field.
  --trace   JSON lines only: every event as one line (typed data plus an
            English \"text\"), then the final state as the last line
  --max-mb  stop when the run's state passes this many MB (default {RUN_MAX_MB}):
            a dense scenario over a long virtual time grows without bound
Exit status: 0 fine, 1 a safety violation (unless `expect.violations` says
which must happen), 2 an unreadable or invalid scenario, 3 stopped at the
memory bound (the JSON holds the state reached, \"stopped\"), {EXIT_EXPECT_FAILED} an
expectation failed.");
                return 0;
            }
            "--trace" => trace = true,
            "--max-mb" => match num(args, i, "--max-mb") {
                Ok(v) => {
                    max_mb = v.max(1);
                    i += 1;
                }
                Err(code) => return code,
            },
            s if s.starts_with("--") => return usage_error(&format!("unknown option {s}")),
            s => path = Some(s.to_string()),
        }
    }
    let Some(path) = path else { return usage_error(&format!("usage: ringraft {RUN_ARGS}")) };
    let text = match read_scenario_text(&path) {
        Ok(t) => t,
        Err(e) => return usage_error(&e),
    };
    #[cfg(feature = "expect")]
    let read = crate::sim::expect::read_scenario(&text);
    #[cfg(not(feature = "expect"))]
    let read = Scenario::from_json(&text).map(|s| (s, ()));
    let (scenario, expect) = match read {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: invalid scenario {path}: {e}");
            return 2;
        }
    };
    #[cfg(feature = "schedule")]
    if !scenario.schedule.is_empty() {
        return run_schedule(&path, &scenario, &expect, trace);
    }
    let mut sim = match Sim::with_settings(scenario, HistorySettings { max_checkpoints: 0, ..Default::default() }) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: invalid scenario {path}: {e}");
            return 2;
        }
    };
    let max_bytes = usize::try_from(max_mb.saturating_mul(1 << 20)).unwrap_or(usize::MAX);
    let ended = sim.run_scenario_bounded(10_000, max_bytes, |e| {
        if trace {
            trace_line(e);
        }
    });
    let met = ended.unwrap_or(false);
    let w = sim.world();
    if let Err(bytes) = ended {
        eprintln!(
            "stopped: the run's state passed {max_mb} MB ({} MB) at event {} ({} s of virtual time); raise --max-mb to go further",
            bytes >> 20,
            w.event_count(),
            w.now() / 1_000_000
        );
    }
    let mut out = final_json(&sim.scenario().name, w, met, sim.trace_hash());
    if let Err(bytes) = ended {
        out["stopped"] = json!({"reason": "memory", "mb": bytes >> 20, "limit_mb": max_mb});
    }
    finish_run(&expect, w, out, trace, ended.is_err())
}

/// A scenario file's text, or a bundled scenario's by name (e.g. `figure-8`).
pub(crate) fn read_scenario_text(path: &str) -> Result<String, String> {
    match std::fs::read_to_string(path) {
        Ok(t) => Ok(t),
        Err(e) => presets::get(path).map(str::to_string).ok_or_else(|| format!("cannot read {path}: {e}")),
    }
}

/// One `--trace` line: the typed event, plus its English wording for people reading the trace.
fn trace_line(e: &crate::sim::Event) {
    let mut v = serde_json::to_value(e).unwrap_or_default();
    v["text"] = serde_json::Value::String(explain::event_line(Lang::En, e));
    out!("{}", serde_json::to_string(&v).unwrap_or_default());
}

/// `run`'s JSON: the end of the run.
fn final_json(name: &str, w: &World, until_met: bool, trace_hash: u64) -> Value {
    json!({
        "scenario": name,
        "time_ms": w.now() as f64 / MS as f64,
        "events": w.event_count(),
        "until_met": until_met,
        "nodes": nodes_json(w),
        "violations": violations_json(w.violations()),
        "violation_count": w.violation_count(),
        "trace_hash": format!("{:016x}", trace_hash),
    })
}

/// Checks the `expect` block, prints the JSON, and says `run`'s exit status.
#[cfg(feature = "expect")]
type Expected = Option<crate::sim::expect::Expect>;
#[cfg(not(feature = "expect"))]
type Expected = ();

fn finish_run(expect: &Expected, w: &World, mut out: Value, trace: bool, stopped: bool) -> i32 {
    let (failed, violations_judged) = expect_report(expect, w, &mut out);
    // With --trace every line is one JSON value, the final state the last.
    let text = if trace { serde_json::to_string(&out) } else { serde_json::to_string_pretty(&out) };
    out!("{}", text.unwrap_or_default());
    if w.violation_count() > 0 && !violations_judged {
        1
    } else if failed {
        EXIT_EXPECT_FAILED
    } else if stopped {
        3
    } else {
        0
    }
}

/// `run` on a scenario with a schedule: its steps, in order, through the
/// world's schedule mode (`sim::schedule`); a step that is not enabled is
/// an invalid scenario (exit 2), named with its position and why.
#[cfg(feature = "schedule")]
fn run_schedule(path: &str, scenario: &Scenario, expect: &Expected, trace: bool) -> i32 {
    let mut w = World::new(scenario);
    for (i, step) in scenario.schedule.iter().enumerate() {
        if let Err(e) = w.take(step) {
            eprintln!("error: invalid scenario {path}: schedule[{i}]: step not enabled: {}", serde_json::to_string(&e).unwrap_or_default());
            return 2;
        }
        if trace {
            if let Some(e) = w.recent_event() {
                trace_line(e);
            }
        }
    }
    let mut out = final_json(&scenario.name, &w, true, w.trace_hash);
    out["schedule_steps"] = json!(scenario.schedule.len());
    finish_run(expect, &w, out, trace, false)
}

/// Checks the scenario's `expect` block against the end of the run: adds
/// `"expect": {"met", "mismatches"}` to `run`'s JSON and names each failed
/// field on stderr. Returns (some expectation failed, the block judges the
/// violations so they are no failure of their own).
#[cfg(feature = "expect")]
fn expect_report(expect: &Option<crate::sim::expect::Expect>, w: &World, out: &mut Value) -> (bool, bool) {
    let Some(e) = expect else { return (false, false) };
    let mismatches = e.check(w);
    for m in &mismatches {
        eprintln!("expect failed: {}: expected {}, found {}", m.field.path(), m.expected, m.found);
    }
    out["expect"] = json!({ "met": mismatches.is_empty(), "mismatches": mismatches });
    (!mismatches.is_empty(), e.judges_violations())
}

/// Without the `expect` feature the block is skipped unread.
#[cfg(not(feature = "expect"))]
fn expect_report(_: &(), _: &World, _: &mut Value) -> (bool, bool) {
    (false, false)
}

/// `run`'s default memory bound (MB of estimated live state).
pub const RUN_MAX_MB: u64 = 1024;

/// One deliberately broken rule `--bug` can switch on.
pub struct BugFlag {
    /// Its name on the command line and in scenario files (`raft.bugs`).
    pub name: &'static str,
    /// What it breaks, for `check --help`.
    pub what: &'static str,
    /// Its switch in `Bugs`.
    pub flag: fn(&mut Bugs) -> &mut bool,
}

/// Every bug flag `--bug` takes: the one list parsing, `ringraft help`,
/// `check --help` and the error message read. (Kept here rather than in
/// `raft::types` so the page's modules carry none of it.)
pub const BUG_FLAGS: [BugFlag; 10] = [
    BugFlag { name: "commit_old_terms", what: "commit an entry of an older term by counting replicas (Figure 8, §5.4.2)", flag: |b| &mut b.commit_old_terms },
    BugFlag { name: "forget_vote_on_crash", what: "votedFor is not persisted: two votes in one term after a restart (§5.2)", flag: |b| &mut b.forget_vote_on_crash },
    BugFlag { name: "skip_consistency_check", what: "followers accept AppendEntries without the prevLogIndex/prevLogTerm check (§5.3)", flag: |b| &mut b.skip_consistency_check },
    BugFlag { name: "skip_up_to_date_check", what: "votes granted without the log up-to-date check (§5.4.1)", flag: |b| &mut b.skip_up_to_date_check },
    BugFlag { name: "lease_ignores_drift", what: "lease reads take the whole election timeout, no margin for clock drift (§6.4.1)", flag: |b| &mut b.lease_ignores_drift },
    BugFlag { name: "read_without_quorum_check", what: "ReadIndex answers without a heartbeat round: a deposed leader reads stale state (§6.4)", flag: |b| &mut b.read_without_quorum_check },
    BugFlag { name: "no_dedup", what: "the state machine ignores client sessions: a retried command applies twice (§6.3)", flag: |b| &mut b.no_dedup },
    BugFlag { name: "unsafe_single_server_change", what: "a leader changes the configuration before an entry of its term commits (the 2015 bug, §4.1)", flag: |b| &mut b.unsafe_single_server_change },
    BugFlag { name: "snapshot_drops_config", what: "snapshots leave the configuration out: a server loading one falls back on its first (§7)", flag: |b| &mut b.snapshot_drops_config },
    BugFlag { name: "reply_before_persist", what: "acknowledge before writing: a crash loses the last appended entries and the vote (Figure 2)", flag: |b| &mut b.reply_before_persist },
];

/// The bug flags' names, comma-separated (help and errors).
pub fn bug_names() -> String {
    BUG_FLAGS.iter().map(|b| b.name).collect::<Vec<_>>().join(", ")
}

/// `--bug NAME`: that one flag on; `none`: correct Raft.
pub(crate) fn parse_bug(name: &str) -> Option<Bugs> {
    let mut b = Bugs::default();
    if name != "none" {
        *(BUG_FLAGS.iter().find(|f| f.name == name)?.flag)(&mut b) = true;
    }
    Some(b)
}

/// `ringraft check --help`.
pub fn check_help() -> String {
    let bugs: Vec<String> = BUG_FLAGS.iter().map(|b| format!("    {:<26} {}", b.name, b.what)).collect();
    format!(
        "usage: ringraft {CHECK_ARGS}
Random-fault runs under the safety checker: crashes, restarts, partitions, cut
links, loss, duplication, reordering, forced timeouts, client requests to any
server, leadership transfers, PreVote and CheckQuorum on and off (switched
mid-run too), 1 to 9 servers; then everything heals and a leader must follow.
Prints one line per failing seed on stderr, and a JSON summary on stdout;
per property it counts runs_with_violation (seeds where it broke at least
once) and violations (how many times in all: a run can break it many times).
  --seeds N      how many seeds (default 1000)
  --start S      first seed (default 0)
  --fault-ms MS  how long faults are injected (default {} ms)
  --bug NAME     run a deliberately broken Raft (exit 1 when the checker catches it):
{}
  --dump SEED    print seed SEED's scenario (JSON for `ringraft run` or the page) and exit
  --max-seconds S  stop after S seconds of wall time (the summary says how many seeds ran)
Bounds: each run stops at {} events; --fault-ms at most {MAX_FAULT_MS}. While it runs, a
progress line goes to stderr every {PROGRESS_SECS} s.
Exit status: 0 no violation, 1 a violation, 2 bad arguments, 3 stopped at --max-seconds.",
        fuzz::DEFAULT_FAULT_MS,
        bugs.join("\n"),
        fuzz::MAX_EVENTS
    )
}

/// The longest fault window `check` accepts (10 virtual minutes): each run
/// is bounded by `fuzz::MAX_EVENTS` too, so this only refuses the absurd.
pub const MAX_FAULT_MS: u64 = 600_000;
/// Seconds between `check`'s progress lines.
const PROGRESS_SECS: u64 = 2;

fn num(args: &[String], i: usize, name: &str) -> Result<u64, i32> {
    args.get(i)
        .and_then(|s| s.replace('_', "").parse().ok())
        .ok_or_else(|| usage_error(&format!("{name} needs a number")))
}

/// `ringraft check [--seeds N] [--start S] [--bug NAME] [--fault-ms MS] [--dump SEED]`.
pub fn check_main(args: &[String]) -> i32 {
    let mut seeds = 1000u64;
    let mut start = 0u64;
    let mut bugs = Bugs::default();
    let mut bug_name = "none".to_string();
    let mut fault_ms = None;
    let mut dump = None;
    let mut max_seconds = None;
    let mut i = 0;
    while i < args.len() {
        let r = match args[i].as_str() {
            "-h" | "--help" => {
                out!("{}", check_help());
                return 0;
            }
            "--seeds" => num(args, i + 1, "--seeds").map(|v| seeds = v),
            "--start" => num(args, i + 1, "--start").map(|v| start = v),
            "--fault-ms" => num(args, i + 1, "--fault-ms").map(|v| fault_ms = Some(v.max(1))),
            "--dump" => num(args, i + 1, "--dump").map(|v| dump = Some(v)),
            "--max-seconds" => num(args, i + 1, "--max-seconds").map(|v| max_seconds = Some(v)),
            "--bug" => match args.get(i + 1).and_then(|n| parse_bug(n).map(|b| (n, b))) {
                Some((n, b)) => {
                    bug_name = n.clone();
                    bugs = b;
                    Ok(())
                }
                None => Err(usage_error(&format!("--bug takes one of: {} (or none)", bug_names()))),
            },
            other => Err(usage_error(&format!("unknown option {other}"))),
        };
        if let Err(code) = r {
            return code;
        }
        i += 2;
    }
    let fault_ms = fault_ms.unwrap_or_else(|| fuzz::default_fault_ms(bugs));
    if fault_ms > MAX_FAULT_MS {
        return usage_error(&format!("--fault-ms is {fault_ms}; at most {MAX_FAULT_MS} (10 virtual minutes)"));
    }
    if let Some(seed) = dump {
        out!("{}", fuzz::scenario(seed, bugs, fault_ms).to_json_pretty());
        return 0;
    }
    let t0 = Instant::now();
    let mut events = 0u64;
    let mut sim_us = 0u64;
    let mut violating = 0u64;
    let mut first_violation = None;
    // Per property: runs that broke it, and violations in all (a run can break one many times).
    let mut runs_by_property = [0u64; Property::ALL.len()];
    let mut violations_by_property = [0u64; Property::ALL.len()];
    let mut liveness_failures = 0u64;
    let mut over_budget = 0u64;
    let mut printed = 0;
    let mut done = 0u64;
    let mut next_progress = PROGRESS_SECS;
    let mut stopped = false;
    for seed in start..start.saturating_add(seeds) {
        let elapsed = t0.elapsed().as_secs();
        if max_seconds.is_some_and(|m| elapsed >= m) {
            stopped = true;
            break;
        }
        if elapsed >= next_progress {
            next_progress = elapsed + PROGRESS_SECS;
            let rate = done as f64 / t0.elapsed().as_secs_f64().max(1e-9);
            eprintln!("{}", json!({"progress": {"seeds_done": done, "seeds": seeds, "runs_with_violations": violating, "runs_per_sec": rate.round()}}));
        }
        done += 1;
        let o = fuzz::run(seed, bugs, fault_ms);
        events += o.events;
        sim_us += o.sim_time;
        if o.violation_count > 0 {
            violating += 1;
            first_violation.get_or_insert(seed);
            let mut seen = [false; Property::ALL.len()];
            for v in &o.violations {
                if let Some(k) = Property::ALL.iter().position(|p| *p == v.property) {
                    violations_by_property[k] += 1;
                    seen[k] = true;
                }
            }
            for (k, s) in seen.iter().enumerate() {
                runs_by_property[k] += *s as u64;
            }
            if printed < 10 {
                printed += 1;
                if let Some(v) = o.violations.first() {
                    eprintln!(
                        "seed {seed} ({} nodes): {} at event {} ({:.1} ms): {}   [replay: ringraft check --dump {seed}{} > s.json && ringraft run s.json]",
                        o.nodes,
                        v.property.name(),
                        v.event,
                        v.time as f64 / 1000.0,
                        explain::breach(Lang::En, &v.breach),
                        if bug_name == "none" { String::new() } else { format!(" --bug {bug_name}") }
                    );
                }
            }
        } else if o.over_budget {
            over_budget += 1;
            if printed < 10 {
                printed += 1;
                eprintln!("seed {seed} ({} nodes): over the {} event budget (message storm)", o.nodes, fuzz::MAX_EVENTS);
            }
        } else if !o.live {
            liveness_failures += 1;
            if printed < 10 {
                printed += 1;
                eprintln!("seed {seed} ({} nodes): liveness: no leader within {} election timeouts of healing", o.nodes, fuzz::LIVENESS_TIMEOUTS);
            }
        }
    }
    let secs = t0.elapsed().as_secs_f64().max(1e-9);
    let props: Vec<Value> = Property::ALL
        .iter()
        .enumerate()
        .filter(|(k, _)| runs_by_property[*k] > 0)
        .map(|(k, p)| {
            json!({
                "property": p.name(),
                "runs_with_violation": runs_by_property[k],
                "violations": violations_by_property[k],
            })
        })
        .collect();
    let mut summary = json!({
        "bug": bug_name,
        "seeds": done,
        "start": start,
        "fault_ms": fault_ms,
        "runs_with_violations": violating,
        "violations_by_property": props,
        "first_violating_seed": first_violation,
        "seeds_per_detection": if violating > 0 { Some(done as f64 / violating as f64) } else { None },
        "liveness_failures": liveness_failures,
        "runs_over_event_budget": over_budget,
        "events": events,
        "simulated_seconds": sim_us as f64 / 1e6,
        "wall_seconds": secs,
        "runs_per_sec": done as f64 / secs,
        "events_per_sec": events as f64 / secs,
    });
    if stopped {
        summary["stopped"] = json!({"reason": "time", "max_seconds": max_seconds, "seeds_asked": seeds});
    }
    out!("{}", serde_json::to_string_pretty(&summary).unwrap_or_default());
    if violating > 0 {
        1
    } else if stopped {
        3
    } else {
        0
    }
}

pub fn steady_scenario(nodes: u8, latency: (u64, u64), load_ms: u64) -> Scenario {
    Scenario {
        network: crate::sim::NetworkSettings {
            latency_min_ms: latency.0,
            latency_max_ms: latency.1,
            ..Default::default()
        },
        name: format!("bench {nodes} nodes"),
        nodes,
        seed: 42,
        client_load: Some(ClientLoad::every(load_ms, 64)),
        ..Scenario::default()
    }
}

/// `ringraft bench [--minutes M] [--latency-min MS] [--latency-max MS] [--load-ms MS]`:
/// throughput without and with history, and the memory history takes for M
/// (default 10) simulated minutes. Latency defaults to the simulator's.
pub fn bench_main(args: &[String]) -> i32 {
    let mut minutes = 10u64;
    let net = crate::sim::NetworkSettings::default();
    let mut latency = (net.latency_min_ms, net.latency_max_ms);
    // One client request per 10 ms of virtual time unless told otherwise.
    let mut load_ms = 10u64;
    let mut i = 0;
    while i < args.len() {
        let r = match args[i].as_str() {
            "-h" | "--help" => {
                out!("usage: ringraft {BENCH_ARGS}
Simulator throughput (events per second, with and without the history the
page keeps for time travel) and that history's memory, measured on the heap.
  --minutes M       simulated minutes of the history run (default 10)
  --latency-min MS  network latency, lower bound (default {} ms)
  --latency-max MS  network latency, upper bound (default {} ms)
  --load-ms MS      one client request every MS of virtual time (default 10)", latency.0, latency.1);
                return 0;
            }
            "--minutes" => num(args, i + 1, "--minutes").map(|m| minutes = m.max(1)),
            "--latency-min" => num(args, i + 1, "--latency-min").map(|m| latency.0 = m),
            "--latency-max" => num(args, i + 1, "--latency-max").map(|m| latency.1 = m),
            "--load-ms" => num(args, i + 1, "--load-ms").map(|m| load_ms = m.max(1)),
            o => Err(usage_error(&format!("unknown option {o}"))),
        };
        if let Err(c) = r {
            return c;
        }
        i += 2;
    }
    latency.1 = latency.1.max(latency.0);
    let mut results = Vec::new();
    // Events per simulated second must not grow with time: requests every
    // 10 ms outpace the 20–40 ms round trips, which once started a new
    // AppendEntries chain per request (8k, 41k, 182k events for 1, 2, 4 s).
    for secs in [1u64, 2, 4] {
        let mut w = World::new(&steady_scenario(5, (10, 20), load_ms));
        let t0 = Instant::now();
        w.run_until(secs * 1_000_000);
        results.push(json!({
            "nodes": 5,
            "mode": "default latency 10-20 ms, model only",
            "simulated_seconds": secs,
            "events": w.event_count(),
            "events_per_simulated_second": w.event_count() as f64 / secs as f64,
            "wall_seconds": t0.elapsed().as_secs_f64(),
        }));
    }
    for nodes in [5u8, 9] {
        // Model alone: a World, no history.
        let sc = steady_scenario(nodes, latency, load_ms);
        let mut w = World::new(&sc);
        let sim_s = 60;
        let t0 = Instant::now();
        w.run_until(sim_s * 1_000_000);
        let secs = t0.elapsed().as_secs_f64();
        let ev = w.event_count();
        results.push(json!({
            "nodes": nodes,
            "mode": "model only (no history)",
            "latency_ms": [latency.0, latency.1],
            "simulated_seconds": sim_s,
            "events": ev,
            "events_per_sec": ev as f64 / secs,
            "simulated_seconds_per_wall_second": sim_s as f64 / secs,
            "committed": w.max_commit(),
            "violations": w.checker.violation_count(),
        }));
        // The page's path: a Sim keeping history for time travel.
        let sim_s = minutes * 60;
        let heap_before = super::heap::live_bytes();
        let mut sim = match Sim::new(steady_scenario(nodes, latency, load_ms)) {
            Ok(s) => s,
            Err(e) => return usage_error(&e.to_string()),
        };
        let t0 = Instant::now();
        sim.run_until(sim_s * 1_000_000);
        let secs = t0.elapsed().as_secs_f64();
        let ev = sim.event_count();
        // What the page pays for its memory guard (every 32 frames while
        // playing: `Controller::over_limit`).
        let t = Instant::now();
        let hs = sim.history_stats();
        let size_check_ms = t.elapsed().as_secs_f64() * 1e3;
        // Measured, not estimated: everything the Sim holds (live world,
        // checkpoints, action log, event buffers) after the run.
        let heap_mb = match (heap_before, super::heap::live_bytes()) {
            (Some(a), Some(b)) => json!(b.saturating_sub(a) as f64 / (1 << 20) as f64),
            _ => Value::Null,
        };
        // The same run without checkpoints: what history adds is the difference.
        let live_only_mb = {
            let before = super::heap::live_bytes();
            let settings = crate::sim::HistorySettings { checkpoint_every: u64::MAX, ..Default::default() };
            let Ok(mut bare) = Sim::with_settings(steady_scenario(nodes, latency, load_ms), settings) else { return 1 };
            bare.run_until(sim_s * 1_000_000);
            match (before, super::heap::live_bytes()) {
                (Some(a), Some(b)) => Some(b.saturating_sub(a) as f64 / (1 << 20) as f64),
                _ => None,
            }
        };
        let history_heap_mb = match (heap_mb.as_f64(), live_only_mb) {
            (Some(all), Some(live)) => json!(all - live),
            _ => Value::Null,
        };
        // Seeks to 60 positions spread over the run, in a shuffled order
        // (each from where the last one left): the worst is what a
        // scrubber drag can meet.
        let (mut seek_ms, mut replays) = (Vec::new(), 0u64);
        for k in 0..60u64 {
            let n = (k * 37 % 60) * ev / 60 + k * 11;
            replays = replays.max(sim.seek_replays(n));
            let t = Instant::now();
            sim.seek_event(n);
            seek_ms.push(t.elapsed().as_secs_f64() * 1e3);
        }
        // The first seek also pays the native allocator's one-time tidy-up
        // after the run (≈ 10–35 ms in glibc; a second clone of the same
        // checkpoint takes µs): reported apart.
        let first_seek_ms = seek_ms.remove(0);
        crate::order::sort_by(&mut seek_ms, |a, b| a.total_cmp(b));
        sim.seek_event(ev);
        // What one more checkpoint costs now, measured: a clone of the live
        // world shares its logs' and records' full chunks (`crate::chunked`).
        let checkpoint_kb = {
            let before = super::heap::live_bytes();
            let copy = sim.world().clone();
            let after = super::heap::live_bytes();
            drop(copy);
            match (before, after) {
                (Some(a), Some(b)) => json!(b.saturating_sub(a) as f64 / 1024.0),
                _ => Value::Null,
            }
        };
        let t1 = Instant::now();
        sim.step_back();
        let step_back_ms = t1.elapsed().as_secs_f64() * 1e3;
        let t2 = Instant::now();
        sim.seek_event(ev / 2);
        let seek_half_ms = t2.elapsed().as_secs_f64() * 1e3;
        let t3 = Instant::now();
        sim.seek_event(0);
        sim.seek_event(1000);
        let seek_start_ms = t3.elapsed().as_secs_f64() * 1e3;
        let t4 = Instant::now();
        let snap = sim.snapshot();
        let snapshot_ms = t4.elapsed().as_secs_f64() * 1e3;
        let log_len = snap.nodes.iter().map(|n| n.log.len()).max().unwrap_or(0);
        results.push(json!({
            "nodes": nodes,
            "mode": "with history (the page's path)",
            "client_request_every_ms": load_ms,
            "simulated_seconds": sim_s,
            "events": ev,
            "events_per_sec": ev as f64 / secs,
            "simulated_seconds_per_wall_second": sim_s as f64 / secs,
            "log_entries_per_node": log_len,
            "history_bytes": sim.history_bytes(),
            "history_mb": sim.history_bytes() as f64 / (1 << 20) as f64,
            "checkpoints": hs.checkpoints,
            "checkpoint_bytes": hs.checkpoint_bytes,
            "action_log_bytes": hs.action_bytes,
            "live_world_mb": hs.current_world_bytes as f64 / (1 << 20) as f64,
            "size_check_ms": size_check_ms,
            "measured_heap_mb": heap_mb,
            "history_heap_mb": history_heap_mb,
            "first_seek_ms": first_seek_ms,
            "seek_ms_median": seek_ms[seek_ms.len() / 2],
            "seek_ms_worst": seek_ms[seek_ms.len() - 1],
            "seek_most_events_replayed": replays,
            "checkpoint_kb_at_end": checkpoint_kb,
            "checkpoint_kb_estimated": sim.world().bytes(false) as f64 / 1024.0,
            "step_back_ms": step_back_ms,
            "seek_to_middle_ms": seek_half_ms,
            "seek_to_start_ms": seek_start_ms,
            "snapshot_ms_at_event_1000": snapshot_ms,
        }));
    }
    out!("{}", serde_json::to_string_pretty(&Value::Array(results)).unwrap_or_default());
    0
}

/// Violations as typed data, each with its English wording.
fn violations_json(vs: &[crate::sim::Violation]) -> serde_json::Value {
    let list = vs
        .iter()
        .map(|v| {
            let mut j = serde_json::to_value(v).unwrap_or_default();
            j["text"] = serde_json::Value::String(explain::breach(Lang::En, &v.breach));
            j
        })
        .collect();
    serde_json::Value::Array(list)
}

/// `ringraft liveness [--seeds N]`: the extended protocol's liveness
/// figures (see `sim::liveness`), as JSON.
pub fn liveness_main(args: &[String]) -> i32 {
    use crate::sim::liveness::*;
    let mut seeds = 200u64;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "-h" | "--help" => {
                out!("usage: ringraft {LIVENESS_ARGS}
The extended protocol's liveness figures, as JSON: how often a rejoining
follower deposes a healthy leader (without / with PreVote), how long a
leader cut off in a minority keeps accepting writes (without / with
CheckQuorum), how long a leadership transfer takes.
  --seeds N  runs per figure (default 200)");
                return 0;
            }
            "--seeds" => match num(args, i + 1, "--seeds") {
                Ok(v) => seeds = v.max(1),
                Err(code) => return code,
            },
            other => return usage_error(&format!("unknown option {other} (liveness takes --seeds N)")),
        }
        i += 2;
    }
    let t0 = std::time::Instant::now();
    let rate = |pre_vote: bool| {
        let runs: Vec<bool> = (0..seeds).filter_map(|s| rejoin_deposes(s, pre_vote)).collect();
        let deposed = runs.iter().filter(|d| **d).count();
        serde_json::json!({ "runs": runs.len(), "leader_deposed": deposed, "rate": deposed as f64 / runs.len().max(1) as f64 })
    };
    let minority = |check_quorum: bool| {
        let v: Vec<u64> = (0..seeds).filter_map(|s| minority_leader_us(s, check_quorum)).collect();
        let n = v.len();
        let (median, max) = median_max(v);
        serde_json::json!({ "runs": n, "median_ms": median as f64 / 1000.0, "max_ms": max as f64 / 1000.0, "cap_ms": CUT_MS })
    };
    let transfers: Vec<Option<u64>> = (0..seeds).filter_map(transfer_us).collect();
    let done: Vec<u64> = transfers.iter().flatten().copied().collect();
    let (t_median, t_max) = median_max(done.clone());
    let report = serde_json::json!({
        "seeds": seeds,
        "rejoining_follower_deposes_leader": { "without_pre_vote": rate(false), "with_pre_vote": rate(true) },
        "minority_leader_keeps_accepting_writes": { "without_check_quorum": minority(false), "with_check_quorum": minority(true) },
        "transfer_to_new_leader": {
            "runs": transfers.len(), "completed": done.len(),
            "median_ms": t_median as f64 / 1000.0, "max_ms": t_max as f64 / 1000.0,
        },
        "wall_seconds": t0.elapsed().as_secs_f64(),
    });
    out!("{}", serde_json::to_string_pretty(&report).unwrap_or_default());
    0
}
