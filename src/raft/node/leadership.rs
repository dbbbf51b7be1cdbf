//! A leader's own election timer, which basic Raft does not have: it runs
//! for CheckQuorum (dissertation §6.2) and for a leadership transfer's
//! deadline (§3.10), and this file holds both rules.
//!
//! - CheckQuorum: at each election timeout a leader counts the followers it
//!   heard from since the last one; without a majority (itself included)
//!   it steps down, so a leader cut off in a minority stops taking requests
//!   it can never commit.
//! - Leadership transfer: the leader stops accepting proposals, brings the
//!   target's log up to date, then sends it TimeoutNow; the target starts an
//!   election at once (skipping PreVote: the leader itself asked). If no
//!   new leader has taken over within an election timeout, the transfer is
//!   abandoned and proposals are accepted again.

use super::super::note::Note;
use super::super::types::*;
use super::Node;

impl Node {
    /// The server this leader is handing over to, if a transfer is under way.
    pub fn transferee(&self) -> Option<NodeId> {
        self.transferee
    }

    /// Whether this node, as leader, needs its election timer (the driver
    /// cancels a leader's otherwise: Figure 2 leaders never time out).
    pub fn wants_leader_timer(&self) -> bool {
        self.role == Role::Leader && (self.config.check_quorum || self.transferee.is_some())
    }

    /// Starts handing leadership to `to` (§3.10).
    pub fn transfer_leadership(&mut self, to: NodeId) -> Result<Output, TransferRefused> {
        if self.role != Role::Leader {
            return Err(TransferRefused::NotLeader);
        }
        if to == self.id {
            return Err(TransferRefused::ToSelf);
        }
        if !self.membership.is_voter(to) {
            return Err(TransferRefused::UnknownServer { to });
        }
        if let Some(to) = self.transferee {
            return Err(TransferRefused::InProgress { to });
        }
        let mut out = Output::default();
        self.transferee = Some(to);
        // The target's election will not wait for voters' timers (§4.2.3
        // lets it through), so this leader's lease is over for its term.
        self.forfeit_lease();
        // The transfer's deadline: one election timeout.
        out.timers.push(Timer::Election);
        let (match_index, last_index) = (self.match_index(to).unwrap_or(0), self.last_log_index());
        out.notes.push(Note::TransferStarted { to, term: self.current_term(), match_index, last_index });
        if match_index == last_index {
            self.send_timeout_now(to, &mut out);
        } else {
            // Bring it up to date first; its success reply sends TimeoutNow.
            self.send_from_next_index(to, &mut out);
        }
        Ok(out)
    }

    pub(super) fn send_timeout_now(&self, to: NodeId, out: &mut Output) {
        out.notes.push(Note::TimeoutNowSent { to, term: self.current_term() });
        out.messages.push(Envelope {
            from: self.id,
            to,
            msg: Message::TimeoutNow(TimeoutNow { term: self.current_term(), leader_id: self.id }),
        });
    }

    pub(super) fn handle_timeout_now(&mut self, from: NodeId, t: TimeoutNow, out: &mut Output) {
        if t.term < self.current_term() || self.role == Role::Leader || !self.membership.is_voter(self.id) {
            // From a leader whose term is over.
            return;
        }
        out.notes.push(Note::TimeoutNowReceived { from, term: t.term });
        self.leader_contact = false;
        // This election's RequestVotes say the leader asked for it (§4.2.3
        // lets them through); the next ordinary timeout clears the flag.
        self.transfer_campaign = true;
        self.start_election(out);
    }

    /// A leader's election timer fired: the transfer (if any) has run out
    /// of time, and CheckQuorum (if on) counts who answered.
    pub(super) fn leader_timeout(&mut self, out: &mut Output) {
        let term = self.current_term();
        if let Some(to) = self.transferee.take() {
            out.notes.push(Note::TransferAborted { to, term });
        }
        if !self.config.check_quorum {
            return;
        }
        let heard = |p: NodeId| p == self.id || self.progress.get(&p).is_some_and(|pr| pr.quorum_active);
        let active = self.membership.voters.iter().filter(|&&p| heard(p)).count();
        let quorum = self.membership.quorum(heard);
        for pr in self.progress.values_mut() {
            pr.quorum_active = false;
        }
        let needed = self.majority();
        if !quorum {
            out.notes.push(Note::CheckQuorumFailed { term, active: active as u8, needed: needed as u8 });
            self.become_follower(term);
            self.leader_id = None;
            return;
        }
        out.notes.push(Note::CheckQuorumPassed { term, active: active as u8, needed: needed as u8 });
        out.timers.push(Timer::Election);
    }
}
