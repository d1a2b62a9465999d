//! Parsing the trailing `-- Author, Work` attribution of an entry into author, work, year and
//! the descriptive context line fortune files put before a parenthesised credit.
//!
//! The forms read (docs/format.md lists them with examples): `Author`, `Author, Work`,
//! `Author, Work, Year`, `Author, Work (Year)`, `Author (Year)` (a year, date or lifespan),
//! `(Author, Work)`, and any of those in parentheses after a context (`-- Rule One` then
//! `(Terry Pratchett, Interesting Times)` on the next line). A year, date or year range is never
//! taken for an author.

/// What an attribution block says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attribution {
    /// The person (or body) credited, if any.
    pub author: Option<String>,
    /// The book, article, form or other source, if any.
    pub work: Option<String>,
    /// A year, date, year range or lifespan, as written.
    pub year: Option<String>,
    /// A descriptive line before a parenthesised credit (`Economics explained`, a speaker).
    pub context: Option<String>,
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
    pub fn parse(block: &str) -> Attribution {
        let joined = words_joined(block);
        let Some(rest) = joined.strip_prefix("--") else {
            return Attribution::default();
        };
        let rest = rest.trim();
        // A final parenthesised group is a year (`Author (1998)`), or the credit itself, with
        // whatever stands before it as context (`Gaspode the wonder dog (TP, Moving Pictures)`).
        if let Some((before, inner)) = final_parenthesis(rest) {
            // `(1998)`, or details led by a year: `Bugs and Thugs (1954, Friz Freleng)`.
            let lead = inner.split(", ").next().unwrap_or(inner);
            if is_year(lead) && !before.is_empty() {
                let mut credit = credit(before);
                credit.year = credit.year.or_else(|| some(lead));
                return credit;
            }
            let mut credit = credit(inner);
            credit.context = some(before);
            return credit;
        }
        credit(rest)
    }
}

/// The words of `text` joined by single spaces; borrowed when they already are (an
/// attribution on one line, the usual case: a million of them are parsed at a load).
fn words_joined(text: &str) -> std::borrow::Cow<'_, str> {
    let trimmed = text.trim();
    let single_spaced = !trimmed.contains("  ")
        && trimmed
            .bytes()
            .all(|b| b.is_ascii() && (b == b' ' || !b.is_ascii_whitespace()));
    if single_spaced {
        std::borrow::Cow::Borrowed(trimmed)
    } else {
        std::borrow::Cow::Owned(text.split_whitespace().collect::<Vec<_>>().join(" "))
    }
}

/// `Author`, `Author, Work` or `Author, Work, Year`, with a bare year never the author.
fn credit(text: &str) -> Attribution {
    let text = text.trim().trim_end_matches([',', ';']).trim();
    let (mut head, mut year) = (text, None);
    if let Some((rest, last)) = text.rsplit_once(", ")
        && is_year(last)
    {
        (head, year) = (rest, some(last));
    }
    let lead = head.split(", ").next().unwrap_or(head);
    if is_year(lead) {
        return Attribution {
            year: some(lead),
            work: head.split_once(", ").and_then(|(_, w)| some(w)),
            ..Attribution::default()
        };
    }
    let (author, work) = match head.split_once(", ") {
        Some((a, w)) => (some(a), some(w)),
        None => (some(head), None),
    };
    Attribution {
        author,
        work,
        year,
        context: None,
    }
}

/// `(before, inside)` when `text` ends with a balanced parenthesised group that stands apart
/// (`chroot(2)` is a word, not a credit).
fn final_parenthesis(text: &str) -> Option<(&str, &str)> {
    let inner_end = text.strip_suffix(')')?.len();
    let mut depth = 0usize;
    for (i, c) in text[..inner_end].char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' if depth == 0 => {
                let apart = text[..i].is_empty() || text[..i].ends_with(' ');
                return apart.then(|| (text[..i].trim(), text[i + 1..inner_end].trim()));
            }
            '(' => depth -= 1,
            _ => {}
        }
    }
    None
}

fn some(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// Whether `text` is only a year, a date or a year range: `1998`, `1990s`, `c. 1850`,
/// `1768-1848`, `2013-04-01`, `12 March 1995`, `March 12, 1995`, `Spring 1993`, `1996 BC`.
pub fn is_year(text: &str) -> bool {
    // Every form holds a year of three or four digits: most credits are told at once.
    if !text
        .as_bytes()
        .windows(3)
        .any(|w| w.iter().all(u8::is_ascii_digit))
    {
        return false;
    }
    let text = text.trim().trim_end_matches('.');
    let lower = text.to_lowercase();
    let lower = ["circa ", "ca. ", "c. ", "c."]
        .iter()
        .find_map(|p| lower.strip_prefix(p))
        .unwrap_or(&lower)
        .trim();
    let mut words = 0;
    let mut has_year = false;
    for word in lower
        .split([' ', ',', '/', '-', '–', '—'])
        .filter(|w| !w.is_empty())
    {
        words += 1;
        let digits = word.trim_end_matches(['s', '?']);
        let is_number = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
        if is_number && (3..=4).contains(&digits.len()) {
            has_year = true;
        } else if is_number && digits.len() <= 2 {
            // A day, a month, or the short end of a range such as 1914-18.
        } else if !(MONTHS.iter().any(|m| word.starts_with(m))
            || ["spring", "summer", "autumn", "fall", "winter"].contains(&word)
            || ["bc", "bce", "ad", "ce"].contains(&word))
        {
            return false;
        }
    }
    has_year && words <= 4
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (String, Attribution) {
        let (body, block) = split_attribution(text);
        (body.to_string(), Attribution::parse(block))
    }

    fn fields(block: &str) -> [Option<String>; 4] {
        let a = Attribution::parse(block);
        [a.author, a.work, a.year, a.context]
    }

    fn s(v: &str) -> Option<String> {
        Some(v.to_string())
    }

    #[test]
    fn every_documented_form() {
        let cases: &[(&str, [Option<String>; 4])] = &[
            (
                "\t-- Terry Pratchett",
                [s("Terry Pratchett"), None, None, None],
            ),
            (
                "\t-- Terry Pratchett, Jingo",
                [s("Terry Pratchett"), s("Jingo"), None, None],
            ),
            (
                "\t-- IRS, Publication 17 (2013)",
                [s("IRS"), s("Publication 17"), s("2013"), None],
            ),
            (
                "\t-- IRS, Publication 17, 2013",
                [s("IRS"), s("Publication 17"), s("2013"), None],
            ),
            (
                "\t-- (Terry Pratchett, Men at Arms)",
                [s("Terry Pratchett"), s("Men at Arms"), None, None],
            ),
            (
                "\t-- Ogden Nash (1902-1971)",
                [s("Ogden Nash"), None, s("1902-1971"), None],
            ),
            (
                "        -- Economics explained\n           (Terry Pratchett, The Colour of Magic)",
                [
                    s("Terry Pratchett"),
                    s("The Colour of Magic"),
                    None,
                    s("Economics explained"),
                ],
            ),
            ("\t-- 1998", [None, None, s("1998"), None]),
            (
                "\t-- Larry Wall in the perl man page regarding chroot(2)",
                [
                    s("Larry Wall in the perl man page regarding chroot(2)"),
                    None,
                    None,
                    None,
                ],
            ),
            (
                "\t\t-- Looney Tunes, Bugs and Thugs (1954, Friz Freleng)",
                [s("Looney Tunes"), s("Bugs and Thugs"), s("1954"), None],
            ),
            (
                "\t-- Winston Churchill, 12 March 1940",
                [s("Winston Churchill"), None, s("12 March 1940"), None],
            ),
            (
                "\t-- Mark Twain, \"Pudd'nhead Wilson's Calendar\"",
                [
                    s("Mark Twain"),
                    s("\"Pudd'nhead Wilson's Calendar\""),
                    None,
                    None,
                ],
            ),
        ];
        for (block, expected) in cases {
            assert_eq!(&fields(block), expected, "{block:?}");
        }
    }

    #[test]
    fn years_dates_and_ranges_are_recognised() {
        for year in [
            "1998",
            "1990s",
            "c. 1850",
            "1768-1848",
            "1914-18",
            "2013-04-01",
            "12 March 1995",
            "March 12, 1995",
            "Spring 1993",
            "500 BC",
            "1768–1848",
        ] {
            assert!(is_year(year), "{year}");
        }
        for not in [
            "IRS",
            "Publication 17",
            "1040 instructions",
            "Form 1040",
            "May",
            "",
        ] {
            assert!(!is_year(not), "{not}");
        }
    }

    #[test]
    fn continuation_lines_with_context() {
        let text = "\"Woof.\"\n        -- Gaspode the wonder dog\n           (Terry Pratchett, Moving Pictures)\n";
        let (body, a) = parse(text);
        assert_eq!(body, "\"Woof.\"\n");
        assert_eq!(a.author.as_deref(), Some("Terry Pratchett"));
        assert_eq!(a.work.as_deref(), Some("Moving Pictures"));
        assert_eq!(a.context.as_deref(), Some("Gaspode the wonder dog"));
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
