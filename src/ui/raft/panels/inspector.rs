//! The inspector: the selected server, log entry or message, by the paper's field names.

use yew::prelude::*;

use crate::i18n::{tr, trf, Lang};
use crate::raft::{
    AppendEntries, AppendEntriesResponse, Index, Message, NodeId, PreVote, PreVoteResponse, RequestVote, RequestVoteResponse, TimeoutNow,
};
use crate::ui::widgets::{el, tag, text as txt};
use yew::html::IntoPropValue;
use super::super::controller::{Frame, NodeFrame};
use super::super::text;
use super::super::text::server;
use super::super::Selection;

/// The `<dt>`/`<dd>` pairs of an inspector list (`<dl class="fields">`), in order.
#[derive(Default)]
struct Fields(Vec<Html>);

impl Fields {
    /// Adds `k: v` (text).
    fn add(&mut self, k: &'static str, v: impl IntoPropValue<AttrValue>) {
        self.add_html(k, txt(v));
    }

    /// Adds `k: v` (markup).
    #[inline(never)]
    fn add_html(&mut self, k: &'static str, v: Html) {
        self.0.push(html! { <>{ tag!("dt" => txt(k)) }{ tag!("dd" => v) }</> });
    }

    /// `<dl class="fields" id>` holding the pairs.
    #[inline(never)]
    fn html(self, id: Option<&'static str>) -> Html {
        tag!("dl" "class": "fields", "id": id => self.0.into_iter().collect::<Html>())
    }
}

/// "S3": a server's name.
#[inline(never)]
/// "yes" / "no" in the reader's language.
fn yes_no(l: Lang, b: bool) -> &'static str {
    tr(l, if b { "raft.yes" } else { "raft.no" })
}

fn opt_node(l: Lang, v: Option<NodeId>) -> String {
    v.map(server).unwrap_or_else(|| tr(l, "raft.none").to_string())
}

fn list(v: &[(NodeId, Index)]) -> String {
    v.iter().map(|(p, i)| format!("S{p}:{i}")).collect::<Vec<_>>().join(" ")
}

pub fn inspector(l: Lang, f: &Frame, sel: &Selection, on_drop: &Callback<u64>) -> Html {
    let ev = &f.ev;
    let body = match sel {
        Selection::None => el("p", Some("hint"), tr(l, "raft.inspector.hint")),
        Selection::Node(id) | Selection::Entry(id, _) => match ev.nodes.iter().find(|n| n.id == *id) {
            Some(nd) => node_details(l, f.now, nd, sel),
            None => html! {},
        },
        Selection::Message(id) => {
            let flying = f.messages.iter().find(|m| m.id == *id);
            let info = flying.map(text::msg_info_from).or_else(|| {
                ev.recent.iter().rev().find_map(|e| e.message.as_ref().filter(|m| m.id == *id).cloned())
            });
            match info {
                Some(m) => {
                    let dropped_at = flying.and_then(|x| x.dropped_at);
                    let can_drop = flying.is_some_and(|x| x.dropped_at.is_none());
                    let id = m.id;
                    let cb = on_drop.clone();
                    let mut fs = Fields::default();
                    fs.add(tr(l, "raft.f.type"), text::msg_kind(l, &m.msg));
                    fs.add(tr(l, "raft.f.from"), server(m.from));
                    fs.add(tr(l, "raft.f.to"), server(m.to));
                    fs.add(tr(l, "raft.f.sent_at"), text::secs(m.sent_at));
                    fs.add(tr(l, "raft.f.arrives_at"), text::secs(m.arrives_at));
                    if let Some(d) = dropped_at {
                        fs.add(tr(l, "raft.f.dropped_at"), text::secs(d));
                    }
                    if let Some(r) = m.drop_reason {
                        fs.add(tr(l, "raft.f.drop_reason"), text::drop_reason(l, r));
                    }
                    fs.add(tr(l, "raft.f.duplicate"), yes_no(l, m.duplicate));
                    msg_fields(l, &m.msg, &mut fs);
                    let status = if flying.is_some() { "raft.status.flying" } else if m.drop_reason.is_some() { "raft.status.lost" } else { "raft.status.delivered" };
                    fs.add(tr(l, "raft.f.status"), tr(l, status));
                    html! { <>
                        { el("h3", None, trf(l, "raft.inspector.message", &[&m.id])) }
                        { fs.html(None) }
                        if can_drop {
                            <button id="drop-selected" class="danger" onclick={Callback::from(move |_| cb.emit(id))}>{ txt(tr(l, "raft.drop_message")) }</button>
                        }
                    </> }
                }
                None => el("p", Some("hint"), tr(l, "raft.inspector.gone")),
            }
        }
    };
    html! { <section class="inspector panel" id="inspector" aria-live="polite">{ el("h2", None, tr(l, "raft.inspector")) }{ body }</section> }
}

/// The fields of message `m`, by their names in the Raft paper.
fn msg_fields(l: Lang, m: &Message, fs: &mut Fields) {
    match m {
        Message::RequestVote(RequestVote { term, candidate_id, last_log_index, last_log_term, .. })
        | Message::PreVote(PreVote { term, candidate_id, last_log_index, last_log_term }) => {
            fs.add("term", term.to_string());
            fs.add("candidateId", server(*candidate_id));
            fs.add("lastLogIndex", last_log_index.to_string());
            fs.add("lastLogTerm", last_log_term.to_string());
            if let Message::RequestVote(RequestVote { transfer: true, .. }) = m {
                // §3.10: the leader asked for this election.
                fs.add("transfer", yes_no(l, true));
            }
        }
        Message::RequestVoteResponse(RequestVoteResponse { term, vote_granted }) => {
            fs.add("term", term.to_string());
            fs.add("voteGranted", yes_no(l, *vote_granted));
        }
        Message::AppendEntries(AppendEntries { term, leader_id, prev_log_index, prev_log_term, entries, leader_commit, round }) => {
            fs.add("term", term.to_string());
            fs.add("leaderId", server(*leader_id));
            fs.add("prevLogIndex", prev_log_index.to_string());
            fs.add("prevLogTerm", prev_log_term.to_string());
            fs.add("leaderCommit", leader_commit.to_string());
            // §6.4: the heartbeat round, echoed in the reply (ReadIndex,
            // leases; not run by the page's lean modules).
            if cfg!(feature = "extended") {
                fs.add("round", round.to_string());
            }
            fs.add_html("entries", html! { <ol start={(prev_log_index + 1).to_string()} class="entries">
                { for entries.iter().map(|e| el("li", None, trf(l, "raft.entry.line", &[&e.term, &text::command(l, &e.command)]))) }
                if entries.is_empty() { { el("li", Some("none"), tr(l, "raft.entries.none")) } }
            </ol> });
        }
        Message::AppendEntriesResponse(AppendEntriesResponse { term, success, match_index, conflict_term, conflict_index, round }) => {
            fs.add("term", term.to_string());
            fs.add("success", yes_no(l, *success));
            fs.add("matchIndex", match_index.to_string());
            fs.add("conflictTerm", conflict_term.to_string());
            fs.add("conflictIndex", conflict_index.to_string());
            if cfg!(feature = "extended") {
                fs.add("round", round.to_string());
            }
        }
        Message::PreVoteResponse(PreVoteResponse { term, asked, vote_granted }) => {
            fs.add("term", term.to_string());
            fs.add("asked", asked.to_string());
            fs.add("voteGranted", yes_no(l, *vote_granted));
        }
        Message::TimeoutNow(TimeoutNow { term, leader_id }) => {
            fs.add("term", term.to_string());
            fs.add("leaderId", server(*leader_id));
        }
        #[cfg(feature = "extended")]
        Message::InstallSnapshot(m) => {
            fs.add("term", m.term.to_string());
            fs.add("leaderId", server(m.leader_id));
            fs.add("lastIncludedIndex", m.snapshot.last_index.to_string());
            fs.add("lastIncludedTerm", m.snapshot.last_term.to_string());
        }
        #[cfg(feature = "extended")]
        Message::InstallSnapshotResponse(r) => {
            fs.add("term", r.term.to_string());
            fs.add("matchIndex", r.match_index.to_string());
        }
    }
}

fn node_details(l: Lang, now: u64, nd: &NodeFrame, sel: &Selection) -> Html {
    let timer = |t: Option<(u64, u64)>| match t {
        Some((armed, deadline)) => trf(l, "raft.timer.fires", &[&text::ms(deadline.saturating_sub(now)), &text::ms(deadline.saturating_sub(armed))]),
        None => tr(l, "raft.timer.off").to_string(),
    };
    let entry = if let Selection::Entry(_, i) = sel {
        nd.log_tail.get(i.saturating_sub(nd.log_start) as usize).filter(|_| *i >= nd.log_start).map(|e| {
            html! {
                <div class="entry-detail" id="entry-detail">
                    { el("h4", None, trf(l, "raft.inspector.entry", &[i])) }
                    { {
                        let mut fs = Fields::default();
                        fs.add(tr(l, "raft.f.term"), e.term.to_string());
                        fs.add(tr(l, "raft.f.command"), text::command(l, &e.command));
                        fs.add(tr(l, "raft.f.committed"), yes_no(l, *i <= nd.commit_index));
                        fs.add(tr(l, "raft.f.applied"), yes_no(l, *i <= nd.last_applied));
                        fs.html(None)
                    } }
                </div>
            }
        })
    } else {
        None
    };
    let state = if nd.alive { tr(l, text::role_key(nd.role)) } else { tr(l, "raft.crashed") };
    let mut fs = Fields::default();
    fs.add("currentTerm", nd.term.to_string());
    fs.add("votedFor", opt_node(l, nd.voted_for));
    fs.add("commitIndex", nd.commit_index.to_string());
    fs.add("lastApplied", nd.last_applied.to_string());
    fs.add(tr(l, "raft.f.role"), state);
    fs.add(tr(l, "raft.f.leader"), opt_node(l, nd.leader_id));
    if !nd.votes_granted.is_empty() {
        fs.add(tr(l, "raft.f.votes"), nd.votes_granted.iter().map(|v| format!("S{v}")).collect::<Vec<_>>().join(" "));
    }
    fs.add("nextIndex[]", if nd.next_index.is_empty() { "—".to_string() } else { list(&nd.next_index) });
    fs.add("matchIndex[]", if nd.match_index.is_empty() { "—".to_string() } else { list(&nd.match_index) });
    fs.add(tr(l, "raft.f.election_timer"), timer(nd.election));
    fs.add(tr(l, "raft.f.heartbeat_timer"), timer(nd.heartbeat));
    let kv = if nd.kv.is_empty() { "∅".to_string() } else { nd.kv.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(", ") };
    fs.add(tr(l, "raft.f.kv"), kv);
    let log_items = nd.log_tail.iter().enumerate().map(|(k, e)| {
        let i = nd.log_start + k as u64;
        tag!("li" "value": i.to_string(), "class": if i <= nd.commit_index { "committed" } else { "uncommitted" } =>
            txt(trf(l, "raft.entry.line", &[&e.term, &text::command(l, &e.command)])))
    });
    html! { <>
        { el("h3", None, trf(l, "raft.inspector.node", &[&nd.id, &state])) }
        { for entry }
        { fs.html(Some("node-fields")) }
        { el("h4", None, trf(l, "raft.inspector.log", &[&nd.log_len])) }
        if nd.log_start > 1 { { el("p", Some("hint"), trf(l, "raft.log.earlier", &[&(nd.log_start - 1)])) } }
        <ol class="node-log">{ for log_items }</ol>
    </> }
}
