//! CORS as a browser meets it: reads from any origin carry `Access-Control-Allow-Origin: *`
//! and expose the validators and pagination links; preflights allow GET and HEAD with any
//! request headers, and nothing else; `Vary` stays what negotiation says.

#[path = "common/server.rs"]
mod common;

use common::{Response, TestServer, request};

const ORIGIN: (&str, &str) = ("Origin", "https://example.org");

/// A comma-separated header as a sorted list of lower-case items (the order carries no meaning).
fn items(response: &Response, name: &str) -> Vec<String> {
    let mut items: Vec<String> = response
        .header(name)
        .unwrap_or_default()
        .split(',')
        .map(|item| item.trim().to_ascii_lowercase())
        .filter(|item| !item.is_empty())
        .collect();
    items.sort();
    items
}

#[test]
fn reads_from_any_origin_expose_etag_and_link() {
    let server = TestServer::start();
    for target in [
        "/random?format=json",
        "/quotes?limit=2",
        "/tags",
        "/no/such/page",
    ] {
        let r = server.get_with(target, &[ORIGIN]);
        assert_eq!(
            r.header("access-control-allow-origin"),
            Some("*"),
            "{target}"
        );
        assert_eq!(items(&r, "access-control-expose-headers"), ["etag", "link"]);
        assert_eq!(r.header("access-control-allow-credentials"), None);
        if r.status == 200 {
            assert_eq!(
                r.header("vary"),
                Some("Accept"),
                "{target}: no Vary: Origin"
            );
        }
    }
    let plain = server.get("/random?format=json");
    assert_eq!(plain.header("access-control-allow-origin"), None);
    assert_eq!(plain.header("vary"), Some("Accept"));
}

#[test]
fn preflights_allow_get_and_head_with_the_headers_asked_for() {
    let server = TestServer::start();
    let r = request(
        server.addr,
        "OPTIONS",
        "/quotes",
        &[
            ORIGIN,
            ("Access-Control-Request-Method", "GET"),
            (
                "Access-Control-Request-Headers",
                "X-Requested-With, If-None-Match",
            ),
        ],
    );
    assert!(r.status == 200 || r.status == 204, "{}", r.status);
    assert!(r.body.is_empty());
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    assert_eq!(items(&r, "access-control-allow-methods"), ["get", "head"]);
    assert_eq!(
        items(&r, "access-control-allow-headers"),
        ["if-none-match", "x-requested-with"]
    );
    assert_eq!(r.header("access-control-max-age"), Some("86400"));

    let bare = request(
        server.addr,
        "OPTIONS",
        "/random",
        &[ORIGIN, ("Access-Control-Request-Method", "HEAD")],
    );
    assert!(bare.status == 200 || bare.status == 204, "{}", bare.status);
    assert_eq!(bare.header("access-control-allow-headers"), None);
}

#[test]
fn preflights_for_writes_are_not_allowed() {
    let server = TestServer::start();
    for method in ["POST", "DELETE", "PUT"] {
        let r = request(
            server.addr,
            "OPTIONS",
            "/quotes",
            &[ORIGIN, ("Access-Control-Request-Method", method)],
        );
        let allowed = items(&r, "access-control-allow-methods");
        assert!(
            !allowed.contains(&method.to_ascii_lowercase()),
            "{method}: {} {allowed:?}",
            r.status
        );
    }
}

#[test]
fn preflights_are_counted_in_the_metrics() {
    let server = TestServer::start();
    let preflight = [ORIGIN, ("Access-Control-Request-Method", "GET")];
    let r = request(server.addr, "OPTIONS", "/random", &preflight);
    let status = r.status;
    let metrics = server.get("/metrics").text();
    let line = format!("epigraph_http_requests_total{{route=\"/random\",status=\"{status}\"}} 1");
    assert!(metrics.contains(&line), "{line} in\n{metrics}");
}
