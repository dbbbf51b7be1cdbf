//! The Yew UI (wasm only). Components render simulator snapshots and send
//! actions back as data; no Raft or ring logic lives here (DESIGN.md).
// The cluster view's module (`membership` without `extended`) has no Raft
// view: the helpers only that view uses are unused there.
#![cfg_attr(all(feature = "membership", not(feature = "extended")), allow(dead_code, unused_imports))]

mod app;
pub mod fetch;
mod jsmath;
mod tour_panel;
mod widgets;
#[cfg(feature = "membership")]
mod cluster;
pub mod panic;
mod ring;
/// The Raft view: in the lean Raft module and the extended one; the
/// cluster view's module (`membership` without `extended`) leaves it out.
#[cfg(any(feature = "extended", not(feature = "membership")))]
pub mod raft;

/// The heap of the page's modules (single-threaded wasm: no atomics).
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

use crate::i18n;

pub use app::{ring_pane, App, Module, View};
#[cfg(any(feature = "extended", not(feature = "membership")))]
pub use app::raft_pane;
#[cfg(any(feature = "extended", not(feature = "membership")))]
pub use raft::first;
#[cfg(feature = "membership")]
pub use app::cluster_pane;

/// The page's three wasm modules, one per view: `index.html` loads the one
/// its address names (`view=`), and switching views loads the page again at
/// the new address (which carries every view's state). Each binary names only
/// its own pane, so the linker leaves the other views' code out.
#[cfg(any(feature = "extended", not(feature = "membership")))]
/// (Its style, static/raft.css, is a style sheet of index.html: the first
/// picture pre-rendered there needs it before any module runs.)
pub const RAFT: Module =
    Module { view: View::Raft, pane: raft_pane, read_raft: Some(crate::link::raft::read_raft_param), text: i18n::RAFT_TEXT, css: "" };
pub const RING: Module =
    Module { view: View::Ring, pane: ring_pane, read_raft: None, text: i18n::RING_TEXT, css: include_str!(concat!(env!("OUT_DIR"), "/ring.css")) };
/// The cluster view moves replicas by membership changes: built with `membership`.
#[cfg(feature = "membership")]
pub const CLUSTER: Module =
    Module { view: View::Cluster, pane: cluster_pane, read_raft: None, text: i18n::CLUSTER_TEXT, css: include_str!(concat!(env!("OUT_DIR"), "/cluster.css")) };

/// Mount the app on <body>, rendering `module`'s view. Called by the
/// `ringraft-raft`, `ringraft-ring` and `ringraft-cluster` binaries
/// (`src/web/`, through [`crate::web_module!`]).
pub fn start(module: Module) {
    panic::install();
    i18n::use_tables(module.text);
    add_style(module.css);
    // The extended Raft module's own rules (static/extended.css).
    #[cfg(feature = "extended")]
    add_style(include_str!(concat!(env!("OUT_DIR"), "/extended.css")));
    app::set_module(module);
    // A page opened in Chinese fetches its text first (no flash of English);
    // an English page never downloads it.
    if app::initial_lang() == i18n::Lang::Zh && !i18n::zh_ready() {
        fetch::ensure_zh(|r| {
            if let Err(e) = r {
                app::set_zh_start_error(e);
            }
            yew::Renderer::<App>::new().render();
        });
    } else {
        yew::Renderer::<App>::new().render();
    }
}

/// Adds a view's style sheet to <head> (before the view first renders).
fn add_style(css: &str) {
    if css.is_empty() {
        return;
    }
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    if let (Ok(style), Some(head)) = (doc.create_element("style"), doc.head()) {
        style.set_text_content(Some(css));
        let _ = head.append_child(&style);
    }
}
