//! English and Simplified Chinese for every string the page shows.
//!
//! Each part of the UI keeps its strings in its own table file (one row per
//! key: key, English, Chinese) so views can be written side by side. `tr`
//! looks a key up; `trf` also fills `{0}`, `{1}`… placeholders. A missing key
//! shows the key itself, which the tests catch (no untranslated strings).

mod raft;
mod cluster;
mod ring;
mod shell;
mod tour;

use std::fmt::Display;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    /// Parse a language code from a URL or the browser (`zh-CN`, `zh`, `en-US`…).
    pub fn from_code(code: &str) -> Option<Lang> {
        let lower = code.trim().to_ascii_lowercase();
        if lower.starts_with("zh") {
            Some(Lang::Zh)
        } else if lower.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }
}

/// (key, English, Chinese)
pub type Row = (&'static str, &'static str, &'static str);

/// All tables. Add a view's table here.
pub const TABLES: &[&[Row]] = &[
    shell::ROWS,
    tour::ROWS,
    ring::ROWS,
    cluster::ROWS,
    raft::ROWS,
];

/// Every row sorted by key, built once: `tr` runs many times per frame.
fn index() -> &'static [&'static Row] {
    static INDEX: std::sync::OnceLock<Vec<&'static Row>> = std::sync::OnceLock::new();
    INDEX.get_or_init(|| {
        let mut rows: Vec<&'static Row> = TABLES.iter().flat_map(|t| t.iter()).collect();
        crate::order::sort_by_key(&mut rows, |r| r.0);
        rows
    })
}

pub fn lookup(key: &str) -> Option<&'static Row> {
    let rows = index();
    rows.binary_search_by_key(&key, |r| r.0).ok().map(|i| rows[i])
}

/// The string for `key` in `lang`; the key itself when missing.
pub fn tr(lang: Lang, key: &'static str) -> &'static str {
    match lookup(key) {
        Some(&(_, en, zh)) => match lang {
            Lang::En => en,
            Lang::Zh => zh,
        },
        None => key,
    }
}

/// `tr` with `{0}`, `{1}`… replaced by `args`.
pub fn trf(lang: Lang, key: &'static str, args: &[&dyn Display]) -> String {
    let mut out = tr(lang, key).to_string();
    for (i, a) in args.iter().enumerate() {
        out = out.replace(&format!("{{{i}}}"), &a.to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_every_row_is_translated() {
        let mut seen = std::collections::BTreeSet::new();
        for &(key, en, zh) in TABLES.iter().flat_map(|t| t.iter()) {
            assert!(seen.insert(key), "duplicate i18n key {key}");
            assert_eq!(lookup(key).map(|r| r.1), Some(en), "{key} found by lookup");
            assert!(!en.trim().is_empty(), "{key}: empty English");
            assert!(!zh.trim().is_empty(), "{key}: empty Chinese");
            assert!(zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) || zh == en,
                "{key}: Chinese text has no Chinese characters: {zh}");
            let holes = |s: &str| (0..10).filter(|i| s.contains(&format!("{{{i}}}"))).count();
            assert_eq!(holes(en), holes(zh), "{key}: placeholders differ");
        }
    }

    #[test]
    fn trf_fills_placeholders_and_codes_parse() {
        assert_eq!(Lang::from_code("zh-CN"), Some(Lang::Zh));
        assert_eq!(Lang::from_code("en-GB"), Some(Lang::En));
        assert_eq!(Lang::from_code("fr"), None);
        assert_eq!(tr(Lang::En, "no.such.key"), "no.such.key");
    }
}
