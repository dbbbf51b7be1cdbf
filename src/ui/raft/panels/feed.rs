//! The event feed: the newest events, each a button that seeks to it.

use yew::prelude::*;

use crate::i18n::{tr, Lang};
use crate::ui::widgets::{cls, el, keyed, tag, when};
use super::super::controller::EventFrame;
use super::super::text;
use super::kind_class_of;

/// `limit`: how many of the newest events to list (fewer while playing fast).
pub fn feed(l: Lang, ev: &EventFrame, limit: usize, on_seek: &Callback<u64>) -> Html {
    let items = ev.recent.iter().rev().take(limit).map(|e| {
        let seq = e.seq;
        let cb = on_seek.clone();
        let current = seq == ev.event_count;
        // Keyed by event: a step or a new event moves rows instead of
        // rewriting every row's text (50 wrapped lines laid out again).
        keyed(seq, tag!("li" "class": cls(&[&kind_class_of(e.kind), when(current, "current")]) => html! {
            <button class="feed-item" data-seq={seq.to_string()} onclick={Callback::from(move |_| cb.emit(seq))}>
                { el("span", Some("seq"), format!("#{seq}")) }
                { el("span", Some("t"), text::secs(e.time)) }
                { el("span", Some("what"), text::event_line(l, e)) }
            </button>
        }))
    });
    html! {
        <section class="feed panel" id="feed">
            { el("h2", None, tr(l, "raft.feed")) }
            <ol class="feed-list">{ for items }</ol>
        </section>
    }
}
