//! Quote of the day: a pure function of the UTC date and the set of quotes it is chosen from,
//! the same on every machine and through every face.
//!
//! Days are numbered from 1970-01-01. The candidate quotes, ordered by id, are walked in
//! cycles: cycle `day / n` is a shuffle of all `n` quotes seeded by SHA-256 of the candidates'
//! ids and the cycle number, and the day takes position `day % n`. So no quote repeats until
//! every candidate has had its day, replicas need not talk to each other, and two ways of
//! asking for the same set (`epigraph motd pratchett`, `/today?collection=pratchett`) agree.

use super::pick::SplitMix64;
use crate::quote::Quote;
use chrono::{NaiveDate, Utc};
use sha2::{Digest, Sha256};

/// A UTC calendar day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Day(NaiveDate);

/// Years a date may have. Days are numbered from the Unix epoch, and four digits is what
/// `YYYY` can write.
pub const YEARS: std::ops::RangeInclusive<i32> = 1970..=9999;

/// Why a string is not a day `Day::parse` accepts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadDate {
    /// Not written `YYYY-MM-DD` with exactly 4, 2 and 2 digits.
    #[error("dates are written YYYY-MM-DD (4, 2 and 2 digits), got {0:?}")]
    Format(String),
    /// Well written, but the year is outside [`YEARS`].
    #[error("{0}: the year must be from 1970 to 9999")]
    Year(String),
    /// Well written, but there is no such month.
    #[error("{0} is not a day: months run from 01 to 12")]
    Month(String),
    /// Well written, but the month has no such day.
    #[error("{date} is not a day: {month} {year} has {days} days")]
    Day {
        /// The date as given.
        date: String,
        /// The month's English name.
        month: &'static str,
        /// The year.
        year: i32,
        /// How many days that month has.
        days: u32,
    },
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl Day {
    /// Today in UTC.
    pub fn today() -> Day {
        Day(Utc::now().date_naive())
    }

    /// Parses exactly `YYYY-MM-DD`: no sign, no space, no short fields, so every day has one
    /// spelling (one URL, one cache entry).
    pub fn parse(text: &str) -> Result<Day, BadDate> {
        let bytes = text.as_bytes();
        let shape = bytes.len() == 10
            && bytes[4] == b'-'
            && bytes[7] == b'-'
            && bytes
                .iter()
                .enumerate()
                .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
        if !shape {
            return Err(BadDate::Format(text.chars().take(40).collect()));
        }
        // Only ASCII digits remain in the fields, so these parses cannot fail.
        let field = |range: std::ops::Range<usize>| text[range].parse::<u32>().unwrap_or(0);
        let (year, month, day) = (field(0..4) as i32, field(5..7), field(8..10));
        if !YEARS.contains(&year) {
            return Err(BadDate::Year(text.to_string()));
        }
        if !(1..=12).contains(&month) {
            return Err(BadDate::Month(text.to_string()));
        }
        NaiveDate::from_ymd_opt(year, month, day)
            .map(Day)
            .ok_or_else(|| BadDate::Day {
                date: text.to_string(),
                month: MONTHS[month as usize - 1],
                year,
                days: days_in_month(year, month),
            })
    }

    /// The day `number` days after 1970-01-01.
    pub fn from_number(number: i64) -> Day {
        Day(NaiveDate::default() + chrono::TimeDelta::days(number))
    }

    /// Days since 1970-01-01 (negative before).
    pub fn number(&self) -> i64 {
        (self.0 - NaiveDate::default()).num_days()
    }

    /// Seconds since the epoch of the following midnight UTC, when this day's quote expires.
    pub fn next_midnight(&self) -> i64 {
        (self.number() + 1) * 86_400
    }
}

/// The number of days of `month` (1 to 12) in `year`.
fn days_in_month(year: i32, month: u32) -> u32 {
    let first = |y, m| NaiveDate::from_ymd_opt(y, m, 1).expect("the first of a month exists");
    let next = if month == 12 {
        first(year + 1, 1)
    } else {
        first(year, month + 1)
    };
    (next - first(year, month)).num_days() as u32
}

impl std::fmt::Display for Day {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d"))
    }
}

/// The quote of `day` among `candidates` (indexes into `quotes`): different sets get
/// independent sequences. `None` when there are no candidates.
pub fn quote_of_the_day(quotes: &[Quote], candidates: &[u32], day: Day) -> Option<u32> {
    let mut ordered: Vec<u32> = candidates.to_vec();
    ordered.sort_by_key(|&i| quotes[i as usize].id);
    ordered.dedup_by_key(|i| quotes[*i as usize].id);
    let n = ordered.len() as i64;
    if n == 0 {
        return None;
    }
    let day = day.number();
    let (cycle, position) = (day.div_euclid(n), day.rem_euclid(n) as usize);
    let mut hasher = Sha256::new().chain_update(b"epigraph/qotd/v2\0");
    for &i in &ordered {
        hasher.update(quotes[i as usize].id.hex().as_bytes());
    }
    let digest = hasher.chain_update(cycle.to_be_bytes()).finalize();
    let seed = u64::from_be_bytes(digest[..8].try_into().expect("8 bytes"));
    let mut rng = SplitMix64::new(seed);
    // Fisher-Yates, only as far as the position we need.
    for i in 0..=position {
        let j = i + rng.below(ordered.len() - i);
        ordered.swap(i, j);
    }
    Some(ordered[position])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parser::parse_collection;

    fn quotes(n: usize) -> Vec<Quote> {
        let text: String = (0..n).map(|i| format!("quote number {i}\n%\n")).collect();
        parse_collection(&text, 0).quotes
    }

    #[test]
    fn no_repeats_within_a_cycle_and_stable_per_day() {
        let quotes = quotes(10);
        let all: Vec<u32> = (0..10).collect();
        // Day 20000 starts a cycle of 10: the next ten days show ten different quotes.
        let picks: Vec<u32> = (20_000..20_010)
            .map(|d| quote_of_the_day(&quotes, &all, Day::from_number(d)).unwrap())
            .collect();
        let mut unique = picks.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 10, "{picks:?}");
        let again = quote_of_the_day(&quotes, &all, Day::from_number(20_000));
        assert_eq!(again, Some(picks[0]));
    }

    #[test]
    fn order_of_candidates_does_not_matter_but_the_set_does() {
        let quotes = quotes(51);
        let forward: Vec<u32> = (0..50).collect();
        let backward: Vec<u32> = (0..50).rev().collect();
        let day = Day::parse("2026-11-28").unwrap();
        assert_eq!(
            quote_of_the_day(&quotes, &forward, day),
            quote_of_the_day(&quotes, &backward, day)
        );
        // The same set named twice (duplicated indexes) is the same set.
        let twice: Vec<u32> = forward.iter().chain(&forward).copied().collect();
        assert_eq!(
            quote_of_the_day(&quotes, &twice, day),
            quote_of_the_day(&quotes, &forward, day)
        );
        // Another set of the same size gets its own sequence.
        let other: Vec<u32> = (1..51).collect();
        let days: Vec<_> = (0..20)
            .map(|d| Day::from_number(day.number() + d))
            .collect();
        let a: Vec<_> = days
            .iter()
            .map(|&d| quote_of_the_day(&quotes, &forward, d))
            .collect();
        let b: Vec<_> = days
            .iter()
            .map(|&d| quote_of_the_day(&quotes, &other, d))
            .collect();
        assert_ne!(a, b);
        assert_eq!(quote_of_the_day(&quotes, &[], day), None);
    }

    #[test]
    fn dates_parse_and_number() {
        assert_eq!(Day::parse("1970-01-02").unwrap().number(), 1);
        assert_eq!(Day::parse("1970-01-01").unwrap().next_midnight(), 86_400);
        assert_eq!(Day::parse("2025-08-29").unwrap().to_string(), "2025-08-29");
        assert_eq!(Day::parse("2024-02-29").unwrap().to_string(), "2024-02-29");
        assert_eq!(Day::parse("9999-12-31").unwrap().to_string(), "9999-12-31");
    }

    fn message(text: &str) -> String {
        Day::parse(text).unwrap_err().to_string()
    }

    #[test]
    fn badly_written_dates_say_how_to_write_one() {
        for bad in [
            "2024-1-1",
            "+2024-01-01",
            " 2024-01-01",
            "2024-01-01 ",
            "2024/01/01",
            "20240101",
            "99999-01-01",
            "2024-01-0x",
            "２０２４-01-01",
            "yesterday",
            "",
        ] {
            assert!(
                matches!(Day::parse(bad), Err(BadDate::Format(_))),
                "{bad:?}"
            );
        }
        assert_eq!(
            message("2024-1-1"),
            r#"dates are written YYYY-MM-DD (4, 2 and 2 digits), got "2024-1-1""#
        );
    }

    #[test]
    fn well_written_dates_that_do_not_exist_say_why() {
        assert_eq!(
            message("2026-02-30"),
            "2026-02-30 is not a day: February 2026 has 28 days"
        );
        assert_eq!(
            message("2024-02-30"),
            "2024-02-30 is not a day: February 2024 has 29 days"
        );
        assert_eq!(
            message("2025-04-31"),
            "2025-04-31 is not a day: April 2025 has 30 days"
        );
        assert_eq!(
            message("2025-12-00"),
            "2025-12-00 is not a day: December 2025 has 31 days"
        );
        assert_eq!(
            message("2025-13-01"),
            "2025-13-01 is not a day: months run from 01 to 12"
        );
        assert_eq!(
            message("0000-01-01"),
            "0000-01-01: the year must be from 1970 to 9999"
        );
        assert_eq!(
            message("1969-12-31"),
            "1969-12-31: the year must be from 1970 to 9999"
        );
    }
}
