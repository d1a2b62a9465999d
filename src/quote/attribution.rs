//! Parsing the trailing `-- Author, Work` attribution of an entry.

/// Author and work named by an attribution line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attribution {
    /// The person (or body) credited, if any.
    pub author: Option<String>,
    /// The book, article, form or other source, if any.
    pub work: Option<String>,
}

/// Splits an entry's text into body and attribution block.
///
/// The attribution block starts at the last line whose first non-blank characters are `--`,
/// provided every following line is indented (a continuation). Returns `(body, attribution)`;
/// the attribution is empty when there is none.
pub fn split_attribution(text: &str) -> (&str, &str) {
    let trimmed = text.trim_end_matches(['\n', '\r']);
    let mut end = trimmed.len();
    loop {
        let start = trimmed[..end].rfind('\n').map_or(0, |i| i + 1);
        let line = &trimmed[start..end];
        let stripped = line.trim_start();
        if stripped.starts_with("--") && start > 0 {
            return (&text[..start], &text[start..]);
        }
        // A continuation line must be indented; stop at the first line that is not.
        if start == 0 || stripped.len() == line.len() || stripped.is_empty() {
            return (text, "");
        }
        end = start - 1;
    }
}

impl Attribution {
    /// Parses an attribution block such as `\t-- (Terry Pratchett, Jingo)`.
    ///
    /// A parenthesised `(Author, Work)` anywhere in the block wins over a plain `Author, Work`
    /// on the `--` line, because fortune-mod puts context before it (`-- Gaspode (TP, Work)`).
    pub fn parse(block: &str) -> Attribution {
        let joined = block.split_whitespace().collect::<Vec<_>>().join(" ");
        let Some(rest) = joined.strip_prefix("--") else {
            return Attribution::default();
        };
        let rest = rest.trim();
        let inner = match (rest.rfind('('), rest.ends_with(')')) {
            (Some(open), true) => &rest[open + 1..rest.len() - 1],
            _ => rest,
        };
        let (author, work) = match inner.split_once(", ") {
            Some((a, w)) => (a.trim(), Some(w.trim())),
            None => (inner.trim(), None),
        };
        let some = |s: &str| (!s.is_empty()).then(|| s.to_string());
        Attribution {
            author: some(author),
            work: work.and_then(some),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (String, Attribution) {
        let (body, block) = split_attribution(text);
        (body.to_string(), Attribution::parse(block))
    }

    #[test]
    fn plain_and_parenthesised_forms() {
        let (body, a) = parse("Hello.\n\t-- Terry Pratchett, Jingo\n");
        assert_eq!(body, "Hello.\n");
        assert_eq!(a.author.as_deref(), Some("Terry Pratchett"));
        assert_eq!(a.work.as_deref(), Some("Jingo"));
        let (_, a) = parse("Hi\n\t-- (Terry Pratchett, Men at Arms)\n");
        assert_eq!(a.author.as_deref(), Some("Terry Pratchett"));
        assert_eq!(a.work.as_deref(), Some("Men at Arms"));
    }

    #[test]
    fn continuation_lines_with_context() {
        let text = "\"Woof.\"\n        -- Gaspode the wonder dog\n           (Terry Pratchett, Moving Pictures)\n";
        let (body, a) = parse(text);
        assert_eq!(body, "\"Woof.\"\n");
        assert_eq!(a.author.as_deref(), Some("Terry Pratchett"));
        assert_eq!(a.work.as_deref(), Some("Moving Pictures"));
    }

    #[test]
    fn author_only_and_no_attribution() {
        let (_, a) = parse("x\n\t-- Excerpt from Taxachussetts income tax forms\n");
        assert_eq!(
            a.author.as_deref(),
            Some("Excerpt from Taxachussetts income tax forms")
        );
        assert_eq!(a.work, None);
        let (body, a) = parse("just text\nmore text\n");
        assert_eq!(body, "just text\nmore text\n");
        assert_eq!(a, Attribution::default());
        // A dash line that is the whole entry is text, not an attribution.
        let (body, _) = parse("-- lonely\n");
        assert_eq!(body, "-- lonely\n");
        // An unindented line after the dash line ends the attribution search.
        let (body, _) = parse("a\n-- b\nc\n");
        assert_eq!(body, "a\n-- b\nc\n");
    }
}
