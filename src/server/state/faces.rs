//! What each face serves: the loaded snapshot and, for each face, the snapshot with that
//! face's denied quotes left out (see [`crate::corpus::policy`]), swapped in together.

use super::Snapshot;
use crate::corpus::{Denied, Face, PendingCheck, Policy};
use arc_swap::Guard;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// The snapshots, with what is built on first use (indexes, sort orders, word indexes)
/// building in the background so that few requests pay for it (one that comes sooner waits
/// for the part it needs), and then the `check` of large files, whose findings are logged.
///
/// The thread holds the snapshots only while it works on them: a reload in the meantime frees
/// the old corpus without waiting for the rest.
pub(super) fn prepared(served: Served, check: PendingCheck) -> Arc<Served> {
    let served = Arc::new(served);
    let weak = Arc::downgrade(&served);
    let spawned = std::thread::Builder::new()
        .name("epigraph-index".into())
        .spawn(move || {
            let steps: [&dyn Fn(&Served); 3] = [
                &|s| s.distinct().iter().for_each(|snapshot| snapshot.complete()),
                &|s| {
                    for snapshot in s.distinct() {
                        snapshot.corpus.word_index();
                    }
                },
                &|s| {
                    let keep_going = || !s.check_stopped.load(Ordering::Relaxed);
                    match check.run_while(&s.loaded.corpus, &keep_going) {
                        Some(findings) => findings.iter().for_each(|f| tracing::warn!("{f}")),
                        None => tracing::info!("check of the files stopped: a reload began"),
                    }
                },
            ];
            for step in steps {
                match weak.upgrade() {
                    Some(served) => step(&served),
                    None => return,
                }
            }
            release_free_memory();
        });
    if let Err(err) = spawned {
        tracing::warn!("indexes will be built on first use: {err}");
    }
    served
}

/// Hands the memory freed by a load's temporary structures back to the system. glibc keeps
/// freed blocks for reuse, and after the check of a million quotes that is about 100 MB the
/// process would otherwise hold for good (docs/corpus.md).
fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns unused heap pages; it is safe to call at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// The loaded snapshot and the one each face serves. Faces with the same denied set share one
/// snapshot, and with no rule at all every face shares the loaded one, so serving costs what
/// it did before rules existed.
#[derive(Debug)]
pub(super) struct Served {
    pub(super) loaded: Arc<Snapshot>,
    /// Indexed by `Face as usize`.
    faces: [Arc<Snapshot>; Face::ALL.len()],
    /// Set when a reload begins: the background check of these files stops, and its memory
    /// is freed before the new corpus is built beside this one.
    check_stopped: AtomicBool,
}

impl Served {
    /// Stops the background check of these files, if it still runs (see `check_stopped`).
    pub(super) fn stop_check(&self) {
        self.check_stopped.store(true, Ordering::Relaxed);
    }

    /// Whether [`Served::stop_check`] was called.
    #[cfg(test)]
    pub(super) fn check_is_stopped(&self) -> bool {
        self.check_stopped.load(Ordering::Relaxed)
    }

    pub(super) fn new(loaded: Snapshot, policy: &Policy) -> Served {
        Served::with(Arc::new(loaded), policy)
    }

    pub(super) fn with(loaded: Arc<Snapshot>, policy: &Policy) -> Served {
        let mut made: Vec<(Denied, Arc<Snapshot>)> = vec![(Denied::default(), loaded.clone())];
        let faces = Face::ALL.map(|face| {
            // No server route shows the motd face; `epigraph motd` applies its own rules.
            let denied = match face {
                Face::Motd => Denied::default(),
                _ => policy.denied(face),
            };
            if let Some((_, snapshot)) = made.iter().find(|(d, _)| *d == denied) {
                return Arc::clone(snapshot);
            }
            let snapshot = Arc::new(Snapshot::new(loaded.corpus.restricted(&denied)));
            made.push((denied, Arc::clone(&snapshot)));
            snapshot
        });
        Served {
            loaded,
            faces,
            check_stopped: AtomicBool::new(false),
        }
    }

    /// Each snapshot once.
    fn distinct(&self) -> Vec<&Snapshot> {
        let mut all: Vec<&Arc<Snapshot>> = vec![&self.loaded];
        for face in &self.faces {
            if !all.iter().any(|s| Arc::ptr_eq(s, face)) {
                all.push(face);
            }
        }
        all.into_iter().map(|s| &**s).collect()
    }
}

/// A face's snapshot (or the loaded one), held for as long as a request needs it.
pub struct Current {
    pub(super) served: Guard<Arc<Served>>,
    pub(super) face: Option<Face>,
}

impl Current {
    /// The snapshot itself, to keep beyond this guard.
    pub fn shared(&self) -> Arc<Snapshot> {
        match self.face {
            Some(face) => Arc::clone(&self.served.faces[face as usize]),
            None => Arc::clone(&self.served.loaded),
        }
    }
}

impl std::ops::Deref for Current {
    type Target = Snapshot;

    fn deref(&self) -> &Snapshot {
        match self.face {
            Some(face) => &self.served.faces[face as usize],
            None => &self.served.loaded,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::AppState;
    use crate::corpus::{Corpus, Face, Policy};

    fn same(a: &super::Snapshot, b: &super::Snapshot) -> bool {
        std::ptr::eq(a, b)
    }

    #[test]
    fn without_rules_every_face_is_the_loaded_snapshot_and_rules_make_only_what_differs() {
        let state = AppState::from_corpus(Corpus::embedded().0);
        let loaded = state.loaded();
        for face in Face::ALL {
            assert!(same(&state.face(face), &loaded), "{face:?}");
        }
        let rule = |text: &str| text.parse().unwrap();
        let warnings = state.set_policy(Policy::new(
            vec![rule("chat:death"), rule("qotd:death")],
            vec![rule("http:pratchett"), rule("all:nosuch")],
        ));
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        let (http, feed, chat, qotd) = (
            state.face(Face::Http),
            state.face(Face::Feed),
            state.face(Face::Chat),
            state.face(Face::Qotd),
        );
        assert!(
            same(&http, &feed),
            "an http rule covers the feed: one snapshot"
        );
        assert!(same(&chat, &qotd), "the same denied set: one snapshot");
        assert!(!same(&http, &chat) && !same(&http, &state.loaded()));
        assert!(same(&state.face(Face::Motd), &state.loaded()));
        assert!(http.corpus.collection("pratchett").is_none());
        assert!(chat.corpus.quotes().iter().all(|q| !q.has_tag("death")));
        assert!(chat.corpus.collection("pratchett").is_some());
        assert!(chat.corpus.quotes().len() < state.loaded().corpus.quotes().len());
    }
}
