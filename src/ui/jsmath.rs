//! Math for drawing, from the browser's `Math`. Rust's own `sin`, `cos`,
//! `atan2`, `powf` and `log10` come from libm (several KB of wasm each
//! family); pixels don't need them bit-identical across platforms, so the
//! page asks the browser. The simulator never uses these.

pub fn sin(x: f64) -> f64 {
    js_sys::Math::sin(x)
}

pub fn cos(x: f64) -> f64 {
    js_sys::Math::cos(x)
}

pub fn atan2(y: f64, x: f64) -> f64 {
    js_sys::Math::atan2(y, x)
}

pub fn pow(x: f64, y: f64) -> f64 {
    js_sys::Math::pow(x, y)
}

pub fn log10(x: f64) -> f64 {
    js_sys::Math::log10(x)
}

pub fn log2(x: f64) -> f64 {
    js_sys::Math::log2(x)
}
