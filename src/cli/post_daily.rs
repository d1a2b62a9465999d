//! `epigraph post-daily`: posts the quote of the day to a channel's incoming webhook, for a
//! cron job or a Kubernetes CronJob. The quote is the one `epigraph motd` shows for the same
//! filters and day; the message is the `/quote today` answer in the platform's JSON; busy
//! answers (429, 5xx) and unreachable hosts are retried with backoff.

use super::CliError;
use super::motd::{DailyPick, nothing_left};
use crate::integrations::daily_post::{body, check_url};
use crate::integrations::message::Platform;
use crate::integrations::webhook::{Delivery, post_json};
use clap::Args;
use std::process::ExitCode;
use std::time::Duration;

/// The variable the webhook URL may come from (kept out of `ps` and of CronJob args).
pub const URL_VAR: &str = "EPIGRAPH_WEBHOOK_URL";

/// Longest first backoff accepted, in seconds (also the cap between attempts).
const MAX_BACKOFF_SECS: f64 = 60.0;

/// `epigraph post-daily` options.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  EPIGRAPH_WEBHOOK_URL=https://hooks.slack.com/services/... epigraph post-daily --to slack
  epigraph post-daily --to discord \"$URL\" --collection pratchett --fit discord
  crontab: 0 8 * * * EPIGRAPH_WEBHOOK_URL=... /usr/local/bin/epigraph post-daily --to slack

Prints nothing when the post is delivered. Exits 3 when it is not (the platform refused it, or
was busy or unreachable at every attempt), with one line naming the host and the status; the
webhook's path, which is its secret, is never printed.")]
pub struct PostDailyArgs {
    /// The platform whose webhook JSON to send: slack, mattermost or discord.
    #[arg(long, value_name = "PLATFORM", value_parser = Platform::parse)]
    pub to: Platform,

    /// The channel's incoming-webhook URL. The variable keeps it out of `ps` and of command
    /// lines; with it set, the first argument may be a collection or file as usual.
    #[arg(value_name = "URL", env = URL_VAR, hide_env_values = true)]
    pub url: Option<String>,

    /// Attempts in all (1 to 20): answers 429 and 5xx and unreachable hosts are tried again.
    #[arg(
        long,
        value_name = "N",
        env = "EPIGRAPH_POST_ATTEMPTS",
        default_value_t = 5,
        value_parser = clap::value_parser!(u32).range(1..=20)
    )]
    pub attempts: u32,

    /// Seconds to wait after the first failure (fractions allowed, at most 60); the wait
    /// doubles after each further failure, up to 60 s. A `Retry-After` from the platform wins.
    #[arg(
        long,
        value_name = "SECS",
        env = "EPIGRAPH_POST_BACKOFF",
        default_value = "1",
        value_parser = parse_backoff
    )]
    pub backoff: Duration,

    /// Which quote: the same filters and day as `epigraph motd`.
    #[command(flatten)]
    pub pick: DailyPick,
}

fn parse_backoff(text: &str) -> Result<Duration, String> {
    match text.trim().parse::<f64>() {
        Ok(secs) if (0.0..=MAX_BACKOFF_SECS).contains(&secs) => Ok(Duration::from_secs_f64(secs)),
        _ => Err(format!(
            "expected seconds from 0 to {MAX_BACKOFF_SECS}, such as 1 or 0.5"
        )),
    }
}

/// Runs `epigraph post-daily`.
pub fn run(mut args: PostDailyArgs) -> Result<ExitCode, CliError> {
    let url = webhook_url(&mut args)?;
    // A posted quote goes to a channel: the chat face's rules apply.
    let picked = args.pick.candidates(false, crate::corpus::Face::Chat)?;
    let day = args.pick.day()?;
    let json = body(args.to, &picked.corpus, &picked.indexes, day).ok_or_else(nothing_left)?;
    let delivery = Delivery {
        attempts: args.attempts,
        first_backoff: args.backoff,
        ..Delivery::default()
    };
    post_json(&url, &json, &delivery)?;
    Ok(ExitCode::SUCCESS)
}

/// The URL from the argument or the variable. An argument that is no URL while the variable
/// is set is a collection or file: collection names and paths never hold `://`.
fn webhook_url(args: &mut PostDailyArgs) -> Result<String, CliError> {
    let missing = || {
        CliError::Usage(format!(
            "post-daily needs the webhook URL, as an argument or in {URL_VAR}"
        ))
    };
    let url = args.url.take().ok_or_else(missing)?;
    let url = if url.contains("://") {
        url
    } else {
        let from_env = std::env::var(URL_VAR).map_err(|_| missing())?;
        args.pick.targets.insert(0, url);
        from_env
    };
    check_url(&url).map_err(|e| CliError::Usage(format!("post-daily: {e}")))?;
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoffs_are_bounded_seconds() {
        assert_eq!(parse_backoff("0.25"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_backoff("0"), Ok(Duration::ZERO));
        for bad in ["-1", "61", "NaN", "inf", "1s", ""] {
            assert!(parse_backoff(bad).is_err(), "{bad}");
        }
    }
}
