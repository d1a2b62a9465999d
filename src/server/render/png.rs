//! PNG quote cards, for the places that show no SVG (link previews in chat, Open Graph images):
//! the SVG card ([`super::svg`]) drawn by resvg with the fonts compiled into the binary and no
//! system fonts, so the same quote gives the same bytes on every machine.

use super::svg::{self, CardOptions};
use crate::layout::font;
use crate::quote::Quote;
use resvg::{tiny_skia, usvg};
use std::sync::{Arc, OnceLock};

/// Why a card could not be drawn (none of these happens with the cards this crate writes).
#[derive(Debug, thiserror::Error)]
pub enum PngError {
    /// The SVG did not parse.
    #[error("the card's SVG did not parse: {0}")]
    Svg(#[from] usvg::Error),
    /// The card has no area or is too large for a pixmap.
    #[error("a card of {0}×{1} pixels cannot be drawn")]
    Size(u32, u32),
    /// The encoder failed.
    #[error("the card could not be encoded as PNG: {0}")]
    Encode(String),
}

/// The embedded faces, with `sans-serif` (the last name in the card's font list, and the only
/// one that resolves here) pointing at them.
fn fonts() -> Arc<usvg::fontdb::Database> {
    static FONTS: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut db = usvg::fontdb::Database::new();
            db.load_font_data(font::REGULAR.to_vec());
            db.load_font_data(font::ITALIC.to_vec());
            db.set_sans_serif_family(font::FAMILY);
            Arc::new(db)
        })
        .clone()
}

/// Draws an SVG document (one of our cards) at its own size.
pub fn rasterize(svg: &str) -> Result<Vec<u8>, PngError> {
    let options = usvg::Options {
        font_family: font::FAMILY.to_string(),
        fontdb: fonts(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options)?;
    let size = tree.size().to_int_size();
    let (width, height) = (size.width(), size.height());
    let mut pixmap = tiny_skia::Pixmap::new(width, height).ok_or(PngError::Size(width, height))?;
    resvg::render(
        &tree,
        tiny_skia::Transform::identity(),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| PngError::Encode(e.to_string()))
}

/// The card for `quote` as PNG bytes, the same size as its SVG card.
pub fn card(quote: &Quote, options: CardOptions) -> Result<Vec<u8>, PngError> {
    rasterize(&svg::card(quote, options))
}
