//! Duplicates across every collection being checked: the same body (the same id), or the same
//! words once case, quote marks, dashes and punctuation are folded away (a near-duplicate).
//!
//! Ids stay exact (see docs/format.md, "Stable ids"): folding punctuation into the id would
//! change the id of most entries. A near-duplicate that is meant — the same line quoted by two
//! sources, each with its own punctuation — says so with `%% duplicate-of: ID` on either entry.

use crate::diagnostic::Diagnostic;
use crate::quote::{Quote, QuoteId};
use std::collections::HashMap;
use std::hash::BuildHasher;

/// Where an entry was first seen: a few words per entry, so a server can check a million.
#[derive(Debug, Clone)]
struct Seen {
    /// Index into [`Duplicates::files`].
    file: u32,
    line: u32,
    id: QuoteId,
    /// Ids this entry says it knowingly repeats (`%% duplicate-of:`); almost always none, so
    /// behind one pointer.
    repeats: Option<Box<Box<[Box<str>]>>>,
}

impl Seen {
    fn repeats(&self) -> &[Box<str>] {
        self.repeats.as_deref().map_or(&[], |r| r)
    }
}

/// Collects entries one at a time and reports each that repeats an earlier one.
///
/// Near-duplicates are keyed by a 64-bit hash of the folded words rather than the words, so
/// memory does not grow with the text; two different bodies would have to collide (odds about
/// 1 in 10^7 at a million entries) to be reported wrongly. Both maps hold a position in
/// `seen`, so an entry's record is kept once (at a million entries the maps and records take
/// about 90 MB, half what records in each map took).
#[derive(Debug, Default)]
pub struct Duplicates {
    files: Vec<String>,
    seen: Vec<Seen>,
    by_id: HashMap<QuoteId, u32>,
    by_words: HashMap<u64, u32>,
    folded: String,
}

impl Duplicates {
    /// Ready for about `entries` entries, so the maps never grow (a growing map briefly holds
    /// its old table beside the new one).
    pub fn with_capacity(entries: usize) -> Duplicates {
        Duplicates {
            seen: Vec::with_capacity(entries),
            by_id: HashMap::with_capacity(entries),
            by_words: HashMap::with_capacity(entries),
            ..Duplicates::default()
        }
    }

    /// Records `quote` from `file`; a diagnostic if it repeats an entry recorded before.
    pub fn add(&mut self, file: &str, quote: &Quote) -> Option<Diagnostic> {
        if self.files.last().is_none_or(|f| f != file) {
            self.files.push(file.to_string());
        }
        if let Some(&first) = self.by_id.get(&quote.id) {
            let first = &self.seen[first as usize];
            let at = (
                self.files[first.file as usize].as_str(),
                first.line as usize,
            );
            return Some(Duplicates::exact(file, quote.line(), at, first.id));
        }
        let repeats: Box<[Box<str>]> = quote
            .meta_pairs()
            .filter(|(k, _)| *k == "duplicate-of")
            .map(|(_, v)| v.trim().into())
            .collect();
        let at = self.seen.len() as u32;
        self.seen.push(Seen {
            file: (self.files.len() - 1) as u32,
            line: quote.line() as u32,
            id: quote.id,
            repeats: (!repeats.is_empty()).then(|| Box::new(repeats)),
        });
        self.by_id.insert(quote.id, at);
        fold_into(quote.body(), &mut self.folded);
        let words = foldhash::quality::FixedState::default().hash_one(&self.folded);
        if let Some(&first) = self.by_words.get(&words) {
            let (seen, first) = (&self.seen[at as usize], &self.seen[first as usize]);
            let (id, first_id) = (quote.id.hex(), first.id.hex());
            let meant = seen.repeats().iter().any(|r| **r == first_id)
                || first.repeats().iter().any(|r| **r == id);
            if meant {
                return None;
            }
            let message = format!(
                "near-duplicate of {}:{} (id {}): the same words apart from case, quote marks, \
                 dashes and punctuation; if both are meant, add `%% duplicate-of: {}`",
                self.files[first.file as usize], first.line, first.id, first.id
            );
            return Some(Diagnostic::error(file, Some(quote.line()), message));
        }
        self.by_words.insert(words, at);
        None
    }
}

impl Duplicates {
    /// The finding for the entry at `file:line` that repeats quote `id`, first seen at `first`
    /// (file and line).
    pub fn exact(file: &str, line: usize, first: (&str, usize), id: QuoteId) -> Diagnostic {
        let message = format!("duplicate of {}:{} (id {id})", first.0, first.1);
        Diagnostic::error(file, Some(line), message)
    }
}

/// The words of a body: lower-case, apostrophes dropped (`he's` = `he’s` = `hes`), every other
/// run of quote marks, dashes, punctuation and white space one space.
pub fn fold(body: &str) -> String {
    let mut out = String::new();
    fold_into(body, &mut out);
    out
}

/// [`fold`] into a reused buffer.
fn fold_into(body: &str, out: &mut String) {
    out.clear();
    let mut gap = false;
    for c in body.chars() {
        if matches!(c, '\'' | '’' | '‘' | '`' | '´' | 'ʼ') {
            continue;
        }
        if c.is_alphanumeric() {
            if gap && !out.is_empty() {
                out.push(' ');
            }
            gap = false;
            out.extend(c.to_lowercase());
        } else {
            gap = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parser::parse_collection;

    fn check(files: &[(&str, &str)]) -> Vec<String> {
        let mut dups = Duplicates::default();
        let mut found = Vec::new();
        for (name, text) in files {
            for quote in parse_collection(text, 0).quotes {
                found.extend(dups.add(name, &quote).map(|d| d.to_string()));
            }
        }
        found
    }

    #[test]
    fn folding_ignores_case_quotes_dashes_and_punctuation() {
        assert_eq!(
            fold("\"Give a man a fire and he's warm—for a day.\""),
            fold("give a man a fire and he’s warm - for a day")
        );
        assert_eq!(fold("  Ill/on-holiday… "), "ill on holiday");
        assert_ne!(fold("a fire"), fold("a fir e"));
    }

    #[test]
    fn exact_and_near_duplicates_across_files() {
        let found = check(&[
            ("a", "\"Set fire to him.\"\n\t-- X, Y\n%\nOther.\n"),
            ("b", "set fire to him\n\t-- Z\n%\nOther.\n"),
        ]);
        assert_eq!(found.len(), 2, "{found:#?}");
        assert!(found[0].starts_with("b:1: error: near-duplicate of a:1 (id "));
        assert!(found[1].starts_with("b:4: error: duplicate of a:4 (id "));
    }

    #[test]
    fn a_declared_repeat_is_not_reported() {
        let first = parse_collection("\"Set fire to him.\"\n", 0).quotes[0].id;
        let second = format!("set fire to him\n%% duplicate-of: {first}\n");
        assert!(check(&[("a", "\"Set fire to him.\"\n"), ("b", &second)]).is_empty());
        let first = format!("set fire to him\n%% duplicate-of: {}\n", {
            parse_collection("\"Set fire to him.\"\n", 0).quotes[0].id
        });
        assert!(check(&[("b", &first), ("a", "\"Set fire to him.\"\n")]).is_empty());
        let wrong = "set fire to him\n%% duplicate-of: 000000000000\n";
        assert_eq!(
            check(&[("a", "\"Set fire to him.\"\n"), ("b", wrong)]).len(),
            1
        );
    }
}
