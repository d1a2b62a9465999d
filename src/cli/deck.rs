//! `epigraph --deck`: a no-repeat deck whose position is kept between runs in
//! `$XDG_STATE_HOME/epigraph/` (else `~/.local/state/epigraph/`), one state file per set of
//! files and filters, so a login shell shows every matching quote once before any repeats.
//!
//! The state file holds one deck token ([`crate::corpus::deck`]). It is replaced whole by
//! writing a temporary file and renaming it over the old one, and a run holds an exclusive
//! lock on a companion `.lock` file while it reads and advances the deck, so concurrent logins
//! neither corrupt the file nor show the same step. A missing, unreadable or foreign state file
//! (other quotes loaded, or edited by hand) starts a fresh deck without complaint; failing to
//! save the position is a warning, never a lost quote.

use crate::corpus::deck::{Deck, fingerprint};
use crate::corpus::{Corpus, Source};
use sha2::{Digest, Sha256};
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};

/// The directory deck states live in: `$XDG_STATE_HOME/epigraph`, else
/// `$HOME/.local/state/epigraph` (the XDG Base Directory default). A relative
/// `$XDG_STATE_HOME` is ignored, as the specification asks.
pub fn state_dir() -> Option<PathBuf> {
    let absolute = |var: &str| {
        std::env::var_os(var)
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
    };
    match absolute("XDG_STATE_HOME") {
        Some(state) => Some(state.join("epigraph")),
        None => absolute("HOME").map(|home| home.join(".local/state/epigraph")),
    }
}

/// The state file's name for these sources and this filter (its canonical key): one deck per
/// set of files and filters, whatever order the filters were typed in.
pub fn state_name(sources: &[Source], filter_key: &str) -> String {
    let mut hash = Sha256::new();
    hash.update(b"epigraph deck state\0");
    for source in sources {
        hash.update(source.label().as_bytes());
        hash.update(b"\0");
    }
    hash.update(filter_key.as_bytes());
    let digest = hash.finalize();
    let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    format!("deck-{hex}")
}

/// Takes the next step of the deck kept in `dir/name` over `candidates` (indexes into
/// `corpus`): the index of the quote to show. `seed` seeds a fresh deck (random when `None`).
/// `None` only when there are no candidates.
pub fn next(
    dir: Option<&Path>,
    name: &str,
    corpus: &Corpus,
    candidates: &[u32],
    seed: Option<u64>,
) -> Option<u32> {
    let fp = fingerprint(candidates.iter().map(|&i| corpus.quotes()[i as usize].id));
    let fresh = || Deck::new(seed.unwrap_or_else(rand::random), fp);
    let Some(dir) = dir else {
        warn("no state directory ($XDG_STATE_HOME and $HOME are unset); the deck starts afresh");
        return fresh().current(candidates.len()).map(|i| candidates[i]);
    };
    if let Err(err) = fs::create_dir_all(dir) {
        warn(&format!("cannot create {}: {err}", dir.display()));
    }
    let path = dir.join(name);
    // Held until the new position is in place; released when dropped (or the process ends).
    let _lock = lock(&dir.join(format!("{name}.lock")));
    let deck = fs::read_to_string(&path)
        .ok()
        .and_then(|text| Deck::resume(text.trim(), fp).ok())
        .unwrap_or_else(fresh);
    let shown = deck.current(candidates.len())?;
    if let Err(err) = save(&path, &deck.next()) {
        warn(&format!(
            "cannot save the deck in {}: {err}",
            path.display()
        ));
    }
    Some(candidates[shown])
}

/// Writes the deck to a temporary file beside `path` and renames it over `path`, so a reader
/// sees the old state or the new one, never a part.
fn save(path: &Path, deck: &Deck) -> io::Result<()> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("deck");
    let temp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let written = (|| {
        let mut file = File::create(&temp)?;
        writeln!(file, "{}", deck.token())?;
        file.sync_all()
    })();
    match written.and_then(|()| fs::rename(&temp, path)) {
        Ok(()) => Ok(()),
        Err(err) => {
            let _ = fs::remove_file(&temp);
            Err(err)
        }
    }
}

/// An exclusive `flock` on `path` (created if missing); `None` when it cannot be had, in which
/// case the run goes on unlocked: the atomic rename still keeps the state whole.
fn lock(path: &Path) -> Option<File> {
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .ok()?;
    // SAFETY: flock only reads the descriptor, which `file` keeps open.
    let locked = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) } == 0;
    locked.then_some(file)
}

fn warn(message: &str) {
    let _ = writeln!(io::stderr(), "epigraph: warning: {message}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_state_file_per_sources_and_filter() {
        let embedded = Source::embedded_all();
        let a = state_name(&embedded, "tags=death");
        assert_eq!(a, state_name(&embedded, "tags=death"));
        assert_ne!(a, state_name(&embedded, "tags=wizards"));
        assert_ne!(a, state_name(&embedded[1..], "tags=death"));
        assert!(a.starts_with("deck-") && a.len() == 21, "{a}");
    }

    #[test]
    fn a_broken_state_starts_afresh_and_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let (corpus, _) = Corpus::embedded();
        let candidates: Vec<u32> = (0..10).collect();
        std::fs::write(dir.path().join("d"), "garbage\n").unwrap();
        let mut seen = Vec::new();
        for _ in 0..10 {
            seen.push(next(Some(dir.path()), "d", &corpus, &candidates, Some(5)).unwrap());
        }
        seen.sort_unstable();
        assert_eq!(seen, candidates);
        let saved = std::fs::read_to_string(dir.path().join("d")).unwrap();
        assert!(Deck::parse(saved.trim()).is_ok(), "{saved:?}");
        assert_eq!(next(None, "d", &corpus, &[], Some(5)), None);
    }
}
