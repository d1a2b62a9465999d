//! Atom 1.0 (RFC 4287) feeds of quotes of the day: one entry per day, newest first, each with
//! the quote as plain text (`summary`) and as HTML (`content type="html"`, escaped), its
//! author, and `updated` at that day's UTC midnight.

use super::permalink;
use super::svg::attribution;
use crate::corpus::Day;
use crate::layout::{self, Unit};
use crate::quote::Quote;
use std::fmt::Write;

/// One day's quote.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    /// The day.
    pub day: Day,
    /// Its quote.
    pub quote: &'a Quote,
}

/// A feed. URLs are absolute.
#[derive(Debug, Clone, Copy)]
pub struct Feed<'a> {
    /// The feed's title.
    pub title: &'a str,
    /// The URL the feed was fetched from: its `id` and `rel="self"` link.
    pub self_url: &'a str,
    /// The server's base URL (no trailing slash).
    pub base: &'a str,
    /// The filters as a query string (`tag=a&collection=b`, possibly empty), kept in the
    /// entries' ids and links so that each filter has its own entries.
    pub filters: &'a str,
    /// The entries, newest first.
    pub entries: &'a [Entry<'a>],
}

/// Escapes text for XML content and attributes, keeping line breaks and tabs (the SVG card's
/// escape turns them into nothing, which would glue a summary's lines together) and dropping
/// the other characters XML 1.0 forbids.
fn escape(text: &str) -> String {
    let allowed: String = text
        .chars()
        .filter(|&c| {
            matches!(c, '\n' | '\t') || (c as u32 >= 0x20 && !matches!(c, '\u{FFFE}' | '\u{FFFF}'))
        })
        .collect();
    super::html::escape(&allowed)
}

/// `day` at midnight UTC, as an RFC 3339 date-time.
fn midnight(day: Day) -> String {
    format!("{day}T00:00:00Z")
}

/// The context line (if any), then the attribution line (if any).
fn credit_lines(quote: &Quote) -> impl Iterator<Item = String> {
    let context = quote.context().map(str::to_string);
    context.into_iter().chain(attribution(quote))
}

/// The quote as text: its body, then the context and attribution lines.
fn plain(quote: &Quote) -> String {
    let mut text = quote.body().trim_end().to_string();
    for line in credit_lines(quote) {
        text.push('\n');
        text.push_str(&line);
    }
    text
}

/// The quote as HTML, by the shared layout rule: filled paragraphs as one run of words, the
/// author's own breaks as `<br>`.
fn html(quote: &Quote) -> String {
    let e = super::html::escape;
    let mut out = String::from("<blockquote>");
    let mut open = false;
    for unit in layout::units(quote.body()) {
        let text = match &unit {
            Unit::Blank => {
                if open {
                    out.push_str("</p>");
                    open = false;
                }
                continue;
            }
            Unit::Flow { text, .. } => text.as_str(),
            Unit::Verbatim(line) => line.trim_start(),
        };
        out.push_str(if open { "<br>" } else { "<p>" });
        open = true;
        out.push_str(&e(text));
    }
    if open {
        out.push_str("</p>");
    }
    out.push_str("</blockquote>");
    for line in credit_lines(quote) {
        let _ = write!(out, "<p><em>{}</em></p>", e(&line));
    }
    out
}

/// The feed document.
pub fn feed(feed: &Feed) -> String {
    let base = feed.base;
    let and_filters = if feed.filters.is_empty() {
        String::new()
    } else {
        format!("&{}", feed.filters)
    };
    let page = if feed.filters.is_empty() {
        format!("{base}/today")
    } else {
        format!("{base}/today?{}", feed.filters)
    };
    let updated = feed
        .entries
        .iter()
        .map(|e| e.day)
        .max_by_key(Day::number)
        .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), midnight);
    let mut out = String::with_capacity(2048 + feed.entries.len() * 2048);
    let _ = write!(
        out,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
         <feed xmlns=\"http://www.w3.org/2005/Atom\">\n\
         <id>{id}</id>\n<title>{title}</title>\n<updated>{updated}</updated>\n\
         <author><name>epigraph</name></author>\n\
         <link rel=\"self\" type=\"application/atom+xml\" href=\"{id}\"/>\n\
         <link rel=\"alternate\" type=\"text/html\" href=\"{page}\"/>\n\
         <generator version=\"{version}\">epigraph</generator>\n",
        id = escape(feed.self_url),
        title = escape(feed.title),
        page = escape(&page),
        version = env!("CARGO_PKG_VERSION"),
    );
    for entry in feed.entries {
        let quote = entry.quote;
        let day = entry.day;
        let who = attribution(quote).map_or_else(
            || "A quote".to_string(),
            |a| a.trim_start_matches("— ").to_string(),
        );
        let _ = write!(
            out,
            "<entry>\n<id>{id}</id>\n<title>{title}</title>\n<updated>{updated}</updated>\n",
            id = escape(&format!("{base}/today?date={day}{and_filters}")),
            title = escape(&format!("{day}: {who}")),
            updated = midnight(day),
        );
        if let Some(author) = quote.author() {
            let _ = writeln!(out, "<author><name>{}</name></author>", escape(author));
        }
        let _ = write!(
            out,
            "<link rel=\"alternate\" type=\"text/html\" href=\"{link}\"/>\n\
             <summary type=\"text\">{summary}</summary>\n\
             <content type=\"html\">{content}</content>\n</entry>\n",
            link = escape(&format!("{base}{}", permalink(quote.id))),
            summary = escape(&plain(quote)),
            content = escape(&html(quote)),
        );
    }
    out.push_str("</feed>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escaping_keeps_line_breaks_and_drops_control_characters() {
        assert_eq!(escape("a\nb\t<c>\u{1}&"), "a\nb\t&lt;c&gt;&amp;");
    }

    #[test]
    fn html_content_keeps_verse_breaks_and_escapes_markup() {
        let text = "Roses <are>\n  red.\n\nSecond & last.\n\t\t-- Ann, Verse\n";
        let quote = &crate::parser::parse_collection(text, 0).quotes[0];
        assert_eq!(
            html(quote),
            "<blockquote><p>Roses &lt;are&gt;<br>red.</p><p>Second &amp; last.</p></blockquote>\
             <p><em>— Ann, Verse</em></p>"
        );
        assert_eq!(
            plain(quote),
            "Roses <are>\n  red.\n\nSecond & last.\n— Ann, Verse"
        );
    }
}
