//! What the event feed, the trace and the timeline are made of.

use serde::Serialize;

use crate::raft::{Message, NodeId, Term};

use super::network::{DropReason, InFlight};

/// The kind of an event, for filtering and icons in the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// A message reached its receiver, which stepped it.
    Delivered,
    /// A message was lost (see `MessageInfo::drop_reason`).
    Lost,
    /// A node's election timer fired.
    ElectionTimeout,
    /// A leader's (or candidate's) heartbeat / retry timer fired.
    HeartbeatTimeout,
    /// A user or scripted action was applied.
    Action,
    /// A client request reached a node (from an action, redirect or the load generator).
    ClientRequest,
}

/// Structured data about the message an event concerns.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MessageInfo {
    pub id: u64,
    pub from: NodeId,
    pub to: NodeId,
    pub sent_at: u64,
    pub arrives_at: u64,
    pub msg: Message,
    pub duplicate: bool,
    pub drop_reason: Option<DropReason>,
}

impl MessageInfo {
    /// The message's data, with why it was lost (if it was).
    pub fn of(m: &InFlight, drop_reason: Option<DropReason>) -> MessageInfo {
        MessageInfo {
            id: m.id,
            from: m.from,
            to: m.to,
            sent_at: m.sent_at,
            arrives_at: m.arrives_at,
            msg: m.msg.clone(),
            duplicate: m.duplicate,
            drop_reason,
        }
    }
}

/// One processed event. `seq` is the event number (1-based; the state
/// "at event n" is the state right after this event).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Event {
    pub seq: u64,
    /// Virtual time in microseconds.
    pub time: u64,
    pub kind: EventKind,
    /// The node whose state this event touched, if any.
    pub node: Option<NodeId>,
    pub description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<MessageInfo>,
    /// What the node said about its decision (raft::Output::notes).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Ids of messages this event sent.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sent: Vec<u64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MarkerKind {
    ElectionStarted,
    LeaderElected,
}

/// A point on the timeline: elections started and leaders elected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Marker {
    pub kind: MarkerKind,
    pub time: u64,
    pub event: u64,
    pub term: Term,
    pub node: NodeId,
}
