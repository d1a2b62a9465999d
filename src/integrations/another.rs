//! The "Another" button under a chat quote: a no-repeat deck per channel and per filter, kept
//! in the button's value alone, so any replica continues any channel's deck.
//!
//! Decks: `/quote` and `/quote NAME` walk a [`Deck`] over the quotes the command selects. Its
//! seed is derived from the channel id and the command text, so two channels walk different
//! orders. A fresh command starts a random pass of that deck ([`PASSES`] orders per channel):
//! the first quote is unpredictable, and following "Another" from there shows every quote of
//! the set once before any comes back. The quote of the day, search results, help and errors
//! carry no button (one quote of the day; a search answer names its match count instead).
//!
//! The value is `TOKEN` or `TOKEN:TEXT` (the deck token of the next step, then the command
//! text). A token from another set of loaded quotes (the corpus changed since) starts a new
//! pass with no error shown; a value that is not of this shape is the caller's 400.

use super::command::{self, Answer, Query};
use crate::corpus::deck::{Deck, fingerprint};
use crate::corpus::{Corpus, Filter};
use crate::server::cache;
use crate::server::state::Snapshot;
use sha2::{Digest, Sha256};

/// The `action_id` / `custom_id` prefix / action `id` of the button.
pub const ACTION_ID: &str = "another";
/// What the button says.
pub const LABEL: &str = "Another";
/// How many passes (orders) a fresh command picks from.
pub const PASSES: u64 = 1 << 16;

/// A reply and, when it is a step of a channel's deck, the value for its "Another" button.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dealt {
    /// The reply as plain text.
    pub answer: Answer,
    /// The button's value (`TOKEN` or `TOKEN:TEXT`), `None` for no button.
    pub button: Option<String>,
}

/// A button value this program did not write.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the button value is not an epigraph deck (TOKEN or TOKEN:NAME)")]
pub struct BadValue;

/// The command text a deck follows, for the commands that get a button.
fn deck_text(query: &Query) -> Option<&str> {
    match query {
        Query::Random => Some(""),
        Query::Topic(name) => Some(name),
        _ => None,
    }
}

/// The reply to a slash command in `channel`; `answer` gives the reply to the commands that
/// are not a deck (and to deck commands that select nothing, so their errors stay the same).
pub fn reply(
    snapshot: &Snapshot,
    query: &Query,
    channel: &str,
    answer: impl FnOnce() -> Answer,
) -> Dealt {
    let corpus = &snapshot.corpus;
    let started = deck_text(query).and_then(|text| {
        let (candidates, fp) = candidates(snapshot, text).ok()?;
        let n = candidates.len() as u64;
        let pass = rand::random::<u64>() % PASSES;
        let deck = Deck {
            seed: channel_seed(channel, text),
            position: pass * n,
            fingerprint: fp,
        };
        deal(corpus, &candidates, deck, text)
    });
    started.unwrap_or_else(|| Dealt {
        answer: answer(),
        button: None,
    })
}

/// The reply to a click on a button whose value is `value`: the deck's next quote and the
/// value of the button after it.
pub fn click(snapshot: &Snapshot, value: &str) -> Result<Dealt, BadValue> {
    let corpus = &snapshot.corpus;
    let (token, text) = value.split_once(':').unwrap_or((value, ""));
    let deck = Deck::parse(token).map_err(|_| BadValue)?;
    if deck_text(&Query::parse(text)) != Some(text) {
        return Err(BadValue);
    }
    let (candidates, fp) = match candidates(snapshot, text) {
        Ok(found) => found,
        // The collection or tag is gone since the button was made: say so to the clicker.
        Err(message) => {
            return Ok(Dealt {
                answer: Answer::private(message),
                button: None,
            });
        }
    };
    let deck = if deck.fingerprint == fp {
        deck
    } else {
        // The loaded quotes changed: a new pass of the same deck over the new set.
        let n = candidates.len() as u64;
        Deck {
            position: (rand::random::<u64>() % PASSES) * n,
            fingerprint: fp,
            ..deck
        }
    };
    deal(corpus, &candidates, deck, text).ok_or(BadValue)
}

/// The button value for the deck `deck` (the step to show next) over `text`'s quotes.
pub fn value(deck: &Deck, text: &str) -> String {
    let token = deck.token();
    if text.is_empty() {
        token
    } else {
        format!("{token}:{text}")
    }
}

/// The candidates of `text` (empty = all quotes) and their fingerprint; a message when there
/// are none.
fn candidates(snapshot: &Snapshot, text: &str) -> Result<(Vec<u32>, u64), String> {
    let corpus = &snapshot.corpus;
    let filter = if text.is_empty() {
        Filter::default()
    } else {
        command::topic(corpus, text)?
    };
    let candidates = corpus.select(&filter).map_err(|e| e.to_string())?;
    if candidates.is_empty() {
        return Err("No quote matches.".into());
    }
    // Hashing every candidate's id is O(n) per click: kept per worker and corpus generation,
    // as the HTTP decks keep theirs.
    let halves = cache::memo(snapshot, format!("chat deck\0{text}"), || {
        let quotes = corpus.quotes();
        let fp = fingerprint(candidates.iter().map(|&i| quotes[i as usize].id));
        Ok(vec![(fp >> 32) as u32, fp as u32])
    })
    .map_err(|_| String::from("No quote matches."))?;
    let fp = (u64::from(halves[0]) << 32) | u64::from(halves[1]);
    Ok((candidates, fp))
}

fn deal(corpus: &Corpus, candidates: &[u32], deck: Deck, text: &str) -> Option<Dealt> {
    let i = deck.current(candidates.len())?;
    Some(Dealt {
        answer: command::quote(corpus, candidates[i], None),
        button: Some(value(&deck.next(), text)),
    })
}

/// The seed of `channel`'s deck over `text`: the same on every replica.
pub fn channel_seed(channel: &str, text: &str) -> u64 {
    let digest = Sha256::new()
        .chain_update(b"epigraph chat deck\0")
        .chain_update(channel.as_bytes())
        .chain_update(b"\0")
        .chain_update(text.as_bytes())
        .finalize();
    u64::from_be_bytes(digest[..8].try_into().unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::{Chooser, Day};
    use crate::server::state::AppState;
    use std::sync::Arc;

    fn embedded() -> Arc<Snapshot> {
        let (state, _) = AppState::load(Vec::new()).unwrap();
        state.face(crate::corpus::Face::Chat).shared()
    }

    fn first(snapshot: &Snapshot, text: &str, channel: &str) -> Dealt {
        let query = Query::parse(text);
        reply(snapshot, &query, channel, || {
            let corpus = &snapshot.corpus;
            command::answer(corpus, &query, "/q", &mut Chooser::seeded(1), Day::today())
        })
    }

    #[test]
    fn following_the_button_visits_every_quote_of_the_set_once() {
        let corpus = embedded();
        let n = corpus
            .corpus
            .select(&command::topic(&corpus.corpus, "death").unwrap())
            .unwrap()
            .len();
        assert!(n > 3, "{n}");
        let mut dealt = first(&corpus, "death", "C1");
        let mut seen = std::collections::HashSet::new();
        for _ in 0..n {
            assert!(
                seen.insert(dealt.answer.text.clone()),
                "a repeat before the end"
            );
            let value = dealt.button.expect("a button");
            assert!(value.ends_with(":death"), "{value}");
            dealt = click(&corpus, &value).unwrap();
        }
        assert_eq!(seen.len(), n);
    }

    #[test]
    fn channels_walk_different_orders_and_other_replies_have_no_button() {
        let corpus = embedded();
        assert_ne!(channel_seed("C1", ""), channel_seed("C2", ""));
        assert_ne!(channel_seed("C1", ""), channel_seed("C1", "death"));
        let order = |channel: &str| {
            let mut deck = Deck::new(channel_seed(channel, ""), 0);
            (0..37)
                .map(|_| {
                    let i = deck.current(37);
                    deck = deck.next();
                    i
                })
                .collect::<Vec<_>>()
        };
        assert_ne!(order("C1"), order("C2"), "two channels, two orders");
        assert_eq!(
            order("C1"),
            order("C1"),
            "one channel, one order everywhere"
        );
        for text in ["today", "search wizard", "help", "nosuchthing"] {
            assert_eq!(first(&corpus, text, "C1").button, None, "{text}");
        }
        let unknown = first(&corpus, "nosuchthing", "C1").answer;
        assert!(!unknown.in_channel());
    }

    #[test]
    fn tokens_from_another_corpus_start_over_and_junk_is_refused() {
        let corpus = embedded();
        let stale = value(&Deck::new(5, 12345), "death");
        let dealt = click(&corpus, &stale).unwrap();
        assert!(dealt.answer.in_channel());
        assert!(dealt.button.is_some());
        for junk in ["", "x", "zz:death", &value(&Deck::new(5, 1), "two words")] {
            assert_eq!(click(&corpus, junk), Err(BadValue), "{junk}");
        }
        let gone = click(&corpus, &value(&Deck::new(5, 1), "nosuchtag")).unwrap();
        assert!(!gone.answer.in_channel());
        assert_eq!(gone.button, None);
    }
}
