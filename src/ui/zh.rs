//! Chinese text is not in the wasm: it is fetched from `zh.json` (next to
//! index.html) the first time the page needs it — at start for a Chinese
//! link or browser, or when someone picks 中文 — and installed with
//! `i18n::load_zh`. English readers never download it.
//!
//! Plain promise callbacks rather than async/await: the futures executor
//! would cost more wasm than the Chinese text it keeps out.

use std::cell::Cell;
use std::rc::Rc;

use crate::i18n::{load_zh, zh_ready, ZH_FILE};
use wasm_bindgen::prelude::*;

type Callback = Closure<dyn FnMut(JsValue)>;

/// Makes Chinese available, then calls `done` (at once when it already is).
pub fn ensure(done: impl FnOnce(Result<(), String>) + 'static) {
    if zh_ready() {
        return done(Ok(()));
    }
    let Some(window) = web_sys::window() else { return done(Err("no window".into())) };
    let once = Cell::new(Some(done));
    let finish: Rc<dyn Fn(Result<(), String>)> = Rc::new(move |r| {
        if let Some(f) = once.take() {
            f(r)
        }
    });
    let on_text: Rc<Callback> = Rc::new(Closure::new({
        let finish = finish.clone();
        move |text: JsValue| finish(load_zh(&text.as_string().unwrap_or_default()).map(|_| ()))
    }));
    let on_error: Rc<Callback> = Rc::new(Closure::new({
        let finish = finish.clone();
        move |e: JsValue| {
            let why = e.as_string().unwrap_or_else(|| String::from(js_sys::Object::from(e).to_string()));
            finish(Err(format!("{ZH_FILE}: {why}")))
        }
    }));
    let on_response: Callback = Closure::new({
        let (on_text, on_error) = (on_text.clone(), on_error.clone());
        move |resp: JsValue| {
            let resp: web_sys::Response = resp.unchecked_into();
            match resp.text() {
                Ok(text) if resp.ok() => drop(text.then2(&on_text, &on_error)),
                _ => finish(Err(format!("{ZH_FILE}: HTTP {}", resp.status()))),
            }
        }
    });
    drop(window.fetch_with_str(ZH_FILE).then2(&on_response, &on_error));
    // The browser calls these later; they live as long as the page (one
    // small set per first switch to Chinese).
    on_response.forget();
    std::mem::forget(on_text);
    std::mem::forget(on_error);
}
