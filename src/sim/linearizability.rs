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
//! window. A write whose outcome is unknown (the client gave up) stays
//! open: it may take effect later, or never. The simulator closes it the
//! first time any server applies its entry (see `clients.rs`): no state a
//! client can read holds a write before that, which is also why open writes
//! never hold settling back.


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

/// The most operations one key's window may hold; beyond it the checker
/// loses track of the key until a read tells its state again.
pub const MAX_WINDOW: usize = 128;
/// The most distinct states a key may be in at the start of its window.
const MAX_STATES: usize = 32;
/// Search budget per check (memo entries): beyond it the key is given up.
const MAX_VISITED: usize = 50_000;

#[derive(Clone, Debug, Default)]
pub struct KeyHistory {
    /// The states the key may be in before the window (initially: absent).
    states: Vec<Option<String>>,
    /// The states before the window are not known (too many orders were
    /// possible, or the window overflowed): nothing is checked until a
    /// read that overlaps no other operation pins the state down again.
    unknown: bool,
    /// The last operation folded into `states` that wrote the key, reported
    /// with a violation (the write a stale read missed, say).
    writer: Option<u32>,
    window: Vec<WOp>,
    /// Times the checker lost track of the key and had to wait for a read.
    pub resyncs: u32,
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
        KeyHistory { states: vec![None], unknown: false, writer: None, window: Vec::new(), resyncs: 0 }
    }

    pub fn window_len(&self) -> usize {
        self.window.len()
    }

    /// A new operation, open until [`returned`](Self::returned) or [`dropped`](Self::dropped).
    pub fn invoked(&mut self, id: u32, at: u64, effect: Effect) {
        if self.window.len() >= MAX_WINDOW {
            self.lose_track();
            // Open operations alone fill it: forget the oldest open one
            // (checking only becomes more lenient).
            if self.window.len() >= MAX_WINDOW {
                self.window.remove(0);
            }
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
        if !self.unknown {
            self.settle();
        }
    }

    /// Forget what returned and wait for a read to tell the state.
    fn lose_track(&mut self) {
        self.unknown = true;
        self.resyncs += 1;
        self.states.clear();
        self.writer = None;
        self.window.retain(|o| o.returned.is_none());
    }

    /// Unknown state: a returned read that overlaps no other operation
    /// (each returned before it began or began after it returned; open
    /// writes have not been applied anywhere, so they come after it) tells
    /// the state at that point. Returns whether the state is known again.
    fn resync(&mut self) -> bool {
        let clean = self.window.iter().filter(|r| matches!(r.effect, Effect::Read(_)) && r.returned.is_some()).filter(|r| {
            let (a, b) = (r.invoked, r.returned.unwrap_or(0));
            self.window.iter().all(|o| {
                o.id == r.id
                    || o.invoked > b
                    || o.returned.is_some_and(|e| e < a)
                    || (o.returned.is_none() && !matches!(o.effect, Effect::Read(_)))
            })
        });
        let Some(r) = clean.max_by_key(|r| r.returned) else { return false };
        let (id, a) = (r.id, r.invoked);
        let Effect::Read(v) = r.effect.clone() else { return false };
        self.states = vec![v];
        self.unknown = false;
        self.window.retain(|o| o.id != id && !o.returned.is_some_and(|e| e < a));
        true
    }

    /// Check the window, then fold its settled prefix into `states`.
    fn check(&mut self) -> Option<NotLinearizable> {
        if self.unknown && !self.resync() {
            return None;
        }
        // Writes alone always line up (none of them reports anything).
        let observed = |o: &WOp| match &o.effect {
            Effect::Read(_) => o.returned.is_some(),
            Effect::Cas { ok, .. } => ok.is_some(),
            _ => false,
        };
        if !self.window.iter().any(observed) {
            self.settle();
            return None;
        }
        // Only what returned: an open write has not been applied by any
        // server (the simulator reports it returned the first time one
        // does), so no result seen so far can rest on it, and an open read
        // has neither a result nor an effect yet. Placing them all after
        // what returned is always possible, so leaving them out never
        // reports a violation that is not there.
        let all: Vec<usize> = (0..self.window.len()).filter(|&k| self.window[k].returned.is_some()).collect();
        match search(&self.states, &self.window, &all, None) {
            Search::Ok => {
                self.settle();
                None
            }
            Search::TooBig => {
                self.lose_track();
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
                match last.map(|o| &o.effect) {
                    Some(Effect::Read(v) | Effect::Write(v)) => {
                        self.states = vec![v.clone()];
                        self.window.retain(|o| o.returned.is_none());
                    }
                    _ => self.lose_track(),
                }
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

    /// Operations that returned before every open read was invoked precede
    /// all others in any linearization: replace them by the states they
    /// can leave the key in.
    fn settle(&mut self) {
        // Only open reads hold settling back: an open write has not been
        // applied by any server yet (the simulator reports it returned the
        // first time one does), so nothing seen so far can depend on it and
        // it can always be placed after what settles.
        let horizon = self
            .window
            .iter()
            .filter(|o| o.returned.is_none() && matches!(o.effect, Effect::Read(_)))
            .map(|o| o.invoked)
            .min()
            .unwrap_or(u64::MAX);
        let settled: Vec<usize> =
            (0..self.window.len()).filter(|&k| self.window[k].returned.is_some_and(|r| r < horizon)).collect();
        if settled.is_empty() {
            return;
        }
        // The states all their valid orders can leave the key in (a search
        // within a budget; failing that, lose track until a read tells).
        let mut finals = Vec::new();
        let known = matches!(search(&self.states, &self.window, &settled, Some(&mut finals)), Search::Ok);
        if !known || finals.len() > MAX_STATES {
            self.lose_track();
            return;
        }
        self.states = finals;
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

fn state_hash(s: &Option<String>) -> u64 {
    match s {
        None => 0,
        Some(v) => xxhash_rust::xxh3::xxh3_64_with_seed(v.as_bytes(), 0x11ea) | 1,
    }
}

/// Lowe's memo: the (placed set, state) pairs seen, each by a 64-bit
/// fingerprint, in an open-addressing table (a collision could only prune
/// a path; at 64 bits that is vanishingly rare). Smaller in the page than a
/// B-tree of 24-byte keys, and faster.
struct Seen {
    slots: Vec<u64>,
    len: usize,
}

impl Seen {
    fn new() -> Seen {
        Seen { slots: vec![0; 64], len: 0 }
    }

    /// Inserts; false if it was there.
    fn insert(&mut self, done: u128, state: u64) -> bool {
        // A real hash of all 24 bytes: folding the two halves of `done` and
        // the state together with XOR and rotations made distinct sets
        // collide (bit i of one half cancels a rotated bit of the other)
        // once a window held more than 64 operations, and the search then
        // pruned a valid order: a false violation (`check`, seed 33836).
        let mut key = [0u8; 24];
        key[..16].copy_from_slice(&done.to_le_bytes());
        key[16..].copy_from_slice(&state.to_le_bytes());
        let f = xxhash_rust::xxh3::xxh3_64_with_seed(&key, 0x5ee9) | 1;
        if self.len * 2 >= self.slots.len() {
            let bigger = vec![0; self.slots.len() * 2];
            let old = std::mem::replace(&mut self.slots, bigger);
            self.len = 0;
            for x in old.into_iter().filter(|&x| x != 0) {
                self.put(x);
            }
        }
        self.put(f)
    }

    fn put(&mut self, f: u64) -> bool {
        let mask = self.slots.len() - 1;
        let mut i = (f >> (64 - self.slots.len().trailing_zeros())) as usize & mask;
        loop {
            match self.slots[i] {
                0 => {
                    self.slots[i] = f;
                    self.len += 1;
                    return true;
                }
                x if x == f => return false,
                _ => i = (i + 1) & mask,
            }
        }
    }
}

/// Wing & Gong's search over `ops` (indexes into `window`) from any of
/// `states`. Open operations may be linearized or left out. With `finals`,
/// every complete linearization is explored and its end state collected.
///
/// Depth first, one frame per placed operation, each frame trying its
/// candidates in turn (so a history that lines up in invocation order costs
/// one pass), with Lowe's memo of (placed set, state) pairs seen.
fn search(states: &[Option<String>], window: &[WOp], ops: &[usize], mut finals: Option<&mut Vec<Option<String>>>) -> Search {
    let n = ops.len();
    if n > MAX_WINDOW {
        return Search::TooBig;
    }
    let invoked: Vec<u64> = ops.iter().map(|&k| window[k].invoked).collect();
    let returned: Vec<u64> = ops.iter().map(|&k| window[k].returned.unwrap_or(u64::MAX)).collect();
    let required: u128 = (0..n).filter(|&i| returned[i] != u64::MAX).fold(0, |m, i| m | 1u128 << i);
    // The earliest return among required operations not yet placed: whatever
    // goes next must have been invoked before it.
    let bound = |done: u128| {
        let mut b = u64::MAX;
        let mut left = required & !done;
        while left != 0 {
            let i = left.trailing_zeros() as usize;
            b = b.min(returned[i]);
            left &= left - 1;
        }
        b
    };
    let mut visited = Seen::new();
    let mut found = false;
    struct Frame {
        done: u128,
        state: Option<String>,
        bound: u64,
        next: usize,
    }
    for s in states {
        let mut stack = vec![Frame { done: 0, state: s.clone(), bound: bound(0), next: 0 }];
        if !visited.insert(0, state_hash(s)) {
            continue;
        }
        if required == 0 {
            found = true;
            if let Some(f) = finals.as_deref_mut() {
                if !f.contains(s) {
                    f.push(s.clone());
                }
            }
        }
        while let Some(top) = stack.last_mut() {
            let mut pushed = None;
            while top.next < n {
                let i = top.next;
                top.next += 1;
                if top.done & (1u128 << i) != 0 || invoked[i] > top.bound {
                    continue;
                }
                let Some(next) = window[ops[i]].effect.apply(&top.state) else { continue };
                let done = top.done | 1u128 << i;
                if !visited.insert(done, state_hash(&next)) {
                    continue;
                }
                if visited.len > MAX_VISITED {
                    return Search::TooBig;
                }
                pushed = Some(Frame { done, bound: bound(done), state: next, next: 0 });
                break;
            }
            match pushed {
                None => {
                    stack.pop();
                }
                Some(f) => {
                    if f.done & required == required {
                        found = true;
                        match finals.as_deref_mut() {
                            Some(fs) => {
                                if !fs.contains(&f.state) {
                                    fs.push(f.state.clone());
                                }
                            }
                            None => return Search::Ok,
                        }
                    }
                    stack.push(f);
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

/// Every key's history. The page's modules are built without the
/// `history-check` feature until the page can show it (they load lean, see
/// `src/lean/mod.rs`): there this records nothing and finds nothing, and the
/// rest of the simulator runs as everywhere else.
#[derive(Clone, Debug, Default)]
pub struct History {
    #[cfg(feature = "history-check")]
    keys: Vec<(String, KeyHistory)>,
}

#[cfg(feature = "history-check")]
impl History {
    fn key(&mut self, key: &str) -> &mut KeyHistory {
        let i = match self.keys.iter().position(|k| k.0 == key) {
            Some(i) => i,
            None => {
                self.keys.push((key.to_string(), KeyHistory::new()));
                self.keys.len() - 1
            }
        };
        &mut self.keys[i].1
    }
    pub fn invoked(&mut self, key: &str, id: u32, at: u64, effect: Effect) {
        self.key(key).invoked(id, at, effect)
    }
    pub fn returned(&mut self, key: &str, id: u32, at: u64, effect: Effect) -> Option<NotLinearizable> {
        self.key(key).returned(id, at, effect)
    }
    pub fn dropped(&mut self, key: &str, id: u32) {
        self.key(key).dropped(id)
    }
    pub fn resyncs(&self) -> u64 {
        self.keys.iter().map(|k| k.1.resyncs as u64).sum()
    }
}

#[cfg(not(feature = "history-check"))]
impl History {
    pub fn invoked(&mut self, _: &str, _: u32, _: u64, _: Effect) {}
    pub fn returned(&mut self, _: &str, _: u32, _: u64, _: Effect) -> Option<NotLinearizable> {
        None
    }
    pub fn dropped(&mut self, _: &str, _: u32) {}
    pub fn resyncs(&self) -> u64 {
        0
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
    fn an_open_write_is_placed_after_what_returned() {
        // The simulator reports a write returned the first time a server
        // applies it; until then no read can have seen it.
        let mut k = KeyHistory::new();
        k.invoked(1, 0, Effect::Write(s("a")));
        k.invoked(2, 5, Effect::Read(None));
        assert!(k.returned(2, 6, Effect::Read(None)).is_none());
        assert!(k.returned(1, 7, Effect::Write(s("a"))).is_none());
        k.invoked(3, 8, Effect::Read(None));
        assert!(k.returned(3, 9, Effect::Read(s("a"))).is_none());
        k.invoked(4, 9, Effect::Read(None));
        assert!(k.returned(4, 10, Effect::Read(None)).is_some(), "a cannot be undone");
    }

    #[test]
    fn a_read_concurrent_with_a_write_that_a_later_read_saw_is_pinned() {
        // r1 (None) overlaps w; r2 saw w; r3, after both, must see w too.
        let mut k = KeyHistory::new();
        k.invoked(1, 0, Effect::Read(None));
        k.invoked(2, 1, Effect::Write(s("w")));
        assert!(k.returned(1, 5, Effect::Read(None)).is_none());
        assert!(k.returned(2, 6, Effect::Write(s("w"))).is_none());
        k.invoked(3, 5, Effect::Read(None));
        assert!(k.returned(3, 7, Effect::Read(s("w"))).is_none());
        k.invoked(4, 8, Effect::Read(None));
        let v = k.returned(4, 8, Effect::Read(None)).expect("stale after w was seen");
        assert!(v.ops.contains(&4));
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
        assert_eq!(k.resyncs, 0);
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
