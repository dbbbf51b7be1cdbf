//! Words for the Raft core's and the simulator's typed data: notes, events,
//! changes, violations, messages, commands and actions, in either language.
//! The page's feed, inspector, safety panel and pseudocode panel and the
//! CLI's trace all render through here; nothing parses English.

use super::{tr, trf, Lang};

/// (key, up to six numbers) for [`trn`]: the arms of `note` and `evaluated`
/// name their template and its numbers, and one call words them.
macro_rules! parts {
    ($k:expr $(, $a:expr)* $(,)?) => {{
        #[allow(unused_mut)]
        let mut v = [0u64; 6];
        let mut _i = 0;
        $( v[_i] = $a as u64; _i += 1; )*
        ($k, v)
    }};
}

/// `trf` for numbers only: `{i}` ← `args[i]`.
fn trn(l: Lang, key: &'static str, args: &[u64; 6]) -> String {
    let mut out = tr(l, key).to_string();
    for (i, a) in args.iter().enumerate() {
        let hole = ['{', (b'0' + i as u8) as char, '}'];
        let hole: String = hole.iter().collect();
        if out.contains(&hole) {
            out = out.replace(&hole, &a.to_string());
        }
    }
    out
}
use crate::raft::{
    AppendEntries, AppendEntriesResponse, Command, Line, Message, NodeId, Note, PreVote, RequestVote, RequestVoteResponse, Role,
    TransferRefused,
};
#[cfg(feature = "membership")]
use crate::raft::{ChangeRefused, ConfigCause, Membership};
use crate::sim::{
    Action, Breach, Change, ClientOutcome, ClientSource, DropReason, Event, TimerKind, Verdict,
    What,
};

/// "S3".
pub fn server(id: NodeId) -> String {
    format!("S{id}")
}

pub fn role_key(r: Role) -> &'static str {
    match r {
        Role::Leader => "raft.role.leader",
        Role::Candidate => "raft.role.candidate",
        Role::Follower => "raft.role.follower",
        Role::PreCandidate => "raft.role.pre_candidate",
    }
}

pub fn drop_reason(l: Lang, r: DropReason) -> &'static str {
    tr(
        l,
        match r {
            DropReason::Loss => "raft.drop.loss",
            DropReason::Partition => "raft.drop.partition",
            DropReason::Cut => "raft.drop.cut",
            DropReason::User => "raft.drop.user",
            DropReason::ReceiverCrashed => "raft.drop.receiver_crashed",
        },
    )
}

pub fn command(l: Lang, c: &Command) -> String {
    match c {
        Command::Noop => tr(l, "raft.cmd.noop").to_string(),
        Command::Set { key, value } => trf(l, "raft.cmd.set", &[key, value]),
        Command::Delete { key } => trf(l, "raft.cmd.delete", &[key]),
        Command::Get { key } => trf(l, "raft.cmd.get", &[key]),
        Command::Append { key, value } => trf(l, "raft.cmd.append", &[key, value]),
        Command::Cas {
            key,
            expected,
            value,
        } => trf(
            l,
            "raft.cmd.cas",
            &[key, &expected.as_deref().unwrap_or("∅"), value],
        ),
        #[cfg(feature = "membership")]
        Command::Config(m) => trf(l, "raft.cmd.config", &[&membership(l, m)]),
    }
}

/// "S1, S2, S3".
#[cfg(feature = "membership")]
fn servers(ids: &[NodeId]) -> String {
    ids.iter().map(|&i| server(i)).collect::<Vec<_>>().join(", ")
}

/// A configuration in words: "voters S1, S2 · learners S4", joint ones
/// with the old voters (§4.3).
#[cfg(feature = "membership")]
pub fn membership(l: Lang, m: &Membership) -> String {
    let mut voters = trf(l, "raft.cfg.voters", &[&servers(&m.voters)]);
    if m.is_joint() {
        voters = trf(l, "raft.cfg.joint", &[&voters, &servers(&m.outgoing)]);
    }
    let mut parts = vec![voters];
    if !m.learners.is_empty() {
        parts.push(trf(l, "raft.cfg.learners", &[&servers(&m.learners)]));
    }
    if let Some(n) = m.catching_up {
        parts.push(trf(l, "raft.cfg.catching_up", &[&n]));
    }
    parts.join(" · ")
}

/// Short name of a message type ("RequestVote", "heartbeat", …).
pub fn msg_kind(l: Lang, m: &Message) -> &'static str {
    tr(
        l,
        match m {
            Message::RequestVote(_) => "raft.msg.rv",
            Message::RequestVoteResponse(RequestVoteResponse {
                vote_granted: true, ..
            }) => "raft.msg.vote_granted",
            Message::RequestVoteResponse(_) => "raft.msg.vote_refused",
            Message::AppendEntries(AppendEntries { entries, .. }) if entries.is_empty() => "raft.msg.heartbeat",
            Message::AppendEntries(_) => "raft.msg.ae",
            Message::AppendEntriesResponse(AppendEntriesResponse { success: true, .. }) => "raft.msg.ae_ok",
            Message::AppendEntriesResponse(_) => "raft.msg.ae_fail",
            Message::PreVote(_) => "raft.msg.pv",
            Message::PreVoteResponse(r) if r.vote_granted => "raft.msg.pv_yes",
            Message::PreVoteResponse(_) => "raft.msg.pv_no",
            Message::TimeoutNow(_) => "raft.msg.tn",
            #[cfg(feature = "membership")]
            Message::InstallSnapshot(_) => "raft.msg.is",
            #[cfg(feature = "membership")]
            Message::InstallSnapshotResponse(_) => "raft.msg.is_ok",
        },
    )
}

/// One-line summary of a message with its key fields.
#[inline(never)]
pub fn msg_summary(l: Lang, m: &Message) -> String {
    match m {
        Message::RequestVote(RequestVote {
            term,
            last_log_index,
            last_log_term,
            ..
        }) => trf(l, "raft.msgsum.rv", &[term, last_log_index, last_log_term]),
        Message::RequestVoteResponse(RequestVoteResponse { term, .. }) => {
            trf(l, "raft.msgsum.reply", &[&msg_kind(l, m), term])
        }
        Message::AppendEntries(AppendEntries {
            term,
            prev_log_index,
            prev_log_term,
            entries,
            leader_commit,
            ..
        }) => {
            if entries.is_empty() {
                trf(
                    l,
                    "raft.msgsum.hb",
                    &[term, prev_log_index, prev_log_term, leader_commit],
                )
            } else {
                trf(
                    l,
                    "raft.msgsum.ae",
                    &[
                        &entries.len(),
                        term,
                        prev_log_index,
                        prev_log_term,
                        leader_commit,
                    ],
                )
            }
        }
        Message::AppendEntriesResponse(AppendEntriesResponse {
            term,
            success,
            match_index,
            ..
        }) => {
            if *success {
                trf(l, "raft.msgsum.ae_ok", &[match_index, term])
            } else {
                trf(l, "raft.msgsum.ae_fail", &[term])
            }
        }
        Message::PreVote(PreVote { term, last_log_index, last_log_term, .. }) => {
            trf(l, "raft.msgsum.pv", &[term, last_log_index, last_log_term])
        }
        Message::PreVoteResponse(r) => trf(l, "raft.msgsum.reply", &[&msg_kind(l, m), &r.term]),
        Message::TimeoutNow(t) => trf(l, "raft.msgsum.tn", &[&t.term]),
        #[cfg(feature = "membership")]
        Message::InstallSnapshot(m) => {
            trf(l, "raft.msgsum.is", &[&m.term, &m.snapshot.last_index, &m.snapshot.last_term])
        }
        #[cfg(feature = "membership")]
        Message::InstallSnapshotResponse(r) => trf(l, "raft.msgsum.is_ok", &[&r.term, &r.match_index]),
    }
}

#[inline(never)]
pub fn action(l: Lang, a: &Action) -> String {
    let groups = |gs: &Vec<Vec<u8>>| {
        gs.iter()
            .map(|g| {
                format!(
                    "{{{}}}",
                    g.iter().map(|&n| server(n)).collect::<Vec<_>>().join(",")
                )
            })
            .collect::<Vec<_>>()
            .join(" | ")
    };
    match a {
        Action::Crash { node } => trf(l, "raft.act.crash", &[node]),
        Action::CrashLeader => tr(l, "raft.act.crash_leader").to_string(),
        Action::IsolateLeader => tr(l, "raft.act.isolate_leader").to_string(),
        Action::Restart { node } => trf(l, "raft.act.restart", &[node]),
        Action::Timeout { node } => trf(l, "raft.act.timeout", &[node]),
        Action::Heartbeat { node } => trf(l, "raft.act.heartbeat", &[node]),
        Action::ClientRequest { node, command: c } => {
            trf(l, "raft.act.client", &[node, &command(l, c)])
        }
        Action::Partition { groups: g } => trf(l, "raft.act.partition", &[&groups(g)]),
        Action::Isolate { node } => trf(l, "raft.act.isolate", &[node]),
        Action::Heal => tr(l, "raft.act.heal").to_string(),
        Action::CutLink { from, to } => trf(l, "raft.act.cut", &[from, to]),
        Action::RestoreLink { from, to } => trf(l, "raft.act.restore", &[from, to]),
        Action::DropMessage { id } => trf(l, "raft.act.drop", &[id]),
        Action::SetNetwork { .. } => tr(l, "raft.act.network").to_string(),
        Action::SetTiming { .. } => tr(l, "raft.act.timing").to_string(),
        Action::SetClientLoad { load: Some(x) } => trf(l, "raft.act.load_on", &[&x.interval_ms]),
        Action::SetClientLoad { load: None } => tr(l, "raft.act.load_off").to_string(),
        Action::SetFollowRedirects { on: true } => tr(l, "raft.act.redirects_on").to_string(),
        Action::SetFollowRedirects { on: false } => tr(l, "raft.act.redirects_off").to_string(),
        Action::TransferLeadership { to } => trf(l, "raft.act.transfer", &[to]),
        Action::SetRaft { pre_vote, check_quorum, read_mode, disruption_guard, .. } => {
            // Protocol names, the same in every language: "PreVote ✓ CheckQuorum ✗".
            let mark = |name: &str, v: &Option<bool>| v.map(|on| format!("{name} {}", if on { '✓' } else { '✗' }));
            let mode = read_mode.map(|m| format!("reads: {}", crate::raft::ReadMode::NAMES[m as usize]));
            #[allow(unused_mut)]
            let mut what: Vec<String> = [mark("PreVote", pre_vote), mark("CheckQuorum", check_quorum), mode, mark("vote guard", disruption_guard)]
                .into_iter()
                .flatten()
                .collect();
            #[cfg(feature = "membership")]
            if let Action::SetRaft { snapshot_threshold, learner_catch_up, .. } = a {
                what.extend(snapshot_threshold.map(|t| format!("snapshots: {t}")));
                what.extend(mark("catch-up", learner_catch_up));
            }
            trf(l, "raft.act.set_raft", &[&what.join(" ")])
        }
        Action::SetClockDrift { node, rate } => {
            trf(l, "raft.act.drift", &[node, &crate::num::short(*rate)])
        }
        #[cfg(feature = "membership")]
        Action::AddServer { node } => trf(l, "raft.act.add_server", &[node]),
        #[cfg(feature = "membership")]
        Action::RemoveServer { node } => trf(l, "raft.act.remove_server", &[node]),
        #[cfg(feature = "membership")]
        Action::ChangeConfig { voters, learners } => {
            let m = Membership { voters: voters.clone(), learners: learners.clone(), ..Membership::default() };
            trf(l, "raft.act.change_config", &[&membership(l, &m)])
        }
        #[cfg(feature = "schedule")]
        Action::Manual { on } => tr(l, if *on { "raft.act.manual_on" } else { "raft.act.manual_off" }).to_string(),
        // A step that happened is its own event; one in the feed as an
        // action was not enabled when it came due.
        #[cfg(feature = "schedule")]
        Action::Take { step: s } => trf(l, "raft.act.take_refused", &[&step(l, s, None)]),
    }
}

/// A message kind as schedules name it (`m`, the message itself when it is
/// at hand, names a reply by its answer: "vote granted").
#[cfg(feature = "schedule")]
fn kind_name(l: Lang, k: crate::sim::schedule::MessageKind, m: Option<&Message>) -> String {
    use crate::sim::schedule::MessageKind as K;
    if let Some(m) = m {
        return msg_kind(l, m).to_string();
    }
    tr(
        l,
        match k {
            K::RequestVote => "raft.msg.rv",
            K::RequestVoteResponse => "raft.kind.rv_reply",
            K::AppendEntries => "raft.msg.ae",
            K::AppendEntriesResponse => "raft.kind.ae_reply",
            K::PreVote => "raft.msg.pv",
            K::PreVoteResponse => "raft.kind.pv_reply",
            K::TimeoutNow => "raft.msg.tn",
            K::InstallSnapshot => "raft.msg.is",
            K::InstallSnapshotResponse => "raft.msg.is_ok",
        },
    )
    .to_string()
}

/// One event of a schedule, as a person chooses it ("deliver RequestVote
/// S1 → S2 (#1)"); `m` is the message a delivery names, when at hand.
#[cfg(feature = "schedule")]
#[inline(never)]
pub fn step(l: Lang, s: &crate::sim::schedule::Step, m: Option<&Message>) -> String {
    use crate::sim::schedule::Step;
    use crate::sim::TimerKind;
    let msg = |key: &'static str, r: &crate::sim::schedule::MessageRef| trf(l, key, &[&kind_name(l, r.kind, m), &r.from, &r.to, &r.seq]);
    match s {
        Step::Deliver(r) => msg("raft.step.deliver", r),
        Step::Drop(r) => msg("raft.step.drop", r),
        Step::Duplicate(r) => msg("raft.step.duplicate", r),
        Step::Timeout { node, timer: TimerKind::Election } => trf(l, "raft.step.election", &[node]),
        Step::Timeout { node, timer: TimerKind::Heartbeat } => trf(l, "raft.step.heartbeat", &[node]),
        Step::Crash { node } => trf(l, "raft.step.crash", &[node]),
        Step::Restart { node } => trf(l, "raft.step.restart", &[node]),
        Step::Request { node, command: c } => trf(l, "raft.step.request", &[node, &command(l, c)]),
        Step::AddServer { leader, node } => trf(l, "raft.step.add_server", &[leader, node]),
        Step::RemoveServer { leader, node } => trf(l, "raft.step.remove_server", &[leader, node]),
    }
}

/// What a node decided, as one clause for the feed.
#[inline(never)]
pub fn note(l: Lang, n: &Note) -> String {
    let (key, v) = match *n {
        Note::NewerTerm {
            from,
            term,
            was: Role::Follower,
            ..
        } => parts!("raft.note.moved_term", term, from),
        Note::NewerTerm { from, term, .. } => parts!("raft.note.step_down_term", from, term),
        Note::ElectionStarted { term, .. } => parts!("raft.note.started_election", term),
        Note::VoteRequestsResent { count, .. } => parts!("raft.note.resent_votes", count),
        Note::VoteRefusedStaleTerm {
            candidate,
            term,
            current_term,
        } => {
            parts!("raft.note.refused_old_term", candidate, term, current_term)
        }
        Note::VoteRefusedAlreadyVoted {
            candidate,
            term,
            voted_for,
        } => {
            parts!("raft.note.refused_voted", candidate, voted_for, term)
        }
        Note::VoteRefusedLogBehind {
            candidate,
            last_term,
            last_index,
            own_last_term,
            own_last_index,
        } => parts!(
            "raft.note.refused_log",
            candidate,
            last_term,
            last_index,
            own_last_term,
            own_last_index
        ),
        Note::VoteGranted {
            candidate,
            term,
            log_check_skipped: true,
            ..
        } => {
            parts!("raft.note.granted_unchecked", candidate, term)
        }
        Note::VoteGranted {
            candidate, term, ..
        } => parts!("raft.note.granted", candidate, term),
        Note::VoteReceived {
            from,
            votes,
            needed,
        } => parts!("raft.note.got_vote", from, votes, needed),
        Note::BecameLeader {
            term,
            votes,
            needed,
        } => parts!("raft.note.became_leader", term, votes, needed),
        Note::NoopAppended { index, .. } => parts!("raft.note.appended_noop", index),
        Note::ClientEntryAppended { index, term } => {
            parts!("raft.note.appended_index", index, term)
        }
        Note::HeartbeatRound { peers, .. } => parts!("raft.note.heartbeat_round", peers),
        Note::AppendRejectedStaleTerm {
            leader,
            term,
            current_term,
        } => {
            parts!("raft.note.ae_rej_old", leader, term, current_term)
        }
        Note::AppendRejectedSecondLeader { leader, term } => {
            parts!("raft.note.ae_rej_leader", leader, term)
        }
        Note::CandidateYields { leader, term } => {
            parts!("raft.note.step_down_leader", leader, term)
        }
        Note::AppendRejectedMissingEntry {
            leader,
            prev_log_index,
            last_index,
            ..
        } => {
            parts!(
                "raft.note.ae_rej_missing",
                leader,
                prev_log_index,
                last_index
            )
        }
        Note::AppendRejectedTermMismatch {
            leader,
            prev_log_index,
            prev_log_term,
            found_term,
        } => {
            parts!(
                "raft.note.ae_rej_term",
                leader,
                prev_log_index,
                found_term,
                prev_log_term
            )
        }
        Note::AppendAccepted {
            leader,
            check_skipped: true,
            ..
        } => parts!("raft.note.ae_unchecked", leader),
        Note::AppendAccepted {
            leader,
            prev_log_index,
            prev_log_term,
            ..
        } => {
            parts!("raft.note.ae_match", leader, prev_log_index, prev_log_term)
        }
        Note::EntriesTruncated {
            from_index,
            removed,
        } => parts!("raft.note.deleted", from_index, removed),
        Note::EntriesAppended {
            leader,
            count,
            last_index,
        } => {
            parts!("raft.note.appended_n", count, leader, last_index)
        }
        Note::FollowerCommitted {
            to,
            leader_commit,
            last_new,
            ..
        } => {
            parts!("raft.note.follower_committed", to, leader_commit, last_new)
        }
        Note::FollowerMatched {
            follower,
            match_index,
            ..
        } => parts!("raft.note.matched", follower, match_index),
        Note::NextIndexBackedUp {
            follower, from, to, ..
        } => parts!("raft.note.retrying", follower, from, to),
        Note::LeaderCommitted {
            to,
            replicas,
            needed,
            entry_term,
            term,
            ..
        } if entry_term != term => {
            parts!(
                "raft.note.committed_old",
                to,
                replicas,
                needed,
                entry_term,
                term
            )
        }
        Note::LeaderCommitted {
            to,
            replicas,
            needed,
            ..
        } => parts!("raft.note.committed", to, replicas, needed),
        Note::Applied { from, to } => parts!("raft.note.applied", from, to),
        Note::PreVoteStarted { term, .. } => parts!("raft.note.pv_started", term),
        Note::PreVoteRefusedStaleTerm { candidate, term, current_term } => {
            parts!("raft.note.pv_refused_term", candidate, term, current_term)
        }
        Note::PreVoteRefusedLeaderAlive { candidate, leader } => {
            parts!("raft.note.pv_refused_leader", candidate, leader.unwrap_or(0))
        }
        Note::PreVoteRefusedLogBehind { candidate, last_term, last_index, own_last_term, own_last_index } => {
            parts!("raft.note.pv_refused_log", candidate, last_term, last_index, own_last_term, own_last_index)
        }
        Note::PreVoteGranted { candidate, term, .. } => parts!("raft.note.pv_granted", candidate, term),
        Note::PreVoteReceived { from, votes, needed } => parts!("raft.note.pv_got", from, votes, needed),
        Note::PreVoteWon { term, votes, needed } => parts!("raft.note.pv_won", votes, needed, term),
        Note::TransferStarted { to, match_index, last_index, .. } => {
            parts!("raft.note.transfer", to, match_index, last_index)
        }
        Note::TimeoutNowSent { to, .. } => parts!("raft.note.tn_sent", to),
        Note::TimeoutNowReceived { from, .. } => parts!("raft.note.tn_got", from),
        Note::TransferAborted { to, .. } => parts!("raft.note.transfer_aborted", to),
        Note::CheckQuorumPassed { active, needed, .. } => parts!("raft.note.cq_ok", active, needed),
        Note::CheckQuorumFailed { active, needed, .. } => parts!("raft.note.cq_failed", active, needed),
        Note::VoteIgnoredLeaderContact { candidate, term } => parts!("raft.note.vote_ignored", candidate, term),
        Note::DuplicateSkipped { index, client, seq } => parts!("raft.note.duplicate", index, client, seq),
        Note::ReadIndexRecorded { id, read_index, .. } => parts!("raft.note.read_index", id, read_index),
        Note::ReadConfirmed { id, needed, .. } => parts!("raft.note.read_confirmed", id, needed),
        Note::ReadAnswered { id, lease: true, .. } => parts!("raft.note.read_lease", id),
        Note::ReadAnswered { id, read_index, unconfirmed: true, .. } => parts!("raft.note.read_unconfirmed", id, read_index),
        Note::ReadAnswered { id, read_index, .. } => parts!("raft.note.read_answered", id, read_index),
        Note::LeaseUnavailable { id } => parts!("raft.note.no_lease", id),
        Note::ReadsFailed { count } => parts!("raft.note.reads_failed", count),
        #[cfg(feature = "membership")]
        Note::NotVoterNoElection { learner: true, .. } => parts!("raft.note.learner"),
        #[cfg(feature = "membership")]
        Note::NotVoterNoElection { .. } => parts!("raft.note.not_voter"),
        #[cfg(feature = "membership")]
        Note::ConfigAppended { index, voters, learners, outgoing, cause, .. } => {
            return match cause {
                ConfigCause::Requested => {
                    let m = Membership { voters: voters.ids(), learners: learners.ids(), outgoing: outgoing.ids(), catching_up: None };
                    trf(l, "raft.note.config", &[&index, &membership(l, &m)])
                }
                ConfigCause::Promotion => {
                    let joined = voters.ids().last().copied().unwrap_or(0);
                    trn(l, "raft.note.config_promote", &parts!("", index, joined).1)
                }
                ConfigCause::LeaveJoint => trn(l, "raft.note.config_leave_joint", &parts!("", index).1),
            }
        }
        #[cfg(feature = "membership")]
        Note::CatchUpRound { node, round, ticks, limit, promote: true } => {
            parts!("raft.note.catch_up_done", node, round, ticks, limit)
        }
        #[cfg(feature = "membership")]
        Note::CatchUpRound { node, round, ticks, limit, .. } => parts!("raft.note.catch_up", node, round, ticks, limit),
        #[cfg(feature = "membership")]
        Note::LeaderRemovedStepsDown { index, .. } => parts!("raft.note.removed_step_down", index),
        #[cfg(feature = "membership")]
        Note::SnapshotTaken { last_index, last_term, discarded } => {
            parts!("raft.note.snapshot_taken", last_index, last_term, discarded)
        }
        #[cfg(feature = "membership")]
        Note::SnapshotSent { to, last_index, .. } => parts!("raft.note.snapshot_sent", to, last_index),
        #[cfg(feature = "membership")]
        Note::SnapshotRejectedStaleTerm { leader, term, current_term } => {
            parts!("raft.note.snapshot_stale", leader, term, current_term)
        }
        #[cfg(feature = "membership")]
        Note::SnapshotIgnored { leader, last_index, commit_index } => {
            parts!("raft.note.snapshot_ignored", leader, last_index, commit_index)
        }
        #[cfg(feature = "membership")]
        Note::SnapshotInstalled { leader, last_index, last_term, kept } => {
            parts!("raft.note.snapshot_installed", leader, last_index, last_term, kept)
        }
        #[cfg(not(feature = "membership"))]
        _ => parts!(""),
    };
    trn(l, key, &v)
}

/// The values a pseudocode line compared when `n` ran it ("term 3 <
/// currentTerm 4 → false").
#[inline(never)]
pub fn evaluated(l: Lang, n: &Note, line: Line) -> String {
    use Line::*;
    let (key, v) = match (*n, line) {
        (Note::NewerTerm { term, old_term, .. }, _) => {
            parts!("raft.pc.v.newer_term", term, old_term)
        }
        (Note::ElectionStarted { term, .. }, CandStart) => parts!("raft.pc.v.start", term),
        (Note::ElectionStarted { term, .. }, PvMajority) => parts!("raft.pc.v.pv_stand", term),
        (Note::ElectionStarted { .. }, _) => parts!("raft.pc.v.timeout"),
        (Note::VoteRequestsResent { count, .. }, _) => parts!("raft.pc.v.resent", count),
        (
            Note::VoteRefusedStaleTerm {
                term, current_term, ..
            },
            _,
        )
        | (
            Note::AppendRejectedStaleTerm {
                term, current_term, ..
            },
            _,
        ) => {
            parts!("raft.pc.v.stale", term, current_term)
        }
        (Note::VoteRefusedAlreadyVoted { term, .. }, RvStaleTerm) => {
            parts!("raft.pc.v.term_ok", term)
        }
        (
            Note::VoteRefusedAlreadyVoted {
                candidate,
                voted_for,
                ..
            },
            _,
        ) => {
            parts!("raft.pc.v.voted_other", voted_for, candidate)
        }
        (Note::VoteRefusedLogBehind { .. }, RvStaleTerm)
        | (Note::VoteGranted { .. }, RvStaleTerm) => {
            parts!("raft.pc.v.term_same")
        }
        (Note::VoteRefusedLogBehind { candidate, .. }, RvVotedFor)
        | (Note::VoteGranted { candidate, .. }, RvVotedFor) => {
            parts!("raft.pc.v.voted_free", candidate)
        }
        (
            Note::VoteRefusedLogBehind {
                last_term,
                last_index,
                own_last_term,
                own_last_index,
                ..
            },
            _,
        ) => {
            parts!(
                "raft.pc.v.log_behind",
                last_term,
                last_index,
                own_last_term,
                own_last_index
            )
        }
        (
            Note::VoteGranted {
                log_check_skipped: true,
                ..
            },
            _,
        ) => parts!("raft.pc.v.unchecked_grant"),
        (
            Note::VoteGranted {
                last_term,
                last_index,
                own_last_term,
                own_last_index,
                ..
            },
            _,
        ) => {
            parts!(
                "raft.pc.v.log_ok",
                last_term,
                last_index,
                own_last_term,
                own_last_index
            )
        }
        (Note::VoteReceived { votes, needed, .. }, _) => parts!("raft.pc.v.votes", votes, needed),
        (Note::BecameLeader { votes, needed, .. }, CandMajority) => {
            parts!("raft.pc.v.majority", votes, needed)
        }
        (Note::BecameLeader { .. }, _) => parts!("raft.pc.v.first_heartbeats"),
        (Note::NoopAppended { index, term }, _) => parts!("raft.pc.v.noop", index, term),
        (Note::ClientEntryAppended { index, term }, LeadClient) => {
            parts!("raft.pc.v.client", index, term)
        }
        (Note::ClientEntryAppended { index, .. }, _) => parts!("raft.pc.v.send_new", index),
        (Note::HeartbeatRound { peers, .. }, _) => parts!("raft.pc.v.round", peers),
        (Note::AppendRejectedSecondLeader { term, .. }, _) => {
            parts!("raft.pc.v.second_leader", term)
        }
        (Note::CandidateYields { leader, term }, _) => parts!("raft.pc.v.yield", leader, term),
        (Note::AppendRejectedMissingEntry { .. }, AeStaleTerm)
        | (Note::AppendRejectedTermMismatch { .. }, AeStaleTerm) => parts!("raft.pc.v.term_same"),
        (Note::AppendAccepted { term, .. }, AeStaleTerm) => parts!("raft.pc.v.term_ok", term),
        (
            Note::AppendRejectedMissingEntry {
                prev_log_index,
                last_index,
                ..
            },
            _,
        ) => {
            parts!("raft.pc.v.missing", last_index, prev_log_index)
        }
        (
            Note::AppendRejectedTermMismatch {
                prev_log_index,
                prev_log_term,
                found_term,
                ..
            },
            _,
        ) => {
            parts!(
                "raft.pc.v.mismatch",
                prev_log_index,
                found_term,
                prev_log_term
            )
        }
        (
            Note::AppendAccepted {
                check_skipped: true,
                ..
            },
            _,
        ) => parts!("raft.pc.v.unchecked"),
        (
            Note::AppendAccepted {
                prev_log_index,
                prev_log_term,
                ..
            },
            _,
        ) => {
            parts!("raft.pc.v.prev_ok", prev_log_index, prev_log_term)
        }
        (
            Note::EntriesTruncated {
                from_index,
                removed,
            },
            _,
        ) => parts!("raft.pc.v.truncated", from_index, removed),
        (
            Note::EntriesAppended {
                count, last_index, ..
            },
            _,
        ) => parts!("raft.pc.v.appended", count, last_index),
        (
            Note::FollowerCommitted {
                from,
                to,
                leader_commit,
                last_new,
            },
            _,
        ) => {
            parts!(
                "raft.pc.v.follower_commit",
                leader_commit,
                from,
                last_new,
                to
            )
        }
        (
            Note::FollowerMatched {
                follower,
                match_index,
                next_index,
            },
            _,
        ) => {
            parts!("raft.pc.v.matched", follower, match_index, next_index)
        }
        (
            Note::NextIndexBackedUp {
                follower, from, to, ..
            },
            _,
        ) => parts!("raft.pc.v.backed_up", follower, from, to),
        (
            Note::LeaderCommitted {
                to,
                replicas,
                needed,
                entry_term,
                term,
                ..
            },
            _,
        ) => parts!(
            if entry_term == term {
                "raft.pc.v.commit"
            } else {
                "raft.pc.v.commit_old"
            },
            to,
            replicas,
            needed,
            entry_term,
            term
        ),
        (Note::Applied { from, to }, _) => parts!("raft.pc.v.applied", from, to),
        (Note::PreVoteStarted { term, .. }, _) => parts!("raft.pc.v.pv_ask", term),
        (Note::PreVoteRefusedStaleTerm { term, current_term, .. }, _) => {
            parts!("raft.pc.v.pv_stale", term, current_term)
        }
        (Note::PreVoteRefusedLeaderAlive { leader, .. }, _) => parts!("raft.pc.v.pv_leader", leader.unwrap_or(0)),
        (Note::PreVoteRefusedLogBehind { .. }, PvStaleTerm) | (Note::PreVoteGranted { .. }, PvStaleTerm) => {
            parts!("raft.pc.v.pv_later")
        }
        (Note::PreVoteRefusedLogBehind { .. }, PvLeaderAlive) | (Note::PreVoteGranted { .. }, PvLeaderAlive) => {
            parts!("raft.pc.v.pv_no_leader")
        }
        (Note::PreVoteRefusedLogBehind { last_term, last_index, own_last_term, own_last_index, .. }, _) => {
            parts!("raft.pc.v.log_behind", last_term, last_index, own_last_term, own_last_index)
        }
        (Note::PreVoteGranted { last_term, last_index, own_last_term, own_last_index, .. }, _) => {
            parts!("raft.pc.v.pv_ok", last_term, last_index, own_last_term, own_last_index)
        }
        (Note::PreVoteReceived { votes, needed, .. }, _) => parts!("raft.pc.v.votes", votes, needed),
        (Note::PreVoteWon { votes, needed, .. }, _) => parts!("raft.pc.v.pv_won", votes, needed),
        (Note::TransferStarted { to, match_index, last_index, .. }, _) => {
            parts!("raft.pc.v.transfer", to, match_index, last_index)
        }
        (Note::TimeoutNowSent { to, .. }, _) => parts!("raft.pc.v.tn_sent", to),
        (Note::TimeoutNowReceived { from, term }, _) => parts!("raft.pc.v.tn_got", from, term),
        (Note::TransferAborted { to, .. }, _) => parts!("raft.pc.v.transfer_aborted", to),
        (Note::CheckQuorumPassed { active, needed, .. }, _) => parts!("raft.pc.v.cq_ok", active, needed),
        (Note::CheckQuorumFailed { active, needed, .. }, _) => parts!("raft.pc.v.cq_failed", active, needed),
        (Note::VoteIgnoredLeaderContact { term, .. }, _) => parts!("raft.pc.v.vote_ignored", term),
        (Note::DuplicateSkipped { client, seq, .. }, AllDedup) => parts!("raft.pc.v.duplicate", client, seq),
        (Note::DuplicateSkipped { index, .. }, _) => parts!("raft.pc.v.applied", index, index),
        (Note::ReadIndexRecorded { read_index, round, .. }, _) => parts!("raft.pc.v.read_index", read_index, round),
        (Note::ReadConfirmed { round, needed, .. }, _) => parts!("raft.pc.v.read_confirmed", round, needed),
        (Note::ReadAnswered { read_index, .. }, _) => parts!("raft.pc.v.read_answered", read_index),
        (Note::LeaseUnavailable { .. }, _) => parts!("raft.pc.v.no_lease"),
        (Note::ReadsFailed { count }, _) => parts!("raft.pc.v.reads_failed", count),
        #[cfg(feature = "membership")]
        (Note::NotVoterNoElection { .. }, _) => parts!("raft.pc.v.not_voter"),
        #[cfg(feature = "membership")]
        (Note::ConfigAppended { index, .. }, _) => parts!("raft.pc.v.config", index),
        #[cfg(feature = "membership")]
        (Note::CatchUpRound { round, ticks, limit, .. }, _) => parts!("raft.pc.v.catch_up", round, ticks, limit),
        #[cfg(feature = "membership")]
        (Note::LeaderRemovedStepsDown { index, .. }, _) => parts!("raft.pc.v.step_down", index),
        #[cfg(feature = "membership")]
        (Note::SnapshotTaken { last_index, last_term, .. }, _)
        | (Note::SnapshotSent { last_index, last_term, .. }, _)
        | (Note::SnapshotInstalled { last_index, last_term, .. }, SnapLoad) => {
            parts!("raft.pc.v.snapshot", last_index, last_term)
        }
        #[cfg(feature = "membership")]
        (Note::SnapshotInstalled { kept, .. }, _) => parts!("raft.pc.v.snapshot_kept", kept),
        #[cfg(feature = "membership")]
        (Note::SnapshotRejectedStaleTerm { term, current_term, .. }, _) => {
            parts!("raft.pc.v.snapshot_stale", term, current_term)
        }
        #[cfg(feature = "membership")]
        (Note::SnapshotIgnored { last_index, commit_index, .. }, _) => {
            parts!("raft.pc.v.snapshot_ignored", last_index, commit_index)
        }
        #[cfg(not(feature = "membership"))]
        _ => parts!(""),
    };
    trn(l, key, &v)
}

/// The i18n key of a pseudocode line's text.
pub fn line_key(line: Line) -> &'static str {
    use Line::*;
    match line {
        RvStaleTerm => "raft.pc.rv.1",
        RvVotedFor => "raft.pc.rv.2",
        RvUpToDate => "raft.pc.rv.3",
        AeStaleTerm => "raft.pc.ae.1",
        AePrevLog => "raft.pc.ae.2",
        AeConflict => "raft.pc.ae.3",
        AeAppend => "raft.pc.ae.4",
        AeCommit => "raft.pc.ae.5",
        AllApply => "raft.pc.all.1",
        AllNewerTerm => "raft.pc.all.2",
        FolTimeout => "raft.pc.fol.1",
        CandStart => "raft.pc.cand.1",
        CandMajority => "raft.pc.cand.2",
        CandNewLeader => "raft.pc.cand.3",
        CandTimeout => "raft.pc.cand.4",
        LeadHeartbeat => "raft.pc.lead.1",
        LeadClient => "raft.pc.lead.2",
        LeadSend => "raft.pc.lead.3",
        LeadSuccess => "raft.pc.lead.4",
        LeadBackUp => "raft.pc.lead.5",
        LeadCommit => "raft.pc.lead.6",
        PvStart => "raft.pc.pv.1",
        PvMajority => "raft.pc.pv.2",
        PvStaleTerm => "raft.pc.pv.3",
        PvLeaderAlive => "raft.pc.pv.4",
        PvUpToDate => "raft.pc.pv.5",
        LeadCheckQuorum => "raft.pc.ext.1",
        TransferStart => "raft.pc.ext.2",
        TransferTimeoutNow => "raft.pc.ext.3",
        TransferAbort => "raft.pc.ext.4",
        TimeoutNowCampaign => "raft.pc.ext.5",
        RvLeaderContact => "raft.pc.rd.1",
        AllDedup => "raft.pc.rd.2",
        ReadRecord => "raft.pc.rd.3",
        ReadConfirm => "raft.pc.rd.4",
        ReadAnswer => "raft.pc.rd.5",
        ReadLease => "raft.pc.rd.6",
        CfgOneAtATime => "raft.pc.cfg.1",
        CfgAppend => "raft.pc.cfg.2",
        CfgCatchUp => "raft.pc.cfg.3",
        CfgLeaveJoint => "raft.pc.cfg.4",
        CfgStepDown => "raft.pc.cfg.5",
        CfgNoElection => "raft.pc.cfg.6",
        SnapTake => "raft.pc.snap.1",
        SnapSend => "raft.pc.snap.2",
        SnapStaleTerm => "raft.pc.snap.3",
        SnapRetain => "raft.pc.snap.4",
        SnapLoad => "raft.pc.snap.5",
    }
}

fn who(l: Lang, s: ClientSource) -> &'static str {
    tr(
        l,
        match s {
            ClientSource::User => "raft.ev.client",
            ClientSource::Load => "raft.ev.client_load",
            ClientSource::Redirected => "raft.ev.client_redirected",
            ClientSource::Retry => "raft.ev.client_retry",
        },
    )
}

/// The headline of an event (without its changes and notes).
#[inline(never)]
pub fn event_head(l: Lang, ev: &Event) -> String {
    let msg = ev.message.as_ref();
    match &ev.what {
        What::Delivered { verdict } => {
            let Some(m) = msg else {
                return tr(l, "raft.ev.delivered_plain").to_string();
            };
            let head = trf(
                l,
                "raft.ev.delivered",
                &[&m.from, &m.to, &msg_summary(l, &m.msg)],
            );
            match verdict {
                None => head,
                Some(v) => {
                    let key = match v {
                        Verdict::Accepted => "raft.verdict.accepted",
                        Verdict::Rejected => "raft.verdict.rejected",
                        Verdict::VoteGranted => "raft.msg.vote_granted",
                        Verdict::VoteRefused => "raft.msg.vote_refused",
                        Verdict::PreVoteGranted => "raft.msg.pv_yes",
                        Verdict::PreVoteRefused => "raft.msg.pv_no",
                    };
                    trf(l, "raft.ev.verdict", &[&head, &tr(l, key)])
                }
            }
        }
        What::Lost => match msg {
            Some(m) => trf(
                l,
                "raft.ev.lost",
                &[
                    &m.id,
                    &m.from,
                    &m.to,
                    &drop_reason(l, m.drop_reason.unwrap_or(DropReason::Loss)),
                    &msg_summary(l, &m.msg),
                ],
            ),
            None => tr(l, "raft.ev.lost_plain").to_string(),
        },
        What::Dropped { id } => match msg {
            Some(m) => trf(
                l,
                "raft.ev.dropped",
                &[id, &m.from, &m.to, &msg_summary(l, &m.msg)],
            ),
            None => trf(l, "raft.act.drop", &[id]),
        },
        What::NotInFlight { id } => trf(l, "raft.ev.not_in_flight", &[id]),
        // Worded from existing pieces (no new text to translate): "#3 → #7 duplicate: …".
        What::Duplicated { id, copy } => {
            let head = format!("#{id} → #{copy} {}", tr(l, "raft.f.duplicate"));
            match msg {
                Some(m) => trf(l, "raft.ev.verdict", &[&head, &msg_summary(l, &m.msg)]),
                None => head,
            }
        }
        What::Timer {
            timer: TimerKind::Election,
            forced,
            started,
            ..
        } => {
            let node = ev.node.unwrap_or(0);
            match (forced, started) {
                (false, Some(t)) => trf(l, "raft.ev.timeout_started", &[&node, t]),
                (true, Some(t)) => trf(l, "raft.ev.forced_started", &[&node, t]),
                (false, None) => trf(l, "raft.ev.timeout_none", &[&node]),
                (true, None) => trf(l, "raft.ev.forced_none", &[&node]),
            }
        }
        What::Timer {
            timer: TimerKind::Heartbeat,
            forced,
            role,
            term,
            ..
        } => {
            let node = ev.node.unwrap_or(0);
            let key = match role {
                Role::Leader => "raft.ev.hb_leader",
                Role::Candidate | Role::PreCandidate => "raft.ev.hb_candidate",
                Role::Follower => "raft.ev.hb_follower",
            };
            let s = trf(l, key, &[&node, term]);
            if *forced {
                trf(l, "raft.ev.forced_suffix", &[&s])
            } else {
                s
            }
        }
        What::TimerOnDownServer { timer, node } => trf(
            l,
            match timer {
                TimerKind::Election => "raft.ev.down_timeout",
                TimerKind::Heartbeat => "raft.ev.down_heartbeat",
            },
            &[node],
        ),
        What::Client {
            source,
            node,
            command: c,
            outcome,
        } => {
            let (who, label) = (who(l, *source), command(l, c));
            match outcome {
                ClientOutcome::Appended { index, term } => {
                    trf(l, "raft.ev.client_ok", &[&who, node, &label, index, term])
                }
                ClientOutcome::Down => trf(l, "raft.ev.client_down", &[&who, node, &label]),
                ClientOutcome::Reading => trf(l, "raft.ev.client_reading", &[&who, node, &label]),
                ClientOutcome::Transferring { to } => {
                    trf(l, "raft.ev.client_transferring", &[&who, node, &label, to])
                }
                ClientOutcome::NotLeader { hint, follows } => {
                    let mut s = match hint {
                        Some(h) => trf(l, "raft.ev.client_redirect", &[&who, node, &label, h]),
                        None => trf(l, "raft.ev.client_refused", &[&who, node, &label]),
                    };
                    if let (true, Some(h)) = (follows, hint) {
                        s.push_str(&trf(l, "raft.ev.client_follows", &[h]));
                    }
                    s
                }
            }
        }
        What::ClientTimeout { op, command: c, tries, retry } => trf(
            l,
            if *retry { "raft.ev.client_timeout_retry" } else { "raft.ev.client_timeout" },
            &[op, &command(l, c), tries],
        ),
        What::ClientNoLeader { command: c } => {
            trf(l, "raft.ev.client_no_leader", &[&command(l, c)])
        }
        What::NoLeader {
            action: Action::IsolateLeader,
        } => tr(l, "raft.ev.no_leader_isolate").to_string(),
        What::NoLeader { .. } => tr(l, "raft.ev.no_leader_crash").to_string(),
        What::Crashed {
            node,
            term,
            voted_for,
            log_len,
        } => {
            let vote = voted_for.map_or_else(|| tr(l, "raft.nobody").to_string(), server);
            trf(l, "raft.ev.crashed", &[node, term, &vote, log_len])
        }
        What::AlreadyDown { node } => trf(l, "raft.ev.already_down", &[node]),
        What::AlreadyRunning { node } => trf(l, "raft.ev.already_running", &[node]),
        What::Invalid { action: a } => trf(l, "raft.ev.invalid", &[&action(l, a)]),
        What::Applied { action: a } => action(l, a),
        What::TransferRefused { to, leader, reason } => {
            let why = match reason {
                TransferRefused::NotLeader => tr(l, "raft.transfer.not_leader").to_string(),
                TransferRefused::ToSelf => tr(l, "raft.transfer.to_self").to_string(),
                TransferRefused::UnknownServer { .. } => tr(l, "raft.transfer.unknown").to_string(),
                TransferRefused::InProgress { to } => trf(l, "raft.transfer.in_progress", &[to]),
            };
            trf(l, "raft.ev.transfer_refused", &[leader, to, &why])
        }
        #[cfg(not(feature = "membership"))]
        What::ChangeRefused { .. } => String::new(),
        #[cfg(feature = "membership")]
        What::ChangeRefused { leader, reason, .. } => {
            let why = match reason {
                ChangeRefused::NotLeader => tr(l, "raft.change.not_leader").to_string(),
                ChangeRefused::Pending { index } => trf(l, "raft.change.pending", &[index]),
                ChangeRefused::NoCommitInTerm => tr(l, "raft.change.no_commit").to_string(),
                ChangeRefused::AlreadyMember { node } => trf(l, "raft.change.already", &[node]),
                ChangeRefused::NotMember { node } => trf(l, "raft.change.not_member", &[node]),
                ChangeRefused::LastVoter => tr(l, "raft.change.last_voter").to_string(),
                ChangeRefused::Unchanged => tr(l, "raft.change.unchanged").to_string(),
                ChangeRefused::Transferring => tr(l, "raft.change.transferring").to_string(),
            };
            trf(l, "raft.ev.change_refused", &[leader, &why])
        }
    }
}

#[inline(never)]
pub fn change(l: Lang, c: &Change) -> String {
    match c {
        Change::BecameLeader { node, term } => trf(l, "raft.chg.leader", &[node, term]),
        Change::SteppedDown { node, term } => trf(l, "raft.chg.stepped_down", &[node, term]),
        Change::NewTerm { node, term } => trf(l, "raft.chg.term", &[node, term]),
        Change::Commit { node, from, to } => trf(l, "raft.chg.commit", &[node, from, to]),
    }
}

/// Headline, changes and the node's non-routine notes, one line.
#[inline(never)]
pub fn event_line(l: Lang, ev: &Event) -> String {
    let (sep, note_sep, list_sep) = match l {
        Lang::En => ("; ", ". ", "; "),
        Lang::Zh => ("；", "。", "；"),
    };
    let mut s = event_head(l, ev);
    for c in &ev.changes {
        s.push_str(sep);
        s.push_str(&change(l, c));
    }
    // Notes a change above already says (a new leader, a newer term) are left out.
    let said = |n: &Note| match n {
        Note::BecameLeader { .. } => ev.changes.iter().any(|c| matches!(c, Change::BecameLeader { .. })),
        Note::NewerTerm { .. } => ev.changes.iter().any(|c| matches!(c, Change::NewTerm { .. } | Change::SteppedDown { .. })),
        _ => false,
    };
    let notes: Vec<String> = ev
        .notes
        .iter()
        .filter(|n| !n.is_routine() && !said(n))
        .map(|n| note(l, n))
        .collect();
    if !notes.is_empty() {
        s.push_str(note_sep);
        s.push_str(&notes.join(list_sep));
    }
    s
}

/// What a violation found, with its values.
#[inline(never)]
pub fn breach(l: Lang, b: &Breach) -> String {
    let (key, v) = match *b {
        Breach::TwoLeaders { node, other, term } => {
            parts!("raft.breach.two_leaders", node, term, other)
        }
        Breach::LeaderOverwrote { node, term, index } => {
            parts!("raft.breach.overwrote", node, term, index)
        }
        Breach::LogsDiffer {
            node,
            other,
            index,
            term,
        } => {
            parts!("raft.breach.logs_differ", node, other, term, index)
        }
        Breach::LeaderMissesCommitted {
            node,
            term,
            index,
            entry_term,
            committed_by,
            commit_term,
        } => parts!(
            "raft.breach.misses_committed",
            node,
            term,
            index,
            entry_term,
            committed_by,
            commit_term
        ),
        Breach::AppliedDiffer {
            node,
            other,
            index,
            term,
            other_term,
        } => {
            parts!(
                "raft.breach.applied_differ",
                node,
                term,
                index,
                other,
                other_term
            )
        }
        Breach::CommittedDiffer {
            node,
            other,
            index,
            term,
            other_term,
        } => {
            parts!(
                "raft.breach.committed_differ",
                node,
                index,
                term,
                other,
                other_term
            )
        }
        Breach::NotLinearizable { op, count } => parts!("raft.breach.not_linearizable", count, op),
    };
    trn(l, key, &v)
}
