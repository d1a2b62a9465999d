//! Properties over generated input (proptest, 256 cases each): a collection survives being
//! parsed, exported as a fortune file and parsed again; ids ignore how the body's white space
//! is wrapped; and any query string either parses or is a 400 that names a parameter.

use epigraph::corpus::strfile::write_fortune_file;
use epigraph::parser::parse_collection;
use epigraph::quote::{Quote, QuoteId};
use epigraph::server::params::*;
use epigraph::server::query::{ParamSpec, Params};
use proptest::prelude::*;

/// A line of entry text: never `%` alone, never a `%%` comment, never blank.
fn text_line() -> impl Strategy<Value = String> {
    "[A-Za-z\u{e9}\u{2019}][A-Za-z0-9 ,.;:'!?\u{e9}\u{2014}\u{2019}-]{0,50}"
}

/// An attribution line in one of the documented shapes.
fn attribution() -> impl Strategy<Value = String> {
    (
        "[A-Z][a-z]{1,9}( [A-Z][a-z]{1,9})?",
        proptest::option::of("[A-Z][a-z]{1,12}( [a-z]{1,8})?"),
        proptest::option::of(1500u32..2100),
    )
        .prop_map(|(author, work, year)| {
            let mut line = format!("-- {author}");
            if let Some(work) = work {
                line.push_str(&format!(", {work}"));
            }
            if let Some(year) = year {
                line.push_str(&format!(" ({year})"));
            }
            line
        })
}

/// One entry: text lines, maybe a `%% tags:` comment after the first, maybe an attribution.
fn entry() -> impl Strategy<Value = String> {
    (
        proptest::collection::vec(text_line(), 1..5),
        proptest::option::of(proptest::collection::vec("[a-z]{1,8}", 1..3)),
        proptest::option::of(attribution()),
    )
        .prop_map(|(lines, tags, credit)| {
            let mut out = String::new();
            for (i, line) in lines.iter().enumerate() {
                out.push_str(line);
                out.push('\n');
                if i == 0
                    && let Some(tags) = &tags
                {
                    out.push_str(&format!("%% tags: {}\n", tags.join(", ")));
                }
            }
            if let Some(credit) = credit {
                out.push_str(&format!("\t\t{credit}\n"));
            }
            out
        })
}

/// What a fortune file carries of a quote: the printed text and what is read from it.
fn printed(q: &Quote) -> (QuoteId, String, [Option<String>; 4]) {
    (
        q.id,
        q.text().to_string(),
        [q.author(), q.work(), q.year(), q.context()].map(|s| s.map(str::to_string)),
    )
}

fn export(quotes: &[Quote]) -> String {
    write_fortune_file(quotes.iter().map(|q| q.text())).0
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn parse_export_parse_keeps_text_and_metadata(entries in proptest::collection::vec(entry(), 1..8)) {
        let file = entries.iter().map(|e| format!("{e}%\n")).collect::<String>();
        let first = parse_collection(&file, 0).quotes;
        prop_assert_eq!(first.len(), entries.len());
        let exported = export(&first);
        let second = parse_collection(&exported, 0).quotes;
        let a: Vec<_> = first.iter().map(printed).collect();
        let b: Vec<_> = second.iter().map(printed).collect();
        prop_assert_eq!(a, b);
        // Comments are not printed text, so a fortune file drops them; without comments the
        // tags and other metadata (none) agree too, and exporting again changes nothing.
        for (q, r) in first.iter().zip(&second) {
            if q.tags().len() == 0 {
                prop_assert_eq!(q.tags().collect::<Vec<_>>(), r.tags().collect::<Vec<_>>());
                prop_assert_eq!(q.meta_pairs().collect::<Vec<_>>(), r.meta_pairs().collect::<Vec<_>>());
            }
        }
        prop_assert_eq!(export(&second), exported);
    }

    #[test]
    fn ids_do_not_depend_on_wrapping(
        words in proptest::collection::vec("[A-Za-z,.;'\u{e9}]{1,12}", 1..30),
        gaps in proptest::collection::vec(prop_oneof![
            Just(" "), Just("  "), Just("\n"), Just("\t"), Just(" \n  "), Just("\u{a0}"), Just("\u{2003}")
        ], 30),
        credit in attribution(),
    ) {
        let single = words.join(" ");
        let mut wrapped = String::from("  ");
        for (i, word) in words.iter().enumerate() {
            wrapped.push_str(word);
            wrapped.push_str(gaps[i]);
        }
        prop_assert_eq!(QuoteId::of_body(&single), QuoteId::of_body(&wrapped));
        // The same through the parser, with an attribution that the id leaves out.
        let lines: String = wrapped.lines().filter(|l| !l.trim().is_empty())
            .map(|l| format!("{l}\n")).collect();
        let file = format!("{single}\n%\n{lines}\t\t{credit}\n%\n");
        let parsed = parse_collection(&file, 0).quotes;
        prop_assert_eq!(parsed.len(), 2);
        prop_assert_eq!(parsed[0].id, QuoteId::of_body(&single));
        prop_assert_eq!(parsed[1].id, parsed[0].id);
    }

    #[test]
    fn any_query_string_parses_or_names_a_parameter(raw in query_string()) {
        let allowed: Vec<&'static ParamSpec> = FILTERS.iter().copied()
            .chain([&FORMAT, &COUNT, &PAGE, &LIMIT, &SORT, &Q, &REGEX, &IGNORE_CASE, &DATE])
            .collect();
        if let Err(err) = Params::parse(&raw, &allowed) {
            prop_assert_eq!(err.status, 400, "{:?}", err);
            let name = err.parameter.clone();
            prop_assert!(name.is_some(), "no parameter named: {:?}", err);
            let name = name.unwrap();
            let known = name == "query" || allowed.iter().any(|s| s.name == name);
            prop_assert!(
                known || err.message.contains(&format!("{name:?}")),
                "{:?}", err
            );
        }
    }
}

/// Query strings: mostly `name=value` pairs over the real names with hostile values, some
/// arbitrary text.
fn query_string() -> impl Strategy<Value = String> {
    let names = prop_oneof![
        Just("tag"),
        Just("collection"),
        Just("author"),
        Just("min_length"),
        Just("max_length"),
        Just("format"),
        Just("count"),
        Just("page"),
        Just("limit"),
        Just("sort"),
        Just("q"),
        Just("regex"),
        Just("ignore_case"),
        Just("date"),
        Just("nope"),
        Just("%74ag"),
        Just(""),
    ];
    let values = prop_oneof![
        "[0-9]{0,25}",
        "-?[0-9]{1,5}",
        "(%[0-9A-Fa-f]{2}|%[^0-9A-Fa-f]{0,2}|[a-z|,+ ]){0,12}",
        "[0-9]{4}-[0-9]{1,2}-[0-9]{1,3}",
        any::<String>(),
    ];
    let pair = (names, proptest::option::of(values)).prop_map(|(n, v)| match v {
        Some(v) => format!("{n}={v}"),
        None => n.to_string(),
    });
    prop_oneof![
        4 => proptest::collection::vec(pair, 0..6).prop_map(|p| p.join("&")),
        1 => any::<String>(),
    ]
}
