//! HTML pages for browsers: self-contained (inline CSS, no scripts, no external assets), readable
//! on any screen, light or dark with the system setting.

use super::{Pagination, permalink};
use crate::corpus::Corpus;
use crate::quote::Quote;
use crate::server::query::encode;
use std::fmt::Write;

const STYLE: &str = "\
:root{color-scheme:light dark;--fg:#1d1d1f;--bg:#fbfaf7;--muted:#6b6b6b;--accent:#8a4b08;--rule:#e4e0d8}
@media (prefers-color-scheme:dark){:root{--fg:#ecebe8;--bg:#1a1a1c;--muted:#a3a3a3;--accent:#f0b35e;--rule:#333}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:18px/1.6 Georgia,'Iowan Old Style','Palatino Linotype',serif}
main{max-width:42rem;margin:0 auto;padding:2rem 1.25rem 4rem}
nav{font:14px/1.4 system-ui,sans-serif;display:flex;gap:1rem;flex-wrap:wrap;margin-bottom:2.5rem}
a{color:var(--accent)}
nav a{text-decoration:none}
h1{font-size:1.1rem;font-weight:normal;color:var(--muted);margin:0 0 1rem}
blockquote{margin:0;white-space:pre-wrap;font-size:1.25rem}
.attribution{margin:.75rem 0 0;color:var(--muted);font-style:italic}
.meta{font:14px/1.6 system-ui,sans-serif;color:var(--muted);margin-top:1.5rem}
.tags a{margin-right:.5rem}
.actions{margin-top:2rem;font:16px system-ui,sans-serif}
.button{display:inline-block;padding:.45rem 1rem;border:1px solid var(--accent);border-radius:.4rem;text-decoration:none}
article{padding:1.25rem 0;border-bottom:1px solid var(--rule)}
article blockquote{font-size:1.05rem}
table{border-collapse:collapse;width:100%;font:16px system-ui,sans-serif}
td{padding:.3rem .5rem;border-bottom:1px solid var(--rule)}
td.n{text-align:right;color:var(--muted)}
.pager{display:flex;justify-content:space-between;margin-top:1.5rem;font:16px system-ui,sans-serif}";

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>{}</title><style>{STYLE}</style></head><body><main>\
         <nav><a href=\"/random\">Random</a><a href=\"/today\">Today</a>\
         <a href=\"/quotes\">All quotes</a><a href=\"/tags\">Tags</a>\
         <a href=\"/collections\">Collections</a><a href=\"/authors\">Authors</a></nav>\
         {body}</main></body></html>\n",
        escape(title)
    )
}

/// The quote's body and attribution, with tags and permalink.
fn quote_block(out: &mut String, quote: &Quote, corpus: &Corpus, link_text: bool) {
    let body = quote.body().trim_end_matches('\n');
    let _ = write!(out, "<blockquote>{}</blockquote>", escape(body));
    let attribution = match (&quote.author, &quote.work) {
        (Some(a), Some(w)) => Some(format!("— {}, <cite>{}</cite>", escape(a), escape(w))),
        (Some(a), None) => Some(format!("— {}", escape(a))),
        (None, Some(w)) => Some(format!("— <cite>{}</cite>", escape(w))),
        (None, None) => None,
    };
    if let Some(attribution) = attribution {
        let _ = write!(out, "<p class=\"attribution\">{attribution}</p>");
    }
    let collection = &corpus.collection_of(quote).name;
    let _ = write!(out, "<div class=\"meta\"><span class=\"tags\">");
    for tag in &quote.tags {
        let _ = write!(
            out,
            "<a href=\"/quotes?tag={}\">#{}</a>",
            encode(tag),
            escape(tag)
        );
    }
    let _ = write!(
        out,
        "</span> · <a href=\"/quotes?collection={}\">{}</a> · <a href=\"{}\">{}</a></div>",
        encode(collection),
        escape(collection),
        permalink(quote.id),
        if link_text { "permalink" } else { "link" },
    );
}

/// A page for one quote. `heading` names what it is (e.g. the day); `another` is the link that
/// shows a different quote.
pub fn quote_page(quote: &Quote, corpus: &Corpus, heading: Option<&str>, another: &str) -> String {
    let mut body = String::with_capacity(2048);
    if let Some(heading) = heading {
        let _ = write!(body, "<h1>{}</h1>", escape(heading));
    }
    quote_block(&mut body, quote, corpus, true);
    let _ = write!(
        body,
        "<p class=\"actions\"><a class=\"button\" href=\"{}\">Another one</a></p>",
        escape(another)
    );
    let title = quote.author.as_deref().unwrap_or("A quote");
    page(&format!("{title} — epigraph"), &body)
}

/// A page listing quotes, with previous/next links when paginated.
pub fn list_page<'a>(
    title: &str,
    quotes: impl IntoIterator<Item = &'a Quote>,
    corpus: &Corpus,
    pagination: Option<&Pagination>,
) -> String {
    let mut body = String::with_capacity(8192);
    let _ = write!(body, "<h1>{}", escape(title));
    if let Some(p) = pagination {
        let _ = write!(
            body,
            " — {} quotes, page {} of {}",
            p.total,
            p.page,
            p.total_pages.max(1)
        );
    }
    body.push_str("</h1>");
    let mut any = false;
    for quote in quotes {
        any = true;
        body.push_str("<article>");
        quote_block(&mut body, quote, corpus, false);
        body.push_str("</article>");
    }
    if !any {
        body.push_str("<p>No quotes here.</p>");
    }
    if let Some(p) = pagination {
        body.push_str("<div class=\"pager\"><span>");
        if let Some(prev) = &p.prev {
            let _ = write!(body, "<a href=\"{}\">← Previous</a>", escape(prev));
        }
        body.push_str("</span><span>");
        if let Some(next) = &p.next {
            let _ = write!(body, "<a href=\"{}\">Next →</a>", escape(next));
        }
        body.push_str("</span></div>");
    }
    page(&format!("{title} — epigraph"), &body)
}

/// A table of names with counts, each linking to its quotes through `param`.
pub fn names_page(title: &str, param: &str, items: &[(&str, usize)]) -> String {
    let mut body = String::with_capacity(items.len() * 80 + 256);
    let _ = write!(body, "<h1>{}</h1><table>", escape(title));
    for (name, count) in items {
        let _ = write!(
            body,
            "<tr><td><a href=\"/quotes?{param}={}\">{}</a></td><td class=\"n\">{count}</td></tr>",
            encode(name),
            escape(name)
        );
    }
    body.push_str("</table>");
    page(&format!("{title} — epigraph"), &body)
}

/// The collections with descriptions and counts.
pub fn collections_page(corpus: &Corpus) -> String {
    let mut body = String::from("<h1>Collections</h1><table>");
    for c in corpus.collections() {
        let _ = write!(
            body,
            "<tr><td><a href=\"/quotes?collection={}\">{}</a><br><small>{}</small></td>\
             <td class=\"n\">{}</td></tr>",
            encode(&c.name),
            escape(&c.name),
            escape(c.header.description.as_deref().unwrap_or("")),
            c.len()
        );
    }
    body.push_str("</table>");
    page("Collections — epigraph", &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_links() {
        assert_eq!(
            escape("<a href='x'>&\"</a>"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;"
        );
        let (corpus, _) = Corpus::embedded();
        let quote = &corpus.quotes()[0];
        let html = quote_page(quote, &corpus, None, "/random?tag=a&b");
        assert!(html.starts_with("<!doctype html>"));
        assert!(html.contains(&format!("href=\"/quotes/{}\"", quote.id)));
        assert!(html.contains("href=\"/random?tag=a&amp;b\""));
        assert!(!html.contains("<script"));
    }
}
