//! The places users meet epigraph besides the terminal and the HTTP API: each integration is
//! its own module over the corpus.

pub mod activation;
pub mod command;
pub mod discord;
pub mod escape;
pub mod mattermost;
pub mod qotd;
pub mod routes;
pub mod slack;
