//! The negotiation matrix: user agents, Accept headers and `?format=` against the app.

#[path = "common/server.rs"]
mod common;

use common::TestServer;

const TEXT: &str = "text/plain; charset=utf-8";
const JSON: &str = "application/json";
const HTML: &str = "text/html; charset=utf-8";

/// A request path, its headers, and the content type expected back.
type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a str);

#[test]
fn matrix() {
    let server = TestServer::start();
    let firefox = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    let cases: &[Case] = &[
        // What the clients really send.
        (
            "/random",
            &[("User-Agent", "curl/8.5.0"), ("Accept", "*/*")],
            TEXT,
        ),
        (
            "/random",
            &[("User-Agent", "Wget/1.21.4"), ("Accept", "*/*")],
            TEXT,
        ),
        (
            "/random",
            &[("User-Agent", "HTTPie/3.2.2"), ("Accept", "*/*")],
            TEXT,
        ),
        (
            "/random",
            &[
                ("User-Agent", "HTTPie/3.2.2"),
                ("Accept", "application/json, */*;q=0.5"),
            ],
            JSON,
        ),
        (
            "/random",
            &[
                ("User-Agent", "Mozilla/5.0 Firefox/128.0"),
                ("Accept", firefox),
            ],
            HTML,
        ),
        ("/random", &[], TEXT),
        ("/random", &[("Accept", "application/json")], JSON),
        ("/random", &[("Accept", "text/plain")], TEXT),
        ("/random", &[("Accept", "text/html")], HTML),
        ("/random", &[("Accept", "text/*")], TEXT),
        ("/random", &[("Accept", "application/*")], JSON),
        (
            "/random",
            &[("Accept", "text/plain;q=0.2, application/json;q=0.8")],
            JSON,
        ),
        // An explicit Accept from curl wins over the user agent.
        (
            "/random",
            &[("User-Agent", "curl/8.5.0"), ("Accept", "application/json")],
            JSON,
        ),
        // ?format= overrides everything, even an unservable Accept.
        ("/random?format=json", &[("Accept", firefox)], JSON),
        ("/random?format=html", &[("User-Agent", "curl/8.5.0")], HTML),
        (
            "/random?format=text",
            &[("Accept", "application/json")],
            TEXT,
        ),
        ("/random?format=json", &[("Accept", "image/png")], JSON),
        // The same rules on every quote endpoint.
        ("/", &[("Accept", firefox)], HTML),
        ("/today", &[("Accept", "application/json")], JSON),
        ("/quotes", &[("Accept", firefox)], HTML),
        ("/search?q=wizard", &[("Accept", "*/*")], TEXT),
        ("/tags", &[("Accept", "application/json")], JSON),
        ("/collections", &[("Accept", firefox)], HTML),
        ("/authors?format=text", &[], TEXT),
    ];
    for (target, headers, want) in cases {
        let r = server.get_with(target, headers);
        assert_eq!(r.status, 200, "{target} {headers:?}");
        assert_eq!(
            r.header("content-type"),
            Some(*want),
            "{target} {headers:?}"
        );
        assert!(r.header("vary").unwrap().contains("Accept"), "{target}");
        match *want {
            JSON => drop(r.json()),
            HTML => assert!(r.text().starts_with("<!doctype html>")),
            _ => assert!(r.text().ends_with('\n')),
        }
    }
}

#[test]
fn unservable_accept_is_406_with_a_json_error() {
    let server = TestServer::start();
    for accept in [
        "image/png",
        "application/xml",
        "*/*;q=0",
        "text/plain;q=0, application/json;q=0, text/html;q=0",
    ] {
        let r = server.get_with("/random", &[("Accept", accept)]);
        assert_eq!(r.status, 406, "{accept}");
        assert_eq!(r.header("content-type"), Some(JSON));
        assert_eq!(r.json()["error"]["status"], 406);
        assert!(r.header("vary").unwrap().contains("Accept"));
    }
}

#[test]
fn errors_follow_the_client() {
    let server = TestServer::start();
    let text = server.get_with(
        "/quotes/000000000000",
        &[("User-Agent", "curl/8.5.0"), ("Accept", "*/*")],
    );
    assert_eq!(text.status, 404);
    assert_eq!(text.header("content-type"), Some(TEXT));
    assert_eq!(text.text(), "error: no quote has id 000000000000\n");
    let json = server.get_with("/quotes/000000000000", &[("Accept", "application/json")]);
    assert_eq!(
        json.json()["error"]["message"],
        "no quote has id 000000000000"
    );
    let browser = server.get_with("/quotes/000000000000", &[("Accept", "text/html")]);
    assert_eq!(browser.status, 404);
    assert_eq!(browser.header("content-type"), Some(HTML));
    let forced = server.get_with(
        "/random?tag=nope&format=text",
        &[("Accept", "application/json")],
    );
    assert_eq!(forced.status, 404);
    assert!(forced.text().starts_with("error: no quote is tagged"));
}

#[test]
fn html_page_has_quote_attribution_tags_permalink_and_another_link() {
    let server = TestServer::start();
    let (_, q) = server.json("/random?collection=pratchett&tag=death");
    let id = q["id"].as_str().unwrap();
    let html = server.get(&format!("/quotes/{id}?format=html")).text();
    assert!(html.contains(&format!("href=\"/quotes/{id}\"")));
    assert!(html.contains("href=\"/quotes?tag=death\""));
    assert!(html.contains("Another one"));
    assert!(html.contains("href=\"/random\""));
    let author = q["author"].as_str().unwrap();
    // The page escapes HTML: "Terry Pratchett & Neil Gaiman" appears as "&amp;".
    assert!(html.contains(&author.replace('&', "&amp;")), "{author}");
    assert!(!html.contains("<script src"), "no external scripts");
    // Absolute URLs appear only in the link-preview meta, which a browser does not load.
    for loaded in ["src=\"http", "href=\"http", "url(", "@import"] {
        assert!(!html.contains(loaded), "no external assets: {loaded}");
    }
    assert!(html.contains("<meta property=\"og:image\" content=\"http://"));
    let first_line = q["text"].as_str().unwrap().lines().next().unwrap();
    let escaped = first_line
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;");
    assert!(html.contains(&escaped), "{escaped}");
    let random = server.get("/random?tag=death&format=html").text();
    assert!(random.contains("href=\"/random?tag=death&amp;format=html\""));
}
