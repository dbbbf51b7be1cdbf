//! One stable sort for the whole crate.
//!
//! `slice::sort_by` is fast but instantiates the whole driftsort/quicksort
//! machinery (≈4 KB of wasm) once per element type and comparator; the app
//! sorted ~15 different things and carried ~60 KB of sorting code. Here the
//! sorting itself is one non-generic merge sort over indices, driven through
//! a `&dyn` comparator; only a tiny permutation step is generic. It is
//! stable, so results are the same as `sort_by` — natively and in wasm.

use std::cmp::Ordering;

/// The stable order of `0..n` under `less` (a strict "sorts before").
/// Bottom-up merge sort: O(n log n) comparisons, one scratch buffer.
#[inline(never)]
pub fn order(n: usize, less: &dyn Fn(usize, usize) -> bool) -> Vec<usize> {
    let mut a: Vec<usize> = (0..n).collect();
    if n < 2 {
        return a;
    }
    // Short runs by insertion sort first: fewer passes, fewer allocations.
    const RUN: usize = 16;
    for start in (0..n).step_by(RUN) {
        let end = (start + RUN).min(n);
        for i in start + 1..end {
            let mut j = i;
            while j > start && less(a[j], a[j - 1]) {
                a.swap(j, j - 1);
                j -= 1;
            }
        }
    }
    let mut b = vec![0usize; n];
    let mut width = RUN;
    while width < n {
        for lo in (0..n).step_by(2 * width) {
            let mid = (lo + width).min(n);
            let hi = (lo + 2 * width).min(n);
            let (mut i, mut j) = (lo, mid);
            for slot in &mut b[lo..hi] {
                // Take from the right only when strictly smaller: stability.
                if j < hi && (i >= mid || less(a[j], a[i])) {
                    *slot = a[j];
                    j += 1;
                } else {
                    *slot = a[i];
                    i += 1;
                }
            }
        }
        std::mem::swap(&mut a, &mut b);
        width *= 2;
    }
    a
}

/// Rearranges `v` so that `v[k]` becomes the old `v[idx[k]]` (follows cycles).
fn permute<T>(v: &mut [T], mut idx: Vec<usize>) {
    for start in 0..idx.len() {
        // Each cycle is walked once; visited positions are marked with their own index.
        let mut cur = start;
        while idx[cur] != start {
            let next = idx[cur];
            v.swap(cur, next);
            idx[cur] = cur;
            cur = next;
        }
        idx[cur] = cur;
    }
}

/// Stable sort by a comparator (same result as `slice::sort_by`).
pub fn sort_by<T>(v: &mut [T], cmp: impl Fn(&T, &T) -> Ordering) {
    let idx = order(v.len(), &|a, b| cmp(&v[a], &v[b]) == Ordering::Less);
    permute(v, idx);
}

/// Stable sort by a key (same result as `slice::sort_by_key`).
pub fn sort_by_key<T, K: Ord>(v: &mut [T], key: impl Fn(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// Stable sort by the elements' own order (same result as `slice::sort`).
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lcg(seed: &mut u64) -> u64 {
        *seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        *seed >> 33
    }

    #[test]
    fn matches_std_stable_sort_on_many_inputs() {
        let mut seed = 7;
        for n in [0usize, 1, 2, 3, 15, 16, 17, 31, 32, 33, 100, 257, 1000, 4099] {
            for modulus in [2u64, 10, 1 << 20] {
                // (key, original position): equal keys must keep their order.
                let mut v: Vec<(u64, usize)> = (0..n).map(|i| (lcg(&mut seed) % modulus, i)).collect();
                let mut want = v.clone();
                want.sort_by_key(|p| p.0);
                sort_by_key(&mut v, |p| p.0);
                assert_eq!(v, want, "n={n} modulus={modulus}");
            }
        }
    }

    #[test]
    fn sorts_owned_strings_and_reverse_comparators() {
        let mut v: Vec<String> = ["pear", "apple", "fig", "apple", "kiwi"].iter().map(|s| s.to_string()).collect();
        sort(&mut v);
        assert_eq!(v, ["apple", "apple", "fig", "kiwi", "pear"]);
        sort_by(&mut v, |a, b| b.len().cmp(&a.len()));
        assert_eq!(v, ["apple", "apple", "kiwi", "pear", "fig"]);
    }
}
