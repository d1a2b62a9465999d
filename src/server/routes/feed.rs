//! `GET /today.atom`: the quotes of the day of the last `days` days (ending with `date`,
//! default today) as an Atom feed, with the same filters and choice as `/today`; and the
//! `<head>` additions of the pages people share (link-preview meta on the permalink and
//! `/today` pages, the feed link on `/today`).

use super::{Answers, Cache, Ctx, Endpoint, Reply, respond};
use crate::corpus::Face;
use crate::corpus::{Day, quote_of_the_day};
use crate::quote::Quote;
use crate::server::cache;
use crate::server::errors::ApiError;
use crate::server::public_url;
use crate::server::query::encode;
use crate::server::query::{
    AUTHOR, COLLECTION, DATE, FILTERS, Kind, MAX_LENGTH, MIN_LENGTH, ParamSpec, Params, TAG,
};
use crate::server::render::atom::{self, Entry, Feed};
use crate::server::render::html::escape;
use crate::server::render::permalink;
use crate::server::render::preview::{self, Preview};
use crate::server::render::svg::{self, CardOptions};
use crate::server::state::AppState;
use actix_web::{HttpRequest, HttpResponse};

/// The content type of the feed.
pub const ATOM: &str = "application/atom+xml";

/// Most days a feed holds.
pub const MAX_DAYS: u64 = 31;

/// `?days=`.
pub static DAYS: ParamSpec = ParamSpec {
    name: "days",
    doc: "How many days of quotes the feed holds, ending with `date` (default today, UTC).",
    kind: Kind::Integer {
        min: 1,
        max: MAX_DAYS,
        default: Some(7),
    },
    repeatable: false,
};

static FEED_PARAMS: [&ParamSpec; 7] = [
    &TAG,
    &COLLECTION,
    &AUTHOR,
    &MIN_LENGTH,
    &MAX_LENGTH,
    &DATE,
    &DAYS,
];

/// `GET /today.atom`.
pub static TODAY_FEED: Endpoint = Endpoint {
    path: "/today.atom",
    summary: "The quotes of the day of the last days, as an Atom feed",
    description: "One entry per day, newest first: the same quote as /today gives for that \
                  date and these filters. Each entry's `id` is the URL of that day's /today \
                  page (stable for a day and filter), `updated` is the day's UTC midnight, \
                  `summary` the quote as text and `content` as HTML. Absolute URLs use \
                  `--public-url`, else the `Host` header. Strong `ETag`; cacheable until the \
                  next UTC midnight.",
    params: &FEED_PARAMS,
    answers: Answers::Atom,
};

/// The request's filters as a query string (`tag=a&collection=b`), re-encoded.
fn filter_query(params: &Params) -> String {
    let mut query = String::new();
    for spec in FILTERS {
        let values = params
            .texts(spec)
            .map(|v| encode(v).to_string())
            .chain(params.int(spec).map(|n| n.to_string()));
        for value in values {
            if !query.is_empty() {
                query.push('&');
            }
            query.push_str(spec.name);
            query.push('=');
            query.push_str(&value);
        }
    }
    query
}

/// Handler of `/today.atom`.
pub async fn today_feed(req: HttpRequest) -> HttpResponse {
    respond(&req, &TODAY_FEED, |ctx, state: &AppState| {
        let snapshot = state.face(Face::Feed);
        let quotes = snapshot.corpus.quotes();
        let candidates = cache::candidates(&snapshot, &ctx.params)?;
        let today = Day::today();
        let last = ctx.params.date(&DATE).unwrap_or(today);
        let days = ctx.params.int(&DAYS).unwrap_or(7).clamp(1, MAX_DAYS) as i64;
        let entries: Vec<Entry> = (0..days)
            .map(|back| Day::from_number(last.number() - back))
            .filter_map(|day| {
                let index = quote_of_the_day(quotes, &candidates, day)?;
                Some(Entry {
                    day,
                    quote: quotes.get(index as usize)?,
                })
            })
            .collect();
        if entries.is_empty() {
            return Err(ApiError::not_found(
                "no quote matches these filters; try fewer or wider ones",
            ));
        }
        let base = public_url::base(ctx.req);
        let filters = filter_query(&ctx.params);
        let path = ctx.req.uri().path_and_query().map_or("", |p| p.as_str());
        let title = if filters.is_empty() {
            "epigraph: quote of the day".to_string()
        } else {
            format!(
                "epigraph: quote of the day ({})",
                filters.replace('&', ", ")
            )
        };
        let body = atom::feed(&Feed {
            title: &title,
            self_url: &format!("{base}{path}"),
            base: &base,
            filters: &filters,
            entries: &entries,
        });
        let cache = if last == today {
            Cache::Until(last.next_midnight())
        } else {
            Cache::MaxAge(86_400)
        };
        Ok(Reply::typed(ATOM, body)
            .etag()
            .cache(cache)
            .quotes(entries.len()))
    })
}

/// The `<head>` additions of a permalink page: its link-preview meta.
pub(super) fn permalink_head(ctx: &Ctx, quote: &Quote) -> String {
    let url = format!("{}{}", public_url::base(ctx.req), permalink(quote.id));
    let preview = Preview {
        title: &preview::title(quote),
        url: &url,
        image: &format!("{url}.png"),
        image_size: svg::size(quote, CardOptions::default()),
    };
    preview::meta(quote, preview)
}

/// The `<head>` additions of a `/today` page: link-preview meta (the image is the quote's
/// permalink card, which stays valid after the day) and the feed of the same filters.
pub(super) fn today_head(ctx: &Ctx, quote: &Quote, day: Day) -> String {
    let base = public_url::base(ctx.req);
    let path = ctx
        .req
        .uri()
        .path_and_query()
        .map_or("/today", |p| p.as_str());
    let preview = Preview {
        title: &format!("Quote of the day, {day}: {}", preview::title(quote)),
        url: &format!("{base}{path}"),
        image: &format!("{base}{}.png", permalink(quote.id)),
        image_size: svg::size(quote, CardOptions::default()),
    };
    let filters = filter_query(&ctx.params);
    let feed = if filters.is_empty() {
        "/today.atom".to_string()
    } else {
        format!("/today.atom?{filters}")
    };
    format!(
        "{}<link rel=\"alternate\" type=\"{ATOM}\" title=\"Quotes of the day (Atom)\" \
         href=\"{}\">",
        preview::meta(quote, preview),
        escape(&feed)
    )
}
