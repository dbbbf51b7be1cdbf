//! Balance and movement against the published figures (shared/hash-vectors.md),
//! plus errors, serialisation and the comparison helpers.
//!
//! Sizes are chosen for statistical soundness at debug speed: the sd/mean of
//! N loads has relative error ≈ 1/√(2N), so 30 nodes put the 100- and
//! 1000-vnode figures several standard errors inside the accepted ranges,
//! and 300 000 keys keep key-sampling noise (√(N/K) ≈ 1 %) small next to 3.2 %.

use ringraft::ring::*;

fn ring(n: usize, vnodes: u32) -> Placement {
    Placement::with_nodes(n, Settings { vnodes, ..Settings::new(Algorithm::Ring) }).unwrap()
}

#[test]
fn ring_balance_matches_published_ranges() {
    let keys = generate_keys(300_000);
    let sweep = balance_sweep(&nodes_named(30), &keys, &[100, 1000]).unwrap();
    let (v100, v1000) = (&sweep[0], &sweep[1]);
    assert!((0.05..=0.15).contains(&v100.cv), "100 vnodes: sd/mean {}", v100.cv);
    assert!((0.015..=0.05).contains(&v1000.cv), "1000 vnodes: sd/mean {}", v1000.cv);
    // Same figures from the arc lengths alone (no key sampling noise).
    assert!((0.05..=0.15).contains(&v100.arc_cv), "arc cv {}", v100.arc_cv);
    assert!((0.015..=0.05).contains(&v1000.arc_cv), "arc cv {}", v1000.arc_cv);
    assert!(v1000.peak_over_mean < v100.peak_over_mean);
    assert_eq!(v1000.points, 30_000);
}

#[test]
fn sweep_improves_with_vnodes() {
    let keys = generate_keys(10_000);
    let sweep = balance_sweep(&nodes_named(64), &keys, &[1, 10, 100, 1000]).unwrap();
    assert!(sweep[0].arc_cv > sweep[2].arc_cv && sweep[2].arc_cv > sweep[3].arc_cv);
    assert!(sweep.iter().all(|p| p.cv.is_finite() && p.expected_cv > 0.0));
}

#[test]
fn seed_formula_moves_most_keys_ring_moves_a_fifth() {
    let keys = generate_keys(20_000);
    let add = Change::Add { name: "E".into(), weight: 1.0, vnodes: None };
    let reports = compare_algorithms(&nodes_named(4), &Settings::default(), &add, &keys).unwrap();
    assert_eq!(reports.len(), 6);
    for r in &reports {
        let m = &r.migration;
        assert!((m.ideal_fraction - 0.2).abs() < 1e-9);
        assert!(m.moved_fraction + 1e-12 >= m.minimum_fraction, "{}: moved below the minimum", r.algorithm);
        match r.algorithm {
            Algorithm::ModN => assert!((0.75..=0.85).contains(&m.moved_fraction), "mod-N moved {}", m.moved_fraction),
            _ => assert!((0.15..=0.25).contains(&m.moved_fraction), "{} moved {}", r.algorithm, m.moved_fraction),
        }
    }
    // The constant in the seed's formula changes nothing about movement.
    for c in [0, 1, 12345] {
        let p = Placement::with_nodes(4, Settings { constant: c, ..Settings::new(Algorithm::ModN) }).unwrap();
        let m = migration(&p, &p.with_change(&add).unwrap(), &keys);
        assert!((0.75..=0.85).contains(&m.moved_fraction));
    }
}

#[test]
fn ring_removal_moves_the_removed_share() {
    let keys = generate_keys(20_000);
    let before = ring(5, 100);
    let after = before.with_change(&Change::Remove { name: "C".into() }).unwrap();
    let m = migration(&before, &after, &keys);
    let c_share = Stats::of(&before, &keys).nodes[2].share;
    assert!((m.moved_fraction - c_share).abs() < 1e-12);
    assert!(m.flows.iter().all(|f| f.from == "C"));
    assert!((m.ideal_fraction - 0.2).abs() < 1e-9);
}

#[test]
fn jump_middle_removal_shifts_later_buckets() {
    // Documented behaviour: buckets are list positions, so removing B makes
    // C take bucket 1, D bucket 2… and keys move between survivors.
    let keys = generate_keys(10_000);
    let p = Placement::with_nodes(5, Settings::new(Algorithm::Jump)).unwrap();
    let m = migration(&p, &p.with_change(&Change::Remove { name: "B".into() }).unwrap(), &keys);
    assert!(m.flows.iter().any(|f| f.from != "B"));
    assert!(m.moved_fraction > 2.0 * m.minimum_fraction);
}

fn share_ratio(p: &Placement, keys: &[String]) -> f64 {
    // Keys of the weight-2 node "A" over the mean of the weight-1 nodes.
    let loads = p.assign(keys).loads;
    let others = loads[1..].iter().sum::<usize>() as f64 / (loads.len() - 1) as f64;
    loads[0] as f64 / others
}

#[test]
fn weights_are_honoured() {
    let keys = generate_keys(50_000);
    let mut nodes = nodes_named(5);
    nodes[0].weight = 2.0;
    for algorithm in [Algorithm::Ring, Algorithm::Rendezvous, Algorithm::Maglev, Algorithm::Bounded] {
        let p = Placement::new(nodes.clone(), Settings { vnodes: 1000, ..Settings::new(algorithm) }).unwrap();
        let r = share_ratio(&p, &keys);
        assert!((1.7..=2.3).contains(&r), "{algorithm}: weight-2 node got {r}x");
    }
    // A tiny positive weight still gets a point on the ring.
    let mut tiny = nodes_named(3);
    tiny[2].weight = 0.001;
    let p = Placement::new(tiny, Settings::default()).unwrap();
    assert_eq!(p.ring().unwrap().point_counts(), &[100, 100, 1]);
}

#[test]
fn drained_node_gets_nothing() {
    let keys = generate_keys(2_000);
    let mut nodes = nodes_named(4);
    nodes[1].weight = 0.0;
    for algorithm in [Algorithm::Ring, Algorithm::Rendezvous, Algorithm::Maglev, Algorithm::Bounded] {
        let p = Placement::new(nodes.clone(), Settings { table_size: Some(401), ..Settings::new(algorithm) }).unwrap();
        assert_eq!(p.assign(&keys).loads[1], 0, "{algorithm}");
    }
}

#[test]
fn bounded_loads_peak_within_one_plus_epsilon() {
    let keys = generate_keys(10_000);
    for eps in [0.0, 0.05, 0.25] {
        let p = Placement::with_nodes(10, Settings { epsilon: eps, vnodes: 20, ..Settings::new(Algorithm::Bounded) }).unwrap();
        let s = Stats::of(&p, &keys);
        assert!(s.peak_over_mean <= 1.0 + eps + 1e-9, "eps {eps}: peak/mean {}", s.peak_over_mean);
        // The plain ring with the same vnodes is visibly worse.
        let plain = Stats::of(&p.with_algorithm(Algorithm::Ring).unwrap(), &keys);
        assert!(plain.peak_over_mean > 1.0 + eps);
    }
}

#[test]
fn bounded_explanation_shows_full_nodes() {
    let keys = generate_keys(2_000);
    let p = Placement::with_nodes(6, Settings { epsilon: 0.0, vnodes: 10, ..Settings::new(Algorithm::Bounded) }).unwrap();
    let a = p.assign(&keys);
    let ring = p.ring().unwrap();
    let k = (0..keys.len()).find(|&i| a.owners[i] as usize != ring.owner(&keys[i])).expect("some key overflows at eps 0");
    let Explanation::Bounded(e) = p.explain(&keys[k], &keys, 1) else { panic!() };
    assert!(!e.skipped.is_empty());
    assert_eq!(e.skipped[0].vnode.index, e.first_choice.index);
    assert!(e.skipped.iter().all(|s| e.full_nodes.contains(&s.vnode.node)));
    assert!(!e.full_nodes.contains(&e.owner));
    assert_eq!(e.owner, p.node_name(a.owners[k] as usize));
}

#[test]
fn maglev_shares_are_close_to_equal() {
    let keys = generate_keys(100_000);
    for table in [Some(1009), None] {
        let p = Placement::with_nodes(10, Settings { table_size: table, ..Settings::new(Algorithm::Maglev) }).unwrap();
        let m = p.maglev().unwrap();
        let mut slots = vec![0usize; 10];
        m.table().iter().for_each(|&n| slots[n as usize] += 1);
        let (lo, hi) = (slots.iter().min().unwrap(), slots.iter().max().unwrap());
        assert!(hi - lo <= 1, "slot counts {slots:?}");
        for n in Stats::of(&p, &keys).nodes {
            assert!((n.share / n.expected_share - 1.0).abs() < 0.05, "{}: share {}", n.name, n.share);
        }
        let after = p.with_change(&Change::Remove { name: "D".into() }).unwrap();
        let mg = migration(&p, &after, &keys);
        assert!(mg.moved_fraction < 2.0 * mg.minimum_fraction, "maglev removal moved {}", mg.moved_fraction);
    }
}

#[test]
fn rendezvous_is_balanced() {
    let keys = generate_keys(50_000);
    let p = Placement::with_nodes(10, Settings::new(Algorithm::Rendezvous)).unwrap();
    assert!(Stats::of(&p, &keys).cv < 0.03);
}

#[test]
fn invalid_inputs_are_errors_not_panics() {
    let s = Settings::default();
    assert_eq!(Placement::new(vec![], s.clone()).unwrap_err(), RingError::NoNodes);
    assert!(matches!(Placement::new(vec![NodeSpec::new("A"), NodeSpec::new("A")], s.clone()), Err(RingError::DuplicateNode(_))));
    assert!(matches!(Placement::new(vec![NodeSpec::weighted("A", -1.0)], s.clone()), Err(RingError::BadWeight { .. })));
    assert!(matches!(Placement::new(vec![NodeSpec::weighted("A", f64::NAN)], s.clone()), Err(RingError::BadWeight { .. })));
    assert_eq!(Placement::new(vec![NodeSpec::weighted("A", 0.0)], s.clone()).unwrap_err(), RingError::NoCapacity);
    assert!(matches!(Placement::new(vec![NodeSpec::new("")], s.clone()), Err(RingError::EmptyName)));
    assert!(Placement::with_nodes(3, Settings { vnodes: 0, ..s.clone() }).is_err());
    assert!(Placement::with_nodes(3, Settings { vnodes: u32::MAX, ..s.clone() }).is_err());
    assert!(Placement::with_nodes(3, Settings { epsilon: -0.1, ..Settings::new(Algorithm::Bounded) }).is_err());
    for m in [100, 2, 1 << 27] {
        assert!(Placement::with_nodes(3, Settings { table_size: Some(m), ..Settings::new(Algorithm::Maglev) }).is_err(), "table {m}");
    }
    let p = Placement::with_nodes(2, s).unwrap();
    assert!(matches!(p.with_change(&Change::Remove { name: "Z".into() }), Err(RingError::UnknownNode(_))));
    assert!(matches!(p.with_change(&Change::Add { name: "A".into(), weight: 1.0, vnodes: None }), Err(RingError::DuplicateNode(_))));
    let one = Placement::with_nodes(1, Settings::default()).unwrap();
    assert_eq!(one.with_change(&Change::Remove { name: "A".into() }).unwrap_err(), RingError::NoNodes);
    assert_eq!("nope".parse::<Algorithm>().is_err(), true);
}

#[test]
fn one_node_and_empty_key_sets() {
    let keys = generate_keys(100);
    for algorithm in Algorithm::ALL {
        let p = Placement::with_nodes(1, Settings { table_size: Some(101), ..Settings::new(algorithm) }).unwrap();
        assert_eq!(p.assign(&keys).loads, vec![100]);
        let s = Stats::of(&p, &[]);
        assert_eq!((s.keys, s.cv, s.peak_over_mean), (0, 0.0, 0.0));
        assert_eq!(p.explain("x", &[], 2).owner(), "A");
    }
    let r = ring(1, 1);
    assert_eq!(r.ring().unwrap().arcs()[0].length_fraction, 1.0);
}

#[test]
fn everything_serialises_to_json() {
    let keys = generate_keys(50);
    let add = Change::Add { name: "E".into(), weight: 2.0, vnodes: Some(10) };
    for algorithm in Algorithm::ALL {
        let p = Placement::with_nodes(4, Settings { vnodes: 10, table_size: Some(401), ..Settings::new(algorithm) }).unwrap();
        serde_json::to_string(&p).unwrap();
        serde_json::to_string(&p.explain("key-1", &keys, 2)).unwrap();
        serde_json::to_string(&ChangeReport::new(&p, &add, &keys).unwrap()).unwrap();
    }
    let r = ring(3, 5);
    serde_json::to_string(&r.ring().unwrap().points()).unwrap();
    serde_json::to_string(&r.ring().unwrap().arcs()).unwrap();
    serde_json::to_string(&RingError::NoNodes).unwrap();
    // Changes and settings round-trip (the scenario language reads them).
    let back: Change = serde_json::from_str(&serde_json::to_string(&add).unwrap()).unwrap();
    assert_eq!(back, add);
    let st: Settings = serde_json::from_str(r#"{"algorithm":"maglev","table_size":1009}"#).unwrap();
    assert_eq!((st.algorithm, st.vnodes, st.table_size), (Algorithm::Maglev, 100, Some(1009)));
}
