//! Where a collection's quotes keep their text: one arena per collection file, so a loaded quote
//! holds offsets, not strings of its own.
//!
//! The arena's base is the file's text exactly as read (`&'static` for the embedded collections,
//! the read buffer for files). Nearly every piece of a quote (the printed text, the author, work,
//! year and context, metadata values) is a slice of that text, and is stored as a [`Span`] into
//! it. The few pieces that are not verbatim (an entry with comment lines between its text lines,
//! CRLF line ends, a missing final newline, an attribution spread over lines) are appended once to
//! the arena's `extra` text. A million quotes therefore cost their file's bytes plus a fixed-size
//! record each (see docs/corpus.md).

use std::borrow::Cow;
use std::sync::{Arc, OnceLock};

/// The largest collection text an arena holds (offsets are 31 bits; one bit marks `extra`).
pub const MAX_ARENA_BYTES: usize = (1 << 31) - 1;

const EXTRA: u32 = 1 << 31;

/// A piece of an arena's text: an offset and a length. [`Span::NONE`] is an absent piece.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    start: u32,
    len: u32,
}

impl Span {
    /// No text at all (an absent author, say), distinct from an empty piece.
    pub const NONE: Span = Span {
        start: u32::MAX,
        len: u32::MAX,
    };

    /// Whether this is [`Span::NONE`].
    pub fn is_none(self) -> bool {
        self == Span::NONE
    }
}

/// A collection's text as read: compiled in, or a read buffer that every corpus loaded from the
/// same unchanged file shares (a reload does not read such a file again).
#[derive(Debug, Clone)]
pub enum Text {
    /// An embedded collection.
    Static(&'static str),
    /// A file's text.
    Read(Arc<String>),
}

impl std::ops::Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        match self {
            Text::Static(text) => text,
            Text::Read(text) => text,
        }
    }
}

impl From<Cow<'static, str>> for Text {
    fn from(text: Cow<'static, str>) -> Text {
        match text {
            Cow::Borrowed(text) => Text::Static(text),
            Cow::Owned(text) => Text::Read(Arc::new(text)),
        }
    }
}

/// The text of one collection: the file's own bytes plus the pieces that are not verbatim, and
/// what its quotes share: the interned tag sets and the rare records that do not fit a quote.
#[derive(Debug)]
pub struct Arena {
    base: Text,
    sealed: OnceLock<Sealed>,
}

/// What [`ArenaBuilder::finish`] adds once every quote of the collection is stored.
#[derive(Debug)]
struct Sealed {
    extra: Box<str>,
    tag_sets: Box<[TagSet]>,
    more: Box<[More]>,
}

/// An interned list of tags: lowercase, the collection's default tags included, no duplicates.
type TagSet = Box<[Box<str>]>;

/// The pieces of a quote that its fixed record has no room for: credit pieces that are not
/// written just before the end of its text (a `%% author:` line, say), and other metadata.
#[derive(Debug)]
pub struct More {
    /// Author, work, year and context, for those its record marks as held here.
    pub credit: [Span; 4],
    /// Other metadata, key and value.
    pub meta: Box<[(Span, Span)]>,
}

impl Arena {
    /// The text of `span`; `None` for [`Span::NONE`].
    pub fn get(&self, span: Span) -> Option<&str> {
        if span.is_none() {
            return None;
        }
        let (start, len) = ((span.start & !EXTRA) as usize, span.len as usize);
        let text = if span.start & EXTRA == 0 {
            &self.base
        } else {
            self.sealed.get().map_or("", |s| &s.extra)
        };
        text.get(start..start + len)
    }

    /// The collection text as read.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// The collection text as read, shared (for a corpus loaded again from the same file).
    pub fn text(&self) -> Text {
        self.base.clone()
    }

    /// Bytes of text held: the base text and the extra pieces.
    pub fn bytes(&self) -> usize {
        self.base.len() + self.sealed.get().map_or(0, |s| s.extra.len())
    }

    /// Interned tag set `index` (empty before the arena is sealed).
    pub fn tag_set(&self, index: u32) -> &[Box<str>] {
        let sets = self.sealed.get().map_or(&[][..], |s| &s.tag_sets);
        sets.get(index as usize).map_or(&[], |set| set)
    }

    /// The overflow record `index`, if there is one.
    pub fn more(&self, index: u32) -> Option<&More> {
        self.sealed.get()?.more.get(index as usize)
    }
}

/// Builds an [`Arena`]: [`ArenaBuilder::arena`] is shared by the quotes as they are made, and
/// [`ArenaBuilder::finish`] seals the extra text, the tag sets and the overflow records once
/// every quote has its spans.
#[derive(Debug)]
pub struct ArenaBuilder {
    arena: Arc<Arena>,
    extra: String,
    tag_sets: Vec<TagSet>,
    known_tags: foldhash::HashMap<Box<str>, u32>,
    more: Vec<More>,
}

/// A collection text too large for one arena.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the file is {0} bytes; one collection file may hold at most 2 GiB (split it in two)")]
pub struct TooLarge(pub usize);

impl ArenaBuilder {
    /// An arena over `base`, the collection's text.
    pub fn new(base: impl Into<Text>) -> Result<ArenaBuilder, TooLarge> {
        let base = base.into();
        if base.len() > MAX_ARENA_BYTES {
            return Err(TooLarge(base.len()));
        }
        Ok(ArenaBuilder {
            arena: Arc::new(Arena {
                base,
                sealed: OnceLock::new(),
            }),
            extra: String::new(),
            tag_sets: Vec::new(),
            known_tags: Default::default(),
            more: Vec::new(),
        })
    }

    /// The base text, for parsing.
    pub fn base(&self) -> &str {
        &self.arena.base
    }

    /// The shared arena (its extra text, tag sets and overflow records are readable after
    /// [`ArenaBuilder::finish`]).
    pub fn arena(&self) -> &Arc<Arena> {
        &self.arena
    }

    /// The span of `piece`: where it lies in the base text when it is a slice of it, else at
    /// the end of the extra text, copied there.
    pub fn span(&mut self, piece: Option<&str>) -> Span {
        let Some(piece) = piece else {
            return Span::NONE;
        };
        let base = self.arena.base.as_bytes().as_ptr_range();
        let range = piece.as_bytes().as_ptr_range();
        if base.start <= range.start && range.end <= base.end {
            let start = range.start as usize - base.start as usize;
            return Span {
                start: start as u32,
                len: piece.len() as u32,
            };
        }
        if self.extra.len() + piece.len() > MAX_ARENA_BYTES {
            // Cannot happen for a base within the limit: the extra text re-states at most
            // every entry once. Keep the quote rather than fail the load.
            return Span::NONE;
        }
        let start = self.extra.len() as u32 | EXTRA;
        self.extra.push_str(piece);
        Span {
            start,
            len: piece.len() as u32,
        }
    }

    /// The index of the tag set holding the tags of `joined` (one per line), shared by every
    /// quote of the collection with the same tags.
    pub fn tags(&mut self, joined: &str) -> u32 {
        if let Some(&index) = self.known_tags.get(joined) {
            return index;
        }
        let index = self.tag_sets.len() as u32;
        let tags = joined.split('\n').filter(|t| !t.is_empty()).map(Into::into);
        self.tag_sets.push(tags.collect());
        self.known_tags.insert(joined.into(), index);
        index
    }

    /// Keeps an overflow record; its index.
    pub fn more(&mut self, more: More) -> u32 {
        self.more.push(more);
        (self.more.len() - 1) as u32
    }

    /// Seals the extra text, the tag sets and the overflow records; returns the arena.
    pub fn finish(self) -> Arc<Arena> {
        let _ = self.arena.sealed.set(Sealed {
            extra: self.extra.into_boxed_str(),
            tag_sets: self.tag_sets.into_boxed_slice(),
            more: self.more.into_boxed_slice(),
        });
        self.arena
    }
}

/// Where each credit piece of a quote is, in two bytes: written within the last 250 bytes of
/// the quote's text (the attribution line, nearly always) as how far back from the text's end
/// it starts and how long it is; else absent, or held in the quote's overflow record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Packed(u16);

impl Packed {
    const NONE: Packed = Packed(u16::MAX);
    const HELD: Packed = Packed(u16::MAX - 1);
    const MAX_BACK: u32 = 250;

    /// `piece` as seen from the end of `text`; `None` when it must be held in full.
    pub fn of(piece: Span, text: Span) -> Option<Packed> {
        if piece.is_none() {
            return Some(Packed::NONE);
        }
        // Both in the base text or both in the extra text: the EXTRA bit cancels out.
        let end = text.start.checked_add(text.len)?;
        let back = end.checked_sub(piece.start)?;
        (back <= Packed::MAX_BACK && piece.len <= 255 && (piece.start ^ text.start) & EXTRA == 0)
            .then_some(Packed(((back as u16) << 8) | piece.len as u16))
    }

    /// The piece held in full.
    pub fn held() -> Packed {
        Packed::HELD
    }

    /// Whether the piece is in the overflow record.
    pub fn is_held(self) -> bool {
        self == Packed::HELD
    }

    /// The span, given the quote's text span (not for a held piece).
    pub fn span(self, text: Span) -> Span {
        if self == Packed::NONE || self == Packed::HELD {
            return Span::NONE;
        }
        let (back, len) = (u32::from(self.0 >> 8), u32::from(self.0 & 0xff));
        Span {
            start: text.start + text.len - back,
            len,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_of_the_base_are_offsets_and_other_pieces_go_to_extra() {
        let text: &'static str = "one\ntwo\n";
        let mut builder = ArenaBuilder::new(Cow::Borrowed(text)).unwrap();
        let two = builder.span(Some(&text[4..7]));
        let joined = builder.span(Some("one two"));
        let none = builder.span(None);
        let arena = builder.finish();
        assert_eq!(arena.get(two), Some("two"));
        assert_eq!(arena.get(joined), Some("one two"));
        assert_eq!(arena.get(none), None);
        assert_eq!(arena.bytes(), text.len() + "one two".len());
    }
}
