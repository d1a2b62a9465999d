//! The quote of the day posted to a channel's incoming webhook: the message (exactly the
//! `/quote today` answer, in the platform's JSON), and `serve --post-daily`'s schedule — a
//! target `PLATFORM=URL@HH:MM[:SS][OFFSET]`, when it next fires, and the thread that posts.
//!
//! The time is UTC, a fixed offset (`+01:00`) or an IANA zone (`[Europe/Berlin]`, read with
//! `jiff`, daylight saving time included). The posted quote is that of
//! the UTC day at the moment of posting, the one `/today` shows then (and `post-daily` run by
//! cron at the same moment), so a server and a cron job never disagree.

use super::command::of_the_day;
use super::message::Platform;
use super::webhook::{Delivery, host_of, post_json};
use crate::corpus::{Corpus, Day, quote_of_the_day};
use crate::server::state::AppState;
use jiff::Timestamp;
use jiff::tz::TimeZone;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const DAY_SECS: i64 = 86_400;

/// The webhook body of the quote of `day` among `candidates`, `None` when there are none.
pub fn body(platform: Platform, corpus: &Corpus, candidates: &[u32], day: Day) -> Option<String> {
    let index = quote_of_the_day(corpus.quotes(), candidates, day)?;
    Some(
        platform
            .webhook_body(&of_the_day(corpus, index, day))
            .to_string(),
    )
}

/// Where a time of day is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Zone {
    /// Seconds east of UTC, within ±18 hours (0: UTC).
    Fixed(i64),
    /// An IANA time zone, daylight saving time included.
    Named(TimeZone),
}

/// A time of day in a time zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeOfDay {
    /// Seconds after local midnight, below 86 400.
    pub secs: i64,
    /// The zone the time is read in.
    pub zone: Zone,
}

impl TimeOfDay {
    /// Reads `HH:MM` or `HH:MM:SS`, then nothing or `Z` (UTC), `+HH:MM` / `-HH:MM`, or an IANA
    /// name in brackets or after a space (`[Europe/Berlin]`, ` Europe/Berlin`).
    pub fn parse(text: &str) -> Result<TimeOfDay, String> {
        let clock_len = match text.as_bytes().get(5) {
            Some(b':') => 8,
            _ => 5,
        };
        // `get`, not `split_at`: a multi-byte character there is bad input, not a panic.
        let (clock, zone) = match (text.get(..clock_len), text.get(clock_len..)) {
            (Some(clock), Some(zone)) => (clock, zone),
            _ => (text, ""),
        };
        let secs = clock_secs(clock).ok_or_else(|| {
            format!("the time must be HH:MM or HH:MM:SS (00:00 to 23:59:59), got {clock:?}")
        })?;
        let zone = match zone {
            "" | "Z" => Zone::Fixed(0),
            _ if zone.starts_with(['+', '-']) => {
                Zone::Fixed(zone_offset(zone).ok_or_else(|| {
                    format!("a fixed offset is +HH:MM or -HH:MM, at most 18 hours, got {zone:?}")
                })?)
            }
            _ => Zone::Named(named_zone(zone)?),
        };
        Ok(TimeOfDay { secs, zone })
    }

    /// The first moment strictly after `now` (Unix seconds) that is this time of day, as Unix
    /// seconds: today's if it is still ahead, else tomorrow's. Counting from the moment a post
    /// was made therefore always gives the next day's, so each day has one post. A time that
    /// a zone skips (spring forward) is taken after the gap; one it repeats (fall back), the
    /// first time.
    pub fn next_after(&self, now: i64) -> i64 {
        match &self.zone {
            Zone::Fixed(offset) => {
                let local = now + offset;
                let mut fire = local.div_euclid(DAY_SECS) * DAY_SECS + self.secs;
                if fire <= local {
                    fire += DAY_SECS;
                }
                fire - offset
            }
            Zone::Named(tz) => self.next_in(tz, now).unwrap_or(now + DAY_SECS),
        }
    }

    fn next_in(&self, tz: &TimeZone, now: i64) -> Option<i64> {
        let mut date = Timestamp::from_second(now)
            .ok()?
            .to_zoned_datetime(tz.clone())
            .date();
        let (h, m, s) = (self.secs / 3600, self.secs / 60 % 60, self.secs % 60);
        // Today's, else tomorrow's; a third day only if a zone ever skipped a whole day.
        for _ in 0..3 {
            let local = date.at(h as i8, m as i8, s as i8, 0);
            let fire = tz.to_ambiguous_timestamp(local).compatible().ok()?;
            if fire.as_second() > now {
                return Some(fire.as_second());
            }
            date = date.tomorrow().ok()?;
        }
        None
    }
}

impl std::fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (h, m, s) = (self.secs / 3600, self.secs / 60 % 60, self.secs % 60);
        write!(f, "{h:02}:{m:02}:{s:02}")?;
        match &self.zone {
            Zone::Fixed(0) => f.write_str(" UTC"),
            Zone::Fixed(offset) => {
                let sign = if *offset < 0 { '-' } else { '+' };
                let off = offset.abs();
                write!(f, "{sign}{:02}:{:02}", off / 3600, off / 60 % 60)
            }
            Zone::Named(tz) => write!(f, " {}", tz.iana_name().unwrap_or("?")),
        }
    }
}

/// `[Area/City]` or ` Area/City`, looked up in the system's tz database (or the bundled one).
fn named_zone(zone: &str) -> Result<TimeZone, String> {
    let name = match zone.strip_prefix('[') {
        Some(rest) => rest.strip_suffix(']'),
        None => zone.strip_prefix(' '),
    };
    let name = name
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .ok_or_else(|| {
            format!(
                "the time zone must be Z, a fixed offset such as +01:00, or a name such as \
             [Europe/Berlin], got {zone:?}"
            )
        })?;
    TimeZone::get(name)
        .map_err(|_| format!("unknown time zone {name:?} (IANA names such as Europe/Berlin)"))
}

/// `HH:MM` or `HH:MM:SS`, two digits each, as seconds after midnight.
fn clock_secs(clock: &str) -> Option<i64> {
    let fields: Vec<&str> = clock.split(':').collect();
    if !(2..=3).contains(&fields.len()) || fields.iter().any(|f| !two_digits(f)) {
        return None;
    }
    let n = |i: usize| fields.get(i).map_or(Some(0), |f| f.parse::<i64>().ok());
    let (h, m, s) = (n(0)?, n(1)?, n(2)?);
    (h < 24 && m < 60 && s < 60).then_some(h * 3600 + m * 60 + s)
}

/// `+HH:MM` or `-HH:MM` (up to 18 hours, as RFC 3339 and ISO 8601 allow) in seconds.
fn zone_offset(zone: &str) -> Option<i64> {
    let sign = match zone.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let (h, m) = zone[1..].split_once(':')?;
    if !two_digits(h) || !two_digits(m) {
        return None;
    }
    let (h, m) = (h.parse::<i64>().ok()?, m.parse::<i64>().ok()?);
    (h <= 18 && m < 60 && h * 60 + m <= 18 * 60).then_some(sign * (h * 3600 + m * 60))
}

fn two_digits(field: &str) -> bool {
    field.len() == 2 && field.bytes().all(|b| b.is_ascii_digit())
}

/// One `--post-daily` target.
#[derive(Clone, PartialEq, Eq)]
pub struct Target {
    /// Whose JSON to send.
    pub platform: Platform,
    /// The incoming-webhook URL (a secret: only its host is ever shown).
    pub url: String,
    /// When to post each day.
    pub at: TimeOfDay,
}

impl Target {
    /// Reads `PLATFORM=URL@TIME` (the URL ends at the last `@`). Errors never quote the URL.
    pub fn parse(spec: &str) -> Result<Target, String> {
        let spec = spec.trim();
        let (platform, rest) = spec.split_once('=').ok_or(
            "expected PLATFORM=URL@HH:MM, such as slack=https://hooks.slack.com/...@08:00",
        )?;
        let platform = Platform::parse(platform)?;
        let (url, at) = rest
            .rsplit_once('@')
            .ok_or("the URL must be followed by @HH:MM (the time to post, UTC by default)")?;
        check_url(url)?;
        let at =
            TimeOfDay::parse(at).map_err(|e| format!("{platform} to {}: {e}", host_of(url)))?;
        Ok(Target {
            platform,
            url: url.to_string(),
            at,
        })
    }
}

/// A webhook URL must be `http(s)://HOST...`; the message never repeats the URL.
pub fn check_url(url: &str) -> Result<(), String> {
    let scheme_ok = url.starts_with("https://") || url.starts_with("http://");
    if !scheme_ok || host_of(url).is_empty() {
        return Err("the webhook URL must start with https:// (or http://) and a host".into());
    }
    Ok(())
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Target({self})")
    }
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (platform, host, at) = (self.platform, host_of(&self.url), &self.at);
        write!(f, "{platform} to {host} at {at}")
    }
}

/// Starts one thread per target that posts the quote of the day of the live corpus (the one
/// being served, reloads included) at its time each day. The threads only sleep and post:
/// they hold nothing the server waits for, so shutdown does not wait for them.
pub fn start(state: &AppState, targets: Vec<Target>, delivery: Delivery) {
    for target in targets {
        tracing::info!("posting the quote of the day: {target}");
        let (state, delivery) = (state.clone(), delivery.clone());
        let spawned = std::thread::Builder::new()
            .name(format!("post-daily-{}", target.platform))
            .spawn(move || run(&state, &target, &delivery));
        if let Err(err) = spawned {
            tracing::error!("cannot start the daily post thread: {err}");
        }
    }
}

/// The longest single sleep: the wall clock is read again after it, so a clock set forward
/// or a suspended machine does not postpone a post by a day.
const MAX_NAP: Duration = Duration::from_secs(60);

fn run(state: &AppState, target: &Target, delivery: &Delivery) {
    let mut fire = target.at.next_after(unix_secs());
    loop {
        let due = UNIX_EPOCH + Duration::from_secs(fire.max(0) as u64);
        match due.duration_since(SystemTime::now()) {
            Ok(left) if !left.is_zero() => std::thread::sleep(left.min(MAX_NAP)),
            _ => {
                post_once(state, target, fire, delivery);
                fire = target.at.next_after(fire.max(unix_secs()));
            }
        }
    }
}

/// Posts the quote of the UTC day `fire` falls in, logging the outcome with the host only.
fn post_once(state: &AppState, target: &Target, fire: i64, delivery: &Delivery) {
    let day = Day::from_number(fire.div_euclid(DAY_SECS));
    let snapshot = state.face(crate::corpus::Face::Chat);
    let corpus = &snapshot.corpus;
    let candidates = corpus.select(&Default::default()).unwrap_or_default();
    let Some(json) = body(target.platform, corpus, &candidates, day) else {
        tracing::error!(%day, "no quote to post: {target}");
        return;
    };
    drop(snapshot);
    match post_json(&target.url, &json, delivery) {
        Ok(attempts) => tracing::info!(%day, attempts, "posted the quote of the day: {target}"),
        Err(err) => tracing::error!(%day, "daily post failed ({target}): {err}"),
    }
}

fn unix_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

#[cfg(test)]
mod tests;
