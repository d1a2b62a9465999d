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

/// A date string that is not `YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("dates are written YYYY-MM-DD, got {0:?}")]
pub struct BadDate(pub String);

impl Day {
    /// Today in UTC.
    pub fn today() -> Day {
        Day(Utc::now().date_naive())
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Result<Day, BadDate> {
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map(Day)
            .map_err(|_| BadDate(text.chars().take(40).collect()))
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
        for bad in ["2025-13-01", "yesterday", "", "2025-02-30"] {
            assert!(Day::parse(bad).is_err(), "{bad}");
        }
    }
}
