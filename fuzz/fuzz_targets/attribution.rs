//! The attribution split and parser on arbitrary text: neither panics (slicing at byte
//! offsets, year and parenthesis detection on any Unicode).
#![no_main]

use epigraph::quote::{Attribution, split_attribution};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let (_, block) = split_attribution(text);
    let _ = Attribution::parse(block);
    let _ = Attribution::parse(text);
});
