//! The corpus at scale: load, filter, pick and word search over seeded synthetic collections
//! of 10k, 100k and 1M entries (benches/synthetic), written to a temp dir and loaded as a
//! user's file would be. `cargo bench --bench scale`; `SCALE_MAX=100000` skips the 1M rows.

#[path = "synthetic/mod.rs"]
mod synthetic;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use epigraph::corpus::words::{Query, WordIndex};
use epigraph::corpus::{Chooser, Corpus, Filter, Source, TagQuery};
use std::hint::black_box;
use std::time::Duration;

fn scale(c: &mut Criterion) {
    let max: usize = std::env::var("SCALE_MAX")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let mut group = c.benchmark_group("scale");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(5));
    for n in [10_000, 100_000, 1_000_000]
        .into_iter()
        .filter(|&n| n <= max)
    {
        let path = dir.path().join(format!("synthetic-{n}.fortune"));
        std::fs::write(&path, synthetic::entries(n, 1).join("%\n")).expect("write");
        let sources = [Source::file(&path)];
        group.bench_with_input(BenchmarkId::new("load", n), &sources, |b, s| {
            b.iter(|| black_box(Corpus::load(s)))
        });
        let (corpus, _) = Corpus::load(&sources);
        let filter = Filter {
            tags: TagQuery::parse("a,b"),
            ..Filter::default()
        };
        group.bench_with_input(
            BenchmarkId::new("select/tag_a_and_b", n),
            &corpus,
            |b, c| b.iter(|| black_box(c.select(&filter).unwrap())),
        );
        let all = corpus.select(&Filter::default()).unwrap();
        let mut chooser = Chooser::seeded(7);
        group.bench_with_input(BenchmarkId::new("pick/uniform", n), &all, |b, all| {
            b.iter(|| black_box(chooser.choose(all)))
        });
        group.bench_with_input(BenchmarkId::new("words/build", n), &corpus, |b, c| {
            b.iter(|| black_box(WordIndex::build(c.quotes())))
        });
        let query = Query::parse("wizard boots").unwrap();
        corpus.word_index();
        group.bench_with_input(BenchmarkId::new("words/two_words", n), &corpus, |b, c| {
            b.iter(|| black_box(c.find_words(&query, None, 20)))
        });
    }
    group.finish();
}

criterion_group!(benches, scale);
criterion_main!(benches);
