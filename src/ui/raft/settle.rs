//! When the Raft view's text panels follow the run (issue 17: a scrubber
//! drag over a long run answers within a frame; playing stays cool). The
//! cluster picture follows every frame; the panels are refreshed in five
//! groups, at most one per frame while playing or settling after a seek
//! (and none in a frame that already carries a seek or a step), and a
//! group off screen waits longer: nobody reads it until it is scrolled
//! to, and it is redrawn in the frame after it comes into view
//! ([`on_screen`]).

use std::cell::Cell;

use super::controller::Frame;

/// Panel groups refreshed in turn: controls, side panels, logs, space-time, feed.
pub const GROUPS: usize = 5;

/// How often the text panels follow while playing (ms of wall time).
const SLOW_MS: [f64; GROUPS] = [100.0, 250.0, 200.0, 250.0, 300.0];

/// While playing, a group off screen follows this many times less often.
const OFF_SCREEN_SLOWER: f64 = 10.0;

/// The sections whose place on the page says whether their group is on
/// screen (the controls and the side panels always count as on screen).
const SECTIONS: &[(&str, u8)] = &[("logs", 2), ("spacetime", 3), ("feed", 4)];

/// Which panel groups are on screen (bit `g`: group `g`). The page's
/// loader (Trunk.toml) watches the sections with an IntersectionObserver
/// and marks one off screen `data-off`; one never marked (not watched, or
/// drawn anew) counts as on screen. (The observer in the loader, not
/// through web-sys: ≈ 1.2 KB gzip less, see `crate::lean`.) A group coming
/// into view while playing is due at once: its period is the on-screen one
/// again.
pub fn on_screen() -> u8 {
    let doc = web_sys::window().and_then(|w| w.document());
    SECTIONS.iter().fold(u8::MAX, |bits, &(id, g)| match doc.as_ref().and_then(|d| d.get_element_by_id(id)) {
        Some(el) if el.has_attribute("data-off") => bits & !(1 << g),
        _ => bits,
    })
}

/// A full redraw slower than this (ms of script) settles in steps after a
/// seek: the controls with the picture, then one panel group per frame.
/// Well under a frame: the next seek's redraw may have a longer way to go
/// (with every panel on screen over ten minutes of 9 servers, whole
/// redraws measured 10–43 ms while 20 ms was the line, one group 1.5–15).
const SETTLE_MS: f64 = 12.0;

/// After a seek, groups off screen are redrawn once the position has stayed
/// put this long (ms): a drag moves it every frame (the address bar waits
/// as long, `ui::app`).
const QUIET_MS: f64 = 150.0;

/// When each group was last refreshed: the frame it shows and the time.
pub type Slow = [(Option<Frame>, f64)];

/// The redraw after a seek (issue 17: a scrubber drag over a long run must
/// answer within a frame, and every panel at once takes several).
#[derive(Default)]
pub struct Settle {
    /// Panel groups still showing the old position (bit i: group i).
    pub pending: Cell<u8>,
    /// Script time of the last seek's whole redraw (all its frames); before
    /// the first is measured, taken as slow: a drag's first inputs were
    /// its slowest frames (a whole redraw each, 34–42 ms over a long run).
    full_ms: Cell<f64>,
    /// Script time so far of the redraw in progress, if one is measured.
    sum: Cell<Option<f64>>,
    /// When the position last moved by a seek or a step (ms; what the
    /// groups off screen wait to be quiet, [`QUIET_MS`]); when the
    /// animation frame the loop last ran in began (`frame`), and the one
    /// before it (`before`). A frame that already carries a move's redraw
    /// settles no group besides the controls: a move since `before` began
    /// is in this frame (a drag's moves come at the start of a frame, a
    /// click between two; after the loop has slept, the first frame just
    /// waits one more). A drag seeks every frame; each frame then holds one
    /// input's redraw, not that and a group's (at 1280 × 1300, with the
    /// logs on screen, the two made 20–36 ms frames), and the groups settle
    /// in the frames between inputs, or once the drag stops.
    moved: Cell<f64>,
    frame: Cell<f64>,
    before: Cell<f64>,
}

impl Settle {
    pub fn new() -> Self {
        Settle { full_ms: Cell::new(f64::INFINITY), ..Settle::default() }
    }

    /// A seek happened at `now`, with the groups `shown` on screen: redraw
    /// those now, or settle in steps when the last whole redraw was slow.
    /// Either way the groups off screen wait (for quiet, or to be scrolled
    /// to).
    pub fn start(&self, slow: &mut Slow, shown: u8, now: f64) {
        self.sum.set(Some(0.0));
        self.moved.set(now);
        let all = (1 << GROUPS) - 1;
        if self.full_ms.get() > SETTLE_MS {
            self.pending.set(all);
        } else {
            // (The controls always count as shown.)
            self.pending.set(all & !(shown | 1));
            self.mark(slow);
        }
    }

    /// A step or a click at `now`: every group is redrawn now but those a
    /// seek has left waiting, which go on settling (on screen one per
    /// frame, off screen once quiet), since they have the seek's whole way
    /// to go. (Once they were redrawn with the step, and a step back after
    /// a seek took as long as a whole redraw.) Its time is no seek's.
    pub fn step(&self, slow: &mut Slow, now: f64) {
        self.sum.set(None);
        self.moved.set(now);
        // (The controls say where the run is: always at once.)
        self.pending.set(self.pending.get() & !1);
        self.mark(slow);
    }

    /// The animation loop runs in the frame that began at `ts` (the
    /// frame's timestamp, on the clock of `now`).
    pub fn frame(&self, ts: f64) {
        self.before.set(self.frame.replace(ts));
    }

    /// Every group not pending is due now.
    fn mark(&self, slow: &mut Slow) {
        let pending = self.pending.get();
        slow.iter_mut().enumerate().filter(|(i, _)| pending & (1 << i) == 0).for_each(|(_, g)| g.1 = f64::NEG_INFINITY);
    }

    /// A measured frame's script time: adds to the seek's redraw, which is
    /// over when no group is left.
    pub fn measured(&self, ms: f64) {
        if let Some(sum) = self.sum.get() {
            let sum = sum + ms;
            self.sum.set((self.pending.get() != 0).then_some(sum));
            if self.pending.get() == 0 {
                self.full_ms.set(sum);
            }
        }
    }

    /// The pending groups this frame may refresh at `now`: those on screen
    /// (`shown`) and the controls; all of them once the position has stayed
    /// put for `QUIET_MS`.
    fn ready(&self, shown: u8, now: f64) -> u8 {
        let pending = self.pending.get();
        if now - self.moved.get() >= QUIET_MS { pending } else { pending & (shown | 1) }
    }

    /// The group this settling frame refreshes, taken off the pending ones:
    /// the controls first, then the ready group that has waited longest (a
    /// drag seeks every frame; none starves). None: only groups off screen
    /// are left, and the position is still moving, or the frame already
    /// carries a seek's or a step's redraw.
    pub fn next(&self, slow: &Slow, shown: u8, now: f64) -> Option<usize> {
        let busy = self.moved.get() >= self.before.get();
        let ready = self.ready(shown, now) & if busy { 1 } else { u8::MAX };
        let waiting = (0..GROUPS).filter(|i| ready & (1 << i) != 0);
        let i = if ready & 1 != 0 { Some(0) } else { waiting.min_by(|&a, &b| slow[a].1.total_cmp(&slow[b].1)) }?;
        self.pending.set(self.pending.get() & !(1 << i));
        Some(i)
    }

    /// How long the animation loop may sleep (ms) while settling: until the
    /// groups off screen are due, if they are all that is left.
    pub fn sleep_ms(&self, shown: u8, now: f64) -> f64 {
        if self.pending.get() == 0 || self.ready(shown, now) != 0 {
            0.0
        } else {
            (self.moved.get() + QUIET_MS - now).max(0.0)
        }
    }
}

/// While playing: the most overdue group, if one is due at `now`.
pub fn due(slow: &Slow, shown: u8, now: f64) -> Option<usize> {
    let overdue = |i: usize| {
        let every = if shown & (1 << i) != 0 { SLOW_MS[i] } else { SLOW_MS[i] * OFF_SCREEN_SLOWER };
        now - slow[i].1 - every
    };
    (0..GROUPS).max_by(|&a, &b| overdue(a).total_cmp(&overdue(b))).filter(|&i| overdue(i) >= 0.0)
}
