//! Membership changes (dissertation ch. 4).
//!
//! - A configuration is a log entry, in effect on a server as soon as it
//!   is in its log, committed or not (§4.1); `refresh_membership` finds it.
//! - One change at a time: a leader starts one only when the last is
//!   committed, and only after an entry of its own term is committed (§4.1,
//!   the fix to the single-server bug of 2015; `unsafe_single_server_change`
//!   drops it).
//! - A new server joins as a learner: it gets the log but neither votes nor
//!   counts. The leader replicates in rounds — each round sends what the log
//!   held when it began — and promotes it once a round takes less than an
//!   election timeout (§4.2.1; `learner_catch_up` off adds it as a voter at
//!   once, which leaves the cluster unable to commit until it catches up).
//! - Arbitrary changes go through joint consensus: C_old,new needs a
//!   majority of both, and once it is committed the leader appends C_new
//!   (§4.3).
//! - A leader that is not in C_new manages the cluster without counting
//!   itself, and steps down once C_new is committed (§4.2.2).

use super::super::membership::Membership;
#[cfg(feature = "membership")]
use super::super::membership::{ChangeRefused, ConfChange, NodeSet};
#[cfg(feature = "membership")]
use super::super::note::ConfigCause;
#[cfg(feature = "membership")]
use super::super::note::Note;
use super::super::types::*;
use super::Node;
#[cfg(feature = "membership")]
use super::Progress;

/// Volatile state only the extended module keeps (the page's lean modules
/// never change a configuration or run the durability bug, `src/lean/mod.rs`).
#[cfg(feature = "membership")]
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Changes {
    /// Leader: its heartbeat timeouts so far (its only clock), and the
    /// learner catch-up round under way (§4.2.1).
    ticks: u64,
    catch_up: Option<CatchUp>,
    /// How many heartbeat intervals make the minimum election timeout (the
    /// driver says; a catch-up round must be shorter, §4.2.1).
    election_ticks: u64,
    /// The reply_before_persist bug: what a crash would lose — the first
    /// index the last AppendEntries appended, and whether this term's vote
    /// has not reached the disk.
    pub(super) unsynced_from: Option<Index>,
    pub(super) vote_unsynced: bool,
}

#[cfg(feature = "membership")]
impl Default for Changes {
    fn default() -> Self {
        Changes { ticks: 0, catch_up: None, election_ticks: 10, unsynced_from: None, vote_unsynced: false }
    }
}

#[cfg(not(feature = "membership"))]
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Changes;

#[cfg(feature = "extended")]
impl Changes {
    /// For `Node::encode_state`: the leader's heartbeat count matters only
    /// while a catch-up round measures it (§4.2.1); `election_ticks` is the
    /// driver's constant.
    pub(super) fn encode(&self, ids: &super::encode::Relabel, buf: &mut Vec<u8>) {
        let Changes { ticks, catch_up, election_ticks: _, unsynced_from, vote_unsynced } = self;
        match catch_up {
            None => buf.push(0),
            Some(CatchUp { node, round, target, started, ready }) => {
                buf.push(1);
                buf.push(ids.apply(*node));
                super::encode::put(buf, *round as u64);
                super::encode::put(buf, *target);
                super::encode::put(buf, ticks - started);
                buf.push(*ready as u8);
            }
        }
        super::encode::put(buf, unsynced_from.map_or(0, |i| i + 1));
        buf.push(*vote_unsynced as u8);
    }
}

#[cfg(not(feature = "extended"))]
impl Changes {
    pub(super) fn encode(&self, _: &super::encode::Relabel, _: &mut Vec<u8>) {}
}

/// Leader: the catch-up of a learner (§4.2.1), in rounds.
#[cfg(feature = "membership")]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct CatchUp {
    node: NodeId,
    round: u32,
    /// The round ends when the learner matches the log up to here.
    target: Index,
    /// The leader's heartbeat count when the round began.
    started: u64,
    /// A round was short enough: promote once no change is pending.
    ready: bool,
}

impl Node {
    /// The configuration in effect on this server (§4.1).
    pub fn membership(&self) -> &Membership {
        &self.membership
    }

    /// The index of the configuration entry in effect (0: the snapshot's or
    /// the bootstrap configuration).
    pub fn membership_index(&self) -> Index {
        self.membership_index
    }

    /// The driver says how many heartbeat intervals make the minimum
    /// election timeout, the bound a catch-up round must beat (§4.2.1).
    #[cfg(feature = "membership")]
    pub fn set_election_ticks(&mut self, ticks: u64) {
        self.chg.election_ticks = ticks.max(1);
    }

    /// Leader: the learner being caught up and the round it is in.
    #[cfg(feature = "membership")]
    pub fn catch_up_round(&self) -> Option<(NodeId, u32)> {
        self.chg.catch_up.filter(|_| self.role == Role::Leader).map(|c| (c.node, c.round))
    }

    /// The configuration in effect, found again after the log changed:
    /// the latest in the log, else the snapshot's, else the bootstrap one.
    pub(super) fn refresh_membership(&mut self) {
        #[cfg(not(feature = "membership"))]
        {
            // The page's lean modules never change a configuration (no
            // configuration entry gets into their logs, `src/lean/mod.rs`).
            self.membership = Membership { voters: self.cluster.clone(), ..Membership::default() };
        }
        #[cfg(feature = "membership")]
        self.refresh_from_log();
    }

    #[cfg(feature = "membership")]
    fn refresh_from_log(&mut self) {
        let off = self.log_offset();
        let in_log = self.persistent.log.iter().enumerate().rev().find_map(|(k, e)| match &*e.command {
            Command::Config(m) => Some((off + k as Index + 1, m.clone())),
            _ => None,
        });
        let (index, m) = in_log.unwrap_or_else(|| (0, self.base_membership()));
        self.membership_index = index;
        if m != self.membership {
            self.membership = m;
            if self.role == Role::Leader {
                self.sync_progress();
            }
        }
    }

    /// The configuration below the log: the snapshot's (§7 keeps it in the
    /// snapshot), else the one this server was started with.
    #[cfg(feature = "membership")]
    pub(super) fn base_membership(&self) -> Membership {
        match self.persistent.snapshot.as_ref().and_then(|s| s.membership.clone()) {
            Some(m) => m,
            None => Membership::of(self.cluster.clone()),
        }
    }

    /// Leader: one progress entry per server of the configuration in
    /// effect; a newcomer is probed from the end of the log.
    #[cfg(feature = "membership")]
    fn sync_progress(&mut self) {
        let members: Vec<NodeId> = self.peers().collect();
        self.progress.retain(|p, _| members.contains(p));
        let next = self.last_log_index() + 1;
        for p in members {
            self.progress.or_insert(p, Progress::probe(next));
        }
        if self.transferee.is_some_and(|t| !self.membership.is_voter(t)) {
            self.transferee = None;
        }
    }

    /// A configuration change asked of this server (§4.1, §4.3).
    #[cfg(feature = "membership")]
    pub fn propose_change(&mut self, change: ConfChange) -> Result<(Index, Output), ChangeRefused> {
        let new = self.check_change(change)?;
        let mut out = Output::default();
        let index = self.append_config(new, ConfigCause::Requested, &mut out);
        Ok((index, out))
    }

    /// Whether this server would start `change` now, and the configuration
    /// it would append (§4.1, §4.3); nothing changes. Drivers and the
    /// explorer ask this to offer only the changes a leader accepts.
    #[cfg(feature = "membership")]
    pub fn check_change(&self, change: ConfChange) -> Result<Membership, ChangeRefused> {
        if self.role != Role::Leader {
            return Err(ChangeRefused::NotLeader);
        }
        if self.transferee.is_some() {
            return Err(ChangeRefused::Transferring);
        }
        let cur = self.membership.clone();
        let cancels_catch_up = matches!(change, ConfChange::Remove { node } if cur.catching_up == Some(node));
        if self.membership_index > self.commit_index || cur.is_joint() || (cur.catching_up.is_some() && !cancels_catch_up) {
            // §4.1: one change at a time.
            return Err(ChangeRefused::Pending { index: self.membership_index });
        }
        let new = match change {
            ConfChange::Add { node } => {
                if cur.contains(node) {
                    return Err(ChangeRefused::AlreadyMember { node });
                }
                let mut m = cur.clone();
                if self.config.learner_catch_up {
                    m.learners.push(node);
                    m.catching_up = Some(node);
                } else {
                    m.voters.push(node);
                }
                m.normalized()
            }
            ConfChange::Remove { node } => {
                if !cur.contains(node) {
                    return Err(ChangeRefused::NotMember { node });
                }
                let mut m = cur.clone();
                m.voters.retain(|&v| v != node);
                m.learners.retain(|&v| v != node);
                if m.catching_up == Some(node) {
                    m.catching_up = None;
                }
                if m.voters.is_empty() {
                    return Err(ChangeRefused::LastVoter);
                }
                m
            }
            ConfChange::Joint { voters, learners } => {
                let target = Membership { voters, learners, ..Membership::default() }.normalized();
                if target.voters.is_empty() {
                    return Err(ChangeRefused::LastVoter);
                }
                if target.voters == cur.voters && target.learners == cur.learners {
                    return Err(ChangeRefused::Unchanged);
                }
                // §4.3: C_old,new first.
                Membership { outgoing: cur.voters.clone(), ..target }
            }
        };
        if !self.config.bugs.unsafe_single_server_change && self.term_at(self.commit_index) != Some(self.current_term()) {
            // §4.1 (the 2015 fix): commit an entry of this term first.
            return Err(ChangeRefused::NoCommitInTerm);
        }
        Ok(new)
    }

    /// Appends a configuration entry (in effect at once, §4.1) and sends it.
    #[cfg(feature = "membership")]
    fn append_config(&mut self, m: Membership, cause: ConfigCause, out: &mut Output) -> Index {
        let before: Vec<NodeId> = self.progress.keys().copied().collect();
        let (voters, learners, outgoing) = (NodeSet::of(&m.voters), NodeSet::of(&m.learners), NodeSet::of(&m.outgoing));
        let catching_up = m.catching_up;
        let index = self.append_own(Command::Config(m));
        out.notes.push(Note::ConfigAppended { index, term: self.current_term(), voters, learners, outgoing, cause });
        self.chg.catch_up = catching_up.map(|node| CatchUp { node, round: 1, target: index, started: self.chg.ticks, ready: false });
        let peers: Vec<NodeId> = self.peers().collect();
        for p in peers {
            if before.contains(&p) {
                self.send_new_entries(p, out);
            } else {
                self.send_from_next_index(p, out);
            }
        }
        self.advance_commit(out);
        self.apply_committed(out);
        index
    }

    /// A new leader carries on with a catch-up its configuration names.
    #[cfg(feature = "membership")]
    pub(super) fn resume_catch_up(&mut self) {
        self.chg.catch_up = self.membership.catching_up.map(|node| CatchUp {
            node,
            round: 1,
            target: self.last_log_index(),
            started: self.chg.ticks,
            ready: false,
        });
    }

    /// Leader: `from` now matches up to `m`. Ends a catch-up round when it
    /// reaches the round's target (§4.2.1).
    #[cfg(feature = "membership")]
    pub(super) fn catch_up_progress(&mut self, from: NodeId, m: Index, out: &mut Output) {
        let Some(mut c) = self.chg.catch_up.filter(|c| c.node == from && !c.ready && m >= c.target) else { return };
        let took = self.chg.ticks - c.started;
        let promote = took < self.chg.election_ticks;
        out.notes.push(Note::CatchUpRound {
            node: from,
            round: c.round,
            ticks: took.min(u32::MAX as u64) as u32,
            limit: self.chg.election_ticks.min(u32::MAX as u64) as u32,
            promote,
        });
        if promote {
            c.ready = true;
        } else {
            c = CatchUp { round: c.round + 1, target: self.last_log_index(), started: self.chg.ticks, ..c };
        }
        self.chg.catch_up = Some(c);
        self.after_commit(out);
    }

    /// Leader, after its commit index moved (or a catch-up finished):
    /// leave a committed joint configuration for C_new (§4.3), promote a
    /// caught-up learner once no change is pending (§4.2.1), step down when
    /// a committed configuration no longer has it as a voter (§4.2.2).
    #[cfg(not(feature = "membership"))]
    pub(super) fn after_commit(&mut self, _: &mut Output) {}

    #[cfg(feature = "membership")]
    pub(super) fn after_commit(&mut self, out: &mut Output) {
        if self.role != Role::Leader || self.membership_index > self.commit_index {
            return;
        }
        let m = self.membership.clone();
        if m.is_joint() {
            let new = Membership { outgoing: Vec::new(), ..m };
            self.append_config(new, ConfigCause::LeaveJoint, out);
            return;
        }
        if !m.is_voter(self.id) {
            out.notes.push(Note::LeaderRemovedStepsDown { term: self.current_term(), index: self.membership_index });
            let term = self.current_term();
            self.become_follower(term);
            self.leader_id = None;
            return;
        }
        if let Some(c) = self.chg.catch_up.filter(|c| c.ready && m.catching_up == Some(c.node)) {
            let mut new = m;
            new.learners.retain(|&l| l != c.node);
            new.voters.push(c.node);
            new.catching_up = None;
            self.chg.catch_up = None;
            self.append_config(new.normalized(), ConfigCause::Promotion, out);
        }
    }

    /// Leader: one more heartbeat interval has passed (its clock for
    /// catch-up rounds).
    #[cfg(feature = "membership")]
    pub(super) fn tick(&mut self) {
        self.chg.ticks += 1;
    }
}

/// The page's lean modules: no catch-up, no clock for it (see `Changes`).
#[cfg(not(feature = "membership"))]
impl Node {
    pub fn set_election_ticks(&mut self, _: u64) {}
    pub fn catch_up_round(&self) -> Option<(NodeId, u32)> {
        None
    }
    pub(super) fn resume_catch_up(&mut self) {}
    pub(super) fn catch_up_progress(&mut self, _: NodeId, _: Index, _: &mut Output) {}
    pub(super) fn tick(&mut self) {}
}
