//! Rendezvous / highest-random-weight hashing (Thaler & Ravishankar),
//! weighted with the logarithmic method: `score = -w / ln(u)`.
//!
//! With `u` uniform in (0,1), `-w/ln(u)` is an exponential-race score: node
//! i wins with probability exactly `w_i / Σw`, and changing one weight only
//! moves keys to or from that node.

use super::explain::{RendezvousExplanation, RendezvousScore};
use super::hash::{hash_key, mix64, unit_open};
use super::types::NodeSpec;
use serde::Serialize;
use xxhash_rust::xxh3::xxh3_64;

#[derive(Debug, Clone, Serialize)]
pub struct Rendezvous {
    names: Vec<String>,
    weights: Vec<f64>,
    /// Per-node seed `xxh3_64(name)`, mixed with the key hash to draw `u`.
    seeds: Vec<u64>,
    /// All positive weights equal: then `-w/ln(u)` is increasing in `u`, so
    /// the winner is the largest draw and the logarithm can be skipped. Same
    /// result, several times faster per node.
    uniform: bool,
}

impl Rendezvous {
    pub fn new(nodes: &[NodeSpec]) -> Self {
        Rendezvous {
            names: nodes.iter().map(|n| n.name.clone()).collect(),
            weights: nodes.iter().map(|n| n.weight).collect(),
            seeds: nodes.iter().map(|n| xxh3_64(n.name.as_bytes())).collect(),
            uniform: {
                let mut pos = nodes.iter().map(|n| n.weight).filter(|w| *w > 0.0);
                let first = pos.next();
                pos.all(|w| Some(w) == first)
            },
        }
    }

    /// The uniform draw of node `i` for a key hash; depends on the node's
    /// name only, never on its position in the list.
    #[inline]
    fn draw(&self, key_hash: u64, i: usize) -> f64 {
        unit_open(mix64(key_hash ^ self.seeds[i]))
    }

    #[inline]
    fn score(&self, key_hash: u64, i: usize) -> f64 {
        let w = self.weights[i];
        if w > 0.0 {
            -w / self.draw(key_hash, i).ln()
        } else {
            // Drained node: below every positive score.
            -1.0
        }
    }

    /// `a` beats `b` on a higher score; an exact tie goes to the smaller name,
    /// so the order nodes were listed in never matters.
    #[inline]
    fn beats(&self, sa: f64, a: usize, sb: f64, b: usize) -> bool {
        sa > sb || (sa == sb && self.names[a] < self.names[b])
    }

    /// Node index with the highest score for a key hash (O(n)).
    pub fn owner_of_hash(&self, h: u64) -> usize {
        if self.uniform {
            // Compare the 53 bits `u` is made of; ties fall to the smaller name
            // exactly as equal scores would.
            let mut best = usize::MAX;
            let mut best_draw = 0u64;
            for i in 0..self.names.len() {
                if !(self.weights[i] > 0.0) {
                    continue;
                }
                let d = mix64(h ^ self.seeds[i]) >> 11;
                if best == usize::MAX || d > best_draw || (d == best_draw && self.names[i] < self.names[best]) {
                    best = i;
                    best_draw = d;
                }
            }
            if best != usize::MAX {
                return best;
            }
        }
        let mut best = 0;
        let mut best_score = self.score(h, 0);
        for i in 1..self.names.len() {
            let s = self.score(h, i);
            if self.beats(s, i, best_score, best) {
                best = i;
                best_score = s;
            }
        }
        best
    }

    /// The `r` highest-scoring nodes with positive weight, best first.
    pub fn preference_list_hash(&self, h: u64, r: usize) -> Vec<usize> {
        let mut scored: Vec<(f64, usize)> = (0..self.names.len())
            .filter(|&i| self.weights[i] > 0.0)
            .map(|i| (self.score(h, i), i))
            .collect();
        crate::order::sort_by(&mut scored, |a, b| {
            if self.beats(a.0, a.1, b.0, b.1) {
                std::cmp::Ordering::Less
            } else if self.beats(b.0, b.1, a.0, a.1) {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        });
        scored.into_iter().take(r).map(|s| s.1).collect()
    }

    pub fn explain(&self, key: &str) -> RendezvousExplanation {
        let h = hash_key(key);
        let owner = self.owner_of_hash(h);
        RendezvousExplanation {
            key: key.to_string(),
            hash: h,
            scores: (0..self.names.len())
                .map(|i| RendezvousScore {
                    node: self.names[i].clone(),
                    weight: self.weights[i],
                    u: self.draw(h, i),
                    score: self.score(h, i),
                })
                .collect(),
            owner: self.names[owner].clone(),
        }
    }
}
