//! Per-worker memo of filter results, so repeated filtered requests (a dashboard polling
//! `/random?tag=...`, a CDN revalidating `/today?tag=...`) skip building the filter and scanning
//! the corpus. Each worker thread keeps its own table, so there is no lock; a table belongs to
//! one corpus generation and is dropped when a reload swaps the corpus.
//!
//! Results are stored under a key naming the filter's values; a second map sends each query
//! string seen to its result, so a repeated request finds it without building that key (and
//! the pages of one listing, whose query strings differ, still share one result).

use super::errors::ApiError;
use super::query::Params;
use super::state::Snapshot;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// Entries kept per worker before the table is cleared.
const MAX_ENTRIES: usize = 512;

#[derive(Default)]
struct Table {
    generation: u64,
    entries: HashMap<String, Rc<[u32]>>,
    /// Query string to the result of its filter (the same `Rc` as in `entries`).
    by_query: HashMap<String, Rc<[u32]>>,
}

impl Table {
    /// Empties the table when it belongs to another corpus than `snapshot`.
    fn for_snapshot(&mut self, snapshot: &Snapshot) -> &mut Table {
        if self.generation != snapshot.generation {
            self.generation = snapshot.generation;
            self.entries.clear();
            self.by_query.clear();
        }
        self
    }
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
        if table.entries.len() >= MAX_ENTRIES {
            table.entries.clear();
        }
        table.entries.insert(key, Rc::clone(&value));
    });
    Ok(value)
}

/// The quotes passing the request's filter parameters (all quotes when there are none).
pub fn candidates(snapshot: &Snapshot, params: &Params) -> Result<Rc<[u32]>, ApiError> {
    let query = params.raw();
    let seen = TABLE.with(|table| {
        let mut table = table.borrow_mut();
        table.for_snapshot(snapshot).by_query.get(query).cloned()
    });
    if let Some(seen) = seen {
        return Ok(seen);
    }
    let found = memo(snapshot, params.filter_key(), || {
        Ok(snapshot.corpus.select(&params.filter()?)?)
    })?;
    TABLE.with(|table| {
        let mut table = table.borrow_mut();
        if table.by_query.len() >= MAX_ENTRIES {
            table.by_query.clear();
        }
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
    fn query_strings_of_one_filter_share_one_result() {
        use crate::server::params::{FORMAT, MAX_LENGTH, PAGE, TAG};
        let allowed = [&FORMAT, &TAG, &MAX_LENGTH, &PAGE];
        let a = Snapshot::new(Corpus::embedded().0);
        let get = |snapshot: &Snapshot, query: &str| {
            candidates(snapshot, &Params::parse(query, &allowed).unwrap()).unwrap()
        };
        let first = get(&a, "tag=death&max_length=300");
        assert!(!first.is_empty());
        let all_match = first.iter().all(|&i| {
            let quote = &a.corpus.quotes()[i as usize];
            quote.tags.iter().any(|t| t == "death") && quote.text.chars().count() <= 300
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
}
