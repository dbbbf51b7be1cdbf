//! What a membership change does: which keys move from which node to which,
//! how that compares with the minimum, and (ring) which arcs change owner.

use super::hashring::{arc_diff, ArcChange};
use super::node::Change;
use super::placement::{Algorithm, Assignment, Placement, Settings};
use super::stats::Stats;
use super::types::{NodeSpec, RingError};
use serde::Serialize;

/// Keys moving between one pair of nodes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Flow {
    pub from: String,
    pub to: String,
    pub keys: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeyMove {
    pub key: String,
    pub from: String,
    pub to: String,
}

/// The exact migration plan between two placements of the same keys.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Migration {
    pub keys: usize,
    pub moved: usize,
    pub moved_fraction: f64,
    /// The fraction an ideal scheme moves: the total share lost by nodes whose
    /// share shrinks (weights for weighted algorithms, 1/N otherwise). That
    /// is 1/(n+1) for adding an equal node to n, and the removed node's share
    /// for a removal.
    pub ideal_fraction: f64,
    /// Lower bound given the actual loads: Σ max(0, before − after) / keys.
    /// No scheme reaching the same loads can move fewer keys.
    pub minimum_fraction: f64,
    /// Moves counted per (from, to), sorted by names.
    pub flows: Vec<Flow>,
    /// Every moved key, in key order.
    pub moves: Vec<KeyMove>,
    /// Ring only: stretches of the circle that changed owner.
    pub arcs: Option<Vec<ArcChange>>,
    /// Ring only: total length of those stretches (fraction of the circle).
    pub arcs_fraction: Option<f64>,
}

/// Migration plan from `before` to `after` for `keys`. Nodes are matched by
/// name, so a removed or added node simply appears only on one side.
pub fn migration(before: &Placement, after: &Placement, keys: &[String]) -> Migration {
    let a = before.assign(keys);
    let b = after.assign(keys);
    migration_of(before, &a, after, &b, keys)
}

fn shares_by_name(p: &Placement) -> Vec<(&str, f64)> {
    by_name(p, p.expected_shares())
}

/// Per-node values in node-name order (the order sums and reports have
/// always used). A sorted Vec rather than a BTreeMap: node lists are short,
/// and each BTreeMap key/value type adds kilobytes to the page.
fn by_name<V>(p: &Placement, values: impl IntoIterator<Item = V>) -> Vec<(&str, V)> {
    let mut v: Vec<(&str, V)> = p.nodes().iter().map(|n| n.name.as_str()).zip(values).collect();
    crate::order::sort_by(&mut v, |x, y| x.0.cmp(y.0));
    v
}

/// The value for `name` in a list from [`by_name`] (sorted, so a binary search).
fn get<V: Copy>(v: &[(&str, V)], name: &str) -> Option<V> {
    v.binary_search_by(|e| e.0.cmp(name)).ok().map(|i| v[i].1)
}

pub(crate) fn migration_of(
    before: &Placement,
    a: &Assignment,
    after: &Placement,
    b: &Assignment,
    keys: &[String],
) -> Migration {
    // Keys moved per (old owner, new owner), counted by node index.
    let cols = after.nodes().len();
    let mut counts = vec![0usize; before.nodes().len() * cols];
    let mut moves = Vec::new();
    for (i, key) in keys.iter().enumerate() {
        let (x, y) = (a.owners[i] as usize, b.owners[i] as usize);
        let (from, to) = (before.node_name(x), after.node_name(y));
        if from != to {
            counts[x * cols + y] += 1;
            moves.push(KeyMove { key: key.clone(), from: from.to_string(), to: to.to_string() });
        }
    }
    let mut flows: Vec<Flow> = Vec::new();
    for (xy, &n) in counts.iter().enumerate() {
        if n > 0 {
            let (from, to) = (before.node_name(xy / cols), after.node_name(xy % cols));
            flows.push(Flow { from: from.into(), to: to.into(), keys: n });
        }
    }
    crate::order::sort_by(&mut flows, |p, q| (p.from.as_str(), p.to.as_str()).cmp(&(q.from.as_str(), q.to.as_str())));
    let k = keys.len();
    let frac = |x: usize| if k == 0 { 0.0 } else { x as f64 / k as f64 };

    let (sa, sb) = (shares_by_name(before), shares_by_name(after));
    let ideal_fraction = sa.iter().map(|&(n, s)| (s - get(&sb, n).unwrap_or(0.0)).max(0.0)).sum();

    let la = by_name(before, a.loads.iter().copied());
    let lb = by_name(after, b.loads.iter().copied());
    let shrink: usize = la.iter().map(|&(n, l)| l.saturating_sub(get(&lb, n).unwrap_or(0))).sum();

    let arcs = match (before.algorithm(), after.algorithm(), before.ring(), after.ring()) {
        (Algorithm::Ring, Algorithm::Ring, Some(r1), Some(r2)) => Some(arc_diff(r1, r2)),
        _ => None,
    };
    let arcs_fraction = arcs.as_ref().map(|v| v.iter().map(|c| c.length_fraction).sum());
    Migration {
        keys: k,
        moved: moves.len(),
        moved_fraction: frac(moves.len()),
        ideal_fraction,
        minimum_fraction: frac(shrink),
        flows,
        moves,
        arcs,
        arcs_fraction,
    }
}

/// Before/after statistics and the migration of one change under one algorithm.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChangeReport {
    pub algorithm: Algorithm,
    pub label: &'static str,
    pub change: Change,
    pub before: Stats,
    pub after: Stats,
    pub migration: Migration,
}

impl ChangeReport {
    /// Applies `change` to `before` and reports it on `keys`.
    pub fn new(before: &Placement, change: &Change, keys: &[String]) -> Result<ChangeReport, RingError> {
        let after = before.with_change(change)?;
        let a = before.assign(keys);
        let b = after.assign(keys);
        Ok(ChangeReport {
            algorithm: before.algorithm(),
            label: before.algorithm().label(),
            change: change.clone(),
            before: Stats::new(before, &a),
            after: Stats::new(&after, &b),
            migration: migration_of(before, &a, &after, &b, keys),
        })
    }
}

/// The same change on the same keys under every algorithm, for the
/// comparison view (`settings.algorithm` is ignored).
pub fn compare_algorithms(
    nodes: &[NodeSpec],
    settings: &Settings,
    change: &Change,
    keys: &[String],
) -> Result<Vec<ChangeReport>, RingError> {
    Algorithm::ALL
        .into_iter()
        .map(|algorithm| {
            let p = Placement::new(nodes.to_vec(), Settings { algorithm, ..settings.clone() })?;
            ChangeReport::new(&p, change, keys)
        })
        .collect()
}
