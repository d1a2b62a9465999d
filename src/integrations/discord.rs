//! Discord interactions endpoint: `POST /integrations/discord`, verified by the Ed25519
//! `X-Signature-Ed25519` over `X-Signature-Timestamp` + raw body (401 otherwise: Discord probes
//! with bad signatures), answering PING with PONG and application commands with a message. A
//! validly signed request whose timestamp is more than five minutes away is a replay: 401.
//! A quote carries an "Another" button; its click (type 3, MESSAGE_COMPONENT) arrives here
//! too and is answered with type 7 (UPDATE_MESSAGE): the deck's next quote in place.

use super::another::{self, Dealt};
use super::command::{Query, answer};
use super::message::Platform;
use super::routes::{JSON, fresh, read_body, reject, unauthorized};
use crate::corpus::Face;
use crate::corpus::{Chooser, Day};
use crate::server::errors::ApiError;
use crate::server::state::AppState;
use actix_web::http::StatusCode;
use actix_web::web::{Data, Payload};
use actix_web::{HttpRequest, HttpResponse};
use ed25519_dalek::{Signature, VerifyingKey};
use serde_json::{Value, json};
use std::time::SystemTime;

/// Discord's longest message content, in characters.
pub const MAX_CONTENT: usize = 2000;
/// Discord's longest component `custom_id`, in characters.
pub const MAX_CUSTOM_ID: usize = 100;
/// The start of the "Another" button's `custom_id`; the deck value follows.
pub const BUTTON_PREFIX: &str = "another:";

/// The message data for `dealt`: escaped `content`, no mentions, ephemeral (`flags` 64) unless
/// it is a quote, and the "Another" button when there is one and its `custom_id` fits.
pub fn message(dealt: &Dealt) -> Value {
    let content = Platform::Discord.text(&dealt.answer.text);
    let mut message = json!({
        "content": content,
        "allowed_mentions": { "parse": [] }
    });
    if !dealt.answer.in_channel() {
        message["flags"] = json!(64);
    }
    let custom_id = dealt
        .button
        .as_ref()
        .map(|value| format!("{BUTTON_PREFIX}{value}"))
        .filter(|id| id.chars().count() <= MAX_CUSTOM_ID);
    if let Some(custom_id) = custom_id {
        message["components"] = json!([{
            "type": 1,
            "components": [{
                "type": 2, "style": 2, "label": another::LABEL, "custom_id": custom_id
            }]
        }]);
    }
    message
}

/// The application's public key.
#[derive(Debug, Clone)]
pub struct PublicKey(pub VerifyingKey);

impl PublicKey {
    /// Parses the 64 hex digits shown in the Discord developer portal.
    pub fn from_hex(hex: &str) -> Result<PublicKey, String> {
        let bytes = hex::decode(hex.trim())
            .map_err(|e| format!("the Discord public key must be hex ({e})"))?;
        let bytes: [u8; 32] = bytes.try_into().map_err(|b: Vec<u8>| {
            format!(
                "the Discord public key must be 32 bytes (64 hex digits), got {}",
                b.len()
            )
        })?;
        VerifyingKey::from_bytes(&bytes)
            .map(PublicKey)
            .map_err(|e| format!("the Discord public key is not a valid Ed25519 key ({e})"))
    }

    /// Whether `signature` (hex) signs `timestamp` followed by `body`.
    pub fn verify(&self, timestamp: &str, body: &[u8], signature: &str) -> bool {
        let Some(signature) = hex::decode(signature.trim())
            .ok()
            .and_then(|b| Signature::from_slice(&b).ok())
        else {
            return false;
        };
        let mut message = Vec::with_capacity(timestamp.len() + body.len());
        message.extend_from_slice(timestamp.as_bytes());
        message.extend_from_slice(body);
        self.0.verify_strict(&message, &signature).is_ok()
    }
}

/// The command text of an application command: option values in order, subcommand names
/// included, joined by spaces (`/quote text:search love` gives `search love`).
pub fn command_text(data: &Value) -> String {
    fn walk(options: &Value, out: &mut Vec<String>) {
        for option in options.as_array().into_iter().flatten() {
            if let Some(nested) = option.get("options") {
                out.extend(option["name"].as_str().map(str::to_string));
                walk(nested, out);
            } else {
                match &option["value"] {
                    Value::String(s) => out.push(s.clone()),
                    Value::Null => {}
                    other => out.push(other.to_string()),
                }
            }
        }
    }
    let mut words = Vec::new();
    walk(&data["options"], &mut words);
    words.join(" ")
}

/// Handler of `POST /integrations/discord`.
pub async fn handle(
    req: HttpRequest,
    payload: Payload,
    state: Data<AppState>,
    key: Data<PublicKey>,
) -> HttpResponse {
    let body = match read_body(&req, payload, JSON).await {
        Ok(body) => body,
        Err(response) => return response,
    };
    let header = |name: &str| super::header(&req, name);
    let (signature, timestamp) = (
        header("X-Signature-Ed25519"),
        header("X-Signature-Timestamp"),
    );
    if signature.is_empty() || timestamp.is_empty() {
        return unauthorized(&req, "missing X-Signature-Ed25519 or X-Signature-Timestamp");
    }
    if !key.verify(timestamp, &body, signature) {
        return unauthorized(&req, "invalid request signature");
    }
    if !fresh(timestamp, SystemTime::now()) {
        return unauthorized(&req, "stale or invalid X-Signature-Timestamp");
    }
    let bad = |message: &str| reject(&req, ApiError::new(StatusCode::BAD_REQUEST, message));
    let Ok(interaction) = serde_json::from_slice::<Value>(&body) else {
        return bad("the body is not JSON");
    };
    match interaction["type"].as_u64() {
        Some(1) => HttpResponse::Ok().json(json!({ "type": 1 })),
        Some(2) => {
            let data = &interaction["data"];
            let command = format!("/{}", data["name"].as_str().unwrap_or("quote"));
            let query = Query::parse(&command_text(data));
            let channel = interaction["channel_id"].as_str().unwrap_or("");
            let snapshot = state.face(Face::Chat);
            let dealt = another::reply(&snapshot, &query, channel, || {
                answer(
                    &snapshot.corpus,
                    &query,
                    &command,
                    &mut Chooser::random(),
                    Day::today(),
                )
            });
            HttpResponse::Ok().json(json!({ "type": 4, "data": message(&dealt) }))
        }
        Some(3) => {
            let custom_id = interaction["data"]["custom_id"].as_str().unwrap_or("");
            let Some(value) = custom_id.strip_prefix(BUTTON_PREFIX) else {
                return bad("unknown custom_id");
            };
            match another::click(&state.face(Face::Chat), value) {
                // UPDATE_MESSAGE: the quote and its button replaced in place.
                Ok(dealt) if dealt.answer.in_channel() => {
                    let mut data = message(&dealt);
                    // An update keeps the old components unless replaced: none removes them.
                    if data.get("components").is_none() {
                        data["components"] = json!([]);
                    }
                    HttpResponse::Ok().json(json!({ "type": 7, "data": data }))
                }
                // The collection or tag is gone: an ephemeral note to the clicker only.
                Ok(dealt) => HttpResponse::Ok().json(json!({ "type": 4, "data": message(&dealt) })),
                Err(err) => bad(&err.to_string()),
            }
        }
        _ => bad("unsupported interaction type"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_keys_must_be_32_hex_bytes() {
        assert!(PublicKey::from_hex("zz").unwrap_err().contains("hex"));
        assert!(
            PublicKey::from_hex("abcd")
                .unwrap_err()
                .contains("32 bytes")
        );
        let key = ed25519_dalek::SigningKey::from_bytes(&[7; 32]).verifying_key();
        assert!(PublicKey::from_hex(&hex::encode(key.as_bytes())).is_ok());
    }

    #[test]
    fn command_text_joins_options_and_subcommands() {
        let data = json!({"name": "quote", "options": [{"name": "text", "type": 3, "value": "search love"}]});
        assert_eq!(command_text(&data), "search love");
        let data =
            json!({"name": "quote", "options": [{"name": "today", "type": 1, "options": []}]});
        assert_eq!(command_text(&data), "today");
        assert_eq!(command_text(&json!({"name": "quote"})), "");
    }
}
