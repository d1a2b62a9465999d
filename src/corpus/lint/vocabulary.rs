//! The controlled tag vocabulary, read from `docs/format.md` at compile time so that the
//! documentation is the single list of allowed tags.
//!
//! The vocabulary is every row of the form ``| `tag` | meaning |`` between the
//! `<!-- vocabulary:start -->` and `<!-- vocabulary:end -->` markers, in any number of tables.

use std::collections::BTreeSet;
use std::sync::OnceLock;

/// The format documentation, whose vocabulary section lists the allowed tags.
const FORMAT_DOC: &str = include_str!("../../../docs/format.md");

const START: &str = "<!-- vocabulary:start -->";
const END: &str = "<!-- vocabulary:end -->";

/// A set of allowed tags.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Vocabulary {
    tags: BTreeSet<String>,
}

impl Vocabulary {
    /// The vocabulary documented in `docs/format.md` (parsed once).
    pub fn documented() -> &'static Vocabulary {
        static DOCUMENTED: OnceLock<Vocabulary> = OnceLock::new();
        DOCUMENTED.get_or_init(|| Vocabulary::parse(FORMAT_DOC))
    }

    /// Reads the tag rows between the markers of a Markdown document; empty without markers.
    pub fn parse(markdown: &str) -> Vocabulary {
        let mut tags = BTreeSet::new();
        let mut inside = false;
        for line in markdown.lines() {
            let line = line.trim();
            if line == START {
                inside = true;
            } else if line == END {
                inside = false;
            } else if inside {
                tags.extend(row_tag(line).map(str::to_string));
            }
        }
        Vocabulary { tags }
    }

    /// Whether `tag` is allowed.
    pub fn contains(&self, tag: &str) -> bool {
        self.tags.contains(tag)
    }

    /// The allowed tags, sorted.
    pub fn tags(&self) -> impl Iterator<Item = &str> {
        self.tags.iter().map(String::as_str)
    }

    /// Number of allowed tags.
    pub fn len(&self) -> usize {
        self.tags.len()
    }

    /// Whether no tag is allowed (no vocabulary section).
    pub fn is_empty(&self) -> bool {
        self.tags.is_empty()
    }
}

/// The message for a tag the vocabulary does not list.
pub fn not_in_vocabulary(tag: &str) -> String {
    format!("tag {tag:?} is not in the vocabulary (docs/format.md, \"Tag vocabulary\")")
}

/// The tag of a table row whose first cell is a single backticked word.
fn row_tag(line: &str) -> Option<&str> {
    let cell = line.strip_prefix('|')?.split('|').next()?.trim();
    let tag = cell.strip_prefix('`')?.strip_suffix('`')?;
    let ok = !tag.is_empty()
        && tag
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    ok.then_some(tag)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rows_of_every_table_between_the_markers_only() {
        let doc = "| `outside` | no |\n<!-- vocabulary:start -->\n| tag | meaning |\n|---|---|\n| `death` | Death |\n\n### More\n| tag | meaning |\n|---|---|\n| `red-tape` | forms |\n| not a tag | x |\n| `Bad Tag` | x |\n<!-- vocabulary:end -->\n| `after` | no |\n";
        let v = Vocabulary::parse(doc);
        assert_eq!(v.tags().collect::<Vec<_>>(), ["death", "red-tape"]);
        assert!(v.contains("death") && !v.contains("outside") && !v.contains("after"));
        assert!(Vocabulary::parse("| `x` | no markers |").is_empty());
    }

    #[test]
    fn the_documented_vocabulary_is_not_empty() {
        let v = Vocabulary::documented();
        assert!(v.len() > 10, "docs/format.md lists {} tags", v.len());
    }
}
