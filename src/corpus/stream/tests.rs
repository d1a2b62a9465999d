//! The streamed selection answers exactly as the corpus does, on the embedded collections and
//! on Debian's fortune files.

use super::*;
use crate::corpus::{Corpus, Filter, TagQuery};

/// The filters to compare on a corpus: its tags alone, in pairs and as alternatives, its
/// collections, authors named exactly and in part, lengths, and mixes of them.
fn filters_for(corpus: &Corpus) -> Vec<Filter> {
    let tags: Vec<&str> = corpus.tags().into_iter().map(|(t, _)| t).take(6).collect();
    let mut filters = Vec::new();
    for (i, tag) in tags.iter().enumerate() {
        let other = tags[(i + 1) % tags.len()];
        for expr in [
            tag.to_string(),
            format!("{tag},{other}"),
            format!("{tag}|{other}"),
        ] {
            filters.push(Filter {
                tags: TagQuery::parse(&expr),
                ..Filter::default()
            });
        }
    }
    for collection in corpus.collections().iter().take(4) {
        filters.push(Filter {
            collections: vec![collection.name.clone()],
            max_bytes: Some(160),
            ..Filter::default()
        });
    }
    let authors: Vec<String> = corpus
        .quotes()
        .iter()
        .filter_map(|q| q.author().map(str::to_string))
        .take(200)
        .step_by(40)
        .collect();
    for author in authors {
        let part = author
            .split_whitespace()
            .last()
            .unwrap_or(&author)
            .to_lowercase();
        for wanted in [author.to_uppercase(), part] {
            filters.push(Filter {
                author: Some(wanted),
                ..Filter::default()
            });
        }
    }
    filters.push(Filter {
        min_bytes: Some(400),
        ..Filter::default()
    });
    filters.push(Filter {
        tags: TagQuery::parse(tags.first().copied().unwrap_or_default()),
        max_bytes: Some(120),
        min_length: Some(40),
        ..Filter::default()
    });
    filters
}

fn assert_same_answers(sources: &[Source]) {
    let (corpus, _) = Corpus::load(sources);
    let filters = filters_for(&corpus);
    assert!(
        filters.len() > 10,
        "too few filters to compare: {}",
        filters.len()
    );
    for filter in &filters {
        let expected = corpus.select(filter).unwrap_or_default();
        let Some(streamed) = select(sources, filter) else {
            assert!(
                expected.is_empty(),
                "{filter:?}: the stream gave up on {} matches",
                expected.len()
            );
            continue;
        };
        let sizes: Vec<usize> = corpus.collections().iter().map(|c| c.len()).collect();
        assert_eq!(streamed.sizes, sizes, "{filter:?}");
        let got: Vec<u32> = streamed.candidates().iter().map(|&(_, i)| i).collect();
        assert_eq!(got, expected, "{filter:?}");
        for &i in expected.iter().step_by(expected.len().div_ceil(25).max(1)) {
            let want = &corpus.quotes()[i as usize];
            let (name, quote) = streamed.quote(i).expect("a matching entry parses");
            assert_eq!(name, corpus.collection_of(want).name);
            assert_eq!(&quote, want);
            assert_eq!(
                quote.tags().collect::<Vec<_>>(),
                want.tags().collect::<Vec<_>>()
            );
            assert_eq!(quote.author(), want.author());
            assert_eq!(quote.work(), want.work());
        }
    }
}

#[test]
fn the_embedded_collections_stream_as_the_corpus_selects() {
    assert_same_answers(&Source::embedded_all());
}

#[test]
fn debian_fortunes_stream_as_the_corpus_selects() {
    if crate::layout::tests::debian_fortunes().is_none() {
        return;
    }
    let sources = Source::dir(std::path::Path::new("/usr/share/games/fortunes")).unwrap();
    assert_same_answers(&sources);
}

#[test]
fn names_the_files_lack_leave_the_answer_to_the_corpus() {
    let sources = Source::embedded_all();
    let (corpus, _) = Corpus::load(&sources);
    let tag = corpus.tags()[0].0.to_string();
    let unknown = [
        // One alternative exists, but the corpus still reports the unknown tag.
        Filter {
            tags: TagQuery::parse(&format!("{tag}|no-such-tag")),
            ..Filter::default()
        },
        Filter {
            collections: vec!["no-such-collection".into()],
            ..Filter::default()
        },
        Filter {
            author: Some("Nobody By This Name".into()),
            ..Filter::default()
        },
        Filter {
            max_bytes: Some(1),
            ..Filter::default()
        },
    ];
    for filter in unknown {
        assert!(select(&sources, &filter).is_none(), "{filter:?}");
        assert!(corpus.select(&filter).is_err() || corpus.select(&filter).unwrap().is_empty());
    }
}
