//! Which line breaks of a stored quote are the author's and which are only where a file was
//! filled to its width. The rule (docs/format.md, "How quotes are wrapped"):
//!
//! - Blank lines separate paragraphs; they are always kept.
//! - A paragraph with a line of ASCII art or a table (three or more spaces inside a line, or
//!   mostly symbols) is kept line for line.
//! - Inside other paragraphs, the break before a line is kept when that line is indented,
//!   starts with a speaker (`A:`, `Vimes:`, `<nick>`) or a list bullet, or when the line before it had
//!   room for that line's first word within the paragraph's widest line (so it was broken on
//!   purpose: verse, short dialogue lines). As hand-filled prose is not exact, a break in the
//!   middle of a sentence (the next line starts in lower case, or the line before ends without
//!   punctuation) is soft whenever the line before it is three quarters of the widest or more. Every other break is soft, and the lines are joined
//!   into one flowing run of words.

use super::expand_tabs;
use textwrap::core::display_width;

/// One unit of laid-out text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unit {
    /// A blank line between paragraphs.
    Blank,
    /// Words to fill: the first line starts with `indent` spaces, later lines with `hanging`.
    Flow {
        /// Leading columns of the first line.
        indent: usize,
        /// Leading columns of continuation lines.
        hanging: usize,
        /// The words, single lines joined with a space.
        text: String,
    },
    /// A line kept exactly (art, tables); only cut where it cannot fit at all.
    Verbatim(String),
}

/// Paragraphs whose widest line is narrower than this were not filled to a width (verse, short
/// dialogue): every break in them is kept.
const FILLED_MIN: usize = 40;

/// The units of a quote body (tabs expanded to multiples of eight columns).
pub fn units(body: &str) -> Vec<Unit> {
    let lines: Vec<String> = body
        .trim_matches('\n')
        .lines()
        .map(|l| expand_tabs(l).trim_end().to_string())
        .collect();
    let mut units = Vec::new();
    for paragraph in lines.split(|l| l.trim().is_empty()) {
        if paragraph.is_empty() {
            continue;
        }
        if !units.is_empty() {
            units.push(Unit::Blank);
        }
        if paragraph.iter().any(|l| is_art(l)) {
            units.extend(paragraph.iter().cloned().map(Unit::Verbatim));
            continue;
        }
        let widest = paragraph
            .iter()
            .map(|l| display_width(l))
            .max()
            .unwrap_or(0);
        let mut current: Option<(usize, usize, String)> = None;
        let mut previous: Option<&str> = None;
        for line in paragraph {
            let soft = previous.is_some_and(|prev| is_soft_break(prev, line, widest));
            match (&mut current, soft) {
                (Some((_, _, text)), true) => {
                    text.push(' ');
                    text.push_str(line.trim());
                }
                _ => {
                    if let Some((indent, hanging, text)) = current.take() {
                        units.push(Unit::Flow {
                            indent,
                            hanging,
                            text,
                        });
                    }
                    let indent = line.len() - line.trim_start().len();
                    let hanging = indent + marker_width(line.trim_start());
                    current = Some((indent, hanging, line.trim().to_string()));
                }
            }
            previous = Some(line);
        }
        if let Some((indent, hanging, text)) = current {
            units.push(Unit::Flow {
                indent,
                hanging,
                text,
            });
        }
    }
    units
}

/// Whether the break between `prev` and `next` only marks where the file was filled.
fn is_soft_break(prev: &str, next: &str, widest: usize) -> bool {
    if widest < FILLED_MIN || next.starts_with(' ') || marker_width(next) > 0 {
        return false;
    }
    let first_word = next.split(' ').next().unwrap_or("");
    // Hand-filled prose is not exact: a line that stops mid-sentence, or one that goes on in
    // lower case, continues a sentence, so the break is soft when the line before is fairly full.
    let mid_sentence = first_word.starts_with(char::is_lowercase)
        || !prev.ends_with([
            '.', '!', '?', ':', ';', ',', '"', '\'', ')', '\u{201d}', '\u{2019}',
        ]);
    let (prev, first) = (display_width(prev), display_width(first_word));
    if mid_sentence && prev * 4 >= widest * 3 {
        return true;
    }
    prev + 1 + first > widest
}

/// Columns taken by a leading speaker label (`Q: `, `Lord Vetinari: `) or list bullet
/// (`- `, `* `, `1. `), which continuation lines hang under; 0 when there is none.
fn marker_width(line: &str) -> usize {
    for bullet in ["- ", "* ", "• "] {
        if line.starts_with(bullet) {
            return bullet.chars().count();
        }
    }
    // An IRC speaker: `<nick> `.
    if line.starts_with('<')
        && let Some(end) = line.find("> ")
        && end <= 20
        && !line[1..end].contains(' ')
    {
        return display_width(&line[..end + 2]);
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=2).contains(&digits) && line[digits..].starts_with(['.', ')']) {
        return (digits + 1) + line[digits + 1..].starts_with(' ') as usize;
    }
    if let Some((label, _)) = line.split_once(": ") {
        let words = label.split(' ').count();
        let capitalised = label.chars().next().is_some_and(char::is_uppercase);
        let plain = label
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '.' | '\'' | '-'));
        if capitalised && plain && words <= 3 && label.chars().count() <= 24 {
            return display_width(label) + 2;
        }
    }
    0
}

/// ASCII art or a table: a run of three spaces inside the line, or mostly symbols.
fn is_art(line: &str) -> bool {
    let inner = line.trim();
    if inner.contains("   ") {
        return true;
    }
    let visible = inner.chars().filter(|c| !c.is_whitespace()).count();
    let symbols = inner
        .chars()
        .filter(|c| c.is_ascii_punctuation() && !".,;:!?'\"()-".contains(*c))
        .count();
    visible >= 4 && symbols * 5 >= visible * 2
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flow(indent: usize, hanging: usize, text: &str) -> Unit {
        Unit::Flow {
            indent,
            hanging,
            text: text.into(),
        }
    }

    #[test]
    fn filled_prose_becomes_one_run_per_paragraph() {
        let body = "\"It would seem that you have no useful skill or talent whatsoever,\" he\nsaid.  \"Have you thought of going into teaching?\"\n\nA second paragraph that is short.\n";
        assert_eq!(
            units(body),
            [
                flow(
                    0,
                    0,
                    "\"It would seem that you have no useful skill or talent whatsoever,\" he said.  \"Have you thought of going into teaching?\""
                ),
                Unit::Blank,
                flow(0, 0, "A second paragraph that is short."),
            ]
        );
    }

    #[test]
    fn verse_dialogue_indents_and_art_keep_their_breaks() {
        let verse = "Roses are red,\nViolets are blue,\nI am a limerick\nThat ends on line two.\n";
        assert_eq!(units(verse).len(), 4);
        let dialogue = "A: This is a fairly long question that someone asks in the quote file\nthat wraps.\nB: And the answer.\n";
        assert_eq!(
            units(dialogue),
            [
                flow(
                    0,
                    3,
                    "A: This is a fairly long question that someone asks in the quote file that wraps."
                ),
                flow(0, 3, "B: And the answer."),
            ]
        );
        let indented = "A line of prose that is long enough to be filled to the width here\n    an indented line that stays on its own\n";
        assert_eq!(units(indented).len(), 2);
        let art = "  /\\_/\\\n ( o.o )   meow\n  > ^ <\n";
        assert!(units(art).iter().all(|u| matches!(u, Unit::Verbatim(_))));
    }

    #[test]
    fn a_short_line_in_filled_prose_is_a_deliberate_break() {
        let body = "This is a line of filled prose that runs to the full width of the file\nShort line.\nAnd another line of prose that also runs out to the full width of it.\n";
        assert_eq!(units(body).len(), 2, "{:?}", units(body));
    }
}
