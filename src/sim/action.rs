//! Everything a user (or a script) can do to a running cluster. One serde
//! enum so the page, shared links, scenario files and tests speak the same
//! language: `{"type": "crash", "node": 3}`.

use serde::{Deserialize, Serialize};

use crate::raft::{Command, NodeId, ReadMode};

fn is_zero<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

/// Client load generator: one request every `interval_ms` to the current
/// leader, keys and values drawn from the simulator's RNG. The fields after
/// `keys` are off by default (and then left out of links and files).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ClientLoad {
    pub interval_ms: u64,
    /// Keys are "k0".."k{keys-1}".
    pub keys: u32,
    /// Percent of requests that are reads (`get`), answered in the
    /// cluster's read mode (§6.4).
    #[serde(skip_serializing_if = "is_zero")]
    pub reads_pct: u8,
    /// Writes append to the key's value instead of setting it (so a write
    /// applied twice shows, §6.3).
    #[serde(skip_serializing_if = "is_zero")]
    pub append: bool,
    /// This many clients, each with one request at a time (a tick finding
    /// them all busy sends nothing); 0 = every request a client of its own.
    #[serde(skip_serializing_if = "is_zero")]
    pub clients: u8,
    /// Clients tag requests with their id and a serial number (§6.3), so
    /// servers can tell a retry from a new command. Needs `clients`.
    #[serde(skip_serializing_if = "is_zero")]
    pub sessions: bool,
    /// A client waits this long for an answer, then gives up — or, with
    /// `retry`, sends the same request again to the current leader (up to
    /// 5 tries). 0 = waits for ever.
    #[serde(skip_serializing_if = "is_zero")]
    pub timeout_ms: u64,
    #[serde(skip_serializing_if = "is_zero")]
    pub retry: bool,
}

impl Default for ClientLoad {
    fn default() -> Self {
        ClientLoad { interval_ms: 100, keys: 8, reads_pct: 0, append: false, clients: 0, sessions: false, timeout_ms: 0, retry: false }
    }
}

impl ClientLoad {
    /// The basic load: `interval_ms` and `keys`, every extra off.
    pub fn every(interval_ms: u64, keys: u32) -> ClientLoad {
        ClientLoad { interval_ms, keys, ..ClientLoad::default() }
    }
}

/// Serialized by serde's derive; read by [`Action::from_value`] (see `crate::tagged`).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Action {
    /// Stop a node; only its persistent state (Figure 2) survives.
    Crash { node: NodeId },
    /// Crash whichever node currently leads (the live leader with the highest term).
    CrashLeader,
    /// Bring a crashed node back from its persistent state.
    Restart { node: NodeId },
    /// Force the node's election timeout to fire now.
    Timeout { node: NodeId },
    /// Force a leader's (or candidate's) heartbeat/retry round now.
    Heartbeat { node: NodeId },
    /// A client sends `command` to `node` (§8: a follower answers with a redirect).
    ClientRequest { node: NodeId, command: Command },
    /// Split the cluster; nodes listed in no group form one more group.
    Partition { groups: Vec<Vec<NodeId>> },
    /// Cut `node` off from everyone else (shorthand for a two-group partition).
    Isolate { node: NodeId },
    /// Cut the current leader off from everyone else. It stays leader of
    /// its (now stale) term and keeps accepting requests it cannot commit.
    IsolateLeader,
    /// Remove all partitions and link cuts.
    Heal,
    /// Cut the one-way link from `from` to `to`.
    CutLink { from: NodeId, to: NodeId },
    RestoreLink { from: NodeId, to: NodeId },
    /// Drop one message in flight, by its id.
    DropMessage { id: u64 },
    /// Change network settings; omitted fields stay as they are.
    SetNetwork {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        latency_min_ms: Option<u64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        latency_max_ms: Option<u64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        loss: Option<f64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        duplicate: Option<f64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reorder: Option<bool>,
    },
    /// Change timing; running timers keep their deadlines.
    SetTiming {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        election_min_ms: Option<u64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        election_max_ms: Option<u64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        heartbeat_ms: Option<u64>,
    },
    /// Start (Some) or stop (None) the client load generator.
    SetClientLoad {
        #[serde(default)]
        load: Option<ClientLoad>,
    },
    /// When on, a redirected client request is re-sent to the leader hint
    /// after one network latency.
    SetFollowRedirects { on: bool },
    /// The current leader hands leadership to `to` (§3.10).
    TransferLeadership { to: NodeId },
    /// Switch protocol options on every server, now; omitted ones stay.
    SetRaft {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pre_vote: Option<bool>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        check_quorum: Option<bool>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        read_mode: Option<ReadMode>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        disruption_guard: Option<bool>,
        // Compaction and catch-up: the extended module's (`src/lean/mod.rs`).
        #[cfg(feature = "membership")]
        #[serde(default, skip_serializing_if = "Option::is_none")]
        snapshot_threshold: Option<u64>,
        #[cfg(feature = "membership")]
        #[serde(default, skip_serializing_if = "Option::is_none")]
        learner_catch_up: Option<bool>,
    },
    /// `node`'s clock runs at `rate` × real time from now on: its timers
    /// last 1/rate as long and its lease is measured on it (§6.4.1).
    SetClockDrift { node: NodeId, rate: f64 },
    // The membership changes exist only in the extended module (not even
    // as variants in the page's lean modules: their derives cost bytes,
    // `src/lean/mod.rs`).
    /// Server `node` joins through the current leader — a fresh, empty one
    /// if it never existed, else with what is on its disk — as a
    /// learner caught up first (§4.2.1), or at once as a voter with
    /// `learner_catch_up` off.
    #[cfg(feature = "membership")]
    AddServer { node: NodeId },
    /// The current leader removes server `node` (itself too, §4.2.2).
    #[cfg(feature = "membership")]
    RemoveServer { node: NodeId },
    /// The current leader moves to this configuration through joint
    /// consensus (§4.3); servers never seen before start fresh and empty.
    #[cfg(feature = "membership")]
    ChangeConfig {
        voters: Vec<NodeId>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        learners: Vec<NodeId>,
    },
    /// Manual mode on or off (issue 16): while on, nothing happens by
    /// itself — timers and the network wait, and each event is one a person
    /// (or the explorer) chose, a [`Action::Take`]. Off: time runs again.
    #[cfg(feature = "schedule")]
    Manual { on: bool },
    /// Exactly this event happens now (`sim::schedule::Step`): a message
    /// delivered, dropped or duplicated, a timer fired, a crash, a restart
    /// or a client request. Not enabled here: an event says so, nothing changes.
    #[cfg(feature = "schedule")]
    Take { step: super::schedule::Step },
}

crate::deserialize_via_value!(Action);

/// A field only the extended protocol reads, in the page's lean modules:
/// absent is fine, present sends the run to the extended module.
#[inline(never)]
fn lean_refuses(f: &crate::tagged::Fields, name: &str) -> Result<(), String> {
    match f.has(name) {
        false => Ok(()),
        true => Err(format!("{name}: {}", super::scenario::NEEDS_EXTENDED)),
    }
}

/// A read mode by name (without serde's derived reader: the page's size).
pub fn read_mode(name: Option<String>) -> Result<Option<ReadMode>, String> {
    match name.as_deref() {
        None => Ok(None),
        Some(n) => match ReadMode::NAMES.iter().position(|m| *m == n) {
            Some(0) => Ok(Some(ReadMode::Log)),
            Some(1) => Ok(Some(ReadMode::ReadIndex)),
            Some(_) => Ok(Some(ReadMode::Lease)),
            None => Err(format!("read_mode: unknown variant `{n}`, expected `log`, `read_index` or `lease`")),
        },
    }
}

impl Action {
    /// A schedule step that adds a server (`Step::AddServer`): later
    /// actions may name it.
    pub fn adds_server(&self) -> bool {
        #[cfg(feature = "schedule")]
        if let Action::Take { step: super::schedule::Step::AddServer { .. } } = self {
            return true;
        }
        false
    }

    /// `set_raft` with these options (the others left as they are).
    pub fn set_raft(pre_vote: Option<bool>, check_quorum: Option<bool>, read_mode: Option<ReadMode>, disruption_guard: Option<bool>) -> Action {
        Action::SetRaft {
            pre_vote,
            check_quorum,
            read_mode,
            disruption_guard,
            #[cfg(feature = "membership")]
            snapshot_threshold: None,
            #[cfg(feature = "membership")]
            learner_catch_up: None,
        }
    }

    /// Every action's JSON name, in declaration order.
    pub const NAMES: &'static [&'static str] = &[
        "crash",
        "crash_leader",
        "restart",
        "timeout",
        "heartbeat",
        "client_request",
        "partition",
        "isolate",
        "isolate_leader",
        "heal",
        "cut_link",
        "restore_link",
        "drop_message",
        "set_network",
        "set_timing",
        "set_client_load",
        "set_follow_redirects",
        "transfer_leadership",
        "set_raft",
        "set_clock_drift",
        "add_server",
        "remove_server",
        "change_config",
        "manual",
        "take",
    ];

    /// Reads `{"type": "crash", "node": 3}` and the like; unknown fields are refused.
    pub fn from_value(v: &serde_json::Value) -> Result<Action, String> {
        let (name, mut f) = crate::tagged::tagged(v, "type", Action::NAMES)?;
        let a = match name {
            "crash" => Action::Crash { node: f.req("node")? },
            "crash_leader" => Action::CrashLeader,
            "restart" => Action::Restart { node: f.req("node")? },
            "timeout" => Action::Timeout { node: f.req("node")? },
            "heartbeat" => Action::Heartbeat { node: f.req("node")? },
            "client_request" => Action::ClientRequest { node: f.req("node")?, command: f.req("command")? },
            "partition" => Action::Partition { groups: f.req("groups")? },
            "isolate" => Action::Isolate { node: f.req("node")? },
            "isolate_leader" => Action::IsolateLeader,
            "heal" => Action::Heal,
            "cut_link" => Action::CutLink { from: f.req("from")?, to: f.req("to")? },
            "restore_link" => Action::RestoreLink { from: f.req("from")?, to: f.req("to")? },
            "drop_message" => Action::DropMessage { id: f.req("id")? },
            "set_network" => Action::SetNetwork {
                latency_min_ms: f.opt("latency_min_ms")?,
                latency_max_ms: f.opt("latency_max_ms")?,
                loss: f.opt("loss")?,
                duplicate: f.opt("duplicate")?,
                reorder: f.opt("reorder")?,
            },
            "set_timing" => Action::SetTiming {
                election_min_ms: f.opt("election_min_ms")?,
                election_max_ms: f.opt("election_max_ms")?,
                heartbeat_ms: f.opt("heartbeat_ms")?,
            },
            "set_client_load" => {
                let v: Option<serde_json::Value> = f.opt("load")?;
                Action::SetClientLoad { load: super::scenario::load_from_value(v.as_ref())? }
            }
            "set_follow_redirects" => Action::SetFollowRedirects { on: f.req("on")? },
            "transfer_leadership" => Action::TransferLeadership { to: f.req("to")? },
            "set_raft" => Action::SetRaft {
                #[cfg(feature = "membership")]
                snapshot_threshold: f.opt("snapshot_threshold")?,
                #[cfg(feature = "membership")]
                learner_catch_up: f.opt("learner_catch_up")?,
                pre_vote: f.opt("pre_vote")?,
                check_quorum: f.opt("check_quorum")?,
                // The page's lean modules hold neither (see `src/lean/mod.rs`):
                // naming one sends the run to the extended module.
                read_mode: if cfg!(feature = "extended") { read_mode(f.opt("read_mode")?)? } else { lean_refuses(&f, "read_mode").map(|_| None)? },
                disruption_guard: if cfg!(feature = "extended") { f.opt("disruption_guard")? } else { lean_refuses(&f, "disruption_guard").map(|_| None)? },
            },
            "set_clock_drift" if cfg!(feature = "extended") => {
                Action::SetClockDrift { node: f.req("node")?, rate: f.req("rate")? }
            }
            #[cfg(feature = "membership")]
            "add_server" => Action::AddServer { node: f.req("node")? },
            #[cfg(feature = "membership")]
            "remove_server" => Action::RemoveServer { node: f.req("node")? },
            #[cfg(feature = "membership")]
            "change_config" => {
                Action::ChangeConfig { voters: f.req("voters")?, learners: f.opt("learners")?.unwrap_or_default() }
            }
            #[cfg(feature = "schedule")]
            "manual" => Action::Manual { on: f.req("on")? },
            #[cfg(feature = "schedule")]
            "take" => Action::Take { step: f.req("step")? },
            #[cfg(not(feature = "schedule"))]
            "manual" | "take" => return Err(super::scenario::NEEDS_EXTENDED.to_string()),
            "set_clock_drift" => return Err(super::scenario::NEEDS_EXTENDED.to_string()),
            // Membership changes and compaction live in the extended module too.
            #[cfg(not(feature = "membership"))]
            "add_server" | "remove_server" | "change_config" => return Err(super::scenario::NEEDS_EXTENDED.to_string()),
            other => return Err(crate::tagged::unknown_variant(other, Action::NAMES)),
        };
        #[cfg(not(feature = "membership"))]
        if name == "set_raft" {
            lean_refuses(&f, "snapshot_threshold")?;
            lean_refuses(&f, "learner_catch_up")?;
        }
        f.done()?;
        Ok(a)
    }

    /// Node ids this action mentions, with the JSON field they sit in
    /// (for validation error paths).
    pub fn node_refs(&self) -> Vec<(String, NodeId)> {
        match self {
            Action::Crash { node }
            | Action::Restart { node }
            | Action::Timeout { node }
            | Action::Heartbeat { node }
            | Action::Isolate { node }
            | Action::SetClockDrift { node, .. }
            | Action::ClientRequest { node, .. } => vec![("node".into(), *node)],
            #[cfg(feature = "membership")]
            Action::AddServer { node } | Action::RemoveServer { node } => vec![("node".into(), *node)],
            #[cfg(feature = "membership")]
            Action::ChangeConfig { voters, learners } => {
                let named = |field: &str, ids: &[NodeId]| {
                    ids.iter().enumerate().map(|(i, n)| (format!("{field}[{i}]"), *n)).collect::<Vec<_>>()
                };
                let mut v = named("voters", voters);
                v.extend(named("learners", learners));
                v
            }
            Action::TransferLeadership { to } => vec![("to".into(), *to)],
            #[cfg(feature = "schedule")]
            Action::Take { step } => step.nodes().into_iter().map(|(f, n)| (format!("step.{f}"), n)).collect(),
            Action::CutLink { from, to } | Action::RestoreLink { from, to } => {
                vec![("from".into(), *from), ("to".into(), *to)]
            }
            Action::Partition { groups } => {
                let mut v = Vec::new();
                for (g, group) in groups.iter().enumerate() {
                    for (i, n) in group.iter().enumerate() {
                        v.push((format!("groups[{g}][{i}]"), *n));
                    }
                }
                v
            }
            _ => Vec::new(),
        }
    }
}
