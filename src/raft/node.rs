//! One Raft server as a pure state machine (the paper's Figure 2).
//!
//! Inputs are timeouts, messages and client proposals; each returns an
//! [`Output`] (messages to send, timers to re-arm, entries applied, notes)
//! that the caller drains. The node never reads a clock or a random source.

use std::collections::BTreeMap;

#[cfg(feature = "membership")]
mod compaction;
mod encode;
mod leadership;
mod membership;
mod prevote;
mod reads;
mod small;

pub use encode::{command_hash_renamed, encode_message, Relabel};

use super::kv;
use super::membership::{Membership, StateSnapshot};
use super::note::Note;
use super::types::*;

/// A Raft server. Figure 2's persistent state lives in `persistent`; all
/// other fields are volatile and are reset by [`Node::restart`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    id: NodeId,
    /// The voters this server was started with: its configuration until its
    /// log or snapshot holds one (§4.1). Empty for a server that joins later.
    cluster: Vec<NodeId>,
    config: Config,
    /// The configuration in effect: the latest in the log, committed or
    /// not (§4.1), else the snapshot's, else the bootstrap one; and the
    /// index of its entry (0 when it comes from the snapshot or bootstrap).
    membership: Membership,
    membership_index: Index,
    /// currentTerm, votedFor, log[] — what must reach stable storage before
    /// answering an RPC (Figure 2).
    persistent: Persistent,

    // Volatile state on all servers.
    role: Role,
    commit_index: Index,
    last_applied: Index,
    /// The leader of the current term, once known (used for client redirects, §8).
    leader_id: Option<NodeId>,
    kv: crate::raft::kv::Kv,
    /// §6.3: per client, the last serial number applied and its result;
    /// part of the state machine, rebuilt with it by re-applying the log.
    sessions: kv::Sessions,

    // Volatile state on candidates: the votes of this term's election (or,
    // for a pre-candidate, the pre-votes of this round, §9.6).
    votes_granted: small::IdSet,
    /// Peers that answered our RequestVote this term (granted or not), so a
    /// retry only goes to the silent ones.
    vote_answered: small::IdSet,
    /// Heard from a current leader since our election timeout last fired
    /// (§9.6: such a server refuses pre-votes; the timeout is at least the
    /// baseline election timeout, so this is the dissertation's condition).
    leader_contact: bool,
    /// Leader: the server leadership is being handed to (§3.10).
    transferee: Option<NodeId>,
    /// The next RequestVote is for an election a leader asked for (§3.10).
    transfer_campaign: bool,

    /// Leader: the current heartbeat round; AppendEntries carry it and
    /// replies echo it (§6.4).
    round: u64,
    /// Reads outside the log and leases (§6.4, see `reads.rs`).
    ext: reads::Reads,

    // Volatile state on leaders (reinitialized after election): Figure 2's
    // nextIndex and matchIndex per follower, plus what is already on the wire.
    progress: small::IdMap<Progress>,
    /// The catch-up clock and the reply_before_persist bug's unwritten
    /// state (`membership.rs`; empty in the page's lean modules).
    chg: membership::Changes,
}

/// How far a leader runs ahead of a follower's acknowledgements, in batches
/// of `max_batch` entries (etcd's `MaxInflightMsgs`). A follower that is down
/// or cut off then costs one retry per heartbeat, not one message per proposal.
const MAX_IN_FLIGHT_BATCHES: Index = 8;

/// Whether the leader knows where a follower's log matches its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ProgressState {
    /// nextIndex is a guess (a new leader's, or one being backed up after a
    /// rejection, §5.3): one AppendEntries at a time, the next one sent when
    /// it is answered or on the heartbeat timeout.
    Probe,
    /// A success confirmed matchIndex: new entries are sent as they are
    /// appended, behind the ones already in flight (pipelining).
    Replicate,
}

/// A leader's view of one follower (after etcd-io/raft's `Progress`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Progress {
    /// Figure 2 nextIndex: where the next retry or probe starts. Exactly
    /// matchIndex + 1 while replicating.
    next_index: Index,
    /// Figure 2 matchIndex.
    match_index: Index,
    /// The last index already sent in an AppendEntries and not yet
    /// acknowledged (≥ matchIndex). New entries go out from here + 1, so
    /// each proposal or reply sends only what is not in flight yet.
    sent: Index,
    /// `sent` as it was at the previous heartbeat timeout. If matchIndex is
    /// still below it, an AppendEntries has gone unanswered for a whole
    /// heartbeat interval: presumed lost.
    sent_at_heartbeat: Index,
    state: ProgressState,
    /// The follower answered an AppendEntries since the last heartbeat
    /// timeout (etcd's `RecentActive`). One that stays silent for a whole
    /// heartbeat interval is probed again: one retry per heartbeat instead
    /// of a window of messages nobody receives.
    recently_active: bool,
    /// The follower answered since the last CheckQuorum (§6.2).
    quorum_active: bool,
    /// The latest heartbeat round the follower has answered (§6.4).
    acked_round: u64,
}

/// A configuration entry (§4.1; the extended module only).
fn is_config(c: &Command) -> bool {
    #[cfg(feature = "membership")]
    return matches!(c, Command::Config(_));
    #[cfg(not(feature = "membership"))]
    {
        let _ = c;
        false
    }
}

impl Progress {
    /// A follower whose log is not known to match yet: probed from `next`.
    fn probe(next: Index) -> Progress {
        Progress {
            next_index: next,
            match_index: 0,
            sent: 0,
            sent_at_heartbeat: 0,
            state: ProgressState::Probe,
            recently_active: false,
            quorum_active: false,
            acked_round: 0,
        }
    }
}

impl Node {
    // ------------------------------------------------------------------
    // Construction and crashes
    // ------------------------------------------------------------------

    /// A fresh follower in term 0 with an empty log.
    pub fn new(id: NodeId, cluster: Vec<NodeId>, config: Config) -> Node {
        Node::restart(id, cluster, config, Persistent::default())
    }

    /// Restart after a crash (or start from a scenario's initial state):
    /// persistent state is kept, volatile state is reset. The kv map starts
    /// empty and commit_index at 0; both are re-learned from the leader and
    /// the log is re-applied (Figure 2: volatile state "initialized to 0").
    pub fn restart(id: NodeId, cluster: Vec<NodeId>, config: Config, persistent: Persistent) -> Node {
        // §4.2.3 after a crash: this server may have heard from a leader just
        // before it, so it waits one election timeout before it votes.
        let leader_contact = config.guards_votes() && persistent.current_term > 0;
        // Ch. 5: the state machine starts from the snapshot, if any; what it
        // covers is committed.
        #[cfg(feature = "membership")]
        let (kv, sessions, applied) = match &persistent.snapshot {
            Some(s) => (s.kv.clone(), s.sessions.clone(), s.last_index),
            None => (BTreeMap::new(), kv::Sessions::default(), 0),
        };
        #[cfg(not(feature = "membership"))]
        let (kv, sessions, applied) = (BTreeMap::new(), kv::Sessions::default(), 0);
        #[cfg_attr(not(feature = "membership"), allow(unused_mut))]
        let mut node = Node {
            id,
            membership: Membership { voters: cluster.clone(), ..Membership::default() },
            membership_index: 0,
            cluster,
            config,
            persistent,
            role: Role::Follower,
            commit_index: applied,
            last_applied: applied,
            leader_id: None,
            kv,
            sessions,
            votes_granted: small::IdSet::default(),
            vote_answered: small::IdSet::default(),
            leader_contact,
            transferee: None,
            transfer_campaign: false,
            round: 0,
            ext: reads::Reads::default(),
            progress: small::IdMap::default(),
            chg: membership::Changes::default(),
        };
        #[cfg(feature = "membership")]
        node.refresh_membership();
        node
    }

    /// What survives a crash.
    pub fn crash_state(&self) -> Persistent {
        let mut p = self.persistent.clone();
        if self.config.bugs.forget_vote_on_crash {
            // The bug: votedFor was never made durable, so after a restart the
            // node may vote a second time in the same term (breaks §5.2's
            // "at most one candidate per term").
            p.voted_for = None;
        }
        #[cfg(feature = "membership")]
        if self.config.bugs.reply_before_persist {
            // The bug: acknowledged, never written.
            if let Some(from) = self.chg.unsynced_from {
                let keep = from.saturating_sub(1).max(self.log_offset()) - self.log_offset();
                p.log.truncate(keep as usize);
            }
            if self.chg.vote_unsynced {
                p.voted_for = None;
            }
        }
        p
    }

    // ------------------------------------------------------------------
    // Read-only accessors
    // ------------------------------------------------------------------

    pub fn id(&self) -> NodeId {
        self.id
    }
    pub fn cluster(&self) -> &[NodeId] {
        &self.cluster
    }
    pub fn config(&self) -> &Config {
        &self.config
    }
    pub fn role(&self) -> Role {
        self.role
    }
    pub fn current_term(&self) -> Term {
        self.persistent.current_term
    }
    pub fn voted_for(&self) -> Option<NodeId> {
        self.persistent.voted_for
    }
    /// The log after the snapshot: `log()[0]` holds index `log_offset() + 1`.
    pub fn log(&self) -> &Log {
        &self.persistent.log
    }
    /// The last index the snapshot covers (0 without one, ch. 5).
    pub fn log_offset(&self) -> Index {
        self.snapshot().map_or(0, |s| s.last_index)
    }
    #[cfg(feature = "membership")]
    pub fn snapshot(&self) -> Option<&StateSnapshot> {
        self.persistent.snapshot.as_deref()
    }
    /// The page's lean modules never compact (`src/lean/mod.rs`).
    #[cfg(not(feature = "membership"))]
    pub fn snapshot(&self) -> Option<&StateSnapshot> {
        None
    }
    pub fn last_log_index(&self) -> Index {
        self.log_offset() + self.persistent.log.len() as Index
    }
    pub fn last_log_term(&self) -> Term {
        match self.persistent.log.last() {
            Some(e) => e.term,
            None => self.snapshot().map_or(0, |s| s.last_term),
        }
    }
    /// Term of the entry at `i`; index 0 is the empty prefix with term 0,
    /// the snapshot's last index has its last term, and entries the
    /// snapshot replaced are unknown (None).
    pub fn term_at(&self, i: Index) -> Option<Term> {
        let off = self.log_offset();
        if i == off {
            Some(self.snapshot().map_or(0, |s| s.last_term))
        } else if i < off {
            None
        } else {
            self.entry(i).map(|e| e.term)
        }
    }
    /// The entry at index `i`, if the log (not the snapshot) holds it.
    pub fn entry(&self, i: Index) -> Option<&Entry> {
        let off = self.log_offset();
        if i <= off {
            return None;
        }
        self.persistent.log.get((i - off - 1) as usize)
    }
    pub fn commit_index(&self) -> Index {
        self.commit_index
    }
    pub fn last_applied(&self) -> Index {
        self.last_applied
    }
    pub fn leader_id(&self) -> Option<NodeId> {
        self.leader_id
    }
    /// Candidate/leader: who voted for it this term (itself included).
    /// Empty for a follower.
    pub fn votes_granted(&self) -> Vec<NodeId> {
        match self.role {
            Role::Follower => Vec::new(),
            _ => self.votes_granted.iter().copied().collect(),
        }
    }
    /// Leader only. For the leader itself: its own last index + 1.
    pub fn next_index(&self, peer: NodeId) -> Option<Index> {
        if self.role != Role::Leader {
            return None;
        }
        if peer == self.id {
            return Some(self.last_log_index() + 1);
        }
        self.progress.get(&peer).map(|pr| pr.next_index)
    }
    /// Leader only. For the leader itself: its own last index.
    pub fn match_index(&self, peer: NodeId) -> Option<Index> {
        if self.role != Role::Leader {
            return None;
        }
        if peer == self.id {
            return Some(self.last_log_index());
        }
        self.progress.get(&peer).map(|pr| pr.match_index)
    }
    pub fn kv(&self) -> &crate::raft::kv::Kv {
        &self.kv
    }
    pub fn persistent(&self) -> &Persistent {
        &self.persistent
    }

    /// Switches protocol options mid-run (PreVote, CheckQuorum, …). A
    /// leader that turns CheckQuorum on counts from now: nobody has been
    /// heard from yet in the new window.
    pub fn set_config(&mut self, config: Config) {
        if config.check_quorum && !self.config.check_quorum {
            for pr in self.progress.values_mut() {
                pr.quorum_active = false;
            }
        }
        if config.read_mode != self.config.read_mode || config.guards_votes() != self.config.guards_votes() {
            // Acknowledgements given before the vote guard held prove nothing
            // about the lease (§6.4.1): it starts again from the next round.
            self.void_lease();
        }
        self.config = config;
    }

    // ------------------------------------------------------------------
    // Inputs
    // ------------------------------------------------------------------

    /// Election timeout fired: a follower or candidate starts a new election
    /// (§5.2), or first a pre-vote round with `pre_vote` (§9.6). A leader
    /// has an election timer only for CheckQuorum (§6.2) and a transfer's
    /// deadline (§3.10); see `leader_timeout`.
    pub fn on_election_timeout(&mut self) -> Output {
        let mut out = self.begin();
        if self.role == Role::Leader {
            self.leader_timeout(&mut out);
            return out;
        }
        self.leader_contact = false;
        self.transfer_campaign = false;
        if cfg!(feature = "membership") && !self.membership.is_voter(self.id) {
            // §4.2.1/§4.2.2: a learner, a server being added, or one removed
            // from the configuration it knows never stands for election.
            out.notes.push(Note::NotVoterNoElection { term: self.current_term(), learner: self.membership.is_learner(self.id) });
            if self.role != Role::Follower {
                // A candidate that has since learnt it is no voter gives up.
                let term = self.current_term();
                self.become_follower(term);
            }
            out.timers.push(Timer::Election);
            return out;
        }
        if self.config.pre_vote {
            self.start_pre_vote(&mut out);
        } else {
            self.start_election(&mut out);
        }
        out
    }

    /// Heartbeat timeout fired. Leader: AppendEntries to every follower from
    /// its nextIndex — empty when it is up to date (§5.2 heartbeat), else the
    /// retry Figure 2 asks for (see `heartbeat_to`). Candidate: re-send
    /// RequestVote to peers that have not answered. Follower: a leftover
    /// timer, ignored.
    pub fn on_heartbeat_timeout(&mut self) -> Output {
        let mut out = self.begin();
        match self.role {
            Role::Leader => {
                let peers: Vec<NodeId> = self.peers().collect();
                self.tick();
                self.start_round();
                out.notes.push(Note::HeartbeatRound { term: self.current_term(), peers: peers.len() as u8 });
                for p in peers {
                    self.heartbeat_to(p, &mut out);
                }
                out.timers.push(Timer::Heartbeat);
            }
            Role::Candidate | Role::PreCandidate => {
                let pre = self.role == Role::PreCandidate;
                let silent: Vec<NodeId> =
                    self.peers().filter(|p| !self.vote_answered.contains(p)).collect();
                if !silent.is_empty() {
                    out.notes.push(Note::VoteRequestsResent { term: self.current_term(), count: silent.len() as u8 });
                    for p in silent {
                        if pre {
                            self.send_pre_vote(p, &mut out);
                        } else {
                            self.send_request_vote(p, &mut out);
                        }
                    }
                    out.timers.push(Timer::Heartbeat);
                }
            }
            Role::Follower => {}
        }
        out
    }

    /// Handle any message addressed to this node.
    pub fn step(&mut self, env: Envelope) -> Output {
        let mut out = self.begin();
        if env.to != self.id {
            return out;
        }
        let from = env.from;
        if let Message::RequestVote(rv) = &env.msg {
            if self.ignores_vote_request(rv) {
                // §4.2.3: a current leader was heard from within the minimum
                // election timeout: neither update the term nor vote; no reply.
                out.notes.push(Note::VoteIgnoredLeaderContact { candidate: rv.candidate_id, term: rv.term });
                return out;
            }
        }
        // Figure 2, all servers: a higher term in any request or response
        // means we are out of date (§5.1) — except a PreVote's, which is only
        // the term its sender would stand in (§9.6).
        if env.msg.term() > self.current_term() && !matches!(env.msg, Message::PreVote(_)) {
            let (was, old_term) = (self.role, self.current_term());
            self.become_follower(env.msg.term());
            out.notes.push(Note::NewerTerm { from, term: env.msg.term(), old_term, was });
        }
        match env.msg {
            Message::RequestVote(rv) => self.handle_request_vote(from, rv, &mut out),
            Message::RequestVoteResponse(r) => self.handle_vote_response(from, r, &mut out),
            Message::AppendEntries(ae) => self.handle_append_entries(from, ae, &mut out),
            Message::AppendEntriesResponse(r) => self.handle_append_response(from, r, &mut out),
            Message::PreVote(pv) => self.handle_pre_vote(from, pv, &mut out),
            Message::PreVoteResponse(r) => self.handle_pre_vote_response(from, r, &mut out),
            Message::TimeoutNow(t) => self.handle_timeout_now(from, t, &mut out),
            // Only runs with compaction on send these (`compaction.rs`);
            // the page's lean modules have none (`src/lean/mod.rs`).
            #[cfg(feature = "membership")]
            Message::InstallSnapshot(m) => self.handle_install_snapshot(from, m, &mut out),
            #[cfg(feature = "membership")]
            Message::InstallSnapshotResponse(r) => self.handle_snapshot_response(from, r, &mut out),
        }
        if self.role != Role::Leader {
            self.fail_reads(&mut out);
        }
        out
    }

    /// Before each input: a snapshot of what was applied by earlier ones,
    /// if enough was (§7). Taken here rather than as entries are applied, as
    /// a real server snapshots in the background: every entry is in the log
    /// for at least one step, so the driver (and its checker) sees it.
    fn begin(&mut self) -> Output {
        #[allow(unused_mut)]
        let mut out = Output::default();
        #[cfg(feature = "membership")]
        self.maybe_compact(&mut out);
        out
    }

    /// A client command. The leader appends it to its log and sends it at
    /// once to every follower it is replicating to, behind what is already
    /// in flight; a follower still being probed gets it once the probe is
    /// answered. Anyone else redirects the client (§8).
    pub fn propose(&mut self, cmd: Command) -> Result<(Index, Output), ClientError> {
        self.propose_with(cmd, None)
    }

    /// [`propose`](Self::propose) for a command that carries a client
    /// session (§6.3), stored with the entry.
    pub fn propose_with(&mut self, cmd: Command, session: Option<Session>) -> Result<(Index, Output), ClientError> {
        if self.role != Role::Leader {
            return Err(ClientError::NotLeader { leader_hint: self.leader_id });
        }
        if let Some(to) = self.transferee {
            // §3.10: a leader handing over stops accepting proposals.
            return Err(ClientError::Transferring { to });
        }
        let mut out = Output::default();
        let index = self.append_own(cmd);
        if let Some(e) = self.persistent.log.last_mut() {
            e.session = session;
        }
        out.notes.push(Note::ClientEntryAppended { index, term: self.current_term() });
        let peers: Vec<NodeId> = self.peers().collect();
        for p in peers {
            self.send_new_entries(p, &mut out);
        }
        // A single-server cluster is its own majority.
        self.advance_commit(&mut out);
        self.apply_committed(&mut out);
        self.advance_reads(&mut out);
        Ok((index, out))
    }

    // ------------------------------------------------------------------
    // Elections (§5.2, §5.4.1)
    // ------------------------------------------------------------------

    /// Everyone the configuration in effect replicates to, or asks for
    /// votes: its voters, learners and (while joint) C_old's voters.
    fn peers(&self) -> impl Iterator<Item = NodeId> + '_ {
        let me = self.id;
        #[cfg(feature = "membership")]
        let all = self.membership.each_member();
        // The page's lean modules: always the servers it was started with
        // (a copy: ~180 B gzip smaller in the wasm than borrowing it).
        #[cfg(not(feature = "membership"))]
        let all = self.cluster.clone().into_iter();
        all.filter(move |&p| p != me)
    }

    /// The votes a majority needs in the configuration in effect (for notes;
    /// decisions go through `Membership::quorum`, which counts both halves
    /// of a joint configuration, §4.3).
    fn majority(&self) -> usize {
        self.membership.majority()
    }

    fn become_follower(&mut self, term: Term) {
        if term > self.persistent.current_term {
            self.persistent.current_term = term;
            self.persistent.voted_for = None;
            #[cfg(feature = "membership")]
            {
                self.chg.vote_unsynced = false;
            }
            // A new term's leader is not known until it speaks.
            self.leader_id = None;
            self.leader_contact = false;
        }
        self.role = Role::Follower;
        self.votes_granted.clear();
        self.vote_answered.clear();
        self.progress.clear();
        self.transferee = None;
        self.transfer_campaign = false;
        self.void_lease();
    }

    fn start_election(&mut self, out: &mut Output) {
        // §5.2: increment currentTerm, vote for self, reset election timer,
        // send RequestVote to all other servers.
        let was = self.role;
        self.persistent.current_term += 1;
        self.persistent.voted_for = Some(self.id);
        self.open_ballot(Role::Candidate);
        out.timers.push(Timer::Election);
        out.notes.push(Note::ElectionStarted { term: self.current_term(), was });
        if self.has_votes() {
            // Single-server cluster: our own vote is a majority.
            self.become_leader(out);
            return;
        }
        let peers: Vec<NodeId> = self.peers().collect();
        for p in peers {
            self.send_request_vote(p, out);
        }
        // Lets the driver call on_heartbeat_timeout to retry lost RequestVotes.
        out.timers.push(Timer::Heartbeat);
    }

    /// A new round of votes (or pre-votes, §9.6) as `role`: no leader known,
    /// only our own vote so far, nobody else has answered.
    fn open_ballot(&mut self, role: Role) {
        self.role = role;
        self.leader_id = None;
        self.votes_granted.clear();
        self.votes_granted.insert(self.id);
        self.vote_answered.clear();
        self.vote_answered.insert(self.id);
        self.progress.clear();
    }

    /// Records `from`'s answer to this round; if it granted, returns the
    /// votes so far, the majority needed and whether the round is won.
    fn tally(&mut self, from: NodeId, granted: bool) -> Option<(u8, u8, bool)> {
        self.vote_answered.insert(from);
        if !granted || !self.membership.is_voter(from) {
            // A vote from outside the configuration counts for nothing (§4.1).
            return None;
        }
        self.votes_granted.insert(from);
        Some((self.votes_granted.len() as u8, self.majority() as u8, self.has_votes()))
    }

    /// The votes granted this round make a majority of the configuration
    /// in effect (of both halves while joint, §4.3).
    fn has_votes(&self) -> bool {
        self.membership.quorum(|n| self.votes_granted.contains(&n))
    }

    fn send_request_vote(&self, to: NodeId, out: &mut Output) {
        out.messages.push(Envelope {
            from: self.id,
            to,
            msg: Message::RequestVote(RequestVote {
                term: self.current_term(),
                candidate_id: self.id,
                last_log_index: self.last_log_index(),
                last_log_term: self.last_log_term(),
                transfer: self.transfer_campaign,
            }),
        });
    }

    /// §5.4.1: a log is more up-to-date if its last term is later, or the
    /// last terms are equal and it is at least as long.
    fn candidate_up_to_date(&self, last_log_index: Index, last_log_term: Term) -> bool {
        (last_log_term, last_log_index) >= (self.last_log_term(), self.last_log_index())
    }

    fn handle_request_vote(&mut self, from: NodeId, rv: RequestVote, out: &mut Output) {
        let RequestVote { term, candidate_id: candidate, last_log_index, last_log_term, .. } = rv;
        let (own_last_term, own_last_index) = (self.last_log_term(), self.last_log_index());
        let granted = if term < self.current_term() {
            // RequestVote receiver rule 1 (§5.1).
            out.notes.push(Note::VoteRefusedStaleTerm { candidate, term, current_term: self.current_term() });
            false
        } else if let Some(voted_for) = self.voted_for().filter(|&v| v != candidate) {
            // Rule 2: one vote per term (§5.2).
            out.notes.push(Note::VoteRefusedAlreadyVoted { candidate, term, voted_for });
            false
        } else if !self.config.bugs.skip_up_to_date_check && !self.candidate_up_to_date(last_log_index, last_log_term)
        {
            // Rule 2: only for a log at least as up-to-date as ours (§5.4.1).
            out.notes.push(Note::VoteRefusedLogBehind {
                candidate,
                last_term: last_log_term,
                last_index: last_log_index,
                own_last_term,
                own_last_index,
            });
            false
        } else {
            self.persistent.voted_for = Some(candidate);
            #[cfg(feature = "membership")]
            {
                self.chg.vote_unsynced = true;
            }
            if self.role == Role::PreCandidate {
                // Our pre-vote round is moot: we back the candidate we voted for.
                self.role = Role::Follower;
            }
            // Figure 2, followers: granting a vote resets the election timer.
            out.timers.push(Timer::Election);
            out.notes.push(Note::VoteGranted {
                candidate,
                term,
                last_term: last_log_term,
                last_index: last_log_index,
                own_last_term,
                own_last_index,
                log_check_skipped: self.config.bugs.skip_up_to_date_check
                    && !self.candidate_up_to_date(last_log_index, last_log_term),
            });
            true
        };
        out.messages.push(Envelope {
            from: self.id,
            to: from,
            msg: Message::RequestVoteResponse(RequestVoteResponse { term: self.current_term(), vote_granted: granted }),
        });
    }

    fn handle_vote_response(&mut self, from: NodeId, reply: RequestVoteResponse, out: &mut Output) {
        let RequestVoteResponse { term, vote_granted } = reply;
        if term < self.current_term() || self.role != Role::Candidate {
            // A reply to an election that is over.
            return;
        }
        let Some((votes, needed, won)) = self.tally(from, vote_granted) else { return };
        out.notes.push(Note::VoteReceived { from, votes, needed });
        if won {
            self.become_leader(out);
        }
    }

    fn become_leader(&mut self, out: &mut Output) {
        self.role = Role::Leader;
        self.leader_id = Some(self.id);
        // Figure 2, leaders: nextIndex = last log index + 1, matchIndex = 0.
        // Where each follower's log matches is unknown yet: probe.
        let next = self.last_log_index() + 1;
        let peers: Vec<NodeId> = self.peers().collect();
        self.progress.clear();
        for &p in &peers {
            self.progress.insert(p, Progress::probe(next));
        }
        self.transferee = None;
        self.transfer_campaign = false;
        self.void_lease();
        self.resume_catch_up();
        if self.config.check_quorum {
            // §6.2: the first CheckQuorum comes one election timeout from now.
            out.timers.push(Timer::Election);
        }
        out.notes.push(Note::BecameLeader {
            term: self.current_term(),
            votes: self.votes_granted.len() as u8,
            needed: self.majority() as u8,
        });
        if self.config.noop_on_election {
            // §8: an entry of the new term lets the leader learn which
            // entries are committed (§5.4.2 forbids counting older ones).
            let index = self.append_own(Command::Noop);
            out.notes.push(Note::NoopAppended { index, term: self.current_term() });
        }
        for p in peers {
            self.send_from_next_index(p, out);
        }
        out.timers.push(Timer::Heartbeat);
        self.advance_commit(out);
        self.apply_committed(out);
        self.advance_reads(out);
    }

    // ------------------------------------------------------------------
    // Log replication (§5.3, §5.4)
    // ------------------------------------------------------------------

    fn append_own(&mut self, command: Command) -> Index {
        let term = self.current_term();
        let config = is_config(&command);
        self.persistent.log.push(Entry::new(term, command));
        if config {
            // §4.1: in effect as soon as it is in the log.
            self.refresh_membership();
        }
        self.last_log_index()
    }

    /// Figure 2's send: AppendEntries to `to` from its nextIndex, at most
    /// `max_batch` entries (none = heartbeat). Used for probes and for the
    /// retry after a rejection: anything sent beyond this batch and not yet
    /// acknowledged is presumed lost, and is sent again as replies come back.
    fn send_from_next_index(&mut self, to: NodeId, out: &mut Output) {
        let Some(pr) = self.progress.get(&to).copied() else { return };
        let end = self.send_append_entries(to, pr.next_index, out);
        if let Some(pr) = self.progress.get_mut(&to) {
            pr.sent = end.max(pr.match_index);
        }
    }

    /// The heartbeat timeout for one follower: §5.2's heartbeat and Figure
    /// 2's "retry indefinitely" in one message, from nextIndex (matchIndex +
    /// 1 while replicating): empty for a follower that has everything, else
    /// the first unacknowledged entries again, so a lost AppendEntries is
    /// resent at the next heartbeat. Entries in flight behind that batch are
    /// left alone while the follower keeps answering them; once one has gone
    /// unanswered for a whole interval they are all presumed lost and go out
    /// again as replies come back. A follower silent for a whole interval
    /// is probed: one AppendEntries per heartbeat until it answers.
    fn heartbeat_to(&mut self, to: NodeId, out: &mut Output) {
        let Some(mut pr) = self.progress.get(&to).copied() else { return };
        if !pr.recently_active {
            pr.state = ProgressState::Probe;
        }
        let stalled = pr.match_index < pr.sent_at_heartbeat;
        let end = self.send_append_entries(to, pr.next_index, out);
        pr.sent = if stalled || pr.state == ProgressState::Probe { end } else { pr.sent.max(end) };
        pr.sent = pr.sent.max(pr.match_index);
        pr.sent_at_heartbeat = pr.sent;
        pr.recently_active = false;
        self.progress.insert(to, pr);
    }

    /// Replicating only: one AppendEntries with the entries after the last
    /// one already in flight, if there are any and the in-flight window has
    /// room. A follower being probed waits for its probe's answer (or the
    /// heartbeat), so proposals never start extra message chains.
    fn send_new_entries(&mut self, to: NodeId, out: &mut Output) {
        let Some(pr) = self.progress.get(&to).copied() else { return };
        let window = MAX_IN_FLIGHT_BATCHES * self.config.max_batch.max(1) as Index;
        let in_flight = pr.sent.saturating_sub(pr.match_index);
        // Below the snapshot: InstallSnapshot goes at the heartbeat, once (§7).
        let below_snapshot = pr.sent < self.log_offset();
        if pr.state != ProgressState::Replicate || pr.sent >= self.last_log_index() || in_flight >= window || below_snapshot {
            return;
        }
        let end = self.send_append_entries(to, pr.sent + 1, out);
        if let Some(pr) = self.progress.get_mut(&to) {
            pr.sent = end;
        }
    }

    /// AppendEntries to `to` with prevLogIndex = `next` - 1 and at most
    /// `max_batch` entries from `next` on (none = heartbeat). Returns the
    /// index of the last entry sent (prevLogIndex when none).
    fn send_append_entries(&self, to: NodeId, next: Index, out: &mut Output) -> Index {
        let last = self.last_log_index();
        let off = self.log_offset();
        #[cfg(feature = "membership")]
        if next <= off {
            // Ch. 5: the entries it needs are gone into the snapshot.
            return self.send_snapshot(to, out);
        }
        let next = next.clamp(off + 1, last + 1);
        let prev_log_index = next - 1;
        let prev_log_term = self.term_at(prev_log_index).unwrap_or(0);
        let end = last.min(prev_log_index + self.config.max_batch.max(1) as Index);
        let entries = self.persistent.log.to_vec((prev_log_index - off) as usize, (end - off) as usize);
        out.messages.push(Envelope {
            from: self.id,
            to,
            msg: Message::AppendEntries(AppendEntries {
                term: self.current_term(),
                leader_id: self.id,
                prev_log_index,
                prev_log_term,
                entries,
                leader_commit: self.commit_index,
                round: self.round,
            }),
        });
        end
    }

    /// A current leader spoke (AppendEntries or InstallSnapshot of a term
    /// not behind ours): a candidate yields, everyone notes the leader.
    fn heard_from_leader(&mut self, leader_id: NodeId, term: Term, out: &mut Output) {
        if matches!(self.role, Role::Candidate | Role::PreCandidate) {
            // §5.2: another server has won this term's election.
            out.notes.push(Note::CandidateYields { leader: leader_id, term });
            self.become_follower(term);
        }
        self.leader_id = Some(leader_id);
        self.leader_contact = true;
        // Figure 2, followers: heard from the current leader.
        out.timers.push(Timer::Election);
    }

    fn handle_append_entries(&mut self, from: NodeId, ae: AppendEntries, out: &mut Output) {
        let AppendEntries { term, leader_id, prev_log_index, prev_log_term, entries, leader_commit, round } = ae;
        let reply = |node: &Node, success: bool, match_index: Index, conflict_term: Term, conflict_index: Index| {
            Envelope {
                from: node.id,
                to: from,
                msg: Message::AppendEntriesResponse(AppendEntriesResponse {
                    term: node.current_term(),
                    success,
                    match_index,
                    conflict_term,
                    conflict_index,
                    round,
                }),
            }
        };
        if term < self.current_term() {
            // Figure 2 receiver rule 1; the stale leader learns our term and steps down.
            out.notes.push(Note::AppendRejectedStaleTerm { leader: from, term, current_term: self.current_term() });
            out.messages.push(reply(self, false, 0, 0, 0));
            return;
        }
        if self.role == Role::Leader {
            // Two leaders in one term cannot happen in correct Raft (§5.2
            // Election Safety); only the buggy modes get here. Keep office.
            out.notes.push(Note::AppendRejectedSecondLeader { leader: from, term });
            out.messages.push(reply(self, false, 0, 0, 0));
            return;
        }
        self.heard_from_leader(leader_id, term, out);

        // Ch. 5: what the snapshot covers is committed, so it matches the
        // leader's log; only the entries after it are looked at.
        #[cfg(feature = "membership")]
        let (prev_log_index, prev_log_term, entries) = self.skip_snapshotted(prev_log_index, prev_log_term, entries);
        // Figure 2 receiver rule 2: the consistency check (§5.3).
        let found = self.term_at(prev_log_index);
        let matches = found == Some(prev_log_term);
        if !matches && !self.config.bugs.skip_consistency_check {
            let (conflict_term, conflict_index) = match self.term_at(prev_log_index) {
                // Log too short: the leader should back up to our end.
                None => (0, self.last_log_index() + 1),
                // §5.3 optimisation: report the conflicting term and the
                // first index we hold for it, so the leader can skip it whole.
                Some(t) => {
                    let mut first = prev_log_index;
                    while first > 1 && self.term_at(first - 1) == Some(t) {
                        first -= 1;
                    }
                    (t, first)
                }
            };
            out.notes.push(match found {
                None => Note::AppendRejectedMissingEntry {
                    leader: from,
                    prev_log_index,
                    prev_log_term,
                    last_index: self.last_log_index(),
                },
                Some(found_term) => {
                    Note::AppendRejectedTermMismatch { leader: from, prev_log_index, prev_log_term, found_term }
                }
            });
            out.messages.push(reply(self, false, 0, conflict_term, conflict_index));
            return;
        }

        // Rules 3 and 4: drop a conflicting suffix, append what is new. An
        // entry already present with the same term is kept as is, so a
        // heartbeat or a delayed shorter AppendEntries never truncates
        // entries that a later message already delivered (§5.3).
        let n = entries.len() as Index;
        out.notes.push(Note::AppendAccepted {
            leader: from,
            term,
            prev_log_index,
            prev_log_term,
            entries: n as u32,
            check_skipped: !matches,
        });
        // With skip_consistency_check the log may be shorter than
        // prevLogIndex; the bug then writes the entries at the end.
        let start = prev_log_index.min(self.last_log_index());
        let mut truncated_from = None;
        let mut appended = 0usize;
        let mut config = false;
        let off = self.log_offset();
        for (k, entry) in entries.into_iter().enumerate() {
            let index = start + 1 + k as Index;
            config |= is_config(&entry.command);
            match self.term_at(index) {
                Some(t) if t == entry.term => continue,
                Some(_) => {
                    if truncated_from.is_none() {
                        truncated_from = Some((index, self.last_log_index() - index + 1));
                    }
                    self.persistent.log.truncate((index - off - 1) as usize);
                    self.persistent.log.push(entry);
                    appended += 1;
                }
                None => {
                    self.persistent.log.push(entry);
                    appended += 1;
                }
            }
        }
        #[cfg(feature = "membership")]
        if appended > 0 {
            self.chg.unsynced_from = Some(self.last_log_index() + 1 - appended as Index);
        }
        if config || truncated_from.is_some() {
            // §4.1: a configuration entry rules as soon as it is in the log,
            // and the one before it again once it is truncated away.
            self.refresh_membership();
        }
        if let Some((from_index, removed)) = truncated_from {
            out.notes.push(Note::EntriesTruncated { from_index, removed: removed as u32 });
        }
        if appended > 0 {
            out.notes.push(Note::EntriesAppended {
                leader: from,
                count: appended as u32,
                last_index: self.last_log_index(),
            });
        }

        // Rule 5: commit no further than the last entry this message vouches
        // for; what lies beyond it may still be overwritten.
        let last_new = start + n;
        if leader_commit > self.commit_index {
            let new_commit = leader_commit.min(last_new).min(self.last_log_index());
            if new_commit > self.commit_index {
                out.notes.push(Note::FollowerCommitted {
                    from: self.commit_index,
                    to: new_commit,
                    leader_commit,
                    last_new,
                });
                self.commit_index = new_commit;
            }
        }
        self.apply_committed(out);
        out.messages.push(reply(self, true, prev_log_index + n, 0, 0));
    }

    fn handle_append_response(&mut self, from: NodeId, reply: AppendEntriesResponse, out: &mut Output) {
        let AppendEntriesResponse { term, success, match_index, conflict_term, conflict_index, round } = reply;
        if term < self.current_term() || self.role != Role::Leader {
            // A reply to a term that is over.
            return;
        }
        let Some(mut pr) = self.progress.get(&from).copied() else { return };
        // Either answer proves the follower was still in our term (§6.4).
        pr.acked_round = pr.acked_round.max(round);
        self.progress.insert(from, pr);
        let last = self.last_log_index();
        let old_match = pr.match_index;
        if success {
            // match_index travels in the reply, so a duplicated or reordered
            // reply can only confirm what is known, never move it back.
            let m = old_match.max(match_index.min(last));
            let sent = match pr.state {
                ProgressState::Replicate => pr.sent.max(m),
                // What the probe phase sent beyond the confirmed prefix was
                // sent on a guess; continue from what is now known.
                ProgressState::Probe => m,
            };
            self.progress.insert(
                from,
                Progress {
                    next_index: m + 1,
                    match_index: m,
                    sent,
                    sent_at_heartbeat: pr.sent_at_heartbeat,
                    state: ProgressState::Replicate,
                    recently_active: true,
                    quorum_active: true,
                    acked_round: pr.acked_round,
                },
            );
            out.notes.push(Note::FollowerMatched { follower: from, match_index: m, next_index: m + 1 });
            self.catch_up_progress(from, m, out);
            self.advance_commit(out);
            self.apply_committed(out);
            if self.transferee == Some(from) && m == self.last_log_index() {
                // §3.10: the target has caught up; it may campaign now.
                self.send_timeout_now(from, out);
            }
            // Only what is not in flight yet: a reply never resends entries
            // that earlier messages are still carrying.
            self.send_new_entries(from, out);
            self.advance_reads(out);
        } else {
            let old_next = pr.next_index;
            let proposed = match self.config.backtrack {
                // §5.3: "decrement nextIndex and retry".
                Backtrack::OneByOne => old_next.saturating_sub(1),
                // §5.3 end: skip all of the follower's conflicting term at once.
                Backtrack::ConflictHint => {
                    if conflict_term == 0 {
                        conflict_index
                    } else {
                        match self.persistent.log.iter().rposition(|e| e.term == conflict_term) {
                            Some(pos) => self.log_offset() + pos as Index + 2,
                            None => conflict_index,
                        }
                    }
                }
            };
            // Always make progress, and never back up over entries the
            // follower has already confirmed (a stale rejection). A rejection
            // while replicating (a lost or reordered message left a gap)
            // thus restarts from matchIndex + 1.
            let next = proposed.min(old_next.saturating_sub(1)).max(old_match + 1).max(1);
            if let Some(pr) = self.progress.get_mut(&from) {
                pr.next_index = next;
                pr.state = ProgressState::Probe;
                pr.recently_active = true;
                pr.quorum_active = true;
            }
            out.notes.push(Note::NextIndexBackedUp {
                follower: from,
                from: old_next,
                to: next,
                hinted: self.config.backtrack == Backtrack::ConflictHint,
            });
            self.send_from_next_index(from, out);
            self.advance_reads(out);
        }
    }

    /// Figure 2, leaders: commitIndex = the largest N with a majority of
    /// matchIndex ≥ N and log[N].term == currentTerm.
    fn advance_commit(&mut self, out: &mut Output) {
        if self.role != Role::Leader {
            return;
        }
        let term = self.current_term();
        let mut n = self.last_log_index();
        while n > self.commit_index {
            // §5.4.2: only count replicas for entries of the current term;
            // older entries are committed indirectly (Figure 8). The
            // commit_old_terms bug drops this condition.
            let eligible = self.config.bugs.commit_old_terms || self.term_at(n) == Some(term);
            // Counted in the configuration in effect, both halves while
            // joint (§4.3); a leader that is removing itself does not count
            // itself (§4.2.2).
            let holds = |p: NodeId| p == self.id || self.progress.get(&p).is_some_and(|pr| pr.match_index >= n);
            if eligible && self.membership.quorum(&holds) {
                let replicas = self.membership.voters.iter().filter(|&&p| holds(p)).count();
                out.notes.push(Note::LeaderCommitted {
                    from: self.commit_index,
                    to: n,
                    replicas: replicas as u8,
                    needed: self.majority() as u8,
                    entry_term: self.term_at(n).unwrap_or(0),
                    term,
                });
                self.commit_index = n;
                self.after_commit(out);
                return;
            }
            n -= 1;
        }
    }

    /// Figure 2, all servers: apply log[lastApplied+1..=commitIndex] in order.
    fn apply_committed(&mut self, out: &mut Output) {
        let first = self.last_applied + 1;
        let off = self.log_offset();
        while self.last_applied < self.commit_index.min(self.last_log_index()) {
            self.last_applied += 1;
            let index = self.last_applied;
            let entry = &self.persistent.log[(index - off - 1) as usize];
            let session = entry.session;
            // §6.3: a command its session has already applied is answered
            // from the session table, not applied again (unless no_dedup).
            // (Sessions never reach the page's lean modules, `src/lean/mod.rs`.)
            let session = session.filter(|_| cfg!(feature = "extended"));
            let seen = session.filter(|_| !self.config.bugs.no_dedup).and_then(|s| self.sessions.duplicate(s));
            let duplicate = seen.is_some();
            let (ok, value) = match seen {
                Some(r) => r,
                None => kv::apply(&mut self.kv, &entry.command),
            };
            if let Some(s) = session {
                if duplicate {
                    out.notes.push(Note::DuplicateSkipped { index, client: s.client, seq: s.seq.get() });
                } else {
                    self.sessions.remember(s, ok, value.clone());
                }
            }
            out.applied.push(Applied { index, term: entry.term, command: entry.command.clone(), ok, value, session, duplicate });
        }
        if self.last_applied >= first {
            out.notes.push(Note::Applied { from: first, to: self.last_applied });
        }
    }
}
