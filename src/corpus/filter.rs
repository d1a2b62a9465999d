//! Filters over the corpus: tags (AND/OR), collection, author and length, answered from the
//! indexes.

use super::Corpus;
use crate::quote::Quote;
use std::collections::BTreeSet;

/// A tag expression in disjunctive form: any of the groups, each group needing all its tags.
///
/// `a,b` means a AND b, `a|b` means a OR b; `|` binds looser, so `a,b|c` is (a AND b) OR c.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TagQuery {
    /// OR over these groups; each group is an AND of tags.
    pub any_of: Vec<Vec<String>>,
}

impl TagQuery {
    /// Parses `a,b|c` syntax; tags are lowercased, empty parts ignored.
    pub fn parse(expr: &str) -> TagQuery {
        let any_of = expr
            .split('|')
            .map(|group| crate::parser::parse_tags(group).collect::<Vec<_>>())
            .filter(|group| !group.is_empty())
            .collect();
        TagQuery { any_of }
    }

    /// Both queries must hold: the product of their groups.
    pub fn and(&self, other: &TagQuery) -> TagQuery {
        if self.any_of.is_empty() {
            return other.clone();
        }
        if other.any_of.is_empty() {
            return self.clone();
        }
        let mut any_of = Vec::new();
        for left in &self.any_of {
            for right in &other.any_of {
                let mut group = left.clone();
                group.extend(right.iter().filter(|t| !left.contains(t)).cloned());
                any_of.push(group);
            }
        }
        TagQuery { any_of }
    }

    /// Whether a quote satisfies the query.
    pub fn matches(&self, quote: &Quote) -> bool {
        self.matches_with(|t| quote.has_tag(t))
    }

    /// Whether an entry whose tags `has_tag` answers for satisfies the query.
    pub fn matches_with(&self, has_tag: impl Fn(&str) -> bool) -> bool {
        self.any_of.is_empty()
            || self
                .any_of
                .iter()
                .any(|group| group.iter().all(|t| has_tag(t)))
    }

    /// Every tag the query names, each once per group it appears in.
    pub fn tags(&self) -> impl Iterator<Item = &str> {
        self.all_tags().map(String::as_str)
    }

    fn all_tags(&self) -> impl Iterator<Item = &String> {
        self.any_of.iter().flatten()
    }
}

/// What to choose from. The default filter matches everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Tag expression.
    pub tags: TagQuery,
    /// Collection names; a quote must be in one of them (none = any).
    pub collections: Vec<String>,
    /// Author, matched case-insensitively: the exact name, else any author containing it.
    pub author: Option<String>,
    /// Minimum length in characters (inclusive).
    pub min_length: Option<usize>,
    /// Maximum length in characters (inclusive).
    pub max_length: Option<usize>,
    /// Minimum length in bytes with the final newline (inclusive), `fortune -l` style.
    pub min_bytes: Option<usize>,
    /// Maximum length in bytes with the final newline (inclusive), `fortune -s` style.
    pub max_bytes: Option<usize>,
}

/// A filter that names something the corpus does not have.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FilterError {
    /// No collection has this name.
    #[error("no collection named {name:?}{}", hint(suggestions))]
    UnknownCollection {
        /// The name asked for.
        name: String,
        /// Close names that exist.
        suggestions: Vec<String>,
    },
    /// No quote has this tag.
    #[error("no quote is tagged {name:?}{}", hint(suggestions))]
    UnknownTag {
        /// The tag asked for.
        name: String,
        /// Close tags that exist.
        suggestions: Vec<String>,
    },
    /// No author matches.
    #[error("no author matches {name:?}{}", hint(suggestions))]
    UnknownAuthor {
        /// The author asked for.
        name: String,
        /// Close author names that exist.
        suggestions: Vec<String>,
    },
}

impl FilterError {
    /// Close names that exist, for "did you mean".
    pub fn suggestions(&self) -> &[String] {
        match self {
            FilterError::UnknownCollection { suggestions, .. }
            | FilterError::UnknownTag { suggestions, .. }
            | FilterError::UnknownAuthor { suggestions, .. } => suggestions,
        }
    }
}

fn hint(suggestions: &[String]) -> String {
    if suggestions.is_empty() {
        String::new()
    } else {
        format!(" (did you mean {}?)", suggestions.join(", "))
    }
}

/// Up to three known names close to `name`, closest first.
pub(crate) fn suggest<'a>(name: &str, known: impl Iterator<Item = &'a str>) -> Vec<String> {
    let name = name.to_lowercase();
    let mut scored: Vec<(f64, &str)> = known
        .map(|k| (strsim::jaro_winkler(&name, &k.to_lowercase()), k))
        .filter(|(score, _)| *score >= 0.8)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored
        .into_iter()
        .take(3)
        .map(|(_, k)| k.to_string())
        .collect()
}

impl Filter {
    /// Whether the filter restricts anything.
    pub fn is_empty(&self) -> bool {
        *self == Filter::default()
    }

    /// A canonical text form of the filter, equal for equal filters however they were
    /// written (tag order, case). Quote-of-the-day sequences are keyed by it, so the CLI and
    /// every server replica agree.
    pub fn key(&self) -> String {
        let mut groups: Vec<String> = self
            .tags
            .any_of
            .iter()
            .map(|g| {
                let mut g = g.clone();
                g.sort();
                g.dedup();
                g.join(",")
            })
            .collect();
        groups.sort();
        groups.dedup();
        let mut collections = self.collections.clone();
        collections.sort();
        collections.dedup();
        let num = |n: Option<usize>| n.map(|n| n.to_string()).unwrap_or_default();
        format!(
            "tags={};collections={};author={};length={}..{};bytes={}..{}",
            groups.join("|"),
            collections.join(","),
            self.author.as_deref().unwrap_or("").to_lowercase(),
            num(self.min_length),
            num(self.max_length),
            num(self.min_bytes),
            num(self.max_bytes),
        )
    }

    /// Whether one quote passes (names are assumed valid).
    pub fn matches(&self, corpus: &Corpus, quote: &Quote) -> bool {
        self.matches_len(corpus, quote, quote.char_len())
    }

    /// [`Filter::matches`] with the quote's character length already known (the index keeps
    /// it, so filtering candidates does not count characters again).
    fn matches_len(&self, corpus: &Corpus, quote: &Quote, len: usize) -> bool {
        self.accepts(&Facts {
            has_tag: &|t| quote.has_tag(t),
            collection: &corpus.collection_of(quote).name,
            author: quote.author(),
            text: quote.text(),
            chars: Some(len),
        })
    }

    /// Whether one entry passes, however it is held (names are assumed valid). The one place
    /// the filter's rules are written, for the corpus and for [`super::stream`] alike.
    pub(super) fn accepts(&self, entry: &Facts) -> bool {
        let bytes = entry.text.len();
        let chars = || {
            entry
                .chars
                .unwrap_or_else(|| entry.text.trim_end_matches('\n').chars().count())
        };
        self.tags.matches_with(entry.has_tag)
            && (self.collections.is_empty()
                || self.collections.iter().any(|c| c == entry.collection))
            && self.author.as_ref().is_none_or(|a| {
                entry
                    .author
                    .is_some_and(|author| author_contains(author, a))
            })
            && self.min_length.is_none_or(|m| chars() >= m)
            && self.max_length.is_none_or(|m| chars() <= m)
            && self.min_bytes.is_none_or(|m| bytes >= m)
            && self.max_bytes.is_none_or(|m| bytes <= m)
    }

    fn matches_at(&self, corpus: &Corpus, i: u32) -> bool {
        let len = corpus.index.lengths[i as usize] as usize;
        self.matches_len(corpus, &corpus.quotes[i as usize], len)
    }

    /// The matching quote indexes in corpus order. Starts from the smallest index list that
    /// applies and checks the rest per candidate.
    pub(super) fn apply(&self, corpus: &Corpus) -> Result<Vec<u32>, FilterError> {
        let index = &corpus.index;
        let mut bases: Vec<Vec<u32>> = Vec::new();
        if !self.collections.is_empty() {
            let mut base = Vec::new();
            for name in &self.collections {
                let collection =
                    corpus
                        .collection(name)
                        .ok_or_else(|| FilterError::UnknownCollection {
                            name: name.clone(),
                            suggestions: suggest(
                                name,
                                corpus.collections.iter().map(|c| c.name.as_str()),
                            ),
                        })?;
                base.extend(collection.range.clone().map(|i| i as u32));
            }
            bases.push(base);
        }
        if let Some(tag) = self
            .tags
            .all_tags()
            .find(|t| !index.by_tag.contains_key(t.as_str()))
        {
            return Err(FilterError::UnknownTag {
                name: tag.clone(),
                suggestions: suggest(tag, index.by_tag.keys().map(|k| &**k)),
            });
        }
        if !self.tags.any_of.is_empty() {
            let mut base = BTreeSet::new();
            for group in &self.tags.any_of {
                let smallest = group
                    .iter()
                    .map(|t| &index.by_tag[t.as_str()])
                    .min_by_key(|l| l.len());
                base.extend(smallest.into_iter().flatten().copied());
            }
            bases.push(base.into_iter().collect());
        }
        if let Some(author) = &self.author {
            bases.push(author_base(corpus, author)?);
        }
        if self.min_length.is_some() || self.max_length.is_some() {
            let min = self.min_length.unwrap_or(0).min(u32::MAX as usize) as u32;
            let max = self.max_length.unwrap_or(usize::MAX).min(u32::MAX as usize) as u32;
            bases.push(index.length_range(min, max).to_vec());
        }
        let Some(base) = bases.into_iter().min_by_key(Vec::len) else {
            let all = 0..corpus.quotes.len() as u32;
            if self.min_bytes.is_none() && self.max_bytes.is_none() {
                return Ok(all.collect());
            }
            return Ok(all.filter(|&i| self.matches_at(corpus, i)).collect());
        };
        let mut result: Vec<u32> = base
            .into_iter()
            .filter(|&i| self.matches_at(corpus, i))
            .collect();
        result.sort_unstable();
        result.dedup();
        Ok(result)
    }
}

fn author_base(corpus: &Corpus, author: &str) -> Result<Vec<u32>, FilterError> {
    let authors = corpus.index.authors(&corpus.quotes);
    if let Some(list) = authors.get(&corpus.quotes, author) {
        return Ok(list.to_vec());
    }
    let key = author.to_lowercase();
    let mut base: Vec<u32> = authors
        .groups(&corpus.quotes)
        .filter(|(name, _)| name.to_lowercase().contains(&key))
        .flat_map(|(_, list)| list.iter().copied())
        .collect();
    if base.is_empty() {
        return Err(FilterError::UnknownAuthor {
            name: author.to_string(),
            suggestions: suggest(author, authors.groups(&corpus.quotes).map(|(n, _)| n)),
        });
    }
    base.sort_unstable();
    Ok(base)
}

/// Whether `author` contains `wanted`, ignoring case.
fn author_contains(author: &str, wanted: &str) -> bool {
    author.to_lowercase().contains(&wanted.to_lowercase())
}

/// What a filter looks at in one entry.
pub(super) struct Facts<'a> {
    /// Whether the entry has a tag.
    pub has_tag: &'a dyn Fn(&str) -> bool,
    /// The name of its collection.
    pub collection: &'a str,
    /// Its author, if it is attributed.
    pub author: Option<&'a str>,
    /// Its text as printed.
    pub text: &'a str,
    /// Its length in characters, when already known.
    pub chars: Option<usize>,
}

#[cfg(test)]
mod tests;
