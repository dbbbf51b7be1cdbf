//! The hash space: XXH3-64, seed 0, over UTF-8 bytes (see the module doc).

use std::fmt::Write;
use xxhash_rust::xxh3::xxh3_64;

/// Seed used for every position on the ring. Fixed so positions are portable.
pub const HASH_SEED: u64 = 0;

/// Position of a key on the circle: `xxh3_64(key)` (seed 0).
#[inline]
pub fn hash_key(key: &str) -> u64 {
    xxh3_64(key.as_bytes())
}

/// Position of virtual node `index` of `node`: `xxh3_64("{node}#{index}")`.
pub fn vnode_position(node: &str, index: u32) -> u64 {
    let mut buf = String::with_capacity(node.len() + 11);
    vnode_position_buf(node, index, &mut buf)
}

/// Same as [`vnode_position`], reusing `buf` so building a big ring does not
/// allocate once per point.
pub(crate) fn vnode_position_buf(node: &str, index: u32, buf: &mut String) -> u64 {
    buf.clear();
    buf.push_str(node);
    // Writing into a String cannot fail.
    let _ = write!(buf, "#{index}");
    xxh3_64(buf.as_bytes())
}

/// A position as a fraction of the circle, in `[0, 1)`, for drawing.
/// Uses the top 53 bits so the result is exact in an f64 and never reaches 1.
#[inline]
pub fn fraction(position: u64) -> f64 {
    (position >> 11) as f64 / (1u64 << 53) as f64
}

/// Length of the clockwise arc `(start, end]` as a fraction of the circle.
/// `start == end` means the whole circle (a ring with a single point).
pub(crate) fn arc_fraction(start: u64, end: u64) -> f64 {
    if start == end {
        1.0
    } else {
        end.wrapping_sub(start) as f64 / 18_446_744_073_709_551_616.0
    }
}

/// Whether `h` lies on the clockwise arc `(start, end]` (whole circle if equal).
pub(crate) fn arc_contains(start: u64, end: u64, h: u64) -> bool {
    if start < end {
        start < h && h <= end
    } else if start > end {
        h > start || h <= end
    } else {
        true
    }
}

/// A 64-bit finaliser (the SplitMix64 one): turns a combination of a key hash
/// and a node seed into an independent-looking value, which is all rendezvous
/// needs, at a fraction of the cost of hashing a string per (key, node) pair.
#[inline]
pub(crate) fn mix64(mut x: u64) -> u64 {
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// Maps 64 bits to a uniform value strictly inside (0, 1): the logarithm in
/// rendezvous' `-w / ln(u)` must never see 0 or 1.
#[inline]
pub(crate) fn unit_open(x: u64) -> f64 {
    ((x >> 11) as f64 + 0.5) / (1u64 << 53) as f64
}
