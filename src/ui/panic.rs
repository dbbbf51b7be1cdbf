//! A panic in wasm must not leave a dead page: log it to the console and put
//! a visible banner at the top of the page.

use std::panic::PanicHookInfo;

pub const BANNER_ID: &str = "panic-banner";

pub fn install() {
    std::panic::set_hook(Box::new(|info: &PanicHookInfo<'_>| {
        console_error_panic_hook::hook(info);
        show_banner(&info.to_string());
    }));
}

/// Insert (or replace) the error banner. Uses text, never HTML, so a panic
/// message can't inject markup.
pub fn show_banner(message: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    let Some(body) = doc.body() else { return };
    if let Some(old) = doc.get_element_by_id(BANNER_ID) {
        old.remove();
    }
    let Ok(banner) = doc.create_element("div") else { return };
    banner.set_id(BANNER_ID);
    let _ = banner.set_attribute("role", "alert");
    banner.set_text_content(Some(&format!(
        "ringraft hit an internal error and stopped. Reload the page to start again. Details: {message}"
    )));
    let _ = body.prepend_with_node_1(&banner);
}
