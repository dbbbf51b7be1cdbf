//! The Cluster view: servers, the replicas they host, shard availability,
//! the key → shard ring, client writes step by step, adding a server.
//! All logic lives in `crate::cluster`; this file holds the page state
//! (which write is shown, playing or not) and drives virtual time with
//! requestAnimationFrame while playing — nothing is scheduled when paused.

mod panels;
mod write;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::cluster::{Cluster, ClusterConfig, Rebalance, WriteStatus};
use crate::i18n::{tr, trf, Lang};
use crate::sim::MS;

/// Virtual time run before the page first shows, so every group has a leader.
const WARMUP_MS: u64 = 1_000;
const SPEEDS: [(f64, &str); 4] = [(0.1, "0.1×"), (0.25, "0.25×"), (0.5, "0.5×"), (1.0, "1×")];

/// The page's mutable state: the model plus what the page shows of it.
pub(crate) struct Ctl {
    pub cluster: Cluster,
    pub playing: bool,
    pub speed: f64,
    /// The write shown in the write panel and how many of its steps are shown.
    pub write: Option<usize>,
    pub shown: usize,
    pub rebalance: Option<Rebalance>,
}

impl Ctl {
    fn new() -> Ctl {
        let mut cluster = Cluster::new(ClusterConfig::default()).expect("the default config is valid");
        cluster.advance_to(WARMUP_MS * MS);
        Ctl { cluster, playing: false, speed: 0.25, write: None, shown: 0, rebalance: None }
    }

    /// Advance time; while playing, a write's steps are revealed as they happen.
    fn advance(&mut self, d: u64) {
        self.cluster.advance_by(d);
        if let Some(w) = self.write.and_then(|id| self.cluster.write(id)) {
            if self.playing {
                self.shown = w.steps.len();
            }
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
        if self.cluster.write(id).is_some_and(|w| w.status == WriteStatus::Pending)
            && self.cluster.advance_until_write_step(id, 3_000 * MS)
        {
            self.shown += 1;
        }
    }
}

pub(crate) type Shared = Rc<RefCell<Ctl>>;

/// What child panels receive: the shared state, a re-render trigger, the language.
#[derive(Clone)]
pub(crate) struct Handle {
    pub ctl: Shared,
    pub redraw: Callback<()>,
}

impl PartialEq for Handle {
    fn eq(&self, _: &Self) -> bool {
        // The state is mutable and shared: always re-render children.
        false
    }
}

impl Handle {
    /// A callback that mutates the state and redraws.
    pub fn act<E: 'static>(&self, f: impl Fn(&mut Ctl, E) + 'static) -> Callback<E> {
        let (ctl, redraw) = (self.ctl.clone(), self.redraw.clone());
        Callback::from(move |e: E| {
            f(&mut ctl.borrow_mut(), e);
            redraw.emit(());
        })
    }
}

#[function_component(ClusterView)]
pub fn cluster_view() -> Html {
    let l = use_context::<Lang>().unwrap_or_default();
    let ctl = use_mut_ref(Ctl::new);
    let force = use_force_update();
    let h = Handle { ctl: ctl.clone(), redraw: Callback::from(move |_| force.force_update()) };

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
    let toggle = h.act(|c, _: MouseEvent| c.playing = !c.playing);
    let step = h.act(|c, _: MouseEvent| c.advance(100 * MS));
    let settle = h.act(|c, _: MouseEvent| c.advance(1_000 * MS));
    let reset = h.act(|c, _: MouseEvent| *c = Ctl::new());
    let heal = h.act(|c, _: MouseEvent| c.cluster.heal());
    let on_speed = h.act(|c, e: Event| {
        let v = e.target_unchecked_into::<web_sys::HtmlSelectElement>().value();
        if let Ok(s) = v.parse::<f64>() {
            c.speed = s;
        }
    });
    let secs = format!("{:.3}", view.now as f64 / 1e6);
    html! {
        <section class="cluster" aria-labelledby="cluster-title">
            <h2 id="cluster-title">{ tr(l, "cluster.title") }</h2>
            <p class="cluster-intro">{ trf(l, "cluster.intro", &[&view.shards.len(), &r, &(r / 2 + 1)]) }</p>
            <div class="cluster-controls" role="toolbar" aria-label={tr(l, "cluster.controls")}>
                <button id="cluster-play" class="primary" aria-pressed={playing.to_string()} onclick={toggle}>
                    { if playing { tr(l, "cluster.pause") } else { tr(l, "cluster.play") } }
                </button>
                <label>{ tr(l, "cluster.speed") }{" "}
                    <select id="cluster-speed" onchange={on_speed}>
                        { for SPEEDS.iter().map(|(s, label)| html! {
                            <option value={s.to_string()} selected={(*s - speed).abs() < 1e-9}>{ *label }</option>
                        }) }
                    </select>
                </label>
                <button id="cluster-step" aria-label={tr(l, "cluster.step.label")} onclick={step}>{ tr(l, "cluster.step") }</button>
                <button id="cluster-settle" aria-label={tr(l, "cluster.settle.label")} onclick={settle}>{ tr(l, "cluster.settle") }</button>
                <span id="cluster-time" class="cluster-time" data-now={view.now.to_string()}>{ trf(l, "cluster.time", &[&secs]) }</span>
                <button id="cluster-heal" onclick={heal}>{ tr(l, "cluster.heal") }</button>
                <button id="cluster-reset" onclick={reset}>{ tr(l, "cluster.reset") }</button>
            </div>
            <panels::Servers handle={h.clone()} />
            <div class="cluster-row">
                <panels::Shards handle={h.clone()} />
                <write::WritePanel handle={h.clone()} />
            </div>
            <div class="cluster-row keys-row">
                <panels::Keys handle={h.clone()} />
                <panels::AddServer handle={h.clone()} />
            </div>
            <p class="cluster-note">{ tr(l, "cluster.approx") }</p>
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
            {
                let mut c = h.ctl.borrow_mut();
                let d = (dt * c.speed * MS as f64) as u64;
                c.advance(d);
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
