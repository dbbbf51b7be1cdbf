//! The page's hash-ring module (built for wasm32 by Trunk; see `ui::start`).

#[cfg(target_arch = "wasm32")]
fn main() {
    ringraft::ui::start(ringraft::ui::RING);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    ringraft::web_module_hint("ringraft-ring");
}
