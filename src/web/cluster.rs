//! The page's Cluster module (built for wasm32 by Trunk; see `ui::start`).

ringraft::web_module!(CLUSTER, "ringraft-cluster");
