//! The server's address as the outside world reaches it, for the absolute URLs that link
//! previews and feeds need (`og:image`, `og:url`, Atom ids). `--public-url` sets it; without
//! it each request's `Host` header is used with `http://`, which is right for a server reached
//! directly and wrong behind a TLS proxy, so the setting is documented for that case.

use actix_web::HttpRequest;
use actix_web::http::header;

/// A checked `--public-url`: `http(s)://host[:port][/prefix]`, without a trailing slash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrl(String);

/// A `--public-url` that is not an absolute http(s) URL without query or fragment.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "--public-url must be an absolute http:// or https:// URL with a host and no query or \
     fragment, such as https://quotes.example.org, got {0:?}"
)]
pub struct BadPublicUrl(pub String);

impl PublicUrl {
    /// Checks `text` and drops a trailing slash.
    pub fn parse(text: &str) -> Result<PublicUrl, BadPublicUrl> {
        let bad = || BadPublicUrl(text.to_string());
        let trimmed = text.trim().trim_end_matches('/');
        let rest = trimmed
            .strip_prefix("https://")
            .or_else(|| trimmed.strip_prefix("http://"))
            .ok_or_else(bad)?;
        let host = rest.split('/').next().unwrap_or("");
        let clean = |c: char| c.is_ascii_graphic() && !"\"'<>\\^`{|}?#".contains(c);
        if host.is_empty() || !valid_host(host) || !rest.chars().all(clean) {
            return Err(bad());
        }
        Ok(PublicUrl(trimmed.to_string()))
    }

    /// The URL, without a trailing slash.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Letters, digits, `.-_:` and IPv6 brackets only: what a `Host` header may carry and be
/// echoed into a page.
fn valid_host(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 255
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".-_:[]".contains(c))
}

/// The base for absolute URLs in answers to `req`: the configured public URL, else
/// `http://` and the `Host` header, else `http://localhost`.
pub fn base(req: &HttpRequest) -> String {
    if let Some(public) = req.app_data::<actix_web::web::Data<PublicUrl>>() {
        return public.as_str().to_string();
    }
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .or_else(|| req.uri().authority().map(|a| a.to_string()))
        .filter(|h| valid_host(h))
        .unwrap_or_else(|| "localhost".to_string());
    format!("http://{host}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn public_urls_are_checked_and_trimmed() {
        let ok = PublicUrl::parse("https://quotes.example.org/").unwrap();
        assert_eq!(ok.as_str(), "https://quotes.example.org");
        let prefixed = PublicUrl::parse("http://[::1]:8080/q").unwrap();
        assert_eq!(prefixed.as_str(), "http://[::1]:8080/q");
        for bad in [
            "quotes.example.org",
            "ftp://x",
            "https://",
            "https://a b",
            "https://x/?q=1",
            "https://x/#top",
            "https://x\"/",
        ] {
            assert!(PublicUrl::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn without_a_setting_the_host_header_is_used_when_it_is_a_host() {
        let req = TestRequest::default()
            .insert_header(("Host", "quotes.local:8080"))
            .to_http_request();
        assert_eq!(base(&req), "http://quotes.local:8080");
        let req = TestRequest::default()
            .insert_header(("Host", "evil\"><script>"))
            .to_http_request();
        assert_eq!(base(&req), "http://localhost");
        let req = TestRequest::default()
            .insert_header(("Host", "quotes.local"))
            .app_data(actix_web::web::Data::new(
                PublicUrl::parse("https://q.example").unwrap(),
            ))
            .to_http_request();
        assert_eq!(base(&req), "https://q.example");
    }
}
