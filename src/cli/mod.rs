//! Native command-line front ends (no UI, no browser types).
//! `raft`: run / check / bench on the simulator. `ring`: ring / jump on the ring core.

/// `println!` that ignores a closed pipe (`ringraft run … | head`) instead of panicking.
macro_rules! out {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($t)*);
    }};
}
#[cfg(feature = "schedule")]
pub mod explore;
pub mod heap;
pub mod raft;
pub mod ring;

/// `ringraft help`: every command with every option (the lines each
/// command's `--help` starts with), every bug flag, and `run`'s exit codes.
#[cfg(feature = "schedule")]
const EXPLORE_USAGE: &str = explore::EXPLORE_ARGS;
#[cfg(not(feature = "schedule"))]
const EXPLORE_USAGE: &str = "explore (not in this build: the `schedule` feature)";

pub fn usage() -> String {
    use raft::*;
    let wrap = |text: &str, indent: &str| text.replace('\n', &format!("\n{indent}"));
    // Names, comma-separated, in lines of at most `width` characters.
    fn fill<'a>(names: impl Iterator<Item = &'a str>, width: usize, indent: &str) -> String {
        let mut lines = vec![String::new()];
        for n in names {
            let line = lines.last_mut().expect("one line");
            if !line.is_empty() && line.len() + n.len() + 2 > width {
                line.push(',');
                lines.push(n.to_string());
            } else {
                if !line.is_empty() {
                    line.push_str(", ");
                }
                line.push_str(n);
            }
        }
        lines.join(&format!("\n{indent}"))
    }
    format!(
        "usage: ringraft <command> [args]   (ringraft <command> --help: what each option does)
  {RUN_ARGS}
        run a scenario, print the final state as JSON; check its `expect` block
        exit: 0 fine, 1 safety violation, 2 invalid scenario, 3 memory bound, {EXIT_EXPECT_FAILED} an expectation failed
  {CHECK_ARGS}
        randomized fault runs under the safety checker; --bug NAME, one of:
        {}
  {BENCH_ARGS}
        simulator throughput and history memory
  {}
        every schedule up to a depth, Figure 3 checked in every state; --bench: its speed
  {LIVENESS_ARGS}
        PreVote / CheckQuorum / transfer liveness figures
  {}
        place keys, apply a change, print stats + migration
  {}
        jump consistent hash of a 64-bit integer key
  help  this text",
        fill(BUG_FLAGS.iter().map(|b| b.name), 72, "        "),
        wrap(EXPLORE_USAGE, "  "),
        wrap(ring::RING_ARGS, "  "),
        ring::JUMP_ARGS,
    )
}
