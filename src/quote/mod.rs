//! The quote model: one entry of a collection, with its attribution and metadata.

pub mod arena;
mod attribution;
mod id;
mod view;

pub use attribution::{Attribution, is_year, split_attribution};
pub use id::{BadQuoteId, QuoteId};
pub use view::QuoteView;

use arena::{Arena, ArenaBuilder, Span};
use std::borrow::Cow;
use std::sync::Arc;

/// One quote, as loaded from a collection file.
///
/// A quote is a fixed-size record: its text and attribution are [`Span`]s into its collection's
/// [`Arena`] and its tags an interned [`TagSet`] shared with every quote that has the same tags,
/// so loading a quote allocates nothing of its own (see [`arena`]).
#[derive(Clone)]
pub struct Quote {
    /// Stable id of the quote body.
    pub id: QuoteId,
    /// Index of the collection this quote belongs to.
    pub collection: usize,
    /// 1-based line of the entry's first line in its file.
    pub line: usize,
    arena: Arc<Arena>,
    text: Span,
    author: Span,
    work: Span,
    year: Span,
    context: Span,
    tags: Arc<TagSet>,
    meta: Box<[(Span, Span)]>,
}

/// An interned list of tags: lowercase, the collection's default tags included, no duplicates.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct TagSet(Box<[Box<str>]>);

impl TagSet {
    /// A set of these tags, in this order.
    pub fn new<S: Into<Box<str>>>(tags: impl IntoIterator<Item = S>) -> TagSet {
        TagSet(tags.into_iter().map(Into::into).collect())
    }
}

/// One parsed entry before it is stored: its pieces, borrowed from the entry's raw text where
/// they are verbatim.
#[derive(Debug, Clone)]
pub struct QuoteParts<'a> {
    /// Stable id of the body.
    pub id: QuoteId,
    /// 1-based line of the entry's first line.
    pub line: usize,
    /// The entry's lines as they stand in the file, comments included.
    pub raw: &'a str,
    /// The entry as printed (comment lines removed, LF line ends, final newline).
    pub text: Cow<'a, str>,
    /// Author, work, year and context, `%%` metadata over the attribution line.
    pub credit: Attribution,
    /// Other `%% key: value` metadata, in file order.
    pub meta: Vec<(String, &'a str)>,
}

impl Quote {
    /// Stores `parts` in `builder`'s arena (pointing into the raw text wherever a piece is
    /// written there as it is), with the interned `tags`.
    pub fn store(
        parts: &QuoteParts,
        tags: Arc<TagSet>,
        collection: usize,
        builder: &mut ArenaBuilder,
    ) -> Quote {
        let raw = parts.raw;
        let mut place = |piece: Option<&str>| {
            let verbatim = piece.map(|p| {
                memchr::memmem::find(raw.as_bytes(), p.as_bytes())
                    .map_or(p, |at| &raw[at..at + p.len()])
            });
            builder.span(verbatim)
        };
        let credit = &parts.credit;
        let (author, work) = (
            place(credit.author.as_deref()),
            place(credit.work.as_deref()),
        );
        let (year, context) = (
            place(credit.year.as_deref()),
            place(credit.context.as_deref()),
        );
        let meta = parts
            .meta
            .iter()
            .map(|(k, v)| (place(Some(k)), place(Some(v))))
            .collect();
        Quote {
            id: parts.id,
            collection,
            line: parts.line,
            text: builder.span(Some(&parts.text)),
            author,
            work,
            year,
            context,
            tags,
            meta,
            arena: builder.arena().clone(),
        }
    }

    /// The entry exactly as printed: comment lines removed, LF line ends, final newline.
    pub fn text(&self) -> &str {
        self.arena.get(self.text).unwrap_or("")
    }

    /// Who said or wrote it (from the attribution line or `%% author:`).
    pub fn author(&self) -> Option<&str> {
        self.arena.get(self.author)
    }

    /// Where it comes from (from the attribution line or `%% work:`).
    pub fn work(&self) -> Option<&str> {
        self.arena.get(self.work)
    }

    /// When: a year, date or range (from the attribution line or `%% year:`).
    pub fn year(&self) -> Option<&str> {
        self.arena.get(self.year)
    }

    /// The descriptive line printed before a parenthesised credit (`Rule One`, a speaker).
    pub fn context(&self) -> Option<&str> {
        self.arena.get(self.context)
    }

    /// Tags, lowercase, the collection's default tags included, without duplicates.
    pub fn tags(&self) -> impl ExactSizeIterator<Item = &str> + Clone + '_ {
        self.tags.0.iter().map(|t| &**t)
    }

    /// Other `%% key: value` metadata, in file order.
    pub fn meta_pairs(&self) -> impl ExactSizeIterator<Item = (&str, &str)> + '_ {
        self.meta.iter().map(|&(k, v)| {
            (
                self.arena.get(k).unwrap_or(""),
                self.arena.get(v).unwrap_or(""),
            )
        })
    }

    /// Length in Unicode characters of the printed text, without the final newline.
    pub fn char_len(&self) -> usize {
        self.text().trim_end_matches('\n').chars().count()
    }

    /// Length in bytes including the final newline, the measure classic `fortune -n` uses.
    pub fn byte_len(&self) -> usize {
        self.text().len()
    }

    /// The body: the text without its attribution lines.
    pub fn body(&self) -> &str {
        split_attribution(self.text()).0
    }

    /// The value of a metadata key, if present.
    pub fn meta(&self, key: &str) -> Option<&str> {
        self.meta_pairs().find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    /// Whether the quote carries the tag (tags are stored lowercase).
    pub fn has_tag(&self, tag: &str) -> bool {
        self.tags().any(|t| t == tag)
    }
}

impl PartialEq for Quote {
    fn eq(&self, other: &Quote) -> bool {
        (self.id, self.collection, self.line, self.text())
            == (other.id, other.collection, other.line, other.text())
            && (self.author(), self.work(), self.year(), self.context())
                == (other.author(), other.work(), other.year(), other.context())
            && self.tags().eq(other.tags())
            && self.meta_pairs().eq(other.meta_pairs())
    }
}

impl std::fmt::Debug for Quote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Quote")
            .field("id", &self.id)
            .field("text", &self.text())
            .field("author", &self.author())
            .field("work", &self.work())
            .field("year", &self.year())
            .field("context", &self.context())
            .field("tags", &self.tags().collect::<Vec<_>>())
            .field("meta", &self.meta_pairs().collect::<Vec<_>>())
            .field("collection", &self.collection)
            .field("line", &self.line)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quote_is_a_small_fixed_record() {
        // Spans and shared pointers only: a String or Vec here would cost a million quotes
        // hundreds of megabytes (docs/corpus.md).
        assert!(
            std::mem::size_of::<Quote>() <= 96,
            "{}",
            std::mem::size_of::<Quote>()
        );
        let parsed = crate::parser::parse_collection(
            "One.\n\t-- Ann, Book\n%% tags: x\n%\nTwo,\r\nsplit.\n%% tags: x\n%\n",
            0,
        );
        let [one, two] = &parsed.quotes[..] else {
            panic!("two quotes")
        };
        assert!(
            Arc::ptr_eq(&one.tags, &two.tags),
            "equal tag lists are shared"
        );
        assert_eq!((one.author(), one.work()), (Some("Ann"), Some("Book")));
        assert_eq!(two.text(), "Two,\nsplit.\n");
        let arena = parsed.arena.as_deref().unwrap();
        let extra = arena.bytes() - arena.base().len();
        assert_eq!(
            extra,
            "Two,\nsplit.\n".len(),
            "only the CRLF entry is copied"
        );
    }
}
