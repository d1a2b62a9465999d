//! `GET /quotes` (filtered, sorted, paginated), `GET /quotes/{id}` (the permalink) and
//! `GET /search` (substring or regular expression, paginated the same way).

use super::{Answers, Cache, Ctx, Endpoint, Params, Reply, respond};
use crate::corpus::Face;
use crate::corpus::build_regex;
use crate::corpus::words::{Matches, Query};
use crate::quote::Quote;
use crate::server::cache;
use crate::server::errors::ApiError;
use crate::server::negotiate::Format;
use crate::server::query::{
    AUTHOR, COLLECTION, FIT, FORMAT, IGNORE_CASE, LIMIT, MAX_LENGTH, MIN_LENGTH, PAGE, ParamSpec,
    Q, REGEX, SORT, TAG, decode, pairs,
};
use crate::server::render::{Pagination, html, json, text};
use crate::server::state::{Snapshot, Sort};
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse};

static QUOTES_PARAMS: [&ParamSpec; 10] = [
    &FORMAT,
    &TAG,
    &COLLECTION,
    &AUTHOR,
    &MIN_LENGTH,
    &MAX_LENGTH,
    &FIT,
    &PAGE,
    &LIMIT,
    &SORT,
];
static QUOTE_PARAMS: [&ParamSpec; 1] = [&FORMAT];
static SEARCH_PARAMS: [&ParamSpec; 13] = [
    &Q,
    &REGEX,
    &IGNORE_CASE,
    &FORMAT,
    &TAG,
    &COLLECTION,
    &AUTHOR,
    &MIN_LENGTH,
    &MAX_LENGTH,
    &FIT,
    &PAGE,
    &LIMIT,
    &SORT,
];

/// `GET /quotes`.
pub static QUOTES: Endpoint = Endpoint {
    path: "/quotes",
    summary: "All quotes that pass the filters, a page at a time",
    description: "Totals and next/prev links are in the body (JSON) and in the `Link` header. \
                  Text answers are `%`-separated, a valid collection file. A page past the end \
                  is empty.",
    params: &QUOTES_PARAMS,
    answers: Answers::QuoteList,
};

/// `GET /quotes/{id}`.
pub static QUOTE: Endpoint = Endpoint {
    path: "/quotes/{id}",
    summary: "One quote by its id (permalink)",
    description: "Ids are 12 hex digits derived from the words of the quote, identical on \
                  every replica. Strong `ETag`; `If-None-Match` answers 304.",
    params: &QUOTE_PARAMS,
    answers: Answers::Quote,
};

/// `GET /search`.
pub static SEARCH: Endpoint = Endpoint {
    path: "/search",
    summary: "Quotes holding every word of `q` (or matching it as a regex)",
    description: "Words are answered from an inverted index: case and accents are folded, \
                  every word must occur, a \"quoted phrase\" must occur as consecutive words, \
                  and results are ranked best first (BM25, each word counted once per quote). \
                  With regex=true, `q` is a regular expression run over the filtered quotes in \
                  linear time (case-insensitive by default, at most 256 characters, a 400 when \
                  its compiled form is too large). Paginated like /quotes (at most 100 a page).",
    params: &SEARCH_PARAMS,
    answers: Answers::QuoteList,
};

/// Handler of `/quotes`.
pub async fn quotes(req: HttpRequest) -> HttpResponse {
    respond(&req, &QUOTES, |ctx, state| {
        let snapshot = state.face(Face::Http);
        let indexes = cache::candidates(&snapshot, &ctx.params)?.to_vec();
        Ok(page(
            ctx,
            &snapshot,
            Matches::all(indexes),
            Sort::Id,
            "All quotes",
        ))
    })
}

/// Handler of `/search`.
pub async fn search(req: HttpRequest) -> HttpResponse {
    respond(&req, &SEARCH, |ctx, state| {
        let q = ctx
            .params
            .text(&Q)
            .ok_or_else(|| ApiError::bad_param("q", "q is required: the text to search for"))?;
        let snapshot = state.face(Face::Http);
        let corpus = &snapshot.corpus;
        let candidates = cache::candidates(&snapshot, &ctx.params)?;
        let regex = ctx.params.flag(&REGEX);
        let default = if regex { Sort::Id } else { Sort::Relevance };
        let found = if regex {
            let re = build_regex(q, ctx.params.flag(&IGNORE_CASE))?;
            Matches::all(corpus.search(&re, &candidates))
        } else {
            let query = Query::parse(q).map_err(|e| ApiError::bad_param("q", e.to_string()))?;
            let all = candidates.len() == corpus.quotes().len();
            // Only the shown page and those before it are needed, in ranking order, unless
            // the case check below removes some or the page is sorted otherwise.
            let exact_case = !ctx.params.flag(&IGNORE_CASE);
            let wanted = if exact_case || sort_of(&ctx.params, default) != Sort::Relevance {
                usize::MAX
            } else {
                shown_through(&ctx.params)
            };
            let mut found = corpus
                .find_words(&query, (!all).then_some(&candidates[..]), wanted)
                .map_err(|e| ApiError::not_ready(e.to_string()))?;
            if exact_case {
                // Case-sensitive: each word must also occur exactly as it was typed.
                let typed: Vec<&str> = q.split([' ', '"']).filter(|w| !w.is_empty()).collect();
                let quotes = corpus.quotes();
                let texts = |i: &u32| quotes[*i as usize].text();
                found = Matches::all(
                    found
                        .best
                        .into_iter()
                        .filter(|i| typed.iter().all(|w| texts(i).contains(w)))
                        .collect(),
                );
            }
            found
        };
        Ok(page(
            ctx,
            &snapshot,
            found,
            default,
            &format!("Search: {q}"),
        ))
    })
}

/// How many results the requested page and those before it show.
fn shown_through(params: &Params) -> usize {
    let (page, limit) = (
        params.int(&PAGE).unwrap_or(1),
        params.int(&LIMIT).unwrap_or(20),
    );
    usize::try_from(page.saturating_mul(limit)).unwrap_or(usize::MAX)
}

/// The order asked for, else `default`.
fn sort_of(params: &Params, default: Sort) -> Sort {
    params.text(&SORT).and_then(Sort::parse).unwrap_or(default)
}

/// One page of `found`, sorted as asked, in the negotiated format. `found.best` holds every
/// match, or, sorted by relevance, at least those through the page.
fn page(ctx: &Ctx, snapshot: &Snapshot, found: Matches, default: Sort, title: &str) -> Reply {
    let params = &ctx.params;
    let sort = sort_of(params, default);
    let page = params.int(&PAGE).unwrap_or(1);
    let limit = params.int(&LIMIT).unwrap_or(20);
    let Matches {
        total,
        best: mut indexes,
    } = found;
    snapshot.sort(&mut indexes, sort, shown_through(params));
    let total_pages = (total as u64).div_ceil(limit);
    let start = usize::try_from((page - 1).saturating_mul(limit))
        .unwrap_or(usize::MAX)
        .min(total);
    let end = start.saturating_add(limit as usize).min(indexes.len());
    let start = start.min(end);
    let quotes = snapshot.corpus.quotes();
    let shown: Vec<&Quote> = indexes[start..end]
        .iter()
        .filter_map(|&i| quotes.get(i as usize))
        .collect();
    let link = |p: u64| page_link(ctx.req, p);
    let pagination = Pagination {
        page,
        limit,
        total,
        total_pages,
        sort: sort.name(),
        self_link: link(page),
        next: (page < total_pages).then(|| link(page + 1)),
        prev: (page > 1 && total_pages > 0).then(|| link((page - 1).min(total_pages))),
    };
    let mut links = Vec::new();
    if let Some(next) = &pagination.next {
        links.push(format!("<{next}>; rel=\"next\""));
    }
    if let Some(prev) = &pagination.prev {
        links.push(format!("<{prev}>; rel=\"prev\""));
    }
    let corpus = &snapshot.corpus;
    let iter = shown.iter().copied();
    let reply = match ctx.format {
        Format::Text => Reply::new(Format::Text, text::quotes(iter)),
        Format::Json => Reply::new(Format::Json, json::quotes(iter, corpus, Some(&pagination))),
        Format::Html => Reply::new(
            Format::Html,
            html::list_page(title, iter, corpus, Some(&pagination)),
        ),
    };
    reply
        .etag()
        .link((!links.is_empty()).then(|| links.join(", ")))
        .quotes(shown.len())
}

/// The request's own URL with `page` set to `page` (other parameters kept as given).
fn page_link(req: &HttpRequest, page: u64) -> String {
    let mut link = String::from(req.path());
    link.push('?');
    for (name, value) in pairs(req.query_string()) {
        if decode(name).is_ok_and(|n| n == "page") {
            continue;
        }
        link.push_str(name);
        link.push('=');
        link.push_str(value);
        link.push('&');
    }
    link.push_str(&format!("page={page}"));
    link
}

/// Handler of `/quotes/{id}`.
pub async fn quote(req: HttpRequest) -> HttpResponse {
    respond(&req, &QUOTE, |ctx, state| {
        let id = ctx.path_id()?;
        let snapshot = state.face(Face::Http);
        let corpus = &snapshot.corpus;
        let (index, quote) = corpus
            .index_of(id)
            .and_then(|i| Some((i, corpus.quotes().get(i as usize)?)))
            .ok_or_else(|| ApiError::not_found(format!("no quote has id {id}")))?;
        let reply = match ctx.format {
            Format::Text => Reply::new(
                Format::Text,
                Bytes::copy_from_slice(quote.text().as_bytes()),
            ),
            Format::Json => Reply::new(Format::Json, snapshot.quote_json(index)),
            Format::Html => {
                let head = super::feed::permalink_head(ctx, quote);
                let page = html::quote_page_with_head(quote, corpus, None, "/random", &head);
                Reply::new(Format::Html, page)
            }
        };
        Ok(reply.etag().cache(Cache::MaxAge(300)).quotes(1))
    })
}
