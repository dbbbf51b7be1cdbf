//! The Yew UI (wasm only). Components render simulator snapshots and send
//! actions back as data; no Raft or ring logic lives here (DESIGN.md).

mod app;
mod jsmath;
mod tour_panel;
mod widgets;
mod cluster;
pub mod panic;
mod ring;
pub mod raft;

pub use app::{App, View};

/// Mount the app on <body>. Called by the `ringraft-app` binary.
pub fn start() {
    panic::install();
    yew::Renderer::<App>::new().render();
}
