//! The Cluster view's restorable state: the configuration, every user
//! action with the virtual time it happened, and the time shown. What a
//! shared link, an embed or a tour step carries (JSON; [`super::raft`] wraps
//! it in base64url). Pure, tested natively.
//!
//! ```json
//! { "seed": 1, "servers": 5, "shards": 8, "replicas": 3,
//!   "actions": [[700000, {"type": "crash", "server": "B"}],
//!               [1000000, {"type": "put", "key": "alice", "value": "v1"}],
//!               [1500000, {"type": "add_server", "name": "F"}],
//!               [2000000, {"type": "remove_server", "server": "C"}]],
//!   "at_us": 2500000, "write": 0, "step": 4 }
//! ```
//!
//! `add_server` and `remove_server` move replicas by Raft membership changes
//! (`crate::cluster`'s `moves`). A link made before moves were membership
//! changes (when a move rebuilt the shard's group) still opens: its
//! `add_server` now plays out as membership changes, so what it shows after
//! that action differs from what its author saw.
//!
//! Every field is optional (the configuration defaults to
//! [`ClusterConfig::default`], `at_us` to one second: the page's warm-up).
//! Rebuilding is exact because the model is deterministic and its state at
//! a time does not depend on how time was sliced to get there: same seed +
//! same actions at the same times ⇒ the same [`Cluster::state_hash`].
//!
//! A link is untrusted input: [`ClusterLink::from_json`] and
//! [`Cluster::from_link`] never panic; everything is checked before any
//! simulation runs (sizes, names, time order), and an action that the
//! cluster refuses names its index.

use serde::{Deserialize, Serialize};

use super::{json_object, NotAnObject};
use crate::cluster::{
    check_action, Cluster, ClusterConfig, ClusterError, ClusterRecord, MAX_LINK_ACTIONS, MAX_LINK_JSON, MAX_LINK_TIME_US,
};
use crate::sim::MS;

/// Virtual time the page runs before it first shows (every group elects).
pub const WARMUP_US: u64 = 1_000 * MS;

fn default_servers() -> usize {
    ClusterConfig::default().servers
}
fn default_shards() -> usize {
    ClusterConfig::default().shards
}
fn default_replicas() -> usize {
    ClusterConfig::default().replicas
}
fn default_seed() -> u64 {
    ClusterConfig::default().seed
}
fn default_at() -> u64 {
    WARMUP_US
}
fn is_default_servers(v: &usize) -> bool {
    *v == default_servers()
}
fn is_default_shards(v: &usize) -> bool {
    *v == default_shards()
}
fn is_default_replicas(v: &usize) -> bool {
    *v == default_replicas()
}
fn is_default_seed(v: &u64) -> bool {
    *v == default_seed()
}

/// The Cluster view's state as a link carries it (see the module doc).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClusterLink {
    #[serde(default = "default_seed", skip_serializing_if = "is_default_seed")]
    pub seed: u64,
    /// Servers at the start (A, B, …); more may join by `add_server` actions.
    #[serde(default = "default_servers", skip_serializing_if = "is_default_servers")]
    pub servers: usize,
    #[serde(default = "default_shards", skip_serializing_if = "is_default_shards")]
    pub shards: usize,
    /// Replicas per shard (R).
    #[serde(default = "default_replicas", skip_serializing_if = "is_default_replicas")]
    pub replicas: usize,
    #[serde(default)]
    pub actions: Vec<ClusterRecord>,
    /// The virtual time shown (µs), not before the last action.
    #[serde(default = "default_at")]
    pub at_us: u64,
    /// The write shown in the write panel (its id: the n-th put, from 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub write: Option<usize>,
    /// How many of that write's steps are shown (clamped to the steps there are).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<usize>,
}

impl Default for ClusterLink {
    fn default() -> Self {
        let c = ClusterConfig::default();
        ClusterLink {
            seed: c.seed,
            servers: c.servers,
            shards: c.shards,
            replicas: c.replicas,
            actions: Vec::new(),
            at_us: WARMUP_US,
            write: None,
            step: None,
        }
    }
}

impl ClusterLink {
    pub fn config(&self) -> ClusterConfig {
        ClusterConfig { servers: self.servers, shards: self.shards, replicas: self.replicas, seed: self.seed }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Parse (not yet check) a link. Never panics.
    pub fn from_json(text: &str) -> Result<ClusterLink, ClusterError> {
        if text.len() > MAX_LINK_JSON {
            return Err(ClusterError::LinkTooLong { bytes: text.len() });
        }
        let object = json_object(text).map_err(|e| match e {
            NotAnObject::Syntax(e) => ClusterError::Json(e),
            NotAnObject::Other(_) => ClusterError::Json("expected a JSON object {…}".into()),
        })?;
        serde_json::from_value(serde_json::Value::Object(object)).map_err(|e| ClusterError::Json(e.to_string()))
    }

    /// Everything that can be checked without simulating.
    pub fn check(&self) -> Result<(), ClusterError> {
        if self.actions.len() > MAX_LINK_ACTIONS {
            return Err(ClusterError::TooManyActions { count: self.actions.len() });
        }
        let mut previous = 0;
        for (index, r) in self.actions.iter().enumerate() {
            if r.time > MAX_LINK_TIME_US {
                return Err(ClusterError::TimeTooLate { time: r.time });
            }
            if r.time < previous {
                return Err(ClusterError::OutOfOrder { index, time: r.time, previous });
            }
            previous = r.time;
            check_action(&r.action).map_err(|e| ClusterError::InAction { index, error: Box::new(e) })?;
        }
        if self.at_us > MAX_LINK_TIME_US {
            return Err(ClusterError::TimeTooLate { time: self.at_us });
        }
        Ok(())
    }
}

impl Cluster {
    /// The same cluster at an earlier time `t` (not before the warm-up, not
    /// after now): rebuilt from the start by replaying the actions done up to
    /// `t`. Later actions are kept as the future: moving time forward again
    /// redoes them exactly, until a new action replaces them.
    pub fn rewound_to(&self, t: u64) -> Result<Cluster, ClusterError> {
        let mut link = self.to_link();
        link.at_us = t.max(WARMUP_US.min(self.now())).min(self.now());
        // Every action in it was accepted already: no need to check the future.
        Cluster::replay(&link)
    }

    /// This cluster as a link showing time `now` (no write selected); the
    /// actions include any recorded future.
    pub fn to_link(&self) -> ClusterLink {
        let c = self.config();
        ClusterLink {
            seed: c.seed,
            servers: c.servers,
            shards: c.shards,
            replicas: c.replicas,
            actions: self.log().iter().chain(self.future()).cloned().collect(),
            at_us: self.now(),
            write: None,
            step: None,
        }
    }

    /// Rebuild a cluster from a link: a fresh cluster from its configuration,
    /// each action applied at its time, then time advanced to `at_us`.
    /// Actions later than `at_us` are kept as the future (a page that
    /// stepped back): they happen when time reaches them.
    pub fn from_link(link: &ClusterLink) -> Result<Cluster, ClusterError> {
        link.check()?;
        let last = link.actions.last().map_or(0, |r| r.time);
        if last > link.at_us {
            // Check the future now (by playing it through once), so a link
            // with an impossible later action is refused whole with the
            // action's index, not dropped silently when time reaches it.
            Cluster::replay(&ClusterLink { at_us: last, write: None, step: None, ..link.clone() })?;
        }
        Cluster::replay(link)
    }

    /// A fresh cluster with the link's actions done up to `at_us` (later ones
    /// kept as the future), then time advanced to `at_us`.
    fn replay(link: &ClusterLink) -> Result<Cluster, ClusterError> {
        let mut c = Cluster::new(link.config())?;
        for (index, r) in link.actions.iter().enumerate() {
            if r.time > link.at_us {
                // Shown before this action: it is the future (see `rewound_to`).
                c.keep_future(&link.actions[index..]);
                break;
            }
            c.advance_to(r.time);
            c.record(&r.action).map_err(|e| ClusterError::InAction { index, error: Box::new(e) })?;
        }
        c.advance_to(link.at_us);
        if let Some(w) = link.write {
            if w >= c.writes().len() {
                return Err(ClusterError::NoSuchWrite { write: w, writes: c.writes().len() });
            }
        }
        Ok(c)
    }
}
