//! What the Raft view draws, built by the simulator: the part of the
//! picture that changes only when an event is processed (the page adds the
//! messages in flight and the clock each frame). The view renders this and
//! never reads `World`'s fields.

use crate::raft::{Entry, Index, NodeId, Role, Term};

use super::action::ClientLoad;
use super::event::{Event, Marker};
use super::history::Sim;
use super::network::{Links, NetworkSettings, Timing};
use super::snapshot::CheckerView;

/// Log entries shown per node (the older ones are summarised as "+N earlier").
pub const LOG_TAIL: usize = 20;

/// One node as the view draws it (log trimmed to its tail).
#[derive(Clone, Debug, PartialEq)]
pub struct NodeFrame {
    pub id: NodeId,
    pub alive: bool,
    pub role: Role,
    pub term: Term,
    pub voted_for: Option<NodeId>,
    pub leader_id: Option<NodeId>,
    pub votes_granted: Vec<NodeId>,
    /// Index of `log_tail[0]`.
    pub log_start: Index,
    pub log_len: Index,
    pub log_tail: Vec<Entry>,
    pub commit_index: Index,
    pub last_applied: Index,
    pub election: Option<(u64, u64)>,
    pub heartbeat: Option<(u64, u64)>,
    pub next_index: Vec<(NodeId, Index)>,
    pub match_index: Vec<(NodeId, Index)>,
    pub kv: Vec<(std::sync::Arc<str>, std::sync::Arc<str>)>,
    /// The rate of this server's clock, parts per million (§6.4.1 drift).
    #[cfg(feature = "extended")]
    pub clock_ppm: u64,
    /// The configuration in effect on this server (§4.1).
    #[cfg(feature = "extended")]
    pub membership: crate::raft::Membership,
    /// What its snapshot covers (§7): last index and term; (0, 0) without one.
    #[cfg(feature = "extended")]
    pub snapshot: (Index, Term),
}

/// Everything that only changes when an event is processed (not with time).
#[derive(Clone, Debug, PartialEq)]
pub struct EventFrame {
    pub event_count: u64,
    pub horizon: u64,
    pub nodes: Vec<NodeFrame>,
    pub recent: Vec<Event>,
    pub checker: CheckerView,
    pub markers: Vec<Marker>,
    pub network: NetworkSettings,
    pub timing: Timing,
    pub links: Links,
    pub client_load: Option<ClientLoad>,
    pub name: String,
    pub description: String,
    pub buggy: bool,
    /// Protocol options in effect now (§9.6 PreVote, §6.2 CheckQuorum).
    pub pre_vote: bool,
    pub check_quorum: bool,
    /// How many user actions the run holds (a new one invalidates the frame).
    pub action_count: usize,
    /// How leaders answer reads (§6.4).
    #[cfg(feature = "extended")]
    pub read_mode: crate::raft::ReadMode,
    /// Log compaction (§7): entries applied between snapshots, 0 = off.
    #[cfg(feature = "extended")]
    pub snapshot_threshold: u64,
    /// New servers join as learners and are caught up first (§4.2.1).
    #[cfg(feature = "extended")]
    pub learner_catch_up: bool,
    /// The client history the view draws: the latest operations and those
    /// of the violations the safety panel lists, in invocation order.
    #[cfg(feature = "extended")]
    pub ops: Vec<super::clients::Op>,
    /// Manual mode (issue 16): the person chooses each event, from `enabled`.
    #[cfg(feature = "extended")]
    pub manual: bool,
    /// In manual mode, every event that can happen next (`World::enabled`).
    #[cfg(feature = "extended")]
    pub enabled: Vec<super::schedule::Step>,
}

/// Client operations shown in the history lane (the latest ones).
#[cfg(feature = "extended")]
pub const HISTORY_OPS: usize = 24;

/// The operations the history lane draws: the last `HISTORY_OPS` and
/// every one a listed violation names.
#[cfg(feature = "extended")]
fn ops_shown(w: &super::world::World) -> Vec<super::clients::Op> {
    // Built on every event frame: look the named ones up by id rather than
    // scanning a long run's whole history.
    let all = w.clients.ops();
    let start = all.len().saturating_sub(HISTORY_OPS);
    let mut named: Vec<u32> = w.checker.violations().iter().take(5).flat_map(|v| v.ops.iter().map(|&o| o as u32)).collect();
    named.retain(|&id| (id as usize) <= start && id > 0);
    crate::order::sort_by_key(&mut named, |&id| id);
    named.dedup();
    named.iter().filter_map(|&id| w.clients.op(id)).chain(all.iter_from(start)).cloned().collect()
}

impl Sim {
    /// How long (virtual µs) the drawing of this run stays as it is from
    /// now, when timer rings are drawn in `election_steps` and
    /// `heartbeat_steps` steps: 0 while a message is on the wire (it moves
    /// every frame); otherwise until the next event or the first ring's
    /// next step, whichever comes sooner (`u64::MAX`: never). The page
    /// sleeps that long between frames while it plays, at most a few frames
    /// (so a lost message's cross fades in a few steps a second), and a
    /// slow run costs only the frames that change (issue 17).
    pub fn still_for(&self, election_steps: u64, heartbeat_steps: u64) -> u64 {
        let w = self.world();
        let now = w.now();
        if w.messages().next().is_some() {
            return 0;
        }
        let step = |t: &Option<super::world::TimerSlot>, steps: u64| t.as_ref().map_or(u64::MAX, |t| (t.deadline.saturating_sub(t.armed_at) / steps.max(1)).max(1));
        let rings = w.nodes.iter().filter(|s| s.alive).map(|s| step(&s.election, election_steps).min(step(&s.heartbeat, heartbeat_steps)));
        let next = self.next_event_time().map_or(u64::MAX, |t| t.saturating_sub(now));
        rings.fold(next, u64::min)
    }

    pub fn event_frame(&self) -> EventFrame {
        let w = self.world();
        let sc = self.scenario();
        let nodes = w
            .nodes
            .iter()
            .map(|s| {
                let n = &s.node;
                let leader = s.alive && n.role() == Role::Leader;
                let members = n.membership().members();
                let peers = members.iter().copied().filter(|&p| p != n.id());
                let log = n.log();
                let off = n.log_offset();
                let start = log.len().saturating_sub(LOG_TAIL);
                NodeFrame {
                    id: n.id(),
                    alive: s.alive,
                    role: n.role(),
                    term: n.current_term(),
                    voted_for: n.voted_for(),
                    leader_id: n.leader_id(),
                    votes_granted: n.votes_granted(),
                    log_start: off + start as Index + 1,
                    log_len: off + log.len() as Index,
                    log_tail: log.to_vec(start, log.len()),
                    commit_index: n.commit_index(),
                    last_applied: n.last_applied(),
                    election: s.election.map(|t| (t.armed_at, t.deadline)),
                    heartbeat: s.heartbeat.map(|t| (t.armed_at, t.deadline)),
                    next_index: if leader { peers.clone().filter_map(|p| n.next_index(p).map(|i| (p, i))).collect() } else { vec![] },
                    match_index: if leader { peers.filter_map(|p| n.match_index(p).map(|i| (p, i))).collect() } else { vec![] },
                    kv: n.kv().iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
                    #[cfg(feature = "extended")]
                    clock_ppm: w.clocks.get(n.id() as usize - 1).map_or(1_000_000, |c| c.rate_ppm),
                    #[cfg(feature = "extended")]
                    membership: n.membership().clone(),
                    #[cfg(feature = "extended")]
                    snapshot: (off, n.snapshot().map_or(0, |s| s.last_term)),
                }
            })
            .collect();
        let bugs = sc.raft.bugs;
        EventFrame {
            event_count: w.events,
            horizon: self.horizon(),
            nodes,
            recent: w.recent.iter().cloned().collect(),
            checker: CheckerView {
                properties: w.checker.status(),
                violations: w.checker.violations().to_vec(),
                total_violations: w.checker.violation_count(),
            },
            markers: w.markers.clone(),
            network: w.network.clone(),
            timing: w.timing.clone(),
            links: w.links.clone(),
            client_load: w.client_load.clone(),
            name: sc.name.clone(),
            description: sc.description.clone(),
            buggy: bugs != crate::raft::Bugs::default(),
            action_count: self.actions().len(),
            pre_vote: w.config.pre_vote,
            check_quorum: w.config.check_quorum,
            #[cfg(feature = "extended")]
            read_mode: w.config.read_mode,
            #[cfg(feature = "extended")]
            snapshot_threshold: w.config.snapshot_threshold,
            #[cfg(feature = "extended")]
            learner_catch_up: w.config.learner_catch_up,
            #[cfg(feature = "extended")]
            ops: ops_shown(w),
            #[cfg(feature = "extended")]
            manual: w.manual,
            #[cfg(feature = "extended")]
            enabled: if w.manual { w.enabled() } else { Vec::new() },
        }
    }
}

#[cfg(all(test, feature = "extended"))]
mod tests {
    use super::*;

    #[test]
    fn the_history_lane_holds_the_latest_ops_and_a_violations_ops_in_order() {
        let mut sim = Sim::from_json(crate::sim::presets::get("stale-lease-read").unwrap()).unwrap();
        sim.run_scenario(10_000);
        let f = sim.event_frame();
        let all = sim.world().clients.ops();
        assert!(all.len() > HISTORY_OPS + 5, "a long enough history");
        let named: Vec<u32> = f.checker.violations[0].ops.iter().map(|&o| o as u32).collect();
        let ids: Vec<u32> = f.ops.iter().map(|o| o.id).collect();
        assert!(named.iter().all(|id| ids.contains(id)), "{named:?} in {ids:?}");
        assert!(all.iter_from(all.len() - HISTORY_OPS).all(|o| ids.contains(&o.id)));
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "invocation order, no repeats");
        assert_eq!(ids.len(), HISTORY_OPS + named.iter().filter(|&&id| (id as usize) <= all.len() - HISTORY_OPS).count());
    }
}
