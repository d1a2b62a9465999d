//! The exit status rule (0 done, 1 anything else, bad usage included, as fortune-mod) and the
//! one-line messages that say what was probably meant.

use assert_cmd::Command;

fn epigraph() -> Command {
    let mut cmd = Command::cargo_bin("epigraph").unwrap();
    cmd.env_remove("EPIGRAPH_PATH").env_remove("FORTUNE_PATH");
    cmd
}

/// Status and stderr of a run.
fn outcome(args: &[&str]) -> (i32, String) {
    let out = epigraph().args(args).output().unwrap();
    let code = out.status.code().expect("exited, not killed");
    (code, String::from_utf8(out.stderr).unwrap())
}

#[test]
fn success_is_0() {
    for args in [
        &[][..],
        &["pratchett"],
        &["-m", "Death"],
        &["--today", "--date", "2026-01-01"],
        &["--help"],
        &["help", "list"],
        &["--version"],
        &["list"],
        &["check"],
        &["motd"],
        &["man"],
        &["completions", "bash"],
    ] {
        let (code, stderr) = outcome(args);
        assert_eq!(code, 0, "{args:?}: {stderr}");
    }
}

#[test]
fn usage_errors_are_1_like_fortune_mod() {
    for args in [
        &["-Z"][..],
        &["--no-such-flag"],
        &["-n", "many"],
        &["--date", "2026-01-01"],
        &["completions", "tcsh"],
        &["serve", "--bogus"],
        &["list", "--bogus"],
        &["motd", "--width", "wide"],
        &["export"],
    ] {
        let (code, stderr) = outcome(args);
        assert_eq!(code, 1, "{args:?}: {stderr}");
        assert!(stderr.starts_with("error: "), "{args:?}: {stderr}");
        assert!(stderr.contains("--help"), "{args:?}: {stderr}");
    }
}

#[test]
fn our_own_errors_and_finding_nothing_are_1() {
    let dir = tempfile::tempdir().unwrap();
    let twice = dir.path().join("twice");
    std::fs::write(&twice, "Said once.\n%\nSaid once.\n%\n").unwrap();
    let twice = twice.display().to_string();
    let cases: [(&[&str], &str); 7] = [
        (
            &["nosuchthing"],
            "epigraph: no collection, file or directory",
        ),
        (
            &["--today", "--date", "2026-02-30"],
            "epigraph: 2026-02-30 is not a day",
        ),
        (&["-m", "zzqqxxyy"], ""),
        (&["-m", "(unclosed"], "epigraph: "),
        (&["--tag", "no-such-tag"], "epigraph: "),
        (&["-s", "-n", "3"], "epigraph: no quote matches"),
        (&["check", &twice], "2 quotes: 1 error"),
    ];
    for (args, message) in cases {
        let (code, stderr) = outcome(args);
        assert_eq!(code, 1, "{args:?}: {stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
}

#[test]
fn a_misspelt_subcommand_is_named() {
    let (code, stderr) = outcome(&["servee"]);
    assert_eq!(code, 1);
    assert_eq!(
        stderr,
        "epigraph: no collection, file or directory named \"servee\"; \
         did you mean the subcommand \"serve\"?\n"
    );
    let (_, stderr) = outcome(&["lsit", "--json"]);
    assert_eq!(
        stderr,
        "epigraph: no collection, file or directory named \"lsit\"; \
         did you mean the subcommand \"list\"?\n"
    );
    // Options of the subcommand meant do not hide the typo behind clap's complaint.
    let (code, stderr) = outcome(&["sever", "--listen", "127.0.0.1:1"]);
    assert_eq!(code, 1);
    assert_eq!(
        stderr,
        "epigraph: no collection, file or directory named \"sever\"; \
         did you mean the subcommand \"serve\"?\n"
    );
    // Only the first argument can be a subcommand: later ones are collection names.
    let (_, stderr) = outcome(&["pratchett", "servee"]);
    assert!(!stderr.contains("subcommand"), "{stderr}");
}

#[test]
fn a_misspelt_collection_is_named() {
    let (code, stderr) = outcome(&["pratchet"]);
    assert_eq!(code, 1);
    assert_eq!(
        stderr,
        "epigraph: no collection, file or directory named \"pratchet\"; \
         did you mean \"pratchett\"? (`epigraph list` shows all)\n"
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("limericks"), "A verse.\n%\n").unwrap();
    let out = epigraph()
        .env("EPIGRAPH_PATH", dir.path())
        .args(["30%", "limerick"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "epigraph: no collection, file or directory named \"limerick\"; \
         did you mean \"limericks\"? (`epigraph list` shows all)\n"
    );
}
