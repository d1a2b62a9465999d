//! `--deny-tag` / `--deny-collection` on the HTTP faces of the real binary: a denied tag or
//! collection is answered exactly like one that does not exist, and no list, count, search,
//! permalink, card, deck, `/today` or feed shows a denied quote; rules for other faces change
//! nothing here. The expected sets are computed from the same files with the library.

#[path = "common/server.rs"]
mod common;
#[path = "common/policy.rs"]
mod policy;

use common::{Binary, Response, request};
use policy::{Fixture, Rules, days, markers};
use regex::Regex;
use serde_json::Value;
use std::collections::BTreeSet;

const HTTP: Rules = Rules {
    tags: &["politics"],
    collections: &["off"],
};
const FEED: Rules = Rules {
    tags: &["politics", "wit"],
    collections: &["off"],
};

/// The server of every test here: tags denied per face by flag, `off` everywhere by variable.
fn start(fixture: &Fixture) -> Binary {
    let dir = fixture.path();
    Binary::start_with_env(
        &[
            "--quotes",
            &dir,
            "--deny-tag",
            "http:politics",
            "--deny-tag",
            "chat:wit",
            "--deny-tag",
            "feed:wit",
        ],
        &[("EPIGRAPH_DENY_COLLECTION", "all:off")],
    )
}

fn json(server: &Binary, target: &str) -> Response {
    request(
        server.addr,
        "GET",
        target,
        &[("Accept", "application/json")],
    )
}

fn ok(server: &Binary, target: &str) -> Value {
    let r = json(server, target);
    assert_eq!(r.status, 200, "{target}: {}", r.text());
    r.json()
}

/// The answer to `target` with `denied` in it is the answer with `unknown` instead, with the
/// name replaced back: status, content type and body, as JSON and as text, but for the "did
/// you mean" names (they depend on the spelling), which must not include anything denied.
fn same_as_unknown(server: &Binary, target: &str, denied: &str, unknown: &str) {
    let other = target.replace(denied, unknown);
    // Only the name asked for: a suggestion such as `us-politics` stays as it is.
    let name = Regex::new(&format!(
        r#"(^|["\s>]){}(["\\\s.<]|$)"#,
        regex::escape(denied)
    ))
    .unwrap();
    let hint = Regex::new(r#" \(did you mean [^)]*\?\)|,"suggestions":\[[^\]]*\]"#).unwrap();
    for accept in ["application/json", "text/plain"] {
        let a = request(server.addr, "GET", target, &[("Accept", accept)]);
        let b = request(server.addr, "GET", &other, &[("Accept", accept)]);
        assert_eq!(
            a.status,
            404,
            "{target}: {}",
            String::from_utf8_lossy(&a.body)
        );
        assert_eq!(b.status, 404, "{other}");
        assert_eq!(a.header("content-type"), b.header("content-type"));
        if a.header("content-type") == Some("application/json") {
            let offered = &a.json()["error"]["suggestions"];
            for name in offered.as_array().into_iter().flatten() {
                assert!(!DENIED_NAMES.contains(&name.as_str().unwrap()), "{offered}");
            }
        }
        let a = String::from_utf8_lossy(&a.body);
        let a = name.replace_all(&a, format!("${{1}}{unknown}${{2}}"));
        let b = String::from_utf8_lossy(&b.body);
        assert_eq!(
            hint.replace_all(&a, ""),
            hint.replace_all(&b, ""),
            "{target} ({accept})"
        );
    }
}

/// Names denied on some HTTP face.
const DENIED_NAMES: [&str; 3] = ["politics", "off", "wit"];

#[test]
fn asking_for_a_denied_tag_or_collection_is_a_404_like_an_unknown_one() {
    let fixture = Fixture::new();
    let server = start(&fixture);
    for target in [
        "/random?tag=politics",
        "/random?tag=wit,politics",
        "/quotes?tag=politics",
        "/today?tag=politics",
        "/search?q=ballot&tag=politics",
        "/random.svg?tag=politics",
        "/today.atom?tag=politics",
    ] {
        same_as_unknown(&server, target, "politics", "politicz");
    }
    for target in [
        "/random?collection=off",
        "/quotes?collection=off",
        "/today?collection=off",
        "/random?collection=off&deck=new",
        "/today.atom?collection=off",
    ] {
        same_as_unknown(&server, target, "off", "offf");
    }
    // `feed:wit` narrows the feed only; `chat:wit` is not an http rule.
    same_as_unknown(&server, "/today.atom?tag=wit", "wit", "witt");
    assert_eq!(ok(&server, "/random?tag=wit")["tags"][0], "wit");
    assert_eq!(json(&server, "/today?tag=wit").status, 200);
}

#[test]
fn lists_counts_and_search_never_show_a_denied_quote() {
    let fixture = Fixture::new();
    let corpus = fixture.corpus();
    let server = start(&fixture);
    let allowed = HTTP.allowed_ids(&corpus);
    let mut listed = BTreeSet::new();
    for page in 1.. {
        let body = ok(&server, &format!("/quotes?limit=100&page={page}"));
        assert_eq!(body["total"], allowed.len(), "page {page}");
        for quote in body["results"].as_array().unwrap() {
            assert!(listed.insert(quote["id"].as_str().unwrap().to_string()));
        }
        if body["links"]["next"].is_null() {
            break;
        }
        assert!(page < 100, "too many pages");
    }
    assert_eq!(listed, allowed);
    for _ in 0..150 {
        let quote = ok(&server, "/random");
        assert!(allowed.contains(quote["id"].as_str().unwrap()), "{quote}");
    }
    for word in ["zebra", "walrus", "ballot"] {
        let body = ok(&server, &format!("/search?q={word}"));
        assert_eq!(body["total"], 0, "{word}: {body}");
    }
    assert_eq!(ok(&server, "/search?q=otter")["total"], policy::EACH);

    let tags = ok(&server, "/tags");
    let names: Vec<&str> = tags["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert!(!names.contains(&"politics"), "{names:?}");
    let count = |list: &Value, name: &str| {
        list["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["name"] == name)
            .map(|t| t["count"].as_u64().unwrap())
    };
    // One `misc` quote is left: the garden one; the aside and the walrus ones are denied.
    assert_eq!(count(&tags, "misc"), Some(1));
    assert_eq!(count(&tags, "wit"), Some(policy::EACH as u64));
    let collections = ok(&server, "/collections");
    assert_eq!(count(&collections, "off"), None, "{collections}");
    assert_eq!(count(&collections, "mixed"), Some(policy::EACH as u64 + 1));
    let authors = ok(&server, "/authors");
    assert_eq!(count(&authors, "Polly Tician"), None);
    assert_eq!(count(&authors, "Ann Both"), Some(1));
    assert_eq!(count(&authors, "Witty Wendy"), Some(policy::EACH as u64));
}

#[test]
fn permalinks_and_cards_of_denied_quotes_are_404_like_unknown_ids() {
    let fixture = Fixture::new();
    let corpus = fixture.corpus();
    let server = start(&fixture);
    let denied = HTTP.denied_ids(&corpus);
    // The embedded collections have `politics` quotes too.
    assert!(denied.len() > 2 * policy::EACH + 1, "{}", denied.len());
    for id in denied.iter().step_by(9) {
        for suffix in ["", ".svg", ".png", "?format=json", "?format=html"] {
            let target = format!("/quotes/{id}{suffix}");
            same_as_unknown(&server, &target, id, "000000000000");
        }
    }
    let allowed = HTTP.allowed_ids(&corpus);
    let first = allowed.iter().next().unwrap();
    assert_eq!(server.get(&format!("/quotes/{first}.svg")).status, 200);
}

#[test]
fn today_the_feed_and_decks_choose_among_the_allowed_quotes() {
    let fixture = Fixture::new();
    let corpus = fixture.corpus();
    let server = start(&fixture);
    for day in days(40) {
        let quote = ok(&server, &format!("/today?date={day}"));
        assert_eq!(quote["id"], HTTP.today(&corpus, &day), "{day}");
    }
    let feed_allowed = FEED.allowed_ids(&corpus);
    let last = days(62).pop().unwrap();
    for date in [days(31).pop().unwrap(), last] {
        let r = server.get(&format!("/today.atom?days=31&date={date}"));
        assert_eq!(r.status, 200);
        let text = r.text();
        assert_eq!(
            markers(&text, &["zebra", "walrus", "otter"]),
            [""; 0],
            "{text}"
        );
        let entries = text.matches("<entry>").count();
        assert_eq!(entries, 31);
        let ids: Vec<&str> = text
            .split("/quotes/")
            .skip(1)
            .map(|s| &s[..12])
            .filter(|id| id.bytes().all(|b| b.is_ascii_hexdigit()))
            .collect();
        assert!(!ids.is_empty());
        assert!(ids.iter().all(|id| feed_allowed.contains(*id)), "{ids:?}");
    }

    // A deck over `mixed` walks its allowed quotes, each once.
    let expected: BTreeSet<String> = HTTP
        .allowed(&corpus)
        .into_iter()
        .map(|i| &corpus.quotes()[i as usize])
        .filter(|q| corpus.collection_of(q).name == "mixed")
        .map(|q| q.id.hex())
        .collect();
    assert_eq!(expected.len(), policy::EACH + 1);
    let mut target = "/random?collection=mixed&deck=new".to_string();
    let mut seen = BTreeSet::new();
    for _ in 0..expected.len() {
        let body = ok(&server, &target);
        assert!(seen.insert(body["id"].as_str().unwrap().to_string()));
        let token = body["next_deck"].as_str().unwrap();
        target = format!("/random?collection=mixed&deck={token}");
    }
    assert_eq!(seen, expected);
    // The whole corpus as a deck, to its end: only allowed quotes.
    let allowed = HTTP.allowed_ids(&corpus);
    let mut target = "/random?deck=new".to_string();
    let mut seen = BTreeSet::new();
    for _ in 0..allowed.len() {
        let body = ok(&server, &target);
        seen.insert(body["id"].as_str().unwrap().to_string());
        target = format!("/random?deck={}", body["next_deck"].as_str().unwrap());
    }
    assert_eq!(seen, allowed);
}
