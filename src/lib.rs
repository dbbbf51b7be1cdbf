//! ringraft: a consistent-hash ring and Raft, simulated deterministically.
//!
//! Layers (see DESIGN.md): `raft` and `ring` are pure cores, `sim` owns time
//! and randomness, `ui` (wasm only) renders snapshots and sends actions.

pub mod raft;
pub mod ring;
pub mod sim;
/// The exhaustive explorer: every interleaving up to a bound, over the same Raft core.
#[cfg(feature = "schedule")]
pub mod explore;
/// Sharded store: keys → shards by the ring, each shard a Raft group whose
/// replicas move by membership changes (cargo feature `membership`).
#[cfg(feature = "membership")]
pub mod cluster;
/// UI strings in English and Chinese (pure data, tested natively).
pub mod i18n;
/// Shared links: the URL query that reproduces what is on screen, and the
/// ring and cluster views' states it carries; one error type.
pub mod link;
/// The guided tour: chapters, steps and what each step shows.
pub mod tour;
/// Smaller stand-ins for std/serde facilities (sort, decimal text, tagged
/// enums), each with what it saves in the wasm.
pub mod lean;
/// A vector whose full chunks are shared by its clones (logs and checker
/// records in history checkpoints).
pub mod chunked;
pub use lean::{num, order, tagged};

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;

#[cfg(target_arch = "wasm32")]
pub mod ui;

/// What the web-module binaries print when run natively.
#[cfg(not(target_arch = "wasm32"))]
pub fn web_module_hint(name: &str) -> ! {
    eprintln!("{name} is one of the web app's modules: build them with `trunk build` (see README). The native runner is `ringraft`.");
    std::process::exit(2);
}

/// The `main` of one of the page's wasm modules (`src/web/*.rs`): mounts the
/// app with `ui::$module` in wasm; natively it only prints a hint.
#[macro_export]
macro_rules! web_module {
    ($module:ident, $bin:literal) => {
        #[cfg(target_arch = "wasm32")]
        fn main() {
            $crate::ui::start($crate::ui::$module);
        }

        #[cfg(not(target_arch = "wasm32"))]
        fn main() {
            $crate::web_module_hint($bin);
        }
    };
}
