//! Splitting collection text into entries without allocating.

/// One entry's place in the collection text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntrySpan {
    /// Byte offset of the entry's first line.
    pub start: usize,
    /// Byte offset just past the entry's last line (its newline included).
    pub end: usize,
    /// 1-based line number of the first line.
    pub line: usize,
    /// Whether any line is a `%%` comment.
    pub has_comments: bool,
    /// Whether any line holds text that is not a comment or blank.
    pub has_text: bool,
}

/// Iterates over the entries of `text`: runs of lines between lines holding only `%`.
///
/// Every entry is yielded, blank and comment-only ones included; callers decide what to
/// keep. A last entry without a final `%` line is yielded too (classic `fortune -m` loses it).
pub fn entry_spans(text: &str) -> EntrySpans<'_> {
    EntrySpans {
        text,
        pos: 0,
        line: 1,
    }
}

/// Iterator returned by [`entry_spans`].
pub struct EntrySpans<'a> {
    text: &'a str,
    pos: usize,
    line: usize,
}

impl Iterator for EntrySpans<'_> {
    type Item = EntrySpan;

    fn next(&mut self) -> Option<EntrySpan> {
        let bytes = self.text.as_bytes();
        if self.pos >= bytes.len() {
            return None;
        }
        let mut span = EntrySpan {
            start: self.pos,
            end: self.pos,
            line: self.line,
            has_comments: false,
            has_text: false,
        };
        while self.pos < bytes.len() {
            let line_end =
                memchr::memchr(b'\n', &bytes[self.pos..]).map_or(bytes.len(), |i| self.pos + i);
            let line = &bytes[self.pos..line_end];
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            let next = (line_end + 1).min(bytes.len());
            self.line += 1;
            if line == b"%" {
                self.pos = next;
                return Some(span);
            }
            if line.starts_with(b"%%") {
                span.has_comments = true;
            } else if !span.has_text && line.iter().any(|b| !b.is_ascii_whitespace()) {
                span.has_text = true;
            }
            self.pos = next;
            span.end = next;
        }
        Some(span)
    }
}

/// Counts the entries that hold text, as `strfile` would number them.
pub fn count_entries(text: &str) -> usize {
    entry_spans(text).filter(|s| s.has_text).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<&str> {
        entry_spans(text).map(|s| &text[s.start..s.end]).collect()
    }

    #[test]
    fn splits_on_percent_lines() {
        assert_eq!(texts("a\n%\nb\nc\n%\n"), ["a\n", "b\nc\n"]);
        assert_eq!(
            texts("a\n%\nlast without percent"),
            ["a\n", "last without percent"]
        );
        assert_eq!(texts("a\r\n%\r\nb\r\n"), ["a\r\n", "b\r\n"]);
        assert_eq!(texts(""), Vec::<&str>::new());
    }

    #[test]
    fn tracks_lines_comments_and_blank_entries() {
        let text = "%% name: x\n%\n\n%\nq\n%% tags: a\n%\n";
        let spans: Vec<_> = entry_spans(text).collect();
        assert_eq!(spans.len(), 3);
        assert!(spans[0].has_comments && !spans[0].has_text);
        assert!(!spans[1].has_text);
        assert_eq!(spans[2].line, 5);
        assert!(spans[2].has_text && spans[2].has_comments);
        assert_eq!(count_entries(text), 1);
    }

    #[test]
    fn percent_with_text_is_not_a_delimiter() {
        assert_eq!(texts("50% off\n%\n"), ["50% off\n"]);
    }
}
