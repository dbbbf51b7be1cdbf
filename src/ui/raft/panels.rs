//! Side and bottom panels: logs, space-time diagram, inspector, event feed,
//! safety status. Pure functions of the frame.

use yew::prelude::*;

use crate::i18n::{tr, trf, Lang};
use crate::raft::{AppendEntries, AppendEntriesResponse, Index, Message, NodeId, RequestVote, RequestVoteResponse};
use crate::sim::{EventKind, MessageInfo};

use crate::ui::widgets::f1 as fmt;
use crate::ui::widgets::{cls, col, el, svg_line, text as txt, when};

/// `k-<event kind>`, the class of an event in the feed and the diagram.
#[inline(never)]
fn kind_class_of(kind: EventKind) -> String {
    format!("k-{kind:?}").to_ascii_lowercase()
}
use yew::html::IntoPropValue;
use super::controller::{EventFrame, Frame, NodeFrame, LOG_TAIL};
use super::text;
use super::text::server;
use super::Selection;
use crate::num::fixed;

pub fn term_color(term: u64) -> String {
    format!("hsl({} 65% 82%)", (term * 67 + 200) % 360)
}

// ----- log grid ---------------------------------------------------------------

pub fn logs(l: Lang, ev: &EventFrame, sel: &Selection, on_select: &Callback<Selection>) -> Html {
    let max_len = ev.nodes.iter().map(|n| n.log_len).max().unwrap_or(0);
    // The window moves in steps of ten entries, so between steps a new entry
    // only fills an empty cell instead of shifting every column.
    let first = (max_len.saturating_sub(1) / 10 * 10 + 1).saturating_sub(10).max(1);
    let last = if max_len <= LOG_TAIL as u64 { max_len.max(1) } else { first + LOG_TAIL as u64 - 1 };
    let cols: Vec<Index> = (first..=last).collect();
    let leader = ev.nodes.iter().filter(|n| n.alive && n.role == crate::raft::Role::Leader).max_by_key(|n| n.term);
    let head = cols.iter().map(|i| col(i.to_string()));
    let rows = ev.nodes.iter().map(|nd| {
        let next = leader.and_then(|ld| ld.next_index.iter().find(|(p, _)| *p == nd.id).map(|x| x.1));
        let mtch = leader.and_then(|ld| ld.match_index.iter().find(|(p, _)| *p == nd.id).map(|x| x.1));
        let cells = cols.iter().map(|&i| {
            let entry = if i >= nd.log_start && i <= nd.log_len { nd.log_tail.get((i - nd.log_start) as usize) } else { None };
            let is_next = next == Some(i);
            let is_match = mtch == Some(i);
            let marks = (is_next || is_match).then(|| html! { <>
                if is_next { { el("span", Some("mark next"), "n") } }
                if is_match { { el("span", Some("mark match"), "m") } }
            </> });
            match entry {
                Some(e) => {
                    let committed = i <= nd.commit_index;
                    let selected = *sel == Selection::Entry(nd.id, i);
                    let cmd = text::command(l, &e.command);
                    // No listener per cell: the table handles clicks (see `logs_click`).
                    html! {
                        <td class={cls(&["entry", if committed { "committed" } else { "uncommitted" },
                                when(i == nd.commit_index, "commit-point"), when(selected, "selected")])}
                            style={format!("background:{}", term_color(e.term))}
                            data-index={i.to_string()} data-term={e.term.to_string()} title={format!("#{i} · {cmd}")}>
                            { e.term }{ for marks }
                        </td>
                    }
                }
                None => html! { <td class="empty">{ for marks }</td> },
            }
        });
        let hidden = nd.log_start.saturating_sub(1).min(first.saturating_sub(1));
        let kv: Vec<String> = nd.kv.iter().take(6).map(|(k, v)| format!("{k}={v}")).collect();
        let more_kv = nd.kv.len().saturating_sub(6);
        html! {
            <tr class={(!nd.alive).then_some("dead")} data-log-node={nd.id.to_string()}
                data-commit={nd.commit_index.to_string()} data-len={nd.log_len.to_string()}>
                <th scope="row" class="who">
                    { el("button", Some("linklike"), server(nd.id)) }
                    if hidden > 0 { <span class="hidden-count" title={tr(l, "raft.log.hidden")}>{ txt(format!("+{hidden}")) }</span> }
                </th>
                { for cells }
                <td class="idx">
                    { txt(trf(l, "raft.log.commit", &[&nd.commit_index])) }
                    if let (Some(ni), Some(mi)) = (next, mtch) { <br/><span class="nm">{ txt(trf(l, "raft.log.nm", &[&ni, &mi])) }</span> }
                </td>
                <td class="kv" data-kv={kv.join(",")}>{ kv.join(" ") }{ if more_kv > 0 { format!(" +{more_kv}") } else { String::new() } }</td>
            </tr>
        }
    });
    html! {
        <div class="logs-wrap">
            <table class="logs" aria-label={tr(l, "raft.logs.title")} onclick={logs_click(on_select)}>
                <thead><tr>{ col(tr(l, "raft.log.server")) }{ for head }{ col(tr(l, "raft.log.indexes")) }{ col(tr(l, "raft.log.kv")) }</tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
            <p class="legend">{ for LOG_LEGEND.iter().map(|&(class, sample, key)| html! { <>{ el("span", Some(class), sample) }{ txt(tr(l, key)) }</> }) }</p>
        </div>
    }
}

/// One click handler for the whole log table: a cell selects its entry, a
/// row header its server.
fn logs_click(on_select: &Callback<Selection>) -> Callback<MouseEvent> {
    let cb = on_select.clone();
    Callback::from(move |e: MouseEvent| {
        use wasm_bindgen::JsCast;
        let Some(t) = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return };
        let row = t.closest("[data-log-node]").ok().flatten();
        let node: Option<NodeId> = row.and_then(|r| r.get_attribute("data-log-node")).and_then(|v| v.parse().ok());
        let Some(node) = node else { return };
        match t.closest("td.entry").ok().flatten().and_then(|c| c.get_attribute("data-index")).and_then(|v| v.parse().ok()) {
            Some(i) => cb.emit(Selection::Entry(node, i)),
            None if t.closest("th").ok().flatten().is_some() => cb.emit(Selection::Node(node)),
            None => {}
        }
    })
}

/// One click handler for the space-time diagram: a line selects its message.
fn spacetime_click(on_msg: &Callback<u64>) -> Callback<MouseEvent> {
    let cb = on_msg.clone();
    Callback::from(move |e: MouseEvent| {
        use wasm_bindgen::JsCast;
        let Some(t) = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return };
        if let Some(id) = t.closest("[data-st-msg]").ok().flatten().and_then(|g| g.get_attribute("data-st-msg")).and_then(|v| v.parse().ok()) {
            cb.emit(id);
        }
    })
}

// ----- space-time diagram ---------------------------------------------------------

pub fn spacetime(l: Lang, f: &Frame, sel: &Selection, on_msg: &Callback<u64>, on_seek: &Callback<u64>) -> Html {
    let ev = &f.ev;
    let n = ev.nodes.len().max(1);
    let lane_h = 18.0;
    let (w, left) = (600.0, 30.0);
    let h = lane_h * n as f64 + 10.0;
    // Window: from the oldest message still in the recent events to now.
    let t0 = ev
        .recent
        .iter()
        .rev()
        .take(ST_MAX_LINES)
        .filter_map(|e| e.message.as_ref().map(|m| m.sent_at).or(Some(e.time)))
        .chain(f.messages.iter().map(|m| m.sent_at))
        .min()
        .unwrap_or(0)
        .min(f.now.saturating_sub(50_000));
    let span = (f.now.saturating_sub(t0)).max(1) as f64;
    let x = |t: u64| left + (t.saturating_sub(t0)) as f64 / span * (w - left - 6.0);
    let y = |id: NodeId| 8.0 + lane_h * (id as f64 - 0.5);
    let lanes = ev.nodes.iter().map(|nd| {
        html! { <>
            { svg_line(Some("lane"), left, y(nd.id), w, y(nd.id)) }
            <text class="lane-label" x="2" y={fmt(y(nd.id) + 4.0)}>{ txt(server(nd.id)) }</text>
        </> }
    });
    let line = |m: &MessageInfo, end: u64, lost: bool, flying: bool| {
        let (x1, y1, x2) = (x(m.sent_at), y(m.from), x(end));
        let frac = if m.arrives_at > m.sent_at { (end.saturating_sub(m.sent_at)) as f64 / (m.arrives_at - m.sent_at) as f64 } else { 1.0 };
        let y2 = y1 + (y(m.to) - y1) * frac.clamp(0.0, 1.0);
        let kind = kind_class(&m.msg);
        let selected = *sel == Selection::Message(m.id);
        html! {
            <g class={cls(&["st-msg", kind, when(lost, "lost"), when(flying, "flying"), when(selected, "selected")])}
                data-st-msg={m.id.to_string()}>
                <title>{ format!("#{} S{}→S{}: {}", m.id, m.from, m.to, text::msg_kind(l, &m.msg)) }</title>
                { svg_line(Some("hit"), x1, y1, x2, y2) }
                { svg_line(Some("vis"), x1, y1, x2, y2) }
                if lost { <path class="x" d={format!("M{} {}l6 6m0 -6l-6 6", fixed(x2 - 3.0, 1), fixed(y2 - 3.0, 1))} /> }
            </g>
        }
    };
    let done = ev.recent.iter().rev().take(ST_MAX_LINES).filter_map(|e| {
        let m = e.message.as_ref()?;
        Some(line(m, e.time, e.kind == EventKind::Lost || m.drop_reason.is_some(), false))
    });
    let flying: Vec<Html> = f.messages.iter().map(|m| line(&text::msg_info_from(m), f.now, false, true)).collect();
    // Event ticks on the lanes: click to jump there.
    let ticks = ev.recent.iter().filter(|e| e.kind != EventKind::Delivered && e.kind != EventKind::Lost).filter_map(|e| {
        let node = e.node?;
        let seq = e.seq;
        let cb = on_seek.clone();
        Some(html! {
            <circle class={cls(&["st-event", &kind_class_of(e.kind)])} cx={fmt(x(e.time))} cy={fmt(y(node))} r="3"
                onclick={Callback::from(move |_| cb.emit(seq))}><title>{ format!("#{seq}") }</title></circle>
        })
    });
    html! {
        <svg class="spacetime" viewBox={format!("0 0 {} {}", fmt(w), fmt(h))} preserveAspectRatio="none" style={format!("height:{}px", fmt(h))}
            onclick={spacetime_click(on_msg)}
            role="img" aria-label={tr(l, "raft.spacetime.aria")}>
            { for lanes }
            <g>{ for done }</g>
            <g>{ for flying }</g>
            <g>{ for ticks }</g>
            <line class="now" x1={fmt(w - 6.0)} x2={fmt(w - 6.0)} y1="0" y2={fmt(h)} />
        </svg>
    }
}

/// Most finished messages drawn in the space-time diagram.
const ST_MAX_LINES: usize = 30;

pub fn kind_class(m: &Message) -> &'static str {
    match m {
        Message::RequestVote(_) => "rv",
        Message::RequestVoteResponse(RequestVoteResponse { vote_granted: true, .. }) => "vote-yes",
        Message::RequestVoteResponse(_) => "vote-no",
        Message::AppendEntries(AppendEntries { entries, .. }) if entries.is_empty() => "hb",
        Message::AppendEntries(_) => "ae",
        Message::AppendEntriesResponse(AppendEntriesResponse { success: true, .. }) => "ae-ok",
        Message::AppendEntriesResponse(_) => "ae-fail",
    }
}

// ----- inspector -------------------------------------------------------------------

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
        self.0.push(html! { <><dt>{ txt(k) }</dt><dd>{ v }</dd></> });
    }

    /// `<dl class="fields" id>` holding the pairs.
    #[inline(never)]
    fn html(self, id: Option<&'static str>) -> Html {
        html! { <dl class="fields" {id}>{ for self.0 }</dl> }
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
        Message::RequestVote(RequestVote { term, candidate_id, last_log_index, last_log_term }) => {
            fs.add("term", term.to_string());
            fs.add("candidateId", server(*candidate_id));
            fs.add("lastLogIndex", last_log_index.to_string());
            fs.add("lastLogTerm", last_log_term.to_string());
        }
        Message::RequestVoteResponse(RequestVoteResponse { term, vote_granted }) => {
            fs.add("term", term.to_string());
            fs.add("voteGranted", yes_no(l, *vote_granted));
        }
        Message::AppendEntries(AppendEntries { term, leader_id, prev_log_index, prev_log_term, entries, leader_commit }) => {
            fs.add("term", term.to_string());
            fs.add("leaderId", server(*leader_id));
            fs.add("prevLogIndex", prev_log_index.to_string());
            fs.add("prevLogTerm", prev_log_term.to_string());
            fs.add("leaderCommit", leader_commit.to_string());
            fs.add_html("entries", html! { <ol start={(prev_log_index + 1).to_string()} class="entries">
                { for entries.iter().map(|e| el("li", None, trf(l, "raft.entry.line", &[&e.term, &text::command(l, &e.command)]))) }
                if entries.is_empty() { { el("li", Some("none"), tr(l, "raft.entries.none")) } }
            </ol> });
        }
        Message::AppendEntriesResponse(AppendEntriesResponse { term, success, match_index, conflict_term, conflict_index }) => {
            fs.add("term", term.to_string());
            fs.add("success", yes_no(l, *success));
            fs.add("matchIndex", match_index.to_string());
            fs.add("conflictTerm", conflict_term.to_string());
            fs.add("conflictIndex", conflict_index.to_string());
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
        html! { <li value={i.to_string()} class={if i <= nd.commit_index { "committed" } else { "uncommitted" }}>
            { txt(trf(l, "raft.entry.line", &[&e.term, &text::command(l, &e.command)])) }</li> }
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

// ----- event feed --------------------------------------------------------------------

/// `limit`: how many of the newest events to list (fewer while playing fast).
pub fn feed(l: Lang, ev: &EventFrame, limit: usize, on_seek: &Callback<u64>) -> Html {
    let items = ev.recent.iter().rev().take(limit).map(|e| {
        let seq = e.seq;
        let cb = on_seek.clone();
        let current = seq == ev.event_count;
        html! {
            <li class={cls(&[&kind_class_of(e.kind), when(current, "current")])}>
                <button class="feed-item" data-seq={seq.to_string()} onclick={Callback::from(move |_| cb.emit(seq))}>
                    { el("span", Some("seq"), format!("#{seq}")) }
                    { el("span", Some("t"), text::secs(e.time)) }
                    { el("span", Some("what"), text::event_line(l, e)) }
                </button>
            </li>
        }
    });
    html! {
        <section class="feed panel" id="feed">
            { el("h2", None, tr(l, "raft.feed")) }
            <ol class="feed-list">{ for items }</ol>
        </section>
    }
}

// ----- safety --------------------------------------------------------------------------

pub fn safety(l: Lang, ev: &EventFrame, on_seek: &Callback<u64>) -> Html {
    let props = ev.checker.properties.iter().map(|p| {
        html! {
            <li class={if p.ok { "ok" } else { "broken" }} data-prop={format!("{:?}", p.property)} data-ok={p.ok.to_string()}
                title={tr(l, text::property_help_key(p.property))}>
                <span class="icon" aria-hidden="true">{ if p.ok { "✓" } else { "✗" } }</span>
                { txt(tr(l, text::property_key(p.property))) }
                if !p.ok { { el("span", Some("count"), format!(" ×{}", p.violations)) } }
            </li>
        }
    });
    let violations = ev.checker.violations.iter().take(5).map(|v| {
        let seq = v.event;
        let cb = on_seek.clone();
        let what = text::breach(l, &v.breach);
        html! {
            <li class="violation">
                <button class="linklike" onclick={Callback::from(move |_| cb.emit(seq))}>
                    { txt(trf(l, "raft.violation.where", &[&v.event, &text::secs(v.time)])) }
                </button>
                { " " }{ what }
            </li>
        }
    });
    let bad = ev.checker.total_violations > 0;
    html! {
        <section class={if bad { "safety panel violated" } else { "safety panel" }} id="safety" data-violations={ev.checker.total_violations.to_string()}>
            <h2>{ txt(tr(l, "raft.safety")) }{ if ev.buggy { html! { <span class="buggy-tag">{ txt(tr(l, "raft.buggy_mode")) }</span> } } else { html! {} } }</h2>
            <ul class="props">{ for props }</ul>
            if bad { <ul class="violations" role="alert">{ for violations }</ul> }
        </section>
    }
}

/// The log grid's legend: (class, sample, text key).
const LOG_LEGEND: [(&str, &str, &str); 4] = [
    ("entry committed sample", "1", "raft.legend.committed"),
    ("entry uncommitted sample", "1", "raft.legend.uncommitted"),
    ("mark next", "n", "raft.log.next_index"),
    ("mark match", "m", "raft.log.match_index"),
];
