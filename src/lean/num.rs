//! Small number text helpers for what the page shows and reads.
//!
//! `format!("{:.1}", x)` and `str::parse::<f64>` pull Rust's full float
//! printing (Grisu/Dragon) and parsing (Eisel–Lemire with a 10 KB table of
//! powers of five) into the wasm. The page only ever shows a few decimals and
//! reads plain decimals someone typed, so these two do that job in a few
//! hundred bytes.

/// `x` with exactly `decimals` digits after the point (at most 9), rounded
/// half to even like `format!("{:.N}")`; "NaN", "inf" and "-inf" as Rust
/// prints them, and the same digits as `format!` (0.15 → "0.1", 2.675 →
/// "2.67": the decimal value of the double decides). One difference: a
/// value that rounds to zero has no minus sign ("0.0", not "-0.0"). Values
/// too large for a u64 of scaled digits fall back to whole numbers.
pub fn fixed(x: f64, decimals: usize) -> String {
    if x.is_nan() {
        return "NaN".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf".into() } else { "-inf".into() };
    }
    let d = decimals.min(9);
    let scale = 10u64.pow(d as u32);
    let scaled = round_product(x.abs(), scale as f64);
    let mut out = String::new();
    if scaled >= 1.8e19 {
        // Beyond u64: show the integer part only (never happens on the page).
        if x < 0.0 {
            out.push('-');
        }
        out.push_str(&(x.abs().round_ties_even() as u128).to_string());
        return out;
    }
    let n = scaled as u64;
    if x < 0.0 && n != 0 {
        out.push('-');
    }
    out.push_str(&(n / scale).to_string());
    if d > 0 {
        out.push('.');
        let frac = (n % scale).to_string();
        for _ in frac.len()..d {
            out.push('0');
        }
        out.push_str(&frac);
    }
    out
}

/// `x` with up to six decimals and no trailing zeros ("1.5", "-1", "0.25"):
/// what `{}` prints for the numbers people type, without float printing.
pub fn short(x: f64) -> String {
    let s = fixed(x, 6);
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// `s` in double quotes, with `"`, `\` and control characters escaped —
/// what `{:?}` does for names in messages, without the Unicode tables
/// `{:?}` brings (non-ASCII letters are kept as they are).
pub fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                out.push_str("\\u{");
                out.push_str(&format!("{:x}", c as u32));
                out.push('}');
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Skips an optional `+` or `-` at `b[*i]`; true for `-`.
fn sign(b: &[u8], i: &mut usize) -> bool {
    match b.get(*i) {
        Some(&c @ (b'-' | b'+')) => {
            *i += 1;
            c == b'-'
        }
        _ => false,
    }
}

/// `a·b` rounded to an integer, half to even, judged on the exact product:
/// when the rounded product is exactly a half, Dekker's error-free
/// product (no fma needed) tells which side the true value is on.
fn round_product(a: f64, b: f64) -> f64 {
    let p = a * b;
    if p.fract() != 0.5 || p >= 4.5e15 {
        return p.round_ties_even();
    }
    let split = |v: f64| {
        let c = 134_217_729.0 * v; // 2^27 + 1
        let hi = c - (c - v);
        (hi, v - hi)
    };
    let ((ah, al), (bh, bl)) = (split(a), split(b));
    let err = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
    if err > 0.0 {
        p.ceil()
    } else if err < 0.0 {
        p.floor()
    } else {
        p.round_ties_even()
    }
}

/// A percentage of `fraction` (0.25 → "25.0%") with `decimals` digits.
pub fn percent(fraction: f64, decimals: usize) -> String {
    let mut s = fixed(fraction * 100.0, decimals);
    s.push('%');
    s
}

/// Parses a plain decimal someone typed: optional sign, digits, optional
/// point and digits, optional exponent (`1e3`, `2.5E-2`). Surrounding spaces
/// are not accepted (trim first). Exact for up to 15 significant digits and
/// exponents within ±22 (the answer is the correctly rounded double);
/// beyond that it is within a few ulps, plenty for a setting in the page.
pub fn parse_decimal(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let mut i = 0;
    let neg = sign(b, &mut i);
    let mut mantissa: u64 = 0;
    let mut exp10: i32 = 0;
    let mut digits = 0;
    let mut seen_point = false;
    while i < b.len() {
        match b[i] {
            c @ b'0'..=b'9' => {
                digits += 1;
                if mantissa < 100_000_000_000_000_000 {
                    mantissa = mantissa * 10 + (c - b'0') as u64;
                    if seen_point {
                        exp10 -= 1;
                    }
                } else if !seen_point {
                    // Too many digits to keep: drop them, keep the magnitude.
                    exp10 += 1;
                }
            }
            b'.' if !seen_point => seen_point = true,
            _ => break,
        }
        i += 1;
    }
    if digits == 0 {
        return None;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        let eneg = sign(b, &mut i);
        let start = i;
        let mut e: i32 = 0;
        while i < b.len() && b[i].is_ascii_digit() {
            e = e.saturating_mul(10).saturating_add((b[i] - b'0') as i32);
            i += 1;
        }
        if i == start {
            return None;
        }
        exp10 = exp10.saturating_add(if eneg { -e } else { e });
    }
    if i != b.len() {
        return None;
    }
    let m = mantissa as f64;
    // 10^k is exact for k ≤ 22, so one multiply or divide rounds once.
    let v = if mantissa == 0 {
        0.0
    } else if exp10 >= 0 {
        if exp10 > 400 {
            f64::INFINITY
        } else {
            m * 10f64.powi(exp10)
        }
    } else if exp10 >= -22 {
        m / 10f64.powi(-exp10)
    } else if exp10 < -400 {
        0.0
    } else {
        m / 1e22 / 10f64.powi(-exp10 - 22)
    };
    Some(if neg { -v } else { v })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    // 0.7071 is a value people type, not an approximation of 1/√2.
    #[allow(clippy::approx_constant)]
    fn fixed_matches_rust_formatting_on_page_values() {
        let values = [
            0.0, -0.0, 0.5, 1.0, 2.5, 0.125, 0.375, 12.3456, -3.75, 99.95, 99.949, 1e-9, 123456.789, 0.1, 0.2, 0.3,
            0.7071, 42.0, -0.04, 1.005, 2.675, 0.15, 0.35, 1.45, 8.345, 0.045, 1234.5675,
        ];
        for &x in &values {
            for d in 0..=4 {
                let want = format!("{:.*}", d, x);
                // We never print a minus sign on zero.
                let want = if want.trim_start_matches('-').chars().all(|c| c == '0' || c == '.') {
                    want.trim_start_matches('-').to_string()
                } else {
                    want
                };
                assert_eq!(fixed(x, d), want, "x={x} d={d}");
            }
        }
        // Random values, including many exact and near halves.
        let mut seed = 1u64;
        for _ in 0..20_000 {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let r = (seed >> 11) as f64 / (1u64 << 53) as f64;
            let x = match seed % 3 {
                0 => r * 1000.0,
                1 => ((r * 200_000.0).floor() + 0.5) / 1000.0,
                _ => (r * 100.0).floor() / 8.0,
            };
            for d in 0..=4 {
                assert_eq!(fixed(x, d), format!("{:.*}", d, x), "x={x:?} d={d}");
            }
        }
        assert_eq!(fixed(f64::NAN, 1), "NaN");
        assert_eq!(fixed(f64::INFINITY, 1), "inf");
        assert_eq!(fixed(f64::NEG_INFINITY, 2), "-inf");
        assert_eq!(percent(0.25, 1), "25.0%");
        assert_eq!(percent(1.0 / 3.0, 2), "33.33%");
    }

    #[test]
    fn short_and_quoted() {
        for (x, want) in [(1.0, "1"), (-1.0, "-1"), (0.5, "0.5"), (2.25, "2.25"), (0.1 + 0.2, "0.3"), (100.0, "100")] {
            assert_eq!(short(x), want);
        }
        assert_eq!(short(f64::NAN), "NaN");
        for s in ["n1", "a \"b\"", "back\\slash", "tab\there", "new\nline", "\u{7}bell", "节点"] {
            assert_eq!(quoted(s), format!("{s:?}"), "{s}");
        }
    }

    #[test]
    fn parse_decimal_agrees_with_std_on_typed_numbers() {
        for s in [
            "0", "1", "-1", "+2", "0.1", "0.25", "1.5", "3.", ".5", "100", "0.001", "1e3", "2.5E-2", "-7.125", "12345.6789",
            "0.000001", "999999999999999", "1e22", "1e-22", "0.3", "64", "007", "1.0e0",
        ] {
            assert_eq!(parse_decimal(s), Some(s.parse::<f64>().unwrap()), "{s}");
        }
        for s in ["", "-", ".", "e3", "1e", "1.2.3", "abc", "1,5", " 1", "1 ", "0x10", "--1", "1e+"] {
            assert_eq!(parse_decimal(s), None, "{s:?}");
        }
        let long = "3.14159265358979323846264338327950288";
        let got = parse_decimal(long).unwrap();
        assert!((got - std::f64::consts::PI).abs() < 1e-15);
        assert_eq!(parse_decimal("1e999"), Some(f64::INFINITY));
        assert_eq!(parse_decimal("1e-999"), Some(0.0));
    }
}
