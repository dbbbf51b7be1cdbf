//! Text files next to index.html, fetched the first time the page needs
//! them: `zh.json` (Chinese, at start for a Chinese reader or on switching)
//! and `extra.json` (the rules panel, when it is first opened). English
//! readers who never open the panel download neither.
//!
//! Plain promise callbacks rather than async/await: the futures executor
//! would cost more wasm than the text it keeps out.

use std::cell::Cell;
use std::rc::Rc;

use crate::i18n::{extra_ready, load_on_demand, load_zh, zh_ready, EXTRA_FILE, ZH_FILE};
use wasm_bindgen::prelude::*;

type Callback = Closure<dyn FnMut(JsValue)>;

type Done = Box<dyn FnOnce(Result<String, String>)>;

/// Fetches `file` (relative to the page) and calls `done` with its text.
/// (`done` is boxed: one copy of this code serves every file.)
fn fetch_text(file: &'static str, done: Done) {
    let Some(window) = web_sys::window() else {
        return done(Err("no window".into()));
    };
    let once = Cell::new(Some(done));
    let finish: Rc<dyn Fn(Result<String, String>)> = Rc::new(move |r| {
        if let Some(f) = once.take() {
            f(r)
        }
    });
    let on_text: Rc<Callback> = Rc::new(Closure::new({
        let finish = finish.clone();
        move |text: JsValue| finish(Ok(text.as_string().unwrap_or_default()))
    }));
    let on_error: Rc<Callback> = Rc::new(Closure::new({
        let finish = finish.clone();
        move |e: JsValue| {
            let why = e
                .as_string()
                .unwrap_or_else(|| String::from(js_sys::Object::from(e).to_string()));
            finish(Err(format!("{file}: {why}")))
        }
    }));
    let on_response: Callback = Closure::new({
        let (on_text, on_error) = (on_text.clone(), on_error.clone());
        move |resp: JsValue| {
            let resp: web_sys::Response = resp.unchecked_into();
            match resp.text() {
                Ok(text) if resp.ok() => drop(text.then2(&on_text, &on_error)),
                _ => finish(Err(format!("{file}: HTTP {}", resp.status()))),
            }
        }
    });
    drop(window.fetch_with_str(file).then2(&on_response, &on_error));
    // The browser calls these later; they live as long as the page (one
    // small set per file fetched).
    on_response.forget();
    std::mem::forget(on_text);
    std::mem::forget(on_error);
}

/// Makes Chinese available, then calls `done` (at once when it already is).
pub fn ensure_zh(done: impl FnOnce(Result<(), String>) + 'static) {
    if zh_ready() {
        return done(Ok(()));
    }
    fetch_text(
        ZH_FILE,
        Box::new(move |r| done(r.and_then(|text| load_zh(&text).map(|_| ())))),
    )
}

/// Where `extra.json` stands for one part of the page.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum ExtraFetch {
    #[default]
    NotAsked,
    Loading,
    Loaded,
    Failed(String),
}

/// Fetches `extra.json` (the rules panel's text and the tour's narration)
/// unless it is loaded or was already asked for (`now`); `set` hears how
/// the fetch goes, which re-renders whoever holds that state.
pub fn fetch_extra(now: &ExtraFetch, set: yew::Callback<ExtraFetch>) {
    if extra_ready() || *now != ExtraFetch::NotAsked {
        return;
    }
    set.emit(ExtraFetch::Loading);
    let done = move |r: Result<String, String>| {
        set.emit(match r.and_then(|text| load_on_demand(EXTRA_FILE, &text)) {
            Ok(_) => ExtraFetch::Loaded,
            Err(e) => ExtraFetch::Failed(e),
        })
    };
    fetch_text(EXTRA_FILE, Box::new(done))
}
