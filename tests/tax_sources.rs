//! Every tax-forms entry, as the parser reads it, names its author, its work and the year of
//! the edition it quotes, says where its words can be read and which form they come from. An
//! entry that no dated public copy shows is dropped, so none is left without a year, with one
//! exception: the seed line (the classic Taxachussetts fortune the seed article ends with),
//! which is kept undated and says why in a `seed-undated:` note.

use epigraph::corpus::Corpus;
use epigraph::quote::{Quote, is_year};

fn tax_forms() -> Vec<Quote> {
    let (corpus, _) = Corpus::embedded();
    let collection = corpus
        .collection("tax-forms")
        .expect("tax-forms is embedded");
    corpus.quotes()[collection.range.clone()].to_vec()
}

/// What is missing or wrong in one entry's metadata.
fn problems(quote: &Quote) -> Vec<String> {
    let mut found = Vec::new();
    match quote.author() {
        None => found.push("no author".to_string()),
        Some(a) if is_year(a) || a.chars().all(|c| c.is_ascii_digit() || c == '-') => {
            found.push(format!("author {a:?}"))
        }
        Some(_) => {}
    }
    if quote.work().is_none() {
        found.push("no work".into());
    }
    let year = quote.year().and_then(|y| y.parse::<u32>().ok());
    let seed_undated = quote
        .meta("note")
        .is_some_and(|n| n.starts_with("seed-undated:"))
        && quote
            .meta("source")
            .is_some_and(|s| s.contains("seed article"));
    if !seed_undated && !year.is_some_and(|y| (1900..=2030).contains(&y)) {
        found.push(format!("year {:?}: give the edition's year", quote.year()));
    }
    // The word once used to excuse a missing year; a dated entry must not keep it either.
    if quote.meta("note").is_some_and(|n| n.starts_with("undated")) {
        found.push("note still says `undated`".into());
    }
    if quote.meta("source").is_none() && quote.meta("url").is_none() {
        found.push("neither `%% source:` nor `%% url:`".into());
    }
    if quote.meta("form").is_none() {
        found.push("no `%% form:`".into());
    }
    found
}

#[test]
fn every_entry_has_author_work_and_year() {
    let quotes = tax_forms();
    assert!(quotes.len() >= 40, "only {} entries", quotes.len());
    let report: Vec<String> = quotes
        .iter()
        .flat_map(|q| {
            problems(q)
                .into_iter()
                .map(|p| format!("tax-forms:{}: {p}", q.line()))
        })
        .collect();
    assert!(report.is_empty(), "{}", report.join("\n"));
}

#[test]
fn the_rule_rejects_what_it_should() {
    let text = "A.\n\t-- 2013\n%\nB.\n\t-- IRS, Publication 17\n%% form: Publication 17\n%% url: u\n%\nC.\n\t-- IRS, Publication 17 (2013)\n%% form: Publication 17\n%% source: s\n%\nD.\n\t-- State, Page\n%% form: Page\n%% url: u\n%% note: undated: a web page\n%\nE.\n\t-- State, Page (1897)\n%% form: Page\n%% url: u\n%\n";
    let quotes = epigraph::parser::parse_collection(text, 0).quotes;
    let found: Vec<Vec<String>> = quotes.iter().map(problems).collect();
    assert_eq!(found[0].len(), 4, "{:?}", found[0]);
    assert_eq!(found[1], ["year None: give the edition's year"]);
    assert!(found[2].is_empty(), "{found:?}");
    assert_eq!(
        found[3],
        [
            "year None: give the edition's year",
            "note still says `undated`"
        ]
    );
    assert_eq!(found[4], ["year Some(\"1897\"): give the edition's year"]);
}

#[test]
fn the_court_speaks_inside_the_irs_document() {
    let quotes = tax_forms();
    let sloan = quotes
        .iter()
        .find(|q| q.text().contains("Like moths to a flame"))
        .expect("the Sloan entry");
    assert_eq!(sloan.author(), Some("IRS"));
    assert_eq!(
        sloan.work(),
        Some("The Truth About Frivolous Tax Arguments")
    );
    assert_eq!(
        sloan.context(),
        Some("Seventh Circuit, United States v. Sloan (1991)")
    );
    assert_eq!(sloan.meta("speaker"), Some("court"));
}
