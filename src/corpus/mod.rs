//! The corpus: every loaded collection, its quotes and the indexes that serve them.
//!
//! A corpus is immutable once built; faces share it behind an `Arc` and replace it whole on
//! reload. Nothing here knows about terminals or HTTP.

mod checked;
mod daily;
pub mod deck;
mod filter;
mod index;
pub mod lint;
mod pick;
pub mod policy;
pub(crate) mod regular;
pub mod resolve;
mod search;
pub mod seek;
pub mod source;
mod stamp;
pub mod stream;
pub mod strfile;
pub mod view;
pub mod weights;
pub mod words;

pub use checked::PendingCheck;
pub use daily::{BadDate, Day, quote_of_the_day};
pub use filter::{Filter, FilterError, TagQuery};
pub use pick::{Chooser, pick_weighted};
pub use policy::{Denied, Face, Policy};
pub use search::{SearchError, build_regex, matching_spans};
pub use source::{LoadError, Origin, Source};

use crate::diagnostic::Diagnostic;
use crate::parser::{Header, parse_source_into};
use crate::quote::arena::{Arena, Text};
use crate::quote::{Quote, QuoteId};
use index::Index;
use stamp::FileStamp;
use std::ops::Range;
use std::path::Path;
use std::sync::{Arc, OnceLock};
use words::{Query, WordIndex};

/// One collection in the corpus.
#[derive(Debug, Clone)]
pub struct Collection {
    /// Unique-ish name (the header's `name`, else the file name).
    pub name: String,
    /// Path for files, the name for embedded collections.
    pub label: String,
    /// Whether it is compiled into the binary.
    pub embedded: bool,
    /// The parsed header.
    pub header: Header,
    /// The collection's quotes, as a range of [`Corpus::quotes`].
    pub range: Range<usize>,
    /// The text its quotes point into (`None` when it could not be read).
    arena: Option<Arc<Arena>>,
    /// The version of the file read, when a reload may share its text (see [`stamp`]).
    stamp: Option<FileStamp>,
}

impl Collection {
    /// Number of quotes.
    pub fn len(&self) -> usize {
        self.range.len()
    }

    /// Whether the collection has no quotes.
    pub fn is_empty(&self) -> bool {
        self.range.is_empty()
    }

    /// The collection's text as it was read (empty when it could not be read).
    pub fn text(&self) -> &str {
        self.arena.as_deref().map_or("", Arena::base)
    }
}

/// All quotes of a set of collections, indexed.
#[derive(Debug, Default)]
pub struct Corpus {
    collections: Vec<Collection>,
    quotes: Vec<Quote>,
    index: Index,
    /// Built by [`Corpus::word_index`] (the server does it in the background after each load).
    words: OnceLock<WordIndex>,
}

impl Corpus {
    /// The embedded collections.
    pub fn embedded() -> (Corpus, Vec<Diagnostic>) {
        Corpus::load(&Source::embedded_all())
    }

    /// The embedded collections plus the collection files `paths` name (files, or directories
    /// of them; see [`Source::dir`]). A directory that cannot be listed is an error diagnostic
    /// and a file that cannot be read an empty collection with one; everything else loads.
    pub fn load_paths<P: AsRef<Path>>(paths: &[P]) -> (Corpus, Vec<Diagnostic>) {
        let (sources, mut diagnostics) = Source::all_for(paths);
        let (corpus, loaded) = Corpus::load(&sources);
        diagnostics.extend(loaded);
        (corpus, diagnostics)
    }

    /// Loads `sources` in order. A source that cannot be read becomes an empty collection and an
    /// error diagnostic, so collection `i` always belongs to `sources[i]`.
    pub fn load(sources: &[Source]) -> (Corpus, Vec<Diagnostic>) {
        Corpus::load_each(sources, None, |_, _, _, _| {})
    }

    /// Like [`Corpus::load`], with `keep` deciding, for each source read, which of its parsed
    /// quotes join the corpus: given the source, its header, and the quotes with the source's
    /// parsed onto the end from `start` on, it may remove any of those.
    /// A file that `previous` read and that has not changed since is not read again: the new
    /// corpus shares its text (see [`stamp`]).
    fn load_each(
        sources: &[Source],
        previous: Option<&Corpus>,
        mut keep: impl FnMut(&Source, &Header, &mut Vec<Quote>, usize),
    ) -> (Corpus, Vec<Diagnostic>) {
        let mut corpus = Corpus::default();
        let mut diagnostics = Vec::new();
        let previous_texts = previous.map(Corpus::texts_by_stamp).unwrap_or_default();
        for (i, source) in sources.iter().enumerate() {
            let start = corpus.quotes.len();
            let mut header = Header::default();
            let mut arena = None;
            // Taken before the read: a write during it changes the stamp for the next reload.
            let mut stamp = source.path().and_then(FileStamp::of);
            let shared = stamp.as_ref().and_then(|s| previous_texts.get(s).cloned());
            let read = match shared {
                Some(text) => Ok(text),
                None => source.read().map(|read| {
                    // A file read with warnings is read (and warned about) again next time.
                    if !read.diagnostics.is_empty() {
                        stamp = None;
                    }
                    diagnostics.extend(read.diagnostics);
                    Text::from(read.text)
                }),
            };
            match read {
                Ok(text) => {
                    (header, arena) = parse_source_into(text, i, &mut corpus.quotes);
                    keep(source, &header, &mut corpus.quotes, start);
                }
                Err(err) => {
                    stamp = None;
                    diagnostics.push(err.diagnostic());
                }
            }
            corpus.collections.push(Collection {
                name: header.name.clone().unwrap_or_else(|| source.name.clone()),
                label: source.label(),
                embedded: matches!(source.origin, Origin::Embedded(_)),
                header,
                range: start..corpus.quotes.len(),
                arena,
                stamp,
            });
        }
        corpus.index = Index::build(&corpus.quotes);
        (corpus, diagnostics)
    }

    /// The text of each collection read from a stamped file version, by that version.
    fn texts_by_stamp(&self) -> foldhash::HashMap<&FileStamp, Text> {
        let stamped = self.collections.iter().filter_map(|c| {
            let stamp = c.stamp.as_ref()?;
            Some((stamp, c.arena.as_ref()?.text()))
        });
        stamped.collect()
    }

    /// Every quote, collection by collection in load order.
    pub fn quotes(&self) -> &[Quote] {
        &self.quotes
    }

    /// The collections in load order.
    pub fn collections(&self) -> &[Collection] {
        &self.collections
    }

    /// The collection called `name`.
    pub fn collection(&self, name: &str) -> Option<&Collection> {
        self.collections.iter().find(|c| c.name == name)
    }

    /// The collection a quote belongs to.
    pub fn collection_of(&self, quote: &Quote) -> &Collection {
        &self.collections[quote.collection()]
    }

    /// The quote with this id (the first, if the same text was loaded twice).
    pub fn get(&self, id: QuoteId) -> Option<&Quote> {
        self.index_of(id).map(|i| &self.quotes[i as usize])
    }

    /// The position in [`Corpus::quotes`] of the quote with this id (for callers that keep
    /// per-quote data, such as a cache of rendered answers).
    pub fn index_of(&self, id: QuoteId) -> Option<u32> {
        self.index.position(&self.quotes, id)
    }

    /// Builds now the indexes that are otherwise built on first use (a server does it at load,
    /// so that no request pays for a sort).
    pub fn complete_indexes(&self) {
        self.index.complete(&self.quotes);
    }

    /// Every quote index, ordered by id (ties, the same text loaded twice, in corpus order):
    /// the sorted id index itself, so callers need not sort again.
    pub fn in_id_order(&self) -> Vec<u32> {
        self.index.in_id_order(&self.quotes)
    }

    /// Length in characters of quote `index` (see [`Quote::char_len`]), from the index.
    pub fn char_len(&self, index: u32) -> u32 {
        self.index.lengths.get(index as usize).copied().unwrap_or(0)
    }

    /// Tags with their quote counts, sorted by tag.
    pub fn tags(&self) -> Vec<(&str, usize)> {
        self.index
            .by_tag
            .iter()
            .map(|(t, q)| (&**t, q.len()))
            .collect()
    }

    /// Authors with their quote counts, sorted by name (case-insensitively).
    pub fn authors(&self) -> Vec<(&str, usize)> {
        self.index
            .authors(&self.quotes)
            .groups(&self.quotes)
            .map(|(name, q)| (name, q.len()))
            .collect()
    }

    /// Quote indexes (into [`Corpus::quotes`]) matching `filter`, in corpus order.
    pub fn select(&self, filter: &Filter) -> Result<Vec<u32>, FilterError> {
        filter.apply(self)
    }

    /// Quote indexes whose length in characters lies in `min..=max` (unbounded where `None`),
    /// shortest first: a slice of the length-sorted index, so it costs no copy.
    pub fn length_range(&self, min: Option<usize>, max: Option<usize>) -> &[u32] {
        let clamp = |n: usize| n.min(u32::MAX as usize) as u32;
        self.index
            .length_range(min.map_or(0, clamp), max.map_or(u32::MAX, clamp))
    }

    /// The word index, built on first use (other callers wait for it meanwhile).
    pub fn word_index(&self) -> &WordIndex {
        self.words.get_or_init(|| WordIndex::build(&self.quotes))
    }

    /// Quotes among `candidates` (all when `None`) holding every word and phrase of `query`:
    /// how many, and the best `wanted` of them in ranking order (see [`words`]). Until the word index is built, a corpus of up to
    /// [`words::SCAN_LIMIT`] quotes is read whole for the same answer; a larger one answers
    /// [`words::NotReady`] rather than tie up a thread for seconds.
    pub fn find_words(
        &self,
        query: &Query,
        candidates: Option<&[u32]>,
        wanted: usize,
    ) -> Result<words::Matches, words::NotReady> {
        match self.words.get() {
            Some(index) => Ok(index.search(&self.quotes, query, candidates, wanted)),
            None if self.quotes.len() <= words::SCAN_LIMIT => {
                Ok(WordIndex::scan(&self.quotes, query, candidates, wanted))
            }
            None => Err(words::NotReady(self.quotes.len())),
        }
    }

    /// Groups of quotes sharing an id: the duplicates, as indexes into [`Corpus::quotes`].
    pub fn duplicates(&self) -> Vec<Vec<u32>> {
        self.index.duplicates(&self.quotes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_corpus_loads_cleanly_and_indexes_by_id() {
        let (corpus, diagnostics) = Corpus::embedded();
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert!(corpus.quotes().len() > 300);
        let q = &corpus.quotes()[10];
        assert_eq!(corpus.get(q.id).map(|g| g.id), Some(q.id));
        let pratchett = corpus.collection("pratchett").unwrap();
        assert!(!pratchett.is_empty());
        assert!(pratchett.embedded);
        assert_eq!(
            corpus
                .collection_of(&corpus.quotes()[pratchett.range.start])
                .name,
            "pratchett"
        );
    }

    #[test]
    fn ids_survive_reordering_and_moving_between_files() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        let b = dir.path().join("b");
        std::fs::write(&a, "first\n%\nsecond quote\n\t-- X, Y\n%\n").unwrap();
        std::fs::write(&b, "other\n%\nsecond\n   quote\r\n%\n").unwrap();
        let (one, _) = Corpus::load(&[Source::file(&a)]);
        let (two, _) = Corpus::load(&[Source::file(&b), Source::file(&a)]);
        let id = one.quotes()[1].id;
        assert_eq!(two.get(id).unwrap().text(), "second\n   quote\n");
        assert_eq!(
            two.duplicates().len(),
            1,
            "same words in two files are a duplicate"
        );
    }

    #[test]
    fn a_large_corpus_searches_once_its_index_is_built() {
        let text: String = (0..=words::SCAN_LIMIT)
            .map(|i| format!("quote {i} about boots\n%\n"))
            .collect();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big");
        std::fs::write(&path, text).unwrap();
        let (corpus, _) = Corpus::load(&[Source::file(&path)]);
        let query = Query::parse("boots 7").unwrap();
        let err = corpus.find_words(&query, None, usize::MAX).unwrap_err();
        assert!(err.to_string().contains("still being built"), "{err}");
        corpus.word_index();
        assert_eq!(
            corpus.find_words(&query, None, usize::MAX).unwrap().best,
            [7]
        );
    }

    #[test]
    fn unreadable_source_keeps_its_slot_and_reports() {
        let sources = [
            Source::file("/nonexistent/x"),
            Source::embedded("tax-forms").unwrap(),
        ];
        let (corpus, diagnostics) = Corpus::load(&sources);
        assert_eq!(corpus.collections().len(), 2);
        assert!(corpus.collections()[0].is_empty());
        assert!(!corpus.collections()[1].is_empty());
        assert_eq!(diagnostics.len(), 1);
        assert!(diagnostics[0].to_string().contains("/nonexistent/x"));
    }

    #[test]
    fn paths_add_files_and_directories_to_the_embedded_collections() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("sub");
        std::fs::create_dir(&sub).unwrap();
        std::fs::write(sub.join("a.fortune"), "Alpha.\n%\nBeta.\n%\n").unwrap();
        std::fs::write(sub.join("b.fortune"), "Gamma.\n%\n").unwrap();
        std::fs::write(sub.join("notes.md"), "not a collection\n").unwrap();
        let single = dir.path().join("single.txt");
        std::fs::write(&single, "Delta.\n%\n").unwrap();
        let missing = dir.path().join("missing.fortune");
        let embedded = Corpus::embedded().0.collections().len();
        let (corpus, diagnostics) = Corpus::load_paths(&[sub.clone(), single, missing]);
        let names: Vec<&str> = corpus.collections()[embedded..]
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        assert_eq!(names, ["a", "b", "single", "missing"]);
        assert_eq!(
            corpus.quotes().len() - Corpus::embedded().0.quotes().len(),
            4
        );
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        assert!(diagnostics[0].to_string().contains("missing.fortune"));
    }
}
