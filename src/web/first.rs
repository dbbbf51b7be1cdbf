//! The first screen's module (built for wasm32 by Trunk; see `ui::raft::first`):
//! no Yew, the default run on the first picture until the Raft view's module
//! takes over. The loader in `Trunk.toml` calls these.

#[cfg(target_arch = "wasm32")]
mod exports {
    use wasm_bindgen::prelude::*;

    /// Takes over the first picture, playing if asked; false without one.
    #[wasm_bindgen]
    pub fn start(play: bool) -> bool {
        ringraft::ui::first::start(play)
    }

    /// Plays or pauses.
    #[wasm_bindgen]
    pub fn play(on: bool) {
        ringraft::ui::first::play(on)
    }

    /// Stops for the hand-over, the run's position in the address.
    #[wasm_bindgen]
    pub fn stop() {
        ringraft::ui::first::stop()
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    ringraft::web_module_hint("ringraft-first");
}
