//! The scenario language: one serde format for presets, shared links,
//! imported files, the CLI and the tests.
//!
//! Parsing goes in three passes so that every error names the JSON path of
//! the offending field (`initial[2].log[3].term`) and nothing panics:
//! 1. text → `serde_json::Value` (syntax errors carry line/column);
//! 2. a small static schema walk that reports unknown fields and wrong
//!    types with their path (serde alone reports neither path);
//! 3. `serde_json::from_value` into the typed `Scenario`, then semantic
//!    checks (ranges, and an initial state Raft could actually reach).

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::raft::{Command, Config, Entry, Index, NodeId, Term};

use super::action::{Action, ClientLoad};
use super::network::{NetworkSettings, Timing};

/// A scenario error: where (JSON path, "" for the whole document) and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ScenarioError {
    pub path: String,
    pub reason: String,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.reason)
        } else {
            write!(f, "{}: {}", self.path, self.reason)
        }
    }
}

impl std::error::Error for ScenarioError {}

fn err(path: impl Into<String>, reason: impl Into<String>) -> ScenarioError {
    ScenarioError { path: path.into(), reason: reason.into() }
}

/// One log entry in an initial state: either a full entry or just its term
/// (the compact form used for the paper's figures).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum LogItem {
    Term(Term),
    Entry(Entry),
}

// Read by hand: serde's `untagged` buffers every input to try each shape.
impl<'de> Deserialize<'de> for LogItem {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        match v {
            Value::Number(_) => Term::deserialize(&v).map(LogItem::Term).map_err(serde::de::Error::custom),
            _ => Entry::deserialize(&v).map(LogItem::Entry).map_err(serde::de::Error::custom),
        }
    }
}

/// A server's state before the scenario starts (Figure 2 persistent state).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct InitialNode {
    pub term: Term,
    pub voted_for: Option<NodeId>,
    pub log: Vec<LogItem>,
    /// Start crashed (restart it with an action).
    pub crashed: bool,
}

impl InitialNode {
    /// The log as entries. A compact term gets a distinct command per
    /// (index, term), so entries that differ in term also differ in content
    /// and the checker can tell them apart when applied.
    pub fn entries(&self) -> Vec<Entry> {
        self.log
            .iter()
            .enumerate()
            .map(|(i, item)| match item {
                LogItem::Term(t) => {
                    Entry::new(*t, Command::Set { key: "x".to_string(), value: format!("{}@{}", i + 1, t) })
                }
                LogItem::Entry(e) => e.clone(),
            })
            .collect()
    }
}

/// An action at a point of virtual time.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimedAction {
    pub at_ms: u64,
    pub action: Action,
}

/// When a run stops. State conditions must all hold (once every scripted
/// action has fired); `time_ms` is a deadline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Until {
    /// A live leader whose term is at least every live node's term.
    LeaderElected,
    /// Every live node holds the same log.
    AllLogsEqual,
    /// Some node's commitIndex reached `index`.
    Committed { index: Index },
    /// Stop at this virtual time at the latest.
    TimeMs(u64),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Scenario {
    pub name: String,
    pub description: String,
    pub nodes: u8,
    pub seed: u64,
    pub timing: Timing,
    pub network: NetworkSettings,
    pub raft: Config,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub initial: Option<Vec<InitialNode>>,
    pub actions: Vec<TimedAction>,
    pub until: Vec<Until>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_load: Option<ClientLoad>,
    /// Clients re-send a redirected request to the leader hint.
    pub follow_redirects: bool,
    /// Events taken one by one in this order instead of the timed queue
    /// (`sim::schedule`): the explorer's counterexamples, replayed by `run`.
    #[cfg(feature = "schedule")]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub schedule: Vec<super::schedule::Step>,
}

impl Default for Scenario {
    fn default() -> Self {
        Scenario {
            name: String::new(),
            description: String::new(),
            nodes: 5,
            seed: 1,
            timing: Timing::default(),
            network: NetworkSettings::default(),
            raft: Config::default(),
            initial: None,
            actions: Vec::new(),
            until: Vec::new(),
            client_load: None,
            follow_redirects: false,
            #[cfg(feature = "schedule")]
            schedule: Vec::new(),
        }
    }
}

/// Upper bounds that keep every later multiplication (ms → µs) in range and
/// every run finite.
const MAX_TIME_MS: u64 = 1_000_000_000_000;
const MAX_DURATION_MS: u64 = 10_000_000;
const MAX_ITEMS: usize = 100_000;
/// Most entries an initial log may hold: far more than any lesson needs,
/// few enough that an import reads in a fraction of a second (9 servers at
/// the limit with commands: ≈1 MB of JSON) and a run starts at once.
pub const MAX_INITIAL_LOG: usize = 2_000;

// ----- pass 2: a tiny static schema ------------------------------------------

/// Why the page's lean modules refuse part of a scenario, link or action:
/// it needs the extended protocol. The lean Raft module, seeing it in a
/// link or an imported file, opens the same run in the page's extended
/// module (`x=1`, see `ui::app`), which has it.
pub const NEEDS_EXTENDED: &str = "needs the extended protocol (reads, sessions, clock drift, membership changes, snapshots)";

#[derive(Clone, Copy)]
enum S {
    U64,
    /// A whole number that fits 32 bits (counts read into u32 / usize).
    U32,
    U8,
    Num,
    Bool,
    Str,
    Any,
    Opt(&'static S),
    Arr(&'static S),
    Obj(&'static [(&'static str, S)]),
    /// A log item: a term number or {term, command}.
    LogItem,
    /// The `until` list items: "name" or {"name": ...}.
    UntilItem,
    /// A field this build does not have (the extended protocol's, in the
    /// page's lean modules): refused with a reason.
    Never,
}

const TIMING: S = S::Obj(&[("election_min_ms", S::U64), ("election_max_ms", S::U64), ("heartbeat_ms", S::U64)]);
const NETWORK: S = S::Obj(&[
    ("latency_min_ms", S::U64),
    ("latency_max_ms", S::U64),
    ("loss", S::Num),
    ("duplicate", S::Num),
    ("reorder", S::Bool),
]);
// The extended client protocol's fields (reads, sessions, drift) exist only
// with the `extended` feature; the page's lean modules name them as unknown
// (see `src/lean/mod.rs`).
const EXT: bool = cfg!(feature = "extended");
// Membership changes and compaction (cargo feature `membership`, which
// `extended` implies): the cluster view's module has them too.
const MEMB: bool = cfg!(feature = "membership");
const BUGS: S = S::Obj(&[
    ("commit_old_terms", S::Bool),
    ("forget_vote_on_crash", S::Bool),
    ("skip_consistency_check", S::Bool),
    ("skip_up_to_date_check", S::Bool),
    ("lease_ignores_drift", if EXT { S::Bool } else { S::Never }),
    ("read_without_quorum_check", if EXT { S::Bool } else { S::Never }),
    ("no_dedup", if EXT { S::Bool } else { S::Never }),
    ("unsafe_single_server_change", if MEMB { S::Bool } else { S::Never }),
    ("snapshot_drops_config", if MEMB { S::Bool } else { S::Never }),
    ("reply_before_persist", if MEMB { S::Bool } else { S::Never }),
]);
const RAFT: S = S::Obj(&[
    ("max_batch", S::U32),
    ("noop_on_election", S::Bool),
    ("backtrack", S::Str),
    ("pre_vote", S::Bool),
    ("check_quorum", S::Bool),
    ("read_mode", if EXT { S::Str } else { S::Never }),
    ("disruption_guard", if EXT { S::Bool } else { S::Never }),
    ("snapshot_threshold", if MEMB { S::U64 } else { S::Never }),
    ("learner_catch_up", if MEMB { S::Bool } else { S::Never }),
    ("bugs", BUGS),
]);
const INITIAL_NODE: S =
    S::Obj(&[("term", S::U64), ("voted_for", S::Opt(&S::U8)), ("log", S::Arr(&S::LogItem)), ("crashed", S::Bool)]);
const TIMED_ACTION: S = S::Obj(&[("at_ms", S::U64), ("action", S::Any)]);
const CLIENT_LOAD: S = S::Obj(&[
    ("interval_ms", S::U64),
    ("keys", S::U32),
    ("reads_pct", if EXT { S::U8 } else { S::Never }),
    ("append", if EXT { S::Bool } else { S::Never }),
    ("clients", if EXT { S::U8 } else { S::Never }),
    ("sessions", if EXT { S::Bool } else { S::Never }),
    ("timeout_ms", if EXT { S::U64 } else { S::Never }),
    ("retry", if EXT { S::Bool } else { S::Never }),
]);
const SCENARIO: S = S::Obj(&[
    ("name", S::Str),
    ("description", S::Str),
    ("nodes", S::U8),
    ("seed", S::U64),
    ("timing", TIMING),
    ("network", NETWORK),
    ("raft", RAFT),
    ("initial", S::Opt(&S::Arr(&INITIAL_NODE))),
    ("actions", S::Arr(&TIMED_ACTION)),
    ("until", S::Arr(&S::UntilItem)),
    ("client_load", S::Opt(&CLIENT_LOAD)),
    ("follow_redirects", S::Bool),
    // What the run must end in (`sim::expect`, the `expect` feature): read and
    // checked by the CLI and the tests; every build accepts and skips it, so a
    // scenario that is also a test opens in the page.
    ("expect", S::Any),
    // Steps, each read by serde (`sim::schedule::Step`) with its path.
    ("schedule", S::Arr(&S::Any)),
]);

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn walk(v: &Value, s: &S, path: &str) -> Result<(), ScenarioError> {
    let expected = |what: &str| err(path, format!("expected {what}, found {}", type_name(v)));
    match s {
        S::Any => Ok(()),
        // Its "off" value (what an export writes) is fine.
        S::Never if matches!(v, Value::Null | Value::Bool(false)) || v.as_u64() == Some(0) || v.as_str() == Some("log") => Ok(()),
        S::Never => Err(err(path, NEEDS_EXTENDED)),
        S::U64 => v.as_u64().map(|_| ()).ok_or_else(|| expected("a non-negative integer")),
        S::U8 | S::U32 => {
            let max = if matches!(s, S::U8) { 255 } else { u32::MAX as u64 };
            match v.as_u64() {
                Some(n) if n <= max => Ok(()),
                Some(n) => Err(err(path, format!("{n} is out of range (0..={max})"))),
                None => Err(expected("a non-negative integer")),
            }
        }
        S::Num => v.as_f64().map(|_| ()).ok_or_else(|| expected("a number")),
        S::Bool => v.as_bool().map(|_| ()).ok_or_else(|| expected("true or false")),
        S::Str => v.as_str().map(|_| ()).ok_or_else(|| expected("a string")),
        S::Opt(inner) => {
            if v.is_null() {
                Ok(())
            } else {
                walk(v, inner, path)
            }
        }
        S::Arr(inner) => {
            let a = v.as_array().ok_or_else(|| expected("an array"))?;
            if a.len() > MAX_ITEMS {
                return Err(err(path, format!("too many items ({}, at most {MAX_ITEMS})", a.len())));
            }
            // Paths are made only for an error: the item is walked again
            // with its own (a long log would format one per entry).
            for (i, item) in a.iter().enumerate() {
                if walk(item, inner, path).is_err() {
                    return walk(item, inner, &format!("{path}[{i}]"));
                }
            }
            Ok(())
        }
        S::Obj(fields) => {
            let o = v.as_object().ok_or_else(|| expected("an object"))?;
            for (k, val) in o {
                match fields.iter().find(|(name, _)| name == k) {
                    Some((_, fs)) => {
                        if walk(val, fs, path).is_err() {
                            return walk(val, fs, &join(path, k));
                        }
                    }
                    None => {
                        let names: Vec<&str> = fields.iter().map(|f| f.0).collect();
                        return Err(err(join(path, k), format!("unknown field (expected one of: {})", names.join(", "))));
                    }
                }
            }
            Ok(())
        }
        S::LogItem => match v {
            Value::Number(_) => walk(v, &S::U64, &join(path, "term")).map_err(|e| err(path, e.reason)),
            Value::Object(_) => walk(v, &S::Obj(&[("term", S::U64), ("command", S::Any)]), path),
            _ => Err(expected("a term number or {\"term\", \"command\"}")),
        },
        // Checked form by form in `read_until`, which says what each expects.
        S::UntilItem => Ok(()),
    }
}

/// Deserialize one sub-value, prefixing serde's message with its path.
fn typed<T: serde::de::DeserializeOwned>(v: &Value, path: &str) -> Result<T, ScenarioError> {
    T::deserialize(v).map_err(|e| err(path, e.to_string()))
}

// Readers for the plain settings objects. `walk` has already checked each
// of their fields' names and types against the schema, so they read the
// values directly instead of through serde's derived `Deserialize` (whose
// generated visitors cost the page's wasm several KB; see src/lean/mod.rs).
// A field left out keeps its default, as `#[serde(default)]` does.

/// Sets `$dst.$field` from `$v[$field]` for each listed field.
macro_rules! read_fields {
    ($v:expr, $dst:expr, $as:ident: $($field:ident),+) => {
        $( if let Some(x) = $v.get(stringify!($field)).and_then(Value::$as) { $dst.$field = x as _; } )+
    };
}

fn read_timing(v: &Value) -> Timing {
    let mut t = Timing::default();
    read_fields!(v, t, as_u64: election_min_ms, election_max_ms, heartbeat_ms);
    t
}

fn read_network(v: &Value) -> NetworkSettings {
    let mut n = NetworkSettings::default();
    read_fields!(v, n, as_u64: latency_min_ms, latency_max_ms);
    read_fields!(v, n, as_f64: loss, duplicate);
    read_fields!(v, n, as_bool: reorder);
    n
}

fn read_raft(v: &Value, path: &str) -> Result<Config, ScenarioError> {
    let mut c = Config::default();
    read_fields!(v, c, as_u64: max_batch);
    read_fields!(v, c, as_bool: noop_on_election, pre_vote, check_quorum);
    #[cfg(feature = "membership")]
    {
        read_fields!(v, c, as_bool: learner_catch_up);
        read_fields!(v, c, as_u64: snapshot_threshold);
    }
    if EXT {
        read_fields!(v, c, as_bool: disruption_guard);
        let mode = v.get("read_mode").and_then(Value::as_str).map(str::to_string);
        c.read_mode = super::action::read_mode(mode).map_err(|e| nested(path, &e))?.unwrap_or_default();
    }
    if let Some(b) = v.get("backtrack").and_then(Value::as_str) {
        c.backtrack = match b {
            "one_by_one" => crate::raft::Backtrack::OneByOne,
            "conflict_hint" => crate::raft::Backtrack::ConflictHint,
            other => {
                return Err(err(
                    join(path, "backtrack"),
                    format!("unknown variant `{other}`, expected `one_by_one` or `conflict_hint`"),
                ))
            }
        };
    }
    if let Some(b) = v.get("bugs") {
        read_fields!(b, c.bugs, as_bool: commit_old_terms, forget_vote_on_crash, skip_consistency_check, skip_up_to_date_check);
        if EXT {
            read_fields!(b, c.bugs, as_bool: lease_ignores_drift, read_without_quorum_check, no_dedup);
        }
        if MEMB {
            read_fields!(b, c.bugs, as_bool: unsafe_single_server_change, snapshot_drops_config, reply_before_persist);
        }
    }
    Ok(c)
}

/// The readers of tagged values (`lean::tagged`) report a field inside the
/// value as "field: reason"; this moves such fields into the path, as deep
/// as they go (`actions[0].action.node: …`, not `actions[0].action: node: …`).
/// An unknown field goes into the path too (`….action.x: unknown field, expected `node``),
/// and serde's Rust type names become what a file's author writes.
pub(crate) fn nested(path: &str, msg: &str) -> ScenarioError {
    let (mut p, mut m) = (path.to_string(), msg);
    while let Some((head, rest)) = m.split_once(": ") {
        if head.is_empty() || !head.bytes().all(|c| c.is_ascii_lowercase() || c == b'_') {
            break;
        }
        p = join(&p, head);
        m = rest;
    }
    if let Some((field, rest)) = m.strip_prefix("unknown field `").and_then(|r| r.split_once('`')) {
        return err(join(&p, field), format!("unknown field{rest}"));
    }
    for (rust, json) in [
        ("expected u8", "expected a whole number from 0 to 255"),
        ("expected u32", "expected a whole number from 0 to 4294967295"),
        ("expected u64", "expected a non-negative integer"),
        ("expected f64", "expected a number"),
    ] {
        if let Some(head) = m.strip_suffix(rust) {
            return err(p, format!("{head}{json}"));
        }
    }
    err(p, m)
}

/// A log item: a term (the paper's figures) or `{"term", "command"}` (shape checked by `walk`).
fn read_log_item(v: &Value, path: &str) -> Result<LogItem, ScenarioError> {
    let term = v.as_u64().or_else(|| v.get("term").and_then(Value::as_u64)).unwrap_or_default();
    match v.get("command") {
        None if v.is_object() => Err(err(path, "missing field `command`")),
        None => Ok(LogItem::Term(term)),
        Some(c) => {
            let command = Command::from_value(c).map_err(|e| nested(&join(path, "command"), &e))?;
            Ok(LogItem::Entry(Entry::new(term, command)))
        }
    }
}

/// An `until` item, with what each form expects.
fn read_until(v: &Value, path: &str) -> Result<Until, ScenarioError> {
    const FORMS: &str = "\"leader_elected\", \"all_logs_equal\", {\"committed\": {\"index\": N}} or {\"time_ms\": N}";
    let (name, arg) = match v {
        Value::String(s) => (s.as_str(), None),
        Value::Object(o) => match o.iter().next() {
            Some((k, a)) if o.len() == 1 => (k.as_str(), Some(a)),
            _ => return Err(err(path, format!("expected {FORMS}, found an object with {} fields", o.len()))),
        },
        _ => return Err(err(path, format!("expected {FORMS}, found {}", type_name(v)))),
    };
    match (name, arg) {
        ("leader_elected", None) => Ok(Until::LeaderElected),
        ("all_logs_equal", None) => Ok(Until::AllLogsEqual),
        ("leader_elected" | "all_logs_equal", Some(_)) => {
            Err(err(join(path, name), format!("takes no value (write the string \"{name}\")")))
        }
        ("committed" | "time_ms", None) => Err(err(path, format!("\"{name}\" needs a value: {FORMS}"))),
        ("committed", Some(a)) => {
            let cp = join(path, "committed");
            let Some(o) = a.as_object() else { return Err(err(cp, "expected {\"index\": N}")) };
            if let Some(k) = o.keys().find(|k| *k != "index") {
                return Err(err(join(&cp, k), "unknown field (expected {\"index\": N})"));
            }
            match o.get("index") {
                None => Err(err(cp, "expected {\"index\": N}, missing field `index`")),
                Some(i) => {
                    walk(i, &S::U64, &join(&cp, "index"))?;
                    Ok(Until::Committed { index: i.as_u64().unwrap_or_default() })
                }
            }
        }
        ("time_ms", Some(a)) => a.as_u64().map(Until::TimeMs).ok_or_else(|| err(join(path, "time_ms"), "expected a whole number of milliseconds")),
        _ => Err(err(path, format!("unknown condition \"{name}\" (expected {FORMS})"))),
    }
}

/// A `set_client_load` action's `load`, checked like a scenario's
/// `client_load` (the same schema and reader, not serde's derive: smaller
/// in the page). Errors read "load: field: reason".
pub(crate) fn load_from_value(v: Option<&Value>) -> Result<Option<ClientLoad>, String> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(v) => {
            walk(v, &CLIENT_LOAD, "").map_err(|e| if e.path.is_empty() { format!("load: {}", e.reason) } else { format!("load: {}: {}", e.path, e.reason) })?;
            Ok(read_load(v))
        }
    }
}

fn read_load(v: &Value) -> Option<ClientLoad> {
    v.is_object().then(|| {
        let mut l = ClientLoad::default();
        read_fields!(v, l, as_u64: interval_ms, keys);
        if EXT {
            read_fields!(v, l, as_u64: reads_pct, clients, timeout_ms);
            read_fields!(v, l, as_bool: append, sessions, retry);
        }
        l
    })
}

/// Pass 1: text → JSON value (syntax errors carry line and column).
pub(crate) fn json_value(text: &str) -> Result<Value, ScenarioError> {
    serde_json::from_str(text).map_err(|e| err("", format!("invalid JSON: {e}")))
}

impl Scenario {
    /// Parse and validate a scenario. Never panics.
    pub fn from_json(text: &str) -> Result<Scenario, ScenarioError> {
        Scenario::from_value(&json_value(text)?)
    }

    pub fn from_value(v: &Value) -> Result<Scenario, ScenarioError> {
        walk(v, &SCENARIO, "")?;
        let o = v.as_object().ok_or_else(|| err("", "expected an object"))?;
        // Typed pass, field by field and item by item, so serde's messages
        // (bad enum tags, unknown action fields) still get a precise path.
        let mut sc = Scenario::default();
        for (k, val) in o {
            match k.as_str() {
                // (`walk` checked every type above.)
                "name" => sc.name = val.as_str().unwrap_or_default().to_string(),
                "description" => sc.description = val.as_str().unwrap_or_default().to_string(),
                "nodes" => sc.nodes = val.as_u64().unwrap_or_default() as u8,
                "seed" => sc.seed = val.as_u64().unwrap_or_default(),
                "timing" => sc.timing = read_timing(val),
                "network" => sc.network = read_network(val),
                "raft" => sc.raft = read_raft(val, k)?,
                "follow_redirects" => sc.follow_redirects = val.as_bool().unwrap_or_default(),
                "client_load" => sc.client_load = read_load(val),
                "initial" => {
                    sc.initial = match val.as_array() {
                        None => None,
                        Some(items) => {
                            let mut out = Vec::with_capacity(items.len());
                            for (i, item) in items.iter().enumerate() {
                                let p = format!("initial[{i}]");
                                let mut node: InitialNode = InitialNode::default();
                                let obj = item.as_object().ok_or_else(|| err(&p, "expected an object"))?;
                                for (fk, fv) in obj {
                                    let fp = join(&p, fk);
                                    match fk.as_str() {
                                        "term" => node.term = typed(fv, &fp)?,
                                        "voted_for" => node.voted_for = typed(fv, &fp)?,
                                        "crashed" => node.crashed = typed(fv, &fp)?,
                                        "log" => {
                                            for (j, li) in fv.as_array().into_iter().flatten().enumerate() {
                                                // (Its path made only for an error, as in `walk`.)
                                                let item = read_log_item(li, &fp).or_else(|_| read_log_item(li, &format!("{fp}[{j}]")))?;
                                                node.log.push(item);
                                            }
                                        }
                                        _ => return Err(err(fp, "unknown field")),
                                    }
                                }
                                out.push(node);
                            }
                            Some(out)
                        }
                    }
                }
                "actions" => {
                    for (i, item) in val.as_array().into_iter().flatten().enumerate() {
                        let p = format!("actions[{i}]");
                        let at_ms = item.get("at_ms").map_or(Ok(0), |x| typed(x, &join(&p, "at_ms")))?;
                        let av = item.get("action").ok_or_else(|| err(&p, "missing field `action`"))?;
                        // serde names no element of a list that fails: the one list an action holds is checked here first.
                        if let Some(g) = av.get("groups") {
                            walk(g, &S::Arr(&S::Arr(&S::U8)), &format!("{p}.action.groups"))?;
                        }
                        // Its own reader, without a round trip through serde.
                        let action = Action::from_value(av).map_err(|e| nested(&join(&p, "action"), &e))?;
                        sc.actions.push(TimedAction { at_ms, action });
                    }
                }
                "until" => {
                    for (i, item) in val.as_array().into_iter().flatten().enumerate() {
                        sc.until.push(read_until(item, &format!("until[{i}]"))?);
                    }
                }
                // See SCENARIO: read by `sim::expect`.
                "expect" => {}
                #[cfg(feature = "schedule")]
                "schedule" => {
                    for (i, item) in val.as_array().into_iter().flatten().enumerate() {
                        let p = format!("schedule[{i}]");
                        let step = super::schedule::Step::deserialize(item).map_err(|e| nested(&p, &e.to_string()))?;
                        sc.schedule.push(step);
                    }
                }
                #[cfg(not(feature = "schedule"))]
                "schedule" => return Err(err(k, "a schedule is replayed by `ringraft run`; this build cannot")),
                _ => return Err(err(k, "unknown field")),
            }
        }
        sc.validate()?;
        Ok(sc)
    }

    /// Compact JSON (links, the page). The CLI pretty-prints with
    /// `to_json_pretty`; the page's export pretty-prints in the browser, so the
    /// wasm build carries one JSON writer, not two.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    #[cfg(not(target_arch = "wasm32"))]
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The highest server id this scenario can name: its initial servers and
    /// any a membership change adds (up to 9).
    pub fn known_ids(&self) -> NodeId {
        #[cfg_attr(not(feature = "membership"), allow(unused_mut))]
        let mut n = self.nodes;
        #[cfg(feature = "membership")]
        for ta in &self.actions {
            let ids: &[NodeId] = match &ta.action {
                Action::AddServer { node } => std::slice::from_ref(node),
                #[cfg(feature = "schedule")]
                Action::Take { step: super::schedule::Step::AddServer { node, .. } } => std::slice::from_ref(node),
                Action::ChangeConfig { voters, learners } => {
                    n = n.max(learners.iter().copied().filter(|&i| i <= 9).max().unwrap_or(0));
                    voters
                }
                _ => &[],
            };
            n = n.max(ids.iter().copied().filter(|&i| i <= 9).max().unwrap_or(0));
        }
        #[cfg(all(feature = "membership", feature = "schedule"))]
        for step in &self.schedule {
            if let super::schedule::Step::AddServer { node, .. } = step {
                n = n.max(*node).min(9);
            }
        }
        n
    }

    /// Check one action against this scenario (node ids in range, values
    /// sane). `ap` is the JSON path of the action, for the error.
    pub fn check_action(&self, ap: &str, action: &Action) -> Result<(), ScenarioError> {
        // Membership changes may name any id up to 9 (§4: a cluster grows
        // to 9); other actions the ids those changes bring in, too.
        #[cfg(feature = "membership")]
        let n = if matches!(action, Action::AddServer { .. } | Action::ChangeConfig { .. }) || action.adds_server() { 9 } else { self.known_ids() };
        #[cfg(not(feature = "membership"))]
        let n = self.nodes;
        let in_range = |id: NodeId| (1..=n).contains(&id);
        for (field, id) in action.node_refs() {
            if !in_range(id) {
                return Err(err(join(ap, &field), format!("node {id} does not exist (nodes are 1..={n})")));
            }
        }
        #[cfg(feature = "schedule")]
        let action = match action {
            // A step's client request is checked as the user's would be.
            Action::Take { step: super::schedule::Step::Request { node, command } } => &Action::ClientRequest { node: *node, command: command.clone() },
            a => a,
        };
        #[cfg(feature = "membership")]
        if let Action::ClientRequest { command, .. } = action {
            if matches!(command, crate::raft::Command::Config(_)) {
                return Err(err(
                    join(ap, "command"),
                    "a configuration entry goes through add_server, remove_server or change_config (§4.1)",
                ));
            }
        }
        match action {
            Action::Partition { groups } => {
                let mut seen = Vec::new();
                for (g, group) in groups.iter().enumerate() {
                    for (j, id) in group.iter().enumerate() {
                        if seen.contains(id) {
                            return Err(err(
                                format!("{ap}.groups[{g}][{j}]"),
                                format!("S{id} is listed in two groups"),
                            ));
                        }
                        seen.push(*id);
                    }
                }
            }
            Action::CutLink { from, to } | Action::RestoreLink { from, to } if from == to => {
                return Err(err(join(ap, "to"), "a link joins two different nodes"));
            }
            Action::SetNetwork { latency_min_ms, latency_max_ms, loss, duplicate, .. } => {
                for (f, v) in [("latency_min_ms", latency_min_ms), ("latency_max_ms", latency_max_ms)] {
                    if v.is_some_and(|v| v > MAX_DURATION_MS) {
                        return Err(err(join(ap, f), format!("must be at most {MAX_DURATION_MS}")));
                    }
                }
                if let (Some(a), Some(b)) = (latency_min_ms, latency_max_ms) {
                    if a > b {
                        return Err(err(join(ap, "latency_min_ms"), "is greater than latency_max_ms"));
                    }
                }
                for (f, v) in [("loss", loss), ("duplicate", duplicate)] {
                    if v.is_some_and(|p| !(0.0..=1.0).contains(&p)) {
                        return Err(err(join(ap, f), "must be a probability between 0 and 1"));
                    }
                }
            }
            Action::SetTiming { election_min_ms, election_max_ms, heartbeat_ms } => {
                for (f, v) in [
                    ("election_min_ms", election_min_ms),
                    ("election_max_ms", election_max_ms),
                    ("heartbeat_ms", heartbeat_ms),
                ] {
                    if v.is_some_and(|v| v == 0 || v > MAX_DURATION_MS) {
                        return Err(err(join(ap, f), format!("must be between 1 and {MAX_DURATION_MS}")));
                    }
                }
                if let (Some(a), Some(b)) = (election_min_ms, election_max_ms) {
                    if a > b {
                        return Err(err(join(ap, "election_min_ms"), "is greater than election_max_ms"));
                    }
                }
            }
            Action::SetClientLoad { load: Some(l) } => check_load(l, &join(ap, "load"))?,
            Action::SetClockDrift { rate, .. } => {
                if !(0.5..=2.0).contains(rate) {
                    return Err(err(join(ap, "rate"), "must be between 0.5 and 2 (1 = no drift)"));
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Semantic checks on a typed scenario (also for ones built in code).
    /// A schedule names every event itself: nothing timed or random may
    /// add events of its own, and every server it names exists.
    #[cfg(feature = "schedule")]
    fn check_schedule(&self) -> Result<(), ScenarioError> {
        if self.schedule.is_empty() {
            return Ok(());
        }
        let clash = if !self.actions.is_empty() {
            Some("actions")
        } else if self.client_load.is_some() {
            Some("client_load")
        } else if self.network.loss > 0.0 {
            Some("network.loss")
        } else if self.network.duplicate > 0.0 {
            Some("network.duplicate")
        } else {
            None
        };
        if let Some(field) = clash {
            return Err(err(field, "must be empty or zero with a schedule: the schedule names every event"));
        }
        // Servers the schedule adds count (up to 9, §4).
        let n = self.known_ids().min(9);
        for (i, step) in self.schedule.iter().enumerate() {
            if let Some((_, bad)) = step.nodes().into_iter().find(|&(_, id)| id == 0 || id > n) {
                return Err(err(format!("schedule[{i}]"), format!("names server {bad}; the scenario has servers 1 to {n}")));
            }
        }
        Ok(())
    }

    pub fn validate(&self) -> Result<(), ScenarioError> {
        let n = self.nodes;
        if !(1..=9).contains(&n) {
            return Err(err("nodes", format!("must be between 1 and 9, got {n}")));
        }
        let t = &self.timing;
        if t.election_min_ms == 0 {
            return Err(err("timing.election_min_ms", "must be at least 1"));
        }
        if t.election_max_ms > MAX_DURATION_MS {
            return Err(err("timing.election_max_ms", format!("must be at most {MAX_DURATION_MS}")));
        }
        if t.election_min_ms > t.election_max_ms {
            return Err(err(
                "timing.election_min_ms",
                format!("{} is greater than election_max_ms {}", t.election_min_ms, t.election_max_ms),
            ));
        }
        if t.heartbeat_ms == 0 || t.heartbeat_ms > MAX_DURATION_MS {
            return Err(err("timing.heartbeat_ms", format!("must be between 1 and {MAX_DURATION_MS}")));
        }
        check_network(&self.network, "network")?;
        if self.raft.max_batch == 0 {
            return Err(err("raft.max_batch", "must be at least 1"));
        }
        if let Some(l) = &self.client_load {
            check_load(l, "client_load")?;
        }
        if let Some(init) = &self.initial {
            self.check_initial(init)?;
        }
        #[cfg(feature = "schedule")]
        self.check_schedule()?;
        for (i, ta) in self.actions.iter().enumerate() {
            let p = format!("actions[{i}]");
            if ta.at_ms > MAX_TIME_MS {
                return Err(err(join(&p, "at_ms"), format!("must be at most {MAX_TIME_MS}")));
            }
            self.check_action(&join(&p, "action"), &ta.action)?;
        }
        for (i, u) in self.until.iter().enumerate() {
            if let Until::TimeMs(ms) = u {
                if *ms > MAX_TIME_MS {
                    return Err(err(format!("until[{i}].time_ms"), format!("must be at most {MAX_TIME_MS}")));
                }
            }
        }
        Ok(())
    }

    /// The initial state must be one Raft could have reached.
    fn check_initial(&self, init: &[InitialNode]) -> Result<(), ScenarioError> {
        let n = self.nodes;
        if init.len() != n as usize {
            return Err(err("initial", format!("lists {} servers but nodes is {n}", init.len())));
        }
        // Each server's entries, for Log Matching against the servers before it.
        let mut logs: Vec<Vec<Entry>> = Vec::with_capacity(init.len());
        for (i, node) in init.iter().enumerate() {
            let p = format!("initial[{i}]");
            if node.log.len() > MAX_INITIAL_LOG {
                return Err(err(
                    join(&p, "log"),
                    format!("too many entries ({}, at most {MAX_INITIAL_LOG})", node.log.len()),
                ));
            }
            if let Some(v) = node.voted_for {
                if !(1..=n).contains(&v) {
                    return Err(err(join(&p, "voted_for"), format!("node {v} does not exist (nodes are 1..={n})")));
                }
                if node.term == 0 {
                    return Err(err(join(&p, "voted_for"), "no election happens in term 0, so no vote can be cast"));
                }
            }
            let entries = node.entries();
            let mut prev = 0;
            for (j, e) in entries.iter().enumerate() {
                let ep = || format!("{p}.log[{j}].term");
                if e.term == 0 {
                    return Err(err(ep(), "log entries have terms of at least 1"));
                }
                if e.term < prev {
                    return Err(err(ep(), format!("term {} is lower than the previous entry's term {prev}", e.term)));
                }
                prev = e.term;
            }
            if prev > node.term {
                return Err(err(
                    join(&p, "term"),
                    format!("current term {} is below the term {prev} of its last log entry", node.term),
                ));
            }
            // §5.3 Log Matching: the first earlier server holding an entry
            // with this index and term must hold the same log up to it, i.e.
            // that index must lie within the two logs' common prefix
            // (computed once per pair: linear, not quadratic, in the logs).
            let common: Vec<usize> =
                logs.iter().map(|l| l.iter().zip(&entries).take_while(|(a, b)| a == b).count()).collect();
            for (j, e) in entries.iter().enumerate() {
                let first = logs.iter().position(|l| l.get(j).is_some_and(|x| x.term == e.term));
                if let Some(other) = first {
                    if j >= common[other] {
                        return Err(err(
                            format!("{p}.log[{j}]"),
                            format!(
                                "S{} and S{} both hold a term-{} entry at index {} but their logs differ up to it (Log Matching, §5.3)",
                                other + 1,
                                i + 1,
                                e.term,
                                j + 1
                            ),
                        ));
                    }
                }
            }
            logs.push(entries);
        }
        // Votes: a candidate other servers voted for in term T must itself be
        // at term ≥ T, and no two candidates can hold a majority in one term.
        let majority = n as usize / 2 + 1;
        // (term, candidate) → votes, in (term, candidate) order below.
        let mut tally: Vec<((Term, NodeId), usize)> = Vec::new();
        for (i, node) in init.iter().enumerate() {
            if let Some(c) = node.voted_for {
                let cand = &init[(c - 1) as usize];
                if cand.term < node.term {
                    return Err(err(
                        format!("initial[{i}].voted_for"),
                        format!("S{c} cannot have been a candidate in term {}: its term is {}", node.term, cand.term),
                    ));
                }
                if cand.term == node.term && cand.voted_for != Some(c) {
                    return Err(err(
                        format!("initial[{i}].voted_for"),
                        format!("S{c} was a candidate in term {} so it voted for itself", node.term),
                    ));
                }
                match tally.iter_mut().find(|t| t.0 == (node.term, c)) {
                    Some(t) => t.1 += 1,
                    None => tally.push(((node.term, c), 1)),
                }
            }
        }
        crate::order::sort_by(&mut tally, |a, b| a.0.cmp(&b.0));
        let mut winners: Vec<(Term, NodeId)> = Vec::new();
        for ((term, c), votes) in tally {
            if votes >= majority {
                if let Some(&(_, other)) = winners.iter().find(|w| w.0 == term) {
                    return Err(err(
                        "initial",
                        format!("S{other} and S{c} both hold a majority of votes in term {term}: two leaders in one term are impossible"),
                    ));
                }
                winners.push((term, c));
            }
        }
        Ok(())
    }
}

fn check_network(nw: &NetworkSettings, p: &str) -> Result<(), ScenarioError> {
    if nw.latency_max_ms > MAX_DURATION_MS {
        return Err(err(join(p, "latency_max_ms"), format!("must be at most {MAX_DURATION_MS}")));
    }
    if nw.latency_min_ms > nw.latency_max_ms {
        return Err(err(
            join(p, "latency_min_ms"),
            format!("{} is greater than latency_max_ms {}", nw.latency_min_ms, nw.latency_max_ms),
        ));
    }
    for (f, v) in [("loss", nw.loss), ("duplicate", nw.duplicate)] {
        if !(0.0..=1.0).contains(&v) {
            return Err(err(join(p, f), format!("must be a probability between 0 and 1, got {}", crate::num::short(v))));
        }
    }
    Ok(())
}

fn check_load(l: &ClientLoad, p: &str) -> Result<(), ScenarioError> {
    if l.interval_ms == 0 || l.interval_ms > MAX_DURATION_MS {
        return Err(err(join(p, "interval_ms"), format!("must be between 1 and {MAX_DURATION_MS}")));
    }
    if l.keys == 0 {
        return Err(err(join(p, "keys"), "must be at least 1"));
    }
    if !EXT {
        return Ok(());
    }
    if l.reads_pct > 100 {
        return Err(err(join(p, "reads_pct"), "must be a percentage between 0 and 100"));
    }
    if l.timeout_ms > MAX_DURATION_MS {
        return Err(err(join(p, "timeout_ms"), format!("must be at most {MAX_DURATION_MS}")));
    }
    if l.sessions && l.clients == 0 {
        return Err(err(join(p, "sessions"), "needs \"clients\" (sessions belong to clients that send one request at a time)"));
    }
    if l.retry && l.timeout_ms == 0 {
        return Err(err(join(p, "retry"), "needs \"timeout_ms\" (a client retries when it has waited that long)"));
    }
    Ok(())
}
