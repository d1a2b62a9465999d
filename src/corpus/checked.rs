//! Loading for a server: the collection files are run through `epigraph check`'s rules while
//! they load, and an entry whose id was already loaded is left out (the first file wins), so
//! every id names exactly one served quote.
//!
//! The check findings become warnings: the server logs them with file and line but still
//! serves the file, as it always has; `epigraph check` is where they fail.

use super::lint::{Duplicates, Vocabulary, lint_text};
use super::{Corpus, Origin, Source};
use crate::diagnostic::{Diagnostic, Severity};
use crate::quote::QuoteId;
use std::collections::HashSet;
use std::path::Path;

impl Corpus {
    /// Like [`Corpus::load_paths`], plus a warning for each problem `epigraph check` finds in
    /// the files (never in the embedded collections, which are checked when built), and with
    /// a repeated id served once: from the first file that has it, in load order.
    pub fn load_paths_checked<P: AsRef<Path>>(paths: &[P]) -> (Corpus, Vec<Diagnostic>) {
        let (sources, mut diagnostics) = Source::all_for(paths);
        let embedded: HashSet<String> = sources
            .iter()
            .filter(|s| matches!(s.origin, Origin::Embedded(_)))
            .map(|s| s.name.clone())
            .collect();
        let mut duplicates = Duplicates::default();
        let mut seen: HashSet<QuoteId> = HashSet::new();
        let (corpus, loaded) = Corpus::load_each(&sources, |source, text, header, quotes| {
            let mut found = Vec::new();
            let is_file = source.path().is_some();
            if is_file {
                // As `epigraph check` does: a file standing for an embedded collection, or one
                // that asks for it, keeps to the documented tag vocabulary.
                let vocabulary = (header.require_vocabulary || embedded.contains(&source.name))
                    .then(Vocabulary::documented);
                found.extend(lint_text(text, &source.label(), header, vocabulary));
            }
            let mut kept = Vec::with_capacity(quotes.len());
            for quote in quotes {
                let repeat = duplicates.add(&source.label(), &quote);
                if is_file {
                    found.extend(repeat);
                }
                if seen.insert(quote.id) {
                    kept.push(quote);
                }
            }
            (kept, found.into_iter().map(as_warning).collect())
        });
        diagnostics.extend(loaded);
        (corpus, diagnostics)
    }
}

/// A check error as a load warning, marked as coming from `epigraph check`.
fn as_warning(mut diagnostic: Diagnostic) -> Diagnostic {
    if diagnostic.severity == Severity::Error {
        diagnostic.severity = Severity::Warning;
        diagnostic.message = format!("check: {}", diagnostic.message);
    }
    diagnostic
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_problems_are_warnings_with_lines_and_a_repeated_id_is_served_once() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        std::fs::write(&a, "First quote.\n%\nSecond quote.\n%\n").unwrap();
        std::fs::write(&b, "%% colour: red\n%\nSecond quote.\n%\nThird quote.\n%\n").unwrap();
        let (plain, _) = Corpus::load_paths(&[&a, &b]);
        let (corpus, diagnostics) = Corpus::load_paths_checked(&[&a, &b]);
        assert_eq!(corpus.quotes().len() + 1, plain.quotes().len());
        let texts = |c: &Corpus, name: &str| -> Vec<String> {
            let collection = c.collections().iter().find(|c| c.name == name).unwrap();
            c.quotes()[collection.range.clone()]
                .iter()
                .map(|q| q.text().to_string())
                .collect()
        };
        assert_eq!(texts(&corpus, "a"), ["First quote.\n", "Second quote.\n"]);
        assert_eq!(texts(&corpus, "b"), ["Third quote.\n"]);
        let id = corpus
            .quotes()
            .iter()
            .find(|q| q.text() == "Second quote.\n")
            .unwrap()
            .id;
        let lines: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
        let (a, b) = (a.display(), b.display());
        assert_eq!(
            lines,
            [
                format!(
                    "{b}:1: warning: check: unknown metadata key \"colour\" (known: name, \
                     description, tags, licence, license, source, require)"
                ),
                format!(
                    "{b}:3: warning: check: duplicate of {a}:3 (id {})",
                    id.hex()
                ),
            ]
        );
        assert!(diagnostics.iter().all(|d| d.severity == Severity::Warning));
        assert!(
            diagnostics.iter().all(|d| d.file != "pratchett"),
            "{lines:#?}"
        );
    }
}
