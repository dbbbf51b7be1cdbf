//! Load statistics, deterministic key sets, and the vnode balance sweep.

use super::hash::hash_key;
use super::hashring::HashRing;
use super::placement::{Algorithm, Assignment, Placement};
use super::types::{NodeSpec, RingError};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

/// Keys held by one node.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeLoad {
    pub name: String,
    pub weight: f64,
    pub keys: usize,
    /// keys / total keys.
    pub share: f64,
    /// What the algorithm aims for: weight / Σweight (1/N if unweighted).
    pub expected_share: f64,
}

/// Balance of one assignment. Mean and deviation are over all listed nodes
/// (population standard deviation). With 0 keys every ratio is 0, never NaN.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    pub algorithm: Algorithm,
    pub keys: usize,
    pub nodes: Vec<NodeLoad>,
    pub mean: f64,
    pub std_dev: f64,
    /// std_dev / mean: the figure Karger-style analyses quote (≈ 1/√vnodes).
    pub cv: f64,
    pub peak: usize,
    pub peak_node: String,
    pub peak_over_mean: f64,
    pub min: usize,
    pub min_over_mean: f64,
}

impl Stats {
    /// Statistics of an assignment made by `placement`.
    pub fn new(placement: &Placement, assignment: &Assignment) -> Stats {
        let shares = placement.expected_shares();
        let total: usize = assignment.loads.iter().sum();
        let nodes: Vec<NodeLoad> = placement
            .nodes()
            .iter()
            .zip(&assignment.loads)
            .zip(&shares)
            .map(|((n, &keys), &expected_share)| NodeLoad {
                name: n.name.clone(),
                weight: n.weight,
                keys,
                share: if total == 0 { 0.0 } else { keys as f64 / total as f64 },
                expected_share,
            })
            .collect();
        let s = Summary::of(&assignment.loads);
        let peak_i = assignment.loads.iter().enumerate().max_by_key(|(i, &l)| (l, std::cmp::Reverse(*i))).map(|x| x.0).unwrap_or(0);
        Stats {
            algorithm: placement.algorithm(),
            keys: total,
            nodes,
            mean: s.mean,
            std_dev: s.std_dev,
            cv: s.cv,
            peak: s.peak,
            peak_node: placement.nodes().get(peak_i).map(|n| n.name.clone()).unwrap_or_default(),
            peak_over_mean: s.peak_over_mean,
            min: s.min,
            min_over_mean: s.min_over_mean,
        }
    }

    /// Assigns `keys` with `placement` and summarises.
    pub fn of(placement: &Placement, keys: &[String]) -> Stats {
        Stats::new(placement, &placement.assign(keys))
    }
}

/// Mean / deviation / extremes of a load vector.
pub(crate) struct Summary {
    pub mean: f64,
    pub std_dev: f64,
    pub cv: f64,
    pub peak: usize,
    pub peak_over_mean: f64,
    pub min: usize,
    pub min_over_mean: f64,
}

impl Summary {
    pub fn of(loads: &[usize]) -> Summary {
        let n = loads.len().max(1) as f64;
        let mean = loads.iter().sum::<usize>() as f64 / n;
        let var = loads.iter().map(|&l| (l as f64 - mean).powi(2)).sum::<f64>() / n;
        let std_dev = var.sqrt();
        let peak = loads.iter().copied().max().unwrap_or(0);
        let min = loads.iter().copied().min().unwrap_or(0);
        let ratio = |x: f64| if mean > 0.0 { x / mean } else { 0.0 };
        Summary {
            mean,
            std_dev,
            cv: ratio(std_dev),
            peak,
            peak_over_mean: ratio(peak as f64),
            min,
            min_over_mean: ratio(min as f64),
        }
    }
}

/// `count` keys "key-0" … "key-{count-1}": the page, CLI and tests share them.
pub fn generate_keys(count: usize) -> Vec<String> {
    (0..count).map(|i| format!("key-{i}")).collect()
}

/// `count` pseudo-random keys "k-<16 hex digits>" from a seeded ChaCha8
/// stream: identical natively and in wasm for the same seed.
pub fn generate_keys_seeded(count: usize, seed: u64) -> Vec<String> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..count).map(|_| format!("k-{:016x}", rng.gen::<u64>())).collect()
}

/// Balance of the ring at one vnode count.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SweepPoint {
    pub vnodes: u32,
    pub points: usize,
    /// std_dev / mean of keys per node for the given keys.
    pub cv: f64,
    pub peak_over_mean: f64,
    pub min_over_mean: f64,
    /// std_dev / mean of the circle share owned per node (the load with
    /// infinitely many keys; free of key sampling noise).
    pub arc_cv: f64,
    /// The textbook approximation 1/√vnodes.
    pub expected_cv: f64,
}

/// Ring balance against vnodes per node, for each count in `vnode_counts`.
/// Per-node vnode overrides are cleared so every node uses the swept count
/// (weights still scale it). Keys are hashed and sorted once, and each ring
/// is assigned with one merge pass: fast enough to redraw live for 64 nodes
/// and 10 000 keys.
pub fn balance_sweep(nodes: &[NodeSpec], keys: &[String], vnode_counts: &[u32]) -> Result<Vec<SweepPoint>, RingError> {
    let specs: Vec<NodeSpec> = nodes.iter().map(|n| NodeSpec { vnodes: None, ..n.clone() }).collect();
    // Validation (names, weights) through the one place that does it.
    Placement::new(specs.clone(), super::placement::Settings::new(Algorithm::ModN))?;
    let mut hashes: Vec<u64> = keys.iter().map(|k| hash_key(k)).collect();
    crate::order::sort(&mut hashes);
    vnode_counts
        .iter()
        .map(|&v| {
            let ring = HashRing::new(&specs, v)?;
            let loads = ring.loads_sorted(&hashes);
            let s = Summary::of(&loads);
            let shares = ring.arc_shares();
            let mean = shares.iter().sum::<f64>() / shares.len() as f64;
            let sd = (shares.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / shares.len() as f64).sqrt();
            Ok(SweepPoint {
                vnodes: v,
                points: ring.len(),
                cv: s.cv,
                peak_over_mean: s.peak_over_mean,
                min_over_mean: s.min_over_mean,
                arc_cv: if mean > 0.0 { sd / mean } else { 0.0 },
                expected_cv: 1.0 / (v as f64).sqrt(),
            })
        })
        .collect()
}
