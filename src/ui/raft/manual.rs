//! Manual mode in the page (issue 16, extended module): nothing happens by
//! itself; the panel lists every event that can happen next (`World::enabled`)
//! and a choice is one `Action::Take`, kept in history like any action —
//! so step back, the scrubber, links and export work on a run built by hand.
//! Clicking a message in the drawing delivers it; a server's timer ring
//! fires it (`cluster.rs`).

use yew::prelude::*;

use crate::i18n::explain::step as step_text;
use crate::i18n::{tr, Lang};
use crate::raft::NodeId;
use crate::sim::schedule::{MessageKind, MessageRef, Step};
use crate::sim::{Action, InFlight, TimerKind};
use crate::ui::widgets::{el, text, tra, Button};

use super::controller::{EventFrame, Frame};

/// The schedule's name for a message on the wire.
pub fn message_ref(m: &InFlight) -> MessageRef {
    MessageRef { from: m.from, to: m.to, kind: MessageKind::of(&m.msg), seq: m.seq }
}

/// Take `step` now.
fn take(act: &Callback<Action>, step: Step) -> Callback<MouseEvent> {
    act.reform(move |_: MouseEvent| Action::Take { step: step.clone() })
}

/// The switch in the controls: into manual mode (playing stops), or back to timed.
pub fn toggle(l: Lang, ev: &EventFrame, act: &Callback<Action>, set_play: &Callback<bool>) -> Html {
    let on = ev.manual;
    let onclick = {
        let (act, set_play) = (act.clone(), set_play.clone());
        Callback::from(move |_: MouseEvent| {
            set_play.emit(false);
            act.emit(Action::Manual { on: !on });
        })
    };
    Button {
        id: Some("manual"),
        title: Some(tra(l, "raft.manual.title")),
        pressed: Some(on),
        label: tra(l, if on { "raft.manual.off" } else { "raft.manual" }),
        onclick,
        ..Default::default()
    }
    .html()
}

/// One choice: a button that takes the step, named by what it does.
fn choice(step: &Step, label: String, act: &Callback<Action>) -> Html {
    let data = serde_json::to_string(step).unwrap_or_default();
    html! {
        <button type="button" class="step" data-step={data} onclick={take(act, step.clone())}>{ text(label) }</button>
    }
}

/// The panel of next events, grouped: timers, messages (deliver, or drop /
/// duplicate beside it), servers (crash / restart), the client.
pub fn panel(l: Lang, f: &Frame, act: &Callback<Action>) -> Html {
    let ev = &f.ev;
    if !ev.manual {
        return Html::default();
    }
    let (mut timers, mut msgs, mut servers, mut client) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for s in &ev.enabled {
        match s {
            Step::Timeout { .. } => timers.push(choice(s, step_text(l, s, None), act)),
            Step::Deliver(r) => {
                let m = f.messages.iter().find(|m| message_ref(m) == *r).map(|m| &m.msg);
                let side = |step: Step, mark: &'static str, key: &'static str| {
                    let data = serde_json::to_string(&step).unwrap_or_default();
                    html! {
                        <button type="button" class="step side" data-step={data} title={tr(l, key)} aria-label={format!("{}: {}", tr(l, key), step_text(l, &step, m))}
                            onclick={take(act, step.clone())}>{ mark }</button>
                    }
                };
                msgs.push(html! {
                    <li>
                        { choice(s, step_text(l, s, m), act) }
                        { side(Step::Drop(*r), "✕", "raft.manual.drop") }
                        { side(Step::Duplicate(*r), "2×", "raft.manual.duplicate") }
                    </li>
                });
            }
            Step::Crash { .. } | Step::Restart { .. } | Step::AddServer { .. } | Step::RemoveServer { .. } => servers.push(choice(s, step_text(l, s, None), act)),
            Step::Request { .. } => client.push(choice(s, step_text(l, s, None), act)),
            Step::Drop(_) | Step::Duplicate(_) => {}
        }
    }
    let group = |key: &'static str, id: &'static str, items: Vec<Html>| {
        if items.is_empty() {
            return Html::default();
        }
        html! { <div class="step-group" {id}>{ el("h3", None, tr(l, key)) }<div class="steps">{ for items }</div></div> }
    };
    let nothing = timers.is_empty() && msgs.is_empty();
    html! {
        <section class="panel manual-panel" id="manual-panel" aria-live="polite" data-enabled={ev.enabled.len().to_string()}>
            { el("h2", None, tr(l, "raft.manual.heading")) }
            if nothing { { el("p", Some("hint"), tr(l, "raft.manual.none")) } }
            { group("raft.manual.timers", "steps-timers", timers) }
            if !msgs.is_empty() {
                <div class="step-group" id="steps-messages">{ el("h3", None, tr(l, "raft.manual.messages")) }<ul class="steps">{ for msgs }</ul></div>
            }
            { group("raft.manual.servers", "steps-servers", servers) }
            { group("raft.manual.client", "steps-client", client) }
            { el("p", Some("hint"), tr(l, "raft.manual.hint")) }
        </section>
    }
}

/// A click on a message in the drawing, in manual mode: deliver it now.
pub fn deliver(w: &crate::sim::World, id: u64) -> Option<Action> {
    let m = w.messages().find(|m| m.id == id && m.dropped_at.is_none())?;
    Some(Action::Take { step: Step::Deliver(message_ref(m)) })
}

/// A click on a server's timer ring, in manual mode: fire its election
/// timer if armed, else its heartbeat timer.
pub fn fire(ev: &EventFrame, node: NodeId) -> Option<Action> {
    [TimerKind::Election, TimerKind::Heartbeat]
        .into_iter()
        .map(|timer| Step::Timeout { node, timer })
        .find(|s| ev.enabled.contains(s))
        .map(|step| Action::Take { step })
}
