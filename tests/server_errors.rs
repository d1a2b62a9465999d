//! Bad input of every kind: each gets its exact 4xx status and a JSON error body naming the
//! parameter, never a 500.

#[path = "common/server.rs"]
mod common;

use common::{TestServer, request_with_body};
use std::time::{Duration, Instant};

fn long(n: usize) -> String {
    "a".repeat(n)
}

#[test]
fn bad_inputs_get_exact_statuses_and_json_errors() {
    let server = TestServer::start();
    let ten_kb = format!("/random?tag={}", long(10 * 1024));
    let long_path = format!("/quotes/{}", long(3000));
    let long_q = format!("/search?q={}", long(257));
    let many_tags = format!("/random?{}", ["tag=a|b|c|d|e|f|g|h"; 3].join("&"));
    let cases: Vec<(&str, u16, Option<&str>)> = vec![
        ("/random?count=0", 400, Some("count")),
        ("/random?count=-1", 400, Some("count")),
        ("/random?count=51", 400, Some("count")),
        (
            "/random?count=99999999999999999999999999",
            400,
            Some("count"),
        ),
        ("/random?count=18446744073709551616", 400, Some("count")),
        ("/random?count=1.5", 400, Some("count")),
        ("/random?count=+3", 400, Some("count")),
        ("/random?count=", 400, Some("count")),
        ("/random?count=1&count=2", 400, Some("count")),
        ("/random?min_length=-5", 400, Some("min_length")),
        ("/random?max_length=abc", 400, Some("max_length")),
        ("/random?max_length=1000001", 400, Some("max_length")),
        (
            "/random?min_length=50&max_length=10",
            400,
            Some("min_length"),
        ),
        ("/random?bogus=1", 400, Some("bogus")),
        ("/random?Tag=death", 400, Some("Tag")),
        ("/random?tag=", 400, Some("tag")),
        ("/random?tag=,|,", 400, Some("tag")),
        ("/random?author=", 400, Some("author")),
        ("/random?tag=%FF", 400, Some("tag")),
        ("/random?tag=%E2%82", 400, Some("tag")),
        ("/random?tag=%ZZ", 400, Some("tag")),
        ("/random?tag=abc%", 400, Some("tag")),
        ("/random?%C3%28=1", 400, Some("query")),
        ("/random?format=xml", 400, Some("format")),
        ("/random?format=json&format=text", 400, Some("format")),
        (&many_tags, 400, Some("tag")),
        ("/random?tag=deathh", 404, Some("tag")),
        ("/random?tag=death,wizzards", 404, Some("tag")),
        ("/random?collection=pratchet", 404, Some("collection")),
        ("/random?author=zzzzqqqxx", 404, Some("author")),
        ("/random?min_length=999999", 404, None),
        ("/quotes?page=0", 400, Some("page")),
        ("/quotes?page=1000001", 400, Some("page")),
        ("/quotes?limit=101", 400, Some("limit")),
        ("/quotes?limit=0", 400, Some("limit")),
        ("/quotes?sort=random", 400, Some("sort")),
        ("/quotes?count=3", 400, Some("count")),
        ("/quotes?collection=nope", 404, Some("collection")),
        ("/quotes/zzz", 400, Some("id")),
        ("/quotes/%FF%FF", 400, Some("id")),
        ("/quotes/0123456789abcdef", 400, Some("id")),
        ("/quotes/000000000000", 404, None),
        ("/quotes/000000000000?limit=3", 400, Some("limit")),
        ("/search", 400, Some("q")),
        ("/search?q=", 400, Some("q")),
        ("/search?q=%20%20", 400, Some("q")),
        ("/search?q=a(b&regex=true", 400, Some("q")),
        ("/search?q=a%7B1000%7D%7B1000%7D&regex=true", 400, Some("q")),
        (
            "/search?q=(a%7B100%7D)%7B100%7D%7B100%7D&regex=true",
            400,
            Some("q"),
        ),
        (&long_q, 400, Some("q")),
        ("/search?q=x&regex=maybe", 400, Some("regex")),
        ("/search?q=x&tag=nope1", 404, Some("tag")),
        ("/today?date=2025-13-01", 400, Some("date")),
        ("/today?date=2025-02-30", 400, Some("date")),
        ("/today?date=yesterday", 400, Some("date")),
        ("/today?date=99999-01-01", 400, Some("date")),
        ("/today?date=2025-01-01&date=2025-01-02", 400, Some("date")),
        ("/tags?limit=5", 400, Some("limit")),
        ("/healthz?verbose=1", 400, Some("verbose")),
        ("/metrics?x", 400, Some("x")),
        ("/nope", 404, None),
        ("/quotes/", 404, None),
        (&ten_kb, 414, None),
        (&long_path, 414, None),
    ];
    assert!(cases.len() >= 30);
    for (target, status, parameter) in &cases {
        let r = server.get_with(target, &[("Accept", "application/json")]);
        assert_eq!(
            r.status,
            *status,
            "{target}: {}",
            String::from_utf8_lossy(&r.body)
        );
        assert_eq!(
            r.header("content-type"),
            Some("application/json"),
            "{target}"
        );
        let body = r.json();
        let error = &body["error"];
        assert_eq!(error["status"], *status, "{target}");
        assert!(!error["message"].as_str().unwrap().is_empty());
        assert_eq!(error["parameter"].as_str(), *parameter, "{target}: {body}");
    }
}

#[test]
fn unknown_names_come_with_suggestions() {
    let server = TestServer::start();
    let (status, body) = server.json("/random?collection=pratchet");
    assert_eq!(status, 404);
    assert_eq!(body["error"]["suggestions"][0], "pratchett");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("did you mean pratchett")
    );
    let (_, body) = server.json("/quotes?tag=deathh");
    assert!(
        body["error"]["suggestions"]
            .as_array()
            .unwrap()
            .contains(&"death".into())
    );
}

#[test]
fn oversized_bodies_are_413() {
    let server = TestServer::start();
    let body = vec![b'x'; 100 * 1024];
    for method in ["GET", "POST"] {
        let r = request_with_body(
            server.addr,
            method,
            "/random",
            &[("Accept", "application/json")],
            &body,
        );
        assert_eq!(r.status, 413, "{method}");
        assert_eq!(r.json()["error"]["status"], 413);
    }
}

#[test]
fn regex_bombs_run_in_linear_time() {
    let server = TestServer::start();
    for pattern in [
        "(a*)*b",
        "(a%7C)*b",
        "(a%2Ba%2B)%2Bb",
        "(.*)*%24",
        "(%5Cw%2B%5Cs%3F)*%24",
    ] {
        let start = Instant::now();
        let r = server.get_with(
            &format!("/search?q={pattern}&regex=true"),
            &[("Accept", "application/json")],
        );
        assert_eq!(r.status, 200, "{pattern}: {}", r.text());
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "{pattern} took {:?}",
            start.elapsed()
        );
    }
}

#[test]
fn junk_queries_never_get_a_server_error() {
    let server = TestServer::start();
    // A fixed pseudo-random sequence (xorshift) so failures reproduce.
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let alphabet: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789%=&+|,.-_~!$'()*;:@/?";
    let paths = [
        "/",
        "/random",
        "/quotes",
        "/search",
        "/today",
        "/tags",
        "/quotes/abc",
    ];
    for _ in 0..300 {
        let path = paths[(next() % paths.len() as u64) as usize];
        let len = (next() % 60) as usize;
        let query: String = (0..len)
            .map(|_| alphabet[(next() % alphabet.len() as u64) as usize] as char)
            .collect();
        let target = format!("{path}?{query}");
        let r = server.get_with(&target, &[("Accept", "application/json")]);
        assert!(r.status < 500, "{target} -> {}", r.status);
        if r.status >= 400 {
            assert_eq!(r.json()["error"]["status"], r.status, "{target}");
        }
    }
}
