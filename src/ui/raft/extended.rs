//! What only the extended Raft module shows (`ringraft-extended`, cargo
//! feature `extended`, loaded for `view=raft&x=1`): how leaders answer
//! reads (§6.4), each server's clock drift (§6.4.1), a client read from a
//! server's menu, and the client history lane with the linearizability
//! checker's verdict. The lean module carries none of it (see
//! `src/lean/mod.rs`); it hands runs that need it over to this module.

use yew::prelude::*;

use crate::i18n::{tr, trf, Lang};
use crate::num::{fixed, short};
use crate::raft::levels::{level_of, LEVELS};
use crate::raft::{Command, Config, Membership, NodeId, ReadMode, Role};
use crate::sim::compare::Comparison;
use crate::sim::{Action, Op, OpOutcome, Property};
use crate::ui::widgets::{cls, el, labelled_select, option, tag, text, when};

use super::controller::ab::{Ab, DIFF_LIMIT};
use super::controller::{EventFrame, Frame, NodeFrame};
use super::state::UiAction;
use super::text as words;

/// The clock rates a server's menu offers (× real time; the scenario
/// language accepts any rate from 0.5 to 2).
const RATES_PPM: [u64; 8] = [500_000, 800_000, 900_000, 1_000_000, 1_100_000, 1_200_000, 1_500_000, 2_000_000];

/// The read-mode choice in the scenario bar (recorded as a `set_raft`
/// action, so links replay it).
pub fn read_mode_select(l: Lang, act: &Callback<Action>, ev: &EventFrame) -> Html {
    let onchange = act.reform(|e: Event| {
        let v = e.target_unchecked_into::<web_sys::HtmlSelectElement>().value();
        let mode = match v.as_str() {
            "read_index" => ReadMode::ReadIndex,
            "lease" => ReadMode::Lease,
            _ => ReadMode::Log,
        };
        Action::set_raft(None, None, Some(mode), None)
    });
    let modes = [(ReadMode::Log, "log", "raft.read_mode.log"), (ReadMode::ReadIndex, "read_index", "raft.read_mode.read_index"), (ReadMode::Lease, "lease", "raft.read_mode.lease")];
    let options = modes.iter().map(|&(m, v, key)| option(v, tr(l, key), ev.read_mode == m)).collect::<Html>();
    html! {
        <span class="read-mode" title={tr(l, "raft.read_mode.title")}>
            { labelled_select(tr(l, "raft.read_mode"), true, "opt-read-mode", false, onchange, options) }
        </span>
    }
}

/// The node menu's extended items: read the key typed above, and set this
/// server's clock rate.
pub fn menu_items(l: Lang, id: NodeId, clock_ppm: u64, key_ref: &NodeRef, act: &Callback<Action>, dispatch: &Callback<UiAction>) -> Html {
    let on_read = {
        let (act, key_ref) = (act.clone(), key_ref.clone());
        Callback::from(move |_: MouseEvent| {
            let key = key_ref.cast::<web_sys::HtmlInputElement>().map(|i| i.value()).unwrap_or_default();
            let key = if key.trim().is_empty() { "x".to_string() } else { key.trim().to_string() };
            act.emit(Action::ClientRequest { node: id, command: Command::Get { key } });
        })
    };
    let on_rate = {
        let (act, dispatch) = (act.clone(), dispatch.clone());
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<web_sys::HtmlSelectElement>().value();
            if let Ok(ppm) = v.parse::<u64>() {
                act.emit(Action::SetClockDrift { node: id, rate: ppm as f64 / 1e6 });
                dispatch.emit(UiAction::CloseMenu);
            }
        })
    };
    // A rate set by a file or link that the list does not offer is kept.
    let mut rates = RATES_PPM.to_vec();
    if !rates.contains(&clock_ppm) {
        rates.push(clock_ppm);
        crate::order::sort_by_key(&mut rates, |&p| p);
    }
    let options = rates.iter().map(|&p| option(p.to_string(), format!("{}×", rate(p)), p == clock_ppm)).collect::<Html>();
    html! { <>
        <button id="menu-read" type="button" role="menuitem" onclick={on_read}>{ text(tr(l, "raft.menu.read")) }</button>
        <span class="menu-drift" title={tr(l, "raft.menu.drift.title")}>
            { labelled_select(tr(l, "raft.menu.drift"), true, "menu-drift", false, on_rate, options) }
        </span>
    </> }
}

/// A clock rate as a short decimal ("1.2").
pub fn rate(ppm: u64) -> String {
    short(ppm as f64 / 1e6)
}

/// The drift badge under a server whose clock does not run at real time.
pub fn drift_badge(l: Lang, clock_ppm: u64, x: f64, y: f64) -> Html {
    if clock_ppm == 1_000_000 {
        return Html::default();
    }
    let class = if clock_ppm > 1_000_000 { "drift fast" } else { "drift slow" };
    tag!("text" "x": fixed(x, 1), "y": fixed(y, 1), "data-drift": rate(clock_ppm), "class": class =>
        trf(l, "raft.node.clock", &[&rate(clock_ppm)]))
}

/// The text key of a "Raft features" level.
fn level_key(k: usize) -> &'static str {
    [
        "raft.level.basic",
        "raft.level.noop",
        "raft.level.backtrack",
        "raft.level.snapshots",
        "raft.level.pre_vote",
        "raft.level.check_quorum",
        "raft.level.read_index",
        "raft.level.lease",
        "raft.level.everything",
    ]
        .get(k)
        .copied()
        .unwrap_or("raft.level.custom")
}

/// A configuration's level name ("custom" when set option by option).
fn level_label(l: Lang, c: &Config) -> &'static str {
    tr(l, level_of(c).map_or("raft.level.custom", level_key))
}

/// The "Raft features" control: cumulative levels. Choosing one reruns the
/// scenario to the same moment and keeps the run it replaces (A/B).
pub fn features_select(l: Lang, base: &Config, on_level: &Callback<usize>) -> Html {
    let level = level_of(base);
    let onchange = {
        let on_level = on_level.clone();
        Callback::from(move |e: Event| {
            if let Ok(k) = e.target_unchecked_into::<web_sys::HtmlSelectElement>().value().parse::<usize>() {
                on_level.emit(k);
            }
        })
    };
    let options = level
        .is_none()
        .then(|| option("", tr(l, "raft.level.custom"), true))
        .into_iter()
        .chain((0..LEVELS.len()).map(|k| option(k.to_string(), tr(l, level_key(k)), level == Some(k))))
        .collect::<Html>();
    html! {
        <span class="features" title={tr(l, "raft.features.title")}>
            { labelled_select(tr(l, "raft.features"), true, "features", false, onchange, options) }
        </span>
    }
}

/// The A/B line: which run is on screen, a button to the other, and where
/// they first differ (a button seeks there).
pub fn ab_bar(l: Lang, ab: &Ab, on_screen: &Config, on_flip: Callback<MouseEvent>, on_seek: &Callback<u64>) -> Html {
    let (this, other) = if ab.showing_b { ("B", "A") } else { ("A", "B") };
    let other_cfg = &ab.other().scenario().raft;
    let diff = match &ab.comparison {
        Comparison::Differ(d) => {
            let (mine, theirs) = &**d;
            let (seq, cb) = (mine.seq, on_seek.clone());
            html! { <>
                <button class="linklike" id="ab-diff" data-seq={seq.to_string()} onclick={Callback::from(move |_| cb.emit(seq))}>
                    { text(trf(l, "raft.ab.diff", &[&seq, &words::secs(mine.time)])) }
                </button>
                <ul class="ab-events">
                    { el("li", None, format!("{this}: {}", words::event_line(l, mine))) }
                    { el("li", None, format!("{other}: {}", words::event_line(l, theirs))) }
                </ul>
            </> }
        }
        Comparison::Same(n) if *n >= DIFF_LIMIT => el("span", Some("ab-same"), trf(l, "raft.ab.same_limit", &[n])),
        Comparison::Same(n) => el("span", Some("ab-same"), trf(l, "raft.ab.same", &[n])),
    };
    html! {
        <div class="ab-bar" id="ab" data-showing={this} role="status">
            <strong>{ "A/B" }</strong>{ " " }
            { text(trf(l, "raft.ab.showing", &[&this, &level_label(l, on_screen), &other, &level_label(l, other_cfg)])) }
            { " " }<button id="ab-flip" onclick={on_flip}>{ text(trf(l, "raft.ab.flip", &[&other])) }</button>
            { " " }{ diff }
        </div>
    }
}

/// Width of the history lane's drawing (SVG units) and of its label column.
const W: f64 = 600.0;
const LABEL: f64 = 34.0;
const ROW: f64 = 18.0;

/// The client history lane: each operation an interval from invocation to
/// response, one row per client, coloured by outcome; the operations of a
/// linearizability violation outlined, with the moment it became visible.
pub fn history(l: Lang, f: &Frame, on_seek: &Callback<u64>) -> Html {
    let ev = &f.ev;
    let lin: Vec<_> = ev.checker.violations.iter().filter(|v| v.property == Property::Linearizability).take(5).collect();
    let violating = |op: &Op| lin.iter().any(|v| v.ops.contains(&(op.id as u64)));
    let t0 = ev.ops.iter().map(|o| o.invoked_at).min().unwrap_or(0);
    let t1 = ev.ops.iter().filter_map(|o| o.ended_at).chain([f.now]).max().unwrap_or(0).max(t0 + 1);
    let x = |t: u64| LABEL + (t.saturating_sub(t0)) as f64 / (t1 - t0) as f64 * (W - LABEL - 6.0);
    // One row per client; a client's overlapping operations (one-off
    // requests run concurrently) take further rows, first fit.
    let mut rows: Vec<(u32, f64)> = Vec::new();
    let mut at = Vec::with_capacity(ev.ops.len());
    let mut order: Vec<&Op> = ev.ops.iter().collect();
    crate::order::sort_by_key(&mut order, |o| (o.client, o.invoked_at));
    for o in &order {
        let (a, b) = (x(o.invoked_at), x(o.ended_at.unwrap_or(f.now)).max(x(o.invoked_at) + 2.0));
        let r = match rows.iter().position(|&(c, end)| c == o.client && end + 1.0 < a) {
            Some(r) => r,
            None => {
                rows.push((o.client, 0.0));
                rows.len() - 1
            }
        };
        rows[r].1 = b;
        at.push((*o, a, b, r as f64 * ROW + 4.0));
    }
    let h = rows.len().max(1) as f64 * ROW + 8.0;
    let labels = rows.iter().enumerate().filter(|&(i, r)| i == 0 || rows[i - 1].0 != r.0).map(|(i, &(c, _))| {
        let name = if c == 0 { tr(l, "raft.history.you").to_string() } else { trf(l, "raft.history.client", &[&c]) };
        html! { <text class="who" x="2" y={fixed(i as f64 * ROW + 16.0, 1)}>{ name }</text> }
    });
    let ops = at.iter().map(|&(o, a, b, y)| {
        let bad = violating(o);
        let title = op_line(l, o);
        html! { <>
            { tag!("rect" "x": fixed(a, 1), "y": fixed(y + 2.0, 1), "width": fixed(b - a, 1), "height": fixed(ROW - 6.0, 1), "rx": "2",
                "data-op": o.id.to_string(), "data-client": o.client.to_string(), "data-outcome": outcome_class(&o.outcome),
                "data-violating": bad.to_string(), "class": cls(&["op", outcome_class(&o.outcome), when(bad, "violating")]) =>
                tag!("title" => title)) }
            if bad {
                <text class="op-id" x={fixed(b + 2.0, 1)} y={fixed(y + 11.0, 1)}>{ format!("#{}", o.id) }</text>
            }
        </> }
    });
    // Where each violation became visible (clamped into the window).
    let marks = lin.iter().map(|v| {
        let vx = fixed(x(v.time.clamp(t0, t1)), 1);
        html! { <line class="seen" x1={vx.clone()} x2={vx} y1="0" y2={fixed(h, 1)} /> }
    });
    let listed = lin.iter().map(|v| {
        let seq = v.event;
        let cb = on_seek.clone();
        let ops = ev.ops.iter().filter(|o| v.ops.contains(&(o.id as u64))).map(|o| el("li", None, op_line(l, o)));
        html! {
            <li>
                <button class="linklike" onclick={Callback::from(move |_| cb.emit(seq))}>
                    { text(trf(l, "raft.history.seen", &[&v.event, &words::secs(v.time)])) }
                </button>
                <ul class="ops">{ for ops }</ul>
            </li>
        }
    });
    let bad = !lin.is_empty();
    html! {
        { tag!("section" "id": "history", "data-ops": ev.ops.len().to_string(), "data-violations": lin.len().to_string(),
            "class": if bad { "panel history-panel violated" } else { "panel history-panel" } => html! { <>
            { el("h2", None, tr(l, "raft.history")) }
            if ev.ops.is_empty() {
                { el("p", Some("hint"), tr(l, "raft.history.empty")) }
            } else {
                <svg class="lanes" viewBox={format!("0 0 {} {}", short(W), fixed(h, 0))} role="img" aria-label={tr(l, "raft.history.aria")}>
                    <g class="labels">{ for labels }</g>
                    <g class="ops">{ for ops }</g>
                    <g class="marks">{ for marks }</g>
                </svg>
                <ul class="history-legend">
                    { for ["done", "refused", "failed", "timed-out", "pending"].iter().map(|c| html! {
                        <li>{ el("span", Some(c), "") }{ text(tr(l, outcome_key(c))) }</li>
                    }) }
                </ul>
            }
            if bad {
                <div class="violating-ops" role="alert">
                    { el("p", None, tr(l, "raft.history.violating")) }
                    <ul>{ for listed }</ul>
                </div>
            }
        </> }) }
    }
}

fn outcome_class(o: &OpOutcome) -> &'static str {
    match o {
        OpOutcome::Pending => "pending",
        OpOutcome::Done { .. } => "done",
        OpOutcome::Refused => "refused",
        OpOutcome::Failed => "failed",
        OpOutcome::TimedOut => "timed-out",
    }
}

fn outcome_key(class: &str) -> &'static str {
    match class {
        "pending" => "raft.op.pending",
        "done" => "raft.op.done",
        "refused" => "raft.op.refused",
        "failed" => "raft.op.failed",
        _ => "raft.op.timed_out",
    }
}

/// "#12 get k0 → 3 · S1 · 1.200 s – 1.204 s · done".
fn op_line(l: Lang, o: &Op) -> String {
    let mut s = format!("#{} {}", o.id, words::command(l, &o.command));
    if let OpOutcome::Done { ok, value } = &o.outcome {
        if let Command::Get { .. } = o.command {
            s += &format!(" → {}", value.as_deref().unwrap_or("∅"));
        } else if !ok {
            s += &format!(" ({})", tr(l, "raft.op.not_held"));
        }
    }
    if let Some(server) = o.server {
        s += &format!(" · {}", words::server(server));
    }
    let end = o.ended_at.map(words::secs).unwrap_or_else(|| "…".into());
    s + &format!(" · {} – {} · {}", words::secs(o.invoked_at), end, tr(l, outcome_key(outcome_class(&o.outcome))))
}

// ----- membership (§4) and snapshots (§7) ---------------------------------

/// Where a server stands in the cluster's configuration, as drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    /// A voter of a plain configuration: nothing to mark.
    Voter,
    /// Receives the log but neither votes nor counts (§4.2.1); `true` while
    /// the leader is catching it up to promote it.
    Learner(bool),
    /// In C_new but not C_old while a joint configuration is in effect (§4.3).
    Joining,
    /// In C_old only while joint, or a leader managing a configuration it
    /// is not in (§4.2.2): it leaves once the change commits.
    Leaving,
    /// Not in the configuration: removed, or never added.
    Outside,
}

/// The configuration the picture judges servers by: the one in effect on
/// the current leader (the newest term's), else none.
pub fn cluster_config(ev: &EventFrame) -> Option<&Membership> {
    ev.nodes.iter().filter(|n| n.alive && n.role == Role::Leader).max_by_key(|n| n.term).map(|n| &n.membership)
}

/// How `nd` stands in `cfg` (the leader's), or in its own configuration
/// without a leader. A server with no configuration yet is outside.
pub fn standing(cfg: Option<&Membership>, nd: &NodeFrame) -> Standing {
    let m = cfg.unwrap_or(&nd.membership);
    let id = nd.id;
    if m.is_learner(id) {
        Standing::Learner(m.catching_up == Some(id))
    } else if !m.contains(id) {
        if nd.role == Role::Leader && nd.alive {
            Standing::Leaving
        } else {
            Standing::Outside
        }
    } else if m.is_joint() && !m.voters.contains(&id) {
        Standing::Leaving
    } else if m.is_joint() && !m.outgoing.contains(&id) {
        Standing::Joining
    } else {
        Standing::Voter
    }
}

/// (class, text key) of a standing; the voter of a plain configuration has none.
fn standing_mark(s: Standing) -> Option<(&'static str, &'static str)> {
    match s {
        Standing::Voter => None,
        Standing::Learner(false) => Some(("learner", "raft.member.learner")),
        Standing::Learner(true) => Some(("learner", "raft.member.catching_up")),
        Standing::Joining => Some(("joining", "raft.member.joining")),
        Standing::Leaving => Some(("leaving", "raft.member.leaving")),
        Standing::Outside => Some(("outside", "raft.member.outside")),
    }
}

/// The class a server's group gets for its standing ("" for a plain voter)
/// and the tag drawn above it (where a leader's crown goes).
pub fn standing_tag(l: Lang, s: Standing, x: f64, y: f64) -> (&'static str, Html) {
    match standing_mark(s) {
        None => ("", Html::default()),
        Some((class, key)) => (class, html! {
            <text class="member-tag" x={fixed(x, 1)} y={fixed(y, 1)} data-standing={class}>{ tr(l, key) }</text>
        }),
    }
}

/// The node menu's membership items: remove a server in the configuration
/// (§4.1, §4.2.2 for the leader itself), add back one outside it.
pub fn member_items(l: Lang, id: NodeId, s: Standing, act: &Callback<Action>, dispatch: &Callback<UiAction>) -> Html {
    let (action, item, key) = match s {
        Standing::Outside => (Action::AddServer { node: id }, "menu-add", "raft.menu.add_back"),
        _ => (Action::RemoveServer { node: id }, "menu-remove", "raft.menu.remove"),
    };
    let onclick = {
        let (act, dispatch) = (act.clone(), dispatch.clone());
        Callback::from(move |_: MouseEvent| {
            act.emit(action.clone());
            dispatch.emit(UiAction::CloseMenu);
        })
    };
    html! { <button id={item} type="button" role="menuitem" {onclick}>{ text(tr(l, key)) }</button> }
}

/// The membership panel: the configuration in effect on each server (a
/// joint one as its two sets, §4.3), those that differ from the leader's
/// marked, and a button that adds the next new server (up to 9) through
/// the leader (§4.1; as a learner first with catch-up on, §4.2.1).
pub fn membership_panel(l: Lang, ev: &EventFrame, act: &Callback<Action>) -> Html {
    let leader_cfg = cluster_config(ev);
    let rows = ev.nodes.iter().map(|nd| {
        let m = &nd.membership;
        let differs = leader_cfg.is_some_and(|c| c != m);
        let sets = if m.voters.is_empty() {
            el("span", Some("cfg-none"), tr(l, "raft.member.none"))
        } else if m.is_joint() {
            html! { <>
                <span class="cfg-set new" title={tr(l, "raft.member.c_new")}>{ set_text(&m.voters) }</span>
                { " + " }
                <span class="cfg-set old" title={tr(l, "raft.member.c_old")}>{ set_text(&m.outgoing) }</span>
            </> }
        } else {
            el("span", Some("cfg-set"), set_text(&m.voters))
        };
        let (snap_i, snap_t) = nd.snapshot;
        html! {
            { tag!("li" "data-cfg-node": nd.id.to_string(), "data-voters": ids(&m.voters), "data-learners": ids(&m.learners),
                "data-outgoing": ids(&m.outgoing), "class": cls(&["cfg-row", when(differs, "differs"), when(!nd.alive, "dead")]) => html! { <>
                <strong>{ words::server(nd.id) }</strong>{ " " }{ sets }
                if !m.learners.is_empty() {
                    { " " }{ el("span", Some("cfg-learners"), trf(l, "raft.member.learners", &[&set_text(&m.learners)])) }
                }
                if snap_i > 0 {
                    { " " }{ el("span", Some("cfg-snap"), trf(l, "raft.member.snapshot", &[&snap_i, &snap_t])) }
                }
            </> }) }
        }
    });
    let next = ev.nodes.len() as NodeId + 1;
    let on_add = act.reform(move |_: MouseEvent| Action::AddServer { node: next });
    html! {
        <section class="panel members-panel" id="members">
            { el("h2", None, tr(l, "raft.member.title")) }
            <ul class="cfg-rows">{ for rows }</ul>
            if next <= 9 {
                <button id="add-server" type="button" onclick={on_add} title={tr(l, "raft.member.add.title")}>
                    { text(trf(l, "raft.member.add", &[&next])) }
                </button>
            }
            { el("p", Some("hint"), tr(l, "raft.member.hint")) }
        </section>
    }
}

/// "{1 2 3}".
fn set_text(v: &[NodeId]) -> String {
    format!("{{{}}}", v.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(" "))
}

fn ids(v: &[NodeId]) -> String {
    v.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(",")
}

/// The log row's snapshot block (§7): the compacted prefix shown as one
/// cell spanning the window's columns at or below the snapshot's last
/// index, or nothing when the window starts after it.
pub fn snapshot_cell(l: Lang, (index, term): (u64, u64), first: u64, last: u64) -> Html {
    if index < first {
        return Html::default();
    }
    let span = index.min(last) - first + 1;
    html! {
        <td class="snapshot-block" colspan={span.to_string()} data-snapshot={index.to_string()} data-snapshot-term={term.to_string()}
            title={trf(l, "raft.log.snapshot.title", &[&index, &term])}>
            { text(trf(l, "raft.log.snapshot", &[&index, &term])) }
        </td>
    }
}

/// Message kinds only the extended module sends, for the legend.
pub const LEGEND: [(&str, &str); 2] = [("lg is", "raft.msg.is"), ("lg is-ok", "raft.msg.is_ok")];

/// The log grid's legend for configuration entries and snapshots.
pub const LOG_LEGEND: [(&str, &str, &str); 2] =
    [("entry committed config sample", "1", "raft.legend.config"), ("snapshot-block sample", "▤", "raft.legend.snapshot")];

/// The extended presets' A/B pairs (see `bar::PAIRS`): reads by ReadIndex
/// or lease (§6.4), with or without client sessions (§6.3), and a new
/// server caught up first or not (§4.2.1).
pub const PAIRS: [(&str, &str, &str); 6] = [
    ("stale-lease-read", "stale-lease-read-index", "raft.pair.with_read_index"),
    ("stale-lease-read-index", "stale-lease-read", "raft.pair.with_lease"),
    ("retry-without-sessions", "retry-with-sessions", "raft.pair.with_sessions"),
    ("retry-with-sessions", "retry-without-sessions", "raft.pair.without_sessions"),
    ("add-server", "add-server-no-catch-up", "raft.pair.without_catch_up"),
    ("add-server-no-catch-up", "add-server", "raft.pair.with_catch_up"),
];

/// Snapshot thresholds the bar offers (entries applied between snapshots;
/// 0 = no compaction). A file's other value is kept in the list.
const SNAPSHOT_EVERY: [u64; 4] = [0, 10, 25, 100];

/// The compaction and catch-up options (§7, §4.2.1), each on its own,
/// recorded as `set_raft` actions so links replay them.
pub fn membership_options(l: Lang, act: &Callback<Action>, ev: &EventFrame) -> Html {
    let on_snap = act.reform(|e: Event| {
        let v = e.target_unchecked_into::<web_sys::HtmlSelectElement>().value();
        set_raft_extra(Some(v.parse().unwrap_or(0)), None)
    });
    let mut every = SNAPSHOT_EVERY.to_vec();
    if !every.contains(&ev.snapshot_threshold) {
        every.push(ev.snapshot_threshold);
        crate::order::sort_by_key(&mut every, |&n| n);
    }
    let options = every
        .iter()
        .map(|&n| {
            let label = if n == 0 { tr(l, "raft.snap.off").to_string() } else { trf(l, "raft.snap.every", &[&n]) };
            option(n.to_string(), label, n == ev.snapshot_threshold)
        })
        .collect::<Html>();
    let catch_up = ev.learner_catch_up;
    let on_catch_up = act.reform(move |_: Event| set_raft_extra(None, Some(!catch_up)));
    html! { <>
        <span class="snap-opt" title={tr(l, "raft.snap.title")}>
            { labelled_select(tr(l, "raft.snap"), true, "opt-snapshots", false, on_snap, options) }
        </span>
        <label class="check" title={tr(l, "raft.catch_up.title")}>
            <input type="checkbox" id="opt-catch-up" checked={catch_up} onchange={on_catch_up} />{ text(tr(l, "raft.catch_up")) }
        </label>
    </> }
}

fn set_raft_extra(snapshot_threshold: Option<u64>, learner_catch_up: Option<bool>) -> Action {
    Action::SetRaft { pre_vote: None, check_quorum: None, read_mode: None, disruption_guard: None, snapshot_threshold, learner_catch_up }
}
