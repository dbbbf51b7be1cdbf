//! Nodes (physical servers), the changes the page can make, and errors.

use serde::{Deserialize, Serialize};
use std::fmt;

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

/// Spreadsheet-style names: A..Z, AA..AZ, BA.. — short labels for drawing.
pub fn node_name(mut i: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// `n` nodes named A, B, C… with weight 1 and the default vnode count.
pub fn nodes_named(n: usize) -> Vec<NodeSpec> {
    (0..n).map(|i| NodeSpec::new(node_name(i))).collect()
}

/// A membership change the page (or CLI) can apply.
/// Serialized by serde's derive; read by [`Change::from_value`] (see `crate::tagged`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "op", rename_all = "lowercase")]
pub enum Change {
    /// Appends a node (at the end of the ordered list, the minimal case for jump).
    Add {
        name: String,
        #[serde(default = "one")]
        weight: f64,
        #[serde(default)]
        vnodes: Option<u32>,
    },
    /// Removes a node; the list is compacted, order of the rest is kept.
    Remove { name: String },
    /// Changes a node's weight (on the ring: its point count).
    Reweight { name: String, weight: f64 },
}

crate::deserialize_via_value!(Change);

impl Change {
    /// Reads `{"op": "add", "name": "n5"}` and the like. Like serde's
    /// default, fields a variant does not have are ignored.
    pub fn from_value(v: &serde_json::Value) -> Result<Change, String> {
        let (name, mut f) = crate::tagged::tagged(v, "op", &["add", "remove", "reweight"])?;
        Ok(match name {
            "add" => Change::Add {
                name: f.req("name")?,
                weight: f.opt("weight")?.unwrap_or(1.0),
                vnodes: f.opt("vnodes")?,
            },
            "remove" => Change::Remove { name: f.req("name")? },
            _ => Change::Reweight { name: f.req("name")?, weight: f.req("weight")? },
        })
    }
}

/// Applies `change` to a node list, keeping the order of untouched nodes.
pub fn apply_change(nodes: &[NodeSpec], change: &Change) -> Result<Vec<NodeSpec>, RingError> {
    let mut out = nodes.to_vec();
    match change {
        Change::Add { name, weight, vnodes } => {
            if out.iter().any(|n| &n.name == name) {
                return Err(RingError::DuplicateNode(name.clone()));
            }
            out.push(NodeSpec { name: name.clone(), weight: *weight, vnodes: *vnodes });
        }
        Change::Remove { name } => {
            let i = out
                .iter()
                .position(|n| &n.name == name)
                .ok_or_else(|| RingError::UnknownNode(name.clone()))?;
            out.remove(i);
        }
        Change::Reweight { name, weight } => {
            let n = out
                .iter_mut()
                .find(|n| &n.name == name)
                .ok_or_else(|| RingError::UnknownNode(name.clone()))?;
            n.weight = *weight;
        }
    }
    Ok(out)
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
                write!(f, "{p} ring points is too many (limit {})", crate::ring::hashring::MAX_POINTS)
            }
            RingError::BadTableSize { size, reason } => write!(f, "maglev table size {size}: {reason}"),
            RingError::BadEpsilon(e) => write!(f, "epsilon {} must be a finite number >= 0", crate::num::short(*e)),
        }
    }
}

impl std::error::Error for RingError {}
