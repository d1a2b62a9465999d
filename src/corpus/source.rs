//! Where collection text comes from: the collections embedded in the binary, or files.

use super::regular;
use super::seek::IndexedFile;
use crate::diagnostic::Diagnostic;
use crate::parser::{DecodeError, count_entries, decode, rot13};
use crate::quote::arena::MAX_ARENA_BYTES;
use include_dir::{Dir, include_dir};
use std::borrow::Cow;
use std::io;
use std::path::{Path, PathBuf};

/// The `quotes/` directory, compiled into the binary.
static EMBEDDED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/quotes");

/// File name endings stripped to form a collection name.
const EXTENSIONS: &[&str] = &[".fortune", ".txt"];

/// Files in a directory that are never collections: indexes, links, editor and VCS leftovers.
const SKIPPED_SUFFIXES: &[&str] = &[".dat", ".u8", ".pos", "~", ".md", ".json", ".bak", ".orig"];

/// Where a collection's text lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Compiled into the binary.
    Embedded(&'static str),
    /// A file on disk.
    File(PathBuf),
}

/// One collection file, not yet read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// Collection name: the file name without `.fortune`/`.txt`.
    pub name: String,
    /// Where the text is.
    pub origin: Origin,
}

/// Why a source could not be read.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file could not be opened or read.
    #[error("{path}: cannot read: {source}")]
    Io {
        /// The file.
        path: String,
        /// What the OS said.
        source: io::Error,
    },
    /// The file is binary.
    #[error("{path}:{line}: not a collection: binary data (is it a .dat index?)")]
    Binary {
        /// The file.
        path: String,
        /// Line of the first NUL byte.
        line: usize,
    },
    /// The file is larger than one collection may be.
    #[error(
        "{path}: cannot read: {bytes} bytes is more than one collection file may hold (2 GiB); split it"
    )]
    TooLarge {
        /// The file.
        path: String,
        /// Its size.
        bytes: usize,
    },
}

impl LoadError {
    /// The error as a diagnostic, with the file and (where known) the line.
    pub fn diagnostic(&self) -> Diagnostic {
        match self {
            LoadError::Io { path, source } => {
                Diagnostic::error(path, None, format!("cannot read: {source}"))
            }
            LoadError::TooLarge { path, bytes } => Diagnostic::error(
                path,
                None,
                format!(
                    "cannot read: {bytes} bytes is more than one collection file may hold (2 GiB); split it"
                ),
            ),
            LoadError::Binary { path, line } => Diagnostic::error(
                path,
                Some(*line),
                "not a collection: binary data (is it a .dat index?)",
            ),
        }
    }
}

/// Decoded text of a source with what was noticed while decoding.
#[derive(Debug)]
pub struct SourceText {
    /// The text, rot13 already undone.
    pub text: Cow<'static, str>,
    /// Warnings such as invalid UTF-8.
    pub diagnostics: Vec<Diagnostic>,
}

impl Source {
    /// All embedded collections, sorted by name.
    pub fn embedded_all() -> Vec<Source> {
        let mut sources: Vec<Source> = EMBEDDED
            .files()
            .filter_map(|file| {
                let name = file.path().file_name()?.to_str()?;
                let text = file.contents_utf8()?;
                is_collection_name(name).then(|| Source {
                    name: collection_name(name),
                    origin: Origin::Embedded(text),
                })
            })
            .collect();
        sources.sort_by(|a, b| a.name.cmp(&b.name));
        sources
    }

    /// The embedded collection called `name`.
    pub fn embedded(name: &str) -> Option<Source> {
        Source::embedded_all().into_iter().find(|s| s.name == name)
    }

    /// A collection file at `path`.
    pub fn file(path: impl Into<PathBuf>) -> Source {
        let path = path.into();
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        Source {
            name: collection_name(&file_name),
            origin: Origin::File(path),
        }
    }

    /// The collection files directly inside `dir` (not recursive), sorted by name.
    ///
    /// Hidden files, `.dat` indexes, `.u8` links and editor leftovers are skipped.
    pub fn dir(dir: &Path) -> io::Result<Vec<Source>> {
        Source::dir_checked(dir).map(|(sources, _)| sources)
    }

    /// Like [`Source::dir`], with a warning for each entry that is left out although it looks
    /// like a collection: a FIFO, socket or device (reading it could block), a dangling link
    /// or a link loop. Subdirectories are skipped without a word.
    pub fn dir_checked(dir: &Path) -> io::Result<(Vec<Source>, Vec<Diagnostic>)> {
        let mut sources = Vec::new();
        let mut skipped = Vec::new();
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if !is_collection_name(&name) {
                continue;
            }
            let path = entry.path();
            // The directory listing already knows plain files; only links need a stat.
            let reason = match entry.file_type() {
                Ok(kind) if kind.is_file() => None,
                Ok(kind) if kind.is_dir() => continue,
                Ok(kind) if kind.is_symlink() => match std::fs::metadata(&path) {
                    Ok(meta) if meta.is_file() => None,
                    Ok(meta) if meta.is_dir() => continue,
                    Ok(meta) => Some(regular::kind_name(&meta).to_string()),
                    Err(err) => Some(regular::broken_link_reason(&err)),
                },
                Ok(_) => Some(std::fs::symlink_metadata(&path).map_or_else(
                    |err| format!("cannot tell what it is ({err})"),
                    |meta| regular::kind_name(&meta).to_string(),
                )),
                Err(err) => Some(format!("cannot tell what it is ({err})")),
            };
            match reason {
                None => sources.push(Source::file(path)),
                Some(reason) => skipped.push(Diagnostic::warning(
                    &path.display().to_string(),
                    None,
                    format!("skipped: {reason}, not a regular file"),
                )),
            }
        }
        sources.sort_by(|a, b| a.name.cmp(&b.name));
        skipped.sort_by(|a, b| a.file.cmp(&b.file));
        Ok((sources, skipped))
    }

    /// The embedded collections, then what each of `paths` names (a file, or the collection
    /// files of a directory, see [`Source::dir_checked`]), with a diagnostic for each
    /// directory that cannot be listed and each entry skipped.
    pub fn all_for<P: AsRef<Path>>(paths: &[P]) -> (Vec<Source>, Vec<Diagnostic>) {
        let mut sources = Source::embedded_all();
        let mut diagnostics = Vec::new();
        for path in paths.iter().map(AsRef::as_ref) {
            if !path.is_dir() {
                sources.push(Source::file(path));
                continue;
            }
            match Source::dir_checked(path) {
                Ok((found, skipped)) => {
                    sources.extend(found);
                    diagnostics.extend(skipped);
                }
                Err(err) => diagnostics.push(Diagnostic::error(
                    &path.display().to_string(),
                    None,
                    format!("cannot list directory: {err}"),
                )),
            }
        }
        (sources, diagnostics)
    }

    /// The collections a path names: the file itself, or the files of a directory.
    pub fn expand(path: &Path) -> io::Result<Vec<Source>> {
        if path.is_dir() {
            Source::dir(path)
        } else if path.exists() {
            Ok(vec![Source::file(path)])
        } else {
            Err(io::Error::new(
                io::ErrorKind::NotFound,
                format!("{}: no such file or directory", path.display()),
            ))
        }
    }

    /// How the source is named to users: the path for files, the name for embedded ones.
    pub fn label(&self) -> String {
        match &self.origin {
            Origin::Embedded(_) => self.name.clone(),
            Origin::File(path) => path.display().to_string(),
        }
    }

    /// The file path, if the source is a file.
    pub fn path(&self) -> Option<&Path> {
        match &self.origin {
            Origin::File(path) => Some(path),
            Origin::Embedded(_) => None,
        }
    }

    /// Reads and decodes the text (rot13 undone when the `.dat` index says so).
    pub fn read(&self) -> Result<SourceText, LoadError> {
        let mut diagnostics = Vec::new();
        let path = match &self.origin {
            Origin::Embedded(text) => {
                return Ok(SourceText {
                    text: Cow::Borrowed(text),
                    diagnostics,
                });
            }
            Origin::File(path) => path,
        };
        let label = self.label();
        let bytes = regular::read(path).map_err(|source| LoadError::Io {
            path: label.clone(),
            source,
        })?;
        if bytes.len() > MAX_ARENA_BYTES {
            return Err(LoadError::TooLarge {
                path: label,
                bytes: bytes.len(),
            });
        }
        // Valid UTF-8 (the usual case) keeps the read buffer as the text, with no copy.
        let decoded = match decode(&bytes, &label, &mut diagnostics) {
            Ok(Cow::Owned(text)) => Err(text),
            Ok(Cow::Borrowed(text)) => Ok(bytes.len() - text.len()),
            Err(DecodeError::Binary { line }) => {
                return Err(LoadError::Binary { path: label, line });
            }
        };
        let text = match decoded {
            Err(text) => text,
            // What decode dropped before the text: a byte-order mark.
            Ok(dropped) => {
                let mut bytes = bytes;
                bytes.drain(..dropped);
                String::from_utf8(bytes)
                    .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
            }
        };
        let text = if self.is_rotated() {
            rot13(&text)
        } else {
            text
        };
        Ok(SourceText {
            text: Cow::Owned(text),
            diagnostics,
        })
    }

    /// Number of entries, from an up-to-date `.dat` index when there is one, else by scanning.
    pub fn count(&self) -> Result<usize, LoadError> {
        // Only the index's header and last offset are read, as for a plain pick.
        if let Some(indexed) = self.indexed() {
            return Ok(indexed.len());
        }
        Ok(count_entries(&self.read()?.text))
    }

    /// Whether an up-to-date `.dat` index says the file is rot13-encoded.
    pub(super) fn is_rotated(&self) -> bool {
        self.indexed().is_some_and(|indexed| indexed.is_rotated())
    }

    /// The file with its `.dat` index, if it has one that matches it.
    fn indexed(&self) -> Option<IndexedFile> {
        IndexedFile::open(self.path()?)
    }
}

fn is_collection_name(name: &str) -> bool {
    !name.starts_with('.')
        && !SKIPPED_SUFFIXES.iter().any(|s| name.ends_with(s))
        && !name.eq_ignore_ascii_case("readme")
}

fn collection_name(file_name: &str) -> String {
    EXTENSIONS
        .iter()
        .find_map(|ext| file_name.strip_suffix(ext))
        .unwrap_or(file_name)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::strfile::write_fortune_file;

    #[test]
    fn embedded_collections_are_listed_by_name() {
        let names: Vec<String> = Source::embedded_all().into_iter().map(|s| s.name).collect();
        for expected in ["article-lines", "pratchett", "tax-forms"] {
            assert!(names.iter().any(|n| n == expected), "{names:?}");
        }
        assert!(Source::embedded("pratchett").is_some());
        assert!(Source::embedded("nope").is_none());
    }

    #[test]
    fn directory_listing_skips_indexes_and_hidden_files() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["b.fortune", "a", "a.dat", "a.u8", ".hidden", "notes~"] {
            std::fs::write(dir.path().join(name), "x\n%\n").unwrap();
        }
        let names: Vec<String> = Source::dir(dir.path())
            .unwrap()
            .into_iter()
            .map(|s| s.name)
            .collect();
        assert_eq!(names, ["a", "b"]);
    }

    #[test]
    fn counts_from_a_fresh_index_and_ignores_a_stale_one() {
        let dir = tempfile::tempdir().unwrap();
        let (text, dat) = write_fortune_file(["a\n", "b\n"]);
        let path = dir.path().join("f");
        std::fs::write(&path, &text).unwrap();
        std::fs::write(dir.path().join("f.dat"), &dat).unwrap();
        assert_eq!(Source::file(&path).count().unwrap(), 2);
        // The text grew after strfile ran: the index no longer fits, so the text is counted.
        std::fs::write(&path, format!("{text}c\n%\n")).unwrap();
        assert_eq!(Source::file(&path).count().unwrap(), 3);
    }

    #[test]
    fn rotated_files_are_decoded_and_binary_files_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("off");
        std::fs::write(&path, "Uryyb\n%\n").unwrap();
        let mut dat = write_fortune_file(["Uryyb\n"]).1;
        dat[19] = 4; // FLAG_ROTATED
        std::fs::write(dir.path().join("off.dat"), dat).unwrap();
        assert_eq!(Source::file(&path).read().unwrap().text, "Hello\n%\n");
        std::fs::write(&path, b"\0\0").unwrap();
        let err = Source::file(&path).read().unwrap_err();
        assert!(err.to_string().contains(":1: not a collection"), "{err}");
        let missing = Source::file(dir.path().join("missing")).read().unwrap_err();
        assert!(missing.to_string().contains("cannot read"));
    }
}
