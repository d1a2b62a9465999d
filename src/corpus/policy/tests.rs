//! Rules, the faces they cover, and the restricted corpus a face sees.

use super::*;
use crate::corpus::{Source, TagQuery};

fn corpus() -> Corpus {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    std::fs::write(
        &a,
        "Vote early.\n\t-- Ann, W\n%% tags: politics, wit\n%\nBoots.\n\t-- Bob, W\n%% tags: wit\n%\n",
    )
    .unwrap();
    std::fs::write(&b, "Rude one.\n\t-- Ann, V\n%% tags: wit\n%\n").unwrap();
    Corpus::load(&[Source::file(a), Source::file(b)]).0
}

fn rule(text: &str) -> Rule {
    text.parse().unwrap()
}

#[test]
fn rules_parse_and_bad_ones_say_why() {
    assert_eq!(
        rule("chat:politics"),
        Rule {
            scope: Scope::Face(Face::Chat),
            name: "politics".into()
        }
    );
    assert_eq!(rule(" ALL : off ").scope, Scope::All);
    assert_eq!(rule("all:off").name, "off");
    assert_eq!(
        "irc:politics".parse::<Rule>().unwrap_err().to_string(),
        "unknown face \"irc\" in \"irc:politics\" (faces: http, feed, chat, qotd, motd, all)"
    );
    assert_eq!(
        "politics".parse::<Rule>().unwrap_err().to_string(),
        "\"politics\" is not FACE:NAME (FACE is http, feed, chat, qotd, motd or all)"
    );
    assert_eq!(
        "motd: ".parse::<Rule>().unwrap_err().to_string(),
        "\"motd: \" names no tag or collection after the ':'"
    );
}

#[test]
fn a_rule_for_http_covers_the_feed_and_all_covers_every_face() {
    let policy = Policy::new(
        vec![rule("http:Politics"), rule("feed:wit")],
        vec![rule("all:b")],
    );
    let tags = |face| policy.denied(face).tags.into_iter().collect::<Vec<_>>();
    assert_eq!(tags(Face::Http), ["politics"]);
    assert_eq!(tags(Face::Feed), ["politics", "wit"]);
    assert!(tags(Face::Chat).is_empty());
    for face in Face::ALL {
        assert_eq!(
            policy
                .denied(face)
                .collections
                .into_iter()
                .collect::<Vec<_>>(),
            ["b"]
        );
    }
    assert!(Policy::default().denied(Face::Http).is_empty());
}

#[test]
fn the_restricted_corpus_has_no_denied_quote_nor_name() {
    let full = corpus();
    let policy = Policy::new(vec![rule("chat:politics")], vec![rule("chat:b")]);
    let chat = full.restricted(&policy.denied(Face::Chat));
    let texts: Vec<&str> = chat.quotes().iter().map(Quote::text).collect();
    assert_eq!(texts, ["Boots.\n\t-- Bob, W\n"]);
    let names: Vec<&str> = chat.collections().iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["a"]);
    assert_eq!(chat.tags(), [("wit", 1)]);
    assert_eq!(chat.authors(), [("Bob", 1)]);
    let boots = full.quotes()[1].id;
    assert_eq!(chat.get(boots).unwrap().author(), Some("Bob"));
    assert!(chat.get(full.quotes()[0].id).is_none());
    let politics = Filter {
        tags: TagQuery::parse("politics"),
        ..Filter::default()
    };
    assert!(matches!(
        chat.select(&politics),
        Err(FilterError::UnknownTag { .. })
    ));
    // Another face is untouched.
    let http = full.restricted(&policy.denied(Face::Http));
    assert_eq!(http.quotes().len(), 3);
    assert_eq!(full.select(&politics).unwrap(), [0]);
}

#[test]
fn check_answers_a_denied_name_as_unknown_without_suggestions() {
    let policy = Policy::new(vec![rule("motd:politics")], vec![rule("motd:b")]);
    let denied = policy.denied(Face::Motd);
    let by_tag = Filter {
        tags: TagQuery::parse("wit|politics"),
        ..Filter::default()
    };
    assert_eq!(
        denied.check(&by_tag).unwrap_err().to_string(),
        "no quote is tagged \"politics\""
    );
    let by_collection = Filter {
        collections: vec!["b".into()],
        ..Filter::default()
    };
    assert_eq!(
        denied.check(&by_collection).unwrap_err().to_string(),
        "no collection named \"b\""
    );
    assert!(denied.check(&Filter::default()).is_ok());
    let near = Filter {
        tags: TagQuery::parse("politic"),
        ..Filter::default()
    };
    let err = corpus().select(&near).unwrap_err();
    assert_eq!(err.suggestions(), ["politics"]);
    assert_eq!(
        denied.scrub(err).to_string(),
        "no quote is tagged \"politic\""
    );
    let full = corpus();
    assert!(!denied.allows(&full, &full.quotes()[0]));
    assert!(denied.allows(&full, &full.quotes()[1]));
    assert!(!denied.allows(&full, &full.quotes()[2]));
}

#[test]
fn unknown_names_are_warnings() {
    let policy = Policy::new(
        vec![rule("all:nope"), rule("http:wit")],
        vec![rule("qotd:zz")],
    );
    let lines: Vec<String> = policy
        .unknown_names(&corpus())
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        lines,
        [
            "policy: warning: --deny-tag all:nope: no quote is tagged \"nope\" (yet)",
            "policy: warning: --deny-collection qotd:zz: no collection named \"zz\" (yet)"
        ]
    );
}
