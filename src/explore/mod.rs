//! An exhaustive explorer (a model checker) over the Raft core the page
//! animates: every interleaving of events up to a depth, with Figure 3's
//! safety properties checked in every state (issue 16).
//!
//! The model abstracts time as TLA+ specifications do: from a state, the
//! enabled events are delivering any message in flight, firing any armed
//! timer of a running server, and — within bounds — dropping or
//! duplicating a message, crashing a server, restarting a crashed one, and
//! a client request to a leader. Everything else is `raft::Node`'s code,
//! driven by the simulator's own timer rules (`sim::settle_timers`). A run
//! is a schedule (`sim::schedule::Step`), which `ringraft run` replays
//! through `sim::World`, event for event.
//!
//! Pure (no clock, no I/O, no UI types): natively for `ringraft explore`,
//! in a Web Worker for the page.

pub mod model;
pub mod search;

pub use model::{Bounds, Event, Found, Model, ModelError, State};
pub use search::{explore, Counterexample, Order, Progress, Report, Stop};
