//! `epigraph export`: write the collections for classic tools (fortune files with `.dat`
//! indexes, no `%%` lines) or as JSON documents.

use super::{CliError, report};
use crate::corpus::strfile::write_fortune_file;
use crate::corpus::{Corpus, Source};
use crate::quote::QuoteView;
use clap::{Args, ValueEnum};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Output formats of `epigraph export`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    /// Classic fortune files plus `strfile` `.dat` indexes, readable by Debian's `fortune`.
    Fortune,
    /// One JSON document per collection.
    Json,
}

/// `epigraph export` options.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// What to write.
    #[arg(long, value_enum, default_value_t = ExportFormat::Fortune)]
    pub format: ExportFormat,

    /// Also export these collection files or directories.
    #[arg(long = "quotes", value_name = "FILE|DIR")]
    pub quotes: Vec<PathBuf>,

    /// Directory to write into (created if missing).
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
}

/// Runs `epigraph export`.
pub fn run(args: &ExportArgs) -> Result<ExitCode, CliError> {
    let mut sources = Source::embedded_all();
    for path in &args.quotes {
        sources.extend(Source::expand(path)?);
    }
    let (corpus, diagnostics) = Corpus::load(&sources);
    report(&diagnostics);
    std::fs::create_dir_all(&args.dir).map_err(|e| with_path(&args.dir, e))?;
    for collection in corpus.collections() {
        let quotes = &corpus.quotes()[collection.range.clone()];
        match args.format {
            ExportFormat::Fortune => {
                let (text, dat) = write_fortune_file(quotes.iter().map(|q| q.text()));
                let path = args.dir.join(&collection.name);
                std::fs::write(&path, text).map_err(|e| with_path(&path, e))?;
                let dat_path = args.dir.join(format!("{}.dat", collection.name));
                std::fs::write(&dat_path, dat).map_err(|e| with_path(&dat_path, e))?;
            }
            ExportFormat::Json => {
                let document = json!({
                    "name": collection.name,
                    "description": collection.header.description,
                    "licence": collection.header.licence,
                    "tags": collection.header.tags,
                    "quotes": quotes.iter().map(|q| {
                        let mut view = json!(QuoteView::new(q, &collection.name));
                        view["meta"] = q.meta_pairs().map(|(k, v)| (k.to_string(), v.into())).collect::<serde_json::Map<_, _>>().into();
                        view
                    }).collect::<Vec<_>>(),
                });
                let path = args.dir.join(format!("{}.json", collection.name));
                let body = serde_json::to_string_pretty(&document).map_err(std::io::Error::from)?;
                std::fs::write(&path, body + "\n").map_err(|e| with_path(&path, e))?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn with_path(path: &Path, err: std::io::Error) -> CliError {
    CliError::Usage(format!("{}: {err}", path.display()))
}
