//! The Hash ring view: the 64-bit hash space as a circle, membership and
//! weight changes with animated key moves and a migration plan, step-by-step
//! lookups, a comparison of algorithms and a live balance sweep.
//!
//! Components render [`state::RingState`] and send [`state::Action`]s; all
//! placement comes from `crate::ring`.
//!
//! Shareable, embeddable, drivable: [`RingViewProps`] takes a state to load
//! (`crate::link::ring::RingLinkState` JSON, e.g. from a link or a tour step),
//! reports the person's changes as the same JSON, and has an embed mode.

mod compare;
mod draw;
mod geom;
mod state;
mod steps;
mod sweep;

use crate::i18n::{tr, trf, Lang};
use crate::ui::widgets::{bool_str, col, el, f1, labelled_select, num_td, option, swatch, text, thead, tra, Button};
use crate::ring::{fraction, Algorithm, RingError};
use draw::{Painter, Scene};
use geom::{colour, colour_index, group, pct, SIZE};
use state::{Action, RingState, UiError};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{HtmlCanvasElement, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;
use crate::num::fixed;

fn algo_key(a: Algorithm) -> &'static str {
    match a {
        Algorithm::Ring => "ring.algo.ring",
        Algorithm::ModN => "ring.algo.modn",
        Algorithm::Jump => "ring.algo.jump",
        Algorithm::Rendezvous => "ring.algo.rendezvous",
        Algorithm::Maglev => "ring.algo.maglev",
        Algorithm::Bounded => "ring.algo.bounded",
    }
}

fn error_text(l: Lang, e: &UiError) -> String {
    match e {
        UiError::NotANumber(t) => trf(l, "ring.err.nan", &[t]),
        UiError::VnodesRange(t) => trf(l, "ring.err.vnodes", &[t, &state::MAX_VNODES]),
        UiError::KeysRange(t) => trf(l, "ring.err.keys", &[t, &group(state::MAX_KEYS)]),
        UiError::ReplicasRange(t) => trf(l, "ring.err.replicas", &[t, &state::MAX_REPLICAS]),
        UiError::WeightRange(t) => trf(l, "ring.err.weight", &[t, &crate::num::short(state::MAX_WEIGHT)]),
        UiError::TooManyNodes => trf(l, "ring.err.too_many_nodes", &[&state::MAX_NODES]),
        UiError::LastNode => tr(l, "ring.err.last_node").to_string(),
        UiError::EmptyKey => tr(l, "ring.err.empty_key").to_string(),
        UiError::Link(problems) => trf(l, "ring.err.link", &[&problems.join("; ")]),
        UiError::Ring(r) => match r {
            RingError::NoNodes => tr(l, "ring.err.no_nodes").to_string(),
            RingError::DuplicateNode(n) => trf(l, "ring.err.duplicate", &[n]),
            RingError::UnknownNode(n) => trf(l, "ring.err.unknown", &[n]),
            RingError::EmptyName => tr(l, "ring.err.empty_name").to_string(),
            RingError::BadWeight { node, weight } => trf(l, "ring.err.bad_weight", &[node, &crate::num::short(*weight)]),
            RingError::NoCapacity => tr(l, "ring.err.no_capacity").to_string(),
            RingError::BadVnodes(v) => trf(l, "ring.err.vnodes", &[v, &state::MAX_VNODES]),
            RingError::TooManyPoints(p) => trf(l, "ring.err.points", &[p]),
            RingError::BadTableSize { size, .. } => trf(l, "ring.err.table", &[size]),
            RingError::BadEpsilon(e) => trf(l, "ring.err.epsilon", &[&crate::num::short(*e)]),
        },
    }
}

fn preset_key(id: &str) -> &'static str {
    match id {
        "add" => "ring.preset.add",
        "remove" => "ring.preset.remove",
        "modn" => "ring.preset.modn",
        "weights" => "ring.preset.weights",
        "replicas" => "ring.preset.replicas",
        "few-vnodes" => "ring.preset.few-vnodes",
        _ => "ring.preset.pick",
    }
}

fn input_value(e: &Event) -> String {
    e.target_unchecked_into::<HtmlInputElement>().value()
}

/// What the app (links, embeds, the guided tour) gives the ring view.
#[derive(Properties, PartialEq, Default)]
pub struct RingViewProps {
    /// A state to show (`RingLinkState` JSON). Loaded on mount and whenever
    /// it changes, except when it equals what `on_change` last reported
    /// (so the app may feed the reported JSON back). Unusable parts are
    /// reported in the page and replaced by defaults.
    #[prop_or_default]
    pub state: Option<AttrValue>,
    /// Called with the current `RingLinkState` JSON after each change the
    /// person makes (not for loaded states, not per animation frame).
    #[prop_or_default]
    pub on_change: Callback<String>,
    /// Minimal chrome: ring, controls and moved-keys counter; the node
    /// table, lookup, migration plan and sweep sit behind a toggle.
    #[prop_or_default]
    pub embed: bool,
}

#[function_component(RingView)]
pub fn ring_view(props: &RingViewProps) -> Html {
    let l = use_context::<Lang>().unwrap_or_default();
    let st = {
        let initial = props.state.clone();
        use_reducer(move || match initial {
            Some(json) => RingState::from_json(&json, 0),
            None => RingState::default(),
        })
    };
    let rendered_at = state::now_ms();
    let canvas_ref = use_node_ref();
    let root_ref = use_node_ref();
    let painter: Rc<RefCell<Option<Rc<RefCell<Painter>>>>> = use_mut_ref(|| None);
    let key_text = use_state(String::new);
    let more = use_state(|| false);
    let compare_cache: Rc<RefCell<compare::Cache>> = use_mut_ref(|| None);
    // The `state` prop last seen, and the JSON last reported through `on_change`.
    let seen: Rc<RefCell<Option<AttrValue>>> = use_mut_ref(|| props.state.clone());
    let reported: Rc<RefCell<Option<String>>> = use_mut_ref(|| None);

    // Load a new `state` prop (the initial one was loaded above).
    {
        let st = st.clone();
        let (seen, reported) = (seen.clone(), reported.clone());
        use_effect_with(props.state.clone(), move |state| {
            if *seen.borrow() != *state {
                *seen.borrow_mut() = state.clone();
                if let Some(json) = state {
                    if reported.borrow().as_deref() != Some(json.as_str()) {
                        st.dispatch(Action::Load(json.to_string()));
                    }
                }
            }
        });
    }
    // Report the person's changes (the link state changed and they made it).
    {
        let link = st.link();
        let by_user = st.by_user;
        let on_change = props.on_change.clone();
        let reported = reported.clone();
        use_effect_with(link, move |link| {
            if by_user {
                let json = link.to_json();
                *reported.borrow_mut() = Some(json.clone());
                on_change.emit(json);
            }
        });
    }
    // A refused value: the error says what was typed; the inputs go back to
    // the values in force (Yew leaves an unchanged `value` alone).
    {
        let root_ref = root_ref.clone();
        use_effect_with(st.refusals, move |_| {
            let Some(root) = root_ref.cast::<web_sys::Element>() else { return };
            let Ok(inputs) = root.query_selector_all("input[data-value]") else { return };
            for i in 0..inputs.length() {
                if let Some(input) = inputs.item(i).and_then(|n| n.dyn_into::<HtmlInputElement>().ok()) {
                    if let Some(v) = input.get_attribute("data-value") {
                        if input.value() != v {
                            input.set_value(&v);
                        }
                    }
                }
            }
        });
    }

    // Redraw the canvas layer (and animate moved keys) when owners change.
    {
        let st = st.clone();
        let canvas_ref = canvas_ref.clone();
        let painter = painter.clone();
        use_effect_with(st.epoch(), move |_| {
            // Where an add-node click's time goes (read by the benchmark):
            // reducer (`#ring-view[data-compute-ms]`), render + DOM patch, drawing.
            let t_draw = state::now_ms();
            let existing = painter.borrow().clone();
            let p = existing.or_else(|| {
                let created = Rc::new(RefCell::new(Painter::new(canvas_ref.cast::<HtmlCanvasElement>()?)?));
                *painter.borrow_mut() = Some(created.clone());
                Some(created)
            });
            if let Some(p) = p {
                let (moved, names): (&[(u32, u32, u32)], &[String]) = match &st.last {
                    Some(c) => (&c.moved, &c.before_names),
                    None => (&[], &[]),
                };
                let scene = Scene {
                    placement: &st.placement,
                    hashes: &st.hashes,
                    owners: &st.assignment.owners,
                    moved,
                    before_names: names,
                    animate: st.last.is_some(),
                };
                Painter::show(&p, &scene);
            }
            if let Some(c) = canvas_ref.cast::<HtmlCanvasElement>() {
                let end = state::now_ms();
                let _ = c.set_attribute("data-render-ms", &fixed(t_draw - rendered_at, 1));
                let _ = c.set_attribute("data-draw-ms", &fixed(end - t_draw, 1));
            }
        });
    }
    // Stop any running animation when the view goes away.
    {
        let painter = painter.clone();
        use_effect_with((), move |_| move || {
            painter.borrow_mut().take();
        });
    }

    // Keep the current explanation step visible inside its scrolling list
    // (scrolls only the list, never the page).
    {
        let step = st.lookup.as_ref().map(|lk| (lk.step, Rc::as_ptr(&lk.explanation) as usize));
        use_effect_with(step, move |_| {
            let doc = web_sys::window().and_then(|w| w.document());
            let list = doc.as_ref().and_then(|d| d.query_selector("#ring-explain .steps").ok().flatten());
            let cur = doc.as_ref().and_then(|d| d.query_selector("#ring-explain li.current").ok().flatten());
            if let (Some(list), Some(cur)) = (list, cur) {
                if let Ok(cur) = cur.dyn_into::<web_sys::HtmlElement>() {
                    let top = cur.offset_top() - list.client_height() / 2 + cur.offset_height() / 2;
                    list.set_scroll_top(top.max(0));
                }
            }
        });
    }

    let s = &*st;
    let nodes = s.placement.nodes();
    let settings = s.settings();
    let algo = settings.algorithm;

    // Controls.
    let on_algo = {
        let st = st.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Ok(a) = v.parse::<Algorithm>() {
                st.dispatch(Action::SetAlgorithm(a));
            }
        })
    };
    // One dispatch callback; handlers are `reform`s of it.
    let act: Callback<Action> = st.dispatcher().to_callback();
    let on_input = |f: fn(String) -> Action| act.reform(move |e: Event| f(input_value(&e)));
    let on_vnodes = on_input(Action::SetVnodes);
    let on_keys = on_input(Action::SetKeys);
    let on_replicas = on_input(Action::SetReplicas);
    let on_add = act.reform(|_| Action::AddNode);
    let on_preset = {
        let st = st.clone();
        Callback::from(move |e: Event| {
            let id = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Some((_, json)) = crate::link::ring::PRESETS.iter().find(|(p, _)| *p == id) {
                st.dispatch(Action::LoadPreset(json.to_string()));
            }
        })
    };
    let preset_options = crate::link::ring::PRESETS.iter().map(|(id, _)| option(*id, tr(l, preset_key(id)), false));
    let on_compare = act.reform(|_| Action::ToggleCompare);
    let on_dismiss = act.reform(|_| Action::DismissError);
    let on_more = { let more = more.clone(); Callback::from(move |_| more.set(!*more)) };
    // Secondary panels: always in the full view, on request when embedded.
    let details = !props.embed || *more;

    let algo_options = Algorithm::ALL.iter().map(|&a| option(a.id(), tr(l, algo_key(a)), a == algo));

    let controls = html! {
        <div class="ring-controls" role="group" aria-label={tr(l, "ring.controls")}>
            { labelled_select(tr(l, "ring.preset"), false, "ring-preset", true, on_preset,
                std::iter::once(option("", tr(l, "ring.preset.pick"), true)).chain(preset_options).collect()) }
            { labelled_select(tr(l, "ring.algorithm"), false, "ring-algo", true, on_algo, algo_options.collect()) }
            { setting_input(tr(l, "ring.vnodes"), "ring-vnodes", "5", settings.vnodes.to_string(), on_vnodes,
                !matches!(algo, Algorithm::Ring | Algorithm::Bounded)) }
            { setting_input(tr(l, "ring.replicas"), "ring-replicas", "2", s.replicas.to_string(), on_replicas, false) }
            { setting_input(tr(l, "ring.keycount"), "ring-keys", "6", s.keys.len().to_string(), on_keys, false) }
            { Button { id: Some("ring-add-node"), class: Some("btn primary"), aria_label: Some(tra(l, "ring.add_node")),
                label: tra(l, "ring.add_node"), onclick: on_add, ..Default::default() }.html() }
            { toggle_button("ring-compare-toggle", s.compare, tr(l, "ring.compare"), on_compare) }
            if props.embed {
                <button id="ring-more-toggle" class={if *more { "btn on" } else { "btn" }} aria-pressed={bool_str(*more)}
                    aria-controls="ring-details" onclick={on_more}>{ tr(l, if *more { "ring.less" } else { "ring.more" }) }</button>
            }
        </div>
    };

    let error = match &s.error {
        Some(e) => html! {
            <div id="ring-error" class="ring-error" role="alert">
                { el("span", None, error_text(l, e)) }
                { Button { class: Some("btn small"), aria_label: Some(tra(l, "ring.dismiss")), label: AttrValue::Static("×"),
                    onclick: on_dismiss, ..Default::default() }.html() }
            </div>
        },
        None => html! { <div id="ring-error" class="ring-error empty" role="alert"></div> },
    };

    // Click on the drawing: pick the key nearest (by angle) to the click.
    let on_stage_click = {
        let st = st.clone();
        let canvas_ref = canvas_ref.clone();
        Callback::from(move |e: MouseEvent| {
            let Some(c) = canvas_ref.cast::<HtmlCanvasElement>() else { return };
            let r = c.get_bounding_client_rect();
            if r.width() <= 0.0 {
                return;
            }
            let x = (e.client_x() as f64 - r.left()) / r.width() * SIZE - geom::CENTRE;
            let y = (e.client_y() as f64 - r.top()) / r.height() * SIZE - geom::CENTRE;
            let f = ((crate::ui::jsmath::atan2(y, x) + std::f64::consts::FRAC_PI_2) / std::f64::consts::TAU).rem_euclid(1.0);
            let dist = |h: u64| {
                let d = (fraction(h) - f).abs();
                d.min(1.0 - d)
            };
            let best = st.hashes.iter().enumerate().min_by(|a, b| dist(*a.1).total_cmp(&dist(*b.1))).map(|(i, _)| i);
            if let Some(i) = best {
                st.dispatch(Action::PickKey(i));
            }
        })
    };

    let steps = s.lookup.as_ref().map(|lk| (steps::steps(l, &lk.explanation, &s.placement), lk.step));
    let mark = steps.as_ref().and_then(|(v, i)| v.get(*i).map(|x| x.mark.clone()));
    let overlay = overlay(l, s, mark.as_ref());

    let stage = html! {
        <figure class="ring-stage">
            <div class="ring-canvas-wrap" onclick={on_stage_click}>
                <canvas ref={canvas_ref} id="ring-canvas" data-animating="false" width="520" height="520"
                    role="img" aria-label={tr(l, "ring.canvas_label")}></canvas>
                { overlay }
            </div>
            { el("figcaption", None, tr(l, "ring.caption")) }
        </figure>
    };

    // Moved-keys counter and migration plan.
    let migration = match &s.last {
        Some(c) => {
            let m = &c.migration;
            let flows = m.flows.iter().map(|f| html! {
                <tr data-from={f.from.clone()} data-to={f.to.clone()} data-keys={f.keys.to_string()}>
                    <td>{ node_name(&f.from) }</td>
                    <td>{ node_name(&f.to) }</td>
                    { num_td(group(f.keys)) }
                </tr>
            });
            html! {
                <section class="ring-migration" aria-live="polite">
                    <p id="ring-moved" data-moved={m.moved.to_string()} data-keys={m.keys.to_string()}
                        data-fraction={f6(m.moved_fraction)} data-ideal={f6(m.ideal_fraction)}>
                        { text(trf(l, "ring.moved", &[&group(m.moved), &group(m.keys), &pct(m.moved_fraction), &pct(m.ideal_fraction)])) }
                    </p>
                    if m.flows.is_empty() {
                        { el("p", Some("muted"), tr(l, "ring.plan.none")) }
                    } else if details {
                        <table id="ring-plan" class="plan">
                            { el("caption", None, tr(l, "ring.plan")) }
                            { thead(l, &["ring.plan.from", "ring.plan.to", "ring.plan.keys"]) }
                            <tbody>{ for flows }</tbody>
                        </table>
                    }
                </section>
            }
        }
        None => html! { <section class="ring-migration"><p class="muted" id="ring-moved-hint">{ text(tr(l, "ring.moved.none")) }</p></section> },
    };

    // Node table: weight inputs and remove buttons.
    let total = s.keys.len().max(1);
    let node_rows = nodes.iter().enumerate().map(|(i, n)| {
        let name = n.name.clone();
        let on_weight = { let name = name.clone(); act.reform(move |e: Event| Action::SetWeight(name.clone(), input_value(&e))) };
        let on_remove = { let name = name.clone(); act.reform(move |_| Action::RemoveNode(name.clone())) };
        let load = s.assignment.loads.get(i).copied().unwrap_or(0);
        let points = s.placement.ring().map(|r| r.point_counts()[i].to_string()).unwrap_or_else(|| "—".into());
        html! {
            <tr data-node={name.clone()} data-keys={load.to_string()}>
                <th scope="row">{ node_name(&name) }</th>
                <td><input class="ring-weight" type="text" inputmode="decimal" size="4" value={crate::num::short(n.weight)} data-value={crate::num::short(n.weight)}
                    aria-label={trf(l, "ring.weight_of", &[&name])} onchange={on_weight} /></td>
                { num_td(points) }
                <td class="num">{ group(load) }{ el("span", Some("muted"), format!(" ({})", pct(load as f64 / total as f64))) }</td>
                <td><button class="btn small ring-remove-node" data-node={name.clone()} aria-label={trf(l, "ring.remove_node", &[&name])}
                    onclick={on_remove}>{ text(tr(l, "ring.remove")) }</button></td>
            </tr>
        }
    });
    let node_table = html! {
        <table id="ring-nodes" class="nodes">
            { el("caption", None, trf(l, "ring.nodes", &[&nodes.len()])) }
            <thead><tr>
                { col(tr(l, "ring.node")) }{ col(tr(l, "ring.weight")) }
                { col(tr(l, "ring.points")) }{ col(tr(l, "ring.keys")) }<th scope="col">{ el("span", Some("sr-only"), tr(l, "ring.remove")) }</th>
            </tr></thead>
            <tbody>{ for node_rows }</tbody>
        </table>
    };

    // Lookup form and explanation.
    let on_key_input = { let key_text = key_text.clone(); Callback::from(move |e: InputEvent| key_text.set(e.target_unchecked_into::<HtmlInputElement>().value())) };
    let on_lookup = {
        let st = st.clone();
        let key_text = key_text.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            st.dispatch(Action::LookupKey((*key_text).clone()));
        })
    };
    let explain = match (&s.lookup, &steps) {
        (Some(lk), Some((list, cur))) => {
            let cur = (*cur).min(list.len().saturating_sub(1));
            let last = list.len().saturating_sub(1);
            let to = |i: usize| act.reform(move |_| Action::StepTo(i));
            let items = list.iter().enumerate().map(|(i, step)| {
                let onclick = to(i);
                html! {
                    <li data-step={i.to_string()} class={(i == cur).then_some("current")} aria-current={(i == cur).then_some("step")}>
                        { Button { class: Some("step-btn"), label: step.text.clone().into(), onclick, ..Default::default() }.html() }
                    </li>
                }
            });
            let close = act.reform(|_| Action::CloseLookup);
            html! {
                <section id="ring-explain" class="explain" data-key={state::explanation_key(&lk.explanation).to_string()}
                    data-owner={lk.explanation.owner().to_string()} data-current-step={cur.to_string()} data-steps={list.len().to_string()}>
                    { el("h3", None, trf(l, "ring.explain.title", &[&state::explanation_key(&lk.explanation), &lk.explanation.owner()])) }
                    <div class="step-nav">
                        { labelled_button(Some("explain-back"), "btn", tr(l, "ring.back"), cur == 0, to(cur.saturating_sub(1))) }
                        { el("span", Some("muted"), trf(l, "ring.step_of", &[&(cur + 1), &list.len()])) }
                        { labelled_button(Some("explain-next"), "btn", tr(l, "ring.next"), cur >= last, to((cur + 1).min(last))) }
                        { labelled_button(None, "btn small", tr(l, "ring.close"), false, close) }
                    </div>
                    <ol class="steps">{ for items }</ol>
                </section>
            }
        }
        _ => el("p", Some("muted"), tr(l, "ring.explain.hint")),
    };
    let lookup = html! {
        <section class="ring-lookup">
            <form onsubmit={on_lookup} class="lookup-form">
                <label for="ring-key-input">{ text(tr(l, "ring.lookup_label")) }</label>
                <input id="ring-key-input" type="text" placeholder="key-42" value={(*key_text).clone()} oninput={on_key_input}
                    aria-label={tr(l, "ring.lookup_label")} />
                <button id="ring-lookup" class="btn" type="submit">{ text(tr(l, "ring.lookup")) }</button>
            </form>
            { explain }
        </section>
    };

    let compare = if s.compare {
        let (before, change) = compare::change_for(s);
        let what = compare::CompareProps { before, change, settings: settings.clone(), keys: s.keys.clone() };
        compare::compare_panel(l, &what, &compare_cache)
    } else {
        html! {}
    };

    html! {
        <section id="ring-view" ref={root_ref} class={if props.embed { "ring-view embed" } else { "ring-view" }} data-algo={algo.id()}
            data-nodes={nodes.len().to_string()} data-embed={bool_str(props.embed)} data-compute-ms={f1(s.compute_ms)}>
            { el("h2", Some("sr-only"), tr(l, "view.ring")) }
            { controls }
            { error }
            <div class="ring-main">
                { stage }
                <div class="ring-side">
                    { migration }
                    if details {
                        <div id="ring-details" class="ring-details">
                            { node_table }
                            { lookup }
                        </div>
                    }
                </div>
            </div>
            { compare }
            if details {
                <sweep::SweepChart nodes={Rc::new(nodes.to_vec())} keys={s.keys.clone()} vnodes={settings.vnodes} />
            }
        </section>
    }
}

/// SVG on top of the canvas: node badges and the current explanation step.
fn overlay(l: Lang, s: &RingState, mark: Option<&steps::Mark>) -> Html {
    let nodes = s.placement.nodes();
    let n = nodes.len();
    let show_names = n <= 24;
    let owners: &[String] = mark.map(|m| m.owners.as_slice()).unwrap_or(&[]);
    let badges = nodes.iter().enumerate().map(|(i, node)| {
        let (x, y) = geom::badge_xy(i, n);
        let is_owner = owners.contains(&node.name);
        let r = if show_names { 13.0 } else { 5.0 };
        html! {
            <g class={if is_owner { "badge owner" } else { "badge" }} data-node={node.name.clone()}>
                <circle cx={f1(x)} cy={f1(y)} r={crate::num::short(if is_owner { r + 4.0 } else { r })}
                    fill={colour(colour_index(&node.name))} />
                if show_names {
                    <text x={f1(x)} y={f1(y + 4.5)} text-anchor="middle">{ text(node.name.clone()) }</text>
                }
            </g>
        }
    });
    let marks = match mark {
        Some(m) => {
            let key = m.key.map(|f| {
                let (x0, y0) = geom::polar(f, geom::R_KEY_IN - 12.0);
                let (x1, y1) = geom::polar(f, geom::R_ARC + 22.0);
                html! { <g class="mark-key">
                    { crate::ui::widgets::svg_line(None, x0, y0, x1, y1) }
                    <circle cx={f1(x1)} cy={f1(y1)} r="5" />
                </g> }
            });
            let range = m.range.map(|(a, b)| {
                let (a, b) = if b < a { (a, b + 1.0) } else { (a, b) };
                let r = geom::R_ARC + 26.0;
                let (x0, y0) = geom::polar(a, r);
                let (x1, y1) = geom::polar(b, r);
                let large = if b - a > 0.5 { 1 } else { 0 };
                html! { <path class="mark-range" d={format!("M {} {} A {r} {r} 0 {large} 1 {} {}", fixed(x0, 1), fixed(y0, 1), fixed(x1, 1), fixed(y1, 1), r = crate::num::short(r))} /> }
            });
            let point = m.point.map(|(f, _)| {
                let (x0, y0) = geom::polar(f, geom::R_ARC - 12.0);
                let (x1, y1) = geom::polar(f, geom::R_ARC + 16.0);
                crate::ui::widgets::svg_line(Some(if m.skipped { "mark-point skipped" } else { "mark-point" }), x0, y0, x1, y1)
            });
            html! { <>{ for key }{ for range }{ for point }</> }
        }
        None => html! {},
    };
    html! {
        <svg class="ring-overlay" viewBox={format!("0 0 {s} {s}", s = crate::num::short(SIZE))} aria-hidden="true" focusable="false">
            { for badges }
            { marks }
            <text class="zero" x={crate::num::short(geom::CENTRE)} y="14" text-anchor="middle">{ text(tr(l, "ring.zero")) }</text>
        </svg>
    }
}

/// A labelled numeric setting (`data-value` holds the value in force).
#[inline(never)]
fn setting_input(label: &'static str, id: &'static str, size: &'static str, value: String, onchange: Callback<Event>, disabled: bool) -> Html {
    let value = AttrValue::from(value);
    html! {
        <label>{ text(label) }
            <input {id} type="text" inputmode="numeric" {size} aria-label={label}
                value={value.clone()} data-value={value} {onchange} {disabled} />
        </label>
    }
}

/// A `btn` that is pressed or not (`class="btn on"`, `aria-pressed`).
#[inline(never)]
fn toggle_button(id: &'static str, on: bool, label: &'static str, onclick: Callback<MouseEvent>) -> Html {
    Button { id: Some(id), class: Some(if on { "btn on" } else { "btn" }), pressed: Some(on), label: AttrValue::Static(label), onclick, ..Default::default() }
        .html()
}

/// A button whose label is also its `aria-label`.
#[inline(never)]
fn labelled_button(id: Option<&'static str>, class: &'static str, label: &'static str, disabled: bool, onclick: Callback<MouseEvent>) -> Html {
    Button { id, class: Some(class), aria_label: Some(AttrValue::Static(label)), disabled, label: AttrValue::Static(label), onclick, ..Default::default() }.html()
}

/// A node's colour swatch and its name (in a table cell).
#[inline(never)]
fn node_name(name: &str) -> Html {
    html! { <>{ swatch(&colour(colour_index(name)), false) }{ text(name.to_string()) }</> }
}

/// `v` with six decimals (data attributes the tests read).
#[inline(never)]
fn f6(v: f64) -> String {
    fixed(v, 6)
}
