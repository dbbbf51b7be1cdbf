//! The page's Raft module (built for wasm32 by Trunk; see `ui::start`).

#[cfg(target_arch = "wasm32")]
fn main() {
    ringraft::ui::start(ringraft::ui::RAFT);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    ringraft::web_module_hint("ringraft-raft");
}
