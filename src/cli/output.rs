//! Rendering quotes for the terminal: as stored, wrapped, or as JSON lines.

use crate::quote::{Quote, QuoteView};
use std::io::{self, Write};

/// How to print a quote.
#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    /// One JSON object per line instead of text.
    pub json: bool,
    /// Wrap text to this many columns.
    pub width: Option<usize>,
}

/// Wraps every line longer than `width`, keeping each line's indentation on its continuation
/// lines, so attributions stay indented and short lines stay as the author broke them.
pub fn wrap(text: &str, width: usize) -> String {
    let width = width.max(8);
    let mut out = String::with_capacity(text.len() + 16);
    for line in text.lines() {
        let expanded = line.replace('\t', "        ");
        if textwrap::core::display_width(&expanded) <= width {
            out.push_str(&expanded);
            out.push('\n');
            continue;
        }
        let indent_len = expanded.len() - expanded.trim_start().len();
        let indent = &expanded[..indent_len];
        let options = textwrap::Options::new(width)
            .initial_indent(indent)
            .subsequent_indent(indent);
        for piece in textwrap::wrap(expanded.trim_start(), options) {
            out.push_str(&piece);
            out.push('\n');
        }
    }
    out
}

/// Writes one quote of the named collection in `style`.
pub fn write_quote(
    out: &mut impl Write,
    collection: &str,
    quote: &Quote,
    style: Style,
) -> io::Result<()> {
    if style.json {
        serde_json::to_writer(&mut *out, &QuoteView::new(quote, collection))?;
        return out.write_all(b"\n");
    }
    match style.width {
        Some(width) => out.write_all(wrap(&quote.text, width).as_bytes()),
        None => out.write_all(quote.text.as_bytes()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_long_lines_and_keeps_indents() {
        let text =
            "one two three four five six\nshort\n\t-- Somebody Important, A Long Work Title\n";
        let wrapped = wrap(text, 12);
        assert!(
            wrapped
                .lines()
                .all(|l| l.chars().count() <= 12 || !l.trim().contains(' ')),
            "{wrapped}"
        );
        assert!(
            wrapped.starts_with("one two\nthree four\nfive six\nshort\n"),
            "{wrapped}"
        );
        assert!(
            wrapped.contains("        --\n") || wrapped.contains("        -- "),
            "{wrapped}"
        );
        assert_eq!(wrap("fits\n", 72), "fits\n");
    }
}
