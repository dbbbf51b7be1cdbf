//! A canonical byte encoding of a node's state and of messages, for the
//! explorer's state fingerprints (`crate::explore`): two nodes with the same
//! encoding behave the same from then on, whatever their history.
//!
//! Left out, because they never change during a run: the node's `config`
//! and bootstrap `cluster`. Left out while reads go through the log (the
//! only read mode the explorer models): the heartbeat `round` carried by
//! AppendEntries and their replies, the `acked_round` per follower and the
//! read and lease state (`reads.rs`) — §6.4's machinery, which nothing else
//! reads, and which would make every heartbeat a new state.
//!
//! Server ids go through a [`Relabel`], so the explorer can encode a state
//! with its servers renamed (symmetry reduction): sets of ids become bit
//! masks of the renamed ids, maps keyed by id are written in renamed order.

use super::super::hash::command_hash;
use super::super::types::*;
use super::{Node, Progress, ProgressState};

/// A renaming of server ids: `Relabel::apply(old)` is the new id (ids 0–15).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Relabel(pub [NodeId; 16]);

impl Relabel {
    /// Every id keeps its name.
    pub const IDENTITY: Relabel = Relabel([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);

    pub fn apply(&self, id: NodeId) -> NodeId {
        self.0[(id & 15) as usize]
    }

    /// A set of ids as a bit mask of their new names.
    pub fn mask(&self, ids: impl IntoIterator<Item = NodeId>) -> u16 {
        ids.into_iter().fold(0, |m, i| m | 1 << self.apply(i))
    }
}

/// Appends `v` as LEB128 (terms and indexes are small: one byte each, mostly).
pub fn put(buf: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        buf.push((v as u8) | 0x80);
        v >>= 7;
    }
    buf.push(v as u8);
}

fn put_id(buf: &mut Vec<u8>, ids: &Relabel, id: Option<NodeId>) {
    buf.push(id.map_or(0xff, |i| ids.apply(i)));
}

fn put_mask(buf: &mut Vec<u8>, m: u16) {
    buf.extend_from_slice(&m.to_le_bytes());
}

/// [`command_hash`] of `c` with its server ids renamed: a configuration
/// entry names servers (§4.1), so a renamed state has renamed ones.
#[cfg_attr(not(feature = "membership"), allow(unused_variables))]
pub fn command_hash_renamed(c: &Command, ids: &Relabel) -> u64 {
    #[cfg(feature = "membership")]
    if let Command::Config(m) = c {
        if *ids != Relabel::IDENTITY {
            let rename = |v: &[NodeId]| v.iter().map(|&i| ids.apply(i)).collect::<Vec<NodeId>>();
            let m = super::super::Membership {
                voters: rename(&m.voters),
                learners: rename(&m.learners),
                outgoing: rename(&m.outgoing),
                catching_up: m.catching_up.map(|i| ids.apply(i)),
            };
            return command_hash(&Command::Config(m.normalized()));
        }
    }
    command_hash(c)
}

fn put_entries<'a>(buf: &mut Vec<u8>, ids: &Relabel, entries: impl ExactSizeIterator<Item = &'a Entry>) {
    put(buf, entries.len() as u64);
    for e in entries {
        put(buf, e.term);
        buf.extend_from_slice(&command_hash_renamed(&e.command, ids).to_le_bytes());
        match e.session {
            None => buf.push(0),
            Some(s) => {
                buf.push(1);
                put(buf, s.client as u64);
                put(buf, s.seq.get() as u64);
            }
        }
    }
}

fn put_debug(buf: &mut Vec<u8>, v: &impl std::fmt::Debug) {
    let text = format!("{v:?}");
    buf.extend_from_slice(&xxhash_rust::xxh3::xxh3_64(text.as_bytes()).to_le_bytes());
}

/// Appends the canonical encoding of `msg` (its addresses are the caller's).
/// `rounds`: whether heartbeat rounds matter (reads outside the log).
pub fn encode_message(msg: &Message, ids: &Relabel, rounds: bool, buf: &mut Vec<u8>) {
    let round = |buf: &mut Vec<u8>, r: u64| {
        if rounds {
            put(buf, r)
        }
    };
    match msg {
        Message::RequestVote(RequestVote { term, candidate_id, last_log_index, last_log_term, transfer }) => {
            buf.push(1);
            put(buf, *term);
            put_id(buf, ids, Some(*candidate_id));
            put(buf, *last_log_index);
            put(buf, *last_log_term);
            buf.push(*transfer as u8);
        }
        Message::RequestVoteResponse(RequestVoteResponse { term, vote_granted }) => {
            buf.push(2);
            put(buf, *term);
            buf.push(*vote_granted as u8);
        }
        Message::AppendEntries(AppendEntries {
            term,
            leader_id,
            prev_log_index,
            prev_log_term,
            entries,
            leader_commit,
            round: r,
        }) => {
            buf.push(3);
            put(buf, *term);
            put_id(buf, ids, Some(*leader_id));
            put(buf, *prev_log_index);
            put(buf, *prev_log_term);
            put_entries(buf, ids, entries.iter());
            put(buf, *leader_commit);
            round(buf, *r);
        }
        Message::AppendEntriesResponse(AppendEntriesResponse {
            term,
            success,
            match_index,
            conflict_term,
            conflict_index,
            round: r,
        }) => {
            buf.push(4);
            put(buf, *term);
            buf.push(*success as u8);
            put(buf, *match_index);
            put(buf, *conflict_term);
            put(buf, *conflict_index);
            round(buf, *r);
        }
        Message::PreVote(PreVote { term, candidate_id, last_log_index, last_log_term }) => {
            buf.push(5);
            put(buf, *term);
            put_id(buf, ids, Some(*candidate_id));
            put(buf, *last_log_index);
            put(buf, *last_log_term);
        }
        Message::PreVoteResponse(PreVoteResponse { term, asked, vote_granted }) => {
            buf.push(6);
            put(buf, *term);
            put(buf, *asked);
            buf.push(*vote_granted as u8);
        }
        Message::TimeoutNow(TimeoutNow { term, leader_id }) => {
            buf.push(7);
            put(buf, *term);
            put_id(buf, ids, Some(*leader_id));
        }
        #[cfg(feature = "membership")]
        Message::InstallSnapshot(InstallSnapshot { term, leader_id, snapshot, round: r }) => {
            buf.push(8);
            put(buf, *term);
            put_id(buf, ids, Some(*leader_id));
            put_debug(buf, snapshot);
            round(buf, *r);
        }
        #[cfg(feature = "membership")]
        Message::InstallSnapshotResponse(InstallSnapshotResponse { term, match_index, round: r }) => {
            buf.push(9);
            put(buf, *term);
            put(buf, *match_index);
            round(buf, *r);
        }
    }
}

impl Node {
    /// Whether heartbeat rounds and the read state can change what this
    /// node does: only when reads bypass the log (§6.4).
    pub fn rounds_matter(&self) -> bool {
        !self.config.read_mode.is_log()
    }

    /// Appends the canonical encoding of everything in this node that can
    /// change during a run (see the module comment for what is left out).
    pub fn encode_state(&self, ids: &Relabel, buf: &mut Vec<u8>) {
        // Every field by name: a field added to `Node` must be placed here.
        let Node {
            id,
            cluster: _,
            config: _,
            membership,
            membership_index,
            persistent,
            role,
            commit_index,
            last_applied,
            leader_id,
            kv,
            sessions,
            votes_granted,
            vote_answered,
            leader_contact,
            transferee,
            transfer_campaign,
            round,
            ext,
            progress,
            chg,
        } = self;
        let rounds = self.rounds_matter();
        put_id(buf, ids, Some(*id));
        put(buf, persistent.current_term);
        put_id(buf, ids, persistent.voted_for);
        put_entries(buf, ids, persistent.log.iter());
        #[cfg(feature = "membership")]
        match &persistent.snapshot {
            None => buf.push(0),
            Some(s) => {
                buf.push(1);
                put_debug(buf, s);
            }
        }
        put_mask(buf, ids.mask(membership.voters.iter().copied()));
        put_mask(buf, ids.mask(membership.learners.iter().copied()));
        put_mask(buf, ids.mask(membership.outgoing.iter().copied()));
        put_id(buf, ids, membership.catching_up);
        put(buf, *membership_index);
        buf.push(*role as u8);
        put(buf, *commit_index);
        put(buf, *last_applied);
        put_id(buf, ids, *leader_id);
        put(buf, kv.len() as u64);
        for (k, v) in kv {
            let h = super::super::hash::str_hash(super::super::hash::str_hash(0, k), v);
            buf.extend_from_slice(&h.to_le_bytes());
        }
        if *sessions != Default::default() {
            put_debug(buf, sessions);
        }
        put_mask(buf, ids.mask(votes_granted.iter().copied()));
        put_mask(buf, ids.mask(vote_answered.iter().copied()));
        buf.push(*leader_contact as u8);
        put_id(buf, ids, *transferee);
        buf.push(*transfer_campaign as u8);
        if rounds {
            put(buf, *round);
            put_debug(buf, ext);
        }
        // Progress in the renamed ids' order.
        let mut renamed = [None; 16];
        for (&p, pr) in progress.iter() {
            renamed[ids.apply(p) as usize] = Some(pr);
        }
        put(buf, progress.len() as u64);
        for (new_id, pr) in renamed.iter().enumerate() {
            let Some(pr) = pr else { continue };
            let Progress {
                next_index,
                match_index,
                sent,
                sent_at_heartbeat,
                state,
                recently_active,
                quorum_active,
                acked_round,
            } = pr;
            buf.push(new_id as u8);
            put(buf, *next_index);
            put(buf, *match_index);
            put(buf, *sent);
            put(buf, *sent_at_heartbeat);
            buf.push((*state == ProgressState::Replicate) as u8 | (*recently_active as u8) << 1 | (*quorum_active as u8) << 2);
            if rounds {
                put(buf, *acked_round);
            }
        }
        chg.encode(ids, buf);
    }
}
