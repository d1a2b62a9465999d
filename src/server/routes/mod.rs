//! The routes, one module per resource, and the response machinery they share: parameter
//! parsing, negotiation, `Vary`, strong `ETag`s with `If-None-Match`, caching headers, errors.

mod cards;
mod decks;
mod feed;
mod lists;
mod meta;
mod ops;
mod random;

use super::errors::{ApiError, ErrorFormat};
use super::negotiate::{self, Format};
use super::query::{FORMAT, ParamSpec, Params};
use super::state::AppState;
use actix_web::body::BoxBody;
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::web::{self, Bytes};
use actix_web::{FromRequest, Handler, HttpRequest, HttpResponse, Responder};
use sha2::{Digest, Sha256};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// One documented endpoint: path, summary, parameters, and whether it negotiates formats.
#[derive(Debug)]
pub struct Endpoint {
    /// Route pattern, also the metrics label.
    pub path: &'static str,
    /// One-line summary.
    pub summary: &'static str,
    /// Longer description.
    pub description: &'static str,
    /// Accepted query parameters.
    pub params: &'static [&'static ParamSpec],
    /// What a success answers: negotiated quote(s) or a fixed type.
    pub answers: Answers,
}

/// What an endpoint answers with, for the OpenAPI document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answers {
    /// A quote (text, JSON, HTML).
    Quote,
    /// One quote, or a list when `count` is given.
    QuoteOrList,
    /// A paginated list of quotes.
    QuoteList,
    /// Names with counts.
    NameList,
    /// Collections with details.
    CollectionList,
    /// Plain text only.
    PlainText,
    /// JSON only.
    Json,
    /// An SVG image (errors in the negotiated format).
    Svg,
    /// A PNG image (errors in the negotiated format).
    Png,
    /// An Atom feed (errors in the negotiated format).
    Atom,
}

/// Every endpoint of the API, in documentation order.
pub static ENDPOINTS: &[&Endpoint] = &[
    &random::ROOT,
    &random::RANDOM,
    &random::TODAY,
    &lists::QUOTES,
    &lists::QUOTE,
    &cards::QUOTE_CARD,
    &cards::RANDOM_CARD,
    &cards::TODAY_CARD,
    &cards::QUOTE_PNG,
    &cards::RANDOM_PNG,
    &cards::TODAY_PNG,
    &feed::TODAY_FEED,
    &lists::SEARCH,
    &meta::TAGS,
    &meta::COLLECTIONS,
    &meta::AUTHORS,
    &ops::HEALTHZ,
    &ops::READYZ,
    &ops::METRICS,
    &ops::OPENAPI,
];

/// Registers every route.
pub fn configure(cfg: &mut web::ServiceConfig) {
    add(cfg, &random::ROOT, random::random, false);
    add(cfg, &random::RANDOM, random::random, false);
    add(cfg, &random::TODAY, random::today, false);
    add(cfg, &lists::QUOTES, lists::quotes, true);
    // The cards before `/quotes/{id}`, which would otherwise take `abc.svg` for an id.
    add(cfg, &cards::QUOTE_CARD, cards::quote_card, false);
    add(cfg, &cards::RANDOM_CARD, cards::random_card, false);
    add(cfg, &cards::TODAY_CARD, cards::today_card, false);
    add(cfg, &cards::QUOTE_PNG, cards::quote_png, false);
    add(cfg, &cards::RANDOM_PNG, cards::random_png, false);
    add(cfg, &cards::TODAY_PNG, cards::today_png, false);
    add(cfg, &feed::TODAY_FEED, feed::today_feed, true);
    add(cfg, &lists::QUOTE, lists::quote, false);
    add(cfg, &lists::SEARCH, lists::search, true);
    add(cfg, &meta::TAGS, meta::tags, true);
    add(cfg, &meta::COLLECTIONS, meta::collections, true);
    add(cfg, &meta::AUTHORS, meta::authors, true);
    add(cfg, &ops::HEALTHZ, ops::healthz, false);
    add(cfg, &ops::READYZ, ops::readyz, false);
    add(cfg, &ops::METRICS, ops::metrics, true);
    add(cfg, &ops::OPENAPI, ops::openapi, true);
}

fn add<F, Args>(cfg: &mut web::ServiceConfig, endpoint: &Endpoint, handler: F, compress: bool)
where
    F: Handler<Args>,
    Args: FromRequest + 'static,
    F::Output: Responder + 'static,
{
    // Every method reaches the handler; `respond` answers 405 for all but GET and HEAD
    // (cheaper than a guard and a default service per resource).
    let resource = web::resource(endpoint.path).name(endpoint.path).to(handler);
    if compress {
        cfg.service(resource.wrap(actix_web::middleware::Compress::default()));
    } else {
        cfg.service(resource);
    }
}

/// The app's fallback: 404 for paths no route serves.
pub async fn not_found(req: HttpRequest) -> HttpResponse {
    ApiError::no_route(req.path()).response(error_format(&req))
}

/// The error format for a request whose parameters were not (or could not be) checked: a
/// `format=` piece of the query string if it names one, else the `Accept` header. A header that
/// accepts nothing we make still gets JSON, the API's documented error body.
pub fn error_format(req: &HttpRequest) -> ErrorFormat {
    let asked = req
        .query_string()
        .split('&')
        .find_map(|piece| piece.strip_prefix("format="))
        .and_then(Format::parse);
    match asked.map_or_else(|| negotiate::from_accept(accept(req)), Ok) {
        Ok(format) => error_format_of(format),
        Err(_) => ErrorFormat::Json,
    }
}

fn error_format_of(format: Format) -> ErrorFormat {
    match format {
        Format::Text => ErrorFormat::Text,
        Format::Json => ErrorFormat::Json,
        Format::Html => ErrorFormat::Html,
    }
}

fn accept(req: &HttpRequest) -> Option<&str> {
    req.headers()
        .get(header::ACCEPT)
        .map(|v| v.to_str().unwrap_or(""))
}

/// What a handler works with: the request, its checked parameters and the chosen format.
pub struct Ctx<'r> {
    /// The request.
    pub req: &'r HttpRequest,
    /// The checked query parameters.
    pub params: Params<'r>,
    /// The representation to produce.
    pub format: Format,
}

impl Ctx<'_> {
    /// The `{id}` path segment as a quote id; a 400 naming `id` when it is not one.
    pub fn path_id(&self) -> Result<crate::quote::QuoteId, ApiError> {
        let raw = self.req.match_info().get("id").unwrap_or("");
        raw.parse()
            .map_err(|e: crate::quote::BadQuoteId| ApiError::bad_param("id", e.to_string()))
    }
}

/// How long a response may be cached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cache {
    /// No caching header.
    Unset,
    /// `no-store`: a different answer every time.
    NoStore,
    /// `no-cache`: may be stored, but must be revalidated on every use (image proxies).
    NoCache,
    /// `public, max-age=N`.
    MaxAge(u64),
    /// `public` until this Unix time, with `Expires`.
    Until(i64),
}

// Header values made at compile time: `HeaderValue::from_static` checks its bytes on every
// call otherwise, and these go out with nearly every response.
const VARY_ACCEPT: HeaderValue = HeaderValue::from_static("Accept");
const VARY_USER_AGENT: HeaderValue = HeaderValue::from_static("User-Agent");
const NO_STORE: HeaderValue = HeaderValue::from_static("no-store");
const NO_CACHE: HeaderValue = HeaderValue::from_static("no-cache");

/// A successful answer before headers are added.
#[derive(Debug)]
pub struct Reply {
    content_type: HeaderValue,
    body: Bytes,
    etag: bool,
    cache: Cache,
    link: Option<String>,
    quotes: usize,
}

impl Reply {
    /// A body in `format`.
    pub fn new(format: Format, body: impl Into<Bytes>) -> Reply {
        Reply::with_header(format.content_type_header(), body)
    }

    /// A body with a fixed content type.
    pub fn typed(content_type: &'static str, body: impl Into<Bytes>) -> Reply {
        Reply::with_header(HeaderValue::from_static(content_type), body)
    }

    fn with_header(content_type: HeaderValue, body: impl Into<Bytes>) -> Reply {
        Reply {
            content_type,
            body: body.into(),
            etag: false,
            cache: Cache::Unset,
            link: None,
            quotes: 0,
        }
    }

    /// Adds a strong `ETag` (and answers `If-None-Match` with 304).
    pub fn etag(mut self) -> Reply {
        self.etag = true;
        self
    }

    /// Sets the caching policy.
    pub fn cache(mut self, cache: Cache) -> Reply {
        self.cache = cache;
        self
    }

    /// Sets a `Link` header.
    pub fn link(mut self, link: Option<String>) -> Reply {
        self.link = link;
        self
    }

    /// Records how many quotes the answer carries (for metrics).
    pub fn quotes(mut self, n: usize) -> Reply {
        self.quotes = n;
        self
    }
}

/// Runs a handler: checks parameters against `endpoint`, negotiates when the endpoint does,
/// and turns the reply or error into a response.
pub fn respond(
    req: &HttpRequest,
    endpoint: &Endpoint,
    handler: impl FnOnce(&Ctx, &AppState) -> Result<Reply, ApiError>,
) -> HttpResponse {
    let method = req.method();
    if method != Method::GET && method != Method::HEAD {
        return ApiError::method_not_allowed(method.as_str()).response(error_format(req));
    }
    let Some(state) = req.app_data::<web::Data<AppState>>() else {
        return ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "the server has no state")
            .response(error_format(req));
    };
    let negotiated = !matches!(
        endpoint.answers,
        Answers::PlainText | Answers::Json | Answers::Svg | Answers::Png | Answers::Atom
    );
    let mut response = match prepare(req, endpoint, negotiated) {
        Err(response) => response,
        Ok(ctx) => {
            // Endpoints with a fixed success type (cards, metrics) still answer errors in the
            // format the client asked for: a browser opening a card's URL gets a page.
            let error_format = if negotiated {
                error_format_of(ctx.format)
            } else {
                error_format(req)
            };
            match handler(&ctx, state) {
                Ok(reply) => {
                    state.metrics().count_quotes(reply.quotes);
                    finish(req, reply)
                }
                Err(err) => err.response(error_format),
            }
        }
    };
    if negotiated {
        response.headers_mut().append(header::VARY, VARY_ACCEPT);
        // With `*/*` the answer also depends on whether the client is a link-preview fetcher.
        if negotiate::accepts_anything(accept(req)) {
            response.headers_mut().append(header::VARY, VARY_USER_AGENT);
        }
    }
    response
}

fn prepare<'r>(
    req: &'r HttpRequest,
    endpoint: &Endpoint,
    negotiated: bool,
) -> Result<Ctx<'r>, HttpResponse> {
    let params = Params::parse(req.query_string(), endpoint.params)
        .map_err(|e| e.response(error_format(req)))?;
    let format = if !negotiated {
        Format::Text
    } else if let Some(name) = params.text(&FORMAT) {
        Format::parse(name).unwrap_or(Format::Text)
    } else {
        negotiate::from_request(accept(req), negotiate::user_agent(req))
            .map_err(|_| ApiError::not_acceptable().response(ErrorFormat::Json))?
    };
    Ok(Ctx {
        req,
        params,
        format,
    })
}

fn finish(req: &HttpRequest, reply: Reply) -> HttpResponse {
    let mut builder = HttpResponse::build(StatusCode::OK);
    let tag = reply.etag.then(|| etag(&reply.content_type, &reply.body));
    builder.insert_header((header::CONTENT_TYPE, reply.content_type));
    match reply.cache {
        Cache::Unset => {}
        Cache::NoStore => {
            builder.insert_header((header::CACHE_CONTROL, NO_STORE));
        }
        Cache::NoCache => {
            builder.insert_header((header::CACHE_CONTROL, NO_CACHE));
        }
        Cache::MaxAge(secs) => {
            builder.insert_header((header::CACHE_CONTROL, format!("public, max-age={secs}")));
        }
        Cache::Until(unix) => {
            let now = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64);
            let secs = (unix - now).max(0);
            let expires = UNIX_EPOCH + Duration::from_secs(unix.max(0) as u64);
            builder.insert_header((header::CACHE_CONTROL, format!("public, max-age={secs}")));
            builder.insert_header((header::EXPIRES, header::HttpDate::from(expires).to_string()));
        }
    }
    if let Some(link) = reply.link {
        builder.insert_header((header::LINK, link));
    }
    if let Some(tag) = tag {
        let matched = req
            .headers()
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| none_match(v, &tag));
        builder.insert_header((header::ETAG, format!("\"{tag}\"")));
        if matched {
            builder.status(StatusCode::NOT_MODIFIED);
            return builder.body(BoxBody::new(()));
        }
    }
    builder.body(reply.body)
}

/// A strong validator: the first 64 bits of SHA-256 over the type and the body, so every
/// replica serving the same bytes gives the same tag.
fn etag(content_type: &HeaderValue, body: &[u8]) -> String {
    let digest = Sha256::new()
        .chain_update(content_type.as_bytes())
        .chain_update([0])
        .chain_update(body)
        .finalize();
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether an `If-None-Match` value matches `tag` (weak comparison, as RFC 9110 asks; a
/// `-gzip`/`-br` suffix added for a compressed variant is ignored).
fn none_match(header: &str, tag: &str) -> bool {
    header.split(',').map(str::trim).any(|candidate| {
        if candidate == "*" {
            return true;
        }
        let candidate = candidate.strip_prefix("W/").unwrap_or(candidate);
        let inner = candidate.trim_matches('"');
        let base = inner.split_once('-').map_or(inner, |(b, _)| b);
        base == tag
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etags_match_loosely_but_correctly() {
        let tag = etag(&HeaderValue::from_static("text/plain"), b"hello");
        assert_eq!(tag.len(), 16);
        assert!(none_match(&format!("\"{tag}\""), &tag));
        assert!(none_match(&format!("W/\"{tag}\""), &tag));
        assert!(none_match(&format!("\"x\", \"{tag}-gzip\""), &tag));
        assert!(none_match("*", &tag));
        assert!(!none_match("\"0000000000000000\"", &tag));
        assert_ne!(
            tag,
            etag(&HeaderValue::from_static("application/json"), b"hello")
        );
    }
}
