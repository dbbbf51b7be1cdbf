//! `ringraft ring` / `ringraft jump` exit codes, called in-process.

use ringraft::cli::ring::{jump_main, ring_main};

fn args(s: &str) -> Vec<String> {
    s.split_whitespace().map(String::from).collect()
}

#[test]
fn bad_ring_arguments_exit_2() {
    for bad in [
        "",
        "--algo",
        "--algo foo --nodes 4",
        "--algo ring",
        "--algo ring --nodes x",
        "--algo ring --nodes 0",
        "--algo ring --nodes -3",
        "--algo ring --nodes 4 --vnodes 0",
        "--algo ring --nodes 4 --vnodes abc",
        "--algo ring --nodes 4 --keys 1.5",
        "--algo ring --nodes 4 --remove Z",
        "--algo ring --nodes 4 --add A",
        "--algo ring --nodes 4 --add E:heavy",
        "--algo ring --nodes 4 --add E:-1",
        "--algo ring --nodes 4 --weight A",
        "--algo ring --nodes 4 --weight Q:2",
        "--algo ring --nodes 4 --add E --remove A",
        "--algo ring --nodes 4 --keys-file /definitely/not/here",
        "--algo ring --nodes 4 --replicas 0",
        "--algo bounded --nodes 4 --epsilon -1",
        "--algo bounded --nodes 4 --epsilon nan",
        "--algo maglev --nodes 4 --table 100",
        "--algo maglev --nodes 4 --table 3",
        "--algo ring --nodes 1 --remove A",
        "--algo ring --nodes 4 --frobnicate 3",
        "--algo ring --nodes 4 --weight A:0 --keys 10",
    ] {
        // The last one drains A, which is allowed: exit 0.
        let expected = if bad.ends_with("--weight A:0 --keys 10") { 0 } else { 2 };
        assert_eq!(ring_main(&args(bad)), expected, "ringraft ring {bad}");
    }
}

#[test]
fn good_ring_arguments_exit_0() {
    let file = std::env::temp_dir().join(format!("ringraft-ring-cli-{}.txt", std::process::id()));
    std::fs::write(&file, "alpha\nbeta\r\n\ngamma\n").unwrap();
    for ok in [
        "--algo ring --nodes 4 --keys 200".to_string(),
        "--algo ring --nodes 4 --keys 200 --add E:2 --replicas 3 --list".into(),
        "--algo modn --nodes 4 --keys 200 --add E --constant 9".into(),
        "--algo jump --nodes 5 --keys 200 --remove B".into(),
        "--algo rendezvous --nodes 4 --keys 200 --weight A:3 --seed 42".into(),
        "--algo maglev --nodes 4 --keys 200 --table 401 --remove A".into(),
        "--algo bounded --nodes 4 --keys 200 --epsilon 0.1 --add E".into(),
        format!("--algo ring --nodes 3 --keys-file {} --add D", file.display()),
    ] {
        assert_eq!(ring_main(&args(&ok)), 0, "ringraft ring {ok}");
    }
    let _ = std::fs::remove_file(file);
}

#[test]
fn jump_command() {
    assert_eq!(jump_main(&args("1 10")), 0);
    assert_eq!(jump_main(&args("0xdeadbeef 1000")), 0);
    for bad in ["", "1", "1 2 3", "x 10", "1 0", "1 -5", "-1 10", "1 4294967295", "0xZZ 3"] {
        assert_eq!(jump_main(&args(bad)), 2, "ringraft jump {bad}");
    }
}
