//! Canvas drawing of the ring: arcs shaded by owner, vnode marks and key
//! dots go into an off-screen layer redrawn only when placement changes;
//! each animation frame copies that layer and draws only the moving keys.
//! requestAnimationFrame runs only while keys are moving.

use super::geom::{self, colour, SIZE};
use crate::ring::Placement;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// How long one key-move animation lasts (ms); keys start staggered over
/// the first `STAGGER` of it so they read as a stream.
const DURATION: f64 = 1400.0;
const STAGGER: f64 = 0.35;

/// What one drawing needs; built by the view from the state.
pub struct Scene<'a> {
    pub placement: &'a Placement,
    pub hashes: &'a [u64],
    pub owners: &'a [u32],
    /// Keys moved by the last change: (key index, old owner, new owner).
    pub moved: &'a [(u32, u32, u32)],
    pub before_names: &'a [String],
    pub animate: bool,
}

struct Mover {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
    delay: f64,
    from: usize,
    to: usize,
}

type Loop = Rc<RefCell<Option<Closure<dyn FnMut(f64)>>>>;

pub struct Painter {
    canvas: HtmlCanvasElement,
    ctx: CanvasRenderingContext2d,
    layer: HtmlCanvasElement,
    layer_ctx: CanvasRenderingContext2d,
    dpr: f64,
    movers: Vec<Mover>,
    /// Colours by colour index, resolved once per change.
    colours: Vec<String>,
    start: Option<f64>,
    raf: Option<i32>,
    looper: Option<Loop>,
    pub frames: u32,
}

fn context(c: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    c.get_context("2d").ok().flatten()?.dyn_into().ok()
}

pub fn reduced_motion() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-reduced-motion: reduce)").ok().flatten())
        .map(|m| m.matches())
        .unwrap_or(false)
}

impl Painter {
    pub fn new(canvas: HtmlCanvasElement) -> Option<Painter> {
        let window = web_sys::window()?;
        let dpr = window.device_pixel_ratio().clamp(1.0, 3.0);
        let px = (SIZE * dpr).round() as u32;
        canvas.set_width(px);
        canvas.set_height(px);
        let ctx = context(&canvas)?;
        let layer: HtmlCanvasElement = window.document()?.create_element("canvas").ok()?.dyn_into().ok()?;
        layer.set_width(px);
        layer.set_height(px);
        let layer_ctx = context(&layer)?;
        Some(Painter { canvas, ctx, layer, layer_ctx, dpr, movers: Vec::new(), colours: Vec::new(), start: None, raf: None, looper: None, frames: 0 })
    }

    /// Redraws the static layer for `scene` and starts the key-move animation.
    pub fn show(this: &Rc<RefCell<Painter>>, scene: &Scene) {
        let animate = {
            let mut p = this.borrow_mut();
            p.stop();
            p.draw_layer(scene);
            p.plan_movers(scene);
            let animate = scene.animate && !p.movers.is_empty() && !reduced_motion();
            if !animate {
                p.movers.clear();
            }
            p.compose(0.0);
            animate
        };
        if animate {
            Painter::run(this);
        }
    }

    fn stop(&mut self) {
        if let (Some(id), Some(w)) = (self.raf.take(), web_sys::window()) {
            let _ = w.cancel_animation_frame(id);
        }
        if let Some(l) = self.looper.take() {
            l.borrow_mut().take();
        }
        self.start = None;
        let _ = self.canvas.set_attribute("data-animating", "false");
    }

    fn draw_layer(&mut self, scene: &Scene) {
        let c = &self.layer_ctx;
        let _ = c.set_transform(self.dpr, 0.0, 0.0, self.dpr, 0.0, 0.0);
        c.clear_rect(0.0, 0.0, SIZE, SIZE);
        let nodes = scene.placement.nodes();
        let colour_of: Vec<String> = nodes.iter().map(|n| colour(geom::colour_index(&n.name))).collect();
        let (cx, cy) = (SIZE / 2.0, SIZE / 2.0);
        // The circle itself (the whole 64-bit hash space).
        c.set_line_width(14.0);
        c.set_stroke_style_str("#e3e5ea");
        c.begin_path();
        let _ = c.arc(cx, cy, geom::R_ARC, 0.0, std::f64::consts::TAU);
        c.stroke();
        if let Some(ring) = scene.placement.ring().filter(|r| !r.positions().is_empty()) {
            let pos = ring.positions();
            let n = pos.len();
            // Arcs and ticks narrower than a device pixel cannot be seen, and
            // at 64 nodes × 256 vnodes one canvas call per vnode made this the
            // largest cost of an add-node click (~90 of ~160 ms). So the circle
            // is cut into one angular slot per device pixel of the band, each
            // slot takes the owner of the arc under its middle, and each run of
            // slots with one owner is one arc; at most one tick per slot.
            let slots = ((std::f64::consts::TAU * geom::R_ARC * self.dpr).ceil() as usize).max(64);
            let slot_of = |f: f64| ((f * slots as f64) as usize).min(slots - 1);
            let mut runs: Vec<Vec<(f64, f64)>> = vec![Vec::new(); nodes.len()];
            let mut ticks: Vec<Vec<f64>> = vec![Vec::new(); nodes.len()];
            let mut next = 0usize; // first point at or after the slot's middle
            let mut run: Option<(usize, usize)> = None; // (owner, first slot)
            for slot in 0..=slots {
                let owner = (slot < slots).then(|| {
                    let mid = (slot as f64 + 0.5) / slots as f64;
                    while next < n && crate::ring::fraction(pos[next]) < mid {
                        next += 1;
                    }
                    ring.point_owner(if next == n { 0 } else { next })
                });
                match (run, owner) {
                    (Some((o, _)), Some(w)) if o == w => {}
                    (prev, _) => {
                        if let Some((o, first)) = prev {
                            runs[o].push((first as f64 / slots as f64, slot as f64 / slots as f64));
                        }
                        run = owner.map(|w| (w, slot));
                    }
                }
            }
            let mut ticked = vec![false; slots];
            for (i, &p) in pos.iter().enumerate() {
                let f = crate::ring::fraction(p);
                let t = &mut ticked[slot_of(f)];
                if !*t {
                    *t = true;
                    ticks[ring.point_owner(i)].push(f);
                }
            }
            for (o, arcs) in runs.iter().enumerate() {
                if arcs.is_empty() && ticks[o].is_empty() {
                    continue;
                }
                c.set_stroke_style_str(&colour_of[o]);
                c.set_global_alpha(0.55);
                c.set_line_width(14.0);
                c.begin_path();
                for &(s, e) in arcs {
                    let (a0, a1) = (geom::angle(s), geom::angle(e));
                    c.move_to(cx + geom::R_ARC * crate::ui::jsmath::cos(a0), cy + geom::R_ARC * crate::ui::jsmath::sin(a0));
                    let _ = c.arc(cx, cy, geom::R_ARC, a0, a1);
                }
                c.stroke();
                c.set_global_alpha(1.0);
                // Vnode marks: short ticks outside the band.
                c.set_line_width(1.2);
                c.begin_path();
                for &f in &ticks[o] {
                    let a = geom::angle(f);
                    c.move_to(cx + (geom::R_ARC + 8.0) * crate::ui::jsmath::cos(a), cy + (geom::R_ARC + 8.0) * crate::ui::jsmath::sin(a));
                    c.line_to(cx + (geom::R_ARC + 15.0) * crate::ui::jsmath::cos(a), cy + (geom::R_ARC + 15.0) * crate::ui::jsmath::sin(a));
                }
                c.stroke();
            }
        }
        // Keys: dots inside the band, coloured by owner, grouped by owner.
        let mut moved_mark = vec![false; scene.hashes.len()];
        for &(k, _, _) in scene.moved {
            if let Some(m) = moved_mark.get_mut(k as usize) {
                *m = true;
            }
        }
        let dot = if scene.hashes.len() > 3000 { 2.0 } else { 3.0 };
        let mut order: Vec<usize> = (0..scene.hashes.len()).collect();
        crate::order::sort_by_key(&mut order, |&i| scene.owners[i]);
        // Moved keys first get a dark halo, so they stay visible after the move.
        c.set_fill_style_str("#1d1f23");
        for (i, _) in moved_mark.iter().enumerate().filter(|(_, m)| **m) {
            let (x, y) = geom::key_xy(scene.hashes[i]);
            c.fill_rect(x - dot / 2.0 - 1.0, y - dot / 2.0 - 1.0, dot + 2.0, dot + 2.0);
        }
        let mut current = u32::MAX;
        for i in order {
            let o = scene.owners[i];
            if o != current {
                current = o;
                c.set_fill_style_str(&colour_of[o as usize]);
            }
            let (x, y) = geom::key_xy(scene.hashes[i]);
            c.fill_rect(x - dot / 2.0, y - dot / 2.0, dot, dot);
        }
    }

    fn plan_movers(&mut self, scene: &Scene) {
        self.movers.clear();
        let after: Vec<&str> = scene.placement.nodes().iter().map(|n| n.name.as_str()).collect();
        let n_after = after.len();
        let mut names: Vec<String> = Vec::new();
        let index_of = |name: &str, names: &mut Vec<String>| match names.iter().position(|n| n == name) {
            Some(i) => i,
            None => {
                names.push(name.to_string());
                names.len() - 1
            }
        };
        for &(k, from, to) in scene.moved {
            let Some(&h) = scene.hashes.get(k as usize) else { continue };
            let Some(from_name) = scene.before_names.get(from as usize) else { continue };
            let to_name = after.get(to as usize).copied().unwrap_or("");
            // Old owner's badge: where it sits now, or (removed) where it sat.
            let (x0, y0) = match scene.placement.node_index(from_name) {
                Some(i) => geom::badge_xy(i, n_after),
                None => geom::badge_xy(from as usize, scene.before_names.len()),
            };
            let (x1, y1) = geom::badge_xy(to as usize, n_after);
            let jitter = geom::jitter(h);
            let (jx, jy) = (jitter.0 * 10.0, jitter.1 * 10.0);
            let from = index_of(from_name, &mut names);
            let to = index_of(to_name, &mut names);
            self.movers.push(Mover { x0: x0 + jx, y0: y0 + jy, x1: x1 + jx, y1: y1 + jy, delay: (h >> 40) as f64 / (1u64 << 24) as f64 * STAGGER, from, to });
        }
        self.colours = names.iter().map(|n| colour(geom::colour_index(n))).collect();
    }

    /// One frame: the static layer, then moving keys at time `t` ∈ [0, 1].
    fn compose(&mut self, t: f64) {
        let c = &self.ctx;
        let _ = c.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
        c.clear_rect(0.0, 0.0, self.canvas.width() as f64, self.canvas.height() as f64);
        let _ = c.draw_image_with_html_canvas_element(&self.layer, 0.0, 0.0);
        if self.movers.is_empty() || t >= 1.0 {
            return;
        }
        let _ = c.set_transform(self.dpr, 0.0, 0.0, self.dpr, 0.0, 0.0);
        // Group by colour: first half of its flight a key wears its old owner's
        // colour, then its new owner's.
        for (ci, col) in self.colours.iter().enumerate() {
            c.set_fill_style_str(col);
            c.begin_path();
            for m in &self.movers {
                let local = ((t - m.delay) / (1.0 - STAGGER)).clamp(0.0, 1.0);
                let which = if local < 0.5 { m.from } else { m.to };
                if which != ci {
                    continue;
                }
                let e = local * local * (3.0 - 2.0 * local);
                let (x, y) = (m.x0 + (m.x1 - m.x0) * e, m.y0 + (m.y1 - m.y0) * e);
                c.rect(x - 2.0, y - 2.0, 4.0, 4.0);
            }
            c.fill();
        }
    }

    fn run(this: &Rc<RefCell<Painter>>) {
        let looper: Loop = Rc::new(RefCell::new(None));
        let inner = looper.clone();
        let painter = this.clone();
        *looper.borrow_mut() = Some(Closure::new(move |now: f64| {
            let mut p = painter.borrow_mut();
            let start = *p.start.get_or_insert(now);
            let t = ((now - start) / DURATION).min(1.0);
            p.compose(t);
            p.frames += 1;
            if t < 1.0 {
                if let (Some(w), Some(f)) = (web_sys::window(), inner.borrow().as_ref()) {
                    p.raf = w.request_animation_frame(f.as_ref().unchecked_ref()).ok();
                }
            } else {
                p.raf = None;
                p.start = None;
                p.looper = None;
                let _ = p.canvas.set_attribute("data-animating", "false");
                // Dropping our own closure is deferred by wasm-bindgen until it returns.
                inner.borrow_mut().take();
            }
        }));
        let mut p = this.borrow_mut();
        if let (Some(w), Some(f)) = (web_sys::window(), looper.borrow().as_ref()) {
            p.raf = w.request_animation_frame(f.as_ref().unchecked_ref()).ok();
            let _ = p.canvas.set_attribute("data-animating", "true");
        }
        p.looper = Some(looper.clone());
    }
}

impl Drop for Painter {
    fn drop(&mut self) {
        self.stop();
    }
}
