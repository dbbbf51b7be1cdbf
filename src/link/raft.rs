//! Shared links: everything needed to reproduce what is on screen, carried
//! in the URL's query string, and read back defensively.
//!
//! A link is untrusted input. Parsing never panics; each bad parameter is
//! reported as a [`LinkError`] (which parameter, why) and dropped, so the
//! page falls back to defaults for it and keeps the rest. Text from a link
//! is only ever rendered as text, never as HTML.
//!
//! Parameters: `view` (raft|ring|cluster), `lang` (en|zh), `embed=1`,
//! `autoplay=1`, `speed` (virtual seconds per wall second, 0.001–1),
//! `p` (a bundled preset name) or `s` (a whole scenario, base64url JSON),
//! `a` (user actions so far, base64url JSON `[[event, time_us, action], …]`),
//! `e` (position: event number), `t` (the clock, µs, when paused between
//! events), `tour` (`chapter.step`), `ring` (the ring
//! view's settings, base64url JSON: [`super::ring`]; the ring view validates it),
//! `cl` (the cluster view's actions and time, base64url JSON:
//! [`super::cluster`]; the cluster view validates it), `x=1` (the Raft
//! view in the page's extended module: reads, sessions, clock drift; the
//! loader in `Trunk.toml` picks the module by it).

use std::rc::Rc;
use serde::{Deserialize, Serialize};

pub use super::{encode_b64, LinkError};
use super::decode_b64;
use crate::sim::{presets, Action, Scenario};

/// Longest query we read at all (a hostile link can't make us parse megabytes).
pub const MAX_QUERY_LEN: usize = 64 * 1024;
/// Most user actions a link may carry.
pub const MAX_ACTIONS: usize = 5_000;

/// One user action as recorded by the simulator's history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LinkAction(pub u64, pub u64, pub Action);

/// Where the Raft simulation comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    Preset(String),
    /// Shared, not copied, between the run, the app's state and its link:
    /// an imported run can hold a megabyte of initial logs.
    Scenario(Rc<Scenario>),
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Link {
    pub view: Option<String>,
    pub lang: Option<String>,
    pub embed: bool,
    pub autoplay: bool,
    pub speed: Option<f64>,
    pub source: Option<Source>,
    pub actions: Vec<LinkAction>,
    pub event: Option<u64>,
    pub time: Option<u64>,
    pub tour: Option<(usize, usize)>,
    pub ring: Option<String>,
    pub cluster: Option<String>,
    /// `x=1`: the page's extended module shows the Raft view.
    pub extended: bool,
    /// `m=1`: open the Raft run in manual mode at its position (the lean
    /// module's "Choose each event" hands a run over so; links the page
    /// writes carry the mode as an action instead).
    pub manual: bool,
    /// `p`, `s` and `a` as given, when read by a page module without the Raft
    /// view ([`parse_with`] without a reader): carried unread so the link
    /// keeps them, and checked when the Raft view's module opens it.
    pub raft_raw: Vec<(String, String)>,
}

/// Reads one of the Raft run's parameters (`p`, `s`, `a`) into a link.
pub type RaftReader = fn(&mut Link, &str, &str) -> Result<(), LinkError>;

fn bad(param: &str, reason: impl Into<String>) -> LinkError {
    LinkError::new(param, reason)
}

fn flag(param: &str, value: &str) -> Result<bool, LinkError> {
    match value {
        "" | "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(bad(param, format!("expected 1 or 0, got \"{}\"", clip(value)))),
    }
}

/// Shorten untrusted text before quoting it in a message.
fn clip(s: &str) -> String {
    super::clip(s, 40)
}

/// The Raft view's reader of `p`, `s` and `a`: a bundled preset's name, a
/// whole scenario, the user's actions (checked here, so a bad one is reported
/// The farthest event position a link may ask for: minutes of catch-up in
/// the page at most (which reaches it a slice per frame, see
/// `ui::raft::controller::Catchup`).
pub const MAX_LINK_EVENT: u64 = 10_000_000;
/// The latest clock a link may ask for (µs): one day of virtual time.
pub const MAX_LINK_TIME_US: u64 = 86_400_000_000;

/// with the other link errors).
pub fn read_raft_param(link: &mut Link, key: &str, value: &str) -> Result<(), LinkError> {
    match key {
        "p" => {
            if presets::EXTENDED.contains(&value) && !presets::exists(value) {
                return Err(bad(key, crate::sim::scenario::NEEDS_EXTENDED));
            }
            if !presets::exists(value) {
                return Err(bad(key, format!("no scenario named \"{}\"", clip(value))));
            }
            link.source = Some(Source::Preset(value.to_string()));
        }
        "s" => {
            let text = decode_b64(key, value)?;
            let sc = Scenario::from_json(&text).map_err(|e| bad(key, format!("scenario: {e}")))?;
            link.source = Some(Source::Scenario(Rc::new(sc)));
        }
        "a" => {
            let text = decode_b64(key, value)?;
            // Through `Value`, like every other JSON the app reads: one
            // deserializer type keeps the wasm from carrying two copies
            // of every `Deserialize` impl.
            let actions: Vec<LinkAction> = serde_json::from_str::<serde_json::Value>(&text)
                .and_then(serde_json::from_value)
                .map_err(|e| bad(key, format!("actions: {e}")))?;
            if actions.len() > MAX_ACTIONS {
                return Err(bad(key, format!("too many actions ({}; at most {MAX_ACTIONS})", actions.len())));
            }
            if actions.windows(2).any(|w| w[1].0 < w[0].0 || w[1].1 < w[0].1) {
                return Err(bad(key, "actions are not in time order"));
            }
            link.actions = actions;
        }
        _ => return Err(bad(key, "unknown parameter")),
    }
    Ok(())
}

/// Reads a link with every parameter checked (the CLI, the tests, the Raft view's module).
pub fn parse(query: &str) -> (Link, Vec<LinkError>) {
    parse_with(query, Some(read_raft_param))
}

/// Parse a query string (with or without the leading `?`). `raft` reads the
/// Raft run's parameters; without it (the page modules of the other views)
/// they are kept unread in `raft_raw`.
pub fn parse_with(query: &str, raft: Option<RaftReader>) -> (Link, Vec<LinkError>) {
    let mut link = Link::default();
    let mut errors = Vec::new();
    let query = query.strip_prefix('?').unwrap_or(query);
    // Too long to read: only the view, the language and embed mode are
    // taken, so the page opens in the module and frame the link meant and
    // says what happened there (instead of in another view, message lost).
    let too_long = query.len() > MAX_QUERY_LEN;
    if too_long {
        errors.push(bad("", format!("the link is too long ({} bytes; at most {MAX_QUERY_LEN})", query.len())));
    }
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        let (key, value) = (key.as_ref(), value.as_ref());
        if too_long && !matches!(key, "view" | "lang" | "embed" | "x") {
            continue;
        }
        let result: Result<(), LinkError> = (|| {
            match key {
                "view" => match value {
                    "raft" | "ring" | "cluster" => link.view = Some(value.to_string()),
                    _ => return Err(bad(key, format!("unknown view \"{}\" (raft, ring or cluster)", clip(value)))),
                },
                "lang" => {
                    if crate::i18n::Lang::from_code(value).is_none() {
                        return Err(bad(key, format!("unknown language \"{}\" (en or zh)", clip(value))));
                    }
                    link.lang = Some(value.to_string());
                }
                "embed" => link.embed = flag(key, value)?,
                "x" => link.extended = flag(key, value)?,
                "m" => link.manual = flag(key, value)?,
                "autoplay" => link.autoplay = flag(key, value)?,
                "speed" => {
                    let s: f64 = crate::num::parse_decimal(value).ok_or_else(|| bad(key, format!("not a number: \"{}\"", clip(value))))?;
                    if !(s.is_finite() && (0.001..=1.0).contains(&s)) {
                        return Err(bad(key, "must be between 0.001 and 1"));
                    }
                    link.speed = Some(s);
                }
                "p" | "s" | "a" => match raft {
                    Some(read) => read(&mut link, key, value)?,
                    None => link.raft_raw.push((key.to_string(), value.to_string())),
                },
                "e" | "t" => {
                    let (what, max) = if key == "e" { ("an event number", MAX_LINK_EVENT) } else { ("a time in µs", MAX_LINK_TIME_US) };
                    let n: u64 = value.parse().map_err(|_| bad(key, format!("not {what}: \"{}\"", clip(value))))?;
                    // Past the limit: open the nearest valid position, and say so.
                    let slot = if key == "e" { &mut link.event } else { &mut link.time };
                    *slot = Some(n.min(max));
                    if n > max {
                        return Err(bad(key, format!("at most {max} (the farthest a link may ask for); opened there")));
                    }
                }
                "tour" => {
                    let (c, s) = value.split_once('.').unwrap_or((value, "0"));
                    match (c.parse(), s.parse()) {
                        (Ok(c), Ok(s)) => link.tour = Some((c, s)),
                        _ => return Err(bad(key, format!("expected chapter.step, got \"{}\"", clip(value)))),
                    }
                }
                "ring" => link.ring = Some(decode_b64(key, value)?),
                "cl" => link.cluster = Some(decode_b64(key, value)?),
                _ => return Err(bad(key, "unknown parameter")),
            }
            Ok(())
        })();
        if let Err(e) = result {
            errors.push(e);
        }
    }
    // Actions only make sense on the simulation they were recorded on.
    if !link.actions.is_empty() && link.source.is_none() {
        errors.push(bad("a", "actions given without a scenario (p or s); ignored"));
        link.actions.clear();
    }
    (link, errors)
}

/// The query string (without `?`) for a link. Omits defaults.
/// `s`: the scenario as base64url JSON, kept for the last scenario asked:
/// the page writes its link after every action, and encoding a large
/// imported run each time blocked it for ~100 ms (issue 18); comparing is
/// far cheaper.
fn scenario_b64(sc: &Rc<Scenario>) -> Rc<str> {
    thread_local! {
        static LAST: std::cell::RefCell<Option<(Rc<Scenario>, Rc<str>)>> = const { std::cell::RefCell::new(None) };
    }
    LAST.with_borrow_mut(|last| match last {
        Some((k, v)) if k == sc => v.clone(),
        _ => last.insert((sc.clone(), encode_b64(&sc.to_json()).into())).1.clone(),
    })
}

/// A lower bound of `encode(link).len()` read off the scenario's initial
/// logs without writing them (an imported file can hold a megabyte): a
/// compact term writes at least "1,", an entry at least `{"term":1,"command":`
/// and more, and base64 makes 4 bytes of 3.
pub fn length_at_least(link: &Link) -> usize {
    let Some(Source::Scenario(sc)) = &link.source else { return 0 };
    let items = sc.initial.iter().flatten().flat_map(|n| &n.log);
    items.map(|i| if matches!(i, crate::sim::LogItem::Term(_)) { 2 } else { 20 }).sum::<usize>() / 3 * 4
}

/// `application/x-www-form-urlencoded` pairs written as
/// `form_urlencoded::Serializer` writes them (a test checks it against the
/// crate), without the crate's 768-byte table of escapes and its generic
/// serializer (src/lean/mod.rs). Reading links stays with the crate.
struct Query(String);

impl Query {
    fn append_pair(&mut self, key: &str, value: &str) {
        if !self.0.is_empty() {
            self.0.push('&');
        }
        form_escape(&mut self.0, key);
        self.0.push('=');
        form_escape(&mut self.0, value);
    }

    fn finish(self) -> String {
        self.0
    }
}

/// One key or value: `*-._`, ASCII letters and digits as they are, a space
/// as `+`, every other byte as `%XX`.
fn form_escape(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in text.as_bytes() {
        match b {
            b'*' | b'-' | b'.' | b'_' | b'0'..=b'9' | b'A'..=b'Z' | b'a'..=b'z' => out.push(b as char),
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                out.push(HEX[usize::from(b >> 4)] as char);
                out.push(HEX[usize::from(b & 15)] as char);
            }
        }
    }
}

pub fn encode(link: &Link) -> String {
    let mut q = Query(String::new());
    if let Some(v) = &link.view {
        q.append_pair("view", v);
    }
    if let Some(l) = &link.lang {
        q.append_pair("lang", l);
    }
    if link.embed {
        q.append_pair("embed", "1");
    }
    if link.autoplay {
        q.append_pair("autoplay", "1");
    }
    if link.extended {
        q.append_pair("x", "1");
    }
    if link.manual {
        q.append_pair("m", "1");
    }
    if let Some(s) = link.speed {
        q.append_pair("speed", &crate::num::short(s));
    }
    match &link.source {
        Some(Source::Preset(p)) => {
            q.append_pair("p", p);
        }
        Some(Source::Scenario(sc)) => {
            q.append_pair("s", &scenario_b64(sc));
        }
        None => {}
    }
    if !link.actions.is_empty() {
        let json = serde_json::to_string(&link.actions).unwrap_or_default();
        q.append_pair("a", &encode_b64(&json));
    }
    for (k, v) in &link.raft_raw {
        q.append_pair(k, v);
    }
    if let Some(e) = link.event {
        q.append_pair("e", &e.to_string());
    }
    if let Some(t) = link.time {
        q.append_pair("t", &t.to_string());
    }
    if let Some((c, s)) = link.tour {
        q.append_pair("tour", &format!("{c}.{s}"));
    }
    if let Some(r) = &link.ring {
        q.append_pair("ring", &encode_b64(r));
    }
    if let Some(c) = &link.cluster {
        q.append_pair("cl", &encode_b64(c));
    }
    q.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_is_written_as_form_urlencoded_writes_it() {
        let mut texts: Vec<String> = vec![String::new(), " ".into(), "a b&c=d?e#f%g+h/i".into(), "中文 ✓".into(), "*-._~!'()".into()];
        texts.push((0u8..=127).map(char::from).collect());
        texts.push((0u32..0x800).filter_map(char::from_u32).collect());
        let mut x = 0x9e37_79b9u32;
        for _ in 0..500 {
            let len = (x % 24) as usize;
            texts.push((0..len).map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                char::from_u32(x % 0x3000).unwrap_or('?')
            }).collect());
        }
        let (mut ours, mut theirs) = (Query(String::new()), form_urlencoded::Serializer::new(String::new()));
        for pair in texts.windows(2) {
            ours.append_pair(&pair[0], &pair[1]);
            theirs.append_pair(&pair[0], &pair[1]);
        }
        assert_eq!(ours.finish(), theirs.finish());
    }

    #[test]
    fn length_at_least_is_a_lower_bound() {
        let entry = |t: u64| crate::sim::LogItem::Entry(crate::raft::Entry::new(t, crate::raft::Command::Set { key: "k".into(), value: "v".into() }));
        for (terms, entries) in [(0, 0), (1, 0), (0, 1), (3, 2), (2_000, 0), (0, 500), (700, 700)] {
            let node = crate::sim::InitialNode {
                term: 9,
                log: (0..terms).map(|_| crate::sim::LogItem::Term(1)).chain((0..entries).map(|_| entry(1))).collect(),
                ..Default::default()
            };
            let sc = Scenario { nodes: 3, initial: Some(vec![node.clone(), node.clone(), node]), ..Scenario::default() };
            let link = Link { source: Some(Source::Scenario(Rc::new(sc))), ..Link::default() };
            let (least, len) = (length_at_least(&link), encode(&link).len());
            assert!(least <= len, "{terms} terms, {entries} entries: bound {least} > {len}");
            assert!(terms + entries < 500 || least * 3 > len, "{terms} terms, {entries} entries: bound {least} far below {len}");
        }
    }

    #[test]
    fn round_trip_keeps_everything() {
        let sc = Scenario::from_json(presets::get("figure-8").unwrap()).unwrap();
        let link = Link {
            view: Some("raft".into()),
            lang: Some("zh".into()),
            embed: true,
            autoplay: true,
            speed: Some(0.05),
            source: Some(Source::Scenario(Rc::new(sc))),
            actions: vec![LinkAction(3, 1500, Action::Crash { node: 2 }), LinkAction(9, 2500, Action::Heal)],
            event: Some(42),
            time: Some(1_234_567),
            tour: Some((2, 3)),
            ring: Some("{\"nodes\":5}".into()),
            cluster: Some("{\"actions\":[]}".into()),
            extended: true,
            manual: true,
            raft_raw: vec![],
        };
        let q = encode(&link);
        let (back, errors) = parse(&format!("?{q}"));
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(back, link);
    }

    /// The other views' modules carry the Raft run's parameters unread, and
    /// write them back exactly; the Raft view's module then checks them.
    #[test]
    fn without_a_raft_reader_raft_parameters_are_carried_unread() {
        let sc = encode_b64(presets::get("figure-8").unwrap());
        let query = format!("view=ring&s={sc}&a=bm90IGpzb24&e=7&ring=e30");
        let (link, errors) = parse_with(&query, None);
        assert!(errors.is_empty(), "{errors:?}");
        assert!(link.source.is_none() && link.actions.is_empty());
        assert_eq!(link.raft_raw, vec![("s".to_string(), sc.clone()), ("a".to_string(), "bm90IGpzb24".to_string())]);
        assert_eq!(encode(&link), query, "written back as given");
        // The Raft view's module reads the same link and reports the bad actions.
        let (read, errors) = parse(&query);
        assert!(matches!(read.source, Some(Source::Scenario(_))));
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].path, "a");
    }

    #[test]
    fn bad_parameters_are_reported_and_dropped_never_panic() {
        let (link, errors) = parse("view=<script>&lang=fr&speed=9&p=nope&e=x&a=%%%&s=e30&zzz=1&embed=maybe&view=ring");
        assert_eq!(link.view.as_deref(), Some("ring"), "a later good value still counts");
        assert!(link.event.is_none() && !link.embed);
        assert!(matches!(link.source, Some(Source::Scenario(_))), "the valid `s` survives the bad `p`");
        let params: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
        for p in ["view", "lang", "speed", "p", "e", "a", "zzz", "embed"] {
            assert!(params.contains(&p), "{p} reported: {errors:?}");
        }
        // `s=e30` is "{}": an empty scenario is valid (all defaults).
        assert!(!params.contains(&"s"));
    }

    #[test]
    fn actions_without_scenario_are_ignored_with_a_message() {
        let a = encode_b64("[[1,10,{\"type\":\"heal\"}]]");
        let (link, errors) = parse(&format!("a={a}"));
        assert!(link.actions.is_empty());
        assert_eq!(errors.len(), 1);
    }

    #[test]
    fn a_scenario_error_names_the_field() {
        let s = encode_b64("{\"nodes\": 42}");
        let (_, errors) = parse(&format!("s={s}"));
        assert_eq!(errors.len(), 1);
        assert!(errors[0].reason.contains("nodes"), "{errors:?}");
    }

    #[test]
    fn overlong_links_are_refused_whole() {
        let (link, errors) = parse(&"x".repeat(MAX_QUERY_LEN + 1));
        assert_eq!(link, Link::default());
        assert_eq!(errors.len(), 1);
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_queries_never_panic(q in ".{0,300}") {
            let _ = parse(&q);
        }
    }
}
