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
//!   `xxh3_64("shard-i")`. Adding a server changes only the preference lists
//!   the new server's points cut into.
//!
//! # Groups
//! Each shard is one [`Sim`] of R nodes (slot `i` = Raft node `S{i+1}`, on
//! server `servers[i]`), seeded from the master seed and the shard index.
//! Groups share nothing, so advancing each to the same time is the same as
//! running them in one event queue. A server fault becomes the matching
//! action on every replica it hosts.
//!
//! # What is approximated (and said so in the page)
//! - The client talks to servers with no network delay; only Raft traffic
//!   inside a group has latency.
//! - Moving a replica is not Raft membership change (§6, joint consensus).
//!   The group is rebuilt: every surviving replica restarts from its
//!   persistent state (term, vote, log), the moved replica starts empty on
//!   its new server, a fresh election follows and the new replica catches
//!   up from the leader by ordinary AppendEntries.

mod action;
mod write;

use std::collections::BTreeSet;

use serde::Serialize;

use crate::raft::{Command, Entry, NodeId, Role, Term};
use crate::ring::{hash_key, fraction, node_name, Algorithm, Change, NodeSpec, Placement, RingError, Settings};
use crate::sim::{Action, InitialNode, LogItem, Scenario, Sim, MS};

pub use action::{check_action, ClusterAction, ClusterRecord, MAX_KEY_LEN, MAX_SERVER_NAME_LEN, MAX_VALUE_LEN};
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

/// One replica moving during a rebalance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReplicaMove {
    pub shard: usize,
    pub from: String,
    pub to: String,
}

/// What adding a server did.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Rebalance {
    pub added: String,
    pub time: u64,
    pub moves: Vec<ReplicaMove>,
    /// Shards whose group was rebuilt (those with a move).
    pub rebuilt: Vec<usize>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReplicaView {
    pub shard: usize,
    /// Raft node id inside the group (S1..SR).
    pub node: NodeId,
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
    pub majority: usize,
    pub commit_index: u64,
    /// Keys and values the leader has applied (committed writes).
    pub data: Vec<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ServerView {
    pub name: String,
    pub crashed: bool,
    pub isolated: bool,
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
    /// Slot i (Raft node i+1) lives on servers[i].
    servers: Vec<String>,
    /// Global time at which this sim's clock read 0 (non-zero after a rebuild).
    offset: u64,
    generation: u32,
}

impl Group {
    fn slot_of(&self, server: &str) -> Option<NodeId> {
        self.servers.iter().position(|s| s == server).map(|i| (i + 1) as NodeId)
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
    /// Actions applied through [`Cluster::apply`], with their times.
    log: Vec<ClusterRecord>,
    /// Actions recorded for later than `now` (after a step back): they happen
    /// again as time reaches them, until a new action replaces them.
    future: Vec<ClusterRecord>,
}

/// SplitMix64 finaliser: independent-looking seeds per (master, shard, generation).
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
            log: Vec::new(),
            future: Vec::new(),
        };
        for shard in 0..c.config.shards {
            let servers = c.preference(&c.server_ring, shard);
            let sc = c.scenario(shard, 0, None);
            let sim = Sim::new(sc).map_err(|e| ClusterError::Scenario(e.to_string()))?;
            c.groups.push(Group { sim, servers, offset: 0, generation: 0 });
        }
        Ok(c)
    }

    fn scenario(&self, shard: usize, generation: u32, initial: Option<Vec<InitialNode>>) -> Scenario {
        Scenario {
            name: shard_name(shard),
            nodes: self.config.replicas as u8,
            seed: mix(self.config.seed ^ mix((shard as u64 + 1) ^ ((generation as u64) << 32))),
            initial,
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
    pub fn majority(&self) -> usize {
        self.config.replicas / 2 + 1
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
    /// Servers holding the shard's replicas, slot order.
    pub fn replica_servers(&self, shard: usize) -> &[String] {
        &self.groups[shard].servers
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

    /// Earliest pending event of any group, global time.
    pub fn next_event_time(&self) -> Option<u64> {
        self.groups.iter().filter_map(|g| g.sim.next_event_time().map(|t| t + g.offset)).min()
    }

    /// Same seed + same actions ⇒ same hash.
    pub fn state_hash(&self) -> u64 {
        self.groups.iter().fold(mix(self.now), |h, g| mix(h ^ g.sim.trace_hash()).rotate_left(7))
    }

    fn connected(&self, server: &str) -> bool {
        !self.isolated.contains(server)
    }

    fn replica_view(&self, shard: usize, slot: usize) -> ReplicaView {
        let g = &self.groups[shard];
        let id = (slot + 1) as NodeId;
        let node = g.sim.node(id).expect("slot exists");
        let server = g.servers[slot].clone();
        ReplicaView {
            shard,
            node: id,
            connected: self.connected(&server),
            server,
            alive: g.sim.is_alive(id),
            role: node.role(),
            term: node.current_term(),
            commit_index: node.commit_index(),
            log_len: node.last_log_index(),
        }
    }

    /// Live replicas `from` can exchange messages with (itself included).
    fn reachable_from(&self, shard: usize, from: usize) -> usize {
        let g = &self.groups[shard];
        let fs = &g.servers[from];
        (0..g.servers.len())
            .filter(|&r| {
                g.sim.is_alive((r + 1) as NodeId)
                    && (r == from || (self.connected(fs) && self.connected(&g.servers[r])))
            })
            .count()
    }

    /// The live leader that can reach a majority (highest term first), if any.
    fn effective_leader(&self, shard: usize) -> Option<usize> {
        let g = &self.groups[shard];
        let m = self.majority();
        (0..g.servers.len())
            .filter(|&i| {
                let id = (i + 1) as NodeId;
                g.sim.is_alive(id) && g.sim.node(id).is_some_and(|n| n.role() == Role::Leader)
            })
            .filter(|&i| self.reachable_from(shard, i) >= m)
            .max_by_key(|&i| g.sim.node((i + 1) as NodeId).map_or(0, |n| n.current_term()))
    }

    /// A shard is available when some leader can reach a majority of live,
    /// connected replicas (itself included): it can then commit (§5.3).
    pub fn is_available(&self, shard: usize) -> bool {
        self.effective_leader(shard).is_some()
    }

    pub fn key_available(&self, key: &str) -> bool {
        self.is_available(self.shard_of(key))
    }

    pub fn shard_view(&self, shard: usize) -> ShardView {
        let g = &self.groups[shard];
        let leader = self.effective_leader(shard);
        let replicas: Vec<ReplicaView> = (0..g.servers.len()).map(|i| self.replica_view(shard, i)).collect();
        let reachable = match leader {
            Some(l) => self.reachable_from(shard, l),
            None => (0..g.servers.len()).map(|i| self.reachable_from(shard, i)).max().unwrap_or(0),
        };
        let (term, commit_index, data) = match leader {
            Some(l) => {
                let n = g.sim.node((l + 1) as NodeId).expect("leader exists");
                (n.current_term(), n.commit_index(), n.kv().iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            }
            None => (replicas.iter().map(|r| r.term).max().unwrap_or(0), 0, Vec::new()),
        };
        ShardView {
            shard,
            servers: g.servers.clone(),
            leader: leader.map(|l| g.servers[l].clone()),
            term,
            available: leader.is_some(),
            reachable,
            majority: self.majority(),
            commit_index,
            data,
            replicas,
        }
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
    /// flight go event by event so each step of the write gets its exact time.
    fn run_groups_to(&mut self, t: u64) {
        if t < self.now {
            return;
        }
        for shard in 0..self.groups.len() {
            let watching = self.writes.iter().any(|w| w.shard == shard && w.status == WriteStatus::Pending);
            let off = self.groups[shard].offset;
            if watching {
                while let Some(nt) = self.groups[shard].sim.next_event_time() {
                    if nt + off > t {
                        break;
                    }
                    // A write times out before any later event is seen, so
                    // its trace does not depend on how time was sliced (a
                    // shared link replays in one jump what the page did
                    // frame by frame).
                    self.time_out_writes(Some(shard), |deadline| deadline < nt + off);
                    self.groups[shard].sim.step();
                    let at = self.groups[shard].sim.now() + off;
                    self.observe_writes(shard, at);
                }
            }
            self.groups[shard].sim.run_until(t - off);
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
            for i in 0..g.servers.len() {
                let id = (i + 1) as NodeId;
                if id != leader && !w.replicated.contains(&id) && holds(id) {
                    w.replicated.push(id);
                    w.push(at, WriteStep::Replicated { server: g.servers[i].clone() });
                }
            }
            if !g.sim.is_alive(leader) || !holds(leader) {
                w.push(at, WriteStep::Failed { reason: FailReason::LeaderLost });
                continue;
            }
            let ln = g.sim.node(leader).expect("slot exists");
            if ln.commit_index() >= index {
                let servers =
                    (0..g.servers.len()).filter(|&i| holds((i + 1) as NodeId)).map(|i| g.servers[i].clone()).collect();
                w.push(at, WriteStep::Committed { servers });
                w.push(at, WriteStep::Acknowledged { server: g.servers[(leader - 1) as usize].clone() });
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

    /// Apply `f(slot)` to every replica hosted on `server`.
    fn on_server(&mut self, server: &str, f: impl Fn(NodeId) -> Action) {
        for g in &mut self.groups {
            if let Some(id) = g.slot_of(server) {
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
        let alone: Vec<Vec<NodeId>> = g
            .servers
            .iter()
            .enumerate()
            .filter(|(_, s)| isolated.contains(*s))
            .map(|(i, _)| vec![(i + 1) as NodeId])
            .collect();
        if alone.is_empty() {
            Action::Heal
        } else {
            Action::Partition { groups: alone }
        }
    }

    fn repartition(&mut self, only: Option<&str>) {
        let isolated = self.isolated.clone();
        for g in &mut self.groups {
            if only.is_none_or(|s| g.slot_of(s).is_some()) {
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
        w.push(now, WriteStep::Routed { shard, replicas: g.servers.clone() });
        // The client knows the placement, not the leader: it starts with the
        // first live replica of the preference list.
        let first = (0..g.servers.len()).map(|i| (i + 1) as NodeId).find(|&id| g.sim.is_alive(id));
        let Some(mut target) = first else {
            w.push(now, WriteStep::Failed { reason: FailReason::NoLiveReplica });
            self.writes.push(w);
            return id;
        };
        let command = Command::Set { key: key.to_string(), value: value.to_string() };
        w.push(now, WriteStep::Sent { server: g.servers[(target - 1) as usize].clone() });
        for _hop in 0..4 {
            let node = g.sim.node(target).expect("slot exists");
            if node.role() == Role::Leader {
                g.sim.apply(Action::ClientRequest { node: target, command: command.clone() });
                let n = g.sim.node(target).expect("slot exists");
                let (index, term) = (n.last_log_index(), n.current_term());
                w.leader = Some((target, index, term));
                w.push(now, WriteStep::Appended { server: g.servers[(target - 1) as usize].clone(), index, term });
                break;
            }
            // §8: a follower rejects and points at the leader it knows.
            let hint = node.leader_id().filter(|&h| h != target);
            g.sim.apply(Action::ClientRequest { node: target, command: command.clone() });
            let from = g.servers[(target - 1) as usize].clone();
            w.push(now, WriteStep::Redirected { from, to: hint.map(|h| g.servers[(h - 1) as usize].clone()) });
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

    // ----- adding a server ---------------------------------------------------

    /// Which replicas would move if `name` joined: for every shard whose
    /// preference list changes, each server leaving the list hands its
    /// replica to a server entering it.
    pub fn plan_add_server(&self, name: &str) -> Result<(Placement, Vec<ReplicaMove>), ClusterError> {
        if self.servers.len() >= MAX_SERVERS {
            return Err(ClusterError::TooManyServers);
        }
        let ring = self.server_ring.with_change(&Change::Add { name: name.to_string(), weight: 1.0, vnodes: None })?;
        let mut moves = Vec::new();
        for (shard, g) in self.groups.iter().enumerate() {
            let new = self.preference(&ring, shard);
            let leaving = g.servers.iter().filter(|s| !new.contains(s));
            let entering = new.iter().filter(|s| !g.servers.contains(s));
            for (from, to) in leaving.zip(entering) {
                moves.push(ReplicaMove { shard, from: from.clone(), to: to.clone() });
            }
        }
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

    /// Add a server and move replicas onto it (see the module doc for how
    /// a move is approximated).
    pub fn add_server(&mut self, name: &str) -> Result<Rebalance, ClusterError> {
        let (ring, moves) = self.plan_add_server(name)?;
        self.server_ring = ring;
        self.servers.push(name.to_string());
        let mut rebuilt: Vec<usize> = moves.iter().map(|m| m.shard).collect();
        rebuilt.dedup();
        for &shard in &rebuilt {
            self.rebuild(shard, moves.iter().filter(|m| m.shard == shard))?;
        }
        let r = Rebalance { added: name.to_string(), time: self.now, moves, rebuilt };
        self.rebalances.push(r.clone());
        Ok(r)
    }

    fn rebuild<'a>(&mut self, shard: usize, moves: impl Iterator<Item = &'a ReplicaMove>) -> Result<(), ClusterError> {
        let g = &self.groups[shard];
        let mut servers = g.servers.clone();
        let mut fresh = Vec::new();
        for m in moves {
            if let Some(i) = servers.iter().position(|s| *s == m.from) {
                servers[i] = m.to.clone();
                fresh.push((i + 1) as NodeId);
            }
        }
        let mut initial: Vec<InitialNode> = (0..servers.len())
            .map(|i| {
                let id = (i + 1) as NodeId;
                if fresh.contains(&id) {
                    return InitialNode::default();
                }
                let p = g.sim.node(id).expect("slot exists").persistent().clone();
                InitialNode {
                    term: p.current_term,
                    // A vote for a replica that is being replaced names a
                    // node that no longer exists; drop it (everyone restarts
                    // as a follower, so the next election is a newer term).
                    voted_for: p.voted_for.filter(|v| !fresh.contains(v)),
                    log: p.log.into_iter().map(|e: Entry| LogItem::Entry(e)).collect(),
                    crashed: self.crashed.contains(&servers[i]),
                }
            })
            .collect();
        let generation = g.generation + 1;
        let sim = match Sim::new(self.scenario(shard, generation, Some(initial.clone()))) {
            Ok(s) => s,
            Err(_) => {
                // The validator can refuse a vote pattern after the swap:
                // votes are only needed within a term and every node restarts
                // as a follower, so forgetting them is safe here.
                for n in &mut initial {
                    n.voted_for = None;
                }
                Sim::new(self.scenario(shard, generation, Some(initial)))
                    .map_err(|e| ClusterError::Scenario(e.to_string()))?
            }
        };
        let now = self.now;
        for w in self.writes.iter_mut().filter(|w| w.shard == shard && w.status == WriteStatus::Pending) {
            w.push(now, WriteStep::Failed { reason: FailReason::GroupRebuilt });
        }
        let isolated = self.isolated.clone();
        let g = &mut self.groups[shard];
        *g = Group { sim, servers, offset: now, generation };
        let a = Self::partition_action(&isolated, g);
        if a != Action::Heal {
            g.sim.apply(a);
        }
        Ok(())
    }
}
