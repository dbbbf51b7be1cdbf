//! Minifies the views' style sheets (static/{ring,cluster,extended}.css; raft.css is a style sheet of index.html) into
//! OUT_DIR for `include_str!` (src/ui/mod.rs): comments and layout
//! whitespace out, nothing else changed. One of the page-weight measures
//! listed in src/lean/mod.rs.

use std::{env, fs, path::Path};

/// Drops `/* … */` comments, collapses whitespace, and removes it where CSS
/// never needs it: around `{`, `}`, `;`, `,`, `>` and after `:`.
fn minify(css: &str) -> String {
    let mut text = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(i) = rest.find("/*") {
        text.push_str(&rest[..i]);
        rest = rest[i + 2..].find("*/").map_or("", |j| &rest[i + 2 + j + 2..]);
    }
    text.push_str(rest);
    // Whitespace inside a quoted string matters; this minifier does not
    // track strings, so it refuses them rather than change one.
    assert!(!text.contains(['"', '\'']), "quoted strings in a style sheet: teach build.rs's minifier about them");
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        let tight = |c: char| matches!(c, '{' | '}' | ';' | ',' | '>');
        if space && !out.is_empty() && !tight(c) && !out.ends_with(|p: char| tight(p) || p == ':') {
            out.push(' ');
        }
        space = false;
        if c == '}' && out.ends_with(';') {
            out.pop();
        }
        out.push(c);
    }
    out
}

fn main() {
    let out = env::var("OUT_DIR").expect("OUT_DIR");
    for name in ["ring", "cluster", "extended"] {
        let src = format!("static/{name}.css");
        println!("cargo:rerun-if-changed={src}");
        let css = fs::read_to_string(&src).unwrap_or_else(|e| panic!("{src}: {e}"));
        fs::write(Path::new(&out).join(format!("{name}.css")), minify(&css)).expect("write minified css");
    }
}
