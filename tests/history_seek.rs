//! Seeking is bounded (issue 17, issue 18): history checkpoints share their
//! logs and records (`ringraft::chunked`), so they can be dense all through
//! a run, and a seek anywhere re-executes at most one checkpoint gap plus
//! the feed's events. And it lands on exactly the state the run had there.

use ringraft::sim::{HistorySettings, Sim, RECENT_EVENTS};

/// From the default timing to the densest a link may ask for (1 ms
/// heartbeats, 2–3 ms elections, no latency, a request every millisecond)
/// with crashes and restarts.
fn scenario(k: u64) -> String {
    let (hb, emin, emax, lat, load) = match k % 3 {
        0 => (50, 150, 300, 10, 10),
        1 => (5, 20, 40, 1, 2),
        _ => (1, 2, 3, 0, 1),
    };
    format!(
        r#"{{"name": "seek bound {k}", "nodes": 9, "seed": {seed},
        "timing": {{"heartbeat_ms": {hb}, "election_min_ms": {emin}, "election_max_ms": {emax}}},
        "network": {{"latency_min_ms": {lat}, "latency_max_ms": {lat}}},
        "client_load": {{"interval_ms": {load}, "keys": 64}},
        "actions": [
            {{"at_ms": {c1}, "action": {{"type": "crash_leader"}}}},
            {{"at_ms": {c2}, "action": {{"type": "restart", "node": 1}}}},
            {{"at_ms": {c3}, "action": {{"type": "crash", "node": 2}}}}
        ]}}"#,
        seed = 100 + k,
        c1 = 30 * hb,
        c2 = 60 * hb,
        c3 = 90 * hb,
    )
}

#[test]
fn a_seek_anywhere_replays_a_bounded_number_of_events_and_lands_on_the_same_state() {
    const EVENTS: u64 = 24_000;
    let gap = HistorySettings::default().checkpoint_every;
    let bound = gap + RECENT_EVENTS as u64;
    let mut worst = 0;
    for k in 0..6 {
        let mut sim = Sim::from_json(&scenario(k)).unwrap();
        // The state at every event, as the trace hash says it, and the feed.
        let mut hashes = vec![sim.trace_hash()];
        let mut feeds = vec![Vec::new()];
        while sim.event_count() < EVENTS {
            assert!(sim.step(), "scenario {k} runs {EVENTS} events");
            hashes.push(sim.trace_hash());
            feeds.push(sim.recent_events().map(|e| e.seq).collect::<Vec<_>>());
        }
        let mut x = 17 + k;
        for i in 0..120 {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            // Anywhere; now and then a step back from where the last seek left.
            let n = if i % 4 == 3 { sim.event_count().saturating_sub(1) } else { (x >> 33) % (EVENTS + 1) };
            let replays = sim.seek_replays(n);
            assert!(replays <= bound, "scenario {k}: a seek to {n} replays {replays} events (bound {bound})");
            worst = worst.max(replays);
            sim.seek_event(n);
            assert_eq!(sim.event_count(), n);
            assert_eq!(sim.trace_hash(), hashes[n as usize], "scenario {k}: the state after event {n}");
            let feed: Vec<u64> = sim.recent_events().map(|e| e.seq).collect();
            assert_eq!(feed, feeds[n as usize], "scenario {k}: the feed after event {n}");
        }
    }
    eprintln!("most events a seek replayed: {worst} (bound {bound})");
}

#[test]
fn seeking_by_time_refills_the_feed() {
    let mut sim = Sim::from_json(&scenario(0)).unwrap();
    sim.run_until(20_000_000);
    for t in [3_000_000u64, 11_000_000, 2_500, 19_000_000] {
        let mut reference = Sim::from_json(&scenario(0)).unwrap();
        reference.run_until(t);
        sim.seek_time(t);
        assert_eq!((sim.event_count(), sim.now(), sim.trace_hash()), (reference.event_count(), reference.now(), reference.trace_hash()));
        let a: Vec<u64> = sim.recent_events().map(|e| e.seq).collect();
        let b: Vec<u64> = reference.recent_events().map(|e| e.seq).collect();
        assert_eq!(a, b, "the feed at {t} µs");
    }
}

/// The memory guard's estimate (`World::approx_bytes`, checked every 32
/// frames while the page plays) sizes the logs' commands from their newest
/// entries instead of walking every one: it stays within 5 % of the walk,
/// in runs with crashes, restarts and dense load, at every size.
#[test]
fn the_live_size_estimate_stays_near_the_exact_walk() {
    for k in 0..6 {
        let mut sim = Sim::from_json(&scenario(k)).unwrap();
        for _ in 0..4 {
            for _ in 0..6_000 {
                assert!(sim.step());
            }
            let (est, exact) = (sim.world().approx_bytes(), sim.world().bytes_sampled(true, usize::MAX));
            let off = (est as f64 - exact as f64).abs() / exact as f64;
            assert!(off < 0.05, "scenario {k} at event {}: estimate {est} B, walk {exact} B", sim.event_count());
        }
    }
}
