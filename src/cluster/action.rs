//! What a person can do to the cluster, as data, and the cluster's record
//! of it: every action applied, with the virtual time it happened. The
//! record is what a link carries (`crate::link::cluster`); a link's action
//! is refused by the same rules as a click.

use serde::{Deserialize, Serialize};

use super::{Cluster, ClusterError};
use crate::link::{check_text, clip as clip_to};

/// Longest key and value a client write may carry (characters).
pub const MAX_KEY_LEN: usize = 32;
pub const MAX_VALUE_LEN: usize = 32;
/// Longest server name (characters).
pub const MAX_SERVER_NAME_LEN: usize = 16;

/// Everything a person can do to the cluster, as data. Same shape as the
/// simulator's actions: `{"type": "crash", "server": "B"}`.
/// Serialized by serde's derive; read by [`ClusterAction::from_value`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ClusterAction {
    Crash { server: String },
    Restart { server: String },
    Isolate { server: String },
    Reconnect { server: String },
    Heal,
    Put { key: String, value: String },
    /// A new server joins the ring; replicas move onto it by Raft
    /// membership changes (`super::moves`).
    AddServer { name: String },
    /// A server leaves the ring; its replicas move away by membership
    /// changes, then it is gone.
    RemoveServer { server: String },
}

crate::deserialize_via_value!(ClusterAction);

impl ClusterAction {
    /// Every action's JSON name, in declaration order.
    pub const NAMES: &'static [&'static str] = &["crash", "restart", "isolate", "reconnect", "heal", "put", "add_server", "remove_server"];

    /// Reads `{"type": "crash", "server": "B"}` and the like; unknown fields are refused.
    pub fn from_value(v: &serde_json::Value) -> Result<ClusterAction, String> {
        let (name, mut f) = crate::tagged::tagged(v, "type", ClusterAction::NAMES)?;
        let a = match name {
            "crash" => ClusterAction::Crash { server: f.req("server")? },
            "restart" => ClusterAction::Restart { server: f.req("server")? },
            "isolate" => ClusterAction::Isolate { server: f.req("server")? },
            "reconnect" => ClusterAction::Reconnect { server: f.req("server")? },
            "heal" => ClusterAction::Heal,
            "put" => ClusterAction::Put { key: f.req("key")?, value: f.req("value")? },
            "add_server" => ClusterAction::AddServer { name: f.req("name")? },
            "remove_server" => ClusterAction::RemoveServer { server: f.req("server")? },
            other => return Err(crate::tagged::unknown_variant(other, ClusterAction::NAMES)),
        };
        f.done()?;
        Ok(a)
    }
}

/// An action and the virtual time (µs) it was applied at. In JSON a pair:
/// `[time, action]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "(u64, ClusterAction)", into = "(u64, ClusterAction)")]
pub struct ClusterRecord {
    pub time: u64,
    pub action: ClusterAction,
}

impl From<(u64, ClusterAction)> for ClusterRecord {
    fn from((time, action): (u64, ClusterAction)) -> Self {
        ClusterRecord { time, action }
    }
}

impl From<ClusterRecord> for (u64, ClusterAction) {
    fn from(r: ClusterRecord) -> Self {
        (r.time, r.action)
    }
}

/// The shape of one action (whether it fits the cluster is [`Cluster::apply`]'s call).
pub fn check_action(a: &ClusterAction) -> Result<(), ClusterError> {
    match a {
        ClusterAction::Put { key, value } => {
            if check_text(key, MAX_KEY_LEN).is_err() {
                return Err(ClusterError::BadKey(clip(key)));
            }
            // An empty value is a value; only its length and characters matter.
            if value.chars().count() > MAX_VALUE_LEN || value.chars().any(char::is_control) {
                return Err(ClusterError::BadValue(clip(value)));
            }
        }
        ClusterAction::AddServer { name } if check_text(name, MAX_SERVER_NAME_LEN).is_err() || name.trim() != name => {
            return Err(ClusterError::BadServerName(clip(name)));
        }
        _ => {}
    }
    Ok(())
}

/// Shorten untrusted text before quoting it in a message.
pub(crate) fn clip(s: &str) -> String {
    clip_to(s, 24)
}

impl Cluster {
    /// Do `action` now and record it in [`Cluster::log`]. Refused actions
    /// change nothing and are not recorded. A new action replaces the
    /// future a step back kept (like a fork in the Raft view).
    pub fn apply(&mut self, action: &ClusterAction) -> Result<(), ClusterError> {
        self.record(action)?;
        self.future.clear();
        Ok(())
    }

    pub(crate) fn record(&mut self, action: &ClusterAction) -> Result<(), ClusterError> {
        check_action(action)?;
        match action {
            ClusterAction::Crash { server } => self.crash(server)?,
            ClusterAction::Restart { server } => self.restart(server)?,
            ClusterAction::Isolate { server } => self.isolate(server)?,
            ClusterAction::Reconnect { server } => self.reconnect(server)?,
            ClusterAction::Heal => self.heal(),
            ClusterAction::Put { key, value } => {
                self.put(key, value);
            }
            ClusterAction::AddServer { name } => {
                self.add_server(name)?;
            }
            ClusterAction::RemoveServer { server } => {
                self.remove_server(server)?;
            }
        }
        self.log.push(ClusterRecord { time: self.now, action: action.clone() });
        Ok(())
    }

    /// Every action applied through [`Cluster::apply`], in order, with its time.
    pub fn log(&self) -> &[ClusterRecord] {
        &self.log
    }

    /// Actions recorded for later than now (after a step back).
    pub fn future(&self) -> &[ClusterRecord] {
        &self.future
    }

    /// Keeps `records` as the future (actions for later than now, in time order).
    pub(crate) fn keep_future(&mut self, records: &[ClusterRecord]) {
        self.future.extend(records.iter().cloned());
    }
}
