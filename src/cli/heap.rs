//! A counting allocator for `bench`: real heap bytes, not estimates.
//! The CLI binary installs it as the global allocator; elsewhere (tests,
//! the wasm app) it is not installed and `live_bytes` reports `None`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::Relaxed};

pub struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static USED: AtomicBool = AtomicBool::new(false);

// The CLI allocates from one thread only, so the count is a plain load and
// store, not a locked read-modify-write: the explorer allocates a few times
// per state, and locked adds took a fifth of its time (perf).
fn add(n: usize) {
    LIVE.store(LIVE.load(Relaxed).wrapping_add(n), Relaxed);
}

fn sub(n: usize) {
    LIVE.store(LIVE.load(Relaxed).wrapping_sub(n), Relaxed);
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        USED.store(true, Relaxed);
        add(layout.size());
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        sub(layout.size());
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        add(new_size);
        sub(layout.size());
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

/// Bytes currently allocated through the counting allocator, if installed.
pub fn live_bytes() -> Option<usize> {
    USED.load(Relaxed).then(|| LIVE.load(Relaxed))
}
