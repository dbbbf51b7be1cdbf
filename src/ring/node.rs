//! Node lists: default names and the membership changes the page can make.

use super::types::{NodeSpec, RingError};
use serde::Serialize;

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
        /// 1 when absent (see [`Change::from_value`]).
        weight: f64,
        /// The settings' count when absent.
        vnodes: Option<u32>,
    },
    /// Removes a node; the list is compacted, order of the rest is kept.
    Remove { name: String },
    /// Changes a node's weight (on the ring: its point count).
    Reweight { name: String, weight: f64 },
}

crate::deserialize_via_value!(Change);

impl Change {
    /// Every change's JSON name (`op`), in declaration order.
    pub const NAMES: &'static [&'static str] = &["add", "remove", "reweight"];

    /// Reads `{"op": "add", "name": "n5"}` and the like. Like serde's
    /// default, fields a variant does not have are ignored.
    pub fn from_value(v: &serde_json::Value) -> Result<Change, String> {
        let (name, mut f) = crate::tagged::tagged(v, "op", Change::NAMES)?;
        Ok(match name {
            "add" => Change::Add {
                name: f.req("name")?,
                weight: f.opt("weight")?.unwrap_or(1.0),
                vnodes: f.opt("vnodes")?,
            },
            "remove" => Change::Remove { name: f.req("name")? },
            "reweight" => Change::Reweight { name: f.req("name")?, weight: f.req("weight")? },
            other => return Err(crate::tagged::unknown_variant(other, Change::NAMES)),
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

