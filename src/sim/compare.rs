//! Where two runs first part: the page's A/B comparison (the same scenario
//! with different options) and tests.

use super::event::Event;
use super::history::Sim;

/// Where two runs stand against each other.
#[derive(Clone, Debug, PartialEq)]
pub enum Comparison {
    /// The first event that differs: `a`'s and `b`'s (same number).
    Differ(Box<(Event, Event)>),
    /// The runs agree through this many events (the further position
    /// reached, the limit, or where one of them ran out of events).
    Same(u64),
}

/// Replays both runs (scenario and recorded actions) from the start, event
/// by event, up to the further of their positions but at most `limit`
/// events, and compares each pair of events.
pub fn first_difference(a: &Sim, b: &Sim, limit: u64) -> Comparison {
    let upto = a.event_count().max(b.event_count()).min(limit);
    let fresh = |s: &Sim| Sim::with_actions(s.scenario().clone(), s.actions().to_vec()).ok();
    let (Some(mut x), Some(mut y)) = (fresh(a), fresh(b)) else { return Comparison::Same(0) };
    for n in 0..upto {
        let (mx, my) = (x.step(), y.step());
        let (ex, ey) = (x.world().recent.back(), y.world().recent.back());
        match (mx && my, ex, ey) {
            (true, Some(ex), Some(ey)) if ex != ey => return Comparison::Differ(Box::new((ex.clone(), ey.clone()))),
            (true, _, _) => {}
            (false, _, _) => return Comparison::Same(n),
        }
    }
    Comparison::Same(upto)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::presets;

    fn run(name: &str, events: u64) -> Sim {
        let mut s = Sim::from_json(presets::get(name).unwrap()).unwrap();
        s.seek_event(events);
        s
    }

    #[test]
    fn a_run_agrees_with_itself() {
        let a = run("leader-election", 300);
        assert_eq!(first_difference(&a, &a, 10_000), Comparison::Same(300));
        assert_eq!(first_difference(&a, &a, 100), Comparison::Same(100));
    }

    #[test]
    fn pairs_part_where_the_option_first_matters() {
        // PreVote changes the very first election timeout's outcome.
        let a = run("rejoin-without-prevote", 2_000);
        let b = run("rejoin-with-prevote", 2_000);
        let Comparison::Differ(d) = first_difference(&a, &b, 10_000) else { panic!("the PreVote pair never differs") };
        let (ea, eb) = *d;
        assert_eq!((ea.seq, ea.time), (eb.seq, eb.time), "the same event, another outcome");
        assert_ne!(ea, eb);
        // CheckQuorum changes nothing while the leader hears from a majority:
        // the runs agree through the first election and part later.
        let a = run("isolated-leader", 3_000);
        let b = run("check-quorum", 3_000);
        let Comparison::Differ(d) = first_difference(&a, &b, 10_000) else { panic!("the CheckQuorum pair never differs") };
        assert!(d.0.seq > 10, "parted at event {}", d.0.seq);
    }
}
