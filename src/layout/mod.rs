//! Laying out a quote for a reader: one wrapper for every face that has a width (the
//! terminal, `motd`, QOTD, chat replies, SVG cards), so a quote reads the same everywhere.
//!
//! Paragraphs that a file merely filled to its width are reflowed as a whole, greedy first-fit
//! ([`structure`] decides which breaks are the author's); the attribution is laid out as its
//! own block, indented as `fortune` prints it. Widths are display widths (a CJK character is
//! two columns), and tabs expand to the next multiple of eight columns.

mod fill;
pub mod fit;
pub mod font;
mod frame;
mod metrics;
pub mod structure;

pub use fill::fill;
pub use font::CardFont;
pub use frame::boxed;
pub use metrics::SansSerif;
pub use structure::{Unit, units};

use crate::quote::split_attribution;

/// The narrowest width a quote is laid out to; faces reject smaller widths.
pub const MIN_WIDTH: usize = 20;

/// How a face measures text.
pub trait Measure {
    /// The width of `text` (a run without line breaks).
    fn width(&self, text: &str) -> f64;
}

/// Terminal display columns.
#[derive(Debug, Clone, Copy)]
pub struct Columns;

impl Measure for Columns {
    fn width(&self, text: &str) -> f64 {
        textwrap::core::display_width(text) as f64
    }
}

/// A `--width` below [`MIN_WIDTH`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a width of {0} columns is too narrow to lay out a quote: use at least {MIN_WIDTH}")]
pub struct TooNarrow(pub usize);

/// Checks a width a user asked for.
pub fn check_width(width: usize) -> Result<usize, TooNarrow> {
    if width < MIN_WIDTH {
        return Err(TooNarrow(width));
    }
    Ok(width)
}

/// Expands tabs to the next multiple of eight columns.
pub fn expand_tabs(line: &str) -> String {
    if !line.contains('\t') {
        return line.to_string();
    }
    let mut out = String::with_capacity(line.len() + 8);
    let mut column = 0;
    for c in line.chars() {
        if c == '\t' {
            let next = (column / 8 + 1) * 8;
            out.extend(std::iter::repeat_n(' ', next - column));
            column = next;
        } else {
            out.push(c);
            column += textwrap::core::display_width(c.encode_utf8(&mut [0; 4]));
        }
    }
    out
}

/// The body's lines, laid out to `width` in `measure`'s unit (`f64::INFINITY` joins every soft
/// break, for places that wrap by themselves, such as chat messages).
pub fn body_lines(body: &str, measure: &dyn Measure, width: f64) -> Vec<String> {
    let space = measure.width(" ");
    let mut lines = Vec::new();
    for unit in units(body) {
        match unit {
            Unit::Blank => lines.push(String::new()),
            Unit::Verbatim(line) => lines.extend(fill(&line, measure, width, width)),
            Unit::Flow {
                indent,
                hanging,
                text,
            } => {
                // Indents give way on narrow widths so that words always have room.
                let cap = |n: usize| n.min((width / space / 3.0) as usize);
                let (indent, hanging) = (cap(indent), cap(hanging));
                let first = width - indent as f64 * space;
                let rest = width - hanging as f64 * space;
                for (i, line) in fill(&text, measure, first, rest).into_iter().enumerate() {
                    let pad = if i == 0 { indent } else { hanging };
                    lines.push(format!("{}{line}", " ".repeat(pad)));
                }
            }
        }
    }
    lines
}

/// The attribution block's lines laid out to `width` columns: indented as stored, the whole
/// block moved left as far as its widest line needs, continuation lines joined to the line
/// they continue (a parenthesised credit keeps a line of its own), and a line still too wide
/// wrapped under its own text (after the `-- `).
pub fn attribution_lines(block: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for line in block.trim_matches('\n').lines() {
        let line = expand_tabs(line).trim_end().to_string();
        match lines.last_mut() {
            Some(last) if !line.trim_start().starts_with('(') && !line.trim().is_empty() => {
                last.push(' ');
                last.push_str(line.trim());
            }
            _ if line.trim().is_empty() => {}
            _ => lines.push(line),
        }
    }
    let indent_of = |l: &String| l.len() - l.trim_start().len();
    let overflow = lines
        .iter()
        .map(|l| textwrap::core::display_width(l).saturating_sub(width))
        .max()
        .unwrap_or(0);
    let shift = overflow.min(lines.iter().map(indent_of).min().unwrap_or(0));
    let mut out = Vec::new();
    for line in &lines {
        let indent = (indent_of(line) - shift).min(width / 3);
        let text = line.trim_start();
        let hanging = indent + if text.starts_with("-- ") { 3 } else { 1 };
        let (first, rest) = ((width - indent) as f64, (width - hanging) as f64);
        for (i, piece) in fill(text, &Columns, first, rest).into_iter().enumerate() {
            let pad = if i == 0 { indent } else { hanging };
            out.push(format!("{}{piece}", " ".repeat(pad)));
        }
    }
    out
}

/// A whole entry (body and attribution) laid out to `width` columns, newline-terminated.
pub fn entry(text: &str, width: usize) -> String {
    let width = width.max(MIN_WIDTH);
    let (body, block) = split_attribution(text);
    let mut lines = body_lines(body, &Columns, width as f64);
    lines.extend(attribution_lines(block, width));
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

/// A whole entry with every soft break joined: for chat, where the client wraps.
pub fn unwrapped(text: &str) -> String {
    let (body, block) = split_attribution(text);
    let mut lines = body_lines(body, &Columns, f64::INFINITY);
    lines.extend(
        block
            .lines()
            .map(|l| expand_tabs(l).trim_end().to_string())
            .filter(|l| !l.trim().is_empty()),
    );
    lines.join("\n")
}

#[cfg(test)]
pub(crate) mod tests;
