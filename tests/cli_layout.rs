//! What a person reads on the terminal: `--width`, `-m` with `--json`/`--width`, `motd` boxes,
//! and the errors for widths no quote fits in.

use assert_cmd::Command;

fn epigraph() -> Command {
    let mut cmd = Command::cargo_bin("epigraph").unwrap();
    cmd.env_remove("EPIGRAPH_PATH")
        .env_remove("FORTUNE_PATH")
        .env_remove("EPIGRAPH_MOTD_WIDTH");
    cmd
}

fn collection(text: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("reading.fortune");
    std::fs::write(&path, text).unwrap();
    let path = path.display().to_string();
    (dir, path)
}

const PROSE: &str = "\"It would seem that you have no useful skill or talent whatsoever,\" he
said.  \"Have you thought of going into teaching?\"
\t-- Terry Pratchett, Mort
%
Roses are red,
Violets are blue.
\t-- Anon
%
";

fn out(cmd: &mut Command) -> String {
    String::from_utf8(cmd.assert().success().get_output().stdout.clone()).unwrap()
}

#[test]
fn width_reflows_prose_and_keeps_verse() {
    let (_dir, path) = collection(PROSE);
    let text = out(epigraph().args(["-m", "teaching", "--width", "40", &path]));
    assert_eq!(
        text,
        "\"It would seem that you have no useful\n\
         skill or talent whatsoever,\" he said.\n\
         \"Have you thought of going into\n\
         teaching?\"\n\
         \x20       -- Terry Pratchett, Mort\n%\n"
    );
    let verse = out(epigraph().args(["-m", "Roses", "--width", "40", &path]));
    assert_eq!(
        verse,
        "Roses are red,\nViolets are blue.\n        -- Anon\n%\n"
    );
}

#[test]
fn match_mode_prints_json_lines_without_headers() {
    let (_dir, path) = collection(PROSE);
    let assert = epigraph()
        .args(["-m", "e", "--json", &path])
        .assert()
        .success();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert!(
        assert.get_output().stderr.is_empty(),
        "no (name) header with --json"
    );
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["author"], "Terry Pratchett");
    assert_eq!(lines[0]["work"], "Mort");
    assert_eq!(lines[1]["text"], "Roses are red,\nViolets are blue.");
    assert_eq!(
        lines[1]["display"],
        "Roses are red,\nViolets are blue.\n\t-- Anon\n"
    );
}

#[test]
fn widths_below_twenty_are_a_clear_error() {
    for args in [
        vec!["--width", "12"],
        vec!["motd", "--width", "19"],
        vec!["-m", "x", "--width", "0"],
    ] {
        let assert = epigraph().args(&args).assert().failure();
        let err = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
        assert!(
            err.contains("too narrow to lay out a quote: use at least 20"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn motd_box_has_straight_sides_for_every_quote_of_a_month() {
    for day in 1..=28 {
        let date = format!("2027-02-{day:02}");
        let boxed = out(epigraph().args(["motd", "--box", "--width", "50", "--date", &date]));
        let widths: Vec<usize> = boxed.lines().map(textwrap::core::display_width).collect();
        assert!(widths.iter().all(|&w| w == widths[0] && w <= 50), "{boxed}");
        assert!(!boxed.contains('\t'));
    }
}
