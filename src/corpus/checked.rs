//! Loading for a server: an entry whose id was already loaded is left out (the first file
//! wins), so every id names exactly one served quote; and the files are run through
//! `epigraph check`'s rules, as a [`PendingCheck`] the server runs once it is serving.
//!
//! The check findings become warnings: the server logs them with file and line but still
//! serves the file, as it always has; `epigraph check` is where they fail. Checking a million
//! entries takes longer than loading them, so it does not hold up the start.

use super::lint::{Duplicates, Vocabulary, lint_text_capped};
use super::{Corpus, Origin, Source};
use crate::diagnostic::{Diagnostic, Severity};
use crate::quote::QuoteId;
use std::collections::HashSet;
use std::path::Path;

/// The check of the files of a loaded corpus, to run when convenient: [`PendingCheck::run`].
#[derive(Debug, Default)]
pub struct PendingCheck {
    files: Vec<FileCheck>,
}

/// One file to check.
#[derive(Debug)]
struct FileCheck {
    /// Its collection in the corpus.
    collection: usize,
    /// Whether it must keep to the documented tag vocabulary.
    vocabulary: bool,
    /// Entries left out because their id was loaded before: (line, id).
    repeats: Vec<(usize, QuoteId)>,
}

impl Corpus {
    /// Like [`Corpus::load_paths`], with a repeated id served once: from the first file that
    /// has it, in load order. Also returns the check of the files (never of the embedded
    /// collections, which are checked when built).
    pub fn load_paths_checked<P: AsRef<Path>>(
        paths: &[P],
    ) -> (Corpus, Vec<Diagnostic>, PendingCheck) {
        Corpus::load_again_checked(paths, None)
    }

    /// Like [`Corpus::load_paths_checked`], for a reload: a file `previous` read that has not
    /// changed since is not read again, the new corpus shares its text.
    pub fn load_again_checked<P: AsRef<Path>>(
        paths: &[P],
        previous: Option<&Corpus>,
    ) -> (Corpus, Vec<Diagnostic>, PendingCheck) {
        let (sources, mut diagnostics) = Source::all_for(paths);
        let embedded: HashSet<String> = sources
            .iter()
            .filter(|s| matches!(s.origin, Origin::Embedded(_)))
            .map(|s| s.name.clone())
            .collect();
        let mut seen: foldhash::HashSet<QuoteId> = foldhash::HashSet::default();
        let mut check = PendingCheck::default();
        let mut collection = 0;
        let (corpus, loaded) =
            Corpus::load_each(&sources, previous, |source, header, quotes, start| {
                let mut file = FileCheck {
                    collection,
                    // As `epigraph check` does: a file standing for an embedded collection, or one
                    // that asks for it, keeps to the documented tag vocabulary.
                    vocabulary: header.require_vocabulary || embedded.contains(&source.name),
                    repeats: Vec::new(),
                };
                collection += 1;
                // Keeps the first quote of each id, moving the kept ones down in place (the set
                // sized once, not rehashed as it doubles).
                seen.reserve(quotes.len() - start);
                let mut kept = start;
                for at in start..quotes.len() {
                    let (line, id) = (quotes[at].line(), quotes[at].id);
                    if seen.insert(id) {
                        quotes.swap(kept, at);
                        kept += 1;
                    } else {
                        file.repeats.push((line, id));
                    }
                }
                quotes.truncate(kept);
                if source.path().is_some() {
                    check.files.push(file);
                }
            });
        diagnostics.extend(loaded);
        (corpus, diagnostics, check)
    }
}

impl PendingCheck {
    /// Whether there is nothing to check (no collection files were loaded).
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The entries of `corpus` this check reads.
    pub fn entries(&self, corpus: &Corpus) -> usize {
        let collections = corpus.collections();
        self.files
            .iter()
            .map(|f| collections.get(f.collection).map_or(0, |c| c.len()) + f.repeats.len())
            .sum()
    }

    /// The check findings for `corpus` (the one this check came with) as warnings: at most
    /// [`LOGGED`] per file in file order, then one line counting the rest.
    pub fn run(&self, corpus: &Corpus) -> Vec<Diagnostic> {
        self.run_while(corpus, &|| true).unwrap_or_default()
    }

    /// [`PendingCheck::run`], given up (`None`) as soon as `keep_going` says so: it is asked
    /// every few thousand entries, so a server whose corpus is being replaced frees the check's
    /// memory rather than finishing it for quotes about to go.
    pub fn run_while(
        &self,
        corpus: &Corpus,
        keep_going: &dyn Fn() -> bool,
    ) -> Option<Vec<Diagnostic>> {
        let collections = corpus.collections();
        let mut checked = self.files.iter().peekable();
        let mut duplicates = Duplicates::with_capacity(corpus.quotes().len());
        let mut out = Vec::new();
        // Every collection feeds the duplicate check, in load order, so a file repeating an
        // embedded quote is told which one; only the files' findings are reported.
        for (c, collection) in collections.iter().enumerate() {
            let label = &collection.label;
            let quotes = &corpus.quotes()[collection.range.clone()];
            let Some(file) = checked.next_if(|f| f.collection == c) else {
                for quote in quotes {
                    duplicates.add(label, quote);
                }
                continue;
            };
            if !keep_going() {
                return None;
            }
            let vocabulary = file.vocabulary.then(Vocabulary::documented);
            let header = &collection.header;
            let (mut found, mut total) = lint_text_capped(
                collection.text(),
                label,
                header,
                vocabulary,
                LOGGED,
                keep_going,
            )?;
            let mut repeats = file.repeats.iter().peekable();
            let mut note = |finding: Diagnostic| {
                total += 1;
                if found.len() < LOGGED {
                    found.push(finding);
                }
            };
            for (n, quote) in quotes.iter().enumerate() {
                if n % (1 << 14) == 0 && !keep_going() {
                    return None;
                }
                while let Some(&(line, id)) = repeats.next_if(|r| r.0 < quote.line()) {
                    note(repeat_of(corpus, label, line, id));
                }
                if let Some(repeat) = duplicates.add(label, quote) {
                    note(repeat);
                }
            }
            for &(line, id) in repeats {
                note(repeat_of(corpus, label, line, id));
            }
            out.extend(found.into_iter().map(as_warning));
            if total > LOGGED {
                out.push(Diagnostic::warning(
                    label,
                    None,
                    format!(
                        "check: {} more problems not logged; `epigraph check {label}` lists them all",
                        total - LOGGED
                    ),
                ));
            }
        }
        Some(out)
    }
}

/// The finding for an entry left out because the quote `id` was loaded before it.
fn repeat_of(corpus: &Corpus, file: &str, line: usize, id: QuoteId) -> Diagnostic {
    let first = corpus
        .get(id)
        .map(|q| (corpus.collection_of(q).label.as_str(), q.line()));
    Duplicates::exact(file, line, first.unwrap_or(("?", 0)), id)
}

/// The check findings logged per file at most, so a file with a problem on every entry does not
/// flood the log (or memory) at every start; the rest are counted in one line.
pub const LOGGED: usize = 20;

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
    fn a_check_told_to_stop_gives_up_and_one_left_alone_finishes() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f");
        std::fs::write(&file, "%% colour: red\n%\nOne.\n%\nOne.\n%\n").unwrap();
        let (corpus, _, check) = Corpus::load_paths_checked(&[&file]);
        let asked = std::cell::Cell::new(0);
        let stop_at_once = || {
            asked.set(asked.get() + 1);
            false
        };
        assert_eq!(check.run_while(&corpus, &stop_at_once), None);
        assert_eq!(asked.get(), 1, "asked once, before any work");
        let finished = check.run_while(&corpus, &|| true).unwrap();
        assert_eq!(finished, check.run(&corpus));
        assert!(finished.len() >= 2, "{finished:?}");
    }

    #[test]
    fn check_problems_are_warnings_with_lines_and_a_repeated_id_is_served_once() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        std::fs::write(&a, "First quote.\n%\nSecond quote.\n%\n").unwrap();
        std::fs::write(&b, "%% colour: red\n%\nSecond quote.\n%\nThird quote.\n%\n").unwrap();
        let (plain, _) = Corpus::load_paths(&[&a, &b]);
        let (corpus, mut diagnostics, check) = Corpus::load_paths_checked(&[&a, &b]);
        diagnostics.extend(check.run(&corpus));
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
        let (corpus, mut diagnostics, check) = Corpus::load_paths_checked(&[&path]);
        diagnostics.extend(check.run(&corpus));
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

    #[test]
    fn a_reload_shares_the_text_of_files_left_alone_and_reads_changed_ones() {
        let dir = tempfile::tempdir().unwrap();
        let (kept, edited) = (dir.path().join("kept"), dir.path().join("edited"));
        std::fs::write(&kept, "Kept one.\n\t-- Ann\n%\nKept two.\n%\n").unwrap();
        std::fs::write(&edited, "Old text.\n%\n").unwrap();
        // Files changed within the last second are always read again (see `stamp`).
        std::thread::sleep(std::time::Duration::from_millis(1100));
        let (first, _, _) = Corpus::load_paths_checked(&[dir.path()]);
        std::fs::write(&edited, "New text.\n%\n").unwrap();
        let (again, diagnostics, _) = Corpus::load_again_checked(&[dir.path()], Some(&first));
        assert_eq!(diagnostics, []);
        let text = |c: &Corpus, name: &str| c.collection(name).unwrap().text().as_ptr();
        assert_eq!(
            text(&again, "kept"),
            text(&first, "kept"),
            "the same buffer"
        );
        assert_ne!(text(&again, "edited"), text(&first, "edited"));
        let quotes =
            |c: &Corpus| -> Vec<String> { c.quotes().iter().map(|q| format!("{q:?}")).collect() };
        let (fresh, _, _) = Corpus::load_paths_checked(&[dir.path()]);
        assert_eq!(quotes(&again), quotes(&fresh), "as if read anew");
        assert!(fresh.quotes().iter().any(|q| q.text() == "New text.\n"));
    }
}
