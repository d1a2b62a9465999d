//! Representations of what the routes answer: plain text ([`text`]), JSON ([`json`]), HTML
//! pages ([`html`]), SVG quote cards ([`svg`]) and the same cards as PNG ([`png`]), link-preview
//! meta ([`preview`]) and Atom feeds ([`atom`]). The routes decide what to show; these modules
//! only write it.

pub mod atom;
pub mod html;
pub mod json;
pub mod png;
pub mod preview;
pub mod svg;
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
    let mut path = String::with_capacity(20);
    path.push_str("/quotes/");
    path.push_str(&id.hex());
    path
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quote::QuoteId;

    #[test]
    fn ids_render_as_their_display() {
        for body in ["a b", "hello", "x"] {
            let id = QuoteId::of_body(body);
            assert_eq!(id.hex(), id.to_string());
            assert_eq!(permalink(id), format!("/quotes/{id}"));
        }
    }
}
