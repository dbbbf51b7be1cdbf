//! Jump consistent hash (Lamping & Veach, 2014, "A Fast, Minimal Memory,
//! Consistent Hash Algorithm"). Written from the paper's description.

use super::explain::JumpStep;

/// The paper's 64-bit linear congruential step (also Guava's).
const LCG_MUL: u64 = 2_862_933_555_777_941_757;

/// Largest bucket count: the published algorithm takes a signed 32-bit count,
/// and its "key 0 stays in bucket 0" property only holds up to 2^31 - 1.
pub const MAX_BUCKETS: u32 = i32::MAX as u32;

/// Bucket in `0..buckets` for a 64-bit key; `None` when `buckets` is 0 or
/// above [`MAX_BUCKETS`].
///
/// The key follows a chain of jumps: it stays in bucket `b` until the bucket
/// count passes `j`, the next jump target, which is drawn so that each
/// bucket count n+1 takes exactly 1/(n+1) of the keys, all from lower buckets.
pub fn jump_hash(mut key: u64, buckets: u32) -> Option<u32> {
    if buckets == 0 || buckets > MAX_BUCKETS {
        return None;
    }
    let n = buckets as i64;
    let (mut b, mut j): (i64, i64) = (-1, 0);
    while j < n {
        b = j;
        key = key.wrapping_mul(LCG_MUL).wrapping_add(1);
        // (b+1) · 2^31 / (top 31 bits + 1): the double arithmetic is part of
        // the published algorithm, so it is kept to match its vectors.
        j = ((b + 1) as f64 * ((1i64 << 31) as f64 / ((key >> 33) + 1) as f64)) as i64;
    }
    Some(b as u32)
}

/// The sequence of jumps for `key` with `buckets` buckets (for narration).
/// The final bucket is the last step's `bucket`.
pub fn jump_trace(mut key: u64, buckets: u32) -> Vec<JumpStep> {
    let n = buckets.min(MAX_BUCKETS) as i64;
    let mut steps = Vec::new();
    let (mut b, mut j): (i64, i64);
    j = 0;
    while j < n {
        b = j;
        key = key.wrapping_mul(LCG_MUL).wrapping_add(1);
        j = ((b + 1) as f64 * ((1i64 << 31) as f64 / ((key >> 33) + 1) as f64)) as i64;
        steps.push(JumpStep { bucket: b as u32, next: j.max(0) as u64 });
    }
    steps
}
