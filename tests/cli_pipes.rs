//! Every subcommand that writes to stdout, against a reader that is already gone (a quiet
//! status 0: `epigraph | head -1` is normal use) and against a full disk (one error line,
//! status 1). The pipe's read end is closed before the child starts, so the first write always
//! meets EPIPE: no race with a reader that might still take the bytes.

use std::fs::File;
use std::process::{Command, Output, Stdio};

const FULL: &str = "epigraph: writing output: No space left on device (os error 28)\n";

fn run(args: &[&str], stdout: Stdio) -> Output {
    Command::new(env!("CARGO_BIN_EXE_epigraph"))
        .args(args)
        .env_remove("EPIGRAPH_PATH")
        .env_remove("FORTUNE_PATH")
        .env_remove("EPIGRAPH_MOTD_WIDTH")
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(Stdio::piped())
        .output()
        .expect("run epigraph")
}

/// Runs with stdout the write end of a pipe whose reader has exited: the stdin of a `true`
/// that has been waited for (std's own `io::pipe` is newer than the crate's MSRV).
fn closed_pipe(args: &[&str]) -> Output {
    let mut reader = Command::new("true")
        .stdin(Stdio::piped())
        .spawn()
        .expect("run true");
    let writer = reader.stdin.take().expect("piped stdin");
    assert!(reader.wait().expect("wait for true").success());
    run(args, Stdio::from(writer))
}

fn full_disk(args: &[&str]) -> Output {
    let full = File::options()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full exists on Linux");
    run(args, Stdio::from(full))
}

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

/// A collection `check` finds an error in, so that it has something to print on stdout.
fn bad_collection() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("twice");
    std::fs::write(&path, "Said once.\n%\nSaid once.\n%\n").unwrap();
    let path = path.display().to_string();
    (dir, path)
}

/// Every command line that writes to stdout (`-m` apart, below).
fn writers(bad: &str) -> Vec<Vec<String>> {
    let mut cases: Vec<Vec<&str>> = vec![
        vec![],
        vec!["pratchett"],
        vec!["--json"],
        vec!["--today", "--width", "40"],
        vec!["-c", "tax-forms"],
        vec!["--version"],
        vec!["-v"],
        vec!["--help"],
        vec!["-h"],
        vec!["help"],
        vec!["help", "serve"],
        vec!["serve", "--help"],
        vec!["list"],
        vec!["list", "--json"],
        vec!["check", bad],
        vec!["check", "--json"],
        vec!["motd"],
        vec!["motd", "--box"],
        vec!["man"],
    ];
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        cases.push(vec!["completions", shell]);
    }
    cases
        .into_iter()
        .map(|c| c.into_iter().map(String::from).collect())
        .collect()
}

#[test]
fn a_closed_pipe_is_a_quiet_success() {
    let (_dir, bad) = bad_collection();
    for args in writers(&bad) {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = closed_pipe(&args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        assert_eq!(stderr(&out), "", "{args:?}");
    }
}

#[test]
fn a_full_disk_is_one_error_line_and_status_1() {
    let (_dir, bad) = bad_collection();
    for args in writers(&bad) {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = full_disk(&args);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
        assert_eq!(stderr(&out), FULL, "{args:?}");
    }
}

/// `-m` writes a `(name)` and `%` header per file on stderr, as fortune-mod does, before that
/// file's matches reach stdout; the header is output, not an error. After it, nothing more.
#[test]
fn search_stops_after_its_first_header() {
    let header = "(article-lines)\n%\n";
    let out = closed_pipe(&["-m", "the"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stderr(&out), header);
    let out = full_disk(&["-m", "the"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr(&out), format!("{header}{FULL}"));
}
