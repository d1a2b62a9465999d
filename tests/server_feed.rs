//! The Atom feed `/today.atom` as feed readers get it from the app on 127.0.0.1:0: parsed by
//! the `atom_syndication` crate and, when Python's venv and PyPI are reachable, by Python's
//! `feedparser` (the parser most readers' back ends share), checked against RFC 4287's
//! required elements and against `/today` for every day it holds.

#[path = "common/server.rs"]
mod common;

use atom_syndication::{Feed, TextType};
use common::TestServer;
use std::collections::HashSet;
use std::path::Path;
use std::process::Command;

fn fetch(server: &TestServer, target: &str) -> (String, Feed) {
    let r = server.get(target);
    assert_eq!(r.status, 200, "{target}: {}", r.text());
    assert_eq!(r.header("content-type"), Some("application/atom+xml"));
    let body = r.text();
    let feed = body
        .parse::<Feed>()
        .unwrap_or_else(|e| panic!("{e}: {body}"));
    (body, feed)
}

/// The elements RFC 4287 requires (4.1.1, 4.1.2): feed id/title/updated, an author on the
/// feed or every entry, entry id/title/updated, ids that are absolute IRIs and unique.
fn check_required(feed: &Feed) {
    assert!(feed.id().starts_with("http://"), "{}", feed.id());
    assert!(!feed.title().as_str().is_empty());
    assert!(!feed.authors().is_empty() || feed.entries().iter().all(|e| !e.authors().is_empty()));
    let self_link = feed
        .links()
        .iter()
        .find(|l| l.rel() == "self")
        .expect("rel=self");
    assert_eq!(self_link.href(), feed.id());
    let mut ids = HashSet::new();
    for entry in feed.entries() {
        assert!(entry.id().starts_with("http://"), "{}", entry.id());
        assert!(
            ids.insert(entry.id().to_string()),
            "duplicate id {}",
            entry.id()
        );
        assert!(!entry.title().as_str().is_empty());
        assert!(entry.updated() <= feed.updated());
    }
}

#[test]
fn each_entry_is_that_days_quote_of_the_day_as_text_and_html() {
    let server = TestServer::start();
    let (_, feed) = fetch(
        &server,
        "/today.atom?collection=pratchett&date=2024-03-05&days=5",
    );
    check_required(&feed);
    assert_eq!(feed.updated().to_rfc3339(), "2024-03-05T00:00:00+00:00");
    let days = [
        "2024-03-05",
        "2024-03-04",
        "2024-03-03",
        "2024-03-02",
        "2024-03-01",
    ];
    assert_eq!(feed.entries().len(), days.len());
    for (entry, day) in feed.entries().iter().zip(days) {
        let (_, q) = server.json(&format!("/today?collection=pratchett&date={day}"));
        assert_eq!(
            entry.updated().to_rfc3339(),
            format!("{day}T00:00:00+00:00")
        );
        let base = format!("http://{}", server.addr);
        assert_eq!(
            entry.id(),
            format!("{base}/today?date={day}&collection=pratchett")
        );
        let alternate = entry
            .links()
            .iter()
            .find(|l| l.rel() == "alternate")
            .unwrap();
        assert_eq!(
            alternate.href(),
            format!("{base}{}", q["permalink"].as_str().unwrap())
        );
        let author = q["author"].as_str().unwrap();
        assert_eq!(entry.authors()[0].name(), author);
        let summary = entry.summary().expect("a summary");
        assert_eq!(summary.r#type, TextType::Text);
        let text = q["text"].as_str().unwrap();
        assert!(summary.as_str().starts_with(text), "{}", summary.as_str());
        assert!(summary.as_str().contains(author));
        let content = entry.content().expect("content");
        assert_eq!(content.content_type(), Some("html"));
        let html = content.value().unwrap();
        assert!(html.starts_with("<blockquote><p>"), "{html}");
        let first_word = text.split_whitespace().next().unwrap();
        let escaped = first_word.replace('&', "&amp;").replace('"', "&quot;");
        assert!(html.contains(&escaped.replace('\'', "&#39;")), "{html}");
    }
}

#[test]
fn ids_are_stable_across_windows_and_the_feed_revalidates() {
    let server = TestServer::start();
    let (_, week) = fetch(&server, "/today.atom?date=2025-01-10");
    assert_eq!(week.entries().len(), 7, "seven days by default");
    check_required(&week);
    let (_, month) = fetch(&server, "/today.atom?date=2025-01-10&days=31");
    assert_eq!(month.entries().len(), 31);
    check_required(&month);
    for (a, b) in week.entries().iter().zip(month.entries()) {
        assert_eq!(a.id(), b.id());
        assert_eq!(a.content(), b.content());
    }
    let r = server.get("/today.atom");
    let etag = r.header("etag").expect("etag").to_string();
    assert!(r.header("expires").is_some());
    assert_eq!(
        server
            .get_with("/today.atom", &[("If-None-Match", &etag)])
            .status,
        304
    );
    for bad in [
        "days=0",
        "days=32",
        "days=many",
        "date=2025-13-01",
        "format=json",
    ] {
        let r = server.get_with(
            &format!("/today.atom?{bad}"),
            &[("Accept", "application/json")],
        );
        assert_eq!(r.status, 400, "{bad}");
    }
    let r = server.get_with(
        "/today.atom?tag=no-such-tag",
        &[("Accept", "application/json")],
    );
    assert_eq!(r.status, 404);
    let (_, doc) = server.json("/openapi.json");
    let op = &doc["paths"]["/today.atom"]["get"];
    assert!(
        op["responses"]["200"]["content"]["application/atom+xml"].is_object(),
        "{op}"
    );
    assert!(op["parameters"].to_string().contains("\"days\""), "{op}");
}

/// A venv with feedparser under the target dir, made once; `Err` says why there is none.
fn feedparser() -> Result<std::path::PathBuf, String> {
    let venv = Path::new(env!("CARGO_TARGET_TMPDIR")).join("feedparser-venv");
    let python = venv.join("bin/python");
    let ready = || {
        Command::new(&python)
            .args(["-c", "import feedparser"])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if ready() {
        return Ok(python);
    }
    let made = Command::new("python3")
        .args(["-m", "venv"])
        .arg(&venv)
        .output()
        .map_err(|e| format!("python3 not found: {e}"))?;
    if !made.status.success() {
        return Err(format!(
            "python3 -m venv failed: {}",
            String::from_utf8_lossy(&made.stderr)
        ));
    }
    let pip = Command::new(venv.join("bin/pip"))
        .args([
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "feedparser==6.*",
        ])
        .output()
        .map_err(|e| format!("pip did not run: {e}"))?;
    if !pip.status.success() || !ready() {
        return Err(format!(
            "pip install feedparser failed: {}",
            String::from_utf8_lossy(&pip.stderr)
        ));
    }
    Ok(python)
}

const CHECK: &str = r#"
import sys, feedparser
d = feedparser.parse(sys.stdin.buffer.read())
assert not d.bozo, d.get("bozo_exception")
assert d.version == "atom10", d.version
assert d.feed.id and d.feed.title and d.feed.updated_parsed
for e in d.entries:
    assert e.id and e.title and e.updated_parsed and e.summary and e.content, e
    assert e.content[0].type == "text/html", e.content[0].type
    assert e.summary_detail.type == "text/plain", e.summary_detail.type
print(len(d.entries), d.entries[0].updated, d.entries[0].author)
"#;

#[test]
fn python_feedparser_reads_the_feed_as_valid_atom() {
    let python = match feedparser() {
        Ok(python) => python,
        Err(why) => {
            println!("SKIPPED: feedparser unavailable ({why})");
            return;
        }
    };
    let server = TestServer::start();
    let (body, _) = fetch(
        &server,
        "/today.atom?collection=pratchett&date=2024-03-05&days=3",
    );
    let mut child = Command::new(python)
        .args(["-c", CHECK])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(body.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.starts_with("3 2024-03-05T00:00:00Z "), "{stdout}");
}
