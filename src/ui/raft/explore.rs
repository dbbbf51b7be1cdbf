//! "Explore from here" (issue 16, extended module): every interleaving of
//! events from the state on screen up to a depth, in a Web Worker running
//! the explorer's own wasm module (`src/web/explorer.rs`, loaded only when
//! used), with live progress and Cancel; the page stays responsive. A
//! violation's schedule is applied to the run as manual steps from where
//! the search began, so it plays in the scrubber and the safety panel
//! shows the broken property.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use yew::prelude::*;

use crate::i18n::{tr, trf, Lang};
use crate::link::raft::LinkAction;
use crate::num::fixed;
use crate::sim::schedule::Step;
use crate::sim::Property;
use crate::ui::widgets::{el, labelled_select, option, tag, text, tra, Button};

use super::bar::checkbox;

use super::controller::Controller;
use super::text as words;

/// Most memory a search may hold in the worker (MB), visited set and frontier.
const MAX_MB: u32 = 768;

/// How far a search is, or how it ended (the worker's report, read field by field).
#[derive(Clone, Debug, Default, PartialEq)]
struct Report {
    stop: String,
    depth: u64,
    states: u64,
    unique: u64,
    states_per_s: u64,
    ms: u64,
    property: Option<usize>,
    steps: usize,
    unique_before: u64,
    reason: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
enum Status {
    Idle,
    Loading,
    Running(Report),
    Done(Report),
    Failed(String),
}

/// The search's bounds, as chosen in the panel.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Settings {
    depth: u32,
    crashes: u8,
    requests: u8,
    drops: u8,
    duplicates: u8,
    symmetry: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { depth: 10, crashes: 1, requests: 1, drops: 0, duplicates: 0, symmetry: false }
    }
}

#[derive(Properties)]
pub struct Props {
    pub lang: Lang,
    pub ctl: Rc<RefCell<Controller>>,
    /// A violation found: (the event the search began at, its schedule).
    pub on_cex: Callback<(u64, Vec<Step>)>,
}

impl PartialEq for Props {
    fn eq(&self, o: &Self) -> bool {
        // The callback is remade each render; what it does is the same.
        self.lang == o.lang && Rc::ptr_eq(&self.ctl, &o.ctl)
    }
}

fn num(v: &JsValue, key: &str) -> u64 {
    js_sys::Reflect::get(v, &JsValue::from_str(key)).ok().and_then(|x| x.as_f64()).unwrap_or(0.0) as u64
}

fn string(v: &JsValue, key: &str) -> Option<String> {
    js_sys::Reflect::get(v, &JsValue::from_str(key)).ok().and_then(|x| x.as_string())
}

fn read(v: &JsValue) -> Report {
    let property = js_sys::Reflect::get(v, &JsValue::from_str("property")).ok().and_then(|x| x.as_f64()).map(|x| x as usize);
    Report {
        stop: string(v, "stop").unwrap_or_default(),
        depth: num(v, "depth"),
        states: num(v, "states"),
        unique: num(v, "unique"),
        states_per_s: num(v, "states_per_s"),
        ms: num(v, "ms"),
        property,
        steps: 0,
        unique_before: num(v, "unique_before"),
        reason: string(v, "reason"),
    }
}

/// The worker and its message handler, kept alive while it runs.
type Running = Option<(web_sys::Worker, Closure<dyn FnMut(web_sys::MessageEvent)>)>;

fn stop(slot: &RefCell<Running>) {
    if let Some((w, _)) = slot.borrow_mut().take() {
        w.terminate();
    }
}

/// The request for the run on screen, as the worker reads it.
fn request(c: &Controller, s: Settings) -> Option<JsValue> {
    let sim = c.sim();
    let e = sim.event_count();
    let actions: Vec<LinkAction> = sim.actions().iter().filter(|r| r.at_event < e).map(|r| LinkAction(r.at_event, r.time, r.action.clone())).collect();
    let o = js_sys::Object::new();
    let set = |k: &str, v: JsValue| js_sys::Reflect::set(&o, &JsValue::from_str(k), &v).ok();
    set("scenario", JsValue::from_str(&sim.scenario().to_json()))?;
    set("actions", JsValue::from_str(&serde_json::to_string(&actions).ok()?))?;
    set("event", JsValue::from_f64(e as f64))?;
    for (k, v) in [("depth", s.depth), ("crashes", s.crashes as u32), ("requests", s.requests as u32), ("drops", s.drops as u32), ("duplicates", s.duplicates as u32), ("max_mb", MAX_MB)] {
        set(k, JsValue::from_f64(v as f64))?;
    }
    set("symmetry", JsValue::from_bool(s.symmetry))?;
    Some(o.into())
}

/// Starts a worker on `req`; its messages update `status`.
fn start(req: JsValue, status: UseStateHandle<Status>, slot: Rc<RefCell<Running>>, on_cex: Callback<(u64, Vec<Step>)>, event: u64) -> Result<(), String> {
    let global = js_sys::global();
    let files = js_sys::Reflect::get(&global, &JsValue::from_str("ringraftExplorer")).ok().filter(|f| f.is_object()).ok_or("no explorer module in this page")?;
    let files: js_sys::Array = files.unchecked_into();
    let base = web_sys::window().and_then(|w| w.document()).and_then(|d| d.base_uri().ok().flatten()).unwrap_or_default();
    let url = web_sys::Url::new_with_base("explore-worker.js", &base).map_err(|_| "bad base URL")?.href();
    let opts = web_sys::WorkerOptions::new();
    opts.set_type(web_sys::WorkerType::Module);
    let worker = web_sys::Worker::new_with_options(&url, &opts).map_err(|e| format!("{e:?}"))?;
    let slot2 = slot.clone();
    let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |m: web_sys::MessageEvent| {
        let data = m.data();
        let get = |k: &str| js_sys::Reflect::get(&data, &JsValue::from_str(k)).ok().filter(|v| !v.is_undefined());
        if let Some(p) = get("progress") {
            status.set(Status::Running(read(&p)));
        } else if let Some(r) = get("report") {
            let mut rep = read(&r);
            // Through a `Value`, the reader links and files use (no second JSON reader in the module).
            let steps = string(&r, "schedule").and_then(|s| serde_json::from_str::<serde_json::Value>(&s).ok());
            let steps = steps.as_ref().and_then(|v| v.as_array()).and_then(|a| a.iter().map(|v| Step::from_value(v).ok()).collect::<Option<Vec<Step>>>());
            if let Some(steps) = steps {
                rep.steps = steps.len();
                on_cex.emit((event, steps));
            }
            status.set(Status::Done(rep));
            stop(&slot2);
        } else {
            status.set(Status::Failed(get("error").and_then(|e| e.as_string()).unwrap_or_default()));
            stop(&slot2);
        }
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    let msg = js_sys::Object::new();
    let set = |k: &str, v: &JsValue| js_sys::Reflect::set(&msg, &JsValue::from_str(k), v);
    let _ = set("js", &files.get(0));
    let _ = set("wasm", &files.get(1));
    let _ = set("request", &req);
    worker.post_message(&msg).map_err(|e| format!("{e:?}"))?;
    *slot.borrow_mut() = Some((worker, on_message));
    Ok(())
}

fn secs(ms: u64) -> String {
    fixed(ms as f64 / 1000.0, 1)
}

/// What the status line says.
fn status_text(l: Lang, s: &Status) -> String {
    match s {
        Status::Idle => String::new(),
        Status::Loading => tr(l, "raft.explore.loading").to_string(),
        Status::Running(r) => trf(l, "raft.explore.progress", &[&r.depth, &r.states, &r.unique, &r.states_per_s]),
        Status::Failed(e) => trf(l, "raft.explore.failed", &[e]),
        Status::Done(r) => match r.stop.as_str() {
            "violation" => {
                let p = r.property.and_then(|i| Property::ALL.get(i)).map_or("?", |p| tr(l, words::property_key(*p)));
                trf(l, "raft.explore.found", &[&p, &r.steps, &r.unique_before])
            }
            "depth" => trf(l, "raft.explore.none", &[&r.depth, &r.states, &r.unique, &secs(r.ms)]),
            "exhausted" => trf(l, "raft.explore.exhausted", &[&r.depth, &r.states, &r.unique, &secs(r.ms)]),
            "memory" => trf(l, "raft.explore.failed", &[&trf(l, "raft.explore.memory", &[&MAX_MB])]),
            "refused" => {
                let why = r.reason.clone().unwrap_or_default();
                let key = match why.as_str() {
                    "needs_clocks" => Some("raft.explore.needs_clocks"),
                    "compaction" => Some("raft.explore.compaction"),
                    "too_many" => Some("raft.explore.too_many"),
                    _ => None,
                };
                trf(l, "raft.explore.refused", &[&key.map_or(why, |k| tr(l, k).to_string())])
            }
            _ => trf(l, "raft.explore.cancelled", &[&r.depth, &r.states, &r.unique]),
        },
    }
}

/// A select of small numbers for one bound.
fn bound(l: Lang, key: &'static str, id: &'static str, values: &[u32], now: u32, set: Callback<u32>) -> Html {
    let onchange = set.reform(|e: Event| e.target_unchecked_into::<web_sys::HtmlSelectElement>().value().parse().unwrap_or(0));
    let opts = values.iter().map(|v| option(v.to_string(), v.to_string(), *v == now)).collect::<Html>();
    labelled_select(tr(l, key), false, id, false, onchange, opts)
}

#[function_component(ExplorePanel)]
pub fn explore_panel(p: &Props) -> Html {
    let l = p.lang;
    let status = use_state(|| Status::Idle);
    let settings = use_state(Settings::default);
    let slot: Rc<RefCell<Running>> = use_mut_ref(|| None);
    {
        // The worker goes with the page's view.
        let slot = slot.clone();
        use_effect_with((), move |_| move || stop(&slot));
    }
    let running = matches!(*status, Status::Loading | Status::Running(_));
    let on_run = {
        let (status, slot, ctl, on_cex, s) = (status.clone(), slot.clone(), p.ctl.clone(), p.on_cex.clone(), *settings);
        Callback::from(move |_: MouseEvent| {
            stop(&slot);
            let (req, event) = {
                let c = ctl.borrow();
                (request(&c, s), c.sim().event_count())
            };
            let Some(req) = req else { return status.set(Status::Failed("request".into())) };
            status.set(Status::Loading);
            if let Err(e) = start(req, status.clone(), slot.clone(), on_cex.clone(), event) {
                status.set(Status::Failed(e));
            }
        })
    };
    let on_cancel = {
        let (status, slot) = (status.clone(), slot.clone());
        Callback::from(move |_: MouseEvent| {
            stop(&slot);
            let last = match &*status {
                Status::Running(r) => r.clone(),
                _ => Report::default(),
            };
            status.set(Status::Done(Report { stop: "cancelled".into(), ..last }));
        })
    };
    let set = |f: fn(&mut Settings, u32)| {
        let settings = settings.clone();
        Callback::from(move |v: u32| {
            let mut s = *settings;
            f(&mut s, v);
            settings.set(s);
        })
    };
    let s = *settings;
    let on_symmetry = {
        let settings = settings.clone();
        Callback::from(move |e: Event| {
            let on = e.target_unchecked_into::<web_sys::HtmlInputElement>().checked();
            settings.set(Settings { symmetry: on, ..*settings });
        })
    };
    let line = status_text(l, &status);
    let found = matches!(&*status, Status::Done(r) if r.stop == "violation");
    html! {
        <details class="panel explore-panel" id="explore">
            <summary title={tr(l, "raft.explore.title")}>{ text(tr(l, "raft.explore")) }</summary>
            { el("p", Some("hint"), tr(l, "raft.explore.title")) }
            <div class="explore-bounds">
                { bound(l, "raft.explore.depth", "explore-depth", &[4, 6, 8, 10, 12, 14, 16], s.depth, set(|s, v| s.depth = v)) }
                { bound(l, "raft.explore.crashes", "explore-crashes", &[0, 1, 2], s.crashes as u32, set(|s, v| s.crashes = v as u8)) }
                { bound(l, "raft.explore.requests", "explore-requests", &[0, 1, 2], s.requests as u32, set(|s, v| s.requests = v as u8)) }
                { bound(l, "raft.explore.drops", "explore-drops", &[0, 1, 2], s.drops as u32, set(|s, v| s.drops = v as u8)) }
                { bound(l, "raft.explore.duplicates", "explore-duplicates", &[0, 1], s.duplicates as u32, set(|s, v| s.duplicates = v as u8)) }
                { checkbox("explore-symmetry", Some(tra(l, "raft.explore.symmetry.title")), s.symmetry, tra(l, "raft.explore.symmetry"), on_symmetry) }
            </div>
            <div class="explore-buttons">
                { Button { id: Some("explore-run"), class: Some("primary"), disabled: running, label: tra(l, "raft.explore.run"), onclick: on_run, ..Default::default() }.html() }
                if running {
                    { Button { id: Some("explore-cancel"), label: tra(l, "raft.explore.cancel"), onclick: on_cancel, ..Default::default() }.html() }
                }
            </div>
            { tag!("p" "id": "explore-status", "role": "status", "aria-live": "polite",
                "data-stop": match &*status { Status::Done(r) => r.stop.clone(), Status::Running(_) | Status::Loading => "running".into(), Status::Failed(_) => "failed".into(), Status::Idle => String::new() },
                "class": if found { "explore-status found" } else { "explore-status" } => text(line)) }
        </details>
    }
}
