//! Owns the `Sim` for the Raft view: speed, play state, and a cheap per-frame
//! picture (`Frame`) for the components. No Raft logic here: everything
//! happens in `sim`; this only decides how much virtual time to advance.

use std::rc::Rc;

#[cfg(feature = "extended")]
pub mod ab;

use crate::sim::{presets, Action, ActionRecord, InFlight, Scenario, ScenarioError, Sim};
pub use crate::sim::{EventFrame, NodeFrame, LOG_TAIL};

/// Largest virtual time advanced in one animation frame (µs), so a slow frame
/// or a huge speed never processes an unbounded burst of events.
const MAX_VIRTUAL_PER_FRAME: u64 = 250_000;
/// Largest wall-clock delta honoured per frame (ms): after a stall we resume
/// where we were instead of jumping.
const MAX_WALL_PER_FRAME: f64 = 100.0;
/// Sleeps between frames while playing (`sleep_ms`): none shorter than
/// two frames (the next animation frame is as good), none so long that a
/// frame's wall time (sleep plus one frame) passes MAX_WALL_PER_FRAME.
const MIN_SLEEP_MS: f64 = 30.0;
const MAX_SLEEP_MS: f64 = 80.0;

pub const SPEED_MIN_LOG: f64 = -3.0;
pub const SPEED_MAX_LOG: f64 = 0.0;
/// Default: 1/20 of real time, so a 150–300 ms election takes 3–6 s to watch.
pub const SPEED_DEFAULT_LOG: f64 = -1.3;

/// A far position a link asked for, reached in slices across frames so the
/// page never blocks: the event to reach, then the clock to run on to.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Catchup {
    pub event: Option<u64>,
    pub time: Option<u64>,
    /// Where the run stood when the catch-up began (for the progress line).
    pub from_event: u64,
    pub from_time: u64,
}

impl Catchup {
    /// How far along it is, 0–1, on the run `sim` is.
    #[inline(never)]
    pub fn progress(&self, sim: &Sim) -> f64 {
        let frac = |now: u64, from: u64, to: u64| if to <= from { 1.0 } else { (now.saturating_sub(from)) as f64 / (to - from) as f64 };
        match (self.event, self.time) {
            (Some(e), _) if sim.event_count() < e => frac(sim.event_count(), self.from_event, e),
            (_, Some(t)) => frac(sim.now(), self.from_time, t),
            _ => 1.0,
        }
    }
}

/// Most memory a run may hold (the live state and its history, as the
/// simulator estimates them); past it a catch-up or playback stops where it
/// is, with a message, instead of the tab running out of memory.
pub const MAX_RUN_BYTES: usize = 256 << 20;

#[derive(Clone)]
pub struct Frame {
    pub now: u64,
    pub messages: Rc<Vec<InFlight>>,
    pub ev: Rc<EventFrame>,
}

pub struct Controller {
    sim: Sim,
    /// log10 of virtual seconds per wall second.
    pub speed_log: f64,
    pub playing: bool,
    last_wall: Option<f64>,
    cached: Option<Rc<EventFrame>>,
    /// Remaining µs of virtual time owed from sub-µs frames at low speeds.
    carry: f64,
    /// Last preset name loaded (for the picker).
    pub preset: String,
    /// A link's far position still being reached (see [`Controller::work`]).
    pub catchup: Option<Catchup>,
    /// Frames played (for the periodic memory check).
    frames: u32,
    /// The run a "Raft features" level replaced, kept for A/B (`ab.rs`).
    #[cfg(feature = "extended")]
    pub ab: Option<Box<ab::Ab>>,
    /// Manual mode goes on once the catch-up is over (a link's `m=1`).
    #[cfg(feature = "extended")]
    then_manual: bool,
}

impl Controller {
    /// Start from a bundled preset (by name) or a scenario's JSON, replaying
    /// recorded user actions (a shared link's). Bad input falls back to the
    /// default preset and returns the error to show.
    pub fn new(preset: Option<&str>, scenario: Option<Scenario>, actions: Vec<ActionRecord>) -> (Controller, Option<ScenarioError>) {
        let default = presets::get(presets::DEFAULT).unwrap_or("{}");
        let built = match (preset, scenario) {
            (Some(name), _) => presets::get(name).map(|json| Scenario::from_json(json).and_then(|sc| Sim::with_actions(sc, actions)).map(|sim| (sim, name.to_string()))),
            (None, Some(sc)) => Some(Sim::with_actions(sc, actions).map(|sim| (sim, String::new()))),
            (None, None) => None,
        };
        let (sim, err, preset) = match built {
            Some(Ok((sim, name))) => (sim, None, name),
            Some(Err(e)) => (Sim::from_json(default).ok().expect("bundled preset is valid"), Some(e), "leader-election".into()),
            None => (Sim::from_json(default).ok().expect("bundled preset is valid"), None, "leader-election".into()),
        };
        (Controller { preset, ..Controller::with_sim(sim) }, err)
    }

    /// A run already built, at the default speed, paused (the first
    /// screen's module, `first.rs`, builds the default preset's run in code).
    pub fn with_sim(sim: Sim) -> Controller {
        Controller {
            sim,
            speed_log: SPEED_DEFAULT_LOG,
            playing: false,
            last_wall: None,
            cached: None,
            carry: 0.0,
            preset: presets::DEFAULT.into(),
            catchup: None,
            frames: 0,
            #[cfg(feature = "extended")]
            ab: None,
            #[cfg(feature = "extended")]
            then_manual: false,
        }
    }

    pub fn sim(&self) -> &Sim {
        &self.sim
    }

    pub fn speed(&self) -> f64 {
        crate::ui::jsmath::pow(10.0, self.speed_log)
    }

    pub fn set_speed_log(&mut self, s: f64) {
        self.speed_log = s.clamp(SPEED_MIN_LOG, SPEED_MAX_LOG);
    }

    pub fn set_playing(&mut self, on: bool) {
        self.playing = on;
        self.last_wall = None;
    }

    /// Called from requestAnimationFrame with the frame timestamp (ms).
    /// Returns `Err(bytes)`, and stops playing, when the run has outgrown
    /// [`MAX_RUN_BYTES`] (checked every 32 frames).
    #[inline(never)]
    pub fn advance(&mut self, wall_ms: f64) -> Result<(), usize> {
        if !self.playing {
            self.last_wall = None;
            return Ok(());
        }
        self.frames = self.frames.wrapping_add(1);
        if self.frames % 32 == 0 {
            if let Some(bytes) = self.over_limit() {
                self.set_playing(false);
                return Err(bytes);
            }
        }
        let dt = match self.last_wall {
            Some(prev) => (wall_ms - prev).clamp(0.0, MAX_WALL_PER_FRAME),
            None => 0.0,
        };
        self.last_wall = Some(wall_ms);
        // Manual mode plays only a recorded future (a counterexample, a
        // link's steps): one chosen event per beat, 300 ms at the default speed.
        #[cfg(feature = "extended")]
        if self.sim.manual() {
            self.carry += dt;
            if self.carry >= 300.0 * crate::ui::jsmath::pow(10.0, SPEED_DEFAULT_LOG - self.speed_log) {
                self.carry = 0.0;
                if self.sim.event_count() >= self.sim.horizon() || !self.sim.step() {
                    self.set_playing(false);
                }
            }
            return Ok(());
        }
        let virt = dt * 1000.0 * self.speed() + self.carry;
        let whole = virt.floor();
        self.carry = virt - whole;
        let d = (whole as u64).min(MAX_VIRTUAL_PER_FRAME);
        if d > 0 {
            self.sim.run_for(d);
        }
        Ok(())
    }

    /// While playing, how long (wall ms) the page may wait before its next
    /// frame: 0 for the next animation frame (messages fly, a catch-up or
    /// manual mode's beat runs); otherwise until the drawing can next look
    /// different (`Sim::still_for`), at most [`MAX_SLEEP_MS`] so a frame's
    /// wall time is never clamped. A slow run without messages on the wire
    /// draws a few frames a second instead of sixty (issue 17).
    pub fn sleep_ms(&self) -> f64 {
        use super::cluster::{ELECTION_STEPS, HEARTBEAT_STEPS};
        #[cfg(feature = "extended")]
        if self.sim.manual() {
            return 0.0;
        }
        if !self.playing || self.catchup.is_some() {
            return 0.0;
        }
        let virt = self.sim.still_for(ELECTION_STEPS as u64, HEARTBEAT_STEPS as u64);
        let ms = virt as f64 / (1000.0 * self.speed());
        if ms < MIN_SLEEP_MS {
            0.0
        } else {
            ms.min(MAX_SLEEP_MS)
        }
    }

    /// Sets out for a link's position: event `event`, then clock `time` µs
    /// (never backwards), reached by [`work`](Self::work) in slices.
    #[inline(never)]
    pub fn catch_up(&mut self, event: Option<u64>, time: Option<u64>) {
        let (from_event, from_time) = (self.sim.event_count(), self.sim.now());
        let c = Catchup { event, time, from_event, from_time };
        self.catchup = (c.progress(&self.sim) < 1.0).then_some(c);
    }

    /// Manual mode on here, or where the catch-up under way ends.
    #[cfg(feature = "extended")]
    pub fn then_manual(&mut self) {
        if self.catchup.is_some() {
            self.then_manual = true;
        } else if !self.sim.manual() {
            self.sim.apply(Action::Manual { on: true });
        }
    }

    /// The run's estimated bytes, if past [`MAX_RUN_BYTES`].
    #[inline(never)]
    fn over_limit(&self) -> Option<usize> {
        let s = self.sim.history_stats();
        let bytes = s.checkpoint_bytes + s.action_bytes + s.current_world_bytes;
        (bytes > MAX_RUN_BYTES).then_some(bytes)
    }

    /// Works on the catch-up for about `budget_ms` of wall time. Returns
    /// `Err(bytes)` if the run outgrew [`MAX_RUN_BYTES`] (the catch-up
    /// stops there).
    #[inline(never)]
    pub fn work(&mut self, budget_ms: f64, now_ms: impl Fn() -> f64) -> Result<(), usize> {
        let Some(c) = self.catchup else { return Ok(()) };
        let start = now_ms();
        let mut n = 0u32;
        loop {
            let more = match (c.event, c.time) {
                (Some(e), _) if self.sim.event_count() < e => self.sim.step(),
                (_, Some(t)) => match self.sim.next_event_time() {
                    Some(next) if next <= t => self.sim.step(),
                    _ => {
                        self.sim.run_until(t.max(self.sim.now()));
                        false
                    }
                },
                _ => false,
            };
            if !more {
                self.catchup = None;
                #[cfg(feature = "extended")]
                if std::mem::take(&mut self.then_manual) {
                    self.then_manual();
                }
                return Ok(());
            }
            n += 1;
            if n % 32 == 0 && now_ms() - start >= budget_ms {
                break;
            }
        }
        // Once per slice: the estimate walks every log.
        if let Some(bytes) = self.over_limit() {
            self.catchup = None;
            return Err(bytes);
        }
        Ok(())
    }

    pub fn apply(&mut self, a: Action) {
        // In manual mode a person's crash, restart, timeout or request from
        // a server's menu is a step of the run like the panel's (so a run
        // chosen by hand stays a schedule).
        #[cfg(feature = "extended")]
        let a = if self.sim.manual() { as_step(a) } else { a };
        self.sim.apply(a);
    }

    pub fn step(&mut self) -> bool {
        self.sim.step()
    }

    pub fn step_back(&mut self) -> bool {
        self.sim.step_back()
    }

    pub fn seek_event(&mut self, n: u64) {
        self.sim.seek_event(n);
    }

    pub fn load(&mut self, sc: Scenario) -> Result<(), ScenarioError> {
        let sim = Sim::new(sc)?;
        self.sim = sim;
        self.forget_ab();
        self.cached = None;
        self.last_wall = None;
        Ok(())
    }

    pub fn load_json(&mut self, text: &str) -> Result<(), ScenarioError> {
        let sim = Sim::from_json(text)?;
        self.sim = sim;
        self.forget_ab();
        self.cached = None;
        self.last_wall = None;
        Ok(())
    }

    /// A new run ends an A/B comparison.
    fn forget_ab(&mut self) {
        #[cfg(feature = "extended")]
        {
            self.ab = None;
        }
    }

    /// The scenario with the actions so far, pretty-printed for a file
    /// (by the browser's JSON, see `Scenario::to_json`).
    pub fn export(&self) -> String {
        let compact = self.sim.export_scenario().to_json();
        js_sys::JSON::parse(&compact)
            .ok()
            .and_then(|v| js_sys::JSON::stringify_with_replacer_and_space(&v, &wasm_bindgen::JsValue::NULL, &wasm_bindgen::JsValue::from_f64(2.0)).ok())
            .and_then(|s| s.as_string())
            .unwrap_or(compact)
    }

    /// The base scenario with a different cluster size (scripted actions and
    /// initial logs are dropped: they name servers that may not exist).
    pub fn resized(&self, n: u8) -> Scenario {
        let mut sc = self.sim.scenario().clone();
        sc.nodes = n.clamp(1, 9);
        sc.initial = None;
        sc.actions.clear();
        sc.until.clear();
        sc
    }

    pub fn with_bug(&self, on: bool) -> Scenario {
        let mut sc = self.sim.scenario().clone();
        sc.raft.bugs.commit_old_terms = on;
        sc.raft.bugs.skip_up_to_date_check = on;
        sc
    }

    /// The picture to draw now. The event part is rebuilt only when an event
    /// was processed since the last call.
    pub fn frame(&mut self) -> Frame {
        let w = self.sim.world();
        let ev = match &self.cached {
            Some(c) if c.event_count == w.event_count() && c.horizon == self.sim.horizon() && c.action_count == self.sim.actions().len() => c.clone(),
            _ => {
                let e = Rc::new(self.sim.event_frame());
                self.cached = Some(e.clone());
                e
            }
        };
        Frame { now: w.now(), messages: Rc::new(w.messages().cloned().collect()), ev }
    }
}

/// A server menu's action as the step it is in manual mode.
#[cfg(feature = "extended")]
fn as_step(a: Action) -> Action {
    use crate::sim::schedule::Step;
    use crate::sim::TimerKind;
    let step = match a {
        Action::Crash { node } => Step::Crash { node },
        Action::Restart { node } => Step::Restart { node },
        Action::Timeout { node } => Step::Timeout { node, timer: TimerKind::Election },
        Action::Heartbeat { node } => Step::Timeout { node, timer: TimerKind::Heartbeat },
        Action::ClientRequest { node, command } => Step::Request { node, command },
        a => return a,
    };
    Action::Take { step }
}
