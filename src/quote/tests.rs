//! The quote record holds exactly what the parser found: checked piece by piece over the
//! embedded collections and Debian's fortune files, and on the cases the packing treats apart.

use super::*;

#[test]
fn a_quote_is_a_small_fixed_record() {
    // Spans and shared pointers only: a String or Vec here would cost a million quotes
    // hundreds of megabytes (docs/corpus.md).
    assert!(
        std::mem::size_of::<Quote>() <= 48,
        "{}",
        std::mem::size_of::<Quote>()
    );
    let parsed = crate::parser::parse_collection(
        "One.\n\t-- Ann, Book\n%% tags: x\n%\nTwo,\r\nsplit.\n%% tags: x\n%\n",
        0,
    );
    let [one, two] = &parsed.quotes[..] else {
        panic!("two quotes")
    };
    assert_eq!(one.tags, two.tags, "equal tag lists are shared");
    assert_eq!(one.more, NO_MORE, "an inline credit fits the record");
    assert_eq!((one.author(), one.work()), (Some("Ann"), Some("Book")));
    assert_eq!(two.text(), "Two,\nsplit.\n");
    assert_eq!((two.author(), two.work()), (None, None));
    let arena = parsed.arena.as_deref().unwrap();
    let extra = arena.bytes() - arena.base().len();
    assert_eq!(
        extra,
        "Two,\nsplit.\n".len(),
        "only the CRLF entry is copied"
    );
}

#[test]
fn credit_away_from_the_end_of_the_text_is_kept_in_full() {
    let long = "x".repeat(300);
    let text = format!(
        "One.\n\t-- Ann, Book\n%% tags: x\n%\nTwo.\n%% author: Bea\n%% year: 1990\n%% via: post\n\
         %\nThree.\n\t-- Cy, {long}\n%\n"
    );
    let parsed = crate::parser::parse_collection(&text, 0);
    let [one, two, three] = &parsed.quotes[..] else {
        panic!("three quotes")
    };
    assert_eq!(one.more, NO_MORE);
    assert_eq!(
        (one.author(), one.work(), one.year()),
        (Some("Ann"), Some("Book"), None)
    );
    // From `%%` lines, which the printed text leaves out.
    assert_ne!(two.more, NO_MORE);
    assert_eq!((two.author(), two.year()), (Some("Bea"), Some("1990")));
    assert_eq!(two.meta_pairs().collect::<Vec<_>>(), [("via", "post")]);
    // A work over 255 bytes: the author still fits, the work is held in full.
    assert_ne!(three.more, NO_MORE);
    assert_eq!((three.author(), three.work()), (Some("Cy"), Some(&*long)));
    assert_eq!(three.tags().count(), 0);
}

/// Every quote parsed from `sources` reads back what the parser found in its entry; returns
/// how many quotes there were and how many needed an overflow record.
fn assert_records_hold_their_parts(sources: &[crate::corpus::Source]) -> (usize, usize) {
    let (mut quotes, mut overflowing) = (0, 0);
    for source in sources {
        let Ok(read) = source.read() else { continue };
        let text: &str = &read.text;
        let (header, spans) = crate::parser::outline(text);
        let parsed = crate::parser::parse_collection(text, 0);
        assert_eq!(parsed.quotes.len(), spans.len(), "{}", source.label());
        for (quote, span) in parsed.quotes.iter().zip(spans) {
            let (parts, tags) = crate::parser::entry_parts(text, span, &header.tags);
            let at = format!("{}:{}", source.label(), quote.line());
            let c = &parts.credit;
            assert_eq!(
                [quote.author(), quote.work(), quote.year(), quote.context()],
                [&c.author, &c.work, &c.year, &c.context].map(|p| p.as_deref()),
                "{at}"
            );
            assert_eq!(quote.text(), parts.text, "{at}");
            assert!(quote.tags().eq(tags.iter().map(String::as_str)), "{at}");
            let meta = parts.meta.iter().map(|(k, v)| (k.as_str(), *v));
            assert!(quote.meta_pairs().eq(meta), "{at}");
            quotes += 1;
            overflowing += usize::from(quote.more != NO_MORE);
        }
    }
    (quotes, overflowing)
}

#[test]
fn embedded_records_hold_their_parts() {
    let (quotes, _) = assert_records_hold_their_parts(&crate::corpus::Source::embedded_all());
    assert!(quotes > 400, "{quotes}");
}

#[test]
fn debian_records_hold_their_parts_and_nearly_all_fit_the_record() {
    if crate::layout::tests::debian_fortunes().is_none() {
        return;
    }
    let dir = std::path::Path::new("/usr/share/games/fortunes");
    let sources = crate::corpus::Source::dir(dir).unwrap();
    let (quotes, overflowing) = assert_records_hold_their_parts(&sources);
    assert!(quotes > 10_000, "{quotes}");
    // 322 of 15,217 when written: joined or long attributions.
    assert!(
        overflowing * 100 <= quotes * 3,
        "{overflowing} of {quotes} overflow"
    );
}
