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
                .tags
                .iter()
                .filter(|t| !collection.header.tags.contains(t))
                .count();
            assert!(
                quote.author.is_some(),
                "{name}:{} has no attribution",
                quote.line
            );
            assert!(own_tags >= 1, "{name}:{} has no tag of its own", quote.line);
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
            .filter(|q| squash(&q.text).contains(needle))
            .collect::<Vec<_>>()
    };
    let fire = find("set fire to him and he's warm for the rest of his life");
    assert!(
        fire.iter().any(|q| q.work.as_deref() == Some("Jingo")
            && q.author.as_deref() == Some("Terry Pratchett"))
    );
    let tax = find("Not reporting such income can lead to prosecution for perjury and fraud.");
    assert_eq!(tax.len(), 1);
    assert!(
        tax[0]
            .text
            .ends_with("\t-- Excerpt from Taxachussetts income tax forms\n")
    );
    let hegseth = find("It blows my mind that I'm even saying these things");
    assert_eq!(hegseth[0].author.as_deref(), Some("Pete Hegseth"));
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
