//! A pure Raft node: no clock, no randomness, no I/O (DESIGN.md "Cores are pure").

pub mod types;

pub use types::*;
