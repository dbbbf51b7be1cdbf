//! PreVote (Ongaro's dissertation §9.6): before standing for election, a
//! server asks whether it could win. It increments its term only once a
//! majority says yes, so a server that cannot win — cut off by a partition,
//! or behind — never inflates the term and deposes a healthy leader when it
//! comes back.
//!
//! A server grants a pre-vote when the asked term is later than its own,
//! the asker's log is at least as up-to-date as its own (§5.4.1), and it has
//! not heard from a current leader within an election timeout. Nothing is
//! recorded on either side: no votedFor, no term change, no timer reset.

use super::super::note::Note;
use super::super::types::*;
use super::Node;

impl Node {
    /// §9.6: become a pre-candidate and ask every peer about term + 1.
    pub(super) fn start_pre_vote(&mut self, out: &mut Output) {
        let was = self.role;
        self.open_ballot(Role::PreCandidate);
        out.timers.push(Timer::Election);
        out.notes.push(Note::PreVoteStarted { term: self.current_term() + 1, was });
        if self.has_votes() {
            // A single server is its own majority.
            self.won_pre_vote(out);
            return;
        }
        let peers: Vec<NodeId> = self.peers().collect();
        for p in peers {
            self.send_pre_vote(p, out);
        }
        // Lost PreVotes are re-sent on the heartbeat timer, as RequestVotes are.
        out.timers.push(Timer::Heartbeat);
    }

    pub(super) fn send_pre_vote(&self, to: NodeId, out: &mut Output) {
        out.messages.push(Envelope {
            from: self.id,
            to,
            msg: Message::PreVote(PreVote {
                term: self.current_term() + 1,
                candidate_id: self.id,
                last_log_index: self.last_log_index(),
                last_log_term: self.last_log_term(),
            }),
        });
    }

    pub(super) fn handle_pre_vote(&mut self, from: NodeId, pv: PreVote, out: &mut Output) {
        let PreVote { term, candidate_id: candidate, last_log_index, last_log_term } = pv;
        let current_term = self.current_term();
        let granted = if term <= current_term {
            // Only a later term could be won.
            out.notes.push(Note::PreVoteRefusedStaleTerm { candidate, term, current_term });
            false
        } else if self.role == Role::Leader || self.leader_contact {
            // A current leader is alive: no election is needed.
            let leader = if self.role == Role::Leader { Some(self.id) } else { self.leader_id };
            out.notes.push(Note::PreVoteRefusedLeaderAlive { candidate, leader });
            false
        } else if !self.candidate_up_to_date(last_log_index, last_log_term) {
            out.notes.push(Note::PreVoteRefusedLogBehind {
                candidate,
                last_term: last_log_term,
                last_index: last_log_index,
                own_last_term: self.last_log_term(),
                own_last_index: self.last_log_index(),
            });
            false
        } else {
            out.notes.push(Note::PreVoteGranted {
                candidate,
                term,
                last_term: last_log_term,
                last_index: last_log_index,
                own_last_term: self.last_log_term(),
                own_last_index: self.last_log_index(),
            });
            true
        };
        out.messages.push(Envelope {
            from: self.id,
            to: from,
            msg: Message::PreVoteResponse(PreVoteResponse { term: current_term, asked: term, vote_granted: granted }),
        });
    }

    pub(super) fn handle_pre_vote_response(&mut self, from: NodeId, r: PreVoteResponse, out: &mut Output) {
        if self.role != Role::PreCandidate || r.asked != self.current_term() + 1 {
            // An answer to a round that is over.
            return;
        }
        let Some((votes, needed, won)) = self.tally(from, r.vote_granted) else { return };
        out.notes.push(Note::PreVoteReceived { from, votes, needed });
        if won {
            self.won_pre_vote(out);
        }
    }

    /// A majority would vote for us: stand for real (§5.2).
    fn won_pre_vote(&mut self, out: &mut Output) {
        out.notes.push(Note::PreVoteWon {
            term: self.current_term() + 1,
            votes: self.votes_granted.len() as u8,
            needed: self.majority() as u8,
        });
        self.start_election(out);
    }
}
