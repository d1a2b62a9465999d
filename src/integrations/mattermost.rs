//! Mattermost slash command: `POST /integrations/mattermost`, form-encoded, authenticated by
//! the command's token (`Authorization: Token ...` or the `token` field) and answered with
//! Slack-style JSON. The token is compared as SHA-256 digests in constant time: comparing the
//! strings themselves would return early on a length mismatch and tell a caller the length.

use super::message::Platform;
use super::routes::{FORM, Reply, answer_form, form_fields, read_body, unauthorized};
use crate::server::state::AppState;
use actix_web::web::{Data, Payload};
use actix_web::{HttpRequest, HttpResponse};
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
    let answer = answer_form(&state, &fields);
    let text = Platform::Mattermost.text(&answer.text);
    Reply::slack_style(&answer, text)
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
}
