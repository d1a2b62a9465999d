//! Content negotiation: text, JSON or HTML from `?format=` or the `Accept` header.
//!
//! `*/*` and a missing `Accept` get plain text, which is what curl, wget and HTTPie send, so
//! terminals get the quote as `fortune` prints it. Browsers name `text/html` and get HTML;
//! programs naming `application/json` get JSON. Among equal q-values the more specific range
//! wins, then the one listed first, then text before JSON before HTML. Nothing acceptable: 406.
//!
//! Link-preview fetchers (Slackbot, Discordbot, Twitterbot, ...) often send `*/*` too, but want
//! the page and its Open Graph meta: when `Accept` leaves the choice open, their `User-Agent`
//! gets HTML ([`from_request`]).

use actix_web::http::header::HeaderValue;

/// A representation the server can produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `text/plain`, the quote as `fortune` prints it.
    Text,
    /// `application/json`.
    Json,
    /// `text/html`, a page for browsers.
    Html,
}

impl Format {
    /// Server preference order for ties.
    const ALL: [Format; 3] = [Format::Text, Format::Json, Format::Html];

    /// The names accepted by `?format=`.
    pub const NAMES: &'static [&'static str] = &["text", "json", "html"];

    /// Parses a `?format=` value.
    pub fn parse(name: &str) -> Option<Format> {
        match name {
            "text" => Some(Format::Text),
            "json" => Some(Format::Json),
            "html" => Some(Format::Html),
            _ => None,
        }
    }

    /// The `Content-Type` header of this representation (made at compile time).
    pub fn content_type_header(self) -> HeaderValue {
        const TEXT: HeaderValue = HeaderValue::from_static(Format::Text.content_type());
        const JSON: HeaderValue = HeaderValue::from_static(Format::Json.content_type());
        const HTML: HeaderValue = HeaderValue::from_static(Format::Html.content_type());
        match self {
            Format::Text => TEXT,
            Format::Json => JSON,
            Format::Html => HTML,
        }
    }

    /// The `Content-Type` of this representation.
    pub const fn content_type(self) -> &'static str {
        match self {
            Format::Text => "text/plain; charset=utf-8",
            Format::Json => "application/json",
            Format::Html => "text/html; charset=utf-8",
        }
    }

    /// The `type/subtype` of this representation.
    fn media(self) -> (&'static str, &'static str) {
        match self {
            Format::Text => ("text", "plain"),
            Format::Json => ("application", "json"),
            Format::Html => ("text", "html"),
        }
    }
}

/// The `Accept` header names nothing the server can produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotAcceptable;

/// Picks the representation for an `Accept` header value (`None` when absent).
pub fn from_accept(accept: Option<&str>) -> Result<Format, NotAcceptable> {
    let accept = match accept.map(str::trim) {
        None | Some("") | Some("*/*") => return Ok(Format::Text),
        Some(accept) => accept,
    };
    // (q in thousandths, specificity, -position) of the best range per format.
    let mut best: [Option<(u16, u8, i64)>; 3] = [None; 3];
    let mut any_valid = false;
    for (position, range) in accept.split(',').enumerate() {
        let Some((kind, sub, q)) = parse_range(range) else {
            continue;
        };
        any_valid = true;
        for (slot, format) in best.iter_mut().zip(Format::ALL) {
            let (want_kind, want_sub) = format.media();
            let specificity = if kind == "*" && sub == "*" {
                1
            } else if kind.eq_ignore_ascii_case(want_kind) && sub == "*" {
                2
            } else if kind.eq_ignore_ascii_case(want_kind) && sub.eq_ignore_ascii_case(want_sub) {
                3
            } else {
                continue;
            };
            // The most specific matching range decides this format's q-value.
            let candidate = (q, specificity, -(position as i64));
            let replace = match slot {
                None => true,
                Some((_, s, _)) => specificity > *s,
            };
            if replace {
                *slot = Some(candidate);
            }
        }
    }
    if !any_valid {
        // An Accept header with no usable range is treated as absent (RFC 9110 allows this).
        return Ok(Format::Text);
    }
    let mut chosen: Option<(Format, (u16, u8, i64))> = None;
    for (slot, format) in best.iter().zip(Format::ALL) {
        let Some(score) = *slot else { continue };
        if score.0 == 0 {
            continue;
        }
        if chosen.is_none_or(|(_, s)| score > s) {
            chosen = Some((format, score));
        }
    }
    chosen.map(|(f, _)| f).ok_or(NotAcceptable)
}

/// Words in the `User-Agent` of the fetchers that unfurl links in chat and social apps
/// (matched case-insensitively).
const UNFURLERS: &[&str] = &[
    "slackbot",
    "slack-imgproxy",
    "discordbot",
    "twitterbot",
    "facebookexternalhit",
    "facebot",
    "linkedinbot",
    "mattermost",
    "mastodon",
    "pleroma",
    "misskey",
    "telegrambot",
    "whatsapp",
    "skypeuripreview",
    "redditbot",
    "iframely",
    "embedly",
];

/// The request's `User-Agent`, if it is text.
pub fn user_agent(req: &actix_web::HttpRequest) -> Option<&str> {
    req.headers()
        .get(actix_web::http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
}

/// Whether a `User-Agent` is a link-preview fetcher.
pub fn is_unfurler(user_agent: &str) -> bool {
    let agent = user_agent.to_ascii_lowercase();
    UNFURLERS.iter().any(|word| agent.contains(word))
}

/// Whether an `Accept` header leaves the choice to the server: absent, empty, or naming only
/// `*/*` (at any non-zero q). Only then does the `User-Agent` matter.
pub fn accepts_anything(accept: Option<&str>) -> bool {
    let Some(accept) = accept.map(str::trim).filter(|a| !a.is_empty()) else {
        return true;
    };
    accept
        .split(',')
        .all(|range| matches!(parse_range(range), Some(("*", "*", q)) if q > 0))
}

/// Picks the representation for a request's `Accept` and `User-Agent` headers: HTML for a
/// link-preview fetcher that accepts anything, else as [`from_accept`].
pub fn from_request(
    accept: Option<&str>,
    user_agent: Option<&str>,
) -> Result<Format, NotAcceptable> {
    if accepts_anything(accept) && user_agent.is_some_and(is_unfurler) {
        return Ok(Format::Html);
    }
    from_accept(accept)
}

/// Parses `type/subtype;q=0.5;...` into its parts; `None` when malformed.
fn parse_range(range: &str) -> Option<(&str, &str, u16)> {
    let mut parts = range.split(';');
    let media = parts.next()?.trim();
    let (kind, sub) = media.split_once('/')?;
    let (kind, sub) = (kind.trim(), sub.trim());
    if kind.is_empty() || sub.is_empty() || (kind == "*" && sub != "*") {
        return None;
    }
    let mut q = 1000;
    for param in parts {
        if let Some((name, value)) = param.split_once('=')
            && name.trim().eq_ignore_ascii_case("q")
        {
            q = parse_q(value.trim())?;
        }
    }
    Some((kind, sub, q))
}

/// A q-value (`0`, `1`, `0.5`, up to three decimals) in thousandths.
fn parse_q(value: &str) -> Option<u16> {
    let (int, frac) = value.split_once('.').unwrap_or((value, ""));
    if frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let frac_value = frac
        .bytes()
        .chain(std::iter::repeat(b'0'))
        .take(3)
        .fold(0u16, |acc, b| acc * 10 + u16::from(b - b'0'));
    match int {
        "0" => Some(frac_value),
        "1" if frac_value == 0 => Some(1000),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pick(accept: &str) -> Result<Format, NotAcceptable> {
        from_accept(Some(accept))
    }

    #[test]
    fn clients() {
        assert_eq!(from_accept(None), Ok(Format::Text));
        assert_eq!(pick("*/*"), Ok(Format::Text));
        let firefox = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
        assert_eq!(pick(firefox), Ok(Format::Html));
        let chrome = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,\
                      image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7";
        assert_eq!(pick(chrome), Ok(Format::Html));
        assert_eq!(pick("application/json"), Ok(Format::Json));
        assert_eq!(pick("application/json, */*;q=0.5"), Ok(Format::Json));
        assert_eq!(pick("text/plain"), Ok(Format::Text));
        assert_eq!(pick("text/*"), Ok(Format::Text));
        assert_eq!(pick("application/*"), Ok(Format::Json));
    }

    #[test]
    fn q_values_order_and_specificity() {
        assert_eq!(pick("text/plain;q=0.5, application/json"), Ok(Format::Json));
        assert_eq!(pick("application/json, text/plain"), Ok(Format::Json));
        assert_eq!(pick("text/plain, application/json"), Ok(Format::Text));
        assert_eq!(pick("text/*;q=0.9, text/plain;q=0"), Ok(Format::Html));
        assert_eq!(pick("*/*, text/plain;q=0"), Ok(Format::Json));
        assert_eq!(pick("TEXT/HTML"), Ok(Format::Html));
    }

    #[test]
    fn link_preview_fetchers_get_html_unless_they_ask_otherwise() {
        let slack = Some("Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)");
        let discord = Some("Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)");
        let curl = Some("curl/8.5.0");
        for accept in [None, Some(""), Some("*/*"), Some("*/*;q=0.8")] {
            assert_eq!(from_request(accept, slack), Ok(Format::Html), "{accept:?}");
            assert_eq!(
                from_request(accept, discord),
                Ok(Format::Html),
                "{accept:?}"
            );
            assert_eq!(from_request(accept, curl), Ok(Format::Text), "{accept:?}");
            assert_eq!(from_request(accept, None), Ok(Format::Text), "{accept:?}");
        }
        assert_eq!(
            from_request(Some("application/json"), slack),
            Ok(Format::Json)
        );
        assert_eq!(
            from_request(Some("text/plain, */*"), discord),
            Ok(Format::Text)
        );
        assert!(!accepts_anything(Some("*/*;q=0")));
        assert!(!accepts_anything(Some("text/html")));
    }

    #[test]
    fn unservable_and_malformed() {
        assert_eq!(pick("image/png"), Err(NotAcceptable));
        assert_eq!(pick("*/*;q=0"), Err(NotAcceptable));
        assert_eq!(
            pick("text/plain;q=0, application/json;q=0.000"),
            Err(NotAcceptable)
        );
        assert_eq!(pick("garbage"), Ok(Format::Text));
        assert_eq!(pick("text/html;q=2"), Ok(Format::Text));
        assert_eq!(pick("*/json"), Ok(Format::Text));
        assert_eq!(parse_q("0.125"), Some(125));
        assert_eq!(parse_q("1.000"), Some(1000));
        assert_eq!(parse_q("1.5"), None);
        assert_eq!(parse_q("0.1234"), None);
    }
}
