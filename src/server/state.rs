//! Shared server state: the corpus behind an atomically swapped `Arc`, what the routes
//! precompute from it, each face's view of it under the deny rules, the `--quotes` paths it
//! reloads from, and the metrics.

mod faces;
mod json_cache;

use super::losses;
use super::metrics::Metrics;
use crate::corpus::{Corpus, Face, PendingCheck, Policy};
use crate::diagnostic::{Diagnostic, Severity};
use actix_web::web::Bytes;
use arc_swap::ArcSwap;
pub use faces::Current;
use faces::{Served, prepared};
use rayon::slice::ParallelSliceMut;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::SystemTime;

/// One loaded corpus and the orderings the list endpoints sort by.
#[derive(Debug)]
pub struct Snapshot {
    /// The quotes.
    pub corpus: Corpus,
    /// For each sort order, the rank of every quote in it (index = quote index), made on first
    /// use or by [`Snapshot::complete`].
    ranks: [OnceLock<Vec<u32>>; 3],
    /// When this corpus was loaded.
    pub loaded_at: SystemTime,
    /// A number unique to this snapshot in the process (keys the per-worker caches).
    pub generation: u64,
    /// Every quote index in corpus order (see [`Snapshot::every`]).
    every: OnceLock<Vec<u32>>,
    /// The JSON of quotes served lately.
    json: json_cache::JsonCache,
    /// The quotes fitting each `fit=` value asked for, shared by the workers.
    pub fits: super::fits::Fits,
}

/// Orders of list results.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    /// By quote id (stable across replicas and file order).
    Id,
    /// Shortest first, then by id.
    Length,
    /// By collection name, then by id.
    Collection,
    /// As the answer ranks them: best match first for `/search`, corpus order elsewhere.
    Relevance,
}

impl Sort {
    /// The names accepted in `sort=`.
    pub const NAMES: &'static [&'static str] = &["id", "length", "collection", "relevance"];

    /// Parses a `sort=` value.
    pub fn parse(name: &str) -> Option<Sort> {
        match name {
            "id" => Some(Sort::Id),
            "length" => Some(Sort::Length),
            "collection" => Some(Sort::Collection),
            "relevance" => Some(Sort::Relevance),
            _ => None,
        }
    }

    /// The name used in links.
    pub fn name(self) -> &'static str {
        match self {
            Sort::Id => "id",
            Sort::Length => "length",
            Sort::Collection => "collection",
            Sort::Relevance => "relevance",
        }
    }
}

impl Snapshot {
    /// Indexes a corpus for serving.
    pub fn new(corpus: Corpus) -> Snapshot {
        static GENERATION: AtomicU64 = AtomicU64::new(1);
        let json = json_cache::JsonCache::new(corpus.quotes().len());
        Snapshot {
            corpus,
            ranks: Default::default(),
            every: OnceLock::new(),
            loaded_at: SystemTime::now(),
            generation: GENERATION.fetch_add(1, Ordering::Relaxed),
            json,
            fits: Default::default(),
        }
    }

    /// Builds now what is otherwise built on first use: the corpus's indexes and the sort
    /// orders (a server does it just after each load, so that few requests pay for a sort).
    pub fn complete(&self) {
        self.corpus.complete_indexes();
        for sort in [Sort::Id, Sort::Length, Sort::Collection] {
            self.ranks(sort);
        }
    }

    /// The rank of every quote in `sort` (not [`Sort::Relevance`], which has none).
    fn ranks(&self, sort: Sort) -> &[u32] {
        let Some(slot) = self.ranks.get(sort as usize) else {
            return &[];
        };
        slot.get_or_init(|| {
            let corpus = &self.corpus;
            let quotes = corpus.quotes();
            let q = |i: &u32| &quotes[*i as usize];
            let order = match sort {
                Sort::Id => corpus.in_id_order(),
                Sort::Length => {
                    let mut order: Vec<u32> = (0..quotes.len() as u32).collect();
                    order.par_sort_unstable_by_key(|i| (corpus.char_len(*i), q(i).id, *i));
                    order
                }
                Sort::Collection | Sort::Relevance => {
                    let mut order: Vec<u32> = (0..quotes.len() as u32).collect();
                    order.par_sort_unstable_by(|a, b| {
                        let name = |i: &u32| corpus.collection_of(q(i)).name.as_str();
                        (name(a), q(a).id, *a).cmp(&(name(b), q(b).id, *b))
                    });
                    order
                }
            };
            let mut ranks = vec![0u32; order.len()];
            for (r, &i) in order.iter().enumerate() {
                ranks[i as usize] = r as u32;
            }
            ranks
        })
    }

    /// The JSON object of quote `index` (see [`super::render::json::QuoteJson`]), serialized
    /// once while it stays among the quotes served lately (all of them in a small corpus).
    pub fn quote_json(&self, index: u32) -> Bytes {
        self.json
            .get_or_make(index, || match self.corpus.quotes().get(index as usize) {
                Some(quote) => super::render::json::quote(quote, &self.corpus, None).into(),
                None => Bytes::from_static(b"{}"),
            })
    }

    /// Sorts quote indexes in place by `sort`, or only the first `needed` of them (the rest
    /// follow in no particular order): a page of a million needs only its own in order.
    pub fn sort(&self, indexes: &mut [u32], sort: Sort, needed: usize) {
        if sort == Sort::Relevance {
            return;
        }
        let ranks = self.ranks(sort);
        let rank = |i: &u32| ranks.get(*i as usize).copied().unwrap_or(u32::MAX);
        if needed < indexes.len() {
            indexes.select_nth_unstable_by_key(needed, rank);
            indexes[..needed].sort_unstable_by_key(rank);
        } else {
            indexes.sort_unstable_by_key(rank);
        }
    }

    /// Every quote index in corpus order, made once.
    pub fn every(&self) -> &[u32] {
        self.every
            .get_or_init(|| (0..self.corpus.quotes().len() as u32).collect())
    }
}

/// Why the corpus could not be (re)loaded: every diagnostic, errors among them.
#[derive(Debug, thiserror::Error)]
#[error("{} error(s) loading collections", self.errors().count())]
pub struct LoadFailure(pub Vec<Diagnostic>);

impl LoadFailure {
    /// The error diagnostics.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.severity == Severity::Error)
    }
}

struct Shared {
    served: ArcSwap<Served>,
    /// The deny rules (`--deny-tag`, `--deny-collection`), applied at every (re)load.
    policy: ArcSwap<Policy>,
    paths: Vec<PathBuf>,
    metrics: Metrics,
    strict_reload: AtomicBool,
}

/// Cheaply clonable handle to everything the handlers share.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("paths", &self.0.paths)
            .field("quotes", &self.loaded().corpus.quotes().len())
            .finish()
    }
}

impl AppState {
    /// Serves an already built corpus; [`AppState::reload`] then reloads nothing but the
    /// embedded collections.
    pub fn from_corpus(corpus: Corpus) -> AppState {
        AppState::with(corpus, PendingCheck::default(), Vec::new())
    }

    /// Loads the embedded collections plus `paths` (files or directories). Fails on any error
    /// diagnostic; returns the warnings.
    pub fn load(paths: Vec<PathBuf>) -> Result<(AppState, Vec<Diagnostic>), LoadFailure> {
        let (corpus, warnings, check) = load_corpus(&paths, None)?;
        Ok((AppState::with(corpus, check, paths), warnings))
    }

    /// Like [`AppState::load`], but a broken file does not stop the start: it is left out and
    /// reported among the returned diagnostics, and everything else serves.
    pub fn load_what_loads(paths: Vec<PathBuf>) -> (AppState, Vec<Diagnostic>) {
        let (corpus, mut diagnostics, check) = Corpus::load_paths_checked(&paths);
        diagnostics.extend(losses::empty_files(&corpus, &diagnostics));
        let check = check_now_if_small(&corpus, check, &mut diagnostics);
        (AppState::with(corpus, check, paths), diagnostics)
    }

    fn with(corpus: Corpus, check: PendingCheck, paths: Vec<PathBuf>) -> AppState {
        let policy = Policy::default();
        let served = Served::new(Snapshot::new(corpus), &policy);
        AppState(Arc::new(Shared {
            served: ArcSwap::new(prepared(served, check)),
            policy: ArcSwap::from_pointee(policy),
            paths,
            metrics: Metrics::default(),
            strict_reload: AtomicBool::new(false),
        }))
    }

    /// The whole loaded corpus, no deny rule applied: for counts and logs, never for quotes a
    /// face shows (see [`AppState::face`]). Cheap, and stays valid across a concurrent reload.
    pub fn loaded(&self) -> Current {
        Current {
            served: self.0.served.load(),
            face: None,
        }
    }

    /// The corpus `face` serves: the loaded one less what the deny rules deny there (the same
    /// snapshot as [`AppState::loaded`] when nothing is denied). Cheap, and stays valid across
    /// a concurrent reload.
    pub fn face(&self, face: Face) -> Current {
        Current {
            served: self.0.served.load(),
            face: Some(face),
        }
    }

    /// Applies deny rules from now on: each face's corpus is made again from the loaded one at
    /// once, and at every reload. Returns a warning for each rule naming a tag or collection
    /// the corpus does not have.
    pub fn set_policy(&self, policy: Policy) -> Vec<Diagnostic> {
        let loaded = Arc::clone(&self.0.served.load().loaded);
        let warnings = policy.unknown_names(&loaded.corpus);
        let served = Served::with(loaded, &policy);
        self.0.policy.store(Arc::new(policy));
        self.0
            .served
            .store(prepared(served, PendingCheck::default()));
        warnings
    }

    /// Makes later reloads refuse to lose a collection or load an empty file
    /// (`--strict-reload`) instead of only warning.
    pub fn set_strict_reload(&self, strict: bool) {
        self.0.strict_reload.store(strict, Ordering::Relaxed);
    }

    /// The request and quote counters.
    pub fn metrics(&self) -> &Metrics {
        &self.0.metrics
    }

    /// Reads the `--quotes` paths again and swaps the new corpus in at once. On any error
    /// diagnostic the old corpus stays and every diagnostic is returned; on success, the
    /// warnings are returned. A collection that had quotes and is gone, or a file with no
    /// quotes, is a warning, or under `--strict-reload` an error.
    pub fn reload(&self) -> Result<Vec<Diagnostic>, LoadFailure> {
        self.install(self.load_again())
    }

    /// The first half of [`AppState::reload`]: reads and checks the `--quotes` paths, and
    /// changes nothing. A reload that is given up on stops here, so what it read late is
    /// never served.
    pub fn load_again(&self) -> Result<Reloaded, LoadFailure> {
        // The files are parsed and checked again: the check still running on the corpus now
        // served would only hold its memory through the load (about 90 MB at a million).
        self.0.served.load().stop_check();
        // Files unchanged since the corpus now served read them share its text.
        let served = self.0.served.load_full();
        let (corpus, mut warnings, check) =
            load_corpus(&self.0.paths, Some(&served.loaded.corpus))?;
        drop(served);
        let mut lost = losses::lost_collections(&self.loaded().corpus, &corpus);
        lost.extend(losses::empty_files(&corpus, &warnings));
        if self.0.strict_reload.load(Ordering::Relaxed) && !lost.is_empty() {
            warnings.extend(losses::as_errors(lost));
            return Err(LoadFailure(warnings));
        }
        warnings.extend(lost);
        let policy = self.0.policy.load();
        warnings.extend(policy.unknown_names(&corpus));
        let served = Served::new(Snapshot::new(corpus), &policy);
        Ok(Reloaded {
            served,
            warnings,
            check,
        })
    }

    /// The second half of [`AppState::reload`]: counts the outcome and swaps a loaded corpus
    /// in; the warnings (or the failure) are returned for logging.
    pub fn install(
        &self,
        loaded: Result<Reloaded, LoadFailure>,
    ) -> Result<Vec<Diagnostic>, LoadFailure> {
        let Reloaded {
            served,
            warnings,
            check,
        } = loaded.inspect_err(|_| {
            self.0.metrics.count_reload(false);
        })?;
        self.0.served.store(prepared(served, check));
        // Counted once serving, so whoever sees the count sees the new quotes.
        self.0.metrics.count_reload(true);
        Ok(warnings)
    }
}

/// A corpus read by [`AppState::load_again`], not yet serving.
#[derive(Debug)]
pub struct Reloaded {
    served: Served,
    warnings: Vec<Diagnostic>,
    /// The check of the files, when they are too large to check before serving.
    check: PendingCheck,
}

/// Files with fewer entries than this are checked before they serve, so their findings are
/// logged at once and in order; larger ones after, so that they serve in seconds.
const CHECK_BEFORE_SERVING: usize = 100_000;

/// Runs `check` now, into `diagnostics`, when its files are small; what is left to run later.
fn check_now_if_small(
    corpus: &Corpus,
    check: PendingCheck,
    diagnostics: &mut Vec<Diagnostic>,
) -> PendingCheck {
    if check.entries(corpus) >= CHECK_BEFORE_SERVING {
        return check;
    }
    diagnostics.extend(check.run(corpus));
    PendingCheck::default()
}

/// The embedded collections plus `paths`, their warnings and what is left of their check;
/// fails on errors (unlistable paths, unreadable files).
fn load_corpus(
    paths: &[PathBuf],
    previous: Option<&Corpus>,
) -> Result<(Corpus, Vec<Diagnostic>, PendingCheck), LoadFailure> {
    let (corpus, mut warnings, check) = Corpus::load_again_checked(paths, previous);
    if warnings.iter().any(|d| d.severity == Severity::Error) {
        return Err(LoadFailure(warnings));
    }
    let check = check_now_if_small(&corpus, check, &mut warnings);
    Ok((corpus, warnings, check))
}

#[cfg(test)]
mod tests;
