//! `ringraft explore`: the exhaustive explorer (`crate::explore`) from the
//! command line: JSON lines of progress, a summary, and on a violation the
//! shortest schedule (breadth-first) as a scenario file `run` replays.

use std::time::Instant;

use serde_json::json;

use super::heap::live_bytes;
use super::raft::{bug_names, parse_bug, read_scenario_text};
use crate::explore::{explore, Bounds, Model, Order, Progress, Stop};
use crate::i18n::{explain, Lang};
use crate::sim::Scenario;

pub const EXPLORE_ARGS: &str = "explore [SCENARIO.json] --depth D [--crashes K] [--drops K] [--duplicates K] [--requests K] [--changes K] [--symmetry] [--bug NAME] [--bfs|--dfs] [--out CEX.json] [--max-mb MB] [--bench]";

/// `explore`'s default memory bound (MB of heap, measured).
pub const EXPLORE_MAX_MB: u64 = 4096;

fn help() -> String {
    format!(
        "usage: ringraft {EXPLORE_ARGS}
Explores every schedule of at most D events from the scenario's start (its
servers, initial logs and raft options; after its `schedule`, if it has one;
default: 3 fresh servers). Enabled events: deliver any message in flight,
fire any armed timer of a running server, and within the bounds: drop or
duplicate a message, crash a server (a crashed one may restart), a client
request to a leader, a configuration change a leader starts (add a server
not in its configuration — the next new id, started empty, or one of the
scenario's — or remove one). Election Safety, Leader Append-Only, Log Matching,
Leader Completeness and State Machine Safety are checked in every state.
Prints JSON lines: progress about every second and after each level, then
a summary (\"done\": true).
  --depth D        most events in a schedule (default 10)
  --crashes K      most crashes (default 1); --drops, --duplicates: messages
                   lost or delivered twice (default 0); --requests: client
                   requests (default 1); --changes: configuration changes
                   (default 0; §4.1, one server at a time)
  --symmetry       count states that differ only in the servers' names once
  --bug NAME       a deliberately broken Raft: {}
  --bfs | --dfs    breadth-first (default: the shortest counterexample) or
                   depth-first (memory for one path only)
  --out FILE       on a violation, write its schedule as a scenario that
                   `ringraft run FILE` replays to the same violation
  --max-mb MB      stop when the heap passes MB (default {EXPLORE_MAX_MB})
  --bench          no progress lines; the summary's rates are the benchmark
Exit status: 0 no violation, 1 a violation, 2 bad arguments or a scenario
the model cannot take, 3 stopped at the memory bound.",
        bug_names()
    )
}

fn usage_error(msg: &str) -> i32 {
    eprintln!("error: {msg}");
    2
}

/// `ringraft explore …`.
pub fn explore_main(args: &[String]) -> i32 {
    let mut path = None;
    let mut depth = 10u32;
    let mut bounds = Bounds { crashes: 1, drops: 0, duplicates: 0, requests: 1, changes: 0 };
    let mut symmetry = false;
    let mut bug = None;
    let mut order = Order::Bfs;
    let mut out_path = None;
    let mut max_mb = EXPLORE_MAX_MB;
    let mut bench = false;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        let value = args.get(i + 1);
        let count = |name: &str| -> Result<u64, i32> {
            value.and_then(|v| v.replace('_', "").parse().ok()).ok_or_else(|| usage_error(&format!("{name} needs a number")))
        };
        let small = |name: &str| -> Result<u8, i32> {
            count(name).and_then(|v| u8::try_from(v).map_err(|_| usage_error(&format!("{name}: at most 255"))))
        };
        let r: Result<bool, i32> = match a {
            "-h" | "--help" => {
                out!("{}", help());
                return 0;
            }
            "--depth" => count(a).map(|v| depth = v.min(255) as u32).map(|_| true),
            "--crashes" => small(a).map(|v| bounds.crashes = v).map(|_| true),
            "--drops" => small(a).map(|v| bounds.drops = v).map(|_| true),
            "--duplicates" => small(a).map(|v| bounds.duplicates = v).map(|_| true),
            "--requests" => small(a).map(|v| bounds.requests = v).map(|_| true),
            "--changes" => small(a).map(|v| bounds.changes = v).map(|_| true),
            "--max-mb" => count(a).map(|v| max_mb = v.max(1)).map(|_| true),
            "--bug" => match value.filter(|n| parse_bug(n).is_some()) {
                Some(n) => {
                    bug = Some(n.clone());
                    Ok(true)
                }
                None => Err(usage_error(&format!("--bug takes one of: {} (or none)", bug_names()))),
            },
            "--out" => match value {
                Some(v) => {
                    out_path = Some(v.clone());
                    Ok(true)
                }
                None => Err(usage_error("--out needs a file name")),
            },
            "--symmetry" => {
                symmetry = true;
                Ok(false)
            }
            "--bfs" => {
                order = Order::Bfs;
                Ok(false)
            }
            "--dfs" => {
                order = Order::Dfs;
                Ok(false)
            }
            "--bench" => {
                bench = true;
                Ok(false)
            }
            s if s.starts_with("--") => Err(usage_error(&format!("unknown option {s}"))),
            s => {
                path = Some(s.to_string());
                Ok(false)
            }
        };
        match r {
            Ok(took_value) => i += 1 + took_value as usize,
            Err(code) => return code,
        }
    }
    let mut scenario = match &path {
        None => Scenario { name: "three servers".to_string(), nodes: 3, ..Scenario::default() },
        Some(p) => match read_scenario_text(p).map(|t| Scenario::from_json(&t).map_err(|e| e.to_string())) {
            Ok(Ok(s)) => s,
            Ok(Err(e)) | Err(e) => {
                eprintln!("error: invalid scenario {p}: {e}");
                return 2;
            }
        },
    };
    // The flag on top of what the scenario has.
    if let Some(f) = super::raft::BUG_FLAGS.iter().find(|f| bug.as_deref() == Some(f.name)) {
        *(f.flag)(&mut scenario.raft.bugs) = true;
    }
    let (model, init) = match Model::from_scenario(&scenario, bounds, symmetry) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("error: the explorer cannot take this scenario: {}", serde_json::to_string(&e).unwrap_or_default());
            return 2;
        }
    };
    let t0 = Instant::now();
    let cpu0 = cpu_seconds();
    let heap0 = live_bytes().unwrap_or(0);
    let max_bytes = max_mb.saturating_mul(1 << 20);
    let mut peak = 0u64;
    let mut last_print = 0.0f64;
    let mut over = false;
    let line = |p: &Progress, secs: f64, heap: u64| {
        let unique_per_s = if secs > 0.0 { p.unique as f64 / secs } else { 0.0 };
        json!({
            "depth": p.depth,
            "states": p.states,
            "unique": p.unique,
            "states_per_s": (p.states as f64 / secs.max(1e-9)).round(),
            "unique_per_s": unique_per_s.round(),
            "frontier": p.frontier,
            "memory_bytes": heap,
            "visited_bytes": p.visited_bytes,
            "bytes_per_state": (heap as f64 / p.unique.max(1) as f64).round(),
            "seconds": (secs * 1000.0).round() / 1000.0,
        })
    };
    let mut on_progress = |p: &Progress| {
        let heap = live_bytes().map_or(p.visited_bytes, |b| b.saturating_sub(heap0) as u64);
        peak = peak.max(heap);
        let secs = t0.elapsed().as_secs_f64();
        if !bench && (p.level_done || secs - last_print >= 1.0) {
            last_print = secs;
            let mut l = line(p, secs, heap);
            if p.level_done {
                l["level_done"] = json!(true);
            }
            out!("{l}");
        }
        if heap > max_bytes {
            over = true;
            return false;
        }
        true
    };
    let report = explore(&model, &init, depth, order, &mut on_progress);
    let secs = t0.elapsed().as_secs_f64();
    let heap = live_bytes().map_or(report.progress.visited_bytes, |b| b.saturating_sub(heap0) as u64);
    peak = peak.max(heap);
    // The search has freed what it held by now: the summary gives the peak.
    let mut summary = line(&report.progress, secs, peak);
    summary["done"] = json!(true);
    if let (Some(a), Some(b)) = (cpu0, cpu_seconds()) {
        let cpu = b - a;
        summary["cpu_seconds"] = json!((cpu * 1000.0).round() / 1000.0);
        summary["unique_per_cpu_s"] = json!((report.progress.unique as f64 / cpu.max(1e-9)).round());
    }
    summary["scenario"] = json!(scenario.name);
    summary["nodes"] = json!(scenario.nodes);
    summary["order"] = json!(order);
    summary["max_depth"] = json!(depth);
    summary["bounds"] = json!(bounds);
    summary["symmetry"] = json!(symmetry);
    summary["bug"] = json!(bug);
    summary["peak_memory_bytes"] = json!(peak);
    summary["peak_bytes_per_state"] = json!((peak as f64 / report.progress.unique.max(1) as f64).round());
    summary["stop"] = json!(if over { "memory" } else { stop_name(report.stop) });
    if over {
        eprintln!("stopped: the explorer's heap passed {max_mb} MB at depth {}; raise --max-mb to go further", report.progress.depth);
    }
    if let Some(cex) = &report.counterexample {
        summary["violation"] = json!({
            "property": cex.found.property,
            "nodes": cex.found.nodes,
            "breach": cex.found.breach,
            "text": explain::breach(Lang::En, &cex.found.breach),
            "depth": cex.schedule.len(),
            "unique_before": cex.unique_before,
        });
        summary["schedule"] = json!(cex.schedule);
        if let Some(p) = &out_path {
            let mut sc = scenario.clone();
            sc.name = format!("{} — counterexample: {}", scenario.name, cex.found.property.name());
            sc.description = format!(
                "Found by `ringraft explore` ({} events, {} distinct states explored first): {}",
                cex.schedule.len(),
                cex.unique_before,
                explain::breach(Lang::En, &cex.found.breach)
            );
            sc.until.clear();
            sc.schedule.extend(cex.schedule.iter().cloned());
            if let Err(e) = std::fs::write(p, sc.to_json_pretty() + "\n") {
                eprintln!("error: cannot write {p}: {e}");
                return 2;
            }
            summary["out"] = json!(p);
        }
    }
    out!("{summary}");
    if report.counterexample.is_some() {
        1
    } else if over {
        3
    } else {
        0
    }
}

/// CPU time this thread has run, from Linux's /proc/thread-self/schedstat
/// (ns): on a shared machine the rate per CPU second is the one that means
/// "on one core". None elsewhere.
fn cpu_seconds() -> Option<f64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = text.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}

fn stop_name(s: Stop) -> &'static str {
    match s {
        Stop::Exhausted => "exhausted",
        Stop::Depth => "depth",
        Stop::Violation => "violation",
        Stop::Cancelled => "cancelled",
    }
}
