//! Indexes over the corpus, built once at load time so that a pick never scans every quote.

use crate::quote::{Quote, QuoteId};
use std::collections::{BTreeMap, HashMap};

/// Lookup tables from a key to the (ascending) indexes of the quotes that have it.
#[derive(Debug, Default)]
pub(super) struct Index {
    pub by_id: HashMap<QuoteId, u32>,
    pub by_tag: BTreeMap<String, Vec<u32>>,
    /// Keyed by lowercase author; the value keeps the first spelling seen.
    pub by_author: BTreeMap<String, (String, Vec<u32>)>,
    /// Every quote index, ordered by character length.
    pub by_length: Vec<u32>,
    /// Character length of each quote.
    pub lengths: Vec<u32>,
    /// Groups of indexes that share an id.
    pub duplicates: Vec<Vec<u32>>,
}

impl Index {
    pub fn build(quotes: &[Quote]) -> Index {
        let mut index = Index {
            lengths: quotes.iter().map(|q| q.char_len() as u32).collect(),
            ..Index::default()
        };
        let mut dupes: HashMap<QuoteId, Vec<u32>> = HashMap::new();
        for (i, quote) in quotes.iter().enumerate() {
            let i = i as u32;
            if let Some(&first) = index.by_id.get(&quote.id) {
                dupes.entry(quote.id).or_insert_with(|| vec![first]).push(i);
            } else {
                index.by_id.insert(quote.id, i);
            }
            for tag in &quote.tags {
                index.by_tag.entry(tag.clone()).or_default().push(i);
            }
            if let Some(author) = &quote.author {
                index
                    .by_author
                    .entry(author.to_lowercase())
                    .or_insert_with(|| (author.clone(), Vec::new()))
                    .1
                    .push(i);
            }
        }
        index.by_length = (0..quotes.len() as u32).collect();
        index.by_length.sort_by_key(|&i| index.lengths[i as usize]);
        index.duplicates = dupes.into_values().collect();
        index.duplicates.sort();
        index
    }

    /// The quotes whose length lies in `min..=max`, ordered by length.
    pub fn length_range(&self, min: u32, max: u32) -> &[u32] {
        let lo = self
            .by_length
            .partition_point(|&i| self.lengths[i as usize] < min);
        let hi = self
            .by_length
            .partition_point(|&i| self.lengths[i as usize] <= max);
        &self.by_length[lo..hi.max(lo)]
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
        assert_eq!(index.by_author["ann"], ("Ann".to_string(), vec![0, 2]));
        assert_eq!(index.duplicates, [vec![0, 2]]);
        assert_eq!(index.by_id.len(), 2);
        assert_eq!(index.length_range(0, 10), [1]);
        assert_eq!(index.length_range(11, 100), [0, 2]);
        assert!(index.length_range(50, 10).is_empty());
    }
}
