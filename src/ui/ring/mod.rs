//! The Hash ring view: the 64-bit hash space as a circle, membership and
//! weight changes with animated key moves and a migration plan, step-by-step
//! lookups, a comparison of algorithms and a live balance sweep.
//!
//! Components render [`state::RingState`] and send [`state::Action`]s; all
//! placement comes from `crate::ring`.
//!
//! Shareable, embeddable, drivable: [`RingViewProps`] takes a state to load
//! (`crate::ringlink::RingLinkState` JSON, e.g. from a link or a tour step),
//! reports the person's changes as the same JSON, and has an embed mode.

mod compare;
mod draw;
mod geom;
mod state;
mod steps;
mod sweep;

use crate::i18n::{tr, trf, Lang};
use crate::ring::{fraction, Algorithm, RingError};
use draw::{Painter, Scene};
use geom::{colour, colour_index, group, pct, SIZE};
use state::{Action, RingState, UiError};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{HtmlCanvasElement, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

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
        UiError::WeightRange(t) => trf(l, "ring.err.weight", &[t, &state::MAX_WEIGHT]),
        UiError::TooManyNodes => trf(l, "ring.err.too_many_nodes", &[&state::MAX_NODES]),
        UiError::LastNode => tr(l, "ring.err.last_node").to_string(),
        UiError::EmptyKey => tr(l, "ring.err.empty_key").to_string(),
        UiError::Link(problems) => trf(l, "ring.err.link", &[&problems.join("; ")]),
        UiError::Ring(r) => match r {
            RingError::NoNodes => tr(l, "ring.err.no_nodes").to_string(),
            RingError::DuplicateNode(n) => trf(l, "ring.err.duplicate", &[n]),
            RingError::UnknownNode(n) => trf(l, "ring.err.unknown", &[n]),
            RingError::EmptyName => tr(l, "ring.err.empty_name").to_string(),
            RingError::BadWeight { node, weight } => trf(l, "ring.err.bad_weight", &[node, weight]),
            RingError::NoCapacity => tr(l, "ring.err.no_capacity").to_string(),
            RingError::BadVnodes(v) => trf(l, "ring.err.vnodes", &[v, &state::MAX_VNODES]),
            RingError::TooManyPoints(p) => trf(l, "ring.err.points", &[p]),
            RingError::BadTableSize { size, .. } => trf(l, "ring.err.table", &[size]),
            RingError::BadEpsilon(e) => trf(l, "ring.err.epsilon", &[e]),
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
                let _ = c.set_attribute("data-render-ms", &format!("{:.1}", t_draw - rendered_at));
                let _ = c.set_attribute("data-draw-ms", &format!("{:.1}", end - t_draw));
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
    let on_vnodes = { let st = st.clone(); Callback::from(move |e: Event| st.dispatch(Action::SetVnodes(input_value(&e)))) };
    let on_keys = { let st = st.clone(); Callback::from(move |e: Event| st.dispatch(Action::SetKeys(input_value(&e)))) };
    let on_replicas = { let st = st.clone(); Callback::from(move |e: Event| st.dispatch(Action::SetReplicas(input_value(&e)))) };
    let on_add = { let st = st.clone(); Callback::from(move |_| st.dispatch(Action::AddNode)) };
    let on_preset = {
        let st = st.clone();
        Callback::from(move |e: Event| {
            let id = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Some((_, json)) = crate::ringlink::PRESETS.iter().find(|(p, _)| *p == id) {
                st.dispatch(Action::LoadPreset(json.to_string()));
            }
        })
    };
    let preset_options = crate::ringlink::PRESETS.iter().map(|(id, _)| {
        html! { <option value={*id}>{ tr(l, preset_key(id)) }</option> }
    });
    let on_compare = { let st = st.clone(); Callback::from(move |_| st.dispatch(Action::ToggleCompare)) };
    let on_dismiss = { let st = st.clone(); Callback::from(move |_| st.dispatch(Action::DismissError)) };
    let on_more = { let more = more.clone(); Callback::from(move |_| more.set(!*more)) };
    // Secondary panels: always in the full view, on request when embedded.
    let details = !props.embed || *more;

    let algo_options = Algorithm::ALL.iter().map(|&a| {
        html! { <option value={a.id()} selected={a == algo}>{ tr(l, algo_key(a)) }</option> }
    });

    let controls = html! {
        <div class="ring-controls" role="group" aria-label={tr(l, "ring.controls")}>
            <label>{ tr(l, "ring.preset") }
                <select id="ring-preset" aria-label={tr(l, "ring.preset")} onchange={on_preset}>
                    <option value="" selected=true>{ tr(l, "ring.preset.pick") }</option>
                    { for preset_options }
                </select>
            </label>
            <label>{ tr(l, "ring.algorithm") }
                <select id="ring-algo" aria-label={tr(l, "ring.algorithm")} onchange={on_algo}>{ for algo_options }</select>
            </label>
            <label>{ tr(l, "ring.vnodes") }
                <input id="ring-vnodes" type="text" inputmode="numeric" size="5" aria-label={tr(l, "ring.vnodes")}
                    value={settings.vnodes.to_string()} data-value={settings.vnodes.to_string()} onchange={on_vnodes}
                    disabled={!matches!(algo, Algorithm::Ring | Algorithm::Bounded)} />
            </label>
            <label>{ tr(l, "ring.replicas") }
                <input id="ring-replicas" type="text" inputmode="numeric" size="2" aria-label={tr(l, "ring.replicas")}
                    value={s.replicas.to_string()} data-value={s.replicas.to_string()} onchange={on_replicas} />
            </label>
            <label>{ tr(l, "ring.keycount") }
                <input id="ring-keys" type="text" inputmode="numeric" size="6" aria-label={tr(l, "ring.keycount")}
                    value={s.keys.len().to_string()} data-value={s.keys.len().to_string()} onchange={on_keys} />
            </label>
            <button id="ring-add-node" class="btn primary" onclick={on_add} aria-label={tr(l, "ring.add_node")}>{ tr(l, "ring.add_node") }</button>
            <button id="ring-compare-toggle" class={classes!("btn", s.compare.then_some("on"))} aria-pressed={s.compare.to_string()}
                onclick={on_compare}>{ tr(l, "ring.compare") }</button>
            if props.embed {
                <button id="ring-more-toggle" class={classes!("btn", (*more).then_some("on"))} aria-pressed={more.to_string()}
                    aria-controls="ring-details" onclick={on_more}>{ tr(l, if *more { "ring.less" } else { "ring.more" }) }</button>
            }
        </div>
    };

    let error = match &s.error {
        Some(e) => html! {
            <div id="ring-error" class="ring-error" role="alert">
                <span>{ error_text(l, e) }</span>
                <button class="btn small" onclick={on_dismiss} aria-label={tr(l, "ring.dismiss")}>{"×"}</button>
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
            let f = ((y.atan2(x) + std::f64::consts::FRAC_PI_2) / std::f64::consts::TAU).rem_euclid(1.0);
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
            <figcaption>{ tr(l, "ring.caption") }</figcaption>
        </figure>
    };

    // Moved-keys counter and migration plan.
    let migration = match &s.last {
        Some(c) => {
            let m = &c.migration;
            let flows = m.flows.iter().map(|f| html! {
                <tr data-from={f.from.clone()} data-to={f.to.clone()} data-keys={f.keys.to_string()}>
                    <td><span class="swatch" style={format!("background:{}", colour(colour_index(&f.from)))}></span>{ &f.from }</td>
                    <td><span class="swatch" style={format!("background:{}", colour(colour_index(&f.to)))}></span>{ &f.to }</td>
                    <td class="num">{ group(f.keys) }</td>
                </tr>
            });
            html! {
                <section class="ring-migration" aria-live="polite">
                    <p id="ring-moved" data-moved={m.moved.to_string()} data-keys={m.keys.to_string()}
                        data-fraction={format!("{:.6}", m.moved_fraction)} data-ideal={format!("{:.6}", m.ideal_fraction)}>
                        { trf(l, "ring.moved", &[&group(m.moved), &group(m.keys), &pct(m.moved_fraction), &pct(m.ideal_fraction)]) }
                    </p>
                    if m.flows.is_empty() {
                        <p class="muted">{ tr(l, "ring.plan.none") }</p>
                    } else if details {
                        <table id="ring-plan" class="plan">
                            <caption>{ tr(l, "ring.plan") }</caption>
                            <thead><tr><th scope="col">{ tr(l, "ring.plan.from") }</th><th scope="col">{ tr(l, "ring.plan.to") }</th><th scope="col">{ tr(l, "ring.plan.keys") }</th></tr></thead>
                            <tbody>{ for flows }</tbody>
                        </table>
                    }
                </section>
            }
        }
        None => html! { <section class="ring-migration"><p class="muted" id="ring-moved-hint">{ tr(l, "ring.moved.none") }</p></section> },
    };

    // Node table: weight inputs and remove buttons.
    let total = s.keys.len().max(1);
    let node_rows = nodes.iter().enumerate().map(|(i, n)| {
        let name = n.name.clone();
        let on_weight = { let st = st.clone(); let name = name.clone(); Callback::from(move |e: Event| st.dispatch(Action::SetWeight(name.clone(), input_value(&e)))) };
        let on_remove = { let st = st.clone(); let name = name.clone(); Callback::from(move |_| st.dispatch(Action::RemoveNode(name.clone()))) };
        let load = s.assignment.loads.get(i).copied().unwrap_or(0);
        let points = s.placement.ring().map(|r| r.point_counts()[i].to_string()).unwrap_or_else(|| "—".into());
        html! {
            <tr data-node={name.clone()} data-keys={load.to_string()}>
                <th scope="row"><span class="swatch" style={format!("background:{}", colour(colour_index(&name)))}></span>{ &name }</th>
                <td><input class="ring-weight" type="text" inputmode="decimal" size="4" value={n.weight.to_string()} data-value={n.weight.to_string()}
                    aria-label={trf(l, "ring.weight_of", &[&name])} onchange={on_weight} /></td>
                <td class="num">{ points }</td>
                <td class="num">{ group(load) }<span class="muted">{ format!(" ({})", pct(load as f64 / total as f64)) }</span></td>
                <td><button class="btn small ring-remove-node" data-node={name.clone()} aria-label={trf(l, "ring.remove_node", &[&name])}
                    onclick={on_remove}>{ tr(l, "ring.remove") }</button></td>
            </tr>
        }
    });
    let node_table = html! {
        <table id="ring-nodes" class="nodes">
            <caption>{ trf(l, "ring.nodes", &[&nodes.len()]) }</caption>
            <thead><tr>
                <th scope="col">{ tr(l, "ring.node") }</th><th scope="col">{ tr(l, "ring.weight") }</th>
                <th scope="col">{ tr(l, "ring.points") }</th><th scope="col">{ tr(l, "ring.keys") }</th><th scope="col"><span class="sr-only">{ tr(l, "ring.remove") }</span></th>
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
            let to = |i: usize| { let st = st.clone(); Callback::from(move |_| st.dispatch(Action::StepTo(i))) };
            let items = list.iter().enumerate().map(|(i, step)| {
                let onclick = to(i);
                html! {
                    <li data-step={i.to_string()} class={classes!((i == cur).then_some("current"))} aria-current={(i == cur).then_some("step")}>
                        <button class="step-btn" {onclick}>{ &step.text }</button>
                    </li>
                }
            });
            let close = { let st = st.clone(); Callback::from(move |_| st.dispatch(Action::CloseLookup)) };
            html! {
                <section id="ring-explain" class="explain" data-key={state::explanation_key(&lk.explanation).to_string()}
                    data-owner={lk.explanation.owner().to_string()} data-current-step={cur.to_string()} data-steps={list.len().to_string()}>
                    <h3>{ trf(l, "ring.explain.title", &[&state::explanation_key(&lk.explanation), &lk.explanation.owner()]) }</h3>
                    <div class="step-nav">
                        <button id="explain-back" class="btn" disabled={cur == 0} onclick={to(cur.saturating_sub(1))}
                            aria-label={tr(l, "ring.back")}>{ tr(l, "ring.back") }</button>
                        <span class="muted">{ trf(l, "ring.step_of", &[&(cur + 1), &list.len()]) }</span>
                        <button id="explain-next" class="btn" disabled={cur >= last} onclick={to((cur + 1).min(last))}
                            aria-label={tr(l, "ring.next")}>{ tr(l, "ring.next") }</button>
                        <button class="btn small" onclick={close} aria-label={tr(l, "ring.close")}>{ tr(l, "ring.close") }</button>
                    </div>
                    <ol class="steps">{ for items }</ol>
                </section>
            }
        }
        _ => html! { <p class="muted">{ tr(l, "ring.explain.hint") }</p> },
    };
    let lookup = html! {
        <section class="ring-lookup">
            <form onsubmit={on_lookup} class="lookup-form">
                <label for="ring-key-input">{ tr(l, "ring.lookup_label") }</label>
                <input id="ring-key-input" type="text" placeholder="key-42" value={(*key_text).clone()} oninput={on_key_input}
                    aria-label={tr(l, "ring.lookup_label")} />
                <button id="ring-lookup" class="btn" type="submit">{ tr(l, "ring.lookup") }</button>
            </form>
            { explain }
        </section>
    };

    let compare = if s.compare {
        let (before, change) = compare::change_for(s);
        html! { <compare::ComparePanel before={before} change={change} settings={settings.clone()} keys={s.keys.clone()} /> }
    } else {
        html! {}
    };

    html! {
        <section id="ring-view" ref={root_ref} class={classes!("ring-view", props.embed.then_some("embed"))} data-algo={algo.id()}
            data-nodes={nodes.len().to_string()} data-embed={props.embed.to_string()} data-compute-ms={format!("{:.1}", s.compute_ms)}>
            <h2 class="sr-only">{ tr(l, "view.ring") }</h2>
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
            <g class={classes!("badge", is_owner.then_some("owner"))} data-node={node.name.clone()}>
                <circle cx={format!("{x:.1}")} cy={format!("{y:.1}")} r={format!("{}", if is_owner { r + 4.0 } else { r })}
                    fill={colour(colour_index(&node.name))} />
                if show_names {
                    <text x={format!("{x:.1}")} y={format!("{:.1}", y + 4.5)} text-anchor="middle">{ &node.name }</text>
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
                    <line x1={format!("{x0:.1}")} y1={format!("{y0:.1}")} x2={format!("{x1:.1}")} y2={format!("{y1:.1}")} />
                    <circle cx={format!("{x1:.1}")} cy={format!("{y1:.1}")} r="5" />
                </g> }
            });
            let range = m.range.map(|(a, b)| {
                let (a, b) = if b < a { (a, b + 1.0) } else { (a, b) };
                let r = geom::R_ARC + 26.0;
                let (x0, y0) = geom::polar(a, r);
                let (x1, y1) = geom::polar(b, r);
                let large = if b - a > 0.5 { 1 } else { 0 };
                html! { <path class="mark-range" d={format!("M {x0:.1} {y0:.1} A {r} {r} 0 {large} 1 {x1:.1} {y1:.1}")} /> }
            });
            let point = m.point.map(|(f, _)| {
                let (x0, y0) = geom::polar(f, geom::R_ARC - 12.0);
                let (x1, y1) = geom::polar(f, geom::R_ARC + 16.0);
                html! { <line class={classes!("mark-point", m.skipped.then_some("skipped"))}
                    x1={format!("{x0:.1}")} y1={format!("{y0:.1}")} x2={format!("{x1:.1}")} y2={format!("{y1:.1}")} /> }
            });
            html! { <>{ for key }{ for range }{ for point }</> }
        }
        None => html! {},
    };
    html! {
        <svg class="ring-overlay" viewBox={format!("0 0 {SIZE} {SIZE}")} aria-hidden="true" focusable="false">
            { for badges }
            { marks }
            <text class="zero" x={format!("{}", geom::CENTRE)} y="14" text-anchor="middle">{ tr(l, "ring.zero") }</text>
        </svg>
    }
}
