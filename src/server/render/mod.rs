//! Representations of what the routes answer: plain text ([`text`]), JSON ([`json`]) and HTML
//! pages ([`html`]). The routes decide what to show; these modules only write it.

pub mod html;
pub mod json;
pub mod text;

/// Where a page of results sits in the whole list, with links to its neighbours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pagination {
    /// This page, from 1.
    pub page: u64,
    /// Results per page.
    pub limit: u64,
    /// Results on all pages.
    pub total: usize,
    /// Number of pages (0 when there are no results).
    pub total_pages: u64,
    /// Sort order name.
    pub sort: &'static str,
    /// Link to this page.
    pub self_link: String,
    /// Link to the next page, if there is one.
    pub next: Option<String>,
    /// Link to the previous page, if there is one.
    pub prev: Option<String>,
}

/// The permalink path of a quote.
pub fn permalink(id: crate::quote::QuoteId) -> String {
    format!("/quotes/{id}")
}
