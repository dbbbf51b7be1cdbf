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

thread_local! {
    /// Where `presets.json` stands (one fetch for the whole page), and who
    /// waits for it.
    static PRESETS: std::cell::RefCell<(ExtraFetch, Vec<yew::Callback<Result<(), String>>>)> =
        const { std::cell::RefCell::new((ExtraFetch::NotAsked, Vec::new())) };
}

/// Fetches `presets.json` (every bundled scenario but the default) unless
/// it was already asked for; `done` hears how it went when it ends (at once
/// if it already has).
pub fn fetch_presets(done: yew::Callback<Result<(), String>>) {
    // Ended: answer now. Under way: wait with the others. Not asked: start it.
    let ended = PRESETS.with(|p| {
        let mut p = p.borrow_mut();
        match &p.0 {
            ExtraFetch::Loaded => Some(Some(Ok(()))),
            ExtraFetch::Failed(e) => Some(Some(Err(e.clone()))),
            ExtraFetch::Loading => {
                p.1.push(done.clone());
                Some(None)
            }
            ExtraFetch::NotAsked => {
                *p = (ExtraFetch::Loading, vec![done.clone()]);
                None
            }
        }
    });
    match ended {
        Some(Some(r)) => return done.emit(r),
        Some(None) => return,
        None => {}
    }
    let finish = move |r: Result<String, String>| {
        let r = r.and_then(|text| crate::sim::presets::load(&text).map(|_| ()));
        let waiting = PRESETS.with(|p| {
            let mut p = p.borrow_mut();
            p.0 = r.clone().map_or_else(ExtraFetch::Failed, |_| ExtraFetch::Loaded);
            std::mem::take(&mut p.1)
        });
        waiting.into_iter().for_each(|w| w.emit(r.clone()));
    };
    fetch_text(crate::sim::presets::FILE, Box::new(finish))
}
