//! Stable quote ids: a short, URL-safe digest of the normalised quote body.
//!
//! The id is the first 12 lowercase hex digits of SHA-256 over the body with every run of
//! Unicode white space collapsed to one space and both ends trimmed. It depends on nothing but
//! the words, so it is the same on every machine, in every file and in every order.

use sha2::{Digest, Sha256};
use std::fmt;
use std::str::FromStr;

/// Number of digest bytes kept (12 hex digits, 48 bits).
const ID_BYTES: usize = 6;

/// A stable, platform-independent identifier of a quote.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct QuoteId([u8; ID_BYTES]);

/// The words of `body` (runs of non-white-space, as `str::split_whitespace` finds them)
/// joined by single spaces into `out`: what the id hashes. One pass over the bytes, since ids
/// are computed for every entry of every file loaded.
fn join_words(body: &str, out: &mut Vec<u8>) {
    out.clear();
    let bytes = body.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let white = if maybe_white(bytes[i]) {
            white_space_at(body, i)
        } else {
            0
        };
        if white > 0 {
            i += white;
            continue;
        }
        // A word: copied in one piece up to the next byte that may start white space.
        let mut end = i + 1;
        while end < bytes.len() && (!maybe_white(bytes[end]) || white_space_at(body, end) == 0) {
            end += 1;
        }
        if !out.is_empty() {
            out.push(b' ');
        }
        out.extend_from_slice(&bytes[i..end]);
        i = end;
    }
}

/// Whether byte `b` may start a white-space character: ASCII white space, or the lead byte
/// of one beyond ASCII (see [`white_space_at`]).
fn maybe_white(b: u8) -> bool {
    matches!(
        b,
        b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | 0xC2 | 0xE1 | 0xE2 | 0xE3
    )
}

/// The length in bytes of the white-space character starting at byte `i` of `text`, or 0.
/// Beyond ASCII, only the lead bytes of white-space characters (U+0085 and U+00A0, U+1680,
/// U+2000..U+205F, U+3000) need decoding.
fn white_space_at(text: &str, i: usize) -> usize {
    match text.as_bytes()[i] {
        b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r' => 1,
        0xC2 | 0xE1 | 0xE2 | 0xE3 => text
            .get(i..)
            .and_then(|rest| rest.chars().next())
            .filter(|c| c.is_whitespace())
            .map_or(0, char::len_utf8),
        _ => 0,
    }
}

impl QuoteId {
    /// Computes the id of a quote body (text without comments and attribution).
    pub fn of_body(body: &str) -> QuoteId {
        thread_local! {
            static WORDS: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        WORDS.with_borrow_mut(|words| {
            join_words(body, words);
            let digest = Sha256::digest(&words[..]);
            let mut bytes = [0u8; ID_BYTES];
            bytes.copy_from_slice(&digest[..ID_BYTES]);
            QuoteId(bytes)
        })
    }

    /// The 12 lowercase hex digits (what `Display` prints), built without the formatting
    /// machinery because ids are rendered on every JSON response.
    pub fn hex(&self) -> String {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut out = String::with_capacity(ID_BYTES * 2);
        for b in self.0 {
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 0xf)] as char);
        }
        out
    }

    /// The id as a 64-bit number, for deterministic ordering and seeding.
    pub fn as_u64(&self) -> u64 {
        self.0
            .iter()
            .fold(0u64, |acc, b| (acc << 8) | u64::from(*b))
    }
}

impl fmt::Display for QuoteId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.hex())
    }
}

impl fmt::Debug for QuoteId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "QuoteId({self})")
    }
}

/// Why a string is not a quote id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a quote id is 12 hex digits (0-9, a-f), got {0:?}")]
pub struct BadQuoteId(pub String);

impl FromStr for QuoteId {
    type Err = BadQuoteId;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || BadQuoteId(s.chars().take(40).collect());
        if s.len() != ID_BYTES * 2 || !s.is_ascii() {
            return Err(bad());
        }
        let mut bytes = [0u8; ID_BYTES];
        for (i, byte) in bytes.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).map_err(|_| bad())?;
        }
        Ok(QuoteId(bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_join_as_split_whitespace_does() {
        let samples = [
            "",
            "   ",
            "one",
            " one  two\tthree\r\nfour \n",
            "a\u{a0}b\u{2003}c\u{85}d\u{3000}e",
            "\x0Bv\x0Cf\x1Fnot-white",
            "café — “quoted”\n\t-- Author",
            "\u{1680}ogham\u{205f}math\u{2028}line\u{2029}para\u{202f}narrow",
        ];
        let mut out = Vec::new();
        for sample in samples {
            join_words(sample, &mut out);
            let expected = sample.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(
                String::from_utf8(out.clone()).unwrap(),
                expected,
                "{sample:?}"
            );
        }
    }

    #[test]
    fn whitespace_does_not_change_the_id() {
        let a = QuoteId::of_body("Give a man a fire\nand he's warm");
        let b = QuoteId::of_body("  Give a man a fire and\r\n\the's   warm \n");
        assert_eq!(a, b);
        assert_ne!(a, QuoteId::of_body("Give a man a fire and he is warm"));
    }

    #[test]
    fn id_is_the_documented_digest() {
        // sha256("a b") = c8687a08aa5d6ed2044328fa6a697ab8e96dc34291e8c2034ae8c38e6fcc6d65
        assert_eq!(QuoteId::of_body(" a\n b ").to_string(), "c8687a08aa5d");
    }

    #[test]
    fn parses_its_own_display_and_rejects_junk() {
        let id = QuoteId::of_body("hello");
        assert_eq!(id.to_string().parse::<QuoteId>(), Ok(id));
        for bad in [
            "",
            "xyz",
            "c8687a08aa5",
            "c8687a08aa5dd",
            "C8687A08AA5Z",
            "ééééééé",
        ] {
            assert!(bad.parse::<QuoteId>().is_err(), "{bad}");
        }
    }
}
