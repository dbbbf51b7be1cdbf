//! Maglev hashing (Eisenbud et al., NSDI 2016, §3.4): each node walks its own
//! permutation of a prime-sized table and the nodes take turns claiming the
//! next free slot they prefer; a key goes to `table[hash mod M]`.

use super::explain::MaglevExplanation;
use super::hash::hash_key;
use super::types::{NodeSpec, RingError};
use serde::Serialize;
use xxhash_rust::xxh3::xxh3_64_with_seed;

/// Default table size: a prime well above 100·N for the node counts the page
/// draws (up to 655 nodes); larger clusters use the smallest prime ≥ 100·N.
pub const DEFAULT_MAGLEV_TABLE: u64 = 65_537;
/// Keeps the table (4 bytes a slot) and the permutation arithmetic in range.
const MAX_TABLE: u64 = 1 << 26;
const EMPTY: u32 = u32::MAX;

/// Deterministic trial division; fine for table sizes up to 2^26.
pub fn is_prime(n: u64) -> bool {
    if n < 2 {
        return false;
    }
    if n % 2 == 0 {
        return n == 2;
    }
    let mut d = 3;
    while d * d <= n {
        if n % d == 0 {
            return false;
        }
        d += 2;
    }
    true
}

/// Smallest prime ≥ n.
pub fn next_prime(n: u64) -> u64 {
    let mut p = n.max(2);
    while !is_prime(p) {
        p += 1;
    }
    p
}

#[derive(Debug, Clone, Serialize)]
pub struct Maglev {
    names: Vec<String>,
    offsets: Vec<u64>,
    skips: Vec<u64>,
    /// Slot → node index.
    table: Vec<u32>,
}

impl Maglev {
    /// `size`: `None` for the default, else must be a prime ≥ number of nodes.
    pub fn new(nodes: &[NodeSpec], size: Option<u64>) -> Result<Maglev, RingError> {
        let n = nodes.len() as u64;
        let m = match size {
            Some(m) => m,
            None => DEFAULT_MAGLEV_TABLE.max(next_prime(100 * n)),
        };
        let bad = |reason: &str| Err(RingError::BadTableSize { size: m, reason: reason.to_string() });
        if m > MAX_TABLE {
            return bad("too large (limit 2^26)");
        }
        if !is_prime(m) {
            return bad("must be prime, so every skip visits every slot");
        }
        if m < n {
            return bad("must be at least the number of nodes");
        }
        let w_max = nodes.iter().map(|x| x.weight).fold(0.0, f64::max);
        if !(w_max > 0.0) {
            return Err(RingError::NoCapacity);
        }
        // offset and skip come from two independent hashes of the name (the
        // paper's h1, h2); skip ∈ [1, M-1] is coprime with prime M, so each
        // node's sequence is a full permutation of the slots.
        let offsets: Vec<u64> = nodes.iter().map(|x| xxh3_64_with_seed(x.name.as_bytes(), 1) % m).collect();
        let skips: Vec<u64> =
            nodes.iter().map(|x| xxh3_64_with_seed(x.name.as_bytes(), 2) % (m - 1).max(1) + 1).collect();
        // Turn order by name, not by list position: the table is the same
        // whatever order the nodes were added in.
        let mut order: Vec<usize> = (0..nodes.len()).collect();
        crate::order::sort_by(&mut order, |&a, &b| nodes[a].name.cmp(&nodes[b].name));
        let mut table = vec![EMPTY; m as usize];
        let mut next = vec![0u64; nodes.len()];
        // Weighted turns: each round a node earns w/w_max claims, so the
        // heaviest node claims once per round and shares follow weights.
        let mut credit = vec![0.0f64; nodes.len()];
        let mut filled = 0u64;
        'fill: loop {
            for &i in &order {
                credit[i] += nodes[i].weight / w_max;
                while credit[i] >= 1.0 {
                    credit[i] -= 1.0;
                    loop {
                        let c = (offsets[i] + next[i] * skips[i]) % m;
                        next[i] += 1;
                        if table[c as usize] == EMPTY {
                            table[c as usize] = i as u32;
                            filled += 1;
                            break;
                        }
                    }
                    if filled == m {
                        break 'fill;
                    }
                }
            }
        }
        Ok(Maglev { names: nodes.iter().map(|x| x.name.clone()).collect(), offsets, skips, table })
    }

    pub fn table_size(&self) -> u64 {
        self.table.len() as u64
    }

    /// Slot → node index, for drawing the table.
    pub fn table(&self) -> &[u32] {
        &self.table
    }

    #[inline]
    pub fn owner_of_hash(&self, h: u64) -> usize {
        self.table[(h % self.table.len() as u64) as usize] as usize
    }

    pub fn explain(&self, key: &str) -> MaglevExplanation {
        let h = hash_key(key);
        let slot = h % self.table_size();
        let owner = self.table[slot as usize] as usize;
        MaglevExplanation {
            key: key.to_string(),
            hash: h,
            table_size: self.table_size(),
            slot,
            owner: self.names[owner].clone(),
            owner_offset: self.offsets[owner],
            owner_skip: self.skips[owner],
        }
    }
}
