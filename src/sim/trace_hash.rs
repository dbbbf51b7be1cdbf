//! The trace hash: one 64-bit fingerprint of every event's typed data, so
//! "same seed + same actions ⇒ same run" can be checked natively and in wasm
//! against one golden file (tests/determinism_golden.rs, tests/wasm.rs).
//!
//! Events are fed through `std::hash::Hash` into streaming XXH3 (the same
//! value as hashing the bytes at once, without a buffer per event). `Hash`
//! writes enum discriminants and lengths as `isize`/`usize`, whose width
//! differs between wasm32 and 64-bit hosts; [`Bytes`] widens them to 8 bytes
//! so both produce the same stream.

use std::hash::{Hash, Hasher};

use xxhash_rust::xxh3::Xxh3;

use super::event::Event;

/// Hashes what `Hash` writes, platform-independently.
struct Bytes(Xxh3);

impl Hasher for Bytes {
    fn write(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }
    fn write_usize(&mut self, n: usize) {
        self.write(&(n as u64).to_le_bytes());
    }
    fn write_isize(&mut self, n: isize) {
        self.write(&(n as i64).to_le_bytes());
    }
    fn finish(&self) -> u64 {
        self.0.digest()
    }
}

/// The hash after `ev`, continuing from `h`.
pub fn event(ev: &Event, h: u64) -> u64 {
    let mut b = Bytes(Xxh3::with_seed(h));
    (ev.kind, ev.node, &ev.what, &ev.changes, &ev.message, &ev.notes, &ev.sent).hash(&mut b);
    b.finish()
}
