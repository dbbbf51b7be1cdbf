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

/// The fault window `check` uses unless told: the same for every bug flag.
/// `commit_old_terms` once needed 10 s (Figure 8's chain of leader changes
/// came up by chance: none within 1,000 seeds at 3 s); the Figure 8 drill
/// (`figure8_drill`) now finds it in most seeds at 3 s.
pub fn default_fault_ms(_bugs: Bugs) -> u64 {
    DEFAULT_FAULT_MS
}
/// After healing, a leader must be elected within this many election timeouts.
pub const LIVENESS_TIMEOUTS: u64 = 10;
/// Event budget per run; a run that exceeds it is reported, not hung on.
pub const MAX_EVENTS: u64 = 300_000;

/// The scenario for one seed.
pub fn scenario(seed: u64, bugs: Bugs, fault_ms: u64) -> Scenario {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0xf022_5eed_0000_0001);
    let nodes = cluster_size(&mut rng, bugs);
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
        #[cfg(feature = "membership")]
        snapshot_threshold: 0,
        #[cfg(feature = "membership")]
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
                // Three different servers: a race with c among the
                // candidates has no third voter to reboot.
                let a = pick(&mut rng);
                let b = 1 + (a + rng.gen_range(0..nodes - 1)) % nodes;
                let c = (1..=nodes).filter(|n| *n != a && *n != b).nth(rng.gen_range(0..(nodes - 2) as usize)).unwrap_or(a);
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
    #[cfg(feature = "extended")]
    membership_faults(seed, nodes, fault_ms, &mut raft, &client_load, &mut actions);
    client_faults(seed, nodes, fault_ms, &mut raft, &mut client_load, &mut actions);
    figure8_drill(seed, nodes, fault_ms, &network, &raft, &client_load, &mut actions);
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
    // Every server, those membership changes brought in too (§4).
    let all = Scenario { nodes, actions: actions.clone(), ..Scenario::default() }.known_ids();
    for n in 1..=all {
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
        ..Scenario::default()
    }
}

/// Every size the page offers, 1–9 servers, weighted toward small
/// clusters: they need fewer coincidences to break. Even sizes and the
/// one- and two-server clusters (no fault tolerance at all; a two-server
/// cluster needs both up) still face the same faults and the same
/// liveness judgment after the heal, where every server is up.
pub const CLUSTER_SIZE_WEIGHTS: [(u8, u32); 9] =
    [(1, 1), (2, 2), (3, 8), (4, 3), (5, 5), (6, 2), (7, 3), (8, 1), (9, 1)];

/// With `commit_old_terms` or `forget_vote_on_crash` on: Figure 8 and a
/// double vote need the fewest coincidences in three servers and cannot
/// happen in one or two (every entry a leader counts is on all of them; a
/// candidate needs every vote), so those runs are mostly three servers.
pub const FOCUSED_CLUSTER_SIZE_WEIGHTS: [(u8, u32); 9] =
    [(1, 0), (2, 0), (3, 16), (4, 1), (5, 3), (6, 1), (7, 1), (8, 1), (9, 1)];

fn cluster_size(rng: &mut ChaCha8Rng, bugs: Bugs) -> u8 {
    if bugs.unsafe_single_server_change {
        // The 2015 drill (`membership_faults`) runs on four servers.
        let _ = rng.gen_range(0..2u8);
        return 4;
    }
    let weights =
        if bugs.commit_old_terms || bugs.forget_vote_on_crash { FOCUSED_CLUSTER_SIZE_WEIGHTS } else { CLUSTER_SIZE_WEIGHTS };
    let total: u32 = weights.iter().map(|w| w.1).sum();
    let mut x = rng.gen_range(0..total);
    for (n, w) in weights {
        if x < w {
            return n;
        }
        x -= w;
    }
    3
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
        let action = Action::set_raft(Some(rng.gen_bool(0.5)), Some(rng.gen_bool(0.5)), None, None);
        actions.push(TimedAction { at_ms, action });
    }
}

/// Membership changes (§4) and compaction (§7), from a stream of their own:
/// snapshots at a random threshold in half the runs (so restarts load
/// snapshots and lagging followers get InstallSnapshot), catch-up on or off,
/// and up to three changes — adding servers up to S9, removing any (the
/// leader too), joint changes to any set — at random moments. With the
/// membership bugs on, the runs favour what breaks them: changes right
/// after a leader change without the §8 no-op (`unsafe_single_server_change`),
/// small snapshots, replaced servers and reboots (`snapshot_drops_config`).
#[cfg(feature = "extended")]
fn membership_faults(seed: u64, nodes: u8, fault_ms: u64, raft: &mut Config, load: &ClientLoad, actions: &mut Vec<TimedAction>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x3e3b_e25e_0000_0005);
    let bugs = raft.bugs;
    let focus = bugs.unsafe_single_server_change || bugs.snapshot_drops_config;
    raft.snapshot_threshold = if bugs.snapshot_drops_config {
        rng.gen_range(2..=6)
    } else if rng.gen_bool(0.5) {
        rng.gen_range(2..=30)
    } else {
        0
    };
    raft.learner_catch_up = rng.gen_bool(0.8);
    if bugs.unsafe_single_server_change && fault_ms > 1300 {
        // Ongaro's 2015 counterexample as a drill, among the seed's faults:
        // leader S1 adds S5 (catch-up off) but only S5 gets the entry; S1
        // crashes; S2 wins with S3 and S4 and at once removes S4, reaching
        // only S3; S1 returns beside S4 and S5. Correct Raft refuses both
        // changes (no entry of the term committed, §4.1); the bug lets S1
        // lead a term without S2's committed change.
        raft.noop_on_election = false;
        raft.learner_catch_up = false;
        let t = rng.gen_range(1..fault_ms - 1300);
        // The drill's own window: no other fault, and no client request that
        // would let S2 commit an entry of its term first.
        actions.retain(|a| a.at_ms + 100 < t || a.at_ms > t + 1300);
        actions.push(TimedAction { at_ms: t - 1, action: Action::SetClientLoad { load: None } });
        actions.push(TimedAction { at_ms: t + 1300, action: Action::SetClientLoad { load: Some(load.clone()) } });
        let drill = [
            (0, Action::Timeout { node: 1 }),
            (400, Action::Partition { groups: vec![vec![1, 5], vec![2, 3, 4]] }),
            (450, Action::AddServer { node: 5 }),
            (550, Action::Crash { node: 1 }),
            (600, Action::Timeout { node: 2 }),
            (800, Action::Partition { groups: vec![vec![1, 5], vec![2, 3], vec![4]] }),
            (900, Action::RemoveServer { node: 4 }),
            (1200, Action::Partition { groups: vec![vec![2, 3], vec![1, 4, 5]] }),
            (1200, Action::Restart { node: 1 }),
        ];
        for (dt, action) in drill {
            actions.push(TimedAction { at_ms: t + dt, action });
        }
        return;
    }
    let changes = if focus { rng.gen_range(2..=5) } else { rng.gen_range(0..=3) };
    let id = |rng: &mut ChaCha8Rng| rng.gen_range(1..=9u8);
    for _ in 0..changes {
        let at_ms = rng.gen_range(0..fault_ms);
        let action = match rng.gen_range(0..10) {
            0..=3 => Action::AddServer { node: id(&mut rng) },
            4..=6 => Action::RemoveServer { node: rng.gen_range(1..=nodes.max(1)) },
            _ => {
                let mut voters: Vec<u8> = (1..=9).filter(|_| rng.gen_bool(0.4)).collect();
                if voters.is_empty() {
                    voters.push(id(&mut rng));
                }
                let learners: Vec<u8> = (1..=9).filter(|n| !voters.contains(n) && rng.gen_bool(0.1)).collect();
                Action::ChangeConfig { voters, learners }
            }
        };
        if bugs.unsafe_single_server_change {
            // The bug's window: a new leader that has committed nothing of its term.
            actions.push(TimedAction { at_ms, action: Action::CrashLeader });
            actions.push(TimedAction { at_ms: at_ms + rng.gen_range(150..=400), action: action.clone() });
        }
        if bugs.snapshot_drops_config {
            // A server that reboots from a snapshot without the configuration.
            let n = rng.gen_range(1..=nodes.max(1));
            actions.push(TimedAction { at_ms, action: Action::Crash { node: n } });
            actions.push(TimedAction { at_ms: at_ms + rng.gen_range(50..=500), action: Action::Restart { node: n } });
        }
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
    let lease = focus_on_bug(seed, raft, load);
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
    let drill = rng.gen_bool(if lease { 0.8 } else { 0.5 });
    let drill = drill || raft.bugs.lease_ignores_drift || raft.bugs.read_without_quorum_check;
    if raft.read_mode != ReadMode::Log && fault_ms > 1500 && drill {
        // The drill: PreVote on (what production clusters with leases run),
        // long election timeouts on fast links (so a lease's margin is
        // wide), clocks at the edges of the bound — one server's slow, the
        // others' fast — leadership handed to the slow one, which is then
        // cut off while, around the time its successor takes over, every
        // server gets a write and a read every 2 ms.
        let t = rng.gen_range(0..fault_ms - 1500);
        let at = |actions: &mut Vec<TimedAction>, at_ms: u64, action: Action| actions.push(TimedAction { at_ms, action });
        if raft.bugs.lease_ignores_drift || raft.bugs.read_without_quorum_check {
            // The read bug under test gets its drill undisturbed: every
            // server up and connected, no other fault until it is over.
            actions.retain(|a| a.at_ms < t || a.at_ms > t + 1400);
            at(actions, t, Action::Heal);
            for node in 1..=nodes {
                at(actions, t, Action::Restart { node });
            }
        }
        let network = Action::SetNetwork { latency_min_ms: Some(1), latency_max_ms: Some(2), loss: Some(0.0), duplicate: Some(0.0), reorder: None };
        at(actions, t, network);
        at(actions, t, Action::SetTiming { election_min_ms: Some(600), election_max_ms: Some(640), heartbeat_ms: None });
        at(actions, t, Action::set_raft(Some(true), None, None, None));
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

/// Figure 8 (§5.4.2), scripted on three servers `p`, `q`, `r` of any
/// cluster of three or more (the others side with `r`), from a stream of
/// its own: always with `commit_old_terms` on, in 5 % of other runs (so
/// correct Raft is checked against it too). With every server up and
/// connected and no client load, `p` leads in term t and is cut off with
/// an entry X only it holds; `q` leads term t+1 and is cut off with an
/// entry Y only it holds; `p` returns (rebooted), leads term t+2 with
/// `r`'s vote and copies X to `r` — a majority, but X is of an older term,
/// so a correct leader does not count it; then `q` returns (rebooted) and,
/// its last term t+1 being newer than X's, leads term t+3. A leader that
/// counted X has lost a committed entry (Leader Completeness). Timeouts
/// are forced, so not with lease reads (a forced timeout is a clock that
/// jumped); PreVote and the vote guard are switched off, as they would
/// delay or refuse the forced elections.
fn figure8_drill(
    seed: u64,
    nodes: u8,
    fault_ms: u64,
    network: &NetworkSettings,
    raft: &Config,
    load: &ClientLoad,
    actions: &mut Vec<TimedAction>,
) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0xf18e_0008_0000_0005);
    let focus = raft.bugs.commit_old_terms;
    if !rng.gen_bool(if focus { 1.0 } else { 0.05 })
        || nodes < 3
        || fault_ms < 1000
        || raft.read_mode == crate::raft::ReadMode::Lease
    {
        return;
    }
    let t = rng.gen_range(0..fault_ms - 800);
    let p = rng.gen_range(1..=nodes);
    let q = 1 + (p + rng.gen_range(0..nodes - 1)) % nodes;
    let rest: Vec<NodeId> = (1..=nodes).filter(|n| *n != p && *n != q).collect();
    // Every other fault stays out of the drill.
    let end = t + 720;
    actions.retain(|a| a.at_ms < t || a.at_ms > end);
    let mut at = |at_ms: u64, action: Action| actions.push(TimedAction { at_ms, action });
    let set = |ms: u64| Action::SetNetwork {
        latency_min_ms: Some(ms),
        latency_max_ms: Some(ms + 1),
        loss: Some(0.0),
        duplicate: Some(0.0),
        reorder: Some(false),
    };
    let entry = |v: &str| crate::raft::Command::Set { key: "f8".to_string(), value: v.to_string() };
    at(t, Action::Heal);
    for node in 1..=nodes {
        at(t, Action::Restart { node });
    }
    at(t, Action::SetClientLoad { load: None });
    at(t, set(1));
    at(t, Action::set_raft(Some(false), None, None, Some(false)));
    // Logs settle, then p leads term t.
    at(t + 400, Action::Timeout { node: p });
    let t0 = t + 600;
    at(t0, Action::Partition { groups: vec![vec![p], [vec![q], rest.clone()].concat()] });
    at(t0 + 1, Action::ClientRequest { node: p, command: entry("x") });
    // q leads term t+1, takes Y and is cut off before Y leaves.
    at(t0 + 5, Action::Timeout { node: q });
    at(t0 + 20, Action::ClientRequest { node: q, command: entry("y") });
    at(t0 + 20, Action::Partition { groups: vec![vec![p], vec![q], rest.clone()] });
    // p returns, rebooted (a cut-off leader would still think it leads):
    // its first try meets term t+1, the second wins term t+2.
    at(t0 + 22, Action::Crash { node: p });
    at(t0 + 25, Action::Restart { node: p });
    at(t0 + 30, Action::Partition { groups: vec![[vec![p], rest.clone()].concat(), vec![q]] });
    at(t0 + 31, Action::Timeout { node: p });
    at(t0 + 40, Action::Timeout { node: p });
    // q returns the same way and leads term t+3.
    at(t0 + 55, Action::Crash { node: q });
    at(t0 + 58, Action::Restart { node: q });
    at(t0 + 60, Action::Partition { groups: vec![vec![p], [vec![q], rest].concat()] });
    at(t0 + 61, Action::Timeout { node: q });
    at(t0 + 70, Action::Timeout { node: q });
    at(end, Action::Heal);
    let (pre_vote, disruption_guard) = (Some(raft.pre_vote), Some(raft.disruption_guard));
    at(end, Action::set_raft(pre_vote, None, None, disruption_guard));
    at(end, Action::SetClientLoad { load: Some(load.clone()) });
    at(
        end,
        Action::SetNetwork {
            latency_min_ms: Some(network.latency_min_ms),
            latency_max_ms: Some(network.latency_max_ms),
            loss: Some(network.loss),
            duplicate: Some(network.duplicate),
            reorder: Some(network.reorder),
        },
    );
}

/// A broken rule shows only where it is used: with one of the extended
/// protocol's bugs on, the run uses what it breaks — lease reads, ReadIndex
/// reads, or clients that retry appends under sessions — and the reads
/// drill always runs. The options are overridden after the seed's own
/// draws (from a stream of their own), so everything else in the seed
/// stays what it is without the bug. Returns whether reads now use leases.
fn focus_on_bug(seed: u64, raft: &mut Config, load: &mut ClientLoad) -> bool {
    use crate::raft::ReadMode;
    let bugs = raft.bugs;
    if bugs.commit_old_terms && raft.read_mode == ReadMode::Lease {
        // Room for the Figure 8 drill, whose elections are forced.
        raft.read_mode = ReadMode::ReadIndex;
    }
    if bugs.forget_vote_on_crash {
        // The double vote is a voter rebooting between two candidates'
        // RequestVotes. PreVote sends them a round trip later than the
        // race's reboot is timed for, the vote guard ignores them while a
        // leader is heard, and lease runs force no timeouts: all off.
        raft.pre_vote = false;
        raft.disruption_guard = false;
        if raft.read_mode == ReadMode::Lease {
            raft.read_mode = ReadMode::ReadIndex;
        }
    }
    if bugs.lease_ignores_drift {
        raft.read_mode = ReadMode::Lease;
    } else if bugs.read_without_quorum_check {
        raft.read_mode = ReadMode::ReadIndex;
    }
    if bugs.no_dedup {
        // §6.3: a write applied twice shows only when a client retries a
        // command the cluster already took, and an append makes it visible.
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0xded0_0b06_0000_0004);
        load.append = true;
        load.clients = load.clients.max(rng.gen_range(1..=4));
        load.sessions = true;
        load.retry = true;
        if load.timeout_ms == 0 {
            load.timeout_ms = rng.gen_range(80..=600);
        }
    }
    raft.read_mode == ReadMode::Lease
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
