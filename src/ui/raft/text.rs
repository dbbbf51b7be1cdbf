//! The view's text helpers. Events, notes, messages and violations are
//! worded from their typed data by `i18n::explain` (re-exported here).

pub use crate::i18n::explain::*;
use crate::num::fixed;
use crate::raft::Role;
use crate::sim::{MessageInfo, Property};

pub fn role_attr(r: Role) -> &'static str {
    match r {
        Role::Leader => "leader",
        Role::Candidate => "candidate",
        Role::Follower => "follower",
        Role::PreCandidate => "pre-candidate",
    }
}

pub fn property_key(p: Property) -> &'static str {
    match p {
        Property::ElectionSafety => "raft.prop.election_safety",
        Property::LeaderAppendOnly => "raft.prop.leader_append_only",
        Property::LogMatching => "raft.prop.log_matching",
        Property::LeaderCompleteness => "raft.prop.leader_completeness",
        Property::StateMachineSafety => "raft.prop.state_machine_safety",
        Property::Linearizability => "raft.prop.linearizability",
    }
}

pub fn property_help_key(p: Property) -> &'static str {
    match p {
        Property::ElectionSafety => "raft.prop.election_safety.help",
        Property::LeaderAppendOnly => "raft.prop.leader_append_only.help",
        Property::LogMatching => "raft.prop.log_matching.help",
        Property::LeaderCompleteness => "raft.prop.leader_completeness.help",
        Property::StateMachineSafety => "raft.prop.state_machine_safety.help",
        Property::Linearizability => "raft.prop.linearizability.help",
    }
}

pub fn msg_info_from(m: &crate::sim::InFlight) -> MessageInfo {
    MessageInfo::of(m, m.drop_reason)
}

/// "1.234 s" of virtual time.
pub fn secs(us: u64) -> String {
    format!("{} s", fixed(us as f64 / 1e6, 3))
}

pub fn ms(us: u64) -> String {
    format!("{} ms", fixed(us as f64 / 1e3, 1))
}
