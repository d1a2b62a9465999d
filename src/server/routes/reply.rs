//! A successful answer and how it becomes a response: content type, caching headers, `Link`,
//! and a strong `ETag` answered with 304 on a matching `If-None-Match`.

use crate::server::negotiate::Format;
use actix_web::body::BoxBody;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse};
use sha2::{Digest, Sha256};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

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

    /// How many quotes the answer carries.
    pub fn quote_count(&self) -> usize {
        self.quotes
    }

    /// Records how many quotes the answer carries (for metrics).
    pub fn quotes(mut self, n: usize) -> Reply {
        self.quotes = n;
        self
    }
}

pub(super) fn finish(req: &HttpRequest, reply: Reply) -> HttpResponse {
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
