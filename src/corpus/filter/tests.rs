//! Tag queries, filters, their canonical keys and suggestions, on small corpora.

use super::*;
use crate::corpus::Source;

fn corpus() -> Corpus {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a");
    let b = dir.path().join("b");
    let text_a = "short\n\t-- Ann Author, W\n%% tags: x, y\n%\n\
                  longer text here\n\t-- Bob, W\n%% tags: x\n%\n";
    std::fs::write(&a, text_a).unwrap();
    std::fs::write(&b, "z only\n\t-- Ann Author, V\n%% tags: z\n%\n").unwrap();
    Corpus::load(&[Source::file(a), Source::file(b)]).0
}

fn select(corpus: &Corpus, filter: Filter) -> Vec<u32> {
    corpus.select(&filter).unwrap()
}

fn tags(expr: &str) -> Filter {
    Filter {
        tags: TagQuery::parse(expr),
        ..Filter::default()
    }
}

#[test]
fn tag_queries_and_or() {
    let c = corpus();
    assert_eq!(select(&c, tags("x")), [0, 1]);
    assert_eq!(select(&c, tags("x,y")), [0]);
    assert_eq!(select(&c, tags("y|z")), [0, 2]);
    assert_eq!(select(&c, tags("X , Y|z")), [0, 2]);
    let both = TagQuery::parse("x").and(&TagQuery::parse("y|z"));
    assert_eq!(both.any_of, [vec!["x", "y"], vec!["x", "z"]]);
    let filter = Filter {
        tags: both,
        ..Filter::default()
    };
    assert_eq!(select(&c, filter), [0]);
}

#[test]
fn collection_author_and_length() {
    let c = corpus();
    let mut f = Filter {
        collections: vec!["b".into()],
        ..Filter::default()
    };
    assert_eq!(select(&c, f.clone()), [2]);
    f.collections.clear();
    f.author = Some("ann author".into());
    assert_eq!(select(&c, f.clone()), [0, 2]);
    f.author = Some("ann".into());
    f.tags = TagQuery::parse("x");
    assert_eq!(select(&c, f), [0]);
    let f = Filter {
        max_length: Some(25),
        ..Filter::default()
    };
    assert_eq!(select(&c, f), [0, 2]);
    let f = Filter {
        min_length: Some(26),
        max_length: Some(1000),
        ..Filter::default()
    };
    assert_eq!(select(&c, f), [1]);
    let f = Filter {
        max_bytes: Some(25),
        ..Filter::default()
    };
    assert_eq!(select(&c, f), [0, 2]);
    assert_eq!(select(&c, Filter::default()), [0, 1, 2]);
}

#[test]
fn key_is_canonical() {
    assert_eq!(tags("b,a|c").key(), tags("C|A,B").key());
    assert_ne!(tags("a").key(), tags("b").key());
    assert_eq!(
        Filter::default().key(),
        "tags=;collections=;author=;length=..;bytes=.."
    );
}

#[test]
fn unknown_names_suggest_close_ones() {
    let c = corpus();
    let err = c.select(&tags("yy")).unwrap_err();
    assert!(matches!(err, FilterError::UnknownTag { .. }));
    let f = Filter {
        collections: vec!["bb".into()],
        ..Filter::default()
    };
    let err = c.select(&f).unwrap_err();
    assert_eq!(err.suggestions(), ["b"]);
    assert!(err.to_string().contains("did you mean b?"), "{err}");
    let f = Filter {
        author: Some("Zed".into()),
        ..Filter::default()
    };
    let err = c.select(&f).unwrap_err();
    assert!(matches!(err, FilterError::UnknownAuthor { .. }));
}
