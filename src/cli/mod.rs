//! The terminal face: argument parsing, the classic `fortune` command and the subcommands.
//! It renders what the corpus picks and maps errors to one line on stderr and an exit code.

mod args;
mod check;
mod deck;
mod exit;
mod export;
mod fortune;
mod list;
mod man;
mod motd;
mod output;
mod plan;
mod post_daily;
mod roff;
mod shell;

pub use args::{Cli, Command, DEFAULT_LENGTH, FortuneArgs, ListArgs};
pub use motd::render as motd_text;

use crate::corpus::resolve::{NotFound, SearchPath, resolve};
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
    /// A post that did not arrive (`post-daily`): exit status [`exit::UNDELIVERED`].
    #[error("post-daily: {0}")]
    Undelivered(#[from] crate::integrations::webhook::PostError),
    /// A failure in a subcommand with its own error type.
    #[error("{0:#}")]
    Other(#[from] anyhow::Error),
}

/// Parses the process arguments, runs the command and returns the exit code.
pub fn run() -> ExitCode {
    let cli = match plain_targets().map_or_else(Cli::try_parse, Ok) {
        Ok(cli) => cli,
        // `epigraph sever --listen x`: clap rejects an option of the subcommand meant, but
        // the mistake is the first word.
        Err(err) => match misspelt_first_word().filter(|_| err.use_stderr()) {
            Some(missing) => return exit::finish(Err(CliError::NotFound(missing))),
            None => return exit::clap_error(&err),
        },
    };
    exit::finish(match cli.command {
        Some(Command::Serve(args)) => crate::server::run(args)
            .map(|()| ExitCode::SUCCESS)
            .map_err(CliError::Other),
        Some(Command::List(args)) => list::run(&args),
        Some(Command::Check(args)) => check::run(&args),
        Some(Command::Export(args)) => export::run(&args),
        Some(Command::Motd(args)) => motd::run(&args),
        Some(Command::PostDaily(args)) => post_daily::run(args),
        Some(Command::Completions { shell }) => shell::completions(shell),
        Some(Command::Man { dir }) => shell::man(dir.as_deref()),
        None => {
            fortune::run(&cli.fortune).map_err(|err| misspelt_subcommand(err, &cli.fortune.targets))
        }
    })
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

/// The subcommand names. Few and fixed; checking them costs nothing next to a full parse.
const SUBCOMMANDS: &[&str] = &[
    "serve",
    "list",
    "check",
    "export",
    "motd",
    "post-daily",
    "completions",
    "man",
    "help",
];

fn is_subcommand(name: &str) -> bool {
    use clap::CommandFactory;
    debug_assert!(
        Cli::command()
            .get_subcommands()
            .all(|c| SUBCOMMANDS.contains(&c.get_name())),
        "plain_targets: a subcommand is missing from SUBCOMMANDS"
    );
    SUBCOMMANDS.contains(&name)
}

/// When the first argument names nothing but is one typo away from a subcommand
/// (`epigraph servee`), says so instead of listing collections.
fn misspelt_subcommand(err: CliError, targets: &[String]) -> CliError {
    match err {
        CliError::NotFound(mut missing) if targets.first() == Some(&missing.name) => {
            missing.subcommand = near_subcommand(&missing.name).map(str::to_string);
            CliError::NotFound(missing)
        }
        other => other,
    }
}

/// The first argument, when it names nothing and is a typo of a subcommand.
fn misspelt_first_word() -> Option<NotFound> {
    let first = std::env::args().nth(1)?;
    if first.starts_with('-') || first.contains('%') || is_subcommand(&first) {
        return None;
    }
    let subcommand = near_subcommand(&first)?;
    let path = SearchPath::new(
        std::env::var("EPIGRAPH_PATH").ok().as_deref(),
        std::env::var("FORTUNE_PATH").ok().as_deref(),
    );
    let mut missing = resolve(&first, &path, true).err()?;
    missing.subcommand = Some(subcommand.to_string());
    Some(missing)
}

/// The subcommand within one edit (names up to 4 characters) or two (longer) of `name`.
fn near_subcommand(name: &str) -> Option<&'static str> {
    let limit = if name.chars().count() <= 4 { 1 } else { 2 };
    SUBCOMMANDS
        .iter()
        .map(|&s| (strsim::damerau_levenshtein(name, s), s))
        .filter(|&(distance, _)| distance <= limit)
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, s)| s)
}

/// Prints load diagnostics on stderr, one per line.
fn report(diagnostics: &[Diagnostic]) {
    let mut stderr = io::stderr().lock();
    for diagnostic in diagnostics {
        let _ = writeln!(stderr, "epigraph: {diagnostic}");
    }
}

#[cfg(test)]
mod tests {
    use super::near_subcommand;

    #[test]
    fn typos_of_subcommands_are_recognised_and_other_names_are_not() {
        for (typo, meant) in [
            ("servee", "serve"),
            ("sevre", "serve"),
            ("lsit", "list"),
            ("chekc", "check"),
            ("exprot", "export"),
            ("mtod", "motd"),
            ("completion", "completions"),
            ("mna", "man"),
        ] {
            assert_eq!(near_subcommand(typo), Some(meant), "{typo}");
        }
        for name in [
            "pratchett",
            "fortunes",
            "zippy",
            "m",
            "tax-forms",
            "services",
        ] {
            assert_eq!(near_subcommand(name), None, "{name}");
        }
    }
}
