//! The seed's formula: `h(k) = (hash(k) + constant) mod N`.
//!
//! Kept to show why it is not consistent hashing: the constant only rotates
//! bucket numbers, and changing N remaps almost every key (4 → 5: ~80 %).

/// `(hash + constant) mod n`, computed in 128 bits so the sum cannot wrap
/// (a wrap would silently change the formula). `n` must be ≥ 1.
#[inline]
pub fn modn_bucket(hash: u64, constant: u64, n: usize) -> usize {
    ((hash as u128 + constant as u128) % n.max(1) as u128) as usize
}
