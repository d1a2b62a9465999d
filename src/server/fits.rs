//! The quotes that fit each `fit=` value asked for, worked out once per loaded corpus and
//! shared by every worker: laying out a large corpus takes a while, and doing it once per
//! worker would multiply both the wait and the work.
//!
//! Each [`super::state::Snapshot`] owns one store, so its sets go with the corpus they were
//! made from. At most [`MAX_FITS`] sets are kept; past that the store starts afresh. A worker
//! that asks while another is laying the same fit out waits for that result instead of
//! repeating it.

use crate::corpus::Corpus;
use crate::layout::fit::Fit;
use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// Distinct fit values kept per corpus.
pub const MAX_FITS: usize = 32;

type Cell = Arc<OnceLock<Arc<[u32]>>>;

/// Fit sets of one corpus.
#[derive(Debug, Default)]
pub struct Fits(Mutex<HashMap<Fit, Cell>>);

impl Fits {
    /// Every quote of `corpus` (index, ascending) that fits `fit`; `corpus` must be the one
    /// this store belongs to.
    pub fn fitting(&self, corpus: &Corpus, fit: Fit) -> Arc<[u32]> {
        let cell = {
            let mut sets = self
                .0
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            if sets.len() >= MAX_FITS && !sets.contains_key(&fit) {
                sets.clear();
            }
            Arc::clone(sets.entry(fit).or_default())
        };
        // Laid out outside the lock, so requests for other fits are not held up.
        Arc::clone(cell.get_or_init(|| {
            let quotes = corpus.quotes();
            (0..quotes.len() as u32)
                .into_par_iter()
                .filter(|&i| fit.fits(quotes[i as usize].text()))
                .collect::<Vec<u32>>()
                .into()
        }))
    }

    /// How many fit sets the store holds.
    pub fn len(&self) -> usize {
        self.0.lock().map_or(0, |sets| sets.len())
    }

    /// Whether the store holds none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_fit_is_laid_out_once_and_shared_between_threads() {
        let (corpus, _) = Corpus::embedded();
        let fits = Fits::default();
        let fit: Fit = "40x4".parse().unwrap();
        let first = fits.fitting(&corpus, fit);
        let all_fit = first
            .iter()
            .all(|&i| fit.fits(corpus.quotes()[i as usize].text()));
        assert!(all_fit && !first.is_empty());
        let other = std::thread::scope(|s| s.spawn(|| fits.fitting(&corpus, fit)).join());
        assert!(Arc::ptr_eq(&first, &other.unwrap()));
        // Another spelling of the same box is the same set.
        let motd = fits.fitting(&corpus, "motd".parse().unwrap());
        assert!(Arc::ptr_eq(
            &motd,
            &fits.fitting(&corpus, "72x8".parse().unwrap())
        ));
        // Many distinct fits stay bounded.
        for rows in 1..=100 {
            fits.fitting(&corpus, Fit::Box { cols: 20, rows });
            assert!(fits.len() <= MAX_FITS);
        }
    }
}
