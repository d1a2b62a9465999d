//! Curator checks on collection text: layout, metadata and attribution rules that keep the
//! files clean for classic tools and readers. Used by `epigraph check`.

use crate::diagnostic::Diagnostic;
use crate::parser::{ENTRY_KEYS, HEADER_KEYS, Header, entry_spans, metadata_line};
use crate::quote::split_attribution;

/// Widest line allowed in an entry's text, in columns (a tab counts to the next multiple of 8).
pub const MAX_COLUMNS: usize = 80;

/// Checks one collection's raw text; `header` is its parsed header.
pub fn lint_text(text: &str, file: &str, header: &Header) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let mut error =
        |line: usize, message: String| found.push(Diagnostic::error(file, Some(line), message));
    for (i, span) in entry_spans(text).enumerate() {
        let raw = &text[span.start..span.end];
        let is_header = i == 0 && !span.has_text && span.has_comments;
        if !span.has_text && !span.has_comments {
            error(
                span.line,
                "empty entry (two % lines with nothing between)".into(),
            );
            continue;
        }
        let mut has_tags = false;
        let printed: String = raw
            .split_inclusive('\n')
            .filter(|l| !l.starts_with("%%"))
            .collect();
        let (body, attribution) = split_attribution(&printed);
        // The `--` line and its indented continuation lines (fortune-mod's context form).
        let attribution_lines: Vec<&str> = attribution
            .lines()
            .map(|l| l.trim_end_matches('\r'))
            .collect();
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
                if let Some((key, _)) = metadata_line(line) {
                    has_tags |= key == "tags";
                    let known = if is_header { HEADER_KEYS } else { ENTRY_KEYS };
                    if !known.contains(&key.as_str()) {
                        error(
                            number,
                            format!("unknown metadata key {key:?} (known: {})", known.join(", ")),
                        );
                    }
                }
                continue;
            }
            let is_attribution_line = attribution_lines.contains(&line);
            let tab_ok = is_attribution_line && !line.trim_start_matches('\t').contains('\t');
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
            continue;
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
        lint_text(text, "f", &header)
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
        let long = "x".repeat(81);
        let text = format!(
            "%% name: x\n%% require: attribution, tags\n%% colour: red\n%\nfine\n%% tags: a\n%\n\n%\n{long}\n\t-- A, B\n%% tags: a\n%% mood: odd\n%\ntrailing \n\t-- A, B\n%% tags: a\n%\nin\tside\r\n\t-- A, B\n%% tags: a\n%\n"
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
        assert!(lint("plain classic entry\n%\n").is_empty());
        let found = lint("%% require: tags\n%\nno tags\n%\n");
        assert_eq!(
            found,
            ["f:3: error: missing `%% tags:` line; the header requires tags"]
        );
    }
}
