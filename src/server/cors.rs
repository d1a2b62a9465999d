//! CORS, open to every origin for reading, by `actix-cors`: `Access-Control-Allow-Origin: *`
//! on responses to requests with an `Origin` (exposing the validators and pagination links),
//! and preflights for GET and HEAD answered with any request headers allowed.

use actix_cors::Cors;
use actix_web::http::header;

/// How long a browser may reuse a preflight answer, in seconds.
const PREFLIGHT_MAX_AGE: usize = 24 * 60 * 60;

/// The CORS layer of the App.
pub fn layer() -> Cors {
    Cors::default()
        .allow_any_origin()
        .send_wildcard()
        .allowed_methods(["GET", "HEAD"])
        .allow_any_header()
        .expose_headers([header::ETAG, header::LINK])
        .max_age(PREFLIGHT_MAX_AGE)
        // The answer is `*` for every origin, so it does not vary with `Origin`; `Vary` stays
        // what negotiation says (`Accept`), which keeps shared caches to one copy.
        .disable_vary_header()
}
