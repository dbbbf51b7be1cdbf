//! Native command-line runner: the same core as the page, printing JSON.

#[cfg(not(target_arch = "wasm32"))]
const USAGE: &str = "usage: ringraft <command> [args]   (ringraft <command> --help for its options)
  run SCENARIO.json [--trace]   run a scenario, print the final state as JSON
  check [--seeds N] [--start S] [--fault-ms MS] [--bug NAME] [--dump SEED]
                                randomized fault runs under the safety checker;
                                --bug: commit_old_terms, forget_vote_on_crash,
                                skip_consistency_check, skip_up_to_date_check,
                                lease_ignores_drift, read_without_quorum_check, no_dedup
  bench [--minutes M] [--latency-min MS] [--latency-max MS] [--load-ms MS]
                                simulator throughput and history memory
  liveness [--seeds N]          PreVote / CheckQuorum / transfer liveness figures
  ring [options]                place keys, apply a change, print stats + migration
  jump KEY BUCKETS              jump consistent hash of a 64-bit integer key";

#[cfg(target_arch = "wasm32")]
fn main() {}

// `bench` reports real heap bytes.
#[cfg(not(target_arch = "wasm32"))]
#[global_allocator]
static HEAP: ringraft::cli::heap::Counting = ringraft::cli::heap::Counting;

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rest = if args.is_empty() { &[][..] } else { &args[1..] };
    let code = match args.first().map(String::as_str) {
        Some("run") => ringraft::cli::raft::run_main(rest),
        Some("check") => ringraft::cli::raft::check_main(rest),
        Some("bench") => ringraft::cli::raft::bench_main(rest),
        Some("liveness") => ringraft::cli::raft::liveness_main(rest),
        Some("ring") => ringraft::cli::ring::ring_main(rest),
        Some("jump") => ringraft::cli::ring::jump_main(rest),
        Some("-h") | Some("--help") | Some("help") => {
            println!("{USAGE}");
            0
        }
        _ => {
            eprintln!("{USAGE}");
            2
        }
    };
    std::process::exit(code);
}
