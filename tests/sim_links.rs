//! A shared link carries the scenario plus the user's actions (event number,
//! time, action); replaying them must reproduce the run exactly.

use ringraft::sim::{presets, Action, ActionRecord, Sim};

fn leader_election() -> Sim {
    Sim::from_json(presets::get("leader-election").unwrap()).unwrap()
}

#[test]
fn replaying_recorded_actions_reproduces_the_run_bit_for_bit() {
    let mut sim = leader_election();
    sim.run_until(400_000);
    sim.apply(Action::Crash { node: 2 });
    sim.seek_event(sim.event_count() + 37);
    sim.apply(Action::Partition { groups: vec![vec![1, 3], vec![4, 5]] });
    sim.run_until(900_000);
    sim.apply(Action::Heal);
    sim.apply(Action::Restart { node: 2 });
    sim.run_until(1_500_000);
    let target = sim.event_count();

    let mut replay = Sim::with_actions(sim.scenario().clone(), sim.actions().to_vec()).unwrap();
    // A link carries the event number and the clock (the run may be paused between events).
    replay.seek_event(target);
    replay.run_until(sim.now());
    assert_eq!(replay.event_count(), target);
    assert_eq!(replay.trace_hash(), sim.trace_hash());
    assert_eq!(replay.snapshot(), sim.snapshot());
}

#[test]
fn bad_records_are_errors_with_a_path() {
    let sc = leader_election().scenario().clone();
    let out_of_order = vec![
        ActionRecord { at_event: 10, time: 5_000, action: Action::Heal },
        ActionRecord { at_event: 3, time: 6_000, action: Action::Heal },
    ];
    let e = Sim::with_actions(sc.clone(), out_of_order).err().expect("refused");
    assert_eq!(e.path, "actions[1]");
    let bad_node = vec![ActionRecord { at_event: 1, time: 0, action: Action::Crash { node: 9 } }];
    let e = Sim::with_actions(sc, bad_node).err().expect("refused");
    assert!(e.path.starts_with("actions[0]") && e.reason.contains("does not exist"), "{e}");
}
