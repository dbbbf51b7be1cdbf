//! A/B runs (the extended module): the "Raft features" control reruns the
//! same scenario (seed, timing, actions) with the options of a level to
//! the same clock; the run it replaced is kept, so a person can flip
//! between the two and see where they first differ.

use crate::raft::levels::at_level;
use crate::sim::compare::{first_difference, Comparison};
use crate::sim::{ScenarioError, Sim};

use super::Controller;

/// Most events replayed when looking for where two runs first differ: the
/// comparison runs at once on a click, so it stays within a few frames
/// (≈ 30 ms natively for both runs); the teaching scenarios part well
/// before it.
pub const DIFF_LIMIT: u64 = 5_000;

/// The run not on screen, and how the two compare.
pub struct Ab {
    other: Sim,
    other_preset: String,
    /// The run on screen is the newer one (B).
    pub showing_b: bool,
    /// The on-screen run against the other.
    pub comparison: Comparison,
}

impl Ab {
    pub fn other(&self) -> &Sim {
        &self.other
    }
}

impl Controller {
    /// Reruns the scenario with the options of level `k` to the same clock,
    /// keeping the run it replaces for A/B. Unchanged options: nothing.
    /// The rerun is reached as a link's position is, a slice per frame
    /// ([`Controller::work`]), so a long run never blocks the page.
    pub fn set_level(&mut self, k: usize) -> Result<(), ScenarioError> {
        let mut sc = self.sim.scenario().clone();
        sc.raft = at_level(&sc.raft, k);
        if sc.raft == self.sim.scenario().raft {
            return Ok(());
        }
        let b = Sim::with_actions(sc, self.sim.actions().to_vec())?;
        let now = self.sim.now();
        let a = std::mem::replace(&mut self.sim, b);
        let other_preset = std::mem::take(&mut self.preset);
        let comparison = first_difference(&self.sim, &a, DIFF_LIMIT);
        self.ab = Some(Box::new(Ab { other: a, other_preset, showing_b: true, comparison }));
        self.cached = None;
        self.last_wall = None;
        self.catch_up(None, Some(now));
        Ok(())
    }

    /// Shows the other run of an A/B pair (each keeps its own position).
    pub fn flip(&mut self) {
        if let Some(ab) = self.ab.as_mut() {
            // A rerun still on its way stops where it is.
            self.catchup = None;
            std::mem::swap(&mut self.sim, &mut ab.other);
            std::mem::swap(&mut self.preset, &mut ab.other_preset);
            ab.showing_b = !ab.showing_b;
            // Either run may have new actions since: compare again.
            ab.comparison = first_difference(&self.sim, &ab.other, DIFF_LIMIT);
            self.cached = None;
            self.last_wall = None;
        }
    }
}
