//! Schedules: a run as the list of its events, each named so that it can be
//! taken again exactly — the explorer's counterexamples (`crate::explore`),
//! a scenario's `"schedule"` that `ringraft run` replays, and (next) the
//! page's manual mode, where a person picks the next event.
//!
//! Time is abstracted away as TLA+ specifications do: in schedule mode the
//! world's timed queue is not consulted; [`World::enabled`] lists what may
//! happen next and [`World::take`] makes one of those things happen, as one
//! event of the feed. Any armed timer may fire, any message in flight may
//! arrive (or be dropped, or duplicated), any server may crash or restart,
//! a client may send a request to any running server, a leader may start a
//! configuration change (§4.1).
//!
//! A message is named by its link and its per-link sequence number: the
//! `seq`-th message `from` sent `to` in this run (1-based, duplicates
//! included), with its kind as a check.

use serde::Serialize;
use serde_json::Value;

use crate::raft::{Command, Envelope, Message, NodeId};

use super::action::Action;
use super::event::{ClientSource, EventKind, MessageInfo, TimerKind, What};
use super::network::MS;
use super::world::World;

/// A message's kind, as schedules name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    RequestVote,
    RequestVoteResponse,
    AppendEntries,
    AppendEntriesResponse,
    PreVote,
    PreVoteResponse,
    TimeoutNow,
    InstallSnapshot,
    InstallSnapshotResponse,
}

impl MessageKind {
    /// Every kind's JSON name, in declaration order.
    pub const NAMES: [&'static str; 9] = [
        "request_vote",
        "request_vote_response",
        "append_entries",
        "append_entries_response",
        "pre_vote",
        "pre_vote_response",
        "timeout_now",
        "install_snapshot",
        "install_snapshot_response",
    ];
    const ALL: [MessageKind; 9] = [
        MessageKind::RequestVote,
        MessageKind::RequestVoteResponse,
        MessageKind::AppendEntries,
        MessageKind::AppendEntriesResponse,
        MessageKind::PreVote,
        MessageKind::PreVoteResponse,
        MessageKind::TimeoutNow,
        MessageKind::InstallSnapshot,
        MessageKind::InstallSnapshotResponse,
    ];

    pub fn of(m: &Message) -> MessageKind {
        match m {
            Message::RequestVote(_) => MessageKind::RequestVote,
            Message::RequestVoteResponse(_) => MessageKind::RequestVoteResponse,
            Message::AppendEntries(_) => MessageKind::AppendEntries,
            Message::AppendEntriesResponse(_) => MessageKind::AppendEntriesResponse,
            Message::PreVote(_) => MessageKind::PreVote,
            Message::PreVoteResponse(_) => MessageKind::PreVoteResponse,
            Message::TimeoutNow(_) => MessageKind::TimeoutNow,
            #[cfg(feature = "membership")]
            Message::InstallSnapshot(_) => MessageKind::InstallSnapshot,
            #[cfg(feature = "membership")]
            Message::InstallSnapshotResponse(_) => MessageKind::InstallSnapshotResponse,
        }
    }
}

/// One message of a run: the `seq`-th that `from` sent `to`, of `kind`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct MessageRef {
    pub from: NodeId,
    pub to: NodeId,
    pub kind: MessageKind,
    pub seq: u32,
}

/// One event of a schedule. In JSON: `{"deliver": {"from": 1, "to": 2,
/// "kind": "request_vote", "seq": 1}}`, `{"timeout": {"node": 1, "timer":
/// "election"}}`, `{"crash": {"node": 2}}`, `{"request": {"node": 1,
/// "command": {"op": "set", "key": "x", "value": "1"}}}`, `{"add_server":
/// {"leader": 1, "node": 5}}`, `{"remove_server": {"leader": 2, "node": 4}}`.
///
/// Serialized by serde's derive; read by [`Step::from_value`] (a derived
/// reader costs the page's module kilobytes, see `crate::tagged`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// The message reaches its receiver (lost if the receiver is down).
    Deliver(MessageRef),
    /// The network loses the message.
    Drop(MessageRef),
    /// The network delivers the message twice: a copy is sent (next `seq` on its link).
    Duplicate(MessageRef),
    /// An armed timer of a running server fires.
    Timeout { node: NodeId, timer: TimerKind },
    /// A running server crashes: only Figure 2's persistent state survives.
    Crash { node: NodeId },
    /// A crashed server starts again.
    Restart { node: NodeId },
    /// A client sends `command` to a running server.
    Request { node: NodeId, command: Command },
    /// Server `leader`, a running leader, starts adding `node` to its
    /// configuration (§4.1; a learner first when `learner_catch_up` is on,
    /// §4.2.1). A server never started before starts empty, as
    /// `add_server` actions start it.
    AddServer { leader: NodeId, node: NodeId },
    /// Server `leader` starts removing `node` from its configuration (§4.1).
    RemoveServer { leader: NodeId, node: NodeId },
}

crate::deserialize_via_value!(Step);

/// A name from `names` standing for `all`'s value at the same place.
fn named<T: Copy>(v: &Value, names: &[&str], all: &[T]) -> Result<T, String> {
    let name = v.as_str().ok_or_else(|| "expected a name".to_string())?;
    names.iter().position(|n| *n == name).map(|i| all[i]).ok_or_else(|| crate::tagged::unknown_variant(name, names))
}

impl Step {
    /// Every step's JSON name, in declaration order.
    pub const NAMES: [&'static str; 9] = ["deliver", "drop", "duplicate", "timeout", "crash", "restart", "request", "add_server", "remove_server"];

    /// Reads `{"deliver": {"from": 1, "to": 2, "kind": "request_vote", "seq": 1}}`
    /// and the like; unknown fields are refused.
    pub fn from_value(v: &Value) -> Result<Step, String> {
        let map = v.as_object().filter(|m| m.len() == 1).ok_or_else(|| "expected an object with one step name".to_string())?;
        let (name, body) = map.iter().next().ok_or("no step")?;
        let mut f = crate::tagged::Fields::plain(body)?;
        let message = |f: &mut crate::tagged::Fields| -> Result<MessageRef, String> {
            let kind: Value = f.req("kind")?;
            Ok(MessageRef {
                from: f.req("from")?,
                to: f.req("to")?,
                kind: named(&kind, &MessageKind::NAMES, &MessageKind::ALL).map_err(|e| format!("kind: {e}"))?,
                seq: f.req("seq")?,
            })
        };
        let step = match name.as_str() {
            "deliver" => Step::Deliver(message(&mut f)?),
            "drop" => Step::Drop(message(&mut f)?),
            "duplicate" => Step::Duplicate(message(&mut f)?),
            "timeout" => {
                let timer: Value = f.req("timer")?;
                let timer = named(&timer, &["election", "heartbeat"], &[TimerKind::Election, TimerKind::Heartbeat]).map_err(|e| format!("timer: {e}"))?;
                Step::Timeout { node: f.req("node")?, timer }
            }
            "crash" => Step::Crash { node: f.req("node")? },
            "restart" => Step::Restart { node: f.req("node")? },
            "request" => Step::Request { node: f.req("node")?, command: f.req("command")? },
            "add_server" => Step::AddServer { leader: f.req("leader")?, node: f.req("node")? },
            "remove_server" => Step::RemoveServer { leader: f.req("leader")?, node: f.req("node")? },
            other => return Err(crate::tagged::unknown_variant(other, &Step::NAMES)),
        };
        f.done()?;
        Ok(step)
    }

    /// The servers this step names, with the field each sits in.
    pub fn nodes(&self) -> Vec<(&'static str, NodeId)> {
        match self {
            Step::Deliver(r) | Step::Drop(r) | Step::Duplicate(r) => vec![("from", r.from), ("to", r.to)],
            Step::Timeout { node, .. } | Step::Crash { node } | Step::Restart { node } | Step::Request { node, .. } => vec![("node", *node)],
            Step::AddServer { leader, node } | Step::RemoveServer { leader, node } => vec![("leader", *leader), ("node", *node)],
        }
    }
}

/// Why a step cannot be taken now (the world is left unchanged).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum ScheduleError {
    /// No such server.
    UnknownServer { node: NodeId },
    /// The step needs a running server and this one is down.
    ServerDown { node: NodeId },
    /// A restart of a server that is running.
    ServerRunning { node: NodeId },
    /// The timer is not armed on that server.
    TimerNotArmed { node: NodeId, timer: TimerKind },
    /// No message with that link and sequence number is in flight (never
    /// sent, or already delivered or lost).
    NotInFlight { message: MessageRef },
    /// The message in flight under that name is of another kind.
    WrongKind { message: MessageRef, found: MessageKind },
    /// The leader would refuse this configuration change now (§4.1).
    ChangeRefused { leader: NodeId, reason: crate::raft::ChangeRefused },
    /// Configuration changes need the `membership` feature (this build has none).
    NoMembership,
}

/// The command of a run's `n`-th client request (1-based) when nobody says
/// which: `x := n`, so every request writes a value of its own.
pub fn request_command(n: u64) -> Command {
    Command::Set { key: "x".to_string(), value: n.to_string() }
}

impl World {
    /// The message in flight under `r`'s name.
    fn find(&self, r: &MessageRef) -> Result<u64, ScheduleError> {
        let m = self
            .in_flight
            .values()
            .map(|(m, _)| m)
            .find(|m| m.from == r.from && m.to == r.to && m.seq == r.seq && m.dropped_at.is_none())
            .ok_or(ScheduleError::NotInFlight { message: *r })?;
        let found = MessageKind::of(&m.msg);
        if found != r.kind {
            return Err(ScheduleError::WrongKind { message: *r, found });
        }
        Ok(m.id)
    }

    fn running(&self, node: NodeId) -> Result<(), ScheduleError> {
        if node == 0 || node as usize > self.nodes.len() {
            Err(ScheduleError::UnknownServer { node })
        } else if !self.is_alive(node) {
            Err(ScheduleError::ServerDown { node })
        } else {
            Ok(())
        }
    }

    /// Every event that can happen next, in a fixed order: timers (by
    /// server), deliveries (oldest message first), crashes and restarts,
    /// drops, duplications, client requests (with [`request_command`]),
    /// then configuration changes running leaders would start (by leader;
    /// builds with membership changes only).
    pub fn enabled(&self) -> Vec<Step> {
        let mut steps = Vec::new();
        for s in self.nodes.iter().filter(|s| s.alive) {
            let node = s.node.id();
            if s.election.is_some() {
                steps.push(Step::Timeout { node, timer: TimerKind::Election });
            }
            if s.heartbeat.is_some() {
                steps.push(Step::Timeout { node, timer: TimerKind::Heartbeat });
            }
        }
        let refs: Vec<MessageRef> = self
            .in_flight
            .values()
            .map(|(m, _)| m)
            .filter(|m| m.dropped_at.is_none())
            .map(|m| MessageRef { from: m.from, to: m.to, kind: MessageKind::of(&m.msg), seq: m.seq })
            .collect();
        steps.extend(refs.iter().map(|&r| Step::Deliver(r)));
        for s in &self.nodes {
            let node = s.node.id();
            steps.push(if s.alive { Step::Crash { node } } else { Step::Restart { node } });
        }
        steps.extend(refs.iter().map(|&r| Step::Drop(r)));
        steps.extend(refs.iter().map(|&r| Step::Duplicate(r)));
        let command = request_command(self.stats.client_requests + 1);
        for s in self.nodes.iter().filter(|s| s.alive) {
            steps.push(Step::Request { node: s.node.id(), command: command.clone() });
        }
        #[cfg(feature = "membership")]
        self.enabled_changes(&mut steps);
        steps
    }

    /// The configuration changes a running leader would start now (§4.1):
    /// adding a server not in its configuration (one that exists, or the
    /// next new id) or removing one that is.
    #[cfg(feature = "membership")]
    fn enabled_changes(&self, steps: &mut Vec<Step>) {
        let next = (self.nodes.len() as NodeId + 1).min(9);
        for s in self.nodes.iter().filter(|s| s.alive && s.node.role() == crate::raft::Role::Leader) {
            let leader = s.node.id();
            for node in 1..=next {
                let step = if s.node.membership().contains(node) { Step::RemoveServer { leader, node } } else { Step::AddServer { leader, node } };
                if self.change_allowed(&step).is_ok() {
                    steps.push(step);
                }
            }
        }
    }

    /// Whether `step`, a configuration change, can be taken now.
    fn change_allowed(&self, step: &Step) -> Result<(), ScheduleError> {
        let (Step::AddServer { leader, node } | Step::RemoveServer { leader, node }) = *step else { return Ok(()) };
        self.running(leader)?;
        if node == 0 || node > 9 {
            return Err(ScheduleError::UnknownServer { node });
        }
        #[cfg(feature = "membership")]
        {
            use crate::raft::ConfChange;
            let change = if let Step::AddServer { .. } = step { ConfChange::Add { node } } else { ConfChange::Remove { node } };
            let n = &self.nodes[(leader - 1) as usize].node;
            n.check_change(change).map(|_| ()).map_err(|reason| ScheduleError::ChangeRefused { leader, reason })
        }
        #[cfg(not(feature = "membership"))]
        Err(ScheduleError::NoMembership)
    }

    /// Takes one step: exactly that event happens now (virtual time moves
    /// on by 1 ms, so the timeline keeps its order). A step that is not
    /// enabled is refused with the reason, and nothing changes.
    pub fn take(&mut self, step: &Step) -> Result<(), ScheduleError> {
        match step {
            Step::Deliver(r) | Step::Drop(r) | Step::Duplicate(r) => {
                self.find(r)?;
            }
            Step::Timeout { node, timer } => {
                self.running(*node)?;
                let s = &self.nodes[(*node - 1) as usize];
                let armed = match timer {
                    TimerKind::Election => s.election.is_some(),
                    TimerKind::Heartbeat => s.heartbeat.is_some(),
                };
                if !armed {
                    return Err(ScheduleError::TimerNotArmed { node: *node, timer: *timer });
                }
            }
            Step::Crash { node } | Step::Request { node, .. } => self.running(*node)?,
            Step::Restart { node } => match self.running(*node) {
                Ok(()) => return Err(ScheduleError::ServerRunning { node: *node }),
                Err(ScheduleError::ServerDown { .. }) => {}
                Err(e) => return Err(e),
            },
            Step::AddServer { .. } | Step::RemoveServer { .. } => self.change_allowed(step)?,
        }
        self.now = self.now.saturating_add(MS);
        match step {
            Step::Deliver(r) => {
                let id = self.find(r)?;
                self.deliver_now(id);
            }
            Step::Drop(r) => {
                let id = self.find(r)?;
                self.apply_action(Action::DropMessage { id });
            }
            Step::Duplicate(r) => {
                let id = self.find(r)?;
                let Some((m, _)) = self.in_flight.get(&id) else { return Err(ScheduleError::NotInFlight { message: *r }) };
                let info = MessageInfo::of(m, None);
                let env = Envelope { from: m.from, to: m.to, msg: m.msg.clone() };
                let mut ev = self.new_event(EventKind::Action, None, What::Duplicated { id, copy: 0 });
                let copy = self.send(env, true);
                ev.what = What::Duplicated { id, copy };
                ev.message = Some(info);
                ev.sent.push(copy);
                self.finish(ev);
            }
            Step::Timeout { node, timer: TimerKind::Election } => {
                self.cancel_election(*node);
                self.election_timeout(*node, false);
            }
            Step::Timeout { node, timer: TimerKind::Heartbeat } => {
                self.cancel_heartbeat(*node);
                self.heartbeat_timeout(*node, false);
            }
            Step::Crash { node } => self.apply_action(Action::Crash { node: *node }),
            Step::Restart { node } => self.apply_action(Action::Restart { node: *node }),
            Step::Request { node, command } => self.client_request(*node, command.clone(), ClientSource::User),
            #[cfg(feature = "membership")]
            Step::AddServer { leader, node } => self.change_membership_at(*leader, Action::AddServer { node: *node }),
            #[cfg(feature = "membership")]
            Step::RemoveServer { leader, node } => self.change_membership_at(*leader, Action::RemoveServer { node: *node }),
            #[cfg(not(feature = "membership"))]
            Step::AddServer { .. } | Step::RemoveServer { .. } => {}
        }
        Ok(())
    }

    /// Takes every step in order; stops at the first that is not enabled
    /// and says which (its position) and why.
    pub fn take_all(&mut self, steps: &[Step]) -> Result<(), (usize, ScheduleError)> {
        for (i, s) in steps.iter().enumerate() {
            self.take(s).map_err(|e| (i, e))?;
        }
        Ok(())
    }
}
