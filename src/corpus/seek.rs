//! One entry of a file through its strfile `.dat` index, the way fortune-mod picks: the index
//! header, two offsets and the entry itself are all that is read, whatever the file's size.

use super::regular;
use super::strfile::{FLAG_ROTATED, HEADER_LEN};
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;

/// A collection file with an up-to-date `.dat` index beside it.
#[derive(Debug)]
pub struct IndexedFile {
    text: File,
    dat: File,
    entries: u64,
    offset_width: u64,
    flags: u32,
}

fn read_at(file: &mut File, at: u64, buf: &mut [u8]) -> io::Result<()> {
    file.seek(SeekFrom::Start(at))?;
    file.read_exact(buf)
}

impl IndexedFile {
    /// Opens `path` and `path.dat`; `None` when there is no index, or it is not strfile's, or
    /// it does not describe this file (stale after an edit).
    pub fn open(path: &Path) -> Option<IndexedFile> {
        let mut dat_path = path.as_os_str().to_owned();
        dat_path.push(".dat");
        // Regular files only, opened without blocking: a FIFO named `.dat` must not hang us.
        let mut dat = regular::open(Path::new(&dat_path)).ok()?;
        let text = regular::open(path).ok()?;
        let mut header = [0u8; HEADER_LEN];
        read_at(&mut dat, 0, &mut header).ok()?;
        let word = |i: usize| u32::from_be_bytes(header[i..i + 4].try_into().expect("4 bytes"));
        if !matches!(word(0), 1 | 2) {
            return None;
        }
        let entries = u64::from(word(4));
        let table = dat.metadata().ok()?.len().checked_sub(HEADER_LEN as u64)?;
        let offset_width = [4, 8].into_iter().find(|w| table == (entries + 1) * w)?;
        let mut file = IndexedFile {
            text,
            dat,
            entries,
            offset_width,
            flags: word(16),
        };
        let text_len = file.text.metadata().ok()?.len();
        (file.offset(entries).ok()? == text_len).then_some(file)
    }

    /// Number of entries the index lists.
    pub fn len(&self) -> usize {
        self.entries as usize
    }

    /// Whether the index lists no entry.
    pub fn is_empty(&self) -> bool {
        self.entries == 0
    }

    /// Whether the text is rot13-encoded (`strfile -x`).
    pub fn is_rotated(&self) -> bool {
        self.flags & FLAG_ROTATED != 0
    }

    fn offset(&mut self, i: u64) -> io::Result<u64> {
        let at = HEADER_LEN as u64 + i * self.offset_width;
        let mut buf = [0u8; 8];
        let buf = &mut buf[..self.offset_width as usize];
        read_at(&mut self.dat, at, buf)?;
        Ok(buf.iter().fold(0, |acc, &b| (acc << 8) | u64::from(b)))
    }

    /// The bytes of entry `i` (below [`IndexedFile::len`]), without the `%` line that ends it.
    pub fn entry(&mut self, i: usize) -> io::Result<Vec<u8>> {
        let (start, end) = (self.offset(i as u64)?, self.offset(i as u64 + 1)?);
        let len = end
            .checked_sub(start)
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "offsets out of order"))?;
        // An entry is small; a corrupt index must not make us allocate the disk.
        let mut bytes = vec![0u8; len.min(1 << 20) as usize];
        read_at(&mut self.text, start, &mut bytes)?;
        let body_end = match bytes.strip_suffix(b"%\n") {
            Some(rest) if rest.is_empty() || rest.ends_with(b"\n") => rest.len(),
            _ => bytes.len(),
        };
        bytes.truncate(body_end);
        Ok(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::strfile::write_fortune_file;

    #[test]
    fn reads_single_entries_and_refuses_stale_indexes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        let (text, dat) = write_fortune_file(["one\n", "two\nlines\n", "three\n"]);
        std::fs::write(&path, &text).unwrap();
        std::fs::write(dir.path().join("f.dat"), &dat).unwrap();
        let mut file = IndexedFile::open(&path).unwrap();
        assert_eq!(file.len(), 3);
        assert_eq!(file.entry(1).unwrap(), b"two\nlines\n");
        assert_eq!(file.entry(2).unwrap(), b"three\n");
        std::fs::write(&path, format!("{text}four\n%\n")).unwrap();
        assert!(
            IndexedFile::open(&path).is_none(),
            "a stale index is not used"
        );
        std::fs::write(dir.path().join("f.dat"), b"garbage").unwrap();
        assert!(IndexedFile::open(&path).is_none());
    }
}
