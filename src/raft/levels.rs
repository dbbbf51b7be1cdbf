//! Named, cumulative levels of the protocol, from the paper's Figure 2 to
//! the extended protocol (the page's "Raft features" control): each level
//! adds one mechanism to the one before.

use super::types::{Backtrack, Config, ReadMode};

/// The levels, by name: basic Figure 2; + the leader's no-op entry (§8);
/// + fast backtracking (§5.3, a term per rejection); + snapshots (§7, log
/// compaction); + PreVote (§9.6); + CheckQuorum (§6.2); + ReadIndex reads
/// (§6.4); + lease reads (§6.4.1); everything: ReadIndex (no clock
/// assumption) with the vote guard that keeps removed servers from
/// disrupting the cluster (§4.2.3, which lease reads imply).
pub const LEVELS: [&str; 9] =
    ["basic", "noop", "backtrack", "snapshots", "pre_vote", "check_quorum", "read_index", "lease", "everything"];

/// Entries applied between snapshots from the "snapshots" level on: small,
/// so the log view shows compaction within seconds of client load.
pub const SNAPSHOT_EVERY: u64 = 10;

/// `base` at level `k` (its bug flags, batch size and catch-up kept;
/// levels past the last are the last).
pub fn at_level(base: &Config, k: usize) -> Config {
    Config {
        noop_on_election: k >= 1,
        backtrack: if k >= 2 { Backtrack::ConflictHint } else { Backtrack::OneByOne },
        #[cfg(feature = "extended")]
        snapshot_threshold: if k >= 3 { SNAPSHOT_EVERY } else { 0 },
        pre_vote: k >= 4,
        check_quorum: k >= 5,
        read_mode: match k {
            0..=5 => ReadMode::Log,
            7 => ReadMode::Lease,
            _ => ReadMode::ReadIndex,
        },
        disruption_guard: k >= 8,
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
        let top = at_level(&base, 8);
        assert!(top.noop_on_election && top.pre_vote && top.check_quorum && top.backtrack == Backtrack::ConflictHint);
        assert!(top.disruption_guard && top.read_mode == ReadMode::ReadIndex && top.snapshot_threshold == SNAPSHOT_EVERY);
        assert_eq!(at_level(&base, 2).snapshot_threshold, 0);
        // The default configuration (no-op on, one-by-one backtracking) is level 1.
        assert_eq!(level_of(&base), Some(1));
        assert_eq!(level_of(&Config { check_quorum: true, ..base.clone() }), None);
        // Bug flags ride along.
        let mut buggy = base;
        buggy.bugs.commit_old_terms = true;
        assert!(at_level(&buggy, 5).bugs.commit_old_terms);
    }
}
