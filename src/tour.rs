//! The guided tour: chapters of steps, each a narration plus a point in a
//! deterministic simulation. A step names *what to show* (a bundled scenario
//! run to a virtual time, or a ring setting), never a stored state, so Back
//! rebuilds the previous step exactly and the person can leave at any step
//! and keep playing from there.

use crate::raft::Line;

/// What the page shows at a step.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Stage {
    /// The Raft view on a bundled scenario, run to `at_ms` of virtual time.
    Raft { preset: &'static str, at_ms: u64 },
    /// The ring view: `nodes` servers, the compare table on or off, and
    /// whether one server is being added (the change shown).
    Ring { nodes: u32, compare: bool, add_node: bool },
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Step {
    pub stage: Stage,
    /// i18n key of the narration.
    pub text: &'static str,
    /// The Figure 2 rule the narration is about, outlined in the rules panel.
    pub rule: Option<Line>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Chapter {
    /// i18n key of the chapter title.
    pub title: &'static str,
    pub steps: &'static [Step],
}

const fn raft(preset: &'static str, at_ms: u64, text: &'static str) -> Step {
    Step { stage: Stage::Raft { preset, at_ms }, text, rule: None }
}

/// A Raft step that points at one rule of Figure 2.
const fn raft_rule(preset: &'static str, at_ms: u64, text: &'static str, rule: Line) -> Step {
    Step { stage: Stage::Raft { preset, at_ms }, text, rule: Some(rule) }
}

const fn ring(nodes: u32, compare: bool, add_node: bool, text: &'static str) -> Step {
    Step { stage: Stage::Ring { nodes, compare, add_node }, text, rule: None }
}

pub const CHAPTERS: &[Chapter] = &[
    Chapter {
        title: "tour.c0",
        steps: &[
            raft("leader-election", 0, "tour.c0.s0"),
            raft("leader-election", 0, "tour.c0.s1"),
        ],
    },
    Chapter {
        title: "tour.c1",
        steps: &[
            raft("leader-election", 100, "tour.c1.s0"),
            raft_rule("leader-election", 178, "tour.c1.s1", Line::CandStart),
            raft_rule("leader-election", 192, "tour.c1.s2", Line::RvUpToDate),
            raft_rule("leader-election", 600, "tour.c1.s3", Line::CandMajority),
        ],
    },
    Chapter {
        title: "tour.c2",
        steps: &[
            raft("split-vote", 15, "tour.c2.s0"),
            raft("split-vote", 120, "tour.c2.s1"),
            raft("split-vote", 1500, "tour.c2.s2"),
        ],
    },
    Chapter {
        title: "tour.c3",
        steps: &[
            raft("leader-crash", 210, "tour.c3.s0"),
            raft("leader-crash", 700, "tour.c3.s1"),
            raft("leader-crash", 1100, "tour.c3.s2"),
        ],
    },
    Chapter {
        title: "tour.c4",
        steps: &[
            raft("minority-partition", 700, "tour.c4.s0"),
            raft("minority-partition", 1500, "tour.c4.s1"),
            raft("minority-partition", 4000, "tour.c4.s2"),
        ],
    },
    Chapter {
        title: "tour.c5",
        steps: &[
            raft_rule("figure-8", 300, "tour.c5.s0", Line::LeadCommit),
            raft("figure-8", 100_000, "tour.c5.s1"),
        ],
    },
    // PreVote (§9.6) and CheckQuorum (§6.2): the bundled A/B pairs.
    Chapter {
        title: "tour.avail",
        steps: &[
            raft("rejoin-without-prevote", 2900, "tour.avail.s0"),
            raft("rejoin-without-prevote", 3600, "tour.avail.s1"),
            raft_rule("rejoin-with-prevote", 3600, "tour.avail.s2", Line::PvLeaderAlive),
            raft("isolated-leader", 1500, "tour.avail.s3"),
            raft_rule("check-quorum", 1500, "tour.avail.s4", Line::LeadCheckQuorum),
        ],
    },
    // Leases and ReadIndex (§6.4): the extended module runs these presets
    // (the shell loads it for them, see `AppState::go_to_step`).
    Chapter {
        title: "tour.reads",
        steps: &[
            raft("stale-lease-read", 900, "tour.reads.s0"),
            raft("stale-lease-read", 1200, "tour.reads.s1"),
            raft("stale-lease-read", 1300, "tour.reads.s2"),
            raft("stale-lease-read-index", 1300, "tour.reads.s3"),
        ],
    },
    // Membership changes (§4.1, §4.2.1): the bundled A/B pair, extended module.
    Chapter {
        title: "tour.member",
        steps: &[
            raft_rule("add-server", 1500, "tour.member.s0", Line::CfgAppend),
            raft("add-server", 1900, "tour.member.s1"),
            raft_rule("add-server", 2140, "tour.member.s2", Line::CfgCatchUp),
            raft("add-server-no-catch-up", 1900, "tour.member.s3"),
            raft("add-server-no-catch-up", 2200, "tour.member.s4"),
        ],
    },
    Chapter {
        title: "tour.c6",
        steps: &[
            ring(4, false, false, "tour.c6.s0"),
            ring(4, true, true, "tour.c6.s1"),
        ],
    },
    Chapter {
        title: "tour.c7",
        steps: &[
            ring(4, false, true, "tour.c7.s0"),
            ring(5, false, false, "tour.c7.s1"),
        ],
    },
];

/// The step at (chapter, step), if it exists.
pub fn step(chapter: usize, step: usize) -> Option<&'static Step> {
    CHAPTERS.get(chapter)?.steps.get(step)
}

/// The position after (c, s), or None at the end of the tour.
pub fn next(c: usize, s: usize) -> Option<(usize, usize)> {
    let ch = CHAPTERS.get(c)?;
    if s + 1 < ch.steps.len() {
        Some((c, s + 1))
    } else if c + 1 < CHAPTERS.len() {
        Some((c + 1, 0))
    } else {
        None
    }
}

/// The position before (c, s), or None at the start.
pub fn prev(c: usize, s: usize) -> Option<(usize, usize)> {
    if s > 0 {
        Some((c, s - 1))
    } else if c > 0 {
        let pc = c - 1;
        Some((pc, CHAPTERS[pc].steps.len() - 1))
    } else {
        None
    }
}

/// Total steps and the 1-based number of (c, s) among them.
pub fn progress(c: usize, s: usize) -> (usize, usize) {
    let total = CHAPTERS.iter().map(|ch| ch.steps.len()).sum();
    let before: usize = CHAPTERS.iter().take(c).map(|ch| ch.steps.len()).sum();
    (before + s + 1, total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{presets, Sim};

    /// For a Raft stage: the number of events processed by `at_ms` (the
    /// Raft view runs the preset to that time itself).
    fn raft_event_at(preset: &str, at_ms: u64) -> Option<u64> {
        let mut sim = Sim::from_json(presets::get(preset)?).ok()?;
        sim.run_until(at_ms * 1000);
        Some(sim.event_count())
    }
    use crate::i18n::lookup;
    use crate::raft::Role;

    #[test]
    fn every_step_has_a_scenario_and_narration() {
        for (c, ch) in CHAPTERS.iter().enumerate() {
            assert!(lookup(ch.title).is_some(), "title {} translated", ch.title);
            for (s, st) in ch.steps.iter().enumerate() {
                assert!(lookup(st.text).is_some(), "narration {} exists", st.text);
                if let Stage::Raft { preset, at_ms } = st.stage {
                    assert!(raft_event_at(preset, at_ms).is_some(), "chapter {c} step {s}: preset {preset} runs");
                }
            }
        }
    }

    #[test]
    fn next_then_prev_walks_the_whole_tour_and_back() {
        let mut pos = (0, 0);
        let mut seen = vec![pos];
        while let Some(n) = next(pos.0, pos.1) {
            pos = n;
            seen.push(pos);
        }
        assert_eq!(seen.len(), progress(0, 0).1);
        assert_eq!(progress(pos.0, pos.1).0, seen.len());
        while let Some(p) = prev(pos.0, pos.1) {
            assert_eq!(seen.pop(), Some(pos));
            pos = p;
        }
        assert_eq!(pos, (0, 0));
    }

    /// The narration promises things about the simulation; check them.
    #[test]
    fn narration_matches_the_simulation() {
        let at = |preset: &str, ms: u64| {
            let mut sim = Sim::from_json(presets::get(preset).unwrap()).unwrap();
            sim.run_until(ms * 1000);
            sim.snapshot()
        };
        // Leader election: all followers in term 0 at the start; a leader by 600 ms.
        let s = at("leader-election", 0);
        assert!(s.nodes.iter().all(|n| n.role == Role::Follower && n.term == 0));
        let s = at("leader-election", 100);
        assert!(s.nodes.iter().all(|n| n.term == 0), "nobody timed out by 100 ms");
        let s = at("leader-election", 178);
        assert!(s.nodes.iter().any(|n| n.role == Role::Candidate), "a candidate asking for votes");
        assert!(s.nodes.iter().all(|n| n.role != Role::Leader));
        let s = at("leader-election", 192);
        assert!(s.nodes.iter().all(|n| n.role != Role::Leader), "votes still travelling back");
        assert!(s.nodes.iter().filter(|n| n.voted_for.is_some()).count() >= 3, "votes granted");
        // Log replication: the leader holds a client entry beyond its no-op.
        let s = at("leader-crash", 210);
        assert!(s.nodes[0].role == Role::Leader && s.nodes[0].log.len() >= 2, "S1 appended a client request");
        let s = at("leader-election", 600);
        assert_eq!(s.nodes.iter().filter(|n| n.role == Role::Leader).count(), 1);
        // Split vote: no leader shortly after the split; one later.
        let s = at("split-vote", 120);
        assert!(s.nodes.iter().all(|n| n.role != Role::Leader), "split vote has no winner yet");
        let s = at("split-vote", 1500);
        let leaders: Vec<_> = s.nodes.iter().filter(|n| n.role == Role::Leader && n.alive).map(|n| (n.id, n.term)).collect();
        assert_eq!(leaders, vec![(4, 2)], "the narration says S4 wins term 2");
        // Leader crash: S1 leads at 700 ms, someone else in a higher term later.
        let s = at("leader-crash", 700);
        assert_eq!(s.nodes[0].role, Role::Leader);
        // Adding a server: S4 a learner at 1.5 s, commits go on while it
        // catches up, a voter by 2.14 s; without catch-up commits stall.
        #[cfg(feature = "extended")]
        {
            let s = at("add-server", 1500);
            assert!(s.nodes[3].alive && s.nodes[0].membership.is_learner(4), "S4 joins as a learner");
            let (c0, c1) = (at("add-server", 1500).nodes[0].commit_index, at("add-server", 1900).nodes[0].commit_index);
            assert!(c1 >= c0 + 5, "commits go on while S4 catches up: {c0} → {c1}");
            let s = at("add-server", 2140);
            assert!(s.nodes[0].membership.voters.contains(&4) && s.nodes[3].log.len() > 50, "S4 promoted, holding the log");
            let (c0, c1) = (at("add-server-no-catch-up", 1500).nodes[0].commit_index, at("add-server-no-catch-up", 1900).nodes[0].commit_index);
            assert!(c1 <= c0 + 1, "without catch-up commits stall: {c0} → {c1}");
            assert!(at("add-server-no-catch-up", 2200).nodes[0].commit_index > c1 + 5, "and resume once S4 holds the log");
        }
        // Figure 8 ends with every log [1,3,…]: index 2 holds term 3.
        let s = at("figure-8", 100_000);
        assert!(s.nodes.iter().filter(|n| n.log.len() >= 2).all(|n| n.log[1].term == 3));
    }
}
