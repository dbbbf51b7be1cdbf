//! Named, cumulative levels of the protocol, from the paper's Figure 2 to
//! the extended protocol (the page's "Raft features" control): each level
//! adds one mechanism to the one before.

use super::types::{Backtrack, Config, ReadMode};

/// The levels, by name: basic Figure 2; + the leader's no-op entry (§8);
/// + fast backtracking (§5.3, a term per rejection); + PreVote (§9.6);
/// + CheckQuorum (§6.2); + ReadIndex reads (§6.4); + lease reads (§6.4.1).
pub const LEVELS: [&str; 7] = ["basic", "noop", "backtrack", "pre_vote", "check_quorum", "read_index", "lease"];

/// `base` at level `k` (its bug flags and batch size kept; levels past the
/// last are the last).
pub fn at_level(base: &Config, k: usize) -> Config {
    Config {
        noop_on_election: k >= 1,
        backtrack: if k >= 2 { Backtrack::ConflictHint } else { Backtrack::OneByOne },
        pre_vote: k >= 3,
        check_quorum: k >= 4,
        read_mode: match k {
            0..=4 => ReadMode::Log,
            5 => ReadMode::ReadIndex,
            _ => ReadMode::Lease,
        },
        disruption_guard: false,
        ..base.clone()
    }
}

/// The level `c` is at, if it is one (None: options set one by one).
pub fn level_of(c: &Config) -> Option<usize> {
    (0..LEVELS.len()).find(|&k| at_level(c, k) == *c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_are_cumulative_and_recognised() {
        let base = Config::default();
        for k in 0..LEVELS.len() {
            assert_eq!(level_of(&at_level(&base, k)), Some(k), "level {k}");
            if k > 0 {
                assert_ne!(at_level(&base, k), at_level(&base, k - 1), "level {k} adds something");
            }
        }
        assert!(!at_level(&base, 0).noop_on_election);
        let top = at_level(&base, 6);
        assert!(top.noop_on_election && top.pre_vote && top.check_quorum && top.backtrack == Backtrack::ConflictHint);
        // The default configuration (no-op on, one-by-one backtracking) is level 1.
        assert_eq!(level_of(&base), Some(1));
        assert_eq!(level_of(&Config { check_quorum: true, ..base.clone() }), None);
        // Bug flags ride along.
        let mut buggy = base;
        buggy.bugs.commit_old_terms = true;
        assert!(at_level(&buggy, 4).bugs.commit_old_terms);
    }
}
