//! The shipped collections meet their promises, and the curator tools catch bad edits.

use assert_cmd::Command;
use epigraph::corpus::Corpus;
use predicates::prelude::*;
use std::collections::HashSet;

fn epigraph() -> Command {
    Command::cargo_bin("epigraph").unwrap()
}

#[test]
fn every_shipped_file_passes_check() {
    let quotes = concat!(env!("CARGO_MANIFEST_DIR"), "/quotes");
    epigraph()
        .args(["check", quotes])
        .assert()
        .success()
        .stdout("")
        .stderr(predicate::str::contains(": 0 errors"));
    epigraph().arg("check").assert().success();
}

#[test]
fn counts_attribution_tags_and_unique_ids() {
    let (corpus, diagnostics) = Corpus::embedded();
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    for (name, minimum) in [("pratchett", 300), ("tax-forms", 40), ("article-lines", 30)] {
        let collection = corpus
            .collection(name)
            .unwrap_or_else(|| panic!("{name} missing"));
        assert!(
            collection.len() >= minimum,
            "{name}: {} < {minimum}",
            collection.len()
        );
        assert!(
            collection.header.description.is_some(),
            "{name} has no description"
        );
        assert!(
            collection.header.licence.is_some(),
            "{name} has no licence line"
        );
        for quote in &corpus.quotes()[collection.range.clone()] {
            let own_tags = quote
                .tags()
                .filter(|t| !collection.header.tags.iter().any(|h| h == t))
                .count();
            assert!(
                quote.author().is_some(),
                "{name}:{} has no attribution",
                quote.line()
            );
            assert!(
                own_tags >= 1,
                "{name}:{} has no tag of its own",
                quote.line()
            );
        }
    }
    let ids: HashSet<_> = corpus.quotes().iter().map(|q| q.id).collect();
    assert_eq!(ids.len(), corpus.quotes().len(), "duplicate ids");
}

#[test]
fn the_seed_article_lines_are_present() {
    let (corpus, _) = Corpus::embedded();
    let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let find = |needle: &str| {
        corpus
            .quotes()
            .iter()
            .filter(|q| squash(q.text()).contains(needle))
            .collect::<Vec<_>>()
    };
    let fire = find("set fire to him and he's warm for the rest of his life");
    assert!(
        fire.iter()
            .any(|q| q.work() == Some("Jingo") && q.author() == Some("Terry Pratchett"))
    );
    let tax = find("Not reporting such income can lead to prosecution for perjury and fraud.");
    assert!(
        tax.iter().any(|q| q
            .text()
            .contains("-- Excerpt from Taxachussetts income tax forms")),
        "the seed's closing tax-form fortune is carried, as printed"
    );
    let hegseth = find("It blows my mind that I'm even saying these things");
    assert_eq!(hegseth[0].author(), Some("Pete Hegseth"));
    assert_eq!(hegseth[0].meta("date"), Some("2025-08-29"));
}

#[test]
fn check_reports_bad_files_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.fortune");
    std::fs::write(&bad, "%% require: attribution\n%\nNo attribution \n%\n").unwrap();
    let dupe = dir.path().join("dupe.fortune");
    std::fs::write(&dupe, "No   attribution\n%\n").unwrap();
    let path = bad.display().to_string();
    epigraph()
        .args(["check", dir.path().to_str().unwrap()])
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains(format!("{path}:3: error: trailing white space"))
                .and(predicate::str::contains(format!(
                    "{path}:3: error: missing attribution"
                )))
                .and(predicate::str::contains(
                    "dupe.fortune:1: error: duplicate of",
                )),
        );
    let json = epigraph()
        .args(["check", "--json", &path])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let report: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(report["errors"], 2);
    assert_eq!(report["diagnostics"][0]["line"], 3);
}

#[test]
fn json_export_has_every_quote() {
    let dir = tempfile::tempdir().unwrap();
    epigraph()
        .args(["export", "--format", "json", dir.path().to_str().unwrap()])
        .assert()
        .success();
    let (corpus, _) = Corpus::embedded();
    for collection in corpus.collections() {
        let text =
            std::fs::read_to_string(dir.path().join(format!("{}.json", collection.name))).unwrap();
        let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(doc["quotes"].as_array().unwrap().len(), collection.len());
        assert_eq!(doc["name"], collection.name.as_str());
    }
}

#[test]
fn fortune_export_strips_metadata() {
    let dir = tempfile::tempdir().unwrap();
    epigraph()
        .args(["export", dir.path().to_str().unwrap()])
        .assert()
        .success();
    let text = std::fs::read_to_string(dir.path().join("pratchett")).unwrap();
    assert!(!text.contains("%%"));
    assert!(text.ends_with("%\n"));
    assert!(dir.path().join("pratchett.dat").exists());
}

/// One entry of a fortune file as printed: its body and its attribution block.
struct Printed {
    body: String,
    /// Attribution lines as printed (the `--` line and its continuations).
    attribution: Vec<String>,
}

impl Printed {
    /// fortune-mod's descriptive line before `(Author, Work)`, if the entry has one.
    fn context(&self) -> Option<String> {
        let joined = squash(&self.attribution.join(" "));
        let rest = joined.strip_prefix("--")?.trim();
        let open = rest.rfind('(')?;
        let context = rest[..open].trim();
        (!context.is_empty()).then(|| context.to_string())
    }

    /// The body's words, letters and digits only, for matching entries across small edits.
    fn words(&self) -> Vec<String> {
        self.body
            .split_whitespace()
            .map(|w| {
                w.chars()
                    .filter(|c| c.is_alphanumeric())
                    .collect::<String>()
            })
            .filter(|w| !w.is_empty())
            .map(|w| w.to_lowercase())
            .collect()
    }
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Splits fortune text (no `%%` lines) into entries; the attribution starts at the last `--`
/// line that only indented lines follow.
fn printed_entries(text: &str) -> Vec<Printed> {
    let mut entries = Vec::new();
    for raw in text.split("\n%\n") {
        let lines: Vec<&str> = raw.lines().filter(|l| *l != "%").collect();
        if lines.iter().all(|l| l.trim().is_empty()) {
            continue;
        }
        let mut start = lines.len();
        for (i, line) in lines.iter().enumerate().rev() {
            if line.trim_start().starts_with("--") {
                start = i;
                break;
            }
            if !line.starts_with([' ', '\t']) {
                break;
            }
        }
        entries.push(Printed {
            body: squash(&lines[..start].join("\n")),
            attribution: lines[start..].iter().map(|l| l.to_string()).collect(),
        });
    }
    entries
}

fn exported_pratchett() -> Vec<Printed> {
    let dir = tempfile::tempdir().unwrap();
    epigraph()
        .args(["export", dir.path().to_str().unwrap()])
        .assert()
        .success();
    printed_entries(&std::fs::read_to_string(dir.path().join("pratchett")).unwrap())
}

#[test]
fn pratchett_prints_every_fortune_mod_context_line() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/reference/pratchett.fortune-mod"
    );
    let reference = std::fs::read_to_string(path).unwrap_or_else(|e| {
        panic!("{path}: {e}; this test needs fortune-mod's pratchett file from shared/reference")
    });
    let reference = printed_entries(&reference);
    let mut with_context = 0;
    for ours in exported_pratchett() {
        // Same body, or the same words but for a corrected typo or two.
        let words = ours.words();
        let source = reference
            .iter()
            .find(|r| r.body == ours.body)
            .or_else(|| {
                reference.iter().find(|r| {
                    let theirs = r.words();
                    theirs.len() == words.len()
                        && theirs.iter().zip(&words).filter(|(a, b)| a != b).count() <= 2
                })
            })
            .unwrap_or_else(|| panic!("not in fortune-mod's file: {}", ours.body));
        match source.context() {
            Some(context) => {
                with_context += 1;
                assert_eq!(ours.context(), Some(context), "{}", ours.body);
                // fortune-mod's layout: `\t-- CONTEXT`, then `\t   (Author, Work)` on its own line.
                let last = ours.attribution.last().unwrap();
                assert!(ours.attribution.len() >= 2, "{:?}", ours.attribution);
                assert!(
                    last.starts_with("\t   (") && last.ends_with(')'),
                    "{last:?}"
                );
            }
            None => assert_eq!(ours.attribution.len(), 1, "{:?}", ours.attribution),
        }
    }
    assert_eq!(
        with_context, 96,
        "entries whose fortune-mod source has a context line"
    );
}

#[test]
fn pratchett_tags_are_not_book_titles() {
    let slug = |s: &str| {
        s.to_lowercase()
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join("-")
    };
    let (corpus, _) = Corpus::embedded();
    let collection = corpus.collection("pratchett").unwrap();
    let quotes = &corpus.quotes()[collection.range.clone()];
    let works: HashSet<String> = quotes.iter().filter_map(|q| q.work()).map(slug).collect();
    assert!(
        works.contains("guards-guards") && works.contains("mort"),
        "{works:?}"
    );
    for quote in quotes {
        for tag in quote.tags() {
            assert!(
                !works.contains(tag),
                "pratchett:{}: tag {tag:?} is a book",
                quote.line()
            );
        }
    }
}

#[test]
fn pratchett_tags_are_in_the_documented_vocabulary() {
    let doc = include_str!("../docs/format.md");
    let table = doc
        .split("<!-- vocabulary:start -->")
        .nth(1)
        .and_then(|rest| rest.split("<!-- vocabulary:end -->").next())
        .expect("docs/format.md has the vocabulary markers");
    let vocabulary: HashSet<&str> = table
        .lines()
        .filter_map(|row| row.strip_prefix("| `")?.split('`').next())
        .collect();
    assert!(vocabulary.contains("death") && vocabulary.contains("rincewind"));
    let (corpus, _) = Corpus::embedded();
    let collection = corpus.collection("pratchett").unwrap();
    let mut used = HashSet::new();
    for quote in &corpus.quotes()[collection.range.clone()] {
        for tag in quote.tags() {
            assert!(
                vocabulary.contains(tag),
                "pratchett:{}: tag {tag:?} is not in docs/format.md's vocabulary",
                quote.line()
            );
            used.insert(tag);
        }
    }
    // Every pratchett row is used (rows for other collections' tags come after a heading).
    let pratchett_rows = table.split("\n### ").next().unwrap();
    for row in pratchett_rows.lines() {
        if let Some(tag) = row.strip_prefix("| `").and_then(|r| r.split('`').next()) {
            assert!(
                used.contains(tag),
                "vocabulary tag {tag:?} fits no pratchett quote"
            );
        }
    }
}

#[test]
fn the_readme_counts_each_embedded_collection_right() {
    let readme = include_str!("../README.md");
    let (corpus, _) = Corpus::embedded();
    for collection in corpus.collections() {
        let row = format!("| `{}` | {} |", collection.name, collection.len());
        assert!(
            readme.contains(&row),
            "README's collection table should have the row {row:?}"
        );
    }
}
