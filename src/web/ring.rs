//! The page's hash-ring module (built for wasm32 by Trunk; see `ui::start`).

ringraft::web_module!(RING, "ringraft-ring");
