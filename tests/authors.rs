//! No author a person reads is a year: the attribution parser over every embedded quote and
//! every installed Debian fortune file.

use epigraph::corpus::{Corpus, Source};
use epigraph::quote::is_year;
use std::path::Path;

fn assert_no_year_authors(corpus: &Corpus) -> usize {
    let mut with_year = 0;
    for quote in corpus.quotes() {
        if let Some(author) = &quote.author() {
            assert!(
                !is_year(author) && !author.chars().all(|c| c.is_ascii_digit() || c == '-'),
                "author {author:?} is a year, in {}:{}:\n{}",
                corpus.collection_of(quote).label,
                quote.line(),
                quote.text()
            );
        }
        with_year += quote.year().is_some() as usize;
    }
    with_year
}

#[test]
fn embedded_authors_are_names_and_the_irs_is_one_author() {
    let (corpus, _) = Corpus::embedded();
    assert_no_year_authors(&corpus);
    let irs = corpus
        .quotes()
        .iter()
        .filter(|q| q.author() == Some("IRS"))
        .count();
    assert!(
        irs >= 30,
        "only {irs} tax-form quotes are credited to the IRS"
    );
    // Each tax entry's year is checked in tests/tax_sources.rs.
}

#[test]
fn debian_fortune_authors_are_never_years() {
    let dir = Path::new("/usr/share/games/fortunes");
    if !dir.is_dir() {
        assert!(
            std::env::var_os("EPIGRAPH_REQUIRE_FORTUNE").is_none(),
            "EPIGRAPH_REQUIRE_FORTUNE is set but {} is missing: apt-get install fortunes",
            dir.display()
        );
        eprintln!(
            "SKIPPED: {} is missing (apt-get install fortunes)",
            dir.display()
        );
        return;
    }
    let (corpus, _) = Corpus::load(&Source::dir(dir).unwrap());
    assert!(corpus.quotes().len() > 1000);
    let with_year = assert_no_year_authors(&corpus);
    assert!(
        with_year > 50,
        "only {with_year} Debian fortunes have a year"
    );
}
