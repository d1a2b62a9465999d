//! Rendering quotes for the terminal: as stored, laid out to a width, or as JSON lines.

use crate::layout;
use crate::layout::fit::Fit;
use crate::quote::{Quote, QuoteView};
use std::io::{self, Write};

/// How to print a quote.
#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    /// One JSON object per line instead of text.
    pub json: bool,
    /// Lay the text out to this many columns.
    pub width: Option<usize>,
    /// Without a width, show the text as this fit's place does (laid out, or on one line).
    pub fit: Option<Fit>,
}

/// Parses a `--width` value: a number of columns, at least [`layout::MIN_WIDTH`].
pub fn parse_width(value: &str) -> Result<usize, String> {
    let width: usize = value
        .parse()
        .map_err(|_| format!("{value:?} is not a number of columns"))?;
    layout::check_width(width).map_err(|e| e.to_string())
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
    match (style.width, style.fit.and_then(|f| f.render(quote.text()))) {
        (Some(width), _) => out.write_all(layout::entry(quote.text(), width).as_bytes()),
        (None, Some(rendered)) => out.write_all(rendered.as_bytes()),
        (None, None) => out.write_all(quote.text().as_bytes()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_are_checked_with_a_clear_message() {
        assert_eq!(parse_width("40"), Ok(40));
        assert!(parse_width("12").unwrap_err().contains("at least 20"));
        assert!(parse_width("wide").unwrap_err().contains("not a number"));
    }
}
