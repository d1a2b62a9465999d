//! Broken `--quotes` files against the real binary: FIFOs that would block a read, files
//! that turn into directories or broken links, empty files, `check` errors and duplicate ids.
//! Every wait is bounded; the server listens on 127.0.0.1 only.

#[path = "common/server.rs"]
mod common;

use common::{Binary, eventually, request, total};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().expect("mkfifo");
    assert!(status.success());
}

fn reloads(server: &Binary, result: &str) -> bool {
    server
        .get("/metrics")
        .text()
        .contains(&format!("epigraph_reloads_total{{result=\"{result}\"}} 1"))
}

/// SIGTERM, then the exit code and how long it took, and the log.
fn stop(mut server: Binary) -> (Option<i32>, Duration, String) {
    let asked = Instant::now();
    server.signal("TERM");
    let code = server.wait(Duration::from_secs(10));
    let took = asked.elapsed();
    (code, took, server.stderr())
}

#[test]
fn a_fifo_as_quotes_does_not_hang_the_start() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.fortune");
    mkfifo(&fifo);
    // Binary::start gives up after 20 s; a start that blocked on the FIFO never answers.
    let server = Binary::start(&["--quotes", fifo.to_str().unwrap()]);
    assert_eq!(server.get("/healthz").status, 200);
    let (code, _, log) = stop(server);
    assert_eq!(code, Some(0), "{log}");
    let expected = format!(
        "{}: error: cannot read: a FIFO (named pipe), not a regular file",
        fifo.display()
    );
    assert!(log.contains(&expected), "{log}");
}

#[test]
fn a_fifo_in_a_quotes_directory_is_skipped_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("good.fortune"), "A good extra quote.\n%\n").unwrap();
    let fifo = dir.path().join("pipe.fortune");
    mkfifo(&fifo);
    let server = Binary::start(&["--quotes", dir.path().to_str().unwrap()]);
    assert_eq!(total(&server, "good"), 1);
    let (code, _, log) = stop(server);
    assert_eq!(code, Some(0), "{log}");
    let expected = format!(
        "{}: warning: skipped: a FIFO (named pipe), not a regular file",
        fifo.display()
    );
    assert!(log.contains(&expected), "{log}");
}

#[test]
fn a_file_replaced_by_a_fifo_neither_jams_reloads_nor_shutdown() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("house.fortune");
    std::fs::write(&file, "The first house quote.\n%\n").unwrap();
    let server = Binary::start(&["--quotes", file.to_str().unwrap()]);
    assert_eq!(total(&server, "house"), 1);

    std::fs::remove_file(&file).unwrap();
    mkfifo(&file);
    server.signal("HUP");
    assert!(eventually(Duration::from_secs(10), || reloads(
        &server, "error"
    )));
    assert_eq!(total(&server, "house"), 1);

    // The next reload is not stuck behind the first: the file is back and it succeeds.
    std::fs::remove_file(&file).unwrap();
    std::fs::write(&file, "The first house quote.\n%\nA second one.\n%\n").unwrap();
    server.signal("HUP");
    assert!(eventually(Duration::from_secs(10), || total(
        &server, "house"
    ) == 2));

    std::fs::remove_file(&file).unwrap();
    mkfifo(&file);
    server.signal("HUP");
    let (code, took, log) = stop(server);
    assert_eq!(code, Some(0), "{log}");
    assert!(took < Duration::from_secs(5), "SIGTERM took {took:?}");
    assert!(
        log.contains("a FIFO (named pipe), not a regular file"),
        "{log}"
    );
}

#[test]
fn a_collection_that_turns_into_a_directory_is_named_on_reload() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("keep.fortune"), "A kept quote.\n%\n").unwrap();
    let file = dir.path().join("house.fortune");
    std::fs::write(&file, "The first house quote.\n%\n").unwrap();
    let server = Binary::start(&["--quotes", dir.path().to_str().unwrap()]);
    assert_eq!(total(&server, "house"), 1);
    std::fs::remove_file(&file).unwrap();
    std::fs::create_dir(&file).unwrap();
    server.signal("HUP");
    assert!(eventually(Duration::from_secs(10), || reloads(
        &server, "ok"
    )));
    assert_eq!(total(&server, "house"), 0);
    assert_eq!(total(&server, "keep"), 1);
    let (code, _, log) = stop(server);
    assert_eq!(code, Some(0), "{log}");
    let expected = format!(
        "{}: warning: collection house had 1 quote(s) and is gone after the reload: it is now \
         a directory",
        file.display()
    );
    assert!(log.contains(&expected), "{log}");
}

#[test]
fn strict_reload_refuses_a_dangling_link_and_an_empty_file_and_keeps_the_old_quotes() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("target.txt");
    std::fs::write(&target, "A linked quote.\n%\nAnother.\n%\n").unwrap();
    let quotes = dir.path().join("quotes");
    std::fs::create_dir(&quotes).unwrap();
    let link = quotes.join("linked.fortune");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let server = Binary::start_with_env(
        &["--quotes", quotes.to_str().unwrap()],
        &[("EPIGRAPH_STRICT_RELOAD", "1")],
    );
    assert_eq!(total(&server, "linked"), 2);
    std::fs::remove_file(&target).unwrap();
    server.signal("HUP");
    assert!(eventually(Duration::from_secs(10), || reloads(
        &server, "error"
    )));
    assert_eq!(total(&server, "linked"), 2);
    let (code, _, log) = stop(server);
    assert_eq!(code, Some(0), "{log}");
    assert!(log.contains("still serving the previous"), "{log}");
    let refused = format!(
        "{}: error: collection linked had 2 quote(s) and is gone after the reload: it is now a \
         dangling symbolic link (its target does not exist) (--strict-reload)",
        link.display()
    );
    assert!(log.contains(&refused), "{log}");

    // An empty file: a warning at start, and a refused reload once it has lost its quotes.
    let file = dir.path().join("later.fortune");
    std::fs::write(&file, "%\n%\n").unwrap();
    let server = Binary::start(&["--strict-reload", "--quotes", file.to_str().unwrap()]);
    std::fs::write(&file, "Now a quote.\n%\n").unwrap();
    server.signal("HUP");
    assert!(eventually(Duration::from_secs(10), || reloads(
        &server, "ok"
    )));
    std::fs::write(&file, "").unwrap();
    server.signal("HUP");
    assert!(eventually(Duration::from_secs(10), || reloads(
        &server, "error"
    )));
    assert_eq!(total(&server, "later"), 1);
    let (code, _, log) = stop(server);
    assert_eq!(code, Some(0), "{log}");
    let warned = format!(
        "{}: warning: no quotes in this file (empty, or only `%` lines)",
        file.display()
    );
    let refused = format!(
        "{}: error: no quotes in this file (empty, or only `%` lines) (--strict-reload)",
        file.display()
    );
    assert!(log.contains(&warned), "{log}");
    assert!(log.contains(&refused), "{log}");
}

#[test]
fn check_problems_are_logged_with_lines_and_a_duplicate_id_is_served_once() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("first.fortune");
    let second = dir.path().join("second.fortune");
    std::fs::write(&first, "Shared words.\n%\nOnly in the first.\n%\n").unwrap();
    std::fs::write(&second, "%% colour: red\n%\nShared words.\n%\n").unwrap();
    let server = Binary::start(&["--quotes", dir.path().to_str().unwrap()]);
    assert_eq!(total(&server, "first"), 2);
    assert_eq!(total(&server, "second"), 0);
    let found = request(
        server.addr,
        "GET",
        "/search?q=shared+words",
        &[("Accept", "application/json")],
    )
    .json();
    assert_eq!(found["total"], 1, "{found}");

    // A reload logs them again (and the same file now repeats itself).
    std::fs::write(
        &second,
        "%% colour: red\n%\nShared words.\n%\nTwice.\n%\nTwice.\n%\n",
    )
    .unwrap();
    server.signal("HUP");
    assert!(eventually(Duration::from_secs(10), || reloads(
        &server, "ok"
    )));
    assert_eq!(total(&server, "second"), 1);
    let (code, _, log) = stop(server);
    assert_eq!(code, Some(0), "{log}");
    let unknown = format!(
        "{}:1: warning: check: unknown metadata key \"colour\"",
        second.display()
    );
    let duplicate = format!(
        "{}:3: warning: check: duplicate of {}:1 (id ",
        second.display(),
        first.display()
    );
    let twice = format!(
        "{}:7: warning: check: duplicate of {}:5 (id ",
        second.display(),
        second.display()
    );
    assert_eq!(log.matches(&unknown).count(), 2, "{log}");
    assert_eq!(log.matches(&duplicate).count(), 2, "{log}");
    assert_eq!(log.matches(&twice).count(), 1, "{log}");
}
