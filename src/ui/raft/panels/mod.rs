//! The Raft view's side and bottom panels, one file each: the log grid,
//! the space-time diagram, the inspector, the event feed and the safety
//! status. Plain functions of the frame (a function component costs about
//! 10 KB of wasm each; the page is at its weight budget), with the
//! classes and colours they share here.

mod feed;
mod inspector;
mod logs;
mod safety;
mod spacetime;

pub use feed::feed;
pub use inspector::inspector;
pub use logs::logs;
pub use safety::safety;
pub use spacetime::spacetime;

use crate::raft::{AppendEntries, AppendEntriesResponse, Message, RequestVoteResponse};
use crate::sim::EventKind;

/// `k-<event kind>`, the class of an event in the feed and the diagram.
#[inline(never)]
fn kind_class_of(kind: EventKind) -> String {
    format!("k-{kind:?}").to_ascii_lowercase()
}

pub fn term_color(term: u64) -> String {
    format!("hsl({} 65% 82%)", (term * 67 + 200) % 360)
}

/// The class of a message kind (the legend's, the picture's and the diagram's).
pub fn kind_class(m: &Message) -> &'static str {
    match m {
        Message::RequestVote(_) => "rv",
        Message::RequestVoteResponse(RequestVoteResponse { vote_granted: true, .. }) => "vote-yes",
        Message::RequestVoteResponse(_) => "vote-no",
        Message::AppendEntries(AppendEntries { entries, .. }) if entries.is_empty() => "hb",
        Message::AppendEntries(_) => "ae",
        Message::AppendEntriesResponse(AppendEntriesResponse { success: true, .. }) => "ae-ok",
        Message::AppendEntriesResponse(_) => "ae-fail",
        Message::PreVote(_) => "pv",
        Message::PreVoteResponse(r) if r.vote_granted => "pv-yes",
        Message::PreVoteResponse(_) => "pv-no",
        Message::TimeoutNow(_) => "tn",
        #[cfg(feature = "extended")]
        Message::InstallSnapshot(_) => "is",
        #[cfg(feature = "extended")]
        Message::InstallSnapshotResponse(_) => "is-ok",
    }
}

