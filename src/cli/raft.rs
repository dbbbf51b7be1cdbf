//! `ringraft run | check | bench`.

/// `ringraft run SCENARIO.json [--trace]`. Returns the process exit code.
pub fn run_main(_args: &[String]) -> i32 {
    eprintln!("run: not built yet");
    2
}

/// `ringraft check [--seeds N] ...`.
pub fn check_main(_args: &[String]) -> i32 {
    eprintln!("check: not built yet");
    2
}

/// `ringraft bench`.
pub fn bench_main(_args: &[String]) -> i32 {
    eprintln!("bench: not built yet");
    2
}
