//! The routes, one module per resource, and the response machinery they share: parameter
//! parsing, negotiation, `Vary` and errors here; the reply, its caching headers and strong
//! `ETag`s in [`reply`].

mod cards;
mod decks;
mod feed;
mod lists;
mod meta;
mod ops;
mod random;
mod reply;

pub use reply::{Cache, Reply};

use super::errors::{ApiError, ErrorFormat};
use super::negotiate::{self, Format};
use super::query::{FORMAT, ParamSpec, Params};
use super::state::AppState;
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::web;
use actix_web::{FromRequest, Handler, HttpRequest, HttpResponse, Responder};

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

// Made at compile time: `HeaderValue::from_static` checks its bytes on every call otherwise.
const VARY_ACCEPT: HeaderValue = HeaderValue::from_static("Accept");
const VARY_USER_AGENT: HeaderValue = HeaderValue::from_static("User-Agent");

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
                    state.metrics().count_quotes(reply.quote_count());
                    reply::finish(req, reply)
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
