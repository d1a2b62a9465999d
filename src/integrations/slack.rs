//! Slack slash command: `POST /integrations/slack`, form-encoded as Slack sends it, verified by
//! the `X-Slack-Signature` HMAC over the raw body and answered with
//! `{"response_type", "text"}` JSON.

use super::escape;
use super::routes::{Reply, answer_form, form_fields, unauthorized};
use crate::server::state::AppState;
use actix_web::web::{Bytes, Data};
use actix_web::{HttpRequest, HttpResponse};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use std::time::{SystemTime, UNIX_EPOCH};

/// Largest distance between Slack's timestamp and our clock, in seconds (replay protection).
pub const MAX_SKEW_SECS: i64 = 300;

/// The app's signing secret.
#[derive(Clone)]
pub struct SigningSecret(pub Vec<u8>);

impl std::fmt::Debug for SigningSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SigningSecret(..)")
    }
}

impl SigningSecret {
    /// Whether `signature` (`v0=` + hex) is the HMAC-SHA256 of `v0:{timestamp}:{body}`,
    /// checked in constant time.
    pub fn verify(&self, timestamp: &str, body: &[u8], signature: &str) -> bool {
        let Some(bytes) = signature
            .strip_prefix("v0=")
            .and_then(|hex| hex::decode(hex).ok())
        else {
            return false;
        };
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.0) else {
            return false;
        };
        mac.update(b"v0:");
        mac.update(timestamp.as_bytes());
        mac.update(b":");
        mac.update(body);
        mac.verify_slice(&bytes).is_ok()
    }
}

/// Whether `timestamp` (Unix seconds) is within [`MAX_SKEW_SECS`] of `now`.
pub fn fresh(timestamp: &str, now: SystemTime) -> bool {
    let Ok(ts) = timestamp.trim().parse::<i64>() else {
        return false;
    };
    let now = now
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    (now - ts).abs() <= MAX_SKEW_SECS
}

/// Handler of `POST /integrations/slack`.
pub async fn handle(
    req: HttpRequest,
    body: Bytes,
    state: Data<AppState>,
    secret: Data<SigningSecret>,
) -> HttpResponse {
    let header = |name: &str| super::header(&req, name);
    let (timestamp, signature) = (
        header("X-Slack-Request-Timestamp"),
        header("X-Slack-Signature"),
    );
    if timestamp.is_empty() || signature.is_empty() {
        return unauthorized("missing X-Slack-Request-Timestamp or X-Slack-Signature");
    }
    if !fresh(timestamp, SystemTime::now()) {
        return unauthorized("stale or invalid X-Slack-Request-Timestamp");
    }
    if !secret.verify(timestamp, &body, signature) {
        return unauthorized("bad X-Slack-Signature");
    }
    let fields = form_fields(&body);
    let answer = answer_form(&state, &fields);
    Reply::slack_style(&answer, escape::slack(&answer.text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn verifies_slacks_documented_example() {
        // The example from Slack's "Verifying requests from Slack" guide.
        let secret = SigningSecret(b"8f742231b10e8888abcd99yyyzzz85a5".to_vec());
        let body = b"token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
        let good = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
        assert!(secret.verify("1531420618", body, good));
        assert!(!secret.verify("1531420619", body, good));
        assert!(!secret.verify("1531420618", body, &good.replace("v0=", "v1=")));
        assert!(!secret.verify("1531420618", body, "v0=zz"));
    }

    #[test]
    fn timestamps_older_or_newer_than_five_minutes_are_stale() {
        let now = UNIX_EPOCH + Duration::from_secs(1_000_000);
        assert!(fresh("1000000", now));
        assert!(fresh("999700", now));
        assert!(!fresh("999699", now));
        assert!(!fresh("1000301", now));
        assert!(!fresh("soon", now));
    }
}
