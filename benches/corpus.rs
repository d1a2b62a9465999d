//! Core costs: loading the embedded corpus, filtered selection, quote of the day and search.
//! Run with `cargo bench --bench corpus`; compare against the `baseline/*` rows of the same run.

use criterion::{Criterion, criterion_group, criterion_main};
use epigraph::corpus::{Chooser, Corpus, Day, Filter, TagQuery, build_regex, quote_of_the_day};
use epigraph::parser::count_entries;
use std::hint::black_box;

fn corpus(c: &mut Criterion) {
    let (corpus, _) = Corpus::embedded();
    let text: String = corpus.quotes().iter().map(|q| q.text()).collect();

    // Baselines: touching every byte once, and a random index into a vector.
    c.bench_function("baseline/count_newlines", |b| {
        b.iter(|| black_box(text.bytes().filter(|&b| b == b'\n').count()))
    });
    let mut chooser = Chooser::random();
    c.bench_function("baseline/random_index", |b| {
        b.iter(|| black_box(chooser.below(corpus.quotes().len())))
    });

    c.bench_function("load/embedded", |b| {
        b.iter(|| black_box(Corpus::embedded()))
    });
    c.bench_function("load/count_entries", |b| {
        b.iter(|| black_box(count_entries(&text)))
    });

    let filter = Filter {
        tags: TagQuery::parse("death|watch"),
        max_length: Some(200),
        ..Filter::default()
    };
    c.bench_function("select/tag_and_length", |b| {
        b.iter(|| black_box(corpus.select(&filter).unwrap()))
    });
    let all = corpus.select(&Filter::default()).unwrap();
    let day = Day::parse("2026-11-28").unwrap();
    c.bench_function("today/whole_corpus", |b| {
        b.iter(|| black_box(quote_of_the_day(corpus.quotes(), &all, day)))
    });
    let re = build_regex("(?i)death", false).unwrap();
    c.bench_function("search/regex_all", |b| {
        b.iter(|| black_box(corpus.search(&re, &all)))
    });
}

criterion_group!(benches, corpus);
criterion_main!(benches);
