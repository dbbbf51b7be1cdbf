//! A pure Raft node: no clock, no randomness, no I/O (DESIGN.md "Cores are pure").

pub mod hash;
pub mod kv;
pub mod levels;
pub mod membership;
pub mod node;
pub mod note;
pub mod types;

pub use node::Node;
pub use note::{ConfigCause, Line, Note, Outcome};
pub use membership::{ChangeRefused, ConfChange, Membership, NodeSet, StateSnapshot};
pub use types::*;
