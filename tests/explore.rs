//! The exhaustive explorer (`ringraft::explore`) and schedules
//! (`sim::schedule`): correct Raft explored exhaustively breaks nothing;
//! every bug flag the model can reach is found, and its counterexample
//! replays through the simulator's schedule mode (what `ringraft run` does)
//! to a violation of the same property; the explorer's model and the
//! simulator agree event for event; schedules round-trip through the
//! scenario language; a bad step is a typed error, never a panic.

use ringraft::explore::{explore, Bounds, Event, Model, Order, Report, Stop};
use ringraft::raft::node::Relabel;
use ringraft::raft::{Bugs, NodeId};
use ringraft::sim::schedule::{MessageKind, MessageRef, ScheduleError, Step};
use ringraft::sim::{Property, Scenario, TimerKind, World};

fn three() -> Scenario {
    Scenario { nodes: 3, ..Scenario::default() }
}

fn file(name: &str) -> Scenario {
    let text = std::fs::read_to_string(format!("{}/tests/explore/{name}", env!("CARGO_MANIFEST_DIR"))).expect("scenario file");
    Scenario::from_json(&text).expect("valid scenario")
}

fn with_bug(mut sc: Scenario, set: impl Fn(&mut Bugs)) -> Scenario {
    set(&mut sc.raft.bugs);
    sc
}

fn bounds(crashes: u8, requests: u8) -> Bounds {
    Bounds { crashes, requests, ..Bounds::default() }
}

fn run(sc: &Scenario, b: Bounds, depth: u32, order: Order, symmetry: bool) -> Report {
    let (model, init) = Model::from_scenario(sc, b, symmetry).expect("explorable");
    explore(&model, &init, depth, order, &mut |_| true)
}

/// The counterexample, replayed by the simulator from the scenario's start
/// (a scenario file with the schedule, as `explore --out` writes it),
/// breaks the same property.
fn replays(sc: &Scenario, report: &Report) -> Property {
    let cex = report.counterexample.as_ref().expect("a counterexample");
    assert!(!cex.schedule.is_empty());
    // After the scenario's own schedule, if it has one.
    let mut file = sc.clone();
    file.schedule.extend(cex.schedule.iter().cloned());
    let parsed = Scenario::from_json(&file.to_json()).expect("the counterexample parses");
    assert_eq!(parsed.schedule[sc.schedule.len()..], cex.schedule[..]);
    let mut w = World::new(&parsed);
    w.take_all(&parsed.schedule).expect("every step is enabled");
    assert_eq!(w.event_count(), parsed.schedule.len() as u64, "one event per step");
    let seen: Vec<Property> = w.violations().iter().map(|v| v.property).collect();
    assert!(seen.contains(&cex.found.property), "the simulator's checker saw {seen:?}, the explorer {:?}", cex.found.property);
    // Not before the last step: the schedule is no longer than it needs to be.
    let mut w = World::new(&parsed);
    w.take_all(&parsed.schedule[..parsed.schedule.len() - 1]).expect("prefix");
    assert_eq!(w.violation_count(), 0, "violated before the last step");
    cex.found.property
}

#[test]
fn correct_raft_breaks_nothing_up_to_depth_6() {
    let r = run(&three(), bounds(1, 1), 6, Order::Bfs, false);
    assert_eq!(r.stop, Stop::Depth);
    assert!(r.counterexample.is_none());
    assert!(r.progress.unique > 1000, "{:?}", r.progress);
}

/// The distinct states at each depth, pinned: a faster search must see
/// exactly the same states (3 servers, a crash and a request; with and
/// without symmetry).
#[test]
fn unique_states_per_depth_are_pinned() {
    let levels = |symmetry: bool, depth: u32| {
        let (model, init) = Model::from_scenario(&three(), bounds(1, 1), symmetry).expect("explorable");
        let mut seen = Vec::new();
        explore(&model, &init, depth, Order::Bfs, &mut |p| {
            if p.level_done {
                seen.push((p.unique, p.states));
            }
            true
        });
        seen
    };
    assert_eq!(levels(false, 6), [(7, 6), (32, 42), (159, 246), (816, 1404), (4309, 8064), (23216, 46653)]);
    assert_eq!(levels(true, 6), [(3, 6), (10, 18), (37, 73), (160, 321), (774, 1571), (4004, 8361)]);
}

#[test]
fn correct_raft_from_figure_8_breaks_nothing() {
    let r = run(&file("figure-8-three.json"), bounds(0, 0), 7, Order::Bfs, false);
    assert!(r.counterexample.is_none(), "{:?}", r.counterexample);
}

#[test]
fn a_single_server_is_explored_to_the_end() {
    // Elected, one request committed, a crash and a restart: finitely many
    // states (heartbeat rounds are no part of the state while reads go
    // through the log), all seen well before the bound.
    let r = run(&Scenario { nodes: 1, ..Scenario::default() }, bounds(1, 1), 30, Order::Bfs, false);
    assert_eq!(r.stop, Stop::Exhausted, "{:?}", r.progress);
    assert!(r.progress.depth < 30);
}

#[test]
fn depth_first_sees_the_same_states_as_breadth_first() {
    let sc = three();
    let b = run(&sc, bounds(1, 1), 5, Order::Bfs, false);
    let d = run(&sc, bounds(1, 1), 5, Order::Dfs, false);
    assert!(b.counterexample.is_none() && d.counterexample.is_none());
    assert_eq!(b.progress.unique, d.progress.unique);
}

#[test]
fn symmetry_counts_renamed_states_once() {
    let sc = three();
    let plain = run(&sc, bounds(1, 0), 5, Order::Bfs, false);
    let sym = run(&sc, bounds(1, 0), 5, Order::Bfs, true);
    assert!(plain.counterexample.is_none() && sym.counterexample.is_none());
    // Three interchangeable servers: nearly every state has renamed twins.
    assert!(sym.progress.unique * 3 < plain.progress.unique, "{} vs {}", sym.progress.unique, plain.progress.unique);
}

#[test]
fn forget_vote_on_crash_is_found_and_replays() {
    let sc = with_bug(three(), |b| b.forget_vote_on_crash = true);
    let r = run(&sc, bounds(1, 0), 8, Order::Bfs, true);
    assert_eq!(replays(&sc, &r), Property::ElectionSafety);
}

#[test]
fn skip_up_to_date_check_is_found_and_replays() {
    let sc = with_bug(three(), |b| b.skip_up_to_date_check = true);
    let r = run(&sc, bounds(1, 1), 8, Order::Bfs, true);
    let p = replays(&sc, &r);
    assert!(matches!(p, Property::LeaderCompleteness | Property::StateMachineSafety | Property::LogMatching), "{p:?}");
}

#[test]
fn reply_before_persist_is_found_and_replays() {
    let sc = with_bug(three(), |b| b.reply_before_persist = true);
    let r = run(&sc, bounds(1, 0), 8, Order::Bfs, true);
    assert_eq!(replays(&sc, &r), Property::ElectionSafety);
}

#[test]
fn commit_old_terms_is_found_and_replays() {
    let sc = with_bug(file("figure-8-three.json"), |b| b.commit_old_terms = true);
    let r = run(&sc, bounds(0, 0), 8, Order::Bfs, false);
    assert_eq!(replays(&sc, &r), Property::LeaderCompleteness);
}

#[test]
fn skip_consistency_check_is_found_and_replays() {
    let sc = with_bug(file("diverged-logs.json"), |b| b.skip_consistency_check = true);
    let r = run(&sc, bounds(0, 0), 7, Order::Bfs, false);
    assert_eq!(replays(&sc, &r), Property::StateMachineSafety);
}

/// Two leaders of different terms, each free to change the configuration
/// (`tests/explore/two-leaders-four.json`).
fn changes(n: u8) -> Bounds {
    Bounds { changes: n, ..Bounds::default() }
}

#[test]
fn unsafe_single_server_change_is_found_and_replays() {
    let sc = with_bug(file("two-leaders-four.json"), |b| b.unsafe_single_server_change = true);
    let r = run(&sc, changes(2), 8, Order::Bfs, false);
    let cex = r.counterexample.as_ref().expect("a counterexample");
    println!("unsafe_single_server_change: depth {}, {} distinct states to the first violation", cex.schedule.len(), cex.unique_before);
    assert!(cex.schedule.iter().filter(|s| matches!(s, Step::AddServer { .. } | Step::RemoveServer { .. })).count() == 2, "{:?}", cex.schedule);
    assert_eq!(replays(&sc, &r), Property::LeaderCompleteness);
}

#[test]
fn correct_raft_with_configuration_changes_breaks_nothing() {
    let sc = file("two-leaders-four.json");
    let r = run(&sc, changes(2), 6, Order::Bfs, false);
    assert_eq!(r.stop, Stop::Depth);
    assert!(r.counterexample.is_none(), "{:?}", r.counterexample);
    // Changes were explored: more states than without them.
    let none = run(&sc, changes(0), 6, Order::Bfs, false);
    assert!(r.progress.unique > none.progress.unique, "{} vs {}", r.progress.unique, none.progress.unique);
    let sym = run(&sc, changes(2), 6, Order::Bfs, true);
    assert!(sym.counterexample.is_none());
    // Three servers, a fourth one to add, a crash and a request.
    let r = run(&three(), Bounds { crashes: 1, requests: 1, changes: 2, ..Bounds::default() }, 7, Order::Bfs, true);
    assert!(r.counterexample.is_none(), "{:?}", r.counterexample);
}

#[test]
fn depth_first_finds_a_bug_too_and_it_replays() {
    let sc = with_bug(file("diverged-logs.json"), |b| b.skip_consistency_check = true);
    let r = run(&sc, bounds(0, 0), 9, Order::Dfs, false);
    assert_eq!(r.stop, Stop::Violation);
    replays(&sc, &r);
}

/// A small deterministic generator for the walks below.
fn lcg(x: &mut u64) -> u64 {
    *x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    *x >> 33
}

#[test]
fn the_model_and_the_simulator_agree_event_for_event() {
    for seed in 0..60u64 {
        let sc = three();
        // A third of the walks change the configuration: S4 joins, servers leave.
        let b = Bounds { crashes: 2, drops: 2, duplicates: 2, requests: 2, changes: if seed % 3 == 0 { 4 } else { 0 } };
        let (model, mut s) = Model::from_scenario(&sc, b, false).expect("explorable");
        let mut w = World::new(&sc);
        let mut rng = seed + 1;
        let mut buf = Vec::new();
        let mut events: Vec<Event> = Vec::new();
        for _ in 0..60 {
            model.events(&s, &mut events);
            if events.is_empty() {
                break;
            }
            let ev = events[lcg(&mut rng) as usize % events.len()];
            let step = model.step_of(&s, ev);
            assert!(w.enabled().iter().any(|e| matches!((e, &step), (Step::Request { node: a, .. }, Step::Request { node: b, .. }) if a == b) || *e == step), "{step:?} not enabled in the world");
            w.take(&step).unwrap_or_else(|e| panic!("seed {seed}: {step:?}: {e:?}"));
            s = model.next(&s, ev, &mut buf).0;
            for sv in s.servers() {
                let id = sv.node.id();
                let n = w.node(id).expect("server");
                // Equal but for the clock the world tells its servers (only
                // leases read it; the model has no time): equal encodings.
                let (mut a, mut b) = (Vec::new(), Vec::new());
                sv.node.encode_state(&Relabel::IDENTITY, &mut a);
                n.encode_state(&Relabel::IDENTITY, &mut b);
                assert_eq!((sv.node.role(), sv.node.current_term(), sv.node.log(), sv.node.commit_index()), (n.role(), n.current_term(), n.log(), n.commit_index()), "seed {seed}: S{id} after {step:?}");
                assert_eq!(a, b, "seed {seed}: S{id} after {step:?}");
                assert_eq!(sv.alive, w.is_alive(id));
            }
            let mut ours: Vec<(NodeId, NodeId, u32)> = s.messages().map(|p| (p.env.from, p.env.to, p.seq)).collect();
            let mut theirs: Vec<(NodeId, NodeId, u32)> = w.messages().filter(|m| m.dropped_at.is_none()).map(|m| (m.from, m.to, m.seq)).collect();
            ours.sort_unstable();
            theirs.sort_unstable();
            assert_eq!(ours, theirs, "seed {seed}: messages after {step:?}");
            let timers = |st: &Step| matches!(st, Step::Timeout { .. });
            let mut ours: Vec<Step> = Vec::new();
            for sv in s.servers().filter(|sv| sv.alive) {
                let node = sv.node.id();
                if sv.armed.election {
                    ours.push(Step::Timeout { node, timer: TimerKind::Election });
                }
                if sv.armed.heartbeat {
                    ours.push(Step::Timeout { node, timer: TimerKind::Heartbeat });
                }
            }
            let theirs: Vec<Step> = w.enabled().into_iter().filter(timers).collect();
            assert_eq!(ours, theirs, "seed {seed}: timers after {step:?}");
        }
    }
}

#[test]
fn every_enabled_step_can_be_taken() {
    let mut w = World::new(&three());
    let mut rng = 7u64;
    for _ in 0..60 {
        let enabled = w.enabled();
        for step in &enabled {
            let mut copy = w.clone();
            copy.take(step).unwrap_or_else(|e| panic!("{step:?}: {e:?}"));
        }
        let step = &enabled[lcg(&mut rng) as usize % enabled.len()];
        w.take(step).expect("enabled");
    }
}

#[test]
fn a_schedule_round_trips_through_the_scenario_language() {
    let schedule = vec![
        Step::Timeout { node: 1, timer: TimerKind::Election },
        Step::Deliver(MessageRef { from: 1, to: 2, kind: MessageKind::RequestVote, seq: 1 }),
        Step::Duplicate(MessageRef { from: 1, to: 3, kind: MessageKind::RequestVote, seq: 1 }),
        Step::Drop(MessageRef { from: 1, to: 3, kind: MessageKind::RequestVote, seq: 2 }),
        Step::Deliver(MessageRef { from: 2, to: 1, kind: MessageKind::RequestVoteResponse, seq: 1 }),
        Step::Request { node: 1, command: ringraft::sim::schedule::request_command(1) },
        Step::Crash { node: 3 },
        Step::Restart { node: 3 },
        Step::Timeout { node: 1, timer: TimerKind::Heartbeat },
    ];
    let sc = Scenario { schedule: schedule.clone(), ..three() };
    let text = sc.to_json();
    let back = Scenario::from_json(&text).expect("parses");
    assert_eq!(back, sc);
    // And it replays: every step is enabled in turn.
    let mut w = World::new(&back);
    w.take_all(&back.schedule).expect("replays");
    assert_eq!(w.node(1).map(|n| n.role()), Some(ringraft::raft::Role::Leader));
    // Old files (no schedule) write no `schedule` field.
    assert!(!three().to_json().contains("schedule"));
}

#[test]
fn configuration_changes_round_trip_and_replay() {
    let m = |from, to, kind, seq| MessageRef { from, to, kind, seq };
    let schedule = vec![
        Step::Timeout { node: 1, timer: TimerKind::Election },
        Step::Deliver(m(1, 2, MessageKind::RequestVote, 1)),
        Step::Deliver(m(2, 1, MessageKind::RequestVoteResponse, 1)),
        // S1's no-op, committed by S1 and S2: now it may change (§4.1).
        Step::Deliver(m(1, 2, MessageKind::AppendEntries, 2)),
        Step::Deliver(m(2, 1, MessageKind::AppendEntriesResponse, 2)),
        Step::AddServer { leader: 1, node: 4 },
        Step::Deliver(m(1, 4, MessageKind::AppendEntries, 1)),
        Step::Crash { node: 4 },
    ];
    let sc = Scenario { schedule: schedule.clone(), ..three() };
    let back = Scenario::from_json(&sc.to_json()).expect("parses: S4 is a server the schedule adds");
    assert_eq!(back, sc);
    let mut w = World::new(&back);
    w.take_all(&back.schedule).expect("replays");
    assert!(!w.is_alive(4), "S4 was started, then crashed");
    assert!(w.node(1).expect("S1").membership().contains(4));
    // Only what the leader accepts is enabled: S1 has a change pending.
    assert_eq!(w.take(&Step::RemoveServer { leader: 1, node: 3 }), Err(ScheduleError::ChangeRefused { leader: 1, reason: ringraft::raft::ChangeRefused::Pending { index: 2 } }));
    assert_eq!(w.take(&Step::AddServer { leader: 2, node: 5 }), Err(ScheduleError::ChangeRefused { leader: 2, reason: ringraft::raft::ChangeRefused::NotLeader }));
    assert!(w.enabled().iter().all(|s| !matches!(s, Step::AddServer { .. } | Step::RemoveServer { .. })));
    // Correct Raft refuses a change before an entry of the leader's term is committed.
    let mut w = World::new(&three());
    w.take_all(&schedule[..3]).expect("S1 elected");
    assert_eq!(w.take(&Step::AddServer { leader: 1, node: 4 }), Err(ScheduleError::ChangeRefused { leader: 1, reason: ringraft::raft::ChangeRefused::NoCommitInTerm }));
    w.take_all(&schedule[3..5]).expect("no-op committed");
    assert!(w.enabled().contains(&Step::AddServer { leader: 1, node: 4 }));
    assert!(w.enabled().contains(&Step::RemoveServer { leader: 1, node: 3 }));
}

#[test]
fn a_malformed_step_is_refused_with_its_path() {
    let bad = [
        (r#"{"nodes": 3, "schedule": [{"deliver": {"from": 1, "to": 2, "kind": "vote", "seq": 1}}]}"#, "schedule[0]"),
        (r#"{"nodes": 3, "schedule": [{"timeout": {"node": 1}}]}"#, "schedule[0]"),
        (r#"{"nodes": 3, "schedule": [{"jump": {"node": 1}}]}"#, "schedule[0]"),
        (r#"{"nodes": 3, "schedule": [{"crash": {"node": 4}}]}"#, "schedule[0]"),
        (r#"{"nodes": 3, "schedule": {"crash": {"node": 1}}}"#, "schedule"),
        (r#"{"nodes": 3, "actions": [{"at_ms": 1, "action": {"type": "heal"}}], "schedule": [{"crash": {"node": 1}}]}"#, "actions"),
    ];
    for (text, path) in bad {
        let e = Scenario::from_json(text).expect_err(text);
        assert!(e.path.starts_with(path), "{text}: {e}");
    }
}

#[test]
fn a_step_that_is_not_enabled_is_a_typed_error_and_changes_nothing() {
    let mut w = World::new(&three());
    let ghost = MessageRef { from: 1, to: 2, kind: MessageKind::RequestVote, seq: 1 };
    assert_eq!(w.take(&Step::Deliver(ghost)), Err(ScheduleError::NotInFlight { message: ghost }));
    assert_eq!(w.take(&Step::Timeout { node: 1, timer: TimerKind::Heartbeat }), Err(ScheduleError::TimerNotArmed { node: 1, timer: TimerKind::Heartbeat }));
    assert_eq!(w.take(&Step::Restart { node: 2 }), Err(ScheduleError::ServerRunning { node: 2 }));
    assert_eq!(w.take(&Step::Crash { node: 7 }), Err(ScheduleError::UnknownServer { node: 7 }));
    assert_eq!(w.event_count(), 0);
    w.take(&Step::Timeout { node: 1, timer: TimerKind::Election }).expect("armed");
    let vote = MessageRef { from: 1, to: 2, kind: MessageKind::AppendEntries, seq: 1 };
    assert_eq!(w.take(&Step::Deliver(vote)), Err(ScheduleError::WrongKind { message: vote, found: MessageKind::RequestVote }));
    w.take(&Step::Crash { node: 2 }).expect("running");
    assert_eq!(w.take(&Step::Request { node: 2, command: ringraft::sim::schedule::request_command(1) }), Err(ScheduleError::ServerDown { node: 2 }));
    assert_eq!(w.event_count(), 2);
}

#[test]
fn the_model_refuses_what_it_abstracts_away() {
    let mut sc = three();
    sc.raft.read_mode = ringraft::raft::ReadMode::Lease;
    assert!(matches!(Model::from_scenario(&sc, Bounds::default(), false), Err(ringraft::explore::ModelError::NeedsClocks)));
}

#[test]
fn the_cli_writes_a_counterexample_that_run_replays() {
    let dir = std::env::temp_dir().join(format!("ringraft-explore-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let cex = dir.join("cex.json");
    let scenario = format!("{}/tests/explore/diverged-logs.json", env!("CARGO_MANIFEST_DIR"));
    let bin = env!("CARGO_BIN_EXE_ringraft");
    let out = std::process::Command::new(bin)
        .args(["explore", &scenario, "--depth", "8", "--crashes", "0", "--requests", "0", "--bug", "skip_consistency_check", "--out"])
        .arg(&cex)
        .output()
        .expect("explore runs");
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let last = String::from_utf8_lossy(&out.stdout).lines().last().unwrap_or_default().to_string();
    let summary: serde_json::Value = serde_json::from_str(&last).expect("JSON summary");
    assert_eq!(summary["done"], true);
    assert_eq!(summary["stop"], "violation");
    let property = summary["violation"]["property"].clone();
    let run = std::process::Command::new(bin).arg("run").arg(&cex).output().expect("run runs");
    assert_eq!(run.status.code(), Some(1), "{}", String::from_utf8_lossy(&run.stderr));
    let result: serde_json::Value = serde_json::from_slice(&run.stdout).expect("run's JSON");
    let seen: Vec<&serde_json::Value> = result["violations"].as_array().expect("violations").iter().map(|v| &v["property"]).collect();
    assert!(seen.contains(&&property), "{seen:?} vs {property}");
    let _ = std::fs::remove_dir_all(&dir);
}
