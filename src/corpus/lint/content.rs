//! Checks on what an entry says about itself: an author that is really a date, and a body that
//! only makes sense as a reply to something the reader is not shown.

use crate::quote::{QuoteParts, is_year};

/// Where a content problem is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum At {
    /// The line that names the author (`%% author:`, else the `--` line).
    Author,
    /// The entry's first line.
    Entry,
}

/// The content problems of one parsed entry whose body (text without attribution) is `body`.
pub fn problems(quote: &QuoteParts, body: &str) -> Vec<(At, String)> {
    let mut found = Vec::new();
    let credit = &quote.credit;
    if let Some(author) = credit.author.as_deref().filter(|a| is_bare_number(a)) {
        found.push((
            At::Author,
            format!(
                "author {author:?} is a number or date, not a person or body; a year goes in \
                 `%% year:` or after the work (`-- Author, Work (Year)`)"
            ),
        ));
    }
    let complete = quote.meta.iter().any(|(k, _)| k == "complete");
    if let Some(shape) = reply_shape(body).filter(|_| credit.context.is_none() && !complete) {
        found.push((
            At::Entry,
            format!(
                "reads as a fragment of a reply: {shape} and has no context; add a context line \
                 (`\\t-- CONTEXT` above `(Author, Work)`) or `%% context:`, quote the whole \
                 sentence, or mark a passage that its source prints just so `%% complete: yes`"
            ),
        ));
    }
    found
}

/// Words that, opening a body, show it continues a sentence begun elsewhere.
pub const CONJUNCTIONS: &[&str] = &["and", "but", "that", "which", "so", "or"];

/// Whether an author is a bare number, date or year range (`2013`, `1998-2001`, `2013-04-01`,
/// `March 12, 1995`): a year in the author's place, from `%% author:` or an attribution form
/// the parser does not know.
pub fn is_bare_number(author: &str) -> bool {
    let author = author.trim();
    let digits_only = author.chars().any(|c| c.is_ascii_digit())
        && author
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '-' | '–' | '—' | '/' | '.' | ' '));
    digits_only || is_year(author)
}

/// Marks that may open a body before its first word: quote marks, brackets, emphasis, list
/// dashes and ellipses. Anything else first (`"?" he said.`) is a whole utterance.
const OPENERS: &[char] = &[
    '"', '\'', '“', '”', '‘', '’', '«', '»', '(', '[', '{', '*', '_', '-', '–', '—', '…', '.',
];

/// Why a body reads as a fragment of a reply: it opens lower-case, or with a conjunction that
/// is not inside a quotation (a line of dialogue opening "But..." is a whole utterance).
/// Leading quote marks, brackets and ellipses are skipped; `None` when it reads on its own.
pub fn reply_shape(body: &str) -> Option<String> {
    let body = body.trim_start();
    let start = body.trim_start_matches(|c: char| c.is_whitespace() || OPENERS.contains(&c));
    let quoted =
        body[..body.len() - start.len()].contains(['"', '\'', '“', '‘', '«', '-', '–', '—']);
    let first = start.chars().next().filter(|c| c.is_alphanumeric())?;
    let word: String = start
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '\'' || *c == '’')
        .collect();
    if first.is_lowercase() {
        return Some(format!("starts lower-case ({word:?})"));
    }
    let lower = word.to_lowercase();
    (CONJUNCTIONS.contains(&lower.as_str()) && !quoted)
        .then(|| format!("starts with the conjunction {word:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_dates_and_ranges_are_not_authors() {
        for bad in [
            "2013",
            "1998-2001",
            "2013-04-01",
            "1998–2001",
            " 2013 ",
            "March 12, 1995",
        ] {
            assert!(is_bare_number(bad), "{bad}");
        }
        for good in ["IRS", "Tax Topic 420", "R2-D2", "", "-"] {
            assert!(!is_bare_number(good), "{good}");
        }
    }

    #[test]
    fn reply_shapes() {
        assert_eq!(
            reply_shape("that it has now resolved the issue").as_deref(),
            Some("starts lower-case (\"that\")")
        );
        assert_eq!(
            reply_shape("And over the years it grew.").as_deref(),
            Some("starts with the conjunction \"And\"")
        );
        assert_eq!(
            reply_shape("… so it goes").as_deref(),
            Some("starts lower-case (\"so\")")
        );
        for whole in [
            "\"And then?\" he asked.",
            "- \"But I don't *believe*!\"",
            "That's right.",
            "Andy said so.",
            "Sober up.",
            "42 is it.",
            "\"?\" he said.",
            "",
        ] {
            assert_eq!(reply_shape(whole), None, "{whole}");
        }
    }
}
