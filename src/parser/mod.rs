//! The collection parser: classic fortune text plus `%%` metadata comments.
//!
//! See `docs/format.md` for the format. Parsing never fails: problems become diagnostics with
//! the file and line, and whatever can be used is kept.

mod decode;
mod entry;
mod split;

pub use decode::{DecodeError, decode, rot13};
pub use entry::{EntryLines, entry_lines, entry_parts, printed_text};
pub use split::{EntrySpan, count_entries, entry_spans};

use crate::quote::arena::{Arena, ArenaBuilder, Text};
use crate::quote::{Located, Quote};
use std::borrow::Cow;
use std::sync::Arc;

/// Metadata keys understood in a file's header block.
pub const HEADER_KEYS: &[&str] = &[
    "name",
    "description",
    "tags",
    "licence",
    "license",
    "source",
    "require",
];

/// Metadata keys understood on an entry.
pub const ENTRY_KEYS: &[&str] = &[
    "tags",
    "author",
    "work",
    "source",
    "date",
    "year",
    "publication",
    "headline",
    "url",
    "form",
    "jurisdiction",
    "speaker",
    "note",
    "series",
    "context",
    "complete",
    "duplicate-of",
];

/// The header block of a collection file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Header {
    /// `%% name:`, the collection's name.
    pub name: Option<String>,
    /// `%% description:`.
    pub description: Option<String>,
    /// `%% tags:`, added to every entry.
    pub tags: Vec<String>,
    /// `%% licence:` (or `license`).
    pub licence: Option<String>,
    /// `%% source:`.
    pub source: Option<String>,
    /// `%% require: attribution` — every entry must be attributed.
    pub require_attribution: bool,
    /// `%% require: tags` — every entry must carry its own tags.
    pub require_tags: bool,
    /// `%% require: vocabulary` — every tag must be in the controlled vocabulary of
    /// `docs/format.md` (the embedded collections are held to it whether or not they say so).
    pub require_vocabulary: bool,
    /// Every `%% key: value` line of the header with its line number, for linting.
    pub fields: Vec<(String, String, usize)>,
}

/// A parsed collection file.
#[derive(Debug, Clone, Default)]
pub struct ParsedCollection {
    /// The header (all defaults when the file has none).
    pub header: Header,
    /// The entries that hold text, in file order, stored in the collection's arena.
    pub quotes: Vec<Quote>,
    /// The arena the quotes point into (`None` for a text too large to hold).
    pub arena: Option<Arc<Arena>>,
}

impl ParsedCollection {
    /// The collection text as parsed.
    pub fn text(&self) -> &str {
        self.arena.as_deref().map_or("", Arena::base)
    }
}

/// Splits a `%% key: value` comment; `None` for a free-form comment.
pub fn metadata_line(line: &str) -> Option<(Cow<'_, str>, &str)> {
    let rest = line.strip_prefix("%%")?.trim_start();
    let (key, value) = rest.split_once(':')?;
    let key = key.trim();
    let is_key = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    // Keys are almost always written in lower case already: no copy then.
    let key = if key.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(key.to_ascii_lowercase())
    } else {
        Cow::Borrowed(key)
    };
    is_key.then(|| (key, value.trim()))
}

/// Splits a comma-separated tag list into lowercase tags.
pub fn parse_tags(value: &str) -> impl Iterator<Item = String> + '_ {
    value
        .split(',')
        .map(|t| t.trim().to_lowercase())
        .filter(|t| !t.is_empty())
}

/// Parses collection text (copied into the collection's arena); `collection` is stored on each
/// quote.
pub fn parse_collection(text: &str, collection: usize) -> ParsedCollection {
    parse_source(Cow::Owned(text.to_owned()), collection)
}

/// Entries parsed on all cores at a time: bounds the memory of pieces not yet stored.
const CHUNK: usize = 1 << 14;

/// Parses collection text, keeping `text` itself as the arena the quotes point into (see
/// [`parse_source_into`]).
pub fn parse_source(text: Cow<'static, str>, collection: usize) -> ParsedCollection {
    let mut quotes = Vec::new();
    let (header, arena) = parse_source_into(text.into(), collection, &mut quotes);
    ParsedCollection {
        header,
        quotes,
        arena,
    }
}

/// Parses collection text onto the end of `quotes` (so a corpus's quotes are never copied
/// from one vector to another), returning the header and the arena: `text` itself, which the
/// quotes point into. Entries are parsed on all cores, a chunk at a time, while the chunk
/// before is stored in file order (the split into entries is one sequential `memchr` pass).
/// A text over [`MAX_ARENA_BYTES`] parses as empty: [`crate::corpus::Source`] refuses such
/// files with a message.
pub fn parse_source_into(
    text: Text,
    collection: usize,
    quotes: &mut Vec<Quote>,
) -> (Header, Option<Arc<Arena>>) {
    use rayon::prelude::*;
    let Ok(mut builder) = ArenaBuilder::new(text) else {
        return (Header::default(), None);
    };
    let arena = builder.arena().clone();
    let base = arena.base();
    let header = header_of(base);
    let parse = |chunk: &[EntrySpan]| -> Vec<(Located, String)> {
        chunk
            .par_iter()
            .with_min_len(512)
            .map(|&span| {
                let (parts, tags) = entry_parts(base, span, &header.tags);
                (parts.locate(), tags.join("\n"))
            })
            .collect()
    };
    let mut store = |parsed: Vec<(Located, String)>| {
        for (parts, tags) in parsed {
            quotes.push(Quote::store(&parts, &tags, collection, &mut builder));
        }
    };
    // The entries are split a chunk at a time (no list of every span: 32 MB at a million), and
    // `quotes` grows by doubling, which for a vector this large the allocator does by remapping
    // pages rather than copying them.
    let mut entries = entry_spans(base).filter(|span| span.has_text).peekable();
    let mut pending = Vec::new();
    while entries.peek().is_some() {
        let chunk: Vec<EntrySpan> = entries.by_ref().take(CHUNK).collect();
        let (parsed, ()) = rayon::join(|| parse(&chunk), || store(std::mem::take(&mut pending)));
        pending = parsed;
    }
    store(pending);
    (header, Some(builder.finish()))
}

/// The header and the spans of the entries that hold text, without parsing the entries, so a
/// caller that needs one entry parses only that one.
pub fn outline(text: &str) -> (Header, Vec<EntrySpan>) {
    let spans = entry_spans(text).filter(|span| span.has_text).collect();
    (header_of(text), spans)
}

/// The header alone: the comment-only first entry's metadata, for a caller that walks the
/// entries itself.
pub fn header_of(text: &str) -> Header {
    match entry_spans(text).next() {
        Some(span) if !span.has_text && span.has_comments => {
            parse_header(&text[span.start..span.end], span.line)
        }
        _ => Header::default(),
    }
}

fn parse_header(block: &str, first_line: usize) -> Header {
    let mut header = Header::default();
    for (n, line) in block.lines().enumerate() {
        let Some((key, value)) = metadata_line(line) else {
            continue;
        };
        match key.as_ref() {
            "name" => header.name = Some(value.to_string()),
            "description" => header.description = Some(value.to_string()),
            "tags" => header.tags.extend(parse_tags(value)),
            "licence" | "license" => header.licence = Some(value.to_string()),
            "source" => header.source = Some(value.to_string()),
            "require" => {
                for need in value.split(',').map(str::trim) {
                    header.require_attribution |= need == "attribution";
                    header.require_tags |= need == "tags";
                    header.require_vocabulary |= need == "vocabulary";
                }
            }
            _ => {}
        }
        header
            .fields
            .push((key.into_owned(), value.to_string(), first_line + n));
    }
    header
}

/// Builds a quote from one entry span of `text` (its lines copied into an arena of their own),
/// for a caller that needs one entry of a file.
pub fn parse_entry(
    text: &str,
    span: EntrySpan,
    default_tags: &[String],
    collection: usize,
) -> Quote {
    let raw = &text[span.start..span.end];
    let Ok(mut builder) = ArenaBuilder::new(Cow::Owned(raw.to_owned())) else {
        unreachable!("one entry of a readable file is under the arena limit")
    };
    let arena = builder.arena().clone();
    let local = EntrySpan {
        start: 0,
        end: raw.len(),
        ..span
    };
    let (parts, tags) = entry_parts(arena.base(), local, default_tags);
    let quote = Quote::store(&parts.locate(), &tags.join("\n"), collection, &mut builder);
    builder.finish();
    quote
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quote::QuoteId;

    const SAMPLE: &str = "%% name: sample\n%% description: A test\n%% tags: Misc, test\n%% require: attribution, tags\n%\nFirst quote.\n\t-- Somebody, Some Book\n%% tags: one, Two\n%% source: page 3\n%\n\n%\nSecond\r\n%% just a comment\nquote\r\n%\nLast, no trailing percent";

    #[test]
    fn header_and_entries() {
        let parsed = parse_collection(SAMPLE, 7);
        let h = &parsed.header;
        assert_eq!(h.name.as_deref(), Some("sample"));
        assert_eq!(h.tags, ["misc", "test"]);
        assert!(h.require_attribution && h.require_tags);
        assert!(!h.require_vocabulary);
        let h = parse_collection("%% require: vocabulary\n%\nq\n", 0).header;
        assert!(h.require_vocabulary && !h.require_tags && !h.require_attribution);
        assert_eq!(parsed.quotes.len(), 3);
        let q = &parsed.quotes[0];
        assert_eq!(q.text(), "First quote.\n\t-- Somebody, Some Book\n");
        assert_eq!(q.tags().collect::<Vec<_>>(), ["one", "two", "misc", "test"]);
        assert_eq!(q.author(), Some("Somebody"));
        assert_eq!(q.work(), Some("Some Book"));
        assert_eq!(q.meta("source"), Some("page 3"));
        assert_eq!((q.collection(), q.line()), (7, 6));
        assert_eq!(q.id, QuoteId::of_body("First quote."));
    }

    #[test]
    fn comments_and_crlf_are_stripped_and_last_entry_kept() {
        let parsed = parse_collection(SAMPLE, 0);
        assert_eq!(parsed.quotes[1].text(), "Second\nquote\n");
        assert_eq!(parsed.quotes[2].text(), "Last, no trailing percent\n");
        assert_eq!(parsed.quotes[2].line(), 17);
    }

    #[test]
    fn classic_file_without_header() {
        let parsed = parse_collection("a\n%\nb\n", 0);
        assert_eq!(parsed.header, Header::default());
        assert_eq!(parsed.quotes.len(), 2);
        assert_eq!(parsed.quotes[0].tags().len(), 0);
    }

    #[test]
    fn metadata_override_and_free_comments() {
        let text =
            "q\n\t-- A, B\n%% author: Real Author\n%% work: Real Work\n%% free text comment\n";
        let q = &parse_collection(text, 0).quotes[0];
        assert_eq!(q.author(), Some("Real Author"));
        assert_eq!(q.work(), Some("Real Work"));
        assert_eq!(q.meta_pairs().len(), 0);
        assert_eq!(metadata_line("%% no colon here"), None);
        assert_eq!(metadata_line("%%Key: v"), Some(("key".into(), "v")));
    }
}
