//! `/search` answers from the word index: folded words, all required, phrases, ranking,
//! filters and pages, against the app on 127.0.0.1:0.

#[path = "common/server.rs"]
mod common;

use common::TestServer;

const FILE: &str = "%% name: searchable
%
The Café was closed on Tuesdays.
\t-- Ann, Notes
%
A cafe, a CAFÉ: three cafés and a very long line of words about coffee that goes on and on
\t-- Bob, Letters
%
Closed? The café!
\t-- Cy, Cards
%
Was the café closed, or was it open?
\t-- Di, Diaries
%
";

fn ids_texts(server: &TestServer, target: &str) -> Vec<String> {
    let (status, list) = server.json(target);
    assert_eq!(status, 200, "{target}: {list}");
    list["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["text"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn words_phrases_ranking_and_filters() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("searchable.fortune");
    std::fs::write(&path, FILE).unwrap();
    let server = TestServer::with_paths(&[&path]);
    let only = "&collection=searchable";
    // Every word must occur; case and accents fold; shorter quotes rank first.
    assert_eq!(
        ids_texts(&server, &format!("/search?q=CAFE+closed{only}")),
        [
            "Closed? The café!",
            "The Café was closed on Tuesdays.",
            "Was the café closed, or was it open?",
        ]
    );
    // A quoted phrase must occur as consecutive words.
    assert_eq!(
        ids_texts(&server, &format!("/search?q=%22cafe+closed%22{only}")),
        ["Was the café closed, or was it open?"]
    );
    // An author's name is searchable too (the attribution is part of what is shown).
    assert_eq!(
        ids_texts(&server, &format!("/search?q=bob+coffee{only}")).len(),
        1
    );
    let (status, empty) = server.json("/search?q=%2C%2C");
    assert_eq!(status, 400);
    assert!(empty.to_string().contains("no words"), "{empty}");
    // Pages of a ranked answer do not overlap.
    let first = ids_texts(&server, &format!("/search?q=cafe{only}&limit=2"));
    let second = ids_texts(&server, &format!("/search?q=cafe{only}&limit=2&page=2"));
    assert_eq!(first.len() + second.len(), 4);
    assert!(first.iter().all(|t| !second.contains(t)));
}
