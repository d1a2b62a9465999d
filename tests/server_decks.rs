//! No-repeat decks over HTTP, against two real `epigraph serve` processes: following the
//! tokens from `deck=new` (alternating between the replicas, as a load balancer would) shows
//! every quote of the filtered set exactly once in n steps, then starts a new pass; the JSON
//! `next_deck`, the `Link` header and the HTML "Another one" link agree; altered and foreign
//! tokens are 400s naming `deck`.

#[path = "common/server.rs"]
mod common;

use common::{Binary, Response};
use std::collections::BTreeSet;

fn json_get(server: &Binary, target: &str) -> Response {
    common::request(
        server.addr,
        "GET",
        target,
        &[("Accept", "application/json")],
    )
}

/// Every id `/quotes` lists for `query` (all pages).
fn ids_of(server: &Binary, query: &str) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for page in 1..=100 {
        let r = json_get(server, &format!("/quotes?{query}&limit=100&page={page}"));
        assert_eq!(r.status, 200, "{}", r.text());
        let body = r.json();
        let results = body["results"].as_array().unwrap();
        ids.extend(
            results
                .iter()
                .map(|q| q["id"].as_str().unwrap().to_string()),
        );
        if body["links"]["next"].is_null() {
            return ids;
        }
    }
    panic!("more than 100 pages for {query}");
}

/// The target of a `Link: <target>; rel="next"` header.
fn next_link(r: &Response) -> String {
    let link = r.header("link").expect("a Link header");
    let target = link
        .strip_prefix('<')
        .and_then(|l| l.strip_suffix(">; rel=\"next\""))
        .unwrap_or_else(|| panic!("not a next link: {link}"));
    target.to_string()
}

#[test]
fn following_the_deck_shows_each_filtered_quote_once_then_repeats() {
    let replicas = [Binary::start(&[]), Binary::start(&[])];
    let filter = "tag=death&max_length=400";
    let expected = ids_of(&replicas[0], filter);
    let n = expected.len();
    assert!(n > 5, "the filter should leave a few quotes, got {n}");
    let mut target = format!("/random?{filter}&deck=new");
    for pass in 0..2 {
        let mut seen = Vec::new();
        for step in 0..n {
            let server = &replicas[step % 2];
            let r = json_get(server, &target);
            if (1..4).contains(&step) {
                // Any replica answers a step of a deck (not `new`) byte for byte the same.
                let other = json_get(&replicas[(step + 1) % 2], &target);
                assert_eq!((other.status, &other.body), (r.status, &r.body), "{target}");
                assert_eq!(other.header("link"), r.header("link"));
            }
            assert_eq!(r.status, 200, "{target}: {}", r.text());
            assert_eq!(r.header("cache-control"), Some("no-store"));
            let body = r.json();
            seen.push(body["id"].as_str().unwrap().to_string());
            let token = body["next_deck"].as_str().expect("next_deck").to_string();
            let next = next_link(&r);
            assert_eq!(
                next,
                format!("/random?{filter}&deck={token}"),
                "filters kept"
            );
            target = next;
        }
        let distinct: BTreeSet<String> = seen.iter().cloned().collect();
        assert_eq!(
            distinct.len(),
            n,
            "pass {pass}: a repeat within {n} steps: {seen:?}"
        );
        assert_eq!(distinct, expected, "pass {pass}: exactly the filtered set");
    }
}

#[test]
fn every_format_carries_the_next_step() {
    let server = Binary::start(&[]);
    let first = json_get(&server, "/random?collection=tax-forms&deck=new");
    let target = next_link(&first);
    // The same step answered as HTML: its "Another one" link is the Link header's target.
    let page = common::request(server.addr, "GET", &target, &[("Accept", "text/html")]);
    assert_eq!(page.status, 200);
    let html = page.text();
    let another = html
        .split("href=\"")
        .find_map(|rest| rest.split_once("\">Another one<").map(|(href, _)| href))
        .expect("an Another one link");
    assert_eq!(another.replace("&amp;", "&"), next_link(&page));
    assert_ne!(next_link(&page), target, "the page links one step on");
    // As plain text: the quote's text, and the Link header.
    let text = server.get(&target);
    assert_eq!(text.status, 200);
    assert_eq!(
        next_link(&text),
        next_link(&page),
        "the same deck, the same next step"
    );
    // The same step shows the same quote in every format.
    let json = json_get(&server, &target).json();
    assert_eq!(text.text(), json["display"].as_str().unwrap());
    // `count` deals that many steps at once, and its token is where three single steps end.
    let dealt = json_get(&server, &format!("{target}&count=3")).json();
    assert_eq!(dealt["count"], 3);
    let mut step = target.clone();
    for i in 0..3 {
        let r = json_get(&server, &step);
        assert_eq!(dealt["results"][i]["id"], r.json()["id"], "step {i}");
        step = next_link(&r);
    }
    let token = dealt["next_deck"].as_str().unwrap();
    assert_eq!(step, format!("/random?collection=tax-forms&deck={token}"));
}

#[test]
fn altered_and_foreign_tokens_are_400s_naming_deck() {
    let server = Binary::start(&[]);
    let r = json_get(&server, "/random?tag=death&deck=new");
    let token = r.json()["next_deck"].as_str().unwrap().to_string();
    let mut altered = token.clone().into_bytes();
    altered[5] = if altered[5] == b'7' { b'8' } else { b'7' };
    let altered = String::from_utf8(altered).unwrap();
    for (target, says) in [
        (
            format!("/random?tag=death&deck={altered}"),
            "not a deck token",
        ),
        ("/random?tag=death&deck=xyz".to_string(), "not a deck token"),
        (
            format!("/random?tag=wizards&deck={token}"),
            "another filter",
        ),
        (format!("/random?deck={token}"), "another filter"),
    ] {
        let r = json_get(&server, &target);
        assert_eq!(r.status, 400, "{target}");
        assert_eq!(r.header("content-type"), Some("application/json"));
        let error = &r.json()["error"];
        assert_eq!(error["parameter"], "deck", "{target}");
        let message = error["message"].as_str().unwrap();
        assert!(message.contains(says), "{target}: {message}");
        assert!(message.contains("deck=new"), "says what to do: {message}");
    }
    // The untouched token still works, with the filter it was made for.
    assert_eq!(
        json_get(&server, &format!("/random?tag=death&deck={token}")).status,
        200
    );
}
