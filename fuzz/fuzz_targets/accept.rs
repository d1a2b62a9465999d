//! Accept-header negotiation and `format=` names on arbitrary text: no panic.
#![no_main]

use epigraph::server::negotiate::{Format, from_accept};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|header: &str| {
    let _ = from_accept(Some(header));
    if let Some(format) = Format::parse(header) {
        let _ = format.content_type_header();
    }
});
