//! Native command-line front ends (no UI, no browser types).
//! `raft`: run / check / bench on the simulator. `ring`: ring / jump on the ring core.

pub mod raft;
pub mod ring;
