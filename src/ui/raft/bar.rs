//! The Raft view's control panels: playback and the scrubber, the
//! scenario bar (presets, size, load, buggy mode, export / import) and the
//! network panel. Plain functions of the view's handles and frame.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::i18n::{tr, trf, Lang};
use crate::num::fixed;
use crate::raft::NodeId;
use crate::sim::{presets, Action, ClientLoad, MarkerKind};
use crate::ui::widgets::{el, f1, labelled_select, option, tag, text, tra, Button};

use super::controller::{Frame, SPEED_MAX_LOG, SPEED_MIN_LOG};
use super::state::UiAction;
use super::{preset_text, window, Handles, Nav, Slider};

/// Largest scenario file the page reads (KB): enough for any scenario within
/// the simulator's limits (`sim::scenario::MAX_INITIAL_LOG` entries a server),
/// small enough that reading one blocks the page for well under a second.
const MAX_IMPORT_KB: u64 = 1024;

/// Save `text` as a file through a temporary object URL.
fn download(name: &str, text: &str) {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let bag = web_sys::BlobPropertyBag::new();
    bag.set_type("application/json");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &bag) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    if let Some(doc) = window().document() {
        if let Ok(a) = doc.create_element("a") {
            let _ = a.set_attribute("href", &url);
            let _ = a.set_attribute("download", name);
            if let Ok(a) = a.dyn_into::<web_sys::HtmlElement>() {
                a.click();
            }
        }
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// Play / step / speed / clock and the event scrubber with its markers.
pub(super) fn controls(l: Lang, h: &Handles, f: &Frame) -> Html {
    let ev = &f.ev;
    let playing = h.ui.playing;
    let play_click = {
        let set_play = h.set_play.clone();
        Callback::from(move |_| set_play.emit(!playing))
    };
    let nav = |to: Nav| h.nav.reform(move |_: MouseEvent| to);
    let on_speed = {
        let set_speed = h.set_speed.clone();
        Callback::from(move |e: InputEvent| {
            let v = e.target_unchecked_into::<web_sys::HtmlInputElement>().value_as_number();
            set_speed.emit(v);
        })
    };
    let on_scrub = {
        let seek = h.scrub.clone();
        Callback::from(move |e: InputEvent| {
            let v = e.target_unchecked_into::<web_sys::HtmlInputElement>().value_as_number();
            if v.is_finite() {
                seek.emit(v.max(0.0) as u64);
            }
        })
    };
    let speed_log = h.speed_log;
    let speed = crate::ui::jsmath::pow(10.0, speed_log);
    let speed_label = if speed >= 0.999 { "1×".to_string() } else { format!("1/{}×", crate::num::short((1.0 / speed).round())) };
    let horizon = ev.horizon.max(1);
    let markers = ev.markers.iter().rev().take(60).map(|m| {
        let pct = m.event as f64 / horizon as f64 * 100.0;
        let (cls, key) = match m.kind {
            MarkerKind::ElectionStarted => ("marker m-election", "raft.marker.election"),
            MarkerKind::LeaderElected => ("marker m-leader", "raft.marker.leader"),
        };
        let seq = m.event;
        let label = trf(l, key, &[&m.node, &m.term, &seq]);
        tag!("button" "style": format!("left:{}%", fixed(pct, 2)), "data-marker-event": seq.to_string(),
            "title": label.clone(), "aria-label": label, "class": cls; onclick: h.seek.reform(move |_| seq) =>)
    });
    let titled = |id, title_key, label_key, what| {
        let title = tra(l, title_key);
        Button { id: Some(id), title: Some(title.clone()), aria_label: Some(title), label: tra(l, label_key), onclick: nav(what), ..Default::default() }
            .html()
    };
    #[cfg(feature = "extended")]
    let manual_toggle = super::manual::toggle(l, ev, &h.act, &h.set_play);
    // Manual mode plays only steps recorded ahead; with none, Play waits.
    #[cfg(feature = "extended")]
    let stuck = ev.manual && !playing && ev.event_count >= ev.horizon;
    #[cfg(not(feature = "extended"))]
    let stuck = false;
    // The lean module has no manual mode: it hands the run, at this
    // moment, to the extended module with `m=1`.
    #[cfg(not(feature = "extended"))]
    let manual_toggle = Button { id: Some("manual"), title: Some(tra(l, "raft.manual.title")), label: tra(l, "raft.manual"),
        onclick: Callback::from(|_| {
            let q = crate::ui::app::current_query();
            let q = q.trim_start_matches('?');
            crate::ui::app::open_extended(&if q.is_empty() { "m=1".to_string() } else { format!("{q}&m=1") });
        }), ..Default::default() }.html();
    html! {
        <div class="raft-controls" role="toolbar" aria-label={tr(l, "raft.controls")}>
            <div class="buttons">
                { titled("step-back", "raft.step_back.title", "raft.step_back", Nav::Back) }
                { Button { id: Some("play"), class: Some("primary"), pressed: Some(playing), disabled: stuck,
                    label: tra(l, if playing { "raft.pause" } else { "raft.play" }), onclick: play_click, ..Default::default() }.html() }
                { titled("step-fwd", "raft.step_fwd.title", "raft.step_fwd", Nav::Forward) }
                { Button { id: Some("ff"), title: Some(tra(l, "raft.ff.title")), label: tra(l, "raft.ff"), onclick: nav(Nav::OneSecond), ..Default::default() }.html() }
                { manual_toggle }
                <label class="speed">
                    { text(tr(l, "raft.speed")) }
                    <input id="speed" type="range" min={crate::num::short(SPEED_MIN_LOG)} max={crate::num::short(SPEED_MAX_LOG)} step="0.1"
                        value={f1(speed_log)} oninput={on_speed} aria-valuetext={speed_label.clone()} />
                    <output id="speed-label">{ text(speed_label) }</output>
                </label>
                <span class="clock" id="clock">{ text(trf(l, "raft.clock", &[&super::text::secs(f.now)])) }</span>
                <span id="event-count" data-event={ev.event_count.to_string()} data-horizon={ev.horizon.to_string()}>
                    { text(trf(l, "raft.event_count", &[&ev.event_count, &ev.horizon])) }
                </span>
                { ab_tag(l, h) }
            </div>
            <div class="scrubber">
                <input id="scrubber" type="range" min="0" max={horizon.to_string()} step="1" value={ev.event_count.to_string()}
                    oninput={on_scrub} aria-label={tr(l, "raft.scrubber")} />
                <div class="markers">{ for markers }</div>
            </div>
        </div>
    }
}

/// Scenario picker, cluster size, client load, buggy mode, export / import.
pub(super) fn scenario_bar(l: Lang, h: &Handles, f: &Frame) -> Html {
    let ev = &f.ev;
    let n = ev.nodes.len();
    let preset = &h.preset;
    let on_preset = {
        let open = open_preset(l, h);
        Callback::from(move |e: Event| open.emit(e.target_unchecked_into::<web_sys::HtmlSelectElement>().value()))
    };
    // The A/B partner of this preset: the same run with one option flipped.
    #[cfg(feature = "extended")]
    let pairs = PAIRS.iter().chain(&super::extended::PAIRS);
    #[cfg(not(feature = "extended"))]
    let pairs = PAIRS.iter();
    let pair = pairs.into_iter().find(|p| p.0 == preset.as_str()).map(|&(_, other, key)| {
        let open = open_preset(l, h);
        Button { id: Some("pair"), title: Some(tra(l, "raft.pair.title")), label: tra(l, key), onclick: Callback::from(move |_| open.emit(other.to_string())), ..Default::default() }.html()
    });
    let options = presets::NAMES.iter().map(|&name| option(name, preset_text(l, name).0, preset == name));
    let on_size = {
        let (load_sc, ctl) = (h.load_sc.clone(), h.ctl.clone());
        Callback::from(move |e: Event| {
            let v: u8 = e.target_unchecked_into::<web_sys::HtmlSelectElement>().value().parse().unwrap_or(5);
            let sc = ctl.borrow().resized(v);
            load_sc.emit((String::new(), Ok(sc)));
        })
    };
    let sizes = (1..=9u8).map(|k| option(k.to_string(), k.to_string(), k as usize == n));
    let on_bug = {
        let (load_sc, ctl) = (h.load_sc.clone(), h.ctl.clone());
        Callback::from(move |e: Event| {
            let on = e.target_unchecked_into::<web_sys::HtmlInputElement>().checked();
            let sc = ctl.borrow().with_bug(on);
            load_sc.emit((String::new(), Ok(sc)));
        })
    };
    let on_export = {
        let ctl = h.ctl.clone();
        Callback::from(move |_| download("ringraft-scenario.json", &ctl.borrow().export()))
    };
    let on_import = {
        let load_sc = h.load_sc.clone();
        let dispatch = h.dispatch.clone();
        Callback::from(move |e: Event| {
            let input = e.target_unchecked_into::<web_sys::HtmlInputElement>();
            let Some(file) = input.files().and_then(|fs| fs.get(0)) else { return };
            // Refused before reading: a huge file would exhaust the page's memory.
            // (Whole numbers: formatting an f64 would pull float printing into the wasm.)
            let kb = (file.size() / 1024.0).ceil() as u64;
            if kb > MAX_IMPORT_KB {
                input.set_value("");
                return dispatch.emit(UiAction::Loaded(Err(trf(l, "raft.import.too_big", &[&kb, &MAX_IMPORT_KB]))));
            }
            let Ok(reader) = web_sys::FileReader::new() else { return };
            let r2 = reader.clone();
            let load_sc = load_sc.clone();
            let onload = Closure::once_into_js(move || {
                // The bytes, not text: the browser's UTF-16 string of a
                // 1 MB file, copied over, took ≈ 30 ms of this task.
                let bytes = r2.result().map(|b| js_sys::Uint8Array::new(&b).to_vec()).unwrap_or_default();
                // (Invalid UTF-8 becomes U+FFFD, as the browser's text reading does.)
                let text = String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
                import_in_slices(text, load_sc);
            });
            reader.set_onload(Some(onload.unchecked_ref()));
            let _ = reader.read_as_array_buffer(&file);
            input.set_value("");
        })
    };
    let on_load = h.act.reform(|e: Event| {
        let on = e.target_unchecked_into::<web_sys::HtmlInputElement>().checked();
        Action::SetClientLoad { load: on.then(|| ClientLoad::every(100, 8)) }
    });
    #[cfg(feature = "extended")]
    let read_mode = html! { <>
        { super::extended::features_select(l, &h.ctl.borrow().sim().scenario().raft, &h.set_level) }
        { super::extended::read_mode_select(l, &h.act, ev) }
        { super::extended::membership_options(l, &h.act, ev) }
    </> };
    #[cfg(not(feature = "extended"))]
    let read_mode = Html::default();
    html! {
        <div class="scenario-bar">
            { labelled_select(tr(l, "raft.scenario"), false, "preset", false, on_preset,
                preset.is_empty().then(|| option("", tr(l, "raft.preset.custom"), true)).into_iter().chain(options).collect()) }
            { for pair }
            { labelled_select(tr(l, "raft.cluster_size"), false, "cluster-size", false, on_size, sizes.collect()) }
            { checkbox("client-load", None, ev.client_load.is_some(), tra(l, "raft.client_load"), on_load) }
            { checkbox("buggy", Some(tra(l, "raft.buggy.title")), ev.buggy, tra(l, "raft.buggy"), on_bug) }
            // Protocol options, switched in the run (recorded as actions, so links replay them).
            { checkbox("opt-prevote", Some(tra(l, "raft.opt.pre_vote.title")), ev.pre_vote, AttrValue::Static("PreVote"), option_cb(h, true)) }
            { checkbox("opt-checkquorum", Some(tra(l, "raft.opt.check_quorum.title")), ev.check_quorum, AttrValue::Static("CheckQuorum"), option_cb(h, false)) }
            { read_mode }
            { Button { id: Some("export"), label: tra(l, "raft.export"), onclick: on_export, ..Default::default() }.html() }
            <label class="file-btn">{ text(tr(l, "raft.import")) }
                <input id="import" type="file" accept=".json,application/json" onchange={on_import} />
            </label>
            if let Some(e) = h.ui.load_error.clone() {
                <p id="import-error" class="error" role="alert">{ text(trf(l, "raft.import.error", &[&e])) }</p>
            }
        </div>
    }
}

/// An imported file's work as three tasks after the one that read it, the
/// page answering in between (issue 18): a 1 MB file blocked it for ≈
/// 110–130 ms at once. The JSON is parsed in the first, the scenario read
/// from it in the next, and the last frees the JSON and starts the run. A file that does not read goes the old
/// way, as text (`load_sc` says what is wrong, or hands it to the extended
/// module).
fn import_in_slices(text: String, load_sc: Callback<(String, Result<crate::sim::Scenario, String>)>) {
    fn later(f: impl FnOnce() + 'static) {
        gloo_timers::callback::Timeout::new(0, f).forget();
    }
    later(move || {
        let Ok(v) = crate::sim::scenario::json_value(&text) else { return load_sc.emit((String::new(), Err(text))) };
        later(move || {
            let sc = crate::sim::Scenario::from_value(&v);
            later(move || {
                drop(v);
                load_sc.emit((String::new(), sc.map_err(|_| text)));
            });
        });
    });
}

/// Which run of an A/B comparison the scrubber moves (extended module).
#[cfg(feature = "extended")]
fn ab_tag(l: Lang, h: &Handles) -> Html {
    match h.ctl.borrow().ab.as_ref() {
        Some(ab) => {
            let run = if ab.showing_b { "B" } else { "A" };
            html! { <span class="ab-tag" id="ab-tag" data-run={run}>{ text(trf(l, "raft.ab.tag", &[&run])) }</span> }
        }
        None => Html::default(),
    }
}
#[cfg(not(feature = "extended"))]
fn ab_tag(_: Lang, _: &Handles) -> Html {
    Html::default()
}

/// Bundled presets that differ in one option, A/B: (this one, its
/// partner, the text of the button that opens the partner).
/// (The extended module's presets pair up in `extended::PAIRS`.)
const PAIRS: [(&str, &str, &str); 4] = [
    ("rejoin-without-prevote", "rejoin-with-prevote", "raft.pair.with_prevote"),
    ("rejoin-with-prevote", "rejoin-without-prevote", "raft.pair.without_prevote"),
    ("isolated-leader", "check-quorum", "raft.pair.with_check_quorum"),
    ("check-quorum", "isolated-leader", "raft.pair.without_check_quorum"),
];

/// Opens a bundled preset by name: here, or in the extended module when
/// only that one runs it; all but the default arrive with presets.json,
/// fetched the first time.
fn open_preset(l: Lang, h: &Handles) -> Callback<String> {
    let (load_sc, dispatch) = (h.load_sc.clone(), h.dispatch.clone());
    Callback::from(move |v: String| {
        if !presets::exists(&v) {
            if presets::EXTENDED.contains(&v.as_str()) {
                crate::ui::app::open_extended(&format!("view=raft&lang={}&p={v}", l.code()));
            }
            return;
        }
        let (load_sc, dispatch) = (load_sc.clone(), dispatch.clone());
        crate::ui::fetch::fetch_presets(Callback::from(move |r: Result<(), String>| {
            match (r, presets::get(&v)) {
                (_, Some(json)) => load_sc.emit((v.clone(), Err(json.to_string()))),
                (Err(e), None) => dispatch.emit(UiAction::Loaded(Err(e))),
                (Ok(()), None) => {}
            }
        }));
    })
}

/// A protocol option's checkbox: PreVote (`pre_vote`) or CheckQuorum.
fn option_cb(h: &Handles, pre_vote: bool) -> Callback<Event> {
    h.act.reform(move |e: Event| {
        let on = Some(e.target_unchecked_into::<web_sys::HtmlInputElement>().checked());
        if pre_vote {
            Action::set_raft(on, None, None, None)
        } else {
            Action::set_raft(None, on, None, None)
        }
    })
}

/// `<label class="check" title><input type="checkbox" id checked onchange />label</label>`.
#[inline(never)]
pub(super) fn checkbox(id: &'static str, title: Option<AttrValue>, checked: bool, label: AttrValue, onchange: Callback<Event>) -> Html {
    tag!("label" "class": "check", "title": title => html! { <input type="checkbox" {id} {checked} {onchange} /> }, text(label))
}

/// `<label>text <input type="range" …></label>`, applied on change.
#[inline(never)]
fn range(label: String, id: &'static str, max: &'static str, step: &'static str, value: String, onchange: Callback<Event>) -> Html {
    tag!("label" => text(label), html! { <input {id} type="range" min="0" {max} {step} {value} {onchange} /> })
}

/// Latency, jitter, loss, partitions, drop mode.
pub(super) fn network(l: Lang, h: &Handles, f: &Frame) -> Html {
    let ev = &f.ev;
    let n = ev.nodes.len();
    let net = &ev.network;
    let mk = |slider: Slider| {
        let (lo, hi) = (net.latency_min_ms, net.latency_max_ms);
        h.act.reform(move |e: Event| {
            let v = e.target_unchecked_into::<web_sys::HtmlInputElement>().value_as_number().max(0.0);
            match slider {
                Slider::Latency => Action::SetNetwork { latency_min_ms: Some(v as u64), latency_max_ms: Some(v as u64 + (hi - lo)), loss: None, duplicate: None, reorder: None },
                Slider::Jitter => Action::SetNetwork { latency_min_ms: None, latency_max_ms: Some(lo + v as u64), loss: None, duplicate: None, reorder: None },
                Slider::Loss => Action::SetNetwork { latency_min_ms: None, latency_max_ms: None, loss: Some((v / 100.0).min(1.0)), duplicate: None, reorder: None },
            }
        })
    };
    let parts = ev.nodes.iter().map(|nd| {
        let id = nd.id;
        let on = h.ui.side_b.contains(&id);
        let onchange = h.dispatch.reform(move |_| UiAction::ToggleSide(id));
        html! { <label class="check"><input type="checkbox" id={format!("part-{id}")} checked={on} {onchange} />{ text(format!("S{id}")) }</label> }
    });
    let on_partition = {
        let act = h.act.clone();
        let b = h.ui.side_b.clone();
        Callback::from(move |_| {
            let b = b.clone();
            let a: Vec<NodeId> = (1..=n as NodeId).filter(|x| !b.contains(x)).collect();
            if !a.is_empty() && !b.is_empty() {
                act.emit(Action::Partition { groups: vec![a, b] });
            }
        })
    };
    let on_drop_mode = h.dispatch.reform(|_| UiAction::ToggleDropMode);
    let partitioned = !ev.links.groups.is_empty() || !ev.links.cut.is_empty();
    let drop_mode = h.ui.drop_mode;
    let jitter = net.latency_max_ms - net.latency_min_ms;
    let loss = fixed(net.loss * 100.0, 0);
    html! {
        <section class="network panel" id="network">
            { el("h2", None, tr(l, "raft.network")) }
            { range(trf(l, "raft.latency", &[&net.latency_min_ms]), "latency", "200", "5", net.latency_min_ms.to_string(), mk(Slider::Latency)) }
            { range(trf(l, "raft.jitter", &[&jitter]), "jitter", "200", "5", jitter.to_string(), mk(Slider::Jitter)) }
            { range(trf(l, "raft.loss", &[&loss]), "loss", "50", "1", loss.clone(), mk(Slider::Loss)) }
            <fieldset class="partition">
                { el("legend", None, tr(l, "raft.partition.legend")) }
                <div class="part-nodes">{ for parts }</div>
                { Button { id: Some("partition-apply"), label: tra(l, "raft.partition.apply"), onclick: on_partition, ..Default::default() }.html() }
                { Button { id: Some("heal"), label: tra(l, "raft.heal"), disabled: !partitioned, onclick: h.act.reform(|_| Action::Heal),
                    ..Default::default() }.html() }
            </fieldset>
            { Button { id: Some("drop-mode"), pressed: Some(drop_mode), class: drop_mode.then_some("on"), label: tra(l, "raft.drop_mode"),
                onclick: on_drop_mode, ..Default::default() }.html() }
        </section>
    }
}

