//! The replicated state machine: a string→string map, and the client
//! sessions of §6.3 that make retried commands safe.
//!
//! Applying is deterministic and depends only on the command and the current
//! state, so every server that applies the same log prefix holds the same
//! map and the same sessions (§5.3, State Machine Safety).

use std::collections::BTreeMap;
use std::sync::Arc;

use super::types::{Command, Session};

/// The map. Keys and values are shared strings: a copy of the map (a
/// history checkpoint holds one per server, `sim::history`) copies
/// pointers, not text — about a third of the bytes of `String`s.
pub type Kv = BTreeMap<Arc<str>, Arc<str>>;

/// Apply one command. Returns whether it took effect (false only for a
/// compare-and-set whose expectation did not hold) and, for a read, the
/// value read.
pub fn apply(kv: &mut Kv, command: &Command) -> (bool, Option<String>) {
    match command {
        Command::Noop => (true, None),
        #[cfg(feature = "membership")]
        Command::Config(_) => (true, None),
        Command::Set { key, value } => {
            kv.insert(key.as_str().into(), value.as_str().into());
            (true, None)
        }
        Command::Delete { key } => {
            kv.remove(key.as_str());
            (true, None)
        }
        Command::Cas { key, expected, value } => {
            if kv.get(key.as_str()).map(|v| &**v) == expected.as_deref() {
                kv.insert(key.as_str().into(), value.as_str().into());
                (true, None)
            } else {
                (false, None)
            }
        }
        Command::Get { key } => (true, kv.get(key.as_str()).map(|v| v.to_string())),
        Command::Append { key, value } => {
            let old = kv.get(key.as_str()).map_or("", |v| &**v);
            let new: Arc<str> = [old, value.as_str()].concat().into();
            kv.insert(key.as_str().into(), new);
            (true, None)
        }
    }
}

/// Per client: (client, last serial number applied, that command's result).
/// A vector: a cluster serves a handful of clients. The page's lean modules
/// never see a session (see `src/lean/mod.rs`) and keep none.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Sessions(#[cfg(feature = "extended")] Vec<(u32, u32, bool, Option<String>)>);

#[cfg(feature = "extended")]
impl Sessions {
    /// §6.3: a command whose session already applied this serial number (or
    /// a later one) is not applied again; the first copy's result is
    /// returned. `Some(result)` for such a duplicate, `None` to apply it.
    pub fn duplicate(&self, session: Session) -> Option<(bool, Option<String>)> {
        match self.0.iter().find(|s| s.0 == session.client) {
            Some((_, seq, ok, value)) if *seq >= session.seq.get() => {
                Some(if *seq == session.seq.get() { (*ok, value.clone()) } else { (true, None) })
            }
            _ => None,
        }
    }

    /// Records what `session`'s command did.
    pub fn remember(&mut self, session: Session, ok: bool, value: Option<String>) {
        let entry = (session.client, session.seq.get(), ok, value);
        match self.0.iter_mut().find(|s| s.0 == session.client) {
            Some(s) => *s = entry,
            None => self.0.push(entry),
        }
    }
}

#[cfg(not(feature = "extended"))]
impl Sessions {
    pub fn duplicate(&self, _: Session) -> Option<(bool, Option<String>)> {
        None
    }
    pub fn remember(&mut self, _: Session, _: bool, _: Option<String>) {}
}
