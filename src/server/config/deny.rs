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
    pub deny_tags: Vec<Rule>,

    /// Never show the collection NAME on FACE (as for --deny-tag): it is left out of every
    /// list and answer there. Repeatable; the variable takes a comma-separated list.
    #[arg(
        long = "deny-collection",
        value_name = "FACE:NAME",
        env = "EPIGRAPH_DENY_COLLECTION",
        value_delimiter = ',',
        value_parser = parse_rule
    )]
    pub deny_collections: Vec<Rule>,
}

impl DenyArgs {
    /// The policy the rules make.
    pub fn policy(&self) -> Policy {
        Policy::new(self.deny_tags.clone(), self.deny_collections.clone())
    }
}

fn parse_rule(text: &str) -> Result<Rule, crate::corpus::policy::BadRule> {
    text.parse()
}
