//! Breadth-first (shortest counterexample) and depth-first search over the
//! model, with a visited set of fingerprints.
//!
//! Breadth-first, the visited set maps each state's fingerprint to its
//! parent's: 16 bytes a state (plus the hash table's slack), and the
//! counterexample is rebuilt by walking the parents back and replaying
//! from the start, choosing at each step the event whose successor has
//! the next fingerprint (so symmetry reduction needs nothing more). The
//! frontier holds whole states, which share every server an event did not
//! touch with their parent (`Arc`).
//!
//! Depth-first, the visited set maps a fingerprint to the least depth it
//! was reached at (a state reached again higher up is explored again, or
//! the bound would hide what lies below it); the path is the stack.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::model::{Event, Found, Model, State};
use crate::sim::schedule::Step;

/// Fingerprints are hashes already: the table uses them as they are.
#[derive(Default, Clone, Copy)]
struct AsIs(u64);

impl Hasher for AsIs {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ b as u64;
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

type Visited = HashMap<u64, u64, BuildHasherDefault<AsIs>>;

/// Bytes a visited table holds: one control byte and a (key, value) pair
/// per bucket.
fn table_bytes(v: &Visited) -> u64 {
    v.capacity() as u64 * 8 / 7 * 17
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Order {
    /// Level by level: the first violation found has the shortest schedule.
    #[default]
    Bfs,
    /// Down one path at a time: memory for the path only.
    Dfs,
}

/// Where a search is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Progress {
    /// Breadth-first: the depth of the states being generated; depth-first:
    /// the deepest reached.
    pub depth: u32,
    /// Successor states generated (events taken).
    pub states: u64,
    /// Distinct states (fingerprints) seen.
    pub unique: u64,
    /// States waiting: the next level's (breadth-first), the path's (depth-first).
    pub frontier: u64,
    /// Bytes the visited set holds.
    pub visited_bytes: u64,
    /// This report ends a level (breadth-first).
    pub level_done: bool,
}

/// Why a search ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stop {
    /// Every reachable state was seen, before the depth bound.
    Exhausted,
    /// Every state up to the depth bound was seen.
    Depth,
    /// A property broke.
    Violation,
    /// The caller said stop (a memory bound, a cancel button).
    Cancelled,
}

/// A property broken, and the schedule that breaks it from the start.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Counterexample {
    pub found: Found,
    pub schedule: Vec<Step>,
    /// The distinct states seen when it was found.
    pub unique_before: u64,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Report {
    pub stop: Stop,
    pub progress: Progress,
    pub counterexample: Option<Counterexample>,
}

/// How often (in states generated) the caller hears how it goes.
const REPORT_EVERY: u64 = 1 << 13;

/// Explores every schedule of at most `depth` events from `init` (the
/// labelled state `Model::from_scenario` gives), stopping at the first
/// violation. `on_progress` is called every few thousand states and after
/// each level; returning false stops the search.
pub fn explore(model: &Model, init: &State, depth: u32, order: Order, on_progress: &mut dyn FnMut(&Progress) -> bool) -> Report {
    match order {
        Order::Bfs => bfs(model, init, depth, on_progress),
        Order::Dfs => dfs(model, init, depth, on_progress),
    }
}

fn bfs(model: &Model, init: &State, depth: u32, on_progress: &mut dyn FnMut(&Progress) -> bool) -> Report {
    let mut buf = Vec::with_capacity(512);
    let mut events = Vec::new();
    let start = model.unlabelled(init);
    let root = model.fingerprint(&start, &mut buf);
    let mut visited = Visited::default();
    visited.insert(root, root);
    let mut p = Progress { unique: 1, ..Progress::default() };
    let mut level = vec![(root, start)];
    let mut next = Vec::new();
    for d in 1..=depth {
        p.depth = d;
        for (fp, s) in level.drain(..) {
            model.events(&s, &mut events);
            for &ev in &events {
                let (t, found) = model.next(&s, ev, &mut buf);
                p.states += 1;
                let tf = model.fingerprint(&t, &mut buf);
                if let Some(found) = found {
                    let mut chain = chain_to(&visited, fp);
                    chain.push(tf);
                    p.unique = visited.len() as u64;
                    return violation(model, init, chain, found, p);
                }
                if let std::collections::hash_map::Entry::Vacant(v) = visited.entry(tf) {
                    v.insert(fp);
                    // The last level is counted, never expanded: not kept.
                    if d < depth {
                        next.push((tf, t));
                    }
                }
                if p.states % REPORT_EVERY == 0 {
                    p.unique = visited.len() as u64;
                    p.frontier = next.len() as u64;
                    p.visited_bytes = table_bytes(&visited);
                    if !on_progress(&p) {
                        return Report { stop: Stop::Cancelled, progress: p, counterexample: None };
                    }
                }
            }
        }
        std::mem::swap(&mut level, &mut next);
        p.unique = visited.len() as u64;
        p.frontier = level.len() as u64;
        p.visited_bytes = table_bytes(&visited);
        p.level_done = true;
        let go_on = on_progress(&p);
        p.level_done = false;
        if level.is_empty() {
            return Report { stop: Stop::Exhausted, progress: p, counterexample: None };
        }
        if !go_on {
            return Report { stop: Stop::Cancelled, progress: p, counterexample: None };
        }
    }
    Report { stop: Stop::Depth, progress: p, counterexample: None }
}

/// The fingerprints from the root to `fp`, by the parents' links.
fn chain_to(visited: &Visited, mut fp: u64) -> Vec<u64> {
    let mut chain = vec![fp];
    while let Some(&parent) = visited.get(&fp) {
        if parent == fp {
            break;
        }
        chain.push(parent);
        fp = parent;
    }
    chain.reverse();
    chain
}

struct Frame {
    fp: u64,
    state: State,
    events: Vec<Event>,
    next: usize,
}

fn dfs(model: &Model, init: &State, depth: u32, on_progress: &mut dyn FnMut(&Progress) -> bool) -> Report {
    let mut buf = Vec::with_capacity(512);
    let start = model.unlabelled(init);
    let root = model.fingerprint(&start, &mut buf);
    let mut visited = Visited::default();
    visited.insert(root, 0);
    let mut p = Progress { unique: 1, ..Progress::default() };
    let mut events = Vec::new();
    model.events(&start, &mut events);
    let mut stack = vec![Frame { fp: root, state: start, events, next: 0 }];
    while let Some(top) = stack.last_mut() {
        let Some(&ev) = top.events.get(top.next) else {
            stack.pop();
            continue;
        };
        top.next += 1;
        let (t, found) = model.next(&top.state, ev, &mut buf);
        p.states += 1;
        let tf = model.fingerprint(&t, &mut buf);
        let d = stack.len() as u64;
        p.depth = p.depth.max(d as u32);
        if let Some(found) = found {
            let mut chain: Vec<u64> = stack.iter().map(|f| f.fp).collect();
            chain.push(tf);
            p.unique = visited.len() as u64;
            return violation(model, init, chain, found, p);
        }
        let deeper = match visited.get(&tf) {
            Some(&seen) if seen <= d => false,
            _ => {
                visited.insert(tf, d);
                d < depth as u64
            }
        };
        if deeper {
            let mut events = Vec::new();
            model.events(&t, &mut events);
            stack.push(Frame { fp: tf, state: t, events, next: 0 });
        }
        if p.states % REPORT_EVERY == 0 {
            p.unique = visited.len() as u64;
            p.frontier = stack.len() as u64;
            p.visited_bytes = table_bytes(&visited);
            if !on_progress(&p) {
                return Report { stop: Stop::Cancelled, progress: p, counterexample: None };
            }
        }
    }
    p.unique = visited.len() as u64;
    p.frontier = 0;
    p.visited_bytes = table_bytes(&visited);
    let _ = on_progress(&p);
    Report { stop: Stop::Depth, progress: p, counterexample: None }
}

fn violation(model: &Model, init: &State, chain: Vec<u64>, found: Found, p: Progress) -> Report {
    let schedule = label(model, init, &chain, &found).unwrap_or_default();
    let counterexample = Counterexample { found, schedule, unique_before: p.unique };
    Report { stop: Stop::Violation, progress: p, counterexample: Some(counterexample) }
}

/// Replays the fingerprints `chain` (root first) from the labelled `init`,
/// naming each event as a schedule step; the last event is the one that
/// breaks `found`'s property. None if no event matches (a fingerprint
/// collision, 2^-64 a pair).
pub fn label(model: &Model, init: &State, chain: &[u64], found: &Found) -> Option<Vec<Step>> {
    let mut buf = Vec::with_capacity(512);
    let mut events = Vec::new();
    let mut cur = init.clone();
    let mut steps = Vec::with_capacity(chain.len());
    for (k, &fp) in chain.iter().enumerate().skip(1) {
        let last = k + 1 == chain.len();
        model.events(&cur, &mut events);
        let (ev, t) = events.iter().find_map(|&ev| {
            let (t, f) = model.next(&cur, ev, &mut buf);
            let fits = model.fingerprint(&t, &mut buf) == fp
                && (!last || f.as_ref().is_some_and(|f| f.property == found.property));
            fits.then_some((ev, t))
        })?;
        steps.push(model.step_of(&cur, ev));
        cur = t;
    }
    Some(steps)
}
