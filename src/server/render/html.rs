//! HTML pages for browsers: self-contained (inline CSS, no external assets), readable on any
//! screen, light or dark with the system setting. A quote page carries a few lines of inline
//! script for its copy button; everything else, the quote first, works without JavaScript.
//! Errors get a page of the same style ([`error_page`]), so a browser never shows raw JSON.

use super::{Pagination, permalink};
use crate::corpus::Corpus;
use crate::layout::{self, Unit};
use crate::quote::Quote;
use crate::server::errors::ApiError;
use crate::server::percent::encode;
use std::fmt::Write;

const STYLE: &str = "\
:root{color-scheme:light dark;--fg:#1d1d1f;--bg:#fbfaf7;--muted:#646464;--accent:#8a4b08;\
--accent-bg:#f6ead9;--rule:#e4e0d8}
@media (prefers-color-scheme:dark){:root{--fg:#ecebe8;--bg:#18181a;--muted:#a3a3a3;\
--accent:#f0b35e;--accent-bg:#2c2418;--rule:#333336}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);\
font:18px/1.65 Charter,'Bitstream Charter','Iowan Old Style','Palatino Linotype',Georgia,serif;\
text-rendering:optimizeLegibility;font-kerning:normal}
main{max-width:40rem;margin:0 auto;padding:1.5rem 1.25rem 4rem}
nav,.meta,.actions,table,.pager,h1{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}
nav{font-size:15px;display:flex;gap:.25rem 1.1rem;flex-wrap:wrap;margin-bottom:3rem;\
padding-bottom:.75rem;border-bottom:1px solid var(--rule)}
nav .brand{font-weight:600;color:var(--fg);margin-right:auto}
a{color:var(--accent);text-underline-offset:.15em}
nav a{text-decoration:none}
a:hover{text-decoration:underline}
a:focus-visible,button:focus-visible{outline:2px solid var(--accent);outline-offset:2px}
h1{font-size:.95rem;font-weight:500;letter-spacing:.02em;color:var(--muted);margin:0 0 1.25rem}
figure{margin:0}
blockquote{margin:0;position:relative;font-size:clamp(1.3rem,1rem + 1.4vw,1.65rem);line-height:1.5;\
hyphens:auto;overflow-wrap:break-word}
blockquote.long{font-size:1.15rem;line-height:1.6}
blockquote::before{content:'\\201C';position:absolute;left:-.1em;top:-.55em;font-size:3.2em;\
line-height:1;color:var(--accent);opacity:.25;pointer-events:none}
blockquote p{margin:0 0 .8em}
blockquote p:last-child{margin-bottom:0}
figcaption{margin:1rem 0 0;color:var(--muted);font-style:italic;font-size:1.05rem}
.meta{font-size:14px;color:var(--muted);margin-top:1.75rem;display:flex;flex-wrap:wrap;gap:.3rem .9rem}
.tags{display:flex;flex-wrap:wrap;gap:.3rem .6rem}
.tags a{text-decoration:none;background:var(--accent-bg);padding:.05rem .5rem;border-radius:1rem}
.actions{margin-top:2.25rem;display:flex;flex-wrap:wrap;gap:.75rem;align-items:center}
.button{display:inline-block;font:inherit;font-size:16px;line-height:1.4;cursor:pointer;\
padding:.5rem 1.1rem;border:1px solid var(--accent);border-radius:.5rem;text-decoration:none;\
color:var(--accent);background:transparent}
.button.primary{background:var(--accent);color:var(--bg)}
.button:hover{text-decoration:none;filter:brightness(1.1)}
.button[hidden]{display:none}
.status{font-size:14px;color:var(--muted)}
article{padding:1.5rem 0;border-bottom:1px solid var(--rule)}
article blockquote{font-size:1.1rem;line-height:1.6}
article blockquote::before{display:none}
article figcaption{font-size:1rem;margin-top:.5rem}
article .meta{margin-top:.75rem}
table{border-collapse:collapse;width:100%;font-size:16px}
td{padding:.4rem .5rem;border-bottom:1px solid var(--rule);vertical-align:top}
td small{color:var(--muted)}
td.n{text-align:right;color:var(--muted);font-variant-numeric:tabular-nums}
.pager{display:flex;justify-content:space-between;margin-top:1.5rem;font-size:16px}
footer{margin-top:4rem;font:13px system-ui,sans-serif;color:var(--muted)}";

/// Progressive enhancement: shows the copy button and copies the quote with its attribution.
/// The page is complete without it.
const SCRIPT: &str = "\
(function(){var b=document.getElementById('copy');if(!b)return;b.hidden=false;\
var s=document.getElementById('copy-status');\
function text(){var q=document.getElementById('quote'),c=document.getElementById('credit');\
var t=Array.prototype.map.call(q.querySelectorAll('p'),function(p){return p.innerText.trim()})\
.join('\\n\\n');return c?t+'\\n'+c.innerText.trim():t}\
function done(m){s.textContent=m;setTimeout(function(){s.textContent=''},2500)}\
function fallback(t){var a=document.createElement('textarea');a.value=t;\
a.setAttribute('readonly','');a.style.position='fixed';a.style.opacity='0';\
document.body.appendChild(a);a.select();var ok=false;try{ok=document.execCommand('copy')}catch(e){}\
document.body.removeChild(a);done(ok?'Copied':'Press Ctrl+C to copy')}\
b.addEventListener('click',function(){var t=text();\
if(navigator.clipboard&&window.isSecureContext){navigator.clipboard.writeText(t)\
.then(function(){done('Copied')},function(){fallback(t)})}else{fallback(t)}})})();";

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

fn page(title: &str, body: &str, script: bool) -> String {
    page_with_head(title, body, script, "")
}

/// A page with `head` (already escaped markup: link-preview meta, feed links) in its `<head>`.
fn page_with_head(title: &str, body: &str, script: bool, head: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <meta name=\"color-scheme\" content=\"light dark\">\
         <title>{}</title>{head}<style>{STYLE}</style></head><body><main>\
         <nav><a class=\"brand\" href=\"/\">epigraph</a><a href=\"/random\">Random</a>\
         <a href=\"/today\">Today</a><a href=\"/quotes\">All quotes</a><a href=\"/tags\">Tags</a>\
         <a href=\"/collections\">Collections</a><a href=\"/authors\">Authors</a></nav>\
         {body}</main>{}</body></html>\n",
        escape(title),
        if script {
            format!("<script>{SCRIPT}</script>")
        } else {
            String::new()
        }
    )
}

/// The body as `<p>` paragraphs, by the shared layout rule (docs/format.md): runs of words
/// that a file merely filled reflow to the screen, the author's own line breaks stay `<br>`.
fn paragraphs(out: &mut String, body: &str) {
    let mut open = false;
    for unit in layout::units(body) {
        let (indent, text) = match &unit {
            Unit::Blank => {
                if open {
                    out.push_str("</p>");
                    open = false;
                }
                continue;
            }
            Unit::Flow { indent, text, .. } => (*indent, text.as_str()),
            Unit::Verbatim(line) => (line.len() - line.trim_start().len(), line.trim_start()),
        };
        out.push_str(if open { "<br>\n" } else { "<p>" });
        open = true;
        out.push_str(&"&nbsp;".repeat(indent.min(16)));
        if matches!(unit, Unit::Verbatim(_)) {
            // Art keeps its inner spacing.
            out.push_str(&escape(text).replace("  ", "&nbsp; "));
        } else {
            out.push_str(&escape(text));
        }
    }
    if open {
        out.push_str("</p>");
    }
}

/// The quote's body and attribution, with tags and permalink. `main` marks the one quote of a
/// page (ids for the copy button, a larger size for short quotes).
fn quote_block(out: &mut String, quote: &Quote, corpus: &Corpus, main: bool) {
    let body = quote.body().trim_end_matches('\n');
    out.push_str("<figure>");
    let class = if main && body.len() > 320 {
        " class=\"long\""
    } else {
        ""
    };
    let id = if main { " id=\"quote\"" } else { "" };
    let _ = write!(out, "<blockquote{id}{class}>");
    paragraphs(out, body);
    out.push_str("</blockquote>");
    let credit = match (&quote.author(), &quote.work()) {
        (Some(a), Some(w)) => Some(format!("— {}, <cite>{}</cite>", escape(a), escape(w))),
        (Some(a), None) => Some(format!("— {}", escape(a))),
        (None, Some(w)) => Some(format!("— <cite>{}</cite>", escape(w))),
        (None, None) => None,
    }
    .map(|credit| match &quote.year() {
        Some(year) => format!("{credit} ({})", escape(year)),
        None => credit,
    });
    let context = quote
        .context()
        .map(|c| format!("<span class=\"context\">{}</span>", escape(c)));
    let attribution = match (context, credit) {
        (Some(context), Some(credit)) => Some(format!("{context}<br>{credit}")),
        (one, other) => one.or(other),
    };
    if let Some(attribution) = attribution {
        let id = if main { " id=\"credit\"" } else { "" };
        let _ = write!(out, "<figcaption{id}>{attribution}</figcaption>");
    }
    out.push_str("</figure>");
    let collection = &corpus.collection_of(quote).name;
    let _ = write!(out, "<div class=\"meta\"><span class=\"tags\">");
    for tag in quote.tags() {
        let _ = write!(
            out,
            "<a href=\"/quotes?tag={}\" rel=\"tag\">#{}</a>",
            encode(tag),
            escape(tag)
        );
    }
    let _ = write!(
        out,
        "</span><span>in <a href=\"/quotes?collection={}\">{}</a></span>\
         <span><a href=\"{}\" rel=\"bookmark\">{}</a></span></div>",
        encode(collection),
        escape(collection),
        permalink(quote.id),
        if main { "permalink" } else { "link" },
    );
}

/// A page for one quote. `heading` names what it is (e.g. the day); `another` is the link that
/// shows a different quote.
pub fn quote_page(quote: &Quote, corpus: &Corpus, heading: Option<&str>, another: &str) -> String {
    quote_page_with_head(quote, corpus, heading, another, "")
}

/// [`quote_page`] with extra `<head>` markup (see `super::preview`).
pub fn quote_page_with_head(
    quote: &Quote,
    corpus: &Corpus,
    heading: Option<&str>,
    another: &str,
    head: &str,
) -> String {
    let mut body = String::with_capacity(4096);
    if let Some(heading) = heading {
        let _ = write!(body, "<h1>{}</h1>", escape(heading));
    }
    quote_block(&mut body, quote, corpus, true);
    let link = permalink(quote.id);
    let _ = write!(
        body,
        "<p class=\"actions\"><a class=\"button primary\" href=\"{}\">Another one</a>\
         <button type=\"button\" class=\"button\" id=\"copy\" hidden>Copy</button>\
         <a class=\"button\" href=\"{link}.svg\">SVG card</a>\
         <span class=\"status\" id=\"copy-status\" role=\"status\" aria-live=\"polite\"></span></p>",
        escape(another)
    );
    let title = quote.author().unwrap_or("A quote");
    page_with_head(&format!("{title} — epigraph"), &body, true, head)
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
    page(&format!("{title} — epigraph"), &body, false)
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
    page(&format!("{title} — epigraph"), &body, false)
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
    page("Collections — epigraph", &body, false)
}

/// The page for an API error: status, message and, for an unknown tag, collection or author,
/// each suggested name as a link to its quotes.
pub fn error_page(err: &ApiError) -> String {
    let reason = actix_web::http::StatusCode::from_u16(err.status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("Error");
    let mut body = String::with_capacity(1024);
    let _ = write!(
        body,
        "<h1>{} {}</h1><p>{}</p>",
        err.status,
        escape(reason),
        escape(&err.message)
    );
    if !err.suggestions.is_empty() {
        let linked = err
            .parameter
            .as_deref()
            .filter(|p| ["tag", "collection", "author"].contains(p));
        body.push_str("<p>Try: ");
        for (i, name) in err.suggestions.iter().enumerate() {
            if i > 0 {
                body.push_str(", ");
            }
            match linked {
                Some(param) => {
                    let _ = write!(
                        body,
                        "<a href=\"/quotes?{param}={}\">{}</a>",
                        encode(name),
                        escape(name)
                    );
                }
                None => body.push_str(&escape(name)),
            }
        }
        body.push_str("</p>");
    }
    body.push_str(
        "<p class=\"actions\"><a class=\"button primary\" href=\"/random\">A random quote</a>\
         <a class=\"button\" href=\"/openapi.json\">The API</a></p>",
    );
    page(&format!("{} {reason} — epigraph", err.status), &body, false)
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
        assert!(!html.contains("<script src"));
        assert!(html.contains("id=\"copy\" hidden"));
        assert!(html.contains(&format!("href=\"/quotes/{}.svg\"", quote.id)));
    }

    #[test]
    fn prose_reflows_and_verse_keeps_its_breaks() {
        let mut out = String::new();
        let long = "a".repeat(60);
        paragraphs(&mut out, &format!("{long}\nend <b>\n\nRoses,\n  violets."));
        assert_eq!(
            out,
            format!("<p>{long} end &lt;b&gt;</p><p>Roses,<br>\n&nbsp;&nbsp;violets.</p>")
        );
    }
}
