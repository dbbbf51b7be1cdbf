//! Links as a careless or hostile user writes them: any query string parses
//! without panicking, in bounded work, and whatever it asks for stays within
//! the stated limits (a far position is clamped and reported, not obeyed).

use proptest::prelude::*;
use ringraft::link::raft::{encode, parse, MAX_LINK_EVENT, MAX_LINK_TIME_US};

#[test]
fn far_positions_are_clamped_and_reported() {
    let (link, errors) = parse("?p=leader-election&e=10000000000&t=99999999999999999");
    assert_eq!(link.event, Some(MAX_LINK_EVENT));
    assert_eq!(link.time, Some(MAX_LINK_TIME_US));
    let paths: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(paths, ["e", "t"]);
    assert!(errors[0].reason.contains("at most 10000000"), "{}", errors[0].reason);
    // At the limit: no complaint.
    let (link, errors) = parse(&format!("?e={MAX_LINK_EVENT}"));
    assert_eq!((link.event, errors.len()), (Some(MAX_LINK_EVENT), 0));
}

/// Pieces links are made of, so mutations hit the real parameters.
fn param() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        Just("p"), Just("s"), Just("a"), Just("e"), Just("t"), Just("view"), Just("lang"), Just("embed"),
        Just("speed"), Just("tour"), Just("ring"), Just("cl"), Just("play"), Just("x"),
    ];
    let value = prop_oneof![
        "[0-9]{0,25}",
        "[A-Za-z0-9_\\-]{0,40}",
        "[%=&+ ;,.\\-a-z0-9]{0,20}",
        Just("leader-election".to_string()),
        Just("W1tbMSwxMCx7InR5cGUiOiJoZWFsIn1dXQ".to_string()),
        any::<String>(),
    ];
    (key, value).prop_map(|(k, v)| format!("{k}={v}"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn any_link_parses_within_limits(params in proptest::collection::vec(param(), 0..8), raw in any::<String>()) {
        for q in [format!("?{}", params.join("&")), raw] {
            let (link, _errors) = parse(&q);
            prop_assert!(link.event.is_none_or(|e| e <= MAX_LINK_EVENT));
            prop_assert!(link.time.is_none_or(|t| t <= MAX_LINK_TIME_US));
            // What it kept writes back to a link that reads the same.
            let (again, _) = parse(&format!("?{}", encode(&link)));
            prop_assert_eq!(again.event, link.event);
            prop_assert_eq!(again.source, link.source);
        }
    }
}

#[test]
fn a_link_too_long_to_read_keeps_its_view_language_and_frame() {
    let pad = "x".repeat(70_000);
    let (link, errors) = parse(&format!("?view=ring&lang=zh&embed=1&p=figure-8&ring={pad}"));
    assert_eq!((link.view.as_deref(), link.lang.as_deref(), link.embed), (Some("ring"), Some("zh"), true));
    assert!(link.source.is_none() && link.ring.is_none(), "nothing else is read");
    assert_eq!(errors.len(), 1);
    assert!(errors[0].reason.starts_with("the link is too long"), "{}", errors[0].reason);
    // A second, invalid view does not override a valid one (the loader agrees).
    let (link, errors) = parse("?view=ring&view=bogus");
    assert_eq!((link.view.as_deref(), errors.len()), (Some("ring"), 1));
}
