//! The `epigraph` binary as a user runs it: each classic flag, each extension, each error.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::Path;

fn epigraph() -> Command {
    let mut cmd = Command::cargo_bin("epigraph").unwrap();
    // Keep the search path to what the test sets up.
    cmd.env_remove("EPIGRAPH_PATH").env_remove("FORTUNE_PATH");
    cmd
}

fn stdout(cmd: &mut Command) -> String {
    let out = cmd.assert().success().get_output().stdout.clone();
    String::from_utf8(out).unwrap()
}

fn stderr_of(cmd: &mut Command) -> String {
    String::from_utf8(cmd.assert().get_output().stderr.clone()).unwrap()
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[test]
fn no_arguments_prints_an_embedded_quote() {
    let text = stdout(&mut epigraph());
    assert!(text.ends_with('\n') && text.trim().len() > 2, "{text:?}");
    assert!(!text.contains("%%"), "comment lines must not be printed");
}

#[test]
fn seed_makes_the_pick_reproducible() {
    let a = stdout(epigraph().args(["--seed", "7"]));
    assert_eq!(a, stdout(epigraph().args(["--seed", "7"])));
    let others: Vec<String> = (1..6)
        .map(|s| stdout(epigraph().args(["--seed", &s.to_string()])))
        .collect();
    assert!(
        others.iter().any(|o| *o != a),
        "five other seeds all gave the same quote"
    );
}

#[test]
fn show_file_prints_the_collection_header() {
    let text = stdout(epigraph().args(["-c", "tax-forms"]));
    assert!(text.starts_with("(tax-forms)\n%\n"), "{text}");
}

#[test]
fn list_files_goes_to_stderr_with_shares() {
    let assert = epigraph().arg("-f").assert().success().stdout("");
    let err = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    let mut lines = err.lines();
    assert_eq!(lines.next(), Some("100.00% (embedded)"));
    let total: f64 = lines
        .map(|l| {
            assert!(l.starts_with("    "), "{l:?}");
            l.trim()
                .split('%')
                .next()
                .unwrap()
                .trim()
                .parse::<f64>()
                .unwrap()
        })
        .sum();
    assert!((total - 100.0).abs() < 0.05, "{total}");
}

#[test]
fn percentages_and_equal_shares() {
    let err = stderr_of(epigraph().args(["-f", "30%", "pratchett", "tax-forms"]));
    assert_eq!(err, "30.00% pratchett\n70.00% tax-forms\n");
    let err = stderr_of(epigraph().args(["-f", "-e", "pratchett", "tax-forms", "article-lines"]));
    assert_eq!(
        err,
        "33.33% pratchett\n33.33% tax-forms\n33.33% article-lines\n"
    );
    let err = stderr_of(epigraph().args(["-f", "20%pratchett", "80%", "tax-forms"]));
    assert_eq!(err, "20.00% pratchett\n80.00% tax-forms\n");
}

#[test]
fn percentage_errors_match_fortune() {
    let cases: [(&[&str], &str); 6] = [
        (&["101%", "pratchett"], "percentages must be <= 100"),
        (&["1.5%", "pratchett"], "percentages must be integers"),
        (&["pratchett", "30%"], "percentages must precede files"),
        (
            &["60%", "pratchett", "50%", "tax-forms"],
            "probabilities sum to 110%!",
        ),
        (
            &["10%", "pratchett"],
            "no place to put residual probability (10%)",
        ),
        (
            &["100%", "pratchett", "tax-forms"],
            "no probability left to put in residual files",
        ),
    ];
    for (args, message) in cases {
        epigraph()
            .args(args)
            .assert()
            .failure()
            .code(1)
            .stdout("")
            .stderr(format!("epigraph: {message}\n"));
    }
}

#[test]
fn match_prints_every_hit_with_headers_and_exits_zero() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "f",
        "alpha one\n%\nbeta\n%\nalpha last, no trailing percent",
    );
    let assert = epigraph().args(["-m", "alpha", &file]).assert().success();
    let out = assert.get_output();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "alpha one\n%\nalpha last, no trailing percent\n%\n"
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!("({file})\n%\n")
    );
    epigraph()
        .args(["-m", "gamma", &file])
        .assert()
        .code(1)
        .stdout("");
}

#[test]
fn ignore_case_is_unicode_aware() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "f", "CAFÉ society\n%\n");
    epigraph().args(["-m", "café", &file]).assert().code(1);
    epigraph()
        .args(["-i", "-m", "café", &file])
        .assert()
        .success()
        .stdout("CAFÉ society\n%\n");
}

#[test]
fn bad_pattern_is_one_line_showing_where() {
    epigraph()
        .args(["-m", "a(b"])
        .assert()
        .code(1)
        .stderr("epigraph: bad pattern: unclosed group at column 2 of \"a(b\"\n");
}

#[test]
fn short_and_long_respect_n_and_fail_clearly() {
    for _ in 0..5 {
        let text = stdout(epigraph().args(["-s", "-n", "100"]));
        assert!(text.len() <= 100, "{}", text.len());
        let text = stdout(epigraph().args(["-l", "-n", "400"]));
        assert!(text.len() > 400, "{}", text.len());
    }
    // The last of -s/-l wins, as in fortune.
    let text = stdout(epigraph().args(["-l", "-s", "-n", "100"]));
    assert!(text.len() <= 100);
    epigraph().args(["-s", "-n", "3"]).assert().code(1).stderr(
        predicate::str::contains("none is 3 bytes or shorter")
            .and(predicate::str::contains("larger -n")),
    );
}

#[test]
fn offensive_directories_are_rot13_decoded() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("off")).unwrap();
    let text = "Frperg zrffntr\n%\n";
    write(&dir.path().join("off"), "rude", text);
    // A strfile index with the ROTATED flag, as fortune-mod's `strfile -x` writes it.
    let mut dat: Vec<u8> = [2u32, 1, 15, 15, 4, 0x2500_0000, 0, 17]
        .iter()
        .flat_map(|w| w.to_be_bytes())
        .collect();
    dat.truncate(32);
    std::fs::write(dir.path().join("off/rude.dat"), dat).unwrap();
    let path = dir.path().display().to_string();
    epigraph()
        .env("EPIGRAPH_PATH", &path)
        .args(["-o", "-m", "Secret"])
        .assert()
        .success()
        .stdout("Secret message\n%\n");
    let err = stderr_of(epigraph().env("EPIGRAPH_PATH", &path).args(["-a", "-f"]));
    assert!(
        err.starts_with("") && err.contains("(embedded)") && err.contains("/off"),
        "{err}"
    );
}

#[test]
fn offensive_only_without_off_directories_finds_nothing() {
    let dir = tempfile::tempdir().unwrap();
    if Path::new("/usr/share/games/fortunes/off").exists()
        || Path::new("/usr/local/share/games/fortunes/off").exists()
    {
        eprintln!("SKIPPED: a system off/ directory exists, so -o has something to show");
        return;
    }
    epigraph()
        .env("EPIGRAPH_PATH", dir.path())
        .arg("-o")
        .assert()
        .code(1)
        .stderr("epigraph: No fortunes found\n");
}

#[test]
fn version_and_u_flag() {
    epigraph()
        .arg("-v")
        .assert()
        .success()
        .stdout(format!("epigraph {}\n", env!("CARGO_PKG_VERSION")));
    stdout(epigraph().args(["-u", "tax-forms"]));
}

#[test]
fn wait_flag_pauses_after_printing() {
    let start = std::time::Instant::now();
    stdout(epigraph().args(["-w", "-s", "-n", "100"]));
    assert!(
        start.elapsed().as_secs_f64() >= 5.5,
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn tag_author_collection_filters() {
    for _ in 0..5 {
        let json =
            stdout(epigraph().args(["--json", "--tag", "death", "--collection", "pratchett"]));
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["collection"], "pratchett");
        assert!(v["tags"].as_array().unwrap().iter().any(|t| t == "death"));
        let json = stdout(epigraph().args(["--json", "--author", "gaiman"]));
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert!(v["author"].as_str().unwrap().contains("Gaiman"), "{v}");
        let json =
            stdout(epigraph().args(["--json", "--tag", "watch|witches", "--tag", "pratchett"]));
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        let tags = v["tags"].as_array().unwrap();
        assert!(tags.iter().any(|t| t == "watch" || t == "witches"), "{v}");
    }
    epigraph()
        .args(["--tag", "deth"])
        .assert()
        .code(1)
        .stderr("epigraph: no quote is tagged \"deth\" (did you mean death, death-of-rats?)\n");
    epigraph()
        .args(["--collection", "pratchet"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("did you mean pratchett?"));
}

#[test]
fn json_id_and_permalink_round_trip() {
    let json = stdout(epigraph().args(["--json", "--seed", "3"]));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    for key in [
        "id",
        "text",
        "display",
        "author",
        "work",
        "year",
        "context",
        "collection",
        "tags",
        "length",
    ] {
        assert!(v.get(key).is_some(), "{key} missing in {v}");
    }
    let id = v["id"].as_str().unwrap();
    assert_eq!(id.len(), 12);
    let printed = stdout(epigraph().args(["--id", id]));
    assert_eq!(printed, v["display"].as_str().unwrap());
    // `text` is the words alone: the printed entry without its attribution lines.
    let words = v["text"].as_str().unwrap();
    assert!(printed.starts_with(words) && !words.contains("\t--"), "{v}");
    assert!(!words.ends_with('\n'));
    epigraph()
        .args(["--id", "zz"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("12 hex digits"));
    epigraph()
        .args(["--id", "000000000000"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no quote has id"));
}

#[test]
fn today_is_stable_and_dated() {
    let a = stdout(epigraph().args(["--today", "--date", "2025-08-29"]));
    assert_eq!(
        a,
        stdout(epigraph().args(["--today", "--date", "2025-08-29"]))
    );
    let week: Vec<String> = (1..8)
        .map(|d| stdout(epigraph().args(["--today", "--date", &format!("2025-09-0{d}")])))
        .collect();
    let mut unique = week.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 7, "a week of days repeated a quote");
    epigraph()
        .args(["--today", "--date", "2025-02-30"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("2025-02-30 is not a day"));
}

#[test]
fn width_wraps_lines() {
    for seed in 0..5 {
        let text = stdout(epigraph().args(["--width", "40", "--seed", &seed.to_string()]));
        for line in text.lines() {
            let words_fit = line.chars().count() <= 40 || !line.trim().contains(' ');
            assert!(words_fit, "{line:?}");
        }
    }
}

#[test]
fn list_shows_collections_tags_and_authors() {
    let text = stdout(epigraph().arg("list"));
    for needle in [
        "pratchett",
        "tax-forms",
        "article-lines",
        "Tags:",
        "Authors:",
        "Terry Pratchett",
    ] {
        assert!(text.contains(needle), "{needle}");
    }
    let json: serde_json::Value =
        serde_json::from_str(&stdout(epigraph().args(["list", "--json"]))).unwrap();
    assert!(json["collections"].as_array().unwrap().len() >= 3);
    assert!(json["tags"]["death"].as_u64().unwrap() > 0);
}

#[test]
fn unknown_name_lists_what_exists() {
    epigraph().arg("nosuchthing").assert().code(1).stderr(
        predicate::str::contains("no collection, file or directory named \"nosuchthing\"")
            .and(predicate::str::contains("pratchett")),
    );
}

#[test]
fn closed_pipe_is_not_an_error() {
    let bin = assert_cmd::cargo::cargo_bin("epigraph");
    let out = std::process::Command::new("bash")
        .args([
            "-c",
            &format!(
                "set -o pipefail; {} -m . | head -c 10 >/dev/null",
                bin.display()
            ),
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !err.contains("epigraph:") && !err.contains("panicked"),
        "{err}"
    );
}

#[test]
fn search_path_finds_names_and_bad_files_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "mine", "only quote here\n%\n");
    std::fs::write(dir.path().join("latin"), b"ok\n%\ncaf\xe9 au lait\n%\n").unwrap();
    std::fs::write(dir.path().join("binary"), b"\0\0\0").unwrap();
    write(dir.path(), "crlf", "windows line\r\n%\r\n");
    let path = dir.path().display().to_string();
    epigraph()
        .env("EPIGRAPH_PATH", &path)
        .arg("mine")
        .assert()
        .success()
        .stdout("only quote here\n");
    epigraph()
        .env("FORTUNE_PATH", &path)
        .arg("mine")
        .assert()
        .success()
        .stdout("only quote here\n");
    epigraph()
        .env("EPIGRAPH_PATH", &path)
        .arg("crlf")
        .assert()
        .success()
        .stdout("windows line\n");
    epigraph()
        .env("EPIGRAPH_PATH", &path)
        .args(["-m", "au lait", "latin"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "latin:3: warning: not valid UTF-8",
        ));
    // A binary file in a directory is reported with its name; the rest still serves.
    let assert = epigraph()
        .args(["-m", "only quote", &path])
        .assert()
        .success();
    let err = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(err.contains("binary:1: error: not a collection"), "{err}");
}

#[test]
fn completions_and_man_page_cover_the_real_flags() {
    for shell in ["bash", "zsh", "fish"] {
        let script = stdout(epigraph().args(["completions", shell]));
        assert!(
            script.contains("epigraph") && script.contains("tag") && script.contains("today"),
            "{shell}"
        );
    }
    let man = stdout(epigraph().arg("man"));
    assert!(man.starts_with(".TH EPIGRAPH 1 "), "{}", &man[..80]);
    assert!(man.contains("\\-\\-today"));
    epigraph().args(["completions", "tcsh"]).assert().code(1);
}

#[test]
fn motd_is_stable_wrapped_and_boxed() {
    let a = stdout(epigraph().args(["motd", "--width", "50"]));
    assert_eq!(a, stdout(epigraph().args(["motd", "--width", "50"])));
    assert!(
        a.lines()
            .all(|l| l.chars().count() <= 50 || !l.trim().contains(' ')),
        "{a}"
    );
    let boxed = stdout(epigraph().args(["motd", "--box", "--width", "60"]));
    let lines: Vec<&str> = boxed.lines().collect();
    assert!(lines[0].starts_with("+-") && lines.last().unwrap().starts_with("+-"));
    let widths: std::collections::HashSet<usize> =
        lines.iter().map(|l| l.chars().count()).collect();
    assert_eq!(widths.len(), 1, "{boxed}");
    let short =
        stdout(epigraph().args(["motd", "--random", "--max-length", "120", "--tag", "death"]));
    assert!(short.chars().count() <= 121 + 20, "{short}");
}

#[test]
fn motd_fragment_and_shell_snippet_run() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/contrib");
    let bin = Path::new(env!("CARGO_BIN_EXE_epigraph"))
        .parent()
        .unwrap()
        .display()
        .to_string();
    let path = format!("{bin}:{}", std::env::var("PATH").unwrap_or_default());
    let out = std::process::Command::new("sh")
        .arg(format!("{dir}/update-motd.d/60-epigraph"))
        .env("PATH", &path)
        .output()
        .unwrap();
    assert!(out.status.success() && out.stdout.len() > 10, "{out:?}");
    // Non-interactive shells print nothing; interactive ones print the boxed quote.
    let snippet = format!(". {dir}/shell/epigraph.bashrc");
    let quiet = std::process::Command::new("bash")
        .args(["-c", &snippet])
        .env("PATH", &path)
        .output()
        .unwrap();
    assert!(quiet.stdout.is_empty());
    let loud = std::process::Command::new("bash")
        .args(["-i", "-c", &snippet])
        .env("PATH", &path)
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&loud.stdout).starts_with("+-"),
        "{loud:?}"
    );
}

#[test]
fn a_plain_pick_with_an_index_reads_only_its_entry() {
    // The last entry is Latin-1: reading the whole file would warn about it on stderr, so a
    // silent pick shows that only the index and the chosen entry were read.
    let dir = tempfile::tempdir().unwrap();
    let entries: [&[u8]; 4] = [b"one\n", b"two\n", b"three\n", b"caf\xe9\n"];
    let (mut text, mut offsets) = (Vec::new(), Vec::new());
    for entry in entries {
        offsets.push(text.len() as u32);
        text.extend_from_slice(entry);
        text.extend_from_slice(b"%\n");
    }
    offsets.push(text.len() as u32);
    let path = dir.path().join("mixed");
    std::fs::write(&path, &text).unwrap();
    let mut dat: Vec<u8> = [2u32, 4, 6, 4, 0, 0x2500_0000]
        .into_iter()
        .chain(offsets)
        .flat_map(u32::to_be_bytes)
        .collect();
    std::fs::write(dir.path().join("mixed.dat"), &dat).unwrap();
    let file = path.display().to_string();
    for seed in 0..12 {
        let seed = seed.to_string();
        let out = epigraph().args(["--seed", &seed, &file]).output().unwrap();
        assert!(out.status.success());
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "seed {seed}");
        assert!(out.stdout.ends_with(b"\n"), "seed {seed}");
    }
    // Without a usable index the file is read, and the warning shows that it was.
    dat.truncate(10);
    std::fs::write(dir.path().join("mixed.dat"), &dat).unwrap();
    let err = stderr_of(epigraph().args(["--seed", "1", &file]));
    assert!(err.contains("not valid UTF-8"), "{err}");
}
