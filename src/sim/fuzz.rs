//! Seeded random-fault runs, for `ringraft check` and the tests.
//!
//! A seed is turned into an ordinary `Scenario` (cluster size, network,
//! Raft options, client load and a timed list of faults followed by a heal),
//! so any failing seed can be saved as JSON and replayed with `ringraft run`
//! or loaded in the page.

use rand::Rng;
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::raft::{Backtrack, Bugs, Config, NodeId};

use super::action::{Action, ClientLoad};
use super::checker::Violation;
use super::network::{NetworkSettings, Timing, MS};
use super::scenario::{Scenario, TimedAction};
use super::world::World;

/// How long faults are injected; then everything heals.
pub const DEFAULT_FAULT_MS: u64 = 3_000;

/// The fault window `check` uses unless told: longer for `commit_old_terms`,
/// whose Figure 8 interleaving needs a chain of leader changes (found within
/// the first 1,000 seeds at 10 s, none at 3 s).
pub fn default_fault_ms(bugs: Bugs) -> u64 {
    if bugs.commit_old_terms {
        10_000
    } else {
        DEFAULT_FAULT_MS
    }
}
/// After healing, a leader must be elected within this many election timeouts.
pub const LIVENESS_TIMEOUTS: u64 = 10;
/// Event budget per run; a run that exceeds it is reported, not hung on.
pub const MAX_EVENTS: u64 = 300_000;

/// The scenario for one seed.
pub fn scenario(seed: u64, bugs: Bugs, fault_ms: u64) -> Scenario {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0xf022_5eed_0000_0001);
    // Small clusters need fewer coincidences to break, so they come up most.
    let nodes: u8 = [3, 3, 3, 5, 5, 7][rng.gen_range(0..6)];
    let latency_min_ms = rng.gen_range(1..=10);
    let network = NetworkSettings {
        latency_min_ms,
        latency_max_ms: latency_min_ms + rng.gen_range(0..=20),
        loss: if rng.gen_bool(0.5) { 0.0 } else { rng.gen_range(0.0..0.2) },
        duplicate: if rng.gen_bool(0.5) { 0.0 } else { rng.gen_range(0.0..0.1) },
        reorder: rng.gen_bool(0.5),
    };
    let mut raft = Config {
        max_batch: [1, 1, 2, 3, 8, 64][rng.gen_range(0..6)],
        // The §8 no-op commits old entries legitimately together with the
        // new term's first entry, which hides the Figure 8 bug; test that
        // bug mostly without it.
        noop_on_election: rng.gen_bool(if bugs.commit_old_terms { 0.1 } else { 0.5 }),
        backtrack: if rng.gen_bool(0.5) { Backtrack::OneByOne } else { Backtrack::ConflictHint },
        pre_vote: false,
        check_quorum: false,
        read_mode: crate::raft::ReadMode::Log,
        disruption_guard: false,
        snapshot_threshold: 0,
        learner_catch_up: true,
        bugs,
    };
    // From far faster than a round trip (5 ms; the leader pipelines with a
    // bounded in-flight window) to slow.
    let mut client_load = ClientLoad::every(rng.gen_range(5..=150), rng.gen_range(1..=5));

    let mut actions = Vec::new();
    let mut down: Vec<NodeId> = Vec::new();
    let mut cuts: Vec<(NodeId, NodeId)> = Vec::new();
    let pick = |rng: &mut ChaCha8Rng| rng.gen_range(1..=nodes);
    let mut t = 0;
    loop {
        t += rng.gen_range(20..=300);
        if t >= fault_ms {
            break;
        }
        let action = match rng.gen_range(0..100) {
            0..=4 => {
                let n = pick(&mut rng);
                if !down.contains(&n) {
                    down.push(n);
                }
                Action::Crash { node: n }
            }
            5..=19 => {
                // The leader crashes; Figure 8's interleavings are made of this.
                Action::CrashLeader
            }
            20..=34 if !down.is_empty() => {
                let n = down.remove(rng.gen_range(0..down.len()));
                Action::Restart { node: n }
            }
            20..=34 => {
                // Nothing known to be down: restart everyone (crash_leader
                // victims are not tracked here; restarting a live node is a no-op).
                for n in 1..=nodes {
                    actions.push(TimedAction { at_ms: t, action: Action::Restart { node: n } });
                }
                continue;
            }
            35..=41 => {
                // A reboot blip: crash and come back a few ms later, in the
                // middle of whatever election or replication is going on.
                let n = pick(&mut rng);
                actions.push(TimedAction { at_ms: t, action: Action::Crash { node: n } });
                Action::Restart { node: n }.at(&mut actions, t + rng.gen_range(1..=15));
                continue;
            }
            42..=50 if nodes >= 3 => {
                // An election race: two nodes time out together and a third
                // reboots while their RequestVotes are in flight.
                let a = pick(&mut rng);
                let b = pick(&mut rng);
                let c = pick(&mut rng);
                actions.push(TimedAction { at_ms: t, action: Action::Timeout { node: a } });
                actions.push(TimedAction { at_ms: t, action: Action::Timeout { node: b } });
                // Reboot c between the arrivals of the two RequestVotes.
                let d = t + rng.gen_range(network.latency_min_ms..=network.latency_max_ms);
                actions.push(TimedAction { at_ms: d, action: Action::Crash { node: c } });
                Action::Restart { node: c }.at(&mut actions, d + 1);
                continue;
            }
            51..=52 => {
                // A random two-way split.
                let mut a = Vec::new();
                let mut b = Vec::new();
                for n in 1..=nodes {
                    if rng.gen_bool(0.5) {
                        a.push(n)
                    } else {
                        b.push(n)
                    }
                }
                Action::Partition { groups: vec![a, b] }
            }
            53..=61 if rng.gen_bool(0.5) => Action::IsolateLeader,
            53..=61 => {
                cuts.clear();
                Action::Heal
            }
            62..=74 => Action::Timeout { node: pick(&mut rng) },
            75..=79 => {
                let from = pick(&mut rng);
                let to = pick(&mut rng);
                if from == to {
                    continue;
                }
                cuts.push((from, to));
                Action::CutLink { from, to }
            }
            80..=84 if !cuts.is_empty() => {
                let (from, to) = cuts.remove(rng.gen_range(0..cuts.len()));
                Action::RestoreLink { from, to }
            }
            85..=86 => Action::Isolate { node: pick(&mut rng) },
            87..=89 => Action::IsolateLeader,
            90..=94 => Action::SetNetwork {
                latency_min_ms: None,
                latency_max_ms: None,
                loss: Some(if rng.gen_bool(0.5) { 0.0 } else { rng.gen_range(0.0..0.3) }),
                duplicate: Some(if rng.gen_bool(0.5) { 0.0 } else { rng.gen_range(0.0..0.2) }),
                reorder: Some(rng.gen_bool(0.5)),
            },
            95..=97 => {
                // A client that talks to any node, e.g. a stale leader in a
                // minority partition, which appends what nobody else has.
                let key = format!("c{}", rng.gen_range(0..3));
                Action::ClientRequest {
                    node: pick(&mut rng),
                    command: crate::raft::Command::Set { key, value: format!("t{t}") },
                }
            }
            _ => Action::Heartbeat { node: pick(&mut rng) },
        };
        actions.push(TimedAction { at_ms: t, action });
    }
    extended_faults(seed, nodes, fault_ms, &mut raft, &mut actions);
    client_faults(seed, nodes, fault_ms, &mut raft, &mut client_load, &mut actions);
    let client_load = Some(client_load);
    // Heal everything: the liveness clock starts here.
    actions.push(TimedAction { at_ms: fault_ms, action: Action::Heal });
    actions.push(TimedAction {
        at_ms: fault_ms,
        action: Action::SetNetwork {
            latency_min_ms: None,
            latency_max_ms: None,
            loss: Some(0.0),
            duplicate: Some(0.0),
            reorder: None,
        },
    });
    for n in 1..=nodes {
        actions.push(TimedAction { at_ms: fault_ms, action: Action::Restart { node: n } });
    }
    // Scripted actions must be in time order for the page's timeline.
    crate::order::sort_by_key(&mut actions, |a| a.at_ms);
    Scenario {
        name: format!("random faults, seed {seed}"),
        description: "Generated by `ringraft check`.".to_string(),
        nodes,
        seed,
        timing: Timing::default(),
        network,
        raft,
        initial: None,
        actions,
        until: Vec::new(),
        client_load,
        follow_redirects: false,
    }
}

/// The extended protocol's part of the mix, drawn from a stream of its own
/// (so the basic faults of every seed stay what they were): PreVote and
/// CheckQuorum each on in half the runs and sometimes switched mid-run
/// (§9.6, §6.2), and leadership transfers to random servers (§3.10).
fn extended_faults(seed: u64, nodes: u8, fault_ms: u64, raft: &mut Config, actions: &mut Vec<TimedAction>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x0e87_e4de_d000_0002);
    raft.pre_vote = rng.gen_bool(0.5);
    raft.check_quorum = rng.gen_bool(0.5);
    for _ in 0..rng.gen_range(0..=3) {
        let at_ms = rng.gen_range(0..fault_ms);
        actions.push(TimedAction { at_ms, action: Action::TransferLeadership { to: rng.gen_range(1..=nodes) } });
    }
    if rng.gen_bool(0.2) {
        let at_ms = rng.gen_range(0..fault_ms);
        let action = Action::SetRaft {
            pre_vote: Some(rng.gen_bool(0.5)),
            check_quorum: Some(rng.gen_bool(0.5)),
            read_mode: None,
            disruption_guard: None,
            snapshot_threshold: None,
            learner_catch_up: None,
        };
        actions.push(TimedAction { at_ms, action });
    }
}

/// Reads, clients and clocks, from a third stream: every read mode (§6.4),
/// reads sent to any server, sequential clients with sessions, timeouts
/// and retries (§6.3), clock drift (§6.4.1), and drills that isolate the
/// leader while reads keep arriving at every server.
///
/// What a correct Raft promises sets the bounds. With lease reads, clocks
/// stay within the drift bound the lease assumes (`LEASE_DRIFT_BOUND_PCT`)
/// and no election timeout is forced (a forced timeout is a clock that
/// jumped); a retried write without a session may be applied twice, so
/// clients retry only with sessions. Beyond those bounds the checker finds
/// what it should (the bundled scenarios show both).
fn client_faults(seed: u64, nodes: u8, fault_ms: u64, raft: &mut Config, load: &mut ClientLoad, actions: &mut Vec<TimedAction>) {
    use crate::raft::ReadMode;
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0xc11e_a7ed_0000_0003);
    raft.read_mode = [ReadMode::Log, ReadMode::ReadIndex, ReadMode::Lease][rng.gen_range(0..3)];
    raft.disruption_guard = rng.gen_bool(0.2);
    let lease = raft.read_mode == ReadMode::Lease;
    if rng.gen_bool(0.7) {
        load.reads_pct = rng.gen_range(10..=50);
    }
    load.append = rng.gen_bool(0.5);
    if rng.gen_bool(0.6) {
        load.clients = rng.gen_range(1..=4);
        load.sessions = rng.gen_bool(0.8);
    }
    if rng.gen_bool(0.5) {
        load.timeout_ms = rng.gen_range(80..=600);
        load.retry = load.sessions && rng.gen_bool(0.8);
    }
    if lease {
        // A forced timeout is a clock that jumped: beyond any drift bound.
        actions.retain(|a| !matches!(a.action, Action::Timeout { .. }));
    }
    // Within the lease's bound: rates 0.955–1.045 differ by at most 9.4 %.
    let rate = |rng: &mut ChaCha8Rng| {
        if lease {
            0.955 + rng.gen_range(0..=90) as f64 / 1000.0
        } else {
            0.6 + rng.gen_range(0..=100) as f64 / 100.0
        }
    };
    for _ in 0..rng.gen_range(0..=3) {
        let action = Action::SetClockDrift { node: rng.gen_range(1..=nodes), rate: rate(&mut rng) };
        actions.push(TimedAction { at_ms: rng.gen_range(0..fault_ms), action });
    }
    for _ in 0..rng.gen_range(0..=6) {
        // A read at any server: a deposed leader must not answer from stale state.
        let command = crate::raft::Command::Get { key: format!("k{}", rng.gen_range(0..load.keys.max(1))) };
        actions.push(TimedAction { at_ms: rng.gen_range(0..fault_ms), action: Action::ClientRequest { node: rng.gen_range(1..=nodes), command } });
    }
    if raft.read_mode != ReadMode::Log && fault_ms > 1500 && rng.gen_bool(if lease { 0.8 } else { 0.5 }) {
        // The drill: PreVote on (what production clusters with leases run),
        // long election timeouts on fast links (so a lease's margin is
        // wide), clocks at the edges of the bound — one server's slow, the
        // others' fast — leadership handed to the slow one, which is then
        // cut off while, around the time its successor takes over, every
        // server gets a write and a read every 2 ms.
        let t = rng.gen_range(0..fault_ms - 1500);
        let at = |actions: &mut Vec<TimedAction>, at_ms: u64, action: Action| actions.push(TimedAction { at_ms, action });
        let network = Action::SetNetwork { latency_min_ms: Some(1), latency_max_ms: Some(2), loss: Some(0.0), duplicate: Some(0.0), reorder: None };
        at(actions, t, network);
        at(actions, t, Action::SetTiming { election_min_ms: Some(600), election_max_ms: Some(640), heartbeat_ms: None });
        at(actions, t, Action::SetRaft { pre_vote: Some(true), check_quorum: None, read_mode: None, disruption_guard: None, snapshot_threshold: None, learner_catch_up: None });
        let slow = rng.gen_range(1..=nodes);
        for n in 1..=nodes {
            let r = if n == slow { 0.955 } else { 1.045 };
            let r = if lease { r } else { rate(&mut rng) };
            at(actions, t, Action::SetClockDrift { node: n, rate: r });
        }
        let cut = t + 700;
        at(actions, cut - 100, Action::TransferLeadership { to: slow });
        at(actions, cut, Action::IsolateLeader);
        let key = format!("k{}", rng.gen_range(0..load.keys.max(1)));
        for k in 0..90 {
            for node in 1..=nodes {
                let command = if k % 2 == 0 {
                    crate::raft::Command::Set { key: key.clone(), value: format!("d{k}") }
                } else {
                    crate::raft::Command::Get { key: key.clone() }
                };
                at(actions, cut + 520 + 2 * k, Action::ClientRequest { node, command });
            }
        }
        // Back to the run's own timing.
        at(actions, cut + 700, Action::SetTiming { election_min_ms: Some(150), election_max_ms: Some(300), heartbeat_ms: None });
    }
}

#[derive(Clone, Debug)]
pub struct Outcome {
    pub seed: u64,
    pub nodes: u8,
    pub events: u64,
    /// Virtual time simulated, µs.
    pub sim_time: u64,
    pub violations: Vec<Violation>,
    pub violation_count: u64,
    /// A leader was elected within LIVENESS_TIMEOUTS election timeouts of the heal.
    pub live: bool,
    /// The run hit MAX_EVENTS (a message storm) before finishing.
    pub over_budget: bool,
    pub trace_hash: u64,
}

/// Run one seed without history (checkpoints are for the page, not for
/// throughput). Stops at the first violation.
pub fn run(seed: u64, bugs: Bugs, fault_ms: u64) -> Outcome {
    let sc = scenario(seed, bugs, fault_ms);
    run_scenario(&sc, fault_ms)
}

pub fn run_scenario(sc: &Scenario, fault_ms: u64) -> Outcome {
    let mut w = World::new(sc);
    let heal = fault_ms * MS;
    let deadline = heal + LIVENESS_TIMEOUTS * sc.timing.election_max_ms * MS;
    let mut live = false;
    while let Some(t) = w.next_event_time() {
        if w.checker.violation_count() > 0 {
            break;
        }
        if w.now() >= heal && w.scripted_pending == 0 && w.leader_elected() {
            live = true;
            break;
        }
        if t > deadline || w.event_count() >= MAX_EVENTS {
            break;
        }
        w.step();
    }
    Outcome {
        seed: sc.seed,
        nodes: sc.nodes,
        events: w.event_count(),
        sim_time: w.now(),
        violations: w.checker.violations().to_vec(),
        violation_count: w.checker.violation_count(),
        live,
        over_budget: w.event_count() >= MAX_EVENTS,
        trace_hash: w.trace_hash,
    }
}

impl Action {
    /// Push this action at `at_ms` (helper for composite faults).
    fn at(self, actions: &mut Vec<TimedAction>, at_ms: u64) {
        actions.push(TimedAction { at_ms, action: self });
    }
}
