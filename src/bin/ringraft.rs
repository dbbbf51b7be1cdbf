//! Native command-line runner: the same core as the page, printing JSON.

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
        #[cfg(feature = "schedule")]
        Some("explore") => ringraft::cli::explore::explore_main(rest),
        Some("ring") => ringraft::cli::ring::ring_main(rest),
        Some("jump") => ringraft::cli::ring::jump_main(rest),
        Some("-h") | Some("--help") | Some("help") => {
            println!("{}", ringraft::cli::usage());
            0
        }
        _ => {
            eprintln!("{}", ringraft::cli::usage());
            2
        }
    };
    std::process::exit(code);
}
