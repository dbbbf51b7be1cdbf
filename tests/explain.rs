//! Every typed note, event and violation the bundled scenarios produce is
//! worded in English and Chinese from its values (no placeholder or key
//! left), every pseudocode line a note names gets its values, and the
//! CLI trace carries the typed data with its English wording.

use std::collections::BTreeSet;

use ringraft::i18n::{explain, Lang};
use ringraft::sim::{presets, Sim};

fn clean(s: &str, what: &str) {
    assert!(!s.contains("raft."), "{what}: a key was not found: {s}");
    assert!(!(0..10).any(|i| s.contains(&format!("{{{i}}}"))), "{what}: placeholder left: {s}");
    assert!(!s.trim().is_empty(), "{what}: empty");
}

fn chinese(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[test]
fn every_note_and_event_of_the_presets_is_worded_in_both_languages() {
    let mut notes_seen = BTreeSet::new();
    let mut breaches = 0;
    for (name, json) in presets::all() {
        let mut sim = Sim::from_json(json).expect("preset parses");
        for _ in 0..4000 {
            if !sim.step() {
                break;
            }
            let ev = sim.last_event().expect("an event").clone();
            for l in [Lang::En, Lang::Zh] {
                let line = explain::event_line(l, &ev);
                clean(&line, name);
                if l == Lang::Zh {
                    assert!(chinese(&line), "{name}: not Chinese: {line}");
                }
            }
            for n in &ev.notes {
                let tag = serde_json::to_value(n).unwrap()["note"].as_str().unwrap().to_string();
                notes_seen.insert(tag);
                assert!(n.section().starts_with('§'));
                assert!(!n.lines().is_empty(), "{n:?} names no pseudocode line");
                for &(line, _) in n.lines() {
                    for l in [Lang::En, Lang::Zh] {
                        clean(&explain::evaluated(l, n, line), name);
                        clean(ringraft::i18n::tr(l, explain::line_key(line)), name);
                    }
                }
            }
        }
        for v in sim.violations() {
            breaches += 1;
            for l in [Lang::En, Lang::Zh] {
                clean(&explain::breach(l, &v.breach), name);
            }
            assert!(chinese(&explain::breach(Lang::Zh, &v.breach)));
        }
    }
    assert!(breaches > 0, "the buggy presets break safety");
    for want in [
        "newer_term", "election_started", "vote_refused_already_voted", "vote_refused_log_behind", "vote_granted",
        "vote_received", "became_leader", "noop_appended", "client_entry_appended", "heartbeat_round",
        "append_rejected_missing_entry", "append_rejected_term_mismatch", "append_accepted", "entries_truncated",
        "entries_appended", "follower_committed", "follower_matched", "next_index_backed_up", "leader_committed",
        "applied",
    ] {
        assert!(notes_seen.contains(want), "no preset produced a {want} note: {notes_seen:?}");
    }
}

#[test]
fn the_cli_trace_prints_typed_events_with_their_english() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ringraft"))
        .args(["run", "scenarios/figure-7.json", "--trace"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run the CLI");
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<serde_json::Value> =
        text.lines().filter(|l| l.starts_with('{') && l.contains("\"seq\"")).map(|l| serde_json::from_str(l).unwrap()).collect();
    assert!(lines.len() > 20, "{text}");
    assert!(lines.iter().all(|v| v["what"].is_string() && v["text"].is_string()));
    let rejected = lines
        .iter()
        .find(|v| v["notes"].as_array().is_some_and(|ns| ns.iter().any(|n| n["note"] == "append_rejected_term_mismatch" || n["note"] == "append_rejected_missing_entry")))
        .expect("Figure 7 rejects AppendEntries");
    assert!(rejected["text"].as_str().unwrap().contains("rejected AppendEntries"), "{rejected}");
}

/// A feed line says each thing once: a note that a change already states
/// (a new leader, a newer term) is left out of the line.
#[test]
fn a_feed_line_does_not_repeat_its_changes() {
    let mut sim = Sim::from_json(presets::get("leader-election").unwrap()).unwrap();
    let mut checked = 0;
    for _ in 0..400 {
        sim.step();
        let ev = sim.last_event().unwrap();
        if ev.changes.iter().any(|c| matches!(c, ringraft::sim::Change::BecameLeader { .. })) {
            let line = explain::event_line(Lang::En, ev);
            assert_eq!(line.matches("became leader").count(), 1, "{line}");
            assert!(ev.notes.iter().any(|n| matches!(n, ringraft::raft::Note::BecameLeader { .. })), "the note stays in the event's data");
            checked += 1;
        }
        if ev.changes.iter().any(|c| matches!(c, ringraft::sim::Change::NewTerm { .. })) {
            let line = explain::event_line(Lang::En, ev);
            assert_eq!(line.matches("moved to term").count(), 1, "{line}");
            checked += 1;
        }
    }
    assert!(checked >= 2, "saw a new leader and a term change");
}
