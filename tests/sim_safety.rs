//! Randomized safety: the checker sees no violation in correct Raft over
//! 2 000 random-fault seeds, and catches every deliberate bug.

use ringraft::raft::Bugs;
use ringraft::sim::fuzz;

/// Short runs keep this file fast in debug builds.
const FAULT_MS: u64 = 400;

#[test]
fn no_violations_over_2000_random_fault_seeds() {
    let mut liveness_failures = 0;
    for seed in 0..2000 {
        let o = fuzz::run(seed, Bugs::default(), FAULT_MS);
        assert_eq!(o.violation_count, 0, "seed {seed}: {:?}", o.violations.first());
        liveness_failures += (!o.live) as u32;
    }
    assert_eq!(liveness_failures, 0);
}

/// First seed (of 1000) whose random-fault run trips the checker.
fn seeds_to_detect(bugs: Bugs, fault_ms: u64) -> u64 {
    (0..1000).find(|&s| fuzz::run(s, bugs, fault_ms).violation_count > 0).unwrap_or(u64::MAX)
}

#[test]
fn checker_catches_commit_old_terms() {
    // Figure 8 needs a long chain of leader changes: give it 10 s of faults.
    let n = seeds_to_detect(Bugs { commit_old_terms: true, ..Bugs::default() }, 10_000);
    assert!(n < 1000, "not caught within 1000 seeds");
}

#[test]
fn checker_catches_forget_vote_on_crash() {
    let n = seeds_to_detect(Bugs { forget_vote_on_crash: true, ..Bugs::default() }, 3000);
    assert!(n < 1000, "not caught within 1000 seeds");
}

#[test]
fn checker_catches_skip_consistency_check() {
    let n = seeds_to_detect(Bugs { skip_consistency_check: true, ..Bugs::default() }, 3000);
    assert!(n < 1000, "not caught within 1000 seeds");
}

#[test]
fn checker_catches_skip_up_to_date_check() {
    let n = seeds_to_detect(Bugs { skip_up_to_date_check: true, ..Bugs::default() }, 3000);
    assert!(n < 1000, "not caught within 1000 seeds");
}

#[test]
fn checker_catches_lease_ignores_drift() {
    // Found only by the history checker: a stale read from a cut-off leader.
    let n = seeds_to_detect(Bugs { lease_ignores_drift: true, ..Bugs::default() }, 3000);
    assert!(n < 1000, "not caught within 1000 seeds");
}

#[test]
fn checker_catches_read_without_quorum_check() {
    let n = seeds_to_detect(Bugs { read_without_quorum_check: true, ..Bugs::default() }, 3000);
    assert!(n < 1000, "not caught within 1000 seeds");
}

#[test]
fn checker_catches_no_dedup() {
    let n = seeds_to_detect(Bugs { no_dedup: true, ..Bugs::default() }, 3000);
    assert!(n < 1000, "not caught within 1000 seeds");
}
