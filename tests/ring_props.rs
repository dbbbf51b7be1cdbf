//! Property tests of the placement invariants. Case counts and sizes are kept
//! small because tests run unoptimised.

use proptest::prelude::*;
use ringraft::ring::*;

fn keys() -> Vec<String> {
    generate_keys(400)
}

/// 1..7 distinct nodes with weights in {0.5, 1, 2, 3} and 1..40 vnodes.
fn node_set() -> impl Strategy<Value = (Vec<NodeSpec>, u32)> {
    (proptest::collection::btree_set("[a-z]{1,4}", 1..7), proptest::collection::vec(0usize..4, 7), 1u32..40).prop_map(
        |(names, ws, vnodes)| {
            let weights = [0.5, 1.0, 2.0, 3.0];
            let nodes = names.into_iter().enumerate().map(|(i, n)| NodeSpec::weighted(n, weights[ws[i]])).collect();
            (nodes, vnodes)
        },
    )
}

fn settings(algorithm: Algorithm, vnodes: u32) -> Settings {
    Settings { vnodes, ..Settings::new(algorithm) }
}

fn owners_by_name(p: &Placement, keys: &[String]) -> Vec<String> {
    p.assign(keys).owners.iter().map(|&o| p.node_name(o as usize).to_string()).collect()
}

/// Every moved key goes to `to` (adding) / comes from `from` (removing).
fn check_add_moves_only_to_new(algorithm: Algorithm, nodes: &[NodeSpec], vnodes: u32) -> Result<(), TestCaseError> {
    let before = Placement::new(nodes.to_vec(), settings(algorithm, vnodes)).unwrap();
    let change = Change::Add { name: "NEW".into(), weight: 1.0, vnodes: None };
    let after = before.with_change(&change).unwrap();
    let m = migration(&before, &after, &keys());
    for mv in &m.moves {
        prop_assert_eq!(&mv.to, "NEW", "{} moved {} -> {}", mv.key, mv.from, mv.to);
    }
    Ok(())
}

fn check_remove_moves_only_its_keys(algorithm: Algorithm, nodes: &[NodeSpec], vnodes: u32, victim: &str) -> Result<(), TestCaseError> {
    let before = Placement::new(nodes.to_vec(), settings(algorithm, vnodes)).unwrap();
    let after = before.with_change(&Change::Remove { name: victim.into() }).unwrap();
    let m = migration(&before, &after, &keys());
    let lost = before.assign(&keys()).loads[before.node_index(victim).unwrap()];
    prop_assert_eq!(m.moved, lost);
    for mv in &m.moves {
        prop_assert_eq!(&mv.from, victim);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn ring_add_moves_keys_only_to_the_new_node((nodes, v) in node_set()) {
        check_add_moves_only_to_new(Algorithm::Ring, &nodes, v)?;
    }

    #[test]
    fn rendezvous_add_moves_keys_only_to_the_new_node((nodes, v) in node_set()) {
        check_add_moves_only_to_new(Algorithm::Rendezvous, &nodes, v)?;
    }

    #[test]
    fn jump_add_at_end_moves_keys_only_to_the_new_node((nodes, v) in node_set()) {
        check_add_moves_only_to_new(Algorithm::Jump, &nodes, v)?;
    }

    #[test]
    fn ring_remove_moves_only_the_removed_nodes_keys((nodes, v) in node_set(), pick in any::<usize>()) {
        prop_assume!(nodes.len() >= 2);
        let victim = nodes[pick % nodes.len()].name.clone();
        check_remove_moves_only_its_keys(Algorithm::Ring, &nodes, v, &victim)?;
    }

    #[test]
    fn rendezvous_remove_moves_only_the_removed_nodes_keys((nodes, v) in node_set(), pick in any::<usize>()) {
        prop_assume!(nodes.len() >= 2);
        let victim = nodes[pick % nodes.len()].name.clone();
        check_remove_moves_only_its_keys(Algorithm::Rendezvous, &nodes, v, &victim)?;
    }

    #[test]
    fn jump_remove_last_moves_only_its_keys((nodes, v) in node_set()) {
        prop_assume!(nodes.len() >= 2);
        let victim = nodes.last().unwrap().name.clone();
        check_remove_moves_only_its_keys(Algorithm::Jump, &nodes, v, &victim)?;
    }

    /// Raising a node's weight on the ring only adds points `name#i` for
    /// larger i, so keys can only move *to* that node.
    #[test]
    fn ring_weight_increase_moves_keys_only_to_that_node((nodes, v) in node_set(), pick in any::<usize>()) {
        let target = nodes[pick % nodes.len()].clone();
        let before = Placement::new(nodes.clone(), settings(Algorithm::Ring, v)).unwrap();
        let after = before.with_change(&Change::Reweight { name: target.name.clone(), weight: target.weight * 2.0 }).unwrap();
        for mv in migration(&before, &after, &keys()).moves {
            prop_assert_eq!(&mv.to, &target.name);
        }
    }

    #[test]
    fn preference_lists_are_distinct_physical_nodes((nodes, v) in node_set(), r in 1usize..8) {
        for algorithm in [Algorithm::Ring, Algorithm::Rendezvous, Algorithm::Bounded] {
            let p = Placement::new(nodes.clone(), settings(algorithm, v)).unwrap();
            for k in generate_keys(100) {
                let list = p.preference_list(&k, r).unwrap();
                prop_assert_eq!(list.len(), r.min(nodes.len()));
                let mut sorted = list.clone();
                sorted.sort_unstable();
                sorted.dedup();
                prop_assert_eq!(sorted.len(), list.len(), "duplicate node in {:?}", list);
                prop_assert_eq!(list[0], p.lookup(&k));
            }
        }
    }

    #[test]
    fn results_do_not_depend_on_insertion_order(
        (nodes, v) in node_set(),
        shuffled in Just(()).prop_perturb(|_, mut rng| rng.next_u64()),
    ) {
        // A deterministic permutation of the node list from the drawn seed.
        let mut perm = nodes.clone();
        let mut s = shuffled;
        for i in (1..perm.len()).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            perm.swap(i, (s >> 33) as usize % (i + 1));
        }
        for algorithm in [Algorithm::Ring, Algorithm::Rendezvous, Algorithm::Maglev, Algorithm::Bounded] {
            let mut st = settings(algorithm, v);
            st.table_size = Some(1009);
            let a = Placement::new(nodes.clone(), st.clone()).unwrap();
            let b = Placement::new(perm.clone(), st).unwrap();
            prop_assert_eq!(owners_by_name(&a, &keys()), owners_by_name(&b, &keys()), "{}", algorithm);
        }
        // Also the key order for bounded loads.
        let p = Placement::new(nodes.clone(), settings(Algorithm::Bounded, v)).unwrap();
        let ks = keys();
        let mut rev = ks.clone();
        rev.reverse();
        let mut fwd = owners_by_name(&p, &ks);
        fwd.reverse();
        prop_assert_eq!(fwd, owners_by_name(&p, &rev));
    }

    #[test]
    fn explanations_agree_with_lookups((nodes, v) in node_set(), eps in 0.0f64..0.5) {
        let ks = generate_keys(60);
        for algorithm in Algorithm::ALL {
            let st = Settings { epsilon: eps, table_size: Some(1009), ..settings(algorithm, v) };
            let p = Placement::new(nodes.clone(), st).unwrap();
            let assigned = p.assign(&ks);
            for (i, k) in ks.iter().enumerate() {
                let e = p.explain(k, &ks, 3);
                prop_assert_eq!(e.owner(), p.node_name(assigned.owners[i] as usize), "{} {}", algorithm, k);
                prop_assert_eq!(e.hash(), hash_key(k));
            }
        }
    }

    #[test]
    fn ring_explanation_is_a_correct_binary_search((nodes, v) in node_set(), key in "[ -~]{0,12}") {
        let p = Placement::new(nodes, settings(Algorithm::Ring, v)).unwrap();
        let ring = p.ring().unwrap();
        let Explanation::Ring(e) = p.explain(&key, &[], 3) else { panic!("not a ring explanation") };
        let pos = ring.positions();
        prop_assert_eq!(e.successor.index, ring.successor(e.hash));
        prop_assert!(e.probes.len() <= 1 + (pos.len() as f64).log2().ceil() as usize);
        if e.wrapped {
            prop_assert!(pos.iter().all(|&x| x < e.hash));
            prop_assert_eq!(e.successor.index, 0);
        } else {
            prop_assert!(pos[e.successor.index] >= e.hash);
            prop_assert!(e.successor.index == 0 || pos[e.successor.index - 1] < e.hash);
        }
        let taken: Vec<&str> = e.walk.iter().filter(|s| s.taken).map(|s| s.vnode.node.as_str()).collect();
        prop_assert_eq!(taken, e.preference_list.iter().map(String::as_str).collect::<Vec<_>>());
    }

    /// A key moves exactly when its position lies in a changed arc, and then
    /// between the arc's (from, to).
    #[test]
    fn arc_diff_matches_key_moves((nodes, v) in node_set(), pick in any::<usize>(), op in 0u8..3) {
        let before = Placement::new(nodes.clone(), settings(Algorithm::Ring, v)).unwrap();
        let name = nodes[pick % nodes.len()].name.clone();
        let change = match op {
            0 => Change::Add { name: "NEW".into(), weight: 1.5, vnodes: None },
            1 if nodes.len() > 1 => Change::Remove { name },
            _ => Change::Reweight { name, weight: 0.25 },
        };
        let after = before.with_change(&change).unwrap();
        let m = migration(&before, &after, &keys());
        let arcs = m.arcs.clone().unwrap();
        let moved: std::collections::HashMap<&str, (&str, &str)> =
            m.moves.iter().map(|x| (x.key.as_str(), (x.from.as_str(), x.to.as_str()))).collect();
        for k in keys() {
            let h = hash_key(&k);
            let hit: Vec<&ArcChange> = arcs.iter().filter(|a| a.contains(h)).collect();
            prop_assert!(hit.len() <= 1);
            match (moved.get(k.as_str()), hit.first()) {
                (None, None) => {}
                (Some(&(f, t)), Some(a)) => { prop_assert_eq!((f, t), (a.from.as_str(), a.to.as_str())); }
                other => prop_assert!(false, "key {} move/arc mismatch: {:?}", k, other),
            }
        }
        let total: f64 = arcs.iter().map(|a| a.length_fraction).sum();
        prop_assert!(total <= 1.0 + 1e-9);
    }

    #[test]
    fn bounded_loads_never_exceed_capacity((nodes, v) in node_set(), eps in 0.0f64..1.0) {
        let p = Placement::new(nodes, Settings { epsilon: eps, ..settings(Algorithm::Bounded, v) }).unwrap();
        let ks = keys();
        let a = p.assign(&ks);
        let Explanation::Bounded(e) = p.explain(&ks[0], &ks, 1) else { panic!() };
        for (load, cap) in a.loads.iter().zip(&e.capacities) {
            prop_assert!(load <= cap, "load {} > cap {}", load, cap);
        }
        prop_assert_eq!(a.loads.iter().sum::<usize>(), ks.len());
    }

    #[test]
    fn arcs_partition_the_circle((nodes, v) in node_set()) {
        let p = Placement::new(nodes.clone(), settings(Algorithm::Ring, v)).unwrap();
        let ring = p.ring().unwrap();
        let total: f64 = ring.arcs().iter().map(|a| a.length_fraction).sum();
        prop_assert!((total - 1.0).abs() < 1e-9);
        let shares: f64 = ring.arc_shares().iter().sum();
        prop_assert!((shares - 1.0).abs() < 1e-9);
        let expected: u64 = nodes.iter().map(|n| n.point_count(v) as u64).sum();
        prop_assert_eq!(ring.len() as u64, expected);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// The equal-weight fast path of rendezvous picks what the scores pick.
    #[test]
    fn rendezvous_owner_is_the_top_score((nodes, _v) in node_set(), equal in any::<bool>()) {
        let nodes: Vec<NodeSpec> = if equal {
            nodes.into_iter().map(|n| NodeSpec { weight: 2.0, ..n }).collect()
        } else {
            nodes
        };
        let p = Placement::new(nodes, Settings::new(Algorithm::Rendezvous)).unwrap();
        for k in generate_keys(200) {
            let Explanation::Rendezvous(e) = p.explain(&k, &[], 1) else { panic!() };
            let best = e.scores.iter().fold(None::<&RendezvousScore>, |b, s| match b {
                Some(b) if b.score > s.score || (b.score == s.score && b.node < s.node) => Some(b),
                _ => Some(s),
            }).unwrap();
            prop_assert_eq!(&best.node, p.owner(&k));
            prop_assert_eq!(p.preference_list(&k, 1).unwrap()[0], p.lookup(&k));
        }
    }
}
