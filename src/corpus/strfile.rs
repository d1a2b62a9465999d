//! Classic `strfile` `.dat` indexes: reading them to count entries cheaply, writing them for
//! export so that Debian's `fortune` reads our collections.
//!
//! Layout (all big-endian u32): version, numstr, longlen, shortlen, flags, then the delimiter
//! byte and three zero bytes; then `numstr + 1` offsets, the last being the text file's size.
//! FreeBSD writes 64-bit offsets; both widths are read.

/// Entries are in random order (`strfile -r`).
pub const FLAG_RANDOM: u32 = 0x1;
/// Entries are sorted (`strfile -o`).
pub const FLAG_ORDERED: u32 = 0x2;
/// The text is rot13-encoded (`strfile -x`), as classic offensive fortunes are.
pub const FLAG_ROTATED: u32 = 0x4;
/// `%%` lines are comments (BSD `strfile -C`).
pub const FLAG_COMMENTS: u32 = 0x8;

/// Bytes of the fixed header before the offset table.
pub const HEADER_LEN: usize = 24;

/// A parsed `.dat` index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatIndex {
    /// Format version (2 on Debian, 1 on FreeBSD).
    pub version: u32,
    /// Number of entries.
    pub numstr: u32,
    /// Longest entry in bytes.
    pub longlen: u32,
    /// Shortest entry in bytes.
    pub shortlen: u32,
    /// `FLAG_*` bits.
    pub flags: u32,
    /// The delimiter character, `%` in practice.
    pub delim: u8,
    /// Start of each entry, then the text file's size.
    pub offsets: Vec<u64>,
}

/// Why bytes are not a usable `.dat` index.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DatError {
    /// Shorter than the 24-byte header.
    #[error("too short for a strfile header ({0} bytes)")]
    TooShort(usize),
    /// A version other than 1 or 2.
    #[error("unknown strfile version {0}")]
    Version(u32),
    /// The offset table does not match `numstr`.
    #[error("offset table does not match the entry count")]
    Offsets,
}

fn be32(bytes: &[u8], at: usize) -> u32 {
    u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}

impl DatIndex {
    /// Parses a `.dat` file's bytes.
    pub fn parse(bytes: &[u8]) -> Result<DatIndex, DatError> {
        if bytes.len() < HEADER_LEN {
            return Err(DatError::TooShort(bytes.len()));
        }
        let version = be32(bytes, 0);
        if version != 1 && version != 2 {
            return Err(DatError::Version(version));
        }
        let numstr = be32(bytes, 4);
        let table = &bytes[HEADER_LEN..];
        let slots = numstr as usize + 1;
        let offsets = if table.len() == slots * 4 {
            (0..slots).map(|i| u64::from(be32(table, i * 4))).collect()
        } else if table.len() == slots * 8 {
            (0..slots)
                .map(|i| (u64::from(be32(table, i * 8)) << 32) | u64::from(be32(table, i * 8 + 4)))
                .collect()
        } else {
            return Err(DatError::Offsets);
        };
        Ok(DatIndex {
            version,
            numstr,
            longlen: be32(bytes, 8),
            shortlen: be32(bytes, 12),
            flags: be32(bytes, 16),
            delim: bytes[20],
            offsets,
        })
    }

    /// Whether this index describes a text file of `text_len` bytes (a stale index does not).
    pub fn fits(&self, text_len: u64) -> bool {
        self.offsets.last() == Some(&text_len)
    }

    /// Whether the text is rot13-encoded.
    pub fn is_rotated(&self) -> bool {
        self.flags & FLAG_ROTATED != 0
    }
}

/// Writes a classic fortune file (entries each followed by a `%` line) and its version-2 index.
///
/// `entries` are the printed texts, each ending in a newline.
pub fn write_fortune_file<'a>(entries: impl IntoIterator<Item = &'a str>) -> (String, Vec<u8>) {
    let mut text = String::new();
    let mut offsets = Vec::new();
    let (mut longest, mut shortest) = (0u32, u32::MAX);
    for entry in entries {
        offsets.push(text.len() as u32);
        let len = entry.len() as u32;
        longest = longest.max(len);
        shortest = shortest.min(len);
        text.push_str(entry);
        text.push_str("%\n");
    }
    offsets.push(text.len() as u32);
    let mut dat = Vec::with_capacity(HEADER_LEN + offsets.len() * 4);
    let numstr = offsets.len() as u32 - 1;
    for word in [2, numstr, longest, shortest, 0] {
        dat.extend_from_slice(&u32::to_be_bytes(word));
    }
    dat.extend_from_slice(&[b'%', 0, 0, 0]);
    for offset in offsets {
        dat.extend_from_slice(&offset.to_be_bytes());
    }
    (text, dat)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_what_debian_strfile_writes() {
        // `strfile` on "aaaa\n%\nbb\n%\ncccccc\ndd\n%\n" gives this index (Debian fortune-mod).
        let (text, dat) = write_fortune_file(["aaaa\n", "bb\n", "cccccc\ndd\n"]);
        assert_eq!(text, "aaaa\n%\nbb\n%\ncccccc\ndd\n%\n");
        let expected: Vec<u8> = [2u32, 3, 10, 3, 0, 0x2500_0000, 0, 7, 12, 24]
            .iter()
            .flat_map(|w| w.to_be_bytes())
            .collect();
        assert_eq!(dat, expected);
    }

    #[test]
    fn reads_back_and_detects_stale_or_bad_indexes() {
        let (text, dat) = write_fortune_file(["one\n", "two\n"]);
        let index = DatIndex::parse(&dat).unwrap();
        assert_eq!((index.version, index.numstr, index.delim), (2, 2, b'%'));
        assert!(index.fits(text.len() as u64));
        assert!(!index.fits(text.len() as u64 + 1));
        assert!(!index.is_rotated());
        assert_eq!(DatIndex::parse(&dat[..10]), Err(DatError::TooShort(10)));
        assert_eq!(
            DatIndex::parse(&dat[..dat.len() - 1]),
            Err(DatError::Offsets)
        );
        let mut v9 = dat.clone();
        v9[3] = 9;
        assert_eq!(DatIndex::parse(&v9), Err(DatError::Version(9)));
    }

    #[test]
    fn reads_64_bit_offsets() {
        let mut dat: Vec<u8> = [1u32, 1, 4, 4, FLAG_ROTATED, 0x2500_0000]
            .iter()
            .flat_map(|w| w.to_be_bytes())
            .collect();
        dat.extend_from_slice(&0u64.to_be_bytes());
        dat.extend_from_slice(&6u64.to_be_bytes());
        let index = DatIndex::parse(&dat).unwrap();
        assert_eq!(index.offsets, [0, 6]);
        assert!(index.is_rotated());
    }
}
