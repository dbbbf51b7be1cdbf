//! The space-time diagram: one lane per server, a line per message.

use yew::prelude::*;

use crate::i18n::{tr, Lang};
use crate::raft::NodeId;
use crate::sim::{EventKind, MessageInfo};
use crate::ui::widgets::f1 as fmt;
use crate::ui::widgets::{cls, svg_line, tag, text as txt, when};
use crate::num::fixed;
use super::super::controller::Frame;
use super::super::text;
use super::super::text::server;
use super::super::Selection;
use super::{kind_class, kind_class_of};

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
        tag!("g" "data-st-msg": m.id.to_string(),
            "class": cls(&["st-msg", kind, when(lost, "lost"), when(flying, "flying"), when(selected, "selected")]) =>
            tag!("title" => format!("#{} S{}→S{}: {}", m.id, m.from, m.to, text::msg_kind(l, &m.msg))),
            svg_line(Some("hit"), x1, y1, x2, y2),
            svg_line(Some("vis"), x1, y1, x2, y2),
            lost.then(|| tag!("path" "class": "x", "d": format!("M{} {}l6 6m0 -6l-6 6", fixed(x2 - 3.0, 1), fixed(y2 - 3.0, 1)) =>)),
        )
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
        Some(tag!("circle" "cx": fmt(x(e.time)), "cy": fmt(y(node)), "r": "3", "class": cls(&["st-event", &kind_class_of(e.kind)]);
            onclick: Callback::from(move |_| cb.emit(seq)) => tag!("title" => format!("#{seq}"))))
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
