//! Ring benchmarks: lookup cost per algorithm, build/rebuild cost, and the
//! balance sweep the page redraws live. Run: cargo bench --bench ring
//!
//! Plain `Instant` timing: each case runs in five batches (≥ 200 ms in all)
//! and reports the best batch's mean per call. Lookups take precomputed key
//! hashes so the figures are the placement cost alone; hashing a key is
//! measured on its own line.

use ringraft::ring::*;
use std::hint::black_box;
use std::time::{Duration, Instant};

const LOOKUP_KEYS: usize = 4096;

/// Time per call of `f`: five batches of ≥ `min`/5 each, best batch mean.
/// The best batch, because the machine is shared and noise only adds time.
fn time_per_call(min: Duration, mut f: impl FnMut()) -> Duration {
    f(); // warm-up
    (0..5)
        .map(|_| {
            let mut calls = 0u32;
            let start = Instant::now();
            loop {
                f();
                calls += 1;
                let el = start.elapsed();
                if el >= min / 5 {
                    return el / calls;
                }
            }
        })
        .min()
        .unwrap_or_default()
}

/// ns per lookup over a fixed set of key hashes.
fn lookup_ns(p: &Placement, hashes: &[u64]) -> f64 {
    let per_round = time_per_call(Duration::from_millis(200), || {
        let mut acc = 0usize;
        for &h in hashes {
            acc = acc.wrapping_add(p.lookup_hash(black_box(h)));
        }
        black_box(acc);
    });
    per_round.as_nanos() as f64 / hashes.len() as f64
}

fn build_ms(n: usize, settings: &Settings) -> f64 {
    let nodes = nodes_named(n);
    let t = time_per_call(Duration::from_millis(200), || {
        black_box(Placement::new(nodes.clone(), settings.clone()).unwrap());
    });
    t.as_secs_f64() * 1e3
}

fn rebuild_ms(p: &Placement) -> f64 {
    let add = Change::Add { name: "NEW".into(), weight: 1.0, vnodes: None };
    let t = time_per_call(Duration::from_millis(200), || {
        black_box(p.with_change(&add).unwrap());
    });
    t.as_secs_f64() * 1e3
}

fn row(name: &str, nodes: usize, extra: &str, lookup: Option<f64>, build: f64, rebuild: f64) {
    let l = lookup.map(|x| format!("{x:>9.1}")).unwrap_or_else(|| format!("{:>9}", "-"));
    println!("{name:<22} {nodes:>6} {extra:>14} {l} {build:>12.3} {rebuild:>12.3}");
}

fn main() {
    let keys = generate_keys_seeded(LOOKUP_KEYS, 1);
    let hashes: Vec<u64> = keys.iter().map(|k| hash_key(k)).collect();

    let t = time_per_call(Duration::from_millis(200), || {
        for k in &keys {
            black_box(hash_key(black_box(k)));
        }
    });
    println!("hash_key (xxh3_64 of ~18-byte key): {:.1} ns/key\n", t.as_nanos() as f64 / keys.len() as f64);

    println!("{:<22} {:>6} {:>14} {:>9} {:>12} {:>12}", "algorithm", "nodes", "detail", "ns/lookup", "build ms", "rebuild ms");
    println!("{}", "-".repeat(80));

    let mut ring_rows = Vec::new();
    for n in [10, 100, 1000] {
        let s = Settings { vnodes: 100, ..Settings::new(Algorithm::Ring) };
        let p = Placement::with_nodes(n, s.clone()).unwrap();
        let ns = lookup_ns(&p, &hashes);
        ring_rows.push((n * 100, ns));
        row("ring", n, &format!("{} points", n * 100), Some(ns), build_ms(n, &s), rebuild_ms(&p));
    }
    for n in [10, 100, 1000] {
        let s = Settings::new(Algorithm::ModN);
        let p = Placement::with_nodes(n, s.clone()).unwrap();
        row("modn (seed's formula)", n, "", Some(lookup_ns(&p, &hashes)), build_ms(n, &s), rebuild_ms(&p));
    }
    for n in [10, 100, 1000] {
        let s = Settings::new(Algorithm::Jump);
        let p = Placement::with_nodes(n, s.clone()).unwrap();
        row("jump", n, "", Some(lookup_ns(&p, &hashes)), build_ms(n, &s), rebuild_ms(&p));
    }
    for n in [10, 100] {
        let s = Settings::new(Algorithm::Rendezvous);
        let p = Placement::with_nodes(n, s.clone()).unwrap();
        row("rendezvous", n, "O(n) scores", Some(lookup_ns(&p, &hashes)), build_ms(n, &s), rebuild_ms(&p));
    }
    for n in [10, 100, 1000] {
        let s = Settings::new(Algorithm::Maglev);
        let p = Placement::with_nodes(n, s.clone()).unwrap();
        let m = p.maglev().unwrap().table_size();
        row("maglev", n, &format!("M={m}"), Some(lookup_ns(&p, &hashes)), build_ms(n, &s), rebuild_ms(&p));
    }
    // Bounded loads has no per-key lookup: it places the whole key set.
    for (n, k) in [(10, 10_000), (100, 10_000), (100, 100_000)] {
        let s = Settings { epsilon: 0.25, ..Settings::new(Algorithm::Bounded) };
        let p = Placement::with_nodes(n, s.clone()).unwrap();
        let ks = generate_keys(k);
        let t = time_per_call(Duration::from_millis(300), || {
            black_box(p.assign(black_box(&ks)));
        });
        let per_key = t.as_nanos() as f64 / k as f64;
        row("bounded (assign)", n, &format!("{k} keys"), Some(per_key), build_ms(n, &s), rebuild_ms(&p));
    }
    println!("(bounded: ns per key of a whole assign(), key hashing and sorting included)");

    println!("\nring lookup vs log2(points): ns / log2(points)");
    for (points, ns) in &ring_rows {
        let lg = (*points as f64).log2();
        println!("  {points:>7} points  log2={lg:>5.2}  {ns:>6.1} ns  {:.2} ns/level", ns / lg);
    }

    println!("\nexplain + stats (what the page calls per interaction)");
    let p = Placement::with_nodes(64, Settings::default()).unwrap();
    let t = time_per_call(Duration::from_millis(200), || {
        black_box(p.explain(black_box("key-42"), &[], 3));
    });
    println!("  ring explain (64 nodes x 100 vnodes, 3 replicas): {:.2} us", t.as_secs_f64() * 1e6);
    let k10 = generate_keys(10_000);
    let add = Change::Add { name: "NEW".into(), weight: 1.0, vnodes: None };
    let t = time_per_call(Duration::from_millis(300), || {
        black_box(ChangeReport::new(&p, &add, &k10).unwrap());
    });
    println!("  ChangeReport ring 64 nodes, 10k keys (stats x2 + migration + arcs): {:.2} ms", t.as_secs_f64() * 1e3);
    let t = time_per_call(Duration::from_millis(300), || {
        black_box(compare_algorithms(&nodes_named(8), &Settings::default(), &add, &k10).unwrap());
    });
    println!("  compare_algorithms, 8 nodes, 10k keys, all 6 algorithms: {:.2} ms", t.as_secs_f64() * 1e3);

    println!("\nbalance sweep: 64 nodes, 10 000 keys");
    let counts = [1, 5, 10, 20, 50, 100, 200, 500, 1000];
    let nodes = nodes_named(64);
    let mut last = Vec::new();
    let t = time_per_call(Duration::from_millis(500), || {
        last = balance_sweep(&nodes, &k10, &counts).unwrap();
    });
    println!("  whole sweep over {counts:?}: {:.2} ms", t.as_secs_f64() * 1e3);
    println!("  {:>6} {:>8} {:>8} {:>8} {:>10}", "vnodes", "sd/mean", "arc cv", "1/sqrt v", "peak/mean");
    for s in &last {
        println!("  {:>6} {:>8.4} {:>8.4} {:>8.4} {:>10.3}", s.vnodes, s.cv, s.arc_cv, s.expected_cv, s.peak_over_mean);
    }
}
