//! A client write, one step at a time: hash → shard → leader (redirect) →
//! replicated → committed → acknowledged.

use yew::prelude::*;

use super::Handle;
use crate::ui::widgets::{el_id, cls, el, text, when, Button};
use crate::cluster::{ClusterAction, WriteStatus, WriteStep, MAX_KEY_LEN, MAX_VALUE_LEN};
use crate::i18n::{tr, trf, Lang};
use crate::num::fixed;

fn fail_key(id: &str) -> &'static str {
    match id {
        "no_live_replica" => "cluster.fail.no_live_replica",
        "no_leader" => "cluster.fail.no_leader",
        "leader_lost" => "cluster.fail.leader_lost",
        _ => "cluster.fail.timed_out",
    }
}

fn describe(l: Lang, key: &str, step: &WriteStep) -> String {
    match step {
        WriteStep::Hashed { hash, fraction } => {
            trf(l, "cluster.step.hashed", &[&key, &format!("{hash:#018x}"), &fixed(fraction * 100.0, 1)])
        }
        WriteStep::Routed { shard, replicas } => trf(l, "cluster.step.routed", &[shard, &replicas.join(", ")]),
        WriteStep::Sent { server } => trf(l, "cluster.step.sent", &[server]),
        WriteStep::Redirected { from, to: Some(to) } => trf(l, "cluster.step.redirected", &[from, to]),
        WriteStep::Redirected { from, to: None } => trf(l, "cluster.step.redirected.none", &[from]),
        WriteStep::Appended { server, index, term } => trf(l, "cluster.step.appended", &[server, index, term]),
        WriteStep::Replicated { server } => trf(l, "cluster.step.replicated", &[server]),
        WriteStep::Committed { servers } => trf(l, "cluster.step.committed", &[&servers.join(", ")]),
        WriteStep::Acknowledged { server } => trf(l, "cluster.step.acknowledged", &[server]),
        WriteStep::Failed { reason } => trf(l, "cluster.step.failed", &[&tr(l, fail_key(reason.id()))]),
    }
}

/// The write form and the shown write's steps. `key_ref` / `value_ref`
/// are the form's inputs (node refs owned by the view).
pub fn write_panel(l: Lang, h: &Handle, key_ref: &NodeRef, value_ref: &NodeRef) -> Html {
    let submit = {
        let (key_ref, value_ref) = (key_ref.clone(), value_ref.clone());
        h.act(move |c, e: SubmitEvent| {
            e.prevent_default();
            let read = |r: &NodeRef| r.cast::<web_sys::HtmlInputElement>().map(|i| i.value()).unwrap_or_default();
            let key = read(&key_ref).trim().to_string();
            if key.is_empty() {
                return;
            }
            let mut value = read(&value_ref).trim().to_string();
            if value.is_empty() {
                // Numbered by the writes so far, so a loaded link continues the sequence.
                value = format!("v{}", c.cluster.writes().len() + 1);
            }
            c.act(ClusterAction::Put { key, value });
        })
    };
    let next = h.act(|c, _: MouseEvent| {
        c.playing = false;
        c.next_step();
    });
    let back = h.act(|c, _: MouseEvent| {
        c.playing = false;
        c.shown = c.shown.saturating_sub(1).max(1);
    });

    let c = h.ctl.borrow();
    let trace = c.write.and_then(|id| c.cluster.write(id)).cloned();
    let body = match &trace {
        None => el("p", Some("muted"), tr(l, "cluster.write.none")),
        Some(w) => {
            let shown = c.shown.min(w.steps.len());
            // The status of what is shown, so stepping back un-acknowledges.
            let status = match w.steps[..shown].last().map(|s| s.step.id()) {
                Some("acknowledged") => WriteStatus::Acknowledged,
                Some("failed") => WriteStatus::Failed,
                _ => WriteStatus::Pending,
            };
            let can_next = shown < w.steps.len() || w.status == WriteStatus::Pending;
            let status_key = match status {
                WriteStatus::Pending => "cluster.write.pending",
                WriteStatus::Acknowledged => "cluster.write.acknowledged",
                WriteStatus::Failed => "cluster.write.failed",
            };
            let items = w.steps[..shown].iter().enumerate().map(|(i, s)| {
                let current = i + 1 == shown;
                html! {
                    <li data-step={s.step.id()} class={cls(&["wstep", &format!("wstep-{}", s.step.id()), when(current, "current")])}
                        aria-current={current.then_some("step")}>
                        { el("span", Some("wstep-time"), trf(l, "cluster.secs", &[&fixed(s.time as f64 / 1e6, 3)])) }
                        { el("span", Some("wstep-text"), describe(l, &w.key, &s.step)) }
                    </li>
                }
            });
            html! {
                <div class="write-trace" data-write-id={w.id.to_string()} data-write-status={status.id()}
                    data-shard={w.shard.to_string()} data-steps-shown={shown.to_string()}>
                    <h4>
                        <code>{ text(trf(l, "cluster.write.title", &[&w.key, &w.value])) }</code>{" "}
                        <span class={match status { WriteStatus::Acknowledged => "badge ok", WriteStatus::Failed => "badge bad", _ => "badge wait" }}>
                            { text(tr(l, status_key)) }</span>
                    </h4>
                    <ol class="write-steps" aria-live="polite">{ for items }</ol>
                    <div class="write-nav">
                        { Button { id: Some("cluster-write-back"), disabled: shown <= 1, label: format!("◀ {}", tr(l, "cluster.write.back")).into(),
                            onclick: back, ..Default::default() }.html() }
                        { el("span", Some("muted"), trf(l, "cluster.write.progress", &[&shown, &w.steps.len()])) }
                        { Button { id: Some("cluster-write-next"), class: Some("primary"), disabled: !can_next,
                            label: format!("{} ▶", tr(l, "cluster.write.next")).into(), onclick: next, ..Default::default() }.html() }
                    </div>
                    if shown == w.steps.len() && w.status == WriteStatus::Pending {
                        { el("p", Some("muted"), tr(l, "cluster.write.waiting")) }
                    }
                </div>
            }
        }
    };
    html! {
        <section class="cluster-write" aria-labelledby="cluster-write-h">
            { el_id("h3", "cluster-write-h", tr(l, "cluster.write")) }
            <form class="write-form" onsubmit={submit}>
                <label>{ text(tr(l, "cluster.write.key")) }{" "}
                    <input id="cluster-write-key" ref={key_ref.clone()} type="text" value="alice" autocomplete="off" size="10"
                        maxlength={MAX_KEY_LEN.to_string()} /></label>
                <label>{ text(tr(l, "cluster.write.value")) }{" "}
                    <input id="cluster-write-value" ref={value_ref.clone()} type="text" value="" placeholder={format!("v{}", c.cluster.writes().len() + 1)} autocomplete="off" size="8"
                        maxlength={MAX_VALUE_LEN.to_string()} /></label>
                <button id="cluster-write-send" type="submit" class="primary">{ text(tr(l, "cluster.write.send")) }</button>
            </form>
            { body }
        </section>
    }
}
