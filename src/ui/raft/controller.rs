//! Owns the `Sim` for the Raft view: speed, play state, and a cheap per-frame
//! picture (`Frame`) for the components. No Raft logic here: everything
//! happens in `sim`; this only decides how much virtual time to advance.

use std::rc::Rc;

use crate::raft::{Entry, Index, NodeId, Role, Term};
use crate::sim::{
    presets, Action, ActionRecord, CheckerView, ClientLoad, Event, InFlight, Links, Marker, NetworkSettings, Scenario, ScenarioError,
    Sim, Timing,
};

/// Log entries shown per node (the older ones are summarised as "+N earlier").
pub const LOG_TAIL: usize = 20;
/// Largest virtual time advanced in one animation frame (µs), so a slow frame
/// or a huge speed never processes an unbounded burst of events.
const MAX_VIRTUAL_PER_FRAME: u64 = 250_000;
/// Largest wall-clock delta honoured per frame (ms): after a stall we resume
/// where we were instead of jumping.
const MAX_WALL_PER_FRAME: f64 = 100.0;

pub const SPEED_MIN_LOG: f64 = -3.0;
pub const SPEED_MAX_LOG: f64 = 0.0;
/// Default: 1/20 of real time, so a 150–300 ms election takes 3–6 s to watch.
pub const SPEED_DEFAULT_LOG: f64 = -1.3;

/// One node as the view draws it (log trimmed to its tail).
#[derive(Clone, Debug, PartialEq)]
pub struct NodeFrame {
    pub id: NodeId,
    pub alive: bool,
    pub role: Role,
    pub term: Term,
    pub voted_for: Option<NodeId>,
    pub leader_id: Option<NodeId>,
    pub votes_granted: Vec<NodeId>,
    /// Index of `log_tail[0]`.
    pub log_start: Index,
    pub log_len: Index,
    pub log_tail: Vec<Entry>,
    pub commit_index: Index,
    pub last_applied: Index,
    pub election: Option<(u64, u64)>,
    pub heartbeat: Option<(u64, u64)>,
    pub next_index: Vec<(NodeId, Index)>,
    pub match_index: Vec<(NodeId, Index)>,
    pub kv: Vec<(String, String)>,
}

/// Everything that only changes when an event is processed (not with time).
#[derive(Clone, Debug, PartialEq)]
pub struct EventFrame {
    pub event_count: u64,
    pub horizon: u64,
    pub nodes: Vec<NodeFrame>,
    pub recent: Vec<Event>,
    pub checker: CheckerView,
    pub markers: Vec<Marker>,
    pub network: NetworkSettings,
    pub timing: Timing,
    pub links: Links,
    pub client_load: Option<ClientLoad>,
    pub name: String,
    pub description: String,
    pub buggy: bool,
    /// How many user actions the run holds (a new one invalidates the frame).
    pub action_count: usize,
}

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
}

impl Controller {
    /// Start from a bundled preset (by name) or a scenario's JSON, replaying
    /// recorded user actions (a shared link's). Bad input falls back to the
    /// default preset and returns the error to show.
    pub fn new(preset: Option<&str>, scenario_json: Option<&str>, actions: Vec<ActionRecord>) -> (Controller, Option<ScenarioError>) {
        let default = presets::get("leader-election").unwrap_or("{}");
        let requested = match (preset, scenario_json) {
            (Some(name), _) => match presets::get(name) {
                Some(json) => Some((name.to_string(), json.to_string())),
                None => None,
            },
            (None, Some(json)) => Some((String::new(), json.to_string())),
            (None, None) => None,
        };
        let built = requested.map(|(name, json)| {
            Scenario::from_json(&json).and_then(|sc| Sim::with_actions(sc, actions)).map(|sim| (sim, name))
        });
        let (sim, err, preset) = match built {
            Some(Ok((sim, name))) => (sim, None, name),
            Some(Err(e)) => (Sim::from_json(default).ok().expect("bundled preset is valid"), Some(e), "leader-election".into()),
            None => (Sim::from_json(default).ok().expect("bundled preset is valid"), None, "leader-election".into()),
        };
        let c = Controller {
            sim,
            speed_log: SPEED_DEFAULT_LOG,
            playing: false,
            last_wall: None,
            cached: None,
            carry: 0.0,
            preset,
        };
        (c, err)
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
    pub fn advance(&mut self, wall_ms: f64) {
        if !self.playing {
            self.last_wall = None;
            return;
        }
        let dt = match self.last_wall {
            Some(prev) => (wall_ms - prev).clamp(0.0, MAX_WALL_PER_FRAME),
            None => 0.0,
        };
        self.last_wall = Some(wall_ms);
        let virt = dt * 1000.0 * self.speed() + self.carry;
        let whole = virt.floor();
        self.carry = virt - whole;
        let d = (whole as u64).min(MAX_VIRTUAL_PER_FRAME);
        if d > 0 {
            self.sim.run_for(d);
        }
    }

    /// Run the clock on to `t` µs (never backwards): a link's paused position.
    pub fn run_until_us(&mut self, t: u64) {
        if t > self.sim.now() {
            self.sim.run_until(t);
        }
    }

    /// Run `ms` of virtual time at once (the fast-forward button).
    pub fn run_for_ms(&mut self, ms: u64) {
        self.sim.run_for(ms * 1000);
    }

    pub fn apply(&mut self, a: Action) {
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
        self.cached = None;
        self.last_wall = None;
        Ok(())
    }

    pub fn load_json(&mut self, text: &str) -> Result<(), ScenarioError> {
        let sim = Sim::from_json(text)?;
        self.sim = sim;
        self.cached = None;
        self.last_wall = None;
        Ok(())
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
            Some(c) if c.event_count == w.events && c.horizon == self.sim.horizon() && c.action_count == self.sim.actions().len() => c.clone(),
            _ => {
                let e = Rc::new(self.event_frame());
                self.cached = Some(e.clone());
                e
            }
        };
        Frame { now: w.now, messages: Rc::new(w.in_flight.values().map(|(m, _)| m.clone()).collect()), ev }
    }

    fn event_frame(&self) -> EventFrame {
        let w = self.sim.world();
        let sc = self.sim.scenario();
        let nodes = w
            .nodes
            .iter()
            .map(|s| {
                let n = &s.node;
                let leader = s.alive && n.role() == Role::Leader;
                let peers = w.cluster.iter().copied().filter(|&p| p != n.id());
                let log = n.log();
                let start = log.len().saturating_sub(LOG_TAIL);
                NodeFrame {
                    id: n.id(),
                    alive: s.alive,
                    role: n.role(),
                    term: n.current_term(),
                    voted_for: n.voted_for(),
                    leader_id: n.leader_id(),
                    votes_granted: n.votes_granted(),
                    log_start: start as Index + 1,
                    log_len: log.len() as Index,
                    log_tail: log[start..].to_vec(),
                    commit_index: n.commit_index(),
                    last_applied: n.last_applied(),
                    election: s.election.map(|t| (t.armed_at, t.deadline)),
                    heartbeat: s.heartbeat.map(|t| (t.armed_at, t.deadline)),
                    next_index: if leader { peers.clone().filter_map(|p| n.next_index(p).map(|i| (p, i))).collect() } else { vec![] },
                    match_index: if leader { peers.filter_map(|p| n.match_index(p).map(|i| (p, i))).collect() } else { vec![] },
                    kv: n.kv().iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
                }
            })
            .collect();
        let bugs = sc.raft.bugs;
        EventFrame {
            event_count: w.events,
            horizon: self.sim.horizon(),
            nodes,
            recent: w.recent.iter().cloned().collect(),
            checker: CheckerView {
                properties: w.checker.status(),
                violations: w.checker.violations().to_vec(),
                total_violations: w.checker.violation_count(),
            },
            markers: w.markers.clone(),
            network: w.network.clone(),
            timing: w.timing.clone(),
            links: w.links.clone(),
            client_load: w.client_load.clone(),
            name: sc.name.clone(),
            description: sc.description.clone(),
            buggy: bugs.commit_old_terms || bugs.forget_vote_on_crash || bugs.skip_consistency_check || bugs.skip_up_to_date_check,
            action_count: self.sim.actions().len(),
        }
    }
}
