//! Tests of the query-string parser and of its percent-coding.

use super::*;

static ALLOWED: [&ParamSpec; 7] = [
    &FORMAT,
    &TAG,
    &COLLECTION,
    &AUTHOR,
    &MIN_LENGTH,
    &MAX_LENGTH,
    &COUNT,
];

fn err(raw: &str) -> ApiError {
    Params::parse(raw, &ALLOWED).unwrap_err()
}

#[test]
fn parses_and_decodes() {
    let p = Params::parse(
        "tag=a%2Cb&tag=c&author=Terry+Pratchett&count=3&format=json",
        &ALLOWED,
    )
    .unwrap();
    assert_eq!(p.texts(&TAG).collect::<Vec<_>>(), ["a,b", "c"]);
    assert_eq!(p.text(&AUTHOR), Some("Terry Pratchett"));
    assert_eq!(p.int(&COUNT), Some(3));
    assert_eq!(p.text(&FORMAT), Some("json"));
    let f = p.filter().unwrap();
    assert_eq!(f.tags.any_of, [vec!["a", "b", "c"]]);
    assert!(
        Params::parse("", &ALLOWED)
            .unwrap()
            .filter()
            .unwrap()
            .is_empty()
    );
}

#[test]
fn refuses_bad_input_naming_the_parameter() {
    for (raw, param) in [
        ("nope=1", "nope"),
        ("count=0", "count"),
        ("count=51", "count"),
        ("count=-1", "count"),
        ("count=99999999999999999999999", "count"),
        ("count=1&count=2", "count"),
        ("format=xml", "format"),
        ("tag=", "tag"),
        ("tag=%FF", "tag"),
        ("tag=%zz", "tag"),
        ("tag=%4", "tag"),
        ("%FF=1", "query"),
        ("min_length=5&max_length=4", "min_length"),
        ("tag=a|b|c|d|e|f|g|h&tag=a|b|c|d|e|f|g|h&tag=a|b", "tag"),
    ] {
        let e = if raw.starts_with("min") || raw.starts_with("tag=a|") {
            Params::parse(raw, &ALLOWED).unwrap().filter().unwrap_err()
        } else {
            err(raw)
        };
        assert_eq!(e.status, 400, "{raw}");
        assert_eq!(e.parameter.as_deref(), Some(param), "{raw}: {e:?}");
    }
}

#[test]
fn decoding_is_strict_and_borrows_plain_text() {
    assert!(matches!(decode("plain"), Ok(Cow::Borrowed("plain"))));
    assert_eq!(
        decode("Terry+Pratchett%2C%20%C3%A9").unwrap(),
        "Terry Pratchett, é"
    );
    assert_eq!(
        decode("1%2B1").unwrap(),
        "1+1",
        "an escaped plus stays a plus"
    );
    assert_eq!(decode("%7e%7E").unwrap(), "~~");
    for (raw, why) in [
        ("100%", "a truncated %-escape"),
        ("%4", "a truncated %-escape"),
        ("%zz", "a bad %-escape"),
        ("%+1", "a bad %-escape"),
        ("%%41", "a bad %-escape"),
        ("%ff", "bytes that are not UTF-8"),
        ("a+%C3", "bytes that are not UTF-8"),
    ] {
        assert_eq!(decode(raw).unwrap_err(), why, "{raw}");
    }
}

#[test]
fn links_keep_tag_syntax_readable_and_round_trip() {
    assert_eq!(
        encode("death|wizards,magic").to_string(),
        "death|wizards,magic"
    );
    assert_eq!(
        encode("Terry Pratchett & co").to_string(),
        "Terry%20Pratchett%20%26%20co"
    );
    assert_eq!(encode("a-b_c.d~e").to_string(), "a-b_c.d~e");
    for value in ["é/?=#+%", "a b", "x|y,z", "日本"] {
        assert_eq!(decode(&encode(value).to_string()).unwrap(), value);
    }
}

#[test]
fn pairs_split_like_a_form() {
    let split: Vec<_> = pairs("a=1&&b&c=x=y&=z").collect();
    assert_eq!(split, [("a", "1"), ("b", ""), ("c", "x=y"), ("", "z")]);
    assert_eq!(pairs("").count(), 0);
}
