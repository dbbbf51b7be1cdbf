//! The simulation state and its event loop: one virtual clock, one event
//! queue ordered by (time, sequence number), one seeded ChaCha8 RNG. No hash
//! maps anywhere, so the same seed and the same actions give the same run bit
//! for bit, natively and in wasm. `World` is cheap to reason about and
//! `Clone`: a clone is a checkpoint (see `history.rs`).

use std::collections::{BTreeMap, VecDeque};

use rand::Rng;
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::raft::{
    AppendEntries, AppendEntriesResponse, ClientError, Command, Config, Envelope, Message, Node, NodeId, Output, Persistent,
    ReadMode, RequestVoteResponse, Role, Session, Term, Timer,
};

use super::action::{Action, ClientLoad};
use super::checker::Checker;
use super::clients::{Clients, OpOutcome};
use super::event::{Change, ClientOutcome, ClientSource, Event, EventKind, Marker, MarkerKind, MessageInfo, TimerKind, Verdict, What};
use super::network::{DropReason, InFlight, Links, NetworkSettings, Timing, MS};
use super::scenario::Scenario;

/// Server ids are 1..=9 (a cluster may grow to 9, §4): link tables are this wide.
pub(crate) const LINKS: usize = 10;

/// How many recent events a world keeps for the feed.
pub const RECENT_EVENTS: usize = 50;

type Key = (u64, u64);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimerSlot {
    pub deadline: u64,
    pub armed_at: u64,
    key: Key,
}

#[derive(Clone, Debug)]
pub struct Slot {
    pub node: Node,
    pub alive: bool,
    pub election: Option<TimerSlot>,
    pub heartbeat: Option<TimerSlot>,
}

#[derive(Clone, Debug)]
enum Pending {
    Deliver(u64),
    Vanish(u64),
    Election(NodeId),
    Heartbeat(NodeId),
    Scripted(Box<Action>),
    Load,
    ClientRetry { node: NodeId, op: u32, command: Command, session: Option<Session>, hops: u8 },
    #[cfg(feature = "extended")]
    ClientTimeout { op: u32, tries: u8 },
}

/// A clock rate of 1: parts per million.
const PPM: u64 = 1_000_000;

/// One server's clock: `rate_ppm` × real time since `since`, when it read `local`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Clock {
    pub rate_ppm: u64,
    since: u64,
    local: u64,
}

#[cfg_attr(not(feature = "extended"), allow(dead_code))]
impl Clock {
    // u64 arithmetic (no u128 division in the page): rates are at most
    // 2 × 10^6 ppm and times at most a day of µs (link and file limits), so
    // the products stay below 2^64; they saturate beyond.
    fn at(&self, now: u64) -> u64 {
        self.local.saturating_add(now.saturating_sub(self.since).saturating_mul(self.rate_ppm) / PPM)
    }
    /// Real µs for `d` µs on this clock.
    fn real(&self, d: u64) -> u64 {
        if self.rate_ppm == PPM {
            d
        } else {
            d.saturating_mul(PPM) / self.rate_ppm.max(1)
        }
    }
}

/// Counters shown in the page and printed by the CLI.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Stats {
    pub messages_sent: u64,
    pub messages_delivered: u64,
    pub messages_lost: u64,
    pub client_requests: u64,
    pub client_accepted: u64,
    pub client_redirected: u64,
    pub entries_applied: u64,
}

#[derive(Clone, Debug)]
pub struct World {
    pub(crate) now: u64,
    pub(crate) events: u64,
    seq: u64,
    queue: BTreeMap<Key, Pending>,
    rng: ChaCha8Rng,
    pub(crate) nodes: Vec<Slot>,
    pub(crate) config: Config,
    pub(crate) timing: Timing,
    pub(crate) network: NetworkSettings,
    pub(crate) links: Links,
    pub(crate) in_flight: Flights,
    next_msg_id: u64,
    /// Latest arrival time per (from, to) link, for FIFO links.
    link_last: Vec<u64>,
    /// Messages sent per (from, to) link so far (schedules name them so).
    pub(crate) link_sent: Vec<u32>,
    pub(crate) client_load: Option<ClientLoad>,
    load_key: Option<Key>,
    load_counter: u64,
    pub(crate) follow_redirects: bool,
    pub(crate) checker: Checker,
    pub(crate) recent: VecDeque<Event>,
    pub(crate) markers: Vec<Marker>,
    pub(crate) trace_hash: u64,
    pub(crate) stats: Stats,
    /// Scripted actions not yet fired (until-conditions wait for them).
    pub(crate) scripted_pending: u64,
    /// Client operations and the history checker (`clients.rs`).
    pub(crate) clients: Clients,
    /// Each server's clock (index id - 1): drift is per server (§6.4.1).
    #[cfg(feature = "extended")]
    pub(crate) clocks: Vec<Clock>,
    /// Manual mode (`Action::Manual`, issue 16): timers and the network
    /// wait; only scripted actions (a file's steps) still come due.
    #[cfg(feature = "schedule")]
    pub(crate) manual: bool,
}

/// The messages on the wire by id, with their arrival in the queue: a
/// vector sorted by id (ids only grow, so sending appends). A B-tree per
/// key type would cost the page kilobytes of code (`src/lean/mod.rs`).
#[derive(Clone, Debug, Default)]
pub(crate) struct Flights(Vec<(u64, (InFlight, Key))>);

impl Flights {
    fn at(&self, id: u64) -> Result<usize, usize> {
        self.0.binary_search_by_key(&id, |f| f.0)
    }
    pub fn get(&self, id: &u64) -> Option<&(InFlight, Key)> {
        self.at(*id).ok().map(|i| &self.0[i].1)
    }
    pub fn remove(&mut self, id: &u64) -> Option<(InFlight, Key)> {
        self.at(*id).ok().map(|i| self.0.remove(i).1)
    }
    pub fn insert(&mut self, id: u64, v: (InFlight, Key)) {
        match self.at(id) {
            Ok(i) => self.0[i].1 = v,
            Err(i) => self.0.insert(i, (id, v)),
        }
    }
    pub fn values(&self) -> impl Iterator<Item = &(InFlight, Key)> {
        self.0.iter().map(|f| &f.1)
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
}

/// Which of a server's two timers are armed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Armed {
    pub election: bool,
    pub heartbeat: bool,
}

/// What a driver tells a server of its timing: the minimum election
/// timeout (leases, §6.4.1) and how many heartbeat intervals make it — a
/// learner's catch-up round must take fewer (§4.2.1). The world after every
/// server it starts; the explorer likewise (`crate::explore`).
pub fn tell_timing(timing: &Timing, node: &mut Node) {
    if cfg!(not(feature = "membership")) {
        return;
    }
    node.set_min_election_timeout(timing.election_min_ms.saturating_mul(MS));
    node.set_election_ticks(timing.election_min_ms / timing.heartbeat_ms.max(1));
}

/// The timer rules a driver applies after each input of a running server
/// (Figure 2 "Rules for Servers"): a leader has no election timer (Figure 2
/// leaders never time out) unless the node wants one (CheckQuorum §6.2, a
/// transfer's deadline §3.10), and always a heartbeat timer (§5.2); anyone
/// else always has an election timer, and a follower no heartbeat timer
/// (a candidate keeps the retry timer it asked for). The world and the
/// explorer (`crate::explore`) both follow this one function.
pub fn settle_timers(role: Role, wants_leader_timer: bool, armed: Armed) -> Armed {
    match role {
        Role::Leader => Armed { election: armed.election && wants_leader_timer, heartbeat: true },
        Role::Follower => Armed { election: true, heartbeat: false },
        Role::Candidate | Role::PreCandidate => Armed { election: true, heartbeat: armed.heartbeat },
    }
}

fn leader_term_of(slot: &Slot) -> Option<Term> {
    (slot.alive && slot.node.role() == Role::Leader).then(|| slot.node.current_term())
}

impl World {
    /// Build the initial world of a (validated) scenario.
    pub fn new(sc: &Scenario) -> World {
        let n = sc.nodes.clamp(1, 9);
        let cluster: Vec<NodeId> = (1..=n).collect();
        let config = sc.raft.clone();
        let mut nodes = Vec::with_capacity(n as usize);
        for id in 1..=n {
            let init = sc.initial.as_ref().and_then(|v| v.get((id - 1) as usize));
            let (node, alive) = match init {
                Some(i) => {
                    let p = Persistent { current_term: i.term, voted_for: i.voted_for, log: i.entries().into(), ..Persistent::default() };
                    (Node::restart(id, cluster.clone(), config.clone(), p), !i.crashed)
                }
                None => (Node::new(id, cluster.clone(), config.clone()), true),
            };
            nodes.push(Slot { node, alive, election: None, heartbeat: None });
        }
        let mut w = World {
            now: 0,
            events: 0,
            seq: 0,
            queue: BTreeMap::new(),
            rng: ChaCha8Rng::seed_from_u64(sc.seed),
            nodes,
            config,
            timing: sc.timing.clone(),
            network: sc.network.clone(),
            links: Links::default(),
            in_flight: Flights::default(),
            next_msg_id: 1,
            link_last: vec![0; LINKS * LINKS],
            link_sent: vec![0; LINKS * LINKS],
            client_load: None,
            load_key: None,
            load_counter: 0,
            follow_redirects: sc.follow_redirects,
            checker: Checker::new(n as usize),
            recent: VecDeque::with_capacity(RECENT_EVENTS),
            markers: Vec::new(),
            trace_hash: sc.seed ^ 0x5151_7eed,
            stats: Stats::default(),
            scripted_pending: 0,
            clients: Clients::default(),
            #[cfg(feature = "extended")]
            clocks: vec![Clock { rate_ppm: PPM, since: 0, local: 0 }; n as usize],
            #[cfg(feature = "schedule")]
            manual: false,
        };
        w.tell_timing();
        for id in 1..=n {
            let slot = &w.nodes[(id - 1) as usize];
            w.checker.observe(&slot.node, 0, 0, 0);
            if slot.alive {
                w.arm_election(id);
            }
        }
        for ta in &sc.actions {
            let t = ta.at_ms.saturating_mul(MS);
            w.push(t, Pending::Scripted(Box::new(ta.action.clone())));
            w.scripted_pending += 1;
        }
        w.set_client_load(sc.client_load.clone());
        w
    }

    // ----- queue and timers -------------------------------------------------

    fn push(&mut self, time: u64, p: Pending) -> Key {
        self.seq += 1;
        let key = (time, self.seq);
        self.queue.insert(key, p);
        key
    }

    pub fn now(&self) -> u64 {
        self.now
    }

    pub fn event_count(&self) -> u64 {
        self.events
    }

    pub fn next_event_time(&self) -> Option<u64> {
        self.next_key().map(|k| k.0)
    }

    /// The queue's next entry to come due: in manual mode only a scripted
    /// action (everything else waits for a person to choose it).
    fn next_key(&self) -> Option<Key> {
        #[cfg(feature = "schedule")]
        if self.manual {
            return self.queue.iter().find(|(_, p)| matches!(p, Pending::Scripted(_))).map(|(k, _)| *k);
        }
        self.queue.keys().next().copied()
    }

    /// Whether manual mode is on (`Action::Manual`).
    pub fn manual(&self) -> bool {
        #[cfg(feature = "schedule")]
        return self.manual;
        #[cfg(not(feature = "schedule"))]
        false
    }

    pub fn node(&self, id: NodeId) -> Option<&Node> {
        self.nodes.get((id as usize).wrapping_sub(1)).map(|s| &s.node)
    }

    /// Messages on the wire (lost ones stay until their `dropped_at`).
    pub fn messages(&self) -> impl Iterator<Item = &InFlight> {
        self.in_flight.values().map(|(m, _)| m)
    }

    pub fn is_alive(&self, id: NodeId) -> bool {
        self.nodes.get((id as usize).wrapping_sub(1)).is_some_and(|s| s.alive)
    }

    fn slot_mut(&mut self, id: NodeId) -> &mut Slot {
        &mut self.nodes[(id - 1) as usize]
    }

    fn arm_election(&mut self, id: NodeId) {
        self.cancel_election(id);
        // §5.2: randomized election timeouts make split votes rare.
        let lo = self.timing.election_min_ms.saturating_mul(MS);
        let hi = self.timing.election_max_ms.saturating_mul(MS).max(lo);
        let d = self.rng.gen_range(lo..=hi);
        // The timeout is measured on the server's own clock.
        let d = self.on_clock(id, d);
        let deadline = self.now.saturating_add(d);
        let key = self.push(deadline, Pending::Election(id));
        self.slot_mut(id).election = Some(TimerSlot { deadline, armed_at: self.now, key });
    }

    pub(super) fn cancel_election(&mut self, id: NodeId) {
        if let Some(t) = self.slot_mut(id).election.take() {
            self.queue.remove(&t.key);
        }
    }

    fn arm_heartbeat(&mut self, id: NodeId) {
        self.cancel_heartbeat(id);
        let d = self.timing.heartbeat_ms.max(1).saturating_mul(MS);
        let d = self.on_clock(id, d);
        let deadline = self.now.saturating_add(d);
        let key = self.push(deadline, Pending::Heartbeat(id));
        self.slot_mut(id).heartbeat = Some(TimerSlot { deadline, armed_at: self.now, key });
    }

    pub(super) fn cancel_heartbeat(&mut self, id: NodeId) {
        if let Some(t) = self.slot_mut(id).heartbeat.take() {
            self.queue.remove(&t.key);
        }
    }

    pub(crate) fn set_client_load(&mut self, load: Option<ClientLoad>) {
        if let Some(k) = self.load_key.take() {
            self.queue.remove(&k);
        }
        self.client_load = load;
        if let Some(l) = &self.client_load {
            let t = self.now.saturating_add(l.interval_ms.max(1).saturating_mul(MS));
            self.load_key = Some(self.push(t, Pending::Load));
        }
    }

    // ----- the network -----------------------------------------------------

    pub(super) fn send(&mut self, env: Envelope, duplicate: bool) -> u64 {
        let id = self.next_msg_id;
        self.next_msg_id += 1;
        self.stats.messages_sent += 1;
        let lo = self.network.latency_min_ms.saturating_mul(MS);
        let hi = self.network.latency_max_ms.saturating_mul(MS).max(lo);
        let mut arrives = self.now.saturating_add(self.rng.gen_range(lo..=hi));
        let link = (env.from as usize % LINKS) * LINKS + (env.to as usize % LINKS);
        if !self.network.reorder {
            // FIFO link: never overtake the previous message on this link.
            arrives = arrives.max(self.link_last[link]);
            self.link_last[link] = arrives;
        }
        let mut reason = self.links.blocked(env.from, env.to);
        if reason.is_none() && self.network.loss > 0.0 && self.rng.gen::<f64>() < self.network.loss {
            reason = Some(DropReason::Loss);
        }
        let dropped_at = reason.map(|_| self.now + (arrives - self.now) / 2);
        self.link_sent[link] += 1;
        let m = InFlight {
            seq: self.link_sent[link],
            id,
            from: env.from,
            to: env.to,
            msg: env.msg,
            sent_at: self.now,
            arrives_at: arrives,
            dropped_at,
            drop_reason: reason,
            duplicate,
        };
        let key = match dropped_at {
            Some(t) => self.push(t, Pending::Vanish(id)),
            None => self.push(arrives, Pending::Deliver(id)),
        };
        let dup_env =
            if !duplicate && self.network.duplicate > 0.0 && self.rng.gen::<f64>() < self.network.duplicate {
                Some(Envelope { from: m.from, to: m.to, msg: m.msg.clone() })
            } else {
                None
            };
        self.in_flight.insert(id, (m, key));
        if let Some(e) = dup_env {
            self.send(e, true);
        }
        id
    }


    // ----- event plumbing ----------------------------------------------------

    pub(super) fn new_event(&self, kind: EventKind, node: Option<NodeId>, what: What) -> Event {
        Event {
            seq: self.events + 1,
            time: self.now,
            kind,
            node,
            what,
            changes: Vec::new(),
            message: None,
            notes: Vec::new(),
            sent: Vec::new(),
        }
    }

    pub(super) fn finish(&mut self, ev: Event) {
        self.events = ev.seq;
        #[cfg(feature = "trace-hash")]
        {
            let h = self.trace_hash ^ ev.seq.rotate_left(29) ^ ev.time.wrapping_mul(0x9e37_79b9_7f4a_7c15);
            self.trace_hash = super::trace_hash::event(&ev, h);
        }
        if self.recent.len() >= RECENT_EVENTS {
            self.recent.pop_front();
        }
        self.recent.push_back(ev);
    }

    /// Send, arm and apply what a node asked for.
    fn absorb(&mut self, id: NodeId, out: Output, ev: &mut Event) {
        for env in out.messages {
            let mid = self.send(env, false);
            ev.sent.push(mid);
        }
        for t in out.timers {
            match t {
                Timer::Election => self.arm_election(id),
                Timer::Heartbeat => self.arm_heartbeat(id),
            }
        }
        if !out.applied.is_empty() {
            self.stats.entries_applied += out.applied.len() as u64;
            self.checker.on_applied(id, &out.applied, ev.seq, self.now);
            let found = self.clients.applied(id, &out.applied, self.now);
            self.report(found, ev.seq);
        }
        if !out.reads.is_empty() {
            let found = self.clients.read_replies(id, &out.reads, self.now);
            self.report(found, ev.seq);
        }
        ev.notes.extend(out.notes);
    }

    /// Linearizability violations the history checker found in this event.
    fn report(&mut self, found: Vec<super::linearizability::NotLinearizable>, event: u64) {
        if cfg!(not(feature = "history-check")) {
            return;
        }
        for v in found {
            let mut nodes: Vec<NodeId> = v.ops.iter().filter_map(|&o| self.clients.op(o).and_then(|o| o.server)).collect();
            let ops = v.ops.iter().map(|&o| o as u64).collect();
            crate::order::sort(&mut nodes);
            nodes.dedup();
            self.checker.not_linearizable(ops, nodes, event, self.now);
        }
    }

    /// Every server learns the minimum election timeout in force (leases).
    fn tell_timing(&mut self) {
        if cfg!(not(feature = "membership")) {
            return;
        }
        for slot in &mut self.nodes {
            tell_timing(&self.timing, &mut slot.node);
        }
    }

    /// Server `id`'s clock now (real time in the page's lean modules, which
    /// have no drift: `src/lean/mod.rs`).
    pub fn local_time(&self, id: NodeId) -> u64 {
        #[cfg(feature = "extended")]
        if let Some(c) = self.clocks.get((id as usize).wrapping_sub(1)) {
            return c.at(self.now);
        }
        let _ = id;
        self.now
    }

    /// Real µs for `d` µs on server `id`'s clock.
    fn on_clock(&self, id: NodeId, d: u64) -> u64 {
        #[cfg(feature = "extended")]
        if let Some(c) = self.clocks.get((id as usize).wrapping_sub(1)) {
            return c.real(d);
        }
        let _ = id;
        d
    }

    /// Tells the node its clock before an input (only leases read it).
    fn tick(&mut self, id: NodeId) {
        if cfg!(not(feature = "extended")) {
            return;
        }
        let t = self.local_time(id);
        self.slot_mut(id).node.set_clock(t);
    }

    /// After a node was touched: keep timers consistent with its role, run
    /// the checker, record timeline markers and describe role changes.
    fn after_node(&mut self, id: NodeId, before: (Role, Term, u64), unchanged_below: usize, ev: &mut Event) {
        let slot = &self.nodes[(id - 1) as usize];
        let (role, term, commit, alive) =
            (slot.node.role(), slot.node.current_term(), slot.node.commit_index(), slot.alive);
        if alive {
            let now = Armed { election: slot.election.is_some(), heartbeat: slot.heartbeat.is_some() };
            let want = settle_timers(role, slot.node.wants_leader_timer(), now);
            // Election timer first, then heartbeat: the order the RNG sees.
            if now.election && !want.election {
                self.cancel_election(id);
            } else if !now.election && want.election {
                self.arm_election(id);
            }
            if !now.heartbeat && want.heartbeat {
                self.arm_heartbeat(id);
            } else if now.heartbeat && !want.heartbeat {
                self.cancel_heartbeat(id);
            }
        }
        let slot = &self.nodes[(id - 1) as usize];
        self.checker.observe(&slot.node, unchanged_below, ev.seq, self.now);
        let (brole, bterm, bcommit) = before;
        if role == Role::Candidate && (brole != Role::Candidate || term > bterm) {
            self.markers.push(Marker { kind: MarkerKind::ElectionStarted, time: self.now, event: ev.seq, term, node: id });
        }
        if role == Role::Leader && (brole != Role::Leader || term != bterm) {
            self.markers.push(Marker { kind: MarkerKind::LeaderElected, time: self.now, event: ev.seq, term, node: id });
            ev.changes.push(Change::BecameLeader { node: id, term });
        } else if brole != Role::Follower && role == Role::Follower && alive {
            ev.changes.push(Change::SteppedDown { node: id, term });
        } else if term > bterm && role == Role::Follower && ev.kind == EventKind::Delivered {
            ev.changes.push(Change::NewTerm { node: id, term });
        }
        if commit > bcommit && alive {
            ev.changes.push(Change::Commit { node: id, from: bcommit, to: commit });
        }
    }

    fn before(&self, id: NodeId) -> (Role, Term, u64) {
        let n = &self.nodes[(id - 1) as usize].node;
        (n.role(), n.current_term(), n.commit_index())
    }

    // ----- processing ----------------------------------------------------------

    /// Process the next queued event. Returns false if the queue is empty.
    pub fn step(&mut self) -> bool {
        let Some((key, pending)) = self.next_key().and_then(|k| self.queue.remove_entry(&k)) else {
            return false;
        };
        self.now = self.now.max(key.0);
        match pending {
            Pending::Deliver(mid) => self.deliver(mid),
            Pending::Vanish(mid) => self.vanish(mid),
            Pending::Election(id) => {
                self.nodes[(id - 1) as usize].election = None;
                self.election_timeout(id, false);
            }
            Pending::Heartbeat(id) => {
                self.nodes[(id - 1) as usize].heartbeat = None;
                self.heartbeat_timeout(id, false);
            }
            Pending::Scripted(a) => {
                self.scripted_pending = self.scripted_pending.saturating_sub(1);
                self.apply_action(*a);
            }
            Pending::Load => {
                self.load_key = None;
                self.load_tick();
            }
            Pending::ClientRetry { node, op, command, session, hops } => {
                self.send_op(node, op, command, session, hops, ClientSource::Redirected)
            }
            #[cfg(feature = "extended")]
            Pending::ClientTimeout { op, tries } => self.client_timeout(op, tries),
        }
        true
    }

    /// Process every event with time ≤ t, then set the clock to exactly t.
    pub fn run_until(&mut self, t: u64) {
        while self.next_event_time().is_some_and(|nt| nt <= t) {
            self.step();
        }
        self.now = self.now.max(t);
    }

    /// Message `mid` arrives now, ahead of its time (a schedule's step).
    #[cfg(feature = "schedule")]
    pub(super) fn deliver_now(&mut self, mid: u64) {
        if let Some(&(_, key)) = self.in_flight.get(&mid) {
            self.queue.remove(&key);
        }
        self.deliver(mid);
    }

    fn deliver(&mut self, mid: u64) {
        let Some((m, _)) = self.in_flight.remove(&mid) else { return };
        let to = m.to;
        let reason = if !self.is_alive(to) {
            Some(DropReason::ReceiverCrashed)
        } else {
            // The network may have changed while the message was in flight.
            self.links.blocked(m.from, m.to)
        };
        if let Some(r) = reason {
            let mut ev = self.new_event(EventKind::Lost, None, What::Lost);
            ev.message = Some(MessageInfo::of(&m, Some(r)));
            self.stats.messages_lost += 1;
            self.finish(ev);
            return;
        }
        self.stats.messages_delivered += 1;
        let mut ev = self.new_event(EventKind::Delivered, Some(to), What::Delivered { verdict: None });
        let before = self.before(to);
        let unchanged_below = match &m.msg {
            Message::AppendEntries(AppendEntries { prev_log_index, .. }) => *prev_log_index as usize,
            _ => usize::MAX,
        };
        let env = Envelope { from: m.from, to: m.to, msg: m.msg.clone() };
        self.tick(to);
        let out = self.slot_mut(to).node.step(env);
        // What the receiver did, read from its reply.
        let verdict = out.messages.iter().find(|e| e.to == m.from).and_then(|e| match (&m.msg, &e.msg) {
            (Message::AppendEntries(_), Message::AppendEntriesResponse(AppendEntriesResponse { success, .. })) => {
                Some(if *success { Verdict::Accepted } else { Verdict::Rejected })
            }
            (Message::RequestVote(_), Message::RequestVoteResponse(RequestVoteResponse { vote_granted, .. })) => {
                Some(if *vote_granted { Verdict::VoteGranted } else { Verdict::VoteRefused })
            }
            (Message::PreVote(_), Message::PreVoteResponse(r)) => {
                Some(if r.vote_granted { Verdict::PreVoteGranted } else { Verdict::PreVoteRefused })
            }
            _ => None,
        });
        ev.what = What::Delivered { verdict };
        ev.message = Some(MessageInfo::of(&m, None));
        self.absorb(to, out, &mut ev);
        self.after_node(to, before, unchanged_below, &mut ev);
        self.finish(ev);
    }

    fn vanish(&mut self, mid: u64) {
        let Some((m, _)) = self.in_flight.remove(&mid) else { return };
        let r = m.drop_reason.unwrap_or(DropReason::Loss);
        let mut ev = self.new_event(EventKind::Lost, None, What::Lost);
        ev.message = Some(MessageInfo::of(&m, Some(r)));
        self.stats.messages_lost += 1;
        self.finish(ev);
    }

    pub(super) fn election_timeout(&mut self, id: NodeId, forced: bool) {
        if !self.is_alive(id) {
            let what = What::TimerOnDownServer { timer: TimerKind::Election, node: id };
            let ev = self.new_event(EventKind::Action, Some(id), what);
            self.finish(ev);
            return;
        }
        let before = self.before(id);
        self.tick(id);
        let out = self.slot_mut(id).node.on_election_timeout();
        let (role, term) = {
            let n = &self.nodes[(id - 1) as usize].node;
            (n.role(), n.current_term())
        };
        let started = (term > before.1 && role != Role::Follower).then_some(term);
        let what = What::Timer { timer: TimerKind::Election, forced, role: before.0, term: before.1, started };
        let kind = if forced { EventKind::Action } else { EventKind::ElectionTimeout };
        let mut ev = self.new_event(kind, Some(id), what);
        self.absorb(id, out, &mut ev);
        self.after_node(id, before, usize::MAX, &mut ev);
        self.finish(ev);
    }

    pub(super) fn heartbeat_timeout(&mut self, id: NodeId, forced: bool) {
        if !self.is_alive(id) {
            let what = What::TimerOnDownServer { timer: TimerKind::Heartbeat, node: id };
            let ev = self.new_event(EventKind::Action, Some(id), what);
            self.finish(ev);
            return;
        }
        let before = self.before(id);
        let what = What::Timer { timer: TimerKind::Heartbeat, forced, role: before.0, term: before.1, started: None };
        let kind = if forced { EventKind::Action } else { EventKind::HeartbeatTimeout };
        let mut ev = self.new_event(kind, Some(id), what);
        self.tick(id);
        let out = self.slot_mut(id).node.on_heartbeat_timeout();
        self.absorb(id, out, &mut ev);
        self.after_node(id, before, usize::MAX, &mut ev);
        self.finish(ev);
    }

    /// The live leader with the highest term, if any.
    pub fn current_leader(&self) -> Option<NodeId> {
        let mut best: Option<(Term, NodeId)> = None;
        for (i, s) in self.nodes.iter().enumerate() {
            if let Some(t) = leader_term_of(s) {
                if best.is_none_or(|(bt, _)| t > bt) {
                    best = Some((t, (i + 1) as NodeId));
                }
            }
        }
        best.map(|b| b.1)
    }

    fn load_tick(&mut self) {
        let Some(load) = self.client_load.clone() else { return };
        let t = self.now.saturating_add(load.interval_ms.max(1).saturating_mul(MS));
        self.load_key = Some(self.push(t, Pending::Load));
        // Sequential clients (§6.3): the next idle one sends; none idle, none sends.
        let client = if load.clients > 0 {
            let n = load.clients as u64;
            let idle = (0..n).map(|k| ((self.load_counter + k) % n) as u32 + 1).find(|&c| !self.clients.busy(c));
            match idle {
                Some(c) => c,
                None => return,
            }
        } else {
            0
        };
        let key = self.rng.gen_range(0..load.keys.max(1));
        self.load_counter += 1;
        let read = load.reads_pct > 0 && self.rng.gen_range(0..100u8) < load.reads_pct;
        let (key, value) = (format!("k{key}"), format!("v{}", self.load_counter));
        let command = if read {
            Command::Get { key }
        } else if load.append {
            Command::Append { key, value: format!("{value},") }
        } else {
            Command::Set { key, value }
        };
        match self.current_leader() {
            Some(leader) => {
                let timeout = load.timeout_ms > 0;
                let (op, session) = self.clients.invoke(client, load.sessions, command.clone(), self.now, timeout);
                #[cfg(feature = "extended")]
                if timeout {
                    let t = self.now.saturating_add(load.timeout_ms.saturating_mul(MS));
                    self.push(t, Pending::ClientTimeout { op, tries: 1 });
                }
                self.send_op(leader, op, command, session, 0, ClientSource::Load)
            }
            None => {
                let ev = self.new_event(EventKind::ClientRequest, None, What::ClientNoLeader { command });
                self.finish(ev);
            }
        }
    }

    /// A client request from a user or a script: a new operation, no timeout.
    pub(super) fn client_request(&mut self, node: NodeId, command: Command, source: ClientSource) {
        let (op, _) = self.clients.invoke(0, false, command.clone(), self.now, false);
        self.send_op(node, op, command, None, 0, source);
    }

    /// A load client's timeout for operation `op` (its `tries`-th try).
    #[cfg(feature = "extended")]
    fn client_timeout(&mut self, op: u32, tries: u8) {
        let Some(o) = self.clients.op(op) else { return };
        if o.outcome != OpOutcome::Pending || o.tries != tries {
            return;
        }
        let (command, session) = (o.command.clone(), o.session);
        let retry = self.client_load.as_ref().is_some_and(|l| l.retry) && tries < super::clients::MAX_TRIES;
        let ev = self.new_event(EventKind::ClientRequest, None, What::ClientTimeout { op: op as u64, command: command.clone(), tries, retry });
        self.finish(ev);
        if !retry {
            self.clients.end(op, OpOutcome::TimedOut, self.now);
            return;
        }
        let tries = self.clients.retried(op).unwrap_or(tries);
        let timeout_ms = self.client_load.as_ref().map_or(0, |l| l.timeout_ms).max(1);
        let t = self.now.saturating_add(timeout_ms.saturating_mul(MS));
        self.push(t, Pending::ClientTimeout { op, tries });
        let target = self.current_leader().or(self.clients.op(op).and_then(|o| o.server));
        if let Some(node) = target {
            self.send_op(node, op, command, session, 0, ClientSource::Retry);
        }
    }

    /// A refused try: a client without a timeout learns the answer now and
    /// stops; one with a timeout waits for it to try again.
    fn refused(&mut self, op: u32) {
        if self.clients.op(op).is_some_and(|o| !o.timeout) {
            self.clients.end(op, OpOutcome::Refused, self.now);
        }
    }

    /// Sends client operation `op` (`command`, with its session) to `node`.
    fn send_op(&mut self, node: NodeId, op: u32, command: Command, session: Option<Session>, hops: u8, source: ClientSource) {
        if !self.clients.is_pending(op) {
            return;
        }
        self.stats.client_requests += 1;
        let client = |command: Command, outcome| What::Client { source, node, command, outcome };
        if !self.is_alive(node) {
            let ev = self.new_event(EventKind::ClientRequest, Some(node), client(command, ClientOutcome::Down));
            self.finish(ev);
            return self.refused(op);
        }
        let before = self.before(node);
        self.tick(node);
        let result = match (&command, self.config.read_mode) {
            (Command::Get { key }, ReadMode::ReadIndex | ReadMode::Lease) if cfg!(feature = "extended") => {
                self.slot_mut(node).node.read(op as u64, key.clone()).map(|out| (None, out))
            }
            _ => self.slot_mut(node).node.propose_with(command.clone(), session).map(|(i, out)| (Some(i), out)),
        };
        match result {
            Ok((index, out)) => {
                self.stats.client_accepted += 1;
                let outcome = match index {
                    Some(index) => {
                        self.clients.appended(op, node, index, before.1);
                        ClientOutcome::Appended { index, term: before.1 }
                    }
                    None => {
                        self.clients.reading(op, node);
                        ClientOutcome::Reading
                    }
                };
                let mut ev = self.new_event(EventKind::ClientRequest, Some(node), client(command, outcome));
                self.absorb(node, out, &mut ev);
                self.after_node(node, before, usize::MAX, &mut ev);
                self.finish(ev);
            }
            Err(ClientError::NotLeader { leader_hint }) => {
                self.stats.client_redirected += 1;
                let follow = leader_hint.filter(|h| self.follow_redirects && *h != node && hops < 3);
                let outcome = ClientOutcome::NotLeader { hint: leader_hint, follows: follow.is_some() };
                let ev = self.new_event(EventKind::ClientRequest, Some(node), client(command.clone(), outcome));
                if let Some(h) = follow {
                    let lo = self.network.latency_min_ms.saturating_mul(MS);
                    let hi = self.network.latency_max_ms.saturating_mul(MS).max(lo);
                    let t = self.now.saturating_add(self.rng.gen_range(lo..=hi));
                    self.push(t, Pending::ClientRetry { node: h, op, command, session, hops: hops + 1 });
                } else {
                    self.refused(op);
                }
                self.finish(ev);
            }
            Err(ClientError::Transferring { to }) => {
                self.stats.client_redirected += 1;
                let ev = self.new_event(EventKind::ClientRequest, Some(node), client(command, ClientOutcome::Transferring { to }));
                self.finish(ev);
                self.refused(op);
            }
        }
    }

    /// The current leader starts handing over to `to` (§3.10).
    fn transfer_leadership(&mut self, to: NodeId) {
        let action = Action::TransferLeadership { to };
        let Some(leader) = self.current_leader() else {
            let ev = self.new_event(EventKind::Action, None, What::NoLeader { action });
            return self.finish(ev);
        };
        let before = self.before(leader);
        match self.slot_mut(leader).node.transfer_leadership(to) {
            Ok(out) => {
                let mut ev = self.new_event(EventKind::Action, Some(leader), What::Applied { action });
                self.absorb(leader, out, &mut ev);
                self.after_node(leader, before, usize::MAX, &mut ev);
                self.finish(ev);
            }
            Err(reason) => {
                let ev = self.new_event(EventKind::Action, Some(leader), What::TransferRefused { to, leader, reason });
                self.finish(ev);
            }
        }
    }

    /// A configuration change through the current leader (§4). A server
    /// never seen before starts fresh, empty and running; one that was in
    /// the cluster before (removed, spare, crashed) comes back with what is
    /// on its disk. Raft knows a server by its persistent state: one that
    /// lost it must return under a new id, or a stale server still counting
    /// it in an old configuration could win its vote (`check` found this).
    #[cfg(feature = "membership")]
    fn change_membership(&mut self, action: Action) {
        let Some(leader) = self.current_leader() else {
            let ev = self.new_event(EventKind::Action, None, What::NoLeader { action });
            return self.finish(ev);
        };
        self.change_membership_at(leader, action);
    }

    /// [`change_membership`](Self::change_membership) through server
    /// `leader` (a schedule's step names it: two leaders of different terms
    /// may both be running).
    #[cfg(feature = "membership")]
    pub(super) fn change_membership_at(&mut self, leader: NodeId, action: Action) {
        use crate::raft::ConfChange;
        let change = match &action {
            Action::AddServer { node } => ConfChange::Add { node: *node },
            Action::RemoveServer { node } => ConfChange::Remove { node: *node },
            Action::ChangeConfig { voters, learners } => ConfChange::Joint { voters: voters.clone(), learners: learners.clone() },
            _ => return,
        };
        let before = self.before(leader);
        match self.slot_mut(leader).node.propose_change(change) {
            Ok((_, out)) => {
                let mut ev = self.new_event(EventKind::Action, Some(leader), What::Applied { action });
                let members = self.nodes[(leader - 1) as usize].node.membership().members();
                for id in members.into_iter().filter(|&id| id <= 9) {
                    if id as usize > self.nodes.len() {
                        self.fresh_server(id, &mut ev);
                    }
                }
                self.absorb(leader, out, &mut ev);
                self.after_node(leader, before, usize::MAX, &mut ev);
                self.finish(ev);
            }
            Err(reason) => {
                let ev = self.new_event(EventKind::Action, Some(leader), What::ChangeRefused { action, leader, reason });
                self.finish(ev);
            }
        }
    }

    /// Server `id` as a new machine: empty, running, with no configuration
    /// of its own (it learns one from the leader's log or snapshot and never
    /// stands for election before, §4.2.1). Slots up to `id` are made.
    #[cfg(feature = "membership")]
    fn fresh_server(&mut self, id: NodeId, ev: &mut Event) {
        while self.nodes.len() < id as usize {
            let next = self.nodes.len() as NodeId + 1;
            let node = Node::new(next, Vec::new(), self.config.clone());
            self.nodes.push(Slot { node, alive: true, election: None, heartbeat: None });
            #[cfg(feature = "extended")]
            self.clocks.push(Clock { rate_ppm: PPM, since: self.now, local: self.now });
        }
        let before = self.before(id);
        self.cancel_election(id);
        self.cancel_heartbeat(id);
        let node = Node::new(id, Vec::new(), self.config.clone());
        let slot = self.slot_mut(id);
        slot.node = node;
        slot.alive = true;
        self.tell_timing();
        self.arm_election(id);
        self.after_node(id, before, 0, ev);
    }

    /// Apply a user or scripted action now, as one event.
    pub fn apply_action(&mut self, action: Action) {
        let action = match action {
            Action::CrashLeader => match self.current_leader() {
                Some(node) => Action::Crash { node },
                None => {
                    let ev = self.new_event(EventKind::Action, None, What::NoLeader { action: Action::CrashLeader });
                    self.finish(ev);
                    return;
                }
            },
            Action::IsolateLeader => match self.current_leader() {
                Some(node) => Action::Isolate { node },
                None => {
                    let ev = self.new_event(EventKind::Action, None, What::NoLeader { action: Action::IsolateLeader });
                    self.finish(ev);
                    return;
                }
            },
            a => a,
        };
        match action {
            Action::Timeout { node } if self.valid(node) => return self.election_timeout(node, true),
            Action::Heartbeat { node } if self.valid(node) => return self.heartbeat_timeout(node, true),
            Action::ClientRequest { node, command } if self.valid(node) => {
                return self.client_request(node, command, ClientSource::User)
            }
            Action::TransferLeadership { to } if self.valid(to) => return self.transfer_leadership(to),
            // Not enabled: the Applied event below says so (one event either way).
            #[cfg(feature = "schedule")]
            Action::Take { ref step } if self.take(step).is_ok() => return,
            #[cfg(feature = "membership")]
            Action::AddServer { .. } | Action::RemoveServer { .. } | Action::ChangeConfig { .. } => {
                return self.change_membership(action)
            }
            _ => {}
        }
        let mut ev = self.new_event(EventKind::Action, None, What::Applied { action: action.clone() });
        match action {
            Action::Crash { node } if self.valid(node) => {
                ev.node = Some(node);
                if self.is_alive(node) {
                    let before = self.before(node);
                    self.cancel_election(node);
                    self.cancel_heartbeat(node);
                    let config = self.config.clone();
                    self.clients.crashed(node, self.now);
                    let slot = self.slot_mut(node);
                    // It comes back with the configuration it was started with
                    // (its log and snapshot say what changed since, §4.1).
                    let cluster = slot.node.cluster().to_vec();
                    // Only Figure 2's persistent state survives a crash.
                    let p = slot.node.crash_state();
                    slot.node = Node::restart(node, cluster, config, p);
                    slot.alive = false;
                    if cfg!(feature = "membership") {
                        self.tell_timing();
                    }
                    let n = &self.nodes[(node - 1) as usize].node;
                    let (term, voted_for, log_len) = (n.current_term(), n.voted_for(), n.last_log_index());
                    ev.what = What::Crashed { node, term, voted_for, log_len };
                    self.after_node(node, before, usize::MAX, &mut ev);
                } else {
                    ev.what = What::AlreadyDown { node };
                }
            }
            Action::Restart { node } if self.valid(node) => {
                ev.node = Some(node);
                if self.is_alive(node) {
                    ev.what = What::AlreadyRunning { node };
                } else {
                    let before = self.before(node);
                    self.slot_mut(node).alive = true;
                    self.after_node(node, before, usize::MAX, &mut ev);
                }
            }
            Action::Partition { groups } => {
                let mut groups: Vec<Vec<NodeId>> = groups
                    .into_iter()
                    .map(|mut g| {
                        crate::order::sort(&mut g);
                        g.dedup();
                        g
                    })
                    .filter(|g| !g.is_empty())
                    .collect();
                crate::order::sort(&mut groups);
                self.links.groups = groups;
            }
            Action::Isolate { node } if self.valid(node) => {
                let rest: Vec<NodeId> = (1..=self.nodes.len() as NodeId).filter(|&n| n != node).collect();
                self.links.groups = vec![vec![node], rest];
            }
            Action::Heal => {
                self.links = Links::default();
            }
            Action::CutLink { from, to } if self.valid(from) && self.valid(to) => self.links.cut_link(from, to),
            Action::RestoreLink { from, to } if self.valid(from) && self.valid(to) => {
                self.links.restore_link(from, to)
            }
            Action::DropMessage { id } => match self.in_flight.get(&id) {
                Some((m, _)) if m.dropped_at.is_none() => {
                    let (m, key) = self.in_flight.remove(&id).expect("present");
                    self.queue.remove(&key);
                    self.stats.messages_lost += 1;
                    ev.what = What::Dropped { id };
                    ev.message = Some(MessageInfo::of(&m, Some(DropReason::User)));
                }
                _ => ev.what = What::NotInFlight { id },
            },
            Action::SetNetwork { latency_min_ms, latency_max_ms, loss, duplicate, reorder } => {
                let n = &mut self.network;
                if let Some(v) = latency_min_ms {
                    n.latency_min_ms = v;
                }
                if let Some(v) = latency_max_ms {
                    n.latency_max_ms = v;
                }
                if let Some(v) = loss {
                    n.loss = v.clamp(0.0, 1.0);
                }
                if let Some(v) = duplicate {
                    n.duplicate = v.clamp(0.0, 1.0);
                }
                if let Some(v) = reorder {
                    n.reorder = v;
                }
                n.latency_max_ms = n.latency_max_ms.max(n.latency_min_ms);
            }
            Action::SetTiming { election_min_ms, election_max_ms, heartbeat_ms } => {
                let t = &mut self.timing;
                if let Some(v) = election_min_ms {
                    t.election_min_ms = v;
                }
                if let Some(v) = election_max_ms {
                    t.election_max_ms = v;
                }
                if let Some(v) = heartbeat_ms {
                    t.heartbeat_ms = v.max(1);
                }
                t.election_max_ms = t.election_max_ms.max(t.election_min_ms);
                self.tell_timing();
            }
            Action::SetClientLoad { load } => self.set_client_load(load),
            Action::SetFollowRedirects { on } => self.follow_redirects = on,
            #[cfg(feature = "schedule")]
            Action::Manual { on } => self.manual = on,
            #[cfg(feature = "extended")]
            Action::SetClockDrift { node, rate } if self.valid(node) => {
                let c = &mut self.clocks[(node - 1) as usize];
                let local = c.at(self.now);
                *c = Clock { rate_ppm: rate_ppm(rate), since: self.now, local };
            }
            #[cfg(feature = "membership")]
            Action::SetRaft { pre_vote, check_quorum, read_mode, disruption_guard, snapshot_threshold, learner_catch_up } => {
                if let Some(v) = snapshot_threshold {
                    self.config.snapshot_threshold = v;
                }
                if let Some(v) = learner_catch_up {
                    self.config.learner_catch_up = v;
                }
                self.set_raft(pre_vote, check_quorum, read_mode, disruption_guard);
            }
            #[cfg(not(feature = "membership"))]
            Action::SetRaft { pre_vote, check_quorum, read_mode, disruption_guard } => {
                self.set_raft(pre_vote, check_quorum, read_mode, disruption_guard);
            }
            other => ev.what = What::Invalid { action: other },
        }
        self.finish(ev);
    }

    /// `set_raft`'s options of every version: switched on every server now.
    fn set_raft(&mut self, pre_vote: Option<bool>, check_quorum: Option<bool>, read_mode: Option<ReadMode>, disruption_guard: Option<bool>) {
        if let Some(v) = pre_vote {
            self.config.pre_vote = v;
        }
        if let Some(v) = check_quorum {
            self.config.check_quorum = v;
        }
        if let Some(v) = read_mode {
            self.config.read_mode = v;
        }
        if let Some(v) = disruption_guard {
            self.config.disruption_guard = v;
        }
        let config = self.config.clone();
        for id in 1..=self.nodes.len() as NodeId {
            let before = self.before(id);
            self.slot_mut(id).node.set_config(config.clone());
            // A leader that now runs CheckQuorum needs its timer (and
            // one that stopped, not).
            if self.is_alive(id) && before.0 == Role::Leader {
                let wants = self.nodes[(id - 1) as usize].node.wants_leader_timer();
                match (wants, self.nodes[(id - 1) as usize].election.is_some()) {
                    (true, false) => self.arm_election(id),
                    (false, true) => self.cancel_election(id),
                    _ => {}
                }
            }
        }
    }

    /// Safety and history-checker violations so far.
    pub fn violations(&self) -> &[super::checker::Violation] {
        self.checker.violations()
    }

    pub fn violation_count(&self) -> u64 {
        self.checker.violation_count()
    }

    /// The last event processed.
    pub fn recent_event(&self) -> Option<&Event> {
        self.recent.back()
    }

    /// The client operations so far, in invocation order.
    pub fn ops(&self) -> &crate::chunked::Chunked<super::clients::Op> {
        self.clients.ops()
    }

    fn valid(&self, id: NodeId) -> bool {
        id >= 1 && (id as usize) <= self.nodes.len()
    }

    // ----- conditions --------------------------------------------------------

    /// A live leader whose term is at least every live node's term.
    pub fn leader_elected(&self) -> bool {
        let Some(l) = self.current_leader() else { return false };
        let leader = &self.nodes[(l - 1) as usize].node;
        let t = leader.current_term();
        // Servers outside its configuration (removed ones that never heard
        // so, spares) may go on campaigning (§4.2.3): they do not count.
        let m = leader.membership();
        self.nodes.iter().filter(|s| s.alive && m.contains(s.node.id())).all(|s| s.node.current_term() <= t)
    }

    /// All live nodes hold identical logs.
    pub fn all_logs_equal(&self) -> bool {
        let mut live = self.nodes.iter().filter(|s| s.alive);
        let Some(first) = live.next() else { return true };
        let first = &first.node;
        // Compared above both snapshots (§7): what they cover is committed.
        live.all(|s| {
            let n = &s.node;
            let from = n.log_offset().max(first.log_offset()) + 1;
            n.last_log_index() == first.last_log_index() && (from..=n.last_log_index()).all(|i| n.entry(i) == first.entry(i))
        })
    }

    pub fn max_commit(&self) -> u64 {
        self.nodes.iter().map(|s| s.node.commit_index()).max().unwrap_or(0)
    }

    /// Approximate bytes held by this world (node states, logs, checker,
    /// messages), counting the shared chunks of its logs and records; the
    /// logs' commands as the newest [`SIZE_SAMPLE`] of each log average.
    pub fn approx_bytes(&self) -> usize {
        self.bytes(true)
    }

    /// Approximate bytes a clone of this world owns: what one history
    /// checkpoint costs. Full chunks of logs and checker records are shared
    /// between clones (`crate::chunked`) and counted only with `all`.
    pub fn bytes(&self, all: bool) -> usize {
        self.bytes_sampled(all, SIZE_SAMPLE)
    }

    /// [`World::bytes`] with each log's commands sized from its newest
    /// `sample` entries (`usize::MAX`: every entry, exact but slow).
    pub fn bytes_sampled(&self, all: bool, sample: usize) -> usize {
        fn s(x: &str) -> usize {
            if x.is_empty() { 0 } else { (x.len() + 15) & !15 }
        }
        fn cmd(c: &Command) -> usize {
            match c {
                Command::Noop => 0,
                #[cfg(feature = "membership")]
                Command::Config(m) => 3 * 24 + m.voters.len() + m.learners.len() + m.outgoing.len(),
                Command::Set { key, value } => s(key) + s(value),
                Command::Delete { key } => s(key),
                Command::Cas { key, expected, value } => s(key) + s(value) + expected.as_deref().map_or(0, s),
                Command::Get { key } => s(key),
                Command::Append { key, value } => s(key) + s(value),
            }
        }
        let entry = std::mem::size_of::<crate::raft::Entry>();
        // A command is shared by every log (and checkpoint) holding it:
        // each holder is charged its share, so the sum over the live world
        // and all checkpoints is what is really allocated.
        let shared = |c: &std::sync::Arc<Command>| {
            (32 + std::mem::size_of::<Command>() + cmd(c)) / std::sync::Arc::strong_count(c).max(1)
        };
        let mut total = std::mem::size_of::<World>() + self.checker.bytes(all);
        for slot in &self.nodes {
            total += std::mem::size_of::<Slot>();
            let log = slot.node.log();
            total += if all {
                // Every entry with its share of its command, the commands
                // sampled from the newest entries: walking every entry took
                // 33 ms natively for 10 minutes of 9 servers under load, and
                // the page checks its memory every 32 frames while playing.
                let n = log.len();
                let from = n.saturating_sub(sample);
                let sample: usize = log.iter_from(from).map(|e| shared(&e.command)).sum();
                n * entry + if n > from { sample * n / (n - from) } else { 0 }
            } else {
                log.own_bytes()
            };
            total += slot.node.kv().iter().map(|(k, v)| 64 + s(k) + s(v)).sum::<usize>();
        }
        total += self.in_flight.len() * (std::mem::size_of::<InFlight>() + 64);
        total += self.queue.len() * 64;
        total += self.recent.len() * (std::mem::size_of::<Event>() + 64);
        total += self.markers.len() * std::mem::size_of::<Marker>();
        let ops = self.clients.ops();
        total += if all { ops.len() * (std::mem::size_of::<super::clients::Op>() + 32) } else { ops.own_bytes() };
        total
    }
}

/// How many of a log's newest entries stand for all of them in
/// [`World::approx_bytes`].
pub const SIZE_SAMPLE: usize = 64;

/// A clock rate as parts per million, within what scenarios allow (0.5–2).
pub fn rate_ppm(rate: f64) -> u64 {
    if rate.is_finite() {
        (rate.clamp(0.5, 2.0) * PPM as f64).round() as u64
    } else {
        PPM
    }
}
