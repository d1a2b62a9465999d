//! Registers the chat endpoints on the `serve` app, each only when its secret is configured,
//! and the pieces of request and reply handling they share: the content-type check, reading
//! the body within a size and a time limit, the replay window, and errors in the same
//! negotiated format as the rest of the API.

use super::another::{self, Dealt};
use super::command::{Answer, Query, answer};
use super::discord::PublicKey;
use super::mattermost::Token;
use super::slack::SigningSecret;
use super::slack_actions::ResponseUrlPrefix;
use super::{discord, mattermost, mattermost_actions, slack, slack_actions};
use crate::corpus::Face;
use crate::corpus::{Chooser, Day};
use crate::server::config::RequestTimeout;
use crate::server::errors::ApiError;
use crate::server::routes::error_format;
use crate::server::state::AppState;
use actix_web::http::ConnectionType;
use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::web::{Bytes, Payload};
use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::time::{SystemTime, UNIX_EPOCH};

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
    /// Where Slack button clicks may have their replacement posted.
    pub slack_response_url_prefix: ResponseUrlPrefix,
}

impl ChatSettings {
    /// The paths of the endpoints that are on.
    pub fn enabled(&self) -> Vec<&'static str> {
        let mut paths = Vec::new();
        if self.slack.is_some() {
            paths.push("/integrations/slack");
            paths.push("/integrations/slack/actions");
        }
        if self.mattermost.is_some() {
            paths.push("/integrations/mattermost");
            paths.push("/integrations/mattermost/actions");
        }
        if self.discord.is_some() {
            paths.push("/integrations/discord");
        }
        paths
    }
}

/// Registers `POST /integrations/{slack,mattermost,discord}` (and the button endpoints
/// `/integrations/{slack,mattermost}/actions`) for the configured platforms. Other methods
/// get a 405 naming POST.
pub fn configure(cfg: &mut web::ServiceConfig, settings: ChatSettings) {
    if let Some(secret) = settings.slack {
        let secret = web::Data::new(secret);
        cfg.service(
            web::resource("/integrations/slack")
                .app_data(secret.clone())
                .route(web::post().to(slack::handle))
                .default_service(web::to(post_only)),
        );
        cfg.service(
            web::resource("/integrations/slack/actions")
                .app_data(secret)
                .app_data(web::Data::new(settings.slack_response_url_prefix))
                .route(web::post().to(slack_actions::handle))
                .default_service(web::to(post_only)),
        );
    }
    if let Some(token) = settings.mattermost {
        let token = web::Data::new(token);
        cfg.service(
            web::resource("/integrations/mattermost")
                .app_data(token.clone())
                .route(web::post().to(mattermost::handle))
                .default_service(web::to(post_only)),
        );
        cfg.service(
            web::resource("/integrations/mattermost/actions")
                .app_data(token)
                .route(web::post().to(mattermost_actions::handle))
                .default_service(web::to(post_only)),
        );
    }
    if let Some(key) = settings.discord {
        cfg.service(
            web::resource("/integrations/discord")
                .app_data(web::Data::new(key))
                .route(web::post().to(discord::handle))
                .default_service(web::to(post_only)),
        );
    }
}

async fn post_only(req: HttpRequest) -> HttpResponse {
    reject(
        &req,
        ApiError::method_not_allowed_for(req.method().as_str(), "POST"),
    )
}

/// The media type of a form body, as Slack and Mattermost send it.
pub const FORM: &str = "application/x-www-form-urlencoded";
/// The media type of a Discord interaction.
pub const JSON: &str = "application/json";

/// The body of a chat request: 415 unless it is of type `media` (parameters such as `charset`
/// allowed), 413 over [`MAX_CHAT_BODY`], 408 (and the connection closed) when it has not
/// arrived within the request timeout, so a client cannot hold a connection open by sending
/// one byte at a time.
pub async fn read_body(
    req: &HttpRequest,
    payload: Payload,
    media: &str,
) -> Result<Bytes, HttpResponse> {
    let given = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let essence = given.split(';').next().unwrap_or("").trim();
    if !essence.eq_ignore_ascii_case(media) {
        let shown: String = essence.chars().take(60).collect();
        let err = ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!("the body must be {media}, got {shown:?}"),
        );
        return Err(reject(req, err));
    }
    let timeout = req
        .app_data::<web::Data<RequestTimeout>>()
        .map_or_else(RequestTimeout::default, |t| *t.get_ref());
    let read = payload.to_bytes_limited(MAX_CHAT_BODY);
    match actix_web::rt::time::timeout(timeout.0, read).await {
        Ok(Ok(Ok(body))) => Ok(body),
        Ok(Ok(Err(_))) => Err(closing(reject(
            req,
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "the request body could not be read",
            ),
        ))),
        Ok(Err(_)) => Err(closing(reject(
            req,
            ApiError::payload_too_large(MAX_CHAT_BODY),
        ))),
        Err(_) => Err(closing(reject(
            req,
            ApiError::new(
                StatusCode::REQUEST_TIMEOUT,
                format!(
                    "the request body did not arrive within {} s",
                    timeout.0.as_secs_f64()
                ),
            ),
        ))),
    }
}

/// The response with `Connection: close`: the rest of the body is not worth reading.
fn closing(mut response: HttpResponse) -> HttpResponse {
    response
        .head_mut()
        .set_connection_type(ConnectionType::Close);
    response
}

/// An error in the format the client negotiates, as the rest of the API answers them.
pub fn reject(req: &HttpRequest, err: ApiError) -> HttpResponse {
    err.response(error_format(req))
}

/// Largest distance between a platform's request timestamp and our clock, in seconds (the
/// replay window).
pub const MAX_SKEW_SECS: u64 = 300;

/// Whether `timestamp` (Unix seconds) is within [`MAX_SKEW_SECS`] of `now`, with no overflow
/// at the extremes of `i64`.
pub fn fresh(timestamp: &str, now: SystemTime) -> bool {
    let Ok(ts) = timestamp.trim().parse::<i64>() else {
        return false;
    };
    let now = now
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    now.abs_diff(ts) <= MAX_SKEW_SECS
}

/// Answers a Slack-shaped form (`command`, `text`) from the live corpus: the shared part of the
/// Slack and Mattermost handlers once the request is authenticated.
pub fn answer_form(state: &AppState, fields: &HashMap<String, String>) -> Answer {
    let command = fields.get("command").map_or("/quote", String::as_str);
    let text = fields.get("text").map_or("", String::as_str);
    answer(
        &state.face(Face::Chat).corpus,
        &Query::parse(text),
        command,
        &mut Chooser::random(),
        Day::today(),
    )
}

/// Like [`answer_form`], as a step of `channel`'s deck (with an "Another" button) when the
/// command is one that has a deck.
pub fn deal_form(state: &AppState, fields: &HashMap<String, String>, channel: &str) -> Dealt {
    let text = fields.get("text").map_or("", String::as_str);
    let snapshot = state.face(Face::Chat);
    another::reply(&snapshot, &Query::parse(text), channel, || {
        answer_form(state, fields)
    })
}

/// The fields of a form-encoded body (the last value wins; empty when it does not decode).
pub fn form_fields(body: &[u8]) -> HashMap<String, String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .map(|pairs| pairs.into_iter().collect())
        .unwrap_or_default()
}

/// 401 with a one-line reason.
pub fn unauthorized(req: &HttpRequest, reason: &str) -> HttpResponse {
    reject(req, ApiError::new(StatusCode::UNAUTHORIZED, reason))
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
                    "405": { "description": "A method other than POST." },
                    "408": { "description": "The body did not arrive within the request timeout." },
                    "413": { "description": "Body over 16 KiB." },
                    "415": { "description": "A body that is not form-encoded." }
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
        ("slack_actions", slack_actions::openapi_item()),
        (
            "mattermost",
            form(
                "Mattermost",
                "Authenticated by the command token in `Authorization: Token ...` or the \
                 `token` field.",
            ),
        ),
        ("mattermost_actions", mattermost_actions::openapi_item()),
        (
            "discord",
            json!({ "post": {
                "operationId": "integrations_discord",
                "summary": "Discord interactions endpoint (`POST /integrations/discord`)",
                "description": "Served only when configured. Verified by `X-Signature-Ed25519` \
                    over `X-Signature-Timestamp` + body with the application's public key. \
                    PING (`type` 1) is answered with `{\"type\":1}`; an application command \
                    (`type` 2) with `{\"type\":4,\"data\":{\"content\",\"allowed_mentions\":\
                    {\"parse\":[]},\"components\"}}` (a quote has an \"Another\" button); a \
                    click on it (`type` 3, `custom_id` `another:...`) with `{\"type\":7}` \
                    (UPDATE_MESSAGE) and the next quote of the channel's deck.",
                "requestBody": { "required": true, "content": {
                    "application/json": { "schema": { "type": "object" } } } },
                "responses": {
                    "200": { "description": "Interaction response", "content": {
                        "application/json": { "schema": { "type": "object" } } } },
                    "400": { "description": "Not JSON, an unsupported interaction type, or an unknown custom_id." },
                    "401": { "description": "Missing, invalid or stale signature (timestamps more than 300 s away are refused)." },
                    "405": { "description": "A method other than POST." },
                    "408": { "description": "The body did not arrive within the request timeout." },
                    "413": { "description": "Body over 16 KiB." },
                    "415": { "description": "A body that is not application/json." }
                }
            } }),
        ),
    ]
}
