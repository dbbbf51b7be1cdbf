//! The high-availability store: keys → shards by a consistent-hash ring,
//! each shard a Raft group of R replicas on distinct physical servers, all
//! groups running in one deterministic virtual time. Pure: no UI types.
//!
//! # Placement (two rings, both the ring core's `Algorithm::Ring`)
//! - **Key → shard.** The shards are the nodes of a ring ("shard-0",
//!   "shard-1", … with [`SHARD_VNODES`] points each). A key goes to the
//!   first shard point clockwise from `xxh3_64(key)`. Shards are fixed in
//!   this model, so this ring never changes; it is a ring (not `mod S`) so
//!   that splitting a shard would move only that shard's keys.
//! - **Shard → servers.** The physical servers are the nodes of a second
//!   ring; a shard's R replicas are the ring's *preference list* of the
//!   shard's name: the next R distinct servers clockwise from
//!   `xxh3_64("shard-i")`. Adding or removing a server changes only the
//!   preference lists the server's points cut into.
//!
//! # Groups
//! Each shard is one [`Sim`] that starts with R nodes (Raft nodes `S1..SR`
//! on the preference list's servers, in order), seeded from the master
//! seed and the shard index. Groups share nothing, so advancing each to the
//! same time is the same as running them in one event queue. A server fault
//! becomes the matching action on every replica it hosts.
//!
//! # Moving replicas (`moves.rs`)
//! When a preference list changes, the replica on the server leaving it
//! moves to the server entering it by two Raft membership changes in the
//! shard's group, through its leader: a new node (the group's next unused
//! id, up to 9) hosted on the new server joins as a learner, catches up and
//! is promoted (§4.2.1); then the old server's node is removed (§4.2.2) and
//! retired. The group keeps serving throughout while a majority of its
//! configuration is up. A shard's moves run one after another (§4.1: one
//! change at a time); a group that would need more than 9 ids refuses the
//! change that asks for it ([`ClusterError::GroupFull`]). A removed server
//! stays listed, leaving, until it hosts no replica.
//!
//! # What is approximated (and said so in the page)
//! - The client talks to servers with no network delay; only Raft traffic
//!   inside a group has latency.
//! - A partitioned server is cut off from every other server.

mod action;
mod moves;
mod write;

use std::collections::BTreeSet;

use serde::Serialize;

use crate::raft::{Command, Membership, NodeId, Role, Term};
use crate::ring::{hash_key, fraction, node_name, Algorithm, Change, NodeSpec, Placement, RingError, Settings};
use crate::sim::{Action, Scenario, Sim, MS};

pub use action::{check_action, ClusterAction, ClusterRecord, MAX_KEY_LEN, MAX_SERVER_NAME_LEN, MAX_VALUE_LEN};
pub use moves::{
    MoveProgress, MoveStage, MoveStep, Refusal, ReplicaMove, ServerChange, TimedMoveStep, RETRY_FIRST, RETRY_MAX,
};
pub use write::{FailReason, TimedStep, WriteStatus, WriteStep, WriteTrace};

/// Ring points per shard on the key → shard ring.
pub const SHARD_VNODES: u32 = 64;
/// Ring points per server on the shard → server ring.
pub const SERVER_VNODES: u32 = 100;
/// A write with no answer after this long has failed (virtual ms).
pub const WRITE_TIMEOUT_MS: u64 = 2_000;
/// Most servers the page can add.
pub const MAX_SERVERS: usize = 12;

// What a shareable cluster may hold (the link itself: `crate::link::cluster`).
/// Most recorded actions a link may carry. With the key, value and name
/// limits below a full link stays under ~40 KB of JSON, so it fits in a URL
/// (base64url) next to the other parameters.
pub const MAX_LINK_ACTIONS: usize = 300;
/// Latest virtual time a link may ask for (µs): rebuilding simulates every
/// group up to it, so this bounds the work a link can ask of the page
/// (natively, unoptimised, 8 groups take ~0.14 s per virtual minute). The
/// page stops its clock here so what it shows stays shareable.
pub const MAX_LINK_TIME_US: u64 = 600_000 * MS;
/// Longest link JSON read at all.
pub const MAX_LINK_JSON: usize = 64 * 1024;

/// Keys the page shows in its key → shard table.
pub const SAMPLE_KEYS: &[&str] =
    &["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory", "oscar"];

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ClusterConfig {
    pub servers: usize,
    pub shards: usize,
    /// Replicas per shard (R).
    pub replicas: usize,
    pub seed: u64,
}

impl Default for ClusterConfig {
    fn default() -> Self {
        ClusterConfig { servers: 5, shards: 8, replicas: 3, seed: 1 }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum ClusterError {
    /// R must be 1..=9 (a group is a simulator cluster) and ≤ servers.
    BadReplicas { replicas: usize, servers: usize },
    BadShards(usize),
    UnknownServer(String),
    TooManyServers,
    Ring(RingError),
    Scenario(String),
    /// A client write's key: 1..=[`MAX_KEY_LEN`] characters, no control characters.
    BadKey(String),
    BadValue(String),
    /// A server name: 1..=[`MAX_SERVER_NAME_LEN`] characters, no control characters.
    BadServerName(String),
    ServerExists(String),
    /// The server is already being removed.
    ServerLeaving(String),
    /// Removing a server would leave fewer servers than replicas per shard.
    TooFewServers { servers: usize, replicas: usize },
    /// The shard's group has used every Raft id (1..=9): each move takes a new one.
    GroupFull { shard: usize },
    // ----- links (see `crate::link::cluster`) -----
    /// Not a cluster link (serde's message).
    Json(String),
    LinkTooLong { bytes: usize },
    TooManyActions { count: usize },
    /// Action `index` happens before the one before it.
    OutOfOrder { index: usize, time: u64, previous: u64 },
    TimeTooLate { time: u64 },
    /// Action `index` of a link was refused.
    InAction { index: usize, error: Box<ClusterError> },
    NoSuchWrite { write: usize, writes: usize },
}

impl std::fmt::Display for ClusterError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ClusterError::BadReplicas { replicas, servers } => {
                write!(f, "{replicas} replicas per shard need 1..=9 and at most {servers} servers")
            }
            ClusterError::BadShards(s) => write!(f, "{s} shards: need 1..=64"),
            ClusterError::UnknownServer(s) => write!(f, "no server named {}", crate::num::quoted(s)),
            ClusterError::TooManyServers => write!(f, "at most {MAX_SERVERS} servers"),
            ClusterError::Ring(e) => write!(f, "{e}"),
            ClusterError::Scenario(e) => write!(f, "{e}"),
            ClusterError::BadKey(k) => {
                write!(f, "key {}: need 1 to {MAX_KEY_LEN} characters, no control characters", crate::num::quoted(k))
            }
            ClusterError::BadValue(v) => {
                write!(f, "value {}: at most {MAX_VALUE_LEN} characters, no control characters", crate::num::quoted(v))
            }
            ClusterError::BadServerName(n) => {
                write!(f, "server name {}: need 1 to {MAX_SERVER_NAME_LEN} characters, no spaces around, no control characters", crate::num::quoted(n))
            }
            ClusterError::ServerExists(n) => write!(f, "there is already a server named {}", crate::num::quoted(n)),
            ClusterError::ServerLeaving(n) => write!(f, "server {} is already being removed", crate::num::quoted(n)),
            ClusterError::TooFewServers { servers, replicas } => {
                write!(f, "removing a server would leave {servers} servers for {replicas} replicas per shard")
            }
            ClusterError::GroupFull { shard } => {
                write!(f, "shard {shard}'s Raft group has used all 9 node ids (each move takes a new one)")
            }
            ClusterError::Json(e) => write!(f, "not a cluster state: {e}"),
            ClusterError::LinkTooLong { bytes } => write!(f, "cluster state too long ({bytes} bytes; at most {MAX_LINK_JSON})"),
            ClusterError::TooManyActions { count } => write!(f, "{count} actions: at most {MAX_LINK_ACTIONS}"),
            ClusterError::OutOfOrder { index, time, previous } => {
                write!(f, "action {index} at {time} µs comes before the previous one ({previous} µs)")
            }
            ClusterError::TimeTooLate { time } => {
                write!(f, "time {time} µs is past the latest a link may show ({MAX_LINK_TIME_US} µs)")
            }
            ClusterError::InAction { index, error } => write!(f, "action {index}: {error}"),
            ClusterError::NoSuchWrite { write, writes } => write!(f, "write {write} does not exist ({writes} writes)"),
        }
    }
}

impl std::error::Error for ClusterError {}

impl From<RingError> for ClusterError {
    fn from(e: RingError) -> Self {
        ClusterError::Ring(e)
    }
}

/// What adding or removing a server set in motion.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Rebalance {
    pub change: ServerChange,
    pub time: u64,
    /// The replicas to move, at most one per shard; how far each has got:
    /// [`Cluster::move_progress`].
    pub moves: Vec<ReplicaMove>,
}

/// A replica's place in its group's configuration (§4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Member {
    Voter,
    /// Receives the log, does not vote yet (§4.2.1).
    Learner,
    /// Being removed: out of the configuration, or about to be.
    Leaving,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReplicaView {
    pub shard: usize,
    /// Raft node id inside the group (S1..S9).
    pub node: NodeId,
    pub member: Member,
    pub server: String,
    pub alive: bool,
    /// False when its server is partitioned away.
    pub connected: bool,
    pub role: Role,
    pub term: Term,
    pub commit_index: u64,
    pub log_len: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ShardView {
    pub shard: usize,
    pub servers: Vec<String>,
    pub replicas: Vec<ReplicaView>,
    /// The leader able to reach a majority, if any.
    pub leader: Option<String>,
    pub term: Term,
    pub available: bool,
    /// Live replicas the effective leader (or, without one, the largest
    /// connected set) can reach, itself included.
    pub reachable: usize,
    /// Votes a decision needs in the configuration in effect.
    pub majority: usize,
    pub commit_index: u64,
    /// Keys and values the leader has applied (committed writes).
    pub data: Vec<(String, String)>,
    /// The shard's move under way, if any.
    pub moving: Option<MoveView>,
}

/// A move under way, as the page shows it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MoveView {
    /// Index in [`Cluster::moves`].
    pub id: usize,
    pub progress: MoveProgress,
    /// The new node's log length and the leader's, while it catches up.
    pub caught_up: Option<(u64, u64)>,
    /// Moves of this shard still waiting behind this one.
    pub queued: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ServerView {
    pub name: String,
    pub crashed: bool,
    pub isolated: bool,
    /// Removed from the ring; still hosts replicas being moved away.
    pub leaving: bool,
    pub replicas: Vec<ReplicaView>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct KeyView {
    pub key: String,
    pub hash: u64,
    pub fraction: f64,
    pub shard: usize,
    pub available: bool,
}

/// Everything the page draws, at one instant.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClusterView {
    pub now: u64,
    pub replicas_per_shard: usize,
    pub servers: Vec<ServerView>,
    pub shards: Vec<ShardView>,
    pub keys: Vec<KeyView>,
    pub state_hash: u64,
}

struct Group {
    sim: Sim,
    /// Node `id` is hosted on `hosts[id - 1]` (every node the group has had).
    hosts: Vec<String>,
    /// The nodes the shard runs on (not retired), in id order.
    replicas: Vec<NodeId>,
    /// The shard's replicas once its moves are done: (server, node).
    target: Vec<(String, NodeId)>,
}

impl Group {
    fn host(&self, id: NodeId) -> &str {
        &self.hosts[(id - 1) as usize]
    }
    fn on(&self, server: &str) -> impl Iterator<Item = NodeId> + '_ {
        let server = server.to_string();
        self.replicas.iter().copied().filter(move |&id| self.host(id) == server)
    }
    fn servers(&self) -> Vec<String> {
        self.replicas.iter().map(|&id| self.host(id).to_string()).collect()
    }
    fn config(&self) -> Membership {
        moves::configuration(&self.sim, &self.replicas)
    }
}

pub struct Cluster {
    config: ClusterConfig,
    servers: Vec<String>,
    server_ring: Placement,
    shard_ring: Placement,
    groups: Vec<Group>,
    crashed: BTreeSet<String>,
    isolated: BTreeSet<String>,
    now: u64,
    writes: Vec<WriteTrace>,
    rebalances: Vec<Rebalance>,
    /// Every replica move, in the order planned.
    moves: Vec<MoveProgress>,
    /// Servers removed from the ring that still host replicas.
    leaving: BTreeSet<String>,
    /// Actions applied through [`Cluster::apply`], with their times.
    log: Vec<ClusterRecord>,
    /// Actions recorded for later than `now` (after a step back): they happen
    /// again as time reaches them, until a new action replaces them.
    future: Vec<ClusterRecord>,
}

/// SplitMix64 finaliser: independent-looking seeds per (master, shard).
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

pub fn shard_name(shard: usize) -> String {
    format!("shard-{shard}")
}

fn ring_settings(vnodes: u32) -> Settings {
    Settings { algorithm: Algorithm::Ring, vnodes, ..Settings::default() }
}

impl Cluster {
    pub fn new(config: ClusterConfig) -> Result<Cluster, ClusterError> {
        if config.replicas == 0 || config.replicas > 9 || config.replicas > config.servers {
            return Err(ClusterError::BadReplicas { replicas: config.replicas, servers: config.servers });
        }
        if config.servers > MAX_SERVERS {
            return Err(ClusterError::TooManyServers);
        }
        if config.shards == 0 || config.shards > 64 {
            return Err(ClusterError::BadShards(config.shards));
        }
        let servers: Vec<String> = (0..config.servers).map(node_name).collect();
        let server_ring =
            Placement::new(servers.iter().map(|s| NodeSpec::new(s.clone())).collect(), ring_settings(SERVER_VNODES))?;
        let shard_ring = Placement::new(
            (0..config.shards).map(|i| NodeSpec::new(shard_name(i))).collect(),
            ring_settings(SHARD_VNODES),
        )?;
        let mut c = Cluster {
            config,
            servers,
            server_ring,
            shard_ring,
            groups: Vec::new(),
            crashed: BTreeSet::new(),
            isolated: BTreeSet::new(),
            now: 0,
            writes: Vec::new(),
            rebalances: Vec::new(),
            moves: Vec::new(),
            leaving: BTreeSet::new(),
            log: Vec::new(),
            future: Vec::new(),
        };
        for shard in 0..c.config.shards {
            let hosts = c.preference(&c.server_ring, shard);
            let sim = Sim::new(c.scenario(shard)).map_err(|e| ClusterError::Scenario(e.to_string()))?;
            let replicas: Vec<NodeId> = (1..=hosts.len() as NodeId).collect();
            let target = hosts.iter().cloned().zip(replicas.iter().copied()).collect();
            c.groups.push(Group { sim, hosts, replicas, target });
        }
        Ok(c)
    }

    fn scenario(&self, shard: usize) -> Scenario {
        Scenario {
            name: shard_name(shard),
            nodes: self.config.replicas as u8,
            seed: mix(self.config.seed ^ mix(shard as u64 + 1)),
            ..Scenario::default()
        }
    }

    fn preference(&self, ring: &Placement, shard: usize) -> Vec<String> {
        ring.preference_list(&shard_name(shard), self.config.replicas)
            .unwrap_or_default()
            .into_iter()
            .map(|i| ring.node_name(i).to_string())
            .collect()
    }

    // ----- reading -----------------------------------------------------------

    pub fn config(&self) -> &ClusterConfig {
        &self.config
    }
    /// Virtual time, µs.
    pub fn now(&self) -> u64 {
        self.now
    }
    pub fn servers(&self) -> &[String] {
        &self.servers
    }
    pub fn shard_count(&self) -> usize {
        self.groups.len()
    }
    pub fn is_crashed(&self, server: &str) -> bool {
        self.crashed.contains(server)
    }
    pub fn is_isolated(&self, server: &str) -> bool {
        self.isolated.contains(server)
    }
    /// The key → shard ring.
    pub fn shard_ring(&self) -> &Placement {
        &self.shard_ring
    }
    /// The shard → server ring.
    pub fn server_ring(&self) -> &Placement {
        &self.server_ring
    }
    pub fn shard_of(&self, key: &str) -> usize {
        self.shard_ring.lookup(key)
    }
    /// Servers hosting the shard's replicas (not retired), in node id order.
    pub fn replica_servers(&self, shard: usize) -> Vec<String> {
        self.groups[shard].servers()
    }
    /// The shard's replicas: (server, Raft node id), in id order.
    pub fn replicas(&self, shard: usize) -> Vec<(String, NodeId)> {
        let g = &self.groups[shard];
        g.replicas.iter().map(|&id| (g.host(id).to_string(), id)).collect()
    }
    /// The shard's configuration as its leader (else its latest) has it.
    pub fn configuration(&self, shard: usize) -> Membership {
        self.groups[shard].config()
    }
    /// The Raft group of a shard (read-only).
    pub fn group(&self, shard: usize) -> &Sim {
        &self.groups[shard].sim
    }
    pub fn writes(&self) -> &[WriteTrace] {
        &self.writes
    }
    pub fn write(&self, id: usize) -> Option<&WriteTrace> {
        self.writes.get(id)
    }
    pub fn rebalances(&self) -> &[Rebalance] {
        &self.rebalances
    }
    /// Every replica move so far, in the order planned.
    pub fn moves(&self) -> &[MoveProgress] {
        &self.moves
    }
    /// How far a planned move has got.
    pub fn move_progress(&self, m: &ReplicaMove) -> Option<&MoveProgress> {
        self.moves.iter().find(|p| p.plan == *m)
    }
    /// Removed from the ring, still hosting replicas.
    pub fn is_leaving(&self, server: &str) -> bool {
        self.leaving.contains(server)
    }

    /// Earliest pending event of any group, global time.
    pub fn next_event_time(&self) -> Option<u64> {
        self.groups.iter().filter_map(|g| g.sim.next_event_time()).min()
    }

    /// Same seed + same actions ⇒ same hash.
    pub fn state_hash(&self) -> u64 {
        self.groups.iter().fold(mix(self.now), |h, g| mix(h ^ g.sim.trace_hash()).rotate_left(7))
    }

    fn connected(&self, server: &str) -> bool {
        !self.isolated.contains(server)
    }

    fn replica_view(&self, shard: usize, id: NodeId, config: &Membership) -> ReplicaView {
        let g = &self.groups[shard];
        let node = g.sim.node(id).expect("a replica is a node of its group");
        let server = g.host(id).to_string();
        let removing = self.moves.iter().any(|m| m.plan.shard == shard && m.plan.old == id && m.stage == MoveStage::Removing);
        let member = if removing || !config.contains(id) {
            Member::Leaving
        } else if config.is_learner(id) {
            Member::Learner
        } else {
            Member::Voter
        };
        ReplicaView {
            shard,
            node: id,
            member,
            connected: self.connected(&server),
            server,
            alive: g.sim.is_alive(id),
            role: node.role(),
            term: node.current_term(),
            commit_index: node.commit_index(),
            log_len: node.last_log_index(),
        }
    }

    /// Whether node `to` is up and can exchange messages with `from`.
    fn reaches(&self, shard: usize, from: NodeId, to: NodeId) -> bool {
        let g = &self.groups[shard];
        g.replicas.contains(&to)
            && g.sim.is_alive(to)
            && (to == from || (self.connected(g.host(from)) && self.connected(g.host(to))))
    }

    /// Voters of `config` that `from` can reach (itself included if it votes).
    fn reachable_voters(&self, shard: usize, from: NodeId, config: &Membership) -> usize {
        config.voters.iter().filter(|&&v| self.reaches(shard, from, v)).count()
    }

    /// The live leader that can reach a quorum of its configuration
    /// (highest term first), if any.
    fn effective_leader(&self, shard: usize) -> Option<NodeId> {
        let g = &self.groups[shard];
        g.replicas
            .iter()
            .copied()
            .filter(|&id| g.sim.is_alive(id) && g.sim.node(id).is_some_and(|n| n.role() == Role::Leader))
            .filter(|&id| {
                let config = g.sim.node(id).expect("a replica is a node of its group").membership();
                config.quorum(|v| self.reaches(shard, id, v))
            })
            .max_by_key(|&id| g.sim.node(id).map_or(0, |n| n.current_term()))
    }

    /// A shard is available when some leader can reach a majority of live,
    /// connected voters of its configuration (itself included): it can then
    /// commit (§5.3, §4.1).
    pub fn is_available(&self, shard: usize) -> bool {
        self.effective_leader(shard).is_some()
    }

    pub fn key_available(&self, key: &str) -> bool {
        self.is_available(self.shard_of(key))
    }

    pub fn shard_view(&self, shard: usize) -> ShardView {
        let g = &self.groups[shard];
        let leader = self.effective_leader(shard);
        let config = match leader {
            Some(l) => g.sim.node(l).expect("leader exists").membership().clone(),
            None => g.config(),
        };
        let replicas: Vec<ReplicaView> = g.replicas.iter().map(|&id| self.replica_view(shard, id, &config)).collect();
        let reachable = match leader {
            Some(l) => self.reachable_voters(shard, l, &config),
            None => g.replicas.iter().map(|&id| self.reachable_voters(shard, id, &config)).max().unwrap_or(0),
        };
        let (term, commit_index, data) = match leader {
            Some(l) => {
                let n = g.sim.node(l).expect("leader exists");
                (n.current_term(), n.commit_index(), n.kv().iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
            }
            None => (replicas.iter().map(|r| r.term).max().unwrap_or(0), 0, Vec::new()),
        };
        ShardView {
            shard,
            servers: g.servers(),
            leader: leader.map(|l| g.host(l).to_string()),
            term,
            available: leader.is_some(),
            reachable,
            majority: config.majority(),
            commit_index,
            data,
            replicas,
            moving: self.move_view(shard),
        }
    }

    /// The shard's move under way (the first not done), if any.
    fn move_view(&self, shard: usize) -> Option<MoveView> {
        let mut of_shard = self.moves.iter().enumerate().filter(|(_, m)| m.plan.shard == shard && !m.is_done());
        let (id, m) = of_shard.next()?;
        let g = &self.groups[shard];
        let caught_up = (m.stage == MoveStage::CatchingUp)
            .then(|| {
                let leader = g.sim.world().current_leader()?;
                let last = g.sim.node(leader)?.last_log_index();
                Some((g.sim.node(m.plan.new)?.last_log_index(), last))
            })
            .flatten();
        Some(MoveView { id, progress: m.clone(), caught_up, queued: of_shard.count() })
    }

    pub fn key_view(&self, key: &str) -> KeyView {
        let hash = hash_key(key);
        let shard = self.shard_of(key);
        KeyView { key: key.to_string(), hash, fraction: fraction(hash), shard, available: self.is_available(shard) }
    }

    pub fn view(&self) -> ClusterView {
        let shards: Vec<ShardView> = (0..self.groups.len()).map(|s| self.shard_view(s)).collect();
        let servers = self
            .servers
            .iter()
            .map(|name| ServerView {
                name: name.clone(),
                crashed: self.is_crashed(name),
                isolated: self.is_isolated(name),
                leaving: self.is_leaving(name),
                replicas: shards.iter().flat_map(|s| s.replicas.iter()).filter(|r| &r.server == name).cloned().collect(),
            })
            .collect();
        ClusterView {
            now: self.now,
            replicas_per_shard: self.config.replicas,
            servers,
            shards,
            keys: SAMPLE_KEYS.iter().map(|k| self.key_view(k)).collect(),
            state_hash: self.state_hash(),
        }
    }

    // ----- time ----------------------------------------------------------------

    /// Advance to global time `t` (µs), doing the recorded future actions
    /// (see [`Cluster::rewound_to`]) at their times on the way.
    pub fn advance_to(&mut self, t: u64) {
        while self.future.first().is_some_and(|r| r.time <= t) {
            let r = self.future.remove(0);
            self.run_groups_to(r.time);
            // It was accepted when first done, and replay is deterministic.
            let _ = self.record(&r.action);
        }
        self.run_groups_to(t);
    }

    /// Advance every group to global time `t` (µs). Groups with a write in
    /// flight or a replica moving go event by event, so each step of the
    /// write gets its exact time and each membership request is made at
    /// the event it follows, however time was sliced (a shared link replays
    /// in one jump what the page did frame by frame).
    fn run_groups_to(&mut self, t: u64) {
        if t < self.now {
            return;
        }
        for shard in 0..self.groups.len() {
            let watching = self.writes.iter().any(|w| w.shard == shard && w.status == WriteStatus::Pending);
            if watching || self.moving(shard) {
                while let Some(nt) = self.groups[shard].sim.next_event_time() {
                    if nt > t {
                        break;
                    }
                    // A write times out before any later event is seen.
                    self.time_out_writes(Some(shard), |deadline| deadline < nt);
                    self.groups[shard].sim.step();
                    let at = self.groups[shard].sim.now();
                    self.observe_writes(shard, at);
                    self.drive_moves(shard, at);
                }
            }
            self.groups[shard].sim.run_until(t);
        }
        self.now = t;
        self.time_out_writes(None, |deadline| deadline <= t);
    }

    /// Fail every pending write (of `shard`, or of any) whose deadline `due` says has passed.
    fn time_out_writes(&mut self, shard: Option<usize>, due: impl Fn(u64) -> bool) {
        let timeout = WRITE_TIMEOUT_MS * MS;
        let of = |w: &WriteTrace| shard.is_none_or(|s| w.shard == s);
        for w in self.writes.iter_mut().filter(|w| w.status == WriteStatus::Pending && of(w)) {
            let deadline = w.issued_at + timeout;
            if due(deadline) {
                w.push(deadline, WriteStep::Failed { reason: FailReason::TimedOut });
            }
        }
    }

    pub fn advance_by(&mut self, d: u64) {
        self.advance_to(self.now.saturating_add(d));
    }

    /// Advance until write `id` gains a step or ends, at most `limit` µs.
    /// Returns whether it gained a step.
    pub fn advance_until_write_step(&mut self, id: usize, limit: u64) -> bool {
        let Some(w) = self.writes.get(id) else { return false };
        let before = w.steps.len();
        let end = self.now.saturating_add(limit);
        while self.writes[id].steps.len() == before {
            match self.next_event_time() {
                Some(t) if t <= end => self.advance_to(t.max(self.now)),
                _ => {
                    self.advance_to(end);
                    break;
                }
            }
        }
        self.writes[id].steps.len() > before
    }

    fn observe_writes(&mut self, shard: usize, at: u64) {
        let g = &self.groups[shard];
        for w in self.writes.iter_mut().filter(|w| w.shard == shard && w.status == WriteStatus::Pending) {
            let Some((leader, index, term)) = w.leader else { continue };
            let holds = |id: NodeId| g.sim.node(id).is_some_and(|n| n.term_at(index) == Some(term));
            for &id in &g.replicas {
                if id != leader && !w.replicated.contains(&id) && holds(id) {
                    w.replicated.push(id);
                    w.push(at, WriteStep::Replicated { server: g.host(id).to_string() });
                }
            }
            if !g.sim.is_alive(leader) || !holds(leader) {
                w.push(at, WriteStep::Failed { reason: FailReason::LeaderLost });
                continue;
            }
            let ln = g.sim.node(leader).expect("the write's leader is a node of its group");
            if ln.commit_index() >= index {
                let servers = g.replicas.iter().filter(|&&id| holds(id)).map(|&id| g.host(id).to_string()).collect();
                w.push(at, WriteStep::Committed { servers });
                w.push(at, WriteStep::Acknowledged { server: g.host(leader).to_string() });
            }
        }
    }

    // ----- faults --------------------------------------------------------------

    fn check_server(&self, server: &str) -> Result<(), ClusterError> {
        if self.servers.iter().any(|s| s == server) {
            Ok(())
        } else {
            Err(ClusterError::UnknownServer(server.to_string()))
        }
    }

    /// Apply `f(node)` to every replica hosted on `server`.
    fn on_server(&mut self, server: &str, f: impl Fn(NodeId) -> Action) {
        for g in &mut self.groups {
            let ids: Vec<NodeId> = g.on(server).collect();
            for id in ids {
                g.sim.apply(f(id));
            }
        }
    }

    /// Crash a server: every replica it hosts crashes (keeps only its
    /// persistent state).
    pub fn crash(&mut self, server: &str) -> Result<(), ClusterError> {
        self.check_server(server)?;
        if self.crashed.insert(server.to_string()) {
            self.on_server(server, |node| Action::Crash { node });
            self.observe_all();
        }
        Ok(())
    }

    pub fn restart(&mut self, server: &str) -> Result<(), ClusterError> {
        self.check_server(server)?;
        if self.crashed.remove(server) {
            self.on_server(server, |node| Action::Restart { node });
        }
        Ok(())
    }

    /// Cut a server off from every other server (its replicas can no longer
    /// talk to their peers).
    pub fn isolate(&mut self, server: &str) -> Result<(), ClusterError> {
        self.check_server(server)?;
        if self.isolated.insert(server.to_string()) {
            self.repartition(Some(server));
        }
        Ok(())
    }

    pub fn reconnect(&mut self, server: &str) -> Result<(), ClusterError> {
        self.check_server(server)?;
        if self.isolated.remove(server) {
            self.repartition(Some(server));
        }
        Ok(())
    }

    /// Reconnect every isolated server.
    pub fn heal(&mut self) {
        if !self.isolated.is_empty() {
            self.isolated.clear();
            self.repartition(None);
        }
    }

    /// The partition a group should have: each isolated replica alone, the
    /// rest together.
    fn partition_action(isolated: &BTreeSet<String>, g: &Group) -> Action {
        let alone: Vec<Vec<NodeId>> =
            g.replicas.iter().filter(|&&id| isolated.contains(g.host(id))).map(|&id| vec![id]).collect();
        if alone.is_empty() {
            Action::Heal
        } else {
            Action::Partition { groups: alone }
        }
    }

    fn repartition(&mut self, only: Option<&str>) {
        let isolated = self.isolated.clone();
        for g in &mut self.groups {
            if only.is_none_or(|s| g.on(s).next().is_some()) {
                let a = Self::partition_action(&isolated, g);
                g.sim.apply(a);
            }
        }
    }

    fn observe_all(&mut self) {
        for s in 0..self.groups.len() {
            self.observe_writes(s, self.now);
        }
    }

    // ----- client writes -----------------------------------------------------

    /// A client writes `key = value`: hash → shard → a replica → (redirect) →
    /// the leader appends; later steps are recorded as time advances.
    /// Returns the write's id.
    pub fn put(&mut self, key: &str, value: &str) -> usize {
        let now = self.now;
        let hash = hash_key(key);
        let shard = self.shard_of(key);
        let id = self.writes.len();
        let g = &mut self.groups[shard];
        let mut w = WriteTrace {
            id,
            key: key.to_string(),
            value: value.to_string(),
            shard,
            issued_at: now,
            status: WriteStatus::Pending,
            steps: Vec::new(),
            leader: None,
            replicated: Vec::new(),
        };
        w.push(now, WriteStep::Hashed { hash, fraction: fraction(hash) });
        w.push(now, WriteStep::Routed { shard, replicas: g.servers() });
        // The client knows the placement, not the leader: it starts with the
        // first live replica.
        let first = g.replicas.iter().copied().find(|&id| g.sim.is_alive(id));
        let Some(mut target) = first else {
            w.push(now, WriteStep::Failed { reason: FailReason::NoLiveReplica });
            self.writes.push(w);
            return id;
        };
        let command = Command::Set { key: key.to_string(), value: value.to_string() };
        w.push(now, WriteStep::Sent { server: g.host(target).to_string() });
        for _hop in 0..4 {
            let node = g.sim.node(target).expect("a replica is a node of its group");
            if node.role() == Role::Leader {
                g.sim.apply(Action::ClientRequest { node: target, command: command.clone() });
                let n = g.sim.node(target).expect("a replica is a node of its group");
                let (index, term) = (n.last_log_index(), n.current_term());
                w.leader = Some((target, index, term));
                w.push(now, WriteStep::Appended { server: g.host(target).to_string(), index, term });
                break;
            }
            // §8: a follower rejects and points at the leader it knows.
            let hint = node.leader_id().filter(|&h| h != target && g.replicas.contains(&h));
            g.sim.apply(Action::ClientRequest { node: target, command: command.clone() });
            let from = g.host(target).to_string();
            w.push(now, WriteStep::Redirected { from, to: hint.map(|h| g.host(h).to_string()) });
            match hint.filter(|&h| g.sim.is_alive(h)) {
                Some(h) => target = h,
                None => {
                    w.push(now, WriteStep::Failed { reason: FailReason::NoLeader });
                    break;
                }
            }
        }
        if w.status == WriteStatus::Pending && w.leader.is_none() {
            w.push(now, WriteStep::Failed { reason: FailReason::NoLeader });
        }
        self.writes.push(w);
        self.observe_writes(shard, now);
        id
    }

    // ----- adding and removing servers -------------------------------------

    /// The moves that placing shards by `ring` asks for: for every shard
    /// whose replica set (once its moves are done) differs from its
    /// preference list on `ring`, each server leaving hands its replica to a
    /// server entering, as a new node of the group.
    fn plan(&self, ring: &Placement) -> Result<Vec<ReplicaMove>, ClusterError> {
        let mut moves = Vec::new();
        for (shard, g) in self.groups.iter().enumerate() {
            let new = self.preference(ring, shard);
            let leaving = g.target.iter().filter(|(s, _)| !new.contains(s));
            let entering = new.iter().filter(|s| !g.target.iter().any(|(t, _)| t == *s));
            // Ids are never reused: a server that lost its state must come
            // back under a new id (§4, see `World::change_membership`).
            let mut next = g.hosts.len() + 1;
            for ((from, old), to) in leaving.zip(entering) {
                if next > 9 {
                    return Err(ClusterError::GroupFull { shard });
                }
                let new = next as NodeId;
                next += 1;
                moves.push(ReplicaMove { shard, from: from.clone(), to: to.clone(), old: *old, new });
            }
        }
        Ok(moves)
    }

    /// Which replicas would move if `name` joined (see [`Cluster::plan`]).
    pub fn plan_add_server(&self, name: &str) -> Result<(Placement, Vec<ReplicaMove>), ClusterError> {
        if self.servers.iter().any(|s| s == name) {
            return Err(ClusterError::ServerExists(action::clip(name)));
        }
        if self.servers.len() >= MAX_SERVERS {
            return Err(ClusterError::TooManyServers);
        }
        let ring = self.server_ring.with_change(&Change::Add { name: name.to_string(), weight: 1.0, vnodes: None })?;
        let moves = self.plan(&ring)?;
        Ok((ring, moves))
    }

    /// Which replicas would move if `name` left (see [`Cluster::plan`]).
    pub fn plan_remove_server(&self, name: &str) -> Result<(Placement, Vec<ReplicaMove>), ClusterError> {
        self.check_server(name)?;
        if self.leaving.contains(name) {
            return Err(ClusterError::ServerLeaving(action::clip(name)));
        }
        let remaining = self.servers.len() - self.leaving.len() - 1;
        if remaining < self.config.replicas {
            return Err(ClusterError::TooFewServers { servers: remaining, replicas: self.config.replicas });
        }
        let ring = self.server_ring.with_change(&Change::Remove { name: name.to_string() })?;
        let moves = self.plan(&ring)?;
        Ok((ring, moves))
    }

    /// The name the next added server gets (F after A..E).
    pub fn next_server_name(&self) -> String {
        let mut i = self.servers.len();
        while self.servers.contains(&node_name(i)) {
            i += 1;
        }
        node_name(i)
    }

    /// Add a server and move replicas onto it by membership changes.
    pub fn add_server(&mut self, name: &str) -> Result<Rebalance, ClusterError> {
        let (ring, moves) = self.plan_add_server(name)?;
        self.servers.push(name.to_string());
        Ok(self.rebalance(ring, moves, ServerChange::Added(name.to_string())))
    }

    /// Take a server out of the ring and move its replicas away by
    /// membership changes; it stays listed (leaving) until it hosts none.
    pub fn remove_server(&mut self, name: &str) -> Result<Rebalance, ClusterError> {
        let (ring, moves) = self.plan_remove_server(name)?;
        self.leaving.insert(name.to_string());
        let r = self.rebalance(ring, moves, ServerChange::Removed(name.to_string()));
        self.drop_drained_servers();
        Ok(r)
    }

    fn rebalance(&mut self, ring: Placement, moves: Vec<ReplicaMove>, change: ServerChange) -> Rebalance {
        self.server_ring = ring;
        for m in &moves {
            let g = &mut self.groups[m.shard];
            g.hosts.push(m.to.clone());
            if let Some(t) = g.target.iter_mut().find(|(_, id)| *id == m.old) {
                *t = (m.to.clone(), m.new);
            }
            self.moves.push(MoveProgress::new(m.clone()));
        }
        let r = Rebalance { change, time: self.now, moves };
        for shard in r.moves.iter().map(|m| m.shard) {
            self.drive_moves(shard, self.now);
        }
        self.rebalances.push(r.clone());
        r
    }

    fn moving(&self, shard: usize) -> bool {
        self.moves.iter().any(|m| m.plan.shard == shard && !m.is_done())
    }

    /// Carry the shard's current move on after an event at `at` (one move
    /// at a time per shard, §4.1; the next starts once it is done).
    fn drive_moves(&mut self, shard: usize, at: u64) {
        while let Some(i) = self.moves.iter().position(|m| m.plan.shard == shard && !m.is_done()) {
            let g = &mut self.groups[shard];
            let ask = self.moves[i].observe(&g.sim, &g.replicas, at);
            let m = &mut self.moves[i];
            if let Some(ask) = ask {
                g.sim.apply(ask.action());
                let result = moves::outcome(&g.sim);
                if let (moves::Ask::Add(node), Ok(_)) = (&ask, &result) {
                    self.host_new_node(shard, *node);
                }
                self.moves[i].asked(&ask, result, at);
                return;
            }
            if !m.is_done() {
                return;
            }
            // Retired: its server no longer hosts it.
            let old = m.plan.old;
            let g = &mut self.groups[shard];
            g.replicas.retain(|&id| id != old);
            if g.sim.is_alive(old) {
                g.sim.apply(Action::Crash { node: old });
            }
            self.drop_drained_servers();
        }
    }

    /// A new node now runs on its server: as down as the server is, and cut
    /// off if the server is.
    fn host_new_node(&mut self, shard: usize, node: NodeId) {
        let isolated = self.isolated.clone();
        let g = &mut self.groups[shard];
        if !g.replicas.contains(&node) {
            g.replicas.push(node);
            crate::order::sort(&mut g.replicas);
        }
        if self.crashed.contains(g.host(node)) {
            g.sim.apply(Action::Crash { node });
        }
        if isolated.contains(g.host(node)) {
            let a = Self::partition_action(&isolated, g);
            g.sim.apply(a);
        }
    }

    /// Leaving servers that host no replica any more are gone.
    fn drop_drained_servers(&mut self) {
        let drained: Vec<String> =
            self.leaving.iter().filter(|s| self.groups.iter().all(|g| g.on(s).next().is_none())).cloned().collect();
        for s in drained {
            self.leaving.remove(&s);
            self.crashed.remove(&s);
            self.isolated.remove(&s);
            self.servers.retain(|x| *x != s);
        }
    }
}
