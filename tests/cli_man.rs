//! The man page as a reader gets it: groff finds nothing to warn about, `man` renders every
//! section, and every option of every subcommand is on the page.

use assert_cmd::Command;
use clap::CommandFactory;
use epigraph::cli::Cli;
use std::path::Path;

fn page() -> String {
    let out = Command::cargo_bin("epigraph")
        .unwrap()
        .arg("man")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).unwrap()
}

/// Runs a formatter, failing clearly when it is not installed.
fn tool(program: &str, args: &[&str], package: &str) -> std::process::Output {
    std::process::Command::new(program)
        .args(args)
        .env("MANWIDTH", "80")
        .env("MANPAGER", "cat")
        .env("PAGER", "cat")
        .env("LC_ALL", "C.UTF-8")
        .output()
        .unwrap_or_else(|e| {
            panic!("{program} is needed for this test (apt-get install {package}): {e}")
        })
}

fn write_page(dir: &Path) -> String {
    let path = dir.join("epigraph.1");
    std::fs::write(&path, page()).unwrap();
    path.display().to_string()
}

#[test]
fn groff_and_man_find_nothing_to_warn_about() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_page(dir.path());
    let groff = tool("groff", &["-man", "-ww", "-z", &path], "groff");
    assert!(groff.status.success(), "groff failed");
    assert_eq!(String::from_utf8_lossy(&groff.stderr), "", "groff warnings");
    let man = tool("man", &["--warnings", "-l", &path], "man-db");
    assert!(man.status.success(), "man failed");
    assert_eq!(String::from_utf8_lossy(&man.stderr), "", "man warnings");
}

#[test]
fn the_rendered_page_has_every_section_and_option() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_page(dir.path());
    let out = tool("man", &["-l", &path], "man-db");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains('\u{8}'), "overstrike left in the text");
    let headings: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with(|c: char| c.is_ascii_uppercase()) && !l.contains("(1)"))
        .collect();
    assert_eq!(
        headings,
        [
            "NAME",
            "SYNOPSIS",
            "DESCRIPTION",
            "OPTIONS",
            "SUBCOMMANDS",
            "EXIT STATUS",
            "ENVIRONMENT",
            "FILES",
            "EXAMPLES",
            "SEE ALSO"
        ]
    );
    assert!(text.lines().all(|l| l.chars().count() <= 80), "{text}");
    // Names of options and variables are never split by hyphenation (U+2010 at a line end).
    assert!(!text.lines().any(|l| l.ends_with('\u{2010}')), "{text}");
    // A variable entry: the name, then its description indented under it.
    let at = text
        .find("\n       EPIGRAPH_PATH\n")
        .expect("EPIGRAPH_PATH entry");
    assert!(
        text[at..].starts_with("\n       EPIGRAPH_PATH\n              Colon-separated directories"),
        "{}",
        &text[at..at + 200]
    );
    for needle in [
        "epigraph - curated quote",
        "       0      The command did what was asked",
        "       1      Anything else",
        "       FORTUNE_PATH\n",
        "       EPIGRAPH_MOTD_WIDTH\n              Sets epigraph motd --width WIDTH.",
        "       /usr/share/games/fortunes\n",
        "       fortune(6), strfile(1)",
        "   epigraph serve\n",
        "[-m PATTERN]",
        "[[N%] FILE]...",
    ] {
        assert!(text.contains(needle), "{needle:?} missing:\n{text}");
    }
    // No pages per subcommand that do not exist, no markdown left as is.
    assert!(!text.contains("epigraph-serve"), "{text}");
    assert!(!text.contains('`'), "{text}");
    // Generated from the parser: every option and variable of every command is on the page.
    let cli = Cli::command();
    let commands = std::iter::once(&cli).chain(cli.get_subcommands());
    for command in commands.filter(|c| c.get_name() != "help") {
        for arg in command.get_arguments().filter(|a| !a.is_hide_set()) {
            if let Some(long) = arg.get_long() {
                assert!(text.contains(&format!("--{long}")), "--{long} missing");
            }
            if let Some(short) = arg.get_short() {
                assert!(text.contains(&format!("-{short}")), "-{short} missing");
            }
            if let Some(env) = arg.get_env() {
                let entry = format!("\n       {}\n", env.to_string_lossy());
                assert!(text.contains(&entry), "{entry:?} missing");
            }
        }
    }
}

#[test]
fn dir_writes_the_same_page() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("man1");
    Command::cargo_bin("epigraph")
        .unwrap()
        .args(["man", "--dir"])
        .arg(&target)
        .assert()
        .success()
        .stdout("");
    assert_eq!(
        std::fs::read_to_string(target.join("epigraph.1")).unwrap(),
        page()
    );
}

#[test]
fn the_examples_run() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_page(dir.path());
    let text = String::from_utf8(tool("man", &["-l", &path], "man-db").stdout).unwrap();
    let start = text.find("\nEXAMPLES\n").expect("EXAMPLES");
    let end = text.find("\nSEE ALSO\n").expect("SEE ALSO");
    let examples: Vec<&str> = text[start..end]
        .lines()
        .filter_map(|l| l.strip_prefix("       epigraph"))
        .collect();
    assert!(examples.len() >= 6, "{examples:?}");
    for example in examples {
        // A server runs until stopped, and a redirection is the shell's business.
        if example.starts_with(" serve") || example.contains('>') {
            continue;
        }
        let args: Vec<String> = example
            .split_whitespace()
            .map(|w| w.trim_matches('\'').to_string())
            .collect();
        Command::cargo_bin("epigraph")
            .unwrap()
            .env_remove("EPIGRAPH_PATH")
            .env_remove("FORTUNE_PATH")
            .args(&args)
            .assert()
            .success();
    }
}
