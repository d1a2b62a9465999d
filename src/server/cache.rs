//! Per-worker memo of filter results, so repeated filtered requests (a dashboard polling
//! `/random?tag=...`, a CDN revalidating `/today?tag=...`) skip building the filter and scanning
//! the corpus. Each worker thread keeps its own table, so there is no lock; a table belongs to
//! one corpus generation and is dropped when a reload swaps the corpus.
//!
//! Results are stored under a key naming the filter's values; a second map sends each query
//! string seen to its result, so a repeated request finds it without building that key (and
//! the pages of one listing, whose query strings differ, still share one result).
//!
//! The table is bounded by bytes, not only by entries: each worker keeps at most
//! [`budget`] bytes of results and keys (four unfiltered results' worth, 16 bytes per loaded
//! quote, and at least 64 KiB), so the whole server holds at most workers × that, whatever the
//! number of distinct filters clients send. Past the budget the table starts afresh.
//!
//! What is cheaper to recompute is not stored: a request filtered by length alone (or not
//! filtered) takes a range of the corpus's length-sorted index, so distinct `max_length`
//! values cannot churn the table.

use super::errors::ApiError;
use super::params::{AUTHOR, COLLECTION, FIT, TAG};
use super::query::Params;
use super::state::Snapshot;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// Entries kept per worker before the table is cleared.
const MAX_ENTRIES: usize = 512;

/// Bytes of stored results and keys a worker may hold for a corpus of `quotes` quotes.
pub fn budget(quotes: usize) -> usize {
    (quotes * 16).max(64 * 1024)
}

#[derive(Default)]
struct Table {
    generation: u64,
    entries: HashMap<String, Rc<[u32]>>,
    /// Query string to the result of its filter (the same `Rc` as in `entries`).
    by_query: HashMap<String, Rc<[u32]>>,
    /// What the stored results and keys take, counting each result once per map that holds
    /// it (a result shared with `entries` is counted again, which errs on the safe side).
    bytes: usize,
}

impl Table {
    /// Empties the table when it belongs to another corpus than `snapshot`.
    fn for_snapshot(&mut self, snapshot: &Snapshot) -> &mut Table {
        if self.generation != snapshot.generation {
            self.generation = snapshot.generation;
            self.clear();
        }
        self
    }

    fn clear(&mut self) {
        self.entries.clear();
        self.by_query.clear();
        self.bytes = 0;
    }

    /// Makes room for an entry of `bytes` within the budget of `snapshot`'s corpus, clearing
    /// the table if it would not fit. Both maps go together, so no result outlives its count.
    fn make_room(&mut self, snapshot: &Snapshot, bytes: usize) {
        let full = self.entries.len() >= MAX_ENTRIES || self.by_query.len() >= MAX_ENTRIES;
        if full || self.bytes + bytes > budget(snapshot.corpus.quotes().len()) {
            self.clear();
        }
        self.bytes += bytes;
    }
}

/// The bytes an entry takes: its key, its result, and a map slot's overhead.
fn cost(key: &str, value: &[u32]) -> usize {
    key.len() + std::mem::size_of_val(value) + 64
}

/// Bytes this worker's table holds now (for tests and for judging the budget).
pub fn stored_bytes() -> usize {
    TABLE.with(|table| table.borrow().bytes)
}

thread_local! {
    static TABLE: RefCell<Table> = RefCell::new(Table::default());
}

/// The result stored under `key` for this corpus, computing (and storing) it if needed.
/// Errors are returned, not stored.
pub fn memo(
    snapshot: &Snapshot,
    key: String,
    compute: impl FnOnce() -> Result<Vec<u32>, ApiError>,
) -> Result<Rc<[u32]>, ApiError> {
    let found = TABLE.with(|table| {
        let mut table = table.borrow_mut();
        table.for_snapshot(snapshot).entries.get(&key).cloned()
    });
    if let Some(found) = found {
        return Ok(found);
    }
    let value: Rc<[u32]> = compute()?.into();
    TABLE.with(|table| {
        let mut table = table.borrow_mut();
        let table = table.for_snapshot(snapshot);
        table.make_room(snapshot, cost(&key, &value));
        table.entries.insert(key, Rc::clone(&value));
    });
    Ok(value)
}

/// Quote indexes passing a request's filters: a stored result, or one made for this request
/// alone. Either way it reads as a slice.
#[derive(Debug, Clone)]
pub enum Candidates<'s> {
    /// From (or now in) this worker's table.
    Stored(Rc<[u32]>),
    /// Made for this request and not stored.
    Fresh(Vec<u32>),
    /// A range of the length-sorted index, shortest first (see [`pool`]).
    Lengths(&'s [u32]),
    /// Every quote, in corpus order ([`Snapshot::every`]).
    Every(&'s [u32]),
}

impl std::ops::Deref for Candidates<'_> {
    type Target = [u32];

    fn deref(&self) -> &[u32] {
        match self {
            Candidates::Stored(stored) => stored,
            Candidates::Fresh(fresh) => fresh,
            Candidates::Lengths(range) | Candidates::Every(range) => range,
        }
    }
}

/// The range of the length-sorted index a request's filters select, when they are only
/// `min_length` and `max_length` (or none); the range is checked (min above max is a 400).
fn by_length_alone<'s>(
    snapshot: &'s Snapshot,
    params: &Params,
) -> Result<Option<&'s [u32]>, ApiError> {
    if [&TAG, &COLLECTION, &AUTHOR, &FIT]
        .iter()
        .any(|spec| params.has(spec))
    {
        return Ok(None);
    }
    let filter = params.filter()?;
    Ok(Some(
        snapshot
            .corpus
            .length_range(filter.min_length, filter.max_length),
    ))
}

/// The quotes passing the request's filter parameters (all quotes when there are none), in
/// corpus order.
pub fn candidates<'s>(snapshot: &'s Snapshot, params: &Params) -> Result<Candidates<'s>, ApiError> {
    if let Some(range) = by_length_alone(snapshot, params)? {
        if range.len() == snapshot.corpus.quotes().len() {
            return Ok(Candidates::Every(snapshot.every()));
        }
        let mut ordered = range.to_vec();
        ordered.sort_unstable();
        return Ok(Candidates::Fresh(ordered));
    }
    stored(snapshot, params).map(Candidates::Stored)
}

/// Like [`candidates`] in no particular order, for uniform picks: a length-only filter then
/// costs two binary searches and no copy.
pub fn pool<'s>(snapshot: &'s Snapshot, params: &Params) -> Result<Candidates<'s>, ApiError> {
    if let Some(range) = by_length_alone(snapshot, params)? {
        return Ok(Candidates::Lengths(range));
    }
    stored(snapshot, params).map(Candidates::Stored)
}

/// The stored result of the request's filter, computing and storing it if needed.
fn stored(snapshot: &Snapshot, params: &Params) -> Result<Rc<[u32]>, ApiError> {
    let query = params.raw();
    let seen = TABLE.with(|table| {
        let mut table = table.borrow_mut();
        table.for_snapshot(snapshot).by_query.get(query).cloned()
    });
    if let Some(seen) = seen {
        return Ok(seen);
    }
    let found = memo(snapshot, params.filter_key(), || {
        let mut found = snapshot.corpus.select(&params.filter()?)?;
        if let Some(fit) = params.fit()? {
            let fitting = snapshot.fits.fitting(&snapshot.corpus, fit);
            found.retain(|i| fitting.binary_search(i).is_ok());
        }
        Ok(found)
    })?;
    TABLE.with(|table| {
        let mut table = table.borrow_mut();
        let table = table.for_snapshot(snapshot);
        table.make_room(snapshot, cost(query, &found));
        table.by_query.insert(query.to_owned(), Rc::clone(&found));
    });
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Corpus;

    #[test]
    fn memoizes_per_generation() {
        let a = Snapshot::new(Corpus::embedded().0);
        let b = Snapshot::new(Corpus::embedded().0);
        assert_ne!(a.generation, b.generation);
        let mut calls = 0;
        for _ in 0..3 {
            let v = memo(&a, "k".into(), || {
                calls += 1;
                Ok(vec![1, 2])
            })
            .unwrap();
            assert_eq!(&*v, &[1, 2]);
        }
        assert_eq!(calls, 1);
        let v = memo(&b, "k".into(), || Ok(vec![3])).unwrap();
        assert_eq!(&*v, &[3]);
        assert!(memo(&b, "e".into(), || Err(ApiError::not_found("x"))).is_err());
        assert_eq!(&*memo(&b, "e".into(), || Ok(vec![4])).unwrap(), &[4]);
    }

    #[test]
    fn the_table_stays_within_its_byte_budget() {
        let a = Snapshot::new(Corpus::embedded().0);
        let quotes = a.corpus.quotes().len();
        let limit = budget(quotes);
        let whole: Vec<u32> = (0..quotes as u32).collect();
        let mut most = 0;
        // Distinct filters, each matching everything: unbounded, 1,000 of them would be 1,000
        // full copies of the index.
        for i in 0..1_000 {
            let v = memo(&a, format!("max_length={i}"), || Ok(whole.clone())).unwrap();
            assert_eq!(v.len(), quotes);
            most = most.max(stored_bytes());
            assert!(stored_bytes() <= limit, "{} > {limit}", stored_bytes());
        }
        assert!(
            most > limit / 2,
            "the budget is used, not just the entry count"
        );
        // A result is still served from the table while it is in it.
        let mut calls = 0;
        for _ in 0..2 {
            memo(&a, "again".into(), || {
                calls += 1;
                Ok(vec![1])
            })
            .unwrap();
        }
        assert_eq!(calls, 1);
    }

    #[test]
    fn a_fit_with_a_tag_is_their_intersection_stored_like_any_filter() {
        use crate::server::params::TAG;
        let a = Snapshot::new(Corpus::embedded().0);
        let fitting = a.fits.fitting(&a.corpus, "40x4".parse().unwrap());
        let allowed = [&TAG, &FIT];
        let get = |query: &str| match candidates(&a, &Params::parse(query, &allowed).unwrap()) {
            Ok(Candidates::Stored(stored)) => stored,
            other => panic!("{query}: not stored: {:?}", other.map(|c| c.to_vec())),
        };
        let both = get("tag=death&fit=40x4");
        assert!(Rc::ptr_eq(&both, &get("tag=death&fit=40x4")));
        // A fit alone is stored too (not answered from the length index).
        assert_eq!(*get("fit=40x4"), *fitting);
        let expected: Vec<u32> = get("tag=death")
            .iter()
            .copied()
            .filter(|i| fitting.contains(i))
            .collect();
        assert!(!expected.is_empty());
        assert_eq!(*both, *expected);
    }

    #[test]
    fn query_strings_of_one_filter_share_one_result() {
        use crate::server::params::{FORMAT, MAX_LENGTH, PAGE, TAG};
        let allowed = [&FORMAT, &TAG, &MAX_LENGTH, &PAGE];
        let a = Snapshot::new(Corpus::embedded().0);
        let get = |snapshot: &Snapshot, query: &str| {
            stored(snapshot, &Params::parse(query, &allowed).unwrap()).unwrap()
        };
        let first = get(&a, "tag=death&max_length=300");
        assert!(!first.is_empty());
        let all_match = first.iter().all(|&i| {
            let quote = &a.corpus.quotes()[i as usize];
            quote.has_tag("death") && quote.text().chars().count() <= 300
        });
        assert!(all_match);
        // The same query again, another page, another order: the same stored result.
        for query in [
            "tag=death&max_length=300",
            "tag=death&max_length=300&page=2",
            "max_length=300&format=json&tag=death",
        ] {
            assert!(Rc::ptr_eq(&first, &get(&a, query)), "{query}");
        }
        let other = get(&a, "tag=death&max_length=100");
        assert!(other.len() < first.len());
        // Another corpus generation starts afresh.
        let b = Snapshot::new(Corpus::embedded().0);
        let again = get(&b, "tag=death&max_length=300");
        assert!(!Rc::ptr_eq(&first, &again));
        assert_eq!(*first, *again);
    }

    #[test]
    fn length_filters_take_no_table_space_and_answer_as_before() {
        use crate::server::params::{MAX_LENGTH, MIN_LENGTH, TAG};
        let allowed = [&TAG, &MIN_LENGTH, &MAX_LENGTH];
        let a = Snapshot::new(Corpus::embedded().0);
        let params = |query: &'static str| Params::parse(query, &allowed).unwrap();
        // Something stored first, so "unchanged" is not "empty".
        candidates(&a, &params("tag=death")).unwrap();
        let before = stored_bytes();
        assert!(before > 0);
        for max in 5..1_005 {
            let query: &'static str = format!("min_length=5&max_length={max}").leak();
            let found = candidates(&a, &params(query)).unwrap();
            assert!(matches!(found, Candidates::Fresh(_)), "{query}");
            let filter = params(query).filter().unwrap();
            assert_eq!(*found, a.corpus.select(&filter).unwrap()[..], "{query}");
            let mut picked = pool(&a, &params(query)).unwrap().to_vec();
            picked.sort_unstable();
            assert_eq!(picked, *found, "{query}");
            assert_eq!(stored_bytes(), before, "{query} took table space");
        }
        let all = candidates(&a, &params("")).unwrap();
        assert_eq!(all.len(), a.corpus.quotes().len());
        assert_eq!(stored_bytes(), before);
        // A range upside down is still refused, naming the parameter.
        let err = candidates(&a, &params("min_length=9&max_length=3")).unwrap_err();
        assert_eq!(
            (err.status, err.parameter.as_deref()),
            (400, Some("min_length"))
        );
    }
}
