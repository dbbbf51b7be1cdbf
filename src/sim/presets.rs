//! The bundled scenarios, shared by the page, the CLI and the tests.
//! The JSON files in `scenarios/` are the single source.

macro_rules! preset {
    ($name:literal) => {
        ($name, include_str!(concat!("../../scenarios/", $name, ".json")))
    };
}

/// (file stem, JSON text) for every bundled scenario, in menu order.
pub fn all() -> Vec<(&'static str, &'static str)> {
    vec![
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
    ]
}

/// One preset's JSON by name.
pub fn get(name: &str) -> Option<&'static str> {
    all().into_iter().find(|(n, _)| *n == name).map(|(_, j)| j)
}
