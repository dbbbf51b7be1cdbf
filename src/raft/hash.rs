//! Stable hashes of commands (identical natively and in wasm): the safety
//! checker's log-prefix hashes and the explorer's state fingerprints use
//! the same ones.

use xxhash_rust::xxh3::xxh3_64_with_seed;

use super::types::Command;

/// Two words into one (xxh3 of their 16 bytes).
pub fn mix(a: u64, b: u64) -> u64 {
    let mut buf = [0u8; 16];
    buf[..8].copy_from_slice(&a.to_le_bytes());
    buf[8..].copy_from_slice(&b.to_le_bytes());
    xxh3_64_with_seed(&buf, 0x9e37_79b9_7f4a_7c15)
}

/// `h` extended by a string.
pub fn str_hash(h: u64, s: &str) -> u64 {
    xxh3_64_with_seed(s.as_bytes(), h ^ (s.len() as u64).rotate_left(17))
}

/// A stable hash of a command (identical natively and in wasm).
pub fn command_hash(c: &Command) -> u64 {
    match c {
        Command::Noop => mix(1, 0),
        Command::Set { key, value } => str_hash(str_hash(mix(2, 0), key), value),
        Command::Delete { key } => str_hash(mix(3, 0), key),
        Command::Get { key } => str_hash(mix(5, 0), key),
        Command::Append { key, value } => str_hash(str_hash(mix(6, 0), key), value),
        #[cfg(feature = "membership")]
        Command::Config(m) => {
            let set = |h: u64, ids: &[crate::raft::NodeId]| ids.iter().fold(mix(h, ids.len() as u64), |h, &i| mix(h, i as u64));
            let h = set(set(set(mix(7, 0), &m.voters), &m.learners), &m.outgoing);
            mix(h, m.catching_up.map_or(0, |n| n as u64 + 1))
        }
        Command::Cas { key, expected, value } => {
            let h = str_hash(mix(4, 0), key);
            let h = match expected {
                None => mix(h, 0),
                Some(e) => str_hash(mix(h, 1), e),
            };
            str_hash(h, value)
        }
    }
}

