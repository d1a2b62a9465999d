//! The quote model: one entry of a collection, with its attribution and metadata.

pub mod arena;
mod attribution;
mod id;
mod view;

pub use attribution::{Attribution, is_year, split_attribution};
pub use id::{BadQuoteId, QuoteId};
pub use view::QuoteView;

use arena::{Arena, ArenaBuilder, More, Packed, Span};
use std::borrow::Cow;
use std::sync::Arc;

/// One quote, as loaded from a collection file.
///
/// A quote is a fixed record of 48 bytes: its text is a [`Span`] into its collection's
/// [`Arena`], each credit piece two bytes saying where near the end of the text it is, and its
/// tags the index of a tag set the arena interns, so loading a quote allocates nothing of its
/// own (see [`arena`]). The rare pieces that do not fit (a credit from a `%%` line, other
/// metadata) are in an overflow record of the arena.
#[derive(Clone)]
pub struct Quote {
    arena: Arc<Arena>,
    text: Span,
    /// Stable id of the quote body.
    pub id: QuoteId,
    /// Author, work, year and context.
    credit: [Packed; 4],
    /// Index of the collection this quote belongs to (see [`Quote::collection`]).
    collection: u32,
    /// 1-based line of the entry's first line in its file.
    line: u32,
    /// Index of its tag set in the arena.
    tags: u32,
    /// Index of its overflow record in the arena, [`NO_MORE`] for none.
    more: u32,
}

const NO_MORE: u32 = u32::MAX;

/// One parsed entry before it is stored: its pieces, borrowed from the entry's raw text where
/// they are verbatim.
#[derive(Debug, Clone)]
pub struct QuoteParts<'a> {
    /// 1-based line of the entry's first line.
    pub line: usize,
    /// The entry's lines as they stand in the file, comments included.
    pub raw: &'a str,
    /// The entry as printed (comment lines removed, LF line ends, final newline).
    pub text: Cow<'a, str>,
    /// Author, work, year and context, `%%` metadata over the attribution line.
    pub credit: Attribution,
    /// How many bytes of `text` are the body; the attribution lines follow. The id and where
    /// the credit is written are worked out by [`QuoteParts::locate`], so a caller that only
    /// filters entries does not pay for them.
    pub body_len: usize,
    /// Other `%% key: value` metadata, in file order.
    pub meta: Vec<(String, &'a str)>,
}

impl QuoteParts<'_> {
    /// Finds where each piece of the credit is written verbatim in `raw`, looking first in
    /// `block` (the attribution lines) when it lies within `raw`.
    pub fn place_credit(raw: &str, block: &str, credit: &Attribution) -> [Option<usize>; 4] {
        let whole = raw.as_bytes().as_ptr_range();
        let inside = block.as_bytes().as_ptr_range();
        let block_at = (whole.start <= inside.start && inside.end <= whole.end)
            .then(|| inside.start as usize - whole.start as usize);
        let c = credit;
        [&c.author, &c.work, &c.year, &c.context].map(|piece| {
            piece.as_deref().and_then(|p| {
                let in_block = block_at.and_then(|b| block.find(p).map(|i| b + i));
                in_block.or_else(|| raw.find(p))
            })
        })
    }
}

/// An entry ready to store: each piece borrowed from the raw text where it is written there
/// as it is, else its own copy. Made where entries are parsed in parallel, so that storing
/// them (one at a time, into one arena) copies and frees almost nothing.
#[derive(Debug)]
pub struct Located<'a> {
    id: QuoteId,
    line: usize,
    text: Cow<'a, str>,
    /// Author, work, year and context.
    credit: [Option<Cow<'a, str>>; 4],
    meta: Vec<(Cow<'a, str>, &'a str)>,
}

impl<'a> QuoteParts<'a> {
    /// The parts ready to store (see [`Located`]).
    pub fn locate(self) -> Located<'a> {
        let raw = self.raw;
        let (body, block) = self.text.split_at(self.body_len.min(self.text.len()));
        let id = QuoteId::of_body(body);
        let [author_at, work_at, year_at, context_at] =
            QuoteParts::place_credit(raw, block, &self.credit);
        let verbatim = |piece: String, at: Option<usize>| -> Cow<'a, str> {
            match at.and_then(|at| raw.get(at..at + piece.len())) {
                Some(found) if found == piece => Cow::Borrowed(found),
                _ => Cow::Owned(piece),
            }
        };
        let Attribution {
            author,
            work,
            year,
            context,
        } = self.credit;
        Located {
            id,
            line: self.line,
            text: self.text,
            credit: [
                author.map(|p| verbatim(p, author_at)),
                work.map(|p| verbatim(p, work_at)),
                year.map(|p| verbatim(p, year_at)),
                context.map(|p| verbatim(p, context_at)),
            ],
            meta: self
                .meta
                .into_iter()
                .map(|(key, value)| {
                    let at = raw.find(key.as_str());
                    (verbatim(key, at), value)
                })
                .collect(),
        }
    }
}

impl Quote {
    /// Stores `parts` in `builder`'s arena (pointing into the raw text wherever a piece is
    /// written there as it is), with the tags of `tags` (one per line), interned.
    pub fn store(
        parts: &Located,
        tags: &str,
        collection: usize,
        builder: &mut ArenaBuilder,
    ) -> Quote {
        let text = builder.span(Some(&parts.text));
        let full = parts
            .credit
            .each_ref()
            .map(|piece| builder.span(piece.as_deref()));
        let packed = full.map(|piece| Packed::of(piece, text));
        let meta: Box<[(Span, Span)]> = parts
            .meta
            .iter()
            .map(|(k, v)| (builder.span(Some(k)), builder.span(Some(v))))
            .collect();
        let more = if packed.iter().all(Option::is_some) && meta.is_empty() {
            NO_MORE
        } else {
            builder.more(More { credit: full, meta })
        };
        Quote {
            id: parts.id,
            collection: u32::try_from(collection).unwrap_or(u32::MAX),
            line: u32::try_from(parts.line).unwrap_or(u32::MAX),
            text,
            credit: packed.map(|p| p.unwrap_or_else(Packed::held)),
            tags: builder.tags(tags),
            more,
            arena: builder.arena().clone(),
        }
    }

    /// Credit piece `n` (author, work, year, context).
    fn credit_piece(&self, n: usize) -> Option<&str> {
        let packed = self.credit[n];
        let span = if packed.is_held() {
            self.arena
                .more(self.more)
                .map_or(Span::NONE, |m| m.credit[n])
        } else {
            packed.span(self.text)
        };
        self.arena.get(span)
    }

    /// Index of the collection this quote belongs to.
    pub fn collection(&self) -> usize {
        self.collection as usize
    }

    /// The quote as a member of collection `collection` (a corpus made from another).
    pub fn in_collection(mut self, collection: usize) -> Quote {
        self.collection = u32::try_from(collection).unwrap_or(u32::MAX);
        self
    }

    /// 1-based line of the entry's first line in its file.
    pub fn line(&self) -> usize {
        self.line as usize
    }

    /// The entry exactly as printed: comment lines removed, LF line ends, final newline.
    pub fn text(&self) -> &str {
        self.arena.get(self.text).unwrap_or("")
    }

    /// Who said or wrote it (from the attribution line or `%% author:`).
    pub fn author(&self) -> Option<&str> {
        self.credit_piece(0)
    }

    /// Where it comes from (from the attribution line or `%% work:`).
    pub fn work(&self) -> Option<&str> {
        self.credit_piece(1)
    }

    /// When: a year, date or range (from the attribution line or `%% year:`).
    pub fn year(&self) -> Option<&str> {
        self.credit_piece(2)
    }

    /// The descriptive line printed before a parenthesised credit (`Rule One`, a speaker).
    pub fn context(&self) -> Option<&str> {
        self.credit_piece(3)
    }

    /// Tags, lowercase, the collection's default tags included, without duplicates.
    pub fn tags(&self) -> impl ExactSizeIterator<Item = &str> + Clone + '_ {
        self.arena.tag_set(self.tags).iter().map(|t| &**t)
    }

    /// Which interned tag set the quote has: equal for two quotes exactly when they share one
    /// (so equal keys mean equal tags; different keys may still hold equal tags).
    pub fn tag_set_key(&self) -> (usize, u32) {
        (Arc::as_ptr(&self.arena) as usize, self.tags)
    }

    /// Other `%% key: value` metadata, in file order.
    pub fn meta_pairs(&self) -> impl ExactSizeIterator<Item = (&str, &str)> + '_ {
        let meta: &[(Span, Span)] = self.arena.more(self.more).map_or(&[], |m| &m.meta);
        meta.iter().map(|&(k, v)| {
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
mod tests;
