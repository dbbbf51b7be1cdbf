//! The Cluster view: servers, the replicas they host, shard availability,
//! the key → shard ring, client writes step by step, adding and removing
//! servers (each shard's replica move shown as its membership changes).
//! All logic lives in `crate::cluster`; this file holds the page state
//! (which write is shown, playing or not) and drives virtual time with
//! requestAnimationFrame while playing — nothing is scheduled when paused.
//!
//! Every action a person takes goes through [`Cluster::apply`], so the
//! cluster's log plus the time shown is a [`ClusterLink`]: the view loads
//! one from its `state` prop and reports one through `on_change`.

mod moves;
mod panels;
mod write;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::cluster::{
    Cluster, ClusterAction, ClusterError, Rebalance, WriteStatus, MAX_KEY_LEN, MAX_LINK_ACTIONS, MAX_LINK_JSON,
    MAX_LINK_TIME_US, MAX_SERVERS, MAX_SERVER_NAME_LEN, MAX_VALUE_LEN,
};
use crate::link::cluster::{ClusterLink, WARMUP_US};
use crate::i18n::{tr, trf, Lang};
use crate::sim::MS;
use crate::ui::widgets::{el_id, el, labelled_select, option, text, tra, Button};
use crate::num::fixed;

/// Until `static/cluster.css` styles `.cluster-error` (it is outside this
/// view's files): the ring view's error look.
const NOTICE_STYLE: &str = "background:#fdecea;color:var(--danger);border:1px solid #f5c2c0;\
    border-radius:var(--radius);padding:0.4rem 0.6rem;margin:0.5rem 0;display:flex;gap:0.5rem;\
    justify-content:space-between;align-items:center";
const DEFAULT_SPEED: f64 = 0.25;
const SPEEDS: [(f64, &str); 4] = [(0.1, "0.1×"), (0.25, "0.25×"), (0.5, "0.5×"), (1.0, "1×")];

/// Something the page tells the person (in an alert above the servers).
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Notice {
    /// The `state` prop could not be used; the default cluster is shown.
    BadLink(ClusterError),
    /// An action was refused (nothing changed).
    Refused(ClusterError),
    /// The clock reached [`MAX_LINK_TIME_US`] and stopped.
    TimeLimit,
}

/// The page's mutable state: the model plus what the page shows of it.
pub(crate) struct Ctl {
    pub cluster: Cluster,
    pub playing: bool,
    pub speed: f64,
    /// The write shown in the write panel and how many of its steps are shown.
    pub write: Option<usize>,
    pub shown: usize,
    pub rebalance: Option<Rebalance>,
    pub notice: Option<Notice>,
}

impl Ctl {
    /// The default cluster after its warm-up (every group has a leader).
    fn new() -> Ctl {
        let cluster = Cluster::from_link(&ClusterLink::default()).ok().expect("the default link is valid");
        Ctl { cluster, playing: false, speed: DEFAULT_SPEED, write: None, shown: 0, rebalance: None, notice: None }
    }

    /// The state a `ClusterLink` JSON describes, or the default cluster and
    /// a notice saying why not.
    fn load(json: Option<&str>) -> Ctl {
        let Some(json) = json else { return Ctl::new() };
        let loaded = ClusterLink::from_json(json).and_then(|link| Cluster::from_link(&link).map(|c| (link, c)));
        match loaded {
            Ok((link, cluster)) => {
                // Without a selected write, show the last one whole (a
                // hand-written link); the page's own links always say.
                let write = link.write.or(cluster.writes().len().checked_sub(1));
                let steps = write.and_then(|w| cluster.write(w)).map_or(0, |w| w.steps.len());
                let shown = link.step.unwrap_or(steps).min(steps).max(1);
                let rebalance = cluster.rebalances().last().cloned();
                let shown = if write.is_some() { shown } else { 0 };
                Ctl { cluster, playing: false, speed: DEFAULT_SPEED, write, shown, rebalance, notice: None }
            }
            Err(e) => Ctl { notice: Some(Notice::BadLink(e)), ..Ctl::new() },
        }
    }

    /// What a link to this page carries.
    pub fn link(&self) -> ClusterLink {
        let mut link = self.cluster.to_link();
        if let Some(w) = self.write {
            link.write = Some(w);
            link.step = Some(self.shown);
        }
        link
    }

    /// Do a person's action through the model (so it is recorded); a
    /// refusal is shown, not dropped silently.
    pub fn act(&mut self, action: ClusterAction) {
        if self.cluster.log().len() >= MAX_LINK_ACTIONS {
            self.notice = Some(Notice::Refused(ClusterError::TooManyActions { count: MAX_LINK_ACTIONS + 1 }));
            return;
        }
        match self.cluster.apply(&action) {
            Ok(()) => {
                if matches!(self.notice, Some(Notice::Refused(_))) {
                    self.notice = None;
                }
                match action {
                    ClusterAction::Put { .. } => {
                        let id = self.cluster.writes().len() - 1;
                        self.write = Some(id);
                        // Show hash and shard first; the rest with Next (or while playing).
                        self.shown = if self.playing { self.cluster.write(id).map_or(0, |w| w.steps.len()) } else { 1 };
                    }
                    ClusterAction::AddServer { .. } | ClusterAction::RemoveServer { .. } => {
                        self.rebalance = self.cluster.rebalances().last().cloned()
                    }
                    _ => {}
                }
            }
            Err(e) => self.notice = Some(Notice::Refused(e)),
        }
    }

    /// Advance time (never past what a link may show); while playing, a
    /// write's steps are revealed as they happen.
    fn advance(&mut self, d: u64) {
        let to = self.cluster.now().saturating_add(d).min(MAX_LINK_TIME_US);
        if to == MAX_LINK_TIME_US && d > 0 {
            self.playing = false;
            self.notice = Some(Notice::TimeLimit);
        }
        self.cluster.advance_to(to);
        if let Some(w) = self.write.and_then(|id| self.cluster.write(id)) {
            if self.playing {
                self.shown = w.steps.len();
            }
        }
    }

    /// Step virtual time back by `d` (not before the warm-up): the cluster is
    /// rebuilt by replaying its actions up to then, and keeps the later ones
    /// to redo as time moves forward again (`Cluster::rewound_to`).
    fn back(&mut self, d: u64) {
        let to = self.cluster.now().saturating_sub(d);
        match self.cluster.rewound_to(to) {
            Ok(c) => {
                self.cluster = c;
                self.playing = false;
                if matches!(self.notice, Some(Notice::TimeLimit)) {
                    self.notice = None;
                }
                // The write panel shows only what has happened by now.
                let writes = self.cluster.writes().len();
                if self.write.is_some_and(|w| w >= writes) {
                    self.write = writes.checked_sub(1);
                }
                let steps = self.write.and_then(|w| self.cluster.write(w)).map_or(0, |w| w.steps.len());
                self.shown = self.shown.min(steps);
                self.rebalance = self.cluster.rebalances().last().cloned();
            }
            Err(e) => self.notice = Some(Notice::Refused(e)),
        }
    }

    /// Show one more step of the current write, running the simulation
    /// until that step has happened if needed.
    pub fn next_step(&mut self) {
        let Some(id) = self.write else { return };
        let len = self.cluster.write(id).map_or(0, |w| w.steps.len());
        if self.shown < len {
            self.shown += 1;
            return;
        }
        let limit = (3_000 * MS).min(MAX_LINK_TIME_US.saturating_sub(self.cluster.now()));
        if self.cluster.write(id).is_some_and(|w| w.status == WriteStatus::Pending)
            && self.cluster.advance_until_write_step(id, limit)
        {
            self.shown += 1;
        }
    }
}

pub(crate) type Shared = Rc<RefCell<Ctl>>;

/// What child panels receive: the shared state, a re-render trigger, the
/// report of changes to the app.
#[derive(Clone)]
pub(crate) struct Handle {
    pub ctl: Shared,
    pub redraw: Callback<()>,
    on_change: Callback<String>,
    /// Opens a shard's Raft group in the Raft view.
    pub on_open_raft: Callback<OpenRaft>,
    /// The JSON last reported (or loaded): only a different one is reported.
    reported: Rc<RefCell<Option<String>>>,
}

impl PartialEq for Handle {
    fn eq(&self, _: &Self) -> bool {
        // The state is mutable and shared: always re-render children.
        false
    }
}

impl Handle {
    /// A callback for a person's action: mutate the state, report the new
    /// link state if it changed, redraw.
    pub fn act<E: 'static>(&self, f: impl Fn(&mut Ctl, E) + 'static) -> Callback<E> {
        let h = self.clone();
        Callback::from(move |e: E| {
            f(&mut h.ctl.borrow_mut(), e);
            h.report();
            h.redraw.emit(());
        })
    }

    /// Emit the current `ClusterLink` JSON if it differs from the last one.
    fn report(&self) {
        let json = self.ctl.borrow().link().to_json();
        let mut reported = self.reported.borrow_mut();
        if reported.as_deref() != Some(json.as_str()) {
            *reported = Some(json.clone());
            drop(reported);
            self.on_change.emit(json);
        }
    }
}

/// A shard's Raft group as the Raft view opens it: the group's own run
/// (scenario and recorded actions) at its event and clock, so the Raft view
/// replays exactly what the cluster ran, message by message.
#[derive(Clone, Debug, PartialEq)]
pub struct OpenRaft {
    pub scenario: crate::sim::Scenario,
    pub actions: Vec<crate::sim::ActionRecord>,
    pub event: u64,
    pub time: u64,
    /// The run has membership changes: the Raft view's extended module
    /// replays it (`x=1`; the lean one has no membership changes).
    pub extended: bool,
}

impl OpenRaft {
    /// Shard `shard`'s group now, named in the reader's language.
    pub fn of(l: Lang, shard: usize, servers: &[String], sim: &crate::sim::Sim) -> OpenRaft {
        use crate::sim::Action;
        let mut scenario = sim.scenario().clone();
        scenario.name = trf(l, "cluster.raft_name", &[&shard]);
        scenario.description = trf(l, "cluster.raft_desc", &[&shard, &servers.join(", ")]);
        let actions = sim.actions().to_vec();
        let extended = actions.iter().any(|a| {
            matches!(a.action, Action::AddServer { .. } | Action::RemoveServer { .. } | Action::ChangeConfig { .. })
        });
        OpenRaft { scenario, actions, event: sim.event_count(), time: sim.now(), extended }
    }
}

/// What the app (links, embeds, the guided tour) gives the cluster view.
#[derive(Properties, PartialEq, Default)]
pub struct ClusterViewProps {
    /// A state to show (`ClusterLink` JSON, see `crate::link::cluster::ClusterLink`).
    /// Loaded on mount and whenever it changes, except when it equals what
    /// `on_change` last reported (so the app may feed the reported JSON
    /// back). An unusable state is explained in the page and the default
    /// cluster is shown.
    #[prop_or_default]
    pub state: Option<AttrValue>,
    /// Called with the current `ClusterLink` JSON after each change the
    /// person makes (an action, a step of time, a write step, Reset) and
    /// when play pauses; never per animation frame, never for loaded states.
    #[prop_or_default]
    pub on_change: Callback<String>,
    /// A shard's "Raft ↗" button: open its group in the Raft view.
    #[prop_or_default]
    pub on_open_raft: Callback<OpenRaft>,
    /// Minimal chrome: controls, servers, shards and the write panel; the
    /// introduction, the key ring and adding a server sit behind a toggle.
    #[prop_or_default]
    pub embed: bool,
}

/// A model error in the reader's language.
pub(crate) fn error_text(l: Lang, e: &ClusterError) -> String {
    let secs = |us: &u64| fixed(*us as f64 / 1e6, 3);
    match e {
        ClusterError::BadReplicas { replicas, servers } => trf(l, "cluster.err.replicas", &[replicas, servers]),
        ClusterError::BadShards(s) => trf(l, "cluster.err.shards", &[s]),
        ClusterError::UnknownServer(s) => trf(l, "cluster.err.unknown_server", &[s]),
        ClusterError::TooManyServers => trf(l, "cluster.err.too_many_servers", &[&MAX_SERVERS]),
        ClusterError::BadKey(k) => trf(l, "cluster.err.key", &[k, &MAX_KEY_LEN]),
        ClusterError::BadValue(v) => trf(l, "cluster.err.value", &[v, &MAX_VALUE_LEN]),
        ClusterError::BadServerName(n) => trf(l, "cluster.err.name", &[n, &MAX_SERVER_NAME_LEN]),
        ClusterError::ServerExists(n) => trf(l, "cluster.err.exists", &[n]),
        ClusterError::ServerLeaving(n) => trf(l, "cluster.err.leaving", &[n]),
        ClusterError::TooFewServers { servers, replicas } => trf(l, "cluster.err.too_few", &[servers, replicas]),
        ClusterError::GroupFull { shard } => trf(l, "cluster.err.group_full", &[shard]),
        ClusterError::Json(m) => trf(l, "cluster.err.json", &[m]),
        ClusterError::LinkTooLong { bytes } => trf(l, "cluster.err.too_long", &[bytes, &MAX_LINK_JSON]),
        ClusterError::TooManyActions { .. } => trf(l, "cluster.err.actions", &[&MAX_LINK_ACTIONS]),
        ClusterError::OutOfOrder { index, time, previous } => {
            trf(l, "cluster.err.order", &[index, &secs(time), &secs(previous)])
        }
        ClusterError::TimeTooLate { time } => trf(l, "cluster.err.late", &[&secs(time), &secs(&MAX_LINK_TIME_US)]),
        ClusterError::InAction { index, error } => trf(l, "cluster.err.in_action", &[index, &error_text(l, error)]),
        ClusterError::NoSuchWrite { write, writes } => trf(l, "cluster.err.write", &[write, writes]),
        ClusterError::Ring(_) | ClusterError::Scenario(_) => e.to_string(),
    }
}

#[function_component(ClusterView)]
pub fn cluster_view(props: &ClusterViewProps) -> Html {
    let l = use_context::<Lang>().unwrap_or_default();
    let ctl = {
        let initial = props.state.clone();
        use_mut_ref(move || Ctl::load(initial.as_deref()))
    };
    let force = use_force_update();
    // The `state` prop last seen, and the JSON last reported through `on_change`.
    let seen: Rc<RefCell<Option<AttrValue>>> = use_mut_ref(|| props.state.clone());
    let reported: Rc<RefCell<Option<String>>> = {
        let ctl = ctl.clone();
        use_mut_ref(move || Some(ctl.borrow().link().to_json()))
    };
    let h = {
        let force = force.clone();
        Handle {
            ctl: ctl.clone(),
            redraw: Callback::from(move |_| force.force_update()),
            on_change: props.on_change.clone(),
            on_open_raft: props.on_open_raft.clone(),
            reported: reported.clone(),
        }
    };
    let more = use_state(|| false);
    // The write form's inputs.
    let write_key = use_node_ref();
    let write_value = use_node_ref();

    // Load a new `state` prop (the initial one was loaded above).
    {
        let (ctl, seen, reported, force) = (ctl.clone(), seen.clone(), reported.clone(), force.clone());
        use_effect_with(props.state.clone(), move |state| {
            if *seen.borrow() != *state {
                *seen.borrow_mut() = state.clone();
                if let Some(json) = state {
                    if reported.borrow().as_deref() != Some(json.as_str()) {
                        let loaded = Ctl::load(Some(json));
                        *reported.borrow_mut() = Some(loaded.link().to_json());
                        *ctl.borrow_mut() = loaded;
                        force.force_update();
                    }
                }
            }
        });
    }

    let (playing, speed) = {
        let c = ctl.borrow();
        (c.playing, c.speed)
    };
    {
        let h = h.clone();
        use_effect_with((playing, speed.to_bits()), move |&(playing, _)| {
            let stop: Box<dyn FnOnce()> = if playing { start_loop(h) } else { Box::new(|| ()) };
            stop
        });
    }

    let c = ctl.borrow();
    let view = c.cluster.view();
    let r = c.cluster.config().replicas;
    let toggle = h.act(|c, _: MouseEvent| {
        c.playing = !c.playing;
        if c.playing && matches!(c.notice, Some(Notice::TimeLimit)) {
            c.playing = false;
        }
    });
    let step = h.act(|c, _: MouseEvent| c.advance(100 * MS));
    let back = h.act(|c, _: MouseEvent| c.back(100 * MS));
    let at_start = view.now <= WARMUP_US;
    let settle = h.act(|c, _: MouseEvent| c.advance(1_000 * MS));
    let reset = h.act(|c, _: MouseEvent| *c = Ctl::new());
    let heal = h.act(|c, _: MouseEvent| c.act(ClusterAction::Heal));
    let dismiss = h.act(|c, _: MouseEvent| c.notice = None);
    let on_more = {
        let more = more.clone();
        Callback::from(move |_: MouseEvent| more.set(!*more))
    };
    let on_speed = h.act(|c, e: Event| {
        let v = e.target_unchecked_into::<web_sys::HtmlSelectElement>().value();
        if let Some(s) = crate::num::parse_decimal(&v) {
            c.speed = s;
        }
    });
    let secs = fixed(view.now as f64 / 1e6, 3);
    let notice = match &c.notice {
        Some(n) => {
            let (kind, text) = match n {
                Notice::BadLink(e) => ("link", trf(l, "cluster.err.link", &[&error_text(l, e)])),
                Notice::Refused(e) => ("refused", trf(l, "cluster.err.refused", &[&error_text(l, e)])),
                Notice::TimeLimit => ("time", trf(l, "cluster.limit.time", &[&(MAX_LINK_TIME_US / 1_000_000)])),
            };
            html! {
                <div id="cluster-error" class="cluster-error" role="alert" data-kind={kind} style={NOTICE_STYLE}>
                    { el("span", None, text) }
                    { Button { class: Some("btn small"), aria_label: Some(tra(l, "cluster.dismiss")), label: AttrValue::Static("×"),
                        onclick: dismiss, ..Default::default() }.html() }
                </div>
            }
        }
        None => html! { <div id="cluster-error" class="cluster-error empty" role="alert" hidden=true></div> },
    };
    // Secondary panels: always in the full view, on request when embedded.
    let details = !props.embed || *more;
    html! {
        <section class={if props.embed { "cluster embed" } else { "cluster" }} aria-labelledby="cluster-title"
            data-embed={props.embed.to_string()} data-actions={c.cluster.log().len().to_string()}>
            { el_id("h2", "cluster-title", tr(l, "cluster.title")) }
            if details {
                { el("p", Some("cluster-intro"), trf(l, "cluster.intro", &[&view.shards.len(), &r, &(r / 2 + 1)])) }
            }
            <div class="cluster-controls" role="toolbar" aria-label={tr(l, "cluster.controls")}>
                { Button { id: Some("cluster-play"), class: Some("primary"), pressed: Some(playing),
                    label: tra(l, if playing { "cluster.pause" } else { "cluster.play" }), onclick: toggle, ..Default::default() }.html() }
                { labelled_select(tr(l, "cluster.speed"), true, "cluster-speed", false, on_speed,
                    SPEEDS.iter().map(|(s, label)| option(crate::num::short(*s), *label, (*s - speed).abs() < 1e-9)).collect()) }
                { Button { id: Some("cluster-back"), aria_label: Some(tra(l, "cluster.back.label")), label: tra(l, "cluster.back"),
                    disabled: at_start, onclick: back, ..Default::default() }.html() }
                { Button { id: Some("cluster-step"), aria_label: Some(tra(l, "cluster.step.label")), label: tra(l, "cluster.step"),
                    onclick: step, ..Default::default() }.html() }
                { Button { id: Some("cluster-settle"), aria_label: Some(tra(l, "cluster.settle.label")), label: tra(l, "cluster.settle"),
                    onclick: settle, ..Default::default() }.html() }
                <span id="cluster-time" class="cluster-time" data-now={view.now.to_string()}>{ text(trf(l, "cluster.time", &[&secs])) }</span>
                { Button { id: Some("cluster-heal"), label: tra(l, "cluster.heal"), onclick: heal, ..Default::default() }.html() }
                { Button { id: Some("cluster-reset"), label: tra(l, "cluster.reset"), onclick: reset, ..Default::default() }.html() }
                if props.embed {
                    <button id="cluster-more-toggle" class={more.then_some("on")} aria-pressed={more.to_string()}
                        aria-controls="cluster-details" onclick={on_more}>{ tr(l, if *more { "cluster.less" } else { "cluster.more" }) }</button>
                }
            </div>
            { notice }
            { panels::servers(l, &h) }
            <div class="cluster-row">
                { panels::shards(l, &h) }
                { write::write_panel(l, &h, &write_key, &write_value) }
            </div>
            if details {
                <div id="cluster-details">
                    <div class="cluster-row keys-row">
                        { panels::keys(l, &h) }
                        { moves::panel(l, &h) }
                    </div>
                    { el("p", Some("cluster-note"), tr(l, "cluster.approx")) }
                </div>
            }
        </section>
    }
}

/// Run frames while playing; returns the cleanup that cancels the pending frame.
fn start_loop(h: Handle) -> Box<dyn FnOnce()> {
    let Some(window) = web_sys::window() else { return Box::new(|| ()) };
    let frame: Rc<RefCell<Option<Closure<dyn FnMut(f64)>>>> = Rc::new(RefCell::new(None));
    let pending = Rc::new(Cell::new(0i32));
    let last = Rc::new(Cell::new(None::<f64>));
    {
        let (frame2, pending2, window2) = (frame.clone(), pending.clone(), window.clone());
        *frame.borrow_mut() = Some(Closure::new(move |ts: f64| {
            // Real ms since the last frame (capped, so a background tab does
            // not jump far ahead), times speed = virtual ms.
            let dt = last.get().map_or(0.0, |p| (ts - p).clamp(0.0, 100.0));
            last.set(Some(ts));
            let stopped = {
                let mut c = h.ctl.borrow_mut();
                let d = (dt * c.speed * MS as f64) as u64;
                c.advance(d);
                !c.playing
            };
            if stopped {
                // The clock reached the limit and paused: report like a pause.
                h.report();
            }
            h.redraw.emit(());
            if let Some(f) = frame2.borrow().as_ref() {
                if let Ok(id) = window2.request_animation_frame(f.as_ref().unchecked_ref()) {
                    pending2.set(id);
                }
            }
        }));
    }
    if let Some(f) = frame.borrow().as_ref() {
        if let Ok(id) = window.request_animation_frame(f.as_ref().unchecked_ref()) {
            pending.set(id);
        }
    }
    Box::new(move || {
        let _ = window.cancel_animation_frame(pending.get());
        // Drop the closure (it holds a clone of `frame`: break the cycle).
        frame.borrow_mut().take();
    })
}
