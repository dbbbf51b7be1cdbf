//! Moving a shard's replica from one server to another by Raft membership
//! changes (dissertation ch. 4), one server at a time:
//!
//! 1. the group's leader is asked to add a new node, hosted on the new
//!    server (`AddServer`): it joins as a learner, gets the log in rounds
//!    and is promoted once a round is shorter than an election timeout
//!    (§4.2.1);
//! 2. once the new node is a voter in a committed configuration, the leader
//!    is asked to remove the old server's node (`RemoveServer`); a leader
//!    that removes itself steps down once C_new commits (§4.2.2) and the
//!    rest elect a new one;
//! 3. once a configuration without the old node is committed, the old
//!    server stops hosting it (the node is shut down: retired).
//!
//! The cluster does not remember what it asked; it looks at the group
//! after every event and does what the group's state still needs (ask
//! again when a change was refused or lost with its leader). A refusal —
//! no leader, a change pending, no entry of the leader's term committed
//! yet (§4.1) — is retried at the first event after a deterministic
//! back-off, so the same actions give the same run however time is sliced.

use serde::Serialize;

use crate::raft::{ChangeRefused, Membership, Node, NodeId};
use crate::sim::{Action, Sim, What, MS};

/// First wait after a refusal (virtual µs); doubled per refusal up to [`RETRY_MAX`].
pub const RETRY_FIRST: u64 = 50 * MS;
/// Longest wait between two tries.
pub const RETRY_MAX: u64 = 800 * MS;

/// What a person changed about the servers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "change", content = "server", rename_all = "snake_case")]
pub enum ServerChange {
    Added(String),
    Removed(String),
}

impl ServerChange {
    pub fn server(&self) -> &str {
        match self {
            ServerChange::Added(s) | ServerChange::Removed(s) => s,
        }
    }
}

/// One replica to move: shard `shard`'s node `old` on server `from` hands
/// over to a new node `new` (a Raft id the group never had) on server `to`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReplicaMove {
    pub shard: usize,
    pub from: String,
    pub to: String,
    pub old: NodeId,
    pub new: NodeId,
}

/// Where a move stands, as observed in its group.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MoveStage {
    /// Behind an earlier move of the same shard (one change at a time, §4.1).
    Queued,
    /// Asking the group's leader to add the new node.
    Adding,
    /// The new node is a learner receiving the log (§4.2.1).
    CatchingUp,
    /// The new node votes; asking the leader to remove the old node and
    /// waiting for that configuration to commit.
    Removing,
    /// The old node is out of a committed configuration and retired.
    Done,
}

impl MoveStage {
    pub fn id(self) -> &'static str {
        match self {
            MoveStage::Queued => "queued",
            MoveStage::Adding => "adding",
            MoveStage::CatchingUp => "catching_up",
            MoveStage::Removing => "removing",
            MoveStage::Done => "done",
        }
    }
}

/// Why a request to the group was not taken (the cluster asks again later).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "why", rename_all = "snake_case")]
pub enum Refusal {
    /// No server of the group believes it leads.
    NoLeader,
    /// The leader refused the change.
    Refused { reason: ChangeRefused },
}

/// One milestone of a move, with the group node that did it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum MoveStep {
    /// Leader `leader` appended the configuration with `node` as a learner.
    LearnerAdded { node: NodeId, leader: NodeId },
    /// `node` is a voter in a committed configuration.
    Promoted { node: NodeId },
    /// Leader `leader` appended the configuration without `node`.
    RemovalStarted { node: NodeId, leader: NodeId },
    /// The configuration without `node` is committed: its server no longer hosts it.
    Retired { node: NodeId },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TimedMoveStep {
    /// Virtual time, µs.
    pub time: u64,
    pub step: MoveStep,
}

/// A move and what has happened to it so far.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MoveProgress {
    pub plan: ReplicaMove,
    pub stage: MoveStage,
    pub steps: Vec<TimedMoveStep>,
    /// Requests not taken so far, and the last one's reason and time.
    pub refusals: u32,
    pub last_refusal: Option<(u64, Refusal)>,
    /// No new request before this time (back-off after a refusal).
    next_try: u64,
}

impl MoveProgress {
    pub(super) fn new(plan: ReplicaMove) -> MoveProgress {
        MoveProgress { plan, stage: MoveStage::Queued, steps: Vec::new(), refusals: 0, last_refusal: None, next_try: 0 }
    }

    pub fn is_done(&self) -> bool {
        self.stage == MoveStage::Done
    }

    fn push(&mut self, time: u64, step: MoveStep) {
        self.steps.push(TimedMoveStep { time, step });
    }

    fn refused(&mut self, time: u64, why: Refusal) {
        self.refusals += 1;
        self.last_refusal = Some((time, why));
        let wait = RETRY_FIRST.saturating_mul(1 << self.refusals.min(5).saturating_sub(1)).min(RETRY_MAX);
        self.next_try = time.saturating_add(wait);
    }
}

/// A group's configuration as the cluster reads it: its leader's (the one
/// `AddServer` and `RemoveServer` go through), else the latest any of
/// `nodes` has (§4.1: in effect as soon as it is in a log).
pub(super) fn configuration(sim: &Sim, nodes: &[NodeId]) -> Membership {
    let node = match sim.world().current_leader() {
        Some(l) => sim.node(l),
        None => nodes.iter().filter_map(|&id| sim.node(id)).max_by_key(|n| (n.membership_index(), n.current_term())),
    };
    node.map(|n| n.membership().clone()).unwrap_or_default()
}

/// Whether a live server of the group holds a committed configuration
/// that `test` accepts (its commit index covers the configuration entry).
fn committed(sim: &Sim, nodes: &[NodeId], test: impl Fn(&Membership) -> bool) -> bool {
    let holds = |n: &Node| n.membership_index() <= n.commit_index() && test(n.membership());
    nodes.iter().any(|&id| sim.is_alive(id) && sim.node(id).is_some_and(holds))
}

/// What a move asks of its group now, if anything.
pub(super) enum Ask {
    Add(NodeId),
    Remove(NodeId),
}

/// What a move's group did with a request: taken by `leader`, or refused.
pub(super) fn outcome(sim: &Sim) -> Result<NodeId, Refusal> {
    match sim.last_event().map(|e| (&e.what, e.node)) {
        Some((What::Applied { .. }, Some(leader))) => Ok(leader),
        Some((What::ChangeRefused { reason, .. }, _)) => Err(Refusal::Refused { reason: *reason }),
        _ => Err(Refusal::NoLeader),
    }
}

impl MoveProgress {
    /// Look at the group after an event at `time` and move the stage on;
    /// returns the request to make now (none while backing off or waiting).
    /// `nodes` are the group's live-or-crashed nodes not yet retired.
    pub(super) fn observe(&mut self, sim: &Sim, nodes: &[NodeId], time: u64) -> Option<Ask> {
        let (old, new) = (self.plan.old, self.plan.new);
        if self.stage == MoveStage::Queued {
            self.stage = MoveStage::Adding;
        }
        if matches!(self.stage, MoveStage::Adding | MoveStage::CatchingUp) {
            if committed(sim, nodes, |m| m.is_voter(new)) {
                self.push(time, MoveStep::Promoted { node: new });
                self.stage = MoveStage::Removing;
            } else if configuration(sim, nodes).contains(new) {
                self.stage = MoveStage::CatchingUp;
                return None;
            } else {
                // Not asked yet, refused, or lost with a leader that never
                // replicated it: ask (again).
                self.stage = MoveStage::Adding;
                return (time >= self.next_try).then_some(Ask::Add(new));
            }
        }
        if self.stage == MoveStage::Removing {
            if committed(sim, nodes, |m| m.is_voter(new) && !m.contains(old)) {
                self.push(time, MoveStep::Retired { node: old });
                self.stage = MoveStage::Done;
            } else if configuration(sim, nodes).contains(old) {
                return (time >= self.next_try).then_some(Ask::Remove(old));
            }
        }
        None
    }

    /// Record what the group did with `ask` (made at `time`).
    pub(super) fn asked(&mut self, ask: &Ask, result: Result<NodeId, Refusal>, time: u64) {
        match (ask, result) {
            (Ask::Add(node), Ok(leader)) => {
                self.push(time, MoveStep::LearnerAdded { node: *node, leader });
                self.stage = MoveStage::CatchingUp;
            }
            (Ask::Remove(node), Ok(leader)) => self.push(time, MoveStep::RemovalStarted { node: *node, leader }),
            (_, Err(why)) => self.refused(time, why),
        }
    }
}

impl Ask {
    pub(super) fn action(&self) -> Action {
        match *self {
            Ask::Add(node) => Action::AddServer { node },
            Ask::Remove(node) => Action::RemoveServer { node },
        }
    }
}
