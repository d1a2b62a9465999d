//! The font compiled into the binary for quote cards (DejaVu Sans, regular and oblique; see
//! `assets/fonts/LICENSE`), and text measured with its real advance widths. The PNG cards are
//! drawn with these very faces, so a line laid out to fit does fit, on every machine; browsers
//! showing the SVG card use a system sans-serif, which is narrower than DejaVu Sans.

use super::{Measure, SansSerif};
use skrifa::instance::{LocationRef, Size};
use skrifa::metrics::GlyphMetrics;
use skrifa::{FontRef, GlyphId, MetadataProvider};
use std::sync::OnceLock;

/// DejaVu Sans Book.
pub static REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
/// DejaVu Sans Oblique (for the attribution, drawn in italics).
pub static ITALIC: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Oblique.ttf");
/// The family name both faces carry.
pub const FAMILY: &str = "DejaVu Sans";

/// Room left for rounding and for glyphs whose ink runs a little past their advance.
const MARGIN: f64 = 1.01;

/// Text in the card font at `size` pixels.
#[derive(Debug, Clone, Copy)]
pub struct CardFont {
    /// Font size in pixels.
    pub size: f64,
    /// The oblique face instead of the upright one.
    pub italic: bool,
}

impl CardFont {
    /// The upright face at `size` pixels.
    pub fn regular(size: f64) -> CardFont {
        CardFont {
            size,
            italic: false,
        }
    }

    /// The oblique face at `size` pixels.
    pub fn italic(size: f64) -> CardFont {
        CardFont { size, italic: true }
    }
}

/// One parsed face: its character map and advances in font units.
struct Face {
    font: FontRef<'static>,
    metrics: GlyphMetrics<'static>,
    units_per_em: f64,
}

fn face(italic: bool) -> Option<&'static Face> {
    static FACES: [OnceLock<Option<Face>>; 2] = [OnceLock::new(), OnceLock::new()];
    FACES[usize::from(italic)]
        .get_or_init(|| {
            let font = FontRef::new(if italic { ITALIC } else { REGULAR }).ok()?;
            let metrics = font.glyph_metrics(Size::unscaled(), LocationRef::default());
            let units_per_em = f64::from(
                font.metrics(Size::unscaled(), LocationRef::default())
                    .units_per_em,
            );
            Some(Face {
                font,
                metrics,
                units_per_em,
            })
        })
        .as_ref()
}

impl Measure for CardFont {
    fn width(&self, text: &str) -> f64 {
        let Some(face) = face(self.italic) else {
            // The embedded file failed to parse (a build from damaged sources): estimate.
            return SansSerif { size: self.size }.width(text);
        };
        let charmap = face.font.charmap();
        let notdef = f64::from(face.metrics.advance_width(GlyphId::NOTDEF).unwrap_or(0.0));
        let mut units = 0.0;
        for c in text.chars() {
            units += match charmap.map(c) {
                Some(glyph) => f64::from(face.metrics.advance_width(glyph).unwrap_or(0.0)),
                // Drawn as the missing-glyph box in a PNG and in some other font by a
                // browser: whichever is wider.
                None => {
                    let estimate = SansSerif { size: 1.0 }.width(c.encode_utf8(&mut [0; 4]));
                    notdef.max(estimate * face.units_per_em)
                }
            };
        }
        units / face.units_per_em * self.size * MARGIN
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advances_are_the_fonts_own() {
        let m = CardFont::regular(20.0);
        // DejaVu Sans: 'n' advances 1298 of 2048 units, a space 651 (read from its hmtx table).
        let n = 1298.0 / 2048.0 * 20.0 * MARGIN;
        assert!(
            (m.width("nnnn") - 4.0 * n).abs() < 1e-9,
            "{}",
            m.width("nnnn")
        );
        assert!((m.width(" ") - 651.0 / 2048.0 * 20.0 * MARGIN).abs() < 1e-9);
        assert!(m.width("W") > m.width("i"));
        assert!(CardFont::italic(20.0).width("quote") > 0.0);
        // A character the font lacks is never narrower than the estimate for it.
        assert!(m.width("日") >= SansSerif { size: 20.0 }.width("日"));
    }
}
