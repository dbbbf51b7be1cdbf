//! Simulator core: determinism, time travel, fork, exact run_until, network
//! faults and randomized election timeouts.

use ringraft::i18n::{explain, Lang};
use ringraft::raft::{Command, Role};
use ringraft::sim::*;

fn preset(name: &str) -> Sim {
    Sim::from_json(presets::get(name).expect("preset")).expect("valid preset")
}

fn loaded(seed: u64, nodes: u8) -> Scenario {
    Scenario {
        nodes,
        seed,
        client_load: Some(ClientLoad::every(30, 4)),
        network: NetworkSettings { loss: 0.05, duplicate: 0.05, reorder: true, ..Default::default() },
        ..Scenario::default()
    }
}

#[test]
fn same_seed_and_actions_give_the_same_trace() {
    let run = |seed: u64| {
        let mut sim = Sim::new(loaded(seed, 5)).unwrap();
        sim.run_until(700 * MS);
        sim.apply(Action::Crash { node: 2 });
        sim.run_until(1500 * MS);
        sim.apply(Action::Partition { groups: vec![vec![1, 2], vec![3, 4, 5]] });
        sim.run_until(2500 * MS);
        sim.apply(Action::Heal);
        sim.apply(Action::Restart { node: 2 });
        sim.run_until(4000 * MS);
        (sim.trace_hash(), sim.event_count())
    };
    let a = run(11);
    assert_eq!(a, run(11), "same seed + same actions must replay bit for bit");
    let others: Vec<u64> = (12..17).map(|s| run(s).0).collect();
    assert!(others.iter().all(|h| *h != a.0), "different seeds should give different runs");
    // The random-fault generator is deterministic too.
    let o1 = fuzz::run(99, Default::default(), 1000);
    let o2 = fuzz::run(99, Default::default(), 1000);
    assert_eq!(o1.trace_hash, o2.trace_hash);
    assert_eq!(o1.events, o2.events);
}

#[test]
fn run_until_stops_exactly_at_t() {
    let mut sim = Sim::new(loaded(3, 5)).unwrap();
    sim.run_until(1_234_567);
    assert_eq!(sim.now(), 1_234_567);
    assert!(sim.next_event_time().unwrap() > 1_234_567);
    assert!(sim.recent_events().all(|e| e.time <= 1_234_567));
    // Several sims composed at a common time (the cluster-of-groups view).
    let mut sims: Vec<Sim> = (0..3).map(|s| Sim::new(loaded(s, 3)).unwrap()).collect();
    for s in &mut sims {
        s.run_until(777_000);
    }
    assert!(sims.iter().all(|s| s.now() == 777_000));
}

fn same_state(a: &Snapshot, b: &Snapshot) {
    let mut b = b.clone();
    b.horizon = a.horizon;
    assert_eq!(a, &b);
}

#[test]
fn step_back_and_seek_restore_exactly_the_earlier_snapshot() {
    let mut sim = preset("leader-crash");
    for _ in 0..300 {
        assert!(sim.step());
    }
    let s300 = sim.snapshot();
    let h300 = sim.trace_hash();
    assert!(sim.step());
    let s301 = sim.snapshot();
    for _ in 0..600 {
        sim.step();
    }
    sim.seek_event(301);
    same_state(&s301, &sim.snapshot());
    assert!(sim.step_back());
    same_state(&s300, &sim.snapshot());
    assert_eq!(sim.trace_hash(), h300);
    // Jump by time, then forward again: same future.
    let t = s300.now;
    sim.seek_time(0);
    assert_eq!(sim.now(), 0);
    assert!(sim.recent_events().all(|e| e.time == 0));
    sim.seek_time(t);
    assert!(sim.event_count() >= 300);
    sim.seek_event(901);
    let h901 = sim.trace_hash();
    sim.seek_event(10);
    sim.seek_event(901);
    assert_eq!(sim.trace_hash(), h901);
    assert_eq!(sim.horizon(), 901);
}

#[test]
fn an_action_in_the_past_forks_and_discards_the_future() {
    let mut sim = preset("leader-crash");
    sim.run_until(2_000 * MS);
    let old_hash = sim.trace_hash();
    let old_events = sim.event_count();
    sim.seek_event(200);
    sim.apply(Action::Crash { node: 3 });
    assert_eq!(sim.horizon(), 201, "the old future is gone");
    assert_eq!(sim.actions().len(), 1);
    sim.run_until(2_000 * MS);
    assert_ne!(sim.trace_hash(), old_hash);
    let forked_hash = sim.trace_hash();
    let forked_events = sim.event_count();
    // The new timeline replays deterministically, with the user's action.
    sim.seek_event(150);
    sim.seek_event(forked_events);
    assert_eq!(sim.trace_hash(), forked_hash);
    assert!(!sim.is_alive(3));
    let _ = old_events;
}

#[test]
fn lost_messages_stay_visible_until_they_vanish() {
    let mut sc = loaded(5, 5);
    sc.network.loss = 0.3;
    let mut sim = Sim::new(sc).unwrap();
    let mut saw_dropping = false;
    let mut reasons = Vec::new();
    for _ in 0..3000 {
        sim.step();
        let snap_has = sim.world().messages().any(|m| m.dropped_at.is_some());
        saw_dropping |= snap_has;
        if let Some(e) = sim.last_event() {
            if e.kind == EventKind::Lost {
                reasons.push(e.message.as_ref().unwrap().drop_reason.unwrap());
                assert_eq!(e.what, What::Lost);
                assert!(explain::event_line(Lang::En, e).contains("lost (random loss)"), "{e:?}");
            }
        }
    }
    assert!(saw_dropping);
    assert!(reasons.contains(&DropReason::Loss));
    // Partitions and cuts name their reason.
    sim.apply(Action::Partition { groups: vec![vec![1], vec![2, 3, 4, 5]] });
    sim.apply(Action::SetNetwork { latency_min_ms: None, latency_max_ms: None, loss: Some(0.0), duplicate: None, reorder: None });
    sim.run_for(1000 * MS);
    let r: Vec<_> = sim.recent_events().filter_map(|e| e.message.as_ref().and_then(|m| m.drop_reason)).collect();
    assert!(r.contains(&DropReason::Partition), "{r:?}");
    // Dropping a chosen message by id.
    let id = sim.world().messages().next().unwrap().id;
    sim.apply(Action::DropMessage { id });
    assert!(sim.world().messages().all(|m| m.id != id));
    assert_eq!(sim.last_event().unwrap().what, What::Dropped { id });
}

#[test]
fn client_requests_redirect_and_follow() {
    let mut sim = preset("leader-election");
    sim.run_scenario(5000);
    sim.run_for(200 * MS); // followers learn who leads from its heartbeats
    let leader = sim.world().current_leader().unwrap();
    let follower = if leader == 1 { 2 } else { 1 };
    let cmd = Command::Set { key: "a".into(), value: "1".into() };
    sim.apply(Action::ClientRequest { node: follower, command: cmd.clone() });
    let ev = sim.last_event().unwrap();
    assert!(
        matches!(ev.what, What::Client { outcome: ClientOutcome::NotLeader { hint: Some(h), follows: false }, .. } if h == leader),
        "{ev:?}"
    );
    let d = explain::event_line(Lang::En, ev);
    assert!(d.contains(&format!("try S{leader}")), "{d}");
    sim.apply(Action::SetFollowRedirects { on: true });
    sim.apply(Action::ClientRequest { node: follower, command: cmd });
    sim.run_for(500 * MS);
    assert_eq!(sim.node(follower).unwrap().kv().get("a").map(|v| &**v), Some("1"));
}

#[test]
fn randomized_timeouts_rarely_collide() {
    // 1000 elections from a cold start, 5 nodes: how often do the first two
    // election timers fire at the same instant (or within 1 ms)?
    let (mut same, mut within_ms) = (0, 0);
    for seed in 0..1000 {
        let sim = Sim::new(Scenario { nodes: 5, seed, ..Scenario::default() }).unwrap();
        let mut d: Vec<u64> = sim.snapshot().nodes.iter().filter_map(|n| n.election_deadline).collect();
        d.sort_unstable();
        same += (d[1] == d[0]) as u32;
        within_ms += (d[1] - d[0] < MS) as u32;
    }
    assert!(same < 300 && within_ms < 300, "same instant {same}/1000, within 1 ms {within_ms}/1000");
    assert!(within_ms < 100, "within 1 ms {within_ms}/1000");
}

#[test]
fn snapshot_has_what_the_page_draws() {
    let mut sim = preset("leader-crash");
    sim.run_until(1000 * MS);
    let s = sim.snapshot();
    let leader = s.nodes.iter().find(|n| n.role == Role::Leader).unwrap();
    assert_eq!(leader.next_index.len(), 4);
    assert!(leader.election_deadline.is_none() && leader.heartbeat_deadline.is_some());
    let f = s.nodes.iter().find(|n| n.role == Role::Follower).unwrap();
    assert!(f.election_armed_at.unwrap() <= s.now && f.election_deadline.unwrap() > s.now);
    assert!(s.markers.iter().any(|m| m.kind == MarkerKind::LeaderElected && m.node == leader.id));
    assert!(s.recent_events.len() <= 50 && !s.recent_events.is_empty());
    assert_eq!(s.checker.properties.len(), 6);
    assert!(serde_json::to_string(&s).unwrap().contains("\"election_deadline\""));
}

#[test]
fn the_view_frame_is_built_by_the_simulator() {
    let mut sim = preset("leader-election");
    sim.apply(Action::SetClientLoad { load: Some(ClientLoad::every(5, 2)) });
    sim.run_for(2000 * MS);
    let f = sim.event_frame();
    assert_eq!(f.event_count, sim.world().event_count());
    assert_eq!(f.nodes.len(), 5);
    assert_eq!(f.nodes.iter().filter(|n| n.alive && n.role == Role::Leader).count(), 1);
    for n in &f.nodes {
        let node = sim.node(n.id).unwrap();
        assert_eq!(n.log_len as usize, node.log().len());
        assert!(n.log_tail.len() <= LOG_TAIL);
        assert_eq!(n.log_start + n.log_tail.len() as u64, n.log_len + 1, "the tail ends the log");
        assert_eq!(n.log_tail.last(), node.log().last());
    }
    assert_eq!(f.recent.last().map(|e| e.seq), Some(f.event_count));
    assert_eq!(f.action_count, 1);
}

/// The page sleeps between frames while nothing it draws can change
/// (issue 17): `still_for` must never promise stillness past the next
/// event, while a message is on the wire, or past one step of a ring.
#[test]
fn the_drawing_stays_still_as_long_as_still_for_says() {
    const STEPS: u64 = 240;
    // Each live server's election ring, in steps of its time left.
    let rings = |s: &Sim| -> Vec<Option<f64>> {
        let now = s.now();
        s.event_frame().nodes.iter().map(|n| n.election.filter(|_| n.alive).map(|(a, d)| d.saturating_sub(now) as f64 * STEPS as f64 / d.saturating_sub(a).max(1) as f64)).collect()
    };
    let (mut quiet, mut busy) = (0, 0);
    for seed in 0..12 {
        let mut sim = Sim::new(loaded(seed, 5)).unwrap();
        for _ in 0..300 {
            let q = sim.still_for(STEPS, 60);
            if sim.world().messages().next().is_some() {
                assert_eq!(q, 0, "seed {seed}: a message flies at {}", sim.now());
            }
            if q == 0 || q == u64::MAX {
                busy += 1;
                sim.step();
                continue;
            }
            quiet += 1;
            let (events, before) = (sim.event_count(), rings(&sim));
            sim.run_for(q - 1);
            assert_eq!(sim.event_count(), events, "seed {seed}: an event came within still_for");
            for (a, b) in before.iter().zip(rings(&sim)) {
                if let (Some(a), Some(b)) = (a, b) {
                    assert!(a - b <= 1.0 + 1e-9, "seed {seed}: a ring moved {} steps", a - b);
                }
            }
            sim.step();
        }
    }
    assert!(quiet > 50 && busy > 100, "both cases seen: {quiet} still, {busy} moving");
}
