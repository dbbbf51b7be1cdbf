//! Every tagged enum the app reads by hand (`crate::tagged`) round-trips, for
//! every variant: written by serde's derive, read back by the public
//! deserializer, equal. An unknown name is an error, never a real variant.
//!
//! Each enum has a `name` function with an exhaustive match (no `_`): a new
//! variant does not compile here until it has a name, and the samples must
//! cover every name the reader accepts.

use std::collections::BTreeSet;
use std::fmt::Debug;

use ringraft::cluster::ClusterAction;
use ringraft::raft::{Command, Membership, ReadMode};
use ringraft::ring::Change;
use ringraft::sim::schedule::{MessageKind, MessageRef, Step};
use ringraft::sim::{Action, ClientLoad, TimerKind, Until};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Serializes each sample, reads it back (from text and from a `Value`),
/// checks it is equal, and returns the variant names seen.
fn round_trip<T>(samples: &[T], name: fn(&T) -> &'static str) -> BTreeSet<&'static str>
where
    T: Serialize + DeserializeOwned + PartialEq + Debug,
{
    let mut seen = BTreeSet::new();
    for sample in samples {
        let json = serde_json::to_string(sample).unwrap();
        let back: T = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{json}: {e}"));
        assert_eq!(&back, sample, "{json}");
        let value = serde_json::to_value(sample).unwrap();
        let back: T = serde_json::from_value(value).unwrap_or_else(|e| panic!("{json}: {e}"));
        assert_eq!(&back, sample, "{json}");
        seen.insert(name(sample));
    }
    seen
}

fn names(list: &[&'static str]) -> BTreeSet<&'static str> {
    list.iter().copied().collect()
}

/// `{tag: "no_such_variant"}` (and a name of another enum) is refused with serde's message.
fn unknown_is_an_error<T: DeserializeOwned + Debug>(tag: &str) {
    for bad in ["no_such_variant", "Crash", ""] {
        let json = format!(r#"{{"{tag}": "{bad}"}}"#);
        let err = serde_json::from_str::<T>(&json).expect_err(&json).to_string();
        assert!(err.contains(&format!("unknown variant `{bad}`")), "{json}: {err}");
    }
}

fn command_name(c: &Command) -> &'static str {
    match c {
        Command::Noop => "noop",
        Command::Set { .. } => "set",
        Command::Delete { .. } => "delete",
        Command::Cas { .. } => "cas",
        Command::Get { .. } => "get",
        Command::Append { .. } => "append",
        Command::Config(_) => "config",
    }
}

fn commands() -> Vec<Command> {
    vec![
        Command::Noop,
        Command::Set { key: "x".into(), value: "1".into() },
        Command::Delete { key: "x".into() },
        Command::Cas { key: "x".into(), expected: Some("1".into()), value: "2".into() },
        Command::Cas { key: "y".into(), expected: None, value: "3".into() },
        Command::Get { key: "x".into() },
        Command::Append { key: "x".into(), value: "a,".into() },
        Command::Config(Membership { voters: vec![1, 2, 3], learners: vec![4], outgoing: vec![], catching_up: Some(4) }),
        Command::Config(Membership { voters: vec![1, 4, 5], learners: vec![], outgoing: vec![1, 2, 3], catching_up: None }),
    ]
}

#[test]
fn every_command_round_trips() {
    let seen = round_trip(&commands(), command_name);
    assert_eq!(seen, names(Command::NAMES));
    unknown_is_an_error::<Command>("op");
}

fn action_name(a: &Action) -> &'static str {
    match a {
        Action::Crash { .. } => "crash",
        Action::CrashLeader => "crash_leader",
        Action::Restart { .. } => "restart",
        Action::Timeout { .. } => "timeout",
        Action::Heartbeat { .. } => "heartbeat",
        Action::ClientRequest { .. } => "client_request",
        Action::Partition { .. } => "partition",
        Action::Isolate { .. } => "isolate",
        Action::IsolateLeader => "isolate_leader",
        Action::Heal => "heal",
        Action::CutLink { .. } => "cut_link",
        Action::RestoreLink { .. } => "restore_link",
        Action::DropMessage { .. } => "drop_message",
        Action::SetNetwork { .. } => "set_network",
        Action::SetTiming { .. } => "set_timing",
        Action::SetClientLoad { .. } => "set_client_load",
        Action::SetFollowRedirects { .. } => "set_follow_redirects",
        Action::TransferLeadership { .. } => "transfer_leadership",
        Action::SetRaft { .. } => "set_raft",
        Action::SetClockDrift { .. } => "set_clock_drift",
        Action::AddServer { .. } => "add_server",
        Action::RemoveServer { .. } => "remove_server",
        Action::ChangeConfig { .. } => "change_config",
        Action::Manual { .. } => "manual",
        Action::Take { .. } => "take",
    }
}

#[test]
fn every_action_round_trips() {
    let mut samples = vec![
        Action::Crash { node: 1 },
        Action::CrashLeader,
        Action::Restart { node: 2 },
        Action::Timeout { node: 3 },
        Action::Heartbeat { node: 4 },
        Action::Partition { groups: vec![vec![1, 2], vec![3, 4, 5]] },
        Action::Partition { groups: vec![] },
        Action::Isolate { node: 5 },
        Action::IsolateLeader,
        Action::Heal,
        Action::CutLink { from: 1, to: 2 },
        Action::RestoreLink { from: 2, to: 1 },
        Action::DropMessage { id: 42 },
        Action::SetNetwork {
            latency_min_ms: Some(5),
            latency_max_ms: Some(50),
            loss: Some(0.25),
            duplicate: Some(0.5),
            reorder: Some(true),
        },
        Action::SetNetwork { latency_min_ms: None, latency_max_ms: None, loss: None, duplicate: None, reorder: None },
        Action::SetTiming { election_min_ms: Some(150), election_max_ms: Some(300), heartbeat_ms: Some(50) },
        Action::SetTiming { election_min_ms: None, election_max_ms: None, heartbeat_ms: None },
        Action::SetClientLoad { load: Some(ClientLoad::every(200, 3)) },
        Action::SetClientLoad { load: None },
        Action::SetFollowRedirects { on: true },
        Action::SetFollowRedirects { on: false },
        Action::TransferLeadership { to: 2 },
        Action::SetRaft { pre_vote: Some(true), check_quorum: None, read_mode: None, disruption_guard: None, snapshot_threshold: None, learner_catch_up: None },
        Action::SetRaft { pre_vote: None, check_quorum: Some(false), read_mode: None, disruption_guard: None, snapshot_threshold: None, learner_catch_up: None },
        Action::SetRaft { pre_vote: None, check_quorum: None, read_mode: Some(ReadMode::Lease), disruption_guard: Some(true), snapshot_threshold: None, learner_catch_up: None },
        Action::SetClockDrift { node: 2, rate: 0.75 },
        Action::SetRaft { pre_vote: None, check_quorum: None, read_mode: None, disruption_guard: None, snapshot_threshold: Some(20), learner_catch_up: Some(false) },
        Action::AddServer { node: 4 },
        Action::RemoveServer { node: 1 },
        Action::ChangeConfig { voters: vec![1, 4, 5], learners: vec![6] },
        Action::ChangeConfig { voters: vec![2], learners: vec![] },
        Action::Manual { on: true },
        Action::Take { step: Step::AddServer { leader: 1, node: 5 } },
        Action::SetClientLoad {
            load: Some(ClientLoad {
                interval_ms: 20,
                keys: 2,
                reads_pct: 30,
                append: true,
                clients: 3,
                sessions: true,
                timeout_ms: 400,
                retry: true,
            }),
        },
    ];
    // A client request for every command.
    samples.extend(commands().into_iter().map(|command| Action::ClientRequest { node: 1, command }));
    let seen = round_trip(&samples, action_name);
    assert_eq!(seen, names(Action::NAMES), "a sample for every name the reader accepts");
    unknown_is_an_error::<Action>("type");
}

fn step_name(s: &Step) -> &'static str {
    match s {
        Step::Deliver(_) => "deliver",
        Step::Drop(_) => "drop",
        Step::Duplicate(_) => "duplicate",
        Step::Timeout { .. } => "timeout",
        Step::Crash { .. } => "crash",
        Step::Restart { .. } => "restart",
        Step::Request { .. } => "request",
        Step::AddServer { .. } => "add_server",
        Step::RemoveServer { .. } => "remove_server",
    }
}

#[test]
fn every_step_round_trips() {
    let m = MessageRef { from: 1, to: 2, kind: MessageKind::AppendEntriesResponse, seq: 3 };
    let samples = [
        Step::Deliver(m),
        Step::Drop(m),
        Step::Duplicate(m),
        Step::Timeout { node: 2, timer: TimerKind::Heartbeat },
        Step::Crash { node: 3 },
        Step::Restart { node: 3 },
        Step::Request { node: 1, command: Command::Noop },
        Step::AddServer { leader: 1, node: 5 },
        Step::RemoveServer { leader: 2, node: 4 },
    ];
    let seen = round_trip(&samples, step_name);
    assert_eq!(seen, names(&Step::NAMES));
}

fn cluster_action_name(a: &ClusterAction) -> &'static str {
    match a {
        ClusterAction::Crash { .. } => "crash",
        ClusterAction::Restart { .. } => "restart",
        ClusterAction::Isolate { .. } => "isolate",
        ClusterAction::Reconnect { .. } => "reconnect",
        ClusterAction::Heal => "heal",
        ClusterAction::Put { .. } => "put",
        ClusterAction::AddServer { .. } => "add_server",
        ClusterAction::RemoveServer { .. } => "remove_server",
    }
}

#[test]
fn every_cluster_action_round_trips() {
    let samples = [
        ClusterAction::Crash { server: "A".into() },
        ClusterAction::Restart { server: "B".into() },
        ClusterAction::Isolate { server: "C".into() },
        ClusterAction::Reconnect { server: "D".into() },
        ClusterAction::Heal,
        ClusterAction::Put { key: "alice".into(), value: "".into() },
        ClusterAction::AddServer { name: "F".into() },
        ClusterAction::RemoveServer { server: "B".into() },
    ];
    let seen = round_trip(&samples, cluster_action_name);
    assert_eq!(seen, names(ClusterAction::NAMES));
    unknown_is_an_error::<ClusterAction>("type");
}

fn change_name(c: &Change) -> &'static str {
    match c {
        Change::Add { .. } => "add",
        Change::Remove { .. } => "remove",
        Change::Reweight { .. } => "reweight",
    }
}

#[test]
fn every_ring_change_round_trips() {
    let samples = [
        Change::Add { name: "E".into(), weight: 1.0, vnodes: None },
        Change::Add { name: "F".into(), weight: 2.5, vnodes: Some(10) },
        Change::Remove { name: "A".into() },
        Change::Reweight { name: "B".into(), weight: 0.0 },
    ];
    let seen = round_trip(&samples, change_name);
    assert_eq!(seen, names(Change::NAMES));
    unknown_is_an_error::<Change>("op");
}

fn until_name(u: &Until) -> &'static str {
    match u {
        Until::LeaderElected => "leader_elected",
        Until::AllLogsEqual => "all_logs_equal",
        Until::Committed { .. } => "committed",
        Until::TimeMs(_) => "time_ms",
    }
}

/// `Until` is serde's externally tagged derive (no hand-written reader);
/// checked here all the same, since scenarios are made of it.
#[test]
fn every_until_condition_round_trips() {
    let samples = [Until::LeaderElected, Until::AllLogsEqual, Until::Committed { index: 3 }, Until::TimeMs(5_000)];
    let seen = round_trip(&samples, until_name);
    assert_eq!(seen, names(&["leader_elected", "all_logs_equal", "committed", "time_ms"]));
    for bad in [r#""no_such_variant""#, r#"{"no_such_variant": 1}"#] {
        let err = serde_json::from_str::<Until>(bad).expect_err(bad).to_string();
        assert!(err.contains("unknown variant `no_such_variant`"), "{bad}: {err}");
    }
}
