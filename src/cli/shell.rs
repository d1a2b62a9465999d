//! `epigraph completions SHELL` and `epigraph man`: shell integration generated from the same
//! clap definitions the parser uses, so they never drift from the real flags.

use super::{Cli, CliError};
use clap::CommandFactory;
use clap_complete::Shell;
use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

/// Writes a completion script for `shell` to stdout. It is rendered into memory first:
/// `clap_complete::generate` panics when its writer fails (a closed pipe, a full disk).
pub fn completions(shell: Shell) -> Result<ExitCode, CliError> {
    let mut command = Cli::command();
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
