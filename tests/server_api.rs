//! Every endpoint and filter of the HTTP API, against the app on 127.0.0.1:0.

#[path = "common/server.rs"]
mod common;

use common::{TestServer, request};
use epigraph::corpus::Corpus;
use serde_json::Value;
use std::collections::HashSet;

fn ids(list: &Value) -> Vec<String> {
    list["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn random_text_is_a_quote_exactly_as_fortune_prints_it() {
    let server = TestServer::start();
    let (corpus, _) = Corpus::embedded();
    let texts: HashSet<&str> = corpus.quotes().iter().map(|q| q.text()).collect();
    for target in ["/", "/random"] {
        let r = server.get_with(target, &[("User-Agent", "curl/8.5.0"), ("Accept", "*/*")]);
        assert_eq!(r.status, 200);
        assert_eq!(r.header("content-type"), Some("text/plain; charset=utf-8"));
        assert_eq!(r.header("cache-control"), Some("no-store"));
        assert!(r.header("etag").is_none());
        let body = r.text();
        assert!(body.ends_with('\n'));
        assert!(texts.contains(body.as_str()), "{body:?}");
    }
}

#[test]
fn random_json_has_every_field_and_a_working_permalink() {
    let server = TestServer::start();
    let (status, q) = server.json("/random");
    assert_eq!(status, 200);
    for field in [
        "id",
        "text",
        "display",
        "author",
        "work",
        "year",
        "context",
        "collection",
        "tags",
        "length",
        "permalink",
    ] {
        assert!(q.get(field).is_some(), "{field} missing in {q}");
    }
    let id = q["id"].as_str().unwrap();
    assert_eq!(id.len(), 12);
    assert_eq!(q["permalink"], format!("/quotes/{id}"));
    assert_eq!(
        q["length"],
        q["display"]
            .as_str()
            .unwrap()
            .trim_end_matches('\n')
            .chars()
            .count()
    );
    let (status, same) = server.json(q["permalink"].as_str().unwrap());
    assert_eq!(status, 200);
    assert_eq!(same, q);
    let text = server.get(&format!("/quotes/{id}")).text();
    assert_eq!(text, q["display"].as_str().unwrap());
    let words = q["text"].as_str().unwrap();
    assert!(text.starts_with(words) && !words.contains("\t--"), "{q}");
}

#[test]
fn random_filters_restrict_the_choice() {
    let server = TestServer::start();
    for _ in 0..5 {
        let (_, q) = server.json("/random?tag=death");
        assert!(
            q["tags"].as_array().unwrap().contains(&"death".into()),
            "{q}"
        );
        let (_, q) = server.json("/random?tag=death,rincewind");
        let tags = q["tags"].as_array().unwrap();
        assert!(
            tags.contains(&"death".into()) && tags.contains(&"rincewind".into()),
            "{q}"
        );
        let (_, q) = server.json("/random?tag=taxes|cats");
        let tags = q["tags"].as_array().unwrap();
        assert!(
            tags.contains(&"taxes".into()) || tags.contains(&"cats".into()),
            "{q}"
        );
        let (_, q) = server.json("/random?tag=death&tag=wizards|rincewind");
        let tags = q["tags"].as_array().unwrap();
        assert!(tags.contains(&"death".into()));
        assert!(
            tags.contains(&"wizards".into()) || tags.contains(&"rincewind".into()),
            "{q}"
        );
        let (_, q) = server.json("/random?collection=tax-forms");
        assert_eq!(q["collection"], "tax-forms");
        let (_, q) = server.json("/random?collection=tax-forms,article-lines");
        assert_ne!(q["collection"], "pratchett");
        let (_, q) = server.json("/random?author=terry+pratchett");
        assert!(
            q["author"].as_str().unwrap().contains("Terry Pratchett"),
            "{q}"
        );
        let (_, q) = server.json("/random?min_length=100&max_length=120");
        let len = q["length"].as_u64().unwrap();
        assert!((100..=120).contains(&len), "{len}");
        let (_, q) = server.json("/random?tag=TAXES&max_length=200&format=json");
        assert!(q["length"].as_u64().unwrap() <= 200);
    }
}

#[test]
fn random_count_gives_different_quotes() {
    let server = TestServer::start();
    let (status, list) = server.json("/random?count=50");
    assert_eq!(status, 200);
    assert_eq!(list["count"], 50);
    let set: HashSet<String> = ids(&list).into_iter().collect();
    assert_eq!(set.len(), 50);
    let (_, list) = server.json("/random?count=1");
    assert_eq!(list["results"].as_array().unwrap().len(), 1);
    // Fewer candidates than asked: all of them, once each.
    let (_, all) = server.json("/quotes?tag=death&tag=rincewind&limit=100");
    let total = all["total"].as_u64().unwrap() as usize;
    assert!(total > 0 && total < 50);
    let (_, list) = server.json("/random?tag=death,rincewind&count=50");
    let mut got = ids(&list);
    got.sort();
    let mut want = ids(&all);
    want.sort();
    assert_eq!(got, want);
    let text = server.get("/random?count=3").text();
    assert_eq!(text.lines().filter(|l| *l == "%").count(), 2, "{text}");
    let html = server.get("/random?count=3&format=html").text();
    assert_eq!(html.matches("<article>").count(), 3);
}

#[test]
fn quotes_are_paginated_with_totals_and_links() {
    let server = TestServer::start();
    let (corpus, _) = Corpus::embedded();
    let (status, first) = server.json("/quotes?limit=100");
    assert_eq!(status, 200);
    let total = corpus.quotes().len();
    assert_eq!(first["total"], total);
    assert_eq!(first["count"], 100);
    assert_eq!(first["page"], 1);
    assert_eq!(first["total_pages"], total.div_ceil(100));
    assert_eq!(first["sort"], "id");
    assert_eq!(first["links"]["prev"], Value::Null);
    assert_eq!(first["links"]["next"], "/quotes?limit=100&page=2");
    let mut seen: Vec<String> = Vec::new();
    let mut next = Some("/quotes?limit=100".to_string());
    let mut pages = 0;
    while let Some(target) = next.take() {
        pages += 1;
        assert!(pages <= 20);
        let r = server.get_with(&target, &[("Accept", "application/json")]);
        let page = r.json();
        seen.extend(ids(&page));
        next = page["links"]["next"].as_str().map(String::from);
        if let Some(n) = &next {
            assert!(
                r.header("link")
                    .unwrap()
                    .contains(&format!("<{n}>; rel=\"next\""))
            );
        }
    }
    assert_eq!(seen.len(), total);
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), seen.len(), "duplicate across pages");
    assert_eq!(sorted, seen, "sort=id is by id");
    let (_, last) = server.json("/quotes?limit=100&page=5");
    assert_eq!(last["links"]["prev"], "/quotes?limit=100&page=4");
    let (_, past) = server.json("/quotes?page=1000");
    assert_eq!(past["count"], 0);
    assert_eq!(past["total"], total);
    let (_, default) = server.json("/quotes");
    assert_eq!(default["limit"], 20);
}

#[test]
fn quotes_sort_and_filter() {
    let server = TestServer::start();
    let (_, by_length) = server.json("/quotes?sort=length&limit=100&tag=death");
    let lengths: Vec<u64> = by_length["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["length"].as_u64().unwrap())
        .collect();
    assert!(lengths.windows(2).all(|w| w[0] <= w[1]), "{lengths:?}");
    assert_eq!(
        by_length["total"],
        79.min(by_length["total"].as_u64().unwrap())
    );
    let (_, by_collection) = server.json("/quotes?sort=collection&limit=100&tag=news|taxes");
    let names: Vec<&str> = by_collection["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["collection"].as_str().unwrap())
        .collect();
    assert!(names.windows(2).all(|w| w[0] <= w[1]), "{names:?}");
    let (_, short) = server.json("/quotes?max_length=40&limit=100");
    assert!(
        short["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|q| q["length"].as_u64().unwrap() <= 40)
    );
    let (_, none) = server.json("/quotes?min_length=100000");
    assert_eq!(none["total"], 0);
    let text = server.get("/quotes?collection=tax-forms&limit=3").text();
    assert_eq!(text.lines().filter(|l| *l == "%").count(), 2);
}

#[test]
fn search_substring_regex_and_filters() {
    let server = TestServer::start();
    let (status, found) = server.json("/search?q=DEATH");
    assert_eq!(status, 200);
    assert!(found["total"].as_u64().unwrap() > 10);
    for q in found["results"].as_array().unwrap() {
        assert!(
            q["display"]
                .as_str()
                .unwrap()
                .to_lowercase()
                .contains("death")
        );
    }
    let (_, exact) = server.json("/search?q=DEATH&ignore_case=false");
    for q in exact["results"].as_array().unwrap() {
        assert!(q["display"].as_str().unwrap().contains("DEATH"));
    }
    assert!(exact["total"].as_u64() < found["total"].as_u64());
    // Regex metacharacters are not a pattern unless regex=true: `^tax` finds the word.
    let (status, literal) = server.json("/search?q=%5Etax&limit=100");
    assert_eq!(status, 200);
    let results = literal["results"].as_array().unwrap();
    assert!(results.iter().any(|q| {
        let text = q["display"].as_str().unwrap().to_lowercase();
        !text.lines().any(|l| l.starts_with("tax"))
    }));
    let (status, _) = server.json("/search?q=(a*)*b");
    assert_eq!(status, 200);
    let (_, re) = server.json("/search?q=%5Etax&regex=true");
    assert!(re["total"].as_u64().unwrap() > 0);
    for q in re["results"].as_array().unwrap() {
        let text = q["text"].as_str().unwrap().to_lowercase();
        assert!(text.lines().any(|l| l.starts_with("tax")), "{text}");
    }
    let (_, filtered) = server.json("/search?q=the&collection=tax-forms&limit=100");
    assert!(
        filtered["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|q| q["collection"] == "tax-forms")
    );
    let (_, paged) = server.json("/search?q=the&limit=5&page=2");
    assert_eq!(paged["count"], 5);
    assert!(
        paged["links"]["next"]
            .as_str()
            .unwrap()
            .starts_with("/search?q=the&limit=5&page=3")
    );
}

#[test]
fn today_is_stable_and_cacheable_until_midnight() {
    let server = TestServer::start();
    let a = server.get_with("/today", &[("Accept", "application/json")]);
    let b = server.get_with("/today", &[("Accept", "application/json")]);
    assert_eq!(a.status, 200);
    assert_eq!(a.body, b.body);
    let today = epigraph::corpus::Day::today();
    assert_eq!(a.json()["date"], today.to_string());
    let cache = a.header("cache-control").unwrap();
    let max_age: i64 = cache
        .strip_prefix("public, max-age=")
        .unwrap()
        .parse()
        .unwrap();
    assert!((0..=86_400).contains(&max_age), "{cache}");
    assert!(a.header("expires").unwrap().ends_with("00:00:00 GMT"));
    assert!(a.header("etag").is_some());
    let (_, other_day) = server.json("/today?date=2000-01-01");
    assert_eq!(other_day["date"], "2000-01-01");
    let r = server.get("/today?date=2000-01-01");
    assert_eq!(r.header("cache-control"), Some("public, max-age=86400"));
    // Filters pick within the filtered set, the same way each time.
    let (_, t1) = server.json("/today?tag=taxes&date=2026-03-04");
    let (_, t2) = server.json("/today?tag=TAXES&date=2026-03-04");
    assert_eq!(t1, t2);
    assert!(t1["tags"].as_array().unwrap().contains(&"taxes".into()));
    // Consecutive days differ.
    let days: HashSet<String> = (1..=9)
        .map(|d| server.json(&format!("/today?date=2026-01-0{d}")).1["id"].to_string())
        .collect();
    assert!(days.len() >= 8);
    let html = server.get_with("/today", &[("Accept", "text/html")]).text();
    assert!(html.contains("Quote of the day"));
}

#[test]
fn tags_collections_and_authors_with_counts() {
    let server = TestServer::start();
    let (corpus, _) = Corpus::embedded();
    let (status, tags) = server.json("/tags");
    assert_eq!(status, 200);
    assert_eq!(tags["count"], corpus.tags().len());
    let death = tags["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "death")
        .unwrap();
    let (_, death_quotes) = server.json("/quotes?tag=death");
    assert_eq!(death["count"], death_quotes["total"]);
    let (_, collections) = server.json("/collections");
    let names: Vec<&str> = collections["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["article-lines", "pratchett", "tax-forms"]);
    assert_eq!(collections["results"][1]["embedded"], true);
    assert!(collections["results"][1]["description"].is_string());
    let (_, authors) = server.json("/authors");
    assert_eq!(authors["count"], corpus.authors().len());
    assert!(server.get("/tags").text().contains("death\t"));
    assert!(
        server
            .get("/collections")
            .text()
            .starts_with("article-lines\t")
    );
    assert!(
        server
            .get("/authors?format=html")
            .text()
            .contains("/quotes?author=Terry%20Pratchett")
    );
}

#[test]
fn health_readiness_and_metrics() {
    let server = TestServer::start();
    let r = server.get("/healthz");
    assert_eq!((r.status, r.text().as_str()), (200, "ok\n"));
    // Probes never get a 406, whatever they accept.
    assert_eq!(
        server
            .get_with("/healthz", &[("Accept", "image/png")])
            .status,
        200
    );
    assert_eq!(server.get("/readyz").status, 200);
    server.get("/random?count=3");
    server.get("/quotes/zzz");
    server.get("/nope");
    let metrics = server.get_with("/metrics", &[("Accept", "application/openmetrics-text")]);
    assert_eq!(metrics.status, 200);
    assert!(
        metrics
            .header("content-type")
            .unwrap()
            .starts_with("application/openmetrics-text; version=1.0.0")
    );
    let m = metrics.text();
    assert!(
        m.contains("epigraph_http_requests_total{route=\"/random\",status=\"200\"} 1"),
        "{m}"
    );
    assert!(m.contains("epigraph_http_requests_total{route=\"/quotes/{id}\",status=\"400\"} 1"));
    assert!(m.contains("epigraph_http_requests_total{route=\"other\",status=\"404\"} 1"));
    assert!(m.contains(
        "epigraph_http_request_duration_seconds_bucket{le=\"+Inf\",route=\"/random\"} 1"
    ));
    assert!(m.contains("epigraph_quotes_served_total 3"));
    let size = Corpus::embedded().0.quotes().len();
    assert!(m.contains(&format!("epigraph_corpus_quotes {size}")));

    let empty = TestServer::with_state(epigraph::server::AppState::from_corpus(Corpus::default()));
    let r = empty.get("/readyz");
    assert_eq!(r.status, 503);
    assert_eq!(empty.json("/random").0, 404);
    assert_eq!(empty.json("/today").0, 404);
}

#[test]
fn openapi_documents_exactly_what_is_served() {
    let server = TestServer::start();
    let (status, doc) = server.json("/openapi.json");
    assert_eq!(status, 200);
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    assert!(paths.len() >= 13);
    let id = Corpus::embedded().0.quotes()[0].id.to_string();
    for (path, item) in paths {
        let concrete = path.replace("{id}", &id);
        let params = item["get"]["parameters"].as_array().unwrap();
        // Each documented query parameter with a valid value is accepted.
        let mut query = Vec::new();
        for p in params.iter().filter(|p| p["in"] == "query") {
            let name = p["name"].as_str().unwrap();
            let schema = &p["schema"];
            let schema = if schema["type"] == "array" {
                &schema["items"]
            } else {
                schema
            };
            let value = match (name, schema["type"].as_str().unwrap()) {
                ("tag", _) => "death".to_string(),
                ("collection", _) => "pratchett".to_string(),
                ("author", _) => "pratchett".to_string(),
                ("q", _) => "the".to_string(),
                ("deck", _) => "new".to_string(),
                ("fit", _) => "motd".to_string(),
                ("max_length", _) => schema["maximum"].as_u64().unwrap().to_string(),
                (_, "integer") => schema["minimum"].as_u64().unwrap().max(1).to_string(),
                (_, "boolean") => "true".to_string(),
                (_, "string") if schema["format"] == "date" => "2024-02-29".to_string(),
                (_, "string") => schema["enum"][0].as_str().unwrap().to_string(),
                other => panic!("{other:?}"),
            };
            query.push(format!("{name}={value}"));
        }
        let target = format!("{concrete}?{}", query.join("&"));
        let r = server.get(&target);
        assert_eq!(r.status, 200, "{target}: {}", r.text());
        // Every documented status is one of those listed; undocumented ones fail here.
        let bare = server.get(&concrete);
        let code = bare.status.to_string();
        assert!(
            item["get"]["responses"].get(&code).is_some(),
            "{path} answered {code}"
        );
        assert_eq!(
            server.get(&format!("{concrete}?bogus=1")).status,
            400,
            "{path}"
        );
    }
}

#[test]
fn head_and_other_methods() {
    let server = TestServer::start();
    let r = request(server.addr, "HEAD", "/quotes", &[]);
    assert_eq!(r.status, 200);
    assert!(r.body.is_empty());
    assert!(r.header("etag").is_some());
    let r = request(
        server.addr,
        "POST",
        "/random",
        &[("Accept", "application/json")],
    );
    assert_eq!(r.status, 405);
    assert_eq!(r.header("allow"), Some("GET, HEAD"));
    assert_eq!(r.json()["error"]["status"], 405);
    let r = request(server.addr, "DELETE", "/quotes", &[]);
    assert_eq!(r.status, 405);
}

#[test]
fn cors_is_open_for_get() {
    let server = TestServer::start();
    let r = server.get_with("/random", &[("Origin", "https://example.org")]);
    assert_eq!(r.status, 200);
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    let r = request(
        server.addr,
        "OPTIONS",
        "/quotes",
        &[
            ("Origin", "https://example.org"),
            ("Access-Control-Request-Method", "GET"),
        ],
    );
    assert!(r.status == 200 || r.status == 204, "{}", r.status);
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
}

#[test]
fn etags_answer_304_on_permalinks_and_lists() {
    let server = TestServer::start();
    let id = Corpus::embedded().0.quotes()[3].id.to_string();
    for target in [
        format!("/quotes/{id}"),
        "/quotes?tag=death&limit=5".to_string(),
        "/tags".to_string(),
        "/collections".to_string(),
        "/authors".to_string(),
        "/search?q=wizard".to_string(),
        "/today?date=2025-05-05".to_string(),
        "/openapi.json".to_string(),
    ] {
        let first = server.get_with(&target, &[("Accept", "application/json")]);
        assert_eq!(first.status, 200, "{target}");
        let etag = first.header("etag").unwrap().to_string();
        assert!(etag.starts_with('"') && !etag.starts_with("W/"), "{etag}");
        let again = server.get_with(
            &target,
            &[("Accept", "application/json"), ("If-None-Match", &etag)],
        );
        assert_eq!(again.status, 304, "{target}");
        assert!(again.body.is_empty());
        assert_eq!(again.header("etag"), Some(etag.as_str()));
        let changed = server.get_with(
            &target,
            &[
                ("Accept", "application/json"),
                ("If-None-Match", "\"0000\""),
            ],
        );
        assert_eq!(changed.status, 200);
        // Another representation has another tag.
        let text = server.get_with(&target, &[("Accept", "text/plain")]);
        if target != "/openapi.json" {
            assert_ne!(text.header("etag"), Some(etag.as_str()), "{target}");
        }
    }
}

#[test]
fn large_lists_are_compressed() {
    use std::io::Read;
    let server = TestServer::start();
    let plain = server.get_with("/quotes?limit=100", &[("Accept", "application/json")]);
    let r = server.get_with(
        "/quotes?limit=100",
        &[("Accept", "application/json"), ("Accept-Encoding", "gzip")],
    );
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-encoding"), Some("gzip"));
    assert!(r.body.len() < plain.body.len() / 2);
    let mut decoded = Vec::new();
    flate2::read::GzDecoder::new(&r.body[..])
        .read_to_end(&mut decoded)
        .unwrap();
    assert_eq!(decoded, plain.body);
    let etag = r.header("etag").unwrap();
    assert!(etag.ends_with("-gzip\""), "{etag}");
    let again = server.get_with(
        "/quotes?limit=100",
        &[
            ("Accept", "application/json"),
            ("Accept-Encoding", "gzip"),
            ("If-None-Match", etag),
        ],
    );
    assert_eq!(again.status, 304);
    let br = server.get_with("/quotes?limit=100", &[("Accept-Encoding", "br")]);
    assert_eq!(br.header("content-encoding"), Some("br"));
}

#[test]
fn reload_shows_new_quotes_and_keeps_old_ones_on_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("house.fortune");
    std::fs::write(&file, "%% tags: house\nThe first house quote.\n%\n").unwrap();
    let server = TestServer::with_paths(&[&file]);
    let (_, before) = server.json("/quotes?collection=house");
    assert_eq!(before["total"], 1);
    std::fs::write(
        &file,
        "%% tags: house\nThe first house quote.\n%\nA second one.\n%\n",
    )
    .unwrap();
    server.state.reload().unwrap();
    let (_, after) = server.json("/quotes?collection=house");
    assert_eq!(after["total"], 2);
    std::fs::write(&file, b"\x00\x01binary").unwrap();
    assert!(server.state.reload().is_err());
    let (_, kept) = server.json("/quotes?collection=house");
    assert_eq!(kept["total"], 2);
    assert!(
        server
            .get("/metrics")
            .text()
            .contains("epigraph_reloads_total{result=\"error\"} 1")
    );
}
