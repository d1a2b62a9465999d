//! `epigraph check`: lint collection files for curators; non-zero exit on any error.

use super::CliError;
use crate::corpus::Source;
use crate::corpus::lint::lint_text;
use crate::diagnostic::{Diagnostic, Severity};
use crate::parser::parse_collection;
use crate::quote::QuoteId;
use clap::Args;
use serde_json::json;
use std::collections::HashMap;
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
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    let mut seen: HashMap<QuoteId, (String, usize)> = HashMap::new();
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
        diagnostics.extend(lint_text(&read.text, &label, &parsed.header));
        quotes += parsed.quotes.len();
        for quote in parsed.quotes {
            if let Some((file, line)) = seen.get(&quote.id) {
                let message = format!("duplicate of {file}:{line} (id {})", quote.id);
                diagnostics.push(Diagnostic::error(&label, Some(quote.line), message));
            } else {
                seen.insert(quote.id, (label.clone(), quote.line));
            }
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
            "checked {} files, {quotes} quotes: {errors} errors",
            sources.len()
        )?;
    }
    Ok(if errors > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
