//! Balance sweep: sd/mean of keys per node against vnodes per node, computed
//! live by the core for the current nodes and keys (SVG line chart).
//!
//! The sweep builds ten rings (up to 512 vnodes per node) and was the largest
//! single cost of an add-node click at 64 nodes, so after the first draw it is
//! recomputed off the click's path: [`DEFER_MS`] after the last change
//! (rapid clicks recompute once), with the old chart dimmed meanwhile. The
//! view mounts this component only while its panel is shown.

use super::geom::group;
use crate::ui::widgets::{el, f1, num_td, svg_line, text};
use crate::i18n::{tr, trf, Lang};
use crate::ring::{balance_sweep, NodeSpec, SweepPoint};
use gloo_timers::callback::Timeout;
use std::rc::Rc;
use yew::prelude::*;
use crate::num::fixed;

/// Delay before recomputing after a change (ms).
pub const DEFER_MS: u32 = 400;

/// The sweep and what it was computed for.
struct Computed {
    nodes: Rc<Vec<NodeSpec>>,
    keys: Rc<Vec<String>>,
    points: Vec<SweepPoint>,
    ms: f64,
}

impl Computed {
    fn of(nodes: Rc<Vec<NodeSpec>>, keys: Rc<Vec<String>>) -> Computed {
        let t0 = super::state::now_ms();
        let points = balance_sweep(&nodes, &keys, &COUNTS).unwrap_or_default();
        Computed { nodes, keys, points, ms: super::state::now_ms() - t0 }
    }
    fn is_for(&self, nodes: &Rc<Vec<NodeSpec>>, keys: &Rc<Vec<String>>) -> bool {
        (Rc::ptr_eq(&self.nodes, nodes) || self.nodes == *nodes) && (Rc::ptr_eq(&self.keys, keys) || self.keys == *keys)
    }
}

pub const COUNTS: [u32; 10] = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];

#[derive(Properties, PartialEq)]
pub struct SweepProps {
    pub nodes: Rc<Vec<NodeSpec>>,
    pub keys: Rc<Vec<String>>,
    /// Current setting, marked on the chart.
    pub vnodes: u32,
}

#[function_component(SweepChart)]
pub fn sweep_chart(p: &SweepProps) -> Html {
    let l = use_context::<Lang>().unwrap_or_default();
    // First draw: at once. Later changes: deferred (see the module doc).
    let computed = {
        let (nodes, keys) = (p.nodes.clone(), p.keys.clone());
        use_state(move || Rc::new(Computed::of(nodes, keys)))
    };
    let stale = !computed.is_for(&p.nodes, &p.keys);
    {
        let computed = computed.clone();
        use_effect_with((p.nodes.clone(), p.keys.clone(), stale), move |(nodes, keys, stale)| {
            let timer = stale.then(|| {
                let (nodes, keys) = (nodes.clone(), keys.clone());
                Timeout::new(DEFER_MS, move || computed.set(Rc::new(Computed::of(nodes, keys))))
            });
            // A newer change cancels the pending recompute.
            move || drop(timer)
        });
    }
    let points = &computed.points;
    let (w, h, left, bottom, top, right) = (520.0, 220.0, 46.0, 30.0, 10.0, 12.0);
    let pw = w - left - right;
    let ph = h - top - bottom;
    let xmax = crate::ui::jsmath::log2(*COUNTS.last().unwrap_or(&1) as f64);
    let x = |v: f64| left + crate::ui::jsmath::log2(v.max(1.0)) / xmax * pw;
    let ymax = points.iter().map(|s| s.cv.max(s.expected_cv)).fold(0.1f64, f64::max).min(2.0);
    let y = |c: f64| top + ph - (c.min(ymax) / ymax) * ph;
    let line = |f: &dyn Fn(&crate::ring::SweepPoint) -> f64| {
        points.iter().map(|s| format!("{},{}", fixed(x(s.vnodes as f64), 1), fixed(y(f(s)), 1))).collect::<Vec<_>>().join(" ")
    };
    let ticks_x = COUNTS.iter().map(|&c| html! {
        <g>{ svg_line(Some("axis"), x(c as f64), top + ph, x(c as f64), top + ph + 4.0) }
        <text x={f1(x(c as f64))} y={f1(top + ph + 16.0)} text-anchor="middle">{ text(c.to_string()) }</text></g>
    });
    let ticks_y = (0..=4).map(|i| {
        let v = ymax * i as f64 / 4.0;
        html! { <g><line x1={crate::num::short(left)} x2={crate::num::short(left + pw)} y1={fixed(y(v), 1)} y2={fixed(y(v), 1)} class="grid" />
            <text x={f1(left - 6.0)} y={f1(y(v) + 4.0)} text-anchor="end">{ text(fixed(v, 2)) }</text></g> }
    });
    let dots = points.iter().map(|s| html! {
        <circle class="pt" cx={f1(x(s.vnodes as f64))} cy={f1(y(s.cv))} r="3"
            data-vnodes={s.vnodes.to_string()} data-cv={fixed(s.cv, 5)} />
    });
    let cur = x(p.vnodes as f64);
    let rows = points.iter().map(|s| html! {
        <tr>{ num_td(s.vnodes.to_string()) }{ num_td(group(s.points)) }{ num_td(f3(s.cv)) }
            { num_td(f3(s.arc_cv)) }{ num_td(f3(s.expected_cv)) }
            { num_td(fixed(s.peak_over_mean, 2)) }</tr>
    });
    html! {
        <section id="ring-sweep" class={if stale { "card stale" } else { "card" }} data-points={points.len().to_string()}
            data-stale={stale.to_string()} data-compute-ms={f1(computed.ms)} aria-busy={stale.to_string()}>
            { el("h3", None, tr(l, "ring.sweep.title")) }
            <p class="muted">{ text(trf(l, "ring.sweep.help", &[&computed.nodes.len(), &group(computed.keys.len())])) }
                if stale { { " " }{ el("span", Some("updating"), tr(l, "ring.sweep.updating")) } }</p>
            <svg class="sweep" viewBox={format!("0 0 {} {}", crate::num::short(w), crate::num::short(h))} role="img" aria-label={tr(l, "ring.sweep.title")}>
                { for ticks_y }{ for ticks_x }
                if p.vnodes as f64 <= COUNTS[COUNTS.len() - 1] as f64 {
                    <line class="current" x1={f1(cur)} x2={f1(cur)} y1={crate::num::short(top)} y2={crate::num::short(top + ph)} />
                }
                { for SERIES.iter().map(|&(class, f)| html! { <polyline {class} points={line(&f)} /> }) }
                { for dots }
                <text x={f1(left + pw / 2.0)} y={crate::num::short(h - 2.0)} text-anchor="middle" class="axis-label">{ text(tr(l, "ring.sweep.x")) }</text>
            </svg>
            <ul class="legend">
                { for LEGEND.iter().map(|&(class, key)| html! { <li>{ el("span", Some(class), "") }{ text(tr(l, key)) }</li> }) }
            </ul>
            <details>
                { el("summary", None, tr(l, "ring.sweep.table")) }
                <table class="sweep-table">
                    <thead><tr>{ for TABLE_COLS.iter().map(|k| el("th", None, tr(l, k))) }</tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </details>
        </section>
    }
}

/// The chart's lines, drawn in this order: (class, value plotted).
const SERIES: [(&str, fn(&SweepPoint) -> f64); 3] =
    [("expected", |s| s.expected_cv), ("arc", |s| s.arc_cv), ("measured", |s| s.cv)];

/// The legend under the chart: (class, text key).
const LEGEND: [(&str, &str); 3] =
    [("key measured", "ring.sweep.measured"), ("key arc", "ring.sweep.arc"), ("key expected", "ring.sweep.expected")];

/// The table's column heads.
const TABLE_COLS: [&str; 6] =
    ["ring.vnodes", "ring.points", "ring.sweep.measured", "ring.sweep.arc", "ring.sweep.expected", "ring.cmp.peak"];

/// `v` with three decimals.
#[inline(never)]
fn f3(v: f64) -> String {
    fixed(v, 3)
}
