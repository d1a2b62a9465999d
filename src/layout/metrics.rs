//! An estimate of how wide text is in a proportional sans-serif font, for faces that draw
//! text themselves (SVG cards) and cannot ask a browser. Advance widths are those of the
//! common Helvetica/Arial metrics, in thousandths of an em, plus a margin for the system
//! fonts a viewer may substitute (Segoe UI, Roboto and Noto Sans run up to a few percent wider).

use super::Measure;

/// Text in a sans-serif font of `size` pixels.
#[derive(Debug, Clone, Copy)]
pub struct SansSerif {
    /// Font size in pixels.
    pub size: f64,
}

/// Safety margin over the reference metrics.
const MARGIN: f64 = 1.06;

impl Measure for SansSerif {
    fn width(&self, text: &str) -> f64 {
        let thousandths: u32 = text.chars().map(advance).sum();
        f64::from(thousandths) / 1000.0 * self.size * MARGIN
    }
}

/// Advance of one character in thousandths of an em.
fn advance(c: char) -> u32 {
    match c {
        ' ' | '!' | ',' | '.' | '/' | ':' | ';' | '[' | ']' | '\\' | 'I' | 'f' | 't' => 278,
        '\'' | '|' => 191,
        'i' | 'j' | 'l' => 222,
        '"' => 355,
        '(' | ')' | '-' | '`' | 'r' | '{' | '}' => 333,
        '*' => 389,
        '^' => 469,
        '#' | '$' | '0'..='9' | '?' | '_' | '~' => 556,
        'a' | 'b' | 'd' | 'e' | 'g' | 'h' | 'n' | 'o' | 'p' | 'q' | 'u' | 'L' => 556,
        'c' | 'k' | 's' | 'v' | 'x' | 'y' | 'z' | 'J' => 500,
        '+' | '<' | '=' | '>' => 584,
        'F' | 'T' | 'Z' => 611,
        'A' | 'B' | 'E' | 'K' | 'P' | 'S' | 'V' | 'X' | 'Y' | '&' => 667,
        'C' | 'D' | 'H' | 'N' | 'R' | 'U' | 'w' => 722,
        'G' | 'O' | 'Q' => 778,
        'M' | 'm' => 833,
        '%' => 889,
        'W' | '@' => 1015,
        '\u{2018}' | '\u{2019}' => 222,
        '\u{201c}' | '\u{201d}' => 333,
        '\u{2013}' => 556,
        '\u{2014}' | '\u{2026}' => 1000,
        c if textwrap::core::display_width(c.encode_utf8(&mut [0; 4])) > 1 => 1000,
        c if c.is_uppercase() => 722,
        _ => 584,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capitals_are_wider_than_lower_case_and_spaces_narrow() {
        let m = SansSerif { size: 18.0 };
        assert!(m.width("DEATH") > m.width("death"));
        assert!(m.width(" ") < m.width("n"));
        assert!((m.width("nnnnnnnnnn") - 10.0 * 0.556 * 18.0 * MARGIN).abs() < 1e-9);
        assert_eq!(m.width("日"), 18.0 * MARGIN);
    }
}
