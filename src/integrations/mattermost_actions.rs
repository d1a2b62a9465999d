//! Mattermost button clicks: `POST /integrations/mattermost/actions`, the `integration.url` of
//! the "Another" button. Mattermost posts the button's `context` back as JSON but no token, so
//! the context carries the deck value and its HMAC keyed with the slash command's token
//! ([`Token::sign`]); a click whose MAC does not verify is a 401. Answered with
//! `{"update": {"message", "props": {"attachments"}}}`, which replaces the post in place.

use super::another;
use super::mattermost::{Token, actions_url, render};
use super::routes::{JSON, read_body, reject, unauthorized};
use crate::corpus::Face;
use crate::server::errors::ApiError;
use crate::server::state::AppState;
use actix_web::http::StatusCode;
use actix_web::web::{Data, Payload};
use actix_web::{HttpRequest, HttpResponse};
use serde_json::{Value, json};

/// Handler of `POST /integrations/mattermost/actions`.
pub async fn handle(
    req: HttpRequest,
    payload: Payload,
    state: Data<AppState>,
    token: Data<Token>,
) -> HttpResponse {
    let body = match read_body(&req, payload, JSON).await {
        Ok(body) => body,
        Err(response) => return response,
    };
    let bad = |message: &str| reject(&req, ApiError::new(StatusCode::BAD_REQUEST, message));
    let Ok(click) = serde_json::from_slice::<Value>(&body) else {
        return bad("the body is not JSON");
    };
    let context = &click["context"];
    let (Some(value), Some(mac)) = (context["deck"].as_str(), context["mac"].as_str()) else {
        return unauthorized(&req, "the context has no deck and mac");
    };
    if !token.verify(value, mac) {
        return unauthorized(&req, "the context's mac does not match");
    }
    let dealt = match another::click(&state.face(Face::Chat), value) {
        Ok(dealt) => dealt,
        Err(err) => return bad(&err.to_string()),
    };
    let (text, attachments) = render(&dealt, &token, &actions_url(&req));
    if !dealt.answer.in_channel() {
        // The collection or tag is gone: tell the clicker, leave the post as it is.
        return HttpResponse::Ok().json(json!({ "ephemeral_text": text }));
    }
    let props = json!({ "attachments": attachments.unwrap_or_else(|| json!([])) });
    HttpResponse::Ok().json(json!({ "update": { "message": text, "props": props } }))
}

/// The endpoint for the OpenAPI document.
pub fn openapi_item() -> Value {
    json!({ "post": {
        "operationId": "integrations_mattermost_actions",
        "summary": "Mattermost button clicks (`POST /integrations/mattermost/actions`)",
        "description": "Served with the Mattermost command; the `integration.url` of its \
            \"Another\" button. `context` = `{\"deck\": value, \"mac\": hex HMAC-SHA256 of \
            the value keyed with the command token}`. Answered with `{\"update\": {\"message\",\
            \"props\": {\"attachments\"}}}`.",
        "requestBody": { "required": true, "content": {
            "application/json": { "schema": { "type": "object" } } } },
        "responses": {
            "200": { "description": "The update of the post." },
            "400": { "description": "Not JSON, or a value that is not a deck." },
            "401": { "description": "No context, or a mac that does not match." },
            "405": { "description": "A method other than POST." },
            "413": { "description": "Body over 16 KiB." },
            "415": { "description": "A body that is not application/json." }
        }
    } })
}
