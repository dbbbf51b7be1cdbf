//! Same seed + same actions ⇒ same run, natively and in wasm: every bundled
//! scenario's trace hash after 5 s of virtual time must equal the value in
//! tests/golden/trace_hashes.json, which tests/wasm.rs checks in the browser too.
//! After an intended change to the simulator, regenerate with
//! `UPDATE_GOLDEN=1 cargo test --test determinism_golden`.

use ringraft::sim::{presets, Sim};

fn hashes() -> Vec<(String, String)> {
    presets::all()
        .into_iter()
        .map(|(name, json)| {
            let mut sim = Sim::from_json(json).expect("preset parses");
            sim.run_until(5_000_000);
            (name.to_string(), format!("{:016x}", sim.trace_hash()))
        })
        .collect()
}

#[test]
fn trace_hashes_match_the_golden_file() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/trace_hashes.json");
    let got = hashes();
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        let map: serde_json::Map<String, serde_json::Value> =
            got.iter().map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone()))).collect();
        std::fs::write(path, serde_json::to_string_pretty(&map).unwrap() + "\n").unwrap();
        return;
    }
    let golden: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(path).expect("golden file")).expect("golden JSON");
    assert_eq!(golden.len(), got.len(), "one golden hash per preset");
    for (name, hash) in got {
        assert_eq!(golden.get(&name).and_then(|v| v.as_str()), Some(hash.as_str()), "trace hash of {name}");
    }
}

#[test]
fn two_runs_hash_the_same() {
    assert_eq!(hashes(), hashes());
}
