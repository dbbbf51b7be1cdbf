//! The explorer's model: states, the events enabled in each, and what an
//! event does — which is the real `raft::Node` code, driven as the
//! simulator drives it (`sim::schedule`), only without time.
//!
//! A state holds the servers (shared with the states they were copied
//! from until an event touches them), the messages in flight as a multiset
//! (sorted by their hashes, so that order is canonical), the fault budget
//! used so far, and two ghost variables that history-based properties need
//! (TLA+ specifications keep the same: raft.tla's `elections` and the
//! committed log): the leader of each term ever elected, and the entry
//! committed at each index with the term it was first committed in.

use std::rc::Rc;

use xxhash_rust::xxh3::xxh3_64;

use std::sync::Arc;

use crate::raft::hash::command_hash;
use crate::raft::node::{command_hash_renamed, encode_message, Relabel};
use crate::raft::{Command, Config, Entry, Envelope, Log, Node, NodeId, Output, Role, Term, Timer};
use crate::sim::schedule::{request_command, MessageKind, MessageRef, Step};
use crate::sim::world::LINKS;
use crate::sim::{settle_timers, tell_timing, Armed, Breach, Property, TimerKind, Timing, World};

/// How many of each fault or input a run may use.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Bounds {
    pub crashes: u8,
    pub drops: u8,
    pub duplicates: u8,
    pub requests: u8,
    /// Configuration changes a leader starts (§4.1): adding a server not in
    /// its configuration — one of the scenario's, or one new server, the
    /// next id, started empty as `add_server` starts it — or removing one.
    pub changes: u8,
}

/// One server: the node, whether it runs, which timers are armed, and the
/// hash of its encoding (kept, so only the servers an event touches are
/// encoded again).
#[derive(Clone, Debug)]
pub struct Server {
    pub node: Node,
    pub alive: bool,
    pub armed: Armed,
    hash: u64,
}

/// A message in flight. `seq` names it in schedules (its link's count) and
/// is 0 while searching: it is no part of the state.
#[derive(Clone, Debug)]
pub struct Packet {
    pub env: Rc<Envelope>,
    pub seq: u32,
    hash: u64,
}

/// Ghost: the entry committed at an index (its term and command hash), the
/// term it was first committed in, and by whom (for the report only). A
/// configuration entry keeps its command, to be renamed (symmetry).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Committed {
    term: Term,
    command: u64,
    commit_term: Term,
    by: NodeId,
    config: Option<Arc<Command>>,
}

impl Committed {
    fn of(e: &Entry, commit_term: Term, by: NodeId) -> Committed {
        let config = matches!(*e.command, Command::Config(_)).then(|| Arc::clone(&e.command));
        Committed { term: e.term, command: command_hash(&e.command), commit_term, by, config }
    }
}

#[derive(Clone, Debug)]
pub struct State {
    servers: Vec<Rc<Server>>,
    net: Vec<Packet>,
    used: Bounds,
    /// Ghost for Election Safety: (term, leader) of every election won, by
    /// term. (Shared until changed, as the servers: most events change neither ghost.)
    leaders: Rc<Vec<(Term, NodeId)>>,
    /// Ghost for State Machine Safety and Leader Completeness: committed[i] is index i + 1.
    committed: Rc<Vec<Committed>>,
    /// Messages sent per link, while a run is labelled for its schedule.
    link_sent: Option<Box<[u32; LINKS * LINKS]>>,
}

/// One event, by position in the state it happens in: a message's index in
/// the (sorted) multiset, a server's index (id − 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Event {
    Deliver(u16),
    Drop(u16),
    Duplicate(u16),
    Election(u8),
    Heartbeat(u8),
    Crash(u8),
    Restart(u8),
    Request(u8),
    /// Server (index) starts adding server (id) to its configuration.
    AddServer(u8, u8),
    /// Server (index) starts removing server (id) from its configuration.
    RemoveServer(u8, u8),
}

/// A property broken by an event.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Found {
    pub property: Property,
    pub nodes: Vec<NodeId>,
    pub breach: Breach,
}

impl Found {
    fn new(property: Property, nodes: Vec<NodeId>, breach: Breach) -> Found {
        Found { property, nodes, breach }
    }
}

/// Why a scenario cannot be explored.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum ModelError {
    /// Reads outside the log, leases and the vote guard (§6.4, §4.2.3) run
    /// on clocks, which the model abstracts away.
    NeedsClocks,
    /// Log compaction (ch. 5) is not modelled.
    Compaction,
    /// Timed actions or a client load: the explorer chooses every event itself.
    TimedInputs,
    /// The scenario's schedule does not replay: step `index` is not enabled.
    Schedule { index: usize, error: crate::sim::schedule::ScheduleError },
    /// Symmetry reduction renames servers: at most 6 of them (720 renamings).
    TooManyForSymmetry { nodes: usize },
}

/// The parts of a run that never change, and the bounds.
#[derive(Clone, Debug)]
pub struct Model {
    pub bounds: Bounds,
    config: Config,
    /// What the world tells the servers it starts of its timing.
    timing: Timing,
    /// Each server's bootstrap configuration (a crash restarts it with it);
    /// a server the model starts has none.
    clusters: Vec<Vec<NodeId>>,
    /// The id of the one server configuration changes may start (0: none).
    spare: NodeId,
    rounds: bool,
    /// Every renaming of the server ids (only the identity without symmetry).
    renamings: Vec<Relabel>,
}

fn hash_packet(env: &Envelope, ids: &Relabel, rounds: bool, buf: &mut Vec<u8>) -> u64 {
    buf.clear();
    buf.push(ids.apply(env.from));
    buf.push(ids.apply(env.to));
    encode_message(&env.msg, ids, rounds, buf);
    xxh3_64(buf)
}

fn hash_server(node: &Node, ids: &Relabel, buf: &mut Vec<u8>) -> u64 {
    buf.clear();
    node.encode_state(ids, buf);
    xxh3_64(buf)
}

/// Every permutation of ids 1..=n, as renamings.
fn renamings(n: usize) -> Vec<Relabel> {
    let mut out = Vec::new();
    let mut ids: Vec<NodeId> = (1..=n as NodeId).collect();
    fn go(k: usize, ids: &mut Vec<NodeId>, out: &mut Vec<Relabel>) {
        if k == ids.len() {
            let mut r = Relabel::IDENTITY;
            for (old, &new) in ids.iter().enumerate() {
                r.0[old + 1] = new;
            }
            out.push(r);
            return;
        }
        for i in k..ids.len() {
            ids.swap(k, i);
            go(k + 1, ids, out);
            ids.swap(k, i);
        }
    }
    go(0, &mut ids, &mut out);
    out
}

/// Whether `a` is a prefix of `b` (same terms and commands).
/// The first `n` entries of `a` begin `b`.
fn is_prefix(a: &Log, n: usize, b: &Log) -> bool {
    n <= a.len() && n <= b.len() && a.iter().take(n).zip(b).all(|(x, y)| x.term == y.term && (std::sync::Arc::ptr_eq(&x.command, &y.command) || x.command == y.command))
}

fn same_log(a: &Log, b: &Log) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.term == y.term && std::sync::Arc::ptr_eq(&x.command, &y.command))
}

impl Model {
    /// The model of a world as it stands (its servers, their timers, the
    /// messages in flight): the scenario's start, or wherever its schedule
    /// led. History before that point is summed up by the ghosts: the
    /// leaders in office now, the longest committed prefix now.
    pub fn from_world(w: &World, bounds: Bounds, symmetry: bool) -> Result<(Model, State), ModelError> {
        let config = w.config.clone();
        if !config.read_mode.is_log() || config.guards_votes() {
            return Err(ModelError::NeedsClocks);
        }
        #[cfg(feature = "membership")]
        if config.snapshot_threshold > 0 {
            return Err(ModelError::Compaction);
        }
        let n = w.nodes.len();
        if symmetry && n > 6 {
            return Err(ModelError::TooManyForSymmetry { nodes: n });
        }
        let rounds = w.nodes.first().is_some_and(|s| s.node.rounds_matter());
        // Renamings keep every bootstrap configuration ({1..k} for the
        // scenario's servers, none for one a change started): they permute
        // 1..k only.
        let k = w.nodes.first().map_or(0, |s| s.node.cluster().len());
        let model = Model {
            bounds,
            clusters: w.nodes.iter().map(|s| s.node.cluster().to_vec()).collect(),
            config,
            timing: w.timing.clone(),
            spare: if bounds.changes > 0 && n < 9 { n as NodeId + 1 } else { 0 },
            rounds,
            renamings: if symmetry { renamings(k) } else { vec![Relabel::IDENTITY] },
        };
        let mut buf = Vec::with_capacity(256);
        let servers: Vec<Rc<Server>> = w
            .nodes
            .iter()
            .map(|s| {
                let armed = Armed { election: s.election.is_some(), heartbeat: s.heartbeat.is_some() };
                let hash = hash_server(&s.node, &Relabel::IDENTITY, &mut buf);
                Rc::new(Server { node: s.node.clone(), alive: s.alive, armed, hash })
            })
            .collect();
        let mut net: Vec<Packet> = w
            .messages()
            .filter(|m| m.dropped_at.is_none())
            .map(|m| {
                let env = Envelope { from: m.from, to: m.to, msg: m.msg.clone() };
                let hash = hash_packet(&env, &Relabel::IDENTITY, rounds, &mut buf);
                Packet { env: Rc::new(env), seq: m.seq, hash }
            })
            .collect();
        net.sort_by_key(|p| p.hash);
        let (mut leaders, mut committed) = (Vec::new(), Vec::new());
        for sv in &servers {
            let node: &Node = &sv.node;
            if sv.alive && node.role() == Role::Leader {
                leaders.push((node.current_term(), node.id()));
            }
            let c = node.commit_index() as usize;
            for e in node.log().iter().take(c).skip(committed.len()) {
                committed.push(Committed::of(e, node.current_term(), node.id()));
            }
        }
        leaders.sort();
        let mut s = State { servers, net, used: Bounds::default(), leaders: Rc::new(leaders), committed: Rc::new(committed), link_sent: None };
        let mut sent = Box::new([0u32; LINKS * LINKS]);
        sent.copy_from_slice(&w.link_sent[..LINKS * LINKS]);
        s.link_sent = Some(sent);
        Ok((model, s))
    }

    /// The scenario's start, after its schedule if it has one.
    pub fn from_scenario(sc: &crate::sim::Scenario, bounds: Bounds, symmetry: bool) -> Result<(Model, State), ModelError> {
        if !sc.actions.is_empty() || sc.client_load.is_some() {
            return Err(ModelError::TimedInputs);
        }
        let mut w = World::new(sc);
        w.take_all(&sc.schedule).map_err(|(index, error)| ModelError::Schedule { index, error })?;
        Model::from_world(&w, bounds, symmetry)
    }

    /// The state without its schedule labels: what the search keeps.
    pub fn unlabelled(&self, s: &State) -> State {
        let mut s = s.clone();
        s.link_sent = None;
        for p in &mut s.net {
            p.seq = 0;
        }
        s
    }

    /// The events enabled in `s`, in a fixed order (into `out`, cleared).
    pub fn events(&self, s: &State, out: &mut Vec<Event>) {
        out.clear();
        for (i, sv) in s.servers.iter().enumerate() {
            if sv.alive {
                if sv.armed.election {
                    out.push(Event::Election(i as u8));
                }
                if sv.armed.heartbeat {
                    out.push(Event::Heartbeat(i as u8));
                }
            }
        }
        // Equal messages are one choice (the multiset's copies are interchangeable).
        let distinct = |j: usize| j == 0 || s.net[j].hash != s.net[j - 1].hash;
        out.extend((0..s.net.len()).filter(|&j| distinct(j)).map(|j| Event::Deliver(j as u16)));
        for (i, sv) in s.servers.iter().enumerate() {
            if !sv.alive {
                out.push(Event::Restart(i as u8));
            } else if s.used.crashes < self.bounds.crashes {
                out.push(Event::Crash(i as u8));
            }
        }
        if s.used.drops < self.bounds.drops {
            out.extend((0..s.net.len()).filter(|&j| distinct(j)).map(|j| Event::Drop(j as u16)));
        }
        if s.used.duplicates < self.bounds.duplicates {
            out.extend((0..s.net.len()).filter(|&j| distinct(j)).map(|j| Event::Duplicate(j as u16)));
        }
        if s.used.requests < self.bounds.requests {
            // A request to anyone but a leader is refused and changes nothing (§8).
            for (i, sv) in s.servers.iter().enumerate() {
                if sv.alive && sv.node.role() == Role::Leader {
                    out.push(Event::Request(i as u8));
                }
            }
        }
        #[cfg(feature = "membership")]
        if s.used.changes < self.bounds.changes {
            self.changes(s, out);
        }
    }

    /// The configuration changes running leaders would start (§4.1): add
    /// any server not in the configuration, remove any that is.
    #[cfg(feature = "membership")]
    fn changes(&self, s: &State, out: &mut Vec<Event>) {
        use crate::raft::ConfChange;
        let ids = (s.servers.len() as NodeId).max(self.spare);
        for (i, sv) in s.servers.iter().enumerate() {
            if !sv.alive || sv.node.role() != Role::Leader {
                continue;
            }
            for node in 1..=ids {
                let (change, ev) = if sv.node.membership().contains(node) {
                    (ConfChange::Remove { node }, Event::RemoveServer(i as u8, node))
                } else {
                    (ConfChange::Add { node }, Event::AddServer(i as u8, node))
                };
                if sv.node.check_change(change).is_ok() {
                    out.push(ev);
                }
            }
        }
    }

    /// The schedule step `ev` is in the labelled state `s`.
    pub fn step_of(&self, s: &State, ev: Event) -> Step {
        let msg = |j: u16| {
            let p = &s.net[j as usize];
            MessageRef { from: p.env.from, to: p.env.to, kind: MessageKind::of(&p.env.msg), seq: p.seq }
        };
        let id = |i: u8| s.servers[i as usize].node.id();
        match ev {
            Event::Deliver(j) => Step::Deliver(msg(j)),
            Event::Drop(j) => Step::Drop(msg(j)),
            Event::Duplicate(j) => Step::Duplicate(msg(j)),
            Event::Election(i) => Step::Timeout { node: id(i), timer: TimerKind::Election },
            Event::Heartbeat(i) => Step::Timeout { node: id(i), timer: TimerKind::Heartbeat },
            Event::Crash(i) => Step::Crash { node: id(i) },
            Event::Restart(i) => Step::Restart { node: id(i) },
            Event::Request(i) => Step::Request { node: id(i), command: request_command(s.used.requests as u64 + 1) },
            Event::AddServer(i, node) => Step::AddServer { leader: id(i), node },
            Event::RemoveServer(i, node) => Step::RemoveServer { leader: id(i), node },
        }
    }

    fn send(&self, s: &mut State, env: Envelope, buf: &mut Vec<u8>) {
        let hash = hash_packet(&env, &Relabel::IDENTITY, self.rounds, buf);
        let seq = match &mut s.link_sent {
            Some(sent) => {
                let link = (env.from as usize % LINKS) * LINKS + env.to as usize % LINKS;
                sent[link] += 1;
                sent[link]
            }
            None => 0,
        };
        let at = s.net.partition_point(|p| p.hash <= hash);
        s.net.insert(at, Packet { env: Rc::new(env), seq, hash });
    }

    /// What server `i` asked for: messages sent, timers armed; then the
    /// driver's timer rules, and its new hash.
    fn absorb(&self, s: &mut State, i: usize, out: Output, buf: &mut Vec<u8>) {
        for env in out.messages {
            self.send(s, env, buf);
        }
        let sv = Rc::make_mut(&mut s.servers[i]);
        for t in out.timers {
            match t {
                Timer::Election => sv.armed.election = true,
                Timer::Heartbeat => sv.armed.heartbeat = true,
            }
        }
        self.settle(sv, buf);
    }

    fn settle(&self, sv: &mut Server, buf: &mut Vec<u8>) {
        if sv.alive {
            sv.armed = settle_timers(sv.node.role(), sv.node.wants_leader_timer(), sv.armed);
        }
        sv.hash = hash_server(&sv.node, &Relabel::IDENTITY, buf);
    }

    /// The state after `ev`, and the first property it breaks, if any.
    /// `buf` is scratch space for encodings.
    pub fn next(&self, s: &State, ev: Event, buf: &mut Vec<u8>) -> (State, Option<Found>) {
        let mut t = s.clone();
        let found = self.apply(s, ev, buf, true, &mut t);
        (t, found)
    }

    /// [`next`](Self::next) into `t` (whatever state it held: its memory is
    /// reused, which spares the search an allocation or two per state).
    pub fn next_into(&self, s: &State, ev: Event, buf: &mut Vec<u8>, t: &mut State) -> Option<Found> {
        t.copy_from(s);
        self.apply(s, ev, buf, true, t)
    }

    /// [`next_into`](Self::next_into) for a state already checked (a
    /// breadth-first level made again): the ghosts are updated all the same.
    pub fn next_again(&self, s: &State, ev: Event, buf: &mut Vec<u8>, t: &mut State) {
        t.copy_from(s);
        self.apply(s, ev, buf, false, t);
    }

    /// Event `ev` on `t`, a copy of `s`.
    fn apply(&self, s: &State, ev: Event, buf: &mut Vec<u8>, report: bool, t: &mut State) -> Option<Found> {
        let touched = match ev {
            Event::Deliver(j) => {
                let p = t.net.remove(j as usize);
                let i = (p.env.to as usize).wrapping_sub(1);
                match t.servers.get(i) {
                    // A message to a server that is down is lost.
                    Some(sv) if sv.alive => {
                        let env = Rc::try_unwrap(p.env).unwrap_or_else(|e| (*e).clone());
                        let out = Rc::make_mut(&mut t.servers[i]).node.step(env);
                        self.absorb(t, i, out, buf);
                        Some(i)
                    }
                    _ => None,
                }
            }
            Event::Drop(j) => {
                t.net.remove(j as usize);
                t.used.drops += 1;
                None
            }
            Event::Duplicate(j) => {
                let env = (*t.net[j as usize].env).clone();
                self.send(t, env, buf);
                t.used.duplicates += 1;
                None
            }
            Event::Election(i) | Event::Heartbeat(i) => {
                let i = i as usize;
                let sv = Rc::make_mut(&mut t.servers[i]);
                let out = if let Event::Election(_) = ev {
                    sv.armed.election = false;
                    sv.node.on_election_timeout()
                } else {
                    sv.armed.heartbeat = false;
                    sv.node.on_heartbeat_timeout()
                };
                self.absorb(t, i, out, buf);
                Some(i)
            }
            Event::Crash(i) => {
                let i = i as usize;
                let sv = Rc::make_mut(&mut t.servers[i]);
                // Only Figure 2's persistent state survives a crash.
                let id = sv.node.id();
                let cluster = self.clusters.get(i).cloned().unwrap_or_default();
                sv.node = Node::restart(id, cluster, self.config.clone(), sv.node.crash_state());
                tell_timing(&self.timing, &mut sv.node);
                sv.alive = false;
                sv.armed = Armed::default();
                self.settle(sv, buf);
                t.used.crashes += 1;
                None
            }
            Event::Restart(i) => {
                let sv = Rc::make_mut(&mut t.servers[i as usize]);
                sv.alive = true;
                self.settle(sv, buf);
                None
            }
            Event::Request(i) => {
                let i = i as usize;
                t.used.requests += 1;
                let command = request_command(t.used.requests as u64);
                match Rc::make_mut(&mut t.servers[i]).node.propose(command) {
                    Ok((_, out)) => self.absorb(t, i, out, buf),
                    // Refused (not leader, or handing over): nothing changed.
                    Err(_) => {}
                }
                Some(i)
            }
            Event::AddServer(i, node) | Event::RemoveServer(i, node) => {
                t.used.changes += 1;
                self.change(t, ev, i as usize, node, buf);
                Some(i as usize)
            }
        };
        let found = touched.and_then(|i| check(&s.servers[i], t, i));
        found.filter(|_| report)
    }

    /// Server `i` starts a configuration change (offered only when it
    /// accepts, `changes`), as `World::change_membership` does: a server
    /// the new configuration names that was never started starts empty and
    /// running, with no configuration of its own (§4.2.1).
    #[cfg(feature = "membership")]
    fn change(&self, t: &mut State, ev: Event, i: usize, node: NodeId, buf: &mut Vec<u8>) {
        use crate::raft::ConfChange;
        let change = if let Event::AddServer(..) = ev { ConfChange::Add { node } } else { ConfChange::Remove { node } };
        let Ok((_, out)) = Rc::make_mut(&mut t.servers[i]).node.propose_change(change) else { return };
        if let Event::AddServer(..) = ev {
            while t.servers.len() < node as usize {
                let id = t.servers.len() as NodeId + 1;
                let mut fresh = Node::new(id, Vec::new(), self.config.clone());
                tell_timing(&self.timing, &mut fresh);
                // Only the added one has its election timer armed, as in the world.
                let armed = Armed { election: id == node, heartbeat: false };
                let mut sv = Server { node: fresh, alive: true, armed, hash: 0 };
                self.settle(&mut sv, buf);
                t.servers.push(Rc::new(sv));
            }
        }
        self.absorb(t, i, out, buf);
    }

    #[cfg(not(feature = "membership"))]
    fn change(&self, _: &mut State, _: Event, _: usize, _: NodeId, _: &mut Vec<u8>) {}

    /// The state's fingerprint: a hash of its canonical encoding; with
    /// symmetry, the least over every renaming of the servers.
    pub fn fingerprint(&self, s: &State, buf: &mut Vec<u8>) -> u64 {
        if self.renamings.len() == 1 {
            buf.clear();
            for sv in &s.servers {
                buf.extend_from_slice(&sv.hash.to_le_bytes());
                buf.push(sv.alive as u8 | (sv.armed.election as u8) << 1 | (sv.armed.heartbeat as u8) << 2);
            }
            buf.extend_from_slice(&(s.net.len() as u32).to_le_bytes());
            for p in &s.net {
                buf.extend_from_slice(&p.hash.to_le_bytes());
            }
            self.tail(s, &Relabel::IDENTITY, buf);
            return xxh3_64(buf);
        }
        let mut scratch = Vec::with_capacity(128);
        let mut hashes: Vec<u64> = Vec::with_capacity(s.net.len());
        let mut best = u64::MAX;
        for r in &self.renamings {
            buf.clear();
            // Servers in the order of their new names.
            for new in 1..=s.servers.len() as NodeId {
                let Some(sv) = s.servers.iter().find(|sv| r.apply(sv.node.id()) == new) else { continue };
                buf.extend_from_slice(&hash_server(&sv.node, r, &mut scratch).to_le_bytes());
                buf.push(sv.alive as u8 | (sv.armed.election as u8) << 1 | (sv.armed.heartbeat as u8) << 2);
            }
            hashes.clear();
            hashes.extend(s.net.iter().map(|p| hash_packet(&p.env, r, self.rounds, &mut scratch)));
            hashes.sort_unstable();
            buf.extend_from_slice(&(hashes.len() as u32).to_le_bytes());
            for h in &hashes {
                buf.extend_from_slice(&h.to_le_bytes());
            }
            self.tail(s, r, buf);
            best = best.min(xxh3_64(buf));
        }
        best
    }

    /// Budget used and ghosts (renamed).
    fn tail(&self, s: &State, r: &Relabel, buf: &mut Vec<u8>) {
        let Bounds { crashes, drops, duplicates, requests, changes } = s.used;
        buf.extend_from_slice(&[crashes, drops, duplicates, requests, changes]);
        let mut leaders: Vec<(Term, NodeId)> = s.leaders.iter().map(|&(t, l)| (t, r.apply(l))).collect();
        leaders.sort_unstable();
        buf.extend_from_slice(&(leaders.len() as u32).to_le_bytes());
        for (t, l) in leaders {
            buf.extend_from_slice(&t.to_le_bytes());
            buf.push(l);
        }
        buf.extend_from_slice(&(s.committed.len() as u32).to_le_bytes());
        for c in s.committed.iter() {
            buf.extend_from_slice(&c.term.to_le_bytes());
            let command = match &c.config {
                Some(cmd) if *r != Relabel::IDENTITY => command_hash_renamed(cmd, r),
                _ => c.command,
            };
            buf.extend_from_slice(&command.to_le_bytes());
            buf.extend_from_slice(&c.commit_term.to_le_bytes());
        }
    }
}

impl State {
    /// Becomes a copy of `s`, in the memory it has.
    fn copy_from(&mut self, s: &State) {
        self.servers.clone_from(&s.servers);
        self.net.clone_from(&s.net);
        self.used = s.used;
        self.leaders = Rc::clone(&s.leaders);
        self.committed = Rc::clone(&s.committed);
        self.link_sent.clone_from(&s.link_sent);
    }

    pub fn servers(&self) -> impl Iterator<Item = &Server> {
        self.servers.iter().map(|s| &**s)
    }
    pub fn messages(&self) -> impl Iterator<Item = &Packet> {
        self.net.iter()
    }
    pub fn used(&self) -> Bounds {
        self.used
    }
}

/// Figure 3's properties after an event touched server `i` (`before`: the
/// server as it was), updating the ghosts. The first broken one, if any.
fn check(before: &Server, t: &mut State, i: usize) -> Option<Found> {
    let sv = Rc::clone(&t.servers[i]);
    let node = &sv.node;
    let id = node.id();
    let (role, term) = (node.role(), node.current_term());
    let was_leader = before.node.role() == Role::Leader && before.node.current_term() == term;
    let log = node.log();
    let offset = node.log_offset();
    if role == Role::Leader && was_leader && !is_prefix(before.node.log(), before.node.log().len(), log) {
        // §5.3 Leader Append-Only.
        let index = before.node.log().iter().zip(log).position(|(a, b)| a.term != b.term || a.command != b.command).unwrap_or(log.len());
        return Some(Found::new(Property::LeaderAppendOnly, vec![id], Breach::LeaderOverwrote { node: id, term, index: offset + index as u64 + 1 }));
    }
    if role == Role::Leader && !was_leader {
        // §5.2 Election Safety: one leader per term, ever.
        let at = t.leaders.partition_point(|&(lt, _)| lt < term);
        match t.leaders.get(at) {
            Some(&(lt, other)) if lt == term && other != id => {
                return Some(Found::new(Property::ElectionSafety, vec![other, id], Breach::TwoLeaders { node: id, other, term }));
            }
            Some(&(lt, _)) if lt == term => {}
            _ => Rc::make_mut(&mut t.leaders).insert(at, (term, id)),
        }
        // §5.4 Leader Completeness: every entry committed in an earlier term.
        for (k, c) in t.committed.iter().enumerate() {
            let index = k as u64 + 1;
            if c.commit_term >= term || index <= offset {
                continue;
            }
            let holds = node.entry(index).is_some_and(|e| e.term == c.term && command_hash(&e.command) == c.command);
            if !holds {
                return Some(Found::new(
                    Property::LeaderCompleteness,
                    vec![id, c.by],
                    Breach::LeaderMissesCommitted { node: id, term, index, entry_term: c.term, committed_by: c.by, commit_term: c.commit_term },
                ));
            }
        }
    }
    let log_changed = !same_log(before.node.log(), log);
    if log_changed {
        // §5.3 Log Matching: the highest index where two logs agree on the
        // term must have identical logs up to it.
        for other in t.servers.iter().filter(|o| o.node.id() != id) {
            let theirs = other.node.log();
            let top = log.iter().zip(theirs).rposition(|(a, b)| a.term == b.term);
            if let Some(k) = top {
                if !is_prefix(log, k + 1, theirs) {
                    let oid = other.node.id();
                    return Some(Found::new(
                        Property::LogMatching,
                        vec![oid, id],
                        Breach::LogsDiffer { node: id, other: oid, index: offset + k as u64 + 1, term: log[k].term },
                    ));
                }
            }
        }
    }
    if log_changed || node.commit_index() != before.node.commit_index() {
        // §5.4.3 State Machine Safety: what one server commits at an index,
        // no server ever commits otherwise.
        let upto = (node.commit_index().min(node.last_log_index()) - offset.min(node.commit_index())) as usize;
        for (k, e) in log.iter().enumerate().take(upto) {
            let index = offset as usize + k;
            let command = command_hash(&e.command);
            match t.committed.get(index) {
                Some(c) if c.term != e.term || c.command != command => {
                    return Some(Found::new(
                        Property::StateMachineSafety,
                        vec![c.by, id],
                        Breach::CommittedDiffer { node: id, other: c.by, index: index as u64 + 1, term: e.term, other_term: c.term },
                    ));
                }
                Some(_) => {}
                None => Rc::make_mut(&mut t.committed).push(Committed::of(e, term, id)),
            }
        }
    }
    None
}
