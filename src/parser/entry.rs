//! One entry's lines sorted out: the text as printed, the tags and the `%%` metadata; then,
//! for a quote to be stored, its attribution.

use super::{EntrySpan, metadata_line, parse_tags};
use crate::quote::{Attribution, QuoteParts, split_attribution};
use std::borrow::Cow;

/// An entry's lines before its attribution line is read: enough to filter it.
#[derive(Debug, Clone)]
pub struct EntryLines<'a> {
    /// The entry's lines as they stand in the file, comments included.
    pub raw: &'a str,
    /// 1-based line of the entry's first line.
    pub line: usize,
    /// The entry as printed (comment lines removed, LF line ends, final newline).
    pub text: Cow<'a, str>,
    /// Its tags: its own, then the file's defaults, each once.
    pub tags: Vec<String>,
    /// Author, work, year and context as `%%` metadata gives them.
    pub metadata_credit: Attribution,
    /// Other `%% key: value` metadata, in file order.
    pub meta: Vec<(String, &'a str)>,
}

impl<'a> EntryLines<'a> {
    /// The author: `%% author:` over the attribution line.
    pub fn author(&self) -> Option<Cow<'_, str>> {
        match &self.metadata_credit.author {
            Some(author) => Some(Cow::Borrowed(author)),
            None => Attribution::parse(split_attribution(&self.text).1)
                .author
                .map(Cow::Owned),
        }
    }

    /// The pieces of a quote to store, with its tags.
    pub fn into_parts(self) -> (QuoteParts<'a>, Vec<String>) {
        let (body, block) = split_attribution(&self.text);
        let body_len = body.len();
        let attribution = Attribution::parse(block);
        let given = self.metadata_credit;
        let credit = Attribution {
            author: given.author.or(attribution.author),
            work: given.work.or(attribution.work),
            year: given.year.or(attribution.year),
            context: given.context.or(attribution.context),
        };
        let parts = QuoteParts {
            body_len,
            line: self.line,
            raw: self.raw,
            credit,
            meta: self.meta,
            text: self.text,
        };
        (parts, self.tags)
    }
}

/// The pieces of one entry of `text` and its tags (its own, then `default_tags`, each once),
/// borrowing from `text` where they are verbatim.
pub fn entry_parts<'a>(
    text: &'a str,
    span: EntrySpan,
    default_tags: &[String],
) -> (QuoteParts<'a>, Vec<String>) {
    entry_lines(text, span, default_tags).into_parts()
}

/// Sorts out the lines of one entry of `text` (see [`EntryLines`]).
pub fn entry_lines<'a>(text: &'a str, span: EntrySpan, default_tags: &[String]) -> EntryLines<'a> {
    let raw = &text[span.start..span.end];
    let mut tags: Vec<String> = Vec::new();
    let mut meta = Vec::new();
    let mut credit = Attribution::default();
    let printed: Cow<str> = if span.has_comments || raw.contains('\r') || !raw.ends_with('\n') {
        printed_text(raw)
    } else {
        Cow::Borrowed(raw)
    };
    for line in raw
        .lines()
        .filter(|line| span.has_comments && line.starts_with("%%"))
    {
        let Some((key, value)) = metadata_line(line) else {
            continue;
        };
        let slot = match &*key {
            "tags" => {
                tags.extend(parse_tags(value));
                continue;
            }
            "author" => &mut credit.author,
            "work" => &mut credit.work,
            "year" => &mut credit.year,
            "context" => &mut credit.context,
            _ => {
                meta.push((key.into_owned(), value));
                continue;
            }
        };
        *slot = Some(value.to_string());
    }
    for tag in default_tags {
        if !tags.contains(tag) {
            tags.push(tag.clone());
        }
    }
    let mut unique = Vec::with_capacity(tags.len());
    for tag in tags {
        if !unique.contains(&tag) {
            unique.push(tag);
        }
    }
    EntryLines {
        raw,
        line: span.line,
        text: printed,
        tags: unique,
        metadata_credit: credit,
        meta,
    }
}

/// An entry as printed (comment lines removed, LF line ends, final newline), without reading
/// its metadata: borrowed from `raw` when its text lines stand together as they are printed.
pub fn printed_text(raw: &str) -> Cow<'_, str> {
    if !raw.contains('\r') {
        let mut text: Option<std::ops::Range<usize>> = None;
        let (mut offset, mut split) = (0, false);
        for piece in raw.split_inclusive('\n') {
            let at = offset;
            offset += piece.len();
            match (piece.starts_with("%%"), &mut text) {
                (true, _) => split |= text.is_some(),
                (false, Some(range)) if !split => range.end = offset,
                (false, Some(_)) => return Cow::Owned(copy_printed(raw)),
                (false, None) => text = Some(at..offset),
            }
        }
        match text.map(|range| &raw[range]) {
            Some(verbatim) if verbatim.ends_with('\n') => return Cow::Borrowed(verbatim),
            None => return Cow::Borrowed(""),
            Some(_) => {}
        }
    }
    Cow::Owned(copy_printed(raw))
}

fn copy_printed(raw: &str) -> String {
    raw.lines()
        .filter(|line| !line.starts_with("%%"))
        .flat_map(|line| [line, "\n"])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printed_text_leaves_out_comments_and_borrows_when_it_can() {
        let cases = [
            ("One\nTwo\n", "One\nTwo\n", true),
            ("%% tags: a\nOne\nTwo\n%% author: B\n", "One\nTwo\n", true),
            ("One\n%% tags: a\nTwo\n", "One\nTwo\n", false),
            ("One\r\nTwo\r\n", "One\nTwo\n", false),
            ("One\nTwo", "One\nTwo\n", false),
            ("%% only: comments\n", "", true),
        ];
        for (raw, printed, borrowed) in cases {
            let got = printed_text(raw);
            assert_eq!(got, printed, "{raw:?}");
            assert_eq!(matches!(got, Cow::Borrowed(_)), borrowed, "{raw:?}");
            let span = EntrySpan {
                start: 0,
                end: raw.len(),
                line: 1,
                has_comments: raw.contains("%%"),
                has_text: true,
            };
            assert_eq!(entry_lines(raw, span, &[]).text, printed, "{raw:?}");
        }
    }
}
