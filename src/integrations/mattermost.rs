//! Mattermost slash command: `POST /integrations/mattermost`, form-encoded, authenticated by
//! the command's token (`Authorization: Token ...` or the `token` field) and answered with
//! Slack-style JSON. The token is compared as SHA-256 digests in constant time: comparing the
//! strings themselves would return early on a length mismatch and tell a caller the length.
//! A quote carries an "Another" button (see [`super::mattermost_actions`]).

use super::another::{self, Dealt};
use super::message::Platform;
use super::routes::{FORM, deal_form, form_fields, read_body, unauthorized};
use crate::server::public_url::{PublicUrl, base};
use crate::server::state::AppState;
use actix_web::web::{Data, Payload};
use actix_web::{HttpRequest, HttpResponse};
use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// Mattermost's longest post, in characters.
pub const MAX_POST: usize = 16_383;

/// The slash command's token.
#[derive(Clone)]
pub struct Token(pub String);

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(..)")
    }
}

impl Token {
    /// Whether `given` is the token. Both sides are hashed to 32 bytes first, so the
    /// comparison takes the same time whatever the length or content of `given`.
    pub fn matches(&self, given: &str) -> bool {
        let expected = Sha256::digest(self.0.as_bytes());
        let actual = Sha256::digest(given.as_bytes());
        let equal: bool = expected.as_slice().ct_eq(actual.as_slice()).into();
        !given.is_empty() && equal
    }

    /// The authenticator of a button's deck `value`: hex HMAC-SHA256 keyed with the token.
    /// Mattermost sends no token with clicks, so this is what proves a click's context is ours.
    pub fn sign(&self, value: &str) -> String {
        hex::encode(self.mac(value).finalize().into_bytes())
    }

    /// Whether `mac` (hex) is [`Token::sign`] of `value`, compared in constant time.
    pub fn verify(&self, value: &str, mac: &str) -> bool {
        hex::decode(mac).is_ok_and(|bytes| self.mac(value).verify_slice(&bytes).is_ok())
    }

    fn mac(&self, value: &str) -> Hmac<Sha256> {
        // HMAC takes keys of any length, so this never fails.
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(self.0.as_bytes())
            .expect("HMAC accepts any key length");
        mac.update(b"epigraph mattermost button\0");
        mac.update(value.as_bytes());
        mac
    }
}

/// The absolute URL of the button endpoint: `--public-url`, else the request's scheme and
/// `Host`.
pub fn actions_url(req: &HttpRequest) -> String {
    let mut base = base(req);
    let configured = req.app_data::<Data<PublicUrl>>().is_some();
    if !configured && req.connection_info().scheme() == "https" {
        base = base.replacen("http://", "https://", 1);
    }
    format!("{base}/integrations/mattermost/actions")
}

/// `text` (the quote as Mattermost Markdown) and, when there is a button, the attachments
/// that hold it: the parts a command reply and a click's update share.
pub fn render(dealt: &Dealt, token: &Token, url: &str) -> (String, Option<Value>) {
    let text = Platform::Mattermost.text(&dealt.answer.text);
    let attachments = dealt.button.as_ref().map(|value| {
        json!([{
            "actions": [{
                "id": another::ACTION_ID,
                "type": "button",
                "name": another::LABEL,
                "integration": {
                    "url": url,
                    "context": { "deck": value, "mac": token.sign(value) }
                }
            }]
        }])
    });
    (text, attachments)
}

/// Handler of `POST /integrations/mattermost`.
pub async fn handle(
    req: HttpRequest,
    payload: Payload,
    state: Data<AppState>,
    token: Data<Token>,
) -> HttpResponse {
    let body = match read_body(&req, payload, FORM).await {
        Ok(body) => body,
        Err(response) => return response,
    };
    let fields = form_fields(&body);
    let from_header = req
        .headers()
        .get("Authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().strip_prefix("Token "))
        .map(str::trim);
    let given = from_header.or(fields.get("token").map(String::as_str));
    match given {
        None => {
            return unauthorized(
                &req,
                "missing token (Authorization: Token ... or token field)",
            );
        }
        Some(given) if !token.matches(given) => return unauthorized(&req, "bad token"),
        Some(_) => {}
    }
    let channel = fields.get("channel_id").map_or("", String::as_str);
    let dealt = deal_form(&state, &fields, channel);
    let (text, attachments) = render(&dealt, &token, &actions_url(&req));
    let response_type = if dealt.answer.in_channel() {
        "in_channel"
    } else {
        "ephemeral"
    };
    let mut reply = json!({ "response_type": response_type, "text": text });
    if let Some(attachments) = attachments {
        reply["attachments"] = attachments;
    }
    HttpResponse::Ok().json(reply)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_compare_exactly() {
        let token = Token("abc123".into());
        assert!(token.matches("abc123"));
        assert!(!token.matches("abc124"));
        assert!(!token.matches("abc12"));
        assert!(!token.matches(""));
        assert!(!Token(String::new()).matches(""));
        assert!(!token.matches("abc123abc123"));
        assert!(!token.matches(&"x".repeat(10_000)));
    }

    #[test]
    fn button_values_are_signed_with_the_token() {
        let token = Token("abc123".into());
        let mac = token.sign("deck:death");
        assert_eq!(mac.len(), 64);
        assert!(token.verify("deck:death", &mac));
        assert!(!token.verify("deck:dead", &mac));
        assert!(!Token("abc124".into()).verify("deck:death", &mac));
        assert!(!token.verify("deck:death", &mac[..62]));
        assert!(!token.verify("deck:death", "zz"));
    }
}
