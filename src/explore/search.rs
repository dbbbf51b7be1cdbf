//! Breadth-first (shortest counterexample) and depth-first search over the
//! model, with a visited set of fingerprints.
//!
//! Breadth-first, the visited set holds fingerprints, and each level is a
//! list of 8-byte references (parent's position in the level before, event)
//! instead of states: the states of a level are made again from the start
//! when the next one is generated (`replay`). A counterexample is rebuilt
//! by walking the references back, then replaying from the start, choosing
//! at each step the event whose successor has the next fingerprint (so
//! symmetry reduction needs nothing more).
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

/// Depth-first: fingerprint → the least depth it was reached at.
type Visited = HashMap<u64, u64, BuildHasherDefault<AsIs>>;
/// Breadth-first: the fingerprints seen, in one open-addressed table of
/// 8-byte slots probed linearly (0 marks an empty slot; fingerprint 0 is
/// kept aside). A lookup is one cache miss, mostly: the table is far larger
/// than the caches, and a general hash set reads its control bytes and its
/// slot, two places.
#[derive(Default)]
struct Seen {
    slots: Vec<u64>,
    len: usize,
    zero: bool,
}

impl Seen {
    /// Most slots filled before the table doubles: 3 in 4 (linear probing
    /// stays short below that).
    fn full(len: usize, slots: usize) -> bool {
        len * 4 >= slots * 3
    }

    /// Whether `fp` is new (and now seen).
    #[inline]
    fn insert(&mut self, fp: u64) -> bool {
        if fp == 0 {
            let new = !self.zero;
            self.zero = true;
            self.len += new as usize;
            return new;
        }
        if Seen::full(self.len + 1, self.slots.len()) {
            self.grow((self.len + 1) * 2);
        }
        let mask = self.slots.len() - 1;
        let mut i = fp as usize & mask;
        loop {
            let v = self.slots[i];
            if v == fp {
                return false;
            }
            if v == 0 {
                self.slots[i] = fp;
                self.len += 1;
                return true;
            }
            i = (i + 1) & mask;
        }
    }

    /// Room for `more` fingerprints without growing.
    fn reserve(&mut self, more: usize) {
        if Seen::full(self.len + more, self.slots.len()) {
            self.grow(self.len + more);
        }
    }

    /// A table with room for `n`, the fingerprints moved into it.
    fn grow(&mut self, n: usize) {
        let mut size = self.slots.len().max(16);
        while Seen::full(n, size) {
            size *= 2;
        }
        let old = std::mem::replace(&mut self.slots, vec![0; size]);
        let mask = size - 1;
        for fp in old.into_iter().filter(|&v| v != 0) {
            let mut i = fp as usize & mask;
            while self.slots[i] != 0 {
                i = (i + 1) & mask;
            }
            self.slots[i] = fp;
        }
    }

    fn len(&self) -> usize {
        self.len
    }

    fn bytes(&self) -> u64 {
        (self.slots.capacity() * 8) as u64
    }
}

/// Bytes a hash table of `entry`-byte entries holds: a control byte and an
/// entry per bucket, buckets a power of two at most 7/8 full.
fn table_bytes(capacity: usize, entry: u64) -> u64 {
    let buckets = (capacity * 8 / 7).next_power_of_two() as u64;
    buckets * (entry + 1)
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

/// One state of a breadth-first level: its parent's position in the level
/// before, and the event that led from there. 8 bytes: the level's states
/// themselves are not kept, but made again from the start, in order, when
/// the next level is generated (see `replay`).
#[derive(Clone, Copy, Debug)]
struct Ref {
    parent: u32,
    event: Event,
}

/// Calls `f` with every state of level `k` (`levels[k - 1]`; level 0 is
/// `root`), in order, each made from its parent by its event. The states of
/// the levels before are made on the way, one at a time: a level costs its
/// parents' events once more (levels grow by the branching factor, so this
/// adds about one state in four), and memory is one state per level.
fn replay(model: &Model, levels: &[Vec<Ref>], k: usize, root: &State, f: &mut dyn FnMut(&State, usize) -> bool) -> bool {
    if k == 0 {
        return f(root, 0);
    }
    let refs = &levels[k - 1];
    let mut j = 0;
    let mut buf = Vec::with_capacity(512);
    let mut s = root.clone();
    replay(model, levels, k - 1, root, &mut |parent, at| {
        while j < refs.len() && refs[j].parent as usize == at {
            model.next_again(parent, refs[j].event, &mut buf, &mut s);
            if !f(&s, j) {
                return false;
            }
            j += 1;
        }
        true
    })
}

fn bfs(model: &Model, init: &State, depth: u32, on_progress: &mut dyn FnMut(&Progress) -> bool) -> Report {
    let mut buf = Vec::with_capacity(512);
    let mut events = Vec::new();
    let start = model.unlabelled(init);
    let root = model.fingerprint(&start, &mut buf);
    let mut visited = Seen::default();
    visited.insert(root);
    let mut p = Progress { unique: 1, ..Progress::default() };
    let mut levels: Vec<Vec<Ref>> = Vec::new();
    // Each successor is made here, in the same memory.
    let mut t = start.clone();
    for d in 1..=depth {
        p.depth = d;
        let mut next: Vec<Ref> = Vec::new();
        // The next level will be about as much bigger as this one was than
        // the one before: room for it now, not rehashing as it comes.
        if let [.., a, b] = &levels[..] {
            let grow = b.len() as f64 / a.len().max(1) as f64;
            visited.reserve((b.len() as f64 * grow.min(8.0)) as usize);
        }
        let mut hit: Option<(usize, Event, Found)> = None;
        let mut cancelled = false;
        replay(model, &levels, d as usize - 1, &start, &mut |s, at| {
            model.events(s, &mut events);
            for &ev in &events {
                let found = model.next_into(s, ev, &mut buf, &mut t);
                p.states += 1;
                if let Some(found) = found {
                    hit = Some((at, ev, found));
                    return false;
                }
                let tf = model.fingerprint(&t, &mut buf);
                if visited.insert(tf) {
                    // The last level is counted, never expanded: not kept.
                    if d < depth {
                        next.push(Ref { parent: at as u32, event: ev });
                    }
                }
                if p.states % REPORT_EVERY == 0 {
                    p.unique = visited.len() as u64;
                    p.frontier = next.len() as u64;
                    p.visited_bytes = visited.bytes() + refs_bytes(&levels, &next);
                    if !on_progress(&p) {
                        cancelled = true;
                        return false;
                    }
                }
            }
            true
        });
        p.unique = visited.len() as u64;
        if let Some((at, ev, found)) = hit {
            // The events from the start: back through the parents.
            let mut path = vec![ev];
            let mut i = at;
            for level in levels.iter().rev() {
                path.push(level[i].event);
                i = level[i].parent as usize;
            }
            path.reverse();
            return violation_by_events(model, init, &start, &path, found, p);
        }
        if cancelled {
            return Report { stop: Stop::Cancelled, progress: p, counterexample: None };
        }
        p.frontier = next.len() as u64;
        p.visited_bytes = visited.bytes() + refs_bytes(&levels, &next);
        p.level_done = true;
        let go_on = on_progress(&p);
        p.level_done = false;
        let empty = next.is_empty();
        next.shrink_to_fit();
        levels.push(next);
        if empty && d < depth {
            return Report { stop: Stop::Exhausted, progress: p, counterexample: None };
        }
        if !go_on {
            return Report { stop: Stop::Cancelled, progress: p, counterexample: None };
        }
    }
    Report { stop: Stop::Depth, progress: p, counterexample: None }
}

/// Bytes the levels' references hold.
fn refs_bytes(levels: &[Vec<Ref>], next: &[Ref]) -> u64 {
    let held: usize = levels.iter().map(|l| l.capacity()).sum::<usize>() + next.len();
    (held * std::mem::size_of::<Ref>()) as u64
}

/// The counterexample of `path` (events from the unlabelled `start`):
/// its fingerprints, then its schedule (`label`).
fn violation_by_events(model: &Model, init: &State, start: &State, path: &[Event], found: Found, p: Progress) -> Report {
    let mut buf = Vec::with_capacity(512);
    let mut chain = vec![model.fingerprint(start, &mut buf)];
    let mut cur = start.clone();
    for &ev in path {
        cur = model.next(&cur, ev, &mut buf).0;
        chain.push(model.fingerprint(&cur, &mut buf));
    }
    violation(model, init, chain, found, p)
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
            p.visited_bytes = table_bytes(visited.capacity(), 16);
            if !on_progress(&p) {
                return Report { stop: Stop::Cancelled, progress: p, counterexample: None };
            }
        }
    }
    p.unique = visited.len() as u64;
    p.frontier = 0;
    p.visited_bytes = table_bytes(visited.capacity(), 16);
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
