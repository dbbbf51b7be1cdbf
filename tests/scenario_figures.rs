//! The paper's figures and the basic stories, driven through the scenario
//! language (the same JSON files the page loads).

use ringraft::raft::Role;
use ringraft::sim::*;

fn preset(name: &str) -> Sim {
    Sim::from_json(presets::get(name).expect("preset")).expect("valid preset")
}

fn terms(sim: &Sim, id: u8) -> Vec<u64> {
    sim.node(id).unwrap().log().iter().map(|e| e.term).collect()
}

#[test]
fn figure_8_old_term_entries_are_not_committed_by_counting() {
    let mut sim = preset("figure-8");
    // Check after every event that nobody commits (hence applies) the
    // term-2 entry at index 2.
    let check = |sim: &Sim| {
        for id in 1..=5 {
            let n = sim.node(id).unwrap();
            assert!(
                !(n.commit_index() >= 2 && n.term_at(2) == Some(2)),
                "S{id} committed the term-2 entry at index 2 at {} µs",
                sim.now()
            );
        }
    };
    while sim.next_event_time().is_some_and(|t| t <= 199 * MS) {
        sim.step();
        check(&sim);
    }
    // (c): S1 leads term 4 and has copied index 2 to S3: a majority holds it.
    let s1 = sim.node(1).unwrap();
    assert_eq!((s1.role(), s1.current_term()), (Role::Leader, 4));
    assert_eq!(terms(&sim, 1), vec![1, 2]);
    assert_eq!(terms(&sim, 2), vec![1, 2]);
    assert_eq!(terms(&sim, 3), vec![1, 2]);
    assert_eq!(terms(&sim, 4), vec![1]);
    assert_eq!(terms(&sim, 5), vec![1, 3]);
    // commitIndex is volatile, so the restarted S1 starts from 0; what
    // matters is that it does not move to 2 (§5.4.2).
    assert!(s1.commit_index() <= 1, "S1 commitIndex {}", s1.commit_index());
    sim.run_until(200 * MS + 500);
    assert_eq!(terms(&sim, 1), vec![1, 2, 4]);
    while sim.next_event_time().is_some_and(|t| t <= 700 * MS) {
        sim.step();
        check(&sim);
    }
    // (d): S5 won term 5 and every log ends [1, 3].
    assert_eq!(sim.node(5).unwrap().role(), Role::Leader);
    assert_eq!(sim.node(5).unwrap().current_term(), 5);
    for id in 1..=5 {
        assert_eq!(terms(&sim, id), vec![1, 3], "S{id}");
    }
    assert_eq!(sim.violation_count(), 0, "{:?}", sim.violations());
}

#[test]
fn figure_8_with_commit_old_terms_bug_is_flagged() {
    let mut sim = preset("bug-commit-old-terms");
    sim.run_scenario(1000);
    let props: Vec<Property> = sim.violations().iter().map(|v| v.property).collect();
    assert!(props.contains(&Property::LeaderCompleteness), "{props:?}");
    assert!(props.contains(&Property::StateMachineSafety), "{props:?}");
    let v = sim.violations().iter().find(|v| v.property == Property::LeaderCompleteness).unwrap();
    assert!(v.nodes.contains(&5), "{v:?}");
    assert!(matches!(v.breach, Breach::LeaderMissesCommitted { node: 5, index: 2, .. }), "{v:?}");
}

#[test]
fn figure_7_new_leader_brings_followers_in_line() {
    let mut sim = preset("figure-7");
    // Right after winning term 8, nextIndex is 11 for everyone.
    while sim.node(1).unwrap().role() != Role::Leader {
        assert!(sim.step());
    }
    assert_eq!(sim.node(1).unwrap().current_term(), 8);
    for p in 2..=7 {
        assert_eq!(sim.node(1).unwrap().next_index(p), Some(11), "nextIndex[S{p}]");
    }
    assert!(sim.run_scenario(5000), "logs did not settle");
    let leader = terms(&sim, 1);
    assert_eq!(leader, vec![1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 8]);
    for id in 2..=7 {
        assert_eq!(terms(&sim, id), leader, "S{id}");
    }
    assert_eq!(sim.violation_count(), 0);
}

#[test]
fn leader_election_from_cold_start() {
    let mut sim = preset("leader-election");
    assert!(sim.run_scenario(5000));
    let leaders: Vec<u8> =
        (1..=5).filter(|&i| sim.node(i).unwrap().role() == Role::Leader).collect();
    assert_eq!(leaders.len(), 1);
    assert!(sim.now() < 1000 * MS, "took {} µs", sim.now());
    let s = sim.snapshot();
    assert!(s.markers.iter().any(|m| m.kind == MarkerKind::ElectionStarted));
    assert!(s.recent_events.iter().any(|e| matches!(e.what, What::Timer { started: Some(1), forced: false, .. })));
}

#[test]
fn split_vote_is_resolved_by_a_later_term() {
    let mut sim = preset("split-vote");
    sim.run_until(100 * MS);
    assert!((1..=4).all(|i| sim.node(i).unwrap().role() != Role::Leader), "term 1 must split");
    assert!(sim.run_scenario(5000));
    let l = sim.world().current_leader().unwrap();
    assert!(sim.node(l).unwrap().current_term() >= 2);
}

#[test]
fn leader_crash_leads_to_a_new_leader_in_a_higher_term() {
    let mut sim = preset("leader-crash");
    sim.run_until(1199 * MS);
    assert_eq!(sim.world().current_leader(), Some(1));
    let t1 = sim.node(1).unwrap().current_term();
    let committed = sim.world().max_commit();
    assert!(committed > 0);
    sim.run_until(2400 * MS);
    let l = sim.world().current_leader().expect("a new leader");
    assert_ne!(l, 1);
    assert!(sim.node(l).unwrap().current_term() > t1);
    assert!(sim.node(l).unwrap().commit_index() > committed, "the new leader keeps committing");
    sim.run_scenario(5000);
    assert!(sim.is_alive(1));
    assert_eq!(sim.node(1).unwrap().current_term(), sim.node(l).unwrap().current_term());
    assert_eq!(sim.violation_count(), 0);
}

#[test]
fn minority_partition_leader_commits_nothing() {
    let mut sim = preset("minority-partition");
    sim.run_until(600 * MS);
    assert_eq!(sim.world().current_leader(), Some(1));
    let c1 = sim.node(1).unwrap().commit_index();
    sim.run_until(2900 * MS);
    let s1 = sim.node(1).unwrap();
    assert_eq!(s1.role(), Role::Leader, "S1 still thinks it leads (stale term)");
    assert_eq!(s1.commit_index(), c1, "minority leader committed something");
    assert!(s1.last_log_index() > c1, "it did accept requests");
    let majority_leader = (3..=5).find(|&i| sim.node(i).unwrap().role() == Role::Leader).expect("majority leader");
    assert!(sim.node(majority_leader).unwrap().commit_index() > c1 + 5);
    sim.run_scenario(5000);
    // After healing S1 steps down and its uncommitted entries are gone.
    assert_ne!(sim.node(1).unwrap().role(), Role::Leader);
    assert!(!sim.node(1).unwrap().kv().contains_key("lost"));
    assert_eq!(sim.violation_count(), 0);
}

#[test]
fn every_preset_parses_and_runs() {
    for (name, json) in presets::all() {
        let mut sim = Sim::from_json(json).unwrap_or_else(|e| panic!("{name}: {e}"));
        sim.run_scenario(10_000);
        // The bug presets, and the lesson that leases break when clocks
        // drift beyond their bound, or retries without sessions apply twice.
        let bug = name.starts_with("bug-") || name == "stale-lease-read" || name == "retry-without-sessions";
        assert_eq!(sim.violation_count() > 0, bug, "{name}: {:?}", sim.violations().first());
    }
}
