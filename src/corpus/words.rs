//! Word search: an inverted index from every folded word to the quotes that contain it, so a
//! search costs the size of its answer, not of the corpus.
//!
//! Words are runs of letters and digits (an apostrophe inside a word is part of it), folded to
//! lower case without accents (`Café` and `cafe` are one word). A query's words must all
//! occur; a `"quoted phrase"` must occur as consecutive words. Results are ranked by BM25 with
//! each word counted once per quote, which, as every match holds every word, puts the quotes
//! with fewer words first; ties go by corpus order. Until a corpus's index is built,
//! [`WordIndex::scan`] gives the same answer by reading every quote (for corpora up to
//! [`SCAN_LIMIT`]; larger ones are asked to retry). docs/search.md has the design and the
//! measurements.

use crate::quote::Quote;
use rayon::prelude::*;
use roaring::RoaringBitmap;
use std::collections::HashMap;

/// The largest corpus searched by a scan while its index is being built.
pub const SCAN_LIMIT: usize = 50_000;

/// A search of a large corpus whose word index is still being built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "the word index of the {0} loaded quotes is still being built (it takes a few seconds after a start or reload); try again shortly"
)]
pub struct NotReady(pub usize);

/// The most words a query may hold.
pub const MAX_QUERY_WORDS: usize = 16;

/// Each folded word with the quotes that hold it.
type Postings = HashMap<Box<str>, RoaringBitmap>;

/// The inverted index of a corpus.
///
/// The postings hold each quote's *rank* (its place in the ranking order: fewest words
/// first, then corpus order) rather than its index, so the matches of a query come out of
/// the intersected bitmaps already ranked: a page of results costs the intersection and the
/// page, not a sort of every match.
#[derive(Debug, Default)]
pub struct WordIndex {
    postings: Postings,
    /// Quote index at each rank.
    by_rank: Vec<u32>,
    /// Rank of each quote index.
    rank_of: Vec<u32>,
}

/// The answer to a search: how many quotes match, and the best of them in ranking order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Matches {
    /// Every match counted.
    pub total: usize,
    /// The first matches (as many as asked for, or all), best first.
    pub best: Vec<u32>,
}

impl Matches {
    /// Every match, in the order given.
    pub fn all(best: Vec<u32>) -> Matches {
        Matches {
            total: best.len(),
            best,
        }
    }
}

/// A query that cannot be run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    /// Nothing to search for.
    #[error("the query has no words to search for")]
    Empty,
    /// Too many words.
    #[error("the query has more than {MAX_QUERY_WORDS} words")]
    TooLong,
}

/// A parsed query: single words and phrases, all folded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// Every word of the query, phrases included, each once.
    pub words: Vec<String>,
    /// Phrases of two or more words, which must occur in this order.
    pub phrases: Vec<Vec<String>>,
}

impl Query {
    /// Parses `text`: words, and phrases in double quotes.
    pub fn parse(text: &str) -> Result<Query, QueryError> {
        let (mut words, mut phrases) = (Vec::new(), Vec::new());
        for (i, part) in text.split('"').enumerate() {
            let folded = tokens(part);
            // Odd parts were inside quotes.
            if i % 2 == 1 && folded.len() > 1 {
                phrases.push(folded.clone());
            }
            for word in folded {
                if !words.contains(&word) {
                    words.push(word);
                }
            }
        }
        match words.len() {
            0 => Err(QueryError::Empty),
            n if n > MAX_QUERY_WORDS => Err(QueryError::TooLong),
            _ => Ok(Query { words, phrases }),
        }
    }
}

/// The folded words of `text`, in order.
pub fn tokens(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    each_word(text, |w| words.push(w.to_string()));
    words
}

/// Calls `f` with each folded word of `text`, in order, through one reused buffer (indexing a
/// million quotes allocates only for words it has not seen).
pub fn each_word(text: &str, mut f: impl FnMut(&str)) {
    let is_word = |c: char| c.is_alphanumeric();
    let mut folded = String::new();
    let mut rest = text;
    while let Some(start) = rest.find(is_word) {
        let tail = &rest[start..];
        let mut end = tail.len();
        let mut chars = tail.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            let inner_apostrophe = matches!(c, '\'' | '\u{2019}')
                && chars.peek().is_some_and(|&(_, next)| is_word(next));
            if !is_word(c) && !inner_apostrophe {
                end = i;
                break;
            }
        }
        fold_into(&tail[..end], &mut folded);
        f(&folded);
        rest = &tail[end..];
    }
}

fn fold_into(word: &str, out: &mut String) {
    out.clear();
    if word.is_ascii() {
        out.extend(
            word.bytes()
                .filter(u8::is_ascii_alphanumeric)
                .map(|b| char::from(b.to_ascii_lowercase())),
        );
        return;
    }
    let plain = deunicode::deunicode(word);
    out.extend(
        plain
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase),
    );
}

impl WordIndex {
    /// Indexes the printed text of `quotes`, on all cores: one pass counts the words of each
    /// quote (which fixes the ranking), a second records each word's quotes by rank.
    pub fn build(quotes: &[Quote]) -> WordIndex {
        let lengths: Vec<u32> = quotes.par_iter().map(|q| word_count(q.text())).collect();
        let mut by_rank: Vec<u32> = (0..quotes.len() as u32).collect();
        by_rank.par_sort_unstable_by_key(|&i| (lengths[i as usize], i));
        let mut rank_of = vec![0u32; quotes.len()];
        for (rank, &i) in by_rank.iter().enumerate() {
            rank_of[i as usize] = rank as u32;
        }
        let chunk = quotes
            .len()
            .div_ceil(rayon::current_num_threads().max(1) * 4)
            .max(1);
        // Each part holds ascending ranks, so every insert appends to its bitmap.
        let parts: Vec<Postings> = by_rank
            .par_chunks(chunk)
            .enumerate()
            .map(|(n, part)| {
                let mut postings = Postings::new();
                for (j, &index) in part.iter().enumerate() {
                    let rank = (n * chunk + j) as u32;
                    each_word(quotes[index as usize].text(), |word| {
                        match postings.get_mut(word) {
                            Some(set) => {
                                set.insert(rank);
                            }
                            None => {
                                postings.insert(word.into(), RoaringBitmap::from_iter([rank]));
                            }
                        }
                    });
                }
                postings
            })
            .collect();
        let mut postings = Postings::new();
        for part in parts {
            for (word, set) in part {
                *postings.entry(word).or_default() |= set;
            }
        }
        WordIndex {
            postings,
            by_rank,
            rank_of,
        }
    }

    /// The quotes among `candidates` (all when `None`) that hold every word of `query` (and
    /// its phrases): their number, and the best `wanted` of them in ranking order.
    pub fn search(
        &self,
        quotes: &[Quote],
        query: &Query,
        candidates: Option<&[u32]>,
        wanted: usize,
    ) -> Matches {
        let mut sets: Vec<&RoaringBitmap> = Vec::with_capacity(query.words.len());
        for word in &query.words {
            match self.postings.get(word.as_str()) {
                Some(set) => sets.push(set),
                None => return Matches::default(),
            }
        }
        sets.sort_by_key(|s| s.len());
        let mut found = match sets.get(1) {
            Some(second) => sets[0] & *second,
            None => sets[0].clone(),
        };
        for set in sets.iter().skip(2) {
            found &= *set;
        }
        if let Some(candidates) = candidates
            && candidates.len() < quotes.len()
        {
            let mut ranks: Vec<u32> = candidates
                .iter()
                .filter_map(|&i| self.rank_of.get(i as usize).copied())
                .collect();
            ranks.sort_unstable();
            found &= RoaringBitmap::from_sorted_iter(ranks).unwrap_or_default();
        }
        let index = |rank: u32| self.by_rank[rank as usize];
        if query.phrases.is_empty() {
            return Matches {
                total: found.len() as usize,
                best: found.iter().take(wanted).map(index).collect(),
            };
        }
        let mut matches = Matches::default();
        for i in found.iter().map(index) {
            if has_phrases(quotes[i as usize].text(), &query.phrases) {
                matches.total += 1;
                if matches.best.len() < wanted {
                    matches.best.push(i);
                }
            }
        }
        matches
    }

    /// The same answer as [`WordIndex::search`] without an index, by reading every quote: for
    /// the seconds while a new corpus's index is being built.
    pub fn scan(
        quotes: &[Quote],
        query: &Query,
        candidates: Option<&[u32]>,
        wanted: usize,
    ) -> Matches {
        let wanted_set: Option<RoaringBitmap> = candidates.map(|c| c.iter().copied().collect());
        let mut matches = Vec::new();
        for (i, quote) in quotes.iter().enumerate() {
            let words = tokens(quote.text());
            let i = i as u32;
            let phrases_ok = query
                .phrases
                .iter()
                .all(|phrase| words.windows(phrase.len()).any(|w| w == phrase.as_slice()));
            if query.words.iter().all(|w| words.contains(w))
                && phrases_ok
                && wanted_set.as_ref().is_none_or(|w| w.contains(i))
            {
                matches.push((words.len() as u32, i));
            }
        }
        // The ranking order of the index: fewest words, then corpus order. This is BM25
        // (k1 = 1.2, b = 0.75) with each word counted once: every match holds every query
        // word, so the words' weights are the same for all matches and only the length
        // normalisation orders them.
        matches.sort_unstable();
        Matches {
            total: matches.len(),
            best: matches.into_iter().take(wanted).map(|(_, i)| i).collect(),
        }
    }
}

/// The number of words [`each_word`] finds in `text`.
fn word_count(text: &str) -> u32 {
    let mut count = 0;
    each_word(text, |_| count += 1);
    count
}

fn has_phrases(text: &str, phrases: &[Vec<String>]) -> bool {
    let words = tokens(text);
    phrases
        .iter()
        .all(|phrase| words.windows(phrase.len()).any(|w| w == phrase.as_slice()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parser::parse_collection;

    fn corpus() -> Vec<Quote> {
        parse_collection(
            "The café was closed.\n%\nA cafe, a CAFÉ: three cafés and a very long line of words that goes on\n%\nDon't panic.\n%\nClosed? The café!\n%\n",
            0,
        )
        .quotes
    }

    #[test]
    fn words_fold_case_and_accents_and_keep_inner_apostrophes() {
        let words = tokens("Don't PANIC — Café, naïve rock’n’roll 42");
        assert_eq!(words, ["dont", "panic", "cafe", "naive", "rocknroll", "42"]);
    }

    #[test]
    fn all_words_must_match_and_shorter_quotes_rank_first() {
        let quotes = corpus();
        let index = WordIndex::build(&quotes);
        let q = |text: &str| {
            index
                .search(&quotes, &Query::parse(text).unwrap(), None, usize::MAX)
                .best
        };
        assert_eq!(q("CAFE"), [3, 0, 1]);
        assert_eq!(q("cafe closed"), [3, 0]);
        assert_eq!(q("dont"), [2]);
        assert!(q("cafe unicorn").is_empty());
        assert_eq!(q("\"cafe was\""), [0]);
        assert!(q("\"was cafe\"").is_empty());
        let only = index
            .search(
                &quotes,
                &Query::parse("cafe").unwrap(),
                Some(&[1, 2]),
                usize::MAX,
            )
            .best;
        assert_eq!(only, [1]);
        // Without the index, the same answers in the same order.
        for text in [
            "CAFE",
            "cafe closed",
            "dont",
            "cafe unicorn",
            "\"cafe was\"",
            "the",
        ] {
            let query = Query::parse(text).unwrap();
            for candidates in [None, Some(&[0, 3][..])] {
                for wanted in [0, 1, usize::MAX] {
                    let scanned = WordIndex::scan(&quotes, &query, candidates, wanted);
                    let found = index.search(&quotes, &query, candidates, wanted);
                    assert_eq!(scanned, found, "{text} {wanted}");
                    assert!(found.best.len() <= wanted && found.best.len() <= found.total);
                }
            }
        }
    }

    #[test]
    fn empty_and_oversized_queries_are_errors() {
        assert_eq!(Query::parse(" ,. "), Err(QueryError::Empty));
        let long = "w ".repeat(MAX_QUERY_WORDS + 1);
        let many: String = (0..=MAX_QUERY_WORDS).map(|i| format!("w{i} ")).collect();
        assert!(Query::parse(&long).is_ok(), "repeated words count once");
        assert_eq!(Query::parse(&many), Err(QueryError::TooLong));
    }
}
