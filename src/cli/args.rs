//! Command-line arguments (clap derive). The top level is the classic `fortune` interface;
//! subcommands add the rest.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

const AFTER_HELP: &str = "\
Arguments are collection names, files or directories, each optionally preceded by a
percentage (`30% pratchett tax-forms`, or `30%pratchett`). Names are looked up among the
embedded collections, then in $EPIGRAPH_PATH, $FORTUNE_PATH (colon-separated directories),
/usr/share/games/fortunes and /usr/local/share/games/fortunes, then as paths.

Differences from fortune-mod, on purpose:
  -m exits 0 when something matched and 1 when nothing did (fortune-mod inverts this).
  -m also finds the last entry of a file that does not end with a % line.
  -s/-l with no entry of that length is an error, not an endless loop.
  -i folds case for all of Unicode, not just ASCII.
  -e gives every file exactly the same share.
  Directories are listed in name order, so -f and picks do not depend on the file system.";

/// fortune's default boundary between short and long quotes, in bytes.
pub const DEFAULT_LENGTH: usize = 160;

/// epigraph: curated quotes for the terminal, chat and the web — a drop-in for `fortune`.
#[derive(Debug, Parser)]
#[command(
    name = "epigraph",
    version,
    about,
    after_help = AFTER_HELP,
    args_conflicts_with_subcommands = true,
    disable_version_flag = true
)]
pub struct Cli {
    /// Subcommand; without one, print a quote like `fortune`.
    #[command(subcommand)]
    pub command: Option<Command>,

    /// The fortune-style options and arguments.
    #[command(flatten)]
    pub fortune: FortuneArgs,
}

/// Subcommands beyond the classic `fortune` behaviour.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve quotes over HTTP (and optionally RFC 865 QOTD).
    Serve(crate::server::ServeArgs),
    /// List collections, tags and authors with their counts.
    List(ListArgs),
    /// Check collection files: layout, metadata, attribution, duplicates.
    Check(super::check::CheckArgs),
    /// Export the collections as classic fortune files (with .dat) or JSON.
    Export(super::export::ExportArgs),
    /// Print the quote of the day for a login message (wrapped, optionally boxed).
    Motd(super::motd::MotdArgs),
    /// Post the quote of the day to a Slack, Mattermost or Discord incoming webhook (for cron).
    PostDaily(super::post_daily::PostDailyArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        /// The shell to complete for.
        shell: clap_complete::Shell,
    },
    /// Print the man page epigraph(1) in roff, or write it into a directory with --dir.
    Man {
        /// Write `epigraph.1` into this directory (created if missing) instead.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

/// `fortune`'s options, plus epigraph's filters and output formats.
#[derive(Debug, Args, Default)]
pub struct FortuneArgs {
    /// Choose from all collections, including the offensive ones in `off/` directories.
    #[arg(short = 'a')]
    pub all: bool,

    /// Show the collection a quote came from, as `(name)` and a `%` line before it.
    #[arg(short = 'c')]
    pub show_file: bool,

    /// Give every file the same share instead of weighting by number of quotes.
    #[arg(short = 'e')]
    pub equal: bool,

    /// Print the files that would be searched, with their shares, on stderr; print no quote.
    #[arg(short = 'f')]
    pub list_files: bool,

    /// Make -m case-insensitive (Unicode-aware).
    #[arg(short = 'i')]
    pub ignore_case: bool,

    /// Long quotes only: longer than -n bytes.
    #[arg(short = 'l', overrides_with = "short")]
    pub long: bool,

    /// Print every quote matching PATTERN (a regular expression), with a `(name)` header per
    /// file on stderr.
    #[arg(short = 'm', value_name = "PATTERN")]
    pub pattern: Option<String>,

    /// Length in bytes that separates short from long quotes (-s/-l).
    #[arg(short = 'n', value_name = "N", default_value_t = DEFAULT_LENGTH)]
    pub length: usize,

    /// Choose only from the offensive collections in `off/` directories.
    #[arg(short = 'o')]
    pub offensive: bool,

    /// Short quotes only: at most -n bytes.
    #[arg(short = 's', overrides_with = "long")]
    pub short: bool,

    /// Accepted for compatibility (do not translate character sets); epigraph prints UTF-8.
    #[arg(short = 'u')]
    pub no_conversion: bool,

    /// Wait after printing, for a time that grows with the quote's length (for login scripts).
    #[arg(short = 'w')]
    pub wait: bool,

    /// Print the version.
    #[arg(short = 'v', long = "version")]
    pub version: bool,

    /// Only quotes with this tag; `a,b` needs both, `a|b` either; repeat to combine with AND.
    #[arg(long = "tag", value_name = "TAGS")]
    pub tags: Vec<String>,

    /// Only quotes by this author (case-insensitive; a part of the name is enough).
    #[arg(long, value_name = "NAME")]
    pub author: Option<String>,

    /// Only quotes from this collection (repeatable).
    #[arg(long = "collection", value_name = "NAME")]
    pub collections: Vec<String>,

    /// Print the quote with this id.
    #[arg(long, value_name = "ID")]
    pub id: Option<String>,

    /// Print the quote of the day: the same everywhere for the same date and filters.
    #[arg(long)]
    pub today: bool,

    /// With --today: the day to use instead of today (YYYY-MM-DD, UTC, years 1970 to 9999).
    #[arg(long, value_name = "YYYY-MM-DD", requires = "today")]
    pub date: Option<String>,

    /// Show the next quote of a no-repeat deck: every matching quote once before any repeats
    /// (for login shells). The position is kept in $XDG_STATE_HOME/epigraph/ (default
    /// ~/.local/state/epigraph/), one deck per set of files and filters; shares do not apply.
    #[arg(long, conflicts_with_all = ["id", "today", "pattern"])]
    pub deck: bool,

    /// Only quotes that fit, printed as they are shown there: COLSxROWS (at most ROWS lines,
    /// attribution included, laid out to COLS columns), or a preset: motd (72x8), tmux (one
    /// line of 80), slack (3000 characters), discord (2000), qotd (RFC 865), sms (160).
    #[arg(long, value_name = "FIT")]
    pub fit: Option<String>,

    /// Print quotes as JSON objects, one per line.
    #[arg(long)]
    pub json: bool,

    /// Lay the quote out to this many columns (at least 20): paragraphs are reflowed, verse,
    /// dialogue and indented lines keep their breaks.
    #[arg(long, value_name = "COLUMNS", value_parser = super::output::parse_width)]
    pub width: Option<usize>,

    /// Seed for a reproducible pick (the same seed picks the same quote everywhere).
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,

    /// `[N%] FILE|DIR|COLLECTION` ... (default: the embedded collections).
    #[arg(value_name = "[N%] FILE", allow_hyphen_values = false)]
    pub targets: Vec<String>,
}

/// `epigraph list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,

    /// Extra collection files or directories to include.
    #[arg(value_name = "FILE|DIR")]
    pub paths: Vec<PathBuf>,
}
