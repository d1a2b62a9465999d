//! A collection's text for one pass over it (`-m`, filtered picks): a plain UTF-8 file is
//! mapped into memory rather than read, which saves copying it and faulting in fresh pages
//! for the copy, about a third of a search's time at 150 MB (docs/corpus.md). Anything else
//! (rot13, invalid UTF-8, embedded text) is read as [`Source::read`] reads it.

use super::source::SourceText;
use super::{LoadError, Source, regular};
use crate::diagnostic::Diagnostic;
use crate::parser::decode;
use memmap2::Mmap;

/// The text of one source, mapped or read.
#[derive(Debug)]
pub enum SourceView {
    /// A file mapped as it is: valid UTF-8 from `start` (past a byte-order mark).
    Mapped {
        /// The whole file.
        map: Mmap,
        /// Where the text starts.
        start: usize,
    },
    /// Text read into memory, with its warnings.
    Read(SourceText),
}

impl SourceView {
    /// The text.
    pub fn text(&self) -> &str {
        match self {
            // Checked when mapped; checked again rather than trusted, because the file could
            // have changed under the map since.
            SourceView::Mapped { map, start } => std::str::from_utf8(&map[*start..]).unwrap_or(""),
            SourceView::Read(read) => &read.text,
        }
    }

    /// Problems met while reading (invalid UTF-8 and the like).
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            SourceView::Mapped { .. } => &[],
            SourceView::Read(read) => &read.diagnostics,
        }
    }
}

impl Source {
    /// The text to read once, mapped when that gives the same text as [`Source::read`].
    pub fn view(&self) -> Result<SourceView, LoadError> {
        if let Some(view) = self.path().and_then(|path| self.map_plain(path)) {
            return Ok(view);
        }
        self.read().map(SourceView::Read)
    }

    /// The file mapped, when it is non-empty, valid UTF-8 without NUL bytes, and not rotated.
    fn map_plain(&self, path: &std::path::Path) -> Option<SourceView> {
        let file = regular::open(path).ok()?;
        // SAFETY: the map is only read, and its bytes are checked as UTF-8 each time they are
        // viewed as text; a file truncated while mapped is the hazard every mmap reader
        // accepts (ripgrep's too): the process may be stopped by SIGBUS.
        let map = unsafe { Mmap::map(&file) }.ok()?;
        if map.is_empty() || self.is_rotated() {
            return None;
        }
        let mut warnings = Vec::new();
        let text = decode(&map, &self.label(), &mut warnings).ok()?;
        let std::borrow::Cow::Borrowed(text) = text else {
            return None;
        };
        let start = map.len().checked_sub(text.len())?;
        warnings
            .is_empty()
            .then_some(SourceView::Mapped { map, start })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::strfile::{FLAG_ROTATED, write_fortune_file};

    #[test]
    fn a_view_holds_the_text_a_read_gives_and_maps_only_plain_files() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, bytes: &[u8]| {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).unwrap();
            Source::file(path)
        };
        let (rotated, mut dat) = write_fortune_file(["Uryyb, jbeyq.\n"]);
        dat[16..20].copy_from_slice(&FLAG_ROTATED.to_be_bytes());
        std::fs::write(dir.path().join("rotated.dat"), &dat).unwrap();
        let cases = [
            (write("plain", b"One.\n%\nTwo.\n"), true),
            (write("bom", b"\xEF\xBB\xBFOne.\n%\n"), true),
            (write("latin1", b"Caf\xe9.\n%\n"), false),
            (write("empty", b""), false),
            (write("rotated", rotated.as_bytes()), false),
            (Source::embedded_all().remove(0), false),
        ];
        for (source, mapped) in cases {
            let view = source.view().unwrap();
            let read = source.read().unwrap();
            assert_eq!(view.text(), read.text, "{}", source.label());
            assert_eq!(view.diagnostics(), read.diagnostics, "{}", source.label());
            assert_eq!(
                matches!(view, SourceView::Mapped { .. }),
                mapped,
                "{}",
                source.label()
            );
        }
        assert!(Source::file(dir.path()).view().is_err());
    }
}
