//! `epigraph list`: collections, tags and authors with their counts.

use super::args::ListArgs;
use super::{CliError, report};
use crate::corpus::Corpus;
use serde_json::json;
use std::io::{self, Write};
use std::process::ExitCode;

/// Runs `epigraph list`.
pub fn run(args: &ListArgs) -> Result<ExitCode, CliError> {
    let (corpus, diagnostics) = Corpus::load_paths(&args.paths);
    report(&diagnostics);
    let mut out = io::stdout().lock();
    if args.json {
        let collections: Vec<_> = corpus
            .collections()
            .iter()
            .map(|c| {
                json!({
                    "name": c.name,
                    "count": c.len(),
                    "description": c.header.description,
                    "source": c.label,
                    "embedded": c.embedded,
                })
            })
            .collect();
        let tags: serde_json::Map<_, _> = corpus
            .tags()
            .into_iter()
            .map(|(t, n)| (t.to_string(), n.into()))
            .collect();
        let authors: serde_json::Map<_, _> = corpus
            .authors()
            .into_iter()
            .map(|(a, n)| (a.to_string(), n.into()))
            .collect();
        serde_json::to_writer_pretty(
            &mut out,
            &json!({"collections": collections, "tags": tags, "authors": authors}),
        )
        .map_err(io::Error::from)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(out, "Collections ({} quotes):", corpus.quotes().len())?;
    for c in corpus.collections() {
        let description = c.header.description.as_deref().unwrap_or("");
        writeln!(out, "  {:<16} {:>5}  {description}", c.name, c.len())?;
    }
    writeln!(out, "\nTags:")?;
    let mut tags = corpus.tags();
    tags.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    for (tag, count) in tags {
        writeln!(out, "  {tag:<28} {count:>5}")?;
    }
    writeln!(out, "\nAuthors:")?;
    let mut authors = corpus.authors();
    authors.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    for (author, count) in authors {
        writeln!(out, "  {author:<40} {count:>5}")?;
    }
    Ok(ExitCode::SUCCESS)
}
