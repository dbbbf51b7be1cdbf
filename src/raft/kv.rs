//! The replicated state machine: a string→string map.
//!
//! Applying is deterministic and depends only on the command and the current
//! map, so every server that applies the same log prefix holds the same map
//! (§5.3, State Machine Safety).

use std::collections::BTreeMap;

use super::types::Command;

/// Apply one command. Returns whether it took effect (false only for a
/// compare-and-set whose expectation did not hold).
pub fn apply(kv: &mut BTreeMap<String, String>, command: &Command) -> bool {
    match command {
        Command::Noop => true,
        Command::Set { key, value } => {
            kv.insert(key.clone(), value.clone());
            true
        }
        Command::Delete { key } => {
            kv.remove(key);
            true
        }
        Command::Cas { key, expected, value } => {
            if kv.get(key) == expected.as_ref() {
                kv.insert(key.clone(), value.clone());
                true
            } else {
                false
            }
        }
    }
}
