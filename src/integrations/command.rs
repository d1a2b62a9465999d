//! The slash-command language shared by the chat integrations: the `text` after the command
//! (`/quote ...`) parsed into a [`Query`], and the [`Answer`] to it, as plain text that each
//! platform then escapes for its markup.
//!
//! Forms: empty = a random quote; `NAME` = a random quote from that collection or with that
//! tag; `today` (optionally `today NAME`) = the quote of the day, the same as `GET /today`;
//! `search WORDS` = a random quote containing all the words; `help` = usage.

use crate::corpus::words::Query as WordQuery;
use crate::corpus::{Chooser, Corpus, Day, Filter, TagQuery, quote_of_the_day};

/// Longest command text accepted; longer text gets the help.
const MAX_TEXT: usize = 200;

/// What the user asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Query {
    /// Any quote.
    Random,
    /// A quote from the collection or tag named so (lowercased).
    Topic(String),
    /// The quote of the day, optionally within a collection or tag.
    Today(Option<String>),
    /// A quote containing all these words (case-insensitive).
    Search(Vec<String>),
    /// The usage text.
    Help,
    /// Text that is none of the above.
    Unknown(String),
}

impl Query {
    /// Parses the text typed after the slash command.
    pub fn parse(text: &str) -> Query {
        let text = text.trim();
        if text.chars().count() > MAX_TEXT {
            return Query::Unknown(text.chars().take(40).collect::<String>() + "…");
        }
        let words: Vec<&str> = text.split_whitespace().collect();
        let first = words.first().map(|w| w.to_lowercase());
        match (first.as_deref(), &words[..]) {
            (None, _) => Query::Random,
            (Some("help" | "?" | "-h" | "--help"), [_]) => Query::Help,
            (Some("today"), [_]) => Query::Today(None),
            (Some("today"), [_, name]) => Query::Today(Some(name.to_lowercase())),
            (Some("search"), [_, rest @ ..]) if !rest.is_empty() => {
                Query::Search(rest.iter().map(|w| w.to_string()).collect())
            }
            (Some(name), [_]) => Query::Topic(name.to_string()),
            _ => Query::Unknown(text.to_string()),
        }
    }
}

/// What kind of reply an answer is: quotes are posted for everyone, the rest only to the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A quote: shown in the channel.
    Quote,
    /// Usage or an error: shown only to the user who asked.
    Private,
}

/// The reply to a command, in plain text (not yet escaped for any markup).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// Quote or private message.
    pub kind: Kind,
    /// The text.
    pub text: String,
}

impl Answer {
    pub(crate) fn private(text: impl Into<String>) -> Answer {
        Answer {
            kind: Kind::Private,
            text: text.into(),
        }
    }

    /// Whether this answer is posted in the channel.
    pub fn in_channel(&self) -> bool {
        self.kind == Kind::Quote
    }
}

/// The usage text for `command` (such as `/quote`).
pub fn help(command: &str) -> String {
    format!(
        "Usage:\n\
         {command}  a random quote\n\
         {command} NAME  a random quote from a collection or with a tag\n\
         {command} today  the quote of the day (also: {command} today NAME)\n\
         {command} search WORDS  a random quote containing all the words\n\
         {command} help  this text"
    )
}

/// Answers `query` from `corpus`; `command` names the slash command in the usage text.
pub fn answer(
    corpus: &Corpus,
    query: &Query,
    command: &str,
    chooser: &mut Chooser,
    today: Day,
) -> Answer {
    match query {
        Query::Help => Answer::private(help(command)),
        Query::Unknown(text) => {
            Answer::private(format!("I don't understand \"{text}\".\n{}", help(command)))
        }
        Query::Random => pick(corpus, &Filter::default(), chooser),
        Query::Topic(name) => match topic(corpus, name) {
            Ok(filter) => pick(corpus, &filter, chooser),
            Err(message) => Answer::private(format!("{message}\n{}", help(command))),
        },
        Query::Today(name) => {
            let filter = match name {
                None => Filter::default(),
                Some(name) => match topic(corpus, name) {
                    Ok(filter) => filter,
                    Err(message) => return Answer::private(message),
                },
            };
            let Ok(candidates) = corpus.select(&filter) else {
                return Answer::private("no quotes are loaded");
            };
            match quote_of_the_day(corpus.quotes(), &candidates, today) {
                Some(i) => of_the_day(corpus, i, today),
                None => Answer::private("no quotes are loaded"),
            }
        }
        Query::Search(words) => search(corpus, words, chooser),
    }
}

/// The filter for a collection or tag name, or a message with suggestions.
pub(crate) fn topic(corpus: &Corpus, name: &str) -> Result<Filter, String> {
    let name = name.to_lowercase();
    if corpus.collection(&name).is_some() {
        return Ok(Filter {
            collections: vec![name],
            ..Filter::default()
        });
    }
    let filter = Filter {
        tags: TagQuery {
            any_of: vec![vec![name.clone()]],
        },
        ..Filter::default()
    };
    match corpus.select(&filter) {
        Ok(found) if !found.is_empty() => Ok(filter),
        Ok(_) => Err(format!("No quote is tagged \"{name}\".")),
        Err(err) => {
            let mut known: Vec<String> = err.suggestions().to_vec();
            let by_collection = Filter {
                collections: vec![name.clone()],
                ..Filter::default()
            };
            if let Err(err) = corpus.select(&by_collection) {
                known.extend(err.suggestions().iter().cloned());
            }
            let hint = if known.is_empty() {
                String::new()
            } else {
                format!(" Did you mean {}?", known.join(", "))
            };
            Err(format!(
                "\"{name}\" is neither a collection nor a tag.{hint}"
            ))
        }
    }
}

fn pick(corpus: &Corpus, filter: &Filter, chooser: &mut Chooser) -> Answer {
    match corpus.select(filter) {
        Ok(candidates) => match chooser.choose(&candidates) {
            Some(&i) => quote(corpus, i, None),
            None => Answer::private("No quote matches."),
        },
        Err(err) => Answer::private(err.to_string()),
    }
}

fn search(corpus: &Corpus, words: &[String], chooser: &mut Chooser) -> Answer {
    let candidates = match WordQuery::parse(&words.join(" ")) {
        Ok(query) => match corpus.find_words(&query, None, usize::MAX) {
            Ok(found) => found.best,
            Err(err) => return Answer::private(format!("Not yet: {err}.")),
        },
        Err(err) => return Answer::private(format!("Nothing to search for: {err}.")),
    };
    let total = candidates.len();
    match chooser.choose(&candidates) {
        Some(&i) if total > 1 => quote(corpus, i, None).with_note(total),
        Some(&i) => quote(corpus, i, None),
        None => Answer::private(format!("No quote contains \"{}\".", words.join(" "))),
    }
}

impl Answer {
    fn with_note(mut self, total: usize) -> Answer {
        self.text.push_str(&format!("\n({total} quotes match)"));
        self
    }
}

/// The answer to `/quote today` when the quote of `day` is `index`: also the message
/// `post-daily` and `serve --post-daily` send, so a posted quote reads as the command's.
pub fn of_the_day(corpus: &Corpus, index: u32, day: Day) -> Answer {
    quote(corpus, index, Some(format!("Quote of the day, {day}:\n")))
}

/// The quote at `index` as a channel answer, reflowed, after `heading` if any.
pub(crate) fn quote(corpus: &Corpus, index: u32, heading: Option<String>) -> Answer {
    let text = corpus
        .quotes()
        .get(index as usize)
        .map(|q| crate::layout::unwrapped(q.text()))
        .unwrap_or_default();
    Answer {
        kind: Kind::Quote,
        text: heading.unwrap_or_default() + &text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reply_reflows_filled_prose_and_prints_the_context() {
        let (corpus, _) = Corpus::embedded();
        let find = |needle: &str| {
            corpus
                .quotes()
                .iter()
                .position(|q| q.text().contains(needle))
                .unwrap() as u32
        };
        let economics = quote(&corpus, find("Reflected-sound"), None).text;
        assert_eq!(
            economics,
            "\"Reflected-sound-of-underground-spirits?\"\n        -- Economics explained\n           (Terry Pratchett, The Colour of Magic)"
        );
        let boots = quote(&corpus, find("Boots” theory"), None).text;
        assert!(
            boots.starts_with(
                "The reason that the rich were so rich, Vimes reasoned, was because they managed to spend less money.\n\nTake boots"
            ),
            "{boots}"
        );
    }

    #[test]
    fn parses_every_form() {
        assert_eq!(Query::parse("  "), Query::Random);
        assert_eq!(Query::parse("HELP"), Query::Help);
        assert_eq!(Query::parse("today"), Query::Today(None));
        assert_eq!(
            Query::parse("today Death"),
            Query::Today(Some("death".into()))
        );
        assert_eq!(
            Query::parse("search the  end"),
            Query::Search(vec!["the".into(), "end".into()])
        );
        assert_eq!(Query::parse("Pratchett"), Query::Topic("pratchett".into()));
        assert!(matches!(Query::parse("search"), Query::Topic(_)));
        assert!(matches!(Query::parse("two words"), Query::Unknown(_)));
        assert!(matches!(Query::parse(&"x".repeat(500)), Query::Unknown(_)));
    }

    #[test]
    fn answers_from_the_embedded_corpus() {
        let (corpus, _) = Corpus::embedded();
        let mut chooser = Chooser::seeded(7);
        let day = Day::parse("2025-05-05").unwrap();
        let mut ask = |text: &str| answer(&corpus, &Query::parse(text), "/q", &mut chooser, day);
        assert!(ask("").in_channel());
        assert!(ask("death").in_channel());
        assert!(ask("pratchett").in_channel());
        assert_eq!(ask("today"), ask("today"));
        assert!(
            ask("today")
                .text
                .starts_with("Quote of the day, 2025-05-05:\n")
        );
        assert!(ask("search wizard").text.to_lowercase().contains("wizard"));
        assert!(!ask("search zzqqxx").in_channel());
        assert!(!ask("help").in_channel());
        let unknown = ask("deathh");
        assert!(!unknown.in_channel());
        assert!(unknown.text.contains("death"), "{}", unknown.text);
    }
}
