//! Deterministic discrete-event simulator: owns virtual time and the RNG.
//!
//! - [`World`]: the cluster, the network, the event queue and the checker;
//!   one `step()` processes one event.
//! - [`Sim`]: a `World` with history (step back, seek, fork) — what the page uses.
//! - [`Scenario`]: the JSON scenario language; [`presets`]: the bundled files.
//! - [`Snapshot`]: the serializable picture the page renders.
//! - [`expect`]: a scenario's `expect` block, checked at the end of a run (native).
//! - [`fuzz`]: seeded random-fault runs for `ringraft check` and the tests.

pub mod action;
pub mod checker;
pub mod clients;
pub mod compare;
pub mod event;
#[cfg(feature = "expect")]
pub mod expect;
pub mod fuzz;
pub mod history;
pub mod linearizability;
pub mod liveness;
pub mod network;
pub mod presets;
pub mod scenario;
#[cfg(feature = "schedule")]
pub mod schedule;
pub mod snapshot;
pub mod view;
#[cfg(feature = "trace-hash")]
mod trace_hash;
pub mod world;

pub use action::{Action, ClientLoad};
pub use checker::{Breach, Property, PropertyStatus, Violation};
pub use clients::{Op, OpOutcome};
pub use event::{Change, ClientOutcome, ClientSource, Event, EventKind, Marker, MarkerKind, MessageInfo, TimerKind, Verdict, What};
pub use history::{ActionRecord, HistorySettings, HistoryStats, Sim};
pub use network::{DropReason, InFlight, Links, NetworkSettings, Timing, MS};
pub use scenario::{InitialNode, LogItem, Scenario, ScenarioError, TimedAction, Until};
pub use snapshot::{CheckerView, NodeView, Snapshot};
pub use view::{EventFrame, NodeFrame, LOG_TAIL};
pub use world::{settle_timers, tell_timing, Armed, Stats, World, RECENT_EVENTS};
