//! Clients that pipeline requests and never read the answers (issue 13, point 2), against the
//! real binary on 127.0.0.1: the memory they cost is bounded per connection, and the server
//! drops them once its writes have made no progress for `--send-timeout`. Linux only (the
//! send timeout is the kernel's TCP_USER_TIMEOUT; RSS is read from /proc).

#[path = "common/server.rs"]
mod common;

use std::collections::HashSet;
use std::io::Write;
use std::time::{Duration, Instant};

/// Resident memory of a process, in KiB.
fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// The open sockets of a process (its listener included), as `socket:[INODE]`.
fn socket_set(pid: u32) -> HashSet<String> {
    std::fs::read_dir(format!("/proc/{pid}/fd"))
        .unwrap()
        .filter_map(|e| std::fs::read_link(e.ok()?.path()).ok())
        .map(|target| target.to_string_lossy().into_owned())
        .filter(|target| target.starts_with("socket:"))
        .collect()
}

/// How many sockets a process has open.
fn sockets(pid: u32) -> usize {
    socket_set(pid).len()
}

#[test]
fn pipelining_clients_that_never_read_are_bounded_and_dropped() {
    if !cfg!(target_os = "linux") {
        return;
    }
    // A long keep-alive, so only the send timeout can end these connections; a small send
    // buffer, so each stalls after a few answers.
    let server = common::Binary::start(&[
        "--send-timeout",
        "2",
        "--send-buffer",
        "65536",
        "--keep-alive",
        "60",
    ]);
    let pid = server.child.id();
    // Warm up the answer's code path so its one-off allocations are in the baseline.
    let one = "GET /quotes?limit=100&format=json HTTP/1.1\r\nHost: x\r\n\r\n";
    let at_rest = sockets(pid);
    assert_eq!(server.get("/quotes?limit=100&format=json").status, 200);
    // The warm-up's own connection may still be closing: wait (bounded) until it is gone.
    common::eventually(Duration::from_secs(2), || sockets(pid) <= at_rest);
    let idle = socket_set(pid);
    let idle_sockets = idle.len();
    let before = rss_kib(pid);

    let (clients, requests) = (24, 200);
    let started = Instant::now();
    let streams: Vec<std::net::TcpStream> = (0..clients)
        .map(|_| {
            let socket =
                socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
            // A small receive window, so the server's writes stall at once.
            socket.set_recv_buffer_size(4096).unwrap();
            socket.connect(&server.addr.into()).unwrap();
            let mut stream: std::net::TcpStream = socket.into();
            stream
                .set_write_timeout(Some(Duration::from_secs(5)))
                .unwrap();
            // 200 requests are 11 kB: they fit the server's receive buffer, so this returns.
            stream.write_all(one.repeat(requests).as_bytes()).unwrap();
            stream
        })
        .collect();

    // The server takes every connection (they do not just wait in the backlog), then drops
    // every one though none is ever read: bounded waits. The first ones may be dropped before
    // the last are taken on a busy machine, so every socket seen counts.
    let mut most = before;
    let mut taken = HashSet::new();
    let accepted = common::eventually(Duration::from_secs(5), || {
        most = most.max(rss_kib(pid));
        let now = socket_set(pid);
        taken.extend(now.difference(&idle).cloned());
        taken.len() >= clients
    });
    assert!(accepted, "only {} accepted", taken.len());
    let dropped = common::eventually(Duration::from_secs(15), || {
        most = most.max(rss_kib(pid));
        sockets(pid) <= idle_sockets
    });
    let took = started.elapsed();
    eprintln!("dropped after {took:?}; RSS {before} KiB, at most {most} KiB");
    assert!(
        dropped,
        "{} of {clients} connections still open after {took:?}",
        sockets(pid).saturating_sub(idle_sockets)
    );
    // What one stalled connection may hold (docs/http.md#operations): actix-http decodes
    // every request already read into a queue (about 3 KiB each, 200 here), plus its read and
    // write buffers and the answer being sent: about 1.3 MiB measured; allow 2 MiB.
    let grown = most.saturating_sub(before);
    assert!(
        grown <= clients as u64 * 2048,
        "RSS grew {grown} KiB for {clients} connections (from {before} KiB)"
    );
    drop(streams);
    // And the server still answers.
    assert_eq!(server.get("/healthz").status, 200);
}
