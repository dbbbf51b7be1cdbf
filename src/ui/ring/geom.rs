//! Where things sit on the drawing, node colours, and number formatting.
//! Fraction 0 of the hash space is at 12 o'clock; positions grow clockwise.

use crate::ring::fraction;
use std::f64::consts::{FRAC_PI_2, TAU};
use crate::num::fixed;

/// Side of the square drawing, in CSS pixels (canvas and SVG share it).
pub const SIZE: f64 = 520.0;
pub const CENTRE: f64 = SIZE / 2.0;
/// Radius of the owner-shaded band (vnode marks sit just outside it).
pub const R_ARC: f64 = 215.0;
/// Keys are spread over a band [R_KEY_IN, R_KEY_OUT] inside the arcs.
pub const R_KEY_IN: f64 = 168.0;
pub const R_KEY_OUT: f64 = 200.0;
/// Node badges sit on an inner circle of this radius.
pub const R_BADGE: f64 = 110.0;

/// Canvas angle (radians) of a fraction of the circle.
pub fn angle(f: f64) -> f64 {
    f * TAU - FRAC_PI_2
}

pub fn polar(f: f64, r: f64) -> (f64, f64) {
    let a = angle(f);
    (CENTRE + r * crate::ui::jsmath::cos(a), CENTRE + r * crate::ui::jsmath::sin(a))
}

/// Two numbers in [-1, 1] from the low bits of a hash (the position uses the
/// high bits), so a key's radial offset is stable and uncorrelated with it.
pub fn jitter(h: u64) -> (f64, f64) {
    let a = (h & 0xffff) as f64 / 65535.0;
    let b = ((h >> 16) & 0xffff) as f64 / 65535.0;
    (a * 2.0 - 1.0, b * 2.0 - 1.0)
}

/// Where a key's dot is drawn.
pub fn key_xy(h: u64) -> (f64, f64) {
    let j = (h & 0xffff) as f64 / 65535.0;
    polar(fraction(h), R_KEY_IN + j * (R_KEY_OUT - R_KEY_IN))
}

/// Position of node badge `i` of `n` on the inner circle.
pub fn badge_xy(i: usize, n: usize) -> (f64, f64) {
    polar(i as f64 / n.max(1) as f64, R_BADGE)
}

/// Stable colour slot for a node name: A→0, B→1, …, Z→25, AA→26 (the names
/// the page gives); any other name gets a slot from its characters.
pub fn colour_index(name: &str) -> usize {
    if !name.is_empty() && name.len() <= 4 && name.bytes().all(|b| b.is_ascii_uppercase()) {
        let mut v = 0usize;
        for b in name.bytes() {
            v = v * 26 + (b - b'A') as usize + 1;
        }
        v - 1
    } else {
        name.bytes().fold(7usize, |a, b| a.wrapping_mul(31).wrapping_add(b as usize)) % 997
    }
}

const PALETTE: [&str; 12] = [
    "#2f6fde", "#d9822b", "#3a8f5c", "#c2407a", "#8e5cd9", "#1f9aa8", "#b8a01c", "#d64541", "#5a6acf", "#6d8f2a",
    "#a0522d", "#e0609e",
];

/// Distinct colours: a hand-picked palette, then golden-angle hues.
pub fn colour(i: usize) -> String {
    match PALETTE.get(i) {
        Some(c) => c.to_string(),
        None => format!("hsl({}, 62%, {}%)", fixed((i as f64 * 137.508) % 360.0, 0), if i % 2 == 0 { 42 } else { 55 }),
    }
}

/// 10000 → "10 000" (narrow no-break spaces, readable in both languages).
pub fn group(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push('\u{202F}');
        }
        out.push(ch);
    }
    out
}

pub fn pct(x: f64) -> String {
    format!("{}%", fixed(x * 100.0, 1))
}
