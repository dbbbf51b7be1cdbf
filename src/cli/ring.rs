//! `ringraft ring ...` and `ringraft jump KEY BUCKETS`.

pub fn ring_main(_args: &[String]) -> i32 {
    eprintln!("ring: not built yet");
    2
}

pub fn jump_main(_args: &[String]) -> i32 {
    eprintln!("jump: not built yet");
    2
}
