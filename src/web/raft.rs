//! The page's Raft module (built for wasm32 by Trunk; see `ui::start`).

ringraft::web_module!(RAFT, "ringraft-raft");
