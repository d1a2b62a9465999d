//! Shared fixture for the content-policy tests: two collection files whose quotes are easy to
//! recognise in any output (every `politics` quote says "zebra", every `wit` quote "otter",
//! every quote of the `off` collection "walrus"), and the expected answers computed from the
//! same files with the library. Include after `common/server.rs` as `mod common`.
#![allow(dead_code)]

use epigraph::corpus::{Corpus, Day, quote_of_the_day};
use epigraph::quote::Quote;
use std::collections::BTreeSet;
use std::path::PathBuf;

/// Quotes per generated kind.
pub const EACH: usize = 40;

/// The collection directory; removed on drop.
pub struct Fixture {
    pub dir: tempfile::TempDir,
}

impl Fixture {
    pub fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let mut mixed = String::new();
        for i in 0..EACH {
            mixed.push_str(&format!(
                "Zebra ballot number {i} decides it.\n\t-- Polly Tician, Speeches\n%% tags: politics\n%\n"
            ));
            mixed.push_str(&format!(
                "Otter pun number {i} lands well.\n\t-- Witty Wendy, Jokes\n%% tags: wit\n%\n"
            ));
        }
        mixed.push_str("Plain words about gardens.\n\t-- Ann Both, Notes\n%% tags: misc\n%\n");
        mixed.push_str(
            "An aside about the zebra vote.\n\t-- Ann Both, Notes\n%% tags: misc, politics\n%\n",
        );
        let mut off = String::new();
        for i in 0..EACH {
            off.push_str(&format!(
                "Walrus insult number {i} is rude.\n\t-- Ann Both, Rude Notes\n%% tags: misc\n%\n"
            ));
        }
        std::fs::write(dir.path().join("mixed.fortune"), mixed).unwrap();
        std::fs::write(dir.path().join("off.fortune"), off).unwrap();
        Fixture { dir }
    }

    pub fn path(&self) -> String {
        self.dir.path().display().to_string()
    }

    pub fn file(&self, name: &str) -> String {
        self.dir.path().join(name).display().to_string()
    }

    /// The corpus `epigraph serve --quotes DIR` loads.
    pub fn corpus(&self) -> Corpus {
        Corpus::load_paths_checked(&[PathBuf::from(self.path())]).0
    }
}

/// A face's rules as the tests state them: quotes with these tags or in these collections are
/// denied.
pub struct Rules<'a> {
    pub tags: &'a [&'a str],
    pub collections: &'a [&'a str],
}

impl Rules<'_> {
    pub fn denies(&self, corpus: &Corpus, quote: &Quote) -> bool {
        quote.tags().any(|t| self.tags.contains(&t))
            || self
                .collections
                .contains(&corpus.collection_of(quote).name.as_str())
    }

    /// Indexes of the allowed quotes, in corpus order.
    pub fn allowed(&self, corpus: &Corpus) -> Vec<u32> {
        (0..corpus.quotes().len() as u32)
            .filter(|&i| !self.denies(corpus, &corpus.quotes()[i as usize]))
            .collect()
    }

    pub fn allowed_ids(&self, corpus: &Corpus) -> BTreeSet<String> {
        self.allowed(corpus)
            .iter()
            .map(|&i| corpus.quotes()[i as usize].id.hex())
            .collect()
    }

    pub fn denied_ids(&self, corpus: &Corpus) -> Vec<String> {
        corpus
            .quotes()
            .iter()
            .filter(|q| self.denies(corpus, q))
            .map(|q| q.id.hex())
            .collect()
    }

    /// The id of the quote of `day` among the allowed quotes.
    pub fn today(&self, corpus: &Corpus, day: &str) -> String {
        let day = Day::parse(day).unwrap();
        let i = quote_of_the_day(corpus.quotes(), &self.allowed(corpus), day).unwrap();
        corpus.quotes()[i as usize].id.hex()
    }
}

/// The marker words of the quotes a face must never show, found in `text` (case-insensitive).
pub fn markers<'a>(text: &str, words: &[&'a str]) -> Vec<&'a str> {
    let text = text.to_lowercase();
    words.iter().copied().filter(|w| text.contains(w)).collect()
}

/// `n` consecutive days from 2026-01-01, as `YYYY-MM-DD`.
pub fn days(n: i64) -> Vec<String> {
    let first = Day::parse("2026-01-01").unwrap().number();
    (0..n)
        .map(|k| Day::from_number(first + k).to_string())
        .collect()
}
