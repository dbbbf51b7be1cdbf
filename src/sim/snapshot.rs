//! What the page renders: an immutable, serializable picture of the world.


use serde::Serialize;

use crate::raft::{Entry, Index, Membership, NodeId, Role, Term};

use super::action::ClientLoad;
use super::checker::{PropertyStatus, Violation};
use super::event::{Event, Marker};
use super::network::{InFlight, Links, NetworkSettings, Timing};
use super::world::{Stats, World};

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NodeView {
    pub id: NodeId,
    pub alive: bool,
    pub role: Role,
    pub term: Term,
    pub voted_for: Option<NodeId>,
    /// The entries after the snapshot: `log[0]` is index `snapshot_index + 1`.
    pub log: Vec<Entry>,
    /// What the snapshot covers (§7): its last index and term; 0 without one.
    #[serde(skip_serializing_if = "is_zero")]
    pub snapshot_index: Index,
    #[serde(skip_serializing_if = "is_zero")]
    pub snapshot_term: Term,
    /// The configuration in effect on this server (§4.1).
    pub membership: Membership,
    pub commit_index: Index,
    pub last_applied: Index,
    pub leader_id: Option<NodeId>,
    pub votes_granted: Vec<NodeId>,
    /// When the election timer fires, and when it was armed: the page draws
    /// (deadline - now) / (deadline - armed_at) as "fraction of timeout left".
    pub election_deadline: Option<u64>,
    pub election_armed_at: Option<u64>,
    pub heartbeat_deadline: Option<u64>,
    pub heartbeat_armed_at: Option<u64>,
    /// Leader only: (peer, nextIndex) and (peer, matchIndex).
    pub next_index: Vec<(NodeId, Index)>,
    pub match_index: Vec<(NodeId, Index)>,
    pub kv: crate::raft::kv::Kv,
}

fn is_zero(v: &u64) -> bool {
    *v == 0
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CheckerView {
    pub properties: Vec<PropertyStatus>,
    pub violations: Vec<Violation>,
    pub total_violations: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Snapshot {
    /// Virtual time, microseconds.
    pub now: u64,
    pub event_count: u64,
    /// Furthest event reached on this timeline (for the scrubber).
    pub horizon: u64,
    pub nodes: Vec<NodeView>,
    /// Messages on the wire, including lost ones until they vanish.
    pub messages: Vec<InFlight>,
    pub recent_events: Vec<Event>,
    pub network: NetworkSettings,
    pub timing: Timing,
    pub links: Links,
    pub client_load: Option<ClientLoad>,
    pub follow_redirects: bool,
    pub checker: CheckerView,
    pub markers: Vec<Marker>,
    pub stats: Stats,
    pub next_event_time: Option<u64>,
    pub trace_hash: u64,
}

impl Snapshot {
    pub fn of(w: &World, horizon: u64) -> Snapshot {
        let nodes = w
            .nodes
            .iter()
            .map(|s| {
                let n = &s.node;
                let members = n.membership().members();
                let peers = || members.iter().copied().filter(|&p| p != n.id());
                let leader = s.alive && n.role() == Role::Leader;
                NodeView {
                    id: n.id(),
                    alive: s.alive,
                    role: n.role(),
                    term: n.current_term(),
                    voted_for: n.voted_for(),
                    log: n.log().iter().cloned().collect(),
                    snapshot_index: n.log_offset(),
                    snapshot_term: n.snapshot().map_or(0, |s| s.last_term),
                    membership: n.membership().clone(),
                    commit_index: n.commit_index(),
                    last_applied: n.last_applied(),
                    leader_id: n.leader_id(),
                    votes_granted: n.votes_granted(),
                    election_deadline: s.election.map(|t| t.deadline),
                    election_armed_at: s.election.map(|t| t.armed_at),
                    heartbeat_deadline: s.heartbeat.map(|t| t.deadline),
                    heartbeat_armed_at: s.heartbeat.map(|t| t.armed_at),
                    next_index: if leader { peers().filter_map(|p| n.next_index(p).map(|i| (p, i))).collect() } else { vec![] },
                    match_index: if leader { peers().filter_map(|p| n.match_index(p).map(|i| (p, i))).collect() } else { vec![] },
                    kv: n.kv().clone(),
                }
            })
            .collect();
        Snapshot {
            now: w.now,
            event_count: w.events,
            horizon,
            nodes,
            messages: w.in_flight.values().map(|(m, _)| m.clone()).collect(),
            recent_events: w.recent.iter().cloned().collect(),
            network: w.network.clone(),
            timing: w.timing.clone(),
            links: w.links.clone(),
            client_load: w.client_load.clone(),
            follow_redirects: w.follow_redirects,
            checker: CheckerView {
                properties: w.checker.status(),
                violations: w.checker.violations().to_vec(),
                total_violations: w.checker.violation_count(),
            },
            markers: w.markers.clone(),
            stats: w.stats,
            next_event_time: w.next_event_time(),
            trace_hash: w.trace_hash,
        }
    }
}
