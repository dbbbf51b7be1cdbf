//! The cluster picture: servers on a circle, links, messages on the wire.

use yew::prelude::*;

use crate::i18n::{tr, trf, Lang};
use crate::raft::{AppendEntries, AppendEntriesResponse, Message, NodeId, PreVoteResponse, RequestVoteResponse, Role};
use crate::sim::InFlight;

use super::controller::Frame;
use super::text::server;
use crate::ui::widgets::{cls, keyed, svg_circle, svg_line, tag, text as txt, when};
use super::text;
use super::Selection;
use crate::num::fixed;

pub const VIEW: f64 = 400.0;
const CENTER: f64 = 200.0;
const RADIUS: f64 = 145.0;
/// How long (virtual µs) a lost message's cross stays visible.
const LOST_FADE_US: f64 = 60_000.0;
/// Steps a timer ring is drawn in: the election timer's (1.5° each), and
/// the heartbeat's, coarser (6°) as its interval is short. The ring changes
/// only at a step, so a slow run is drawn only that often (`Sim::still_for`).
pub const ELECTION_STEPS: f64 = 240.0;
pub const HEARTBEAT_STEPS: f64 = 60.0;

pub fn node_radius(n: usize) -> f64 {
    if n <= 5 {
        28.0
    } else {
        22.0
    }
}

/// Centre of server `id` (1-based) among `n`.
pub fn pos(id: NodeId, n: usize) -> (f64, f64) {
    if n == 1 {
        return (CENTER, CENTER);
    }
    let a = -std::f64::consts::FRAC_PI_2 + std::f64::consts::TAU * (id as f64 - 1.0) / n as f64;
    (CENTER + RADIUS * crate::ui::jsmath::cos(a), CENTER + RADIUS * crate::ui::jsmath::sin(a))
}

/// Point `frac` of the way from `a` to `b`, shifted sideways so the two
/// directions of one link don't overlap, and stopping at the node rims.
pub(super) fn along(from: NodeId, to: NodeId, n: usize, frac: f64) -> (f64, f64) {
    let (x1, y1) = pos(from, n);
    let (x2, y2) = pos(to, n);
    let (dx, dy) = (x2 - x1, y2 - y1);
    let len = (dx * dx + dy * dy).sqrt().max(1.0);
    let (ux, uy) = (dx / len, dy / len);
    let r = node_radius(n);
    let side = if from < to { 5.0 } else { -5.0 };
    let (sx, sy) = (x1 + ux * r, y1 + uy * r);
    let span = (len - 2.0 * r).max(0.0);
    let f = frac.clamp(0.0, 1.0);
    (sx + ux * span * f - uy * side, sy + uy * span * f + ux * side)
}

pub(super) fn frac_at(sent: u64, arrives: u64, t: u64) -> f64 {
    if arrives <= sent {
        1.0
    } else {
        (t.saturating_sub(sent)) as f64 / (arrives - sent) as f64
    }
}

#[derive(Clone)]
pub struct ClusterCbs {
    pub on_node: Callback<NodeId>,
    pub on_node_key: Callback<(NodeId, KeyboardEvent)>,
    pub on_msg: Callback<u64>,
    /// Manual mode: a click on a server's timer ring fires it.
    #[cfg(feature = "extended")]
    pub on_timer: Callback<NodeId>,
}

pub fn view(l: Lang, f: &Frame, sel: &Selection, cbs: &ClusterCbs) -> Html {
    let ev = &f.ev;
    let n = ev.nodes.len();
    let r = node_radius(n);
    // Links: faint when usable, red dashed when the partition or a cut blocks them.
    let mut links = Vec::new();
    for a in 1..=n as NodeId {
        for b in (a + 1)..=n as NodeId {
            // From ring to ring: the rings are drawn beneath (`rings`).
            let (x1, y1) = pos(a, n);
            let (x2, y2) = pos(b, n);
            let len = ((x2 - x1) * (x2 - x1) + (y2 - y1) * (y2 - y1)).sqrt().max(1.0);
            let (ux, uy) = ((x2 - x1) / len * (r + 8.0), (y2 - y1) / len * (r + 8.0));
            let (x1, y1, x2, y2) = (x1 + ux, y1 + uy, x2 - ux, y2 - uy);
            let blocked = ev.links.blocked(a, b).is_some() || ev.links.blocked(b, a).is_some();
            links.push(tag!("line" "class": if blocked { "link blocked" } else { "link" }, "x1": fmt(x1), "y1": fmt(y1),
                "x2": fmt(x2), "y2": fmt(y2), "data-link": format!("{a}-{b}") =>));
        }
    }
    // The configuration servers are judged by (the leader's), extended module only.
    #[cfg(feature = "extended")]
    let cluster_cfg = super::extended::cluster_config(ev);
    let nodes = ev.nodes.iter().map(|nd| {
        let (x, y) = pos(nd.id, n);
        let role = text::role_attr(nd.role);
        let selected = *sel == Selection::Node(nd.id);
        let rr = r + 6.0;
        let badge = badge(nd);
        let state_label = if nd.alive { tr(l, text::role_key(nd.role)) } else { tr(l, "raft.crashed") };
        let aria = trf(l, "raft.node.aria", &[&nd.id, &state_label, &nd.term]);
        // The votes an election needs: a majority of the configuration in
        // effect on the candidate (§4.1), of the whole picture in the lean module.
        #[cfg(feature = "extended")]
        let majority = nd.membership.majority();
        #[cfg(not(feature = "extended"))]
        let majority = n / 2 + 1;
        let vote = vote(l, nd, majority);
        // A clock that drifts (§6.4.1), extended module only.
        #[cfg(feature = "extended")]
        let drift = super::extended::drift_badge(l, nd.clock_ppm, x, y + r + 31.0);
        #[cfg(not(feature = "extended"))]
        let drift = Html::default();
        // Learners, joining and leaving servers (§4.2.1, §4.3), tagged above.
        #[cfg(feature = "extended")]
        let (standing, member_tag) = super::extended::standing_tag(l, super::extended::standing(cluster_cfg, nd), x,
            y - r - if nd.role == Role::Leader && nd.alive { 24.0 } else { 9.0 });
        #[cfg(not(feature = "extended"))]
        let member_tag = Html::default();
        let violating = ev.checker.violations.last().is_some_and(|v| v.nodes.contains(&nd.id));
        let id = nd.id;
        let onclick = {
            let cb = cbs.on_node.clone();
            Callback::from(move |e: MouseEvent| {
                e.stop_propagation();
                cb.emit(id)
            })
        };
        let onkeydown = {
            let cb = cbs.on_node_key.clone();
            Callback::from(move |e: KeyboardEvent| cb.emit((id, e)))
        };
        let cls = cls(&["node", &format!("role-{role}"), when(!nd.alive, "dead"), when(selected, "selected"), when(violating, "violating")]);
        #[cfg(feature = "extended")]
        let cls = cls.map(|c| AttrValue::from(format!("{c} {standing}")));
        tag!("g" "data-node": nd.id.to_string(), "data-role": if nd.alive { role } else { "crashed" },
            "data-term": nd.term.to_string(), "data-commit": nd.commit_index.to_string(),
            "data-voted-for": nd.voted_for.map(|v| v.to_string()).unwrap_or_default(),
            "data-log-len": nd.log_len.to_string(), "data-alive": nd.alive.to_string(),
            "tabindex": "0", "role": "button", "aria-label": aria.clone(), "class": cls; onclick: onclick, onkeydown: onkeydown =>
            tag!("title" => txt(aria)),
            fire_track(ev, cbs, id, x, y, rr),
            violating.then(|| svg_circle(Some("violation-halo"), x, y, r + 12.0)),
            svg_circle(Some("body"), x, y, r),
            (!nd.alive).then(|| html! { <>
                { svg_line(Some("cross"), x - r * 0.6, y - r * 0.6, x + r * 0.6, y + r * 0.6) }
                { svg_line(Some("cross"), x + r * 0.6, y - r * 0.6, x - r * 0.6, y + r * 0.6) }
            </> }),
            svg_text(Some("name"), x, y - 2.0, server(nd.id).into()),
            svg_text(Some("term"), x, y + 11.0, trf(l, "raft.node.term_short", &[&nd.term]).into()),
            tag!("g" "class": "badge" =>
                tag!("circle" "cx": fmt(x + r * 0.75), "cy": fmt(y - r * 0.75), "r": "8" =>),
                svg_text(None, x + r * 0.75, y - r * 0.75 + 3.5, AttrValue::Static(badge)),
            ),
            (nd.role == Role::Leader && nd.alive).then(|| svg_text(Some("crown"), x, y - r - 9.0, AttrValue::Static("♛"))),
            member_tag,
            (!vote.is_empty()).then(|| svg_text(Some("vote"), x, y + r + 18.0, vote.into())),
            drift,
        )
    });
    let view_box = AttrValue::from(format!("0 0 {v} {v}", v = crate::num::short(VIEW)));
    let msgs = f.messages.iter().map(|m| message(l, m, f.now, n, sel, cbs));
    // Messages lost recently: a fading cross where they vanished.
    let lost = ev.recent.iter().rev().take_while(|e| (f.now.saturating_sub(e.time) as f64) < LOST_FADE_US).filter(|e| e.shows_loss()).filter_map(|e| {
        let m = e.message.as_ref()?;
        let (x, y) = along(m.from, m.to, n, frac_at(m.sent_at, m.arrives_at, e.time));
        let o = 1.0 - (f.now.saturating_sub(e.time)) as f64 / LOST_FADE_US;
        Some(html! {
            <g class="lost-mark" opacity={fixed(o, 2)} data-lost={m.id.to_string()}>
                <path d={format!("M{} {}l8 8m0 -8l-8 8", fixed(x - 4.0, 1), fixed(y - 4.0, 1))} />
            </g>
        })
    });
    html! {
        <>
            <svg class="rings" viewBox={view_box.clone()} aria-hidden="true">{ for ev.nodes.iter().map(|nd| rings(f, nd, n)) }</svg>
            <svg class="cluster" viewBox={view_box.clone()} role="img" aria-label={tr(l, "raft.cluster.aria")}>
                <g class="links">{ for links }</g>
                <g class="nodes">{ for nodes }</g>
            </svg>
            // What moves every frame, in an SVG of its own laid over the
            // servers (static/raft.css `svg.wire`): the browser composites it
            // as its own layer, so a moving message repaints only messages,
            // not the servers, links and labels beneath (issue 17).
            <svg class="wire" viewBox={view_box} aria-hidden="true">
                <g class="msgs">{ for msgs }</g>
                <g class="lost">{ for lost }</g>
            </svg>
        </>
    }
}

/// The letter on a server's badge: its role, or a cross when crashed.
pub(super) fn badge(nd: &crate::sim::NodeFrame) -> &'static str {
    match (nd.alive, nd.role) {
        (false, _) => "✕",
        (_, Role::Leader) => "L",
        (_, Role::Candidate) => "C",
        (_, Role::Follower) => "F",
        (_, Role::PreCandidate) => "P",
    }
}

/// The line under a server: a candidate's votes of the `majority` it
/// needs, or whom it voted for; empty otherwise.
pub(super) fn vote(l: Lang, nd: &crate::sim::NodeFrame, majority: usize) -> String {
    match (nd.alive, nd.role, nd.voted_for) {
        (true, Role::Candidate, _) => trf(l, "raft.node.votes", &[&nd.votes_granted.len(), &majority]),
        // A pre-candidate counts pre-votes (§9.6).
        (true, Role::PreCandidate, _) => trf(l, "raft.node.prevotes", &[&nd.votes_granted.len(), &majority]),
        (_, _, Some(v)) => trf(l, "raft.node.voted", &[&v]),
        _ => String::new(),
    }
}

fn message(l: Lang, m: &InFlight, now: u64, n: usize, sel: &Selection, cbs: &ClusterCbs) -> Html {
    let (x, y) = along(m.from, m.to, n, frac_at(m.sent_at, m.arrives_at, now));
    let id = m.id;
    let onclick = {
        let cb = cbs.on_msg.clone();
        Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            cb.emit(id)
        })
    };
    let selected = *sel == Selection::Message(m.id);
    // Shapes are drawn around the origin; only the group's transform moves.
    let (kind, shape) = match &m.msg {
        // PreVote and its reply (§9.6) are drawn as RequestVote's, outlined.
        Message::RequestVote(_) | Message::PreVote(_) => (
            if matches!(m.msg, Message::PreVote(_)) { "pv" } else { "rv" },
            html! { <path class="shape" d="M0 -8l8 8l-8 8l-8 -8z" /> },
        ),
        Message::RequestVoteResponse(RequestVoteResponse { vote_granted: granted, .. })
        | Message::PreVoteResponse(PreVoteResponse { vote_granted: granted, .. }) => (
            match (matches!(m.msg, Message::PreVoteResponse(_)), *granted) {
                (false, true) => "vote-yes",
                (false, false) => "vote-no",
                (true, true) => "pv-yes",
                (true, false) => "pv-no",
            },
            html! { <>
                <circle class="shape" r="7" />
                <text y="3.5">{ if *granted { "✓" } else { "✗" } }</text>
            </> },
        ),
        Message::TimeoutNow(_) => ("tn", html! { <>
            <circle class="shape" r="8" />
            <text y="3.5">{ "!" }</text>
        </> }),
        // InstallSnapshot (§7): a stack of pages; its reply a tick. (Only
        // the extended module ever sends one, `src/lean/mod.rs`.)
        #[cfg(feature = "extended")]
        Message::InstallSnapshot(_) => ("is", html! { <>
            <rect class="shape" x="-7" y="-6" width="14" height="12" rx="2" />
            <text y="3.5">{ "▤" }</text>
        </> }),
        #[cfg(feature = "extended")]
        Message::InstallSnapshotResponse(_) => ("is-ok", html! { <>
            <circle class="shape" r="7" />
            <text y="3.5">{ "✓" }</text>
        </> }),
        Message::AppendEntries(AppendEntries { entries, .. }) if entries.is_empty() => {
            ("hb", html! { <rect class="shape" x="-5" y="-5" width="10" height="10" /> })
        }
        Message::AppendEntries(AppendEntries { entries, .. }) => (
            "ae",
            html! { <>
                <rect class="shape" x="-8" y="-8" width="16" height="16" rx="2" />
                <text y="3.5">{ entries.len() }</text>
            </> },
        ),
        Message::AppendEntriesResponse(AppendEntriesResponse { success, .. }) => (
            if *success { "ae-ok" } else { "ae-fail" },
            html! { <>
                <path class="shape" d="M0 -8l8 13h-16z" />
                <text y="4">{ if *success { "✓" } else { "✗" } }</text>
            </> },
        ),
    };
    let title = format!("#{} S{}→S{}: {}", m.id, m.from, m.to, text::msg_kind(l, &m.msg));
    keyed(m.id, tag!("g" "transform": format!("translate({} {})", fixed(x, 1), fixed(y, 1)),
        "data-msg-id": m.id.to_string(), "data-kind": kind,
        "class": cls(&["msg", kind, when(selected, "selected"), when(m.duplicate, "dup")]); onclick: onclick =>
        tag!("title" => title),
        shape,
    ))
}

use crate::ui::widgets::f1 as fmt;

/// `<text class x y>content</text>` at one-decimal coordinates.
#[inline(never)]
fn svg_text(class: Option<&'static str>, x: f64, y: f64, content: AttrValue) -> Html {
    tag!("text" "x": fmt(x), "y": fmt(y), "class": class => txt(content))
}

/// A timer arc's remaining fraction, in `steps` steps of the circle (240:
/// under a pixel of arc). The arc's attributes then change only when the
/// picture does, not on every frame: repainting the arcs each frame was half
/// the page's CPU while playing at 1/100× (30 % → 14 % of all processes
/// with the arcs hidden, `side-by-side.mjs`).
/// A server's timer rings: the track, the election timer's time left and
/// a leader's heartbeat. They change nearly every frame while a run plays,
/// so they live in an SVG of their own beneath the servers (`svg.rings`,
/// composited as its own layer): their steps repaint only the rings, not
/// every server, label and link (issue 17).
fn rings(f: &Frame, nd: &crate::sim::NodeFrame, n: usize) -> Html {
    let (x, y) = pos(nd.id, n);
    let rr = node_radius(n) + 6.0;
    let circ = std::f64::consts::TAU * rr;
    let arc = |class: &'static str, timer: Option<(u64, u64)>, steps: f64| {
        timer.map(|(armed, deadline)| {
            let left = arc_left(f.now, armed, deadline, steps);
            tag!("circle" "cx": fmt(x), "cy": fmt(y), "r": fmt(rr),
                "stroke-dasharray": format!("{} {}", fixed(circ * left, 1), fixed(circ, 1)),
                "transform": format!("rotate(-90 {} {})", fixed(x, 1), fixed(y, 1)), "class": class =>)
        })
    };
    let leader = nd.role == Role::Leader && nd.alive;
    html! {
        <>
            { svg_circle(Some("timer-track"), x, y, rr) }
            { for arc("timer-arc", nd.election.filter(|_| nd.alive), ELECTION_STEPS) }
            { for arc("hb-arc", nd.heartbeat.filter(|_| leader), HEARTBEAT_STEPS) }
        </>
    }
}

/// A timer's time left to its `deadline` at `now`, as a fraction of the
/// time it was set for, in `steps` steps.
pub(super) fn arc_left(now: u64, armed: u64, deadline: u64, steps: f64) -> f64 {
    let total = deadline.saturating_sub(armed).max(1) as f64;
    let left = deadline.saturating_sub(now) as f64 / total;
    (left.clamp(0.0, 1.0) * steps).round() / steps
}

/// The ring a server's timers are drawn on; in manual mode a button that
/// fires the timer (extended module).
#[cfg(feature = "extended")]
fn fire_track(ev: &super::controller::EventFrame, cbs: &ClusterCbs, id: NodeId, x: f64, y: f64, r: f64) -> Option<Html> {
    if !ev.manual || super::manual::fire(ev, id).is_none() {
        return None;
    }
    let onclick = {
        let cb = cbs.on_timer.clone();
        Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            cb.emit(id)
        })
    };
    Some(html! { <circle class="timer-track fire" cx={fmt(x)} cy={fmt(y)} r={fmt(r)} data-fire={id.to_string()} {onclick} /> })
}

#[cfg(not(feature = "extended"))]
fn fire_track(_: &super::controller::EventFrame, _: &ClusterCbs, _: NodeId, _: f64, _: f64, _: f64) -> Option<Html> {
    None
}
