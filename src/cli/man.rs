//! `epigraph man`: one page, epigraph(1), for the fortune interface and every subcommand. The
//! synopsis, options, subcommands and environment variables are generated from the clap
//! definitions the parser uses, so the page cannot drift from the real flags; the prose
//! sections (exit status, files, examples) are written here.

mod prose;

use super::Cli;
use super::roff::{bold, inline, italic, line, paragraphs, text};
use clap::{Arg, ArgAction, Command, CommandFactory};
use prose::{EXAMPLES, exit_status, files};

/// The page, in roff.
pub fn page() -> String {
    let mut cli = Cli::command();
    cli.build();
    let version = env!("CARGO_PKG_VERSION");
    let mut out = format!(".TH EPIGRAPH 1 \"\" \"epigraph {version}\" \"User Commands\"\n");
    // Left-aligned and unhyphenated: option and variable names must not be split.
    out += ".ad l\n.nh\n";
    out += ".SH NAME\n";
    out += &line(&format!("epigraph \\- {}", text(&summary(&cli))));
    out += &synopsis(&cli);
    out += &description(&cli);
    out += ".SH OPTIONS\n";
    out += &options(&cli);
    out += &subcommands(&cli);
    out += &exit_status();
    out += &environment(&cli);
    out += &files();
    out += EXAMPLES;
    out += ".SH SEE ALSO\n.BR fortune (6),\n.BR strfile (1)\n";
    out
}

/// The one-line description for NAME, lower-cased as man pages write it.
fn summary(cli: &Command) -> String {
    let about = cli.get_about().map(ToString::to_string).unwrap_or_default();
    lowercase_first(about.trim_end_matches('.'))
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The subcommands a user can run (not clap's `help`).
fn visible_subcommands(cli: &Command) -> impl Iterator<Item = &Command> {
    cli.get_subcommands()
        .filter(|c| !c.is_hide_set() && c.get_name() != "help")
}

/// The arguments the page shows: all but hidden ones.
fn documented(command: &Command) -> impl Iterator<Item = &Arg> {
    command.get_arguments().filter(|a| !a.is_hide_set())
}

fn is_flag(arg: &Arg) -> bool {
    !arg.get_action().takes_values()
}

fn repeats(arg: &Arg) -> bool {
    matches!(arg.get_action(), ArgAction::Append | ArgAction::Count)
        || arg.get_num_args().is_some_and(|n| n.max_values() > 1)
}

/// The value names of an option, e.g. `PATTERN`.
fn values(arg: &Arg) -> String {
    match arg.get_value_names() {
        Some(names) => names
            .iter()
            .map(|n| italic(n).replace(' ', "\\~"))
            .collect::<Vec<_>>()
            .join(" "),
        None => italic(&arg.get_id().to_string().to_uppercase()),
    }
}

/// An option as its synopsis shows it: `-m PATTERN`, `--tag TAGS`, `FILE`.
fn usage(arg: &Arg) -> String {
    let name = match (arg.get_short(), arg.get_long()) {
        _ if arg.is_positional() => return values(arg),
        (Some(short), _) => bold(&format!("-{short}")),
        (None, Some(long)) => bold(&format!("--{long}")),
        (None, None) => String::new(),
    };
    if is_flag(arg) {
        name
    } else {
        format!("{name}\\~{}", values(arg))
    }
}

/// One synopsis line: the command, its short flags grouped (`-acefilosuw`) as fortune(6) shows
/// them, each other option in brackets, `...` after the repeatable ones, positionals last.
/// Commands with many options show `[OPTIONS]` instead, listed under their own heading.
fn synopsis_line(path: &str, command: &Command) -> String {
    let args: Vec<&Arg> = documented(command)
        .filter(|a| !matches!(a.get_action(), ArgAction::Help | ArgAction::Version))
        .collect();
    let (positional, options): (Vec<&Arg>, Vec<&Arg>) =
        args.into_iter().partition(|a| a.is_positional());
    let mut parts = Vec::new();
    if options.len() > 6 && path != "epigraph" {
        parts.push(format!("[{}]", italic("OPTIONS")));
    } else {
        let grouped: String = options
            .iter()
            .filter(|a| is_flag(a))
            .filter_map(|a| a.get_short())
            .collect();
        if !grouped.is_empty() {
            parts.push(format!("[{}]", bold(&format!("-{grouped}"))));
        }
        for arg in &options {
            if is_flag(arg) && arg.get_short().is_some() {
                continue;
            }
            let more = if repeats(arg) { "..." } else { "" };
            parts.push(format!("[{}]{more}", usage(arg)));
        }
    }
    for arg in positional {
        let shown = if arg.is_required_set() {
            usage(arg)
        } else {
            format!("[{}]", usage(arg))
        };
        let more = if repeats(arg) { "..." } else { "" };
        parts.push(format!("{shown}{more}"));
    }
    // `.SY` sets the command name in bold and hangs the rest of the line under it.
    format!(".SY \"{path}\"\n{}.YS\n", line(&parts.join(" ")))
}

fn synopsis(cli: &Command) -> String {
    let mut out = String::from(".SH SYNOPSIS\n");
    out += &synopsis_line("epigraph", cli);
    for sub in visible_subcommands(cli) {
        out += &synopsis_line(&format!("epigraph {}", sub.get_name()), sub);
    }
    // `.YS` turns hyphenation back on.
    out += ".nh\n";
    out
}

fn description(cli: &Command) -> String {
    let mut out = String::from(".SH DESCRIPTION\n");
    out += &paragraphs(
        "Without a subcommand, `epigraph` prints a random quote, like `fortune`, from the \
         collections compiled into it or from classic fortune files. The subcommands serve \
         quotes over HTTP, list and check collections, export them for classic tools, print \
         a login message and generate this page and shell completions.",
    );
    if let Some(after) = cli.get_after_help() {
        out += &paragraphs(&after.to_string());
    }
    out
}

/// The `.TP` entry of one option: tag line, help, then its default, choices and variable.
fn option_entry(arg: &Arg) -> String {
    let tag = match (arg.get_short(), arg.get_long()) {
        (Some(short), Some(long)) if is_flag(arg) => {
            format!(
                "{}, {}",
                bold(&format!("-{short}")),
                bold(&format!("--{long}"))
            )
        }
        (Some(short), Some(long)) => format!(
            "{}, {}\\~{}",
            bold(&format!("-{short}")),
            bold(&format!("--{long}")),
            values(arg)
        ),
        _ => usage(arg),
    };
    let help = arg
        .get_long_help()
        .or(arg.get_help())
        .map(ToString::to_string)
        .unwrap_or_default();
    let mut body = inline(&sentence(&help));
    let choices = arg.get_possible_values();
    if !arg.is_hide_possible_values_set() && !choices.is_empty() && !is_flag(arg) {
        let names: Vec<String> = choices
            .iter()
            .filter(|c| !c.is_hide_set())
            .map(|c| match c.get_help() {
                Some(help) => format!(
                    "{} ({})",
                    bold(c.get_name()),
                    inline(&lowercase_first(&help.to_string()))
                ),
                None => bold(c.get_name()),
            })
            .collect();
        body += &format!(" One of: {}.", names.join(", "));
    }
    let defaults = arg.get_default_values();
    if !arg.is_hide_default_value_set() && !defaults.is_empty() && !is_flag(arg) {
        let shown: Vec<String> = defaults
            .iter()
            .map(|d| bold(&d.to_string_lossy()))
            .collect();
        body += &format!(" Default: {}.", shown.join(", "));
    }
    if let Some(env) = arg.get_env().filter(|_| !arg.is_hide_env_set()) {
        body += &format!(" Environment: {}.", bold(&env.to_string_lossy()));
    }
    format!(".TP\n{}{}", line(&tag), line(body.trim()))
}

/// Help text ends without a full stop in `--help`; on the page further sentences follow it.
fn sentence(help: &str) -> String {
    let help = help.trim();
    if help.is_empty() || help.ends_with(['.', '!', '?', ':']) {
        help.to_string()
    } else {
        format!("{help}.")
    }
}

fn options(command: &Command) -> String {
    documented(command).map(option_entry).collect()
}

fn subcommands(cli: &Command) -> String {
    let mut out = String::from(".SH SUBCOMMANDS\n");
    for sub in visible_subcommands(cli) {
        let path = format!("epigraph {}", sub.get_name());
        out += &format!(".SS \"{path}\"\n");
        out += &synopsis_line(&path, sub);
        out += ".nh\n";
        let about = sub.get_long_about().or(sub.get_about());
        out += &paragraphs(&sentence(
            &about.map(ToString::to_string).unwrap_or_default(),
        ));
        // `-h, --help` is the same everywhere and described under OPTIONS.
        out += &documented(sub)
            .filter(|a| !matches!(a.get_action(), ArgAction::Help))
            .map(option_entry)
            .collect::<String>();
    }
    out
}

fn environment(cli: &Command) -> String {
    let mut out = String::from(".SH ENVIRONMENT\n");
    out += ".TP\n.B EPIGRAPH_PATH\n";
    out += &line(&text(
        "Colon-separated directories searched for collection names, before FORTUNE_PATH \
         and the directories under FILES.",
    ));
    out += ".TP\n.B FORTUNE_PATH\n";
    out += &line(&text(
        "Colon-separated directories searched after EPIGRAPH_PATH, as fortune(6) does.",
    ));
    // Every variable clap reads, named after the option it sets.
    let mut commands = vec![("epigraph".to_string(), cli)];
    commands.extend(visible_subcommands(cli).map(|s| (format!("epigraph {}", s.get_name()), s)));
    for (path, command) in commands {
        for arg in documented(command) {
            let Some(env) = arg.get_env() else {
                continue;
            };
            out += &format!(".TP\n{}", line(&bold(&env.to_string_lossy())));
            let Some(long) = arg.get_long() else {
                out += &line(&format!("Sets the {} of {}.", values(arg), bold(&path)));
                continue;
            };
            out += &line(&format!(
                "Sets {}{}{}.",
                bold(&format!("{path} --{long}")),
                if is_flag(arg) { "" } else { "\\~" },
                if is_flag(arg) {
                    String::new()
                } else {
                    values(arg)
                },
            ));
        }
    }
    out += ".TP\n.B XDG_STATE_HOME\n";
    out += &line(&inline(
        "Where `--deck` keeps its positions, in `epigraph/` (default `~/.local/state`).",
    ));
    out += ".TP\n.B LISTEN_PID, LISTEN_FDS, LISTEN_FDNAMES\n";
    out += &line(&inline(
        "systemd socket activation: `epigraph serve` takes the sockets systemd bound for it \
         (the one named `qotd` for RFC 865, the others for HTTP).",
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_section_is_there_once() {
        let page = page();
        for section in [
            "NAME",
            "SYNOPSIS",
            "DESCRIPTION",
            "OPTIONS",
            "SUBCOMMANDS",
            "EXIT STATUS",
            "ENVIRONMENT",
            "FILES",
            "EXAMPLES",
            "SEE ALSO",
        ] {
            let header = format!("\n.SH {section}\n");
            assert_eq!(page.matches(&header).count(), 1, "{section}");
        }
        assert!(!page.contains('`'), "a backtick was left as is");
    }

    #[test]
    fn synopsis_shows_value_names() {
        let page = page();
        assert!(page.contains("[\\fB\\-m\\fR\\~\\fIPATTERN\\fR]"), "{page}");
        assert!(
            page.contains("[\\fB\\-\\-tag\\fR\\~\\fITAGS\\fR]..."),
            "{page}"
        );
        assert!(
            page.contains(".SY \"epigraph serve\"\n[\\fIOPTIONS\\fR]\n.YS\n"),
            "{page}"
        );
    }
}
