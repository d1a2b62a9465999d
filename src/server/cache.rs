//! Per-worker memo of filter results, so repeated filtered requests (a dashboard polling
//! `/random?tag=...`, a CDN revalidating `/today?tag=...`) skip building the filter and scanning
//! the corpus. Each worker thread keeps its own table, so there is no lock; a table belongs to
//! one corpus generation and is dropped when a reload swaps the corpus.

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
        if table.generation != snapshot.generation {
            table.generation = snapshot.generation;
            table.entries.clear();
        }
        table.entries.get(&key).cloned()
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
    memo(snapshot, params.filter_key(), || {
        Ok(snapshot.corpus.select(&params.filter()?)?)
    })
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
}
