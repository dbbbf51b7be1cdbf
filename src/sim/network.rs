//! Network and timing settings, and the simulated wire (links, partitions,
//! messages in flight). All times inside the simulator are microseconds of
//! virtual time; user-facing settings are in milliseconds.

use serde::{Deserialize, Serialize};

use crate::raft::{Message, NodeId};

/// Microseconds per millisecond (settings are in ms, the clock in µs).
pub const MS: u64 = 1_000;

/// Election and heartbeat timing (§5.2: randomized election timeouts).
/// Defaults are RaftScope-like and slow enough to follow by eye.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Timing {
    pub election_min_ms: u64,
    pub election_max_ms: u64,
    pub heartbeat_ms: u64,
}

impl Default for Timing {
    fn default() -> Self {
        Timing { election_min_ms: 150, election_max_ms: 300, heartbeat_ms: 50 }
    }
}

/// Properties of every link. Loss and duplication are probabilities per message.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NetworkSettings {
    pub latency_min_ms: u64,
    pub latency_max_ms: u64,
    pub loss: f64,
    pub duplicate: f64,
    /// true: each message draws its own latency, so messages on one link can
    /// overtake each other (UDP-like). false: FIFO per link (TCP-like), the
    /// picture most people have in mind, hence the default.
    pub reorder: bool,
}

impl Default for NetworkSettings {
    fn default() -> Self {
        NetworkSettings { latency_min_ms: 10, latency_max_ms: 20, loss: 0.0, duplicate: 0.0, reorder: false }
    }
}

/// Why a message never reached its receiver.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DropReason {
    /// Random loss (NetworkSettings::loss).
    Loss,
    /// Sender and receiver are in different partition groups.
    Partition,
    /// The one-way link from sender to receiver is cut.
    Cut,
    /// A user dropped this message by id.
    User,
    /// The receiver was down when the message arrived.
    ReceiverCrashed,
}

impl DropReason {
    pub fn as_str(self) -> &'static str {
        match self {
            DropReason::Loss => "loss",
            DropReason::Partition => "partition",
            DropReason::Cut => "link cut",
            DropReason::User => "dropped by user",
            DropReason::ReceiverCrashed => "receiver crashed",
        }
    }
}

/// One message on the wire, as the page draws it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct InFlight {
    pub id: u64,
    pub from: NodeId,
    pub to: NodeId,
    pub msg: Message,
    pub sent_at: u64,
    pub arrives_at: u64,
    /// Set when the message is lost: it vanishes at this time (midway for
    /// loss/partition/cut, so the animation shows it disappearing).
    pub dropped_at: Option<u64>,
    pub drop_reason: Option<DropReason>,
    /// A copy created by network duplication.
    pub duplicate: bool,
    /// The how-manieth message `from` sent `to` (1-based, copies included):
    /// its name in schedules (`sim::schedule`).
    pub seq: u32,
}

/// Which links are usable: partition groups plus one-way cuts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Links {
    /// Partition groups as given by the user; empty = fully connected.
    /// Nodes listed in no group form one extra group together.
    pub groups: Vec<Vec<NodeId>>,
    /// One-way cuts (from, to), sorted.
    pub cut: Vec<(NodeId, NodeId)>,
}

impl Links {
    fn group_of(&self, n: NodeId) -> usize {
        self.groups.iter().position(|g| g.contains(&n)).unwrap_or(usize::MAX)
    }

    /// Why a message from `from` to `to` cannot pass right now, if it cannot.
    pub fn blocked(&self, from: NodeId, to: NodeId) -> Option<DropReason> {
        if !self.groups.is_empty() && self.group_of(from) != self.group_of(to) {
            return Some(DropReason::Partition);
        }
        if self.cut.binary_search(&(from, to)).is_ok() {
            return Some(DropReason::Cut);
        }
        None
    }

    pub fn cut_link(&mut self, from: NodeId, to: NodeId) {
        if let Err(pos) = self.cut.binary_search(&(from, to)) {
            self.cut.insert(pos, (from, to));
        }
    }

    pub fn restore_link(&mut self, from: NodeId, to: NodeId) {
        if let Ok(pos) = self.cut.binary_search(&(from, to)) {
            self.cut.remove(pos);
        }
    }
}
