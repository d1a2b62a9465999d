//! The exit status rule, in one place. 0: the command did what was asked, also when the reader
//! of stdout closed the pipe early (`epigraph | head -1`). 1: anything else — our own errors,
//! `-m` finding nothing, and bad usage too, as fortune-mod does, so a script written for
//! `fortune` sees the same codes. 3: `post-daily` could not deliver its post (refused, or busy
//! or unreachable at every attempt), so a cron job can tell "the platform failed" from "the
//! command is wrong". Errors are one line `epigraph: ...` on stderr.

use super::CliError;
use std::io::{self, Write};
use std::process::ExitCode;

/// The status of every failure, usage errors included.
pub const FAILURE: u8 = 1;

/// The status when `post-daily`'s post did not arrive.
pub const UNDELIVERED: u8 = 3;

/// Maps a command's result to its exit status, printing the error if there is one.
pub fn finish(result: Result<ExitCode, CliError>) -> ExitCode {
    match result {
        Ok(code) => code,
        Err(CliError::Io(err)) => write_failed(&err),
        Err(err @ CliError::Undelivered(_)) => {
            fail(&err);
            ExitCode::from(UNDELIVERED)
        }
        Err(err) => fail(&err),
    }
}

/// What a clap parse error becomes: help and version (`--help`, `help`, `serve --help`) go to
/// stdout with status 0, like any output; usage errors keep clap's message on stderr, with
/// status [`FAILURE`] instead of clap's 2.
pub fn clap_error(err: &clap::Error) -> ExitCode {
    if err.use_stderr() {
        // Nothing sensible is left to do when stderr itself cannot be written.
        let _ = err.print();
        return ExitCode::from(FAILURE);
    }
    match err.print().and_then(|()| io::stdout().flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(write) => write_failed(&write),
    }
}

/// A failed write: a closed pipe ends quietly; anything else (a full disk) is an error.
fn write_failed(err: &io::Error) -> ExitCode {
    match err.kind() {
        io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        // A full disk is only ever met writing output; say so, the OS text alone is vague.
        io::ErrorKind::StorageFull => fail(&format_args!("writing output: {err}")),
        _ => fail(err),
    }
}

fn fail(err: &dyn std::fmt::Display) -> ExitCode {
    let _ = writeln!(io::stderr(), "epigraph: {err}");
    ExitCode::from(FAILURE)
}
