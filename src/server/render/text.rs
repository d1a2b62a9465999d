//! Plain text: quotes exactly as `fortune` prints them; lists in the `%`-separated collection
//! format, so a page of results is itself a valid collection file.

use crate::corpus::Corpus;
use crate::quote::Quote;

/// Several quotes separated by `%` lines.
pub fn quotes<'a>(quotes: impl IntoIterator<Item = &'a Quote>) -> String {
    let mut out = String::new();
    for (i, quote) in quotes.into_iter().enumerate() {
        if i > 0 {
            out.push_str("%\n");
        }
        out.push_str(quote.text());
    }
    out
}

/// `name<TAB>count` lines.
pub fn names(items: &[(&str, usize)]) -> String {
    let mut out = String::with_capacity(items.len() * 16);
    for (name, count) in items {
        out.push_str(name);
        out.push('\t');
        out.push_str(&count.to_string());
        out.push('\n');
    }
    out
}

/// `name<TAB>count<TAB>description` lines.
pub fn collections(corpus: &Corpus) -> String {
    let mut out = String::new();
    for c in corpus.collections() {
        let description = c.header.description.as_deref().unwrap_or("");
        out.push_str(&format!("{}\t{}\t{}\n", c.name, c.len(), description));
    }
    out
}
