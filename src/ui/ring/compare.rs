//! Compare mode: the same keys and the same change under every algorithm,
//! side by side (keys moved, sd/mean, peak/mean, per-node load bars).

use super::geom::{colour, colour_index, group, pct};
use super::state::RingState;
use crate::ui::widgets::{el, num_td, text, thead};
use crate::i18n::{tr, trf, Lang};
use crate::ring::{compare_algorithms, node_name, Change, ChangeReport, NodeSpec, RingError, Settings};
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;
use crate::num::fixed;

/// The change to compare: the last membership change, else "add one node"
/// to the current nodes.
pub fn change_for(s: &RingState) -> (Rc<Vec<NodeSpec>>, Change) {
    if let Some(c) = &s.last {
        if let Some(ch) = &c.change {
            return (Rc::new(c.before_nodes.clone()), ch.clone());
        }
    }
    let nodes = s.placement.nodes().to_vec();
    let name = (0..).map(node_name).find(|n| !nodes.iter().any(|x| &x.name == n)).unwrap_or_default();
    (Rc::new(nodes), Change::Add { name, weight: 1.0, vnodes: None })
}

/// What is compared: the nodes before the change, the change, the settings, the keys.
#[derive(Clone, PartialEq)]
pub struct CompareProps {
    pub before: Rc<Vec<NodeSpec>>,
    pub change: Change,
    pub settings: Settings,
    pub keys: Rc<Vec<String>>,
}

fn describe(l: Lang, c: &Change, before: usize) -> String {
    match c {
        Change::Add { name, .. } => trf(l, "ring.cmp.add", &[name, &before, &(before + 1)]),
        Change::Remove { name } => trf(l, "ring.cmp.remove", &[name, &before, &before.saturating_sub(1)]),
        Change::Reweight { name, weight } => trf(l, "ring.cmp.reweight", &[name, &crate::num::short(*weight)]),
    }
}

/// The last comparison computed and what it was computed for (kept by the view).
pub type Cache = Option<(CompareProps, Rc<Result<Vec<ChangeReport>, RingError>>)>;

/// The compare panel for `p`; computes the comparison only when `p`
/// differs from what `cache` holds.
pub fn compare_panel(l: Lang, p: &CompareProps, cache: &RefCell<Cache>) -> Html {
    let reports = {
        let mut cache = cache.borrow_mut();
        match &*cache {
            Some((q, r)) if q == p => r.clone(),
            _ => {
                let r = Rc::new(compare_algorithms(&p.before, &p.settings, &p.change, &p.keys));
                *cache = Some((p.clone(), r.clone()));
                r
            }
        }
    };
    let body = match &*reports {
        Err(_) => el("p", Some("muted"), tr(l, "ring.cmp.failed")),
        Ok(list) => {
            let rows = list.iter().map(|r| {
                let m = &r.migration;
                let a = &r.after;
                let max = a.nodes.iter().map(|n| n.keys).max().unwrap_or(1).max(1) as f64;
                let n = a.nodes.len().max(1) as f64;
                let (w, h) = (160.0, 40.0);
                let bw = w / n;
                let bars = a.nodes.iter().enumerate().map(|(i, nl)| {
                    let bh = nl.keys as f64 / max * (h - 4.0);
                    html! { <rect x={fixed(i as f64 * bw + bw * 0.1, 2)} y={fixed(h - bh, 2)} width={fixed(bw * 0.8, 2)}
                        height={fixed(bh, 2)} fill={colour(colour_index(&nl.name))} /> }
                });
                let mean_y = h - a.mean / max * (h - 4.0);
                let bar_text = a.nodes.iter().map(|nl| format!("{} {}", nl.name, nl.keys)).collect::<Vec<_>>().join(", ");
                let is_seed = r.algorithm == crate::ring::Algorithm::ModN;
                html! {
                    <tr data-algo={r.algorithm.id()} data-moved={m.moved.to_string()} data-moved-fraction={fixed(m.moved_fraction, 6)}
                        data-cv={fixed(a.cv, 6)} data-peak={fixed(a.peak_over_mean, 6)} class={is_seed.then_some("seed")}>
                        <th scope="row">{ text(tr(l, super::algo_key(r.algorithm))) }
                            if is_seed { { el("div", Some("muted small"), tr(l, "ring.cmp.seed_note")) } }
                        </th>
                        <td class="num moved">
                            <div class="movebar" aria-hidden="true"><span style={format!("width:{}%", fixed(m.moved_fraction * 100.0, 1))}></span></div>
                            { format!("{} ({})", group(m.moved), pct(m.moved_fraction)) }
                        </td>
                        { num_td(pct(m.ideal_fraction)) }
                        { num_td(fixed(a.cv, 3)) }
                        { num_td(fixed(a.peak_over_mean, 3)) }
                        <td>
                            <svg class="loadbars" viewBox="0 0 160 40" width="160" height="40" role="img" aria-label={bar_text.clone()}>
                                { for bars }
                                <line x1="0" x2="160" y1={fixed(mean_y, 2)} y2={fixed(mean_y, 2)} class="meanline" />
                            </svg>
                        </td>
                    </tr>
                }
            });
            html! {
                <table id="compare-table" class="compare">
                    <caption>{ text(describe(l, &p.change, p.before.len())) }{ " · " }{ text(trf(l, "ring.cmp.keys", &[&group(p.keys.len())])) }</caption>
                    { thead(l, &["ring.algorithm", "ring.cmp.moved", "ring.cmp.ideal", "ring.cmp.cv", "ring.cmp.peak", "ring.cmp.loads"]) }
                    <tbody>{ for rows }</tbody>
                </table>
            }
        }
    };
    html! {
        <section id="ring-compare" class="card">
            { el("h3", None, tr(l, "ring.cmp.title")) }
            { el("p", Some("muted"), tr(l, "ring.cmp.help")) }
            { body }
        </section>
    }
}
