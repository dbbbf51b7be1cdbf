//! Log compaction (the paper's §7, dissertation ch. 5).
//!
//! - Once `snapshot_threshold` entries were applied since its last
//!   snapshot, a server snapshots its state machine, with the configuration
//!   in effect at the last applied index, and discards the log up to there.
//! - A leader that needs to send a follower an entry it has discarded sends
//!   InstallSnapshot instead (whole: the simulator has no message sizes, so
//!   the figure's chunks are left out).
//! - The follower (Figure 13 / dissertation Figure 5.3): refuses a stale
//!   term; ignores a snapshot its commit index already covers; keeps the
//!   entries after the snapshot if its log holds the snapshot's last entry;
//!   else discards its whole log; then loads the snapshot's state machine
//!   and configuration.
//!
//! The page's lean modules never compact (`src/lean/mod.rs`): every call
//! into this file sits behind `cfg!(feature = "extended")`.

use std::sync::Arc;

use super::super::membership::StateSnapshot;
use super::super::note::Note;
use super::super::types::*;
use super::Node;

impl Node {
    /// Takes a snapshot when enough entries were applied since the last one.
    pub(super) fn maybe_compact(&mut self, out: &mut Output) {
        let off = self.log_offset();
        let threshold = self.config.snapshot_threshold;
        if threshold == 0 || self.last_applied < off + threshold {
            return;
        }
        let last_index = self.last_applied;
        let last_term = self.term_at(last_index).unwrap_or(0);
        let membership = (!self.config.bugs.snapshot_drops_config).then(|| self.membership_at(last_index));
        let snapshot = StateSnapshot { last_index, last_term, membership, kv: self.kv.clone(), sessions: self.sessions.clone() };
        self.persistent.log.drain_front((last_index - off) as usize);
        self.persistent.snapshot = Some(Arc::new(snapshot));
        if self.membership_index <= last_index {
            // In effect from the snapshot now. (With snapshot_drops_config
            // this server keeps its configuration in memory: the bug bites
            // whoever loads the snapshot.)
            self.membership_index = 0;
        }
        self.chg.unsynced_from = self.chg.unsynced_from.filter(|&i| i > last_index);
        out.notes.push(Note::SnapshotTaken { last_index, last_term, discarded: (last_index - off) as u32 });
    }

    /// The configuration in effect at index `i` (≥ the snapshot's index).
    fn membership_at(&self, i: Index) -> super::super::membership::Membership {
        let off = self.log_offset();
        let upto = (i - off) as usize;
        self.persistent.log
            .iter()
            .take(upto)
            .rev()
            .find_map(|e| match &*e.command {
                Command::Config(m) => Some(m.clone()),
                _ => None,
            })
            .unwrap_or_else(|| self.base_membership())
    }

    /// Leader: InstallSnapshot to `to`. Returns the snapshot's last index
    /// (what the follower will match once it has it).
    pub(super) fn send_snapshot(&self, to: NodeId, out: &mut Output) -> Index {
        let Some(snapshot) = self.persistent.snapshot.clone() else { return 0 };
        let (last_index, last_term) = (snapshot.last_index, snapshot.last_term);
        out.notes.push(Note::SnapshotSent { to, last_index, last_term });
        out.messages.push(Envelope {
            from: self.id,
            to,
            msg: Message::InstallSnapshot(InstallSnapshot {
                term: self.current_term(),
                leader_id: self.id,
                snapshot,
                round: self.round,
            }),
        });
        last_index
    }

    pub(super) fn handle_install_snapshot(&mut self, from: NodeId, m: InstallSnapshot, out: &mut Output) {
        let InstallSnapshot { term, leader_id, snapshot, round } = m;
        let reply = |node: &Node, match_index: Index| Envelope {
            from: node.id,
            to: from,
            msg: Message::InstallSnapshotResponse(InstallSnapshotResponse { term: node.current_term(), match_index, round }),
        };
        if term < self.current_term() || self.role == Role::Leader {
            // Rule 1: reply immediately if term < currentTerm (a second
            // leader of this term only exists in buggy modes).
            out.notes.push(Note::SnapshotRejectedStaleTerm { leader: from, term, current_term: self.current_term() });
            out.messages.push(reply(self, 0));
            return;
        }
        self.heard_from_leader(leader_id, term, out);
        let (last_index, last_term) = (snapshot.last_index, snapshot.last_term);
        if last_index <= self.commit_index {
            // Everything it holds is committed here already.
            out.notes.push(Note::SnapshotIgnored { leader: from, last_index, commit_index: self.commit_index });
            out.messages.push(reply(self, last_index));
            return;
        }
        let off = self.log_offset();
        let kept = if self.term_at(last_index) == Some(last_term) {
            // Rule 6: the log holds the snapshot's last entry: keep what follows.
            self.persistent.log.drain_front((last_index - off) as usize);
            self.persistent.log.len()
        } else {
            // Rule 7: discard the entire log.
            self.persistent.log.clear();
            0
        };
        // Rule 8: reset the state machine (and the configuration) from it.
        self.kv = snapshot.kv.clone();
        self.sessions = snapshot.sessions.clone();
        self.persistent.snapshot = Some(snapshot);
        self.commit_index = last_index;
        self.last_applied = last_index;
        self.chg.unsynced_from = None;
        self.refresh_membership();
        out.notes.push(Note::SnapshotInstalled { leader: from, last_index, last_term, kept: kept as u32 });
        out.messages.push(reply(self, last_index));
    }

    /// The leader hears that `from` holds its snapshot: as a successful
    /// AppendEntries up to the snapshot's last index.
    pub(super) fn handle_snapshot_response(&mut self, from: NodeId, r: InstallSnapshotResponse, out: &mut Output) {
        if r.match_index == 0 {
            return;
        }
        let ok = AppendEntriesResponse {
            term: r.term,
            success: true,
            match_index: r.match_index,
            conflict_term: 0,
            conflict_index: 0,
            round: r.round,
        };
        self.handle_append_response(from, ok, out);
    }

    /// AppendEntries receiver: what a message carries at or below this
    /// server's snapshot is committed, so it matches; only the rest is
    /// checked and appended.
    pub(super) fn skip_snapshotted(&self, prev: Index, prev_term: Term, entries: Vec<Entry>) -> (Index, Term, Vec<Entry>) {
        let off = self.log_offset();
        if prev >= off {
            return (prev, prev_term, entries);
        }
        let skip = (off - prev) as usize;
        let rest = entries.into_iter().skip(skip).collect();
        (off, self.term_at(off).unwrap_or(0), rest)
    }
}
