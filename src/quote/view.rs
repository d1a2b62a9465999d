//! The serializable view of a quote, the one JSON shape every face prints (`epigraph --json`,
//! the HTTP API, exports), so programs see the same fields wherever they read a quote.

use super::Quote;
use serde::Serialize;

/// A quote as JSON.
#[derive(Debug, Serialize)]
pub struct QuoteView<'a> {
    /// Stable id (12 hex digits).
    pub id: String,
    /// The quote's words without the attribution, line breaks as stored, no final newline.
    pub text: &'a str,
    /// The whole entry as `fortune` prints it, attribution included, newline-terminated.
    pub display: &'a str,
    /// Author, if known.
    pub author: Option<&'a str>,
    /// Work, if known.
    pub work: Option<&'a str>,
    /// Year, date or range, if known.
    pub year: Option<&'a str>,
    /// The line printed before a parenthesised credit (`Economics explained`), if any.
    pub context: Option<&'a str>,
    /// Collection name.
    pub collection: &'a str,
    /// Tags, lowercase.
    pub tags: Vec<&'a str>,
    /// Length in characters (what `min_length`/`max_length` compare).
    pub length: usize,
    /// Path of the quote's permanent page, where a face serves one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permalink: Option<String>,
    /// For the quote of the day: the day (UTC).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

impl<'a> QuoteView<'a> {
    /// The view of `quote`, which belongs to the collection called `collection`.
    pub fn new(quote: &'a Quote, collection: &'a str) -> QuoteView<'a> {
        QuoteView {
            id: quote.id.hex(),
            text: quote.body().trim_end(),
            display: quote.text(),
            author: quote.author(),
            work: quote.work(),
            year: quote.year(),
            context: quote.context(),
            collection,
            tags: quote.tags().collect(),
            length: quote.char_len(),
            permalink: None,
            date: None,
        }
    }
}
