//! Slack slash command: `POST /integrations/slack`, form-encoded as Slack sends it, verified by
//! the `X-Slack-Signature` HMAC over the raw body and answered with
//! `{"response_type", "text"}` JSON.

use super::message::Platform;
use super::routes::{FORM, Reply, answer_form, form_fields, read_body, unauthorized};
pub use super::routes::{MAX_SKEW_SECS, fresh};
use crate::server::state::AppState;
use actix_web::web::{Data, Payload};
use actix_web::{HttpRequest, HttpResponse};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use std::time::SystemTime;

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

/// Handler of `POST /integrations/slack`.
pub async fn handle(
    req: HttpRequest,
    payload: Payload,
    state: Data<AppState>,
    secret: Data<SigningSecret>,
) -> HttpResponse {
    let body = match read_body(&req, payload, FORM).await {
        Ok(body) => body,
        Err(response) => return response,
    };
    let header = |name: &str| super::header(&req, name);
    let (timestamp, signature) = (
        header("X-Slack-Request-Timestamp"),
        header("X-Slack-Signature"),
    );
    if timestamp.is_empty() || signature.is_empty() {
        return unauthorized(
            &req,
            "missing X-Slack-Request-Timestamp or X-Slack-Signature",
        );
    }
    if !fresh(timestamp, SystemTime::now()) {
        return unauthorized(&req, "stale or invalid X-Slack-Request-Timestamp");
    }
    if !secret.verify(timestamp, &body, signature) {
        return unauthorized(&req, "bad X-Slack-Signature");
    }
    let fields = form_fields(&body);
    let answer = answer_form(&state, &fields);
    Reply::slack_style(&answer, Platform::Slack.text(&answer.text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

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
        assert!(!fresh("", now));
        assert!(!fresh("1e6", now));
    }

    #[test]
    fn the_extremes_of_i64_are_stale_not_wrapped() {
        let now = UNIX_EPOCH + Duration::from_secs(1_000_000);
        // `(now - ts).abs()` would wrap for these and count them as fresh.
        for ts in [
            i64::MIN,
            i64::MIN + 1,
            1_000_000 - i64::MAX - 1,
            i64::MAX,
            i64::MAX - 1,
        ] {
            assert!(!fresh(&ts.to_string(), now), "{ts}");
        }
        assert!(!fresh("9223372036854775808", now), "above i64::MAX");
        // A clock at the far end is handled too.
        let far = UNIX_EPOCH + Duration::from_secs(u64::MAX / 2);
        assert!(fresh(&i64::MAX.to_string(), far));
        assert!(!fresh(&i64::MIN.to_string(), far));
    }
}
