//! Ring benchmarks (filled by the ring issue). Run: cargo bench --bench ring
fn main() {}
