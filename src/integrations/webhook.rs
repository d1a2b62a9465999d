//! Posting a JSON message to a chat platform's URL (an incoming webhook, or a Slack
//! `response_url`), retrying with backoff when the platform is busy.
//!
//! Retried: HTTP 429 and 5xx (waiting as long as `Retry-After` asks, within a cap) and
//! failures to connect. Any other answer is final: a 4xx other than 429 means the message or
//! the URL is wrong, and sending it again would not help. Redirects are not followed: a
//! redirected POST becomes a GET (301, 302) whose 200 would pass for a delivered message, or
//! takes the message to another host; a 3xx is reported like a 4xx instead.

use std::time::Duration;

/// How hard to try.
#[derive(Debug, Clone)]
pub struct Delivery {
    /// Attempts in all, at least 1.
    pub attempts: u32,
    /// The wait after the first failure; it doubles after each further one.
    pub first_backoff: Duration,
    /// The longest wait between attempts, also the cap on a `Retry-After`.
    pub max_backoff: Duration,
    /// The budget of one attempt: connect, send and read the answer.
    pub timeout: Duration,
}

impl Default for Delivery {
    fn default() -> Self {
        Delivery {
            attempts: 5,
            first_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(60),
            timeout: Duration::from_secs(10),
        }
    }
}

/// Why a post did not arrive.
#[derive(Debug, thiserror::Error)]
pub enum PostError {
    #[error("{host} answered HTTP {status} after {attempts} attempt(s)")]
    Status {
        host: String,
        status: u16,
        attempts: u32,
    },
    #[error("could not reach {host} after {attempts} attempt(s): {reason}")]
    Unreachable {
        host: String,
        reason: String,
        attempts: u32,
    },
}

/// What one attempt came to.
enum Attempt {
    Delivered,
    /// Worth trying again, after at least this long when the platform said so.
    Busy(u16, Option<Duration>),
    Refused(u16),
    Unreachable(String),
}

/// POSTs `json` to `url` as `application/json`; `Ok` with the number of attempts it took.
pub fn post_json(url: &str, json: &str, delivery: &Delivery) -> Result<u32, PostError> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(delivery.timeout))
        .build()
        .into();
    let host = host_of(url).to_owned();
    let attempts = delivery.attempts.max(1);
    let mut backoff = delivery.first_backoff;
    let mut attempt = 0;
    loop {
        attempt += 1;
        let outcome = match agent
            .post(url)
            .header("Content-Type", "application/json")
            .send(json)
        {
            Ok(answer) => classify(
                answer.status().as_u16(),
                answer
                    .headers()
                    .get("retry-after")
                    .and_then(|v| v.to_str().ok()),
            ),
            Err(e) => Attempt::Unreachable(e.to_string()),
        };
        let wait = match outcome {
            Attempt::Delivered => return Ok(attempt),
            Attempt::Refused(status) => {
                return Err(PostError::Status {
                    host,
                    status,
                    attempts: attempt,
                });
            }
            Attempt::Busy(status, _) if attempt == attempts => {
                return Err(PostError::Status {
                    host,
                    status,
                    attempts,
                });
            }
            Attempt::Unreachable(reason) if attempt == attempts => {
                return Err(PostError::Unreachable {
                    host,
                    reason,
                    attempts,
                });
            }
            Attempt::Busy(status, asked) => {
                tracing::warn!(host, status, attempt, "webhook busy, trying again");
                asked.unwrap_or(backoff)
            }
            Attempt::Unreachable(reason) => {
                tracing::warn!(host, reason, attempt, "webhook unreachable, trying again");
                backoff
            }
        };
        std::thread::sleep(wait.min(delivery.max_backoff));
        backoff = (backoff * 2).min(delivery.max_backoff);
    }
}

fn classify(status: u16, retry_after: Option<&str>) -> Attempt {
    match status {
        200..=299 => Attempt::Delivered,
        429 | 500..=599 => Attempt::Busy(status, retry_after.and_then(parse_retry_after)),
        _ => Attempt::Refused(status),
    }
}

/// `Retry-After` as delay-seconds (RFC 9110 §10.2.3); the HTTP-date form, which the chat
/// platforms do not send, falls back to our own backoff.
fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    // Discord's JSON bodies carry fractional seconds; a few proxies copy them into the header.
    value
        .parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(Duration::from_secs_f64)
}

/// The host part of a URL, for messages that must not print the webhook's secret path.
pub fn host_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_reads_seconds_and_ignores_dates() {
        assert_eq!(parse_retry_after("3"), Some(Duration::from_secs(3)));
        assert_eq!(
            parse_retry_after(" 0.25 "),
            Some(Duration::from_millis(250))
        );
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), None);
        assert_eq!(parse_retry_after("-1"), None);
    }

    #[test]
    fn only_busy_answers_are_retried() {
        assert!(matches!(classify(204, None), Attempt::Delivered));
        assert!(matches!(
            classify(429, Some("2")),
            Attempt::Busy(429, Some(_))
        ));
        assert!(matches!(classify(503, None), Attempt::Busy(503, None)));
        assert!(matches!(classify(404, None), Attempt::Refused(404)));
        assert!(matches!(classify(400, Some("1")), Attempt::Refused(400)));
        assert!(matches!(classify(302, None), Attempt::Refused(302)));
    }

    #[test]
    fn messages_name_the_host_not_the_secret_path() {
        assert_eq!(
            host_of("https://hooks.slack.com/services/T0/B0/SECRET"),
            "hooks.slack.com"
        );
        assert_eq!(host_of("http://127.0.0.1:8080/hook?x=1"), "127.0.0.1:8080");
        assert_eq!(host_of("https://user:pw@example.org"), "example.org");
    }
}
