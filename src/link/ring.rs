//! The Hash ring view's restorable state: what a shared link, an embed or a
//! guided-tour step carries in the `ring` parameter (JSON; [`super::raft`]
//! wraps it in base64url). Pure: no browser types, tested natively.
//!
//! ```json
//! { "algo": "ring", "nodes": [{"name": "A", "weight": 1}, …] | 4,
//!   "vnodes": 100, "replicas": 1, "keys": 10000, "compare": false,
//!   "change": {"op": "add", "name": "E"}, "lookup": "key-42", "step": 3 }
//! ```
//!
//! Every field is optional. `nodes` is the membership *before* `change`;
//! loading applies `change` so the page shows its moved keys, migration plan
//! and counter (and, with `compare`, every algorithm on that same change).
//! `nodes` may be a count (`4` = A, B, C, D at weight 1).
//!
//! A link is untrusted input: [`RingLinkState::parse`] never panics, and each
//! unusable field is reported as a [`LinkError`] and replaced by its
//! default while the rest is kept (the same policy as [`super::raft`]).

use super::{check_text, json_object, BadText, LinkError, NotAnObject};
use crate::ring::{node_name, Algorithm, Change, NodeSpec};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Limits of what the page offers (drawing and responsiveness, not placement rules).
pub const MAX_KEYS: usize = 10_000;
pub const MAX_VNODES: u32 = 1_000;
pub const MAX_NODES: usize = 128;
pub const MAX_REPLICAS: usize = 7;
pub const MAX_WEIGHT: f64 = 16.0;
/// Longest node name (drawn in a badge) and looked-up key (shown as text).
pub const MAX_NAME_LEN: usize = 24;
pub const MAX_KEY_LEN: usize = 200;
/// Longest JSON we read at all.
pub const MAX_JSON_LEN: usize = 16 * 1024;

pub const DEFAULT_NODES: usize = 4;
pub const DEFAULT_VNODES: u32 = 100;
pub const DEFAULT_KEYS: usize = 10_000;

/// One node as a link carries it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkNode {
    pub name: String,
    #[serde(default = "one")]
    pub weight: f64,
}

fn one() -> f64 {
    1.0
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RingLinkState {
    pub algo: Algorithm,
    /// Membership before `change` (serialised as a count when it is A, B, C… at weight 1).
    #[serde(serialize_with = "nodes_compact")]
    pub nodes: Vec<LinkNode>,
    pub vnodes: u32,
    pub replicas: usize,
    pub keys: usize,
    pub compare: bool,
    /// The last membership change, re-applied on load.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change: Option<Change>,
    /// The key being explained.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lookup: Option<String>,
    /// The explanation step shown (clamped to the steps there are).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step: Option<usize>,
}

fn default_nodes(n: usize) -> Vec<LinkNode> {
    (0..n).map(|i| LinkNode { name: node_name(i), weight: 1.0 }).collect()
}

fn nodes_compact<S: serde::Serializer>(nodes: &[LinkNode], s: S) -> Result<S::Ok, S::Error> {
    if *nodes == default_nodes(nodes.len())[..] {
        s.serialize_u64(nodes.len() as u64)
    } else {
        nodes.serialize(s)
    }
}

impl Default for RingLinkState {
    fn default() -> Self {
        RingLinkState {
            algo: Algorithm::Ring,
            nodes: default_nodes(DEFAULT_NODES),
            vnodes: DEFAULT_VNODES,
            replicas: 1,
            keys: DEFAULT_KEYS,
            compare: false,
            change: None,
            lookup: None,
            step: None,
        }
    }
}

/// The ring's scenario library: (id, state JSON). The page lists them by the
/// i18n key `ring.preset.{id}`; the tests load each one.
pub const PRESETS: &[(&str, &str)] = &[
    ("add", r#"{"nodes":4,"change":{"op":"add","name":"E"}}"#),
    ("remove", r#"{"nodes":5,"change":{"op":"remove","name":"C"}}"#),
    ("modn", r#"{"nodes":4,"compare":true,"change":{"op":"add","name":"E"}}"#),
    ("weights", r#"{"nodes":[{"name":"A","weight":1},{"name":"B","weight":1},{"name":"C","weight":1},{"name":"D","weight":1}],"change":{"op":"reweight","name":"A","weight":3}}"#),
    ("replicas", r#"{"nodes":5,"replicas":3,"lookup":"key-42"}"#),
    ("few-vnodes", r#"{"nodes":5,"vnodes":1,"compare":false}"#),
];

fn problem(field: &str, reason: impl Into<String>) -> LinkError {
    LinkError::new(field, reason)
}

fn clip(s: &str) -> String {
    super::clip(s, 32)
}

fn show(v: &Value) -> String {
    clip(&v.to_string())
}

fn whole(field: &str, v: &Value, lo: u64, hi: u64) -> Result<u64, LinkError> {
    match v.as_u64() {
        Some(n) if (lo..=hi).contains(&n) => Ok(n),
        _ => Err(problem(field, format!("expected a whole number from {lo} to {hi}, got {}", show(v)))),
    }
}

fn weight(field: &str, v: &Value) -> Result<f64, LinkError> {
    match v.as_f64() {
        Some(w) if w.is_finite() && (0.0..=MAX_WEIGHT).contains(&w) => Ok(w),
        _ => Err(problem(field, format!("weight must be a number from 0 to {}, got {}", crate::num::short(MAX_WEIGHT), show(v)))),
    }
}

fn check_name(field: &str, name: &str) -> Result<(), LinkError> {
    check_text(name, MAX_NAME_LEN).map_err(|bad| match bad {
        BadText::Empty => problem(field, "node names must not be empty"),
        BadText::TooLong => problem(field, format!("node name \"{}\" is longer than {MAX_NAME_LEN} characters", clip(name))),
        BadText::Control => problem(field, "node names must not contain control characters"),
    })
}

fn parse_nodes(v: &Value) -> Result<Vec<LinkNode>, LinkError> {
    if let Some(n) = v.as_u64() {
        let n = whole("nodes", v, 1, MAX_NODES as u64).map_err(|_| {
            problem("nodes", format!("expected 1 to {MAX_NODES} nodes, got {n}"))
        })?;
        return Ok(default_nodes(n as usize));
    }
    let Some(list) = v.as_array() else {
        return Err(problem("nodes", format!("expected a node count or a list of {{name, weight}}, got {}", show(v))));
    };
    if list.is_empty() || list.len() > MAX_NODES {
        return Err(problem("nodes", format!("expected 1 to {MAX_NODES} nodes, got {}", list.len())));
    }
    let mut out: Vec<LinkNode> = Vec::with_capacity(list.len());
    for (i, item) in list.iter().enumerate() {
        let field = format!("nodes[{i}]");
        let node = match item {
            Value::String(name) => LinkNode { name: name.clone(), weight: 1.0 },
            Value::Object(o) => {
                let name = o.get("name").and_then(Value::as_str).ok_or_else(|| problem(&field, "missing \"name\""))?;
                let w = match o.get("weight") {
                    Some(w) => weight(&field, w)?,
                    None => 1.0,
                };
                LinkNode { name: name.to_string(), weight: w }
            }
            other => return Err(problem(&field, format!("expected {{name, weight}}, got {}", show(other)))),
        };
        check_name(&field, &node.name)?;
        if out.iter().any(|n| n.name == node.name) {
            return Err(problem(&field, format!("node {} is listed twice", clip(&node.name))));
        }
        out.push(node);
    }
    if out.iter().all(|n| n.weight == 0.0) {
        return Err(problem("nodes", "every node has weight 0: no node could take keys"));
    }
    Ok(out)
}

/// `{"op": "add", …}` (the core's form) or `{"add": {…}}` (externally tagged).
fn parse_change(v: &Value) -> Result<Change, LinkError> {
    let tagged = match v {
        Value::Object(o) if !o.contains_key("op") && o.len() == 1 => {
            let (op, body) = o.iter().next().map(|(k, b)| (k.clone(), b.clone())).unwrap_or_default();
            let mut body = match body {
                Value::Object(b) => b,
                other => return Err(problem("change", format!("expected an object after \"{}\", got {}", clip(&op), show(&other)))),
            };
            body.insert("op".into(), Value::String(op));
            Value::Object(body)
        }
        other => other.clone(),
    };
    serde_json::from_value::<Change>(tagged).map_err(|e| {
        problem("change", format!("expected {{\"op\": \"add\" | \"remove\" | \"reweight\", \"name\": …}} ({e})"))
    })
}

/// Checks `change` against the node list it applies to.
fn check_change(nodes: &[LinkNode], c: &Change) -> Result<(), LinkError> {
    let has = |name: &str| nodes.iter().any(|n| n.name == name);
    match c {
        Change::Add { name, weight: w, vnodes } => {
            check_name("change", name)?;
            if has(name) {
                return Err(problem("change", format!("node {} already exists", clip(name))));
            }
            if nodes.len() >= MAX_NODES {
                return Err(problem("change", format!("at most {MAX_NODES} nodes")));
            }
            weight("change", &Value::from(*w))?;
            if let Some(v) = vnodes {
                whole("change", &Value::from(*v), 1, MAX_VNODES as u64)?;
            }
        }
        Change::Remove { name } => {
            if !has(name) {
                return Err(problem("change", format!("there is no node named {}", clip(name))));
            }
            if nodes.len() <= 1 {
                return Err(problem("change", "the last node cannot be removed"));
            }
            if nodes.iter().all(|n| n.name == *name || n.weight == 0.0) {
                return Err(problem("change", "every remaining node would have weight 0"));
            }
        }
        Change::Reweight { name, weight: w } => {
            if !has(name) {
                return Err(problem("change", format!("there is no node named {}", clip(name))));
            }
            weight("change", &Value::from(*w))?;
            if nodes.iter().all(|n| if n.name == *name { *w == 0.0 } else { n.weight == 0.0 }) {
                return Err(problem("change", "every node would have weight 0"));
            }
        }
    }
    Ok(())
}

const FIELDS: [&str; 9] = ["algo", "nodes", "vnodes", "replicas", "keys", "compare", "change", "lookup", "step"];

impl RingLinkState {
    /// Reads a link's JSON. Never fails: unusable fields keep their default
    /// and are listed in the returned problems (empty when all was used).
    pub fn parse(json: &str) -> (RingLinkState, Vec<LinkError>) {
        let mut st = RingLinkState::default();
        let mut problems = Vec::new();
        if json.len() > MAX_JSON_LEN {
            problems.push(problem("", format!("the ring settings are longer than {MAX_JSON_LEN} bytes; defaults used")));
            return (st, problems);
        }
        let obj: Map<String, Value> = match json_object(json) {
            Ok(o) => o,
            Err(NotAnObject::Other(other)) => {
                problems.push(problem("", format!("expected a JSON object, got {}; defaults used", show(&other))));
                return (st, problems);
            }
            Err(NotAnObject::Syntax(e)) => {
                problems.push(problem("", format!("not valid JSON ({e}); defaults used")));
                return (st, problems);
            }
        };
        let mut take = |r: Result<(), LinkError>| {
            if let Err(p) = r {
                problems.push(p);
            }
        };
        for key in obj.keys().filter(|k| !FIELDS.contains(&k.as_str())) {
            take(Err(problem(key, "unknown field, ignored")));
        }
        if let Some(v) = obj.get("algo") {
            take(match v.as_str().map(str::parse::<Algorithm>) {
                Some(Ok(a)) => {
                    st.algo = a;
                    Ok(())
                }
                Some(Err(e)) => Err(problem("algo", e)),
                None => Err(problem("algo", format!("expected an algorithm name, got {}", show(v)))),
            });
        }
        if let Some(v) = obj.get("nodes") {
            take(parse_nodes(v).map(|n| st.nodes = n));
        }
        if let Some(v) = obj.get("vnodes") {
            take(whole("vnodes", v, 1, MAX_VNODES as u64).map(|n| st.vnodes = n as u32));
        }
        if let Some(v) = obj.get("replicas") {
            take(whole("replicas", v, 1, MAX_REPLICAS as u64).map(|n| st.replicas = n as usize));
        }
        if let Some(v) = obj.get("keys") {
            take(whole("keys", v, 1, MAX_KEYS as u64).map(|n| st.keys = n as usize));
        }
        if let Some(v) = obj.get("compare") {
            take(match v.as_bool() {
                Some(b) => {
                    st.compare = b;
                    Ok(())
                }
                None => Err(problem("compare", format!("expected true or false, got {}", show(v)))),
            });
        }
        if let Some(v) = obj.get("change").filter(|v| !v.is_null()) {
            take(parse_change(v).and_then(|c| {
                check_change(&st.nodes, &c)?;
                st.change = Some(c);
                Ok(())
            }));
        }
        if let Some(v) = obj.get("lookup").filter(|v| !v.is_null()) {
            take(match v.as_str() {
                Some(k) if k.trim().is_empty() => Err(problem("lookup", "the key to explain is empty")),
                Some(k) if k.chars().count() > MAX_KEY_LEN => {
                    Err(problem("lookup", format!("the key is longer than {MAX_KEY_LEN} characters")))
                }
                Some(k) => {
                    st.lookup = Some(k.to_string());
                    Ok(())
                }
                None => Err(problem("lookup", format!("expected a key (text), got {}", show(v)))),
            });
        }
        if let Some(v) = obj.get("step").filter(|v| !v.is_null()) {
            take(match v.as_u64() {
                Some(_) if st.lookup.is_none() => Err(problem("step", "a step needs a \"lookup\" key; ignored")),
                Some(s) => {
                    st.step = Some(s.min(10_000) as usize);
                    Ok(())
                }
                None => Err(problem("step", format!("expected a whole number ≥ 0, got {}", show(v)))),
            });
        }
        (st, problems)
    }

    /// The JSON the view emits (compact: defaults are still written, so a
    /// link means the same thing if defaults change later).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The node list before `change`, as the core takes it.
    pub fn node_specs(&self) -> Vec<NodeSpec> {
        self.nodes.iter().map(|n| NodeSpec::weighted(n.name.clone(), n.weight)).collect()
    }

    pub fn from_specs(nodes: &[NodeSpec]) -> Vec<LinkNode> {
        nodes.iter().map(|n| LinkNode { name: n.name.clone(), weight: n.weight }).collect()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_preset_parses_without_problems() {
        for (id, json) in super::PRESETS {
            let (_, problems) = super::RingLinkState::parse(json);
            assert!(problems.is_empty(), "preset {id}: {problems:?}");
        }
    }

    use super::*;

    fn ok(json: &str) -> RingLinkState {
        let (st, problems) = RingLinkState::parse(json);
        assert!(problems.is_empty(), "{json}: {problems:?}");
        st
    }

    fn bad(json: &str, field: &str, needle: &str) -> RingLinkState {
        let (st, problems) = RingLinkState::parse(json);
        assert!(
            problems.iter().any(|p| p.path == field && p.to_string().contains(needle)),
            "{json}: expected a problem with {field} mentioning {needle:?}, got {problems:?}"
        );
        st
    }

    #[test]
    fn empty_object_is_the_default() {
        assert_eq!(ok("{}"), RingLinkState::default());
    }

    #[test]
    fn round_trip_full_state() {
        let st = RingLinkState {
            algo: Algorithm::Bounded,
            nodes: vec![
                LinkNode { name: "A".into(), weight: 1.0 },
                LinkNode { name: "db-2".into(), weight: 2.5 },
                LinkNode { name: "C".into(), weight: 0.0 },
            ],
            vnodes: 37,
            replicas: 3,
            keys: 1234,
            compare: true,
            change: Some(Change::Reweight { name: "db-2".into(), weight: 4.0 }),
            lookup: Some("user:42".into()),
            step: Some(5),
        };
        let json = st.to_json();
        assert_eq!(ok(&json), st, "{json}");
        for change in [
            Change::Add { name: "E".into(), weight: 1.0, vnodes: None },
            Change::Add { name: "F".into(), weight: 2.0, vnodes: Some(10) },
            Change::Remove { name: "A".into() },
        ] {
            let st = RingLinkState { change: Some(change), ..st.clone() };
            assert_eq!(ok(&st.to_json()), st);
        }
        assert_eq!(ok(&RingLinkState::default().to_json()), RingLinkState::default());
    }

    #[test]
    fn default_named_nodes_serialise_as_a_count() {
        let json = RingLinkState { nodes: default_nodes(6), ..Default::default() }.to_json();
        assert!(json.contains(r#""nodes":6"#), "{json}");
        assert!(!json.contains("lookup") && !json.contains("change"), "{json}");
        assert_eq!(ok(&json).nodes.len(), 6);
    }

    #[test]
    fn tour_states_load() {
        // "4 nodes, compare on, change = add one node" in both change spellings.
        let a = ok(r#"{"nodes":4,"compare":true,"change":{"op":"add","name":"E"}}"#);
        let b = ok(r#"{"nodes":[{"name":"A"},{"name":"B"},{"name":"C"},{"name":"D"}],"compare":true,
                      "change":{"add":{"name":"E","weight":1.0}}}"#);
        assert_eq!(a, b);
        assert_eq!(a.nodes.len(), 4);
        assert_eq!(a.change, Some(Change::Add { name: "E".into(), weight: 1.0, vnodes: None }));
        assert!(a.compare);
        // Names may be given as plain strings.
        assert_eq!(ok(r#"{"nodes":["A","B","C","D"]}"#).nodes, default_nodes(4));
    }

    #[test]
    fn rejects_bad_json_with_defaults() {
        for json in ["", "{", "nope", "[1,2]", "42", "null", "{\"vnodes\": }"] {
            let (st, problems) = RingLinkState::parse(json);
            assert_eq!(st, RingLinkState::default(), "{json}");
            assert_eq!(problems.len(), 1, "{json}: {problems:?}");
            assert!(problems[0].to_string().contains("defaults used"), "{}", problems[0]);
        }
        let (_, p) = RingLinkState::parse(&format!("{{\"lookup\":\"{}\"}}", "x".repeat(MAX_JSON_LEN)));
        assert!(p[0].reason.contains("longer than"));
    }

    #[test]
    fn rejects_out_of_range_values_field_by_field() {
        let st = bad(r#"{"vnodes":0,"keys":500}"#, "vnodes", "from 1 to 1000, got 0");
        assert_eq!((st.vnodes, st.keys), (DEFAULT_VNODES, 500), "the good field is kept");
        bad(r#"{"vnodes":1000000000}"#, "vnodes", "got 1000000000");
        bad(r#"{"vnodes":-5}"#, "vnodes", "got -5");
        bad(r#"{"vnodes":2.5}"#, "vnodes", "got 2.5");
        bad(r#"{"vnodes":"lots"}"#, "vnodes", "\"lots\"");
        bad(r#"{"keys":0}"#, "keys", "from 1 to 10000");
        bad(r#"{"keys":10001}"#, "keys", "got 10001");
        bad(r#"{"replicas":8}"#, "replicas", "from 1 to 7");
        bad(r#"{"algo":"chord"}"#, "algo", "unknown algorithm \"chord\"");
        bad(r#"{"algo":3}"#, "algo", "expected an algorithm name");
        bad(r#"{"compare":"yes"}"#, "compare", "true or false");
        bad(r#"{"nodes":0}"#, "nodes", "1 to 128 nodes, got 0");
        bad(r#"{"nodes":129}"#, "nodes", "got 129");
        bad(r#"{"nodes":[]}"#, "nodes", "got 0");
        bad(r#"{"nodes":[{"name":"A","weight":-1}]}"#, "nodes[0]", "from 0 to 16, got -1");
        bad(r#"{"nodes":[{"name":"A","weight":17}]}"#, "nodes[0]", "got 17");
        bad(r#"{"nodes":[{"name":"A"},{"name":"A"}]}"#, "nodes[1]", "listed twice");
        bad(r#"{"nodes":[{"name":""}]}"#, "nodes[0]", "must not be empty");
        bad(r#"{"nodes":[{"weight":1}]}"#, "nodes[0]", "missing \"name\"");
        bad(r#"{"nodes":[{"name":"A","weight":0}]}"#, "nodes", "weight 0");
        bad(r#"{"nodes":[{"name":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}]}"#, "nodes[0]", "longer than 24");
        bad(r#"{"lookup":""}"#, "lookup", "empty");
        bad(r#"{"lookup":7}"#, "lookup", "expected a key");
        bad(r#"{"step":2}"#, "step", "needs a \"lookup\"");
        bad(r#"{"lookup":"k","step":-1}"#, "step", "whole number");
        bad(r#"{"vnode":20}"#, "vnode", "unknown field");
    }

    #[test]
    fn rejects_changes_that_do_not_fit_the_nodes() {
        let st = bad(r#"{"nodes":4,"change":{"op":"add","name":"A"}}"#, "change", "A already exists");
        assert_eq!((st.change, st.nodes.len()), (None, 4), "the change is dropped, the nodes kept");
        bad(r#"{"nodes":4,"change":{"op":"remove","name":"Z"}}"#, "change", "no node named Z");
        bad(r#"{"nodes":1,"change":{"op":"remove","name":"A"}}"#, "change", "last node");
        bad(r#"{"nodes":2,"change":{"op":"reweight","name":"B","weight":99}}"#, "change", "got 99");
        bad(r#"{"nodes":1,"change":{"op":"reweight","name":"A","weight":0}}"#, "change", "weight 0");
        bad(r#"{"nodes":128,"change":{"op":"add","name":"new"}}"#, "change", "at most 128");
        bad(r#"{"change":{"op":"split","name":"A"}}"#, "change", "expected {\"op\"");
        bad(r#"{"change":{"add":5}}"#, "change", "expected an object after \"add\"");
        bad(r#"{"change":"add"}"#, "change", "expected {\"op\"");
        // A bad node list falls back to the defaults, and the change is checked against those.
        let st = bad(r#"{"nodes":"x","change":{"op":"add","name":"E"}}"#, "nodes", "node count");
        assert_eq!(st.change, Some(Change::Add { name: "E".into(), weight: 1.0, vnodes: None }));
    }

    #[test]
    fn null_optional_fields_are_absent() {
        assert_eq!(ok(r#"{"change":null,"lookup":null,"step":null}"#), RingLinkState::default());
    }

    #[test]
    fn never_panics_on_hostile_shapes() {
        for json in [
            r#"{"nodes":[1,2,3]}"#,
            r#"{"nodes":{"name":"A"}}"#,
            r#"{"change":{}}"#,
            r#"{"change":{"op":"add"}}"#,
            r#"{"change":{"op":"add","name":"E","weight":"heavy"}}"#,
            r#"{"step":1e300,"lookup":"k"}"#,
            r#"{"keys":1e999}"#,
            "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]",
        ] {
            let (_, problems) = RingLinkState::parse(json);
            assert!(!problems.is_empty(), "{json}");
        }
    }

    /// The tour's "4 nodes, compare on, change = add one node" state: the
    /// loaded view compares mod-N ≈ 80 % against the ring ≈ 20 % of keys moved.
    #[test]
    fn tour_state_shows_the_mod_n_contrast() {
        use crate::ring::{compare_algorithms, generate_keys, Settings};
        let st = ok(r#"{"nodes":4,"compare":true,"change":{"add":{"name":"E","weight":1.0}}}"#);
        let settings = Settings { vnodes: st.vnodes, ..Settings::new(st.algo) };
        let change = st.change.clone().unwrap();
        let reports = compare_algorithms(&st.node_specs(), &settings, &change, &generate_keys(st.keys)).unwrap();
        let moved = |a: Algorithm| reports.iter().find(|r| r.algorithm == a).unwrap().migration.moved_fraction;
        assert!((0.75..0.85).contains(&moved(Algorithm::ModN)), "mod-N moved {}", moved(Algorithm::ModN));
        assert!((0.14..0.26).contains(&moved(Algorithm::Ring)), "ring moved {}", moved(Algorithm::Ring));
    }

    /// Where the add-node click's time goes at 64 nodes × 256 vnodes, 10 000
    /// keys (native, release): `cargo test --release --lib link::ring -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn profile_add_node_at_64_nodes() {
        use crate::ring::*;
        use std::time::Instant;
        let keys = generate_keys(10_000);
        let settings = Settings { vnodes: 256, ..Settings::new(Algorithm::Ring) };
        let before = Placement::new(nodes_named(64), settings).unwrap();
        let a = before.assign(&keys);
        let t = |label: &str, f: &mut dyn FnMut()| {
            let t0 = Instant::now();
            for _ in 0..5 {
                f();
            }
            println!("{label:>28}: {:7.2} ms", t0.elapsed().as_secs_f64() * 1000.0 / 5.0);
        };
        let change = Change::Add { name: node_name(64), weight: 1.0, vnodes: None };
        let after = before.with_change(&change).unwrap();
        t("with_change (build ring)", &mut || drop(before.with_change(&change).unwrap()));
        t("assign 10k keys", &mut || drop(after.assign(&keys)));
        t("migration (2 assigns + diff)", &mut || drop(migration(&before, &after, &keys)));
        let _ = a;
        let counts = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];
        t("balance_sweep (10 rings)", &mut || drop(balance_sweep(after.nodes(), &keys, &counts).unwrap()));
    }
}
