//! `--deny-tag FACE:TAG` and `--deny-collection FACE:NAME`, shared by `epigraph serve` and
//! `epigraph motd` (one environment configures both; each applies the rules for its faces).

use crate::corpus::Policy;
use crate::corpus::policy::Rule;
use clap::Args;

/// The deny rules as given on the command line or in the environment.
#[derive(Debug, Clone, Default, Args)]
pub struct DenyArgs {
    /// Never show quotes with this tag on FACE (http, feed, chat, qotd, motd, or all; a rule
    /// for http covers the feed too). Asking for the tag there is answered as if it did not
    /// exist. Repeatable; the variable takes a comma-separated list.
    #[arg(
        long = "deny-tag",
        value_name = "FACE:TAG",
        env = "EPIGRAPH_DENY_TAG",
        value_delimiter = ',',
        value_parser = parse_rule
    )]
    pub deny_tags: Vec<Item>,

    /// Never show the collection NAME on FACE (as for --deny-tag): it is left out of every
    /// list and answer there. Repeatable; the variable takes a comma-separated list.
    #[arg(
        long = "deny-collection",
        value_name = "FACE:NAME",
        env = "EPIGRAPH_DENY_COLLECTION",
        value_delimiter = ',',
        value_parser = parse_rule
    )]
    pub deny_collections: Vec<Item>,
}

/// One item of a rule list: a rule, or nothing for an empty item (`EPIGRAPH_DENY_TAG=` set empty
/// by a template, a trailing comma), which is ignored as empty `--listen` items are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item(pub Option<Rule>);

impl DenyArgs {
    /// The policy the rules make.
    pub fn policy(&self) -> Policy {
        let rules = |items: &[Item]| items.iter().filter_map(|i| i.0.clone()).collect();
        Policy::new(rules(&self.deny_tags), rules(&self.deny_collections))
    }
}

fn parse_rule(text: &str) -> Result<Item, crate::corpus::policy::BadRule> {
    if text.trim().is_empty() {
        return Ok(Item(None));
    }
    text.parse().map(|rule| Item(Some(rule)))
}
