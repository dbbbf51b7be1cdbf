//! What the event feed, the trace and the timeline are made of.

use serde::Serialize;

use crate::raft::{ChangeRefused, Command, Index, Message, Note, NodeId, Role, Term, TransferRefused};

use super::action::Action;

use super::network::{DropReason, InFlight};

/// The kind of an event, for filtering and icons in the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
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
    /// What happened, as data (the i18n layer words it); its fields sit
    /// beside the event's own in JSON (`"what": "delivered", "verdict": …`).
    #[serde(flatten)]
    pub what: What,
    /// Role, term and commit changes this event caused, in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<Change>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<MessageInfo>,
    /// What the node decided and why (raft::Output::notes).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
    /// Ids of messages this event sent.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sent: Vec<u64>,
}

impl Event {
    /// A message vanished here: lost on the wire, or dropped on arrival
    /// (the page draws a fading cross where it was).
    pub fn shows_loss(&self) -> bool {
        self.kind == EventKind::Lost || self.message.as_ref().is_some_and(|m| m.drop_reason.is_some())
    }
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

/// What one event was. Serialized as `{"what": "delivered", …}`.
#[derive(Clone, Debug, PartialEq, Hash, Serialize)]
#[serde(tag = "what", rename_all = "snake_case")]
pub enum What {
    /// `Event::message` reached its receiver, which stepped it; `verdict`:
    /// its answer, when it answered the sender.
    Delivered { verdict: Option<Verdict> },
    /// `Event::message` was lost (its `drop_reason` says why).
    Lost,
    /// A timer fired (or an action forced it): `role` and `term` before it.
    /// `started`: the term of the election it started, if it started one.
    Timer { timer: TimerKind, forced: bool, role: Role, term: Term, started: Option<Term> },
    /// A forced timeout on a server that is down: nothing happened.
    TimerOnDownServer { timer: TimerKind, node: NodeId },
    /// A client request reached `node`.
    Client { source: ClientSource, node: NodeId, command: Command, outcome: ClientOutcome },
    /// The load generator found no leader to send `command` to.
    ClientNoLeader { command: Command },
    /// "Crash / isolate the leader" while there is none.
    NoLeader { action: Action },
    /// `node` crashed; what it kept on disk (Figure 2 persistent state).
    Crashed { node: NodeId, term: Term, voted_for: Option<NodeId>, log_len: Index },
    AlreadyDown { node: NodeId },
    AlreadyRunning { node: NodeId },
    /// The user dropped `Event::message`.
    Dropped { id: u64 },
    /// A drop for a message that is no longer in flight: nothing dropped.
    NotInFlight { id: u64 },
    /// An action that names servers that do not exist: ignored.
    Invalid { action: Action },
    /// Any other action, applied as given.
    Applied { action: Action },
    /// A leadership transfer to `to` that the leader did not start (§3.10).
    TransferRefused { to: NodeId, leader: NodeId, reason: TransferRefused },
    /// Client operation `op` got no answer within its timeout after `tries`
    /// tries; `retry`: it is sent again, else the client gives up.
    ClientTimeout { op: u64, command: Command, tries: u8, retry: bool },
    /// The leader refused a configuration change (§4.1). (Last, so the
    /// trace hashes of runs without one stay as they were.)
    ChangeRefused { action: Action, leader: NodeId, reason: ChangeRefused },
    /// A schedule duplicated `Event::message` (id `id`): its copy `copy` is
    /// in flight too (`sim::schedule`).
    Duplicated { id: u64, copy: u64 },
}

/// How the receiver answered the message it was delivered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Accepted,
    Rejected,
    VoteGranted,
    VoteRefused,
    PreVoteGranted,
    PreVoteRefused,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TimerKind {
    Election,
    Heartbeat,
}

/// Who sent a client request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClientSource {
    /// A user action or a scenario's script.
    User,
    /// The client load generator.
    Load,
    /// A client following a redirect (§8).
    Redirected,
    /// A client trying again after a timeout (same session and serial, §6.3).
    Retry,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ClientOutcome {
    /// The leader appended it at `index` in `term`.
    Appended { index: Index, term: Term },
    /// Not the leader (§8): `hint` is the leader it knows; `follows`: the
    /// client retries there.
    NotLeader { hint: Option<NodeId>, follows: bool },
    /// The server is down.
    Down,
    /// The leader is handing over to `to` and refuses proposals (§3.10).
    Transferring { to: NodeId },
    /// The leader took the read; it answers outside the log (§6.4).
    Reading,
}

/// A change of a server's role, term or commit index caused by an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Change {
    BecameLeader { node: NodeId, term: Term },
    SteppedDown { node: NodeId, term: Term },
    NewTerm { node: NodeId, term: Term },
    Commit { node: NodeId, from: Index, to: Index },
}

// For the trace hash (`sim::trace_hash`).

/// Actions hold floats (network loss rates), so they hash as their
/// canonical JSON — the form links and scenario files carry.
impl std::hash::Hash for Action {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        std::hash::Hash::hash(&serde_json::to_string(self).unwrap_or_default(), state);
    }
}

/// The message's identity and term; its entries are covered by the notes
/// of the node that stepped it.
impl std::hash::Hash for MessageInfo {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        std::hash::Hash::hash(&(self.id, self.from, self.to, self.msg.term(), self.duplicate, self.drop_reason), state);
    }
}

