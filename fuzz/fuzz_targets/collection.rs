//! The collection parser on arbitrary bytes, decoded as the loader decodes files: no panic,
//! and every parsed entry has printed text ending in a newline and an id of its body.
#![no_main]

use epigraph::parser::{decode, parse_collection};
use epigraph::quote::QuoteId;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut diagnostics = Vec::new();
    let Ok(text) = decode(data, "fuzz", &mut diagnostics) else {
        return;
    };
    let parsed = parse_collection(&text, 0);
    for quote in &parsed.quotes {
        assert!(quote.text().ends_with('\n'));
        assert_eq!(quote.id, QuoteId::of_body(quote.body()));
    }
});
