//! Chinese text is not in the wasm: it is fetched from `zh.json` (next to
//! index.html) the first time the page needs it — at start for a Chinese
//! link or browser, or when someone picks 中文 — and installed with
//! `i18n::load_zh`. English readers never download it.

use crate::i18n::{load_zh, zh_ready, ZH_FILE};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

fn js_err(e: JsValue) -> String {
    e.as_string()
        .or_else(|| js_sys::JSON::stringify(&e).ok().and_then(|s| s.as_string()))
        .unwrap_or_else(|| "unknown error".into())
}

/// Makes Chinese available; a no-op when it already is.
pub async fn ensure() -> Result<(), String> {
    if zh_ready() {
        return Ok(());
    }
    let window = web_sys::window().ok_or("no window")?;
    let resp = JsFuture::from(window.fetch_with_str(ZH_FILE)).await.map_err(|e| format!("{ZH_FILE}: {}", js_err(e)))?;
    let resp: web_sys::Response = resp.dyn_into().map_err(|_| format!("{ZH_FILE}: not a response"))?;
    if !resp.ok() {
        return Err(format!("{ZH_FILE}: HTTP {}", resp.status()));
    }
    let text = JsFuture::from(resp.text().map_err(js_err)?).await.map_err(js_err)?;
    let text = text.as_string().ok_or_else(|| format!("{ZH_FILE}: not text"))?;
    load_zh(&text).map(|_| ())
}
