//! `Chunked<T>`: a vector whose past is shared between its clones.
//!
//! Time travel keeps a checkpoint of the whole world every couple of
//! thousand events (`sim::history`). A world is mostly append-only
//! sequences that grow with the run: every server's log, the safety
//! checker's per-index records. Copied whole, ten minutes of a 9-server run
//! cost megabytes per checkpoint, so checkpoints had to be few and a seek
//! replayed up to hundreds of thousands of events (issue 17).
//!
//! Here the elements live in leaves of 32, and full leaves in groups of
//! 32 (1,024 elements): full groups and full leaves are sealed behind an
//! `Arc` and shared by every clone; only the open group's list of leaves
//! and the last, partial leaf (the tail) are owned. A clone costs one
//! pointer per 1,024 elements, at most 31 more, and under 32 elements;
//! appending touches only the tail. Writing into a sealed leaf (a log cut
//! back by a new leader, §5.3) copies that leaf (and its group) if another
//! clone still holds it (`Arc::make_mut`): clones never see each other's
//! changes.
//!
//! Why not a crate: a persistent vector (`im`'s RRB tree, `rpds`) shares
//! as well and updates anywhere in O(log n), but these sequences only grow
//! at the end and are cut back rarely; two fixed levels do that with O(1)
//! indexing and far less code per element type, where `im` would cost the
//! page kilobytes (its budget, README "Page weight"). At ten minutes (≈
//! 60,000 entries a server) a clone of a log owns ≈ 60 group pointers, on
//! average 16 leaf pointers and 16 entries.

use std::ops::Index;
use std::sync::Arc;

const LEAF_SHIFT: usize = 5;
/// Elements per leaf.
pub const LEAF: usize = 1 << LEAF_SHIFT;
const GROUP_SHIFT: usize = LEAF_SHIFT + 5;
/// Elements per group of leaves.
pub const GROUP: usize = 1 << GROUP_SHIFT;
const M: usize = LEAF - 1;

type Leaf<T> = Arc<Vec<T>>;

/// A vector of `T` whose full leaves and groups are shared between clones (see the module).
pub struct Chunked<T> {
    groups: Vec<Arc<Vec<Leaf<T>>>>,
    leaves: Vec<Leaf<T>>,
    tail: Vec<T>,
}

impl<T> Default for Chunked<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Clone> Clone for Chunked<T> {
    fn clone(&self) -> Self {
        Chunked { groups: self.groups.clone(), leaves: self.leaves.clone(), tail: self.tail.clone() }
    }
}

impl<T> Chunked<T> {
    pub const fn new() -> Self {
        Chunked { groups: Vec::new(), leaves: Vec::new(), tail: Vec::new() }
    }

    /// Elements in the sealed groups, and in them and the sealed leaves.
    fn sealed(&self) -> (usize, usize) {
        let g = self.groups.len() << GROUP_SHIFT;
        (g, g + (self.leaves.len() << LEAF_SHIFT))
    }

    pub fn len(&self) -> usize {
        self.sealed().1 + self.tail.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    #[inline(never)]
    pub fn get(&self, i: usize) -> Option<&T> {
        let (g, l) = self.sealed();
        if i < g {
            self.groups[i >> GROUP_SHIFT][(i >> LEAF_SHIFT) & M].get(i & M)
        } else if i < l {
            self.leaves[(i - g) >> LEAF_SHIFT].get(i & M)
        } else {
            self.tail.get(i - l)
        }
    }

    pub fn last(&self) -> Option<&T> {
        self.len().checked_sub(1).and_then(|i| self.get(i))
    }

    /// The elements in order (by position: any start is O(1), `iter_from`).
    pub fn iter(&self) -> Iter<'_, T> {
        self.iter_from(0)
    }

    /// The elements from position `start` on.
    pub fn iter_from(&self, start: usize) -> Iter<'_, T> {
        Iter { c: self, at: start.min(self.len())..self.len() }
    }

    #[inline(never)]
    pub fn push(&mut self, x: T) {
        if self.tail.len() == LEAF {
            if self.leaves.len() == LEAF {
                self.groups.push(Arc::new(std::mem::take(&mut self.leaves)));
            }
            let full = std::mem::replace(&mut self.tail, Vec::with_capacity(LEAF));
            self.leaves.push(Arc::new(full));
        }
        self.tail.push(x);
    }

    /// Bytes this clone owns alone: the pointers to the shared chunks and
    /// the tail (what a checkpoint costs, `World::approx_bytes`).
    pub fn own_bytes(&self) -> usize {
        (self.groups.len() + self.leaves.len()) * std::mem::size_of::<usize>() + self.tail.len() * std::mem::size_of::<T>()
    }

    /// Bytes of every element, shared or not (what the live world holds).
    pub fn all_bytes(&self) -> usize {
        // Each sealed leaf: its elements and its `Arc<Vec>` (40 bytes).
        self.own_bytes() + self.sealed().1 * std::mem::size_of::<T>() + (self.sealed().1 >> LEAF_SHIFT) * 40
    }
}

impl<T: Clone> Chunked<T> {
    /// Keep the first `n` elements. A cut inside the sealed part makes the
    /// group and leaf it falls in owned again.
    #[inline(never)]
    pub fn truncate(&mut self, n: usize) {
        while self.sealed().0 > n {
            let g = self.groups.pop().expect("sealed groups");
            self.leaves = Arc::unwrap_or_clone(g);
            self.tail.clear();
        }
        while self.sealed().1 > n {
            let l = self.leaves.pop().expect("sealed leaves");
            self.tail = Arc::unwrap_or_clone(l);
        }
        self.tail.truncate(n - self.sealed().1);
    }

    /// Cut to `n`, or grow to `n` with copies of `x`.
    pub fn resize(&mut self, n: usize, x: T) {
        self.truncate(n);
        while self.len() < n {
            self.push(x.clone());
        }
    }

    pub fn clear(&mut self) {
        self.truncate(0);
    }

    /// Position `i` to write; a shared chunk is copied first.
    #[inline(never)]
    pub fn get_mut(&mut self, i: usize) -> Option<&mut T> {
        let (g, l) = self.sealed();
        let leaf = if i < g {
            &mut Arc::make_mut(&mut self.groups[i >> GROUP_SHIFT])[(i >> LEAF_SHIFT) & M]
        } else if i < l {
            &mut self.leaves[(i - g) >> LEAF_SHIFT]
        } else {
            return self.tail.get_mut(i - l);
        };
        Arc::make_mut(leaf).get_mut(i & M)
    }

    /// Write position `i` (< len).
    pub fn set(&mut self, i: usize, x: T) {
        if let Some(s) = self.get_mut(i) {
            *s = x;
        }
    }

    pub fn last_mut(&mut self) -> Option<&mut T> {
        let n = self.len();
        self.get_mut(n.checked_sub(1)?)
    }

    /// Positions `a..b` copied out (clamped to the length).
    pub fn to_vec(&self, a: usize, b: usize) -> Vec<T> {
        (a..b.min(self.len())).map(|i| self[i].clone()).collect()
    }

    /// Drop the first `n` elements (log compaction, ch. 5: rare, so the
    /// rest is copied into fresh chunks).
    pub fn drain_front(&mut self, n: usize) {
        *self = self.iter_from(n).cloned().collect();
    }
}

/// `Chunked::iter`: by position, from either end.
pub struct Iter<'a, T> {
    c: &'a Chunked<T>,
    at: std::ops::Range<usize>,
}

impl<T> Clone for Iter<'_, T> {
    fn clone(&self) -> Self {
        Iter { c: self.c, at: self.at.clone() }
    }
}

impl<'a, T> Iterator for Iter<'a, T> {
    type Item = &'a T;
    fn next(&mut self) -> Option<&'a T> {
        self.at.next().map(|i| &self.c[i])
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.at.size_hint()
    }
    fn nth(&mut self, n: usize) -> Option<&'a T> {
        self.at.nth(n).map(|i| &self.c[i])
    }
}

impl<T> DoubleEndedIterator for Iter<'_, T> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.at.next_back().map(|i| &self.c[i])
    }
}

impl<T> ExactSizeIterator for Iter<'_, T> {}

impl<'a, T> IntoIterator for &'a Chunked<T> {
    type Item = &'a T;
    type IntoIter = Iter<'a, T>;
    fn into_iter(self) -> Iter<'a, T> {
        self.iter()
    }
}

impl<T> Index<usize> for Chunked<T> {
    type Output = T;
    fn index(&self, i: usize) -> &T {
        match self.get(i) {
            Some(x) => x,
            None => panic!("index {i} out of range for length {}", self.len()),
        }
    }
}

impl<T> Extend<T> for Chunked<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, iter: I) {
        for x in iter {
            self.push(x);
        }
    }
}

impl<T> FromIterator<T> for Chunked<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let mut c = Chunked::new();
        c.extend(iter);
        c
    }
}

impl<T> From<Vec<T>> for Chunked<T> {
    fn from(v: Vec<T>) -> Self {
        v.into_iter().collect()
    }
}

impl<T: PartialEq> PartialEq for Chunked<T> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().zip(other.iter()).all(|(a, b)| a == b)
    }
}

impl<T: Eq> Eq for Chunked<T> {}

impl<T: std::fmt::Debug> std::fmt::Debug for Chunked<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<T: serde::Serialize> serde::Serialize for Chunked<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for Chunked<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Vec::<T>::deserialize(d).map(Chunked::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn behaves_as_a_vec_under_pushes_cuts_and_writes() {
        let mut v: Vec<u32> = Vec::new();
        let mut c: Chunked<u32> = Chunked::new();
        let (mut x, mut longest) = (7u32, 0);
        for round in 0..2_000u32 {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            match x % 10 {
                0 => {
                    let n = v.len() - (x as usize >> 8) % (v.len().min(1_500) + 1);
                    v.truncate(n);
                    c.truncate(n);
                }
                1 if !v.is_empty() => {
                    let i = (x as usize >> 8) % v.len();
                    v[i] = round;
                    c.set(i, round);
                }
                2 => {
                    if let Some(e) = v.last_mut() {
                        *e += 1;
                    }
                    if let Some(e) = c.last_mut() {
                        *e += 1;
                    }
                }
                _ => {
                    for k in 0..(x >> 20) % 600 {
                        v.push(k + round);
                        c.push(k + round);
                    }
                }
            }
            assert_eq!(c.len(), v.len());
            assert_eq!(c.last(), v.last());
            let from = if round % 25 == 0 { 0 } else { v.len().saturating_sub(2 * LEAF) };
            assert!(c.iter_from(from).eq(v[from..].iter()), "round {round}");
            longest = longest.max(v.len());
        }
        assert!(longest > 8 * GROUP, "the test reaches sealed groups: {longest}");
        assert_eq!(c.to_vec(3, 700), v[3..700.min(v.len())].to_vec());
        assert!(c.iter_from(100).eq(v[100..].iter()));
        assert!(c.iter().rev().eq(v.iter().rev()));
    }

    #[test]
    fn clones_share_sealed_chunks_and_never_see_each_others_writes() {
        let mut a: Chunked<u64> = (0..5_000).collect();
        let b = a.clone();
        assert!(Arc::ptr_eq(&a.groups[0], &b.groups[0]), "sealed groups are shared");
        assert!(b.own_bytes() < 5_000 * 8 / 10, "a clone owns little: {}", b.own_bytes());
        a.set(5, 99);
        a.set(4_100, 98);
        assert!(!Arc::ptr_eq(&a.groups[0], &b.groups[0]), "a written group is copied");
        assert!(Arc::ptr_eq(&a.groups[0][1], &b.groups[0][1]), "its other leaves stay shared");
        a.truncate(2_500);
        a.push(1);
        assert_eq!((b[5], b[4_100], b.len(), b[2_700]), (5, 4_100, 5_000, 2_700));
        assert_eq!((a[5], a.len(), a[2_500]), (99, 2_501, 1));
        assert!(Arc::ptr_eq(&a.groups[1], &b.groups[1]), "untouched groups stay shared");
        let mut d = b.clone();
        d.drain_front(300);
        assert!(d.iter().copied().eq(300..5_000));
    }
}
