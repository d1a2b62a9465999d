//! SVG quote cards for README files and dashboards: the quote wrapped to the card's width,
//! its attribution below, light or dark, in the reader's system font (no external fonts,
//! images or scripts), with the height computed from the number of lines. Lines are measured
//! with the embedded card font ([`layout::font`]), the one the PNG cards are drawn in and wider
//! than the usual system sans-serifs, so the text fits both.

use crate::layout::{self, CardFont};
use crate::quote::Quote;
use std::fmt::Write;

/// Narrowest card, in pixels.
pub const MIN_WIDTH: u64 = 240;
/// Widest card, in pixels.
pub const MAX_WIDTH: u64 = 1600;
/// Width when none is asked for.
pub const DEFAULT_WIDTH: u64 = 600;
/// Most lines of quote text on a card; longer quotes end with an ellipsis.
pub const MAX_LINES: usize = 40;

const FONT: &str = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,'Helvetica Neue',\
                    Arial,'Noto Sans','Liberation Sans',sans-serif";
const FONT_SIZE: f64 = 18.0;
const LINE_HEIGHT: f64 = 27.0;
const SMALL_SIZE: f64 = 15.0;
const SMALL_LINE: f64 = 22.0;
const PAD_X: f64 = 32.0;
const PAD_Y: f64 = 28.0;

/// Colours of a card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    /// Dark text on a warm white.
    Light,
    /// Light text on near-black.
    Dark,
}

impl Theme {
    /// `light` or `dark`.
    pub fn parse(name: &str) -> Option<Theme> {
        match name {
            "light" => Some(Theme::Light),
            "dark" => Some(Theme::Dark),
            _ => None,
        }
    }

    /// (background, border, text, muted, accent)
    fn colours(self) -> [&'static str; 5] {
        match self {
            Theme::Light => ["#fbfaf7", "#e4e0d8", "#1d1d1f", "#6b6b6b", "#8a4b08"],
            Theme::Dark => ["#1a1a1c", "#333336", "#ecebe8", "#a3a3a3", "#f0b35e"],
        }
    }
}

/// How to draw a card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CardOptions {
    /// Width in pixels, clamped to [`MIN_WIDTH`]..=[`MAX_WIDTH`].
    pub width: u64,
    /// Colours.
    pub theme: Theme,
}

impl Default for CardOptions {
    fn default() -> CardOptions {
        CardOptions {
            width: DEFAULT_WIDTH,
            theme: Theme::Light,
        }
    }
}

/// Escapes text for XML content and double-quoted attribute values, dropping characters XML
/// 1.0 forbids (tabs become spaces); the entities (`&`, `<`, `>`, `"`) are maud's, as on the
/// HTML pages.
pub fn escape(text: &str) -> String {
    let allowed: String = text
        .chars()
        .map(|c| if c == '\t' { ' ' } else { c })
        .filter(|&c| (c as u32) >= 0x20 && !matches!(c, '\u{FFFE}' | '\u{FFFF}'))
        .collect();
    let mut out = String::with_capacity(allowed.len() + 16);
    let _ = maud::Escaper::new(&mut out).write_str(&allowed);
    out
}

/// The attribution line: `— Author, Work`.
pub fn attribution(quote: &Quote) -> Option<String> {
    match (quote.author(), quote.work()) {
        (Some(a), Some(w)) => Some(format!("— {a}, {w}")),
        (Some(a), None) => Some(format!("— {a}")),
        (None, Some(w)) => Some(format!("— {w}")),
        (None, None) => None,
    }
}

/// A card's lines and size, before drawing.
struct Layout {
    width: u64,
    height: u64,
    lines: Vec<String>,
    credit: Vec<String>,
}

/// The width and height of `quote`'s card, without drawing it (for `og:image:*` meta).
pub fn size(quote: &Quote, options: CardOptions) -> (u64, u64) {
    let layout = lay_out(quote, options);
    (layout.width, layout.height)
}

fn lay_out(quote: &Quote, options: CardOptions) -> Layout {
    let width = options.width.clamp(MIN_WIDTH, MAX_WIDTH);
    let room = width as f64 - 2.0 * PAD_X;
    let body = CardFont::regular(FONT_SIZE);
    let mut lines = layout::body_lines(quote.body(), &body, room);
    if lines.len() > MAX_LINES {
        lines.truncate(MAX_LINES);
        if let Some(last) = lines.last_mut() {
            last.push_str(" …");
        }
    }
    let small = CardFont::italic(SMALL_SIZE);
    let credit: Vec<String> = quote
        .context()
        .map(str::to_string)
        .into_iter()
        .chain(attribution(quote))
        .flat_map(|line| layout::fill(&line, &small, room, room))
        .collect();
    let text_height = lines.len() as f64 * LINE_HEIGHT;
    let credit_height = if credit.is_empty() {
        0.0
    } else {
        12.0 + credit.len() as f64 * SMALL_LINE
    };
    let height = (2.0 * PAD_Y + text_height + credit_height).ceil() as u64;
    Layout {
        width,
        height,
        lines,
        credit,
    }
}

/// The card for `quote`.
pub fn card(quote: &Quote, options: CardOptions) -> String {
    let Layout {
        width,
        height,
        lines,
        credit,
    } = lay_out(quote, options);
    let [bg, border, fg, muted, accent] = options.theme.colours();
    let spoken = format!(
        "{} {} {}",
        quote.body(),
        quote.context().unwrap_or_default(),
        attribution(quote).unwrap_or_default()
    );
    let label = escape(&spoken.split_whitespace().collect::<Vec<_>>().join(" "));

    let mut svg = String::with_capacity(1024 + quote.text().len() * 2);
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" \
         viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{label}\">\
         <title>{label}</title>\
         <rect x=\"0.5\" y=\"0.5\" width=\"{w}\" height=\"{h}\" rx=\"10\" fill=\"{bg}\" \
         stroke=\"{border}\"/>\
         <rect x=\"14\" y=\"{top}\" width=\"3\" height=\"{bar}\" rx=\"1.5\" \
         fill=\"{accent}\"/>",
        w = width - 1,
        h = height - 1,
        top = PAD_Y - 6.0,
        bar = height as f64 - 2.0 * (PAD_Y - 6.0),
    );
    let _ = write!(
        svg,
        "<g font-family=\"{FONT}\" xml:space=\"preserve\">\
         <g font-size=\"{FONT_SIZE}\" fill=\"{fg}\">"
    );
    let mut y = PAD_Y + FONT_SIZE;
    for line in &lines {
        if !line.is_empty() {
            let _ = write!(svg, "<text x=\"{PAD_X}\" y=\"{y}\">{}</text>", escape(line));
        }
        y += LINE_HEIGHT;
    }
    svg.push_str("</g>");
    if !credit.is_empty() {
        let _ = write!(
            svg,
            "<g font-size=\"{SMALL_SIZE}\" font-style=\"italic\" fill=\"{muted}\">"
        );
        let mut y = y - LINE_HEIGHT + 12.0 + SMALL_LINE;
        for line in &credit {
            let _ = write!(svg, "<text x=\"{PAD_X}\" y=\"{y}\">{}</text>", escape(line));
            y += SMALL_LINE;
        }
        svg.push_str("</g>");
    }
    svg.push_str("</g></svg>\n");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Corpus;
    use crate::layout::Measure;

    #[test]
    fn escapes_markup_and_control_characters() {
        assert_eq!(escape("a<b>&\"'\u{1}\tz"), "a&lt;b&gt;&amp;&quot;' z");
    }

    #[test]
    fn every_line_of_every_card_fits_and_fills_its_width() {
        let (corpus, _) = Corpus::embedded();
        for width in [MIN_WIDTH, DEFAULT_WIDTH, 1000] {
            let room = width as f64 - 2.0 * PAD_X;
            let m = CardFont::regular(FONT_SIZE);
            let mut widest: f64 = 0.0;
            for quote in corpus.quotes() {
                for line in layout::body_lines(quote.body(), &m, room) {
                    let w = m.width(&line);
                    assert!(w <= room, "{line:?} is {w} px of {room} at {width}");
                    widest = widest.max(w);
                }
            }
            // Long prose fills the card: at least one line comes within 5% of the edge.
            assert!(
                widest > room * 0.95,
                "widest line {widest} of {room} at {width}"
            );
        }
    }

    #[test]
    fn the_context_line_is_printed_on_the_card() {
        let text = "\"Reflected-sound-of-underground-spirits?\"\n\t-- Economics explained\n\t   (Terry Pratchett, The Colour of Magic)\n";
        let quote = &crate::parser::parse_collection(text, 0).quotes[0];
        let svg = card(quote, CardOptions::default());
        let texts: Vec<&str> = svg
            .split("<text ")
            .skip(1)
            .map(|t| &t[t.find('>').unwrap() + 1..t.find("</text>").unwrap()])
            .collect();
        assert_eq!(
            texts,
            [
                "&quot;Reflected-sound-of-underground-spirits?&quot;",
                "Economics explained",
                "— Terry Pratchett, The Colour of Magic"
            ]
        );
    }

    #[test]
    fn height_grows_with_lines_and_width_is_clamped() {
        let (corpus, _) = Corpus::embedded();
        let quote = corpus
            .quotes()
            .iter()
            .max_by_key(|q| q.text().len())
            .unwrap();
        let height = |svg: &str| -> u64 {
            let start = svg.find("height=\"").unwrap() + 8;
            svg[start..start + svg[start..].find('"').unwrap()]
                .parse()
                .unwrap()
        };
        let narrow = card(
            quote,
            CardOptions {
                width: 300,
                ..CardOptions::default()
            },
        );
        let wide = card(
            quote,
            CardOptions {
                width: 1200,
                ..CardOptions::default()
            },
        );
        assert!(height(&narrow) > height(&wide));
        let tiny = card(
            quote,
            CardOptions {
                width: 1,
                ..CardOptions::default()
            },
        );
        assert!(tiny.contains(&format!("width=\"{MIN_WIDTH}\"")));
    }
}
