//! Side-by-side comparisons with Debian's fortune-mod on the same files.
//!
//! These need `fortune` and `strfile` (`apt-get install -y fortune-mod fortunes-min fortunes`).
//! Without them each test prints a loud SKIPPED line; with `EPIGRAPH_REQUIRE_FORTUNE=1` (set by
//! `.ci/run`) a missing fortune-mod fails the test instead.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const FORTUNE: &str = "/usr/games/fortune";
const STRFILE: &str = "/usr/bin/strfile";
const SYSTEM: &str = "/usr/share/games/fortunes";

/// Whether fortune-mod is here; panics if it is required but missing.
fn have_fortune(test: &str) -> bool {
    let present =
        Path::new(FORTUNE).exists() && Path::new(STRFILE).exists() && Path::new(SYSTEM).is_dir();
    if !present {
        if std::env::var_os("EPIGRAPH_REQUIRE_FORTUNE").is_some() {
            panic!(
                "{test}: fortune-mod is required but missing: apt-get install -y fortune-mod fortunes-min fortunes"
            );
        }
        eprintln!(
            "SKIPPED {test}: fortune-mod not installed (apt-get install -y fortune-mod fortunes-min fortunes)"
        );
    }
    present
}

fn run(program: impl AsRef<std::ffi::OsStr>, args: &[&str]) -> Output {
    Command::new(program)
        .args(args)
        .env_remove("EPIGRAPH_PATH")
        .env_remove("FORTUNE_PATH")
        .output()
        .unwrap()
}

fn ours(args: &[&str]) -> Output {
    run(env!("CARGO_BIN_EXE_epigraph"), args)
}

fn theirs(args: &[&str]) -> Output {
    run(FORTUNE, args)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn sorted_lines(bytes: &[u8]) -> Vec<String> {
    let mut lines: Vec<String> = text(bytes).lines().map(str::to_string).collect();
    lines.sort();
    lines
}

/// Strips the program name prefix from an error line.
fn message(bytes: &[u8]) -> String {
    text(bytes)
        .trim()
        .trim_start_matches("fortune: ")
        .trim_start_matches("epigraph: ")
        .to_string()
}

#[test]
fn list_files_of_the_system_directory_matches() {
    if !have_fortune("list_files_of_the_system_directory_matches") {
        return;
    }
    for args in [
        vec!["-f", SYSTEM],
        vec!["-f", "fortunes"],
        vec!["-f", "30%", "fortunes", "linux"],
        vec![
            "-f",
            "20%",
            "fortunes",
            "science",
            "50%",
            "linux",
            "computers",
        ],
        // -e where the equal shares divide evenly (see the next test for where they do not).
        vec!["-f", "-e", "fortunes", "linux"],
        vec!["-f", "-e", "30%", "fortunes", "linux", "science"],
        vec![
            "-f",
            "-e",
            "20%",
            "fortunes",
            "linux",
            "science",
            "computers",
            "wisdom",
        ],
    ] {
        let (a, b) = (ours(&args), theirs(&args));
        assert!(a.stdout.is_empty() && b.stdout.is_empty());
        // fortune lists directories in readdir order, epigraph in name order.
        assert_eq!(sorted_lines(&a.stderr), sorted_lines(&b.stderr), "{args:?}");
        assert_eq!(a.status.code(), b.status.code());
    }
}

#[test]
fn equal_shares_that_do_not_divide_are_exact_on_purpose() {
    if !have_fortune("equal_shares_that_do_not_divide_are_exact_on_purpose") {
        return;
    }
    // fortune-mod rounds -e shares to whole percents and gives the remainder to the first file
    // (34/33/33); epigraph gives each exactly a third (README, "Fixed on purpose").
    let args = ["-f", "-e", "fortunes", "linux", "science"];
    let theirs_lines = sorted_lines(&theirs(&args).stderr);
    let ours_lines = sorted_lines(&ours(&args).stderr);
    let percents = |lines: &[String]| -> Vec<String> {
        let mut p: Vec<String> = lines
            .iter()
            .filter_map(|l| l.split_whitespace().next().map(str::to_string))
            .collect();
        p.sort();
        p
    };
    assert_eq!(percents(&theirs_lines), ["33.00%", "33.00%", "34.00%"]);
    assert_eq!(percents(&ours_lines), ["33.33%", "33.33%", "33.33%"]);
}

#[test]
fn match_output_matches() {
    if !have_fortune("match_output_matches") {
        return;
    }
    for args in [
        vec!["-m", "Linus", "linux"],
        vec!["-m", "^Q:", "riddles"],
        vec!["-m", "cat", "pets", "science"],
    ] {
        let (a, b) = (ours(&args), theirs(&args));
        assert!(!a.stdout.is_empty(), "{args:?} found nothing");
        assert_eq!(text(&a.stdout), text(&b.stdout), "{args:?}");
        assert_eq!(text(&a.stderr), text(&b.stderr), "{args:?}");
        // fortune-mod exits 1 after a match (its bug); epigraph exits 0.
        assert_eq!(a.status.code(), Some(0));
    }
}

#[test]
fn show_file_and_short_pick_match_on_a_one_entry_choice() {
    if !have_fortune("show_file_and_short_pick_match_on_a_one_entry_choice") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tiny");
    std::fs::write(
        &path,
        "a long entry that is certainly longer than twenty bytes\n%\nshort\n%\n",
    )
    .unwrap();
    assert!(
        Command::new(STRFILE)
            .arg(&path)
            .output()
            .unwrap()
            .status
            .success()
    );
    let p = path.to_str().unwrap();
    for args in [
        vec!["-c", "-s", "-n", "20", p],
        vec!["-s", "-n", "20", p],
        vec!["-l", "-n", "20", p],
    ] {
        let (a, b) = (ours(&args), theirs(&args));
        assert_eq!(text(&a.stdout), text(&b.stdout), "{args:?}");
        assert!(a.status.success() && b.status.success());
    }
}

#[test]
fn percentage_errors_match() {
    if !have_fortune("percentage_errors_match") {
        return;
    }
    for args in [
        vec!["110%", "fortunes"],
        vec!["1.5%", "fortunes"],
        vec!["fortunes", "30%"],
        vec!["50%", "fortunes", "60%", "linux"],
        vec!["10%", "fortunes"],
        vec!["100%", "fortunes", "linux"],
    ] {
        let (a, b) = (ours(&args), theirs(&args));
        assert_eq!(message(&a.stderr), message(&b.stderr), "{args:?}");
        assert_eq!(a.status.code(), Some(1));
        assert_eq!(b.status.code(), Some(1));
    }
}

#[test]
fn strfile_index_we_write_is_byte_identical() {
    if !have_fortune("strfile_index_we_write_is_byte_identical") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let ours_dir = dir.path().join("ours");
    let out = ours(&["export", "--format", "fortune", ours_dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    for name in ["pratchett", "tax-forms", "article-lines"] {
        let exported: PathBuf = ours_dir.join(name);
        let copy = dir.path().join(format!("{name}.copy"));
        std::fs::copy(&exported, &copy).unwrap();
        assert!(
            Command::new(STRFILE)
                .arg(&copy)
                .output()
                .unwrap()
                .status
                .success()
        );
        let mut dat = exported.into_os_string();
        dat.push(".dat");
        let mut copy_dat = copy.into_os_string();
        copy_dat.push(".dat");
        assert_eq!(
            std::fs::read(&dat).unwrap(),
            std::fs::read(&copy_dat).unwrap(),
            "{name}.dat"
        );
    }
}

#[test]
fn exported_collections_read_the_same_in_fortune() {
    if !have_fortune("exported_collections_read_the_same_in_fortune") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("export");
    let d = out_dir.to_str().unwrap();
    assert!(ours(&["export", "--format", "fortune", d]).status.success());
    // Same files, same shares.
    assert_eq!(
        sorted_lines(&theirs(&["-f", d]).stderr),
        sorted_lines(&ours(&["-f", d]).stderr)
    );
    // Same matches, file by file: fortune-mod on the export sees what epigraph sees embedded.
    for name in ["pratchett", "tax-forms", "article-lines"] {
        let file = out_dir.join(name);
        let file = file.to_str().unwrap();
        for pattern in ["Death", "tax", "Microsoft", "the"] {
            let (a, b) = (ours(&["-m", pattern, name]), theirs(&["-m", pattern, file]));
            assert_eq!(text(&a.stdout), text(&b.stdout), "{name} {pattern}");
        }
        let (a, b) = (ours(&["-f", name]), theirs(&["-f", file]));
        assert_eq!(
            message(&a.stderr).split_whitespace().next(),
            message(&b.stderr).split_whitespace().next()
        );
    }
    // And every exported entry is reachable through fortune's own picks of a single file.
    let one = ours_dir_entry(&out_dir, "tax-forms");
    let out = theirs(&["-c", &one]);
    assert!(text(&out.stdout).starts_with(&format!("({one})\n%\n")));
}

fn ours_dir_entry(dir: &Path, name: &str) -> String {
    dir.join(name).display().to_string()
}
