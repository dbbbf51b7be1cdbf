//! Clients as they see the cluster: every operation from invocation to
//! response (the history the linearizability checker judges), sessions and
//! serial numbers (§6.3), client timeouts and retries.
//!
//! A write's answer comes from the server that took it, when that server
//! applies the entry (whatever its role by then, as etcd does); a read
//! outside the log answers in the leader's `Output::reads`. The checker
//! also learns when a write took effect without an answer: the first time
//! any server applies its entry (a correct Raft applies only committed
//! entries, and nobody can observe a write before it is applied), or that
//! it never will (a different entry applied at its index).

// Without `extended` most of this file is compiled out (see `Clients`).
#![cfg_attr(not(feature = "extended"), allow(dead_code, unused_imports))]

use std::num::NonZeroU32;

use serde::Serialize;

use crate::chunked::Chunked;
use crate::raft::{Applied, Command, Index, NodeId, ReadReply, Session, Term};

use super::linearizability::{Effect, History, NotLinearizable};

/// A client gives up after this many tries of one request.
pub const MAX_TRIES: u8 = 5;

/// How an operation ended, as its client saw it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum OpOutcome {
    /// No answer yet.
    Pending,
    /// Answered: `ok` false for a compare-and-set that did not hold;
    /// `value` for a read.
    Done { ok: bool, value: Option<String> },
    /// Turned away (not the leader, down, handing over, no leader): never applied.
    Refused,
    /// A read the leader could not answer (it stepped down first).
    Failed,
    /// No answer in time (or the server crashed): a write may still take effect.
    TimedOut,
}

/// One client operation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Op {
    pub id: u32,
    /// 0: a one-off request without a session.
    pub client: u32,
    pub session: Option<Session>,
    pub command: Command,
    /// Virtual µs.
    pub invoked_at: u64,
    pub ended_at: Option<u64>,
    pub outcome: OpOutcome,
    /// The server that answered, or the last one tried.
    pub server: Option<NodeId>,
    /// Times the client sent it (retries after a timeout count; redirects do not).
    pub tries: u8,
    /// The client times out and retries (load clients with `timeout_ms`).
    #[serde(skip)]
    pub(crate) timeout: bool,
    /// The checker has been told it took effect (first apply anywhere).
    #[serde(skip)]
    pub(crate) effected: bool,
    /// Entries holding it, as (index, term), not yet known to be applied or overwritten.
    #[serde(skip)]
    pub(crate) live: u8,
}

/// A small map as a vector: these hold tens of entries (what is in flight),
/// and a B-tree per key type would cost the page kilobytes of code each.
#[derive(Clone, Debug)]
struct VecMap<K, V>(Vec<(K, V)>);

impl<K, V> Default for VecMap<K, V> {
    fn default() -> Self {
        VecMap(Vec::new())
    }
}

impl<K: PartialEq, V> VecMap<K, V> {
    fn get_mut(&mut self, k: &K) -> Option<&mut V> {
        self.0.iter_mut().find(|e| e.0 == *k).map(|e| &mut e.1)
    }
    fn contains(&self, k: &K) -> bool {
        self.0.iter().any(|e| e.0 == *k)
    }
    fn insert(&mut self, k: K, v: V) {
        match self.get_mut(&k) {
            Some(x) => *x = v,
            None => self.0.push((k, v)),
        }
    }
    fn remove(&mut self, k: &K) -> Option<V> {
        let i = self.0.iter().position(|e| e.0 == *k)?;
        Some(self.0.swap_remove(i).1)
    }
}

/// The client side of a world. The page's lean modules (built without the
/// `extended` feature, see `src/lean/mod.rs`) keep none of it: their
/// `Clients` below records nothing, and runs that need it are refused there.
#[derive(Clone, Debug, Default)]
pub struct Clients {
    /// Shared with history checkpoints: it grows with every request.
    #[cfg(feature = "extended")]
    ops: Chunked<Op>,
    #[cfg(feature = "extended")]
    more: More,
}

#[cfg(feature = "extended")]
#[derive(Clone, Debug, Default)]
struct More {
    /// A proposal awaiting its answer: (server, index) → (op, term).
    waiting: VecMap<(NodeId, Index), (u32, Term)>,
    /// A read at a leader, by (server, read id = op id).
    reads: VecMap<(NodeId, u64), u32>,
    /// Entries holding a client command, by (index, term) → op.
    entries: VecMap<(Index, Term), u32>,
    /// Last serial number per session client.
    seqs: VecMap<u32, u32>,
    /// Load clients with a request outstanding (client → op).
    busy: VecMap<u32, u32>,
    history: History,
}

#[cfg(not(feature = "extended"))]
impl Clients {
    pub fn ops(&self) -> &Chunked<Op> {
        static NONE: Chunked<Op> = Chunked::new();
        &NONE
    }
    pub fn op(&self, _: u32) -> Option<&Op> {
        None
    }
    pub fn resyncs(&self) -> u64 {
        0
    }
    pub fn busy(&self, _: u32) -> bool {
        false
    }
    pub fn invoke(&mut self, _: u32, _: bool, _: Command, _: u64, _: bool) -> (u32, Option<Session>) {
        (0, None)
    }
    pub fn is_pending(&self, _: u32) -> bool {
        true
    }
    pub fn appended(&mut self, _: u32, _: NodeId, _: Index, _: Term) {}
    pub fn reading(&mut self, _: u32, _: NodeId) {}
    pub fn end(&mut self, _: u32, _: OpOutcome, _: u64) {}
    pub fn crashed(&mut self, _: NodeId, _: u64) {}
    pub fn applied(&mut self, _: NodeId, _: &[Applied], _: u64) -> Vec<NotLinearizable> {
        Vec::new()
    }
    pub fn read_replies(&mut self, _: NodeId, _: &[ReadReply], _: u64) -> Vec<NotLinearizable> {
        Vec::new()
    }
    pub fn retried(&mut self, _: u32) -> Option<u8> {
        None
    }
}

/// The model's view of a command, with what the client saw (if it answered).
fn effect(command: &Command, ok: Option<bool>, value: Option<Option<String>>) -> Option<Effect> {
    Some(match command {
        Command::Noop => return None,
        #[cfg(feature = "membership")]
        Command::Config(_) => return None,
        Command::Set { value, .. } => Effect::Write(Some(value.clone())),
        Command::Delete { .. } => Effect::Write(None),
        Command::Append { value, .. } => Effect::Append(value.clone()),
        Command::Get { .. } => Effect::Read(value.unwrap_or(None)),
        Command::Cas { expected, value, .. } => Effect::Cas { expected: expected.clone(), value: value.clone(), ok },
    })
}

#[cfg(feature = "extended")]
impl Clients {
    /// Every operation so far, in invocation order.
    pub fn ops(&self) -> &Chunked<Op> {
        &self.ops
    }

    pub fn op(&self, id: u32) -> Option<&Op> {
        self.ops.get(id.checked_sub(1)? as usize)
    }

    fn op_mut(&mut self, id: u32) -> Option<&mut Op> {
        self.ops.get_mut(id.checked_sub(1)? as usize)
    }

    /// Times the checker lost track of a key's state (too many orders
    /// possible) and waited for a read to tell it again.
    pub fn resyncs(&self) -> u64 {
        self.more.history.resyncs()
    }

    /// A client with a pending operation, among load clients 1..=n.
    pub fn busy(&self, client: u32) -> bool {
        self.more.busy.contains(&client)
    }

    /// A new operation, invoked now.
    pub fn invoke(&mut self, client: u32, sessions: bool, command: Command, now: u64, timeout: bool) -> (u32, Option<Session>) {
        let id = self.ops.len() as u32 + 1;
        let session = (sessions && client > 0).then(|| {
            let seq = self.more.seqs.get_mut(&client).map_or(1, |s| *s + 1);
            self.more.seqs.insert(client, seq);
            Session { client, seq: NonZeroU32::new(seq).unwrap_or(NonZeroU32::MIN) }
        });
        if let (Some(key), Some(e)) = (command.key(), effect(&command, None, None)) {
            self.more.history.invoked(key, id, now, e);
        }
        if client > 0 {
            self.more.busy.insert(client, id);
        }
        self.ops.push(Op {
            id,
            client,
            session,
            command,
            invoked_at: now,
            ended_at: None,
            outcome: OpOutcome::Pending,
            server: None,
            tries: 1,
            timeout,
            effected: false,
            live: 0,
        });
        (id, session)
    }

    pub fn is_pending(&self, id: u32) -> bool {
        self.op(id).is_some_and(|o| o.outcome == OpOutcome::Pending)
    }

    /// The leader took the command as entry (index, term).
    pub fn appended(&mut self, id: u32, server: NodeId, index: Index, term: Term) {
        self.more.waiting.insert((server, index), (id, term));
        self.more.entries.insert((index, term), id);
        if let Some(o) = self.op_mut(id) {
            o.server = Some(server);
            o.live += 1;
        }
    }

    /// The leader took the read (not through the log).
    pub fn reading(&mut self, id: u32, server: NodeId) {
        self.more.reads.insert((server, id as u64), id);
        if let Some(o) = self.op_mut(id) {
            o.server = Some(server);
        }
    }

    /// Ends a pending operation without an answer; the checker drops it
    /// when it cannot have taken effect.
    pub fn end(&mut self, id: u32, outcome: OpOutcome, now: u64) {
        let Some(o) = self.op_mut(id) else { return };
        if o.outcome != OpOutcome::Pending {
            return;
        }
        o.outcome = outcome;
        o.ended_at = Some(now);
        let client = o.client;
        let gone = o.live == 0 && !o.effected || matches!(o.command, Command::Get { .. });
        let key = o.command.key().map(str::to_string);
        if gone {
            if let Some(k) = key {
                self.more.history.dropped(&k, id);
            }
        }
        self.free(client, id);
    }

    fn free(&mut self, client: u32, op: u32) {
        if self.more.busy.get_mut(&client).is_some_and(|o| *o == op) {
            self.more.busy.remove(&client);
        }
    }

    /// `server` crashed: what it was about to answer, it never will.
    pub fn crashed(&mut self, server: NodeId, now: u64) {
        let lost: Vec<u32> = self
            .more
            .waiting
            .0
            .iter()
            .filter(|e| e.0 .0 == server)
            .map(|e| e.1 .0)
            .chain(self.more.reads.0.iter().filter(|e| e.0 .0 == server).map(|e| e.1))
            .collect();
        self.more.waiting.0.retain(|e| e.0 .0 != server);
        self.more.reads.0.retain(|e| e.0 .0 != server);
        for op in lost {
            if self.op(op).is_some_and(|o| !o.timeout) {
                self.end(op, OpOutcome::TimedOut, now);
            }
        }
    }

    /// Entries `server` applied: answers for the clients it owes, and the
    /// checker's news about writes that took effect or never will.
    pub fn applied(&mut self, server: NodeId, applied: &[Applied], now: u64) -> Vec<NotLinearizable> {
        let mut found = Vec::new();
        for a in applied {
            // Any entry that held a different command at this index is gone.
            let dead: Vec<(Index, Term)> =
                self.more.entries.0.iter().map(|e| e.0).filter(|k| k.0 == a.index && k.1 != a.term).collect();
            for k in dead {
                if let Some(op) = self.more.entries.remove(&k) {
                    self.attempt_over(op, now);
                }
            }
            if let Some(op) = self.more.entries.remove(&(a.index, a.term)) {
                // First applied anywhere: the write took effect now (at the
                // latest), answer or not.
                if let Some(o) = self.op_mut(op) {
                    o.live = o.live.saturating_sub(1);
                }
                if !a.duplicate {
                    found.extend(self.effected(op, a, now));
                }
            }
            if let Some((op, term)) = self.more.waiting.remove(&(server, a.index)) {
                if term == a.term {
                    found.extend(self.effected(op, a, now));
                    self.answer(op, server, a.ok, a.value.clone(), now);
                }
            }
        }
        found
    }

    fn attempt_over(&mut self, op: u32, now: u64) {
        let Some(o) = self.op_mut(op) else { return };
        o.live = o.live.saturating_sub(1);
        if o.live == 0 && !o.effected && o.outcome != OpOutcome::Pending {
            if let Some(k) = o.command.key().map(str::to_string) {
                self.more.history.dropped(&k, op);
            }
        }
        let _ = now;
    }

    /// Tells the checker the operation happened, once.
    fn effected(&mut self, op: u32, a: &Applied, now: u64) -> Option<NotLinearizable> {
        let o = self.op_mut(op)?;
        if o.effected {
            return None;
        }
        o.effected = true;
        let e = effect(&o.command, Some(a.ok), Some(a.value.clone()))?;
        let key = o.command.key()?.to_string();
        self.more.history.returned(&key, op, now, e)
    }

    fn answer(&mut self, op: u32, server: NodeId, ok: bool, value: Option<String>, now: u64) {
        let Some(o) = self.op_mut(op) else { return };
        if o.outcome == OpOutcome::Pending {
            o.outcome = OpOutcome::Done { ok, value };
            o.ended_at = Some(now);
            o.server = Some(server);
            let client = o.client;
            self.free(client, op);
        }
    }

    /// Reads `server` answered (or could not).
    pub fn read_replies(&mut self, server: NodeId, replies: &[ReadReply], now: u64) -> Vec<NotLinearizable> {
        let mut found = Vec::new();
        for r in replies {
            let Some(op) = self.more.reads.remove(&(server, r.id)) else { continue };
            match &r.value {
                Ok(v) => {
                    if let Some(o) = self.op_mut(op) {
                        if o.outcome == OpOutcome::Pending && !o.effected {
                            o.effected = true;
                            let key = o.command.key().unwrap_or_default().to_string();
                            found.extend(self.more.history.returned(&key, op, now, Effect::Read(v.clone())));
                        }
                    }
                    self.answer(op, server, true, v.clone(), now);
                }
                Err(_) => {
                    if self.op(op).is_some_and(|o| !o.timeout) {
                        self.end(op, OpOutcome::Failed, now);
                    }
                }
            }
        }
        found
    }

    /// Another try of a pending operation (after a client timeout).
    pub fn retried(&mut self, op: u32) -> Option<u8> {
        let o = self.op_mut(op)?;
        o.tries += 1;
        Some(o.tries)
    }
}
