//! Reads that do not go through the log (dissertation §6.4), and the vote
//! guard that leases rest on (§4.2.3).
//!
//! - ReadIndex (§6.4): once the leader has committed an entry of its own
//!   term, it records its commit index as the read index, starts a new
//!   heartbeat round and waits until a majority has answered that round
//!   (proof that nobody had deposed it when the read arrived), then until
//!   it has applied up to the read index; then it answers from its state.
//! - Lease (§6.4.1): a majority answering a round started at local time s
//!   promises that no other leader is elected before s + the minimum
//!   election timeout *as the voters' clocks measure it*: they ignore
//!   RequestVote for that long after hearing from the leader (§4.2.3).
//!   The leader cannot see their clocks, so it stops short, at
//!   s + timeout ÷ the drift bound, and answers at once until then. If the
//!   clocks drift apart by more than the bound, that answer can be stale.
//!
//! Every AppendEntries carries the leader's current round and every reply
//! echoes it, so an answer to any message counts for its round.

#![cfg_attr(not(feature = "extended"), allow(dead_code, unused_imports))]

use std::collections::VecDeque;

use super::super::note::Note;
use super::super::types::*;
use super::Node;

/// How many round start times a leader keeps (a leader cut off from a
/// majority starts one per heartbeat; older ones can only shorten a lease).
const ROUND_STARTS: usize = 64;

/// A node's state for reads and leases. The page's lean modules (built
/// without the `extended` feature, `src/lean/mod.rs`) never read outside
/// the log: there it is empty, and the `impl` at the end of this file
/// answers every question with "none".
#[cfg(feature = "extended")]
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Reads {
    /// This server's local clock, µs, as the driver last said (only leases read it).
    clock: u64,
    /// Leader: when recent rounds started, on the local clock, with the
    /// least minimum election timeout in force since (µs).
    round_starts: VecDeque<(u64, u64, u64)>,
    /// The minimum election timeout in force (µs, as the driver says; 0
    /// until it does: no lease), and the least one since the lease's round.
    min_timeout: u64,
    lease_floor: u64,
    /// Leader: the start of the latest round a majority answered, from
    /// which the lease runs (§6.4.1); rounds before `lease_from_round` never count.
    lease_start: Option<u64>,
    lease_from_round: u64,
    /// Leader: reads waiting for their round to be confirmed or applied.
    reads: Vec<PendingRead>,
}

#[cfg(not(feature = "extended"))]
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Reads;

/// A read the leader has taken and not answered yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct PendingRead {
    id: u64,
    key: String,
    /// The round that must be answered by a majority; 0 until the read
    /// index is recorded (after an entry of this term commits).
    round: u64,
    read_index: Index,
    confirmed: bool,
}

#[cfg(feature = "extended")]
impl Node {
    /// The driver sets this server's local clock (µs) before each input.
    /// Only leases read it; a drifting clock is the driver's business.
    pub fn set_clock(&mut self, local_us: u64) {
        self.ext.clock = local_us;
    }

    /// Reads waiting at this leader.
    pub fn pending_reads(&self) -> usize {
        self.ext.reads.len()
    }

    /// The driver tells every server the minimum election timeout in
    /// force (µs) whenever it changes. A voter's guard lasts the timeout
    /// in force when it heard from the leader, so a lease never assumes
    /// more than the least one in force since its round started.
    pub fn set_min_election_timeout(&mut self, us: u64) {
        self.ext.min_timeout = us;
        self.ext.lease_floor = self.ext.lease_floor.min(us);
        for r in self.ext.round_starts.iter_mut() {
            r.2 = r.2.min(us);
        }
    }

    /// The lease this leader holds now (§6.4.1), as the local time it
    /// ends; None without one.
    pub fn lease_until(&self) -> Option<u64> {
        if self.role != Role::Leader || self.transferee.is_some() {
            return None;
        }
        let lease = if self.config.bugs.lease_ignores_drift {
            self.ext.lease_floor
        } else {
            self.ext.lease_floor.saturating_mul(100) / LEASE_DRIFT_BOUND_PCT
        };
        self.ext.lease_start.map(|s| s.saturating_add(lease)).filter(|&end| self.ext.clock < end)
    }

    /// A client read (`Command::Get`) outside the log, in this node's read
    /// mode (ReadIndex or lease; `ReadMode::Log` reads are proposals). The
    /// answer comes in `Output::reads` of this or a later step, under `id`.
    pub fn read(&mut self, id: u64, key: String) -> Result<Output, ClientError> {
        if self.role != Role::Leader {
            return Err(ClientError::NotLeader { leader_hint: self.leader_id });
        }
        let mut out = Output::default();
        if self.config.read_mode == ReadMode::Lease {
            if self.committed_in_term() && self.lease_until().is_some() {
                // §6.4.1: within the lease no other leader can exist.
                out.notes.push(Note::ReadAnswered { id, read_index: self.commit_index, lease: true, unconfirmed: false });
                out.reads.push(ReadReply { id, value: Ok(self.kv.get(key.as_str()).map(|v| v.to_string())) });
                return Ok(out);
            }
            out.notes.push(Note::LeaseUnavailable { id });
        }
        self.ext.reads.push(PendingRead { id, key, round: 0, read_index: 0, confirmed: false });
        self.advance_reads(&mut out);
        Ok(out)
    }

    /// §6.4 step 1: the leader knows its commit index is current only once
    /// an entry of its own term is committed.
    fn committed_in_term(&self) -> bool {
        self.term_at(self.commit_index) == Some(self.current_term())
    }

    /// A new heartbeat round, started now on the local clock.
    pub(super) fn start_round(&mut self) -> u64 {
        self.round += 1;
        if self.ext.round_starts.len() >= ROUND_STARTS {
            self.ext.round_starts.pop_front();
        }
        self.ext.round_starts.push_back((self.round, self.ext.clock, self.ext.min_timeout));
        self.round
    }

    /// A transfer's candidate will not wait for voters' timers (§4.2.3 lets
    /// it through): no lease for the rest of this term.
    pub(super) fn forfeit_lease(&mut self) {
        self.ext.lease_start = None;
        self.ext.lease_from_round = u64::MAX;
    }

    /// No lease from rounds before the next one (a new term, a changed vote guard).
    pub(super) fn void_lease(&mut self) {
        self.ext.lease_start = None;
        self.ext.lease_from_round = self.round + 1;
    }

    /// The latest round a majority (this leader included) has answered.
    fn quorum_round(&self) -> u64 {
        // The majority-th highest: the highest round at least that many reached.
        // Counted in the configuration in effect (both halves while joint, §4.3).
        let acked = |p: NodeId| if p == self.id { self.round } else { self.progress.get(&p).map_or(0, |pr| pr.acked_round) };
        self.membership.quorum_index(acked)
    }

    /// Moves waiting reads along after anything that may have committed,
    /// applied or been acknowledged; answers the ones that are ready.
    pub(super) fn advance_reads(&mut self, out: &mut Output) {
        if self.role != Role::Leader {
            self.fail_reads(out);
            return;
        }
        let quorum = self.quorum_round();
        // The lease runs from the start of the latest round a majority
        // answered (an earlier start, if that one is no longer kept).
        if quorum >= self.ext.lease_from_round {
            if let Some(&(r, start, floor)) = self.ext.round_starts.iter().rev().find(|(r, ..)| *r <= quorum) {
                if r >= self.ext.lease_from_round && self.ext.lease_start.is_none_or(|s| start > s) {
                    self.ext.lease_start = Some(start);
                    self.ext.lease_floor = floor;
                }
            }
        }
        if self.ext.reads.is_empty() {
            return;
        }
        if self.committed_in_term() && self.ext.reads.iter().any(|r| r.round == 0) {
            // §6.4 steps 1–3: record the read index, then a new round of
            // heartbeats to learn that no other leader has been elected.
            let round = self.start_round();
            let read_index = self.commit_index;
            let skip = self.config.bugs.read_without_quorum_check;
            for r in self.ext.reads.iter_mut().filter(|r| r.round == 0) {
                r.round = round;
                r.read_index = read_index;
                r.confirmed = skip;
                out.notes.push(Note::ReadIndexRecorded { id: r.id, read_index, round });
            }
            if !skip {
                let peers: Vec<NodeId> = self.peers().collect();
                for p in peers {
                    if let Some(next) = self.progress.get(&p).map(|pr| pr.next_index) {
                        self.send_heartbeat(p, next, out);
                    }
                }
            }
        }
        let quorum = self.quorum_round();
        let needed = self.majority() as u8;
        for r in self.ext.reads.iter_mut().filter(|r| r.round > 0 && !r.confirmed && r.round <= quorum) {
            r.confirmed = true;
            out.notes.push(Note::ReadConfirmed { id: r.id, round: r.round, needed });
        }
        // §6.4 step 4: answer once applied up to the read index.
        let applied = self.last_applied;
        let skip = self.config.bugs.read_without_quorum_check;
        let mut k = 0;
        while k < self.ext.reads.len() {
            let r = &self.ext.reads[k];
            if r.confirmed && applied >= r.read_index {
                let r = self.ext.reads.remove(k);
                out.notes.push(Note::ReadAnswered { id: r.id, read_index: r.read_index, lease: false, unconfirmed: skip });
                out.reads.push(ReadReply { id: r.id, value: Ok(self.kv.get(r.key.as_str()).map(|v| v.to_string())) });
            } else {
                k += 1;
            }
        }
    }

    /// An empty AppendEntries from `next` (a heartbeat that carries the
    /// current round, and changes nothing a reply would not also change).
    fn send_heartbeat(&self, to: NodeId, next: Index, out: &mut Output) {
        let prev_log_index = next.saturating_sub(1).min(self.last_log_index()).max(self.log_offset());
        out.messages.push(Envelope {
            from: self.id,
            to,
            msg: Message::AppendEntries(AppendEntries {
                term: self.current_term(),
                leader_id: self.id,
                prev_log_index,
                prev_log_term: self.term_at(prev_log_index).unwrap_or(0),
                entries: Vec::new(),
                leader_commit: self.commit_index,
                round: self.round,
            }),
        });
    }

    /// No longer leader: the reads waiting here cannot be answered.
    pub(super) fn fail_reads(&mut self, out: &mut Output) {
        if self.ext.reads.is_empty() {
            return;
        }
        out.notes.push(Note::ReadsFailed { count: self.ext.reads.len() as u32 });
        for r in self.ext.reads.drain(..) {
            out.reads.push(ReadReply { id: r.id, value: Err(ReadFailed::SteppedDown) });
        }
    }

    /// §4.2.3: with the vote guard on, a server that has heard from a
    /// current leader since its election timeout last fired (at least the
    /// minimum election timeout ago) ignores RequestVote — unless a leader
    /// asked for that election (a transfer, §3.10).
    pub(super) fn ignores_vote_request(&self, rv: &RequestVote) -> bool {
        self.config.guards_votes()
            && !rv.transfer
            && rv.term > self.current_term()
            && (self.leader_contact || self.role == Role::Leader)
    }
}

/// The page's lean modules: no reads outside the log, no leases (see `Reads`).
#[cfg(not(feature = "extended"))]
impl Node {
    pub fn set_clock(&mut self, _: u64) {}
    pub fn pending_reads(&self) -> usize {
        0
    }
    pub fn set_min_election_timeout(&mut self, _: u64) {}
    pub fn lease_until(&self) -> Option<u64> {
        None
    }
    pub fn read(&mut self, _: u64, _: String) -> Result<Output, ClientError> {
        Err(ClientError::NotLeader { leader_hint: self.leader_id })
    }
    pub(super) fn start_round(&mut self) -> u64 {
        self.round += 1;
        self.round
    }
    pub(super) fn forfeit_lease(&mut self) {}
    pub(super) fn void_lease(&mut self) {}
    pub(super) fn advance_reads(&mut self, _: &mut Output) {}
    pub(super) fn fail_reads(&mut self, _: &mut Output) {}
    pub(super) fn ignores_vote_request(&self, _: &RequestVote) -> bool {
        false
    }
}
