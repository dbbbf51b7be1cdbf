//! The vocabulary of a Raft cluster that can change: who is in it
//! (dissertation ch. 4) and the snapshot that replaces a log prefix (ch. 5).
//! The rules that use them live in `node/membership.rs` and
//! `node/compaction.rs`.


use serde::{Deserialize, Serialize};

use super::kv;
use super::types::{Index, NodeId, Term};

/// A cluster configuration (§4.1). Voters count in elections and in
/// commitment; learners only receive the log (§4.2.1). While a joint
/// configuration C_old,new is in effect (§4.3), `outgoing` holds C_old's
/// voters and every decision needs a majority of each set.
///
/// Every list is sorted and free of duplicates (the constructors see to it).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Membership {
    pub voters: Vec<NodeId>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub learners: Vec<NodeId>,
    /// C_old's voters while joint (§4.3); empty otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outgoing: Vec<NodeId>,
    /// The learner being caught up to join as a voter (§4.2.1): the leader
    /// promotes it once a round of replication takes less than an election
    /// timeout. In the entry, so a new leader carries on with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catching_up: Option<NodeId>,
}

fn set(mut v: Vec<NodeId>) -> Vec<NodeId> {
    // The page's one sort (`src/lean/order.rs`), not another std instance.
    crate::order::sort(&mut v);
    v.dedup();
    v
}

impl Membership {
    /// A plain configuration of these voters.
    pub fn of(voters: Vec<NodeId>) -> Membership {
        Membership { voters: set(voters), ..Membership::default() }
    }

    /// Sorts and dedups every list (for configurations read from files).
    pub fn normalized(self) -> Membership {
        let voters = set(self.voters);
        let learners: Vec<NodeId> = set(self.learners).into_iter().filter(|l| !voters.contains(l)).collect();
        Membership { voters, learners, outgoing: set(self.outgoing), catching_up: self.catching_up }
    }

    pub fn is_joint(&self) -> bool {
        !self.outgoing.is_empty()
    }

    /// Counts in elections or commitment (in either half of a joint configuration).
    pub fn is_voter(&self, id: NodeId) -> bool {
        self.voters.contains(&id) || self.outgoing.contains(&id)
    }

    pub fn is_learner(&self, id: NodeId) -> bool {
        self.learners.contains(&id) && !self.is_voter(id)
    }

    /// Receives the log: a voter or a learner.
    pub fn contains(&self, id: NodeId) -> bool {
        self.is_voter(id) || self.learners.contains(&id)
    }

    /// Every server the leader replicates to (and itself): the voters, the
    /// learners, then C_old's voters not in either (so a plain configuration
    /// lists its servers in order).
    pub fn members(&self) -> Vec<NodeId> {
        self.each_member().collect()
    }

    /// [`members`](Self::members) without the allocation (a leader walks
    /// them on every heartbeat and proposal).
    pub fn each_member(&self) -> impl Iterator<Item = NodeId> + '_ {
        let old = self.outgoing.iter().filter(|n| !self.voters.contains(n) && !self.learners.contains(n));
        self.voters.iter().chain(&self.learners).chain(old).copied()
    }

    /// §4.3: a majority of the voters and, while joint, a majority of C_old's
    /// voters too. `has` says which servers count (voted, hold the entry, …).
    /// An empty configuration has no quorum.
    pub fn quorum(&self, has: impl Fn(NodeId) -> bool) -> bool {
        let majority = |voters: &[NodeId]| voters.iter().filter(|&&n| has(n)).count() * 2 > voters.len();
        !self.voters.is_empty() && majority(&self.voters) && (self.outgoing.is_empty() || majority(&self.outgoing))
    }

    /// §4.3: the largest value a quorum holds, `matched(p)` being server
    /// `p`'s: the largest `n` with `quorum(|p| matched(p) >= n)`, found
    /// among the voters' own values with one lookup per voter (instead of
    /// a `quorum` call, a lookup per voter, for each candidate). 0 when the
    /// configuration is empty.
    pub fn quorum_index(&self, matched: impl Fn(NodeId) -> u64) -> u64 {
        // A majority's largest value is one of the voters' own: the largest
        // `x` that more than half of them hold.
        let largest = |voters: &[NodeId]| {
            let m: Vec<u64> = voters.iter().map(|&p| matched(p)).collect();
            m.iter().copied().filter(|&x| m.iter().filter(|&&y| y >= x).count() * 2 > m.len()).max().unwrap_or(0)
        };
        let q = largest(&self.voters);
        if self.outgoing.is_empty() { q } else { q.min(largest(&self.outgoing)) }
    }

    /// The votes a decision needs in the (incoming) voter set, for notes.
    pub fn majority(&self) -> usize {
        self.voters.len() / 2 + 1
    }
}

/// A change a leader is asked to make (§4.1, §4.3).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum ConfChange {
    /// A new server joins: as a learner to be caught up first (§4.2.1), or
    /// straight in as a voter with `learner_catch_up` off.
    Add { node: NodeId },
    /// A voter or learner leaves; the leader may remove itself (§4.2.2).
    Remove { node: NodeId },
    /// Any new configuration, through joint consensus (§4.3).
    Joint { voters: Vec<NodeId>, learners: Vec<NodeId> },
}

/// Why a leader refused a configuration change. Never a panic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum ChangeRefused {
    /// Only a leader changes the configuration.
    NotLeader,
    /// The configuration entry at `index` is not committed yet, or a
    /// learner is still being caught up: one change at a time (§4.1).
    Pending { index: Index },
    /// No entry of the leader's term is committed yet: a change now could
    /// overlap one from an earlier term (the 2015 single-server bug, §4.1).
    NoCommitInTerm,
    /// `node` is already in the configuration.
    AlreadyMember { node: NodeId },
    /// `node` is not in the configuration.
    NotMember { node: NodeId },
    /// The change would leave no voter.
    LastVoter,
    /// The joint change asks for the configuration already in effect.
    Unchanged,
    /// A leadership transfer is under way (§3.10).
    Transferring,
}

/// A state machine snapshot (ch. 5): everything the log prefix up to
/// `last_index` produced, and the configuration in effect there.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateSnapshot {
    pub last_index: Index,
    pub last_term: Term,
    /// None when the `snapshot_drops_config` bug forgot it: a server that
    /// loads it falls back on its bootstrap configuration.
    pub membership: Option<Membership>,
    pub kv: crate::raft::kv::Kv,
    /// §6.3: the client sessions are state machine state too.
    #[serde(default)]
    pub sessions: kv::Sessions,
}

/// A set of server ids (1–9) as a bit mask, so notes stay `Copy`. Bit i is
/// server i. Serialized as the sorted list of ids.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct NodeSet(pub u16);

impl NodeSet {
    pub fn of(ids: &[NodeId]) -> NodeSet {
        NodeSet(ids.iter().filter(|&&i| i < 16).fold(0, |m, &i| m | 1 << i))
    }
    pub fn ids(self) -> Vec<NodeId> {
        (0..16u8).filter(|i| self.0 & 1 << i != 0).collect()
    }
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
}

impl Serialize for NodeSet {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.ids().serialize(s)
    }
}
