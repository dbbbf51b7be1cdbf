//! The page's Cluster module (built for wasm32 by Trunk; see `ui::start`).

#[cfg(target_arch = "wasm32")]
fn main() {
    ringraft::ui::start(ringraft::ui::CLUSTER);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    ringraft::web_module_hint("ringraft-cluster");
}
