//! `Sim`: a `World` plus its history, for stepping back, jumping and forking.
//!
//! History = the initial world, periodic checkpoints (whole-world clones),
//! and the list of user actions with the event number at which each was
//! applied. Any earlier state is rebuilt by cloning the nearest checkpoint
//! at or before it and re-executing deterministically; the same seed and the
//! same actions always give the same events.
//!
//! A clone shares the full chunks of every log and checker record with the
//! world it was taken from (`crate::chunked`), so a checkpoint costs what
//! changed since the last one, not the whole world: checkpoints can be
//! every `checkpoint_every` events all through a long run, and a seek
//! re-executes at most that many events (issue 17: ten minutes of a
//! 9-server run under load are ≈ 1.2 million events). Only past the byte
//! budget are checkpoints thinned, so their spacing grows with age.

use serde::Serialize;

use crate::raft::{Node, NodeId};

use super::action::Action;
use super::checker::Violation;
use super::event::Event;
use super::scenario::{Scenario, ScenarioError, TimedAction, Until};
use super::snapshot::Snapshot;
use super::world::World;

/// How history is kept.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HistorySettings {
    /// Minimum number of events between two checkpoints.
    pub checkpoint_every: u64,
    /// Checkpoints are at least `world bytes / amortize` events apart, so
    /// cloning costs a bounded number of bytes per event as logs grow.
    pub amortize: u64,
    /// Most checkpoints kept (besides the initial one).
    pub max_checkpoints: usize,
    /// Total estimated bytes of checkpoints kept (besides the initial one
    /// and the newest, which are always kept).
    pub budget_bytes: usize,
}

impl Default for HistorySettings {
    fn default() -> Self {
        // 2,048 events replay in a few ms in the page (README "Seeking in
        // long runs"); a checkpoint at ten minutes owns ≈ 60 KB.
        HistorySettings { checkpoint_every: 2048, amortize: 1024, max_checkpoints: 4096, budget_bytes: 40 << 20 }
    }
}

#[derive(Clone, Debug)]
struct Checkpoint {
    event: u64,
    bytes: usize,
    world: World,
}

/// A user action in the history: applied when `at_event` events had been
/// processed, at virtual time `time`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ActionRecord {
    pub at_event: u64,
    pub time: u64,
    pub action: Action,
}

/// Memory held by history, as counted by `Sim::history_bytes`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct HistoryStats {
    pub checkpoints: usize,
    pub checkpoint_bytes: usize,
    pub action_bytes: usize,
    pub current_world_bytes: usize,
}

pub struct Sim {
    scenario: Scenario,
    world: World,
    checkpoints: Vec<Checkpoint>,
    actions: Vec<ActionRecord>,
    /// Furthest event number reached on the current timeline.
    horizon: u64,
    settings: HistorySettings,
}

impl Sim {
    /// Start a scenario (validated here; never panics on bad input).
    pub fn new(scenario: Scenario) -> Result<Sim, ScenarioError> {
        Sim::with_settings(scenario, HistorySettings::default())
    }

    pub fn from_json(text: &str) -> Result<Sim, ScenarioError> {
        Sim::new(Scenario::from_json(text)?)
    }

    pub fn with_settings(#[allow(unused_mut)] mut scenario: Scenario, settings: HistorySettings) -> Result<Sim, ScenarioError> {
        scenario.validate()?;
        // A schedule (an explorer's counterexample, a manual run's file) is
        // replayed as the page records a manual run: manual mode from the
        // start, then each step as an action, one event each.
        #[cfg(feature = "schedule")]
        let actions = schedule_actions(std::mem::take(&mut scenario.schedule));
        #[cfg(not(feature = "schedule"))]
        let actions = Vec::new();
        let world = World::new(&scenario);
        let bytes = world.bytes(false);
        Ok(Sim {
            checkpoints: vec![Checkpoint { event: 0, bytes, world: world.clone() }],
            world,
            scenario,
            actions,
            horizon: 0,
            settings,
        })
    }

    /// A sim that re-applies recorded user actions as it runs: what a shared
    /// link carries (`(event number, time µs, action)` in order). Checked like
    /// a scenario: out-of-order records or bad node ids are errors, not panics.
    pub fn with_actions(scenario: Scenario, links: Vec<ActionRecord>) -> Result<Sim, ScenarioError> {
        let mut sim = Sim::new(scenario)?;
        // After the scenario's schedule, if it has one.
        let mut actions = std::mem::take(&mut sim.actions);
        actions.extend(links);
        // A server a recorded membership change adds may be named by the
        // actions after it (`Scenario::known_ids` counts scripted ones).
        #[cfg(feature = "membership")]
        let mut known = sim.scenario.clone();
        #[cfg(not(feature = "membership"))]
        let known = &sim.scenario;
        for (i, r) in actions.iter().enumerate() {
            let path = format!("actions[{i}]");
            if let Some(prev) = i.checked_sub(1).map(|j| &actions[j]) {
                if r.at_event < prev.at_event || r.time < prev.time {
                    return Err(ScenarioError { path, reason: "actions are not in order".into() });
                }
            }
            known.check_action(&path, &r.action)?;
            #[cfg(feature = "membership")]
            if matches!(r.action, Action::AddServer { .. } | Action::ChangeConfig { .. }) || r.action.adds_server() {
                known.actions.push(TimedAction { at_ms: 0, action: r.action.clone() });
            }
        }
        sim.actions = actions;
        Ok(sim)
    }

    // ----- reading --------------------------------------------------------------

    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }
    /// Virtual time in microseconds.
    pub fn now(&self) -> u64 {
        self.world.now
    }
    /// Events processed so far (the current position in history).
    pub fn event_count(&self) -> u64 {
        self.world.events
    }
    /// Furthest event reached on this timeline (the scrubber's right end).
    pub fn horizon(&self) -> u64 {
        self.horizon.max(self.world.events)
    }
    /// Time of the next event, if any; a recorded action in the replayed
    /// future counts as an event at its recorded time.
    pub fn next_event_time(&self) -> Option<u64> {
        match self.pending_action() {
            Some(r) => Some(r.time),
            None => self.world.next_event_time(),
        }
    }
    pub fn node(&self, id: NodeId) -> Option<&Node> {
        self.world.node(id)
    }
    pub fn is_alive(&self, id: NodeId) -> bool {
        self.world.is_alive(id)
    }
    pub fn world(&self) -> &World {
        &self.world
    }
    /// The most recent event, if any.
    pub fn last_event(&self) -> Option<&Event> {
        self.world.recent.back()
    }
    pub fn recent_events(&self) -> impl Iterator<Item = &Event> {
        self.world.recent.iter()
    }
    pub fn violations(&self) -> &[Violation] {
        self.world.checker.violations()
    }
    pub fn violation_count(&self) -> u64 {
        self.world.checker.violation_count()
    }
    /// Hash of every event so far (same seed + same actions ⇒ same hash).
    pub fn trace_hash(&self) -> u64 {
        self.world.trace_hash
    }
    /// User actions recorded on this timeline.
    pub fn actions(&self) -> &[ActionRecord] {
        &self.actions
    }
    pub fn snapshot(&self) -> Snapshot {
        Snapshot::of(&self.world, self.horizon())
    }

    /// The scenario plus the user's actions so far as timed actions, e.g.
    /// for a shared link. (Re-running it replays the actions at their times.)
    pub fn export_scenario(&self) -> Scenario {
        let mut sc = self.scenario.clone();
        let done = || self.actions.iter().filter(|r| r.at_event < self.world.events);
        // A run chosen event by event from the start is a schedule: exact,
        // and what `ringraft run` and the explorer read.
        #[cfg(feature = "schedule")]
        if let Some(steps) = as_schedule(done()) {
            let mut s = sc.clone();
            s.schedule = steps;
            if s.validate().is_ok() {
                return s;
            }
        }
        for r in done() {
            sc.actions.push(TimedAction { at_ms: r.time / 1000, action: r.action.clone() });
        }
        crate::order::sort_by_key(&mut sc.actions, |a| a.at_ms);
        sc
    }

    pub fn history_stats(&self) -> HistoryStats {
        HistoryStats {
            checkpoints: self.checkpoints.len(),
            checkpoint_bytes: self.checkpoints.iter().map(|c| c.bytes).sum(),
            action_bytes: self.actions.len() * (std::mem::size_of::<ActionRecord>() + 32),
            current_world_bytes: self.world.approx_bytes(),
        }
    }

    /// Manual mode is on (`Action::Manual`): events happen only when chosen.
    pub fn manual(&self) -> bool {
        self.world.manual()
    }

    /// Bytes of history kept (checkpoints + action log), excluding the live world.
    pub fn history_bytes(&self) -> usize {
        let s = self.history_stats();
        s.checkpoint_bytes + s.action_bytes
    }

    // ----- moving forward --------------------------------------------------------

    fn pending_action(&self) -> Option<&ActionRecord> {
        let i = self.actions.partition_point(|r| r.at_event < self.world.events);
        self.actions.get(i).filter(|r| r.at_event == self.world.events)
    }

    /// Process the next event (a recorded action first, if one is due).
    /// Returns false when nothing is left to do.
    pub fn step(&mut self) -> bool {
        if let Some(r) = self.pending_action() {
            let (time, action) = (r.time, r.action.clone());
            self.world.now = self.world.now.max(time);
            self.world.apply_action(action);
        } else if !self.world.step() {
            return false;
        }
        self.after_step();
        true
    }

    fn after_step(&mut self) {
        let e = self.world.events;
        if e > self.horizon {
            self.horizon = e;
        }
        let (last, last_bytes) = self.checkpoints.last().map_or((0, 0), |c| (c.event, c.bytes));
        // Amortise clone cost: checkpoints get further apart as the world
        // (mostly the Raft logs) grows, so cloning costs at most about
        // `amortize` bytes per event. Spacing uses the previous checkpoint's
        // size, so measuring the world is also amortised.
        let spacing = (last_bytes as u64 / self.settings.amortize.max(1)).max(self.settings.checkpoint_every);
        if e > last && e - last >= spacing {
            // Without the feed's recent events (≈ 20 KB a checkpoint): a
            // seek replays at least that many events after it (`restore_point`).
            let recent = std::mem::take(&mut self.world.recent);
            let bytes = self.world.bytes(false);
            let world = self.world.clone();
            self.world.recent = recent;
            self.checkpoints.push(Checkpoint { event: e, bytes, world });
            self.thin();
        }
    }

    /// Drop checkpoints until within count and byte budgets, removing the one
    /// whose loss widens the gap least relative to its age: spacing ends up
    /// roughly proportional to distance from the present.
    fn thin(&mut self) {
        let now = self.horizon();
        loop {
            let n = self.checkpoints.len();
            let kept_bytes: usize = self.checkpoints[1..].iter().map(|c| c.bytes).sum();
            let over_count = n - 1 > self.settings.max_checkpoints;
            let newest = self.checkpoints.last().map_or(0, |c| c.bytes);
            let over_bytes = kept_bytes.saturating_sub(newest) > self.settings.budget_bytes.saturating_sub(newest);
            if !(over_count || over_bytes) || n <= 2 {
                return;
            }
            let mut best = 1;
            let mut best_score = f64::INFINITY;
            for i in 1..n - 1 {
                let gap = (self.checkpoints[i + 1].event - self.checkpoints[i - 1].event) as f64;
                let age = (now - self.checkpoints[i].event) as f64 + self.settings.checkpoint_every as f64;
                let score = gap / age;
                if score < best_score {
                    best_score = score;
                    best = i;
                }
            }
            self.checkpoints.remove(best);
        }
    }

    /// Process every event with time ≤ t, then set the clock to exactly t.
    pub fn run_until(&mut self, t: u64) {
        loop {
            match self.next_event_time() {
                Some(nt) if nt <= t => {
                    self.step();
                }
                _ => break,
            }
        }
        self.world.now = self.world.now.max(t);
    }

    /// Run for `d` microseconds of virtual time.
    pub fn run_for(&mut self, d: u64) {
        let t = self.world.now.saturating_add(d);
        self.run_until(t);
    }

    /// Run until the scenario's `until` conditions hold (after every scripted
    /// action has fired) or its deadline passes (`time_ms`, else
    /// `default_deadline_ms`). Returns whether the state conditions were met
    /// (true if there were none).
    pub fn run_scenario(&mut self, default_deadline_ms: u64) -> bool {
        self.run_scenario_observed(default_deadline_ms, |_| {})
    }

    /// `run_scenario`, calling `on_event` after every event (for traces).
    pub fn run_scenario_observed(&mut self, default_deadline_ms: u64, on_event: impl FnMut(&Event)) -> bool {
        self.run_scenario_bounded(default_deadline_ms, usize::MAX, on_event).unwrap_or(false)
    }

    /// `run_scenario_observed` that stops where it is, with `Err(bytes)`,
    /// once the live state (as `World::approx_bytes` estimates it, checked
    /// every 4,096 events) passes `max_bytes`: a dense run over a long
    /// virtual time grows without bound (the CLI's `run --max-mb`).
    pub fn run_scenario_bounded(&mut self, default_deadline_ms: u64, max_bytes: usize, mut on_event: impl FnMut(&Event)) -> Result<bool, usize> {
        let until = self.scenario.until.clone();
        let deadline = until
            .iter()
            .filter_map(|u| if let Until::TimeMs(ms) = u { Some(*ms) } else { None })
            .min()
            .unwrap_or(default_deadline_ms)
            .saturating_mul(1000);
        let state_conds: Vec<&Until> = until.iter().filter(|u| !matches!(u, Until::TimeMs(_))).collect();
        let met = |w: &World| {
            !state_conds.is_empty()
                && w.scripted_pending == 0
                && state_conds.iter().all(|u| match u {
                    Until::LeaderElected => w.leader_elected(),
                    Until::AllLogsEqual => w.all_logs_equal(),
                    Until::Committed { index } => w.max_commit() >= *index,
                    Until::TimeMs(_) => true,
                })
        };
        loop {
            if met(&self.world) {
                return Ok(true);
            }
            match self.next_event_time() {
                Some(nt) if nt <= deadline => {
                    self.step();
                    if let Some(e) = self.world.recent.back() {
                        on_event(e);
                    }
                    if max_bytes != usize::MAX && self.world.events % 4096 == 0 {
                        let bytes = self.world.approx_bytes();
                        if bytes > max_bytes {
                            return Err(bytes);
                        }
                    }
                }
                _ => {
                    self.world.now = self.world.now.max(deadline);
                    return Ok(state_conds.is_empty() || met(&self.world));
                }
            }
        }
    }

    // ----- acting ------------------------------------------------------------------

    /// Apply a user action now. In the past this forks: the old future
    /// (later events and actions) is discarded.
    pub fn apply(&mut self, action: Action) {
        let e = self.world.events;
        if self.horizon > e || self.actions.last().is_some_and(|r| r.at_event >= e) {
            self.actions.retain(|r| r.at_event < e);
            self.checkpoints.retain(|c| c.event <= e);
            self.horizon = e;
        }
        self.actions.push(ActionRecord { at_event: e, time: self.world.now, action: action.clone() });
        self.world.apply_action(action);
        self.after_step();
    }

    // ----- time travel ---------------------------------------------------------------

    /// Go to the state right after event `n` (n = 0: the initial state).
    /// Forward moves re-execute; backward moves restore a checkpoint and
    /// re-execute from it.
    pub fn seek_event(&mut self, n: u64) {
        if let Some(i) = self.restore_point(n) {
            self.world = self.checkpoints[i].world.clone();
        }
        while self.world.events < n {
            if !self.step() {
                break;
            }
        }
    }

    /// The checkpoint a seek to event `n` starts from: the latest at least
    /// a feed's worth of events before `n` (checkpoints keep no recent
    /// events, the replay refills them), unless going on from the current
    /// state is shorter.
    fn restore_point(&self, n: u64) -> Option<usize> {
        let feed = super::world::RECENT_EVENTS as u64;
        let i = self.checkpoints.partition_point(|c| c.event == 0 || c.event + feed <= n).saturating_sub(1);
        let here = self.world.events;
        let back = n < here || (n == here && self.world.now > self.event_time());
        (back || self.checkpoints[i].event > here).then_some(i)
    }

    /// Events a seek to event `n` would re-execute (at most one
    /// checkpoint gap anywhere in history, `tests/history_seek.rs`).
    pub fn seek_replays(&self, n: u64) -> u64 {
        let from = self.restore_point(n).map_or(self.world.events, |i| self.checkpoints[i].event);
        n.saturating_sub(from)
    }

    /// Time of the current (last processed) event.
    fn event_time(&self) -> u64 {
        self.world.recent.back().map_or(0, |e| e.time)
    }

    /// Step back one event.
    pub fn step_back(&mut self) -> bool {
        if self.world.events == 0 {
            return false;
        }
        self.seek_event(self.world.events - 1);
        true
    }

    /// Go to virtual time t: every event with time ≤ t processed, clock = t.
    pub fn seek_time(&mut self, t: u64) {
        if t < self.world.now {
            // Latest checkpoint whose clock is ≤ t.
            let i = self.checkpoints.partition_point(|c| c.world.now <= t).saturating_sub(1);
            self.world = self.checkpoints[i].world.clone();
            self.run_until(t);
            if self.world.recent.len() < super::world::RECENT_EVENTS && self.world.events > self.checkpoints[i].event {
                // Too few events since the checkpoint to refill the feed:
                // the same state, reached from an earlier checkpoint.
                let n = self.world.events;
                self.world = self.checkpoints[i.saturating_sub(1)].world.clone();
                self.seek_event(n);
            }
        }
        self.run_until(t);
    }
}

/// A schedule as the actions a manual run records: manual mode on at the
/// start, then step `i` as event `i + 1`, at `i` ms (each step moves the
/// clock on by 1 ms, `World::take`).
#[cfg(feature = "schedule")]
fn schedule_actions(steps: Vec<super::schedule::Step>) -> Vec<ActionRecord> {
    if steps.is_empty() {
        return Vec::new();
    }
    let on = ActionRecord { at_event: 0, time: 0, action: Action::Manual { on: true } };
    let taken = steps.into_iter().enumerate().map(|(i, step)| ActionRecord {
        at_event: i as u64 + 1,
        time: i as u64 * super::network::MS,
        action: Action::Take { step },
    });
    std::iter::once(on).chain(taken).collect()
}

/// The steps of a run that is manual from its first event and only steps
/// since, if it is one.
#[cfg(feature = "schedule")]
fn as_schedule<'a>(mut done: impl Iterator<Item = &'a ActionRecord>) -> Option<Vec<super::schedule::Step>> {
    match done.next() {
        Some(ActionRecord { at_event: 0, action: Action::Manual { on: true }, .. }) => {}
        _ => return None,
    }
    let steps: Vec<_> = done
        .map(|r| match &r.action {
            Action::Take { step } => Some(step.clone()),
            _ => None,
        })
        .collect::<Option<_>>()?;
    (!steps.is_empty()).then_some(steps)
}
