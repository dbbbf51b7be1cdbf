//! Manual mode (issue 16): a run whose events a person chooses, one
//! `Action::Take` each, kept in the simulator's history like any other
//! action — so step back, seeking, links (the action list) and export
//! work on it; an explorer's counterexample opened from the middle of a
//! timed run replays to its violation.

use ringraft::explore::{explore, Bounds, Model, Order};
use ringraft::sim::schedule::Step;
use ringraft::sim::{Action, Property, Scenario, Sim, TimerKind};

fn three() -> Scenario {
    Scenario { nodes: 3, ..Scenario::default() }
}

/// Chooses `n` events, each the `pick`-th enabled one (mod the count) of a
/// few kinds, deterministic from `seed`.
fn choose(sim: &mut Sim, n: usize, seed: u64) {
    let mut x = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    for _ in 0..n {
        let steps: Vec<Step> = sim.world().enabled().into_iter().filter(|s| !matches!(s, Step::Duplicate(_))).collect();
        assert!(!steps.is_empty());
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let step = steps[(x % steps.len() as u64) as usize].clone();
        let before = sim.event_count();
        sim.apply(Action::Take { step });
        assert_eq!(sim.event_count(), before + 1, "one event per step");
    }
}

#[test]
fn in_manual_mode_nothing_happens_by_itself() {
    let mut sim = Sim::new(three()).unwrap();
    sim.apply(Action::Manual { on: true });
    let e = sim.event_count();
    sim.run_for(10_000_000);
    assert_eq!(sim.event_count(), e, "timers and the network wait");
    assert!(sim.manual());
    sim.apply(Action::Take { step: Step::Timeout { node: 2, timer: TimerKind::Election } });
    let f = sim.event_frame();
    assert_eq!(f.nodes[1].role, ringraft::raft::Role::Candidate);
    assert!(f.enabled.iter().any(|s| matches!(s, Step::Deliver(r) if r.from == 2 && r.to == 1)), "{:?}", f.enabled);
    // Back to timed: the world runs on from there.
    sim.apply(Action::Manual { on: false });
    sim.run_for(2_000_000);
    assert!(sim.event_count() > e + 3);
    assert!(sim.event_frame().enabled.is_empty());
}

#[test]
fn a_manual_run_steps_back_seeks_and_replays_from_its_actions() {
    for seed in 0..20 {
        let mut sim = Sim::new(three()).unwrap();
        sim.run_for(400_000); // a timed start: a leader, likely
        sim.apply(Action::Manual { on: true });
        choose(&mut sim, 40, seed);
        let (end, hash) = (sim.event_count(), sim.trace_hash());
        // Step back through it and forward again.
        for _ in 0..15 {
            assert!(sim.step_back());
        }
        sim.seek_event(end);
        assert_eq!(sim.trace_hash(), hash, "seed {seed}: forward again");
        // A link: the scenario and the recorded actions.
        let mut again = Sim::with_actions(three(), sim.actions().to_vec()).unwrap();
        again.seek_event(end);
        assert_eq!((again.event_count(), again.trace_hash()), (end, hash), "seed {seed}: the link");
        // Replayed, nothing happens past the last step.
        again.run_for(5_000_000);
        assert_eq!(again.event_count(), end);
    }
}

#[test]
fn a_run_chosen_from_the_start_exports_as_a_schedule_that_replays() {
    let mut sim = Sim::new(three()).unwrap();
    sim.apply(Action::Manual { on: true });
    choose(&mut sim, 30, 7);
    let sc = sim.export_scenario();
    assert_eq!(sc.schedule.len(), 30);
    assert!(sc.actions.is_empty());
    let text = sc.to_json();
    let mut back = Sim::from_json(&text).unwrap();
    back.run_for(1_000_000_000);
    assert_eq!((back.event_count(), back.trace_hash()), (sim.event_count(), sim.trace_hash()));
    assert!(back.manual());
}

#[test]
fn a_mixed_run_exports_as_timed_actions_that_replay_in_manual_mode() {
    let mut sim = Sim::new(three()).unwrap();
    sim.run_for(300_000);
    sim.apply(Action::Manual { on: true });
    choose(&mut sim, 10, 3);
    let sc = sim.export_scenario();
    assert!(sc.schedule.is_empty());
    assert!(sc.actions.iter().any(|a| matches!(a.action, Action::Take { .. })));
    let mut back = Sim::from_json(&sc.to_json()).unwrap();
    back.run_for(sim.now());
    assert!(back.manual());
    assert_eq!(back.world().enabled(), sim.world().enabled(), "same state: the same choices");
}

#[test]
fn a_step_that_is_not_enabled_is_one_event_that_says_so() {
    let mut sim = Sim::new(three()).unwrap();
    sim.apply(Action::Manual { on: true });
    let bogus = Step::Restart { node: 1 };
    sim.apply(Action::Take { step: bogus.clone() });
    assert_eq!(sim.event_count(), 2);
    let again = Sim::with_actions(three(), sim.actions().to_vec());
    let mut again = again.unwrap();
    again.run_for(10_000_000);
    assert_eq!(again.event_count(), 2, "replayed once, no loop");
    // A step naming a server that does not exist is refused when read.
    let bad = vec![ringraft::sim::ActionRecord { at_event: 0, time: 0, action: Action::Take { step: Step::Crash { node: 7 } } }];
    let e = Sim::with_actions(three(), bad).err().expect("refused");
    assert!(e.to_string().contains("step.node"), "{e}");
}

/// "Explore from here" as the page does it: from the middle of a timed run
/// with Buggy Raft, explore; the counterexample applied as manual steps
/// from there breaks the property the explorer named.
#[test]
fn a_counterexample_from_the_middle_of_a_run_replays_to_its_violation() {
    let mut sc = three();
    sc.raft.bugs.skip_up_to_date_check = true;
    sc.raft.bugs.commit_old_terms = true;
    let mut sim = Sim::new(sc.clone()).unwrap();
    sim.run_for(250_000);
    let (model, init) = Model::from_world(sim.world(), Bounds { crashes: 1, requests: 1, ..Bounds::default() }, false).unwrap();
    let report = explore(&model, &init, 10, Order::Bfs, &mut |_| true);
    let cex = report.counterexample.expect("Buggy Raft breaks something within 10 events");
    assert_eq!(sim.violation_count(), 0);
    sim.apply(Action::Manual { on: true });
    for step in &cex.schedule {
        sim.apply(Action::Take { step: step.clone() });
    }
    let seen: Vec<Property> = sim.violations().iter().map(|v| v.property).collect();
    assert!(seen.contains(&cex.found.property), "{seen:?} vs {:?}", cex.found.property);
    // And as a link.
    let mut link = Sim::with_actions(sc, sim.actions().to_vec()).unwrap();
    link.seek_event(sim.event_count());
    assert_eq!(link.trace_hash(), sim.trace_hash());
}
