//! The log grid: one row per server, committed and uncommitted entries, nextIndex / matchIndex marks.

use yew::prelude::*;

use crate::i18n::{tr, trf, Lang};
use crate::raft::{Index, NodeId};
use crate::ui::widgets::{cls, col, el, tag, text as txt, when};
use super::super::controller::{EventFrame, LOG_TAIL};
use super::super::text;
use super::super::text::server;
use super::super::Selection;
use super::term_color;

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
        // The compacted prefix is one snapshot block (§7), extended module only.
        #[cfg(feature = "extended")]
        let (shown, snapshot) = (
            &cols[cols.iter().take_while(|&&i| i <= nd.snapshot.0).count()..],
            super::super::extended::snapshot_cell(l, nd.snapshot, first, last),
        );
        #[cfg(not(feature = "extended"))]
        let shown = &cols[..];
        let cells = shown.iter().map(|&i| {
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
                    let class = cls(&["entry", if committed { "committed" } else { "uncommitted" },
                        when(i == nd.commit_index, "commit-point"), when(selected, "selected")]);
                    // Configuration entries (§4.1) are marked.
                    #[cfg(feature = "extended")]
                    let class = match *e.command {
                        crate::raft::Command::Config(_) => class.map(|c| AttrValue::from(format!("{c} config"))),
                        _ => class,
                    };
                    tag!("td" "style": format!("background:{}", term_color(e.term)), "data-index": i.to_string(),
                        "data-term": e.term.to_string(), "title": format!("#{i} · {cmd}"), "class": class =>
                        e.term, marks)
                }
                None => html! { <td class="empty">{ for marks }</td> },
            }
        });
        #[cfg(feature = "extended")]
        let cells = std::iter::once(snapshot).chain(cells);
        let hidden = nd.log_start.saturating_sub(1).min(first.saturating_sub(1));
        let kv: Vec<String> = nd.kv.iter().take(6).map(|(k, v)| format!("{k}={v}")).collect();
        let more_kv = nd.kv.len().saturating_sub(6);
        html! {
            { tag!("tr" "data-log-node": nd.id.to_string(), "data-commit": nd.commit_index.to_string(),
                "data-len": nd.log_len.to_string(), "class": (!nd.alive).then_some("dead") => html! { <>
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
            </> }) }
        }
    });
    #[cfg(feature = "extended")]
    let legend = LOG_LEGEND.iter().chain(&super::super::extended::LOG_LEGEND);
    #[cfg(not(feature = "extended"))]
    let legend = LOG_LEGEND.iter();
    html! {
        <div class="logs-wrap">
            <table class="logs" aria-label={tr(l, "raft.logs.title")} onclick={logs_click(on_select)}>
                <thead><tr>{ col(tr(l, "raft.log.server")) }{ for head }{ col(tr(l, "raft.log.indexes")) }{ col(tr(l, "raft.log.kv")) }</tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
            <p class="legend">{ for legend.map(|&(class, sample, key)| html! { <>{ el("span", Some(class), sample) }{ txt(tr(l, key)) }</> }) }</p>
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

/// The log grid's legend: (class, sample, text key).
const LOG_LEGEND: [(&str, &str, &str); 4] = [
    ("entry committed sample", "1", "raft.legend.committed"),
    ("entry uncommitted sample", "1", "raft.legend.uncommitted"),
    ("mark next", "n", "raft.log.next_index"),
    ("mark match", "m", "raft.log.match_index"),
];
