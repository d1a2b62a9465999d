//! Whether a collection file is unchanged since a corpus read it, so that a reload shares the
//! text it already holds instead of reading the file again (and holding it twice until the
//! swap: 157 MB more at a million quotes).
//!
//! A file is taken as unchanged when its device, inode, size, modification and change times
//! are all the same. The change time cannot be set by a user, and is updated by every write.
//! File systems keep it at a clock tick's precision (a few milliseconds), so two writes of the
//! same size within one tick look alike: as git does with its index, a stamp is only taken of
//! a file that had been left alone for a while when it was read. A `.dat` index is not part of
//! the stamp: all it changes is whether the text is rot13, and rotating a file rewrites its text.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How long a file must have been left alone for its stamp to be trusted.
const SETTLED: Duration = Duration::from_secs(1);

/// What identifies one version of a regular file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FileStamp {
    path: PathBuf,
    /// Device, inode, size, modification and change times (seconds and nanoseconds).
    version: [i64; 7],
}

impl FileStamp {
    /// The stamp of the regular file at `path` as it is now; `None` for anything else, for a
    /// file changed less than a second ago, and where the system does not tell.
    pub fn of(path: &Path) -> Option<FileStamp> {
        let meta = std::fs::metadata(path).ok()?;
        if !meta.is_file() {
            return None;
        }
        let version = version(&meta)?;
        let changed = UNIX_EPOCH + Duration::from_secs(u64::try_from(version[5]).ok()?);
        let age = SystemTime::now().duration_since(changed).ok()?;
        (age > SETTLED).then(|| FileStamp {
            path: path.to_path_buf(),
            version,
        })
    }
}

#[cfg(unix)]
fn version(meta: &std::fs::Metadata) -> Option<[i64; 7]> {
    use std::os::unix::fs::MetadataExt;
    let id = |n: u64| i64::try_from(n).ok();
    Some([
        id(meta.dev())?,
        id(meta.ino())?,
        id(meta.size())?,
        meta.mtime(),
        meta.mtime_nsec(),
        meta.ctime(),
        meta.ctime_nsec(),
    ])
}

#[cfg(not(unix))]
fn version(_: &std::fs::Metadata) -> Option<[i64; 7]> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_just_written_has_no_stamp_and_a_settled_one_keeps_it_until_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("q");
        std::fs::write(&path, "One.\n%\n").unwrap();
        assert_eq!(FileStamp::of(&path), None, "changed just now");
        std::thread::sleep(SETTLED + Duration::from_millis(100));
        let stamp = FileStamp::of(&path).expect("left alone");
        assert_eq!(FileStamp::of(&path).as_ref(), Some(&stamp));
        std::fs::write(&path, "Two.\n%\n").unwrap();
        assert_eq!(FileStamp::of(&path), None, "the same size, written again");
        assert_eq!(FileStamp::of(dir.path()), None, "a directory");
        assert_eq!(FileStamp::of(&dir.path().join("none")), None, "no file");
    }
}
