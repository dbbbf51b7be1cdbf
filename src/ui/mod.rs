//! The Yew UI (wasm only): renders simulator snapshots, sends actions.
pub fn start() {}
