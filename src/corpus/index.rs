//! Indexes over the corpus, built once at load time so that a pick never scans every quote.
//!
//! Every index is a flat array of `u32` quote positions (no per-quote allocation): ids sorted
//! for binary search, one posting list per tag, the attributed quotes grouped by author, and
//! every quote ordered by length. The three that need a sort are built on first use, so a CLI
//! pick by tag from a million quotes does not sort them; the server builds them all at load
//! ([`Index::complete`]).

use crate::quote::{Quote, QuoteId};
use rayon::prelude::*;
use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// Lookup tables from a key to the (ascending) indexes of the quotes that have it.
#[derive(Debug, Default)]
pub(super) struct Index {
    /// Every (id, position), sorted: a position's id is found by binary search.
    ids: OnceLock<Vec<u32>>,
    pub by_tag: BTreeMap<Box<str>, Vec<u32>>,
    authors: OnceLock<Authors>,
    /// Every quote index, ordered by character length.
    by_length: OnceLock<Vec<u32>>,
    /// Character length of each quote.
    pub lengths: Vec<u32>,
}

/// The attributed quotes grouped by author, case folded: groups in name order, each group's
/// quotes in corpus order, so its first quote has the first spelling seen.
#[derive(Debug, Default)]
pub(super) struct Authors {
    order: Vec<u32>,
    starts: Vec<u32>,
}

/// Compares `a` with `b` lowercased, without allocating; byte by byte while both are ASCII
/// (sorting a million authors spends most of its time here).
pub(super) fn cmp_folded(a: &str, b: &str) -> Ordering {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    let mut i = 0;
    while i < x.len() && i < y.len() && x[i].is_ascii() && y[i].is_ascii() {
        match x[i].to_ascii_lowercase().cmp(&y[i].to_ascii_lowercase()) {
            Ordering::Equal => i += 1,
            other => return other,
        }
    }
    // Every byte before `i` was ASCII, so `i` is a character boundary in both.
    a[i..]
        .chars()
        .flat_map(char::to_lowercase)
        .cmp(b[i..].chars().flat_map(char::to_lowercase))
}

impl Authors {
    fn build(quotes: &[Quote]) -> Authors {
        let author = |i: &u32| quotes[*i as usize].author().unwrap_or_default();
        let mut order: Vec<u32> = (0..quotes.len() as u32)
            .filter(|&i| quotes[i as usize].author().is_some())
            .collect();
        order.par_sort_unstable_by(|a, b| cmp_folded(author(a), author(b)).then(a.cmp(b)));
        let starts = (0..order.len())
            .filter(|&k| k == 0 || cmp_folded(author(&order[k - 1]), author(&order[k])).is_ne())
            .map(|k| k as u32)
            .collect();
        Authors { order, starts }
    }

    /// The positions of group `g`'s quotes.
    fn group(&self, g: usize) -> &[u32] {
        let end = self
            .starts
            .get(g + 1)
            .map_or(self.order.len(), |&e| e as usize);
        &self.order[self.starts[g] as usize..end]
    }

    /// Each author (first spelling) with the positions of their quotes.
    pub fn groups<'q>(
        &'q self,
        quotes: &'q [Quote],
    ) -> impl Iterator<Item = (&'q str, &'q [u32])> + 'q {
        (0..self.starts.len()).map(move |g| {
            let list = self.group(g);
            (quotes[list[0] as usize].author().unwrap_or_default(), list)
        })
    }

    /// The positions of the quotes by `name`, compared case-insensitively.
    pub fn get(&self, quotes: &[Quote], name: &str) -> Option<&[u32]> {
        let author = |&start: &u32| {
            let i = self.order[start as usize] as usize;
            quotes[i].author().unwrap_or_default()
        };
        let g = self
            .starts
            .binary_search_by(|start| cmp_folded(author(start), name))
            .ok()?;
        Some(self.group(g))
    }
}

impl Index {
    pub fn build(quotes: &[Quote]) -> Index {
        let lengths: Vec<u32> = quotes.par_iter().map(|q| q.char_len() as u32).collect();
        // Quotes with the same interned tag set share its list of tag slots, so each tag name
        // is looked up once per set rather than once per quote (the build: 100 -> 42 ms at a
        // million).
        let mut slot_of: foldhash::HashMap<&str, usize> = Default::default();
        let mut lists: Vec<Vec<u32>> = Vec::new();
        let mut slots_of_set: foldhash::HashMap<(usize, u32), Vec<usize>> = Default::default();
        for (i, quote) in quotes.iter().enumerate() {
            let slots = slots_of_set.entry(quote.tag_set_key()).or_insert_with(|| {
                quote
                    .tags()
                    .map(|tag| {
                        *slot_of.entry(tag).or_insert_with(|| {
                            lists.push(Vec::new());
                            lists.len() - 1
                        })
                    })
                    .collect()
            });
            for &slot in slots.iter() {
                lists[slot].push(i as u32);
            }
        }
        let by_tag: BTreeMap<Box<str>, Vec<u32>> = slot_of
            .into_iter()
            .map(|(tag, slot)| {
                let mut list = std::mem::take(&mut lists[slot]);
                // Lists grown by doubling hold up to twice their length: 8 MB at a million.
                list.shrink_to_fit();
                (tag.into(), list)
            })
            .collect();
        Index {
            by_tag,
            lengths,
            ..Index::default()
        }
    }

    /// Builds the indexes that are otherwise built on first use, on both cores.
    pub fn complete(&self, quotes: &[Quote]) {
        rayon::join(
            || self.ids(quotes),
            || rayon::join(|| self.authors(quotes), || self.by_length()),
        );
    }

    /// Every position, ordered by (id, position). Positions alone, looked up in `quotes` to
    /// compare: 4 bytes a quote rather than 12 with the id beside each.
    fn ids(&self, quotes: &[Quote]) -> &[u32] {
        self.ids.get_or_init(|| {
            let mut ids: Vec<u32> = (0..quotes.len() as u32).collect();
            ids.par_sort_unstable_by_key(|&i| (quotes[i as usize].id, i));
            ids
        })
    }

    /// The attributed quotes grouped by author.
    pub fn authors(&self, quotes: &[Quote]) -> &Authors {
        self.authors.get_or_init(|| Authors::build(quotes))
    }

    fn by_length(&self) -> &[u32] {
        self.by_length.get_or_init(|| {
            let mut by_length: Vec<u32> = (0..self.lengths.len() as u32).collect();
            by_length.par_sort_by_key(|&i| self.lengths[i as usize]);
            by_length
        })
    }

    /// Every position, ordered by (id, position).
    pub fn in_id_order(&self, quotes: &[Quote]) -> Vec<u32> {
        self.ids(quotes).to_vec()
    }

    /// The position of the first quote with this id.
    pub fn position(&self, quotes: &[Quote], id: QuoteId) -> Option<u32> {
        let ids = self.ids(quotes);
        let id_at = |i: u32| quotes[i as usize].id;
        let at = ids.partition_point(|&i| id_at(i) < id);
        ids.get(at).copied().filter(|&i| id_at(i) == id)
    }

    /// Groups of positions that share an id, in id order.
    pub fn duplicates(&self, quotes: &[Quote]) -> Vec<Vec<u32>> {
        let mut groups: Vec<Vec<u32>> = self
            .ids(quotes)
            .chunk_by(|&a, &b| quotes[a as usize].id == quotes[b as usize].id)
            .filter(|run| run.len() > 1)
            .map(<[u32]>::to_vec)
            .collect();
        groups.sort();
        groups
    }

    /// The quotes whose length lies in `min..=max`, ordered by length.
    pub fn length_range(&self, min: u32, max: u32) -> &[u32] {
        let by_length = self.by_length();
        let lo = by_length.partition_point(|&i| self.lengths[i as usize] < min);
        let hi = by_length.partition_point(|&i| self.lengths[i as usize] <= max);
        &by_length[lo..hi.max(lo)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parser::parse_collection;

    #[test]
    fn indexes_tags_authors_lengths_and_duplicates() {
        let text =
            "aa\n\t-- Ann, X\n%% tags: t1\n%\nbbbbbbbbbb\n%% tags: t1, t2\n%\naa\n\t-- ann, Y\n%\n";
        let quotes = parse_collection(text, 0).quotes;
        let index = Index::build(&quotes);
        assert_eq!(index.by_tag["t1"], [0, 1]);
        assert_eq!(index.by_tag["t2"], [1]);
        assert_eq!(
            index.authors(&quotes).get(&quotes, "ANN"),
            Some(&[0, 2][..])
        );
        let groups: Vec<_> = index.authors(&quotes).groups(&quotes).collect();
        assert_eq!(groups, [("Ann", &[0, 2][..])]);
        assert_eq!(index.duplicates(&quotes), [vec![0, 2]]);
        assert_eq!(index.position(&quotes, quotes[2].id), Some(0));
        assert_eq!(index.position(&quotes, quotes[1].id), Some(1));
        assert_eq!(index.length_range(0, 10), [1]);
        assert_eq!(index.length_range(11, 100), [0, 2]);
        assert!(index.length_range(50, 10).is_empty());
        for (a, b) in [
            ("Ann", "ann"),
            ("Émile", "émile"),
            ("ann", "anna"),
            ("Zoë", "zoe"),
            ("b", "A"),
        ] {
            let slow = a.to_lowercase().cmp(&b.to_lowercase());
            assert_eq!(cmp_folded(a, b), slow, "{a} vs {b}");
            assert_eq!(cmp_folded(b, a), slow.reverse(), "{b} vs {a}");
        }
    }
}
