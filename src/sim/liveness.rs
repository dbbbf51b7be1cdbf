//! Liveness figures for the extended protocol, measured over seeds on
//! ordinary simulator runs (`ringraft liveness`, and the tests):
//!
//! - a follower cut off for 3 s, then healed: how often it deposes a
//!   healthy leader, without and with PreVote (§9.6);
//! - a leader cut off alone: how long it keeps accepting writes it cannot
//!   commit, without and with CheckQuorum (§6.2);
//! - `transfer_leadership`: time until the target leads (§3.10).

use rand::Rng;
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::raft::{Config, NodeId, Role, Term};

use super::action::{Action, ClientLoad};
use super::history::Sim;
use super::network::MS;
use super::scenario::Scenario;

/// How long the cut-off server or leader stays cut off (ms).
pub const CUT_MS: u64 = 3_000;

fn sim(seed: u64, pre_vote: bool, check_quorum: bool) -> (Sim, u8) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x11fe_7e55);
    let nodes = [3, 5, 7][rng.gen_range(0..3)];
    let sc = Scenario {
        nodes,
        seed,
        raft: Config { pre_vote, check_quorum, ..Config::default() },
        client_load: Some(ClientLoad::every(50, 4)),
        ..Scenario::default()
    };
    (Sim::new(sc).expect("valid scenario"), nodes)
}

/// Runs until a leader is up (at most 3 s of virtual time).
fn settled_leader(sim: &mut Sim) -> Option<(NodeId, Term)> {
    let deadline = sim.now() + 3000 * MS;
    while sim.now() < deadline {
        if let Some(id) = sim.world().current_leader() {
            let term = sim.node(id)?.current_term();
            // A leader that has held office for a heartbeat round or two.
            sim.run_for(200 * MS);
            if sim.world().current_leader() == Some(id) && sim.node(id)?.current_term() == term {
                return Some((id, term));
            }
        }
        sim.run_for(50 * MS);
    }
    None
}

/// Seed `seed`: did a follower cut off for [`CUT_MS`] depose the leader
/// within 2 s of healing? `None`: no stable leader to start from.
pub fn rejoin_deposes(seed: u64, pre_vote: bool) -> Option<bool> {
    let (mut sim, nodes) = sim(seed, pre_vote, false);
    let (leader, term) = settled_leader(&mut sim)?;
    let follower = (1..=nodes).find(|&n| n != leader)?;
    sim.apply(Action::Isolate { node: follower });
    sim.run_for(CUT_MS * MS);
    // Still the same leader on the majority side?
    if sim.world().current_leader() != Some(leader) || sim.node(leader)?.current_term() != term {
        return None;
    }
    sim.apply(Action::Heal);
    sim.run_for(2000 * MS);
    let n = sim.node(leader)?;
    Some(n.role() != Role::Leader || n.current_term() != term)
}

/// Seed `seed`: how long (µs) a leader cut off alone keeps accepting writes
/// (stays leader), capped at [`CUT_MS`].
pub fn minority_leader_us(seed: u64, check_quorum: bool) -> Option<u64> {
    let (mut sim, _) = sim(seed, false, check_quorum);
    let (leader, _) = settled_leader(&mut sim)?;
    sim.apply(Action::Isolate { node: leader });
    let start = sim.now();
    while sim.now() < start + CUT_MS * MS && sim.step() {
        if sim.node(leader)?.role() != Role::Leader {
            return Some(sim.now() - start);
        }
    }
    Some(CUT_MS * MS)
}

/// Seed `seed`: µs from `transfer_leadership` until the target leads
/// (PreVote and CheckQuorum on, as production clusters run); `Some(None)`
/// if it did not within 1 s.
pub fn transfer_us(seed: u64) -> Option<Option<u64>> {
    let (mut sim, nodes) = sim(seed, true, true);
    let (leader, term) = settled_leader(&mut sim)?;
    let to = (1..=nodes).rev().find(|&n| n != leader)?;
    sim.apply(Action::TransferLeadership { to });
    let start = sim.now();
    while sim.now() < start + 1000 * MS && sim.step() {
        if sim.world().current_leader() == Some(to) && sim.node(to)?.current_term() > term {
            return Some(Some(sim.now() - start));
        }
    }
    Some(None)
}

/// Sorted values' median and maximum.
pub fn median_max(mut v: Vec<u64>) -> (u64, u64) {
    crate::order::sort(&mut v);
    (v.get(v.len() / 2).copied().unwrap_or(0), v.last().copied().unwrap_or(0))
}
