//! Turns a core [`Explanation`] into numbered steps to narrate, each with
//! what to highlight on the drawing. Pure presentation: every number comes
//! from the explanation the core produced.

use crate::i18n::{tr, trf, Lang};
use crate::ring::{fraction, Explanation, Placement};
use crate::num::fixed;

/// What the drawing highlights for one step (fractions of the circle).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Mark {
    /// The key's position.
    pub key: Option<f64>,
    /// The search window [lo, hi) of a binary-search probe.
    pub range: Option<(f64, f64)>,
    /// A vnode point: its position and owner's node index.
    pub point: Option<(f64, usize)>,
    /// True when `point` was skipped (replica walk, bounded loads).
    pub skipped: bool,
    /// Chosen nodes, by name (the owner; the whole preference list at its step).
    pub owners: Vec<String>,
}

pub struct Step {
    pub text: String,
    pub mark: Mark,
}

fn deg(f: f64) -> f64 {
    f * 360.0
}

pub fn steps(l: Lang, e: &Explanation, p: &Placement) -> Vec<Step> {
    let mut out = Vec::new();
    let h = e.hash();
    let kf = fraction(h);
    let key_only = Mark { key: Some(kf), ..Mark::default() };
    let key = super::state::explanation_key(e).to_string();
    out.push(Step { text: trf(l, "ring.step.hash", &[&key, &format!("0x{h:016x}")]), mark: key_only.clone() });
    match e {
        Explanation::Ring(x) => {
            out.push(Step {
                text: trf(l, "ring.step.position", &[&h, &fixed(x.fraction, 4), &fixed(deg(x.fraction), 1)]),
                mark: key_only.clone(),
            });
            let positions = p.ring().map(|r| r.positions()).unwrap_or(&[]);
            for (i, pr) in x.probes.iter().enumerate() {
                let lo = positions.get(pr.lo).map(|&v| fraction(v)).unwrap_or(0.0);
                let hi = positions.get(pr.hi.saturating_sub(1)).map(|&v| fraction(v)).unwrap_or(1.0);
                let dir = if pr.went == "right" { tr(l, "ring.step.before") } else { tr(l, "ring.step.after") };
                let owner = p.ring().map(|r| r.point_owner(pr.mid)).unwrap_or(0);
                out.push(Step {
                    text: trf(l, "ring.step.probe", &[&(i + 1), &pr.lo, &pr.hi, &pr.mid, &fixed(pr.mid_fraction, 4), &dir]),
                    mark: Mark { key: Some(kf), range: Some((lo, hi)), point: Some((pr.mid_fraction, owner)), ..Mark::default() },
                });
            }
            let s = &x.successor;
            let succ_mark = Mark { key: Some(kf), point: Some((s.fraction, s.node_index)), ..Mark::default() };
            let text = if x.wrapped {
                trf(l, "ring.step.wrap", &[&s.index, &s.node, &s.vnode])
            } else {
                trf(l, "ring.step.successor", &[&s.index, &s.node, &s.vnode, &fixed(s.fraction, 4)])
            };
            out.push(Step { text, mark: succ_mark.clone() });
            out.push(Step {
                text: trf(l, "ring.step.owner", &[&x.owner]),
                mark: Mark { owners: vec![x.owner.clone()], ..succ_mark },
            });
            if x.preference_list.len() > 1 {
                let mut chosen = 1;
                for w in x.walk.iter().skip(1) {
                    let v = &w.vnode;
                    let text = if w.taken {
                        chosen += 1;
                        trf(l, "ring.step.replica", &[&v.node, &v.vnode, &chosen])
                    } else {
                        trf(l, "ring.step.skip", &[&v.node, &v.vnode])
                    };
                    out.push(Step {
                        text,
                        mark: Mark { key: Some(kf), point: Some((v.fraction, v.node_index)), skipped: !w.taken, ..Mark::default() },
                    });
                }
                out.push(Step {
                    text: trf(l, "ring.step.preference", &[&x.preference_list.join(", ")]),
                    mark: Mark { key: Some(kf), owners: x.preference_list.clone(), ..Mark::default() },
                });
            }
        }
        Explanation::Bounded(x) => {
            let f = &x.first_choice;
            out.push(Step {
                text: trf(l, "ring.step.bounded.first", &[&f.node, &f.vnode, &fixed(f.fraction, 4)]),
                mark: Mark { key: Some(kf), point: Some((f.fraction, f.node_index)), ..Mark::default() },
            });
            let cap = x.capacities.iter().copied().max().unwrap_or(0);
            out.push(Step { text: trf(l, "ring.step.bounded.cap", &[&crate::num::short(x.epsilon), &x.keys, &cap, &x.order]), mark: key_only.clone() });
            for s in &x.skipped {
                out.push(Step {
                    text: trf(l, "ring.step.bounded.skip", &[&s.vnode.node, &s.vnode.vnode, &s.load]),
                    mark: Mark { key: Some(kf), point: Some((s.vnode.fraction, s.vnode.node_index)), skipped: true, ..Mark::default() },
                });
            }
            out.push(Step {
                text: trf(l, "ring.step.owner", &[&x.owner]),
                mark: Mark { key: Some(kf), owners: vec![x.owner.clone()], ..Mark::default() },
            });
        }
        Explanation::ModN(x) => {
            out.push(Step { text: trf(l, "ring.step.modn.sum", &[&x.hash, &x.constant, &x.sum]), mark: key_only.clone() });
            out.push(Step { text: trf(l, "ring.step.modn.mod", &[&x.sum, &x.n, &x.index]), mark: key_only.clone() });
            out.push(Step {
                text: trf(l, "ring.step.owner", &[&x.owner]),
                mark: Mark { key: Some(kf), owners: vec![x.owner.clone()], ..Mark::default() },
            });
        }
        Explanation::Jump(x) => {
            for s in &x.steps {
                out.push(Step { text: trf(l, "ring.step.jump", &[&s.bucket, &s.next, &x.buckets]), mark: key_only.clone() });
            }
            out.push(Step {
                text: trf(l, "ring.step.owner", &[&x.owner]),
                mark: Mark { key: Some(kf), owners: vec![x.owner.clone()], ..Mark::default() },
            });
        }
        Explanation::Rendezvous(x) => {
            let mut scores: Vec<_> = x.scores.iter().collect();
            crate::order::sort_by(&mut scores, |a, b| b.score.total_cmp(&a.score));
            for s in scores.iter().take(5) {
                out.push(Step {
                    text: trf(l, "ring.step.rendezvous", &[&s.node, &crate::num::short(s.weight), &fixed(s.u, 4), &fixed(s.score, 3)]),
                    mark: Mark { key: Some(kf), owners: vec![s.node.clone()], ..Mark::default() },
                });
            }
            out.push(Step {
                text: trf(l, "ring.step.owner", &[&x.owner]),
                mark: Mark { key: Some(kf), owners: vec![x.owner.clone()], ..Mark::default() },
            });
        }
        Explanation::Maglev(x) => {
            out.push(Step { text: trf(l, "ring.step.maglev", &[&x.hash, &x.table_size, &x.slot]), mark: key_only.clone() });
            out.push(Step {
                text: trf(l, "ring.step.owner", &[&x.owner]),
                mark: Mark { key: Some(kf), owners: vec![x.owner.clone()], ..Mark::default() },
            });
        }
    }
    out
}
