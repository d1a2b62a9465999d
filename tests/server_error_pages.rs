//! Errors as a person sees them: a browser gets an HTML page (right status, the JSON error's
//! message and suggestions, escaped), the SVG cards answer errors in the negotiated format, and
//! "Another one" on a filtered `/today` page keeps the filters.

#[path = "common/server.rs"]
mod common;

use common::{Response, TestServer, request};

const HTML: &str = "text/html; charset=utf-8";
const TEXT: &str = "text/plain; charset=utf-8";
const JSON: &str = "application/json";
const FIREFOX: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

/// Text as the pages escape it (maud's rule: `'` needs no escape, as every attribute value is
/// in double quotes).
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The exact heading and message paragraph a page shows for `status` and `message`.
fn heading(status: u16, reason: &str, message: &str) -> String {
    format!("<h1>{status} {reason}</h1><p>{}</p>", escape(message))
}

fn browse(server: &TestServer, method: &str, target: &str) -> Response {
    request(server.addr, method, target, &[("Accept", FIREFOX)])
}

#[test]
fn browsers_get_an_html_error_page_with_the_json_message() {
    let server = TestServer::start();
    let cases: &[(&str, &str, u16, &str)] = &[
        ("GET", "/random?tag=deathh", 404, "Not Found"),
        ("GET", "/quotes/000000000000", 404, "Not Found"),
        ("GET", "/today?collection=pratchet", 404, "Not Found"),
        ("GET", "/quotes?author=zzzzqqqxx", 404, "Not Found"),
        ("GET", "/no/such/page", 404, "Not Found"),
        ("GET", "/random?count=0", 400, "Bad Request"),
        ("GET", "/quotes/zzz", 400, "Bad Request"),
        ("GET", "/random?bogus=1", 400, "Bad Request"),
        ("POST", "/random", 405, "Method Not Allowed"),
        ("GET", "/search?q=a(b&regex=true", 400, "Bad Request"),
    ];
    for &(method, target, status, reason) in cases {
        let page = browse(&server, method, target);
        assert_eq!(page.status, status, "{target}");
        assert_eq!(page.header("content-type"), Some(HTML), "{target}");
        assert_eq!(page.header("cache-control"), Some("no-store"), "{target}");
        let json = request(server.addr, method, target, &[("Accept", JSON)]);
        assert_eq!(json.status, status, "{target}");
        let message = json.json()["error"]["message"]
            .as_str()
            .unwrap()
            .to_string();
        let html = page.text();
        assert!(html.starts_with("<!doctype html>\n"), "{target}");
        assert!(
            html.contains(&format!("<title>{status} {reason} — epigraph</title>")),
            "{target}: {html}"
        );
        assert!(
            html.contains(&heading(status, reason, &message)),
            "{target}: {html}"
        );
        // The site's page: its navigation and style, no script.
        assert!(html.contains("<nav><a class=\"brand\" href=\"/\">epigraph</a>"));
        assert!(
            html.contains("<style>") && !html.contains("<script"),
            "{target}"
        );
    }
    let post = browse(&server, "POST", "/random");
    assert_eq!(post.header("allow"), Some("GET, HEAD"));
}

#[test]
fn suggestions_are_links_to_the_close_names() {
    let server = TestServer::start();
    let (_, json) = server.json("/random?collection=pratchet");
    assert_eq!(
        json["error"]["suggestions"],
        serde_json::json!(["pratchett"])
    );
    let html = browse(&server, "GET", "/random?collection=pratchet").text();
    assert!(
        html.contains(
            "<p>Try: <a href=\"/quotes?collection=pratchett\">pratchett</a></p>\
             <p class=\"actions\"><a class=\"button primary\" href=\"/random\">A random quote</a>"
        ),
        "{html}"
    );
    // Every suggestion of a misspelt tag, in the JSON's order, as links.
    let (_, json) = server.json("/random?tag=deathh");
    let names: Vec<&str> = json["error"]["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert!(!names.is_empty());
    let links: Vec<String> = names
        .iter()
        .map(|n| format!("<a href=\"/quotes?tag={n}\">{n}</a>"))
        .collect();
    let html = browse(&server, "GET", "/random?tag=deathh").text();
    assert!(
        html.contains(&format!("<p>Try: {}</p>", links.join(", "))),
        "{html}"
    );
    // No suggestions, no "Try:" line.
    let html = browse(&server, "GET", "/quotes/000000000000").text();
    assert!(!html.contains("Try:"));
}

#[test]
fn what_the_client_sent_is_escaped_on_the_page() {
    let server = TestServer::start();
    let page = browse(
        &server,
        "GET",
        "/random?tag=%3Cscript%3Ealert(1)%3C%2Fscript%3E%22%27%26",
    );
    assert_eq!(page.status, 404);
    let html = page.text();
    let message = "no quote is tagged \"<script>alert(1)</script>\\\"'&\"";
    assert!(html.contains(&heading(404, "Not Found", message)), "{html}");
    assert!(!html.contains("<script>alert"));
    // `"`, `'` and `&` pass the HTTP parser raw in a path (`<` does not).
    let page = browse(&server, "GET", "/x%3Cb%3E\"'&");
    assert_eq!(page.status, 404);
    let html = page.text();
    assert!(
        html.contains("<p>nothing at &quot;/x%3Cb%3E\\&quot;'&amp;&quot;; see"),
        "{html}"
    );
}

#[test]
fn format_in_the_query_decides_the_error_format_too() {
    let server = TestServer::start();
    // A bad parameter stops the parsing, but an explicit format= still counts.
    let page = server.get("/random?format=html&count=0");
    assert_eq!(page.status, 400);
    assert_eq!(page.header("content-type"), Some(HTML));
    let text = server.get_with("/random?format=text&count=0", &[("Accept", FIREFOX)]);
    assert_eq!(text.header("content-type"), Some(TEXT));
    assert_eq!(
        text.text(),
        "error: count must be a whole number from 1 to 50, got \"0\"\n"
    );
}

#[test]
fn card_errors_follow_the_client() {
    let server = TestServer::start();
    let curl = [("Accept", "*/*")];
    let img = [("Accept", "image/avif,image/webp,*/*")];
    let browser = [("Accept", FIREFOX)];
    let program = [("Accept", JSON)];
    for (target, status) in [
        ("/quotes/000000000000.svg", 404),
        ("/quotes/nothex.svg", 400),
        ("/random.svg?tag=no-such-tag-at-all", 404),
        ("/random.svg?count=2", 400),
        ("/today.svg?date=yesterday", 400),
        ("/today.svg?collection=nope", 404),
    ] {
        let json = server.get_with(target, &program);
        assert_eq!(json.status, status, "{target}");
        assert_eq!(json.header("content-type"), Some(JSON), "{target}");
        let message = json.json()["error"]["message"]
            .as_str()
            .unwrap()
            .to_string();
        for headers in [&curl[..], &img[..], &[][..]] {
            let text = server.get_with(target, headers);
            assert_eq!(text.status, status, "{target}");
            assert_eq!(text.header("content-type"), Some(TEXT), "{target}");
            assert_eq!(text.text(), format!("error: {message}\n"), "{target}");
        }
        let page = server.get_with(target, &browser);
        assert_eq!(page.status, status, "{target}");
        assert_eq!(page.header("content-type"), Some(HTML), "{target}");
        assert!(
            page.text()
                .contains(&format!("<p>{}</p>", escape(&message)))
        );
    }
}

#[test]
fn another_one_on_a_filtered_day_keeps_the_filters() {
    let server = TestServer::start();
    let cases = [
        ("/today", "/random"),
        (
            "/today?collection=pratchett",
            "/random?collection=pratchett",
        ),
        (
            "/today?date=2024-02-29&max_length=300&collection=pratchett&tag=death",
            "/random?tag=death&amp;collection=pratchett&amp;max_length=300",
        ),
        (
            "/today?author=Terry%20Pratchett&format=html",
            "/random?author=Terry%20Pratchett&amp;format=html",
        ),
        (
            "/today?tag=death%7Cwizards&min_length=10",
            "/random?tag=death|wizards&amp;min_length=10",
        ),
    ];
    for (target, another) in cases {
        let page = server.get_with(target, &[("Accept", FIREFOX)]);
        assert_eq!(page.status, 200, "{target}: {}", page.text());
        let html = page.text();
        let expected = format!("<a class=\"button primary\" href=\"{another}\">Another one</a>");
        assert!(html.contains(&expected), "{target}: {html}");
        // The link answers, and with a quote the same filters allow.
        let link = another.replace("&amp;", "&");
        assert_eq!(server.get(&link).status, 200, "{link}");
    }
}
