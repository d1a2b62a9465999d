//! Registers the chat endpoints on the `serve` app, each only when its secret is configured,
//! and the pieces of request and reply handling they share.

use super::command::{Answer, Query, answer};
use super::discord::PublicKey;
use super::mattermost::Token;
use super::slack::SigningSecret;
use super::{discord, mattermost, slack};
use crate::corpus::{Chooser, Day};
use crate::server::state::AppState;
use actix_web::{HttpResponse, web};
use serde_json::{Value, json};
use std::collections::HashMap;

/// Largest chat request body accepted, in bytes (Slack and Mattermost send about 1 KiB,
/// Discord a few KiB).
pub const MAX_CHAT_BODY: usize = 16 * 1024;

/// Which chat endpoints are on, with their secrets. The default turns them all off.
#[derive(Debug, Clone, Default)]
pub struct ChatSettings {
    /// Slack app signing secret: enables `POST /integrations/slack`.
    pub slack: Option<SigningSecret>,
    /// Mattermost slash-command token: enables `POST /integrations/mattermost`.
    pub mattermost: Option<Token>,
    /// Discord application public key: enables `POST /integrations/discord`.
    pub discord: Option<PublicKey>,
}

impl ChatSettings {
    /// The paths of the endpoints that are on.
    pub fn enabled(&self) -> Vec<&'static str> {
        let mut paths = Vec::new();
        if self.slack.is_some() {
            paths.push("/integrations/slack");
        }
        if self.mattermost.is_some() {
            paths.push("/integrations/mattermost");
        }
        if self.discord.is_some() {
            paths.push("/integrations/discord");
        }
        paths
    }
}

/// Registers `POST /integrations/{slack,mattermost,discord}` for the configured platforms.
pub fn configure(cfg: &mut web::ServiceConfig, settings: ChatSettings) {
    let limit = || web::PayloadConfig::new(MAX_CHAT_BODY);
    if let Some(secret) = settings.slack {
        cfg.service(
            web::resource("/integrations/slack")
                .app_data(limit())
                .app_data(web::Data::new(secret))
                .route(web::post().to(slack::handle)),
        );
    }
    if let Some(token) = settings.mattermost {
        cfg.service(
            web::resource("/integrations/mattermost")
                .app_data(limit())
                .app_data(web::Data::new(token))
                .route(web::post().to(mattermost::handle)),
        );
    }
    if let Some(key) = settings.discord {
        cfg.service(
            web::resource("/integrations/discord")
                .app_data(limit())
                .app_data(web::Data::new(key))
                .route(web::post().to(discord::handle)),
        );
    }
}

/// The fields of a form-encoded body (the last value wins; undecodable bodies give none).
/// Answers a Slack-shaped form (`command`, `text`) from the live corpus: the shared part of the
/// Slack and Mattermost handlers once the request is authenticated.
pub fn answer_form(state: &AppState, fields: &HashMap<String, String>) -> Answer {
    let command = fields.get("command").map_or("/quote", String::as_str);
    let text = fields.get("text").map_or("", String::as_str);
    answer(
        &state.snapshot().corpus,
        &Query::parse(text),
        command,
        &mut Chooser::random(),
        Day::today(),
    )
}

/// The fields of a form-encoded body (empty when it does not decode).
pub fn form_fields(body: &[u8]) -> HashMap<String, String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .map(|pairs| pairs.into_iter().collect())
        .unwrap_or_default()
}

/// 401 with a one-line reason.
pub fn unauthorized(reason: &str) -> HttpResponse {
    HttpResponse::Unauthorized()
        .content_type("text/plain; charset=utf-8")
        .body(format!("{reason}\n"))
}

/// Replies in the JSON shape Slack and Mattermost share.
pub struct Reply;

impl Reply {
    /// `{"response_type": "in_channel"|"ephemeral", "text": text}` for `answer`.
    pub fn slack_style(answer: &Answer, text: String) -> HttpResponse {
        let response_type = if answer.in_channel() {
            "in_channel"
        } else {
            "ephemeral"
        };
        HttpResponse::Ok().json(json!({ "response_type": response_type, "text": text }))
    }
}

/// The chat endpoints for the OpenAPI document, as `(name, path item)` pairs. They are
/// requests the platforms send to epigraph, served only when configured.
pub fn openapi_items() -> Vec<(&'static str, Value)> {
    let form = |platform: &str, auth: &str| {
        json!({
            "post": {
                "operationId": format!("integrations_{}", platform.to_lowercase()),
                "summary": format!("{platform} slash command (`POST /integrations/{}`)",
                    platform.to_lowercase()),
                "description": format!("Served only when configured. {auth} The `text` field: \
                    empty = random quote, a collection or tag name, `today [NAME]`, \
                    `search WORDS`, `help`. Quotes are `in_channel`, help and errors \
                    `ephemeral`."),
                "requestBody": { "required": true, "content": {
                    "application/x-www-form-urlencoded": { "schema": {
                        "type": "object",
                        "properties": { "command": { "type": "string" },
                                        "text": { "type": "string" } } } } } },
                "responses": {
                    "200": { "description": "Reply", "content": { "application/json": {
                        "schema": { "type": "object", "required": ["response_type", "text"],
                            "properties": {
                                "response_type": { "enum": ["in_channel", "ephemeral"] },
                                "text": { "type": "string" } } } } } },
                    "401": { "description": "Missing, bad or stale signature or token." },
                    "413": { "description": "Body over 16 KiB." }
                }
            }
        })
    };
    vec![
        (
            "slack",
            form(
                "Slack",
                "Verified by `X-Slack-Signature` (`v0=` + hex HMAC-SHA256 of \
                 `v0:{X-Slack-Request-Timestamp}:{body}` with the signing secret); timestamps \
                 more than 300 s away are refused.",
            ),
        ),
        (
            "mattermost",
            form(
                "Mattermost",
                "Authenticated by the command token in `Authorization: Token ...` or the \
                 `token` field.",
            ),
        ),
        (
            "discord",
            json!({ "post": {
                "operationId": "integrations_discord",
                "summary": "Discord interactions endpoint (`POST /integrations/discord`)",
                "description": "Served only when configured. Verified by `X-Signature-Ed25519` \
                    over `X-Signature-Timestamp` + body with the application's public key. \
                    PING (`type` 1) is answered with `{\"type\":1}`; an application command \
                    (`type` 2) with `{\"type\":4,\"data\":{\"content\",\"allowed_mentions\":\
                    {\"parse\":[]}}}`.",
                "requestBody": { "required": true, "content": {
                    "application/json": { "schema": { "type": "object" } } } },
                "responses": {
                    "200": { "description": "Interaction response", "content": {
                        "application/json": { "schema": { "type": "object" } } } },
                    "400": { "description": "Not JSON, or an unsupported interaction type." },
                    "401": { "description": "Missing or invalid signature." },
                    "413": { "description": "Body over 16 KiB." }
                }
            } }),
        ),
    ]
}
