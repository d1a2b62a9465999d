//! Fit to size, as a person meets it: over HTTP (`fit=` on /random, /today, /quotes and
//! /search) and on the command line (`--fit`, `motd --fit`). Every quote served under a fit is
//! rendered here the way its place shows it and measured (lines and display columns, or
//! characters), over every embedded quote and every preset; small collections pin exact
//! answers; bad values are a 400 naming `fit` or a one-line CLI error.

#[path = "common/server.rs"]
mod common;

use common::TestServer;
use epigraph::integrations::{escape, qotd};
use epigraph::layout::{entry, unwrapped};
use serde_json::Value;
use std::collections::BTreeSet;
use std::process::Command;
use textwrap::core::display_width;

/// How a place shows a quote, and whether that fits, measured from the outside.
fn fits_as_shown(fit: &str, text: &str) -> bool {
    let chars = |s: &str| s.chars().count();
    match fit {
        "motd" => fits_cells(&entry(text, 72), 72, 8),
        "tmux" => {
            let line: Vec<String> = unwrapped(text)
                .lines()
                .map(|l| l.trim().to_string())
                .collect();
            let line: Vec<&str> = line
                .iter()
                .map(String::as_str)
                .filter(|l| !l.is_empty())
                .collect();
            display_width(&line.join(" ")) <= 80
        }
        "slack" => chars(&escape::slack(&unwrapped(text))) <= 3000,
        "discord" => chars(&escape::discord(&unwrapped(text))) <= 2000,
        "qotd" => {
            let message = qotd::render(text);
            message.len() < 512 && message.is_ascii()
        }
        "sms" => chars(&unwrapped(text)) <= 160,
        boxed => {
            let (cols, rows) = cells(boxed).unwrap();
            fits_cells(&entry(text, cols), cols, rows)
        }
    }
}

/// The columns and rows of a `COLSxROWS` fit.
fn cells(fit: &str) -> Option<(usize, usize)> {
    let (cols, rows) = fit.split_once('x')?;
    Some((cols.parse().ok()?, rows.parse().ok()?))
}

/// At most `rows` lines, none wider than `cols` columns.
fn fits_cells(shown: &str, cols: usize, rows: usize) -> bool {
    shown.lines().count() <= rows && shown.lines().all(|l| display_width(l) <= cols)
}

/// Every quote `/quotes?QUERY` lists: (id, whole entry).
fn listed(server: &TestServer, query: &str) -> Vec<(String, String)> {
    let mut all = Vec::new();
    for page in 1..=100 {
        let (status, body) = server.json(&format!("/quotes?{query}&limit=100&page={page}"));
        assert_eq!(status, 200, "{query}: {body}");
        for q in body["results"].as_array().unwrap() {
            all.push((
                q["id"].as_str().unwrap().into(),
                q["display"].as_str().unwrap().into(),
            ));
        }
        if body["links"]["next"].is_null() {
            return all;
        }
    }
    panic!("too many pages");
}

const FITS: [&str; 10] = [
    "motd", "tmux", "slack", "discord", "qotd", "sms", "40x4", "30x3", "60x6", "100x2",
];

#[test]
fn every_quote_served_under_a_fit_fits_and_every_one_that_fits_is_served() {
    let server = TestServer::start();
    let everything = listed(&server, "sort=id");
    assert!(everything.len() > 300);
    for fit in FITS {
        let served: BTreeSet<String> = listed(&server, &format!("fit={fit}"))
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        let expected: BTreeSet<String> = everything
            .iter()
            .filter(|(_, text)| fits_as_shown(fit, text))
            .map(|(id, _)| id.clone())
            .collect();
        assert_eq!(served, expected, "fit={fit}");
        assert!(!served.is_empty(), "fit={fit} leaves something");
        // A random quote (and today's) under the fit, as plain text, fits as it is shown.
        for target in [format!("/random?fit={fit}"), format!("/today?fit={fit}")] {
            for _ in 0..10 {
                let r = server.get(&target);
                assert_eq!(r.status, 200, "{target}");
                let (_, json) = server.json(&target.replace("?", "?format=json&"));
                assert!(served.contains(json["id"].as_str().unwrap()), "{target}");
                let shown = r.text();
                if let Some((cols, rows)) = cells(fit) {
                    assert!(fits_cells(&shown, cols, rows), "{target}:\n{shown}");
                } else if fit == "tmux" {
                    assert!(fits_cells(&shown, 80, 1), "{target}:\n{shown}");
                } else if fit == "motd" {
                    assert!(fits_cells(&shown, 72, 8), "{target}:\n{shown}");
                }
            }
        }
    }
}

const CASES: &str = "%% name: fit-cases
%
One two three four five six seven eight nine ten.
\t-- Counter
%
Short.
%
A rather longer quote that goes on about nothing in particular for quite a while, so that it \
needs a good many lines at any narrow width, and more than one text message, and is never a \
status line by any stretch of the imagination.
\t-- Someone Verbose, Collected Rambles
%
";

#[test]
fn small_collections_give_exact_answers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fit-cases.fortune");
    std::fs::write(&path, CASES).unwrap();
    let server = TestServer::with_paths(&[&path]);
    let texts = |query: &str| -> Vec<String> {
        let query = format!("collection=fit-cases&{query}");
        let mut firsts: Vec<String> = listed(&server, &query)
            .into_iter()
            .map(|(_, t)| t.lines().next().unwrap().to_string())
            .collect();
        firsts.sort();
        firsts
    };
    let (counter, short, long) = (
        "One two three four five six seven eight nine ten.",
        "Short.",
        "A rather longer quote that goes on about nothing in particular for quite a while, so that it needs a good many lines at any narrow width, and more than one text message, and is never a status line by any stretch of the imagination.",
    );
    assert_eq!(texts("fit=20x4"), [counter, short]);
    assert_eq!(texts("fit=20x3"), [short]);
    assert_eq!(texts("fit=60x2"), [counter, short]);
    assert_eq!(texts("fit=tmux"), [counter, short]);
    assert_eq!(texts("fit=sms"), [counter, short]);
    assert_eq!(texts("fit=80x5"), [long, counter, short]);
    assert_eq!(texts("fit=qotd"), [long, counter, short]);
    // The text answer is laid out to the box; the status line is one line.
    let r = server.get("/random?collection=fit-cases&fit=20x3");
    assert_eq!(r.text(), "Short.\n");
    let r = server.get("/today?collection=fit-cases&fit=20x3");
    assert_eq!(r.text(), "Short.\n");
    for _ in 0..10 {
        let r = server.get("/random?collection=fit-cases&fit=tmux&max_length=100");
        let shown = r.text();
        assert!(
            shown == "One two three four five six seven eight nine ten. -- Counter\n"
                || shown == "Short.\n",
            "{shown:?}"
        );
    }
    let (status, found) = server.json("/search?collection=fit-cases&q=rather&fit=80x5");
    assert_eq!((status, found["count"].as_u64()), (200, Some(1)));
    let (status, found) = server.json("/search?collection=fit-cases&q=rather&fit=sms");
    assert_eq!(status, 200);
    assert_eq!(found["count"], 0, "{found}");
}

#[test]
fn bad_fits_are_400s_naming_fit() {
    let server = TestServer::start();
    for value in [
        "10x2", "abc", "", "20x0", "72X8", "1001x1", "x", "72x8x1", "%FF",
    ] {
        for path in ["/random", "/today", "/quotes", "/search?q=the&x=1"] {
            let target = match path.split_once("&x=1") {
                Some((p, _)) => format!("{p}&fit={value}"),
                None => format!("{path}?fit={value}"),
            };
            let (status, body): (u16, Value) = server.json(&target);
            assert_eq!(status, 400, "{target}: {body}");
            assert_eq!(body["error"]["parameter"], "fit", "{target}: {body}");
        }
    }
    let (_, body) = server.json("/random?fit=10x2");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("COLSxROWS") && message.contains("motd"),
        "{message}"
    );
}

fn epigraph(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_epigraph"))
        .args(args)
        .env_remove("EPIGRAPH_MOTD_WIDTH")
        .output()
        .unwrap()
}

#[test]
fn the_cli_prints_only_what_fits_as_it_is_shown() {
    for seed in 0..25 {
        let seed = seed.to_string();
        let out = epigraph(&["--fit", "40x4", "--seed", &seed]);
        assert!(out.status.success(), "{out:?}");
        let shown = String::from_utf8(out.stdout).unwrap();
        assert!(fits_cells(&shown, 40, 4), "seed {seed}:\n{shown}");
        let out = epigraph(&["--fit", "tmux", "--seed", &seed]);
        let shown = String::from_utf8(out.stdout).unwrap();
        assert!(fits_cells(&shown, 80, 1), "seed {seed}:\n{shown}");
    }
    for day in 1..=20 {
        let date = format!("2026-03-{day:02}");
        let out = epigraph(&["motd", "--box", "--fit", "40x6", "--date", &date]);
        assert!(out.status.success(), "{out:?}");
        let shown = String::from_utf8(out.stdout).unwrap();
        assert!(fits_cells(&shown, 40, 6), "{date}:\n{shown}");
        assert!(shown.starts_with("+--"), "boxed: {shown}");
    }
    for args in [
        &["--fit", "10x2"][..],
        &["--fit", "huge"],
        &["motd", "--fit", "0x0"],
    ] {
        let out = epigraph(args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        assert!(
            stderr.starts_with("epigraph: ") && stderr.contains("is not a fit"),
            "{stderr}"
        );
    }
    let out = epigraph(&["--fit", "20x1"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "epigraph: no quote matches: none fits 20x1; try a larger fit\n"
    );
}
