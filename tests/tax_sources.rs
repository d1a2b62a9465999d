//! Every tax-forms entry names its author, its work and the year of the edition it quotes, in
//! one of the attribution forms the parser reads (or in `%% author:`/`%% work:`/`%% year:`),
//! says where its words can be read, and an entry without a year says why it has none.

use epigraph::parser::metadata_line;
use epigraph::quote::split_attribution;
use regex::Regex;
use std::collections::HashMap;

const COLLECTION: &str = include_str!("../quotes/tax-forms.fortune");

/// Author, work and year an attribution block states, in the forms the attribution parser reads.
fn stated(block: &str) -> (Option<String>, Option<String>, Option<String>) {
    let lines: Vec<&str> = block
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let Some(first) = lines.first().and_then(|l| l.strip_prefix("--")) else {
        return (None, None, None);
    };
    let last = lines[lines.len() - 1];
    let credit = if lines.len() > 1 { last } else { first.trim() };
    let credit = match credit.strip_prefix('(') {
        Some(inner) => inner.strip_suffix(')').unwrap_or(inner),
        None => credit,
    };
    let year_paren = Regex::new(r"^(.*?) \((\d{4})\)$").unwrap();
    let year_comma = Regex::new(r"^(.*), (\d{4})$").unwrap();
    let (credit, year) = if let Some(c) = year_paren.captures(credit) {
        (c[1].to_string(), Some(c[2].to_string()))
    } else if let Some(c) = year_comma.captures(credit) {
        (c[1].to_string(), Some(c[2].to_string()))
    } else {
        (credit.to_string(), None)
    };
    match credit.split_once(", ") {
        Some((author, work)) => (Some(author.into()), Some(work.into()), year),
        None => (Some(credit), None, year),
    }
}

/// One entry: its first line, printed text and `%% key: value` metadata.
struct Entry {
    line: usize,
    text: String,
    meta: HashMap<String, String>,
}

impl Entry {
    fn meta(&self, key: &str) -> Option<&str> {
        self.meta.get(key).map(String::as_str)
    }
}

/// The entries of the collection (the header block skipped), read straight from the file so
/// that `%% author:` and `%% work:` overrides are seen as written.
fn entries() -> Vec<Entry> {
    let mut out = Vec::new();
    let mut line = 1;
    for chunk in COLLECTION.split("\n%\n") {
        let mut entry = Entry {
            line,
            text: String::new(),
            meta: HashMap::new(),
        };
        for l in chunk.lines() {
            if let Some((key, value)) = metadata_line(l) {
                entry.meta.insert(key, value.to_string());
            } else if !l.starts_with("%%") {
                entry.text.push_str(l);
                entry.text.push('\n');
            }
        }
        line += chunk.lines().count() + 1;
        if !entry.text.trim().is_empty() {
            out.push(entry);
        }
    }
    out
}

#[test]
fn every_entry_has_author_work_and_year_or_says_why_not() {
    let quotes = entries();
    assert!(quotes.len() >= 40, "only {} entries", quotes.len());
    let number = Regex::new(r"^[\d\s./–-]+$").unwrap();
    let mut problems = Vec::new();
    for quote in &quotes {
        let (_, block) = split_attribution(&quote.text);
        let (author, work, year) = stated(block);
        let author = quote.meta("author").map(String::from).or(author);
        let work = quote.meta("work").map(String::from).or(work);
        let line = quote.line;
        match author.as_deref() {
            None => problems.push(format!("{line}: no author")),
            Some(a) if number.is_match(a) => problems.push(format!("{line}: author {a:?}")),
            Some(_) => {}
        }
        if work.is_none() {
            problems.push(format!("{line}: no work"));
        }
        if let (Some(printed), Some(meta)) = (&year, quote.meta("year")) {
            if printed != meta {
                problems.push(format!("{line}: prints ({printed}) but says year {meta}"));
            }
        }
        let year = year.or(quote.meta("year").map(String::from));
        let undated = quote
            .meta("note")
            .is_some_and(|n| n.starts_with("undated: "));
        match (year, undated) {
            (Some(y), false) if (1900..=2030).contains(&y.parse::<u32>().unwrap_or(0)) => {}
            (None, true) => {}
            (year, _) => problems.push(format!(
                "{line}: year {year:?}; an entry without a year starts its note with `undated:`"
            )),
        }
        if quote.meta("source").is_none() && quote.meta("url").is_none() {
            problems.push(format!("{line}: neither `%% source:` nor `%% url:`"));
        }
        if quote.meta("form").is_none() {
            problems.push(format!("{line}: no `%% form:`"));
        }
    }
    assert!(
        problems.is_empty(),
        "tax-forms.fortune:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_forms_are_read_as_documented() {
    let s = |v: &str| Some(v.to_string());
    assert_eq!(
        stated("\t-- IRS, Publication 17 (2013)\n"),
        (s("IRS"), s("Publication 17"), s("2013"))
    );
    assert_eq!(
        stated("\t-- IRS, Form 1040, 2013\n"),
        (s("IRS"), s("Form 1040"), s("2013"))
    );
    assert_eq!(
        stated(
            "\t-- Seventh Circuit (1991)\n\t   (IRS, The Truth About Frivolous Tax Arguments)\n"
        ),
        (s("IRS"), s("The Truth About Frivolous Tax Arguments"), None)
    );
    assert_eq!(stated("\t-- IRS (2013)\n"), (s("IRS"), None, s("2013")));
    assert_eq!(stated(""), (None, None, None));
}
