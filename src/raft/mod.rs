//! A pure Raft node: no clock, no randomness, no I/O (DESIGN.md "Cores are pure").

pub mod kv;
pub mod levels;
pub mod node;
pub mod note;
pub mod types;

pub use node::Node;
pub use note::{Line, Note, Outcome};
pub use types::*;
