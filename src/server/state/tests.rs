//! Tests of the shared state: reload, swap and sort orders.

use super::*;

#[test]
fn reload_swaps_on_success_and_keeps_the_old_corpus_on_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("extra.fortune");
    std::fs::write(&file, "First extra quote.\n%\n").unwrap();
    let (state, warnings) = AppState::load(vec![file.clone()]).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    let before = state.loaded().corpus.quotes().len();
    std::fs::write(&file, "First extra quote.\n%\nSecond extra quote.\n%\n").unwrap();
    state.reload().unwrap();
    assert_eq!(state.loaded().corpus.quotes().len(), before + 1);
    std::fs::write(&file, b"\0\0binary").unwrap();
    let err = state.reload().unwrap_err();
    assert!(
        err.errors()
            .next()
            .unwrap()
            .to_string()
            .contains("extra.fortune:1")
    );
    assert_eq!(state.loaded().corpus.quotes().len(), before + 1);
    assert!(AppState::load(vec![dir.path().join("missing")]).is_err());
}

#[test]
fn a_reload_stops_the_check_of_the_corpus_it_replaces() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("extra.fortune");
    std::fs::write(&file, "First extra quote.\n%\n").unwrap();
    let (state, _) = AppState::load(vec![file.clone()]).unwrap();
    let first = state.0.served.load_full();
    assert!(!first.check_is_stopped());
    // Stopped as soon as the reload starts, even one that then fails.
    std::fs::write(&file, b"\0\0binary").unwrap();
    assert!(state.reload().is_err());
    assert!(first.check_is_stopped());
    std::fs::write(&file, "Second extra quote.\n%\n").unwrap();
    state.reload().unwrap();
    assert!(!state.0.served.load().check_is_stopped());
}

#[test]
fn sorting_by_rank() {
    let (corpus, _) = Corpus::embedded();
    let snapshot = Snapshot::new(corpus);
    let quotes = snapshot.corpus.quotes();
    let mut all: Vec<u32> = (0..quotes.len() as u32).collect();
    snapshot.sort(&mut all, Sort::Length, usize::MAX);
    assert!(
        all.windows(2)
            .all(|w| { quotes[w[0] as usize].char_len() <= quotes[w[1] as usize].char_len() })
    );
    snapshot.sort(&mut all, Sort::Id, usize::MAX);
    assert!(
        all.windows(2)
            .all(|w| quotes[w[0] as usize].id <= quotes[w[1] as usize].id)
    );
}
