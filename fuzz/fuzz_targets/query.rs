//! The query-string parser on arbitrary text, against every declared parameter: it parses,
//! or fails with a 400 that names a parameter.
#![no_main]

use epigraph::server::params::*;
use epigraph::server::query::{ParamSpec, Params};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|raw: &str| {
    let allowed: Vec<&'static ParamSpec> = FILTERS
        .iter()
        .copied()
        .chain([
            &FORMAT,
            &COUNT,
            &PAGE,
            &LIMIT,
            &SORT,
            &Q,
            &REGEX,
            &IGNORE_CASE,
            &DATE,
        ])
        .collect();
    if let Err(err) = Params::parse(raw, &allowed) {
        assert_eq!(err.status, 400, "{err:?}");
        assert!(err.parameter.is_some(), "{err:?}");
    }
});
