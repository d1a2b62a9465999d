//! Link previews as chat apps fetch them: the permalink and `/today` pages requested with
//! Slackbot's and Discordbot's `User-Agent` (and `Accept: */*`) are HTML whose Open Graph and
//! Twitter meta, read with a real HTML parser, describe the quote; the `og:image` URL is
//! fetched from the server and decodes as the quote's PNG card. `--public-url` (flag and
//! variable) sets the absolute URLs.

#[path = "common/server.rs"]
mod common;

use common::{Binary, Response, TestServer, request};
use scraper::{Html, Selector};
use std::collections::HashMap;
use std::net::SocketAddr;

const SLACKBOT: &str = "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)";
const DISCORDBOT: &str = "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)";

/// Fetches `target` as a link-preview bot: `Accept: */*` and the bot's `User-Agent`.
fn as_bot(addr: SocketAddr, target: &str, agent: &str) -> Response {
    request(
        addr,
        "GET",
        target,
        &[("Accept", "*/*"), ("User-Agent", agent)],
    )
}

/// The page's `<meta property|name=... content=...>` pairs, parsed as a browser would.
fn meta(page: &str) -> HashMap<String, String> {
    let doc = Html::parse_document(page);
    let selector = Selector::parse("head meta[content]").unwrap();
    doc.select(&selector)
        .filter_map(|m| {
            let el = m.value();
            let key = el.attr("property").or_else(|| el.attr("name"))?;
            Some((key.to_string(), el.attr("content")?.to_string()))
        })
        .collect()
}

fn link_href(page: &str, rel: &str) -> Option<String> {
    let doc = Html::parse_document(page);
    let selector = Selector::parse(&format!("head link[rel=\"{rel}\"]")).unwrap();
    doc.select(&selector)
        .next()
        .and_then(|l| l.value().attr("href"))
        .map(str::to_string)
}

/// The width and height in a PNG's header, after checking it decodes.
fn png_size(r: &Response) -> (u32, u32) {
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("image/png"));
    let decoder = png::Decoder::new(std::io::Cursor::new(&r.body[..]));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buffer = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buffer).expect("a frame");
    (info.width, info.height)
}

fn svg_size(r: &Response) -> (u32, u32) {
    let body = r.text();
    let doc = roxmltree::Document::parse(&body).unwrap();
    let number = |n: &str| doc.root_element().attribute(n).unwrap().parse().unwrap();
    (number("width"), number("height"))
}

/// The quote's words on one line, as a preview shows them.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn a_pasted_permalink_unfurls_with_the_quote_and_its_card_for_slack_and_discord() {
    let server = TestServer::start();
    let (_, q) = server.json("/random?collection=pratchett&max_length=300");
    let id = q["id"].as_str().unwrap();
    let base = format!("http://{}", server.addr);
    for agent in [SLACKBOT, DISCORDBOT] {
        let r = as_bot(server.addr, &format!("/quotes/{id}"), agent);
        assert_eq!(r.status, 200, "{agent}");
        assert_eq!(
            r.header("content-type"),
            Some("text/html; charset=utf-8"),
            "{agent}"
        );
        let tags = meta(&r.text());
        let author = q["author"].as_str().unwrap();
        assert!(tags["og:title"].starts_with(author), "{tags:?}");
        assert_eq!(
            tags["og:description"],
            one_line(q["text"].as_str().unwrap())
        );
        assert_eq!(tags["og:url"], format!("{base}/quotes/{id}"));
        assert_eq!(tags["og:type"], "article");
        assert_eq!(tags["twitter:card"], "summary_large_image");
        assert_eq!(tags["twitter:image"], tags["og:image"]);
        // The image is the quote's PNG card, served at that very URL.
        let image = &tags["og:image"];
        let path = image
            .strip_prefix(&base)
            .expect("an absolute URL on this server");
        assert_eq!(path, format!("/quotes/{id}.png"));
        let card = as_bot(server.addr, path, agent);
        let svg = server.get(&format!("/quotes/{id}.svg"));
        assert_eq!(png_size(&card), svg_size(&svg));
        let declared: (u32, u32) = (
            tags["og:image:width"].parse().unwrap(),
            tags["og:image:height"].parse().unwrap(),
        );
        assert_eq!(declared, png_size(&card));
    }
    // curl's `*/*` still gets the quote as text, and caches are told the agent mattered.
    let curl = request(
        server.addr,
        "GET",
        &format!("/quotes/{id}"),
        &[("Accept", "*/*"), ("User-Agent", "curl/8.5.0")],
    );
    assert_eq!(
        curl.header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    let vary: Vec<&str> = curl
        .headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("vary"))
        .map(|(_, v)| v.as_str())
        .collect();
    assert!(vary.contains(&"User-Agent"), "{vary:?}");
    // A bot that asks for JSON gets JSON.
    let json = request(
        server.addr,
        "GET",
        &format!("/quotes/{id}"),
        &[("Accept", "application/json"), ("User-Agent", SLACKBOT)],
    );
    assert_eq!(json.json()["id"], id);
}

#[test]
fn the_today_page_unfurls_with_the_day_and_links_its_feed() {
    let server = TestServer::start();
    let filter = "collection=tax-forms&date=2025-06-01";
    let (_, q) = server.json(&format!("/today?{filter}"));
    let r = as_bot(server.addr, &format!("/today?{filter}"), DISCORDBOT);
    assert_eq!(r.status, 200);
    let page = r.text();
    let tags = meta(&page);
    assert!(
        tags["og:title"].starts_with("Quote of the day, 2025-06-01"),
        "{tags:?}"
    );
    assert_eq!(
        tags["og:description"],
        one_line(q["text"].as_str().unwrap())
    );
    let base = format!("http://{}", server.addr);
    assert_eq!(tags["og:url"], format!("{base}/today?{filter}"));
    let image = tags["og:image"].strip_prefix(&base).unwrap().to_string();
    assert_eq!(image, format!("/quotes/{}.png", q["id"].as_str().unwrap()));
    png_size(&as_bot(server.addr, &image, DISCORDBOT));
    // The feed of the same filter, advertised for feed readers.
    let feed = link_href(&page, "alternate").expect("a feed link");
    assert_eq!(feed, "/today.atom?collection=tax-forms");
    let r = server.get(&feed);
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("application/atom+xml"));
}

fn check_public(server: &Binary) {
    let r = request(
        server.addr,
        "GET",
        "/random",
        &[("Accept", "application/json")],
    );
    let id = r.json()["id"].as_str().unwrap().to_string();
    let page = as_bot(server.addr, &format!("/quotes/{id}"), SLACKBOT).text();
    let tags = meta(&page);
    assert_eq!(
        tags["og:url"],
        format!("https://quotes.example.org/quotes/{id}")
    );
    let image = &tags["og:image"];
    let path = image.strip_prefix("https://quotes.example.org").unwrap();
    png_size(&as_bot(server.addr, path, SLACKBOT));
}

#[test]
fn public_url_sets_the_absolute_urls_from_the_flag_or_the_variable() {
    check_public(&Binary::start(&[
        "--public-url",
        "https://quotes.example.org/",
    ]));
    check_public(&Binary::start_with_env(
        &[],
        &[("EPIGRAPH_PUBLIC_URL", "https://quotes.example.org")],
    ));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_epigraph"))
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--public-url",
            "quotes.example.org",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--public-url must be an absolute"),
        "{stderr}"
    );
}
