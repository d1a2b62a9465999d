//! Filtered picks without building a corpus: each file is read once and its entries are
//! parsed in parallel, a chunk at a time, only far enough to test the filter (no ids, no
//! stored quotes, no indexes). What is kept is where the matching entries lie, so a pick
//! parses one entry. Entries are numbered as [`super::Corpus::load`] numbers them, so a seeded
//! pick chooses the same quote either way.

use super::Source;
use super::filter::{Facts, Filter};
use super::index::cmp_folded;
use super::view::SourceView;
use crate::diagnostic::Diagnostic;
use crate::parser::{EntrySpan, Header, entry_lines, entry_spans, header_of, parse_entry};
use crate::quote::Quote;
use rayon::prelude::*;
use std::cmp::Ordering;

/// Entries tested per parallel batch: large enough to keep both cores busy, small enough that
/// the batch's spans cost nothing next to the text.
const CHUNK: usize = 16 * 1024;

/// The entries of some sources that pass a filter.
#[derive(Debug)]
pub struct Streamed {
    /// Each source's number of entries before filtering, as the files' shares count them.
    pub sizes: Vec<usize>,
    /// Problems met while reading (invalid UTF-8, unreadable files).
    pub diagnostics: Vec<Diagnostic>,
    matches: Vec<Match>,
    files: Vec<Option<File>>,
}

/// A source with matching entries: its text, kept to parse the chosen one.
#[derive(Debug)]
struct File {
    view: SourceView,
    header: Header,
    name: String,
}

/// One matching entry.
#[derive(Debug, Clone, Copy)]
struct Match {
    source: usize,
    /// Its position in a corpus loaded from the same sources.
    index: u32,
    span: EntrySpan,
    /// Whether its author is the filter's author exactly (ignoring case), not just containing it.
    exact_author: bool,
}

/// What one entry told the filter.
#[derive(Clone, Copy, Default)]
struct Seen {
    accepted: bool,
    exact_author: bool,
    /// Bit `i` set when the entry has the filter's `i`th tag.
    tags: u64,
}

impl Streamed {
    /// The matching entries as `(source, position)` pairs for [`super::pick_weighted`].
    pub fn candidates(&self) -> Vec<(usize, u32)> {
        self.matches.iter().map(|m| (m.source, m.index)).collect()
    }

    /// The matching entry at corpus position `index`, parsed, with its collection's name.
    pub fn quote(&self, index: u32) -> Option<(&str, Quote)> {
        let at = self
            .matches
            .binary_search_by_key(&index, |m| m.index)
            .ok()?;
        let found = self.matches[at];
        let file = self.files[found.source].as_ref()?;
        let quote = parse_entry(
            file.view.text(),
            found.span,
            &file.header.tags,
            found.source,
        );
        Some((&file.name, quote))
    }
}

/// The entries of `sources` that pass `filter`, or `None` when the answer needs the whole
/// corpus: a collection or tag the files do not have, an author nobody matches, more than 64
/// tags, or nothing matching at all. [`super::Corpus::select`] then gives the error, with its
/// suggestions.
pub fn select(sources: &[Source], filter: &Filter) -> Option<Streamed> {
    let wanted: Vec<&str> = filter.tags.tags().collect();
    if wanted.len() > 64 {
        return None;
    }
    let mut streamed = Streamed {
        sizes: Vec::with_capacity(sources.len()),
        diagnostics: Vec::new(),
        matches: Vec::new(),
        files: Vec::new(),
    };
    let (mut tags_seen, mut names, mut base) = (0u64, Vec::new(), 0u32);
    let mut any_exact_author = false;
    for (source_index, source) in sources.iter().enumerate() {
        let view = match source.view() {
            Ok(view) => view,
            Err(err) => {
                streamed.diagnostics.push(err.diagnostic());
                streamed.sizes.push(0);
                streamed.files.push(None);
                names.push(source.name.clone());
                continue;
            }
        };
        streamed.diagnostics.extend_from_slice(view.diagnostics());
        let text = view.text();
        let header = header_of(text);
        let name = header.name.clone().unwrap_or_else(|| source.name.clone());
        let before = streamed.matches.len();
        let mut entries = entry_spans(text).filter(|s| s.has_text).peekable();
        let mut count = 0usize;
        while entries.peek().is_some() {
            let chunk: Vec<EntrySpan> = entries.by_ref().take(CHUNK).collect();
            let seen: Vec<Seen> = chunk
                .par_iter()
                .with_min_len(256)
                .map(|&span| test(text, span, &header, &name, filter, &wanted))
                .collect();
            for (offset, (span, seen)) in chunk.iter().zip(seen).enumerate() {
                tags_seen |= seen.tags;
                any_exact_author |= seen.exact_author;
                if seen.accepted {
                    streamed.matches.push(Match {
                        source: source_index,
                        index: base.checked_add((count + offset) as u32)?,
                        span: *span,
                        exact_author: seen.exact_author,
                    });
                }
            }
            count += chunk.len();
        }
        base = base.checked_add(u32::try_from(count).ok()?)?;
        streamed.sizes.push(count);
        let keep = streamed.matches.len() > before;
        streamed.files.push(keep.then_some(File {
            view,
            header,
            name: name.clone(),
        }));
        names.push(name);
    }
    let all_tags = if wanted.is_empty() {
        0
    } else {
        u64::MAX >> (64 - wanted.len())
    };
    let collections_known = filter.collections.iter().all(|c| names.contains(c));
    if tags_seen != all_tags || !collections_known {
        return None;
    }
    // As the corpus does: an author some entry has exactly narrows the choice to that author,
    // even when none of their entries passes the rest of the filter.
    if any_exact_author {
        streamed.matches.retain(|m| m.exact_author);
    }
    (!streamed.matches.is_empty()).then_some(streamed)
}

/// Parses one entry as far as the filter needs and tests it.
fn test(
    text: &str,
    span: EntrySpan,
    header: &Header,
    collection: &str,
    filter: &Filter,
    wanted: &[&str],
) -> Seen {
    let lines = entry_lines(text, span, &header.tags);
    let has_tag = |t: &str| lines.tags.iter().any(|have| have == t);
    // The attribution line is read only when the filter asks who said it.
    let author = filter.author.as_ref().and_then(|_| lines.author());
    let author = author.as_deref();
    let facts = Facts {
        has_tag: &has_tag,
        collection,
        author,
        text: &lines.text,
        chars: None,
    };
    let tag_bits = wanted
        .iter()
        .enumerate()
        .filter(|(_, t)| has_tag(t))
        .fold(0u64, |bits, (i, _)| bits | 1 << i);
    let exact_author = match (&filter.author, author) {
        (Some(wanted), Some(author)) => cmp_folded(author, wanted) == Ordering::Equal,
        _ => false,
    };
    Seen {
        accepted: filter.accepts(&facts),
        exact_author,
        tags: tag_bits,
    }
}

#[cfg(test)]
mod tests;
