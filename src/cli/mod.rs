//! The terminal face: argument parsing, the classic `fortune` command and the subcommands.
//! It renders what the corpus picks and maps errors to one line on stderr and an exit code.

mod args;
mod check;
mod export;
mod fortune;
mod list;
mod motd;
mod output;
mod plan;
mod shell;

pub use args::{Cli, Command, DEFAULT_LENGTH, FortuneArgs, ListArgs};

use crate::corpus::resolve::NotFound;
use crate::corpus::{FilterError, LoadError, SearchError};
use crate::diagnostic::Diagnostic;
use clap::Parser;
use std::io::{self, Write};
use std::process::ExitCode;

/// Everything that can end a command with an error.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Bad arguments (message in fortune-mod's words where it has one).
    #[error("{0}")]
    Usage(String),
    /// Percentages that cannot be honoured.
    #[error(transparent)]
    Weights(#[from] crate::corpus::weights::WeightError),
    /// A name that is no collection, file or directory.
    #[error(transparent)]
    NotFound(NotFound),
    /// Nothing to choose from at all.
    #[error("No fortunes found")]
    NoFortunes,
    /// Filters left nothing to choose from.
    #[error("no quote matches: {0}")]
    NothingMatches(String),
    /// A filter names an unknown tag, collection or author.
    #[error(transparent)]
    Filter(#[from] FilterError),
    /// A bad `-m` pattern.
    #[error(transparent)]
    Search(#[from] SearchError),
    /// A collection could not be read.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// Writing output failed.
    #[error(transparent)]
    Io(#[from] io::Error),
    /// A failure in a subcommand with its own error type.
    #[error("{0:#}")]
    Other(#[from] anyhow::Error),
}

/// Parses the process arguments, runs the command and returns the exit code.
pub fn run() -> ExitCode {
    let cli = plain_targets().unwrap_or_else(Cli::parse);
    let result = match cli.command {
        Some(Command::Serve(args)) => crate::server::run(args)
            .map(|()| ExitCode::SUCCESS)
            .map_err(CliError::Other),
        Some(Command::List(args)) => list::run(&args),
        Some(Command::Check(args)) => check::run(&args),
        Some(Command::Export(args)) => export::run(&args),
        Some(Command::Motd(args)) => motd::run(&args),
        Some(Command::Completions { shell }) => shell::completions(shell),
        Some(Command::Man) => shell::man(),
        None => fortune::run(&cli.fortune),
    };
    match result {
        Ok(code) => code,
        Err(CliError::Io(err)) if err.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(err) => {
            let _ = writeln!(io::stderr(), "epigraph: {err}");
            ExitCode::FAILURE
        }
    }
}

/// The arguments when they are only collection names, files or directories (`epigraph`,
/// `epigraph pratchett /usr/share/games/fortunes`): the commonest calls, answered without
/// building the whole clap command tree, which costs more than the pick itself. Anything that
/// looks like an option, a percentage, a subcommand or a non-UTF-8 path goes through clap.
fn plain_targets() -> Option<Cli> {
    let mut targets = Vec::new();
    for arg in std::env::args_os().skip(1) {
        let arg = arg.into_string().ok()?;
        let reserved = arg.starts_with('-') || arg.contains('%') || arg.is_empty();
        if reserved || (targets.is_empty() && is_subcommand(&arg)) {
            return None;
        }
        targets.push(arg);
    }
    Some(Cli {
        command: None,
        fortune: FortuneArgs {
            targets,
            length: DEFAULT_LENGTH,
            ..FortuneArgs::default()
        },
    })
}

fn is_subcommand(name: &str) -> bool {
    use clap::CommandFactory;
    // Names are few and fixed; checking them costs nothing next to a full parse.
    const NAMES: &[&str] = &[
        "serve",
        "list",
        "check",
        "export",
        "motd",
        "completions",
        "man",
        "help",
    ];
    debug_assert!(
        Cli::command()
            .get_subcommands()
            .all(|c| NAMES.contains(&c.get_name())),
        "plain_targets: a subcommand is missing from NAMES"
    );
    NAMES.contains(&name)
}

/// Prints load diagnostics on stderr, one per line.
fn report(diagnostics: &[Diagnostic]) {
    let mut stderr = io::stderr().lock();
    for diagnostic in diagnostics {
        let _ = writeln!(stderr, "epigraph: {diagnostic}");
    }
}
