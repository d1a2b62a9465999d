//! Checks on what an entry says about itself: an author that is really a date, and a body that
//! only makes sense as a reply to something the reader is not shown.

/// Words that, opening a body, show it continues a sentence begun elsewhere.
pub const CONJUNCTIONS: &[&str] = &["and", "but", "that", "which", "so", "or"];

/// Whether an author is a bare number, date or year range (`2013`, `1998-2001`, `2013-04-01`):
/// what a parser yields when it mistakes `(Year)` for `(Author, Work)`.
pub fn is_bare_number(author: &str) -> bool {
    let author = author.trim();
    author.chars().any(|c| c.is_ascii_digit())
        && author
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '-' | '–' | '—' | '/' | '.' | ' '))
}

/// Marks that may open a body before its first word: quote marks, brackets, emphasis, list
/// dashes and ellipses. Anything else first (`"?" he said.`) is a whole utterance.
const OPENERS: &[char] = &[
    '"', '\'', '“', '”', '‘', '’', '«', '»', '(', '[', '{', '*', '_', '-', '–', '—', '…', '.',
];

/// Why a body reads as a fragment of a reply: it opens lower-case or with a conjunction.
/// Leading quote marks, brackets and ellipses are skipped; `None` when it reads on its own.
pub fn reply_shape(body: &str) -> Option<String> {
    let start = body.trim_start_matches(|c: char| c.is_whitespace() || OPENERS.contains(&c));
    let first = start.chars().next().filter(|c| c.is_alphanumeric())?;
    let word: String = start
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '\'' || *c == '’')
        .collect();
    if first.is_lowercase() {
        return Some(format!("starts lower-case ({word:?})"));
    }
    let lower = word.to_lowercase();
    CONJUNCTIONS
        .contains(&lower.as_str())
        .then(|| format!("starts with the conjunction {word:?}"))
}

/// Whether an attribution block carries a context line: a `-- CONTEXT` line followed by an
/// indented `(Author, Work)` continuation, fortune-mod's form.
pub fn has_context_line(block: &str) -> bool {
    let mut lines = block.lines().map(str::trim).filter(|l| !l.is_empty());
    let Some(first) = lines.next() else {
        return false;
    };
    let context = first.strip_prefix("--").map(str::trim).unwrap_or("");
    let last = lines.next_back().unwrap_or("");
    !context.is_empty() && last.starts_with('(') && last.ends_with(')')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_dates_and_ranges_are_not_authors() {
        for bad in ["2013", "1998-2001", "2013-04-01", "1998–2001", " 2013 "] {
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
            reply_shape("\"And then?\" he asked.").as_deref(),
            Some("starts with the conjunction \"And\"")
        );
        assert_eq!(
            reply_shape("… so it goes").as_deref(),
            Some("starts lower-case (\"so\")")
        );
        for whole in [
            "That's right.",
            "Andy said so.",
            "Sober up.",
            "42 is it.",
            "",
        ] {
            assert_eq!(reply_shape(whole), None, "{whole}");
        }
    }

    #[test]
    fn context_lines() {
        assert!(has_context_line(
            "\t-- Microsoft responded\n\t   (Andy Non, reader comment)\n"
        ));
        assert!(!has_context_line("\t-- (Andy Non, reader comment)\n"));
        assert!(!has_context_line("\t-- Andy Non, reader comment\n"));
        assert!(!has_context_line(""));
    }
}
