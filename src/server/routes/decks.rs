//! `GET /random?deck=new|TOKEN`: the next quote (or `count` quotes) of a no-repeat deck over
//! the filtered quotes, with the token for the step after it in the JSON (`next_deck`), in a
//! `Link: <...>; rel="next"` header and in the HTML page's "Another one" link.
//!
//! The deck lives in the token alone ([`crate::corpus::deck`]), so any replica serving the
//! same quotes continues any deck. A token whose candidate fingerprint differs from the
//! request's (another filter, or the quotes changed since) is a 400 naming `deck`: starting
//! over silently would show quotes the client has already seen.

use super::random::{nothing_matches, text_of};
use super::{Ctx, Reply};
use crate::corpus::deck::{Deck, fingerprint};
use crate::server::cache;
use crate::server::errors::ApiError;
use crate::server::negotiate::Format;
use crate::server::query::{COUNT, DECK, decode};
use crate::server::render::{html, json, text};
use crate::server::state::Snapshot;

/// Answers a request that has `deck`.
pub(super) fn deal(ctx: &Ctx, snapshot: &Snapshot) -> Result<Reply, ApiError> {
    let corpus = &snapshot.corpus;
    let candidates = cache::candidates(snapshot, &ctx.params)?;
    let deck = start(ctx, snapshot, &candidates)?;
    let n = candidates.len();
    // With `count`, the next `count` steps (at most one pass, so they are all different).
    let steps = ctx.params.int(&COUNT).map_or(1, |c| (c as usize).min(n));
    let mut picked = Vec::with_capacity(steps);
    let mut at = deck;
    for _ in 0..steps {
        let i = at
            .current(n)
            .ok_or_else(|| nothing_matches(corpus.quotes().is_empty()))?;
        picked.push(candidates[i]);
        at = at.next();
    }
    let token = at.token();
    let next = next_url(ctx, &token);
    let quotes: Vec<_> = picked
        .iter()
        .filter_map(|&i| corpus.quotes().get(i as usize))
        .collect();
    let reply = match (ctx.format, ctx.params.has(&COUNT), quotes.as_slice()) {
        (_, _, []) => return Err(nothing_matches(true)),
        (Format::Json, false, _) => {
            let body = with_next_deck(snapshot.quote_json(picked[0]).to_vec(), &token);
            Reply::new(Format::Json, body)
        }
        (Format::Json, true, _) => {
            let body = json::quotes(quotes.iter().copied(), corpus, None);
            Reply::new(Format::Json, with_next_deck(body, &token))
        }
        (Format::Text, false, [quote]) => Reply::new(Format::Text, text_of(ctx, quote)),
        (Format::Text, _, _) => Reply::new(Format::Text, text::quotes(quotes.iter().copied())),
        (Format::Html, false, [quote]) => {
            Reply::new(Format::Html, html::quote_page(quote, corpus, None, &next))
        }
        (Format::Html, _, _) => Reply::new(
            Format::Html,
            html::list_page("Random quotes", quotes.iter().copied(), corpus, None),
        ),
    };
    let count = quotes.len();
    Ok(reply
        .link(Some(format!("<{next}>; rel=\"next\"")))
        .quotes(count))
}

/// The deck the request names: a fresh one for `new`, else its token checked against the
/// fingerprint of this request's candidates.
fn start(ctx: &Ctx, snapshot: &Snapshot, candidates: &[u32]) -> Result<Deck, ApiError> {
    // The fingerprint hashes every candidate's id: remember it per filter, like the set itself.
    let key = format!("deck\u{0}{}", ctx.params.filter_key());
    let halves = cache::memo(snapshot, key, || {
        let quotes = snapshot.corpus.quotes();
        let fp = fingerprint(candidates.iter().map(|&i| quotes[i as usize].id));
        Ok(vec![(fp >> 32) as u32, fp as u32])
    })?;
    let fp = (u64::from(halves[0]) << 32) | u64::from(halves[1]);
    match ctx.params.text(&DECK) {
        Some("new") | None => Ok(Deck::new(rand::random(), fp)),
        Some(token) => {
            Deck::resume(token, fp).map_err(|e| ApiError::bad_param("deck", e.to_string()))
        }
    }
}

/// The request's own URL with `deck` set to `token` (other parameters kept as given).
fn next_url(ctx: &Ctx, token: &str) -> String {
    let mut link = String::from(ctx.req.path());
    link.push('?');
    for piece in ctx.req.query_string().split('&').filter(|p| !p.is_empty()) {
        let name = piece.split_once('=').map_or(piece, |(n, _)| n);
        if decode(name).is_ok_and(|n| n == "deck") {
            continue;
        }
        link.push_str(piece);
        link.push('&');
    }
    link.push_str("deck=");
    link.push_str(token);
    link
}

/// A JSON object with `"next_deck": token` added as its last member. The token is hex, so
/// it needs no escaping.
fn with_next_deck(mut object: Vec<u8>, token: &str) -> Vec<u8> {
    if object.last() == Some(&b'}') {
        object.pop();
        let empty = object.last() == Some(&b'{');
        if !empty {
            object.push(b',');
        }
        object.extend_from_slice(b"\"next_deck\":\"");
        object.extend_from_slice(token.as_bytes());
        object.extend_from_slice(b"\"}");
    }
    object
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_deck_is_added_as_the_last_member() {
        let added = with_next_deck(br#"{"id":"x","tags":["a"]}"#.to_vec(), "abc");
        let value: serde_json::Value = serde_json::from_slice(&added).unwrap();
        assert_eq!(value["next_deck"], "abc");
        assert_eq!(value["id"], "x");
        assert_eq!(with_next_deck(b"{}".to_vec(), "t"), br#"{"next_deck":"t"}"#);
    }
}
