//! `ringraft ring ...` and `ringraft jump KEY BUCKETS`: the ring core from the
//! command line, printing JSON. Arguments are parsed by hand; every bad input
//! is a message on stderr and exit code 2, never a panic.

use crate::ring::{
    generate_keys, generate_keys_seeded, jump_hash, nodes_named, Algorithm, Change,
    ChangeReport, Placement, Settings, Stats,
};
use serde_json::json;

/// `ring`'s arguments: its `--help` and `ringraft help` print the same lines.
pub const RING_ARGS: &str = "ring --algo ring|modn|jump|rendezvous|maglev|bounded --nodes N
     [--vnodes V] [--keys K | --keys-file F] [--seed S] [--replicas R]
     [--epsilon E] [--table M] [--constant C]
     [--add NAME[:WEIGHT] | --remove NAME | --weight NAME:W] [--list]";

fn ring_usage() -> String {
    format!("usage: ringraft {}", RING_ARGS.replace('\n', "\n                "))
}
pub const JUMP_ARGS: &str = "jump KEY BUCKETS";

struct RingArgs {
    settings: Settings,
    nodes: usize,
    keys: usize,
    keys_file: Option<String>,
    seed: Option<u64>,
    replicas: Option<usize>,
    change: Option<Change>,
    list: bool,
}

fn num<T: std::str::FromStr>(flag: &str, v: &str) -> Result<T, String> {
    v.parse().map_err(|_| format!("{flag}: {v:?} is not a valid number"))
}

fn parse_weight(flag: &str, spec: &str, required: bool) -> Result<(String, f64), String> {
    let (name, weight) = match spec.split_once(':') {
        Some((n, w)) => (n, num::<f64>(flag, w)?),
        None if required => return Err(format!("{flag}: expected NAME:WEIGHT, got {spec:?}")),
        None => (spec, 1.0),
    };
    if name.is_empty() {
        return Err(format!("{flag}: node name is empty"));
    }
    if !(weight.is_finite() && weight >= 0.0) {
        return Err(format!("{flag}: weight {weight} must be a finite number >= 0"));
    }
    Ok((name.to_string(), weight))
}

fn parse_ring_args(args: &[String]) -> Result<RingArgs, String> {
    let mut a = RingArgs {
        settings: Settings::default(),
        nodes: 0,
        keys: 10_000,
        keys_file: None,
        seed: None,
        replicas: None,
        change: None,
        list: false,
    };
    let mut algo_given = false;
    let mut nodes_given = false;
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let flag = flag.as_str();
        if flag == "--list" {
            a.list = true;
            continue;
        }
        if flag == "-h" || flag == "--help" {
            return Err(String::new());
        }
        let value = it.next().ok_or_else(|| format!("{flag}: missing value"))?;
        let set_change = |a: &mut RingArgs, c: Change| {
            if a.change.is_some() {
                return Err("only one of --add, --remove, --weight may be given".to_string());
            }
            a.change = Some(c);
            Ok(())
        };
        match flag {
            "--algo" => {
                a.settings.algorithm = value.parse::<Algorithm>()?;
                algo_given = true;
            }
            "--nodes" => {
                a.nodes = num(flag, value)?;
                nodes_given = true;
            }
            "--vnodes" => a.settings.vnodes = num(flag, value)?,
            "--keys" => a.keys = num(flag, value)?,
            "--keys-file" => a.keys_file = Some(value.clone()),
            "--seed" => a.seed = Some(num(flag, value)?),
            "--replicas" => a.replicas = Some(num(flag, value)?),
            "--epsilon" => a.settings.epsilon = num(flag, value)?,
            "--table" => a.settings.table_size = Some(num(flag, value)?),
            "--constant" => a.settings.constant = num(flag, value)?,
            "--add" => {
                let (name, weight) = parse_weight(flag, value, false)?;
                set_change(&mut a, Change::Add { name, weight, vnodes: None })?;
            }
            "--remove" => {
                if value.is_empty() {
                    return Err("--remove: node name is empty".into());
                }
                set_change(&mut a, Change::Remove { name: value.clone() })?;
            }
            "--weight" => {
                let (name, weight) = parse_weight(flag, value, true)?;
                set_change(&mut a, Change::Reweight { name, weight })?;
            }
            _ => return Err(format!("unknown option {flag:?}")),
        }
    }
    if !algo_given {
        return Err("--algo is required".into());
    }
    if !nodes_given {
        return Err("--nodes is required".into());
    }
    if a.nodes == 0 {
        return Err("--nodes must be at least 1".into());
    }
    if a.nodes > 100_000 {
        return Err("--nodes: at most 100000".into());
    }
    if a.settings.vnodes == 0 {
        return Err("--vnodes must be at least 1".into());
    }
    if a.replicas == Some(0) {
        return Err("--replicas must be at least 1".into());
    }
    if a.keys_file.is_some() && args.iter().any(|x| x == "--keys") {
        return Err("give either --keys or --keys-file, not both".into());
    }
    Ok(a)
}

fn load_keys(a: &RingArgs) -> Result<Vec<String>, String> {
    match &a.keys_file {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| format!("--keys-file {path}: {e}"))?;
            // One key per line; blank lines are separators, not keys.
            Ok(text.lines().map(|l| l.trim_end_matches('\r')).filter(|l| !l.is_empty()).map(String::from).collect())
        }
        None => Ok(match a.seed {
            Some(seed) => generate_keys_seeded(a.keys, seed),
            None => generate_keys(a.keys),
        }),
    }
}

/// Replica load: how many keys list each node among their first R replicas.
fn replica_summary(p: &Placement, keys: &[String], r: usize) -> serde_json::Value {
    let mut counts = vec![0usize; p.nodes().len()];
    for k in keys {
        match p.preference_list(k, r) {
            Some(list) => list.into_iter().for_each(|n| counts[n] += 1),
            None => return json!(null),
        }
    }
    let per_node: serde_json::Map<String, serde_json::Value> =
        p.nodes().iter().zip(counts).map(|(n, c)| (n.name.clone(), json!(c))).collect();
    json!({ "replicas": r, "per_node": per_node })
}

fn replica_changes(before: &Placement, after: &Placement, keys: &[String], r: usize) -> serde_json::Value {
    let mut changed = 0usize;
    for k in keys {
        let names = |p: &Placement| -> Option<Vec<String>> {
            p.preference_list(k, r).map(|l| l.into_iter().map(|i| p.node_name(i).to_string()).collect())
        };
        match (names(before), names(after)) {
            (Some(x), Some(y)) => changed += (x != y) as usize,
            _ => return json!(null),
        }
    }
    json!({ "keys_with_changed_preference_list": changed })
}

fn run_ring(a: &RingArgs) -> Result<serde_json::Value, String> {
    let keys = load_keys(a)?;
    let before = Placement::new(nodes_named(a.nodes), a.settings.clone()).map_err(|e| e.to_string())?;
    let mut out = json!({
        "algorithm": a.settings.algorithm,
        "label": a.settings.algorithm.label(),
        "settings": a.settings,
        "keys": keys.len(),
    });
    match &a.change {
        None => {
            out["before"] = json!(Stats::of(&before, &keys));
            if let Some(r) = a.replicas {
                out["replicas_before"] = replica_summary(&before, &keys, r);
            }
        }
        Some(change) => {
            let report = ChangeReport::new(&before, change, &keys).map_err(|e| e.to_string())?;
            let after = before.with_change(change).map_err(|e| e.to_string())?;
            let m = &report.migration;
            let mut mig = json!({
                "moved": m.moved,
                "moved_fraction": m.moved_fraction,
                "ideal_fraction": m.ideal_fraction,
                "minimum_fraction": m.minimum_fraction,
                "flows": m.flows,
            });
            if let Some(arcs) = &m.arcs {
                mig["arcs_changed"] = json!(arcs.len());
                mig["arcs_fraction"] = json!(m.arcs_fraction);
                if a.list {
                    mig["arcs"] = json!(arcs);
                }
            }
            if a.list {
                mig["moves"] = json!(m.moves);
            }
            out["change"] = json!(change);
            out["before"] = json!(report.before);
            out["after"] = json!(report.after);
            out["migration"] = mig;
            if let Some(r) = a.replicas {
                out["replicas_before"] = replica_summary(&before, &keys, r);
                out["replicas_after"] = replica_summary(&after, &keys, r);
                out["replica_migration"] = replica_changes(&before, &after, &keys, r);
            }
        }
    }
    Ok(out)
}

/// `ringraft ring [options]`. Returns the process exit code.
pub fn ring_main(args: &[String]) -> i32 {
    let parsed = match parse_ring_args(args) {
        Ok(a) => a,
        Err(msg) if msg.is_empty() => {
            out!("{}", ring_usage());
            return 0;
        }
        Err(msg) => {
            eprintln!("ring: {msg}\n{}", ring_usage());
            return 2;
        }
    };
    match run_ring(&parsed) {
        Ok(v) => match serde_json::to_string_pretty(&v) {
            Ok(s) => {
                out!("{s}");
                0
            }
            Err(e) => {
                eprintln!("ring: cannot encode JSON: {e}");
                2
            }
        },
        Err(msg) => {
            eprintln!("ring: {msg}");
            2
        }
    }
}

/// Parses a 64-bit key in decimal or 0x-prefixed hex.
fn parse_u64(s: &str) -> Option<u64> {
    match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => s.parse().ok(),
    }
}

/// `ringraft jump KEY BUCKETS`: prints the bucket of a 64-bit key.
pub fn jump_main(args: &[String]) -> i32 {
    const USAGE: &str = "usage: ringraft jump KEY BUCKETS   (KEY: u64, decimal or 0x hex; BUCKETS: 1..=2^31-1)";
    if matches!(args, [h] if h == "-h" || h == "--help") {
        out!("{USAGE}");
        return 0;
    }
    if args.len() != 2 {
        eprintln!("jump: expected 2 arguments\n{USAGE}");
        return 2;
    }
    let Some(key) = parse_u64(&args[0]) else {
        eprintln!("jump: KEY {:?} is not a 64-bit unsigned integer\n{USAGE}", args[0]);
        return 2;
    };
    let Some(bucket) = args[1].parse::<u32>().ok().and_then(|b| jump_hash(key, b)) else {
        eprintln!("jump: BUCKETS {:?} must be an integer from 1 to {}\n{USAGE}", args[1], crate::ring::MAX_BUCKETS);
        return 2;
    };
    out!("{bucket}");
    0
}
