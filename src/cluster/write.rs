//! A client write as data: each step with the virtual time it happened, so
//! the page can replay it one step at a time (Next / Back).

use serde::Serialize;

use crate::raft::{Index, Term};

/// Why a write ended without an acknowledgement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FailReason {
    /// Every replica of the shard is down.
    NoLiveReplica,
    /// The replica asked knows no leader (election in progress, or no majority).
    NoLeader,
    /// The leader crashed, or lost the entry to a newer leader, before
    /// answering. (The entry may still commit later; the client cannot know.)
    LeaderLost,
    /// No answer within [`super::WRITE_TIMEOUT_MS`]: typically a leader cut
    /// off from its majority keeps accepting but cannot commit.
    TimedOut,
}

impl FailReason {
    pub fn id(self) -> &'static str {
        match self {
            FailReason::NoLiveReplica => "no_live_replica",
            FailReason::NoLeader => "no_leader",
            FailReason::LeaderLost => "leader_lost",
            FailReason::TimedOut => "timed_out",
        }
    }
}

/// One step of a write, in the order a reader should see them.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum WriteStep {
    /// The key's position on the shard ring: XXH3-64 of the key.
    Hashed { hash: u64, fraction: f64 },
    /// The shard owning that position (first shard point clockwise).
    Routed { shard: usize, replicas: Vec<String> },
    /// The client sends the request to this server (it does not know who
    /// leads; it starts with the first live replica of the placement).
    Sent { server: String },
    /// A follower refused and named the leader it knows (§8), if any.
    Redirected { from: String, to: Option<String> },
    /// The leader appended the entry to its log.
    Appended { server: String, index: Index, term: Term },
    /// A follower holds the entry (same index and term).
    Replicated { server: String },
    /// The leader counted a majority holding it and advanced commitIndex (§5.3).
    Committed { servers: Vec<String> },
    /// The leader applied it and answered the client.
    Acknowledged { server: String },
    Failed { reason: FailReason },
}

impl WriteStep {
    pub fn id(&self) -> &'static str {
        match self {
            WriteStep::Hashed { .. } => "hashed",
            WriteStep::Routed { .. } => "routed",
            WriteStep::Sent { .. } => "sent",
            WriteStep::Redirected { .. } => "redirected",
            WriteStep::Appended { .. } => "appended",
            WriteStep::Replicated { .. } => "replicated",
            WriteStep::Committed { .. } => "committed",
            WriteStep::Acknowledged { .. } => "acknowledged",
            WriteStep::Failed { .. } => "failed",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TimedStep {
    /// Virtual time, µs.
    pub time: u64,
    pub step: WriteStep,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WriteStatus {
    Pending,
    Acknowledged,
    Failed,
}

impl WriteStatus {
    pub fn id(self) -> &'static str {
        match self {
            WriteStatus::Pending => "pending",
            WriteStatus::Acknowledged => "acknowledged",
            WriteStatus::Failed => "failed",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WriteTrace {
    pub id: usize,
    pub key: String,
    pub value: String,
    pub shard: usize,
    pub issued_at: u64,
    pub status: WriteStatus,
    pub steps: Vec<TimedStep>,
    /// Raft node id of the leader that appended, with index and term.
    pub(crate) leader: Option<(u8, Index, Term)>,
    pub(crate) replicated: Vec<u8>,
}

impl WriteTrace {
    pub(crate) fn push(&mut self, time: u64, step: WriteStep) {
        match step {
            WriteStep::Acknowledged { .. } => self.status = WriteStatus::Acknowledged,
            WriteStep::Failed { .. } => self.status = WriteStatus::Failed,
            _ => {}
        }
        self.steps.push(TimedStep { time, step });
    }
}
