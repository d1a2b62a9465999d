//! Turning a name from the command line into collection sources: embedded collection names
//! first, then the directories of the search path, then plain paths.

use super::source::Source;
use std::path::{Path, PathBuf};

/// Classic fortune directories, searched after any configured ones.
pub const SYSTEM_DIRS: &[&str] = &[
    "/usr/share/games/fortunes",
    "/usr/local/share/games/fortunes",
];

/// Label of the group of embedded collections.
pub const EMBEDDED_LABEL: &str = "(embedded)";

/// Directories searched for collection names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchPath {
    /// In search order.
    pub dirs: Vec<PathBuf>,
}

impl SearchPath {
    /// `EPIGRAPH_PATH`, then `FORTUNE_PATH` (both colon-separated), then [`SYSTEM_DIRS`].
    pub fn new(epigraph_path: Option<&str>, fortune_path: Option<&str>) -> SearchPath {
        let configured = [epigraph_path, fortune_path]
            .into_iter()
            .flatten()
            .flat_map(|value| value.split(':'))
            .filter(|dir| !dir.is_empty())
            .map(PathBuf::from);
        let mut dirs: Vec<PathBuf> = Vec::new();
        for dir in configured.chain(SYSTEM_DIRS.iter().map(PathBuf::from)) {
            if !dirs.contains(&dir) {
                dirs.push(dir);
            }
        }
        SearchPath { dirs }
    }

    /// The `off/` subdirectories (offensive fortunes) of the search path.
    pub fn offensive(&self) -> SearchPath {
        SearchPath {
            dirs: self.dirs.iter().map(|d| d.join("off")).collect(),
        }
    }

    /// The search-path directories that exist.
    pub fn existing(&self) -> impl Iterator<Item = &PathBuf> {
        self.dirs.iter().filter(|d| d.is_dir())
    }
}

/// What a name resolved to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// One collection.
    File(Source),
    /// A directory (or the embedded set): a group of collections.
    Dir {
        /// How to show it: the path, or [`EMBEDDED_LABEL`].
        label: String,
        /// Its collections.
        sources: Vec<Source>,
    },
}

impl Target {
    /// The embedded collections as one group.
    pub fn embedded() -> Target {
        Target::Dir {
            label: EMBEDDED_LABEL.to_string(),
            sources: Source::embedded_all(),
        }
    }

    /// A directory's collections as one group.
    pub fn dir(path: &Path) -> std::io::Result<Target> {
        Ok(Target::Dir {
            label: path.display().to_string(),
            sources: Source::dir(path)?,
        })
    }

    /// The collections of the target.
    pub fn sources(&self) -> &[Source] {
        match self {
            Target::File(source) => std::slice::from_ref(source),
            Target::Dir { sources, .. } => sources,
        }
    }
}

/// A name that is no collection, file or directory.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no collection, file or directory named {name:?}{}", self.hint())]
pub struct NotFound {
    /// The name asked for.
    pub name: String,
    /// Embedded collection names, to show what exists.
    pub embedded: Vec<String>,
    /// Known collection names (embedded or in the search path) close to `name`, closest first.
    pub close: Vec<String>,
    /// The subcommand `name` looks like a misspelling of; only the CLI knows whether the name
    /// stood where a subcommand could, so it sets this.
    pub subcommand: Option<String>,
}

impl NotFound {
    fn hint(&self) -> String {
        let quoted = |names: &[String]| {
            let names: Vec<String> = names.iter().map(|n| format!("{n:?}")).collect();
            names.join(" or ")
        };
        if let Some(subcommand) = &self.subcommand {
            format!("; did you mean the subcommand {subcommand:?}?")
        } else if !self.close.is_empty() {
            format!(
                "; did you mean {}? (`epigraph list` shows all)",
                quoted(&self.close)
            )
        } else {
            format!(
                " (embedded collections: {}; `epigraph list` shows all)",
                self.embedded.join(", ")
            )
        }
    }
}

/// Collection names that could be meant: the embedded ones (if they count) and the files of
/// the search path's directories.
fn known_names(path: &SearchPath, embedded: bool) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    if embedded {
        names.extend(Source::embedded_all().into_iter().map(|s| s.name));
    }
    for dir in path.existing() {
        names.extend(Source::dir(dir).into_iter().flatten().map(|s| s.name));
    }
    names.sort();
    names.dedup();
    names
}

/// Resolves `name`. `embedded` says whether embedded names count (not with `-o`).
pub fn resolve(name: &str, path: &SearchPath, embedded: bool) -> Result<Target, NotFound> {
    if embedded && let Some(source) = Source::embedded(name) {
        return Ok(Target::File(source));
    }
    let relative = !name.contains('/');
    let candidates = path
        .dirs
        .iter()
        .filter(|_| relative)
        .flat_map(|dir| [dir.join(name), dir.join(format!("{name}.fortune"))])
        .chain(std::iter::once(PathBuf::from(name)));
    for candidate in candidates {
        if candidate.is_file() {
            return Ok(Target::File(Source::file(candidate)));
        }
        if candidate.is_dir()
            && let Ok(target) = Target::dir(&candidate)
        {
            return Ok(target);
        }
    }
    let close = if relative {
        let known = known_names(path, embedded);
        super::filter::suggest(name, known.iter().map(String::as_str))
    } else {
        Vec::new()
    };
    Err(NotFound {
        name: name.to_string(),
        embedded: Source::embedded_all().into_iter().map(|s| s.name).collect(),
        close,
        subcommand: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_path_order_and_dedup() {
        let path = SearchPath::new(Some("/a:/b"), Some("/b:/c"));
        let dirs: Vec<_> = path.dirs.iter().map(|d| d.display().to_string()).collect();
        assert_eq!(&dirs[..3], ["/a", "/b", "/c"]);
        assert_eq!(&dirs[3..], SYSTEM_DIRS);
        assert_eq!(path.offensive().dirs[0], PathBuf::from("/a/off"));
    }

    #[test]
    fn embedded_then_search_path_then_plain_path() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("pratchett"), "shadowed\n%\n").unwrap();
        std::fs::write(dir.path().join("mine.fortune"), "mine\n%\n").unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("sub/x"), "x\n%\n").unwrap();
        let path = SearchPath {
            dirs: vec![dir.path().to_path_buf()],
        };
        assert!(
            matches!(resolve("pratchett", &path, true), Ok(Target::File(s)) if s.path().is_none())
        );
        assert!(
            matches!(resolve("pratchett", &path, false), Ok(Target::File(s)) if s.path().is_some())
        );
        let mine = resolve("mine", &path, true).unwrap();
        assert_eq!(mine.sources()[0].name, "mine");
        let sub = resolve("sub", &path, true).unwrap();
        assert!(matches!(&sub, Target::Dir { sources, .. } if sources.len() == 1));
        let plain = dir.path().join("sub/x").display().to_string();
        assert!(resolve(&plain, &SearchPath { dirs: vec![] }, true).is_ok());
        let err = resolve("nope", &path, true).unwrap_err();
        assert!(err.to_string().contains("pratchett"), "{err}");
    }

    #[test]
    fn close_names_from_the_embedded_set_and_the_search_path() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("limericks"), "x\n%\n").unwrap();
        let path = SearchPath {
            dirs: vec![dir.path().to_path_buf()],
        };
        let message = |name: &str| resolve(name, &path, true).unwrap_err().to_string();
        assert_eq!(
            message("pratchet"),
            "no collection, file or directory named \"pratchet\"; did you mean \"pratchett\"? \
             (`epigraph list` shows all)"
        );
        assert_eq!(
            message("limerick"),
            "no collection, file or directory named \"limerick\"; did you mean \"limericks\"? \
             (`epigraph list` shows all)"
        );
        assert_eq!(
            message("zzzzzz"),
            "no collection, file or directory named \"zzzzzz\" (embedded collections: \
             article-lines, pratchett, tax-forms; `epigraph list` shows all)"
        );
        // Not with -o, where embedded names do not count.
        let offensive = resolve("pratchet", &path, false).unwrap_err();
        assert!(offensive.close.is_empty(), "{offensive}");
    }
}
