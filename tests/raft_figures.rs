//! Figures 7 and 8 of the Raft paper, replayed on real nodes through a tiny
//! synchronous message pump. Faults are verbs on the network: `isolate`,
//! `cut`, `heal`, `crash`, `restart` (after tikv/raft-rs's test harness).

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use ringraft::raft::*;

// ---------------------------------------------------------------- harness

struct Net {
    nodes: BTreeMap<NodeId, Node>,
    queue: VecDeque<Envelope>,
    /// One-way links that drop everything (checked at delivery time).
    cut: BTreeSet<(NodeId, NodeId)>,
    /// Servers that are down: messages to and from them are lost.
    down: BTreeSet<NodeId>,
    /// Every message actually delivered, in order.
    delivered: Vec<Envelope>,
    /// Every entry any server applied: (server, index, term).
    applied: Vec<(NodeId, Index, Term)>,
}

impl Net {
    fn new(config: Config, logs: &[(NodeId, Term, &[Term])]) -> Net {
        let cluster: Vec<NodeId> = logs.iter().map(|l| l.0).collect();
        let nodes = logs
            .iter()
            .map(|&(id, term, log)| {
                let p = Persistent { current_term: term, voted_for: None, log: log_of(log).into(), snapshot: None };
                (id, Node::restart(id, cluster.clone(), config.clone(), p))
            })
            .collect();
        Net {
            nodes,
            queue: VecDeque::new(),
            cut: BTreeSet::new(),
            down: BTreeSet::new(),
            delivered: Vec::new(),
            applied: Vec::new(),
        }
    }

    fn node(&self, id: NodeId) -> &Node {
        &self.nodes[&id]
    }

    fn absorb(&mut self, id: NodeId, out: Output) {
        self.applied.extend(out.applied.iter().map(|a| (id, a.index, a.term)));
        self.queue.extend(out.messages);
    }

    fn election_timeout(&mut self, id: NodeId) {
        let out = self.nodes.get_mut(&id).unwrap().on_election_timeout();
        self.absorb(id, out);
    }

    fn heartbeat(&mut self, id: NodeId) {
        let out = self.nodes.get_mut(&id).unwrap().on_heartbeat_timeout();
        self.absorb(id, out);
    }

    fn propose(&mut self, id: NodeId, cmd: Command) -> Index {
        let (index, out) = self.nodes.get_mut(&id).unwrap().propose(cmd).expect("leader");
        self.absorb(id, out);
        index
    }

    /// Deliver the next queued message; false when the queue is empty.
    fn deliver_one(&mut self) -> bool {
        let Some(env) = self.queue.pop_front() else { return false };
        if self.down.contains(&env.from) || self.down.contains(&env.to) || self.cut.contains(&(env.from, env.to)) {
            return true;
        }
        self.delivered.push(env.clone());
        let to = env.to;
        let out = self.nodes.get_mut(&to).unwrap().step(env);
        self.absorb(to, out);
        true
    }

    /// Deliver until nothing is in flight.
    fn settle(&mut self) {
        for _ in 0..100_000 {
            if !self.deliver_one() {
                return;
            }
        }
        panic!("messages never settled");
    }

    /// Deliver until `id` leads.
    fn until_leader(&mut self, id: NodeId) {
        while self.node(id).role() != Role::Leader {
            assert!(self.deliver_one(), "S{id} did not win");
        }
    }

    fn isolate(&mut self, id: NodeId) {
        for &p in self.nodes.keys() {
            self.cut.insert((id, p));
            self.cut.insert((p, id));
        }
    }

    fn heal(&mut self) {
        self.cut.clear();
    }

    fn crash(&mut self, id: NodeId) {
        let n = &self.nodes[&id];
        let restarted = Node::restart(id, n.cluster().to_vec(), n.config().clone(), n.crash_state());
        self.nodes.insert(id, restarted);
        self.down.insert(id);
    }

    fn restart(&mut self, id: NodeId) {
        self.down.remove(&id);
    }

    /// Rejected AppendEntries replies sent by each server.
    fn rejections(&self) -> BTreeMap<NodeId, usize> {
        let mut count = BTreeMap::new();
        for e in &self.delivered {
            if let Message::AppendEntriesResponse(AppendEntriesResponse { success: false, .. }) = e.msg {
                *count.entry(e.from).or_insert(0) += 1;
            }
        }
        count
    }
}

/// Entries whose command depends only on (index, term), so two servers hold
/// equal entries exactly when index and term agree.
fn log_of(terms: &[Term]) -> Vec<Entry> {
    terms
        .iter()
        .enumerate()
        .map(|(i, &t)| Entry::new(t, Command::Set { key: format!("k{}", i + 1), value: format!("t{t}") }))
        .collect()
}

fn terms(n: &Node) -> Vec<Term> {
    n.log().iter().map(|e| e.term).collect()
}

// ---------------------------------------------------------------- Figure 7

const LEADER: &[Term] = &[1, 1, 1, 4, 4, 5, 5, 6, 6, 6];
const A: &[Term] = &[1, 1, 1, 4, 4, 5, 5, 6, 6];
const B: &[Term] = &[1, 1, 1, 4];
const C: &[Term] = &[1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6];
const D: &[Term] = &[1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7];
const E: &[Term] = &[1, 1, 1, 4, 4, 4, 4];
const F: &[Term] = &[1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3];

/// S1 is the leader-to-be; S2..S7 are followers (a)..(f). S1 wins term 8
/// with the votes of a, b, e, f (c and d have more up-to-date logs).
fn figure7(backtrack: Backtrack) -> Net {
    let config = Config { noop_on_election: false, backtrack, ..Config::default() };
    let mut net =
        Net::new(config, &[(1, 7, LEADER), (2, 6, A), (3, 4, B), (4, 6, C), (5, 7, D), (6, 4, E), (7, 3, F)]);
    net.election_timeout(1);
    net.until_leader(1);
    assert_eq!(net.node(1).current_term(), 8);
    net
}

#[test]
fn figure7_leader_starts_with_next_index_11() {
    let net = figure7(Backtrack::OneByOne);
    for p in 2..=7 {
        assert_eq!(net.node(1).next_index(p), Some(11), "S{p}");
        assert_eq!(net.node(1).match_index(p), Some(0), "S{p}");
    }
}

#[test]
fn figure7_one_by_one_rejections_and_matching_heartbeat_keeps_extra_entries() {
    let mut net = figure7(Backtrack::OneByOne);
    net.settle();
    // (a)=S2 … (f)=S7
    let want: BTreeMap<NodeId, usize> = [(2, 1), (3, 6), (5, 0), (4, 0), (6, 5), (7, 7)]
        .into_iter()
        .filter(|&(_, n)| n > 0)
        .collect();
    assert_eq!(net.rejections(), want);

    // The leader's heartbeat matched at index 10: c and d keep their extra
    // entries (no conflicting entry has arrived yet) and report matchIndex
    // = prevLogIndex + entries sent = 10.
    assert_eq!(terms(net.node(4)), C);
    assert_eq!(terms(net.node(5)), D);
    for p in 2..=7 {
        assert_eq!(net.node(1).match_index(p), Some(10), "S{p}");
    }
    // Everyone else now holds exactly the leader's log.
    for p in [2, 3, 6, 7] {
        assert_eq!(terms(net.node(p)), LEADER, "S{p}");
    }
    // Entries up to 10 are not from term 8: nothing is committed yet (§5.4.2).
    assert_eq!(net.node(1).commit_index(), 0);

    // One entry of the leader's own term brings everyone in line.
    let index = net.propose(1, Command::Set { key: "x".into(), value: "8".into() });
    assert_eq!(index, 11);
    net.settle();
    assert_eq!(net.node(1).commit_index(), 11);
    net.heartbeat(1); // carries the new commit index to followers
    net.settle();
    for p in 2..=7 {
        assert_eq!(net.node(p).log(), net.node(1).log(), "S{p}");
        assert_eq!(net.node(p).commit_index(), 11, "S{p}");
        assert_eq!(net.node(p).kv(), net.node(1).kv(), "S{p}");
    }
}

#[test]
fn figure7_conflict_hint_needs_fewer_rejections() {
    let mut net = figure7(Backtrack::ConflictHint);
    net.settle();
    // b: too short → jump to its end (5). e: term 4 conflict at 7 → after the
    // leader's last term-4 entry (6), then match. f: term 3 (leader has none)
    // → 7, then term 2 → 4, then match.
    let want: BTreeMap<NodeId, usize> = [(2, 1), (3, 1), (6, 2), (7, 2)].into_iter().collect();
    assert_eq!(net.rejections(), want);
    assert!(want.values().sum::<usize>() < 1 + 6 + 5 + 7);

    net.propose(1, Command::Noop);
    net.settle();
    net.heartbeat(1);
    net.settle();
    for p in 2..=7 {
        assert_eq!(net.node(p).log(), net.node(1).log(), "S{p}");
    }
}

// ---------------------------------------------------------------- Figure 8

/// Replays Figure 8 (a)–(d). Returns the net at the end of (d) and S1's
/// commit index at the end of (c).
fn figure8(config: Config) -> (Net, Index) {
    // (a) term 2, S1 led and replicated index 2 to S2 only.
    let mut net = Net::new(config, &[(1, 2, &[1, 2]), (2, 2, &[1, 2]), (3, 2, &[1]), (4, 2, &[1]), (5, 2, &[1])]);

    // (b) S1 crashes; S5 wins term 3 with S3, S4 and itself, appends at index 2, crashes.
    net.crash(1);
    net.election_timeout(5);
    net.until_leader(5);
    assert_eq!(net.node(5).current_term(), 3);
    net.isolate(5);
    net.propose(5, Command::Set { key: "k2".into(), value: "t3".into() });
    net.settle();
    net.crash(5);
    assert_eq!(terms(net.node(5)), vec![1, 3]);

    // (c) S1 restarts and wins term 4 (its first try in term 3 fails: S3 and
    // S4 already voted for S5). It replicates index 2 to S3 but not S4.
    net.heal();
    net.restart(1);
    net.election_timeout(1);
    net.settle();
    assert_eq!(net.node(1).role(), Role::Candidate);
    net.cut.insert((1, 4));
    net.election_timeout(1);
    net.settle();
    assert_eq!((net.node(1).role(), net.node(1).current_term()), (Role::Leader, 4));
    assert_eq!(terms(net.node(3)), vec![1, 2]);
    let commit_c = net.node(1).commit_index();
    // It accepts a term-4 entry, then crashes before sending it anywhere.
    net.isolate(1);
    net.propose(1, Command::Set { key: "k3".into(), value: "t4".into() });
    net.settle();
    assert_eq!(terms(net.node(1)), vec![1, 2, 4]);
    net.crash(1);

    // (d) S5 comes back and wins a later term with S2, S3, S4: its last
    // entry (term 3) is more up to date than their term-2 / term-1 entries.
    net.heal();
    net.restart(5);
    while net.node(5).role() != Role::Leader {
        net.election_timeout(5);
        net.settle();
    }
    net.heartbeat(5);
    net.settle();
    (net, commit_c)
}

#[test]
fn figure8_old_term_entry_is_not_committed_by_counting() {
    let (mut net, commit_c) = figure8(Config { noop_on_election: false, ..Config::default() });
    assert!(commit_c < 2, "S1 must not commit index 2 though it is on S1, S2, S3");
    for p in 2..=5 {
        assert_eq!(terms(net.node(p)), vec![1, 3], "S{p}");
    }
    // The leader of term 5 commits index 2 (term 3) with an entry of its own term.
    net.propose(5, Command::Noop);
    net.settle();
    net.heartbeat(5);
    net.settle();
    assert_eq!(net.node(5).commit_index(), 3);
    assert!(!net.applied.iter().any(|&(_, i, t)| i == 2 && t == 2), "{:?}", net.applied);
    assert!(net.applied.iter().any(|&(_, i, t)| i == 2 && t == 3));
}

#[test]
fn figure8_with_commit_old_terms_bug_breaks_state_machine_safety() {
    let mut config = Config { noop_on_election: false, ..Config::default() };
    config.bugs.commit_old_terms = true;
    let (mut net, commit_c) = figure8(config);
    assert_eq!(commit_c, 2, "the bug commits index 2 by counting replicas");
    net.propose(5, Command::Noop);
    net.settle();
    net.heartbeat(5);
    net.settle();
    // Index 2 was applied as the term-2 entry on S1 and as the term-3 entry elsewhere.
    assert!(net.applied.contains(&(1, 2, 2)));
    assert!(net.applied.iter().any(|&(_, i, t)| i == 2 && t == 3));
}
