//! Help text into roff for the man page: escapes, `code` spans in bold, non-ASCII characters as
//! groff glyph names, so the page reads the same in `man`, `groff -Tutf8` and mandoc, and
//! `groff -ww` has nothing to warn about.

/// Escapes prose for a roff text line. A `-` that starts a word (an option, `-m`, `--tag`) is
/// the minus sign `\-`, so it can be searched and copied; a hyphen inside a word stays one.
pub fn text(s: &str) -> String {
    escape(s, false)
}

/// Bold (command names, options, `code`), every dash a minus sign.
pub fn bold(s: &str) -> String {
    format!("\\fB{}\\fR", escape(s, true))
}

/// Italic (values the user supplies).
pub fn italic(s: &str) -> String {
    format!("\\fI{}\\fR", escape(s, true))
}

/// Prose with `backtick` spans shown in bold, as markdown would.
pub fn inline(s: &str) -> String {
    s.split('`')
        .enumerate()
        .map(|(i, part)| if i % 2 == 1 { bold(part) } else { text(part) })
        .collect()
}

/// Guards a text line: one starting with `.` or `'` would be read as a request.
pub fn line(s: &str) -> String {
    if s.starts_with('.') || s.starts_with('\'') {
        format!("\\&{s}\n")
    } else {
        format!("{s}\n")
    }
}

/// Help text as roff paragraphs: blank lines separate paragraphs (joined into one filled line
/// each); lines indented with white space are list items, kept one per line; a line ending in
/// `:` before such items is their heading.
pub fn paragraphs(help: &str) -> String {
    let mut out = String::new();
    for block in help
        .split("\n\n")
        .map(str::trim_end)
        .filter(|b| !b.is_empty())
    {
        let mut prose: Vec<&str> = Vec::new();
        for row in block.lines() {
            if row.starts_with(char::is_whitespace) && !row.trim().is_empty() {
                if !prose.is_empty() {
                    out += ".PP\n";
                    out += &line(&inline(&prose.join(" ")));
                    prose.clear();
                }
                out += ".IP \\(bu 2\n";
                out += &line(&inline(row.trim()));
            } else {
                prose.push(row.trim());
            }
        }
        if !prose.is_empty() {
            out += ".PP\n";
            out += &line(&inline(&prose.join(" ")));
        }
    }
    out
}

fn escape(s: &str, all_dashes: bool) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut previous: Option<char> = None;
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\e"),
            '-' if all_dashes || !previous.is_some_and(char::is_alphanumeric) => {
                out.push_str("\\-");
            }
            '\t' | '\n' => out.push(' '),
            c if c.is_ascii() => out.push(c),
            c => out.push_str(&format!("\\[u{:04X}]", c as u32)),
        }
        previous = Some(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_are_minus_signs_and_hyphens_stay_hyphens() {
        assert_eq!(
            text("-m and --tag, not fortune-mod; -s/-l"),
            "\\-m and \\-\\-tag, not fortune-mod; \\-s/\\-l"
        );
        assert_eq!(bold("tax-forms"), "\\fBtax\\-forms\\fR");
        assert_eq!(text("a\\b — é"), "a\\eb \\[u2014] \\[u00E9]");
    }

    #[test]
    fn backticks_become_bold() {
        assert_eq!(
            inline("a `%` line before `-c`"),
            "a \\fB%\\fR line before \\fB\\-c\\fR"
        );
    }

    #[test]
    fn paragraphs_and_indented_items() {
        let help = "One\ntwo.\n\nDifferences:\n  -a first\n  -b second\nAfter.";
        assert_eq!(
            paragraphs(help),
            ".PP\nOne two.\n.PP\nDifferences:\n.IP \\(bu 2\n\\-a first\n.IP \\(bu 2\n\
             \\-b second\n.PP\nAfter.\n"
        );
        assert_eq!(line(".hidden"), "\\&.hidden\n");
    }
}
