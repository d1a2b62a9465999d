//! Tests of the HTML pages: exact fragments for small cases, escaping of hostile text.

use super::*;
use crate::server::render::Pagination;

/// A corpus of one collection file holding `text`, kept on disk while the corpus is used.
fn corpus_of(text: &str) -> (tempfile::TempDir, Corpus) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("house.fortune");
    std::fs::write(&file, text).unwrap();
    let (corpus, _) = Corpus::load_paths(&[&file]);
    (dir, corpus)
}

fn house_quote(corpus: &Corpus) -> &Quote {
    let house = corpus.collection("house").expect("the house collection");
    &corpus.quotes()[house.range.start]
}

#[test]
fn a_quote_page_links_its_permalink_card_and_another_one() {
    let (corpus, _) = Corpus::embedded();
    let quote = &corpus.quotes()[0];
    let html = quote_page(quote, &corpus, None, "/random?tag=a&b");
    assert!(html.starts_with("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"));
    assert!(html.ends_with("</script></body></html>\n"));
    assert!(html.contains(&format!(
        "href=\"/quotes/{}\" rel=\"bookmark\">permalink",
        quote.id
    )));
    assert!(html.contains("<a class=\"button primary\" href=\"/random?tag=a&amp;b\">Another one"));
    assert!(html.contains("<button type=\"button\" class=\"button\" id=\"copy\" hidden>Copy"));
    assert!(html.contains(&format!("href=\"/quotes/{}.svg\">SVG card", quote.id)));
    assert!(!html.contains("<script src"));
}

#[test]
fn prose_reflows_and_verse_keeps_its_breaks() {
    let long = "a".repeat(60);
    let out = paragraphs(&format!("{long}\nend <b>\n\nRoses,\n  violets.")).into_string();
    assert_eq!(
        out,
        format!("<p>{long} end &lt;b&gt;</p><p>Roses,<br>\n&nbsp;&nbsp;violets.</p>")
    );
    let art = paragraphs("  /\\_/\\\n ( o.o )  <-\n  > ^ <").into_string();
    assert_eq!(
        art,
        "<p>&nbsp;&nbsp;/\\_/\\<br>\n&nbsp;( o.o )&nbsp; &lt;-<br>\n&nbsp;&nbsp;&gt; ^ &lt;</p>"
    );
}

#[test]
fn hostile_text_is_escaped_everywhere_it_appears() {
    let (_dir, corpus) = corpus_of(
        "%% tags: x\"><b>, plain\n<script>alert('q')</script> & \"friends\"\n\
         \t\t-- Ann <Author> & Co, <i>Proofs</i>, 1999\n%\n",
    );
    let quote = house_quote(&corpus);
    let html = quote_page(quote, &corpus, Some("<h1>day</h1>"), "/random?a=\"<x>");
    let body = &html[html.find("<body>").unwrap()..];
    for raw in [
        "<script>alert",
        "<b>",
        "<i>",
        "<Author>",
        "<h1>day",
        "\"<x>",
    ] {
        assert!(!body.contains(raw), "{raw} unescaped in {body}");
    }
    assert!(body.contains("&lt;script&gt;alert('q')&lt;/script&gt; &amp; &quot;friends&quot;"));
    assert!(body.contains("<figcaption id=\"credit\">— Ann &lt;Author&gt; &amp; Co, "));
    assert!(body.contains("<h1>&lt;h1&gt;day&lt;/h1&gt;</h1>"));
    assert!(body.contains("href=\"/random?a=&quot;&lt;x&gt;\""));
    assert!(
        body.contains(
            "<a href=\"/quotes?tag=x%22%3E%3Cb%3E\" rel=\"tag\">#x&quot;&gt;&lt;b&gt;</a>"
        )
    );
    let title = &html[html.find("<title>").unwrap()..html.find("</title>").unwrap()];
    assert_eq!(title, "<title>Ann &lt;Author&gt; &amp; Co — epigraph");
}

#[test]
fn lists_paginate_and_say_when_empty() {
    let (corpus, _) = Corpus::embedded();
    let pagination = Pagination {
        page: 2,
        limit: 1,
        total: 3,
        total_pages: 3,
        sort: "id",
        self_link: "/quotes?limit=1&page=2".into(),
        next: Some("/quotes?limit=1&page=3".into()),
        prev: None,
    };
    let html = list_page(
        "All <quotes>",
        corpus.quotes().iter().take(1),
        &corpus,
        Some(&pagination),
    );
    assert!(html.contains("<h1>All &lt;quotes&gt; — 3 quotes, page 2 of 3</h1><article><figure>"));
    assert!(html.contains(
        "<div class=\"pager\"><span></span><span><a href=\"/quotes?limit=1&amp;page=3\">Next →</a>"
    ));
    assert!(!html.contains("<script>"));
    let none = list_page("Nothing", std::iter::empty(), &corpus, None);
    assert!(none.contains("<h1>Nothing</h1><p>No quotes here.</p></main></body>"));
}

#[test]
fn name_tables_link_each_name_to_its_quotes() {
    let html = names_page("Tags", "tag", &[("a b", 2), ("c&d", 1)]);
    assert!(html.contains(
        "<h1>Tags</h1><table><tr><td><a href=\"/quotes?tag=a%20b\">a b</a></td>\
         <td class=\"n\">2</td></tr><tr><td><a href=\"/quotes?tag=c%26d\">c&amp;d</a></td>\
         <td class=\"n\">1</td></tr></table>"
    ));
}

#[test]
fn error_pages_link_suggestions_for_names_only() {
    let mut err = ApiError::not_found("no quote is tagged \"<wizzard>\"");
    err.parameter = Some("tag".into());
    err.suggestions = vec!["wizard".into(), "wiz & ard".into()];
    let html = error_page(&err);
    assert!(html.contains(
        "<h1>404 Not Found</h1><p>no quote is tagged &quot;&lt;wizzard&gt;&quot;</p>\
         <p>Try: <a href=\"/quotes?tag=wizard\">wizard</a>, \
         <a href=\"/quotes?tag=wiz%20%26%20ard\">wiz &amp; ard</a></p>"
    ));
    assert!(html.contains("<title>404 Not Found — epigraph</title>"));
    err.parameter = Some("q".into());
    assert!(error_page(&err).contains("<p>Try: wizard, wiz &amp; ard</p>"));
}

#[test]
fn the_head_has_a_slot_for_more_metadata() {
    let html = page(
        "T",
        html! { meta property="og:title" content="a \"b\""; },
        html! { p { "x" } },
        false,
    );
    assert!(
        html.contains("</style><meta property=\"og:title\" content=\"a &quot;b&quot;\"></head>")
    );
}
