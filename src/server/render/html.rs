//! HTML pages for browsers: self-contained (inline CSS, no external assets), readable on any
//! screen, light or dark with the system setting. A quote page carries a few lines of inline
//! script for its copy button; everything else, the quote first, works without JavaScript.
//! Errors get a page of the same style ([`error_page`]), so a browser never shows raw JSON.
//!
//! Pages are `maud` templates: markup checked at compile time, and every value spliced in is
//! escaped unless it is wrapped in `PreEscaped` (only the constant style and script are). The
//! stylesheet and script live in `assets/` as plain CSS and JavaScript.

use super::{Pagination, permalink};
use crate::corpus::Corpus;
use crate::layout::{self, Unit};
use crate::quote::Quote;
use crate::server::errors::ApiError;
use crate::server::query::encode;
use maud::{Markup, PreEscaped, html};

const STYLE: &str = include_str!("assets/page.css");
const SCRIPT: &str = include_str!("assets/copy.js");

/// Escapes `text` for HTML or XML text and double-quoted attributes, with the templates' own
/// escaper (for the markup written outside a template: link-preview meta, the Atom feed).
pub fn escape(text: &str) -> String {
    html! { (text) }.into_string()
}

/// The frame every page shares. `extra_head` is markup for the end of `<head>` (such as
/// metadata of the quote a page shows); `script` adds the copy button's script.
fn page(title: &str, extra_head: Markup, body: Markup, script: bool) -> String {
    html! {
        (PreEscaped("<!doctype html>\n"))
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width,initial-scale=1";
                meta name="color-scheme" content="light dark";
                title { (title) }
                style { (PreEscaped(STYLE)) }
                (extra_head)
            }
            body {
                main {
                    nav {
                        a class="brand" href="/" { "epigraph" }
                        a href="/random" { "Random" }
                        a href="/today" { "Today" }
                        a href="/quotes" { "All quotes" }
                        a href="/tags" { "Tags" }
                        a href="/collections" { "Collections" }
                        a href="/authors" { "Authors" }
                    }
                    (body)
                }
                @if script {
                    script { (PreEscaped(SCRIPT)) }
                }
            }
        }
        "\n"
    }
    .into_string()
}

/// The body as `<p>` paragraphs, by the shared layout rule (docs/format.md): runs of words
/// that a file merely filled reflow to the screen, the author's own line breaks stay `<br>`.
fn paragraphs(body: &str) -> Markup {
    let units = layout::units(body);
    html! {
        @for paragraph in units.split(|unit| matches!(unit, Unit::Blank)) {
            @if !paragraph.is_empty() {
                p {
                    @for (i, unit) in paragraph.iter().enumerate() {
                        @if i > 0 { br; "\n" }
                        (line(unit))
                    }
                }
            }
        }
    }
}

/// One line of a paragraph, its indentation kept as no-break spaces.
fn line(unit: &Unit) -> Markup {
    let (indent, text, verbatim) = match unit {
        Unit::Blank => return html! {},
        Unit::Flow { indent, text, .. } => (*indent, text.as_str(), false),
        Unit::Verbatim(line) => {
            let text = line.trim_start();
            (line.len() - text.len(), text, true)
        }
    };
    html! {
        @for _ in 0..indent.min(16) { (PreEscaped("&nbsp;")) }
        @if verbatim {
            // Art keeps its inner spacing: each pair of spaces holds one that cannot collapse.
            @for (i, piece) in text.split("  ").enumerate() {
                @if i > 0 { (PreEscaped("&nbsp; ")) }
                (piece)
            }
        } @else {
            (text)
        }
    }
}

/// "— Author, *Work* (year)", or as much of it as the quote has.
fn credit(quote: &Quote) -> Option<Markup> {
    let (author, work) = (quote.author(), quote.work());
    if author.is_none() && work.is_none() {
        return None;
    }
    Some(html! {
        "— "
        @if let Some(author) = author {
            (author)
            @if work.is_some() { ", " }
        }
        @if let Some(work) = work { cite { (work) } }
        @if let Some(year) = quote.year() { " (" (year) ")" }
    })
}

/// The quote's body and attribution, with tags and permalink. `main` marks the one quote of a
/// page (ids for the copy button, a larger size for short quotes).
fn quote_block(quote: &Quote, corpus: &Corpus, main: bool) -> Markup {
    let body = quote.body().trim_end_matches('\n');
    let long = main && body.len() > 320;
    let credit = credit(quote);
    let context = quote.context();
    let collection = &corpus.collection_of(quote).name;
    html! {
        figure {
            blockquote id=[main.then_some("quote")] class=[long.then_some("long")] {
                (paragraphs(body))
            }
            @if context.is_some() || credit.is_some() {
                figcaption id=[main.then_some("credit")] {
                    @if let Some(context) = context {
                        span class="context" { (context) }
                        @if credit.is_some() { br; }
                    }
                    @if let Some(credit) = credit { (credit) }
                }
            }
        }
        div class="meta" {
            span class="tags" {
                @for tag in quote.tags() {
                    a href={ "/quotes?tag=" (encode(tag)) } rel="tag" { "#" (tag) }
                }
            }
            span { "in " a href={ "/quotes?collection=" (encode(collection)) } { (collection) } }
            span {
                a href=(permalink(quote.id)) rel="bookmark" {
                    @if main { "permalink" } @else { "link" }
                }
            }
        }
    }
}

/// A page for one quote. `heading` names what it is (e.g. the day); `another` is the link that
/// shows a different quote.
pub fn quote_page(quote: &Quote, corpus: &Corpus, heading: Option<&str>, another: &str) -> String {
    quote_page_with_head(quote, corpus, heading, another, "")
}

/// [`quote_page`] with extra `<head>` markup, already escaped (see `super::preview`).
pub fn quote_page_with_head(
    quote: &Quote,
    corpus: &Corpus,
    heading: Option<&str>,
    another: &str,
    head: &str,
) -> String {
    let body = html! {
        @if let Some(heading) = heading { h1 { (heading) } }
        (quote_block(quote, corpus, true))
        p class="actions" {
            a class="button primary" href=(another) { "Another one" }
            button type="button" class="button" id="copy" hidden { "Copy" }
            a class="button" href={ (permalink(quote.id)) ".svg" } { "SVG card" }
            span class="status" id="copy-status" role="status" aria-live="polite" {}
        }
    };
    let title = quote.author().unwrap_or("A quote");
    page(
        &format!("{title} — epigraph"),
        PreEscaped(head.to_string()),
        body,
        true,
    )
}

/// A page listing quotes, with previous/next links when paginated.
pub fn list_page<'a>(
    title: &str,
    quotes: impl IntoIterator<Item = &'a Quote>,
    corpus: &Corpus,
    pagination: Option<&Pagination>,
) -> String {
    let mut quotes = quotes.into_iter().peekable();
    let empty = quotes.peek().is_none();
    let body = html! {
        h1 {
            (title)
            @if let Some(p) = pagination {
                " — " (p.total) " quotes, page " (p.page) " of " (p.total_pages.max(1))
            }
        }
        @for quote in quotes {
            article { (quote_block(quote, corpus, false)) }
        }
        @if empty { p { "No quotes here." } }
        @if let Some(p) = pagination {
            div class="pager" {
                span { @if let Some(prev) = &p.prev { a href=(prev) { "← Previous" } } }
                span { @if let Some(next) = &p.next { a href=(next) { "Next →" } } }
            }
        }
    };
    page(&format!("{title} — epigraph"), html! {}, body, false)
}

/// A table of names with counts, each linking to its quotes through `param`.
pub fn names_page(title: &str, param: &str, items: &[(&str, usize)]) -> String {
    let body = html! {
        h1 { (title) }
        table {
            @for (name, count) in items {
                tr {
                    td { a href={ "/quotes?" (param) "=" (encode(name)) } { (name) } }
                    td class="n" { (count) }
                }
            }
        }
    };
    page(&format!("{title} — epigraph"), html! {}, body, false)
}

/// The collections with descriptions and counts.
pub fn collections_page(corpus: &Corpus) -> String {
    let body = html! {
        h1 { "Collections" }
        table {
            @for c in corpus.collections() {
                tr {
                    td {
                        a href={ "/quotes?collection=" (encode(&c.name)) } { (c.name) }
                        br;
                        small { (c.header.description.as_deref().unwrap_or("")) }
                    }
                    td class="n" { (c.len()) }
                }
            }
        }
    };
    page("Collections — epigraph", html! {}, body, false)
}

/// The page for an API error: status, message and, for an unknown tag, collection or author,
/// each suggested name as a link to its quotes.
pub fn error_page(err: &ApiError) -> String {
    let reason = actix_web::http::StatusCode::from_u16(err.status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("Error");
    let linked = err
        .parameter
        .as_deref()
        .filter(|p| ["tag", "collection", "author"].contains(p));
    let body = html! {
        h1 { (err.status) " " (reason) }
        p { (err.message) }
        @if !err.suggestions.is_empty() {
            p {
                "Try: "
                @for (i, name) in err.suggestions.iter().enumerate() {
                    @if i > 0 { ", " }
                    @if let Some(param) = linked {
                        a href={ "/quotes?" (param) "=" (encode(name)) } { (name) }
                    } @else {
                        (name)
                    }
                }
            }
        }
        p class="actions" {
            a class="button primary" href="/random" { "A random quote" }
            a class="button" href="/openapi.json" { "The API" }
        }
    };
    page(
        &format!("{} {reason} — epigraph", err.status),
        html! {},
        body,
        false,
    )
}

#[cfg(test)]
mod tests;
