//! The serialized JSON of recently served quotes, bounded in size whatever the corpus.
//!
//! A direct-mapped cache: quote `i` may only live in slot `i % slots`, so a lookup is one lock
//! and one compare, and the cache never holds more than [`SLOTS`] bodies. A corpus of up to
//! that many quotes keeps every quote's JSON once made (as an unbounded cache would); a
//! million-quote corpus keeps the latest few thousand instead of growing by 400 MB as every
//! permalink is walked.

use actix_web::web::Bytes;
use std::sync::Mutex;

/// The most quotes whose JSON is kept.
pub const SLOTS: usize = 16 * 1024;

/// A quote's index and its JSON, or nothing yet.
type Slot = Option<(u32, Bytes)>;

/// See the module documentation.
#[derive(Debug)]
pub struct JsonCache {
    slots: Box<[Mutex<Slot>]>,
}

impl JsonCache {
    /// A cache for a corpus of `quotes` quotes.
    pub fn new(quotes: usize) -> JsonCache {
        let slots = quotes.clamp(1, SLOTS);
        JsonCache {
            slots: (0..slots).map(|_| Mutex::new(None)).collect(),
        }
    }

    /// The JSON of quote `index`, made by `make` unless the cache holds it.
    pub fn get_or_make(&self, index: u32, make: impl FnOnce() -> Bytes) -> Bytes {
        let slot = &self.slots[index as usize % self.slots.len()];
        if let Ok(held) = slot.lock()
            && let Some((at, body)) = held.as_ref()
            && *at == index
        {
            return body.clone();
        }
        // Made outside the lock, so a slow serialization holds up no other request.
        let body = make();
        if let Ok(mut held) = slot.lock() {
            *held = Some((index, body.clone()));
        }
        body
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn keeps_what_it_made_and_never_more_than_its_slots() {
        let cache = JsonCache::new(3);
        let made = Cell::new(0);
        let make = |i: u32| {
            made.set(made.get() + 1);
            Bytes::from(format!("{{\"i\":{i}}}"))
        };
        for i in [0, 1, 2, 0, 1, 2] {
            assert_eq!(cache.get_or_make(i, || make(i)), format!("{{\"i\":{i}}}"));
        }
        assert_eq!(made.get(), 3, "a small corpus's quotes are each made once");
        let big = JsonCache::new(10_000_000);
        assert_eq!(big.slots.len(), SLOTS);
        assert_eq!(big.get_or_make(5, || make(5)), "{\"i\":5}");
        // Quote 5 + SLOTS takes the same slot, so quote 5 is made again afterwards.
        big.get_or_make(5 + SLOTS as u32, || make(5));
        big.get_or_make(5, || make(5));
        assert_eq!(made.get(), 6);
    }
}
