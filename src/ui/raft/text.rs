//! Plain-language text for events, messages and actions, in the chosen
//! language, built from the structured `Event` data (not the English
//! `description`, which is only used as-is in English).

use crate::i18n::{tr, trf, Lang};
use crate::raft::{Command, Message, Role};
use crate::sim::{Action, DropReason, Event, EventKind, MessageInfo, Property};
use crate::num::fixed;

pub fn role_key(r: Role) -> &'static str {
    match r {
        Role::Leader => "raft.role.leader",
        Role::Candidate => "raft.role.candidate",
        Role::Follower => "raft.role.follower",
    }
}

pub fn role_attr(r: Role) -> &'static str {
    match r {
        Role::Leader => "leader",
        Role::Candidate => "candidate",
        Role::Follower => "follower",
    }
}

pub fn property_key(p: Property) -> &'static str {
    match p {
        Property::ElectionSafety => "raft.prop.election_safety",
        Property::LeaderAppendOnly => "raft.prop.leader_append_only",
        Property::LogMatching => "raft.prop.log_matching",
        Property::LeaderCompleteness => "raft.prop.leader_completeness",
        Property::StateMachineSafety => "raft.prop.state_machine_safety",
    }
}

pub fn property_help_key(p: Property) -> &'static str {
    match p {
        Property::ElectionSafety => "raft.prop.election_safety.help",
        Property::LeaderAppendOnly => "raft.prop.leader_append_only.help",
        Property::LogMatching => "raft.prop.log_matching.help",
        Property::LeaderCompleteness => "raft.prop.leader_completeness.help",
        Property::StateMachineSafety => "raft.prop.state_machine_safety.help",
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
        Command::Cas { key, expected, value } => {
            trf(l, "raft.cmd.cas", &[key, &expected.as_deref().unwrap_or("∅"), value])
        }
    }
}

/// Short name of a message type ("RequestVote", "heartbeat", …).
pub fn msg_kind(l: Lang, m: &Message) -> &'static str {
    tr(
        l,
        match m {
            Message::RequestVote { .. } => "raft.msg.rv",
            Message::RequestVoteResponse { vote_granted: true, .. } => "raft.msg.vote_granted",
            Message::RequestVoteResponse { .. } => "raft.msg.vote_refused",
            Message::AppendEntries { entries, .. } if entries.is_empty() => "raft.msg.heartbeat",
            Message::AppendEntries { .. } => "raft.msg.ae",
            Message::AppendEntriesResponse { success: true, .. } => "raft.msg.ae_ok",
            Message::AppendEntriesResponse { .. } => "raft.msg.ae_fail",
        },
    )
}

/// One-line summary of a message with its key fields.
pub fn msg_summary(l: Lang, m: &Message) -> String {
    match m {
        Message::RequestVote { term, last_log_index, last_log_term, .. } => {
            trf(l, "raft.msgsum.rv", &[term, last_log_index, last_log_term])
        }
        Message::RequestVoteResponse { term, .. } => trf(l, "raft.msgsum.reply", &[&msg_kind(l, m), term]),
        Message::AppendEntries { term, prev_log_index, prev_log_term, entries, leader_commit, .. } => {
            if entries.is_empty() {
                trf(l, "raft.msgsum.hb", &[term, prev_log_index, prev_log_term, leader_commit])
            } else {
                trf(l, "raft.msgsum.ae", &[&entries.len(), term, prev_log_index, prev_log_term, leader_commit])
            }
        }
        Message::AppendEntriesResponse { term, success, match_index, .. } => {
            if *success {
                trf(l, "raft.msgsum.ae_ok", &[match_index, term])
            } else {
                trf(l, "raft.msgsum.ae_fail", &[term])
            }
        }
    }
}

pub fn action(l: Lang, a: &Action) -> String {
    let groups = |gs: &Vec<Vec<u8>>| {
        gs.iter()
            .map(|g| format!("{{{}}}", g.iter().map(|n| format!("S{n}")).collect::<Vec<_>>().join(",")))
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
        Action::ClientRequest { node, command: c } => trf(l, "raft.act.client", &[node, &command(l, c)]),
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
    }
}

/// The node's own notes (raft::Output::notes) are English sentences with a
/// fixed shape; re-phrase them from their numbers. (Workaround: the Raft core
/// gives notes only as text, not as structured data.)
pub fn note(l: Lang, s: &str) -> String {
    if l == Lang::En {
        return s.to_string();
    }
    const PATTERNS: &[(&str, &str, &str)] = &[
        ("stepped down to follower:", "is in term", "raft.note.step_down_term"),
        ("stepped down to follower:", "is leader of term", "raft.note.step_down_leader"),
        ("moved to term", "", "raft.note.moved_term"),
        ("appended index", "", "raft.note.appended_index"),
        ("started election", "", "raft.note.started_election"),
        ("refused vote to", "is older than", "raft.note.refused_old_term"),
        ("refused vote to", "already voted", "raft.note.refused_voted"),
        ("refused vote to", "less up to date", "raft.note.refused_log"),
        ("granted vote to", "", "raft.note.granted"),
        ("got vote from", "", "raft.note.got_vote"),
        ("became leader", "", "raft.note.became_leader"),
        ("appended no-op", "", "raft.note.appended_noop"),
        ("rejected AppendEntries from", "is older than", "raft.note.ae_rej_old"),
        ("rejected AppendEntries from", "I am leader", "raft.note.ae_rej_leader"),
        ("rejected AppendEntries from", "no entry at index", "raft.note.ae_rej_prev"),
        ("deleted conflicting", "", "raft.note.deleted"),
        ("appended ", "log now ends", "raft.note.appended_n"),
        ("committed up to index", "", "raft.note.committed"),
        ("", "rejected; retrying from index", "raft.note.retrying"),
    ];
    let nums: Vec<String> = numbers(s);
    let args: Vec<&dyn std::fmt::Display> = nums.iter().map(|n| n as &dyn std::fmt::Display).collect();
    for &(prefix, contains, key) in PATTERNS {
        if s.starts_with(prefix) && s.contains(contains) {
            return trf(l, key, &args);
        }
    }
    tr(l, "raft.note.other").to_string()
}

/// Every run of digits in `s`, in order.
fn numbers(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in s.chars() {
        if c.is_ascii_digit() {
            cur.push(c);
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Find the action that produced event `seq` (user actions by event
/// number; scripted ones by time).
fn action_of<'a>(ev: &Event, actions: &'a [(u64, Action)], scripted: &'a [(u64, Action)]) -> Option<&'a Action> {
    actions
        .iter()
        .find(|(seq, _)| *seq == ev.seq)
        .map(|(_, a)| a)
        .or_else(|| {
            let same_time: Vec<&Action> = scripted.iter().filter(|(t, _)| *t == ev.time).map(|(_, a)| a).collect();
            if same_time.len() == 1 {
                Some(same_time[0])
            } else {
                None
            }
        })
}

/// The headline of an event (without notes).
pub fn event_head(l: Lang, ev: &Event, actions: &[(u64, Action)], scripted: &[(u64, Action)]) -> String {
    if l == Lang::En {
        return ev.description.clone();
    }
    let node = ev.node.unwrap_or(0);
    match ev.kind {
        EventKind::Delivered => match &ev.message {
            Some(m) => trf(l, "raft.ev.delivered", &[&m.from, &m.to, &msg_summary(l, &m.msg)]),
            None => tr(l, "raft.ev.delivered_plain").to_string(),
        },
        EventKind::Lost => match &ev.message {
            Some(m) => trf(
                l,
                "raft.ev.lost",
                &[&m.id, &m.from, &m.to, &drop_reason(l, m.drop_reason.unwrap_or(DropReason::Loss)), &msg_kind(l, &m.msg)],
            ),
            None => tr(l, "raft.ev.lost_plain").to_string(),
        },
        EventKind::ElectionTimeout => trf(l, "raft.ev.election_timeout", &[&node]),
        EventKind::HeartbeatTimeout => trf(l, "raft.ev.heartbeat_timeout", &[&node]),
        EventKind::Action => match action_of(ev, actions, scripted) {
            Some(a) => {
                let mut s = action(l, a);
                if ev.description.contains("already down") {
                    s = trf(l, "raft.ev.already_down", &[&node_in(a)]);
                } else if ev.description.contains("already running") {
                    s = trf(l, "raft.ev.already_running", &[&node_in(a)]);
                } else if ev.description.contains("is down") {
                    s = format!("{s}：{}", trf(l, "raft.ev.node_down", &[&node_in(a)]));
                } else if ev.description.contains("not in flight") {
                    s = format!("{s}：{}", tr(l, "raft.ev.not_in_flight"));
                }
                s
            }
            None if ev.node.is_some() => trf(l, "raft.ev.forced", &[&node]),
            None => tr(l, "raft.ev.action").to_string(),
        },
        EventKind::ClientRequest => {
            let d = &ev.description;
            // The command label sits between ": " and the verdict.
            let label = d
                .split_once(": ")
                .map(|(_, rest)| {
                    for cut in [" appended", " refused", " failed", " not sent"] {
                        if let Some((a, _)) = rest.split_once(cut) {
                            return a.to_string();
                        }
                    }
                    rest.to_string()
                })
                .unwrap_or_default();
            let who = if d.starts_with("client (load)") { tr(l, "raft.ev.client_load") } else { tr(l, "raft.ev.client") };
            if d.contains("no leader known") {
                trf(l, "raft.ev.client_no_leader", &[&who, &label])
            } else if d.contains("is down") {
                trf(l, "raft.ev.client_down", &[&who, &node, &label])
            } else if d.contains("refused") {
                let hint = d.split("try S").nth(1).and_then(|r| numbers(r).into_iter().next());
                let mut s = match hint {
                    Some(h) => trf(l, "raft.ev.client_redirect", &[&who, &node, &label, &h]),
                    None => trf(l, "raft.ev.client_refused", &[&who, &node, &label]),
                };
                if d.contains("follows the redirect") {
                    s.push_str(tr(l, "raft.ev.client_follows"));
                }
                s
            } else {
                trf(l, "raft.ev.client_ok", &[&who, &node, &label])
            }
        }
    }
}

fn node_in(a: &Action) -> u8 {
    match a {
        Action::Crash { node } | Action::Restart { node } | Action::Timeout { node } | Action::Heartbeat { node } => *node,
        _ => 0,
    }
}

/// Headline plus notes, one string.
pub fn event_line(l: Lang, ev: &Event, actions: &[(u64, Action)], scripted: &[(u64, Action)]) -> String {
    let mut s = event_head(l, ev, actions, scripted);
    if !ev.notes.is_empty() {
        let notes: Vec<String> = ev.notes.iter().map(|n| note(l, n)).collect();
        s.push_str(if l == Lang::Zh { "。" } else { ". " });
        s.push_str(&notes.join(if l == Lang::Zh { "；" } else { "; " }));
    }
    s
}

pub fn msg_info_from(m: &crate::sim::InFlight) -> MessageInfo {
    MessageInfo::of(m, m.drop_reason)
}

/// "1.234 s" of virtual time.
pub fn secs(us: u64) -> String {
    format!("{} s", fixed(us as f64 / 1e6, 3))
}

pub fn ms(us: u64) -> String {
    format!("{} ms", fixed(us as f64 / 1e3, 1))
}
