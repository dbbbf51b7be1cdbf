//! The guided tour's card: narration, Back / Next, chapter list, leave.

use crate::i18n::{tr, trf, Lang};
use crate::tour::{self, CHAPTERS};
use yew::prelude::*;

use super::widgets::{el, option, tra, Button};

/// Bring what the narration of tour step `pos` talks about into view (the
/// compare table sits below the ring). Call from the component showing the card.
#[hook]
pub fn use_tour_scroll(pos: Option<(usize, usize)>) {
    let compare = pos
        .and_then(|(c, s)| tour::step(c, s))
        .is_some_and(|st| matches!(st.stage, tour::Stage::Ring { compare: true, .. }));
    use_effect_with(pos, move |_| {
        let timer = compare.then(|| {
            gloo_timers::callback::Timeout::new(50, || {
                if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("ring-compare")) {
                    el.scroll_into_view();
                }
            })
        });
        move || drop(timer)
    });
}

/// The card for tour step (`chapter`, `step`). `on_nav`: Some(position) to
/// go there; None to leave the tour (the view keeps its state so the person
/// can play on from here).
/// `status`: shown instead of the narration while it loads (or why it failed).
pub fn tour_panel(l: Lang, chapter: usize, step: usize, on_nav: &Callback<Option<(usize, usize)>>, status: Option<String>) -> Html {
    let p = (chapter, step);
    let Some(step) = tour::step(chapter, step) else { return html! {} };
    let (chapter, step_no) = p;
    let (n, total) = tour::progress(chapter, step_no);
    let prev = tour::prev(chapter, step_no);
    let next = tour::next(chapter, step_no);
    let go = |pos: Option<(usize, usize)>| on_nav.reform(move |_: MouseEvent| pos);
    let on_chapter = {
        let on_nav = on_nav.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<web_sys::HtmlSelectElement>().value();
            if let Ok(c) = v.parse::<usize>() {
                on_nav.emit(Some((c, 0)));
            }
        })
    };
    html! {
        <aside class="tour-panel" id="tour-panel" aria-live="polite" aria-label={tr(l, "tour.start")}
            data-tour-pos={format!("{chapter}.{step_no}")}>
            <div class="tour-head">
                // The titles arrive with the narration (`extra.json`).
                if status.is_none() {
                    <select id="tour-chapter" aria-label={tr(l, "tour.chapters")} onchange={on_chapter}>
                        { for CHAPTERS.iter().enumerate().map(|(i, ch)| option(i.to_string(), format!("{}. {}", i + 1, tr(l, ch.title)), i == chapter)) }
                    </select>
                }
                { el("span", Some("tour-progress"), trf(l, "tour.progress", &[&n, &total])) }
            </div>
            { el("p", Some("tour-text"), status.unwrap_or_else(|| tr(l, step.text).to_string())) }
            <div class="tour-buttons">
                { Button { id: Some("tour-back"), class: Some("btn"), disabled: prev.is_none(), label: tra(l, "tour.back"), onclick: go(prev),
                    ..Default::default() }.html() }
                { Button { id: Some("tour-next"), class: Some("btn primary"), label: tra(l, if next.is_some() { "tour.next" } else { "tour.finish" }),
                    onclick: go(next), ..Default::default() }.html() }
                { Button { id: Some("tour-leave"), class: Some("btn link"), label: tra(l, "tour.leave"), onclick: go(None), ..Default::default() }.html() }
            </div>
        </aside>
    }
}
