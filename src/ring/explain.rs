//! Lookup explanations as data: each variant holds what the page needs to
//! narrate one lookup step by step. `owner` always equals the lookup result.

use super::types::VnodePoint;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "algorithm", rename_all = "lowercase")]
pub enum Explanation {
    Ring(RingExplanation),
    ModN(ModNExplanation),
    Jump(JumpExplanation),
    Rendezvous(RendezvousExplanation),
    Maglev(MaglevExplanation),
    Bounded(BoundedExplanation),
}

impl Explanation {
    /// The node the explained lookup chose.
    pub fn owner(&self) -> &str {
        match self {
            Explanation::Ring(e) => &e.owner,
            Explanation::ModN(e) => &e.owner,
            Explanation::Jump(e) => &e.owner,
            Explanation::Rendezvous(e) => &e.owner,
            Explanation::Maglev(e) => &e.owner,
            Explanation::Bounded(e) => &e.owner,
        }
    }
    pub fn hash(&self) -> u64 {
        match self {
            Explanation::Ring(e) => e.hash,
            Explanation::ModN(e) => e.hash,
            Explanation::Jump(e) => e.hash,
            Explanation::Rendezvous(e) => e.hash,
            Explanation::Maglev(e) => e.hash,
            Explanation::Bounded(e) => e.hash,
        }
    }
}

/// One step of the lower-bound binary search over sorted point positions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Probe {
    pub lo: usize,
    pub hi: usize,
    pub mid: usize,
    pub mid_position: u64,
    pub mid_fraction: f64,
    /// "right" when the point at `mid` lies before the key (search moves on),
    /// "left" when it is at or after the key (it may be the successor).
    pub went: &'static str,
}

/// One point visited while building the preference list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PreferenceStep {
    pub vnode: VnodePoint,
    /// False when the point was skipped because its node was already chosen.
    pub taken: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RingExplanation {
    pub key: String,
    pub hash: u64,
    /// The key's position as a fraction of the circle, for drawing.
    pub fraction: f64,
    /// Number of points searched.
    pub points: usize,
    pub probes: Vec<Probe>,
    pub successor: VnodePoint,
    /// True when no point lies at or after the key, so the successor is the
    /// first point of the ring (the search ran off the end of the array).
    pub wrapped: bool,
    pub owner: String,
    /// Distinct physical nodes, first = owner (length = replicas asked, capped
    /// at the number of nodes).
    pub preference_list: Vec<String>,
    /// The clockwise walk from the successor, including skipped points.
    pub walk: Vec<PreferenceStep>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModNExplanation {
    pub key: String,
    pub hash: u64,
    pub constant: u64,
    /// `hash + constant` without overflow (as a decimal string: it can exceed u64).
    pub sum: String,
    pub n: usize,
    /// `(hash + constant) mod n`: the index into the node list.
    pub index: usize,
    pub owner: String,
    pub label: &'static str,
}

/// One iteration of jump consistent hash: the key is in bucket `bucket`
/// until the node count reaches `next`, the next bucket it would jump to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JumpStep {
    pub bucket: u32,
    pub next: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JumpExplanation {
    pub key: String,
    pub hash: u64,
    pub buckets: u32,
    /// The jumps; the last one's `next` is ≥ `buckets`, which ends the loop.
    pub steps: Vec<JumpStep>,
    pub bucket: u32,
    pub owner: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RendezvousScore {
    pub node: String,
    pub weight: f64,
    /// The node's uniform draw for this key, in (0, 1).
    pub u: f64,
    /// `-weight / ln(u)`; the highest wins.
    pub score: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RendezvousExplanation {
    pub key: String,
    pub hash: u64,
    /// Scores in node order.
    pub scores: Vec<RendezvousScore>,
    pub owner: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MaglevExplanation {
    pub key: String,
    pub hash: u64,
    pub table_size: u64,
    /// `hash mod table_size`.
    pub slot: u64,
    pub owner: String,
    /// The owner's permutation parameters: its preference for slots is
    /// `(offset + j·skip) mod M` for j = 0, 1, 2…
    pub owner_offset: u64,
    pub owner_skip: u64,
}

/// A point passed over by the bounded-loads walk because its node was full.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BoundedSkip {
    pub vnode: VnodePoint,
    pub load: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BoundedExplanation {
    pub key: String,
    pub hash: u64,
    pub fraction: f64,
    pub epsilon: f64,
    /// Number of keys being placed (the explained key included).
    pub keys: usize,
    /// Capacity per node (in node order): ⌈(1+ε)·keys·w/W⌉.
    pub capacities: Vec<usize>,
    /// 1-based rank of this key in the placement order (by hash, then key).
    pub order: usize,
    /// Ring successor: where the key would go without a bound.
    pub first_choice: VnodePoint,
    /// Points skipped clockwise because their node was full.
    pub skipped: Vec<BoundedSkip>,
    /// Nodes at capacity when this key was placed.
    pub full_nodes: Vec<String>,
    pub owner: String,
}
