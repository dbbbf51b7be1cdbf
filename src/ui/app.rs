//! The app shell: header, view switcher, the active view, footer.

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

    pub fn label(self) -> &'static str {
        match self {
            View::Raft => "Raft",
            View::Ring => "Hash ring",
            View::Cluster => "Cluster",
        }
    }
}

#[function_component(App)]
pub fn app() -> Html {
    let view = use_state(|| View::Raft);
    let tabs = View::ALL.iter().map(|&v| {
        let selected = *view == v;
        let onclick = {
            let view = view.clone();
            Callback::from(move |_| view.set(v))
        };
        html! {
            <button role="tab" id={format!("tab-{}", v.key())} class={classes!("tab", selected.then_some("selected"))}
                aria-selected={selected.to_string()} aria-controls={format!("pane-{}", v.key())} {onclick}>
                { v.label() }
            </button>
        }
    });
    html! {
        <div class="shell">
            <header class="top">
                <h1 class="brand"><span class="logo" aria-hidden="true">{"◎"}</span>{"ringraft"}</h1>
                <p class="tagline">{"Raft and consistent hashing, simulated step by step"}</p>
                <nav class="tabs" role="tablist" aria-label="Views">{ for tabs }</nav>
            </header>
            <main id={format!("pane-{}", view.key())} class="pane" role="tabpanel" aria-labelledby={format!("tab-{}", view.key())}>
                { pane(*view) }
            </main>
            <footer class="bottom">
                <span class="version">{ format!("ringraft v{}", env!("CARGO_PKG_VERSION")) }</span>
                <span>{"Deterministic simulation: same seed + same actions ⇒ same run."}</span>
            </footer>
        </div>
    }
}

fn pane(view: View) -> Html {
    match view {
        View::Raft => html! { <section class="placeholder"><h2>{"Raft"}</h2><p>{"A Raft cluster you can watch and drive."}</p></section> },
        View::Ring => html! { <section class="placeholder"><h2>{"Hash ring"}</h2><p>{"Keys placed on servers by a consistent-hash ring."}</p></section> },
        View::Cluster => html! { <section class="placeholder"><h2>{"Cluster"}</h2><p>{"Shards placed by the ring, each a Raft group."}</p></section> },
    }
}
