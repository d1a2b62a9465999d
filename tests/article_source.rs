//! Every article-lines entry says exactly what the seed article says: its body, once white space
//! and quote marks are normalised, is a run of the article's text, skipping text only where it
//! shows a cut ("…" or "[…]"). The titles and commenters its metadata names are in the article.

use epigraph::parser::parse_collection;
use std::path::PathBuf;

const COLLECTION: &str = include_str!("../quotes/article-lines.fortune");

/// The seed article: `../shared/seeds/…` beside the repository (CI mounts it read-only).
fn article() -> String {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds/000_f85c87ce2a47f7fe.txt");
    std::fs::read_to_string(&path).unwrap_or_else(|err| {
        panic!(
            "the seed article {} is needed to check article-lines against its source ({err}); \
             put the shared/ directory beside the repository",
            path.display()
        )
    })
}

/// The article's text without its link rendering: `[15]` footnote markers dropped, and the space
/// the rendering leaves before a full stop or comma after a link removed.
fn article_text(raw: &str) -> String {
    let mut text = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(open) = rest.find('[') {
        let (before, from) = rest.split_at(open);
        text.push_str(before);
        let digits = from[1..].chars().take_while(char::is_ascii_digit).count();
        if digits > 0 && from[1 + digits..].starts_with(']') {
            rest = &from[digits + 2..];
        } else {
            text.push('[');
            rest = &from[1..];
        }
    }
    text.push_str(rest);
    format!("{} ", normalise(&text))
        .replace(" . ", ". ")
        .replace(" , ", ", ")
        .trim_end()
        .to_string()
}

/// White space runs become one space; curly quote marks become straight ones.
fn normalise(text: &str) -> String {
    let straight: String = text
        .chars()
        .map(|c| match c {
            '‘' | '’' => '\'',
            '“' | '”' => '"',
            other => other,
        })
        .collect();
    straight.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Where `body` fails to be the article's text with marked cuts, if it does.
fn unmatched(body: &str, article: &str) -> Option<String> {
    let marked = normalise(body).replace("[…]", "…");
    let mut from = 0;
    for piece in marked.split('…').map(str::trim).filter(|p| !p.is_empty()) {
        match article[from..].find(piece) {
            Some(at) => from += at + piece.len(),
            None => return Some(piece.to_string()),
        }
    }
    None
}

#[test]
fn every_body_is_the_articles_text_with_only_marked_cuts() {
    let article = article_text(&article());
    let quotes = parse_collection(COLLECTION, 0).quotes;
    assert!(quotes.len() >= 40, "only {} entries", quotes.len());
    let failures: Vec<String> = quotes
        .iter()
        .filter_map(|q| {
            unmatched(q.body(), &article).map(|piece| {
                format!(
                    "article-lines.fortune:{}: not in the article as written: {piece:?}",
                    q.line()
                )
            })
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_check_itself_catches_an_unmarked_cut_and_a_changed_word() {
    let article = normalise("One two three. Four five six. Seven “eight” nine.");
    assert_eq!(unmatched("One two … five six.", &article), None);
    assert_eq!(unmatched("Seven \"eight\"\n nine.", &article), None);
    assert_eq!(
        unmatched("One two [and] five", &article).as_deref(),
        Some("One two [and] five")
    );
    assert_eq!(
        unmatched("One two five six.", &article).as_deref(),
        Some("One two five six.")
    );
    let linked = article_text("He said [15]Microsoft is a threat . Yes [and] no ... so.");
    assert_eq!(
        linked,
        "He said Microsoft is a threat. Yes [and] no ... so."
    );
    // Pieces must come in the article's order.
    assert_eq!(unmatched("Four … One", &article).as_deref(), Some("One"));
}

#[test]
fn commenters_and_the_titles_notes_name_are_in_the_article() {
    let raw = article();
    let lines: Vec<&str> = raw.lines().map(str::trim).collect();
    for quote in parse_collection(COLLECTION, 0).quotes {
        if quote.meta("speaker") == Some("commenter") {
            let author = quote.author().unwrap_or("");
            assert!(
                lines.contains(&author),
                "line {}: commenter {author:?} is not in the article",
                quote.line()
            );
        }
        let note = quote.meta("note").unwrap_or("");
        for marker in ["titled \"", "reply to \""] {
            if let Some(rest) = note.split(marker).nth(1) {
                let title = rest.split('"').next().unwrap_or("");
                let shown = [title.to_string(), format!("Re: {title}")];
                assert!(
                    shown.iter().any(|t| lines.contains(&t.as_str())),
                    "line {}: the article shows no comment titled {title:?}",
                    quote.line()
                );
            }
        }
    }
}

#[test]
fn every_reply_fragment_prints_the_title_it_continues() {
    let quotes = parse_collection(COLLECTION, 0).quotes;
    let andy = quotes
        .iter()
        .find(|q| q.author() == Some("Andy Non"))
        .expect("Andy Non's reply");
    assert_eq!(
        andy.text(),
        "that it has now resolved the issue and will henceforth outsource any DoD\n\
         software roles to North Korea.\n\
         \t-- Microsoft responded\n\
         \t   (Andy Non, reader comment)\n"
    );
    assert_eq!(andy.context(), Some("Microsoft responded"));
    assert_eq!(andy.work(), Some("reader comment"));
}

#[test]
fn every_kept_reply_has_the_comment_it_answers() {
    let quotes = parse_collection(COLLECTION, 0).quotes;
    let quoted = |marker: &str, note: &str| {
        note.split(marker)
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .map(str::to_string)
    };
    let openers: Vec<String> = quotes
        .iter()
        .filter_map(|q| quoted("titled \"", q.meta("note")?))
        .collect();
    for quote in &quotes {
        let Some(parent) = quote.meta("note").and_then(|n| quoted("reply to \"", n)) else {
            continue;
        };
        let present = openers.contains(&parent);
        assert!(
            present,
            "line {}: replies to {parent:?}, but no kept comment is titled so",
            quote.line()
        );
    }
}
