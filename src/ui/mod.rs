//! The Yew UI (wasm only). Components render simulator snapshots and send
//! actions back as data; no Raft or ring logic lives here (DESIGN.md).

mod app;
mod zh;
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
    // A page opened in Chinese fetches its text first (no flash of English);
    // an English page never downloads it.
    if app::initial_lang() == crate::i18n::Lang::Zh && !crate::i18n::zh_ready() {
        zh::ensure(|r| {
            if let Err(e) = r {
                app::set_zh_start_error(e);
            }
            yew::Renderer::<App>::new().render();
        });
    } else {
        yew::Renderer::<App>::new().render();
    }
}
