//! What a rule decided and why, as data: the node's explanation of one step.
//!
//! Every variant names one rule of the paper's Figure 2 (or §8) with the
//! values it compared, so the page can render it in any language, light the
//! pseudocode lines that ran, and tests can assert on decisions instead of
//! sentences. Prose lives in the i18n layer only.

use serde::Serialize;

use super::membership::NodeSet;
use super::types::{Index, NodeId, Role, Term};

/// Why a leader appended a configuration entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConfigCause {
    /// Someone asked for the change (§4.1, or C_old,new of §4.3).
    Requested,
    /// A learner caught up and becomes a voter (§4.2.1).
    Promotion,
    /// C_old,new is committed: on to C_new (§4.3).
    LeaveJoint,
}

/// One decision of a node. Serialized as `{"note": "vote_granted", …}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "note", rename_all = "snake_case")]
pub enum Note {
    /// All servers: an RPC carried term `term` > currentTerm `old_term`:
    /// set currentTerm = term, convert to follower (§5.1).
    NewerTerm { from: NodeId, term: Term, old_term: Term, was: Role },
    /// Follower/candidate: the election timeout elapsed; start an election:
    /// currentTerm → `term`, vote for self (§5.2). `was`: the role before.
    ElectionStarted { term: Term, was: Role },
    /// Candidate: RequestVote re-sent to the `count` peers that have not answered.
    VoteRequestsResent { term: Term, count: u8 },
    /// RequestVote receiver rule 1: term < currentTerm → refuse (§5.1).
    VoteRefusedStaleTerm { candidate: NodeId, term: Term, current_term: Term },
    /// Receiver rule 2: votedFor is neither null nor the candidate (§5.2).
    VoteRefusedAlreadyVoted { candidate: NodeId, term: Term, voted_for: NodeId },
    /// Receiver rule 2: the candidate's log (last term, last index) is
    /// behind ours (§5.4.1).
    VoteRefusedLogBehind { candidate: NodeId, last_term: Term, last_index: Index, own_last_term: Term, own_last_index: Index },
    /// Receiver rule 2 passed: vote granted. `log_check_skipped`: the
    /// skip_up_to_date_check bug granted it without comparing logs.
    VoteGranted {
        candidate: NodeId,
        term: Term,
        last_term: Term,
        last_index: Index,
        own_last_term: Term,
        own_last_index: Index,
        log_check_skipped: bool,
    },
    /// Candidate: a vote came in; `votes` of the `needed` majority so far (§5.2).
    VoteReceived { from: NodeId, votes: u8, needed: u8 },
    /// Candidate: votes from a majority → leader of `term` (§5.2).
    BecameLeader { term: Term, votes: u8, needed: u8 },
    /// New leader: a no-op entry of its term at `index` (§8).
    NoopAppended { index: Index, term: Term },
    /// Leader: a client command appended at `index` (§5.3).
    ClientEntryAppended { index: Index, term: Term },
    /// Leader: heartbeat round, AppendEntries from each follower's nextIndex
    /// to `peers` servers (§5.2 "repeat during idle periods", §5.3 retry).
    HeartbeatRound { term: Term, peers: u8 },
    /// AppendEntries receiver rule 1: term < currentTerm → reply false (§5.1).
    AppendRejectedStaleTerm { leader: NodeId, term: Term, current_term: Term },
    /// A second leader of our own term (possible only in buggy Raft, §5.2
    /// Election Safety): reply false and keep office.
    AppendRejectedSecondLeader { leader: NodeId, term: Term },
    /// Candidate: AppendEntries from the new leader of this term → follower (§5.2).
    CandidateYields { leader: NodeId, term: Term },
    /// Receiver rule 2: no entry at prevLogIndex (our log ends at `last_index`) (§5.3).
    AppendRejectedMissingEntry { leader: NodeId, prev_log_index: Index, prev_log_term: Term, last_index: Index },
    /// Receiver rule 2: the entry at prevLogIndex has term `found_term` ≠ prevLogTerm (§5.3).
    AppendRejectedTermMismatch { leader: NodeId, prev_log_index: Index, prev_log_term: Term, found_term: Term },
    /// Receiver rules 1–2 passed (or, with the skip_consistency_check bug,
    /// rule 2 was not checked): the log matches the leader's at prevLogIndex.
    AppendAccepted { leader: NodeId, term: Term, prev_log_index: Index, prev_log_term: Term, entries: u32, check_skipped: bool },
    /// Receiver rule 3: a conflicting entry at `from_index`: it and all that
    /// follow are deleted (`removed` entries) (§5.3).
    EntriesTruncated { from_index: Index, removed: u32 },
    /// Receiver rule 4: `count` new entries appended; the log ends at `last_index`.
    EntriesAppended { leader: NodeId, count: u32, last_index: Index },
    /// Receiver rule 5: commitIndex `from` → `to` = min(leaderCommit, index of last new entry).
    FollowerCommitted { from: Index, to: Index, leader_commit: Index, last_new: Index },
    /// Leader: a follower accepted; matchIndex and nextIndex updated (§5.3).
    FollowerMatched { follower: NodeId, match_index: Index, next_index: Index },
    /// Leader: a follower rejected (log inconsistency): nextIndex `from` → `to`
    /// and retry (§5.3; `hinted`: skipped by the follower's conflict hint).
    NextIndexBackedUp { follower: NodeId, from: Index, to: Index, hinted: bool },
    /// Leader: a majority (`replicas` of `needed`) has matchIndex ≥ N = `to`
    /// and log[N].term (`entry_term`) == currentTerm (`term`): commitIndex
    /// `from` → `to` (§5.3, §5.4.2). With the commit_old_terms bug
    /// `entry_term` may be older.
    LeaderCommitted { from: Index, to: Index, replicas: u8, needed: u8, entry_term: Term, term: Term },
    /// All servers: commitIndex > lastApplied → apply entries `from`..=`to`.
    Applied { from: Index, to: Index },

    // ----- the extended protocol (Ongaro's dissertation) ------------------
    /// Election timeout with PreVote on: ask every peer whether it would
    /// vote for us in `term` (currentTerm + 1), without changing it (§9.6).
    PreVoteStarted { term: Term, was: Role },
    /// PreVote receiver: the asked term is not later than ours → refuse (§9.6).
    PreVoteRefusedStaleTerm { candidate: NodeId, term: Term, current_term: Term },
    /// PreVote receiver: we heard from a current leader (`leader`, or we
    /// lead) within an election timeout → refuse (§9.6).
    PreVoteRefusedLeaderAlive { candidate: NodeId, leader: Option<NodeId> },
    /// PreVote receiver: the asker's log is behind ours → refuse (§9.6, §5.4.1).
    PreVoteRefusedLogBehind { candidate: NodeId, last_term: Term, last_index: Index, own_last_term: Term, own_last_index: Index },
    /// PreVote receiver: we would vote for it in `term` (§9.6). Nothing recorded.
    PreVoteGranted { candidate: NodeId, term: Term, last_term: Term, last_index: Index, own_last_term: Term, own_last_index: Index },
    /// Pre-candidate: a pre-vote came in; `votes` of `needed` (§9.6).
    PreVoteReceived { from: NodeId, votes: u8, needed: u8 },
    /// Pre-candidate: a majority would vote for us → stand in `term` (§9.6).
    PreVoteWon { term: Term, votes: u8, needed: u8 },
    /// Leader: handing leadership to `to`; proposals stop; its log matches
    /// ours up to `match_index` of `last_index` (§3.10).
    TransferStarted { to: NodeId, term: Term, match_index: Index, last_index: Index },
    /// Leader: the transfer target is up to date → TimeoutNow (§3.10).
    TimeoutNowSent { to: NodeId, term: Term },
    /// TimeoutNow from the leader of `term` → start an election at once (§3.10).
    TimeoutNowReceived { from: NodeId, term: Term },
    /// Leader: no new leader within an election timeout → the transfer to
    /// `to` is abandoned; proposals are accepted again (§3.10).
    TransferAborted { to: NodeId, term: Term },
    /// Leader, CheckQuorum: heard from `active` servers (itself included)
    /// of the `needed` majority since the last check → stay (§6.2).
    CheckQuorumPassed { term: Term, active: u8, needed: u8 },
    /// Leader, CheckQuorum: only `active` of the `needed` → step down (§6.2).
    CheckQuorumFailed { term: Term, active: u8, needed: u8 },
    /// RequestVote from `candidate` for `term` while a current leader was
    /// heard from within the minimum election timeout: ignored — no term
    /// change, no vote, no reply (§4.2.3; on with the vote guard or leases).
    VoteIgnoredLeaderContact { candidate: NodeId, term: Term },
    /// Applying: the entry at `index` repeats a command client `client`'s
    /// session already applied (serial `seq`): not applied again, answered
    /// with the first copy's result (§6.3).
    DuplicateSkipped { index: Index, client: u32, seq: u32 },
    /// Leader, ReadIndex: read `id` gets read index `read_index` (the
    /// commit index) and waits for heartbeat round `round` (§6.4).
    ReadIndexRecorded { id: u64, read_index: Index, round: u64 },
    /// Leader: a majority (`needed`, itself included) answered round
    /// `round`: nobody had deposed it when read `id` arrived (§6.4).
    ReadConfirmed { id: u64, round: u64, needed: u8 },
    /// Leader: read `id` answered from its state, applied up to at least
    /// `read_index`; `lease`: at once, within the lease (§6.4.1);
    /// `unconfirmed`: the read_without_quorum_check bug skipped the round.
    ReadAnswered { id: u64, read_index: Index, lease: bool, unconfirmed: bool },
    /// Leader, lease reads: no lease holds now (none yet in this term, or it
    /// ran out): read `id` goes the ReadIndex way (§6.4.1).
    LeaseUnavailable { id: u64 },
    /// No longer leader: `count` waiting reads cannot be answered (§6.4).
    ReadsFailed { count: u32 },
    /// Election timeout on a server that is no voter in the configuration
    /// it knows (`learner`: a learner; else added but not yet told, or
    /// removed): it does not stand (§4.2.1, §4.2.2).
    NotVoterNoElection { term: Term, learner: bool },
    /// Leader: configuration entry at `index` appended, in effect at once
    /// (§4.1); `outgoing` non-empty: the joint C_old,new (§4.3).
    ConfigAppended { index: Index, term: Term, voters: NodeSet, learners: NodeSet, outgoing: NodeSet, cause: ConfigCause },
    /// Leader: learner `node` matched the log as it was when round `round`
    /// began, in `ticks` heartbeat intervals (`limit` make an election
    /// timeout); `promote`: short enough to become a voter (§4.2.1).
    CatchUpRound { node: NodeId, round: u32, ticks: u32, limit: u32, promote: bool },
    /// Leader: the committed configuration (entry `index`) leaves it out
    /// → step down (§4.2.2).
    LeaderRemovedStepsDown { term: Term, index: Index },
    /// `discarded` entries up to `last_index` (of `last_term`) replaced by
    /// a snapshot of the state machine (§7).
    SnapshotTaken { last_index: Index, last_term: Term, discarded: u32 },
    /// Leader: `to` needs entries it has discarded → InstallSnapshot (§7).
    SnapshotSent { to: NodeId, last_index: Index, last_term: Term },
    /// InstallSnapshot from a stale term → refused (§7, rule 1).
    SnapshotRejectedStaleTerm { leader: NodeId, term: Term, current_term: Term },
    /// InstallSnapshot up to `last_index`, already committed here (§7).
    SnapshotIgnored { leader: NodeId, last_index: Index, commit_index: Index },
    /// Snapshot installed: state machine and configuration loaded, `kept`
    /// log entries after it kept (§7, rules 6–8).
    SnapshotInstalled { leader: NodeId, last_index: Index, last_term: Term, kept: u32 },
}

/// A line of the Figure 2 pseudocode, as the page draws it (see
/// `ui::raft::pseudocode`). Blocks: RequestVote receiver (`Rv*`),
/// AppendEntries receiver (`Ae*`), rules for all servers (`All*`),
/// followers (`Fol*`), candidates (`Cand*`), leaders (`Lead*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Line {
    RvStaleTerm,
    RvVotedFor,
    RvUpToDate,
    AeStaleTerm,
    AePrevLog,
    AeConflict,
    AeAppend,
    AeCommit,
    AllApply,
    AllNewerTerm,
    FolTimeout,
    CandStart,
    CandMajority,
    CandNewLeader,
    CandTimeout,
    LeadHeartbeat,
    LeadClient,
    LeadSend,
    LeadSuccess,
    LeadBackUp,
    LeadCommit,
    // PreVote (§9.6): the pre-candidate's rules, then the receiver's.
    PvStart,
    PvMajority,
    PvStaleTerm,
    PvLeaderAlive,
    PvUpToDate,
    // Leaders, extended: CheckQuorum (§6.2) and leadership transfer (§3.10).
    LeadCheckQuorum,
    TransferStart,
    TransferTimeoutNow,
    TransferAbort,
    TimeoutNowCampaign,
    // The vote guard (§4.2.3), sessions (§6.3) and reads (§6.4).
    RvLeaderContact,
    AllDedup,
    ReadRecord,
    ReadConfirm,
    ReadAnswer,
    ReadLease,
    // Membership changes (§4): the leader's rules, then every server's.
    CfgOneAtATime,
    CfgAppend,
    CfgCatchUp,
    CfgLeaveJoint,
    CfgStepDown,
    CfgNoElection,
    // Log compaction (§7).
    SnapTake,
    SnapSend,
    SnapStaleTerm,
    SnapRetain,
    SnapLoad,
}

/// How a rule's condition came out in this step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The rule's condition held and its action ran.
    Fired,
    /// A check that passed, letting the handler go on to the next rule.
    Passed,
    /// The check failed: the request was refused.
    Refused,
}

impl Note {
    /// The paper's section for this rule ("§5.4.1").
    pub fn section(&self) -> &'static str {
        match self {
            Note::NewerTerm { .. }
            | Note::VoteRefusedStaleTerm { .. }
            | Note::AppendRejectedStaleTerm { .. } => "§5.1",
            Note::ElectionStarted { .. }
            | Note::VoteRequestsResent { .. }
            | Note::VoteRefusedAlreadyVoted { .. }
            | Note::VoteReceived { .. }
            | Note::BecameLeader { .. }
            | Note::HeartbeatRound { .. }
            | Note::AppendRejectedSecondLeader { .. }
            | Note::CandidateYields { .. } => "§5.2",
            Note::VoteRefusedLogBehind { .. } | Note::VoteGranted { .. } => "§5.4.1",
            Note::NoopAppended { .. } => "§8",
            Note::ClientEntryAppended { .. }
            | Note::AppendRejectedMissingEntry { .. }
            | Note::AppendRejectedTermMismatch { .. }
            | Note::AppendAccepted { .. }
            | Note::EntriesTruncated { .. }
            | Note::EntriesAppended { .. }
            | Note::FollowerCommitted { .. }
            | Note::FollowerMatched { .. }
            | Note::NextIndexBackedUp { .. }
            | Note::Applied { .. } => "§5.3",
            Note::LeaderCommitted { .. } => "§5.4.2",
            Note::PreVoteStarted { .. }
            | Note::PreVoteRefusedStaleTerm { .. }
            | Note::PreVoteRefusedLeaderAlive { .. }
            | Note::PreVoteRefusedLogBehind { .. }
            | Note::PreVoteGranted { .. }
            | Note::PreVoteReceived { .. }
            | Note::PreVoteWon { .. } => "§9.6",
            Note::TransferStarted { .. }
            | Note::TimeoutNowSent { .. }
            | Note::TimeoutNowReceived { .. }
            | Note::TransferAborted { .. } => "§3.10",
            Note::CheckQuorumPassed { .. } | Note::CheckQuorumFailed { .. } => "§6.2",
            Note::VoteIgnoredLeaderContact { .. } => "§4.2.3",
            Note::DuplicateSkipped { .. } => "§6.3",
            Note::ReadIndexRecorded { .. }
            | Note::ReadConfirmed { .. }
            | Note::ReadAnswered { lease: false, .. }
            | Note::ReadsFailed { .. } => "§6.4",
            Note::ReadAnswered { lease: true, .. } | Note::LeaseUnavailable { .. } => "§6.4.1",
            Note::NotVoterNoElection { learner: true, .. } | Note::CatchUpRound { .. } => "§4.2.1",
            Note::NotVoterNoElection { .. } | Note::LeaderRemovedStepsDown { .. } => "§4.2.2",
            Note::ConfigAppended { cause: ConfigCause::LeaveJoint, .. } => "§4.3",
            Note::ConfigAppended { outgoing, .. } if !outgoing.is_empty() => "§4.3",
            Note::ConfigAppended { .. } => "§4.1",
            Note::SnapshotTaken { .. }
            | Note::SnapshotSent { .. }
            | Note::SnapshotRejectedStaleTerm { .. }
            | Note::SnapshotIgnored { .. }
            | Note::SnapshotInstalled { .. } => "§7",
        }
    }

    /// The pseudocode lines this decision executed, with how each came out,
    /// in the order they ran.
    pub fn lines(&self) -> &'static [(Line, Outcome)] {
        use Line::*;
        use Outcome::*;
        match self {
            Note::NewerTerm { .. } => &[(AllNewerTerm, Fired)],
            Note::ElectionStarted { was: Role::Candidate, .. } => &[(CandTimeout, Fired), (CandStart, Fired)],
            Note::ElectionStarted { was: Role::PreCandidate, .. } => &[(PvMajority, Fired), (CandStart, Fired)],
            Note::ElectionStarted { .. } => &[(FolTimeout, Fired), (CandStart, Fired)],
            Note::VoteRequestsResent { .. } => &[(CandStart, Fired)],
            Note::VoteRefusedStaleTerm { .. } => &[(RvStaleTerm, Refused)],
            Note::VoteRefusedAlreadyVoted { .. } => &[(RvStaleTerm, Passed), (RvVotedFor, Refused)],
            Note::VoteRefusedLogBehind { .. } => &[(RvStaleTerm, Passed), (RvVotedFor, Passed), (RvUpToDate, Refused)],
            Note::VoteGranted { .. } => &[(RvStaleTerm, Passed), (RvVotedFor, Passed), (RvUpToDate, Fired)],
            Note::VoteReceived { .. } => &[(CandMajority, Passed)],
            Note::BecameLeader { .. } => &[(CandMajority, Fired), (LeadHeartbeat, Fired)],
            Note::NoopAppended { .. } => &[(LeadClient, Fired)],
            Note::ClientEntryAppended { .. } => &[(LeadClient, Fired), (LeadSend, Fired)],
            Note::HeartbeatRound { .. } => &[(LeadHeartbeat, Fired), (LeadSend, Fired)],
            Note::AppendRejectedStaleTerm { .. } => &[(AeStaleTerm, Refused)],
            Note::AppendRejectedSecondLeader { .. } => &[(AeStaleTerm, Refused)],
            Note::CandidateYields { .. } => &[(CandNewLeader, Fired)],
            Note::AppendRejectedMissingEntry { .. } | Note::AppendRejectedTermMismatch { .. } => {
                &[(AeStaleTerm, Passed), (AePrevLog, Refused)]
            }
            Note::AppendAccepted { .. } => &[(AeStaleTerm, Passed), (AePrevLog, Passed)],
            Note::EntriesTruncated { .. } => &[(AeConflict, Fired)],
            Note::EntriesAppended { .. } => &[(AeAppend, Fired)],
            Note::FollowerCommitted { .. } => &[(AeCommit, Fired)],
            Note::FollowerMatched { .. } => &[(LeadSuccess, Fired)],
            Note::NextIndexBackedUp { .. } => &[(LeadBackUp, Fired)],
            Note::LeaderCommitted { .. } => &[(LeadCommit, Fired)],
            Note::Applied { .. } => &[(AllApply, Fired)],
            Note::PreVoteStarted { .. } => &[(PvStart, Fired)],
            Note::PreVoteRefusedStaleTerm { .. } => &[(PvStaleTerm, Refused)],
            Note::PreVoteRefusedLeaderAlive { .. } => &[(PvStaleTerm, Passed), (PvLeaderAlive, Refused)],
            Note::PreVoteRefusedLogBehind { .. } => &[(PvStaleTerm, Passed), (PvLeaderAlive, Passed), (PvUpToDate, Refused)],
            Note::PreVoteGranted { .. } => &[(PvStaleTerm, Passed), (PvLeaderAlive, Passed), (PvUpToDate, Fired)],
            Note::PreVoteReceived { .. } => &[(PvMajority, Passed)],
            Note::PreVoteWon { .. } => &[(PvMajority, Fired)],
            Note::TransferStarted { .. } => &[(TransferStart, Fired)],
            Note::TimeoutNowSent { .. } => &[(TransferTimeoutNow, Fired)],
            Note::TimeoutNowReceived { .. } => &[(TimeoutNowCampaign, Fired)],
            Note::TransferAborted { .. } => &[(TransferAbort, Fired)],
            Note::CheckQuorumPassed { .. } => &[(LeadCheckQuorum, Passed)],
            Note::CheckQuorumFailed { .. } => &[(LeadCheckQuorum, Refused)],
            Note::VoteIgnoredLeaderContact { .. } => &[(RvLeaderContact, Refused)],
            Note::DuplicateSkipped { .. } => &[(AllApply, Fired), (AllDedup, Fired)],
            Note::ReadIndexRecorded { .. } => &[(ReadRecord, Fired)],
            Note::ReadConfirmed { .. } => &[(ReadConfirm, Fired)],
            Note::ReadAnswered { lease: true, .. } => &[(ReadLease, Fired)],
            Note::ReadAnswered { .. } => &[(ReadAnswer, Fired)],
            Note::LeaseUnavailable { .. } => &[(ReadLease, Refused)],
            Note::ReadsFailed { .. } => &[(ReadConfirm, Refused)],
            Note::NotVoterNoElection { .. } => &[(CfgNoElection, Fired)],
            Note::ConfigAppended { cause: ConfigCause::LeaveJoint, .. } => &[(CfgLeaveJoint, Fired), (CfgAppend, Fired)],
            Note::ConfigAppended { cause: ConfigCause::Promotion, .. } => &[(CfgCatchUp, Fired), (CfgAppend, Fired)],
            Note::ConfigAppended { .. } => &[(CfgOneAtATime, Passed), (CfgAppend, Fired)],
            Note::CatchUpRound { promote: true, .. } => &[(CfgCatchUp, Passed)],
            Note::CatchUpRound { .. } => &[(CfgCatchUp, Refused)],
            Note::LeaderRemovedStepsDown { .. } => &[(CfgStepDown, Fired)],
            Note::SnapshotTaken { .. } => &[(SnapTake, Fired)],
            Note::SnapshotSent { .. } => &[(SnapSend, Fired)],
            Note::SnapshotRejectedStaleTerm { .. } => &[(SnapStaleTerm, Refused)],
            Note::SnapshotIgnored { .. } => &[(SnapStaleTerm, Passed), (SnapRetain, Refused)],
            Note::SnapshotInstalled { kept: 0, .. } => &[(SnapStaleTerm, Passed), (SnapLoad, Fired)],
            Note::SnapshotInstalled { .. } => &[(SnapStaleTerm, Passed), (SnapRetain, Fired), (SnapLoad, Fired)],
        }
    }

    /// Routine notes (a heartbeat accepted, entries applied, a follower's
    /// matchIndex confirmed): shown in the pseudocode panel, left out of the
    /// one-line feed, which already says what happened.
    pub fn is_routine(&self) -> bool {
        matches!(
            self,
            Note::AppendAccepted { .. }
                | Note::Applied { .. }
                | Note::FollowerMatched { .. }
                | Note::HeartbeatRound { .. }
                | Note::VoteRequestsResent { .. }
                | Note::CheckQuorumPassed { .. }
                | Note::NotVoterNoElection { .. }
        )
    }
}
