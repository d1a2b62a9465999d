//! What a load would silently lose: collection files with no quotes, and collections that
//! served quotes before a reload but are gone after it (the file deleted, turned into a
//! directory, or a link now dangling or looping). Each is a warning naming the path; under
//! `--strict-reload` they make the reload fail instead.

use crate::corpus::{Corpus, regular};
use crate::diagnostic::{Diagnostic, Severity};
use std::collections::HashSet;
use std::path::Path;

/// A warning for each file collection of `corpus` that has no quotes, unless it already has an
/// error in `diagnostics` (a file that could not be read is reported as such).
pub fn empty_files(corpus: &Corpus, diagnostics: &[Diagnostic]) -> Vec<Diagnostic> {
    let failed: HashSet<&str> = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.file.as_str())
        .collect();
    corpus
        .collections()
        .iter()
        .filter(|c| !c.embedded && c.range.is_empty() && !failed.contains(c.label.as_str()))
        .map(|c| {
            Diagnostic::warning(
                &c.label,
                None,
                "no quotes in this file (empty, or only `%` lines)",
            )
        })
        .collect()
}

/// A warning for each file collection that had quotes in `old` and is missing from `new`,
/// saying what the path is now.
pub fn lost_collections(old: &Corpus, new: &Corpus) -> Vec<Diagnostic> {
    let present: HashSet<&str> = new.collections().iter().map(|c| c.label.as_str()).collect();
    old.collections()
        .iter()
        .filter(|c| !c.embedded && !c.range.is_empty() && !present.contains(c.label.as_str()))
        .map(|c| {
            Diagnostic::warning(
                &c.label,
                None,
                format!(
                    "collection {} had {} quote(s) and is gone after the reload: {}",
                    c.name,
                    c.range.len(),
                    what_it_is_now(Path::new(&c.label))
                ),
            )
        })
        .collect()
}

/// The same problems as errors, for a reload that refuses them.
pub fn as_errors(warnings: Vec<Diagnostic>) -> Vec<Diagnostic> {
    warnings
        .into_iter()
        .map(|d| Diagnostic::error(&d.file, d.line, format!("{} (--strict-reload)", d.message)))
        .collect()
}

fn what_it_is_now(path: &Path) -> String {
    let link = std::fs::symlink_metadata(path);
    match (link, std::fs::metadata(path)) {
        (Err(_), _) => "the file no longer exists".to_string(),
        (Ok(_), Ok(meta)) if meta.is_dir() => "it is now a directory".to_string(),
        (Ok(meta), Err(err)) if meta.file_type().is_symlink() => {
            format!("it is now {}", regular::broken_link_reason(&err))
        }
        (Ok(_), Ok(_)) => "it is no longer a collection file".to_string(),
        (Ok(_), Err(err)) => format!("it cannot be read ({err})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Source;

    fn load(paths: &[&Path]) -> Corpus {
        let mut sources: Vec<Source> = paths.iter().map(|p| Source::file(*p)).collect();
        sources.retain(|s| s.path().is_some_and(|p| p.is_file()));
        Corpus::load(&sources).0
    }

    #[test]
    fn a_collection_gone_after_a_reload_is_named_with_what_it_became() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        std::fs::write(&a, "One.\n%\nTwo.\n%\n").unwrap();
        std::fs::write(&b, "Three.\n%\n").unwrap();
        let old = load(&[&a, &b]);
        std::fs::remove_file(&a).unwrap();
        std::fs::create_dir(&a).unwrap();
        std::fs::remove_file(&b).unwrap();
        std::os::unix::fs::symlink(&b, &b).unwrap();
        let new = load(&[&a, &b]);
        let lines: Vec<String> = lost_collections(&old, &new)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            lines,
            [
                format!(
                    "{}: warning: collection a had 2 quote(s) and is gone after the reload: \
                     it is now a directory",
                    a.display()
                ),
                format!(
                    "{}: warning: collection b had 1 quote(s) and is gone after the reload: \
                     it is now a symbolic link loop",
                    b.display()
                ),
            ]
        );
    }

    #[test]
    fn empty_and_percent_only_files_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let (empty, marks, full) = (
            dir.path().join("e"),
            dir.path().join("m"),
            dir.path().join("f"),
        );
        std::fs::write(&empty, "").unwrap();
        std::fs::write(&marks, "%\n%\n").unwrap();
        std::fs::write(&full, "Quote.\n%\n").unwrap();
        let corpus = load(&[&empty, &marks, &full]);
        let files: Vec<String> = empty_files(&corpus, &[])
            .into_iter()
            .map(|d| d.file)
            .collect();
        assert_eq!(
            files,
            [empty.display().to_string(), marks.display().to_string()]
        );
    }
}
