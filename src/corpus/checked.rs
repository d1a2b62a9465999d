//! Loading for a server: the collection files are run through `epigraph check`'s rules while
//! they load, and an entry whose id was already loaded is left out (the first file wins), so
//! every id names exactly one served quote.
//!
//! The check findings become warnings: the server logs them with file and line but still
//! serves the file, as it always has; `epigraph check` is where they fail.

use super::lint::{Duplicates, Vocabulary, lint_text_capped};
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
            let (mut found, mut total) = (Vec::new(), 0);
            let is_file = source.path().is_some();
            let label = source.label();
            if is_file {
                // As `epigraph check` does: a file standing for an embedded collection, or one
                // that asks for it, keeps to the documented tag vocabulary.
                let vocabulary = (header.require_vocabulary || embedded.contains(&source.name))
                    .then(Vocabulary::documented);
                (found, total) = lint_text_capped(text, &label, header, vocabulary, LOGGED);
            }
            let mut kept = Vec::with_capacity(quotes.len());
            for quote in quotes {
                let repeat = duplicates.add(&label, &quote);
                if let Some(repeat) = repeat.filter(|_| is_file) {
                    total += 1;
                    if found.len() < LOGGED {
                        found.push(repeat);
                    }
                }
                if seen.insert(quote.id) {
                    kept.push(quote);
                }
            }
            let mut found: Vec<Diagnostic> = found.into_iter().map(as_warning).collect();
            if total > found.len() {
                found.push(Diagnostic::warning(
                    &label,
                    None,
                    format!(
                        "check: {} more problems not logged; `epigraph check {label}` lists them all",
                        total - found.len()
                    ),
                ));
            }
            (kept, found)
        });
        diagnostics.extend(loaded);
        (corpus, diagnostics)
    }
}

/// The check findings logged per file at most, so a file with a problem on every entry does not
/// flood the log (or memory) at every start; the rest are counted in one line.
const LOGGED: usize = 20;

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

    #[test]
    fn a_file_with_a_problem_on_every_entry_logs_twenty_and_a_count() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("noisy");
        let text: String = (0..30).map(|i| format!("Quote {i} \n%\n")).collect();
        std::fs::write(&path, text).unwrap();
        let (corpus, diagnostics) = Corpus::load_paths_checked(&[&path]);
        assert_eq!(corpus.collection("noisy").unwrap().len(), 30);
        let lines: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
        assert_eq!(lines.len(), LOGGED + 1, "{lines:#?}");
        assert!(
            lines[0].ends_with(":1: warning: check: trailing white space"),
            "{}",
            lines[0]
        );
        let p = path.display();
        assert_eq!(
            lines[LOGGED],
            format!(
                "{p}: warning: check: 10 more problems not logged; `epigraph check {p}` lists them all"
            )
        );
    }
}
