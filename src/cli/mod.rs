//! Native command-line front ends (no UI, no browser types).
//! `raft`: run / check / bench on the simulator. `ring`: ring / jump on the ring core.

/// `println!` that ignores a closed pipe (`ringraft run … | head`) instead of panicking.
macro_rules! out {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($t)*);
    }};
}
pub mod heap;
pub mod raft;
pub mod ring;
