//! The places users meet epigraph besides the terminal and the HTTP API: each integration is
//! its own module over the corpus.

pub mod qotd;
