//! Curator checks on collection text: layout, metadata and attribution rules that keep the
//! files clean for classic tools and readers. Used by `epigraph check`.
//!
//! This module checks one file's layout and walks its entries; the content rules live in
//! [`content`], the tag vocabulary in [`vocabulary`], and duplicates across files in
//! [`duplicates`].

pub mod content;
pub mod duplicates;
pub mod vocabulary;

pub use duplicates::Duplicates;
pub use vocabulary::Vocabulary;

use crate::diagnostic::Diagnostic;
use crate::parser::{
    ENTRY_KEYS, EntrySpan, HEADER_KEYS, Header, entry_parts, entry_spans, metadata_line, parse_tags,
};
use crate::quote::split_attribution;

/// Widest line allowed in an entry's text, in columns (a tab counts to the next multiple of 8).
pub const MAX_COLUMNS: usize = 80;

/// Checks one collection's raw text; `header` is its parsed header. With a `vocabulary`, every
/// tag (the header's included) must be in it.
pub fn lint_text(
    text: &str,
    file: &str,
    header: &Header,
    vocabulary: Option<&Vocabulary>,
) -> Vec<Diagnostic> {
    let all = lint_text_capped(text, file, header, vocabulary, usize::MAX, &|| true);
    all.map(|(found, _)| found).unwrap_or_default()
}

/// The first `keep` of [`lint_text`]'s findings, in file order, and how many there are in all;
/// `None` if `keep_going` said to stop (it is asked before each chunk). Entries are split and
/// checked on all cores a chunk at a time, so a file with a problem on every one of a million
/// entries costs a chunk's spans and messages in memory, not a million.
pub fn lint_text_capped(
    text: &str,
    file: &str,
    header: &Header,
    vocabulary: Option<&Vocabulary>,
    keep: usize,
    keep_going: &dyn Fn() -> bool,
) -> Option<(Vec<Diagnostic>, usize)> {
    use rayon::prelude::*;
    let mut entries = entry_spans(text).peekable();
    let (mut kept, mut total) = (Vec::new(), 0);
    for c in 0.. {
        if entries.peek().is_none() {
            break;
        }
        if !keep_going() {
            return None;
        }
        let chunk: Vec<EntrySpan> = entries.by_ref().take(1 << 14).collect();
        let per_entry: Vec<Vec<Diagnostic>> = chunk
            .par_iter()
            .enumerate()
            .with_min_len(512)
            .map(|(i, &span)| lint_entry(text, c == 0 && i == 0, span, file, header, vocabulary))
            .collect();
        for found in per_entry.into_iter().flatten() {
            total += 1;
            if kept.len() < keep {
                kept.push(found);
            }
        }
    }
    Some((kept, total))
}

/// The problems of one entry (`first`: the file's first, which may be its header).
fn lint_entry(
    text: &str,
    first: bool,
    span: EntrySpan,
    file: &str,
    header: &Header,
    vocabulary: Option<&Vocabulary>,
) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let mut error =
        |line: usize, message: String| found.push(Diagnostic::error(file, Some(line), message));
    {
        let raw = &text[span.start..span.end];
        let is_header = first && !span.has_text && span.has_comments;
        if !span.has_text && !span.has_comments {
            error(
                span.line,
                "empty entry (two % lines with nothing between)".into(),
            );
            return found;
        }
        let mut has_tags = false;
        let (mut attribution_line, mut author_line) = (None, None);
        let printed: String = raw
            .split_inclusive('\n')
            .filter(|l| !l.starts_with("%%"))
            .collect();
        let (body, attribution) = split_attribution(&printed);
        let attribution_first = attribution.lines().next().unwrap_or("");
        for (n, line) in raw.split('\n').enumerate() {
            let number = span.line + n;
            if line.ends_with('\r') {
                error(
                    number,
                    "carriage return (CRLF line end); save with LF line ends".into(),
                );
            }
            let line = line.trim_end_matches('\r');
            if line != line.trim_end() {
                error(number, "trailing white space".into());
            }
            if line.starts_with("%%") {
                if let Some((key, value)) = metadata_line(line) {
                    has_tags |= key == "tags";
                    if key == "author" {
                        author_line = Some(number);
                    }
                    if let Some(vocabulary) = vocabulary.filter(|_| key == "tags") {
                        for tag in parse_tags(value).filter(|t| !vocabulary.contains(t)) {
                            error(number, vocabulary::not_in_vocabulary(&tag));
                        }
                    }
                    let known = if is_header { HEADER_KEYS } else { ENTRY_KEYS };
                    if !known.contains(&key.as_ref()) {
                        error(
                            number,
                            format!("unknown metadata key {key:?} (known: {})", known.join(", ")),
                        );
                    }
                }
                continue;
            }
            if !attribution_first.is_empty() && line == attribution_first {
                attribution_line = Some(number);
            }
            // Attribution lines (the `--` line and its continuations) may be indented by tabs.
            let in_attribution =
                attribution_line.is_some() && attribution.lines().any(|a| a == line);
            let tab_ok = in_attribution && !line.trim_start_matches('\t').contains('\t');
            if line.contains('\t') && !tab_ok {
                error(
                    number,
                    "tab character (only attribution lines may be indented with a tab)".into(),
                );
            }
            let columns = columns(line);
            if columns > MAX_COLUMNS {
                error(
                    number,
                    format!("line is {columns} columns wide (at most {MAX_COLUMNS})"),
                );
            }
        }
        if is_header || !span.has_text {
            return found;
        }
        if body.trim().is_empty() {
            error(span.line, "entry has an attribution but no text".into());
        }
        if header.require_attribution && attribution.is_empty() {
            error(
                span.line,
                "missing attribution line (`\\t-- Author, Work`); the header requires one".into(),
            );
        }
        if header.require_tags && !has_tags {
            error(
                span.line,
                "missing `%% tags:` line; the header requires tags".into(),
            );
        }
        let (parts, _) = entry_parts(text, span, &[]);
        for (at, message) in content::problems(&parts, body) {
            let line = match at {
                content::At::Author => author_line.or(attribution_line).unwrap_or(span.line),
                content::At::Entry => span.line,
            };
            error(line, message);
        }
    }
    found
}

/// Display columns of a line, tabs expanded to the next multiple of 8.
fn columns(line: &str) -> usize {
    line.chars().fold(0, |col, c| {
        if c == '\t' {
            (col / 8 + 1) * 8
        } else {
            col + 1
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parser::parse_collection;

    fn lint(text: &str) -> Vec<String> {
        let header = parse_collection(text, 0).header;
        lint_text(text, "f", &header, None)
            .into_iter()
            .map(|d| d.to_string())
            .collect()
    }

    #[test]
    fn clean_file_passes() {
        let text = "%% name: x\n%% require: attribution, tags\n%\nA quote.\n\t-- Someone, Work\n%% tags: a\n%\n";
        assert_eq!(lint(text), Vec::<String>::new());
    }

    #[test]
    fn attribution_continuation_may_start_with_a_tab() {
        let text = "%% name: x\n%% require: attribution, tags\n%\nA quote.\n\t-- Rule One\n\t   (Someone, Work)\n%% tags: a\n%\n";
        assert_eq!(lint(text), Vec::<String>::new());
        let inside = "%% name: x\n%\nA quote.\n\t-- Rule One\n\t   (Someone,\tWork)\n%\n";
        assert_eq!(lint(inside).len(), 1, "{:?}", lint(inside));
    }

    #[test]
    fn reports_each_problem_with_its_line() {
        let long = "X".repeat(81);
        let text = format!(
            "%% name: x\n%% require: attribution, tags\n%% colour: red\n%\nFine\n%% tags: a\n%\n\n%\n{long}\n\t-- A, B\n%% tags: a\n%% mood: odd\n%\nTrailing \n\t-- A, B\n%% tags: a\n%\nIn\tside\r\n\t-- A, B\n%% tags: a\n%\n"
        );
        let found = lint(&text);
        let expect = [
            "f:3: error: unknown metadata key \"colour\"",
            "f:5: error: missing attribution line",
            "f:8: error: empty entry",
            "f:10: error: line is 81 columns wide",
            "f:13: error: unknown metadata key \"mood\"",
            "f:15: error: trailing white space",
            "f:19: error: carriage return",
            "f:19: error: tab character",
        ];
        for e in expect {
            assert!(
                found.iter().any(|f| f.starts_with(e)),
                "missing {e:?} in {found:#?}"
            );
        }
        assert_eq!(found.len(), expect.len(), "{found:#?}");
    }

    #[test]
    fn tags_required_only_when_the_header_says_so() {
        assert!(lint("Plain classic entry\n%\n").is_empty());
        let found = lint("%% require: tags\n%\nNo tags\n%\n");
        assert_eq!(
            found,
            ["f:3: error: missing `%% tags:` line; the header requires tags"]
        );
    }

    #[test]
    fn content_rules_report_the_line_to_fix() {
        let text = "Bribes.\n\t-- 2013\n%\nSome.\n\t-- IRS\n%% author: 1998-2001\n%\nbut then\n\t-- A, B\n%\nbut then, with context\n\t-- Microsoft responded\n\t   (Andy Non, reader comment)\n%\nwhich it did.\n\t-- A, B\n%% context: the answer\n%\n";
        let found = lint(text);
        // `-- 2013` is a year with no author, which the parser never makes an author.
        assert_eq!(found.len(), 2, "{found:#?}");
        assert!(found[0].starts_with("f:6: error: author \"1998-2001\" is a number or date"));
        assert!(found[1].starts_with(
            "f:8: error: reads as a fragment of a reply: starts lower-case (\"but\")"
        ));
    }

    #[test]
    fn tags_outside_a_vocabulary_are_reported_where_they_are_written() {
        let text = "%% tags: taxes, made-up\n%\nA quote.\n\t-- A, B\n%% tags: income, Nope\n%\n";
        let vocabulary = Vocabulary::parse(
            "<!-- vocabulary:start -->\n| `taxes` | t |\n| `income` | i |\n<!-- vocabulary:end -->",
        );
        let header = parse_collection(text, 0).header;
        let found: Vec<String> = lint_text(text, "f", &header, Some(&vocabulary))
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            found,
            [
                "f:1: error: tag \"made-up\" is not in the vocabulary (docs/format.md, \"Tag vocabulary\")",
                "f:5: error: tag \"nope\" is not in the vocabulary (docs/format.md, \"Tag vocabulary\")",
            ]
        );
        assert!(lint_text(text, "f", &header, None).is_empty());
    }
}
