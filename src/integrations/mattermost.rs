//! Mattermost slash command: `POST /integrations/mattermost`, form-encoded, authenticated by
//! the command's token (`Authorization: Token ...` or the `token` field, compared in constant
//! time) and answered with Slack-style JSON.

use super::escape;
use super::routes::{Reply, answer_form, form_fields, unauthorized};
use crate::server::state::AppState;
use actix_web::web::{Bytes, Data};
use actix_web::{HttpRequest, HttpResponse};
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
    /// Whether `given` is the token, compared in constant time (for equal lengths).
    pub fn matches(&self, given: &str) -> bool {
        !given.is_empty() && bool::from(self.0.as_bytes().ct_eq(given.as_bytes()))
    }
}

/// Handler of `POST /integrations/mattermost`.
pub async fn handle(
    req: HttpRequest,
    body: Bytes,
    state: Data<AppState>,
    token: Data<Token>,
) -> HttpResponse {
    let fields = form_fields(&body);
    let from_header = req
        .headers()
        .get("Authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().strip_prefix("Token "))
        .map(str::trim);
    let given = from_header.or(fields.get("token").map(String::as_str));
    match given {
        None => return unauthorized("missing token (Authorization: Token ... or token field)"),
        Some(given) if !token.matches(given) => return unauthorized("bad token"),
        Some(_) => {}
    }
    let answer = answer_form(&state, &fields);
    let text = escape::truncate(&escape::mattermost(&answer.text), MAX_POST);
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
    }
}
