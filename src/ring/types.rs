//! The vocabulary every placement module shares: a node as configured, a
//! point on the ring, the errors, and the ring's size limit. It depends on
//! nothing else in `ring`, so the modules that use it (the ring itself, the
//! explanations, the node list changes) do not depend on each other for it.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Upper bound on ring points, so a typo like `--vnodes 1e9` is refused
/// instead of exhausting memory.
pub(crate) const MAX_POINTS: u64 = 20_000_000;

/// A physical node: a name, a weight, and (for the ring) a vnode count.
///
/// Weight 1 is the reference: on the ring a node gets `round(vnodes·weight)`
/// points, at least 1 when the weight is positive; weight 0 drains a node
/// (it stays listed but receives no keys in weighted algorithms).
/// `mod N` and `jump` are unweighted and ignore weights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NodeSpec {
    pub name: String,
    #[serde(default = "one")]
    pub weight: f64,
    /// Per-node vnode count; `None` uses [`crate::ring::Settings::vnodes`].
    #[serde(default)]
    pub vnodes: Option<u32>,
}

fn one() -> f64 {
    1.0
}

impl NodeSpec {
    pub fn new(name: impl Into<String>) -> Self {
        NodeSpec { name: name.into(), weight: 1.0, vnodes: None }
    }
    pub fn weighted(name: impl Into<String>, weight: f64) -> Self {
        NodeSpec { name: name.into(), weight, vnodes: None }
    }
    pub fn with_vnodes(mut self, vnodes: u32) -> Self {
        self.vnodes = Some(vnodes);
        self
    }
    /// Number of ring points for this node given the default vnode count.
    /// Rounds to nearest, but never rounds a positive weight down to zero.
    pub fn point_count(&self, default_vnodes: u32) -> u32 {
        if !(self.weight > 0.0) {
            return 0;
        }
        let base = self.vnodes.unwrap_or(default_vnodes) as f64;
        let n = (base * self.weight).round();
        if n < 1.0 {
            1
        } else if n > u32::MAX as f64 {
            u32::MAX
        } else {
            n as u32
        }
    }
}

/// One vnode point, for drawing and explanations.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VnodePoint {
    /// Index of the point in the sorted ring.
    pub index: usize,
    pub position: u64,
    pub fraction: f64,
    pub node: String,
    pub node_index: usize,
    pub vnode: u32,
}

/// Why a node set, setting or change was refused.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum RingError {
    NoNodes,
    DuplicateNode(String),
    UnknownNode(String),
    EmptyName,
    BadWeight { node: String, weight: f64 },
    /// Every node has weight 0: nowhere to put a key.
    NoCapacity,
    BadVnodes(u32),
    TooManyPoints(u64),
    BadTableSize { size: u64, reason: String },
    BadEpsilon(f64),
}

impl fmt::Display for RingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RingError::NoNodes => write!(f, "at least one node is needed"),
            RingError::DuplicateNode(n) => write!(f, "node {} already exists", crate::num::quoted(n)),
            RingError::UnknownNode(n) => write!(f, "no node named {}", crate::num::quoted(n)),
            RingError::EmptyName => write!(f, "node names must not be empty"),
            RingError::BadWeight { node, weight } => {
                write!(f, "node {}: weight {} must be a finite number >= 0", crate::num::quoted(node), crate::num::short(*weight))
            }
            RingError::NoCapacity => write!(f, "every node has weight 0: no node can take keys"),
            RingError::BadVnodes(v) => write!(f, "vnodes per node must be >= 1 (got {v})"),
            RingError::TooManyPoints(p) => {
                write!(f, "{p} ring points is too many (limit {})", MAX_POINTS)
            }
            RingError::BadTableSize { size, reason } => write!(f, "maglev table size {size}: {reason}"),
            RingError::BadEpsilon(e) => write!(f, "epsilon {} must be a finite number >= 0", crate::num::short(*e)),
        }
    }
}

impl std::error::Error for RingError {}
