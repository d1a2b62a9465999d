//! `epigraph completions SHELL` and `epigraph man`: shell integration generated from the same
//! clap definitions the parser uses, so they never drift from the real flags.
//!
//! Completion scripts also offer the names of the embedded collections (for the arguments and
//! `--collection`) and their tags (for `--tag`). These are hints added to a copy of the command
//! used only to write the script: the parser itself still takes any value (a file, a directory,
//! a user's own tag).

use super::{Cli, CliError};
use crate::corpus::Corpus;
use clap::builder::{PossibleValue, StringValueParser, TypedValueParser};
use clap::{Arg, Command, CommandFactory};
use clap_complete::Shell;
use std::ffi::OsStr;
use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

/// Writes a completion script for `shell` to stdout. It is rendered into memory first:
/// `clap_complete::generate` panics when its writer fails (a closed pipe, a full disk).
pub fn completions(shell: Shell) -> Result<ExitCode, CliError> {
    let mut command = with_hints(Cli::command(), shell);
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "epigraph", &mut script);
    write_stdout(&script)
}

/// Writes the man page to stdout, or as `epigraph.1` into `dir`.
pub fn man(dir: Option<&Path>) -> Result<ExitCode, CliError> {
    let page = super::man::page();
    let Some(dir) = dir else {
        return write_stdout(page.as_bytes());
    };
    let path = dir.join("epigraph.1");
    std::fs::create_dir_all(dir)
        .and_then(|()| std::fs::write(&path, page))
        .map_err(|err| CliError::Usage(format!("{}: {err}", path.display())))?;
    Ok(ExitCode::SUCCESS)
}

fn write_stdout(bytes: &[u8]) -> Result<ExitCode, CliError> {
    let mut out = io::stdout().lock();
    out.write_all(bytes)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// The command with collection and tag names as completion candidates. The positional
/// arguments get them only in bash, whose script falls back to file names when no candidate
/// matches; zsh, fish and the others would offer the names instead of files.
fn with_hints(command: Command, shell: Shell) -> Command {
    let (corpus, _) = Corpus::embedded();
    let mut collections: Vec<&'static str> =
        corpus.collections().iter().map(|c| leak(&c.name)).collect();
    let tags: Vec<&'static str> = corpus.tags().into_iter().map(|(t, _)| leak(t)).collect();
    let hint = |names: &[&'static str]| {
        let names = Hints(names.to_vec());
        move |arg: Arg| arg.value_parser(names.clone())
    };
    let command = command
        .mut_arg("tags", hint(&tags))
        .mut_arg("collections", hint(&collections))
        .mut_subcommand("motd", |motd| {
            motd.mut_arg("tags", hint(&tags))
                .mut_arg("collections", hint(&collections))
        });
    if shell != Shell::Bash {
        return command;
    }
    // `all` names every collection, as in fortune.
    collections.push("all");
    command
        .mut_arg("targets", hint(&collections))
        .mut_subcommand("motd", |motd| motd.mut_arg("targets", hint(&collections)))
}

/// Names live for the whole (short) run that writes one script; clap wants `'static` ones.
fn leak(name: &str) -> &'static str {
    Box::leak(name.to_string().into_boxed_str())
}

/// A value parser that accepts any string but lists known names for completion.
#[derive(Clone)]
struct Hints(Vec<&'static str>);

impl TypedValueParser for Hints {
    type Value = String;

    fn parse_ref(
        &self,
        command: &Command,
        arg: Option<&Arg>,
        value: &OsStr,
    ) -> Result<String, clap::Error> {
        StringValueParser::new().parse_ref(command, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(self.0.iter().copied().map(PossibleValue::new)))
    }
}
