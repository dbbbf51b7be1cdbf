//! One interface over every algorithm: an [`Algorithm`] plus [`Settings`],
//! built from a node list into a [`Placement`] that can look up, assign,
//! explain and be changed.

use super::bounded::Bounded;
use super::explain::{Explanation, JumpExplanation, ModNExplanation};
use super::hash::hash_key;
use super::hashring::HashRing;
use super::jump::{jump_hash, jump_trace};
use super::maglev::Maglev;
use super::modn::modn_bucket;
use super::node::{apply_change, Change};
use super::rendezvous::Rendezvous;
use super::types::{NodeSpec, RingError};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Algorithm {
    Ring,
    ModN,
    Jump,
    Rendezvous,
    Maglev,
    Bounded,
}

impl Algorithm {
    pub const ALL: [Algorithm; 6] = [
        Algorithm::Ring,
        Algorithm::ModN,
        Algorithm::Jump,
        Algorithm::Rendezvous,
        Algorithm::Maglev,
        Algorithm::Bounded,
    ];

    /// Short id used on the command line and in JSON.
    pub fn id(self) -> &'static str {
        match self {
            Algorithm::Ring => "ring",
            Algorithm::ModN => "modn",
            Algorithm::Jump => "jump",
            Algorithm::Rendezvous => "rendezvous",
            Algorithm::Maglev => "maglev",
            Algorithm::Bounded => "bounded",
        }
    }

    /// Human label for the page.
    pub fn label(self) -> &'static str {
        match self {
            Algorithm::Ring => "Consistent-hash ring (virtual nodes)",
            Algorithm::ModN => "(hash + c) mod N — the seed's formula",
            Algorithm::Jump => "Jump consistent hash",
            Algorithm::Rendezvous => "Rendezvous (highest random weight)",
            Algorithm::Maglev => "Maglev lookup table",
            Algorithm::Bounded => "Ring with bounded loads",
        }
    }

    /// Whether node weights affect placement (mod-N and jump ignore them).
    pub fn is_weighted(self) -> bool {
        !matches!(self, Algorithm::ModN | Algorithm::Jump)
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for Algorithm {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Algorithm::ALL
            .into_iter()
            .find(|a| a.id() == s)
            .ok_or_else(|| format!("unknown algorithm {} (expected ring, modn, jump, rendezvous, maglev or bounded)", crate::num::quoted(s)))
    }
}

/// Settings shared by all algorithms; each reads only what it needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub algorithm: Algorithm,
    /// Ring / bounded: vnodes per node at weight 1.
    pub vnodes: u32,
    /// mod-N: the seed's constant `c` (it changes nothing, which is the point).
    pub constant: u64,
    /// Maglev: table size M (prime ≥ N); `None` = max(65537, next prime ≥ 100·N).
    pub table_size: Option<u64>,
    /// Bounded loads: capacity factor ε ≥ 0.
    pub epsilon: f64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { algorithm: Algorithm::Ring, vnodes: 100, constant: 7, table_size: None, epsilon: 0.25 }
    }
}

impl Settings {
    pub fn new(algorithm: Algorithm) -> Self {
        Settings { algorithm, ..Settings::default() }
    }
}

#[derive(Debug, Clone, Serialize)]
enum Engine {
    Ring(HashRing),
    ModN,
    Jump,
    Rendezvous(Rendezvous),
    Maglev(Maglev),
    Bounded(Bounded),
}

/// A node set placed by one algorithm. Immutable: changes build a new one.
#[derive(Debug, Clone, Serialize)]
pub struct Placement {
    nodes: Vec<NodeSpec>,
    settings: Settings,
    engine: Engine,
}

/// Where each key of a list went.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assignment {
    /// Node index (into [`Placement::nodes`]) per key, in key order.
    pub owners: Vec<u32>,
    /// Keys per node, in node order.
    pub loads: Vec<usize>,
}

impl Placement {
    /// Validates the node set and settings, then builds the algorithm's state.
    pub fn new(nodes: Vec<NodeSpec>, settings: Settings) -> Result<Placement, RingError> {
        if nodes.is_empty() {
            return Err(RingError::NoNodes);
        }
        // A set, not a pairwise scan: validation must stay cheap for 1000s of nodes.
        let mut seen = std::collections::HashSet::with_capacity(nodes.len());
        for n in &nodes {
            if n.name.is_empty() {
                return Err(RingError::EmptyName);
            }
            if !(n.weight.is_finite() && n.weight >= 0.0) {
                return Err(RingError::BadWeight { node: n.name.clone(), weight: n.weight });
            }
            if !seen.insert(n.name.as_str()) {
                return Err(RingError::DuplicateNode(n.name.clone()));
            }
            if n.vnodes == Some(0) {
                return Err(RingError::BadVnodes(0));
            }
        }
        if settings.algorithm.is_weighted() && !nodes.iter().any(|n| n.weight > 0.0) {
            return Err(RingError::NoCapacity);
        }
        if !(settings.epsilon.is_finite() && settings.epsilon >= 0.0) {
            return Err(RingError::BadEpsilon(settings.epsilon));
        }
        let engine = match settings.algorithm {
            Algorithm::Ring => Engine::Ring(HashRing::new(&nodes, settings.vnodes)?),
            Algorithm::ModN => Engine::ModN,
            Algorithm::Jump => {
                if nodes.len() > super::jump::MAX_BUCKETS as usize {
                    return Err(RingError::TooManyPoints(nodes.len() as u64));
                }
                Engine::Jump
            }
            Algorithm::Rendezvous => Engine::Rendezvous(Rendezvous::new(&nodes)),
            Algorithm::Maglev => Engine::Maglev(Maglev::new(&nodes, settings.table_size)?),
            Algorithm::Bounded => {
                Engine::Bounded(Bounded::new(HashRing::new(&nodes, settings.vnodes)?, &nodes, settings.epsilon))
            }
        };
        Ok(Placement { nodes, settings, engine })
    }

    /// Shorthand: `n` nodes A, B, C… with the given settings.
    pub fn with_nodes(n: usize, settings: Settings) -> Result<Placement, RingError> {
        Placement::new(super::node::nodes_named(n), settings)
    }

    /// The same algorithm and settings on the node set after `change`.
    pub fn with_change(&self, change: &Change) -> Result<Placement, RingError> {
        Placement::new(apply_change(&self.nodes, change)?, self.settings.clone())
    }

    /// The same node set and settings under another algorithm.
    pub fn with_algorithm(&self, algorithm: Algorithm) -> Result<Placement, RingError> {
        Placement::new(self.nodes.clone(), Settings { algorithm, ..self.settings.clone() })
    }

    pub fn nodes(&self) -> &[NodeSpec] {
        &self.nodes
    }
    pub fn settings(&self) -> &Settings {
        &self.settings
    }
    pub fn algorithm(&self) -> Algorithm {
        self.settings.algorithm
    }
    pub fn node_index(&self, name: &str) -> Option<usize> {
        self.nodes.iter().position(|n| n.name == name)
    }
    pub fn node_name(&self, index: usize) -> &str {
        &self.nodes[index].name
    }

    /// The ring, for drawing (ring and bounded loads).
    pub fn ring(&self) -> Option<&HashRing> {
        match &self.engine {
            Engine::Ring(r) => Some(r),
            Engine::Bounded(b) => Some(b.ring()),
            _ => None,
        }
    }

    pub fn maglev(&self) -> Option<&Maglev> {
        match &self.engine {
            Engine::Maglev(m) => Some(m),
            _ => None,
        }
    }

    /// Node index for a key hash. For bounded loads this is the key's first
    /// choice (its ring successor); where it really lands depends on the other
    /// keys, so use [`Placement::assign`] for that.
    #[inline]
    pub fn lookup_hash(&self, h: u64) -> usize {
        match &self.engine {
            Engine::Ring(r) => r.owner_of_hash(h),
            Engine::ModN => modn_bucket(h, self.settings.constant, self.nodes.len()),
            Engine::Jump => jump_hash(h, self.nodes.len() as u32).unwrap_or(0) as usize,
            Engine::Rendezvous(r) => r.owner_of_hash(h),
            Engine::Maglev(m) => m.owner_of_hash(h),
            Engine::Bounded(b) => b.ring().owner_of_hash(h),
        }
    }

    /// Node index for a key (see [`Placement::lookup_hash`] for bounded loads).
    pub fn lookup(&self, key: &str) -> usize {
        self.lookup_hash(hash_key(key))
    }

    /// Node name for a key.
    pub fn owner(&self, key: &str) -> &str {
        &self.nodes[self.lookup(key)].name
    }

    /// Places every key. The only correct way to ask bounded loads.
    pub fn assign(&self, keys: &[String]) -> Assignment {
        if let Engine::Bounded(b) = &self.engine {
            let (owners, loads) = b.assign(keys);
            return Assignment { owners, loads };
        }
        let mut loads = vec![0usize; self.nodes.len()];
        let owners = keys
            .iter()
            .map(|k| {
                let o = self.lookup(k);
                loads[o] += 1;
                o as u32
            })
            .collect();
        Assignment { owners, loads }
    }

    /// Replica set of a key: ring and bounded give the Dynamo preference list
    /// (next `r` distinct physical nodes clockwise), rendezvous the top-`r`
    /// scores. mod-N, jump and Maglev have no natural successor: `None`.
    pub fn preference_list(&self, key: &str, r: usize) -> Option<Vec<usize>> {
        let h = hash_key(key);
        match &self.engine {
            Engine::Ring(ring) => Some(ring.preference_list_hash(h, r)),
            Engine::Bounded(b) => Some(b.ring().preference_list_hash(h, r)),
            Engine::Rendezvous(rv) => Some(rv.preference_list_hash(h, r)),
            _ => None,
        }
    }

    /// Step-by-step account of one lookup. `keys` matters only for bounded
    /// loads (the key set being placed; the key is added if missing);
    /// `replicas` only for the ring's preference-list walk.
    pub fn explain(&self, key: &str, keys: &[String], replicas: usize) -> Explanation {
        let h = hash_key(key);
        match &self.engine {
            Engine::Ring(r) => Explanation::Ring(r.explain(key, replicas)),
            Engine::ModN => {
                let n = self.nodes.len();
                let index = modn_bucket(h, self.settings.constant, n);
                Explanation::ModN(ModNExplanation {
                    key: key.to_string(),
                    hash: h,
                    constant: self.settings.constant,
                    sum: (h as u128 + self.settings.constant as u128).to_string(),
                    n,
                    index,
                    owner: self.nodes[index].name.clone(),
                    label: "the seed's formula",
                })
            }
            Engine::Jump => {
                let buckets = self.nodes.len() as u32;
                let steps = jump_trace(h, buckets);
                let bucket = steps.last().map(|s| s.bucket).unwrap_or(0);
                Explanation::Jump(JumpExplanation {
                    key: key.to_string(),
                    hash: h,
                    buckets,
                    steps,
                    bucket,
                    owner: self.nodes[bucket as usize].name.clone(),
                })
            }
            Engine::Rendezvous(r) => Explanation::Rendezvous(r.explain(key)),
            Engine::Maglev(m) => Explanation::Maglev(m.explain(key)),
            Engine::Bounded(b) => Explanation::Bounded(b.explain(key, keys)),
        }
    }

    /// Expected share of keys per node: weight / Σweight for weighted
    /// algorithms, 1/N for mod-N and jump.
    pub fn expected_shares(&self) -> Vec<f64> {
        if self.algorithm().is_weighted() {
            let total: f64 = self.nodes.iter().map(|n| n.weight).sum();
            self.nodes.iter().map(|n| n.weight / total).collect()
        } else {
            vec![1.0 / self.nodes.len() as f64; self.nodes.len()]
        }
    }
}
