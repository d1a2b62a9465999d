//! `epigraph completions SHELL` and `epigraph man`: shell integration generated from the same
//! clap definitions the parser uses, so they never drift from the real flags.

use super::{Cli, CliError};
use clap::CommandFactory;
use clap_complete::Shell;
use std::io::{self, Write};
use std::process::ExitCode;

/// Writes a completion script for `shell` to stdout.
pub fn completions(shell: Shell) -> Result<ExitCode, CliError> {
    let mut command = Cli::command();
    let mut out = io::stdout().lock();
    clap_complete::generate(shell, &mut command, "epigraph", &mut out);
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Writes the roff man page to stdout.
pub fn man() -> Result<ExitCode, CliError> {
    let mut out = io::stdout().lock();
    clap_mangen::Man::new(Cli::command()).render(&mut out)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
