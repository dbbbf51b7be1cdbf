//! The app shell: header, view switcher, language, the active view, footer.

use crate::i18n::{tr, Lang};
use yew::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    Raft,
    Ring,
    Cluster,
}

impl View {
    pub const ALL: [View; 3] = [View::Raft, View::Ring, View::Cluster];

    pub fn key(self) -> &'static str {
        match self {
            View::Raft => "raft",
            View::Ring => "ring",
            View::Cluster => "cluster",
        }
    }

    pub fn from_key(key: &str) -> Option<View> {
        View::ALL.into_iter().find(|v| v.key() == key)
    }

    fn label_key(self) -> &'static str {
        match self {
            View::Raft => "view.raft",
            View::Ring => "view.ring",
            View::Cluster => "view.cluster",
        }
    }
}

/// The language from `?lang=`, else the browser's, else English.
fn initial_lang() -> Lang {
    let window = web_sys::window();
    let from_url = window
        .as_ref()
        .and_then(|w| w.location().search().ok())
        .and_then(|s| web_sys::UrlSearchParams::new_with_str(&s).ok())
        .and_then(|p| p.get("lang"))
        .and_then(|c| Lang::from_code(&c));
    from_url
        .or_else(|| window.and_then(|w| w.navigator().language()).and_then(|c| Lang::from_code(&c)))
        .unwrap_or_default()
}

#[function_component(App)]
pub fn app() -> Html {
    let view = use_state(|| View::Raft);
    let lang = use_state(initial_lang);
    {
        let code = lang.code();
        use_effect_with(*lang, move |_| {
            if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
                let _ = el.set_attribute("lang", if code == "zh" { "zh-CN" } else { "en" });
            }
        });
    }
    let l = *lang;
    let tabs = View::ALL.iter().map(|&v| {
        let selected = *view == v;
        let onclick = {
            let view = view.clone();
            Callback::from(move |_| view.set(v))
        };
        html! {
            <button role="tab" id={format!("tab-{}", v.key())} class={classes!("tab", selected.then_some("selected"))}
                aria-selected={selected.to_string()} aria-controls={format!("pane-{}", v.key())} {onclick}>
                { tr(l, v.label_key()) }
            </button>
        }
    });
    let on_lang = {
        let lang = lang.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<web_sys::HtmlSelectElement>().value();
            if let Some(new) = Lang::from_code(&value) {
                lang.set(new);
            }
        })
    };
    html! {
        <ContextProvider<Lang> context={l}>
        <div class="shell">
            <header class="top">
                <h1 class="brand"><span class="logo" aria-hidden="true">{"◎"}</span>{"ringraft"}</h1>
                <p class="tagline">{ tr(l, "app.tagline") }</p>
                <nav class="tabs" role="tablist" aria-label={tr(l, "app.views")}>{ for tabs }</nav>
                <label class="lang">
                    <span class="sr-only">{ tr(l, "app.language") }</span>
                    <select id="lang-select" aria-label={tr(l, "app.language")} onchange={on_lang}>
                        <option value="en" selected={l == Lang::En}>{"English"}</option>
                        <option value="zh" selected={l == Lang::Zh}>{"中文"}</option>
                    </select>
                </label>
            </header>
            <main id={format!("pane-{}", view.key())} class="pane" role="tabpanel" aria-labelledby={format!("tab-{}", view.key())}>
                { pane(*view, l) }
            </main>
            <footer class="bottom">
                <span class="version">{ format!("ringraft v{}", env!("CARGO_PKG_VERSION")) }</span>
                <span>{ tr(l, "app.footer") }</span>
            </footer>
        </div>
        </ContextProvider<Lang>>
    }
}

fn pane(view: View, l: Lang) -> Html {
    let (title, text) = match view {
        View::Raft => return html! { <crate::ui::raft::RaftView /> },
        View::Ring => ("view.ring", "app.placeholder.ring"),
        View::Cluster => ("view.cluster", "app.placeholder.cluster"),
    };
    html! { <section class="placeholder"><h2>{ tr(l, title) }</h2><p>{ tr(l, text) }</p></section> }
}
