//! Consistent hashing with bounded loads (Mirrokni, Thorup, Zadimoghaddam,
//! 2018): every node has capacity ⌈(1+ε)·K·w/W⌉ for K keys (⌈(1+ε)·K/N⌉ with
//! equal weights); a key goes to its ring successor, and if that node is full,
//! on clockwise to the first point whose node still has room.
//!
//! The result depends on the order keys arrive. To be reproducible and
//! independent of how the caller listed them, keys are placed in ascending
//! (hash, key text) order.

use super::explain::{BoundedExplanation, BoundedSkip};
use super::hash::{fraction, hash_key};
use super::hashring::HashRing;
use super::types::NodeSpec;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Bounded {
    ring: HashRing,
    epsilon: f64,
    weights: Vec<f64>,
    /// Point indices of each node, to retire them all when the node fills up.
    node_points: Vec<Vec<u32>>,
}

/// Result of one placement run; `explain_at` records the walk of one key.
struct Run {
    owners: Vec<u32>,
    loads: Vec<usize>,
    explained: Option<(usize, Vec<usize>, Vec<String>)>,
}

impl Bounded {
    pub fn new(ring: HashRing, nodes: &[NodeSpec], epsilon: f64) -> Bounded {
        let mut node_points = vec![Vec::new(); nodes.len()];
        for p in 0..ring.len() {
            node_points[ring.point_owner(p)].push(p as u32);
        }
        Bounded { ring, epsilon, weights: nodes.iter().map(|n| n.weight).collect(), node_points }
    }

    pub fn ring(&self) -> &HashRing {
        &self.ring
    }
    pub fn epsilon(&self) -> f64 {
        self.epsilon
    }

    /// Capacity of each node for `keys` keys.
    pub fn capacities(&self, keys: usize) -> Vec<usize> {
        let total: f64 = self.weights.iter().filter(|w| **w > 0.0).sum();
        self.weights
            .iter()
            .map(|&w| {
                if !(w > 0.0) {
                    return 0;
                }
                let x = (1.0 + self.epsilon) * keys as f64 * w / total;
                // A hair below the integer guards against 2500.0000000001
                // from float noise turning into a 2501 cap.
                (x - 1e-9).ceil().max(0.0) as usize
            })
            .collect()
    }

    /// Placement order: by (hash, key text, input index).
    fn order(keys: &[String], hashes: &[u64]) -> Vec<usize> {
        let mut order: Vec<usize> = (0..keys.len()).collect();
        crate::order::sort_by(&mut order, |&a, &b| hashes[a].cmp(&hashes[b]).then_with(|| keys[a].cmp(&keys[b])).then(a.cmp(&b)));
        order
    }

    fn run(&self, keys: &[String], explain: Option<usize>) -> Run {
        let hashes: Vec<u64> = keys.iter().map(|k| hash_key(k)).collect();
        let caps = self.capacities(keys.len());
        let p = self.ring.len();
        // next_alive[i]: union-find pointer to the next point (clockwise)
        // whose node still has room; retiring a full node's points makes each
        // walk near O(1) amortised instead of O(points).
        let mut next_alive: Vec<u32> = (0..p as u32).collect();
        let mut loads = vec![0usize; caps.len()];
        let mut owners = vec![0u32; keys.len()];
        let mut explained = None;
        let mut open_nodes = caps.iter().filter(|&&c| c > 0).count();
        // A node whose capacity rounds to 0 (a vanishing weight) is full from
        // the start.
        for (node, pts) in self.node_points.iter().enumerate() {
            if caps[node] == 0 {
                for &q in pts {
                    next_alive[q as usize] = ((q as usize + 1) % p) as u32;
                }
            }
        }
        for idx in Self::order(keys, &hashes) {
            let start = self.ring.successor(hashes[idx]);
            if explain == Some(idx) {
                // Narration walks point by point (not through the shortcut),
                // listing every point it passes over.
                let mut skipped = Vec::new();
                let mut i = start;
                for _ in 0..p {
                    let node = self.ring.point_owner(i);
                    if loads[node] < caps[node] {
                        break;
                    }
                    skipped.push(i);
                    i = (i + 1) % p;
                }
                let full: Vec<String> = (0..caps.len())
                    .filter(|&n| loads[n] >= caps[n] && caps[n] > 0)
                    .map(|n| self.ring.node_names()[n].clone())
                    .collect();
                explained = Some((start, skipped, full));
            }
            let point = if open_nodes == 0 {
                // Unreachable while Σcaps ≥ K; never loop forever regardless.
                start
            } else {
                find(&mut next_alive, start)
            };
            let node = self.ring.point_owner(point);
            owners[idx] = node as u32;
            loads[node] += 1;
            if loads[node] == caps[node] {
                open_nodes -= 1;
                for &q in &self.node_points[node] {
                    next_alive[q as usize] = ((q as usize + 1) % p) as u32;
                }
            }
        }
        Run { owners, loads, explained }
    }

    /// Owner (node index) of each key, and loads per node.
    pub fn assign(&self, keys: &[String]) -> (Vec<u32>, Vec<usize>) {
        let r = self.run(keys, None);
        (r.owners, r.loads)
    }

    /// Explains where `key` lands when `keys` are placed; a key not in `keys`
    /// is explained as if it were added to them.
    pub fn explain(&self, key: &str, keys: &[String]) -> BoundedExplanation {
        let owned;
        let (all, idx) = match keys.iter().position(|k| k == key) {
            Some(i) => (keys, i),
            None => {
                let mut v = keys.to_vec();
                v.push(key.to_string());
                owned = v;
                (&owned[..], owned.len() - 1)
            }
        };
        let hashes: Vec<u64> = all.iter().map(|k| hash_key(k)).collect();
        let rank = Self::order(all, &hashes).iter().position(|&i| i == idx).unwrap_or(0) + 1;
        let run = self.run(all, Some(idx));
        let caps = self.capacities(all.len());
        let (start, skipped, full) = run.explained.unwrap_or((0, Vec::new(), Vec::new()));
        let h = hashes[idx];
        BoundedExplanation {
            key: key.to_string(),
            hash: h,
            fraction: fraction(h),
            epsilon: self.epsilon,
            keys: all.len(),
            capacities: caps.clone(),
            order: rank,
            first_choice: self.ring.point(start),
            skipped: skipped
                .into_iter()
                // A skipped node was full, so its load at that moment was its cap.
                .map(|i| BoundedSkip { vnode: self.ring.point(i), load: caps[self.ring.point_owner(i)] })
                .collect(),
            full_nodes: full,
            owner: self.ring.node_names()[run.owners[idx] as usize].clone(),
        }
    }
}

/// Union-find root with path halving: the first live point at or after `i`.
fn find(next: &mut [u32], mut i: usize) -> usize {
    while next[i] as usize != i {
        let parent = next[i] as usize;
        next[i] = next[parent];
        i = parent;
    }
    i
}
