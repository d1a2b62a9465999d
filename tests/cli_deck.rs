//! `epigraph --deck` with the real binary and a temporary `$XDG_STATE_HOME`: n runs over n
//! quotes show n different quotes, a garbage or
//! missing state starts afresh silently, concurrent runs neither corrupt the state nor repeat,
//! and each set of files and filters keeps a deck of its own.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A collection file of `n` one-line quotes, `Quote number i.`.
fn collection(dir: &Path, n: usize) -> PathBuf {
    let path = dir.join("numbers.fortune");
    let text: String = (0..n).map(|i| format!("Quote number {i}.\n%\n")).collect();
    std::fs::write(&path, text).unwrap();
    path
}

fn run(state: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_epigraph"))
        .arg("--deck")
        .args(args)
        .env("XDG_STATE_HOME", state)
        .env_remove("EPIGRAPH_PATH")
        .output()
        .expect("run epigraph")
}

/// The quote a run printed; the run must succeed quietly.
fn shown(output: &Output) -> String {
    assert!(output.status.success(), "{output:?}");
    assert_eq!(String::from_utf8_lossy(&output.stderr), "", "no complaint");
    String::from_utf8(output.stdout.clone()).unwrap()
}

/// The state files (not the lock files) under `state/epigraph`.
fn state_files(state: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(state.join("epigraph"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_str().unwrap();
            name.starts_with("deck-") && !name.ends_with(".lock")
        })
        .collect();
    files.sort();
    files
}

/// Whether a state file holds one deck token (lowercase hex, the fixed part and a position).
fn holds_a_token(path: &Path) -> bool {
    let text = std::fs::read_to_string(path).unwrap();
    let token = text.strip_suffix('\n').unwrap_or("");
    token.len() > 40
        && token
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

#[test]
fn three_hundred_runs_show_three_hundred_quotes() {
    let dir = tempfile::tempdir().unwrap();
    let file = collection(dir.path(), 300);
    let file = file.to_str().unwrap();
    let state = dir.path().join("state");
    let expected: BTreeSet<String> = (0..300).map(|i| format!("Quote number {i}.\n")).collect();
    let seen: Vec<String> = (0..300).map(|_| shown(&run(&state, &[file]))).collect();
    let distinct: BTreeSet<String> = seen.iter().cloned().collect();
    assert_eq!(distinct, expected, "each quote once");
    // Then a new pass begins: the next run shows one of them again.
    assert!(expected.contains(&shown(&run(&state, &[file]))));
    let files = state_files(&state);
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(holds_a_token(&files[0]));
}

#[test]
fn a_garbage_or_missing_state_starts_a_fresh_deck_without_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = collection(dir.path(), 12);
    let file = file.to_str().unwrap();
    // The state directory does not exist yet: it is created.
    let state = dir.path().join("not/yet/there");
    shown(&run(&state, &[file]));
    let files = state_files(&state);
    assert_eq!(files.len(), 1);
    for garbage in [
        "garbage\n",
        "",
        "0123456789abcdef0123456789abcdef01234567ff\n",
    ] {
        std::fs::write(&files[0], garbage).unwrap();
        let quote = shown(&run(&state, &[file]));
        assert!(quote.starts_with("Quote number "), "{quote}");
        assert!(
            holds_a_token(&files[0]),
            "{garbage:?} was replaced by a token"
        );
    }
    // Binary junk too.
    std::fs::write(&files[0], [0xff, 0xfe, 0, 1, 2]).unwrap();
    let mut seen = BTreeSet::from([shown(&run(&state, &[file]))]);
    assert!(holds_a_token(&files[0]));
    // That run started a fresh deck: with the next eleven, every quote once.
    seen.extend((0..11).map(|_| shown(&run(&state, &[file]))));
    assert_eq!(seen.len(), 12);
}

#[test]
fn concurrent_runs_neither_corrupt_the_state_nor_repeat() {
    let dir = tempfile::tempdir().unwrap();
    let file = collection(dir.path(), 48);
    let state = dir.path().join("state");
    let mut seen = Vec::new();
    // Six rounds of eight processes started together.
    for _ in 0..6 {
        let children: Vec<_> = (0..8)
            .map(|_| {
                Command::new(env!("CARGO_BIN_EXE_epigraph"))
                    .arg("--deck")
                    .arg(&file)
                    .env("XDG_STATE_HOME", &state)
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            seen.push(shown(&child.wait_with_output().unwrap()));
        }
    }
    let distinct: BTreeSet<&String> = seen.iter().collect();
    assert_eq!(
        distinct.len(),
        48,
        "48 concurrent runs, 48 quotes: {seen:?}"
    );
    let files = state_files(&state);
    assert_eq!(files.len(), 1, "no temporary file left behind: {files:?}");
    assert!(holds_a_token(&files[0]));
    let leftovers: Vec<_> = std::fs::read_dir(state.join("epigraph"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn each_set_of_files_and_filters_keeps_its_own_deck() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    shown(&run(&state, &["--tag", "death"]));
    shown(&run(&state, &["--tag", "death"]));
    assert_eq!(state_files(&state).len(), 1);
    shown(&run(&state, &["--tag", "wizards"]));
    shown(&run(&state, &["tax-forms"]));
    assert_eq!(state_files(&state).len(), 3);
    // The filtered deck shows only matching quotes: every death quote once in as many runs.
    let listed = Command::new(env!("CARGO_BIN_EXE_epigraph"))
        .args(["--tag", "death", "--json", "-m", "."])
        .output()
        .unwrap();
    let n = String::from_utf8(listed.stdout).unwrap().lines().count();
    assert!(n > 5, "{n}");
    let fresh = dir.path().join("fresh");
    let seen: BTreeSet<String> = (0..n)
        .map(|_| shown(&run(&fresh, &["--tag", "death", "--json"])))
        .collect();
    assert_eq!(seen.len(), n);
    // Without $XDG_STATE_HOME the deck lives under ~/.local/state.
    let home = dir.path().join("home");
    let output = Command::new(env!("CARGO_BIN_EXE_epigraph"))
        .arg("--deck")
        .env_remove("XDG_STATE_HOME")
        .env("HOME", &home)
        .output()
        .unwrap();
    shown(&output);
    assert_eq!(state_files(&home.join(".local/state")).len(), 1);
}
