//! `epigraph check`: lint collection files for curators; non-zero exit on any error.

use super::CliError;
use crate::corpus::Source;
use crate::corpus::lint::{Duplicates, Vocabulary, lint_text};
use crate::diagnostic::{Diagnostic, Severity};
use crate::parser::parse_collection;
use clap::Args;
use serde_json::json;
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// `epigraph check` options.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Print a JSON report instead of one line per problem.
    #[arg(long)]
    pub json: bool,

    /// Collection files or directories (default: the embedded collections).
    #[arg(value_name = "FILE|DIR")]
    pub paths: Vec<PathBuf>,
}

/// Runs `epigraph check`.
pub fn run(args: &CheckArgs) -> Result<ExitCode, CliError> {
    let mut sources = Vec::new();
    for path in &args.paths {
        sources.extend(Source::expand(path)?);
    }
    if args.paths.is_empty() {
        sources = Source::embedded_all();
    }
    let embedded: Vec<String> = Source::embedded_all().into_iter().map(|s| s.name).collect();
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    let mut duplicates = Duplicates::default();
    let mut quotes = 0;
    for source in &sources {
        let label = source.label();
        let read = match source.read() {
            Ok(read) => read,
            Err(err) => {
                diagnostics.push(err.diagnostic());
                continue;
            }
        };
        // In a curated file, bytes that are not UTF-8 are an error, not just a warning.
        diagnostics.extend(read.diagnostics.into_iter().map(|mut d| {
            d.severity = Severity::Error;
            d
        }));
        let parsed = parse_collection(&read.text, 0);
        // The embedded collections, and files that stand for one (`quotes/pratchett.fortune`),
        // keep to the documented vocabulary; other files opt in with `%% require: vocabulary`.
        let vocabulary = (parsed.header.require_vocabulary || embedded.contains(&source.name))
            .then(Vocabulary::documented);
        diagnostics.extend(lint_text(&read.text, &label, &parsed.header, vocabulary));
        quotes += parsed.quotes.len();
        for quote in &parsed.quotes {
            diagnostics.extend(duplicates.add(&label, quote));
        }
    }
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let mut out = io::stdout().lock();
    if args.json {
        let report = json!({
            "files": sources.len(),
            "quotes": quotes,
            "errors": errors,
            "diagnostics": diagnostics,
        });
        serde_json::to_writer_pretty(&mut out, &report).map_err(io::Error::from)?;
        writeln!(out)?;
    } else {
        for diagnostic in &diagnostics {
            writeln!(out, "{diagnostic}")?;
        }
        writeln!(
            io::stderr(),
            "checked {}, {}: {}",
            count(sources.len(), "file"),
            count(quotes, "quote"),
            count(errors, "error")
        )?;
    }
    Ok(if errors > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// `1 file`, `2 files`, `0 errors`.
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::count;

    #[test]
    fn counts_take_the_plural_except_for_one() {
        assert_eq!(count(0, "error"), "0 errors");
        assert_eq!(count(1, "file"), "1 file");
        assert_eq!(count(2, "quote"), "2 quotes");
    }
}
