//! The sections of epigraph(1) written as prose rather than generated from the clap
//! definitions: exit status, files and examples.

use super::super::exit;
use super::super::roff::{inline, italic, line, paragraphs};
use crate::corpus::resolve::SYSTEM_DIRS;

/// The status rule of [`exit`], for people.
pub(super) fn exit_status() -> String {
    let (failure, undelivered) = (exit::FAILURE, exit::UNDELIVERED);
    format!(
        ".SH EXIT STATUS\n.TP\n.B 0\n{}.TP\n.B {failure}\n{}.TP\n.B {undelivered}\n{}",
        line(&inline(
            "The command did what was asked, also when the reader of its output went away \
             early (`epigraph | head -1`)."
        )),
        line(&inline(
            "Anything else: an error (one line `epigraph: ...` on standard error), `-m` or a \
             filter finding nothing, `epigraph check` finding an error, and bad usage (an \
             unknown option or a bad value). Usage errors exit 1 rather than 2 because \
             fortune(6) does, so scripts written for it see the same codes."
        )),
        line(&inline(
            "`epigraph post-daily` did not deliver its post (refused, or busy or unreachable at \
             every attempt); the line on standard error names the host and the status, never \
             the webhook's path."
        )),
    )
}

pub(super) fn files() -> String {
    let mut out = String::from(".SH FILES\n");
    out += &paragraphs(
        "Collection names are looked up among the embedded collections, then in the \
         directories of EPIGRAPH_PATH and FORTUNE_PATH, then in these: the name `NAME` is the \
         file `NAME` or `NAME.fortune` in the first directory that has one, or a directory \
         `NAME` of collection files. `.dat` indexes are not needed and are skipped.",
    );
    out += &format!(".TP\n{}", line(&italic("$XDG_STATE_HOME/epigraph/deck-*")));
    out += &line(&inline(
        "One `--deck` position per set of files and filters; safe to delete (the deck starts \
         afresh).",
    ));
    for dir in SYSTEM_DIRS {
        out += &format!(".TP\n{}", line(&italic(dir)));
        out += &line(&inline(
            "Classic fortune files. Its `off/` subdirectory holds the offensive collections, \
             read with `-o` and `-a`.",
        ));
    }
    out
}

pub(super) const EXAMPLES: &str = concat!(
    ".SH EXAMPLES\n",
    ".TP\n.B epigraph\nA random quote from the embedded collections.\n",
    ".TP\n.B epigraph 30% pratchett tax\\-forms\n",
    "Three in ten quotes from \\fBpratchett\\fR, the rest from \\fBtax\\-forms\\fR.\n",
    ".TP\n.B epigraph \\-f /usr/share/games/fortunes\n",
    "The system fortune files with their shares, on standard error.\n",
    ".TP\n.B epigraph \\-i \\-m death\n",
    "Every quote that mentions death, in any case, each followed by a \\fB%\\fR line.\n",
    ".TP\n.B epigraph \\-\\-tag \\(aqwatch|witches\\(aq \\-\\-json\n",
    "A quote tagged \\fBwatch\\fR or \\fBwitches\\fR, as one JSON object.\n",
    ".TP\n.B epigraph \\-\\-today \\-\\-date 2026\\-01\\-01\n",
    "The quote of the day of 1 January 2026, the same on every machine.\n",
    ".TP\n.B epigraph motd \\-\\-box \\-\\-width 60\n",
    "Today\\(aqs quote for a login message, wrapped and boxed.\n",
    ".TP\n.B EPIGRAPH_WEBHOOK_URL=https://hooks.slack.com/services/... epigraph post\\-daily \\-\\-to slack\n",
    "Post today\\(aqs quote to a Slack channel (from cron); exit 3 if it did not arrive.\n",
    ".TP\n.B epigraph serve \\-\\-listen 127.0.0.1:8080 \\-\\-quotes ~/quotes\n",
    "Serve the embedded collections and those in \\fI~/quotes\\fR over HTTP.\n",
    ".TP\n.B epigraph completions bash > ~/.local/share/bash\\-completion/completions/epigraph\n",
    "Install bash completion for one user (needs the bash\\-completion package).\n",
);
