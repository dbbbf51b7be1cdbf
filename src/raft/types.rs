//! The vocabulary shared by the Raft node and everything that drives it.
//!
//! This file is the contract between `raft` (the pure state machine) and
//! `sim` (which owns time, randomness and the network). Names follow the
//! paper's Figure 2 wherever the paper has a word.

use serde::{Deserialize, Serialize};
use std::sync::Arc;

#[cfg(feature = "membership")]
use super::membership::{Membership, StateSnapshot};

/// Server id. Servers are numbered 1..=N (S1..S9 in the page).
pub type NodeId = u8;
/// A Raft term (§5.1).
pub type Term = u64;
/// A log index; the first entry has index 1, 0 means "no entry".
pub type Index = u64;

/// A command for the replicated key-value state machine.
/// Serialized by serde's derive; read by [`Command::from_value`] (see `crate::tagged`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub enum Command {
    /// Appended by a new leader when it takes office (§8, "no-op entry").
    Noop,
    Set { key: String, value: String },
    Delete { key: String },
    /// Compare-and-set: applies only when the current value equals `expected`
    /// (`None` = key absent).
    Cas { key: String, expected: Option<String>, value: String },
    /// A read. Through the log (`ReadMode::Log`) it is an entry like any
    /// other and answers with the value when applied; with ReadIndex or a
    /// lease it never enters the log (§6.4).
    Get { key: String },
    /// Appends `value` to the key's value (absent = empty): not idempotent,
    /// so a retried command applied twice shows (§6.3).
    Append { key: String, value: String },
    /// A configuration entry (§4.1): in effect on a server as soon as it
    /// is in its log, committed or not. No effect on the key-value map.
    /// (Extended module only, `src/lean/mod.rs`.)
    #[cfg(feature = "membership")]
    Config(Membership),
}

crate::deserialize_via_value!(Command);

impl Command {
    /// The `op` names, in variant order.
    pub const NAMES: &'static [&'static str] = &["noop", "set", "delete", "cas", "get", "append", "config"];

    /// Reads `{"op": "set", "key": "x", "value": "1"}` and the like.
    pub fn from_value(v: &serde_json::Value) -> Result<Command, String> {
        let (name, mut f) = crate::tagged::tagged(v, "op", Command::NAMES)?;
        let c = match name {
            "noop" => Command::Noop,
            "set" => Command::Set { key: f.req("key")?, value: f.req("value")? },
            "delete" => Command::Delete { key: f.req("key")? },
            "cas" => Command::Cas { key: f.req("key")?, expected: f.opt("expected")?, value: f.req("value")? },
            "get" => Command::Get { key: f.req("key")? },
            "append" => Command::Append { key: f.req("key")?, value: f.req("value")? },
            #[cfg(feature = "membership")]
            "config" => Command::Config(
                Membership {
                    voters: f.req("voters")?,
                    learners: f.opt("learners")?.unwrap_or_default(),
                    outgoing: f.opt("outgoing")?.unwrap_or_default(),
                    catching_up: f.opt("catching_up")?,
                }
                .normalized(),
            ),
            // Configuration entries live in the extended module (`src/lean/mod.rs`).
            #[cfg(not(feature = "membership"))]
            "config" => return Err(crate::sim::scenario::NEEDS_EXTENDED.to_string()),
            other => return Err(crate::tagged::unknown_variant(other, Command::NAMES)),
        };
        f.done()?;
        Ok(c)
    }

    /// The key the command reads or writes (none for a no-op).
    pub fn key(&self) -> Option<&str> {
        match self {
            Command::Noop => None,
            #[cfg(feature = "membership")]
            Command::Config(_) => None,
            Command::Set { key, .. }
            | Command::Delete { key }
            | Command::Cas { key, .. }
            | Command::Get { key }
            | Command::Append { key, .. } => Some(key),
        }
    }
}

/// A client session tag (dissertation §6.3): which client sent a command
/// and its serial number. The state machine remembers, per client, the
/// last serial number it applied and that command's result, so a retried
/// command is answered from there instead of being applied twice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Session {
    pub client: u32,
    /// Non-zero, so `Option<Session>` costs no more than `Session` in every entry.
    pub seq: std::num::NonZeroU32,
}

/// One log entry (Figure 2: "each entry contains command for state machine,
/// and term when entry was received by leader").
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub term: Term,
    /// Shared, not copied: the same command sits in every replica's log, in
    /// AppendEntries messages and in history checkpoints (Figure 2 only asks
    /// that each log holds it; it is immutable once created).
    pub command: Arc<Command>,
    /// The client session the command came with (§6.3), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<Session>,
}

impl Entry {
    pub fn new(term: Term, command: Command) -> Entry {
        Entry { term, command: Arc::new(command), session: None }
    }
}

/// Figure 2's RequestVote RPC arguments: sent by candidates (§5.2).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestVote {
    pub term: Term,
    pub candidate_id: NodeId,
    pub last_log_index: Index,
    pub last_log_term: Term,
    /// Sent by a leadership transfer's target (§3.10): the leader itself
    /// asked for this election, so voters that heard from it recently do not
    /// ignore it (§4.2.3). Not in Figure 2.
    #[serde(default)]
    pub transfer: bool,
}

/// Figure 2's RequestVote results.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestVoteResponse {
    pub term: Term,
    pub vote_granted: bool,
}

/// Figure 2's AppendEntries RPC arguments: sent by the leader to replicate
/// entries (§5.3), and empty as a heartbeat (§5.2).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppendEntries {
    pub term: Term,
    pub leader_id: NodeId,
    pub prev_log_index: Index,
    pub prev_log_term: Term,
    pub entries: Vec<Entry>,
    pub leader_commit: Index,
    /// The leader's heartbeat round when it sent this (§6.4: echoed in the
    /// reply, so the leader knows which of its rounds a majority has
    /// answered — what ReadIndex and leases wait for). Not in Figure 2.
    #[serde(default)]
    pub round: u64,
}

/// Figure 2's AppendEntries results, plus what lets replies be matched and
/// the §5.3 conflict hint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppendEntriesResponse {
    pub term: Term,
    pub success: bool,
    /// On success: the index of the last entry known to match
    /// (prev_log_index + entries.len()), so replies can be matched even
    /// when they arrive out of order or duplicated.
    pub match_index: Index,
    /// On failure with `Backtrack::ConflictHint`: the conflicting term
    /// (0 if the follower's log was too short) and the first index the
    /// follower holds for that term (or its log length + 1).
    pub conflict_term: Term,
    pub conflict_index: Index,
    /// The `round` of the AppendEntries this answers (§6.4).
    #[serde(default)]
    pub round: u64,
}

/// PreVote (dissertation §9.6): "would you vote for me in `term`?", asked
/// before a real election. Nothing changes on either side: the sender keeps
/// its term, the receiver neither records a vote nor updates its term.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreVote {
    /// The term the sender would stand in: its currentTerm + 1.
    pub term: Term,
    pub candidate_id: NodeId,
    pub last_log_index: Index,
    pub last_log_term: Term,
}

/// The answer to a [`PreVote`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreVoteResponse {
    /// The voter's currentTerm (a refusal from a later term updates the asker, §5.1).
    pub term: Term,
    /// The term the PreVote asked about, so a late answer to an earlier round is ignored.
    pub asked: Term,
    pub vote_granted: bool,
}

/// Leadership transfer (dissertation §3.10): the leader tells the caught-up
/// target to start an election now, without waiting for its timeout.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeoutNow {
    pub term: Term,
    pub leader_id: NodeId,
}

/// InstallSnapshot (dissertation §5.1, Figure 5.3): a leader sends its
/// snapshot to a follower that needs entries it has discarded. Sent whole
/// (the figure's chunking is left out: the simulator has no message size).
#[cfg(feature = "membership")]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstallSnapshot {
    pub term: Term,
    pub leader_id: NodeId,
    /// Shared, not copied, like entries' commands.
    pub snapshot: Arc<StateSnapshot>,
    /// The leader's heartbeat round (§6.4), as in AppendEntries.
    #[serde(default)]
    pub round: u64,
}

/// The answer to an [`InstallSnapshot`]: the figure's `term`, plus the
/// index the follower now matches up to, so the leader can go on from there.
#[cfg(feature = "membership")]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstallSnapshotResponse {
    pub term: Term,
    pub match_index: Index,
    #[serde(default)]
    pub round: u64,
}

/// Figure 2 RPCs and their replies, each a struct its handler takes whole,
/// then the extended protocol's messages (§9.6 PreVote, §3.10 TimeoutNow).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum Message {
    RequestVote(RequestVote),
    RequestVoteResponse(RequestVoteResponse),
    AppendEntries(AppendEntries),
    AppendEntriesResponse(AppendEntriesResponse),
    PreVote(PreVote),
    PreVoteResponse(PreVoteResponse),
    TimeoutNow(TimeoutNow),
    #[cfg(feature = "membership")]
    InstallSnapshot(InstallSnapshot),
    #[cfg(feature = "membership")]
    InstallSnapshotResponse(InstallSnapshotResponse),
}

impl Message {
    /// The term the message carries (for a PreVote: the term it asks about,
    /// which is not the sender's and updates nobody).
    pub fn term(&self) -> Term {
        match self {
            Message::RequestVote(RequestVote { term, .. })
            | Message::RequestVoteResponse(RequestVoteResponse { term, .. })
            | Message::AppendEntries(AppendEntries { term, .. })
            | Message::AppendEntriesResponse(AppendEntriesResponse { term, .. })
            | Message::PreVote(PreVote { term, .. })
            | Message::PreVoteResponse(PreVoteResponse { term, .. })
            | Message::TimeoutNow(TimeoutNow { term, .. }) => *term,
            #[cfg(feature = "membership")]
            Message::InstallSnapshot(InstallSnapshot { term, .. })
            | Message::InstallSnapshotResponse(InstallSnapshotResponse { term, .. }) => *term,
        }
    }
}

/// A message with its addresses, as a node emits it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Envelope {
    pub from: NodeId,
    pub to: NodeId,
    pub msg: Message,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Follower,
    Candidate,
    Leader,
    /// Asking for pre-votes before standing (§9.6); its term is unchanged.
    PreCandidate,
}

/// How a leader backs up `nextIndex` after a rejected AppendEntries (§5.3).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Backtrack {
    /// The paper's rule: decrement nextIndex by one per rejection.
    #[default]
    OneByOne,
    /// The optimisation sketched at the end of §5.3: skip a whole term.
    ConflictHint,
}

/// Deliberate, realistic bugs for the "buggy Raft" mode. All off = correct Raft.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Bugs {
    /// Commit any entry stored on a majority, whatever its term (the Figure 8 bug).
    pub commit_old_terms: bool,
    /// Lose votedFor on crash (not persisted), so a node can vote twice in a term.
    pub forget_vote_on_crash: bool,
    /// Accept AppendEntries without the prevLogIndex/prevLogTerm check.
    pub skip_consistency_check: bool,
    /// Grant votes without the §5.4.1 up-to-date check.
    pub skip_up_to_date_check: bool,
    // The extended protocol's flags are left out of files and links when off
    // (what they were before it existed).
    /// Lease reads (§6.4.1) take the whole minimum election timeout as the
    /// lease, with no margin for clocks that run at different rates: a
    /// leader whose clock is slow answers after a new leader has taken over.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub lease_ignores_drift: bool,
    /// ReadIndex (§6.4) answers without confirming leadership with a round
    /// of heartbeats: a deposed leader cut off in a minority answers reads
    /// from its own, stale, state.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub read_without_quorum_check: bool,
    /// The state machine ignores client sessions (§6.3): a retried command
    /// whose first copy was applied is applied again.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub no_dedup: bool,
    /// A leader starts a configuration change before an entry of its own
    /// term is committed: two changes from different terms can overlap and
    /// leave two disjoint majorities (the single-server bug Ongaro reported
    /// in 2015; the fix is in §4.1).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub unsafe_single_server_change: bool,
    /// Snapshots leave the configuration out (ch. 5 says they must keep
    /// it): a server that loads one falls back on its bootstrap configuration.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub snapshot_drops_config: bool,
    /// A server acknowledges before its writes reach stable storage: a
    /// crash loses the entries the last AppendEntries appended and the vote
    /// it gave in its current term (Figure 2: "updated on stable storage
    /// before responding to RPCs").
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub reply_before_persist: bool,
}

impl Bugs {
    /// Every flag's name, as files, links and `--bug` spell it.
    pub const NAMES: &'static [&'static str] = &[
        "commit_old_terms",
        "forget_vote_on_crash",
        "skip_consistency_check",
        "skip_up_to_date_check",
        "lease_ignores_drift",
        "read_without_quorum_check",
        "no_dedup",
        "unsafe_single_server_change",
        "snapshot_drops_config",
        "reply_before_persist",
    ];
}

/// How a leader answers a read (`Command::Get`), dissertation §6.4.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReadMode {
    /// The read is a log entry like a write, answered when applied (the baseline).
    #[default]
    Log,
    /// §6.4: record the commit index, confirm leadership with a heartbeat
    /// round answered by a majority, wait until applied, answer.
    ReadIndex,
    /// §6.4.1: answer at once while the lease from the last round a
    /// majority answered holds (falls back to ReadIndex when it does not).
    Lease,
}

impl ReadMode {
    pub const NAMES: &'static [&'static str] = &["log", "read_index", "lease"];

    pub fn is_log(&self) -> bool {
        *self == ReadMode::Log
    }
}

/// A lease assumes clock rates differ by at most this factor, in percent:
/// the lease lasts the minimum election timeout ÷ 1.10 on the leader's clock
/// (§6.4.1, "election timeout divided by the clock drift bound").
pub const LEASE_DRIFT_BOUND_PCT: u64 = 110;

/// Per-node configuration. Timing lives in the simulator, not here.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Largest number of entries in one AppendEntries.
    pub max_batch: usize,
    /// Append a no-op entry when a leader takes office (§8).
    pub noop_on_election: bool,
    pub backtrack: Backtrack,
    /// §9.6: ask for pre-votes before incrementing the term, so a server
    /// that cannot win (cut off, or behind) never disrupts the cluster.
    pub pre_vote: bool,
    /// §6.2: a leader that has not heard from a majority within an election
    /// timeout steps down (so a leader in a minority stops taking requests).
    pub check_quorum: bool,
    /// How reads are answered (§6.4). Left out of files when `log`.
    #[serde(skip_serializing_if = "ReadMode::is_log")]
    pub read_mode: ReadMode,
    /// §4.2.3: a server that heard from a current leader within the minimum
    /// election timeout ignores RequestVote (neither updating its term nor
    /// voting). Always in force with lease reads, whose safety rests on it.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub disruption_guard: bool,
    /// Log compaction (ch. 5): a server snapshots its state machine once
    /// this many entries were applied since its last snapshot; 0 = never.
    /// (Extended module only, like the next: `src/lean/mod.rs`.)
    #[cfg(feature = "membership")]
    #[serde(skip_serializing_if = "is_zero")]
    pub snapshot_threshold: u64,
    /// §4.2.1: a new server joins as a learner and becomes a voter only once
    /// caught up (on by default; off shows the availability gap).
    #[cfg(feature = "membership")]
    #[serde(skip_serializing_if = "is_true")]
    pub learner_catch_up: bool,
    pub bugs: Bugs,
}

#[cfg(feature = "membership")]
fn is_zero(v: &u64) -> bool {
    *v == 0
}

#[cfg(feature = "membership")]
fn is_true(v: &bool) -> bool {
    *v
}

impl Config {
    /// Whether servers ignore RequestVote while they hear from a leader (§4.2.3).
    pub fn guards_votes(&self) -> bool {
        self.disruption_guard || self.read_mode == ReadMode::Lease
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            max_batch: 16,
            noop_on_election: true,
            backtrack: Backtrack::OneByOne,
            pre_vote: false,
            check_quorum: false,
            read_mode: ReadMode::Log,
            disruption_guard: false,
            #[cfg(feature = "membership")]
            snapshot_threshold: 0,
            #[cfg(feature = "membership")]
            learner_catch_up: true,
            bugs: Bugs::default(),
        }
    }
}

/// A server's log: its full chunks are shared with every copy of it (a
/// crash state, a history checkpoint), see `crate::chunked`.
pub type Log = crate::chunked::Chunked<Entry>;

/// Figure 2 "Persistent state on all servers": survives a crash.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Persistent {
    pub current_term: Term,
    pub voted_for: Option<NodeId>,
    /// The entries after the snapshot: log[0] holds index
    /// `snapshot.last_index + 1` (index 1 without a snapshot).
    pub log: Log,
    /// What replaced the log prefix (ch. 5), if anything has. (The page's
    /// lean modules never compact: not even the field, `src/lean/mod.rs`.)
    #[cfg(feature = "membership")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapshot: Option<Arc<StateSnapshot>>,
}

/// Timers a node asks its driver to (re)arm. The driver picks the duration
/// (randomised election timeouts are the simulator's business, §5.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Timer {
    /// Reset the election timeout (follower heard from a leader / granted a
    /// vote, or candidate starting an election).
    Election,
    /// A leader's next heartbeat / retry round (§5.2: "repeat during idle
    /// periods", Figure 2: "retry indefinitely").
    Heartbeat,
}

/// The result of applying one committed entry to the key-value machine.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applied {
    pub index: Index,
    pub term: Term,
    pub command: Arc<Command>,
    /// For Cas: whether it took effect. Always true for other commands.
    pub ok: bool,
    /// For Get: the value read.
    pub value: Option<String>,
    pub session: Option<Session>,
    /// The session had already applied this command (§6.3): not applied
    /// again; `ok` and `value` are the first copy's result.
    pub duplicate: bool,
}

/// The answer to a read that did not go through the log (§6.4).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadReply {
    /// The id the driver gave the read.
    pub id: u64,
    /// The value, or why there is none: the leader stepped down first.
    pub value: Result<Option<String>, ReadFailed>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReadFailed {
    /// The leader lost office before it could confirm it.
    SteppedDown,
}

/// Everything a node wants done after one input, drained by the caller.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Output {
    pub messages: Vec<Envelope>,
    /// Timers to (re)arm, in order. A timer not listed keeps its deadline.
    pub timers: Vec<Timer>,
    /// Entries applied to the state machine by this step, in log order.
    pub applied: Vec<Applied>,
    /// What the node decided and why, rule by rule, as data (see
    /// [`Note`](super::note::Note)); the page and the CLI render it.
    pub notes: Vec<super::note::Note>,
    /// Reads answered (or failed) outside the log (§6.4).
    pub reads: Vec<ReadReply>,
}

/// A client request sent to a node that is not the leader (§8).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClientError {
    NotLeader { leader_hint: Option<NodeId> },
    /// The leader is handing over to `to` and takes no proposals meanwhile (§3.10).
    Transferring { to: NodeId },
}

/// Why a leadership transfer (§3.10) was not started.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum TransferRefused {
    /// Only a leader can hand over.
    NotLeader,
    /// The target already leads.
    ToSelf,
    /// The target is not a server of this cluster.
    UnknownServer { to: NodeId },
    /// A transfer to `to` is already under way.
    InProgress { to: NodeId },
}
