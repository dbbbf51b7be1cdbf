//! Published vectors (shared/hash-vectors.md) and fixed facts of the hash space.

use ringraft::ring::*;

#[test]
fn jump_guava_vectors_100_buckets() {
    let got: Vec<u32> = (1..=5).map(|k| jump_hash(k, 100).unwrap()).collect();
    assert_eq!(got, vec![55, 62, 8, 45, 59]);
}

#[test]
fn jump_other_published_points() {
    assert_eq!(jump_hash(1, 10), Some(6));
    assert_eq!(jump_hash(0xdeadbeef, 1000), Some(285));
    for n in [1, 2, 3, 10, 1000, 1 << 20, MAX_BUCKETS] {
        assert_eq!(jump_hash(0, n), Some(0), "key 0 with {n} buckets");
    }
    assert_eq!(jump_hash(42, 0), None);
    assert_eq!(jump_hash(42, MAX_BUCKETS + 1), None);
}

#[test]
fn jump_trace_ends_in_the_bucket() {
    for key in [1u64, 2, 3, 0xdeadbeef, u64::MAX] {
        for n in [1u32, 7, 100, 1000] {
            let t = jump_trace(key, n);
            let last = t.last().unwrap();
            assert_eq!(Some(last.bucket), jump_hash(key, n));
            assert!(last.next >= n as u64);
            assert!(t.windows(2).all(|w| w[0].bucket < w[1].bucket));
        }
    }
}

#[test]
fn hash_space_is_xxh3_64_seed_0() {
    // XXH3-64 of the empty input with seed 0 (from the xxHash reference).
    assert_eq!(hash_key(""), 0x2D06_8005_38D3_94C2);
    assert_eq!(vnode_position("A", 3), hash_key("A#3"));
    assert_eq!(HASH_SEED, 0);
    assert_eq!(fraction(0), 0.0);
    assert!(fraction(u64::MAX) < 1.0);
    assert_eq!(fraction(1 << 63), 0.5);
}

#[test]
fn modn_is_the_seed_formula() {
    assert_eq!(modn_bucket(10, 3, 4), 1);
    // No wrap-around in the sum: (2^64 - 1 + 2) mod 5 computed exactly.
    assert_eq!(modn_bucket(u64::MAX, 2, 5), ((u64::MAX as u128 + 2) % 5) as usize);
}

#[test]
fn names_and_primes() {
    assert_eq!(node_name(0), "A");
    assert_eq!(node_name(25), "Z");
    assert_eq!(node_name(26), "AA");
    assert_eq!(node_name(27), "AB");
    assert!(is_prime(65_537) && !is_prime(65_535) && is_prime(2) && !is_prime(1));
    assert_eq!(next_prime(400), 401);
}

#[test]
fn keys_are_deterministic() {
    assert_eq!(generate_keys(3), vec!["key-0", "key-1", "key-2"]);
    let a = generate_keys_seeded(100, 7);
    assert_eq!(a, generate_keys_seeded(100, 7));
    assert_ne!(a, generate_keys_seeded(100, 8));
}
