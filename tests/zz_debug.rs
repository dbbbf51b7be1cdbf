use ringraft::sim::*;
#[test]
#[ignore]
fn dbg() {
    let text = std::fs::read_to_string(std::env::var("SC").unwrap()).unwrap();
    let sc = Scenario::from_json(&text).unwrap();
    let mut w = World::new(&sc);
    while w.violation_count() == 0 && w.step() {}
    let v = &w.violations()[0];
    println!("{:?}", v);
    for &o in &v.ops {
        println!("{:?}", w.ops()[(o - 1) as usize]);
    }
    let key = w.ops()[(v.ops[0]-1) as usize].command.key().unwrap().to_string();
    for o in w.ops().iter().filter(|o| o.command.key() == Some(&key)).rev().take(12) { println!("  {:?}", o); }
}
#[test]
#[ignore]
fn windows() {
    let text = std::fs::read_to_string(std::env::var("SC").unwrap()).unwrap();
    let sc = Scenario::from_json(&text).unwrap();
    let mut w = World::new(&sc);
    let mut n = 0;
    while w.step() { n += 1; if n % 200 == 0 { println!("{} t={} {:?}", n, w.now(), w.debug_windows()); } if n > 6000 {break;} }
}
