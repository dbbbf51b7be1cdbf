//! The Raft view's browser hooks: tab visibility, the animation-frame loop
//! and the keyboard. Each owns its listener and removes it on unmount.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::{document_hidden, window};

/// Whether the tab is visible (a hidden tab schedules nothing).
#[hook]
pub fn use_visible() -> bool {
    let visible = use_state(|| !document_hidden());
    {
        let visible = visible.clone();
        use_effect_with((), move |_| {
            let doc = window().document().expect("document");
            let cb = Closure::<dyn Fn()>::new(move || visible.set(!document_hidden()));
            let _ = doc.add_event_listener_with_callback("visibilitychange", cb.as_ref().unchecked_ref());
            move || {
                let _ = doc.remove_event_listener_with_callback("visibilitychange", cb.as_ref().unchecked_ref());
                drop(cb);
            }
        });
    }
    *visible
}

/// Calls `on_frame(timestamp)` on animation frames while `run` holds
/// (requestAnimationFrame; nothing is scheduled otherwise). `on_frame`
/// returns how long to wait before the next frame, in ms: 0 for the very
/// next one; more sleeps on a timer first (a frame only when the drawing
/// can change).
#[hook]
pub fn use_animation_frames(run: bool, on_frame: impl Fn(f64) -> f64 + 'static) {
    let on_frame: Rc<dyn Fn(f64) -> f64> = Rc::new(on_frame);
    use_effect_with(run, move |&run| {
        // The pending request: (animation frame, timeout) handles.
        let handle = Rc::new(Cell::new((None::<i32>, None::<i32>)));
        let slot: Rc<RefCell<Option<Closure<dyn FnMut(f64)>>>> = Rc::new(RefCell::new(None));
        if run {
            let (h2, s2) = (handle.clone(), slot.clone());
            // One closure for both: an animation frame passes its timestamp;
            // the timeout passes nothing (NaN), and asks for the next frame.
            *slot.borrow_mut() = Some(Closure::new(move |ts: f64| {
                let sleep = if ts.is_nan() { 0.0 } else { on_frame(ts) };
                if let Some(cb) = s2.borrow().as_ref() {
                    let (w, cb) = (window(), cb.as_ref().unchecked_ref());
                    h2.set(if sleep > 0.0 {
                        (None, w.set_timeout_with_callback_and_timeout_and_arguments_0(cb, sleep as i32).ok())
                    } else {
                        (w.request_animation_frame(cb).ok(), None)
                    });
                }
            }));
            if let Some(cb) = slot.borrow().as_ref() {
                handle.set((window().request_animation_frame(cb.as_ref().unchecked_ref()).ok(), None));
            }
        }
        move || {
            let (raf, timeout) = handle.take();
            if let Some(h) = raf {
                let _ = window().cancel_animation_frame(h);
            }
            if let Some(h) = timeout {
                window().clear_timeout_with_handle(h);
            }
            slot.borrow_mut().take();
        }
    });
}

/// The view's keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    /// Space.
    PlayPause,
    /// →
    Forward,
    /// ←
    Back,
    /// + or =
    Faster,
    /// − or _
    Slower,
    Escape,
}

/// The view's key in `e`: pressed with no modifier, anywhere but in a
/// text field or select, and not Space or Enter on a button, which the
/// button takes. (The first picture's module reads keys so too.)
pub fn view_key(e: &web_sys::KeyboardEvent) -> Option<Key> {
    if e.ctrl_key() || e.meta_key() || e.alt_key() {
        return None;
    }
    let tag = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .map(|el| el.tag_name().to_ascii_uppercase())
        .unwrap_or_default();
    if matches!(tag.as_str(), "INPUT" | "SELECT" | "TEXTAREA") {
        return None;
    }
    let key = e.key();
    if tag == "BUTTON" && (key == " " || key == "Enter") {
        return None;
    }
    Some(match key.as_str() {
        " " => Key::PlayPause,
        "ArrowRight" => Key::Forward,
        "ArrowLeft" => Key::Back,
        "+" | "=" => Key::Faster,
        "-" | "_" => Key::Slower,
        "Escape" => Key::Escape,
        _ => return None,
    })
}

/// Calls `on_key` for the view's keys ([`view_key`]).
#[hook]
pub fn use_keys(on_key: impl Fn(Key) + 'static) {
    let on_key: Rc<dyn Fn(Key)> = Rc::new(on_key);
    use_effect_with((), move |_| {
        let cb = Closure::<dyn Fn(web_sys::KeyboardEvent)>::new(move |e: web_sys::KeyboardEvent| {
            let Some(k) = view_key(&e) else { return };
            on_key(k);
            // Escape also closes menus elsewhere; the others are ours alone.
            if k != Key::Escape {
                e.prevent_default();
            }
        });
        let w = window();
        let _ = w.add_event_listener_with_callback("keydown", cb.as_ref().unchecked_ref());
        move || {
            let _ = w.remove_event_listener_with_callback("keydown", cb.as_ref().unchecked_ref());
            drop(cb);
        }
    });
}
