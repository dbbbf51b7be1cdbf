//! The explorer's Web Worker module (issue 16): "Explore from here" runs
//! `ringraft::explore` on the state the page shows, off the page's thread.
//! Built like the views' modules (index.html) but never mounted: the
//! worker script `static/explore-worker.js` imports it and calls
//! [`explore`] once per request. Messages in both directions go through
//! serde-wasm-bindgen.

#[cfg(target_arch = "wasm32")]
mod worker {
    use serde::{Deserialize, Serialize};
    use wasm_bindgen::prelude::*;

    use ringraft::explore::{explore as search, Bounds, Model, ModelError, Order, Progress, Stop};
    use ringraft::link::raft::LinkAction;
    use ringraft::sim::{ActionRecord, Scenario, Sim};

    /// What the page asks: its run (scenario and actions, as a link holds
    /// them), the event on screen, and the search's bounds.
    #[derive(Deserialize)]
    struct Request {
        scenario: String,
        actions: String,
        event: u64,
        depth: u32,
        crashes: u8,
        drops: u8,
        duplicates: u8,
        requests: u8,
        /// Configuration changes leaders may start (absent: none).
        #[serde(default)]
        changes: u8,
        symmetry: bool,
        /// Most megabytes the search may hold (its visited set and frontier).
        max_mb: u32,
    }

    /// A progress report, and the last message's body.
    #[derive(Serialize)]
    struct Report {
        /// "running", or how it ended: "violation", "depth", "exhausted",
        /// "memory", "refused".
        stop: &'static str,
        depth: u32,
        states: u64,
        unique: u64,
        states_per_s: u64,
        ms: u64,
        /// A violation: the property (its place in `Property::ALL`), the steps
        /// from the state explored (JSON, the scenario language's `schedule`).
        property: Option<usize>,
        schedule: Option<String>,
        unique_before: u64,
        /// Refused: why (a reason of `ModelError`, or the run's own error).
        reason: Option<String>,
    }

    fn report(stop: &'static str, p: &Progress, ms: f64) -> Report {
        Report {
            stop,
            depth: p.depth,
            states: p.states,
            unique: p.unique,
            states_per_s: if ms > 0.0 { (p.states as f64 * 1000.0 / ms) as u64 } else { 0 },
            ms: ms as u64,
            property: None,
            schedule: None,
            unique_before: 0,
            reason: None,
        }
    }

    fn refused(reason: String) -> Report {
        Report { reason: Some(reason), ..report("refused", &Progress::default(), 0.0) }
    }

    fn out(r: &Report) -> JsValue {
        serde_wasm_bindgen::to_value(r).unwrap_or(JsValue::NULL)
    }

    /// Explores every schedule up to the request's depth from the state after
    /// its event; calls `progress` with a report about every 100 ms; returns
    /// the final report.
    #[wasm_bindgen]
    pub fn explore(request: JsValue, progress: &js_sys::Function) -> JsValue {
        let req: Request = match serde_wasm_bindgen::from_value(request) {
            Ok(r) => r,
            Err(e) => return out(&refused(e.to_string())),
        };
        let run = Scenario::from_json(&req.scenario).and_then(|sc| {
            let actions: Vec<LinkAction> = serde_json::from_str(&req.actions).map_err(|e| ringraft::sim::ScenarioError { path: "actions".into(), reason: e.to_string() })?;
            Sim::with_actions(sc, actions.into_iter().map(|LinkAction(at_event, time, action)| ActionRecord { at_event, time, action }).collect())
        });
        let mut sim = match run {
            Ok(s) => s,
            Err(e) => return out(&refused(e.to_string())),
        };
        sim.seek_event(req.event);
        let bounds = Bounds { crashes: req.crashes, drops: req.drops, duplicates: req.duplicates, requests: req.requests, changes: req.changes };
        let (model, init) = match Model::from_world(sim.world(), bounds, req.symmetry) {
            Ok(m) => m,
            Err(e) => {
                let why = match e {
                    ModelError::NeedsClocks => "needs_clocks",
                    ModelError::Compaction => "compaction",
                    ModelError::TooManyForSymmetry { .. } => "too_many",
                    _ => "timed_inputs",
                };
                return out(&refused(why.into()));
            }
        };
        let start = js_sys::Date::now();
        let mut last = start;
        let mut over_memory = false;
        let limit = (req.max_mb as u64) << 20;
        let result = search(&model, &init, req.depth, Order::Bfs, &mut |p: &Progress| {
            let now = js_sys::Date::now();
            if now - last >= 100.0 || p.level_done {
                last = now;
                let _ = progress.call1(&JsValue::NULL, &out(&report("running", p, now - start)));
            }
            over_memory = p.visited_bytes + p.frontier * 8 > limit;
            !over_memory
        });
        let ms = js_sys::Date::now() - start;
        let stop = match result.stop {
            Stop::Violation => "violation",
            Stop::Depth => "depth",
            Stop::Exhausted => "exhausted",
            Stop::Cancelled if over_memory => "memory",
            Stop::Cancelled => "cancelled",
        };
        let mut r = report(stop, &result.progress, ms);
        if let Some(cex) = result.counterexample {
            r.property = ringraft::sim::Property::ALL.iter().position(|p| *p == cex.found.property);
            r.schedule = serde_json::to_string(&cex.schedule).ok();
            r.unique_before = cex.unique_before;
        }
        out(&r)
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    ringraft::web_module_hint("ringraft-explorer");
}
