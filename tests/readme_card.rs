//! `docs/card.png`, the card the README shows, is what the current code draws for its quote
//! (the embedded font makes the drawing the same on every machine): a change to the cards'
//! layout, colours or font fails here until `docs/card.sh` draws the picture again.

use epigraph::corpus::Corpus;
use epigraph::server::render::png as cards;
use epigraph::server::render::svg::CardOptions;
use std::path::Path;

/// The quote `docs/card.sh` draws by default.
const QUOTE: &str = "1c192cfea832";

fn pixels(bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut rgba = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut rgba).expect("a frame");
    rgba.truncate(info.buffer_size());
    (info.width, info.height, rgba)
}

#[test]
fn the_readme_card_is_what_the_code_draws() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let committed = std::fs::read(root.join("docs/card.png")).expect("docs/card.png");
    let (corpus, _) = Corpus::embedded();
    let quote = corpus
        .get(QUOTE.parse().unwrap())
        .expect("the README's quote is embedded");
    let drawn = cards::card(quote, CardOptions::default()).unwrap();
    // Pixels, not bytes: another zlib setting would not change the picture.
    assert!(
        pixels(&committed) == pixels(&drawn),
        "docs/card.png is stale: run `cargo build && docs/card.sh` and commit it"
    );
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    assert!(readme.contains("![A quote card](docs/card.png)"));
}
