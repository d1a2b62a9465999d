//! The SVG quote cards (`/quotes/{id}.svg`, `/random.svg`, `/today.svg`) against the app on
//! 127.0.0.1:0: well-formed XML, escaping, themes, width bounds, filters, errors and headers.

#[path = "common/server.rs"]
mod common;

use common::{Response, TestServer};

/// Parses a card, checks its root and returns (width, height, all text content).
fn parse(r: &Response) -> (u64, u64, String) {
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.header("content-type"), Some("image/svg+xml"));
    let body = r.text();
    let doc = roxmltree::Document::parse(&body).unwrap_or_else(|e| panic!("{e}: {body}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2000/svg")
    );
    let number = |name: &str| root.attribute(name).unwrap().parse::<u64>().unwrap();
    assert_eq!(
        root.attribute("viewBox"),
        Some(format!("0 0 {} {}", number("width"), number("height")).as_str())
    );
    let text: Vec<&str> = root
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .collect();
    (number("width"), number("height"), text.join("\n"))
}

fn house() -> (tempfile::TempDir, TestServer) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("house.fortune");
    std::fs::write(
        &file,
        "%% tags: house\nIf a < b && b > c then \"a\" & 'c' are <not> related.\n\
         \t\t-- Ann <Author> & Co, Proofs\n%\n",
    )
    .unwrap();
    let server = TestServer::with_paths(&[&file]);
    (dir, server)
}

fn house_id(server: &TestServer) -> String {
    let (_, q) = server.json("/random?collection=house");
    q["id"].as_str().unwrap().to_string()
}

#[test]
fn permalink_card_escapes_markup_and_holds_the_attribution() {
    let (_dir, server) = house();
    let id = house_id(&server);
    let r = server.get(&format!("/quotes/{id}.svg"));
    let (width, height, text) = parse(&r);
    assert_eq!(width, 600);
    assert!(height > 60, "{height}");
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("If a < b && b > c then \"a\" & 'c' are <not> related."),
        "{flat}"
    );
    assert!(flat.contains("— Ann <Author> & Co, Proofs"), "{flat}");
    let raw = r.text();
    assert!(raw.contains("&lt;not&gt;") && raw.contains("&amp;&amp;"));
    assert!(!raw.contains("<not>") && !raw.contains("<Author>"));
    // Cacheable like the permalink, with a strong validator.
    assert_eq!(r.header("cache-control"), Some("public, max-age=300"));
    let etag = r.header("etag").expect("etag").to_string();
    let again = server.get_with(&format!("/quotes/{id}.svg"), &[("If-None-Match", &etag)]);
    assert_eq!(again.status, 304);
    // The card does not shadow the permalink itself.
    let (status, q) = server.json(&format!("/quotes/{id}"));
    assert_eq!(status, 200);
    assert_eq!(q["id"], id.as_str());
}

#[test]
fn themes_differ_and_unknown_themes_are_400() {
    let (_dir, server) = house();
    let id = house_id(&server);
    let light = server.get(&format!("/quotes/{id}.svg")).text();
    assert_eq!(
        light,
        server.get(&format!("/quotes/{id}.svg?theme=light")).text()
    );
    let dark = server.get(&format!("/quotes/{id}.svg?theme=dark"));
    parse(&dark);
    assert_ne!(light, dark.text());
    assert!(light.contains("#fbfaf7") && dark.text().contains("#1a1a1c"));
    let bad = server.get_with(
        &format!("/quotes/{id}.svg?theme=neon"),
        &[("Accept", "application/json")],
    );
    assert_eq!(bad.status, 400);
    assert_eq!(bad.json()["error"]["parameter"], "theme");
}

#[test]
fn width_is_bounded_and_the_height_follows_the_lines() {
    let server = TestServer::start();
    let (_, q) = server.json("/random?min_length=400");
    let id = q["id"].as_str().unwrap();
    let (w, narrow, _) = parse(&server.get(&format!("/quotes/{id}.svg?width=240")));
    assert_eq!(w, 240);
    let (w, wide, _) = parse(&server.get(&format!("/quotes/{id}.svg?width=1600")));
    assert_eq!(w, 1600);
    assert!(narrow > wide, "{narrow} <= {wide}");
    for bad in ["239", "1601", "0", "wide", "-5"] {
        let r = server.get_with(
            &format!("/quotes/{id}.svg?width={bad}"),
            &[("Accept", "application/json")],
        );
        assert_eq!(r.status, 400, "{bad}");
        assert_eq!(r.header("content-type"), Some("application/json"));
        assert_eq!(r.json()["error"]["parameter"], "width");
    }
}

#[test]
fn card_errors_are_negotiated() {
    // The full matrix (curl, <img>, browser, program) is in tests/server_error_pages.rs.
    let server = TestServer::start();
    let r = server.get_with(
        "/today.svg?collection=nope",
        &[("Accept", "application/json")],
    );
    assert_eq!(r.status, 404);
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.json()["error"]["parameter"], "collection");
    let post = common::request(server.addr, "POST", "/random.svg", &[]);
    assert_eq!(post.status, 405);
}

#[test]
fn random_card_applies_filters_and_is_never_reused_without_asking() {
    let (_dir, server) = house();
    let r = server.get("/random.svg?collection=house&theme=dark&width=800");
    let (width, _, text) = parse(&r);
    assert_eq!(width, 800);
    assert!(text.contains("related."), "{text}");
    assert_eq!(r.header("cache-control"), Some("no-cache"));
    assert!(r.header("etag").is_none());
    assert!(r.header("vary").is_none());
    let head = common::request(server.addr, "HEAD", "/random.svg", &[]);
    assert_eq!(head.status, 200);
}

#[test]
fn today_card_is_the_quote_of_the_day() {
    let server = TestServer::start();
    let (_, q) = server.json("/today?collection=pratchett&date=2024-02-29");
    let (_, _, text) = parse(&server.get("/today.svg?collection=pratchett&date=2024-02-29"));
    let first_word = q["text"]
        .as_str()
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap();
    assert!(text.starts_with(first_word), "{text}");
    assert!(text.contains(q["author"].as_str().unwrap()), "{text}");
    let r = server.get("/today.svg");
    parse(&r);
    assert!(r.header("etag").is_some());
    assert!(r.header("expires").is_some());
    assert!(
        r.header("cache-control")
            .unwrap()
            .starts_with("public, max-age=")
    );
}

#[test]
fn cards_are_documented_in_openapi() {
    let server = TestServer::start();
    let (_, doc) = server.json("/openapi.json");
    for path in ["/quotes/{id}.svg", "/random.svg", "/today.svg"] {
        let op = &doc["paths"][path]["get"];
        assert!(
            op["responses"]["200"]["content"]["image/svg+xml"].is_object(),
            "{path}"
        );
    }
}
