//! The bundled scenarios, shared by the page, the CLI and the tests.
//! The JSON files in `scenarios/` are the single source.
//!
//! Natively every one is compiled in. The page compiles in only the
//! default (its first screen); the others ship as `static/presets.json`
//! (generated from `scenarios/`, checked by a test below) and are fetched
//! the first time a link, the picker or the tour names one (`ui::fetch`).

macro_rules! preset {
    ($name:literal) => {
        ($name, include_str!(concat!("../../scenarios/", $name, ".json")))
    };
}

/// The scenario the page opens with.
pub const DEFAULT: &str = "leader-election";

/// The default preset's run, built in code for the page's first module
/// (`ui::first`), which links no JSON reader: the same servers, seed,
/// timing and stop conditions as `scenarios/leader-election.json`, without
/// its name and description (the first picture already shows them). A test
/// below checks it against the file, so the two runs stay one.
pub fn default_run() -> super::Scenario {
    use super::scenario::Until;
    super::Scenario { nodes: 5, seed: 1, until: vec![Until::LeaderElected, Until::TimeMs(5000)], ..Default::default() }
}

/// The file the page fetches the other presets from.
pub const FILE: &str = "presets.json";

/// Every bundled scenario's file stem, in menu order.
pub const NAMES: [&str; 25] = [
    "leader-election",
    "split-vote",
    "leader-crash",
    "minority-partition",
    "figure-7",
    "figure-8",
    "bug-commit-old-terms",
    "bug-forget-vote-on-crash",
    "bug-skip-consistency-check",
    "bug-skip-up-to-date-check",
    "rejoin-without-prevote",
    "rejoin-with-prevote",
    "isolated-leader",
    "check-quorum",
    "leader-transfer",
    // The extended module's, to the end (`EXTENDED`).
    "stale-lease-read",
    "stale-lease-read-index",
    "retry-without-sessions",
    "retry-with-sessions",
    "add-server",
    "add-server-no-catch-up",
    "remove-leader",
    "replace-server",
    "joint-change",
    "install-snapshot",
];

/// The presets that need the extended protocol (reads outside the log,
/// sessions, drift, the history check, membership changes, compaction):
/// the last ten of [`NAMES`]. The page's lean modules list them but do not
/// run them; choosing one opens the extended module (see `src/lean/mod.rs`).
pub const EXTENDED: &[&str] = NAMES.split_at(NAMES.len() - 10).1;

/// The presets this build runs, in menu order (the extended ones are
/// last in [`NAMES`]).
pub fn offered() -> &'static [&'static str] {
    if cfg!(feature = "extended") {
        &NAMES
    } else {
        &NAMES[..NAMES.len() - EXTENDED.len()]
    }
}

/// Whether `name` is a bundled scenario this build can run (loaded or not).
pub fn exists(name: &str) -> bool {
    offered().contains(&name)
}

/// (file stem, JSON text) for every bundled scenario, in menu order.
#[cfg(not(target_arch = "wasm32"))]
pub fn all() -> Vec<(&'static str, &'static str)> {
    let v = vec![
        preset!("leader-election"),
        preset!("split-vote"),
        preset!("leader-crash"),
        preset!("minority-partition"),
        preset!("figure-7"),
        preset!("figure-8"),
        preset!("bug-commit-old-terms"),
        preset!("bug-forget-vote-on-crash"),
        preset!("bug-skip-consistency-check"),
        preset!("bug-skip-up-to-date-check"),
        preset!("rejoin-without-prevote"),
        preset!("rejoin-with-prevote"),
        preset!("isolated-leader"),
        preset!("check-quorum"),
        preset!("leader-transfer"),
        preset!("stale-lease-read"),
        preset!("stale-lease-read-index"),
        preset!("retry-without-sessions"),
        preset!("retry-with-sessions"),
        preset!("add-server"),
        preset!("add-server-no-catch-up"),
        preset!("remove-leader"),
        preset!("replace-server"),
        preset!("joint-change"),
        preset!("install-snapshot"),
    ];
    debug_assert!(v.iter().map(|p| p.0).eq(NAMES));
    v
}

/// One preset's JSON by name (natively: always, for a bundled name).
#[cfg(not(target_arch = "wasm32"))]
pub fn get(name: &str) -> Option<&'static str> {
    all().into_iter().find(|(n, _)| *n == name).map(|(_, j)| j)
}

/// The fetched file's content: `{"name": "scenario JSON text", …}` for
/// every preset but the default.
#[cfg(not(target_arch = "wasm32"))]
pub fn bundle_json() -> String {
    let map: serde_json::Map<String, serde_json::Value> = all()
        .into_iter()
        .filter(|(n, _)| *n != DEFAULT)
        .map(|(n, j)| (n.to_string(), serde_json::Value::String(j.to_string())))
        .collect();
    serde_json::to_string(&map).expect("strings serialize") + "\n"
}

#[cfg(target_arch = "wasm32")]
thread_local! {
    /// The presets fetched so far (leaked: they live as long as the page).
    static FETCHED: std::cell::RefCell<Vec<(&'static str, &'static str)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// One preset's JSON by name: the default always, the others once
/// `presets.json` has been loaded ([`load`]).
#[cfg(target_arch = "wasm32")]
pub fn get(name: &str) -> Option<&'static str> {
    if name == DEFAULT {
        return Some(preset!("leader-election").1);
    }
    FETCHED.with(|f| f.borrow().iter().find(|p| p.0 == name).map(|p| p.1))
}

/// Installs the fetched `presets.json`; returns how many it held.
#[cfg(target_arch = "wasm32")]
pub fn load(json: &str) -> Result<usize, String> {
    let map: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(json).map_err(|e| format!("{FILE}: {e}"))?;
    let mut got = Vec::new();
    for (name, text) in map {
        let (Some(&stem), Some(text)) = (NAMES.iter().find(|n| **n == name), text.as_str()) else {
            return Err(format!("{FILE}: unexpected entry \"{name}\""));
        };
        got.push((stem, &*Box::leak(text.to_string().into_boxed_str())));
    }
    let n = got.len();
    FETCHED.with(|f| *f.borrow_mut() = got);
    Ok(n)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    /// The first module's run is the default preset's, but for its words.
    #[test]
    fn the_default_run_built_in_code_is_the_default_presets() {
        let mut file = super::super::Scenario::from_json(get(DEFAULT).unwrap()).unwrap();
        file.name.clear();
        file.description.clear();
        assert_eq!(default_run(), file);
    }

    /// `static/presets.json` holds exactly the bundled scenarios but the
    /// default. `UPDATE_ZH=1 cargo test` rewrites it (with the text files).
    #[test]
    fn the_fetched_file_is_generated_from_scenarios() {
        let want = bundle_json();
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/static/presets.json");
        if std::env::var_os("UPDATE_ZH").is_some() {
            std::fs::write(path, &want).unwrap();
        }
        let have = std::fs::read_to_string(path).unwrap_or_default();
        assert!(have == want, "static/presets.json is stale: run `UPDATE_ZH=1 cargo test --lib presets`");
        for name in NAMES {
            assert!(get(name).is_some_and(|j| crate::sim::Scenario::from_json(j).is_ok()), "{name}");
        }
    }
}
