//! The Raft view: the cluster, its logs, a space-time diagram, the
//! inspector, the event feed and the safety checker, all drawn from the
//! simulator's state; user input becomes `sim::Action`s.

mod bar;
mod cluster;
pub mod controller;
/// The first screen's module without Yew (`ringraft-first`).
pub mod first;
#[cfg(feature = "extended")]
mod extended;
mod hooks;
#[cfg(feature = "extended")]
mod explore;
#[cfg(feature = "extended")]
mod manual;
mod panels;
mod pseudocode;
mod settle;
pub mod state;
mod text;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use yew::prelude::*;

use crate::i18n::{tr, trf, Lang};
use crate::raft::{Command, NodeId};
use crate::ui::widgets::{el, tag, text, tra, Button};
use crate::sim::{Action, ActionRecord, Scenario};

use controller::{Controller, Frame};
use settle::{Settle, GROUPS};
use state::{Ui, UiAction};
use crate::num::fixed;

/// What the inspector shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selection {
    None,
    Node(NodeId),
    Message(u64),
    /// (node, log index)
    Entry(NodeId, u64),
}

/// What the view reports to its embedder (share links, tours).
#[derive(Clone, Debug, PartialEq)]
pub struct RaftState {
    /// The bundled preset the run started from, if it is one (unchanged).
    pub preset: Option<String>,
    /// The run's base scenario (without the user's actions).
    pub scenario: Rc<Scenario>,
    /// The user's actions so far, exactly as recorded (event, time µs, action).
    pub actions: Vec<ActionRecord>,
    pub event: u64,
    /// The clock (µs): after `event`, when paused between events.
    pub time: u64,
    pub speed: f64,
    pub playing: bool,
}

#[derive(Properties, PartialEq, Clone)]
pub struct RaftViewProps {
    /// A bundled preset to load (takes precedence over `scenario`).
    #[prop_or_default]
    pub preset: Option<AttrValue>,
    /// Scenario to load; default: the `leader-election` preset.
    #[prop_or_default]
    pub scenario: Option<Rc<Scenario>>,
    /// User actions to replay on top of the scenario (from a shared link).
    #[prop_or_default]
    pub actions: Rc<Vec<ActionRecord>>,
    /// Initial speed (virtual seconds per wall second).
    #[prop_or_default]
    pub speed: Option<f64>,
    #[prop_or_default]
    pub seek_to: Option<u64>,
    /// With `seek_to`: then run the clock on to this time (µs).
    #[prop_or_default]
    pub seek_time: Option<u64>,
    /// Minimal chrome, for embedding in documentation.
    #[prop_or_default]
    pub embed: bool,
    #[prop_or_default]
    pub autoplay: bool,
    /// Open in manual mode once at the link's position (`m=1`).
    #[prop_or_default]
    pub manual: bool,
    #[prop_or_default]
    pub on_change: Callback<RaftState>,
    /// A Figure 2 rule the guided tour points at (outlined in the rules panel).
    #[prop_or_default]
    pub focus_rule: Option<crate::raft::Line>,
}

fn window() -> web_sys::Window {
    web_sys::window().expect("window")
}

fn now_ms() -> f64 {
    window().performance().map(|p| p.now()).unwrap_or(0.0)
}

fn document_hidden() -> bool {
    window().document().map(|d| d.hidden()).unwrap_or(false)
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// A frame's script time and the panel group (0–4) it also redrew, -1
    /// none: a no-op in the page's loader (`Trunk.toml`); the tests and
    /// benchmarks record them in `window.__ringraftFrameTimes` and
    /// `__ringraftFrameTags` (`tests/e2e/harness.mjs`). (A JS function
    /// rather than `js_sys` calls: less wasm, `crate::lean`.) Not there (a
    /// page without the loader, as the wasm tests'): an error, ignored.
    #[wasm_bindgen(catch, js_name = ringraftFrame)]
    fn ringraft_frame(ms: f64, tag: f64) -> Result<(), wasm_bindgen::JsValue>;
}

fn record_frame_time(ms: f64, tag: i32) {
    let _ = ringraft_frame(ms, tag as f64);
}

#[function_component(RaftView)]
pub fn raft_view(props: &RaftViewProps) -> Html {
    let l = use_context::<Lang>().unwrap_or_default();
    let ui = use_reducer(|| Ui::new(props.autoplay, props.focus_rule.is_some()));
    let ctl = {
        let preset = props.preset.clone();
        let scenario = props.scenario.clone();
        let actions = (*props.actions).clone();
        let speed = props.speed;
        let seek = props.seek_to;
        let seek_time = props.seek_time;
        let autoplay = props.autoplay;
        #[cfg(feature = "extended")]
        let manual = props.manual;
        let ui = ui.dispatcher();
        use_mut_ref(move || {
            let (mut c, err) = Controller::new(preset.as_deref(), scenario.as_deref().cloned(), actions);
            if let Some(e) = err {
                ui.dispatch(UiAction::Loaded(Err(e.to_string())));
            }
            if let Some(s) = speed.filter(|s| *s > 0.0) {
                c.set_speed_log(crate::ui::jsmath::log10(s));
            }
            // A link's position: reached in slices across frames (a far one
            // must not block the page); the first slice before the first paint.
            c.catch_up(seek, seek_time);
            #[cfg(feature = "extended")]
            if manual {
                c.then_manual();
            }
            if let Err(bytes) = c.work(CATCHUP_SLICE_MS, now_ms) {
                ui.dispatch(UiAction::CatchupStopped((bytes >> 20) as u64));
            }
            c.set_playing(autoplay);
            c
        })
    };
    let force = use_force_update();
    let dispatch = ui.dispatcher().to_callback();
    let uis: Rc<Ui> = Rc::new((*ui).clone());
    // A tour step pointing at a rule opens the rules panel, which needs its text.
    let on_fetch = dispatch.reform(UiAction::RulesFetch);
    if ui.rules_open {
        crate::ui::fetch::fetch_extra(&ui.rules_fetch, on_fetch.clone());
    }
    let visible = hooks::use_visible();
    let frame_start = use_mut_ref(|| 0.0f64);
    let slow = use_mut_ref(|| vec![(None::<Frame>, 0.0f64); GROUPS]);
    // Which panel group this frame refreshed (-1: none), for the benchmark.
    let frame_tag = use_memo((), |_| Cell::new(-1i32));
    let settle = use_memo((), |_| Settle::new());
    let key_ref = use_node_ref();
    let val_ref = use_node_ref();

    // Tell the embedder about a change (actions, seeks, speed, play) — not every frame.
    let emit: Rc<dyn Fn()> = {
        let ctl = ctl.clone();
        let on_change = props.on_change.clone();
        Rc::new(move || {
            let c = ctl.borrow();
            on_change.emit(RaftState {
                preset: (!c.preset.is_empty()).then(|| c.preset.clone()),
                scenario: Rc::new(c.sim().scenario().clone()),
                actions: c.sim().actions().to_vec(),
                event: c.sim().event_count(),
                time: c.sim().now(),
                speed: c.speed(),
                playing: c.playing,
            });
        })
    };

    // Leaving the view (e.g. switching to another view) reports where the run
    // is, so coming back — or a link copied meanwhile — resumes exactly there.
    {
        let emit = emit.clone();
        use_effect_with((), move |_| move || emit());
    }

    // A run opened in manual mode (`m=1`) reports at once, so the address
    // holds the mode as an action instead of the one-shot `m=1`.
    #[cfg(feature = "extended")]
    {
        let (emit, manual) = (emit.clone(), props.manual);
        use_effect_with((), move |_| {
            if manual {
                emit();
            }
        });
    }

    // Report each rendered animation frame's script time.
    {
        let (frame_start, frame_tag, settle) = (frame_start.clone(), frame_tag.clone(), settle.clone());
        use_effect(move || {
            let start = *frame_start.borrow();
            if start > 0.0 {
                let ms = now_ms() - start;
                record_frame_time(ms, frame_tag.replace(-1));
                *frame_start.borrow_mut() = 0.0;
                settle.measured(ms);
            }
        });
    }

    // The animation loop: requestAnimationFrame only while visible and
    // playing, reaching a link's far position, or settling the panels after
    // a scrubber seek.
    let catching = ctl.borrow().catchup.is_some();
    let settling = settle.pending.get() != 0;
    {
        let (ctl, force, frame_start, emit, dispatch, settle) =
            (ctl.clone(), force.clone(), frame_start.clone(), emit.clone(), dispatch.clone(), settle.clone());
        hooks::use_animation_frames((ui.playing || catching || settling) && visible, move |ts| {
            *frame_start.borrow_mut() = now_ms();
            settle.frame(ts);
            let mut c = ctl.borrow_mut();
            if c.catchup.is_some() {
                let res = c.work(CATCHUP_SLICE_MS, now_ms);
                let done = c.catchup.is_none();
                drop(c);
                if let Err(bytes) = res {
                    dispatch.emit(UiAction::CatchupStopped((bytes >> 20) as u64));
                }
                if done {
                    emit();
                }
            } else if c.playing {
                let res = c.advance(ts);
                let stopped = !c.playing;
                drop(c);
                if let Err(bytes) = res {
                    // Out of room: stopped playing (the controller did).
                    dispatch.emit(UiAction::Play(false));
                    dispatch.emit(UiAction::CatchupStopped((bytes >> 20) as u64));
                } else if stopped {
                    // Nothing left to play (manual mode's recorded future ran
                    // out): the address follows to where it stopped.
                    dispatch.emit(UiAction::Play(false));
                    emit();
                }
            } else {
                drop(c);
            }
            force.force_update();
            let c = ctl.borrow();
            // (Settling, with only groups off screen left: until they are due.)
            let idle = !c.playing && c.catchup.is_none();
            c.sleep_ms().max(if idle { settle.sleep_ms(settle::on_screen(), now_ms()) } else { 0.0 })
        });
    }

    // ----- handlers ------------------------------------------------------------------
    // After a scrubber seek: the picture and the controls now; when the
    // full redraw has been slow, the other panels one group per frame; the
    // panels off screen once the position stays put. (A step redraws every
    // panel at once, people read them step by step, but those still
    // settling after a seek.)
    let settled = {
        let (force, slow, settle, frame_start) = (force.clone(), slow.clone(), settle.clone(), frame_start.clone());
        Refresh(Rc::new(move || {
            *frame_start.borrow_mut() = now_ms();
            settle.start(&mut slow.borrow_mut(), settle::on_screen(), now_ms());
            force.force_update();
        }))
    };
    // After user input, redraw everything now (not at the next slow tick),
    // but the panels still settling after a seek.
    let force = {
        let (force, slow, settle) = (force.clone(), slow.clone(), settle.clone());
        Refresh(Rc::new(move || {
            settle.step(&mut slow.borrow_mut(), now_ms());
            force.force_update();
        }))
    };
    // Every handler mutates the controller, then re-renders and reports.
    let act = on_ctl(&ctl, &force, &emit, |c, a: Action| c.apply(a));
    let set_play = {
        let (ctl, dispatch, emit) = (ctl.clone(), dispatch.clone(), emit.clone());
        Callback::from(move |on: bool| {
            input(&ctl).set_playing(on);
            dispatch.emit(UiAction::Play(on));
            emit();
        })
    };
    let cancel_catchup = on_ctl(&ctl, &force, &emit, |_, _: MouseEvent| {});
    let nav = {
        let d = dispatch.clone();
        on_ctl(&ctl, &force, &emit, move |c, to: Nav| match to {
            Nav::Forward => {
                c.step();
            }
            Nav::Back => {
                c.step_back();
            }
            // A second of a dense run can be many events: reached like a
            // link's position, a slice per frame (the first one now).
            Nav::OneSecond => {
                c.catch_up(None, Some(c.sim().now().saturating_add(1_000_000)));
                if let Err(bytes) = c.work(CATCHUP_SLICE_MS, now_ms) {
                    d.emit(UiAction::CatchupStopped((bytes >> 20) as u64));
                }
            }
        })
    };
    let seek = on_ctl(&ctl, &force, &emit, |c, n: u64| c.seek_event(n));
    // The scrubber: a drag seeks every frame.
    let scrub = on_ctl(&ctl, &settled, &emit, |c, n: u64| c.seek_event(n));
    let set_speed = on_ctl(&ctl, &force, &emit, |c, s: f64| c.set_speed_log(s));
    let load_sc = {
        let ctl = ctl.clone();
        let force = force.clone();
        let emit = emit.clone();
        let dispatch = dispatch.clone();
        // (the bundled preset it is, "" for any other run; a scenario or its JSON)
        Callback::from(move |(preset, r): (String, Result<crate::sim::Scenario, String>)| {
            let res = match r {
                Ok(sc) => ctl.borrow_mut().load(sc).map_err(|e| e.to_string()),
                Err(text) => {
                    let res = ctl.borrow_mut().load_json(&text).map_err(|e| e.to_string());
                    // A file only the extended module runs: hand it over in the link.
                    if res.as_ref().is_err_and(|e| e.ends_with(crate::sim::scenario::NEEDS_EXTENDED)) {
                        hand_over(&text, l);
                    }
                    res
                }
            };
            // The share link names a preset only when the run still is one
            // (not after an import, a resize or Buggy Raft); a refused load
            // leaves the run, and its name, as they were.
            if res.is_ok() {
                ctl.borrow_mut().preset = preset;
            }
            dispatch.emit(UiAction::Loaded(res));
            force.force_update();
            emit();
        })
    };
    let on_select = dispatch.reform(UiAction::Select);
    let on_node = dispatch.reform(UiAction::ClickNode);
    let on_node_key = {
        let dispatch = dispatch.clone();
        Callback::from(move |(id, e): (NodeId, KeyboardEvent)| {
            if e.key() == "Enter" {
                e.prevent_default();
                e.stop_propagation();
                dispatch.emit(UiAction::OpenMenu(id));
            }
        })
    };
    let on_msg = {
        let (dispatch, act, drop_mode) = (dispatch.clone(), act.clone(), ui.drop_mode);
        #[cfg(feature = "extended")]
        let ctl = ctl.clone();
        Callback::from(move |id: u64| {
            // Manual mode: a message on the wire is delivered now.
            #[cfg(feature = "extended")]
            {
                // (The borrow ends before the action borrows the controller again.)
                let step = { let c = ctl.borrow(); c.sim().manual().then(|| manual::deliver(c.sim().world(), id)).flatten() };
                if let Some(a) = step {
                    return act.emit(a);
                }
            }
            if drop_mode {
                act.emit(Action::DropMessage { id });
            }
            dispatch.emit(UiAction::Select(Selection::Message(id)));
        })
    };
    let on_drop = {
        let act = act.clone();
        Callback::from(move |id: u64| act.emit(Action::DropMessage { id }))
    };

    // Keyboard: space, arrows, +/-; Escape closes the menu.
    {
        let (set_play, nav, set_speed, ctl, dispatch) = (set_play.clone(), nav.clone(), set_speed.clone(), ctl.clone(), dispatch.clone());
        hooks::use_keys(move |key| {
            let speed = ctl.borrow().speed_log;
            match key {
                hooks::Key::PlayPause => {
                    let on = !ctl.borrow().playing;
                    set_play.emit(on);
                }
                hooks::Key::Forward => nav.emit(Nav::Forward),
                hooks::Key::Back => nav.emit(Nav::Back),
                hooks::Key::Faster => set_speed.emit(speed + 0.1),
                hooks::Key::Slower => set_speed.emit(speed - 0.1),
                hooks::Key::Escape => dispatch.emit(UiAction::CloseMenu),
            }
        });
    }

    // ----- render ----------------------------------------------------------------------
    let f = ctl.borrow_mut().frame();
    let (speed_log, preset) = {
        let c = ctl.borrow();
        (c.speed_log, c.preset.clone())
    };
    // While playing, the text panels (controls, side panels, logs, space-time,
    // feed) follow at most every `settle::SLOW_MS`, one group per frame so no frame pays
    // for all of them; the cluster picture follows every frame.
    let groups: Vec<Frame> = {
        let mut slow = slow.borrow_mut();
        let t = now_ms();
        let pending = settle.pending.get();
        let all = (!ui.playing && pending == 0) || slow.iter().any(|g| g.0.is_none() || g.1 == f64::NEG_INFINITY);
        if all {
            // Every group but those still settling after a seek.
            for (i, g) in slow.iter_mut().enumerate() {
                if pending & (1 << i) == 0 {
                    *g = (Some(f.clone()), t);
                }
            }
        } else {
            // Settling after a seek, or playing: one group at most.
            let shown = settle::on_screen();
            // (Paused, a frame that settles nothing draws nothing more: the
            // groups not pending already show where the run is.)
            let i = if pending != 0 { settle.next(&slow, shown, t) } else { None }.or_else(|| if ui.playing { settle::due(&slow, shown, t) } else { None });
            if let Some(i) = i {
                slow[i] = (Some(f.clone()), t);
                frame_tag.set(i as i32);
            }
        }
        slow.iter().map(|g| g.0.clone().unwrap_or_else(|| f.clone())).collect()
    };
    let key = |sf: &Frame| MemoKey {
        ev: Rc::as_ptr(&sf.ev) as usize,
        now: sf.now,
        lang: l,
        ui: uis.clone(),
        speed_log: (speed_log * 10.0).round() as i32,
        preset: preset.clone(),
        focus: props.focus_rule,
    };
    let sf = groups[1].clone();
    let ev = sf.ev.clone();
    let n = ev.nodes.len();

    let hs = Handles {
        ctl: ctl.clone(),
        ui: uis.clone(),
        dispatch: dispatch.clone(),
        nav: nav.clone(),
        set_play: set_play.clone(),
        set_speed: set_speed.clone(),
        seek: seek.clone(),
        scrub,
        act: act.clone(),
        load_sc: load_sc.clone(),
        preset: preset.clone(),
        speed_log,
        #[cfg(feature = "extended")]
        set_level: {
            let d = dispatch.clone();
            on_ctl(&ctl, &force, &emit, move |c, k: usize| {
                // The rerun's first slice before the next paint, the rest a slice per frame.
                match c.set_level(k).map(|_| c.work(CATCHUP_SLICE_MS, now_ms)) {
                    Err(e) => d.emit(UiAction::Loaded(Err(e.to_string()))),
                    Ok(Err(bytes)) => d.emit(UiAction::CatchupStopped((bytes >> 20) as u64)),
                    Ok(Ok(())) => {}
                }
            })
        },
    };
    // The A/B line of a "Raft features" comparison (extended module).
    #[cfg(feature = "extended")]
    let ab_bar = {
        let c = ctl.borrow();
        c.ab.as_ref().map(|ab| {
            let flip = on_ctl(&ctl, &force, &emit, |c, _: MouseEvent| c.flip());
            extended::ab_bar(l, ab, &c.sim().scenario().raft, flip, &seek)
        })
    };
    #[cfg(not(feature = "extended"))]
    let ab_bar: Option<Html> = None;
    let panel = |render: fn(Lang, &Handles, &Frame) -> Html, sf: &Frame| -> View {
        let (hs, sf) = (hs.clone(), sf.clone());
        Rc::new(move || render(l, &hs, &sf))
    };
    let controls = panel(bar::controls, &groups[0]);
    let scenario_bar = panel(bar::scenario_bar, &sf);
    let network = panel(bar::network, &sf);

    // The node action menu (click/tap or Enter on a node).
    let node_menu = ui.menu.and_then(|id| ev.nodes.iter().find(|nd| nd.id == id)).map(|nd| {
        let id = nd.id;
        let (x, y) = cluster::pos(id, n);
        // Keep the menu inside the picture: anchor it left/right near the edges.
        let px = x / cluster::VIEW * 100.0;
        let shift = if px < 30.0 { "0%" } else if px > 70.0 { "-100%" } else { "-50%" };
        let style = format!("left:{}%;top:{}%;transform:translate({shift}, 18px)", fixed(px, 1), fixed(y / cluster::VIEW * 100.0, 1));
        let a = |action: Action| {
            let (act, dispatch) = (act.clone(), dispatch.clone());
            Callback::from(move |_| {
                act.emit(action.clone());
                dispatch.emit(UiAction::CloseMenu);
            })
        };
        let on_send = {
            let act = act.clone();
            let key_ref = key_ref.clone();
            let val_ref = val_ref.clone();
            Callback::from(move |e: SubmitEvent| {
                e.prevent_default();
                let key = key_ref.cast::<web_sys::HtmlInputElement>().map(|i| i.value()).unwrap_or_default();
                let value = val_ref.cast::<web_sys::HtmlInputElement>().map(|i| i.value()).unwrap_or_default();
                let key = if key.trim().is_empty() { "x".to_string() } else { key.trim().to_string() };
                act.emit(Action::ClientRequest { node: id, command: Command::Set { key, value } });
            })
        };
        let close = dispatch.reform(|_| UiAction::CloseMenu);
        #[cfg(feature = "extended")]
        let ext_menu = html! { <>
            { extended::member_items(l, id, extended::standing(extended::cluster_config(&ev), nd), &act, &dispatch) }
            { extended::menu_items(l, id, nd.clock_ppm, &key_ref, &act, &dispatch) }
        </> };
        #[cfg(not(feature = "extended"))]
        let ext_menu = Html::default();
        // Clicks inside the menu must not reach the backdrop (which closes it).
        let keep = Callback::from(|e: MouseEvent| e.stop_propagation());
        html! {
            <div class="node-menu" id="node-menu" data-menu-node={id.to_string()} style={style} role="menu" onclick={keep}
                aria-label={trf(l, "raft.menu.aria", &[&id])}>
                <div class="menu-title">{ text(text::server(id)) }{ Button { class: Some("close"), aria_label: Some(tra(l, "raft.close")),
                    label: AttrValue::Static("×"), onclick: close, ..Default::default() }.html() }</div>
                if nd.alive {
                    { menu_item("menu-crash", tr(l, "raft.menu.crash"), a(Action::Crash { node: id })) }
                    { menu_item("menu-timeout", tr(l, "raft.menu.timeout"), a(Action::Timeout { node: id })) }
                    if nd.role != crate::raft::Role::Leader {
                        // §3.10: the current leader hands over to this server.
                        { menu_item("menu-transfer", tr(l, "raft.menu.transfer"), a(Action::TransferLeadership { to: id })) }
                    }
                } else {
                    { menu_item("menu-restart", tr(l, "raft.menu.restart"), a(Action::Restart { node: id })) }
                }
                <form class="client-form" onsubmit={on_send}>
                    <label>{ text(tr(l, "raft.menu.key")) }<input id="menu-key" ref={key_ref.clone()} value="x" size="4" /></label>
                    <label>{ text(tr(l, "raft.menu.value")) }<input id="menu-value" ref={val_ref.clone()} value="1" size="4" /></label>
                    <button id="menu-send" type="submit">{ text(tr(l, "raft.menu.send")) }</button>
                </form>
                { ext_menu }
            </div>
        }
    });

    // Manual mode: a server's timer ring fires its timer.
    #[cfg(feature = "extended")]
    let on_timer = {
        let (act, ev) = (act.clone(), ev.clone());
        Callback::from(move |id: NodeId| {
            if let Some(a) = manual::fire(&ev, id) {
                act.emit(a);
            }
        })
    };
    let cbs = cluster::ClusterCbs {
        on_node,
        on_node_key,
        on_msg: on_msg.clone(),
        #[cfg(feature = "extended")]
        on_timer,
    };
    let cluster_svg = cluster::view(l, &f, &ui.sel, &cbs);
    let on_bg = dispatch.reform(|_| UiAction::CloseMenu);

    // A link's far position being reached: how far, and a way to stop there.
    let catchup = match (ctl.borrow().catchup, ui.catchup_stopped) {
        (Some(c), _) => {
            // A whole percentage (an f64 would pull float printing into the wasm).
            let pct = (c.progress(ctl.borrow().sim()) * 100.0) as u32;
            Some(html! {
                <p id="catchup" class="catchup" role="status">
                    { text(trf(l, "raft.catchup", &[&pct, &ev.event_count])) }
                    <button id="catchup-cancel" onclick={cancel_catchup.clone()}>{ text(tr(l, "raft.catchup.cancel")) }</button>
                </p>
            })
        }
        (None, Some(mb)) => Some(el("p", Some("catchup error"),
            trf(l, "raft.catchup.memory", &[&ev.event_count, &mb, &(controller::MAX_RUN_BYTES >> 20)]))),
        (None, None) => None,
    };
    let main = html! {
        <div class="cluster-wrap" onclick={on_bg}>
            { cluster_svg }
            { for node_menu }
        </div>
    };
    // The client history lane beside the diagram (extended module only).
    #[cfg(feature = "extended")]
    let history: Option<View> = {
        let (sf, seek) = (groups[3].clone(), seek.clone());
        Some(Rc::new(move || extended::history(l, &sf, &seek)))
    };
    #[cfg(not(feature = "extended"))]
    let history: Option<View> = None;
    // What each panel group's rendering depends on.
    let deps: Vec<MemoKey> = groups.iter().map(key).collect();
    let memo = |g: usize, view: View| memo(&deps[g], view);
    if props.embed {
        return html! {
            <div class="raft-view embed" data-lang={l.code()}>
                { for catchup }
                { memo(0, controls) }
                { main }
                // An embedded figure of the extended protocol shows its client history.
                { for history.clone().map(|h| memo(3, h)) }
            </div>
        };
    }
    let head: View = {
        let (ev, preset) = (ev.clone(), preset.clone());
        Rc::new(move || html! {
            if !ev.name.is_empty() {
                <details class="about" id="about">
                    <summary>{ if l == Lang::En || preset.is_empty() { ev.name.clone() } else { preset_text(l, &preset).0.to_string() } }</summary>
                    <p>{ if l == Lang::En || preset.is_empty() { ev.description.clone() } else { preset_text(l, &preset).1.to_string() } }</p>
                </details>
            }
        })
    };
    let side: View = {
        let (ev, sf, sel, seek, on_drop) = (ev.clone(), sf.clone(), ui.sel.clone(), seek.clone(), on_drop.clone());
        Rc::new(move || html! { <>
            { panels::safety(l, &ev, &seek) }
            { panels::inspector(l, &sf, &sel, &on_drop) }
        </> })
    };
    // Who is in the cluster, as each server sees it (§4), extended module only.
    #[cfg(feature = "extended")]
    let side: View = {
        let (inner, sf, act, ctl) = (side, sf.clone(), act.clone(), ctl.clone());
        // A counterexample found from event `e`: its steps, taken from there.
        let on_cex = {
            let d = dispatch.clone();
            on_ctl(&ctl, &force, &emit, move |c, (e, steps): (u64, Vec<crate::sim::schedule::Step>)| {
                c.set_playing(false);
                d.emit(UiAction::Play(false));
                c.seek_event(e);
                if !c.sim().manual() {
                    c.apply(Action::Manual { on: true });
                }
                for step in steps {
                    c.apply(Action::Take { step });
                }
            })
        };
        Rc::new(move || html! { <>
            { manual::panel(l, &sf, &act) }
            { inner() }
            { extended::membership_panel(l, &sf.ev, &act) }
            <explore::ExplorePanel lang={l} ctl={ctl.clone()} on_cex={on_cex.clone()} />
        </> })
    };
    let logs: View = {
        let (sf, sel, on_select) = (groups[2].clone(), ui.sel.clone(), on_select.clone());
        Rc::new(move || html! {
            <section class="panel logs-panel" id="logs">
                { el("h2", None, tr(l, "raft.logs.title")) }
                { panels::logs(l, &sf.ev, &sel, &on_select) }
            </section>
        })
    };
    let spacetime: View = {
        let (sf, sel, seek, on_msg) = (groups[3].clone(), ui.sel.clone(), seek.clone(), on_msg.clone());
        Rc::new(move || html! {
            <section class="panel spacetime-panel" id="spacetime">
                { el("h2", None, tr(l, "raft.spacetime")) }
                { panels::spacetime(l, &sf, &sel, &on_msg, &seek) }
            </section>
        })
    };
    let feed: View = {
        let (sf, seek, limit) = (groups[4].clone(), seek.clone(), if ui.playing { 12 } else { 50 });
        Rc::new(move || panels::feed(l, &sf.ev, limit, &seek))
    };
    let rules: View = {
        let (sf, sel, focus) = (groups[4].clone(), ui.sel.clone(), props.focus_rule);
        let (open, fetch) = (ui.rules_open, ui.rules_fetch.clone());
        // Opening fetches the text (on the render the action causes).
        let ontoggle = dispatch.reform(|e: Event| UiAction::RulesOpen(e.target_unchecked_into::<web_sys::Element>().has_attribute("open")));
        Rc::new(move || {
            #[cfg(feature = "extended")]
            let reads = sf.ev.read_mode != crate::raft::ReadMode::Log;
            #[cfg(not(feature = "extended"))]
            let reads = false;
            let options = (sf.ev.pre_vote, sf.ev.check_quorum, reads);
            pseudocode::panel(l, rules_event(&sf.ev, &sel), focus, open, &fetch, ontoggle.clone(), options)
        })
    };
    // The extended protocol's kinds join the legend when a run uses them.
    // The extended module lists them all, with InstallSnapshot (§7).
    #[cfg(not(feature = "extended"))]
    let kinds = MSG_LEGEND.iter().take(if ev.pre_vote || ev.check_quorum { MSG_LEGEND.len() } else { 7 });
    #[cfg(feature = "extended")]
    let kinds = MSG_LEGEND.iter().chain(&extended::LEGEND);
    #[cfg(feature = "extended")]
    let view_cls = if ev.manual { "raft-view manual" } else { "raft-view" };
    #[cfg(not(feature = "extended"))]
    let view_cls = "raft-view";
    let legend: View = Rc::new(move || html! {
        <ul class="legend-msgs" aria-label={tr(l, "raft.legend")}>
            { for kinds.clone()
                .map(|&(class, key)| html! { <li>{ el("span", Some(class), "") }{ text(tr(l, key)) }</li> }) }
        </ul>
    });
    tag!("div" "data-lang": l.code(), "class": view_cls => html! { <>
            <header class="raft-head">
                { memo(1, scenario_bar) }
                { memo(1, head) }
            </header>
            { for catchup }
            { for ab_bar }
            { memo(0, controls) }
            <div class="raft-grid">
                <div class="col-main">
                    { main }
                    { memo(1, legend) }
                </div>
                <div class="col-side">
                    { memo(1, side) }
                    { memo(1, network) }
                </div>
            </div>
            { memo(2, logs) }
            { memo(3, spacetime) }
            { for history.map(|h| memo(3, h)) }
            <div class="feed-rules">
                { memo(4, feed) }
                { memo(4, rules) }
            </div>
            { el("p", Some("keys-help"), tr(l, "raft.keys")) }
    </> })
}

/// Open a scenario this module refuses (it needs the extended protocol) in
/// the extended module, carried as the link's `s`; a file too long for a
/// link keeps the refusal, which names what it needs.
fn hand_over(json: &str, l: Lang) {
    let s = crate::link::encode_b64(json);
    if s.len() < crate::link::raft::MAX_QUERY_LEN - 100 {
        crate::ui::app::open_extended(&format!("view=raft&lang={}&s={s}", l.code()));
    }
}

/// Where a navigation button or key moves the run.
#[derive(Clone, Copy, PartialEq)]
enum Nav {
    Forward,
    Back,
    /// Run one second of virtual time now.
    OneSecond,
}

/// The network panel's sliders.
#[derive(Clone, Copy)]
enum Slider {
    Latency,
    Jitter,
    Loss,
}

/// A panel body rendered by a closure.
type View = Rc<dyn Fn() -> Html>;

/// Everything the slow panels depend on: they re-render only when it changes.
#[derive(Clone, PartialEq)]
struct MemoKey {
    ev: usize,
    now: u64,
    lang: Lang,
    /// The view's own state (compared by value).
    ui: Rc<Ui>,
    speed_log: i32,
    preset: String,
    focus: Option<crate::raft::Line>,
}

/// The event the rules panel explains: the one that delivered (or else
/// sent) the selected message, or the current one.
fn rules_event<'a>(ev: &'a controller::EventFrame, sel: &Selection) -> Option<&'a crate::sim::Event> {
    if let Selection::Message(id) = sel {
        let delivered = ev.recent.iter().rev().find(|e| e.message.as_ref().is_some_and(|m| m.id == *id));
        if let Some(e) = delivered.or_else(|| ev.recent.iter().rev().find(|e| e.sent.contains(id))) {
            return Some(e);
        }
    }
    ev.recent.last().filter(|e| e.seq == ev.event_count)
}

#[derive(Properties, Clone)]
struct MemoProps {
    deps: MemoKey,
    view: View,
}

impl PartialEq for MemoProps {
    // The closure is rebuilt on every render; only the data decides.
    fn eq(&self, other: &Self) -> bool {
        self.deps == other.deps
    }
}

#[function_component(Memo)]
fn memo_view(p: &MemoProps) -> Html {
    (p.view)()
}

/// A panel that re-renders only when `deps` change.
#[inline(never)]
fn memo(deps: &MemoKey, view: View) -> Html {
    html! { <Memo deps={deps.clone()} {view} /> }
}

/// Wall time given to a link's catch-up per animation frame (ms).
const CATCHUP_SLICE_MS: f64 = 12.0;

/// Re-render now, including the throttled panels.
/// A callback that changes the controller, then redraws and reports the change.
fn on_ctl<T: 'static>(
    ctl: &Rc<RefCell<Controller>>,
    force: &Refresh,
    emit: &Rc<dyn Fn()>,
    f: impl Fn(&mut Controller, T) + 'static,
) -> Callback<T> {
    let (ctl, force, emit) = (ctl.clone(), force.clone(), emit.clone());
    Callback::from(move |v: T| {
        f(&mut input(&ctl), v);
        force.force_update();
        emit();
    })
}

/// The controller, for a person's input: which first stops a link's
/// catch-up where it is. (One copy, not one per `on_ctl` instance.)
#[inline(never)]
fn input(ctl: &RefCell<Controller>) -> std::cell::RefMut<'_, Controller> {
    let mut c = ctl.borrow_mut();
    c.catchup = None;
    c
}

#[derive(Clone)]
struct Refresh(Rc<dyn Fn()>);
impl Refresh {
    fn force_update(&self) {
        (self.0)()
    }
}

/// A bundled preset's name and Chinese description, by key from its file
/// stem (`raft.preset.{stem}`, `zh.raft.preset.{stem}.desc`; a test in
/// `i18n` checks every preset has both); "Custom" for anything else.
/// English shows the scenario file's own name and description. (Keys made
/// at run time, not a table of them: ≈ 1.2 KB less wasm, `src/lean/mod.rs`.)
fn preset_text(l: Lang, name: &str) -> (&'static str, &'static str) {
    let custom = || tr(l, "raft.preset.custom");
    let title = crate::i18n::tr_dyn(l, &format!("raft.preset.{name}")).unwrap_or_else(custom);
    let desc = crate::i18n::tr_dyn(l, &format!("zh.raft.preset.{name}.desc")).unwrap_or_else(custom);
    (title, desc)
}

/// The handles the control panels act through (one bundle, cloned once per panel).
#[derive(Clone)]
struct Handles {
    ctl: Rc<RefCell<Controller>>,
    ui: Rc<Ui>,
    dispatch: Callback<UiAction>,
    nav: Callback<Nav>,
    set_play: Callback<bool>,
    set_speed: Callback<f64>,
    seek: Callback<u64>,
    scrub: Callback<u64>,
    act: Callback<Action>,
    /// Loads a run: (the bundled preset it is or "", the scenario or its JSON).
    load_sc: Callback<(String, Result<Scenario, String>)>,
    preset: String,
    speed_log: f64,
    /// Reruns with a "Raft features" level (extended module).
    #[cfg(feature = "extended")]
    set_level: Callback<usize>,
}

/// The message legend under the cluster: (class, text key).
/// The first 7 always; the rest (§9.6, §3.10) when PreVote or CheckQuorum is on.
const MSG_LEGEND: [(&str, &str); 10] = [
    ("lg rv", "raft.msg.rv"),
    ("lg vote-yes", "raft.msg.vote_granted"),
    ("lg vote-no", "raft.msg.vote_refused"),
    ("lg hb", "raft.msg.heartbeat"),
    ("lg ae", "raft.msg.ae"),
    ("lg ae-ok", "raft.msg.ae_ok"),
    ("lg ae-fail", "raft.msg.ae_fail"),
    ("lg pv", "raft.msg.pv"),
    ("lg pv-yes", "raft.msg.pv_yes"),
    ("lg tn", "raft.msg.tn"),
];

/// `<button id role="menuitem">label</button>` in the node menu.
#[inline(never)]
fn menu_item(id: &'static str, label: &'static str, onclick: Callback<MouseEvent>) -> Html {
    tag!("button" "id": id, "role": "menuitem"; onclick: onclick => text(label))
}
