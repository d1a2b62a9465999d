//! `epigraph completions SHELL` and `epigraph man`: shell integration generated from the same
//! clap definitions the parser uses, so they never drift from the real flags.

use super::{Cli, CliError};
use clap::CommandFactory;
use clap_complete::Shell;
use std::io::{self, Write};
use std::process::ExitCode;

/// Writes a completion script for `shell` to stdout. It is rendered into memory first:
/// `clap_complete::generate` panics when its writer fails (a closed pipe, a full disk).
pub fn completions(shell: Shell) -> Result<ExitCode, CliError> {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "epigraph", &mut script);
    write_stdout(&script)
}

/// Writes the roff man page to stdout.
pub fn man() -> Result<ExitCode, CliError> {
    let mut page = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut page)?;
    write_stdout(&page)
}

fn write_stdout(bytes: &[u8]) -> Result<ExitCode, CliError> {
    let mut out = io::stdout().lock();
    out.write_all(bytes)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
