//! `epigraph motd`: the quote of the day for login messages, laid out to a width and
//! optionally boxed. The same all day, and the same quote `/today` and `epigraph --today` give
//! for the same collections and filters, so every login (and every machine) agrees.

use super::fortune::weighted_pick;
use super::output::parse_width;
use super::plan::{Offense, Plan, search_path};
use super::{CliError, report};
use crate::corpus::{Chooser, Corpus, Day, Face, Filter, TagQuery, quote_of_the_day};
use crate::layout;
use crate::layout::fit::{Fit, fits_box};
use clap::Args;
use std::io::{self, Write};
use std::process::ExitCode;

/// `epigraph motd` options.
#[derive(Debug, Args)]
pub struct MotdArgs {
    /// Columns to lay the quote out to (the box, if any, included; at least 20).
    #[arg(long, default_value = "72", env = "EPIGRAPH_MOTD_WIDTH", value_parser = parse_width)]
    pub width: usize,

    /// Draw an ASCII box around the quote.
    #[arg(long = "box")]
    pub boxed: bool,

    /// A random quote instead of the quote of the day.
    #[arg(long, conflicts_with = "date")]
    pub random: bool,

    /// Which quote: the filters and the day.
    #[command(flatten)]
    pub pick: DailyPick,
}

/// The filters and the day that choose a quote of the day: shared by `motd` and `post-daily`,
/// so both post the same quote for the same arguments.
#[derive(Debug, Args)]
pub struct DailyPick {
    /// The quote of this day instead of today's (YYYY-MM-DD, UTC), to preview or test.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,

    /// Only quotes with this tag (`a,b` = both, `a|b` = either; repeatable). A filter
    /// changes the set the daily quote is chosen from, and so the quote.
    #[arg(long = "tag", value_name = "TAGS")]
    pub tags: Vec<String>,

    /// Only quotes from this collection (repeatable).
    #[arg(long = "collection", value_name = "NAME")]
    pub collections: Vec<String>,

    /// At most this many characters. Like every filter, it changes the daily quote: the
    /// shipped login snippets use none, so they agree with `/today`.
    #[arg(long, value_name = "N")]
    pub max_length: Option<usize>,

    /// Only quotes that fit: COLSxROWS (at most ROWS lines of at most COLS columns as motd
    /// lays them out, the box's included; COLS is then motd's width), or a preset: motd (72x8),
    /// tmux (one line of 80), slack, discord (their message limits), qotd, sms. Like every
    /// filter, it changes the daily quote.
    #[arg(long, value_name = "FIT")]
    pub fit: Option<String>,

    /// `[N%] FILE|DIR|COLLECTION` ..., as for the fortune command (default: the embedded
    /// collections; names are looked up in $EPIGRAPH_PATH and the fortune directories too).
    #[arg(value_name = "[N%] FILE")]
    pub targets: Vec<String>,

    /// The content policy: the rules for `motd` and `all` apply (the same variables as
    /// `epigraph serve` reads, so one environment configures both).
    #[command(flatten)]
    pub deny: crate::server::config::deny::DenyArgs,
}

/// The corpus the arguments name and the quotes their filters leave.
pub(super) struct Candidates {
    /// The loaded files.
    pub corpus: Corpus,
    /// The files and their shares (for `--random`).
    pub plan: Plan,
    /// Indexes of the quotes left, in corpus order.
    pub indexes: Vec<u32>,
    /// The `--fit` asked for.
    pub fit: Option<Fit>,
}

impl DailyPick {
    /// Loads the files and applies the filters; a `--fit` box is measured as printed, laid
    /// out to its columns (in a box when `boxed`).
    /// The rules of the content policy for `face` apply: a denied name is as unknown as a
    /// missing one, and a denied quote is never a candidate.
    pub(super) fn candidates(&self, boxed: bool, face: Face) -> Result<Candidates, CliError> {
        let plan = Plan::build(&self.targets, &search_path(), Offense::Normal)?;
        let (corpus, mut diagnostics) = Corpus::load(&plan.leaves());
        let policy = self.deny.policy().on(face);
        diagnostics.extend(policy.unknown_names(&corpus));
        report(&diagnostics);
        let denied = policy.denied(face);
        let filter = Filter {
            tags: self
                .tags
                .iter()
                .fold(TagQuery::default(), |acc, t| acc.and(&TagQuery::parse(t))),
            collections: self.collections.clone(),
            max_length: self.max_length,
            ..Filter::default()
        };
        let fit = super::fortune::parse_fit(self.fit.as_deref())?;
        denied.check(&filter)?;
        let mut indexes = corpus.select(&filter).map_err(|e| denied.scrub(e))?;
        if !denied.is_empty() {
            indexes.retain(|&i| denied.allows(&corpus, &corpus.quotes()[i as usize]));
        }
        if let Some(fit) = fit {
            indexes.retain(|&i| {
                let text = corpus.quotes()[i as usize].text();
                match fit {
                    Fit::Box { cols, rows } => fits_box(&render(text, cols, boxed), cols, rows),
                    _ => fit.fits(text),
                }
            });
        }
        Ok(Candidates {
            corpus,
            plan,
            indexes,
            fit,
        })
    }

    /// `--date`, or today (UTC).
    pub(super) fn day(&self) -> Result<Day, CliError> {
        match &self.date {
            Some(date) => Day::parse(date).map_err(|e| CliError::Usage(e.to_string())),
            None => Ok(Day::today()),
        }
    }
}

/// Runs `epigraph motd`.
pub fn run(args: &MotdArgs) -> Result<ExitCode, CliError> {
    let Candidates {
        corpus,
        plan,
        indexes: candidates,
        fit,
    } = args.pick.candidates(args.boxed, Face::Motd)?;
    let width = fit.and_then(|f| f.columns()).unwrap_or(args.width);
    let pick = if args.random {
        weighted_pick(&corpus, &plan, &candidates, false, &mut Chooser::random())?
    } else {
        quote_of_the_day(corpus.quotes(), &candidates, args.pick.day()?)
    };
    let index = pick.ok_or_else(nothing_left)?;
    let text = corpus.quotes()[index as usize].text();
    let rendered = match fit {
        // A status line is one line, not a laid-out message.
        Some(line @ Fit::Line { .. }) => line.render(text).unwrap_or_default(),
        _ => render(text, width, args.boxed),
    };
    let mut out = io::stdout().lock();
    out.write_all(rendered.as_bytes())?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// The error when the filters leave no quote.
pub(super) fn nothing_left() -> CliError {
    CliError::NothingMatches("the filters leave nothing to choose from".into())
}

/// The login message for an entry: laid out to `width` columns, inside a box if asked (the box
/// counts in the width).
pub fn render(text: &str, width: usize, boxed: bool) -> String {
    if !boxed {
        return layout::entry(text, width);
    }
    let inner = width.saturating_sub(4).max(layout::MIN_WIDTH);
    let laid = layout::entry(text, inner);
    let lines: Vec<String> = laid.lines().map(str::to_string).collect();
    layout::boxed(&lines, width)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Corpus;

    #[test]
    fn the_box_from_the_issue_is_filled_and_square() {
        let text = "\"It would seem that you have no useful skill or talent whatsoever,\" he\nsaid.  \"Have you thought of going into teaching?\"\n\t-- Terry Pratchett, Mort\n";
        assert_eq!(
            render(text, 50, true),
            "\
+----------------------------------------------+
| \"It would seem that you have no useful skill |
| or talent whatsoever,\" he said.  \"Have you   |
| thought of going into teaching?\"             |
|         -- Terry Pratchett, Mort             |
+----------------------------------------------+
"
        );
    }

    #[test]
    fn every_embedded_quote_boxes_within_the_width() {
        let (corpus, _) = Corpus::embedded();
        for quote in corpus.quotes() {
            for width in [24, 50, 72] {
                let boxed = render(quote.text(), width, true);
                let lines: Vec<&str> = boxed.lines().collect();
                let first = textwrap::core::display_width(lines[0]);
                assert!(first <= width, "{boxed}");
                for line in &lines {
                    assert_eq!(textwrap::core::display_width(line), first, "{boxed}");
                    assert!(!line.contains('\t'));
                }
            }
        }
    }
}
