//! Slack slash command: `POST /integrations/slack`, form-encoded as Slack sends it, verified by
//! the `X-Slack-Signature` HMAC over the raw body and answered with
//! `{"response_type", "text", "blocks"}` JSON: a quote as a section block with an "Another"
//! button (see [`super::another`]; its clicks are [`super::slack_actions`]).

use super::another::{self, Dealt};
use super::escape;
use super::message::Platform;
use super::routes::{FORM, deal_form, form_fields, read_body, unauthorized};
pub use super::routes::{MAX_SKEW_SECS, fresh};
use crate::server::state::AppState;
use actix_web::web::{Bytes, Data, Payload};
use actix_web::{HttpRequest, HttpResponse};
use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Value, json};
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

/// The body of a request signed by Slack: the signature and the replay window checked as
/// Slack documents them, else the 401 (or 408/413/415) to answer.
pub async fn verified(
    req: &HttpRequest,
    payload: Payload,
    secret: &SigningSecret,
) -> Result<Bytes, HttpResponse> {
    let body = read_body(req, payload, FORM).await?;
    let header = |name: &str| super::header(req, name);
    let (timestamp, signature) = (
        header("X-Slack-Request-Timestamp"),
        header("X-Slack-Signature"),
    );
    if timestamp.is_empty() || signature.is_empty() {
        return Err(unauthorized(
            req,
            "missing X-Slack-Request-Timestamp or X-Slack-Signature",
        ));
    }
    if !fresh(timestamp, SystemTime::now()) {
        return Err(unauthorized(
            req,
            "stale or invalid X-Slack-Request-Timestamp",
        ));
    }
    if !secret.verify(timestamp, &body, signature) {
        return Err(unauthorized(req, "bad X-Slack-Signature"));
    }
    Ok(body)
}

/// Handler of `POST /integrations/slack`.
pub async fn handle(
    req: HttpRequest,
    payload: Payload,
    state: Data<AppState>,
    secret: Data<SigningSecret>,
) -> HttpResponse {
    let body = match verified(&req, payload, &secret).await {
        Ok(body) => body,
        Err(response) => return response,
    };
    let fields = form_fields(&body);
    let channel = fields.get("channel_id").map_or("", String::as_str);
    let dealt = deal_form(&state, &fields, channel);
    let mut reply = message(&dealt);
    let response_type = if dealt.answer.in_channel() {
        "in_channel"
    } else {
        "ephemeral"
    };
    reply["response_type"] = json!(response_type);
    HttpResponse::Ok().json(reply)
}

/// Longest text of a section block, in characters.
pub const MAX_SECTION: usize = 3000;
/// Longest button `value`, in characters.
pub const MAX_VALUE: usize = 2000;

/// The message Slack shows for `dealt`: `text` (escaped mrkdwn, also the notification
/// fallback) and, for a quote, `blocks` with the quote as a section and, when it has one and
/// the value fits, the "Another" button.
pub fn message(dealt: &Dealt) -> Value {
    let text = Platform::Slack.text(&dealt.answer.text);
    let mut message = json!({ "text": text });
    if !dealt.answer.in_channel() {
        return message;
    }
    let mut blocks = vec![json!({
        "type": "section",
        "text": { "type": "mrkdwn", "text": section_text(&dealt.answer.text) }
    })];
    if let Some(value) = dealt
        .button
        .as_ref()
        .filter(|v| v.chars().count() <= MAX_VALUE)
    {
        blocks.push(json!({
            "type": "actions",
            "elements": [{
                "type": "button",
                "text": { "type": "plain_text", "text": another::LABEL },
                "action_id": another::ACTION_ID,
                "value": value
            }]
        }));
    }
    message["blocks"] = json!(blocks);
    message
}

/// `text` escaped for mrkdwn within [`MAX_SECTION`] characters: cut before escaping, so no
/// entity or escape is cut in half.
fn section_text(text: &str) -> String {
    let mut keep = MAX_SECTION;
    loop {
        let escaped = escape::slack(&escape::truncate(text, keep));
        if escaped.chars().count() <= MAX_SECTION || keep < 16 {
            return escaped;
        }
        keep = keep * 9 / 10;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::integrations::command::{Answer, Kind};
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
    fn a_long_quote_fits_its_section_and_keeps_the_whole_fallback() {
        let text = "<&> ".repeat(2000);
        let dealt = Dealt {
            answer: Answer {
                kind: Kind::Quote,
                text: text.clone(),
            },
            button: Some("v".into()),
        };
        let message = message(&dealt);
        let section = message["blocks"][0]["text"]["text"].as_str().unwrap();
        assert!(section.chars().count() <= MAX_SECTION, "{}", section.len());
        assert!(section.starts_with("&lt;&amp;&gt; ") && section.ends_with('…'));
        assert_eq!(message["text"], escape::slack(&text));
        assert_eq!(message["blocks"][1]["elements"][0]["value"], "v");
        let too_long = Dealt {
            button: Some("v".repeat(MAX_VALUE + 1)),
            ..dealt
        };
        assert_eq!(
            message_blocks(&too_long),
            1,
            "no button past 2000 characters"
        );
    }

    fn message_blocks(dealt: &Dealt) -> usize {
        message(dealt)["blocks"].as_array().unwrap().len()
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
