//! No-repeat decks: a seeded shuffle of a candidate set, walked one step at a time with no
//! state kept anywhere but in the token the walker carries.
//!
//! The shuffle is a keyed permutation of `0..n`: a four-round Feistel network over the
//! smallest even-bit domain `0..4^h` holding `n`, with cycle-walking (values at or above `n`
//! are encrypted again until they fall inside), so step `i` costs O(1) and needs no table. Each
//! pass through the deck (`position / n`) uses its own round keys, so a second pass is a new
//! order, and within a pass every candidate comes exactly once.
//!
//! A [`Deck`] is the seed, the position and a fingerprint of the candidate set (the ids of its
//! quotes, in order), written as a token of lowercase hex with a check value, so a token typed
//! wrong or edited by hand is refused, and one from another filter or another set of loaded
//! quotes is recognised as foreign. Nothing here knows about HTTP or files.

use crate::quote::QuoteId;
use sha2::{Digest, Sha256};

/// Feistel rounds: four make a keyed permutation that looks random to anyone without the key
/// (Luby-Rackoff); the key here is not secret, so this is a shuffle, not a cipher.
const ROUNDS: usize = 4;

/// A keyed permutation of `0..n`.
#[derive(Debug, Clone)]
pub struct Shuffle {
    n: u64,
    half_bits: u32,
    keys: [u64; ROUNDS],
}

impl Shuffle {
    /// The permutation of `0..n` for `seed` and pass `pass` (0 for the first time through).
    pub fn new(n: u64, seed: u64, pass: u64) -> Shuffle {
        let bits = 64 - n.saturating_sub(1).leading_zeros();
        let half_bits = bits.div_ceil(2).max(1);
        let mut state = seed ^ mix(pass.wrapping_add(0x5DEE_CE66_D1CE_4E5B));
        let keys = std::array::from_fn(|_| {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            mix(state)
        });
        Shuffle { n, half_bits, keys }
    }

    /// The element at step `i` (`i < n`) of the permutation.
    pub fn at(&self, i: u64) -> u64 {
        debug_assert!(i < self.n, "{i} is outside 0..{}", self.n);
        // Cycle-walking: the domain is under 4n, so on average under four rounds of encryption
        // bring a value back inside `0..n`, and the walk is a permutation of `0..n` itself.
        let mut x = self.encrypt(i);
        while x >= self.n {
            x = self.encrypt(x);
        }
        x
    }

    fn encrypt(&self, x: u64) -> u64 {
        let mask = (1u64 << self.half_bits) - 1;
        let (mut left, mut right) = (x >> self.half_bits, x & mask);
        for key in self.keys {
            let next = left ^ (mix(right ^ key) & mask);
            left = right;
            right = next;
        }
        (left << self.half_bits) | right
    }
}

/// SplitMix64's finaliser: a bijective mix of 64 bits.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A fingerprint of a candidate set: the first 64 bits of SHA-256 over its quotes' ids, in
/// order. Equal on every machine that loaded the same quotes and applied the same filter.
pub fn fingerprint(ids: impl IntoIterator<Item = QuoteId>) -> u64 {
    let mut hash = Sha256::new();
    hash.update(b"epigraph deck candidates\0");
    for id in ids {
        hash.update(id.hex().as_bytes());
        hash.update(b"\n");
    }
    let digest = hash.finalize();
    u64::from_be_bytes(digest[..8].try_into().unwrap_or_default())
}

/// What is wrong with a deck token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DeckError {
    /// Not a token this program wrote (or one altered since).
    #[error("not a deck token (altered or cut short); start a new deck with deck=new")]
    Malformed,
    /// A well-formed token for another candidate set.
    #[error(
        "this deck belongs to another filter or another set of loaded quotes; start a new \
         deck with deck=new"
    )]
    Foreign,
}

/// Where a walk through a candidate set stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deck {
    /// Seed of the shuffle.
    pub seed: u64,
    /// Steps taken so far (the next quote shown is step `position`).
    pub position: u64,
    /// [`fingerprint`] of the candidate set the deck walks.
    pub fingerprint: u64,
}

/// Hex digits of the fixed part of a token: seed, fingerprint, check.
const FIXED_DIGITS: usize = 16 + 16 + 8;

impl Deck {
    /// A fresh deck over the candidate set with this fingerprint.
    pub fn new(seed: u64, fingerprint: u64) -> Deck {
        Deck {
            seed,
            position: 0,
            fingerprint,
        }
    }

    /// The index (into the candidate set of `n`) the deck shows now; `None` when `n` is 0.
    pub fn current(&self, n: usize) -> Option<usize> {
        let n = n as u64;
        if n == 0 {
            return None;
        }
        let shuffle = Shuffle::new(n, self.seed, self.position / n);
        Some(shuffle.at(self.position % n) as usize)
    }

    /// The deck one step on.
    pub fn next(&self) -> Deck {
        Deck {
            position: self.position.wrapping_add(1),
            ..*self
        }
    }

    /// The token: hex of the seed, the fingerprint, a check value over all three fields, then
    /// the position (as many digits as it needs).
    pub fn token(&self) -> String {
        format!(
            "{:016x}{:016x}{:08x}{:x}",
            self.seed,
            self.fingerprint,
            self.check(),
            self.position
        )
    }

    /// Reads a token written by [`Deck::token`].
    pub fn parse(token: &str) -> Result<Deck, DeckError> {
        let hex = |s: &str| {
            let lower = s
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
            if lower {
                u64::from_str_radix(s, 16).ok()
            } else {
                None
            }
        };
        if token.len() <= FIXED_DIGITS || token.len() > FIXED_DIGITS + 16 {
            return Err(DeckError::Malformed);
        }
        let field = |range: std::ops::Range<usize>| {
            token.get(range).and_then(hex).ok_or(DeckError::Malformed)
        };
        let deck = Deck {
            seed: field(0..16)?,
            fingerprint: field(16..32)?,
            position: field(FIXED_DIGITS..token.len())?,
        };
        // One spelling per deck: no leading zeros in the position, and the check must agree.
        let canonical = deck.token() == token;
        if !canonical || field(32..FIXED_DIGITS)? != u64::from(deck.check()) {
            return Err(DeckError::Malformed);
        }
        Ok(deck)
    }

    /// Reads a token and checks it walks the candidate set with this fingerprint.
    pub fn resume(token: &str, fingerprint: u64) -> Result<Deck, DeckError> {
        let deck = Deck::parse(token)?;
        if deck.fingerprint != fingerprint {
            return Err(DeckError::Foreign);
        }
        Ok(deck)
    }

    fn check(&self) -> u32 {
        let digest = Sha256::new()
            .chain_update(b"epigraph deck token\0")
            .chain_update(self.seed.to_be_bytes())
            .chain_update(self.fingerprint.to_be_bytes())
            .chain_update(self.position.to_be_bytes())
            .finalize();
        u32::from_be_bytes(digest[..4].try_into().unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pass_is_a_permutation_and_passes_differ() {
        for n in [1u64, 2, 3, 5, 16, 17, 100, 255, 256, 257, 1000, 4099] {
            for seed in [0, 1, 0xDEAD_BEEF] {
                let mut orders = Vec::new();
                for pass in 0..2 {
                    let shuffle = Shuffle::new(n, seed, pass);
                    let order: Vec<u64> = (0..n).map(|i| shuffle.at(i)).collect();
                    let mut sorted = order.clone();
                    sorted.sort_unstable();
                    assert_eq!(sorted, (0..n).collect::<Vec<_>>(), "n={n} seed={seed}");
                    orders.push(order);
                }
                if n >= 5 {
                    assert_ne!(orders[0], orders[1], "n={n}: a second pass reshuffles");
                    assert_ne!(orders[0], (0..n).collect::<Vec<_>>(), "n={n}: shuffled");
                }
            }
        }
    }

    #[test]
    fn a_deck_visits_each_once_per_pass() {
        let n = 37;
        let mut deck = Deck::new(7, 99);
        for _ in 0..3 {
            let mut seen = vec![false; n];
            for _ in 0..n {
                let i = deck.current(n).unwrap();
                assert!(!seen[i], "{i} came twice in one pass");
                seen[i] = true;
                deck = deck.next();
            }
        }
        assert_eq!(Deck::new(1, 2).current(0), None);
    }

    #[test]
    fn tokens_round_trip_and_refuse_edits() {
        let deck = Deck {
            seed: 0x0123_4567_89ab_cdef,
            position: 300,
            fingerprint: 42,
        };
        let token = deck.token();
        assert_eq!(
            token,
            format!("0123456789abcdef000000000000002a{:08x}12c", deck.check())
        );
        assert_eq!(Deck::parse(&token), Ok(deck));
        assert_eq!(Deck::resume(&token, 42), Ok(deck));
        assert_eq!(Deck::resume(&token, 43), Err(DeckError::Foreign));
        // Every single-digit edit is refused.
        for i in 0..token.len() {
            let mut edited = token.clone().into_bytes();
            edited[i] = if edited[i] == b'0' { b'1' } else { b'0' };
            let edited = String::from_utf8(edited).unwrap();
            assert_eq!(Deck::parse(&edited), Err(DeckError::Malformed), "{edited}");
        }
        for bad in [
            "",
            "new",
            &token[..40],
            &token.to_uppercase(),
            &format!("{token}0"),
        ] {
            assert_eq!(Deck::parse(bad), Err(DeckError::Malformed), "{bad}");
        }
    }
}
