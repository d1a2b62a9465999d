//! Reading collection files without ever blocking: only regular files are opened, and they
//! are opened non-blocking, so a FIFO, socket or device put where a collection was expected
//! is reported instead of hanging a start or a reload.

use std::fs::{File, Metadata};
use std::io::{self, Read};
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::Path;

/// What a path is when it is not a regular file, in words for a diagnostic.
pub fn kind_name(meta: &Metadata) -> &'static str {
    let kind = meta.file_type();
    if kind.is_dir() {
        "a directory"
    } else if kind.is_fifo() {
        "a FIFO (named pipe)"
    } else if kind.is_socket() {
        "a socket"
    } else if kind.is_block_device() || kind.is_char_device() {
        "a device"
    } else if kind.is_symlink() {
        "a symbolic link"
    } else {
        "an unknown kind of file"
    }
}

/// Why a link cannot be followed: dangling or a loop, from the error `stat` gave.
pub fn broken_link_reason(err: &io::Error) -> String {
    if err.raw_os_error() == Some(libc::ELOOP) {
        "a symbolic link loop".to_string()
    } else if err.kind() == io::ErrorKind::NotFound {
        "a dangling symbolic link (its target does not exist)".to_string()
    } else {
        format!("a symbolic link that cannot be followed ({err})")
    }
}

/// Reads the whole file at `path` if it is a regular file (links followed), else fails with
/// `InvalidInput` naming what it is.
pub fn read(path: &Path) -> io::Result<Vec<u8>> {
    let mut file = open(path)?;
    let mut bytes = Vec::with_capacity(file.metadata()?.len() as usize);
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Opens the file at `path` for reading if it is a regular file (links followed), else fails
/// with `InvalidInput` naming what it is.
pub fn open(path: &Path) -> io::Result<File> {
    // `stat` never opens the file, so a FIFO is recognised without blocking on it.
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(not_regular(&meta));
    }
    // The path may have been replaced by a FIFO since: O_NONBLOCK makes that open return at
    // once, and the type is checked again on what was actually opened.
    let file = File::options()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)?;
    let opened = file.metadata()?;
    if !opened.is_file() {
        return Err(not_regular(&opened));
    }
    Ok(file)
}

fn not_regular(meta: &Metadata) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("{}, not a regular file", kind_name(meta)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::Command;

    #[test]
    fn a_fifo_is_refused_at_once_and_a_regular_file_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        assert!(
            Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        let err = read(&fifo).unwrap_err();
        assert_eq!(err.to_string(), "a FIFO (named pipe), not a regular file");
        assert_eq!(
            read(dir.path()).unwrap_err().to_string(),
            "a directory, not a regular file"
        );
        let file = dir.path().join("f");
        std::fs::write(&file, "text\n%\n").unwrap();
        assert_eq!(read(&file).unwrap(), b"text\n%\n");
    }

    #[test]
    fn broken_links_are_told_apart() {
        let dir = tempfile::tempdir().unwrap();
        let dangling = dir.path().join("dangling");
        std::os::unix::fs::symlink(dir.path().join("gone"), &dangling).unwrap();
        let looped = dir.path().join("loop");
        std::os::unix::fs::symlink(&looped, &looped).unwrap();
        let reason = |p: &Path| broken_link_reason(&std::fs::metadata(p).unwrap_err());
        assert!(reason(&dangling).starts_with("a dangling symbolic link"));
        assert_eq!(reason(&looped), "a symbolic link loop");
    }
}
