//! The rules panel: the paper's Figure 2 as compact pseudocode, with the
//! lines the shown event executed lit up and the values each compared
//! (from the event's typed `raft::Note`s, never from prose). Its text is
//! fetched the first time the panel is opened (`extra.json`), so the first
//! screen does not carry it.

use yew::prelude::*;

use crate::i18n::{tr, trf, Lang};
use crate::raft::{Line, Outcome};
use crate::sim::Event;
use crate::ui::widgets::{cls, el, tag, text as txt, when};

use super::text;

/// Figure 2's boxes: (title key, why key, lines), in the paper's order,
/// then the extended protocol's (see [`EXTENDED`]).
const BLOCKS: [(&str, &str, &[Line]); 11] = {
    use Line::*;
    [
        (
            "raft.pc.rv",
            "raft.pc.rv.why",
            &[RvStaleTerm, RvVotedFor, RvUpToDate],
        ),
        (
            "raft.pc.ae",
            "raft.pc.ae.why",
            &[AeStaleTerm, AePrevLog, AeConflict, AeAppend, AeCommit],
        ),
        ("raft.pc.all", "raft.pc.all.why", &[AllApply, AllNewerTerm]),
        ("raft.pc.fol", "raft.pc.fol.why", &[FolTimeout]),
        (
            "raft.pc.cand",
            "raft.pc.cand.why",
            &[CandStart, CandMajority, CandNewLeader, CandTimeout],
        ),
        (
            "raft.pc.lead",
            "raft.pc.lead.why",
            &[
                LeadHeartbeat,
                LeadClient,
                LeadSend,
                LeadSuccess,
                LeadBackUp,
                LeadCommit,
            ],
        ),
        ("raft.pc.pv", "raft.pc.pv.why", &[PvStart, PvMajority, PvStaleTerm, PvLeaderAlive, PvUpToDate]),
        (
            "raft.pc.ext",
            "raft.pc.ext.why",
            &[LeadCheckQuorum, TransferStart, TransferTimeoutNow, TransferAbort, TimeoutNowCampaign],
        ),
        ("raft.pc.rd", "raft.pc.rd.why", &[RvLeaderContact, AllDedup, ReadRecord, ReadConfirm, ReadAnswer, ReadLease]),
        (
            "raft.pc.cfg",
            "raft.pc.cfg.why",
            &[CfgOneAtATime, CfgAppend, CfgCatchUp, CfgLeaveJoint, CfgStepDown, CfgNoElection],
        ),
        ("raft.pc.snap", "raft.pc.snap.why", &[SnapTake, SnapSend, SnapStaleTerm, SnapRetain, SnapLoad]),
    ]
};

/// The extended protocol's blocks (the last two of [`BLOCKS`]) show when
/// their option is on or the event ran one of their lines.
const EXTENDED: usize = 6;

fn outcome_class(o: Outcome) -> &'static str {
    match o {
        Outcome::Fired => "fired",
        Outcome::Passed => "passed",
        Outcome::Refused => "refused",
    }
}

/// The panel. `event`: the event whose rules to show (the current one, or
/// the one that delivered the selected message). `focus`: a rule the guided
/// tour points at. `open`, `fetch`, `ontoggle`: the `<details>` state, kept
/// by the view (plain function, not a component: a component of its own
/// costs ≈ 10 KB of wasm in Yew's generic lifecycle code).
pub fn panel(
    l: Lang,
    event: Option<&Event>,
    focus: Option<Line>,
    open: bool,
    fetch: &crate::ui::fetch::ExtraFetch,
    ontoggle: Callback<yew::Event>,
    options: (bool, bool, bool),
) -> Html {
    let ready = crate::i18n::extra_ready();
    let shown = open && ready;
    let body = if shown {
        rules(l, event, focus, options)
    } else {
        match fetch {
            crate::ui::fetch::ExtraFetch::Failed(e) => el("p", Some("load-error"), trf(l, "raft.rules.error", &[e])),
            _ if open => el("p", Some("hint"), tr(l, "raft.rules.loading")),
            _ => html! {},
        }
    };
    html! {
        <details class="panel pseudo-panel" id="pseudocode" {open} {ontoggle}
            data-ready={shown.then_some("true")} data-event={event.filter(|_| shown).map(|e| e.seq.to_string())}>
            <summary><h2>{ txt(tr(l, "raft.rules")) }</h2></summary>
            { body }
        </details>
    }
}

/// The event's heading and Figure 2's boxes with its lines lit.
/// `options`: (PreVote, CheckQuorum, reads outside the log) on.
fn rules(l: Lang, event: Option<&Event>, focus: Option<Line>, options: (bool, bool, bool)) -> Html {
    // Every (line, outcome, values) the event's notes executed.
    let hits: Vec<(Line, Outcome, String)> = event
        .iter()
        .flat_map(|ev| ev.notes.iter())
        .flat_map(|n| n.lines().iter().map(move |&(line, o)| (line, o, text::evaluated(l, n, line))))
        .collect();
    let head = match event {
        None => tr(l, "raft.pc.hint").to_string(),
        Some(ev) if hits.is_empty() => trf(l, "raft.pc.none", &[&ev.seq]),
        Some(ev) => {
            let mut sections: Vec<&str> = ev.notes.iter().map(|n| n.section()).collect();
            sections.dedup();
            format!("{} {}", trf(l, "raft.pc.event", &[&ev.seq, &ev.node.unwrap_or(0)]), sections.join(" "))
        }
    };
    let blocks = BLOCKS.iter().enumerate().filter_map(|(i, &(title, why, lines))| {
        let active = lines.iter().any(|line| hits.iter().any(|h| h.0 == *line));
        let on = match i.checked_sub(EXTENDED) {
            None => true,
            Some(0) => options.0,
            Some(1) => options.1,
            // Reads and sessions: with ReadIndex or leases on (§6.4), or when
            // the event ran one of their rules.
            Some(2) => options.2,
            // Membership changes and compaction: when the event ran one of their rules.
            Some(_) => false,
        };
        if !(on || active || focus.is_some_and(|f| lines.contains(&f))) {
            return None;
        }
        let items = lines.iter().map(|&line| {
            let mine: Vec<&(Line, Outcome, String)> = hits.iter().filter(|h| h.0 == line).collect();
            // The decisive outcome when several notes ran the line: a refusal, else the last.
            let outcome = mine.iter().find(|h| h.1 == Outcome::Refused).or(mine.last()).map(|h| h.1);
            let values: Vec<&str> = mine.iter().map(|h| h.2.as_str()).collect();
            let key = text::line_key(line);
            tag!("li" "data-line": key, "data-outcome": outcome.map(outcome_class),
                "class": cls(&["pc-line", outcome.map_or("", outcome_class), when(focus == Some(line), "focus")]) =>
                el("code", None, tr(l, key)),
                (!values.is_empty()).then(|| el("span", Some("pc-val"), values.join(" · "))),
            )
        });
        Some(tag!("div" "data-block": title, "class": cls(&["pc-block", when(active, "active")]) =>
            el("h3", None, tr(l, title)),
            html! { <ol>{ for items }</ol> },
            el("p", Some("pc-why"), tr(l, why)),
        ))
    });
    html! { <>
        { el("p", Some("pc-event"), head) }
        <div class="pc-blocks">{ for blocks }</div>
    </> }
}
