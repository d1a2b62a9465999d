//! Searching quotes with the `regex` crate: linear time, Unicode-aware, bounded in size.

use super::Corpus;
use crate::parser::{EntrySpan, entry_spans, printed_text};
use regex::{Regex, RegexBuilder};

/// Largest compiled program accepted, so a hostile pattern cannot take the memory.
const SIZE_LIMIT: usize = 1 << 20;

/// A pattern that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SearchError {
    /// The pattern does not compile; the message shows where.
    #[error("bad pattern: {0}")]
    Syntax(String),
    /// The pattern compiles to more than the size limit.
    #[error("pattern is too large (compiled form over {SIZE_LIMIT} bytes)")]
    TooLarge,
}

/// Compiles a search pattern. `^` and `$` match at line starts and ends, as in classic
/// `fortune -m`; case-insensitive matching is Unicode-aware (`café` matches `CAFÉ`).
pub fn build_regex(pattern: &str, case_insensitive: bool) -> Result<Regex, SearchError> {
    RegexBuilder::new(pattern)
        .case_insensitive(case_insensitive)
        .multi_line(true)
        .size_limit(SIZE_LIMIT)
        .dfa_size_limit(SIZE_LIMIT)
        .build()
        .map_err(|err| match err {
            regex::Error::CompiledTooBig(_) => SearchError::TooLarge,
            other => SearchError::Syntax(one_line(pattern).unwrap_or_else(|| other.to_string())),
        })
}

/// The syntax error of `pattern` on one line, with the column where it goes wrong.
fn one_line(pattern: &str) -> Option<String> {
    match regex_syntax::Parser::new().parse(pattern) {
        Err(regex_syntax::Error::Parse(err)) => Some(format!(
            "{} at column {} of {pattern:?}",
            err.kind(),
            err.span().start.column
        )),
        Err(regex_syntax::Error::Translate(err)) => Some(format!(
            "{} at column {} of {pattern:?}",
            err.kind(),
            err.span().start.column
        )),
        _ => None,
    }
}

/// The entries of raw collection text whose printed form (comments left out) matches `re`.
///
/// Runs the regex over the whole text and maps hits back to entries, so the engine's literal
/// optimisations skip non-matching stretches; a hit that crosses an entry boundary or touches a
/// comment is checked again on the entry alone.
pub fn matching_spans(text: &str, re: &Regex) -> Vec<EntrySpan> {
    let spans: Vec<EntrySpan> = entry_spans(text).filter(|s| s.has_text).collect();
    let mut found = Vec::new();
    let mut pos = 0;
    while pos < text.len() {
        let Some(hit) = re.find_at(text, pos) else {
            break;
        };
        let at = spans.partition_point(|s| s.end <= hit.start());
        let Some(span) = spans.get(at).copied() else {
            break;
        };
        if hit.start() < span.start {
            // The hit lies in a delimiter or skipped entry; look again from the next entry.
            pos = span.start;
            continue;
        }
        let raw = &text[span.start..span.end];
        let clean = !span.has_comments && !raw.contains('\r');
        let confirmed = if clean && hit.end() <= span.end {
            true
        } else {
            re.is_match(&printed_text(raw))
        };
        if confirmed {
            found.push(span);
        }
        pos = span.end.max(pos + 1);
    }
    found
}

impl Corpus {
    /// Indexes of the `candidates` whose text matches `re`, in the given order.
    pub fn search(&self, re: &Regex, candidates: &[u32]) -> Vec<u32> {
        candidates
            .iter()
            .copied()
            .filter(|&i| re.is_match(self.quotes()[i as usize].text()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches<'a>(text: &'a str, pattern: &str, ci: bool) -> Vec<&'a str> {
        let re = build_regex(pattern, ci).unwrap();
        matching_spans(text, &re)
            .into_iter()
            .map(|s| &text[s.start..s.end])
            .collect()
    }

    #[test]
    fn finds_each_matching_entry_once_including_the_last() {
        let text = "the cat\nthe hat\n%\ndog\n%\nlast one with the end";
        assert_eq!(
            matches(text, "the", false),
            ["the cat\nthe hat\n", "last one with the end"]
        );
        assert_eq!(matches(text, "^dog$", false), ["dog\n"]);
    }

    #[test]
    fn comments_are_not_searched_and_hits_do_not_cross_entries() {
        let text = "%% tags: secret\nvisible\n%\nab\n%\ncd\n%\n";
        assert!(matches(text, "secret", false).is_empty());
        assert_eq!(matches(text, "visible", false).len(), 1);
        assert!(matches(text, "ab\\s+%", false).is_empty());
        assert!(matches(text, "b\\s+c", false).is_empty());
    }

    #[test]
    fn unicode_case_folding_and_errors() {
        assert_eq!(matches("CAFÉ\n%\n", "café", true), ["CAFÉ\n"]);
        assert!(matches("CAFÉ\n%\n", "café", false).is_empty());
        let err = build_regex("a(b", false).unwrap_err();
        assert!(
            matches!(err, SearchError::Syntax(ref m) if m.contains("unclosed")),
            "{err}"
        );
        assert_eq!(
            build_regex("(a{1000}){1000}", false).unwrap_err(),
            SearchError::TooLarge
        );
    }
}
