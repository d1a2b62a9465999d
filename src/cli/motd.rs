//! `epigraph motd`: the quote of the day for login messages, wrapped and optionally boxed.
//! The same all day, so every login (and every machine) shows the same quote.

use super::output::wrap;
use super::{CliError, report};
use crate::corpus::{Chooser, Corpus, Day, Filter, TagQuery, quote_of_the_day};
use clap::Args;
use std::io::{self, Write};
use std::process::ExitCode;

/// `epigraph motd` options.
#[derive(Debug, Args)]
pub struct MotdArgs {
    /// Columns to wrap to (the box, if any, included).
    #[arg(long, default_value_t = 72, env = "EPIGRAPH_MOTD_WIDTH")]
    pub width: usize,

    /// Draw an ASCII box around the quote.
    #[arg(long = "box")]
    pub boxed: bool,

    /// A random quote instead of the quote of the day.
    #[arg(long)]
    pub random: bool,

    /// Only quotes with this tag (`a,b` = both, `a|b` = either; repeatable).
    #[arg(long = "tag", value_name = "TAGS")]
    pub tags: Vec<String>,

    /// Only quotes from this collection (repeatable).
    #[arg(long = "collection", value_name = "NAME")]
    pub collections: Vec<String>,

    /// At most this many characters (keeps login short).
    #[arg(long, value_name = "N")]
    pub max_length: Option<usize>,
}

/// Runs `epigraph motd`.
pub fn run(args: &MotdArgs) -> Result<ExitCode, CliError> {
    let (corpus, diagnostics) = Corpus::embedded();
    report(&diagnostics);
    let filter = Filter {
        tags: args
            .tags
            .iter()
            .fold(TagQuery::default(), |acc, t| acc.and(&TagQuery::parse(t))),
        collections: args.collections.clone(),
        max_length: args.max_length,
        ..Filter::default()
    };
    let candidates = corpus.select(&filter)?;
    let pick = if args.random {
        Chooser::random().choose(&candidates).copied()
    } else {
        quote_of_the_day(corpus.quotes(), &candidates, Day::today(), &filter.key())
    };
    let index = pick.ok_or_else(|| {
        CliError::NothingMatches("the filters leave nothing to choose from".into())
    })?;
    let text = &corpus.quotes()[index as usize].text;
    let rendered = if args.boxed {
        boxed(&wrap(text, args.width.saturating_sub(4)))
    } else {
        wrap(text, args.width)
    };
    let mut out = io::stdout().lock();
    out.write_all(rendered.as_bytes())?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Frames wrapped text in an ASCII box.
fn boxed(text: &str) -> String {
    let width = text
        .lines()
        .map(textwrap::core::display_width)
        .max()
        .unwrap_or(0);
    let rule = format!("+{}+\n", "-".repeat(width + 2));
    let mut out = rule.clone();
    for line in text.lines() {
        let pad = width - textwrap::core::display_width(line);
        out.push_str(&format!("| {line}{} |\n", " ".repeat(pad)));
    }
    out.push_str(&rule);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn box_pads_every_line() {
        assert_eq!(boxed("ab\nc\n"), "+----+\n| ab |\n| c  |\n+----+\n");
    }
}
