//! epigraph: curated quote collections in one binary, served on a terminal as a drop-in for
//! the classic `fortune`, and over HTTP.
//!
//! Data flows one way: files ([`parser`]) become an immutable [`corpus::Corpus`] with indexes,
//! selection and search; the faces ([`cli`]) render what the corpus picks.

pub mod cli;
pub mod corpus;
pub mod diagnostic;
pub mod integrations;
pub mod layout;
pub mod parser;
pub mod quote;
pub mod server;
