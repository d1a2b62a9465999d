//! The PNG quote cards (`/quotes/{id}.png`, `/random.png`, `/today.png`) against the app on
//! 127.0.0.1:0: they decode, have the SVG card's size, follow its filters, themes and widths,
//! revalidate with their ETag, negotiate errors, and no glyph of any embedded quote is drawn
//! outside the card's margins.

#[path = "common/server.rs"]
mod common;

use common::{Response, TestServer};
use epigraph::corpus::Corpus;
use epigraph::server::render::png as cards;
use epigraph::server::render::svg::{CardOptions, DEFAULT_WIDTH, Theme};

/// A decoded image: width, height and RGBA rows.
struct Image {
    width: u32,
    height: u32,
    rgba: Vec<u8>,
}

impl Image {
    fn pixel(&self, x: u32, y: u32) -> [u8; 4] {
        let at = ((y * self.width + x) * 4) as usize;
        self.rgba[at..at + 4].try_into().unwrap()
    }
}

fn decode(bytes: &[u8]) -> Image {
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().expect("a PNG header");
    let mut rgba = vec![0; reader.output_buffer_size().expect("a buffer size")];
    let info = reader.next_frame(&mut rgba).expect("a PNG frame");
    assert_eq!(info.color_type, png::ColorType::Rgba, "RGBA");
    assert_eq!(info.bit_depth, png::BitDepth::Eight);
    rgba.truncate(info.buffer_size());
    Image {
        width: info.width,
        height: info.height,
        rgba,
    }
}

/// The `width` and `height` attributes of an SVG card.
fn svg_size(r: &Response) -> (u32, u32) {
    assert_eq!(r.status, 200, "{}", r.text());
    let body = r.text();
    let doc = roxmltree::Document::parse(&body).unwrap();
    let root = doc.root_element();
    let number = |name: &str| root.attribute(name).unwrap().parse::<u32>().unwrap();
    (number("width"), number("height"))
}

fn png_of(r: &Response) -> Image {
    assert_eq!(r.status, 200, "{:?}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.header("content-type"), Some("image/png"));
    decode(&r.body)
}

#[test]
fn permalink_png_decodes_at_the_svg_cards_size_in_every_theme_and_width() {
    let server = TestServer::start();
    let (_, q) = server.json("/random?min_length=300");
    let id = q["id"].as_str().unwrap();
    for query in ["", "?theme=dark", "?width=240", "?width=1000&theme=light"] {
        let image = png_of(&server.get(&format!("/quotes/{id}.png{query}")));
        let size = svg_size(&server.get(&format!("/quotes/{id}.svg{query}")));
        assert_eq!((image.width, image.height), size, "{query}");
    }
    // Light and dark differ where the background shows (the centre of the left margin).
    let light = png_of(&server.get(&format!("/quotes/{id}.png")));
    let dark = png_of(&server.get(&format!("/quotes/{id}.png?theme=dark")));
    assert_eq!(light.pixel(8, light.height / 2), [0xfb, 0xfa, 0xf7, 0xff]);
    assert_eq!(dark.pixel(8, dark.height / 2), [0x1a, 0x1a, 0x1c, 0xff]);
    // The quote is drawn: its text area is not all background.
    let inked =
        (40..light.width - 40).any(|x| light.pixel(x, 28 + 12) != light.pixel(8, light.height / 2));
    assert!(inked, "no text drawn on the first line");
}

#[test]
fn permalink_png_is_the_same_bytes_every_time_and_revalidates() {
    let server = TestServer::start();
    let (_, q) = server.json("/random");
    let path = format!("/quotes/{}.png", q["id"].as_str().unwrap());
    let first = server.get(&path);
    let second = server.get(&path);
    assert_eq!(first.body, second.body);
    assert_eq!(first.header("cache-control"), Some("public, max-age=300"));
    let etag = first.header("etag").expect("etag");
    assert_eq!(second.header("etag"), Some(etag));
    assert_ne!(
        Some(etag),
        server.get(&format!("{path}?theme=dark")).header("etag")
    );
    let again = server.get_with(&path, &[("If-None-Match", etag)]);
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
}

#[test]
fn unknown_ids_and_bad_parameters_are_negotiated_errors() {
    let server = TestServer::start();
    // What an <img> sends: plain text.
    let r = server.get_with("/quotes/000000000000.png", &[("Accept", "*/*")]);
    assert_eq!(r.status, 404);
    assert!(r.header("content-type").unwrap().starts_with("text/plain"));
    assert!(r.text().contains("000000000000"), "{}", r.text());
    let r = server.get_with("/quotes/000000000000.png", &[("Accept", "text/html")]);
    assert_eq!(r.status, 404);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    let r = server.get_with("/quotes/nothex.png", &[("Accept", "application/json")]);
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"]["parameter"], "id");
    let r = server.get_with("/random.png?width=2000", &[("Accept", "application/json")]);
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"]["parameter"], "width");
    let r = server.get_with(
        "/today.png?tag=no-such-tag",
        &[("Accept", "application/json")],
    );
    assert_eq!(r.status, 404);
    assert_eq!(r.json()["error"]["parameter"], "tag");
}

#[test]
fn random_and_today_pngs_follow_the_svg_routes() {
    let server = TestServer::start();
    let r = server.get("/random.png?collection=tax-forms&width=800");
    let image = png_of(&r);
    assert_eq!(image.width, 800);
    assert_eq!(r.header("cache-control"), Some("no-cache"));
    assert!(r.header("etag").is_none());
    // Today's card is the permalink card of today's quote, byte for byte.
    let filter = "collection=pratchett&date=2024-02-29";
    let (_, q) = server.json(&format!("/today?{filter}"));
    let today = server.get(&format!("/today.png?{filter}"));
    let permalink = server.get(&format!("/quotes/{}.png", q["id"].as_str().unwrap()));
    assert_eq!(png_of(&today).rgba, png_of(&permalink).rgba);
    let r = server.get("/today.png");
    png_of(&r);
    assert!(r.header("etag").is_some());
    assert!(r.header("expires").is_some());
    let head = common::request(server.addr, "HEAD", "/today.png", &[]);
    assert_eq!(head.status, 200);
}

#[test]
fn pngs_are_documented_in_openapi() {
    let server = TestServer::start();
    let (_, doc) = server.json("/openapi.json");
    for path in ["/quotes/{id}.png", "/random.png", "/today.png"] {
        let op = &doc["paths"][path]["get"];
        assert!(
            op["responses"]["200"]["content"]["image/png"].is_object(),
            "{path}: {op}"
        );
    }
}

/// Every embedded quote at the default width, both themes: the right margin (past the
/// text's room, inside the border) and the bottom margin are background only, so no line
/// runs off the card however the font's real glyphs differ from the layout's estimate.
#[test]
fn no_glyph_of_any_embedded_quote_is_drawn_outside_the_text_area() {
    let (corpus, _) = Corpus::embedded();
    let mut checked = 0;
    for (i, quote) in corpus.quotes().iter().enumerate() {
        let theme = if i % 2 == 0 {
            Theme::Light
        } else {
            Theme::Dark
        };
        let options = CardOptions {
            width: DEFAULT_WIDTH,
            theme,
        };
        let image = decode(&cards::card(quote, options).expect("a card"));
        let (w, h) = (image.width, image.height);
        let background = image.pixel(8, h / 2);
        // The text may reach x = width - 32; ink past width - 24 overflows its room. The
        // rounded corners (radius 10) are left out.
        for y in 12..h - 12 {
            for x in w - 24..w - 3 {
                assert_eq!(
                    image.pixel(x, y),
                    background,
                    "quote {} drawn at ({x}, {y}) of {w}×{h}",
                    quote.id
                );
            }
        }
        for y in h - 10..h - 3 {
            for x in 12..w - 12 {
                assert_eq!(
                    image.pixel(x, y),
                    background,
                    "quote {} at ({x}, {y})",
                    quote.id
                );
            }
        }
        checked += 1;
    }
    assert_eq!(checked, corpus.quotes().len());
    assert!(checked > 400, "{checked}");
}
