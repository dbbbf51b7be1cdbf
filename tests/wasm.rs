//! wasm-side tests, run in headless Chromium by wasm-bindgen-test-runner:
//! `CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown --test wasm`
#![cfg(target_arch = "wasm32")]

use std::time::Duration;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

async fn settle() {
    yew::platform::time::sleep(Duration::from_millis(30)).await;
}

fn mount() -> web_sys::Element {
    let root = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<ringraft::ui::App>::with_root(root.clone()).render();
    root
}

#[wasm_bindgen_test]
async fn shell_renders_and_view_switcher_switches() {
    let root = mount();
    settle().await;
    let tabs = root.query_selector_all("[role=tab]").unwrap();
    assert_eq!(tabs.length(), 3, "three views in the switcher");
    let selected = root.query_selector("[role=tab][aria-selected=true]").unwrap().unwrap();
    assert_eq!(selected.id(), "tab-raft");
    let ring_tab: web_sys::HtmlElement = wasm_bindgen::JsCast::dyn_into(root.query_selector("#tab-ring").unwrap().unwrap()).unwrap();
    ring_tab.click();
    settle().await;
    assert_eq!(root.query_selector("[role=tab][aria-selected=true]").unwrap().unwrap().id(), "tab-ring");
    assert!(root.query_selector("#pane-ring").unwrap().is_some());
    let footer = root.query_selector(".version").unwrap().unwrap().text_content().unwrap();
    assert!(footer.contains(env!("CARGO_PKG_VERSION")));
    root.remove();
}

#[wasm_bindgen_test]
fn panic_banner_shows_text_never_markup() {
    ringraft::ui::panic::show_banner("<img src=x onerror=alert(1)> boom");
    let banner = document().get_element_by_id(ringraft::ui::panic::BANNER_ID).expect("banner shown");
    assert!(banner.text_content().unwrap().contains("<img src=x"), "message kept as text");
    assert!(banner.query_selector("img").unwrap().is_none(), "no element injected");
    // A second call replaces rather than stacks banners.
    ringraft::ui::panic::show_banner("again");
    assert_eq!(document().query_selector_all(&format!("#{}", ringraft::ui::panic::BANNER_ID)).unwrap().length(), 1);
    banner.remove();
    document().get_element_by_id(ringraft::ui::panic::BANNER_ID).map(|b| b.remove());
}

/// The simulator gives the same run in wasm as natively: compare trace hashes
/// with the golden file the native test checks.
#[wasm_bindgen_test]
fn simulator_runs_bit_for_bit_as_natively() {
    let golden: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(include_str!("golden/trace_hashes.json")).unwrap();
    use ringraft::sim::presets;
    // The page has the default compiled in and fetches the rest (this file).
    presets::load(include_str!("../static/presets.json")).unwrap();
    assert_eq!(golden.len(), presets::NAMES.len());
    for name in presets::NAMES {
        let mut sim = ringraft::sim::Sim::from_json(presets::get(name).unwrap()).unwrap();
        sim.run_until(5_000_000);
        assert_eq!(golden[name].as_str().unwrap(), format!("{:016x}", sim.trace_hash()), "{name}");
    }
}

#[wasm_bindgen_test]
fn raft_view_reducer_changes_only_what_an_action_names() {
    use ringraft::ui::raft::state::{Ui, UiAction};
    use ringraft::ui::raft::Selection;
    use std::rc::Rc;
    use yew::Reducible;
    let ui = Rc::new(Ui::new(false, false));
    // A click on a server selects it and opens its menu; a second click closes it.
    let a = ui.clone().reduce(UiAction::ClickNode(3));
    assert_eq!((a.sel.clone(), a.menu), (Selection::Node(3), Some(3)));
    let b = a.clone().reduce(UiAction::ClickNode(3));
    assert_eq!((b.sel.clone(), b.menu), (Selection::Node(3), None));
    // Enter opens it whatever its state.
    assert_eq!(b.clone().reduce(UiAction::OpenMenu(3)).menu, Some(3));
    // An action that changes nothing keeps the same state (no re-render).
    assert!(Rc::ptr_eq(&b, &b.clone().reduce(UiAction::CloseMenu)));
    // Partition sides toggle; a refused load keeps the selection, a load clears it.
    let c = b.reduce(UiAction::ToggleSide(2)).reduce(UiAction::ToggleSide(4)).reduce(UiAction::ToggleSide(2));
    assert_eq!(c.side_b, vec![4]);
    let d = c.reduce(UiAction::Loaded(Err("bad".into())));
    assert_eq!((d.load_error.as_deref(), d.sel.clone()), (Some("bad"), Selection::Node(3)));
    let e = d.reduce(UiAction::OpenMenu(1)).reduce(UiAction::Loaded(Ok(())));
    assert_eq!((e.load_error.clone(), e.sel.clone(), e.menu), (None, Selection::None, None));
    assert!(!e.drop_mode && e.clone().reduce(UiAction::ToggleDropMode).drop_mode);
}
