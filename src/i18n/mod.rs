//! English and Simplified Chinese for every string the page shows.
//!
//! Each part of the UI keeps its strings in its own table file (one row per
//! key: key, English, Chinese) so views can be written side by side. `tr`
//! looks a key up; `trf` also fills `{0}`, `{1}`… placeholders. A missing key
//! shows the key itself, which the tests catch (no untranslated strings).

mod extended;
mod manual;
mod membership;
mod cluster;
pub mod explain;
mod raft;
mod ring;
mod rules;
mod tour_steps;
mod shell;
mod tour;
mod zh_only;

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

/// (key, English, Chinese) natively — the tables are written that way.
#[cfg(not(target_arch = "wasm32"))]
pub type Row = (&'static str, &'static str, &'static str);
/// (key, English) in the page: the Chinese column is not compiled into the
/// wasm. It ships as `zh.json` (generated from these tables, see the tests),
/// fetched only when someone reads the page in Chinese, and installed with
/// [`load_zh`].
#[cfg(target_arch = "wasm32")]
pub type Row = (&'static str, &'static str);

/// A table file's rows: `rows! { ("key", "English", "中文"), … }`.
macro_rules! rows {
    ($(($k:literal, $en:literal, $zh:literal $(,)?)),* $(,)?) => {
        #[cfg(not(target_arch = "wasm32"))]
        pub const ROWS: &[super::Row] = &[$(($k, $en, $zh)),*];
        #[cfg(target_arch = "wasm32")]
        pub const ROWS: &[super::Row] = &[$(($k, $en)),*];
    };
}
use rows;

/// A table fetched on demand: natively a table like the others; in the page
/// not compiled in at all (it ships as a JSON file, see [`load_on_demand`]).
macro_rules! on_demand_rows {
    ($(($k:literal, $en:literal, $zh:literal $(,)?)),* $(,)?) => {
        #[cfg(not(target_arch = "wasm32"))]
        pub const ROWS: &[super::Row] = &[$(($k, $en, $zh)),*];
    };
}
use on_demand_rows;

/// Rows whose English the page never shows (keys start with `zh.`): natively
/// a table like the others; in the page an empty one, the Chinese coming
/// from `zh.json`.
macro_rules! zh_only_rows {
    ($(($k:literal, $en:literal, $zh:literal $(,)?)),* $(,)?) => {
        #[cfg(not(target_arch = "wasm32"))]
        pub const ROWS: &[super::Row] = &[$(($k, $en, $zh)),*];
        #[cfg(target_arch = "wasm32")]
        pub const ROWS: &[super::Row] = &[];
    };
}
use zh_only_rows;

/// Rows only some of the page's modules carry: natively and with cargo
/// feature `$feature` a table like the others; in the other modules empty.
macro_rules! feature_rows {
    ($feature:literal; $(($k:literal, $en:literal, $zh:literal $(,)?)),* $(,)?) => {
        #[cfg(not(target_arch = "wasm32"))]
        pub const ROWS: &[super::Row] = &[$(($k, $en, $zh)),*];
        #[cfg(all(target_arch = "wasm32", feature = $feature))]
        pub const ROWS: &[super::Row] = &[$(($k, $en)),*];
        #[cfg(all(target_arch = "wasm32", not(feature = $feature)))]
        pub const ROWS: &[super::Row] = &[];
    };
}
use feature_rows;

/// Rows of the extended client protocol (the extended module's).
macro_rules! extended_rows {
    ($($rows:tt)*) => { super::feature_rows!("extended"; $($rows)*); };
}
use extended_rows;

/// Rows of membership changes and compaction (cargo feature `membership`:
/// the extended module and the cluster view's).
macro_rules! membership_rows {
    ($($rows:tt)*) => { super::feature_rows!("membership"; $($rows)*); };
}
use membership_rows;

/// Text the page fetches when it first needs it: (file, its tables).
#[cfg(not(target_arch = "wasm32"))]
pub const ON_DEMAND: &[(&str, &[&[Row]])] = &[(EXTRA_FILE, &[rules::ROWS, tour_steps::ROWS])];

/// What the first screen does not need: the rules panel's text (`rules.rs`)
/// and the tour's narration (`tour_steps.rs`); next to index.html.
pub const EXTRA_FILE: &str = "extra.json";

/// All tables. Add a view's table here.
pub const TABLES: &[&[Row]] = &[
    shell::ROWS,
    tour::ROWS,
    ring::ROWS,
    cluster::ROWS,
    raft::ROWS,
    extended::ROWS,
    manual::ROWS,
    membership::ROWS,
    zh_only::ROWS,
];

/// The text each of the page's wasm modules carries: the shell and the tour,
/// plus its own view's table (keys are prefixed by view, so a view only
/// names its own; a test checks that).
pub const RAFT_TEXT: &[&[Row]] = &[shell::ROWS, tour::ROWS, raft::ROWS, extended::ROWS, manual::ROWS, membership::ROWS, zh_only::ROWS];
/// The first screen's module (`ui::raft::first`): the Raft view's words.
pub const FIRST_TEXT: &[&[Row]] = &[raft::ROWS];
pub const RING_TEXT: &[&[Row]] = &[shell::ROWS, tour::ROWS, ring::ROWS];
pub const CLUSTER_TEXT: &[&[Row]] = &[shell::ROWS, tour::ROWS, cluster::ROWS];

/// The tables `tr` reads: natively every table, those fetched on demand too.
#[cfg(not(target_arch = "wasm32"))]
fn tables() -> &'static [&'static [Row]] {
    static ALL: std::sync::OnceLock<Vec<&'static [Row]>> = std::sync::OnceLock::new();
    ALL.get_or_init(|| {
        TABLES
            .iter()
            .copied()
            .chain(ON_DEMAND.iter().flat_map(|t| t.1.iter().copied()))
            .collect()
    })
}

/// The tables `tr` reads in the page: the module's own (see [`use_tables`]).
#[cfg(target_arch = "wasm32")]
fn tables() -> &'static [&'static [Row]] {
    MODULE_TABLES.get().copied().unwrap_or(&[])
}

#[cfg(target_arch = "wasm32")]
static MODULE_TABLES: std::sync::OnceLock<&'static [&'static [Row]]> = std::sync::OnceLock::new();

/// Sets the text of this wasm module, before anything is translated.
#[cfg(target_arch = "wasm32")]
pub fn use_tables(t: &'static [&'static [Row]]) {
    let _ = MODULE_TABLES.set(t);
}

/// Every row sorted by key, built once: `tr` runs many times per frame.
fn index() -> &'static [&'static Row] {
    static INDEX: std::sync::OnceLock<Vec<&'static Row>> = std::sync::OnceLock::new();
    INDEX.get_or_init(|| {
        let mut rows: Vec<&'static Row> = tables().iter().flat_map(|t| t.iter()).collect();
        crate::order::sort_by_key(&mut rows, |r| r.0);
        rows
    })
}

pub fn lookup(key: &str) -> Option<&'static Row> {
    position(key).map(|i| index()[i])
}

/// Where `key` sits in the sorted index.
fn position(key: &str) -> Option<usize> {
    index().binary_search_by_key(&key, |r| r.0).ok()
}

/// The string for `key` in `lang`; the key itself when missing. Chinese
/// falls back to English until `zh.json` is installed (the page waits for it
/// before showing Chinese, so the fallback is never seen in practice).
#[inline(never)]
pub fn tr(lang: Lang, key: &'static str) -> &'static str {
    tr_dyn(lang, key).unwrap_or(key)
}

/// Rows installed from the on-demand file: (key, English, Chinese), by key.
/// (One such file today, `extra.json`; a second would need a list here.)
static FETCHED: std::sync::OnceLock<Vec<(&'static str, &'static str, &'static str)>> =
    std::sync::OnceLock::new();

/// `zh.` rows' Chinese, from `zh.json` (the page carries no English for them).
static ZH_ONLY: std::sync::OnceLock<Vec<(&'static str, &'static str)>> = std::sync::OnceLock::new();

#[inline(never)]
/// The string for a key made at run time, if there is one (`tr` takes
/// only `'static` keys, which it returns when missing).
pub fn tr_dyn(lang: Lang, key: &str) -> Option<&'static str> {
    match position(key) {
        Some(i) => Some(match lang {
            Lang::En => index()[i].1,
            Lang::Zh => zh_of(i),
        }),
        None => fetched(lang, key),
    }
}

fn fetched(lang: Lang, key: &str) -> Option<&'static str> {
    if key.starts_with("zh.") {
        let rows = ZH_ONLY.get()?;
        return rows
            .binary_search_by_key(&key, |r| r.0)
            .ok()
            .map(|i| rows[i].1);
    }
    let rows = FETCHED.get()?;
    let i = rows.binary_search_by_key(&key, |r| r.0).ok()?;
    Some(if lang == Lang::En {
        rows[i].1
    } else {
        rows[i].2
    })
}

/// Whether `extra.json` is installed (natively its tables are always there).
pub fn extra_ready() -> bool {
    cfg!(not(target_arch = "wasm32")) || FETCHED.get().is_some()
}

/// Whether `key` can be shown (compiled in, or fetched already).
pub fn has_text(key: &str) -> bool {
    position(key).is_some() || fetched(Lang::En, key).is_some()
}

/// Installs an on-demand file: `{"en": {key: text}, "zh": {key: text}}`,
/// the same keys in both. Returns how many rows were read; anything else
/// is refused whole, so a broken file changes nothing.
pub fn load_on_demand(file: &str, json: &str) -> Result<usize, String> {
    let v: serde_json::Value = serde_json::from_str(json).map_err(|e| format!("{file}: {e}"))?;
    let (Some(en), Some(zh)) = (
        v.get("en").and_then(|x| x.as_object()),
        v.get("zh").and_then(|x| x.as_object()),
    ) else {
        return Err(format!("{file}: expected {{\"en\": {{…}}, \"zh\": {{…}}}}"));
    };
    let leak = |s: &str| -> &'static str { Box::leak(s.to_string().into_boxed_str()) };
    let mut rows = Vec::with_capacity(en.len());
    for (k, e) in en {
        let (Some(e), Some(z)) = (e.as_str(), zh.get(k).and_then(|z| z.as_str())) else {
            return Err(format!("{file}: {k}: expected text in both languages"));
        };
        rows.push((leak(k), leak(e), leak(z)));
    }
    let n = rows.len();
    // serde_json's map iterates in key order: `rows` is sorted. A second
    // load (two quick opens) keeps the first: same file.
    let _ = FETCHED.set(rows);
    Ok(n)
}

/// The contents an on-demand file must have (native only: generated from the table).
#[cfg(not(target_arch = "wasm32"))]
pub fn on_demand_json(rows: &[Row]) -> String {
    let mut en = serde_json::Map::new();
    let mut zh = serde_json::Map::new();
    for r in rows {
        en.insert(r.0.to_string(), serde_json::Value::String(r.1.to_string()));
        zh.insert(r.0.to_string(), serde_json::Value::String(r.2.to_string()));
    }
    let mut obj = serde_json::Map::new();
    obj.insert("en".into(), serde_json::Value::Object(en));
    obj.insert("zh".into(), serde_json::Value::Object(zh));
    let mut s = serde_json::to_string_pretty(&serde_json::Value::Object(obj)).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(not(target_arch = "wasm32"))]
fn zh_of(i: usize) -> &'static str {
    index()[i].2
}

#[cfg(target_arch = "wasm32")]
fn zh_of(i: usize) -> &'static str {
    ZH.get().map_or(index()[i].1, |zh| zh[i])
}

/// Chinese strings installed from `zh.json`, in the order of `index()`.
static ZH: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();

/// Whether Chinese can be shown right now (natively it always can).
pub fn zh_ready() -> bool {
    cfg!(not(target_arch = "wasm32")) || ZH.get().is_some()
}

/// The file the page fetches (next to index.html) before showing Chinese.
pub const ZH_FILE: &str = "zh.json";

/// Installs the Chinese strings from the text of `zh.json`: an object of
/// key → string covering every key. Returns how many strings were read.
/// Refuses anything else, so a broken file leaves the page in English.
pub fn load_zh(json: &str) -> Result<usize, String> {
    let v: serde_json::Value = serde_json::from_str(json).map_err(|e| format!("{ZH_FILE}: {e}"))?;
    let obj = v
        .as_object()
        .ok_or_else(|| format!("{ZH_FILE}: expected an object of key → text"))?;
    let mut zh = Vec::with_capacity(index().len());
    let mut read = 0;
    for row in index() {
        let t = match obj.get(row.0) {
            // Natively the index holds the on-demand tables too; their
            // Chinese is in their own files.
            None if on_demand_key(row.0) => {
                zh.push("");
                continue;
            }
            None => return Err(format!("{ZH_FILE}: no text for {}", row.0)),
            Some(t) => t
                .as_str()
                .ok_or_else(|| format!("{ZH_FILE}: {}: expected text", row.0))?,
        };
        zh.push(&*Box::leak(t.to_string().into_boxed_str()));
        read += 1;
    }
    let n = read;
    let only = obj
        .iter()
        .filter(|(k, _)| k.starts_with("zh.") && position(k).is_none());
    let only = only.filter_map(|(k, v)| {
        Some((
            &*Box::leak(k.clone().into_boxed_str()),
            &*Box::leak(v.as_str()?.to_string().into_boxed_str()),
        ))
    });
    let _ = ZH_ONLY.set(only.collect());
    // A second load (e.g. two quick clicks) keeps the first: same file.
    let _ = ZH.set(zh);
    Ok(n)
}

#[cfg(not(target_arch = "wasm32"))]
fn on_demand_key(key: &str) -> bool {
    ON_DEMAND.iter().flat_map(|t| t.1.iter()).any(|t| t.iter().any(|r| r.0 == key))
}

#[cfg(target_arch = "wasm32")]
fn on_demand_key(_: &str) -> bool {
    false
}

/// The contents `zh.json` must have: every key's Chinese, keys sorted.
#[cfg(not(target_arch = "wasm32"))]
pub fn zh_json() -> String {
    let mut obj = serde_json::Map::new();
    let mut rows: Vec<&Row> = TABLES.iter().flat_map(|t| t.iter()).collect();
    crate::order::sort_by_key(&mut rows, |r| r.0);
    for r in rows {
        obj.insert(r.0.to_string(), serde_json::Value::String(r.2.to_string()));
    }
    let mut s = serde_json::to_string_pretty(&serde_json::Value::Object(obj)).unwrap_or_default();
    s.push('\n');
    s
}

/// `tr` with `{0}`, `{1}`… replaced by `args`.
#[inline(never)]
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
        for &(key, en, zh) in tables().iter().flat_map(|t| t.iter()) {
            assert!(seen.insert(key), "duplicate i18n key {key}");
            assert_eq!(lookup(key).map(|r| r.1), Some(en), "{key} found by lookup");
            assert!(!en.trim().is_empty(), "{key}: empty English");
            assert!(!zh.trim().is_empty(), "{key}: empty Chinese");
            // Chinese characters, or full-width punctuation where a row is only a pattern.
            let chinese = |c: char| {
                ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{ff00}'..='\u{ffef}').contains(&c)
            };
            assert!(
                zh.chars().any(chinese) || zh == en,
                "{key}: Chinese text has no Chinese characters: {zh}"
            );
            let holes = |s: &str| (0..10).filter(|i| s.contains(&format!("{{{i}}}"))).count();
            assert_eq!(holes(en), holes(zh), "{key}: placeholders differ");
        }
    }

    /// `static/zh.json` is what the page fetches for Chinese; it must be
    /// exactly what the tables say. `UPDATE_ZH=1 cargo test` rewrites it.
    #[test]
    fn zh_json_is_generated_from_the_tables() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/static/zh.json");
        let want = zh_json();
        if std::env::var_os("UPDATE_ZH").is_some() {
            std::fs::write(path, &want).expect("write static/zh.json");
        }
        let have = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            have == want,
            "static/zh.json is stale: run `UPDATE_ZH=1 cargo test --lib i18n`"
        );
        assert_eq!(load_zh(&have), Ok(TABLES.iter().map(|t| t.len()).sum()));
    }

    /// Each on-demand file in static/ is generated from its table
    /// (`UPDATE_ZH=1` rewrites them too) and loads back.
    #[test]
    fn on_demand_files_are_generated_from_their_tables() {
        for &(file, tables) in ON_DEMAND {
            let rows: Vec<Row> = tables.iter().flat_map(|t| t.iter().copied()).collect();
            let rows = &rows[..];
            let path = format!("{}/static/{file}", env!("CARGO_MANIFEST_DIR"));
            let want = on_demand_json(rows);
            if std::env::var_os("UPDATE_ZH").is_some() {
                std::fs::write(&path, &want).expect("write on-demand file");
            }
            let have = std::fs::read_to_string(&path).unwrap_or_default();
            assert!(
                have == want,
                "static/{file} is stale: run `UPDATE_ZH=1 cargo test --lib i18n`"
            );
            assert_eq!(load_on_demand(file, &have), Ok(rows.len()));
            assert!(rows.iter().all(|r| has_text(r.0)));
        }
        assert!(load_on_demand("x.json", "{}")
            .unwrap_err()
            .starts_with("x.json: expected"));
        assert!(load_on_demand("x.json", r#"{"en": {"a": "b"}, "zh": {}}"#)
            .unwrap_err()
            .contains("a: expected text"));
    }

    #[test]
    fn a_broken_zh_file_is_refused() {
        assert!(load_zh("not json").unwrap_err().starts_with("zh.json: "));
        assert!(load_zh("[]").is_err());
        let mut v: serde_json::Value = serde_json::from_str(&zh_json()).unwrap();
        v["app.views"] = serde_json::json!(3);
        assert_eq!(
            load_zh(&v.to_string()).unwrap_err(),
            "zh.json: app.views: expected text"
        );
        assert!(load_zh(r#"{"app.views": "视图"}"#)
            .unwrap_err()
            .contains("no text for"));
    }

    /// Each wasm module carries only its view's table, so a view must only
    /// use keys of its own prefix (or the shell's and the tour's).
    /// The page finds a preset's text by keys made from its file stem.
    #[test]
    fn every_bundled_preset_has_a_name_and_a_chinese_description() {
        let has = |k: &str| TABLES.iter().chain(RAFT_TEXT).flat_map(|t| t.iter()).any(|r| r.0 == k)
            || ON_DEMAND.iter().flat_map(|t| t.1.iter()).flat_map(|t| t.iter()).any(|r| r.0 == k);
        for name in crate::sim::presets::NAMES {
            assert!(has(&format!("raft.preset.{name}")), "raft.preset.{name}");
            assert!(has(&format!("zh.raft.preset.{name}.desc")), "zh.raft.preset.{name}.desc");
        }
    }

    #[test]
    fn each_module_has_the_text_its_view_uses() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/src/ui");
        let key_like = |text: &str| -> Vec<&'static str> {
            TABLES
                .iter()
                .flat_map(|t| t.iter())
                .map(|r| r.0)
                .filter(|k| text.contains(&format!("\"{k}\"")))
                .collect()
        };
        for (dir, text) in [
            ("raft", RAFT_TEXT),
            ("ring", RING_TEXT),
            ("cluster", CLUSTER_TEXT),
        ] {
            let has = |k: &str| text.iter().flat_map(|t| t.iter()).any(|r| r.0 == k);
            let mut files: Vec<std::path::PathBuf> = Vec::new();
            for d in [format!("{root}/{dir}"), root.to_string()] {
                for e in std::fs::read_dir(&d).unwrap().flatten() {
                    if e.path().extension().is_some_and(|x| x == "rs") {
                        files.push(e.path());
                    }
                }
            }
            files.push(concat!(env!("CARGO_MANIFEST_DIR"), "/src/tour.rs").into());
            let mut used = 0;
            for f in files {
                for k in key_like(&std::fs::read_to_string(&f).unwrap()) {
                    used += 1;
                    // `zh.` rows come from zh.json, in every module.
                    if k.starts_with("zh.") {
                        continue;
                    }
                    assert!(
                        has(&k),
                        "{} uses {k}, which the {dir} module's text lacks",
                        f.display()
                    );
                }
            }
            assert!(
                used > 50,
                "{dir}: found only {used} keys: the scan is broken"
            );
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
