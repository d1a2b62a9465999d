//! The quote model: one entry of a collection, with its attribution and metadata.

mod attribution;
mod id;
mod view;

pub use attribution::{Attribution, is_year, split_attribution};
pub use id::{BadQuoteId, QuoteId};
pub use view::QuoteView;

/// One quote, as loaded from a collection file.
#[derive(Debug, Clone, PartialEq)]
pub struct Quote {
    /// Stable id of the quote body.
    pub id: QuoteId,
    /// The entry exactly as printed: comment lines removed, LF line ends, final newline.
    pub text: String,
    /// Who said or wrote it (from the attribution line or `%% author:`).
    pub author: Option<String>,
    /// Where it comes from (from the attribution line or `%% work:`).
    pub work: Option<String>,
    /// When: a year, date or range (from the attribution line or `%% year:`).
    pub year: Option<String>,
    /// The descriptive line printed before a parenthesised credit, such as `Rule One` or a
    /// speaker (from the attribution lines or `%% context:`).
    pub context: Option<String>,
    /// Tags, lowercase, the collection's default tags included, without duplicates.
    pub tags: Vec<String>,
    /// Other `%% key: value` metadata, in file order.
    pub meta: Vec<(String, String)>,
    /// Index of the collection this quote belongs to.
    pub collection: usize,
    /// 1-based line of the entry's first line in its file.
    pub line: usize,
}

impl Quote {
    /// Length in Unicode characters of the printed text, without the final newline.
    pub fn char_len(&self) -> usize {
        self.text.trim_end_matches('\n').chars().count()
    }

    /// Length in bytes including the final newline, the measure classic `fortune -n` uses.
    pub fn byte_len(&self) -> usize {
        self.text.len()
    }

    /// The body: the text without its attribution lines.
    pub fn body(&self) -> &str {
        split_attribution(&self.text).0
    }

    /// The value of a metadata key, if present.
    pub fn meta(&self, key: &str) -> Option<&str> {
        self.meta
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Whether the quote carries the tag (tags are stored lowercase).
    pub fn has_tag(&self, tag: &str) -> bool {
        self.tags.iter().any(|t| t == tag)
    }
}
