//! Balance sweep: sd/mean of keys per node against vnodes per node, computed
//! live by the core for the current nodes and keys (SVG line chart).
//!
//! The sweep builds ten rings (up to 512 vnodes per node) and was the largest
//! single cost of an add-node click at 64 nodes, so after the first draw it is
//! recomputed off the click's path: [`DEFER_MS`] after the last change
//! (rapid clicks recompute once), with the old chart dimmed meanwhile. The
//! view mounts this component only while its panel is shown.

use super::geom::group;
use crate::i18n::{tr, trf, Lang};
use crate::ring::{balance_sweep, NodeSpec, SweepPoint};
use gloo_timers::callback::Timeout;
use std::rc::Rc;
use yew::prelude::*;

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
    let xmax = (*COUNTS.last().unwrap_or(&1) as f64).log2();
    let x = |v: f64| left + v.max(1.0).log2() / xmax * pw;
    let ymax = points.iter().map(|s| s.cv.max(s.expected_cv)).fold(0.1f64, f64::max).min(2.0);
    let y = |c: f64| top + ph - (c.min(ymax) / ymax) * ph;
    let line = |f: &dyn Fn(&crate::ring::SweepPoint) -> f64| {
        points.iter().map(|s| format!("{:.1},{:.1}", x(s.vnodes as f64), y(f(s)))).collect::<Vec<_>>().join(" ")
    };
    let ticks_x = COUNTS.iter().map(|&c| html! {
        <g><line x1={format!("{:.1}", x(c as f64))} x2={format!("{:.1}", x(c as f64))} y1={format!("{:.1}", top + ph)} y2={format!("{:.1}", top + ph + 4.0)} class="axis" />
        <text x={format!("{:.1}", x(c as f64))} y={format!("{:.1}", top + ph + 16.0)} text-anchor="middle">{ c }</text></g>
    });
    let ticks_y = (0..=4).map(|i| {
        let v = ymax * i as f64 / 4.0;
        html! { <g><line x1={left.to_string()} x2={(left + pw).to_string()} y1={format!("{:.1}", y(v))} y2={format!("{:.1}", y(v))} class="grid" />
            <text x={format!("{:.1}", left - 6.0)} y={format!("{:.1}", y(v) + 4.0)} text-anchor="end">{ format!("{v:.2}") }</text></g> }
    });
    let dots = points.iter().map(|s| html! {
        <circle class="pt" cx={format!("{:.1}", x(s.vnodes as f64))} cy={format!("{:.1}", y(s.cv))} r="3"
            data-vnodes={s.vnodes.to_string()} data-cv={format!("{:.5}", s.cv)} />
    });
    let cur = x(p.vnodes as f64);
    let rows = points.iter().map(|s| html! {
        <tr><td class="num">{ s.vnodes }</td><td class="num">{ group(s.points) }</td><td class="num">{ format!("{:.3}", s.cv) }</td>
            <td class="num">{ format!("{:.3}", s.arc_cv) }</td><td class="num">{ format!("{:.3}", s.expected_cv) }</td>
            <td class="num">{ format!("{:.2}", s.peak_over_mean) }</td></tr>
    });
    html! {
        <section id="ring-sweep" class={classes!("card", stale.then_some("stale"))} data-points={points.len().to_string()}
            data-stale={stale.to_string()} data-compute-ms={format!("{:.1}", computed.ms)} aria-busy={stale.to_string()}>
            <h3>{ tr(l, "ring.sweep.title") }</h3>
            <p class="muted">{ trf(l, "ring.sweep.help", &[&computed.nodes.len(), &group(computed.keys.len())]) }
                if stale { { " " }<span class="updating">{ tr(l, "ring.sweep.updating") }</span> }</p>
            <svg class="sweep" viewBox={format!("0 0 {w} {h}")} role="img" aria-label={tr(l, "ring.sweep.title")}>
                { for ticks_y }{ for ticks_x }
                if p.vnodes as f64 <= COUNTS[COUNTS.len() - 1] as f64 {
                    <line class="current" x1={format!("{cur:.1}")} x2={format!("{cur:.1}")} y1={top.to_string()} y2={(top + ph).to_string()} />
                }
                <polyline class="expected" points={line(&|s| s.expected_cv)} />
                <polyline class="arc" points={line(&|s| s.arc_cv)} />
                <polyline class="measured" points={line(&|s| s.cv)} />
                { for dots }
                <text x={format!("{:.1}", left + pw / 2.0)} y={(h - 2.0).to_string()} text-anchor="middle" class="axis-label">{ tr(l, "ring.sweep.x") }</text>
            </svg>
            <ul class="legend">
                <li><span class="key measured"></span>{ tr(l, "ring.sweep.measured") }</li>
                <li><span class="key arc"></span>{ tr(l, "ring.sweep.arc") }</li>
                <li><span class="key expected"></span>{ tr(l, "ring.sweep.expected") }</li>
            </ul>
            <details>
                <summary>{ tr(l, "ring.sweep.table") }</summary>
                <table class="sweep-table">
                    <thead><tr><th>{ tr(l, "ring.vnodes") }</th><th>{ tr(l, "ring.points") }</th><th>{ tr(l, "ring.sweep.measured") }</th>
                        <th>{ tr(l, "ring.sweep.arc") }</th><th>{ tr(l, "ring.sweep.expected") }</th><th>{ tr(l, "ring.cmp.peak") }</th></tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </details>
        </section>
    }
}
