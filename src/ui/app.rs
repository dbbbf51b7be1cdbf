//! The app shell: header (views, tour, share, language), the active view,
//! footer. It owns what a shared link carries (`crate::link::raft`): the view, the
//! language, the Raft run (scenario, actions, position, speed), the ring's
//! settings and the tour position, and keeps the address bar in step.

use std::rc::Rc;

use crate::i18n::{tr, trf, Lang};
use crate::link::raft::{self as share, Link, LinkAction, LinkError, Source};
use crate::sim::ActionRecord;
use crate::tour::{self, Stage};
use yew::prelude::*;

use super::tour_panel::{tour_panel, use_tour_scroll};
use super::widgets::{el, option, tag, text, tra, Button};

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

/// The Raft run as a link carries it. `epoch` changes whenever the view must
/// (re)load from these fields rather than keep its own state.
#[derive(Clone, Debug, PartialEq)]
pub struct RaftRun {
    pub source: Source,
    pub actions: Rc<Vec<LinkAction>>,
    pub event: Option<u64>,
    pub time: Option<u64>,
    pub speed: Option<f64>,
    pub epoch: u64,
    /// `p`, `s`, `a` carried unread by the other views' modules (`Link::raft_raw`).
    pub raw: Vec<(String, String)>,
}

impl Default for RaftRun {
    fn default() -> Self {
        RaftRun { source: Source::Preset("leader-election".into()), actions: Rc::new(Vec::new()), event: None, time: None, speed: None, epoch: 0, raw: Vec::new() }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct AppState {
    pub view: View,
    pub lang: Lang,
    pub embed: bool,
    pub autoplay: bool,
    /// The link's `x=1`: the Raft view runs in the page's extended module
    /// (always so in that module, and kept through the other views).
    pub extended: bool,
    /// The link's `m=1`: the Raft run opens in manual mode (read once).
    pub manual: bool,
    pub raft: RaftRun,
    pub ring: Option<String>,
    /// The cluster view's state (see `ClusterView`'s `state` prop).
    pub cluster: Option<String>,
    /// Bumped when the ring view must load `ring`.
    pub ring_epoch: u64,
    pub tour: Option<(usize, usize)>,
    pub link_errors: Vec<LinkError>,
    /// Chinese text could not be fetched (the reason); the page stays in English.
    pub zh_error: Option<String>,
    /// `presets.json` has arrived (`Ok`), or why it did not.
    pub presets: Option<Result<(), String>>,
}

pub enum AppAction {
    SetView(View),
    SetLang(Lang),
    /// The Raft view reports its state (no reload).
#[cfg(any(feature = "extended", not(feature = "membership")))]
    RaftChanged(crate::ui::raft::RaftState),
    /// The ring view reports its settings (no reload).
    RingChanged(String),
    /// The cluster view reports its actions and time (no reload).
    ClusterChanged(String),
    Tour(Option<(usize, usize)>),
    DismissErrors,
    /// Fetching `zh.json` failed: stay in English and say why.
    ZhFailed(String),
    /// The bundled scenarios' file arrived, or why not.
    PresetsFetched(Result<(), String>),
    /// Open a shard's Raft group from the cluster view in the Raft view.
    #[cfg(feature = "membership")]
    OpenRaft(Box<crate::ui::cluster::OpenRaft>),
}

impl AppState {
    fn from_link(link: Link, errors: Vec<LinkError>, browser_lang: Option<Lang>) -> AppState {
        let mut st = AppState {
            view: link.view.as_deref().and_then(View::from_key).unwrap_or(View::Raft),
            lang: link.lang.as_deref().and_then(Lang::from_code).or(browser_lang).unwrap_or_default(),
            embed: link.embed,
            autoplay: link.autoplay,
            extended: link.extended || cfg!(feature = "extended"),
            manual: link.manual,
            raft: RaftRun::default(),
            ring: link.ring.clone(),
            cluster: link.cluster.clone(),
            ring_epoch: 0,
            tour: None,
            link_errors: errors,
            zh_error: None,
            presets: None,
        };
        if let Some(source) = link.source {
            st.raft.source = source;
            st.raft.actions = Rc::new(link.actions);
        }
        st.raft.raw = link.raft_raw;
        st.raft.event = link.event;
        st.raft.time = link.time;
        st.raft.speed = link.speed;
        if let Some((c, s)) = link.tour {
            if tour::step(c, s).is_some() {
                st.go_to_step(c, s);
            } else {
                st.link_errors.push(LinkError::new("tour", format!("there is no step {c}.{s}")));
            }
        }
        st
    }

    /// Show tour step (c, s): load what it names, exactly, every time.
    fn go_to_step(&mut self, c: usize, s: usize) {
        let Some(step) = tour::step(c, s) else { return };
        self.tour = Some((c, s));
        match step.stage {
            Stage::Raft { preset, at_ms } => {
                self.view = View::Raft;
                // Only the extended module runs these (the loader picks it
                // by `x=1`); the other steps show in the lean one.
                self.extended = crate::sim::presets::EXTENDED.contains(&preset);
                self.raft = RaftRun {
                    source: Source::Preset(preset.to_string()),
                    actions: Rc::new(Vec::new()),
                    // The Raft view runs to `time` itself (the same state as
                    // seeking the event reached then); the shell stays free of the simulator.
                    event: None,
                    time: Some(at_ms * 1000),
                    speed: self.raft.speed,
                    epoch: self.raft.epoch + 1,
                    raw: Vec::new(),
                };
            }
            Stage::Ring { nodes, compare, add_node } => {
                self.view = View::Ring;
                self.ring = Some(ring_tour_state(nodes, compare, add_node));
                self.ring_epoch += 1;
            }
        }
    }

    /// The link that reproduces this state.
    pub fn link(&self) -> Link {
        Link {
            view: Some(self.view.key().to_string()),
            lang: Some(self.lang.code().to_string()),
            embed: self.embed,
            autoplay: self.autoplay,
            speed: self.raft.speed,
            // Unread Raft parameters stand for the run as they were given.
            source: self.raft.raw.is_empty().then(|| self.raft.source.clone()),
            actions: if self.raft.raw.is_empty() { (*self.raft.actions).clone() } else { Vec::new() },
            raft_raw: self.raft.raw.clone(),
            event: self.raft.event,
            time: self.raft.time,
            tour: self.tour,
            ring: self.ring.clone(),
            cluster: self.cluster.clone(),
            extended: self.extended,
            manual: self.manual,
        }
    }
}

/// The ring view's state for a tour step (see `RingView`'s `state` prop).
fn ring_tour_state(nodes: u32, compare: bool, add_node: bool) -> String {
    // Written out (the ring link's short forms: a node count, an added
    // node's name); building a `serde_json::Value` would cost every module.
    let change = if add_node {
        format!(",\"change\":{{\"op\":\"add\",\"name\":\"{}\"}}", crate::ring::node_name(nodes as usize))
    } else {
        String::new()
    };
    format!("{{\"nodes\":{nodes},\"compare\":{compare}{change}}}")
}

impl Reducible for AppState {
    type Action = AppAction;

    fn reduce(self: Rc<Self>, action: AppAction) -> Rc<Self> {
        let mut st = (*self).clone();
        match action {
            AppAction::SetView(v) => st.view = v,
            AppAction::SetLang(l) => {
                st.lang = l;
                st.zh_error = None;
            }
#[cfg(any(feature = "extended", not(feature = "membership")))]
            AppAction::RaftChanged(r) => {
                st.raft.source = match r.preset {
                    Some(name) => Source::Preset(name),
                    None => Source::Scenario(r.scenario.clone()),
                };
                st.raft.actions = Rc::new(r.actions.iter().map(|a| LinkAction(a.at_event, a.time, a.action.clone())).collect());
                st.raft.event = Some(r.event);
                st.raft.time = Some(r.time);
                st.raft.speed = Some(r.speed);
                // `m=1` is read once: the run now holds the mode as an action.
                st.manual = false;
            }
            AppAction::RingChanged(json) => st.ring = Some(json),
            AppAction::ClusterChanged(json) => st.cluster = Some(json),
            AppAction::Tour(None) => st.tour = None,
            AppAction::Tour(Some((c, s))) => st.go_to_step(c, s),
            AppAction::DismissErrors => {
                st.link_errors.clear();
                st.zh_error = None;
            }
            AppAction::ZhFailed(e) => {
                st.lang = Lang::En;
                st.zh_error = Some(e);
            }
            AppAction::PresetsFetched(r) => st.presets = Some(r),
            #[cfg(feature = "membership")]
            AppAction::OpenRaft(o) => {
                let crate::ui::cluster::OpenRaft { scenario, actions, event, time, extended } = *o;
                st.tour = None;
                st.view = View::Raft;
                // Membership changes run in the extended module (`x=1`).
                st.extended = extended;
                st.raft = RaftRun {
                    source: Source::Scenario(Rc::new(scenario)),
                    actions: Rc::new(actions.into_iter().map(|a| LinkAction(a.at_event, a.time, a.action)).collect()),
                    event: Some(event),
                    time: Some(time),
                    speed: st.raft.speed,
                    epoch: st.raft.epoch + 1,
                    raw: Vec::new(),
                };
            }
        }
        if st == *self {
            self
        } else {
            Rc::new(st)
        }
    }
}

fn browser_lang() -> Option<Lang> {
    web_sys::window().and_then(|w| w.navigator().language()).and_then(|c| Lang::from_code(&c))
}

fn initial_state() -> AppState {
    let query = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
    let reader = MODULE.with(|c| c.get()).and_then(|m| m.read_raft);
    let (link, errors) = share::parse_with(&query, reader);
    ADDRESS.with_borrow_mut(|a| a.blank = query.is_empty());
    // A run this module cannot hold (reads, sessions, drift): open the same
    // link in the extended module, which can.
    if !link.extended && errors.iter().any(|e| e.reason.ends_with(crate::sim::scenario::NEEDS_EXTENDED)) {
        open_extended(&query);
    }
    let mut st = AppState::from_link(link, errors, browser_lang());
    // `start` fetched Chinese before mounting; if that failed, say so.
    if st.lang == Lang::Zh && !crate::i18n::zh_ready() {
        st.lang = Lang::En;
        st.zh_error = Some(ZH_START_ERROR.with(|e| e.borrow().clone()).unwrap_or_default());
    }
    st
}

/// Load the page again at `query` (a query string, `?` optional) with `x=1`:
/// the loader then mounts the page's extended module, which runs the
/// extended protocol (the lean Raft module refuses it).
pub fn open_extended(query: &str) {
    let q = query.strip_prefix('?').unwrap_or(query);
    if let Some(w) = web_sys::window() {
        let _ = w.location().replace(&format!("?{q}{}x=1", if q.is_empty() { "" } else { "&" }));
    }
}

thread_local! {
    /// Why fetching Chinese at start failed (read once by `initial_state`).
    static ZH_START_ERROR: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// The language the page opens in: the link's, else the browser's.
/// (Only `lang` is read here; `initial_state` parses the whole link.)
pub fn initial_lang() -> Lang {
    let query = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
    let param = web_sys::UrlSearchParams::new_with_str(&query).ok().and_then(|p| p.get("lang"));
    param.as_deref().and_then(Lang::from_code).or_else(browser_lang).unwrap_or_default()
}

/// Records why Chinese could not be fetched before the app mounted.
pub fn set_zh_start_error(e: String) {
    ZH_START_ERROR.with(|slot| *slot.borrow_mut() = Some(e));
}

/// The page's URL without its query (works from any sub-path).
fn base_url() -> String {
    let Some(loc) = web_sys::window().map(|w| w.location()) else { return String::new() };
    format!("{}{}", loc.origin().unwrap_or_default(), loc.pathname().unwrap_or_default())
}

fn error_text(l: Lang, e: &LinkError) -> String {
    if e.path.is_empty() {
        trf(l, "link.error.whole", &[&e.reason])
    } else {
        trf(l, "link.error", &[&e.path, &e.reason])
    }
}

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(initial_state);
    let l = state.lang;
    let share_open = use_state(|| false);
    // Which copy button the share panel last confirmed (cleared as it opens or closes).
    let copied = use_state(|| None::<&'static str>);
    // extra.json, which holds the tour's narration.
    let extra = use_state(crate::ui::fetch::ExtraFetch::default);
    use_tour_scroll(state.tour);

    // Keep <html lang> and the address bar in step with the state.
    {
        let query = address(&state.link(), false).0;
        // A tour step that needs the other Raft module (lean or extended).
        let other_raft = state.view == View::Raft && state.extended != cfg!(feature = "extended");
        use_effect_with((query, l, state.view), move |(query, l, view)| {
            // (Only a change: setting `lang` restyles the whole page, which
            // every seek would pay for.)
            let lang = if *l == Lang::Zh { "zh-CN" } else { "en" };
            let doc = web_sys::window().and_then(|w| w.document());
            if let Some(el) = doc.as_ref().and_then(|d| d.document_element()) {
                if el.get_attribute("lang").as_deref() != Some(lang) {
                    let _ = el.set_attribute("lang", lang);
                }
            }
            // The first picture index.html drew before the module ran
            // (scripts/prerender.mjs) goes in the task that drew this one:
            // no frame shows both.
            if let Some(p) = doc.and_then(|d| d.get_element_by_id("prerender")) {
                p.remove();
            }
            // Another view lives in another wasm module: load the page again at
            // the address, which carries the whole state. Deferred, so what the
            // view being left reports as it goes (its last position) is in it.
            let other_module = module_view().is_some_and(|m| m != *view) || other_raft;
            set_address(format!("?{query}"), other_module);
            if other_module && !RELOADING.with(|r| r.replace(true)) {
                gloo_timers::callback::Timeout::new(0, || {
                    if let Some(w) = web_sys::window() {
                        let _ = w.location().reload();
                    }
                })
                .forget();
            }
        });
    }

    let tabs = View::ALL.iter().map(|&v| {
        let selected = state.view == v;
        let onclick = {
            let state = state.clone();
            Callback::from(move |_| state.dispatch(AppAction::SetView(v)))
        };
        tag!("button" "role": "tab", "id": format!("tab-{}", v.key()), "aria-selected": selected.to_string(),
            "aria-controls": format!("pane-{}", v.key()), "class": if selected { "tab selected" } else { "tab" }; onclick: onclick =>
            text(tr(l, v.label_key())))
    });
    let on_lang = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<web_sys::HtmlSelectElement>().value();
            match Lang::from_code(&value) {
                // Chinese text is fetched the first time it is needed.
                Some(Lang::Zh) if !crate::i18n::zh_ready() => {
                    let state = state.clone();
                    crate::ui::fetch::ensure_zh(move |r| match r {
                        Ok(()) => state.dispatch(AppAction::SetLang(Lang::Zh)),
                        Err(e) => state.dispatch(AppAction::ZhFailed(e)),
                    });
                }
                Some(new) => state.dispatch(AppAction::SetLang(new)),
                None => {}
            }
        })
    };
    let start_tour = {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(AppAction::Tour(Some((0, 0)))))
    };
    let toggle_share = {
        let (share_open, copied) = (share_open.clone(), copied.clone());
        Callback::from(move |_| {
            copied.set(None);
            share_open.set(!*share_open)
        })
    };
    let dismiss = {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(AppAction::DismissErrors))
    };

    let zh_error = state.zh_error.as_ref().map(|e| {
        html! {
            <div id="lang-error" class="link-error" role="alert">
                { text(trf(l, "lang.load_failed", &[e])) }
                { Button { class: Some("dismiss"), aria_label: Some(tra(l, "link.dismiss")), label: AttrValue::Static("×"), onclick: dismiss.clone(),
                    ..Default::default() }.html() }
            </div>
        }
    });
    let errors = (!state.link_errors.is_empty()).then(|| {
        html! {
            <div id="link-error" class="link-error" role="alert">
                { el("strong", None, tr(l, "link.error.title")) }
                <ul>{ for state.link_errors.iter().map(|e| el("li", None, error_text(l, e))) }</ul>
                { Button { class: Some("dismiss"), aria_label: Some(tra(l, "link.dismiss")), label: AttrValue::Static("×"), onclick: dismiss,
                    ..Default::default() }.html() }
            </div>
        }
    });

    let tour_panel = state.tour.map(|(c, s)| {
        let nav = {
            let state = state.clone();
            Callback::from(move |pos: Option<(usize, usize)>| state.dispatch(AppAction::Tour(pos)))
        };
        // The narration arrives with extra.json, fetched once when a tour first shows.
        let ready = crate::i18n::extra_ready();
        if !ready {
            let set = extra.setter();
            crate::ui::fetch::fetch_extra(&extra, Callback::from(move |f| set.set(f)));
        }
        let status = match &*extra {
            crate::ui::fetch::ExtraFetch::Failed(e) if !ready => Some(trf(l, "tour.error", &[e])),
            _ if !ready => Some(tr(l, "tour.loading").to_string()),
            _ => None,
        };
        tour_panel(l, c, s, &nav, status)
    });

    let shell_class = if state.embed { "shell embed" } else { "shell" };
    let header = (!state.embed).then(|| {
        html! {
            <header class="top">
                <h1 class="brand"><span class="logo" aria-hidden="true">{"◎"}</span>{"ringraft"}</h1>
                { el("p", Some("tagline"), tr(l, "app.tagline")) }
                <nav class="tabs" role="tablist" aria-label={tr(l, "app.views")}>{ for tabs }</nav>
                <div class="top-actions">
                    { Button { id: Some("tour-start"), class: Some("btn"), label: tra(l, "tour.start"), onclick: start_tour, ..Default::default() }.html() }
                    <button id="share-open" class="btn" aria-expanded={share_open.to_string()} onclick={toggle_share.clone()}>{ text(tr(l, "share.open")) }</button>
                    <label class="lang">
                        { el("span", Some("sr-only"), tr(l, "app.language")) }
                        <select id="lang-select" aria-label={tr(l, "app.language")} onchange={on_lang}>
                            { option("en", "English", l == Lang::En) }
                            { option("zh", "中文", l == Lang::Zh) }
                        </select>
                    </label>
                </div>
            </header>
        }
    });
    let share_panel = (*share_open && !state.embed).then(|| {
        let mut link = state.link();
        let (query, too_long) = address(&link, true);
        let url = format!("{}?{query}", base_url());
        link.embed = true;
        link.tour = None;
        let embed_url = format!("{}?{}", base_url(), address(&link, false).0);
        let snippet = format!(
            "<iframe src=\"{}\" width=\"100%\" height=\"560\" style=\"border:0\" title=\"ringraft\" loading=\"lazy\"></iframe>",
            embed_url.replace('&', "&amp;").replace('"', "&quot;")
        );
        share_panel(l, url, snippet, too_long, &copied, toggle_share.clone())
    });
    let open_full = state.embed.then(|| {
        let mut link = state.link();
        link.embed = false;
        let href = format!("{}?{}", base_url(), share::encode(&link));
        html! { <a class="open-full" href={href} target="_blank" rel="noopener">{ text(tr(l, "embed.open_full")) }</a> }
    });

    html! {
        <ContextProvider<Lang> context={l}>
        { tag!("div" "data-module": module_view().map(View::key), "class": shell_class => html! { <>
            { for header }
            { for errors }
            { for zh_error }
            { for share_panel }
            <main id={format!("pane-{}", state.view.key())} class="pane" role="tabpanel" aria-labelledby={format!("tab-{}", state.view.key())}>
                { pane(&state) }
            </main>
            { for tour_panel }
            { for open_full }
            if !state.embed {
                <footer class="bottom">
                    { el("span", Some("version"), concat!("ringraft v", env!("CARGO_PKG_VERSION"))) }
                    { el("span", None, tr(l, "app.footer")) }
                </footer>
            }
        </> }) }
        </ContextProvider<Lang>>
    }
}

/// The address bar waits for changes to stop this long (ms) once they come
/// in quick succession: a scrubber drag moves the position every frame, and
/// Chromium's `replaceState` takes 20–30 ms a call here (issue 17: a seek
/// within a frame). A change after a quiet spell is written at once.
const ADDRESS_MS: f64 = 150.0;

/// Write the address bar now (`now`: a reload at it follows, or the last
/// change is `ADDRESS_MS` old), else once changes have stopped that long.
/// The first address of a page opened without a query is not written: it
/// opens the same run as no query does, and the write (`replaceState`,
/// 10–45 ms at a quarter of this machine's speed) stood between the first
/// render and Play (issue 17, goal 3). A reload then shows the first
/// picture too.
fn set_address(url: String, now: bool) {
    let t = js_sys::Date::now();
    let (blank, changed) = ADDRESS.with_borrow_mut(|a| (std::mem::take(&mut a.blank) && !now, a.changed));
    let later = blank || (!now && changed + ADDRESS_MS > t);
    if !later {
        write_address(&url);
    }
    let pending = (later && !blank).then(|| {
        let u = url.clone();
        (gloo_timers::callback::Timeout::new(ADDRESS_MS as u32, move || flush_address_to(&u)), url)
    });
    // (Replacing the pending write cancels it.)
    ADDRESS.with_borrow_mut(|a| {
        a.pending = pending;
        a.changed = t;
    });
}

/// The address bar's pending write, when the address last changed, and
/// whether the page was opened without a query and the address not yet set.
struct Address {
    pending: Option<(gloo_timers::callback::Timeout, String)>,
    changed: f64,
    blank: bool,
}

thread_local! {
    static ADDRESS: std::cell::RefCell<Address> = const { std::cell::RefCell::new(Address { pending: None, changed: f64::NEG_INFINITY, blank: false }) };
}

fn write_address(url: &str) {
    if let Some(h) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url));
    }
}

/// The timer's write: the pending one is done.
fn flush_address_to(url: &str) {
    ADDRESS.with_borrow_mut(|a| a.pending = None);
    write_address(url);
}

/// The page's query as it stands, with a write the address bar still
/// waits for (a reader of `location.search` right after a change would
/// get the one before it). (The lean module's manual-mode hand-over.)
#[cfg_attr(feature = "extended", allow(dead_code))]
pub fn current_query() -> String {
    if let Some((timer, url)) = ADDRESS.with_borrow_mut(|a| a.pending.take()) {
        timer.cancel();
        write_address(&url);
    }
    web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default()
}

/// A link's query, or, for a run too long to open again from a link (an
/// imported file with long logs), one with only its view, language and
/// frame, and the full query's length (the share panel says so).
/// `exact`: the full query's length even when a lower bound already says
/// it is too long (the share panel's message; the address bar needs none).
fn address(link: &Link, exact: bool) -> (String, Option<usize>) {
    let least = share::length_at_least(link);
    let query = (exact || least <= share::MAX_QUERY_LEN).then(|| share::encode(link));
    let len = match query {
        Some(q) if q.len() <= share::MAX_QUERY_LEN => return (q, None),
        Some(q) => q.len(),
        None => least,
    };
    let view = Link { view: link.view.clone(), lang: link.lang.clone(), embed: link.embed, extended: link.extended, ..Link::default() };
    (share::encode(&view), Some(len))
}

/// The share panel: the link and the embed snippet, each with a copy button.
/// (A plain function of the app's state, not a component of its own: one
/// costs the page ≈ 10 KB of wasm.)
fn share_panel(
    l: Lang,
    url: String,
    snippet: String,
    too_long: Option<usize>,
    copied: &UseStateHandle<Option<&'static str>>,
    on_close: Callback<MouseEvent>,
) -> Html {
    let copy = |what: &'static str, text: String| {
        let copied = copied.clone();
        Callback::from(move |_| {
            if let Some(w) = web_sys::window() {
                let _ = w.navigator().clipboard().write_text(&text);
            }
            copied.set(Some(what));
        })
    };
    html! {
        <section id="share-panel" class="share-panel" aria-label={tr(l, "share.open")}>
            if let Some(bytes) = too_long {
                <p id="share-too-long" class="share-too-long" role="alert">
                    { text(trf(l, "share.too_long", &[&(bytes >> 10), &(share::MAX_QUERY_LEN >> 10)])) }
                </p>
            }
            <label>{ text(tr(l, "share.link")) }
                <input id="share-url" readonly=true value={url.clone()} />
            </label>
            { Button { id: Some("share-copy"), class: Some("btn"), label: tra(l, "share.copy"), onclick: copy("link", url),
                ..Default::default() }.html() }
            <label>{ text(tr(l, "share.embed")) }
                <textarea id="embed-snippet" readonly=true rows="3" value={snippet.clone()} />
            </label>
            { Button { id: Some("embed-copy"), class: Some("btn"), label: tra(l, "share.copy_embed"), onclick: copy("embed", snippet),
                ..Default::default() }.html() }
            if let Some(what) = **copied {
                <span class="copied" role="status">{ text(tr(l, if what == "link" { "share.copied" } else { "share.copied_embed" })) }</span>
            }
            { Button { class: Some("btn close"), label: tra(l, "share.close"), onclick: on_close, ..Default::default() }.html() }
        </section>
    }
}

/// What one wasm module of the page renders: its view's pane. The page is
/// split into one module per view (see `ui::start`); each binary passes its
/// own `Module`, so the linker keeps only that view's code.
#[derive(Clone, Copy)]
pub struct Module {
    pub view: View,
    pub pane: fn(&UseReducerHandle<AppState>) -> Html,
    /// Reads the Raft run's link parameters: only the Raft view's module has
    /// it; the others carry them unread (see `crate::link::raft::parse_with`).
    pub read_raft: Option<crate::link::raft::RaftReader>,
    /// The text this module carries (`crate::i18n::RAFT_TEXT`…).
    pub text: &'static [&'static [crate::i18n::Row]],
    /// The view's own style sheet (the shell's, `static/style.css`, is linked by index.html).
    pub css: &'static str,
}

thread_local! {
    /// A reload into another view's module is under way.
    static RELOADING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    static MODULE: std::cell::Cell<Option<Module>> = const { std::cell::Cell::new(None) };
}

pub fn set_module(m: Module) {
    MODULE.with(|c| c.set(Some(m)));
}

/// The view this wasm module renders (none when mounted without one, as in
/// the wasm tests: then no view renders and nothing reloads).
fn module_view() -> Option<View> {
    MODULE.with(|c| c.get()).map(|m| m.view)
}

fn pane(state: &UseReducerHandle<AppState>) -> Html {
    match MODULE.with(|c| c.get()) {
        Some(m) if m.view == state.view => (m.pane)(state),
        // Another view's module is being loaded (the page reloads at the new address).
        _ => el("p", Some("loading"), tr(state.lang, "app.loading")),
    }
}

pub fn ring_pane(state: &UseReducerHandle<AppState>) -> Html {
    let on_change = {
        let state = state.clone();
        Callback::from(move |json: String| state.dispatch(AppAction::RingChanged(json)))
    };
    html! {
        <crate::ui::ring::RingView key={state.ring_epoch.to_string()} state={state.ring.clone().map(AttrValue::from)}
            {on_change} embed={state.embed} />
    }
}

#[cfg(any(feature = "extended", not(feature = "membership")))]
pub fn raft_pane(state: &UseReducerHandle<AppState>) -> Html {
    let run = &state.raft;
    let on_change = {
        let state = state.clone();
        Callback::from(move |r| state.dispatch(AppAction::RaftChanged(r)))
    };
    let (preset, scenario) = match &run.source {
        Source::Preset(name) => (Some(AttrValue::from(name.clone())), None),
        Source::Scenario(sc) => (None, Some(sc.clone())),
    };
    let actions: Rc<Vec<ActionRecord>> = Rc::new(
        run.actions.iter().map(|a| ActionRecord { at_event: a.0, time: a.1, action: a.2.clone() }).collect(),
    );
    let focus_rule = state.tour.and_then(|(c, s)| tour::step(c, s)).and_then(|step| step.rule);
    // A bundled scenario other than the default arrives with presets.json.
    let mut missing = None;
    if let Source::Preset(name) = &run.source {
        if crate::sim::presets::get(name).is_none() {
            match &state.presets {
                Some(Err(e)) => missing = Some(el("p", Some("load-error"), trf(state.lang, "app.presets.error", &[name, e]))),
                _ => {
                    let st = state.clone();
                    crate::ui::fetch::fetch_presets(Callback::from(move |r| st.dispatch(AppAction::PresetsFetched(r))));
                    return el("p", Some("loading"), tr(state.lang, "app.loading"));
                }
            }
        }
    }
    html! { <>
        { for missing }
        <crate::ui::raft::RaftView key={run.epoch.to_string()} {preset} {scenario} {actions} speed={run.speed}
            seek_to={run.event} seek_time={run.time} embed={state.embed} autoplay={state.autoplay} manual={state.manual} {on_change} {focus_rule} />
    </> }
}

#[cfg(feature = "membership")]
pub fn cluster_pane(state: &UseReducerHandle<AppState>) -> Html {
    let on_change = {
        let state = state.clone();
        Callback::from(move |json: String| state.dispatch(AppAction::ClusterChanged(json)))
    };
    let on_open_raft = {
        let state = state.clone();
        Callback::from(move |o| state.dispatch(AppAction::OpenRaft(Box::new(o))))
    };
    html! {
        <crate::ui::cluster::ClusterView state={state.cluster.clone().map(AttrValue::from)} {on_change} {on_open_raft} embed={state.embed} />
    }
}
