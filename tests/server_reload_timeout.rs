//! The reload deadline (`--reload-timeout`, issue 13 point 12), against the real binary on
//! 127.0.0.1: a SIGHUP reload that reads for longer is given up on, the old quotes keep
//! serving (also once the slow read has ended), and SIGTERM still stops the process at once.

#[path = "common/server.rs"]
mod common;

use common::{Binary, eventually, total};
use std::time::{Duration, Instant};

/// A `--quotes` directory with a two-quote collection `small`.
fn quotes_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("small.txt"), "One.\n%\nTwo.\n%\n").unwrap();
    dir
}

/// Adds `big.txt`, a collection that takes the debug build seconds to read and check.
fn add_slow_collection(dir: &std::path::Path) {
    let mut text = String::new();
    for i in 0..40_000 {
        text.push_str(&format!(
            "Saying number {i}, written to be read slowly.\n\t-- Author {}, Work {i}\n%\n",
            i % 977
        ));
    }
    std::fs::write(dir.join("big.txt"), text).unwrap();
}

fn failed_reloads(server: &Binary) -> u64 {
    let metrics = server.get("/metrics").text();
    metrics
        .lines()
        .find_map(|l| l.strip_prefix("epigraph_reloads_total{result=\"error\"} "))
        .map_or(0, |n| n.trim().parse().unwrap())
}

/// CPU time the process has used, in clock ticks.
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap()
        .split_whitespace()
        .collect();
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}

/// Starts the server on `dir`, adds the slow collection, sends SIGHUP, and waits until the
/// reload has been given up on (checking it was not before its deadline of 1 s).
fn give_up_a_reload(dir: &std::path::Path) -> Binary {
    let server = Binary::start(&["--reload-timeout", "1", "--quotes", dir.to_str().unwrap()]);
    assert_eq!(total(&server, "small"), 2);
    add_slow_collection(dir);
    let sent = Instant::now();
    server.signal("HUP");
    assert!(
        eventually(Duration::from_secs(8), || failed_reloads(&server) == 1),
        "the reload was not given up on"
    );
    assert!(
        sent.elapsed() >= Duration::from_millis(900),
        "{:?}",
        sent.elapsed()
    );
    assert_eq!(total(&server, "small"), 2);
    assert_eq!(total(&server, "big"), 0);
    server
}

#[test]
fn sigterm_stops_the_process_while_a_given_up_reload_still_reads() {
    let dir = quotes_dir();
    let mut server = give_up_a_reload(dir.path());
    let pid = server.child.id();
    // The reading thread is still busy: the process keeps using CPU.
    let before = cpu_ticks(pid);
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        cpu_ticks(pid) > before,
        "the slow read ended too soon to test"
    );
    let sent = Instant::now();
    server.signal("TERM");
    let report = server.report();
    let code = server.wait(Duration::from_secs(10));
    assert!(
        code == Some(0) && sent.elapsed() < Duration::from_secs(3),
        "exit {code:?} after {:?}; at the signal, {report}",
        sent.elapsed()
    );
    let stderr = server.stderr();
    assert!(
        stderr.contains("reload gave no result within 1 s; still serving the previous"),
        "{stderr}"
    );
}

#[test]
fn what_a_given_up_reload_reads_late_is_never_served() {
    let dir = quotes_dir();
    let server = give_up_a_reload(dir.path());
    let pid = server.child.id();
    // Wait (bounded) until the slow read has ended: the process stops using CPU.
    let mut last = cpu_ticks(pid);
    let idle = eventually(Duration::from_secs(40), || {
        std::thread::sleep(Duration::from_millis(450));
        let now = cpu_ticks(pid);
        std::mem::replace(&mut last, now) == now
    });
    assert!(idle, "the slow read did not end");
    assert_eq!(total(&server, "small"), 2);
    assert_eq!(total(&server, "big"), 0);
    assert_eq!(failed_reloads(&server), 1);
}
