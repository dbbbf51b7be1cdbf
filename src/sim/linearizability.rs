//! The history checker: is what the clients saw linearizable?
//!
//! Each client operation is an interval, from its invocation to its response
//! (Herlihy & Wing). The history is linearizable if every operation can be
//! given one instant inside its interval such that, in that order, a single
//! copy of the key-value map explains every result the clients got. Keys
//! are independent, so each key is checked on its own (P-compositionality).
//!
//! The search is Wing & Gong's, with Lowe's memo of (operations linearized,
//! state) pairs (as Porcupine and Knossos do): pick an operation that may go
//! next — none of the others still open returned before it was invoked —
//! apply it to the model, recurse, backtrack on a mismatch.
//!
//! Checked incrementally after every response: operations that returned
//! before every operation still open was invoked must come first in any
//! linearization, so once they are checked they are folded into the set of
//! states the key may be in, and the search only ever sees the recent
//! window. An operation whose outcome is unknown (the client gave up) stays
//! open: it may have taken effect at any point after its invocation, or
//! never. The simulator closes it when the entry shows up as applied (see
//! `clients.rs`).

use std::collections::BTreeSet;

/// What an operation did to its key, with what its client saw.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Effect {
    /// Set (Some) or Delete (None).
    Write(Option<String>),
    Append(String),
    /// A read that returned this value.
    Read(Option<String>),
    /// Compare-and-set; `ok` as answered (None: not known).
    Cas { expected: Option<String>, value: String, ok: Option<bool> },
}

impl Effect {
    /// The state after this operation, or None if it cannot have run on `state`.
    fn apply(&self, state: &Option<String>) -> Option<Option<String>> {
        match self {
            Effect::Write(v) => Some(v.clone()),
            Effect::Append(v) => Some(Some(format!("{}{v}", state.as_deref().unwrap_or("")))),
            Effect::Read(v) => (v == state).then(|| state.clone()),
            Effect::Cas { expected, value, ok } => {
                let hit = state == expected;
                if ok.is_some_and(|ok| ok != hit) {
                    None
                } else if hit {
                    Some(Some(value.clone()))
                } else {
                    Some(state.clone())
                }
            }
        }
    }
}

/// One operation in a key's window.
#[derive(Clone, Debug, PartialEq, Eq)]
struct WOp {
    id: u32,
    invoked: u64,
    /// None: still open (no response yet, or outcome unknown).
    returned: Option<u64>,
    effect: Effect,
}

/// The most operations one key's window may hold; a key whose window grows
/// beyond it (operations left open for very long) is no longer checked.
pub const MAX_WINDOW: usize = 128;
/// The most distinct states a key may be in at the start of its window.
const MAX_STATES: usize = 32;
/// Search budget per check (memo entries): beyond it the key is given up.
const MAX_VISITED: usize = 200_000;

#[derive(Clone, Debug, Default)]
pub struct KeyHistory {
    /// The states the key may be in before the window (initially: absent).
    states: Vec<Option<String>>,
    /// The last operation folded into `states` that wrote the key, reported
    /// with a violation (the write a stale read missed, say).
    writer: Option<u32>,
    window: Vec<WOp>,
    /// The key could not be checked further (window or search too large).
    pub given_up: bool,
}

/// A non-linearizable window: the fewest of its operations that still
/// cannot be linearized, by id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotLinearizable {
    pub ops: Vec<u32>,
}

enum Search {
    Ok,
    Fail,
    TooBig,
}

impl KeyHistory {
    pub fn new() -> KeyHistory {
        KeyHistory { states: vec![None], writer: None, window: Vec::new(), given_up: false }
    }

    pub fn window_len(&self) -> usize {
        self.window.len()
    }

    /// A new operation, open until [`returned`](Self::returned) or [`dropped`](Self::dropped).
    pub fn invoked(&mut self, id: u32, at: u64, effect: Effect) {
        if self.given_up {
            return;
        }
        if self.window.len() >= MAX_WINDOW {
            self.give_up();
            return;
        }
        self.window.push(WOp { id, invoked: at, returned: None, effect });
    }

    /// The operation returned at `at`; `effect` with what the client saw.
    /// Checks the window; on a violation, returns the operations involved.
    pub fn returned(&mut self, id: u32, at: u64, effect: Effect) -> Option<NotLinearizable> {
        let Some(op) = self.window.iter_mut().find(|o| o.id == id) else { return None };
        op.returned = Some(at);
        op.effect = effect;
        self.check()
    }

    /// The operation certainly had no effect (a read that got no answer, a
    /// write whose entry was overwritten): it leaves the history.
    pub fn dropped(&mut self, id: u32) {
        self.window.retain(|o| o.id != id);
        if !self.given_up {
            self.settle();
        }
    }

    fn give_up(&mut self) {
        self.given_up = true;
        self.window.clear();
        self.states.clear();
    }

    /// Check the window, then fold its settled prefix into `states`.
    fn check(&mut self) -> Option<NotLinearizable> {
        if self.given_up {
            return None;
        }
        let all: Vec<usize> = (0..self.window.len()).collect();
        match search(&self.states, &self.window, &all, None) {
            Search::Ok => {
                self.settle();
                None
            }
            Search::TooBig => {
                self.give_up();
                None
            }
            Search::Fail => {
                let mut ops = self.minimize(all);
                if let Some(w) = self.writer {
                    ops.insert(0, w);
                }
                // Go on from the state the last of them saw or made, without
                // the window: each violation is reported once.
                let last = self.window.iter().filter(|o| o.returned.is_some()).max_by_key(|o| o.returned);
                let next = last.and_then(|o| match &o.effect {
                    Effect::Read(v) | Effect::Write(v) => Some(v.clone()),
                    _ => None,
                });
                self.states = match next {
                    Some(v) => vec![v],
                    None => self.states.clone(),
                };
                self.window.retain(|o| o.returned.is_none());
                Some(NotLinearizable { ops })
            }
        }
    }

    /// Greedy minimisation: drop each operation whose removal keeps the
    /// rest non-linearizable (1-minimal, as delta debugging gives).
    fn minimize(&self, mut keep: Vec<usize>) -> Vec<u32> {
        let mut i = 0;
        while i < keep.len() {
            let mut without = keep.clone();
            without.remove(i);
            if matches!(search(&self.states, &self.window, &without, None), Search::Fail) {
                keep = without;
            } else {
                i += 1;
            }
        }
        keep.iter().map(|&k| self.window[k].id).collect()
    }

    /// Operations that returned before every open one was invoked precede
    /// all others in any linearization: replace them by the states they
    /// can leave the key in.
    fn settle(&mut self) {
        let horizon = self.window.iter().filter(|o| o.returned.is_none()).map(|o| o.invoked).min().unwrap_or(u64::MAX);
        let settled: Vec<usize> =
            (0..self.window.len()).filter(|&k| self.window[k].returned.is_some_and(|r| r < horizon)).collect();
        if settled.is_empty() {
            return;
        }
        let mut finals = BTreeSet::new();
        if !matches!(search(&self.states, &self.window, &settled, Some(&mut finals)), Search::Ok)
            || finals.len() > MAX_STATES
        {
            return;
        }
        self.states = finals.into_iter().collect();
        let writes = settled.iter().map(|&k| &self.window[k]).filter(|o| !matches!(o.effect, Effect::Read(_)));
        if let Some(w) = writes.max_by_key(|o| o.returned) {
            self.writer = Some(w.id);
        }
        let mut k = 0;
        self.window.retain(|_| {
            let keep = !settled.contains(&k);
            k += 1;
            keep
        });
    }
}

/// Wing & Gong's search over `ops` (indexes into `window`) from any of
/// `states`. Open operations may be linearized or left out. With `finals`,
/// every complete linearization is explored and its end state collected.
fn search(states: &[Option<String>], window: &[WOp], ops: &[usize], mut finals: Option<&mut BTreeSet<Option<String>>>) -> Search {
    let n = ops.len();
    if n > MAX_WINDOW {
        return Search::TooBig;
    }
    let required: u128 = (0..n).filter(|&i| window[ops[i]].returned.is_some()).fold(0, |m, i| m | 1 << i);
    let mut visited: BTreeSet<(u128, Option<String>)> = BTreeSet::new();
    let mut found = false;
    for s in states {
        let mut stack: Vec<(u128, Option<String>)> = vec![(0, s.clone())];
        while let Some((done, state)) = stack.pop() {
            if !visited.insert((done, state.clone())) {
                continue;
            }
            if visited.len() > MAX_VISITED {
                return Search::TooBig;
            }
            if done & required == required {
                found = true;
                match finals.as_deref_mut() {
                    Some(f) => {
                        f.insert(state.clone());
                    }
                    None => return Search::Ok,
                }
            }
            // The earliest return among required operations not yet placed:
            // whatever goes next must have been invoked before it.
            let bound = (0..n)
                .filter(|&i| done & (1 << i) == 0 && required & (1 << i) != 0)
                .filter_map(|i| window[ops[i]].returned)
                .min()
                .unwrap_or(u64::MAX);
            for i in (0..n).rev() {
                if done & (1 << i) != 0 {
                    continue;
                }
                let op = &window[ops[i]];
                if op.invoked > bound {
                    continue;
                }
                if let Some(next) = op.effect.apply(&state) {
                    stack.push((done | 1 << i, next));
                }
            }
        }
    }
    if found {
        Search::Ok
    } else {
        Search::Fail
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Option<String> {
        Some(v.to_string())
    }

    #[test]
    fn stale_read_after_a_completed_write_is_caught_with_both_operations() {
        let mut k = KeyHistory::new();
        k.invoked(1, 0, Effect::Write(s("a")));
        assert!(k.returned(1, 10, Effect::Write(s("a"))).is_none());
        k.invoked(2, 20, Effect::Write(s("b")));
        assert!(k.returned(2, 30, Effect::Write(s("b"))).is_none());
        k.invoked(3, 40, Effect::Read(None));
        let v = k.returned(3, 50, Effect::Read(s("a"))).expect("stale read");
        // Write b completed before the read began, so a is stale: b (which
        // left the key at b) and the read are the operations involved.
        assert_eq!(v.ops, vec![2, 3]);
    }

    #[test]
    fn a_concurrent_read_may_see_either_value() {
        let mut k = KeyHistory::new();
        k.invoked(1, 0, Effect::Write(s("a")));
        k.returned(1, 10, Effect::Write(s("a")));
        k.invoked(2, 20, Effect::Write(s("b")));
        k.invoked(3, 25, Effect::Read(None));
        assert!(k.returned(3, 28, Effect::Read(s("a"))).is_none());
        assert!(k.returned(2, 30, Effect::Write(s("b"))).is_none());
        k.invoked(4, 31, Effect::Read(None));
        assert!(k.returned(4, 32, Effect::Read(s("a"))).is_some(), "after b returned, a is stale");
    }

    #[test]
    fn an_open_write_may_or_may_not_have_happened() {
        let mut k = KeyHistory::new();
        k.invoked(1, 0, Effect::Write(s("a")));
        k.invoked(2, 5, Effect::Read(None));
        assert!(k.returned(2, 6, Effect::Read(None)).is_none());
        k.invoked(3, 7, Effect::Read(None));
        assert!(k.returned(3, 8, Effect::Read(s("a"))).is_none());
        k.invoked(4, 9, Effect::Read(None));
        assert!(k.returned(4, 10, Effect::Read(None)).is_some(), "a cannot be undone");
    }

    #[test]
    fn an_append_applied_twice_is_caught() {
        let mut k = KeyHistory::new();
        k.invoked(1, 0, Effect::Append("x".into()));
        k.returned(1, 10, Effect::Append("x".into()));
        k.invoked(2, 20, Effect::Read(None));
        let v = k.returned(2, 30, Effect::Read(s("xx"))).expect("double append");
        assert_eq!(v.ops, vec![1, 2]);
    }

    #[test]
    fn settled_prefix_leaves_the_window() {
        let mut k = KeyHistory::new();
        for i in 0..1000u32 {
            let t = i as u64 * 10;
            k.invoked(i, t, Effect::Write(Some(i.to_string())));
            assert!(k.returned(i, t + 5, Effect::Write(Some(i.to_string()))).is_none());
        }
        assert_eq!(k.window_len(), 0);
        assert!(!k.given_up);
    }

    #[test]
    fn cas_results_must_match_the_state() {
        let mut k = KeyHistory::new();
        k.invoked(1, 0, Effect::Cas { expected: None, value: "a".into(), ok: None });
        assert!(k.returned(1, 5, Effect::Cas { expected: None, value: "a".into(), ok: Some(true) }).is_none());
        k.invoked(2, 6, Effect::Cas { expected: None, value: "b".into(), ok: None });
        assert!(k.returned(2, 9, Effect::Cas { expected: None, value: "b".into(), ok: Some(true) }).is_some());
    }
}
