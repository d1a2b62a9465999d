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

/// The text of one collection: the file's own bytes plus the pieces that are not verbatim.
#[derive(Debug)]
pub struct Arena {
    base: Cow<'static, str>,
    extra: OnceLock<Box<str>>,
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
            self.extra.get().map_or("", |e| e)
        };
        Some(&text[start..start + len])
    }

    /// The collection text as read.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// Bytes held: the base text and the extra pieces.
    pub fn bytes(&self) -> usize {
        self.base.len() + self.extra.get().map_or(0, |e| e.len())
    }
}

/// Builds an [`Arena`]: [`ArenaBuilder::arena`] is shared by the quotes as they are made, and
/// [`ArenaBuilder::finish`] seals the extra text once every quote has its spans.
#[derive(Debug)]
pub struct ArenaBuilder {
    arena: Arc<Arena>,
    extra: String,
}

/// A collection text too large for one arena.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the file is {0} bytes; one collection file may hold at most 2 GiB (split it in two)")]
pub struct TooLarge(pub usize);

impl ArenaBuilder {
    /// An arena over `base`, the collection's text.
    pub fn new(base: Cow<'static, str>) -> Result<ArenaBuilder, TooLarge> {
        if base.len() > MAX_ARENA_BYTES {
            return Err(TooLarge(base.len()));
        }
        Ok(ArenaBuilder {
            arena: Arc::new(Arena {
                base,
                extra: OnceLock::new(),
            }),
            extra: String::new(),
        })
    }

    /// The base text, for parsing.
    pub fn base(&self) -> &str {
        &self.arena.base
    }

    /// The shared arena (its extra text is readable after [`ArenaBuilder::finish`]).
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

    /// Seals the extra text; returns the arena.
    pub fn finish(self) -> Arc<Arena> {
        let _ = self.arena.extra.set(self.extra.into_boxed_str());
        self.arena
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
