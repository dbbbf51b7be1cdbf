//! The safety panel: the Figure 3 properties and the violations found.

use yew::prelude::*;

use crate::i18n::{tr, trf, Lang};
use crate::ui::widgets::{el, tag, text as txt};
use super::super::controller::EventFrame;
use super::super::text;

pub fn safety(l: Lang, ev: &EventFrame, on_seek: &Callback<u64>) -> Html {
    let props = ev.checker.properties.iter().map(|p| {
        tag!("li" "data-prop": format!("{:?}", p.property), "data-ok": p.ok.to_string(),
            "title": tr(l, text::property_help_key(p.property)), "class": if p.ok { "ok" } else { "broken" } =>
            html! { <span class="icon" aria-hidden="true">{ if p.ok { "✓" } else { "✗" } }</span> },
            txt(tr(l, text::property_key(p.property))),
            (!p.ok).then(|| el("span", Some("count"), format!(" ×{}", p.violations))),
        )
    });
    let violations = ev.checker.violations.iter().take(5).map(|v| {
        let seq = v.event;
        let cb = on_seek.clone();
        let what = text::breach(l, &v.breach);
        html! {
            <li class="violation">
                <button class="linklike" onclick={Callback::from(move |_| cb.emit(seq))}>
                    { txt(trf(l, "raft.violation.where", &[&v.event, &text::secs(v.time)])) }
                </button>
                { " " }{ what }
            </li>
        }
    });
    let bad = ev.checker.total_violations > 0;
    tag!("section" "id": "safety", "data-violations": ev.checker.total_violations.to_string(),
        "class": if bad { "safety panel violated" } else { "safety panel" } => html! { <>
            <h2>{ txt(tr(l, "raft.safety")) }{ if ev.buggy { html! { <span class="buggy-tag">{ txt(tr(l, "raft.buggy_mode")) }</span> } } else { html! {} } }</h2>
            <ul class="props">{ for props }</ul>
            if bad { <ul class="violations" role="alert">{ for violations }</ul> }
    </> })
}
