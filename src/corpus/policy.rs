//! Content policy per face: the tags and collections an operator denies on a face (`--deny-tag
//! chat:politics`, `--deny-collection all:off`).
//!
//! A face sees a corpus with the denied quotes and collections left out entirely
//! ([`Corpus::restricted`]), built once per load: every index, list, count, search, deck
//! and quote of the day of that face is then computed over the allowed quotes only, so nothing
//! can reveal a denied quote and a denied name is unknown there, exactly like a name that never
//! existed. Nothing here knows about HTTP or terminals; the faces are only named.

use super::{Collection, Corpus, Filter, FilterError};
use crate::diagnostic::Diagnostic;
use crate::quote::Quote;
use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

/// Where quotes are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Face {
    /// Every HTTP route of `serve` (the feed included).
    Http,
    /// `/today.atom` only.
    Feed,
    /// The Slack, Mattermost and Discord commands.
    Chat,
    /// The RFC 865 listeners.
    Qotd,
    /// `epigraph motd`.
    Motd,
}

impl Face {
    /// Every face.
    pub const ALL: [Face; 5] = [Face::Http, Face::Feed, Face::Chat, Face::Qotd, Face::Motd];

    /// The name written in a rule.
    pub fn name(self) -> &'static str {
        match self {
            Face::Http => "http",
            Face::Feed => "feed",
            Face::Chat => "chat",
            Face::Qotd => "qotd",
            Face::Motd => "motd",
        }
    }

    /// Whether a rule written for `scope` applies to this face: `all` everywhere, and a rule
    /// for `http` on the feed too (the feed is served over HTTP), not the other way round.
    fn covered_by(self, scope: Scope) -> bool {
        match scope {
            Scope::All => true,
            Scope::Face(face) => face == self || (face == Face::Http && self == Face::Feed),
        }
    }
}

/// The faces a rule is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// `all:`.
    All,
    /// One face.
    Face(Face),
}

/// One `FACE:NAME` rule, as given to `--deny-tag` or `--deny-collection`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// The faces it applies to.
    pub scope: Scope,
    /// The tag (lowercased, as tags are) or the collection name.
    pub name: String,
}

/// Why a `FACE:NAME` rule does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadRule {
    /// No `:` between face and name.
    #[error("{0:?} is not FACE:NAME (FACE is http, feed, chat, qotd, motd or all)")]
    Shape(String),
    /// A face that does not exist.
    #[error("unknown face {face:?} in {rule:?} (faces: http, feed, chat, qotd, motd, all)")]
    Face {
        /// The rule as written.
        rule: String,
        /// The face part.
        face: String,
    },
    /// Nothing after the `:`.
    #[error("{0:?} names no tag or collection after the ':'")]
    Empty(String),
}

impl FromStr for Rule {
    type Err = BadRule;

    fn from_str(text: &str) -> Result<Rule, BadRule> {
        let (face, name) = text
            .split_once(':')
            .ok_or_else(|| BadRule::Shape(text.to_string()))?;
        let face = face.trim().to_ascii_lowercase();
        let scope = match face.as_str() {
            "all" => Scope::All,
            _ => Scope::Face(
                Face::ALL
                    .into_iter()
                    .find(|f| f.name() == face)
                    .ok_or_else(|| BadRule::Face {
                        rule: text.to_string(),
                        face,
                    })?,
            ),
        };
        let name = name.trim();
        if name.is_empty() {
            return Err(BadRule::Empty(text.to_string()));
        }
        Ok(Rule {
            scope,
            name: name.to_string(),
        })
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.scope {
            Scope::All => write!(f, "all:{}", self.name),
            Scope::Face(face) => write!(f, "{}:{}", face.name(), self.name),
        }
    }
}

/// Every deny rule an operator gave.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Policy {
    /// `--deny-tag` rules.
    pub tags: Vec<Rule>,
    /// `--deny-collection` rules.
    pub collections: Vec<Rule>,
}

/// What one face may not show: the union of the rules that apply to it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Denied {
    /// Denied tags, lowercase.
    pub tags: BTreeSet<String>,
    /// Denied collection names.
    pub collections: BTreeSet<String>,
}

impl Policy {
    /// A policy from `--deny-tag` and `--deny-collection` rules.
    pub fn new(tags: Vec<Rule>, collections: Vec<Rule>) -> Policy {
        let tags = tags
            .into_iter()
            .map(|r| Rule {
                name: r.name.to_lowercase(),
                ..r
            })
            .collect();
        Policy { tags, collections }
    }

    /// Whether no rule was given (every face then serves the whole corpus).
    pub fn is_empty(&self) -> bool {
        self.tags.is_empty() && self.collections.is_empty()
    }

    /// Only the rules that apply to `face` (for a face that checks them alone, `motd`).
    pub fn on(&self, face: Face) -> Policy {
        let keep = |rules: &[Rule]| {
            rules
                .iter()
                .filter(|r| face.covered_by(r.scope))
                .cloned()
                .collect()
        };
        Policy {
            tags: keep(&self.tags),
            collections: keep(&self.collections),
        }
    }

    /// What `face` may not show.
    pub fn denied(&self, face: Face) -> Denied {
        let names = |rules: &[Rule]| {
            rules
                .iter()
                .filter(|r| face.covered_by(r.scope))
                .map(|r| r.name.clone())
                .collect()
        };
        Denied {
            tags: names(&self.tags),
            collections: names(&self.collections),
        }
    }

    /// A warning for each rule naming a tag or collection `corpus` does not have: not an error,
    /// since a reload may add it, but most likely a typing mistake.
    pub fn unknown_names(&self, corpus: &Corpus) -> Vec<Diagnostic> {
        let tags = self
            .tags
            .iter()
            .filter(|r| !corpus.index.by_tag.contains_key(r.name.as_str()))
            .map(|r| format!("--deny-tag {r}: no quote is tagged {:?} (yet)", r.name));
        let collections = self
            .collections
            .iter()
            .filter(|r| corpus.collection(&r.name).is_none())
            .map(|r| {
                format!(
                    "--deny-collection {r}: no collection named {:?} (yet)",
                    r.name
                )
            });
        tags.chain(collections)
            .map(|message| Diagnostic::warning("policy", None, message))
            .collect()
    }
}

impl Denied {
    /// Whether nothing is denied.
    pub fn is_empty(&self) -> bool {
        self.tags.is_empty() && self.collections.is_empty()
    }

    /// Whether `quote` of `corpus` may be shown.
    pub fn allows(&self, corpus: &Corpus, quote: &Quote) -> bool {
        self.allows_in(corpus.collection_of(quote), quote)
    }

    fn allows_in(&self, collection: &Collection, quote: &Quote) -> bool {
        !self.collections.contains(&collection.name) && !quote.tags().any(|t| self.tags.contains(t))
    }

    /// The error a filter naming a denied tag or collection gets: the one for a name that does
    /// not exist, without suggestions (which could name what is denied).
    pub fn check(&self, filter: &Filter) -> Result<(), FilterError> {
        if let Some(name) = filter
            .collections
            .iter()
            .find(|c| self.collections.contains(*c))
        {
            return Err(FilterError::UnknownCollection {
                name: name.clone(),
                suggestions: Vec::new(),
            });
        }
        if let Some(tag) = filter
            .tags
            .any_of
            .iter()
            .flatten()
            .find(|t| self.tags.contains(*t))
        {
            return Err(FilterError::UnknownTag {
                name: tag.clone(),
                suggestions: Vec::new(),
            });
        }
        Ok(())
    }
}

impl Denied {
    /// `err` without "did you mean" names that are denied (for a face that filters the whole
    /// corpus itself rather than a restricted one).
    pub fn scrub(&self, mut err: FilterError) -> FilterError {
        let denied: &BTreeSet<String> = match &err {
            FilterError::UnknownCollection { .. } => &self.collections,
            FilterError::UnknownTag { .. } => &self.tags,
            FilterError::UnknownAuthor { .. } => return err,
        };
        let kept: Vec<String> = err
            .suggestions()
            .iter()
            .filter(|s| !denied.contains(*s))
            .cloned()
            .collect();
        match &mut err {
            FilterError::UnknownCollection { suggestions, .. }
            | FilterError::UnknownTag { suggestions, .. }
            | FilterError::UnknownAuthor { suggestions, .. } => *suggestions = kept,
        }
        err
    }
}

impl Corpus {
    /// The corpus a face with `denied` sees: the denied collections gone, and every quote of a
    /// denied collection or with a denied tag left out, indexes rebuilt. Quote ids stay the
    /// same, so permalinks, decks and the quote of the day are those of the allowed quotes.
    pub fn restricted(&self, denied: &Denied) -> Corpus {
        let mut corpus = Corpus::default();
        for collection in &self.collections {
            if denied.collections.contains(&collection.name) {
                continue;
            }
            let number = corpus.collections.len();
            let start = corpus.quotes.len();
            corpus.quotes.extend(
                self.quotes[collection.range.clone()]
                    .iter()
                    .filter(|q| denied.allows_in(collection, q))
                    .map(|q| q.clone().in_collection(number)),
            );
            corpus.collections.push(Collection {
                range: start..corpus.quotes.len(),
                ..collection.clone()
            });
        }
        corpus.index = super::Index::build(&corpus.quotes);
        corpus
    }
}

#[cfg(test)]
mod tests;
