//! The first screen's own module (`ringraft-first`, issue 17 goal 3): the
//! default run played on the first picture that `scripts/prerender.mjs`
//! wrote into `index.html`, without Yew, so Play works on a phone long
//! before the Raft view's module (four times its size) has arrived.
//!
//! It owns a [`Controller`] on the default preset's run (built in code,
//! `presets::default_run`, so no JSON reader is linked) and redraws the
//! parts of the picture that move: the servers, their timer rings, the
//! messages, the clock, the event count, the scrubber and Play. Play, Step,
//! Back and +1 s work, and their keys (Space, →, ←); everything else on
//! the picture stays inert until the Raft view's module takes the run over
//! at its position (the loader in `Trunk.toml` hands it over through the
//! address: `e` and `t`, as a shared link does; the simulator is
//! deterministic, so the run goes on as it would have).
//!
//! The markup follows `cluster.rs` (the same geometry functions, the same
//! shapes and classes) so nothing moves at the hand-over:
//! `tests/e2e/first-screen.test.mjs` compares the two pictures at one
//! position.

use std::cell::RefCell;
use std::fmt::Write;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::Element;

use super::cluster::{along, arc_left, badge, frac_at, node_radius, pos, vote, ELECTION_STEPS, HEARTBEAT_STEPS};
use super::controller::{Controller, Frame};
use super::text::{role_attr, secs};
use crate::i18n::{tr, trf, Lang};
use crate::num::fixed;
use crate::ui::widgets::f1;
use crate::raft::{AppendEntries, AppendEntriesResponse, Message, PreVoteResponse, RequestVoteResponse, Role};
use crate::sim::{presets, MarkerKind, Sim};

const EN: Lang = Lang::En;

struct First {
    c: Controller,
    root: Element,
    /// What was last written where, so a frame that changes nothing writes nothing.
    drawn: [String; 5],
    /// The event count the servers were last drawn at.
    nodes_at: Option<u64>,
    /// The next frame's callback while playing.
    tick: Option<Closure<dyn FnMut(f64)>>,
    /// A frame has been asked for (one at a time).
    pending: bool,
    /// Handed over: the Raft view's module runs the picture now.
    done: bool,
}

thread_local! {
    static FIRST: RefCell<Option<First>> = const { RefCell::new(None) };
}

fn with<R>(f: impl FnOnce(&mut First) -> R) -> Option<R> {
    FIRST.with(|s| s.borrow_mut().as_mut().map(f))
}

/// Takes over the first picture (`#prerender`) with the default run, at
/// its start, playing if `play` (Play tapped before this module ran). False
/// when the page has no first picture.
pub fn start(play: bool) -> bool {
    crate::ui::panic::install();
    crate::i18n::use_tables(crate::i18n::FIRST_TEXT);
    let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("prerender")) else { return false };
    let Ok(sim) = Sim::new(presets::default_run()) else { return false };
    let _ = root.set_attribute("data-live", "");
    let mut first = First { c: Controller::with_sim(sim), root, drawn: Default::default(), nodes_at: None, tick: None, pending: false, done: false };
    let f = first.c.frame();
    first.draw(&f);
    FIRST.with(|s| *s.borrow_mut() = Some(first));
    // Step ▶, ◀ Back and +1 s work on the picture too, and the view's keys
    // for what the picture does (Space, ← and →; `hooks::use_keys`).
    if let Some(d) = web_sys::window().and_then(|w| w.document()) {
        let cb = Closure::<dyn FnMut(web_sys::MouseEvent)>::new(on_click);
        let _ = d.add_event_listener_with_callback("click", cb.as_ref().unchecked_ref());
        cb.forget();
        let cb = Closure::<dyn FnMut(web_sys::KeyboardEvent)>::new(on_key);
        let _ = d.add_event_listener_with_callback("keydown", cb.as_ref().unchecked_ref());
        cb.forget();
    }
    self::play(play);
    true
}

/// The picture's buttons but Play (the loader's): ◀ Back, Step ▶ and +1 s,
/// as the Raft view's `Nav` does them. The picture is inert, so a click
/// lands on the page behind it: the button is found by where it is.
fn on_click(e: web_sys::MouseEvent) {
    let (x, y) = (e.client_x() as f64, e.client_y() as f64);
    let Some(root) = with(|s| s.root.clone()) else { return };
    let hit = |sel: &str| {
        root.query_selector(sel).ok().flatten().is_some_and(|b| {
            let r = b.get_bounding_client_rect();
            x >= r.left() && x < r.right() && y >= r.top() && y < r.bottom()
        })
    };
    if hit(".buttons > :first-child") {
        act(|c| {
            c.step_back();
        });
    } else if hit(".buttons > :nth-child(3)") {
        act(|c| {
            c.step();
        });
    } else if hit("#ff") {
        act(|c| {
            c.catch_up(None, Some(c.sim().now().saturating_add(1_000_000)));
            let _ = c.work(f64::INFINITY, || 0.0);
        });
    }
}

/// Space plays or pauses, → steps, ← steps back: as the Raft view's keys
/// (`hooks::view_key`). Play's state is the loader's (`ringraftPlay`),
/// which presses Play in the Raft view's module at the hand-over.
fn on_key(e: web_sys::KeyboardEvent) {
    use super::hooks::Key;
    // (Handed over: the Raft view's module has the keys.)
    let Some(false) = with(|s| s.done) else { return };
    match super::hooks::view_key(&e) {
        Some(Key::PlayPause) => {
            let on = with(|s| !s.c.playing).unwrap_or(false);
            let _ = js_sys::Reflect::set(&js_sys::global(), &"ringraftPlay".into(), &on.into());
            play(on);
        }
        Some(Key::Forward) => act(|c| {
            c.step();
        }),
        Some(Key::Back) => act(|c| {
            c.step_back();
        }),
        _ => return,
    }
    e.prevent_default();
}

/// A person's move on the picture: `f` on the run, then the picture
/// redrawn; nothing once handed over.
fn act(f: impl FnOnce(&mut Controller)) {
    with(|s| {
        if !s.done {
            f(&mut s.c);
            let fr = s.c.frame();
            s.draw(&fr);
        }
    });
}

/// Plays or pauses the run.
pub fn play(on: bool) {
    act(|c| c.set_playing(on));
    schedule(0.0);
}

/// Stops for the hand-over: the Raft view's module goes on from here. A
/// run that has moved is written into the address as a link's position
/// (`e`, `t`), which that module opens; an unmoved one keeps the blank
/// address (it opens the same run). Play, if on, the loader presses there.
pub fn stop() {
    with(|s| {
        s.c.set_playing(false);
        s.done = true;
        let w = s.c.sim();
        if w.now() > 0 {
            let q = format!("?p={}&e={}&t={}", presets::DEFAULT, w.event_count(), w.now());
            if let Some(h) = web_sys::window().and_then(|w| w.history().ok()) {
                let _ = h.replace_state_with_url(&JsValue::NULL, "", Some(&q));
            }
        }
    });
}

/// Asks for the next frame while playing: the next animation frame, or
/// after the controller's sleep when the picture cannot change before.
fn schedule(sleep_ms: f64) {
    let Some(w) = web_sys::window() else { return };
    let go = with(|s| {
        if !s.c.playing || s.pending {
            return false;
        }
        s.pending = true;
        s.tick.get_or_insert_with(|| Closure::new(frame));
        true
    });
    if go != Some(true) {
        return;
    }
    let request = move || {
        with(|s| s.tick.as_ref().map(|t| web_sys::window().map(|w| w.request_animation_frame(t.as_ref().unchecked_ref()))));
    };
    if sleep_ms > 0.0 {
        let cb = Closure::once_into_js(request);
        let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(cb.unchecked_ref(), sleep_ms as i32);
    } else {
        request();
    }
}

fn frame(ts: f64) {
    let sleep = with(|s| {
        s.pending = false;
        if !s.c.playing {
            return None;
        }
        if s.c.advance(ts).is_err() {
            s.c.set_playing(false);
        }
        let f = s.c.frame();
        s.draw(&f);
        Some(s.c.sleep_ms())
    });
    if let Some(Some(ms)) = sleep {
        schedule(ms);
    }
}

impl First {
    fn set(&mut self, slot: usize, sel: &str, html: String) {
        if self.drawn[slot] != html {
            if let Ok(Some(e)) = self.root.query_selector(sel) {
                e.set_inner_html(&html);
            }
            self.drawn[slot] = html;
        }
    }

    fn draw(&mut self, f: &Frame) {
        let ev = &f.ev;
        let n = ev.nodes.len();
        let r = node_radius(n);
        if self.nodes_at != Some(ev.event_count) {
            self.nodes_at = Some(ev.event_count);
            for nd in &ev.nodes {
                let Ok(Some(g)) = self.root.query_selector(&format!("[data-node=\"{}\"]", nd.id)) else { continue };
                let role = role_attr(nd.role);
                // (No server crashes here: the first picture offers no action.)
                let _ = g.set_attribute("class", &format!("node role-{role}"));
                g.set_inner_html(&node_markup(nd, n, r));
            }
            if let Ok(Some(c)) = self.root.query_selector("#event-count") {
                c.set_text_content(Some(&trf(EN, "raft.event_count", &[&ev.event_count, &ev.horizon])));
            }
            let horizon = ev.horizon.max(1);
            if let Ok(Some(s)) = self.root.query_selector(".scrubber input") {
                let _ = s.set_attribute("max", &horizon.to_string());
                let _ = s.set_attribute("value", &ev.event_count.to_string());
            }
            // The scrubber's marks, as `bar::controls` draws them (newest first).
            let mut marks = String::new();
            for m in ev.markers.iter().rev().take(60) {
                let class = match m.kind {
                    MarkerKind::ElectionStarted => "m-election",
                    MarkerKind::LeaderElected => "m-leader",
                };
                let _ = write!(marks, "<button style=\"left:{}%\" class=\"marker {class}\"></button>", fixed(m.event as f64 / horizon as f64 * 100.0, 2));
            }
            self.set(4, ".markers", marks);
        }
        let mut rings = String::new();
        for nd in &ev.nodes {
            rings_markup(&mut rings, f, nd, n);
        }
        self.set(0, "svg.rings", rings);
        let mut msgs = String::new();
        for m in f.messages.iter() {
            let (x, y) = along(m.from, m.to, n, frac_at(m.sent_at, m.arrives_at, f.now));
            let (kind, shape) = message_shape(&m.msg);
            let _ = write!(msgs, "<g transform=\"translate({} {})\" class=\"msg {kind}{}\">{shape}</g>", fixed(x, 1), fixed(y, 1), if m.duplicate { " dup" } else { "" });
        }
        self.set(1, ".msgs", msgs);
        self.set(2, ".clock", trf(EN, "raft.clock", &[&secs(f.now)]));
        let playing = self.c.playing;
        let label = tr(EN, if playing { "raft.pause" } else { "raft.play" }).to_string();
        if self.drawn[3] != label {
            if let Ok(Some(b)) = self.root.query_selector(".primary") {
                b.set_text_content(Some(&label));
                let _ = b.set_attribute("aria-pressed", if playing { "true" } else { "false" });
            }
            self.drawn[3] = label;
        }
    }
}

/// A server's insides, as `cluster::view` draws them.
fn node_markup(nd: &crate::sim::NodeFrame, n: usize, r: f64) -> String {
    let (x, y) = pos(nd.id, n);
    let mut s = format!("<circle class=\"body\" cx=\"{}\" cy=\"{}\" r=\"{}\"></circle>", f1(x), f1(y), f1(r));
    let text = |s: &mut String, class: &str, x: f64, y: f64, t: &str| {
        let _ = write!(s, "<text x=\"{}\" y=\"{}\"{class}>{t}</text>", f1(x), f1(y));
    };
    text(&mut s, " class=\"name\"", x, y - 2.0, &super::text::server(nd.id));
    text(&mut s, " class=\"term\"", x, y + 11.0, &trf(EN, "raft.node.term_short", &[&nd.term]));
    let badge = badge(nd);
    let (bx, by) = (x + r * 0.75, y - r * 0.75);
    let _ = write!(s, "<g class=\"badge\"><circle cx=\"{}\" cy=\"{}\" r=\"8\"></circle>", f1(bx), f1(by));
    text(&mut s, "", bx, by + 3.5, badge);
    s.push_str("</g>");
    if nd.role == Role::Leader && nd.alive {
        text(&mut s, " class=\"crown\"", x, y - r - 9.0, "♛");
    }
    let vote = vote(EN, nd, n / 2 + 1);
    if !vote.is_empty() {
        text(&mut s, " class=\"vote\"", x, y + r + 18.0, &vote);
    }
    s
}

/// A server's timer rings, as `cluster::rings` draws them.
fn rings_markup(s: &mut String, f: &Frame, nd: &crate::sim::NodeFrame, n: usize) {
    let (x, y) = pos(nd.id, n);
    let rr = node_radius(n) + 6.0;
    let circ = std::f64::consts::TAU * rr;
    let _ = write!(s, "<circle class=\"timer-track\" cx=\"{}\" cy=\"{}\" r=\"{}\"></circle>", f1(x), f1(y), f1(rr));
    let leader = nd.role == Role::Leader && nd.alive;
    for (class, timer, steps) in [("timer-arc", nd.election.filter(|_| nd.alive), ELECTION_STEPS), ("hb-arc", nd.heartbeat.filter(|_| leader), HEARTBEAT_STEPS)] {
        if let Some((armed, deadline)) = timer {
            let left = arc_left(f.now, armed, deadline, steps);
            let _ = write!(s, "<circle cx=\"{x}\" cy=\"{y}\" r=\"{}\" stroke-dasharray=\"{} {}\" transform=\"rotate(-90 {x} {y})\" class=\"{class}\"></circle>",
                f1(rr), fixed(circ * left, 1), fixed(circ, 1), x = f1(x), y = f1(y));
        }
    }
}

/// A message's class and shape, as `cluster::message` draws them (the lean
/// module's kinds: this run sends no snapshot).
fn message_shape(m: &Message) -> (&'static str, String) {
    let mark = |shape: &str, y: &str, t: &str| format!("{shape}<text y=\"{y}\">{t}</text>");
    let tick = |ok: bool| if ok { "✓" } else { "✗" };
    match m {
        Message::RequestVote(_) | Message::PreVote(_) => (
            if matches!(m, Message::PreVote(_)) { "pv" } else { "rv" },
            "<path class=\"shape\" d=\"M0 -8l8 8l-8 8l-8 -8z\"></path>".into(),
        ),
        Message::RequestVoteResponse(RequestVoteResponse { vote_granted: g, .. }) | Message::PreVoteResponse(PreVoteResponse { vote_granted: g, .. }) => (
            match (matches!(m, Message::PreVoteResponse(_)), *g) {
                (false, true) => "vote-yes",
                (false, false) => "vote-no",
                (true, true) => "pv-yes",
                (true, false) => "pv-no",
            },
            mark("<circle class=\"shape\" r=\"7\"></circle>", "3.5", tick(*g)),
        ),
        Message::TimeoutNow(_) => ("tn", mark("<circle class=\"shape\" r=\"8\"></circle>", "3.5", "!")),
        Message::AppendEntries(AppendEntries { entries, .. }) if entries.is_empty() => ("hb", "<rect class=\"shape\" x=\"-5\" y=\"-5\" width=\"10\" height=\"10\"></rect>".into()),
        Message::AppendEntries(AppendEntries { entries, .. }) => {
            ("ae", mark("<rect class=\"shape\" x=\"-8\" y=\"-8\" width=\"16\" height=\"16\" rx=\"2\"></rect>", "3.5", &entries.len().to_string()))
        }
        Message::AppendEntriesResponse(AppendEntriesResponse { success, .. }) => {
            (if *success { "ae-ok" } else { "ae-fail" }, mark("<path class=\"shape\" d=\"M0 -8l8 13h-16z\"></path>", "4", tick(*success)))
        }
        #[allow(unreachable_patterns)]
        _ => ("", String::new()),
    }
}
