//! Fit to size: whether a quote, rendered for the place it is shown, fits there. A box of
//! `COLSxROWS` terminal cells (laid out with [`super::entry`] to `COLS` columns, attribution
//! included), or a named preset for a place users name: a login message, a tmux status line,
//! a Slack or Discord message, an RFC 865 QOTD message, an SMS.
//!
//! Each check renders the quote the way that face does and measures the result, so "fits" means
//! what a person would see.

use super::{MIN_WIDTH, entry, unwrapped};
use crate::integrations::{escape, qotd};
use std::fmt;
use std::str::FromStr;

/// Widest and tallest box a `COLSxROWS` fit may ask for.
pub const MAX_CELLS: usize = 1000;

/// Slack's limit for the text of a Block Kit section (the message text itself is truncated past
/// 40,000 characters; a quote with an "Another" button goes out in blocks).
pub const SLACK_CHARS: usize = 3000;
/// Discord's limit for a message's `content`.
pub const DISCORD_CHARS: usize = 2000;
/// One SMS: 160 characters.
pub const SMS_CHARS: usize = 160;

/// Where a quote has to fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Fit {
    /// At most `rows` lines of at most `cols` display columns, laid out to `cols`.
    Box {
        /// Columns (at least [`MIN_WIDTH`]).
        cols: usize,
        /// Lines, the attribution's included.
        rows: usize,
    },
    /// The whole entry on one line (its lines joined by spaces) of at most `cols` columns:
    /// a status line.
    Line {
        /// Columns.
        cols: usize,
    },
    /// Slack: the escaped message text within [`SLACK_CHARS`] characters.
    Slack,
    /// Discord: the escaped message content within [`DISCORD_CHARS`] characters.
    Discord,
    /// RFC 865: the QOTD message (ASCII, CRLF) under 512 characters.
    Qotd,
    /// One SMS: the entry with soft breaks joined, within [`SMS_CHARS`] characters.
    Sms,
}

/// The named presets, with what they stand for (for help texts and errors).
pub const PRESETS: &[(&str, Fit)] = &[
    ("motd", Fit::Box { cols: 72, rows: 8 }),
    ("tmux", Fit::Line { cols: 80 }),
    ("slack", Fit::Slack),
    ("discord", Fit::Discord),
    ("qotd", Fit::Qotd),
    ("sms", Fit::Sms),
];

/// A fit that is neither `COLSxROWS` in range nor a preset.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{0:?} is not a fit: give COLSxROWS (COLS {MIN_WIDTH} to {MAX_CELLS}, ROWS 1 to \
     {MAX_CELLS}, e.g. 72x8) or one of motd, tmux, slack, discord, qotd, sms"
)]
pub struct BadFit(pub String);

impl FromStr for Fit {
    type Err = BadFit;

    fn from_str(text: &str) -> Result<Fit, BadFit> {
        let bad = || BadFit(text.chars().take(40).collect());
        if let Some(&(_, fit)) = PRESETS.iter().find(|(name, _)| *name == text) {
            return Ok(fit);
        }
        let (cols, rows) = text.split_once('x').ok_or_else(bad)?;
        let number = |s: &str| {
            let digits = !s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit());
            digits.then(|| s.parse::<usize>().ok()).flatten()
        };
        let (cols, rows) = (number(cols).ok_or_else(bad)?, number(rows).ok_or_else(bad)?);
        if !(MIN_WIDTH..=MAX_CELLS).contains(&cols) || !(1..=MAX_CELLS).contains(&rows) {
            return Err(bad());
        }
        Ok(Fit::Box { cols, rows })
    }
}

impl fmt::Display for Fit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match PRESETS.iter().find(|(_, fit)| fit == self) {
            Some((name, _)) => f.write_str(name),
            None => match self {
                Fit::Box { cols, rows } => write!(f, "{cols}x{rows}"),
                Fit::Line { cols } => write!(f, "a line of {cols}"),
                // Every other variant is a preset.
                _ => f.write_str("?"),
            },
        }
    }
}

impl Fit {
    /// The columns a box fit lays quotes out to (`None` for the message-length presets).
    pub fn columns(&self) -> Option<usize> {
        match self {
            Fit::Box { cols, .. } => Some(*cols),
            _ => None,
        }
    }

    /// `text` as the place this fit stands for shows it, when that differs from the text as
    /// stored: laid out to the box's columns, or joined into one line; newline-terminated.
    pub fn render(&self, text: &str) -> Option<String> {
        match *self {
            Fit::Box { cols, .. } => Some(entry(text, cols)),
            Fit::Line { .. } => Some(one_line(text) + "\n"),
            _ => None,
        }
    }

    /// Whether `text` (a whole entry, attribution included) fits.
    pub fn fits(&self, text: &str) -> bool {
        // Layout keeps every visible character and only moves breaks and spaces, so a quote
        // whose visible characters alone overflow the place is out without laying it out.
        let visible = || text.split_whitespace().map(textwrap::core::display_width);
        let too_big = match *self {
            Fit::Box { cols, rows } => visible().sum::<usize>() > cols * rows,
            Fit::Line { cols } => visible().sum::<usize>() > cols,
            Fit::Sms => text.chars().filter(|c| !c.is_whitespace()).count() > SMS_CHARS,
            _ => false,
        };
        if too_big {
            return false;
        }
        match *self {
            Fit::Box { cols, rows } => fits_box(&entry(text, cols), cols, rows),
            Fit::Line { cols } => textwrap::core::display_width(&one_line(text)) <= cols,
            Fit::Slack => escape::slack(&unwrapped(text)).chars().count() <= SLACK_CHARS,
            Fit::Discord => escape::discord(&unwrapped(text)).chars().count() <= DISCORD_CHARS,
            Fit::Qotd => qotd::render(text).len() <= qotd::MAX_MESSAGE,
            Fit::Sms => unwrapped(text).chars().count() <= SMS_CHARS,
        }
    }
}

/// A whole entry on one line: soft breaks joined, then every line trimmed and joined by a
/// space (the attribution's `-- Author` follows the text).
pub fn one_line(text: &str) -> String {
    let joined = unwrapped(text);
    let parts: Vec<&str> = joined
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    parts.join(" ")
}

/// Whether laid-out text has at most `rows` lines, each at most `cols` columns wide.
pub fn fits_box(laid_out: &str, cols: usize, rows: usize) -> bool {
    let mut lines = 0;
    for line in laid_out.lines() {
        lines += 1;
        if lines > rows || textwrap::core::display_width(line) > cols {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_boxes_and_presets_and_refuses_the_rest() {
        assert_eq!("40x3".parse(), Ok(Fit::Box { cols: 40, rows: 3 }));
        assert_eq!("motd".parse(), Ok(Fit::Box { cols: 72, rows: 8 }));
        assert_eq!("tmux".parse(), Ok(Fit::Line { cols: 80 }));
        assert_eq!("qotd".parse(), Ok(Fit::Qotd));
        for bad in [
            "", "x", "40", "40x", "x3", "19x3", "40x0", "1001x2", "+40x3", "40X3", "40x3x",
        ] {
            assert_eq!(bad.parse::<Fit>(), Err(BadFit(bad.into())), "{bad:?}");
        }
        assert_eq!(Fit::Box { cols: 72, rows: 8 }.to_string(), "motd");
        assert_eq!(Fit::Box { cols: 40, rows: 3 }.to_string(), "40x3");
        assert_eq!(Fit::Sms.to_string(), "sms");
    }

    #[test]
    fn small_cases_fit_exactly_to_the_line() {
        let text = "One two three four five six seven eight nine ten.\n\t-- Counter\n";
        // Laid out to 20 columns: three lines of words and one of attribution.
        assert_eq!(
            entry(text, 20),
            "One two three four\nfive six seven eight\nnine ten.\n      -- Counter\n"
        );
        assert!(Fit::Box { cols: 20, rows: 4 }.fits(text));
        assert!(!Fit::Box { cols: 20, rows: 3 }.fits(text));
        assert!(Fit::Box { cols: 60, rows: 2 }.fits(text));
        assert!(!Fit::Box { cols: 80, rows: 1 }.fits(text));
        assert!(Fit::Box { cols: 80, rows: 1 }.fits("Short.\n"));
        // A status line holds the attribution too.
        let tmux = Fit::Line { cols: 80 };
        assert_eq!(
            tmux.render(text).unwrap(),
            "One two three four five six seven eight nine ten. -- Counter\n"
        );
        assert!(tmux.fits(text));
        assert!(!Fit::Line { cols: 40 }.fits(text));
        assert!(Fit::Sms.fits(text));
        assert!(!Fit::Sms.fits(&"word ".repeat(40)));
        assert!(Fit::Discord.fits(text) && Fit::Slack.fits(text) && Fit::Qotd.fits(text));
        assert!(!Fit::Qotd.fits(&"word ".repeat(120)));
        assert!(!Fit::Discord.fits(&"word ".repeat(450)));
        assert!(Fit::Slack.fits(&"word ".repeat(450)));
    }

    #[test]
    fn the_shortcut_never_leaves_out_a_quote_that_fits() {
        let Some(corpus) = crate::layout::tests::debian_fortunes() else {
            return;
        };
        let fits = [
            Fit::Box { cols: 20, rows: 6 },
            Fit::Box { cols: 40, rows: 4 },
            Fit::Box { cols: 72, rows: 8 },
            Fit::Line { cols: 80 },
            Fit::Sms,
        ];
        for quote in corpus.quotes().iter().filter(|q| q.text().len() < 1200) {
            for fit in fits {
                let measured = match fit {
                    Fit::Box { cols, rows } => fits_box(&entry(quote.text(), cols), cols, rows),
                    Fit::Line { cols } => {
                        textwrap::core::display_width(&one_line(quote.text())) <= cols
                    }
                    _ => unwrapped(quote.text()).chars().count() <= SMS_CHARS,
                };
                assert_eq!(
                    fit.fits(quote.text()),
                    measured,
                    "{fit}: {:?}",
                    quote.text()
                );
            }
        }
    }
}
