//! `epigraph list` as printed: every row of a table lines up, whatever the length of the names,
//! and two collections of the same name say where each comes from.

use assert_cmd::Command;

fn list(args: &[&str]) -> String {
    let out = Command::cargo_bin("epigraph")
        .unwrap()
        .env_remove("EPIGRAPH_PATH")
        .env_remove("FORTUNE_PATH")
        .arg("list")
        .args(args)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).unwrap()
}

/// The sections of the text: title line and rows.
fn sections(text: &str) -> Vec<(String, Vec<String>)> {
    text.split("\n\n")
        .map(|block| {
            let mut lines = block.lines().map(String::from);
            (lines.next().unwrap_or_default(), lines.collect())
        })
        .collect()
}

#[test]
fn same_names_are_told_apart_and_every_column_lines_up() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("pratchett"), "Not the embedded one.\n%\n").unwrap();
    std::fs::write(
        dir.path().join("names"),
        "A.\n\t-- An Author Whose Name Goes On And On Well Past Forty Columns\n%\nB.\n\t-- Bo\n%\n",
    )
    .unwrap();
    let d = dir.path().display().to_string();
    let text = list(&[&d]);
    let pratchetts: Vec<&str> = text[..text.find("\nTags:").unwrap()]
        .lines()
        .filter(|l| l.starts_with("  pratchett "))
        .collect();
    assert_eq!(pratchetts.len(), 2, "{text}");
    assert!(pratchetts[0].contains(" (embedded) "), "{}", pratchetts[0]);
    assert!(
        pratchetts[1].ends_with(&format!(" 1  {d}/pratchett")),
        "{}",
        pratchetts[1]
    );
    let sections = sections(&text);
    assert_eq!(sections.len(), 3, "{text}");
    let (title, collections) = &sections[0];
    assert!(
        title.starts_with("Collections (") && title.ends_with(" quotes):"),
        "{title}"
    );
    // The source column starts at the same place in every row.
    let starts: Vec<usize> = collections
        .iter()
        .map(|r| {
            r.find(" (embedded)")
                .or_else(|| r.find(&format!(" {d}/")))
                .unwrap()
        })
        .collect();
    assert!(starts.windows(2).all(|w| w[0] == w[1]), "{text}");
    // Tags and authors: name and right-aligned count, so every row is as wide as the widest.
    for (title, rows) in &sections[1..] {
        let widths: Vec<usize> = rows.iter().map(|r| r.chars().count()).collect();
        assert!(!rows.is_empty(), "{title}");
        assert!(
            widths.windows(2).all(|w| w[0] == w[1]),
            "{title}\n{}",
            rows.join("\n")
        );
    }
    assert!(
        text.lines().any(|l| l.starts_with("  An Author Whose Name Goes On And On Well Past Forty Columns")),
        "{text}"
    );
}
