//! The declared query parameters of the API: names, documentation and accepted values. The
//! routes list which of these each endpoint takes; [`super::query`] validates requests against
//! them and [`super::openapi`] documents them.

use super::query::{Kind, ParamSpec};

/// `?format=`.
pub static FORMAT: ParamSpec = ParamSpec {
    name: "format",
    doc: "Representation, overriding the Accept header.",
    kind: Kind::Choice(super::negotiate::Format::NAMES),
    repeatable: false,
};
/// `?tag=`.
pub static TAG: ParamSpec = ParamSpec {
    name: "tag",
    doc: "Tags: `a,b` needs both, `a|b` either; repeat the parameter to combine with AND.",
    kind: Kind::Text { max_chars: 200 },
    repeatable: true,
};
/// `?collection=`.
pub static COLLECTION: ParamSpec = ParamSpec {
    name: "collection",
    doc: "Collection name; repeat (or separate with commas) for any of several.",
    kind: Kind::Text { max_chars: 200 },
    repeatable: true,
};
/// `?author=`.
pub static AUTHOR: ParamSpec = ParamSpec {
    name: "author",
    doc: "Author, case-insensitive: the exact name, else any author containing it.",
    kind: Kind::Text { max_chars: 200 },
    repeatable: false,
};
/// `?min_length=`.
pub static MIN_LENGTH: ParamSpec = ParamSpec {
    name: "min_length",
    doc: "Shortest quote length in characters (inclusive).",
    kind: Kind::Integer {
        min: 0,
        max: 1_000_000,
        default: None,
    },
    repeatable: false,
};
/// `?max_length=`.
pub static MAX_LENGTH: ParamSpec = ParamSpec {
    name: "max_length",
    doc: "Longest quote length in characters (inclusive).",
    kind: Kind::Integer {
        min: 0,
        max: 1_000_000,
        default: None,
    },
    repeatable: false,
};
/// `?count=`.
pub static COUNT: ParamSpec = ParamSpec {
    name: "count",
    doc: "Number of different random quotes; when given, the answer is a list.",
    kind: Kind::Integer {
        min: 1,
        max: 50,
        default: Some(1),
    },
    repeatable: false,
};
/// `?page=`.
pub static PAGE: ParamSpec = ParamSpec {
    name: "page",
    doc: "Page number, from 1.",
    kind: Kind::Integer {
        min: 1,
        max: 1_000_000,
        default: Some(1),
    },
    repeatable: false,
};
/// `?limit=`.
pub static LIMIT: ParamSpec = ParamSpec {
    name: "limit",
    doc: "Results per page.",
    kind: Kind::Integer {
        min: 1,
        max: 100,
        default: Some(20),
    },
    repeatable: false,
};
/// `?sort=`.
pub static SORT: ParamSpec = ParamSpec {
    name: "sort",
    doc: "Order: by id (stable everywhere), by length, by collection then id, or by relevance \
          (the default of /search: best match first; corpus order elsewhere).",
    kind: Kind::Choice(super::state::Sort::NAMES),
    repeatable: false,
};
/// `?q=`.
pub static Q: ParamSpec = ParamSpec {
    name: "q",
    doc: "Words to find (all must occur, case and accents folded; \"a phrase\" in double \
          quotes must occur as written), or a regular expression with regex=true.",
    kind: Kind::Text { max_chars: 256 },
    repeatable: false,
};
/// `?regex=`.
pub static REGEX: ParamSpec = ParamSpec {
    name: "regex",
    doc: "Treat q as a regular expression (Rust regex syntax, linear time).",
    kind: Kind::Boolean { default: false },
    repeatable: false,
};
/// `?ignore_case=`.
pub static IGNORE_CASE: ParamSpec = ParamSpec {
    name: "ignore_case",
    doc: "Match case-insensitively (Unicode-aware). With false, a word search also requires \
          each word exactly as typed.",
    kind: Kind::Boolean { default: true },
    repeatable: false,
};
/// `?date=`.
pub static DATE: ParamSpec = ParamSpec {
    name: "date",
    doc: "The day (UTC) whose quote to show instead of today's: exactly YYYY-MM-DD, years 1970 to 9999.",
    kind: Kind::Date,
    repeatable: false,
};

/// `?fit=`.
pub static FIT: ParamSpec = ParamSpec {
    name: "fit",
    doc: "Only quotes that fit where they are shown: `COLSxROWS` (at most ROWS lines, the \
          attribution's included, when laid out to COLS display columns; COLS 20 to 1000), or a \
          preset: `motd` (72x8), `tmux` (one line of 80 columns, the attribution joined on), `slack` (3,000 characters), `discord` (2,000), \
          `qotd` (an RFC 865 message under 512 ASCII characters), `sms` (160 characters).",
    kind: Kind::Text { max_chars: 16 },
    repeatable: false,
};

/// The filter parameters shared by the quote endpoints.
pub static FILTERS: [&ParamSpec; 6] = [&TAG, &COLLECTION, &AUTHOR, &MIN_LENGTH, &MAX_LENGTH, &FIT];
/// `?deck=`.
pub static DECK: ParamSpec = ParamSpec {
    name: "deck",
    doc: "No-repeat deck: `new` starts a seeded shuffle of the filtered quotes; the answer's \
          `next_deck` (JSON), `Link: <...>; rel=\"next\"` header and HTML \"Another one\" link \
          carry the token for the next step. Following them shows every matching quote once \
          before any repeats. A token from another filter or another set of loaded quotes, \
          or an altered one, is a 400.",
    kind: Kind::Text { max_chars: 64 },
    repeatable: false,
};
