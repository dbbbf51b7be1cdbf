//! Incremental safety checker for the Raft paper's Figure 3 properties.
//!
//! After every event the simulator hands the checker the node(s) the event
//! touched. The checker keeps just enough history to judge each property
//! cheaply: a prefix hash per log position per node (so comparing two log
//! prefixes is one integer comparison), the leader of each term, and the
//! committed and applied entries by index. A violation is recorded as data;
//! the checker never panics.

use serde::Serialize;
use crate::raft::hash::mix;
/// A stable hash of a command (moved to `raft::hash`, shared with the explorer).
pub use crate::raft::hash::command_hash;
use crate::chunked::Chunked;
use crate::raft::{Applied, Entry, Index, Node, NodeId, Role, Term};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Property {
    /// At most one leader can be elected in a given term (§5.2).
    ElectionSafety,
    /// A leader never overwrites or deletes entries in its log (§5.3).
    LeaderAppendOnly,
    /// Two logs with an entry of the same index and term are identical up to it (§5.3).
    LogMatching,
    /// A committed entry is present in the logs of all leaders of later terms (§5.4).
    LeaderCompleteness,
    /// No two servers apply different entries at one index (§5.4.3). Also
    /// covers "committed prefixes never conflict" (etcd's TLA+ spec).
    StateMachineSafety,
    /// The clients' history of operations is linearizable (Herlihy & Wing;
    /// dissertation §6.3–6.4): a read never returns a value older than a
    /// write that finished before it began; a command takes effect once.
    Linearizability,
}

impl Property {
    pub const ALL: [Property; 6] = [
        Property::ElectionSafety,
        Property::LeaderAppendOnly,
        Property::LogMatching,
        Property::LeaderCompleteness,
        Property::StateMachineSafety,
        Property::Linearizability,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Property::ElectionSafety => "Election Safety",
            Property::LeaderAppendOnly => "Leader Append-Only",
            Property::LogMatching => "Log Matching",
            Property::LeaderCompleteness => "Leader Completeness",
            Property::StateMachineSafety => "State Machine Safety",
            Property::Linearizability => "Linearizability",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Violation {
    pub property: Property,
    pub nodes: Vec<NodeId>,
    pub event: u64,
    pub time: u64,
    /// What exactly broke, with the values involved (worded by the i18n layer).
    pub breach: Breach,
    /// Linearizability: the client operations involved (ids, see `clients.rs`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ops: Vec<u64>,
}

/// The evidence of one violation. Serialized as `{"breach": "…", …}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "breach", rename_all = "snake_case")]
pub enum Breach {
    /// §5.2: `node` became leader of `term`, which `other` already leads.
    TwoLeaders { node: NodeId, other: NodeId, term: Term },
    /// §5.3: leader `node` (term `term`) overwrote or removed its entry at `index`.
    LeaderOverwrote { node: NodeId, term: Term, index: Index },
    /// §5.3: `node` and `other` hold an entry of `term` at `index` but
    /// their logs differ before it.
    LogsDiffer { node: NodeId, other: NodeId, index: Index, term: Term },
    /// §5.4: `node` became leader of `term` without the entry at `index`
    /// (of `entry_term`) that `committed_by` committed in `commit_term`.
    LeaderMissesCommitted { node: NodeId, term: Term, index: Index, entry_term: Term, committed_by: NodeId, commit_term: Term },
    /// §5.4.3: `node` applied a `term` entry at `index` where `other`
    /// applied a different one of `other_term`.
    AppliedDiffer { node: NodeId, other: NodeId, index: Index, term: Term, other_term: Term },
    /// §5.4.3: `node` committed a `term` entry at `index` where `other` had
    /// committed a different one of `other_term`.
    CommittedDiffer { node: NodeId, other: NodeId, index: Index, term: Term, other_term: Term },
    /// The `count` client operations in `Violation::ops` (the fewest that
    /// still cannot be linearized) end with operation `op`.
    NotLinearizable { op: u64, count: u64 },
}

/// Per-property status for the page's checker panel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PropertyStatus {
    pub property: Property,
    pub name: &'static str,
    pub ok: bool,
    pub violations: u64,
}

/// Only the first few violations of each property are kept in full: once a
/// property breaks it tends to break again on every later event.
const KEEP_PER_PROPERTY: usize = 16;

#[derive(Clone, Debug, Default)]
struct Track {
    /// prefix[i] = hash of log entries 1..=i+1.
    prefix: Chunked<u64>,
    /// Term in which this node was last seen as leader (None if not leader).
    leader_term: Option<Term>,
    commit: Index,
    /// The last index its snapshot covers (§7); the prefix hashes up to it
    /// stand for entries the node no longer holds.
    offset: usize,
}

#[derive(Clone, Copy, Debug)]
struct Committed {
    prefix: u64,
    entry_term: Term,
    /// Current term of the first node seen committing this index.
    commit_term: Term,
    node: NodeId,
}

#[derive(Clone, Debug, Default)]
pub struct Checker {
    tracks: Vec<Track>,
    /// Election Safety across all history: term → leader.
    /// Sorted by term (a vector: one entry per election, and a B-tree per
    /// key type costs the page kilobytes of code).
    leaders: Vec<(Term, NodeId)>,
    /// Log Matching across all history: (index, term) → (prefix hash, first holder).
    witnesses: Witnesses,
    /// committed[i] describes index i+1.
    committed: Chunked<Committed>,
    /// applied[i] = (term, command hash, node) of the first apply at index i+1.
    applied: Chunked<(Term, u64, NodeId)>,
    violations: Vec<Violation>,
    counts: [u64; 6],
}

/// Every (index, term) seen in any log, with the prefix hash and the first
/// node seen holding it. Almost always one term per index: the first one
/// seen sits in `first` (index i + 1 at position i; holder 0 pads a gap a
/// snapshot left), any other in `more`. Both grow with the run, so `first`
/// is shared with history checkpoints (`Chunked`).
#[derive(Clone, Debug, Default)]
struct Witnesses {
    /// (term, prefix hash, holder).
    first: Chunked<(Term, u64, NodeId)>,
    /// Sorted by (index, term); rare, so a vector (see `leaders`).
    more: Vec<((Index, Term), (u64, NodeId))>,
}

impl Witnesses {
    fn get(&self, (index, term): (Index, Term)) -> Option<(u64, NodeId)> {
        match self.first.get(index as usize - 1) {
            Some(&(t, h, n)) if n != 0 && t == term => Some((h, n)),
            _ => self.more.binary_search_by_key(&(index, term), |w| w.0).ok().map(|i| self.more[i].1),
        }
    }

    fn insert(&mut self, (index, term): (Index, Term), h: u64, node: NodeId) {
        let i = index as usize - 1;
        match self.first.get(i) {
            Some(&(_, _, 0)) => self.first.set(i, (term, h, node)),
            Some(_) => {
                if let Err(at) = self.more.binary_search_by_key(&(index, term), |w| w.0) {
                    self.more.insert(at, ((index, term), (h, node)));
                }
            }
            None => {
                // A gap: a snapshot skipped positions, or a violation
                // stopped the walk over a log early (`observe`).
                self.first.resize(i, (0, 0, 0));
                self.first.push((term, h, node));
            }
        }
    }

    /// The term seen at `index` with prefix hash `h`, if any.
    #[cfg(feature = "membership")]
    fn term_with(&self, index: Index, h: Option<u64>) -> Option<Term> {
        let first = self.first.get(index as usize - 1).filter(|w| w.2 != 0 && Some(w.1) == h).map(|w| w.0);
        let from = self.more.partition_point(|w| w.0 .0 < index);
        first.or_else(|| self.more[from..].iter().take_while(|w| w.0 .0 == index).find(|w| Some(w.1 .0) == h).map(|w| w.0 .1))
    }
}

fn entry_hash(prev: u64, e: &Entry) -> u64 {
    mix(mix(prev, e.term), command_hash(&e.command))
}

impl Checker {
    pub fn new(nodes: usize) -> Checker {
        Checker { tracks: vec![Track::default(); nodes], ..Default::default() }
    }

    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }

    pub fn violation_count(&self) -> u64 {
        self.counts.iter().sum()
    }

    pub fn status(&self) -> Vec<PropertyStatus> {
        Property::ALL
            .iter()
            .enumerate()
            // Not checked in the page's lean modules (see `src/lean/mod.rs`).
            .filter(|(_, p)| cfg!(feature = "history-check") || **p != Property::Linearizability)
            .map(|(i, p)| PropertyStatus { property: *p, name: p.name(), ok: self.counts[i] == 0, violations: self.counts[i] })
            .collect()
    }

    /// Approximate heap bytes held (for history memory accounting).
    /// Approximate bytes held; `all`: with the shared chunks of the
    /// per-index records (`World::bytes`).
    pub fn bytes(&self, all: bool) -> usize {
        fn b<T>(c: &Chunked<T>, all: bool) -> usize {
            if all { c.all_bytes() } else { c.own_bytes() }
        }
        let tracks: usize = self.tracks.iter().map(|t| b(&t.prefix, all)).sum();
        tracks
            + b(&self.witnesses.first, all)
            + self.witnesses.more.len() * 48
            + b(&self.committed, all)
            + b(&self.applied, all)
            + self.leaders.len() * 32
            + self.violations.len() * 128
    }

    fn violate(&mut self, property: Property, nodes: Vec<NodeId>, event: u64, time: u64, breach: Breach) {
        let i = Property::ALL.iter().position(|p| *p == property).unwrap_or(0);
        self.counts[i] += 1;
        if self.counts[i] as usize <= KEEP_PER_PROPERTY {
            self.violations.push(Violation { property, nodes, event, time, breach, ops: Vec::new() });
        }
    }

    /// The history checker found `ops` (client operation ids) not
    /// linearizable; `nodes`: the servers that answered them.
    pub fn not_linearizable(&mut self, ops: Vec<u64>, nodes: Vec<NodeId>, event: u64, time: u64) {
        let breach = Breach::NotLinearizable { op: ops.last().copied().unwrap_or(0), count: ops.len() as u64 };
        self.violate(Property::Linearizability, nodes, event, time, breach);
        if let Some(v) = self.violations.last_mut().filter(|v| v.property == Property::Linearizability && v.event == event) {
            v.ops = ops;
        }
    }

    /// Entries the node applied during the event (State Machine Safety).
    pub fn on_applied(&mut self, node: NodeId, applied: &[Applied], event: u64, time: u64) {
        for a in applied {
            if a.index == 0 {
                continue;
            }
            let i = (a.index - 1) as usize;
            let h = command_hash(&a.command);
            if i < self.applied.len() {
                let (t, ch, first) = self.applied[i];
                if t != a.term || ch != h {
                    self.violate(
                        Property::StateMachineSafety,
                        vec![first, node],
                        event,
                        time,
                        Breach::AppliedDiffer { node, other: first, index: a.index, term: a.term, other_term: t },
                    );
                }
            } else if i == self.applied.len() {
                self.applied.push((a.term, h, node));
            } else {
                // Applying past a gap means the node skipped indexes; nothing
                // to compare against yet, so pad with the first value seen.
                // (A correct node applies in order, §5.3 "lastApplied".)
                while self.applied.len() < i {
                    self.applied.push((0, 0, 0));
                }
                self.applied.push((a.term, h, node));
            }
        }
    }

    /// Observe `node` after an event that may have changed it.
    /// `unchanged_below`: log positions (0-based) below this are known not to
    /// have been touched by this event (for AppendEntries: prevLogIndex).
    pub fn observe(&mut self, node: &Node, unchanged_below: usize, event: u64, time: u64) {
        let id = node.id();
        let slot = (id as usize).wrapping_sub(1);
        if slot >= 16 || (!cfg!(feature = "membership") && slot >= self.tracks.len()) {
            return;
        }
        if slot >= self.tracks.len() {
            // A server added to the cluster (§4).
            self.tracks.resize(slot + 1, Track::default());
        }
        // Positions are 0-based log indexes (index i + 1); the node holds the
        // entries from `off` on, its snapshot stands for the ones before.
        let log = node.log();
        let off = node.log_offset() as usize;
        let old_len = self.tracks[slot].prefix.len();
        let new_len = off + log.len();
        let mut first_changed: Option<usize> = if new_len < old_len { Some(new_len) } else { None };
        if cfg!(feature = "membership") && off != self.tracks[slot].offset {
            if let Some(f) = self.on_snapshot(node, event, time) {
                first_changed = Some(first_changed.map_or(f, |c| c.min(f)));
            }
        }
        let track = &mut self.tracks[slot];
        if cfg!(feature = "membership") && track.prefix.len() < off {
            // A snapshot the checker could not place (one already flagged):
            // stand its term in for the prefix, so hashing goes on from it.
            let base = track.prefix.last().copied().unwrap_or(0);
            let last_term = node.snapshot().map_or(0, |s| s.last_term);
            first_changed = Some(first_changed.map_or(track.prefix.len(), |c| c.min(track.prefix.len())));
            track.prefix.resize(off, mix(mix(base, last_term), off as u64));
        }
        // Re-hash from the first position the event may have touched; the
        // last old entry is always re-checked to catch silent overwrites.
        let start = unchanged_below.min(old_len.saturating_sub(1)).min(new_len).max(off);
        {
            let track = &mut self.tracks[slot];
            let mut h = if start == 0 { 0 } else { track.prefix[start - 1] };
            for (i, e) in log.iter().enumerate().skip(start - off).map(|(k, e)| (k + off, e)) {
                h = entry_hash(h, e);
                if i < track.prefix.len() {
                    if track.prefix[i] != h {
                        if first_changed.map_or(true, |f| i < f) {
                            first_changed = Some(i);
                        }
                        track.prefix.set(i, h);
                    }
                } else {
                    track.prefix.push(h);
                }
            }
            track.prefix.truncate(new_len);
        }

        // Log Matching: every (index, term) ever seen must come with the same prefix.
        // Only rewritten or new positions need a look.
        let check_from = first_changed.unwrap_or(old_len).min(old_len).min(new_len).max(off);
        for i in check_from..new_len {
            let key = ((i + 1) as Index, log[i - off].term);
            let h = self.tracks[slot].prefix[i];
            match self.witnesses.get(key) {
                Some((wh, wnode)) if wh != h => {
                    self.violate(
                        Property::LogMatching,
                        vec![wnode, id],
                        event,
                        time,
                        Breach::LogsDiffer { node: id, other: wnode, index: key.0, term: key.1 },
                    );
                    break;
                }
                Some(_) => {}
                None => {
                    self.witnesses.insert(key, h, id);
                }
            }
        }

        let role = node.role();
        let term = node.current_term();
        let was_leader_in = self.tracks[slot].leader_term;

        // Leader Append-Only: a leader that stayed leader in the same term
        // may only append.
        if role == Role::Leader && was_leader_in == Some(term) {
            if let Some(f) = first_changed {
                if f < old_len {
                    self.violate(
                        Property::LeaderAppendOnly,
                        vec![id],
                        event,
                        time,
                        Breach::LeaderOverwrote { node: id, term, index: f as Index + 1 },
                    );
                }
            }
        }

        // Checked when a node takes office, so one double election is one violation.
        if role == Role::Leader && was_leader_in != Some(term) {
            let at = self.leaders.binary_search_by_key(&term, |l| l.0);
            match at.map(|i| self.leaders[i].1) {
                Ok(other) if other != id => {
                    self.violate(
                        Property::ElectionSafety,
                        vec![other, id],
                        event,
                        time,
                        Breach::TwoLeaders { node: id, other, term },
                    );
                }
                Ok(_) => {}
                Err(i) => self.leaders.insert(i, (term, id)),
            }
            self.check_completeness(id, term, event, time);
        }
        self.tracks[slot].leader_term = (role == Role::Leader).then_some(term);

        // Commit tracking (volatile: a restarted node starts again from 0).
        let commit = node.commit_index().min(new_len as Index);
        let old_commit = self.tracks[slot].commit;
        if commit > old_commit {
            self.on_commit(id, term, commit, node, event, time);
        }
        self.tracks[slot].commit = commit;
    }

    /// The node's snapshot moved (§7): it compacted (its prefix hashes
    /// stay) or installed one. What a snapshot covers is committed, so the
    /// prefix it stands for is the committed one — provided the snapshot's
    /// last entry is the committed entry at its index (State Machine Safety
    /// across snapshots). Returns the first position whose hash changed.
    fn on_snapshot(&mut self, node: &Node, event: u64, time: u64) -> Option<usize> {
        let id = node.id();
        let slot = (id - 1) as usize;
        let off = node.log_offset() as usize;
        let last_term = node.snapshot().map_or(0, |s| s.last_term);
        self.tracks[slot].offset = off;
        if off == 0 {
            return None;
        }
        match self.committed.get(off - 1).copied() {
            Some(c) if c.entry_term != last_term => {
                self.violate(
                    Property::StateMachineSafety,
                    vec![c.node, id],
                    event,
                    time,
                    Breach::CommittedDiffer { node: id, other: c.node, index: off as Index, term: last_term, other_term: c.entry_term },
                );
                None
            }
            Some(_) => {
                let track = &mut self.tracks[slot];
                if track.prefix.len() < off {
                    track.prefix.resize(off, 0);
                }
                let first = (0..off).find(|&i| track.prefix[i] != self.committed[i].prefix);
                for i in first.unwrap_or(off)..off {
                    track.prefix.set(i, self.committed[i].prefix);
                }
                first
            }
            None => {
                // Beyond what anyone was seen committing (cannot happen in
                // correct Raft): stand the snapshot's term in for the prefix.
                let track = &mut self.tracks[slot];
                let len = track.prefix.len();
                if len < off {
                    let base = if len == 0 { 0 } else { track.prefix[len - 1] };
                    track.prefix.resize(off, mix(mix(base, last_term), off as u64));
                    return Some(len);
                }
                None
            }
        }
    }

    /// §5.4 Leader Completeness: a new leader of term `term` must hold every
    /// entry committed in an earlier term. Committed entries form a prefix,
    /// so one prefix-hash comparison at the highest such index suffices.
    fn check_completeness(&mut self, id: NodeId, term: Term, event: u64, time: u64) {
        let mut j = self.committed.len();
        while j > 0 && self.committed[j - 1].commit_term >= term {
            j -= 1;
        }
        if j == 0 {
            return;
        }
        let c = self.committed[j - 1];
        let prefix = &self.tracks[(id - 1) as usize].prefix;
        if prefix.len() < j || prefix[j - 1] != c.prefix {
            let missing = (0..j).find(|&i| prefix.get(i) != Some(&self.committed[i].prefix)).unwrap_or(j - 1);
            self.violate(
                Property::LeaderCompleteness,
                vec![id, c.node],
                event,
                time,
                Breach::LeaderMissesCommitted {
                    node: id,
                    term,
                    index: missing as Index + 1,
                    entry_term: self.committed[missing].entry_term,
                    committed_by: self.committed[missing].node,
                    commit_term: self.committed[missing].commit_term,
                },
            );
        }
    }

    fn on_commit(&mut self, id: NodeId, term: Term, commit: Index, node: &Node, event: u64, time: u64) {
        let off = node.log_offset() as usize;
        let last_term = node.snapshot().map_or(0, |s| s.last_term);
        // An entry's term; for one the snapshot replaced (it compacted in this
        // very event), the term Log Matching saw with the same prefix there.
        let slot = (id - 1) as usize;
        let track = &self.tracks[slot];
        #[cfg(feature = "membership")]
        let witnesses = &self.witnesses;
        let below_snapshot = |i: usize| -> Term {
            // The page's lean modules never compact (`src/lean/mod.rs`).
            #[cfg(not(feature = "membership"))]
            return {
                let _ = i;
                0
            };
            #[cfg(feature = "membership")]
            {
                witnesses.term_with((i + 1) as Index, track.prefix.get(i).copied()).unwrap_or(0)
            }
        };
        let term_of = |i: usize| match node.log().get(i.wrapping_sub(off)) {
            Some(e) if i >= off => e.term,
            _ if i + 1 == off => last_term,
            _ => below_snapshot(i),
        };
        let known = self.committed.len();
        let commit = commit as usize;
        let prefix = &self.tracks[slot].prefix;
        // Compare the overlap at its top: equal prefix hashes mean equal prefixes.
        let overlap = known.min(commit);
        if overlap > 0 && prefix[overlap - 1] != self.committed[overlap - 1].prefix {
            let first = (0..overlap).find(|&i| prefix[i] != self.committed[i].prefix).unwrap_or(overlap - 1);
            let other = self.committed[first].node;
            let found_term = term_of(first);
            self.violate(
                Property::StateMachineSafety,
                vec![other, id],
                event,
                time,
                Breach::CommittedDiffer {
                    node: id,
                    other,
                    index: first as Index + 1,
                    term: found_term,
                    other_term: self.committed[first].entry_term,
                },
            );
            return;
        }
        let new: Vec<Committed> = (known..commit)
            .map(|i| Committed { prefix: track.prefix[i], entry_term: term_of(i), commit_term: term, node: id })
            .collect();
        self.committed.extend(new);
    }
}
