//! Placement of keys on servers: the consistent-hash ring and its rivals. Pure.
//!
//! The seed document this project grew from defines "consistent hashing" as
//! `h(k) = (hash(k) + constant) mod server_num`. That is plain mod-N sharding:
//! the constant only rotates bucket numbers, so going from 4 to 5 servers still
//! moves about 1 − 1/5 = 80 % of keys. This module implements the real thing
//! (a ring with virtual nodes, Karger et al. 1997) next to that formula and the
//! other well-known schemes, behind one interface, so the page can run them on
//! the same keys and the same change and show the difference.
//!
//! # Hash space
//!
//! Every position is a `u64` produced by **XXH3-64 with seed 0**
//! (`xxhash_rust::xxh3::xxh3_64`) over UTF-8 bytes:
//! - a key `k` sits at `xxh3_64(k)`;
//! - virtual node `i` of node `N` sits at `xxh3_64("N#i")`.
//!
//! XXH3 is specified and portable, so the same key lands on the same point
//! natively, in wasm and in any other implementation. For drawing, a position
//! `p` maps to the fraction `p / 2^64` of the circle (see [`fraction`]).
//!
//! # Algorithms ([`Algorithm`], built into a [`Placement`])
//! - `ring`: successor of the key's position among all vnode points; ties at an
//!   equal position are ordered by (node name, vnode index), so the result does
//!   not depend on the order nodes were added.
//! - `modn`: the seed's formula, `(hash + c) mod N` over the ordered node list.
//! - `jump`: Lamping & Veach jump consistent hash over the ordered node list.
//!   Buckets are list positions: adding at the end or removing the *last* node
//!   is minimal; removing a *middle* node shifts every later node down one
//!   bucket, so keys move between surviving nodes too (the migration shows it).
//! - `rendezvous`: highest random weight, weighted by `score = -w / ln(u)`.
//! - `maglev`: Eisenbud et al. lookup table of prime size M.
//! - `bounded`: consistent hashing with bounded loads (Mirrokni, Thorup,
//!   Zadimoghaddam) on top of the ring; depends on the whole key set.
//!
//! Nothing here reads a clock, the OS or a random source; key generation uses
//! a seeded ChaCha8 generator.

mod bounded;
mod explain;
mod hash;
mod hashring;
mod jump;
mod maglev;
mod migration;
mod modn;
mod node;
mod placement;
mod rendezvous;
mod stats;
mod types;

pub use bounded::Bounded;
pub use explain::{
    BoundedExplanation, BoundedSkip, Explanation, JumpExplanation, JumpStep, MaglevExplanation,
    ModNExplanation, PreferenceStep, Probe, RendezvousExplanation, RendezvousScore,
    RingExplanation,
};
pub use hash::{fraction, hash_key, vnode_position, HASH_SEED};
pub use hashring::{arc_diff, Arc, ArcChange, HashRing};
pub use jump::{jump_hash, jump_trace, MAX_BUCKETS};
pub use maglev::{is_prime, next_prime, Maglev, DEFAULT_MAGLEV_TABLE};
pub use migration::{
    compare_algorithms, migration, ChangeReport, Flow, KeyMove, Migration,
};
pub use modn::modn_bucket;
pub use node::{apply_change, node_name, nodes_named, Change};
pub use placement::{Algorithm, Assignment, Placement, Settings};
pub use rendezvous::Rendezvous;
pub use stats::{
    balance_sweep, generate_keys, generate_keys_seeded, NodeLoad, Stats, SweepPoint,
};
pub use types::{NodeSpec, RingError, VnodePoint};
