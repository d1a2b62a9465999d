//! Slack button clicks: `POST /integrations/slack/actions`, the app's Interactivity Request
//! URL. Signed like the slash command; the form field `payload` is a `block_actions` JSON.
//! Slack ignores the body of the answer to a click, so the click is acknowledged with 200 at
//! once and the replacement message is POSTed to the payload's `response_url` off the request
//! path — only when that URL starts with the allowed prefix, so a signed payload cannot make
//! epigraph send requests anywhere else.

use super::another::{self, ACTION_ID};
use super::routes::{form_fields, reject};
use super::slack::{SigningSecret, message, verified};
use super::webhook::{Delivery, host_of, post_json};
use crate::corpus::Face;
use crate::server::errors::ApiError;
use crate::server::state::AppState;
use actix_web::http::StatusCode;
use actix_web::web::{Data, Payload};
use actix_web::{HttpRequest, HttpResponse};
use serde_json::{Value, json};
use std::time::Duration;

/// Where replacement messages may be POSTed: `response_url`s starting with this.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseUrlPrefix(String);

/// The prefix Slack's own `response_url`s have.
pub const SLACK_HOOKS: &str = "https://hooks.slack.com/";

impl Default for ResponseUrlPrefix {
    fn default() -> Self {
        ResponseUrlPrefix(SLACK_HOOKS.to_string())
    }
}

impl ResponseUrlPrefix {
    /// Checks `text`: an http(s) URL whose host is followed by `/`, so the prefix cannot be
    /// extended into another host (`https://hooks.slack.com.evil.example/`).
    pub fn parse(text: &str) -> Result<ResponseUrlPrefix, String> {
        let text = text.trim();
        let rest = text
            .strip_prefix("https://")
            .or_else(|| text.strip_prefix("http://"));
        match rest.and_then(|r| r.split_once('/')) {
            Some((host, _)) if !host.is_empty() && !host.contains(['@', '?', '#']) => {
                Ok(ResponseUrlPrefix(text.to_string()))
            }
            _ => Err(format!(
                "--slack-response-url-prefix must be an http(s) URL with a host and a path \
                 that starts with /, such as {SLACK_HOOKS}, got {text:?}"
            )),
        }
    }

    /// Whether replies may be POSTed to `url`.
    pub fn allows(&self, url: &str) -> bool {
        url.starts_with(&self.0)
    }

    /// The prefix.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// How hard a replacement is pushed to `response_url` (Slack takes 5 posts per URL in 30 min).
fn delivery() -> Delivery {
    Delivery {
        attempts: 3,
        first_backoff: Duration::from_secs(1),
        max_backoff: Duration::from_secs(10),
        timeout: Duration::from_secs(10),
    }
}

/// The `payload` of a click: the button's value and where to send the replacement.
fn parse_click(fields: &std::collections::HashMap<String, String>) -> Result<Click, String> {
    let raw = fields
        .get("payload")
        .ok_or("the form has no payload field")?;
    let payload: Value =
        serde_json::from_str(raw).map_err(|_| "the payload field is not JSON".to_string())?;
    if payload["type"] != "block_actions" {
        return Err("only block_actions payloads are handled".into());
    }
    let action = &payload["actions"][0];
    let id = action["action_id"].as_str().unwrap_or("");
    if id != ACTION_ID {
        let shown: String = id.chars().take(40).collect();
        return Err(format!("unknown action_id {shown:?}"));
    }
    let value = action["value"].as_str().ok_or("the action has no value")?;
    let url = payload["response_url"]
        .as_str()
        .ok_or("the payload has no response_url")?;
    Ok(Click {
        value: value.to_string(),
        response_url: url.to_string(),
    })
}

#[derive(Debug)]
struct Click {
    value: String,
    response_url: String,
}

/// Handler of `POST /integrations/slack/actions`.
pub async fn handle(
    req: HttpRequest,
    payload: Payload,
    state: Data<AppState>,
    secret: Data<SigningSecret>,
    prefix: Data<ResponseUrlPrefix>,
) -> HttpResponse {
    let body = match verified(&req, payload, &secret).await {
        Ok(body) => body,
        Err(response) => return response,
    };
    let bad = |message: String| reject(&req, ApiError::new(StatusCode::BAD_REQUEST, message));
    let click = match parse_click(&form_fields(&body)) {
        Ok(click) => click,
        Err(message) => return bad(message),
    };
    let dealt = match another::click(&state.face(Face::Chat), &click.value) {
        Ok(dealt) => dealt,
        Err(err) => return bad(err.to_string()),
    };
    let mut reply = message(&dealt);
    if dealt.answer.in_channel() {
        reply["replace_original"] = json!(true);
    } else {
        // Only the clicker learns that the collection or tag is gone; the quote stays.
        reply["replace_original"] = json!(false);
        reply["response_type"] = json!("ephemeral");
    }
    let url = click.response_url;
    if !prefix.allows(&url) {
        tracing::warn!(
            host = host_of(&url),
            prefix = prefix.as_str(),
            "Slack response_url refused: it is outside --slack-response-url-prefix, not posted"
        );
        return HttpResponse::Ok().finish();
    }
    let json = reply.to_string();
    // Off the request path: the 200 must reach Slack within 3 s whatever the post takes.
    drop(actix_web::rt::task::spawn_blocking(move || {
        if let Err(err) = post_json(&url, &json, &delivery()) {
            tracing::warn!("Slack response_url post failed: {err}");
        }
    }));
    HttpResponse::Ok().finish()
}

/// The endpoint for the OpenAPI document.
pub fn openapi_item() -> Value {
    json!({ "post": {
        "operationId": "integrations_slack_actions",
        "summary": "Slack button clicks (`POST /integrations/slack/actions`)",
        "description": "Served with the Slack command. Signed like it. Form field `payload` = a \
            `block_actions` JSON whose action `another` carries a deck value. Answered with an \
            empty 200 at once; the next quote, `{\"replace_original\":true,\"text\",\
            \"blocks\"}`, is POSTed to `response_url` when it starts with \
            `--slack-response-url-prefix` (default `https://hooks.slack.com/`), else logged \
            and dropped.",
        "requestBody": { "required": true, "content": {
            "application/x-www-form-urlencoded": { "schema": { "type": "object",
                "properties": { "payload": { "type": "string" } } } } } },
        "responses": {
            "200": { "description": "Acknowledged (empty body)." },
            "400": { "description": "No payload, not JSON, not block_actions, an unknown \
                action_id, or a value that is not a deck." },
            "401": { "description": "Missing, bad or stale signature." },
            "405": { "description": "A method other than POST." },
            "413": { "description": "Body over 16 KiB." },
            "415": { "description": "A body that is not form-encoded." }
        }
    } })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_must_end_their_host() {
        let default = ResponseUrlPrefix::default();
        assert!(default.allows("https://hooks.slack.com/actions/T1/2/x"));
        assert!(!default.allows("https://hooks.slack.com.evil.example/x"));
        assert!(!default.allows("http://hooks.slack.com/x"));
        assert!(!default.allows("https://127.0.0.1/x"));
        assert!(ResponseUrlPrefix::parse("http://127.0.0.1:9/").is_ok());
        for bad in [
            "",
            "hooks.slack.com/",
            "https://hooks.slack.com",
            "https:///x",
            "ftp://x/",
            "https://u@x/",
        ] {
            assert!(ResponseUrlPrefix::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn clicks_need_our_action_and_a_response_url() {
        let form = |payload: Value| {
            std::collections::HashMap::from([("payload".to_string(), payload.to_string())])
        };
        let good = json!({"type": "block_actions", "response_url": "https://hooks.slack.com/a",
            "actions": [{"action_id": "another", "value": "v", "type": "button"}]});
        let click = parse_click(&form(good.clone())).unwrap();
        assert_eq!(
            (click.value.as_str(), click.response_url.as_str()),
            ("v", "https://hooks.slack.com/a")
        );
        let mut other = good.clone();
        other["actions"][0]["action_id"] = json!("vote");
        assert!(
            parse_click(&form(other))
                .unwrap_err()
                .contains("unknown action_id")
        );
        let mut no_url = good.clone();
        no_url.as_object_mut().unwrap().remove("response_url");
        assert!(parse_click(&form(no_url)).is_err());
        let mut shortcut = good;
        shortcut["type"] = json!("shortcut");
        assert!(parse_click(&form(shortcut)).is_err());
        assert!(parse_click(&Default::default()).is_err());
    }
}
