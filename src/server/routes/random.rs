//! `GET /`, `GET /random` (one random quote, or `count` different ones) and `GET /today` (the
//! quote of the day, the same on every replica, cacheable until the next UTC midnight).

use super::{Answers, Cache, Ctx, Endpoint, Reply, decks, respond};
use crate::corpus::Face;
use crate::corpus::{Chooser, Corpus, Day, quote_of_the_day};
use crate::quote::Quote;
use crate::server::cache;
use crate::server::errors::ApiError;
use crate::server::negotiate::Format;
use crate::server::query::{
    AUTHOR, COLLECTION, COUNT, DATE, DECK, FILTERS, FIT, FORMAT, MAX_LENGTH, MIN_LENGTH, ParamSpec,
    Params, TAG, encode,
};
use crate::server::render::{html, json, text};
use crate::server::state::{AppState, Snapshot};
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse};

static RANDOM_PARAMS: [&ParamSpec; 9] = [
    &FORMAT,
    &TAG,
    &COLLECTION,
    &AUTHOR,
    &MIN_LENGTH,
    &MAX_LENGTH,
    &FIT,
    &COUNT,
    &DECK,
];
static TODAY_PARAMS: [&ParamSpec; 8] = [
    &FORMAT,
    &TAG,
    &COLLECTION,
    &AUTHOR,
    &MIN_LENGTH,
    &MAX_LENGTH,
    &FIT,
    &DATE,
];

/// `GET /`.
pub static ROOT: Endpoint = Endpoint {
    path: "/",
    summary: "A random quote (same as /random)",
    description: "Plain text for curl and `*/*`, JSON for `Accept: application/json`, an HTML \
                  page for browsers.",
    params: &RANDOM_PARAMS,
    answers: Answers::QuoteOrList,
};

/// `GET /random`.
pub static RANDOM: Endpoint = Endpoint {
    path: "/random",
    summary: "A random quote, or `count` different ones",
    description: "Chosen uniformly among the quotes that pass the filters. Never cached \
                  (`Cache-Control: no-store`).",
    params: &RANDOM_PARAMS,
    answers: Answers::QuoteOrList,
};

/// `GET /today`.
pub static TODAY: Endpoint = Endpoint {
    path: "/today",
    summary: "The quote of the day",
    description: "A pure function of the UTC date, the filters and the loaded quotes, so every \
                  replica answers the same. No quote repeats until all matching quotes have had \
                  their day. Cacheable until the next UTC midnight (`Cache-Control`, `Expires`).",
    params: &TODAY_PARAMS,
    answers: Answers::Quote,
};

/// Handler of `/` and `/random`.
pub async fn random(req: HttpRequest) -> HttpResponse {
    let endpoint = if req.path() == "/" { &ROOT } else { &RANDOM };
    respond(&req, endpoint, pick_random)
}

fn pick_random(ctx: &Ctx, state: &AppState) -> Result<Reply, ApiError> {
    let snapshot = state.face(Face::Http);
    let corpus = &snapshot.corpus;
    let quotes = corpus.quotes();
    if ctx.params.has(&DECK) {
        return Ok(decks::deal(ctx, &snapshot)?.cache(Cache::NoStore));
    }
    let Some(count) = ctx.params.int(&COUNT) else {
        // The hot path: one quote, no list to build.
        let index = pick_one(ctx, &snapshot)?;
        let reply = match (ctx.format, quotes.get(index as usize)) {
            (Format::Json, Some(_)) => Reply::new(Format::Json, snapshot.quote_json(index)),
            (_, Some(quote)) => single(ctx, corpus, quote, None, "/random"),
            (_, None) => return Err(nothing_matches(true)),
        };
        return Ok(reply.cache(Cache::NoStore).quotes(1));
    };
    // `count` given: always a list, even of one.
    let chosen: Vec<&Quote> = pick(ctx, &snapshot, count as usize)?
        .iter()
        .filter_map(|&i| quotes.get(i as usize))
        .collect();
    Ok(list(ctx, corpus, &chosen)
        .cache(Cache::NoStore)
        .quotes(chosen.len()))
}

/// One quote (an index into `corpus.quotes()`) passing the request's filters, chosen
/// uniformly; 404 when none passes.
fn pick_one(ctx: &Ctx, snapshot: &Snapshot) -> Result<u32, ApiError> {
    let quotes = snapshot.corpus.quotes();
    let mut chooser = Chooser::random();
    let picked = if ctx.params.has_filters() {
        let candidates = cache::pool(snapshot, &ctx.params)?;
        chooser.choose(&candidates).copied()
    } else {
        (!quotes.is_empty()).then(|| chooser.below(quotes.len()) as u32)
    };
    picked.ok_or_else(|| nothing_matches(quotes.is_empty()))
}

/// Up to `wanted` different quotes (indexes into `corpus.quotes()`) passing the request's
/// filters, chosen uniformly; 404 when none passes. Shared with the SVG cards.
pub(super) fn pick(ctx: &Ctx, snapshot: &Snapshot, wanted: usize) -> Result<Vec<u32>, ApiError> {
    let corpus = &snapshot.corpus;
    let quotes = corpus.quotes();
    let mut chooser = Chooser::random();
    let picked: Vec<u32> = if ctx.params.has_filters() {
        let candidates = cache::pool(snapshot, &ctx.params)?;
        distinct(&mut chooser, candidates.len(), wanted)
            .into_iter()
            .filter_map(|i| candidates.get(i).copied())
            .collect()
    } else {
        distinct(&mut chooser, quotes.len(), wanted)
            .into_iter()
            .map(|i| i as u32)
            .collect()
    };
    if picked.is_empty() {
        return Err(nothing_matches(quotes.is_empty()));
    }
    Ok(picked)
}

/// Up to `k` different numbers below `n`, in random order.
fn distinct(chooser: &mut Chooser, n: usize, k: usize) -> Vec<usize> {
    if n == 0 || k == 0 {
        return Vec::new();
    }
    if k == 1 {
        return vec![chooser.below(n)];
    }
    if k * 2 >= n {
        // Partial Fisher-Yates over all of them (n is small here).
        let mut all: Vec<usize> = (0..n).collect();
        let k = k.min(n);
        for i in 0..k {
            let j = i + chooser.below(n - i);
            all.swap(i, j);
        }
        all.truncate(k);
        return all;
    }
    let mut picked = Vec::with_capacity(k);
    while picked.len() < k {
        let i = chooser.below(n);
        if !picked.contains(&i) {
            picked.push(i);
        }
    }
    picked
}

pub(super) fn nothing_matches(empty_corpus: bool) -> ApiError {
    if empty_corpus {
        ApiError::not_found("no quotes are loaded")
    } else {
        ApiError::not_found("no quote matches these filters; try fewer or wider ones")
    }
}

fn single(ctx: &Ctx, corpus: &Corpus, quote: &Quote, date: Option<Day>, another: &str) -> Reply {
    match ctx.format {
        // A copy is cheaper than sharing: a shared buffer's reference count would bounce
        // between the workers' caches.
        Format::Text => Reply::new(Format::Text, text_of(ctx, quote)),
        Format::Json => Reply::new(
            Format::Json,
            json::quote(quote, corpus, date.map(|d| d.to_string())),
        ),
        Format::Html => {
            let heading = date.map(|d| format!("Quote of the day, {d}"));
            let another = match date {
                Some(_) => with_filters(another, &ctx.params),
                None => ctx.req.uri().to_string(),
            };
            // The quote of the day gets shared: its page carries preview meta and the feed.
            let head = date.map_or_else(String::new, |d| super::feed::today_head(ctx, quote, d));
            let page =
                html::quote_page_with_head(quote, corpus, heading.as_deref(), &another, &head);
            Reply::new(Format::Html, page)
        }
    }
}

/// The text answer for one quote: as stored, or as the `fit` asked for shows it (laid out to
/// a box's columns, joined into a status line), so what the client shows is what was measured.
pub(super) fn text_of(ctx: &Ctx, quote: &Quote) -> Bytes {
    match ctx
        .params
        .fit()
        .ok()
        .flatten()
        .and_then(|f| f.render(quote.text()))
    {
        Some(rendered) => Bytes::from(rendered),
        None => Bytes::copy_from_slice(quote.text().as_bytes()),
    }
}

/// `path` with the request's filters and `format` (re-encoded), so "Another one" on a filtered
/// page stays within the filter. `date` is left out: another quote is a random one.
fn with_filters(path: &str, params: &Params) -> String {
    let mut link = path.to_string();
    for spec in FILTERS.iter().copied().chain([&FORMAT]) {
        let values = params
            .texts(spec)
            .map(|text| encode(text).to_string())
            .chain(params.int(spec).map(|n| n.to_string()));
        for value in values {
            link.push(if link.contains('?') { '&' } else { '?' });
            link.push_str(spec.name);
            link.push('=');
            link.push_str(&value);
        }
    }
    link
}

fn list(ctx: &Ctx, corpus: &Corpus, quotes: &[&Quote]) -> Reply {
    let iter = quotes.iter().copied();
    match ctx.format {
        Format::Text => Reply::new(Format::Text, text::quotes(iter)),
        Format::Json => Reply::new(Format::Json, json::quotes(iter, corpus, None)),
        Format::Html => Reply::new(
            Format::Html,
            html::list_page("Random quotes", iter, corpus, None),
        ),
    }
}

/// Handler of `/today`.
pub async fn today(req: HttpRequest) -> HttpResponse {
    respond(&req, &TODAY, quote_of_today)
}

fn quote_of_today(ctx: &Ctx, state: &AppState) -> Result<Reply, ApiError> {
    let snapshot = state.face(Face::Http);
    let corpus = &snapshot.corpus;
    let (quote, day, cache) = pick_today(ctx, &snapshot)?;
    Ok(single(ctx, corpus, quote, Some(day), "/random")
        .etag()
        .cache(cache)
        .quotes(1))
}

/// The quote of the day for the request's filters and `date` (default: today, UTC), with
/// how long the answer may be cached. Shared with the SVG cards.
pub(super) fn pick_today<'c>(
    ctx: &Ctx,
    snapshot: &'c Snapshot,
) -> Result<(&'c Quote, Day, Cache), ApiError> {
    let corpus = &snapshot.corpus;
    let today = Day::today();
    let day = ctx.params.date(&DATE).unwrap_or(today);
    // The pick is a pure function of the corpus, day and filter: remember it per worker.
    let key = format!("today\u{0}{day}\u{0}{}", ctx.params.filter_key());
    let picked = cache::memo(snapshot, key, || {
        let candidates = cache::candidates(snapshot, &ctx.params)?;
        Ok(quote_of_the_day(corpus.quotes(), &candidates, day)
            .into_iter()
            .collect())
    })?;
    let quote = picked
        .first()
        .and_then(|&i| corpus.quotes().get(i as usize))
        .ok_or_else(|| nothing_matches(corpus.quotes().is_empty()))?;
    let cache = if day == today {
        Cache::Until(day.next_midnight())
    } else {
        Cache::MaxAge(86_400)
    };
    Ok((quote, day, cache))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distinct_picks_are_distinct_and_bounded() {
        let mut chooser = Chooser::seeded(1);
        for (n, k) in [
            (0, 3),
            (1, 5),
            (5, 5),
            (10, 3),
            (100, 50),
            (3, 50),
            (1000, 50),
        ] {
            let mut picked = distinct(&mut chooser, n, k);
            assert_eq!(picked.len(), k.min(n), "{n} {k}");
            assert!(picked.iter().all(|&i| i < n));
            picked.sort();
            picked.dedup();
            assert_eq!(picked.len(), k.min(n));
        }
    }
}
