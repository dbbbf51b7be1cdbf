//! What a run must end in: a scenario's optional `expect` block, so a
//! scenario file is a test — the input and the outcome it must reach in one
//! file, as in etcd's datadriven test files.
//!
//! ```json
//! "expect": { "leader": 1, "violations": 0,
//!             "nodes": { "2": { "role": "follower", "term": 3, "log_terms": [1, 1, 3],
//!                               "commit_index": 3, "alive": true } } }
//! ```
//!
//! Every field is optional. Native only (the `expect` feature): the page's
//! scenario reader skips the block unread (see `scenario::SCENARIO`), so the
//! lean modules carry none of this.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::raft::{Index, NodeId, Role, Term};

use super::scenario::{nested, ScenarioError};
use super::world::Slot;
use super::{Property, Scenario, World};

/// A scenario's `expect` block, read and range-checked.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Expect {
    /// `Some(None)`: no live leader at the end. The leader is the live
    /// leader with the highest term (`World::current_leader`).
    pub leader: Option<Option<NodeId>>,
    pub violations: Option<Violations>,
    pub nodes: BTreeMap<NodeId, NodeExpect>,
}

/// `"violations"`: how many in all (`0`: none), or properties that must
/// each have broken at least once (`"election_safety"` or a list of names).
#[derive(Clone, Debug, PartialEq)]
pub enum Violations {
    Count(u64),
    Broken(Vec<Property>),
}

/// Where an expectation failed: a field of the `expect` block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Leader,
    Violations,
    /// A per-node field (one of `NodeExpect::FIELDS`).
    Node(NodeId, &'static str),
}

impl Field {
    /// Its path in the scenario file: `expect.nodes.2.role`.
    pub fn path(&self) -> String {
        match self {
            Field::Leader => "expect.leader".to_string(),
            Field::Violations => "expect.violations".to_string(),
            Field::Node(id, name) => format!("expect.nodes.{id}.{name}"),
        }
    }
}

impl Serialize for Field {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.path())
    }
}

/// One expectation that did not hold: the values as the file writes them.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Mismatch {
    pub field: Field,
    pub expected: Value,
    pub found: Value,
}

fn to_json<T: Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or_default()
}

/// Every per-node field an expectation may name: its JSON name, its type,
/// and what the node holds at the end of the run, read from its
/// `world::Slot` (named once, before the list).
///
/// Extension point: a new field (`voters`, `learners`, `snapshot_index`…)
/// is one line in the `node_fields!` call below; reading with path errors,
/// checking, `FIELDS` (unknown-field messages) and the mismatch follow.
macro_rules! node_fields {
    (|$slot:ident| $($name:ident: $ty:ty = $found:expr;)+) => {
        /// What one node must end in; `None`: not checked.
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct NodeExpect {
            $(pub $name: Option<$ty>,)+
        }

        impl NodeExpect {
            pub const FIELDS: &'static [&'static str] = &[$(stringify!($name)),+];

            fn read(v: &Value, path: &str) -> Result<NodeExpect, ScenarioError> {
                let o = v.as_object().ok_or_else(|| err(path, format!("expected an object with any of: {}", Self::FIELDS.join(", "))))?;
                let mut e = NodeExpect::default();
                for (k, fv) in o {
                    let fp = format!("{path}.{k}");
                    match k.as_str() {
                        $(stringify!($name) => e.$name = Some(read_field(fv, &fp)?),)+
                        _ => return Err(err(fp, format!("unknown field (expected one of: {})", Self::FIELDS.join(", ")))),
                    }
                }
                Ok(e)
            }

            fn check(&self, id: NodeId, $slot: &Slot, out: &mut Vec<Mismatch>) {
                $(if let Some(want) = &self.$name {
                    let found: $ty = $found;
                    if *want != found {
                        out.push(Mismatch { field: Field::Node(id, stringify!($name)), expected: to_json(want), found: to_json(&found) });
                    }
                })+
            }
        }
    };
}

node_fields! { |slot|
    role: Role = slot.node.role();
    term: Term = slot.node.current_term();
    log_terms: Vec<Term> = slot.node.log().iter().map(|e| e.term).collect();
    commit_index: Index = slot.node.commit_index();
    alive: bool = slot.alive;
    voters: Vec<NodeId> = slot.node.membership().voters.clone();
    learners: Vec<NodeId> = slot.node.membership().learners.clone();
    snapshot_index: Index = slot.node.log_offset();
}

/// A per-node value, typed. serde names no item of a list that fails, so
/// the first item that fails alone is named (`log_terms[1]`).
fn read_field<T: DeserializeOwned>(v: &Value, path: &str) -> Result<T, ScenarioError> {
    T::deserialize(v).map_err(|e| {
        let items = v.as_array().into_iter().flatten().enumerate();
        let item = items.filter_map(|(i, x)| T::deserialize(&Value::Array(vec![x.clone()])).err().map(|e| (i, e))).next();
        match item {
            Some((i, e)) => nested(&format!("{path}[{i}]"), &e.to_string()),
            None => nested(path, &e.to_string()),
        }
    })
}

fn err(path: impl Into<String>, reason: impl Into<String>) -> ScenarioError {
    ScenarioError { path: path.into(), reason: reason.into() }
}

/// A property's name in files: its snake_case serde name (`election_safety`).
fn property_name(p: Property) -> String {
    to_json(&p).as_str().unwrap_or_default().to_string()
}

fn read_property(v: &Value, path: &str) -> Result<Property, ScenarioError> {
    let names = || Property::ALL.map(property_name).join(", ");
    let name = v.as_str().ok_or_else(|| err(path, format!("expected a property name ({})", names())))?;
    Property::ALL
        .into_iter()
        .find(|p| property_name(*p) == name)
        .ok_or_else(|| err(path, format!("unknown property \"{name}\", expected one of {}", names())))
}

/// Node ids in `expect` must name one of the scenario's `nodes` servers.
fn read_node_id(v: &Value, path: &str, nodes: u8) -> Result<NodeId, ScenarioError> {
    let id = match v {
        Value::String(s) => s.parse::<u64>().ok(),
        _ => v.as_u64(),
    };
    match id {
        Some(id) if (1..=nodes as u64).contains(&id) => Ok(id as NodeId),
        Some(id) => Err(err(path, format!("node {id} does not exist (nodes are 1..={nodes})"))),
        None => Err(err(path, format!("expected a node id (1..={nodes})"))),
    }
}

impl Expect {
    /// The `expect` block of a scenario with `nodes` servers. Errors carry the
    /// whole path from the file's root (`expect.nodes.2.role: …`).
    pub fn from_value(v: &Value, nodes: u8) -> Result<Expect, ScenarioError> {
        let o = v.as_object().ok_or_else(|| err("expect", "expected an object with any of: leader, violations, nodes"))?;
        let mut e = Expect::default();
        for (k, fv) in o {
            let fp = format!("expect.{k}");
            match k.as_str() {
                "leader" => e.leader = Some(if fv.is_null() { None } else { Some(read_node_id(fv, &fp, nodes)?) }),
                "violations" => {
                    e.violations = Some(match fv {
                        Value::Number(_) => Violations::Count(fv.as_u64().ok_or_else(|| err(&fp, "expected a count, a property name or a list of them"))?),
                        Value::Array(items) => Violations::Broken(
                            items.iter().enumerate().map(|(i, p)| read_property(p, &format!("{fp}[{i}]"))).collect::<Result<_, _>>()?,
                        ),
                        _ => Violations::Broken(vec![read_property(fv, &fp)?]),
                    })
                }
                "nodes" => {
                    let ns = fv.as_object().ok_or_else(|| err(&fp, "expected an object by node id: {\"1\": {…}}"))?;
                    for (id, nv) in ns {
                        let np = format!("{fp}.{id}");
                        let node = read_node_id(&Value::String(id.clone()), &np, nodes)?;
                        e.nodes.insert(node, NodeExpect::read(nv, &np)?);
                    }
                }
                _ => return Err(err(fp, "unknown field (expected one of: leader, violations, nodes)")),
            }
        }
        Ok(e)
    }

    /// Whether `violations` is expected: then the run's violations are what
    /// the file says they must be, not a failure of their own.
    pub fn judges_violations(&self) -> bool {
        self.violations.is_some()
    }

    /// Every expectation the world at the end of a run does not meet, in
    /// the block's order (leader, violations, nodes by id).
    pub fn check(&self, w: &World) -> Vec<Mismatch> {
        let mut out = Vec::new();
        if let Some(want) = self.leader {
            let found = w.current_leader();
            if want != found {
                out.push(Mismatch { field: Field::Leader, expected: to_json(&want), found: to_json(&found) });
            }
        }
        match &self.violations {
            None => {}
            Some(Violations::Count(n)) => {
                if w.violation_count() != *n {
                    out.push(Mismatch { field: Field::Violations, expected: to_json(n), found: to_json(&w.violation_count()) });
                }
            }
            Some(Violations::Broken(want)) => {
                let broken: Vec<Property> = w.checker.status().iter().filter(|s| !s.ok).map(|s| s.property).collect();
                if want.iter().any(|p| !broken.contains(p)) {
                    let names = |ps: &[Property]| Value::Array(ps.iter().map(|p| Value::String(property_name(*p))).collect());
                    out.push(Mismatch { field: Field::Violations, expected: names(want), found: names(&broken) });
                }
            }
        }
        for (id, ne) in &self.nodes {
            if let Some(slot) = w.nodes.get(*id as usize - 1) {
                ne.check(*id, slot, &mut out);
            }
        }
        out
    }
}

/// A scenario file and its `expect` block (if it has one), each checked
/// with its path: what `ringraft run` and the tests read.
pub fn read_scenario(text: &str) -> Result<(Scenario, Option<Expect>), ScenarioError> {
    let v = super::scenario::json_value(text)?;
    let sc = Scenario::from_value(&v)?;
    let expect = v.get("expect").map(|e| Expect::from_value(e, sc.known_ids())).transpose()?;
    Ok((sc, expect))
}
