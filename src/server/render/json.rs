//! JSON: one object per quote (`id`, `text`, `author`, `work`, `collection`, `tags`, `length`,
//! `permalink`), lists as `{"count", "results", ...}` with totals and links when paginated.

use super::{Pagination, permalink};
use crate::corpus::Corpus;
use crate::quote::{Quote, QuoteView};
use serde::Serialize;

/// The JSON view of a quote, with its permalink: the core's [`QuoteView`].
pub type QuoteJson<'a> = QuoteView<'a>;

/// The view of `quote` as the API serves it (with its permalink).
pub fn quote_json<'a>(quote: &'a Quote, corpus: &'a Corpus) -> QuoteJson<'a> {
    let mut view = QuoteView::new(quote, &corpus.collection_of(quote).name);
    view.permalink = Some(permalink(quote.id));
    view
}

#[derive(Serialize)]
struct Links<'a> {
    #[serde(rename = "self")]
    this: &'a str,
    next: Option<&'a str>,
    prev: Option<&'a str>,
}

#[derive(Serialize)]
struct List<'a, T: Serialize> {
    count: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    total: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    page: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    total_pages: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    limit: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sort: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    links: Option<Links<'a>>,
    results: Vec<T>,
}

fn list<T: Serialize>(results: Vec<T>, pagination: Option<&Pagination>) -> Vec<u8> {
    let body = List {
        count: results.len(),
        total: pagination.map(|p| p.total),
        page: pagination.map(|p| p.page),
        total_pages: pagination.map(|p| p.total_pages),
        limit: pagination.map(|p| p.limit),
        sort: pagination.map(|p| p.sort),
        links: pagination.map(|p| Links {
            this: &p.self_link,
            next: p.next.as_deref(),
            prev: p.prev.as_deref(),
        }),
        results,
    };
    serde_json::to_vec(&body).unwrap_or_default()
}

/// One quote (with its day for the quote of the day).
pub fn quote(quote: &Quote, corpus: &Corpus, date: Option<String>) -> Vec<u8> {
    let mut view = quote_json(quote, corpus);
    view.date = date;
    let mut out = Vec::with_capacity(quote.text().len() + 256);
    match serde_json::to_writer(&mut out, &view) {
        Ok(()) => out,
        Err(_) => Vec::new(),
    }
}

/// A list of quotes, with paging details when it is one page of many.
pub fn quotes<'a>(
    quotes: impl IntoIterator<Item = &'a Quote>,
    corpus: &'a Corpus,
    pagination: Option<&Pagination>,
) -> Vec<u8> {
    let results: Vec<QuoteJson> = quotes.into_iter().map(|q| quote_json(q, corpus)).collect();
    list(results, pagination)
}

#[derive(Serialize)]
struct NameCount<'a> {
    name: &'a str,
    count: usize,
}

/// Names with counts (tags, authors).
pub fn names(items: &[(&str, usize)]) -> Vec<u8> {
    let results: Vec<NameCount> = items
        .iter()
        .map(|&(name, count)| NameCount { name, count })
        .collect();
    list(results, None)
}

#[derive(Serialize)]
struct CollectionJson<'a> {
    name: &'a str,
    description: Option<&'a str>,
    licence: Option<&'a str>,
    source: Option<&'a str>,
    embedded: bool,
    tags: &'a [String],
    count: usize,
}

/// The collections with their header details (file paths are not shown).
pub fn collections(corpus: &Corpus) -> Vec<u8> {
    let results: Vec<CollectionJson> = corpus
        .collections()
        .iter()
        .map(|c| CollectionJson {
            name: &c.name,
            description: c.header.description.as_deref(),
            licence: c.header.licence.as_deref(),
            source: c.header.source.as_deref(),
            embedded: c.embedded,
            tags: &c.header.tags,
            count: c.len(),
        })
        .collect();
    list(results, None)
}
