//! The places users meet epigraph besides the terminal and the HTTP API: each integration is
//! its own module over the corpus.

pub mod activation;
pub mod another;
pub mod command;
pub mod daily_post;
pub mod discord;
pub mod escape;
pub mod mattermost;
pub mod mattermost_actions;
pub mod message;
pub mod qotd;
pub mod routes;
pub mod slack;
pub mod slack_actions;
pub mod webhook;

/// A request header as text, empty when absent or not ASCII (signature checks then fail).
pub(crate) fn header<'a>(req: &'a actix_web::HttpRequest, name: &str) -> &'a str {
    req.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}
