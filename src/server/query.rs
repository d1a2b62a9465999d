//! Query strings: strict parsing against a declared list of parameters.
//!
//! Each endpoint declares its parameters as [`ParamSpec`]s; the same declarations validate
//! requests and generate `/openapi.json`, so the document cannot drift from the code. Unknown
//! parameters, repeats of single parameters, bad percent-encoding, invalid UTF-8 and
//! out-of-range values are all 400s naming the parameter.
//!
//! Percent-coding is the `percent-encoding` crate's; this module adds only the strictness the
//! API promises ([`decode`]) and the set of characters our links leave readable ([`encode`]).

use super::errors::ApiError;
pub use super::params::*;
use crate::corpus::{Day, Filter, TagQuery};
use crate::layout::fit::{BadFit, Fit};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, PercentEncode};
use std::borrow::Cow;

/// What a link's query value leaves as it is: the unreserved characters, plus `,` and `|` of
/// the tag syntax so that `tag=a,b|c` stays readable.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b',')
    .remove(b'|');

/// Percent-encodes a value for a link's query string (a space as `%20`).
pub fn encode(value: &str) -> PercentEncode<'_> {
    percent_encoding::utf8_percent_encode(value, QUERY_VALUE)
}

/// Decodes a query-string name or value (`+` is a space), borrowing when nothing is escaped.
/// Strict where `percent-encoding` is lenient: a malformed escape or bytes that are not UTF-8
/// are errors the client hears about, not something to guess at.
pub fn decode(raw: &str) -> Result<Cow<'_, str>, &'static str> {
    let bytes = raw.as_bytes();
    for at in memchr::memchr_iter(b'%', bytes) {
        match bytes.get(at + 1..at + 3) {
            None => return Err("a truncated %-escape"),
            Some(hex) if !hex.iter().all(u8::is_ascii_hexdigit) => return Err("a bad %-escape"),
            Some(_) => {}
        }
    }
    let not_utf8 = |_| "bytes that are not UTF-8";
    if raw.contains('+') {
        let spaced = raw.replace('+', " ");
        let decoded = percent_encoding::percent_decode_str(&spaced).decode_utf8();
        return decoded
            .map(|d| Cow::Owned(d.into_owned()))
            .map_err(not_utf8);
    }
    percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .map_err(not_utf8)
}

/// The `name=value` pairs of a raw query string, undecoded, in order (a piece without `=` has
/// an empty value). The split of `application/x-www-form-urlencoded`; the decoding is
/// [`decode`]'s, since `form_urlencoded::parse` would replace bad bytes rather than refuse them.
pub fn pairs(raw: &str) -> impl Iterator<Item = (&str, &str)> {
    raw.split('&')
        .filter(|piece| !piece.is_empty())
        .map(|piece| piece.split_once('=').unwrap_or((piece, "")))
}

/// What values a parameter takes.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// Free text of 1 to `max_chars` characters.
    Text {
        /// Longest accepted value, in characters.
        max_chars: usize,
    },
    /// A whole number in `min..=max`.
    Integer {
        /// Smallest accepted value.
        min: u64,
        /// Largest accepted value.
        max: u64,
        /// Value when absent, for the documentation.
        default: Option<u64>,
    },
    /// `true` or `false` (`1`/`0` also accepted).
    Boolean {
        /// Value when absent.
        default: bool,
    },
    /// One of a fixed set of names; the first is the default.
    Choice(&'static [&'static str]),
    /// A UTC date `YYYY-MM-DD`.
    Date,
}

/// One declared query parameter.
#[derive(Debug)]
pub struct ParamSpec {
    /// The name in the query string.
    pub name: &'static str,
    /// What it does (for `/openapi.json`).
    pub doc: &'static str,
    /// Accepted values.
    pub kind: Kind,
    /// Whether it may be given more than once.
    pub repeatable: bool,
}

/// A validated value (text borrowed from the query string when it needs no decoding).
#[derive(Debug, Clone)]
enum Value<'q> {
    Text(Cow<'q, str>),
    Int(u64),
    Bool(bool),
    Date(Day),
}

/// The parameters of one request, each checked against its [`ParamSpec`].
#[derive(Debug, Default)]
pub struct Params<'q> {
    raw: &'q str,
    values: Vec<(&'static str, Value<'q>)>,
}

/// Most tag groups a combined `tag` filter may expand to (`tag=a|b&tag=c|d` is 4).
const MAX_TAG_GROUPS: usize = 64;

impl<'q> Params<'q> {
    /// Parses `raw` (the query string without `?`) against `allowed`.
    pub fn parse(raw: &'q str, allowed: &[&'static ParamSpec]) -> Result<Params<'q>, ApiError> {
        let mut params = Params {
            raw,
            values: Vec::new(),
        };
        if !raw.is_empty() {
            params.values.reserve(4);
        }
        for (raw_name, raw_value) in pairs(raw) {
            let name = decode(raw_name).map_err(|why| {
                ApiError::bad_param("query", format!("a parameter name has {why}"))
            })?;
            let Some(spec) = allowed.iter().find(|s| s.name == name) else {
                let shown: String = name.chars().take(40).collect();
                let known: Vec<&str> = allowed.iter().map(|s| s.name).collect();
                return Err(ApiError::bad_param(
                    &shown,
                    format!(
                        "unknown parameter {shown:?}; this endpoint takes: {}",
                        if known.is_empty() {
                            "no parameters".to_string()
                        } else {
                            known.join(", ")
                        }
                    ),
                ));
            };
            if !spec.repeatable && params.values.iter().any(|(n, _)| *n == spec.name) {
                return Err(ApiError::bad_param(
                    spec.name,
                    format!("{} may be given only once", spec.name),
                ));
            }
            let value = decode(raw_value).map_err(|why| {
                ApiError::bad_param(spec.name, format!("{} has {why}", spec.name))
            })?;
            params.values.push((spec.name, validate(spec, value)?));
        }
        Ok(params)
    }

    fn values<'a>(&'a self, spec: &ParamSpec) -> impl Iterator<Item = &'a Value<'q>> + 'a {
        let name = spec.name;
        self.values
            .iter()
            .filter(move |(n, _)| *n == name)
            .map(|(_, v)| v)
    }

    /// The text values of a parameter (choices included), in order.
    pub fn texts<'a>(&'a self, spec: &ParamSpec) -> impl Iterator<Item = &'a str> + 'a {
        self.values(spec).filter_map(|v| match v {
            Value::Text(t) => Some(t.as_ref()),
            _ => None,
        })
    }

    /// The first text value of a parameter.
    pub fn text(&self, spec: &ParamSpec) -> Option<&str> {
        self.texts(spec).next()
    }

    /// The number given for a parameter.
    pub fn int(&self, spec: &ParamSpec) -> Option<u64> {
        self.values(spec).find_map(|v| match v {
            Value::Int(n) => Some(*n),
            _ => None,
        })
    }

    /// The flag given for a parameter, else its default.
    pub fn flag(&self, spec: &ParamSpec) -> bool {
        let default = match spec.kind {
            Kind::Boolean { default } => default,
            _ => false,
        };
        self.values(spec)
            .find_map(|v| match v {
                Value::Bool(b) => Some(*b),
                _ => None,
            })
            .unwrap_or(default)
    }

    /// The date given for a parameter.
    pub fn date(&self, spec: &ParamSpec) -> Option<Day> {
        self.values(spec).find_map(|v| match v {
            Value::Date(d) => Some(*d),
            _ => None,
        })
    }

    /// Whether the parameter was given.
    pub fn has(&self, spec: &ParamSpec) -> bool {
        self.values.iter().any(|(n, _)| *n == spec.name)
    }

    /// The query string these parameters were parsed from.
    pub fn raw(&self) -> &'q str {
        self.raw
    }

    /// Whether any of the filter parameters was given.
    pub fn has_filters(&self) -> bool {
        FILTERS.iter().any(|s| self.has(s))
    }

    /// A text naming the filter parameters' values (in a fixed order), for caches.
    pub fn filter_key(&self) -> String {
        let mut key = String::with_capacity(64);
        for spec in FILTERS {
            for value in self.values(spec) {
                key.push_str(spec.name);
                key.push('=');
                match value {
                    Value::Text(t) => key.push_str(t),
                    Value::Int(n) => key.push_str(itoa::Buffer::new().format(*n)),
                    Value::Bool(b) => key.push_str(if *b { "1" } else { "0" }),
                    Value::Date(d) => key.push_str(&d.to_string()),
                }
                key.push('\u{0}');
            }
        }
        key
    }

    /// The `fit` asked for, if any; a 400 naming `fit` when it is not one.
    pub fn fit(&self) -> Result<Option<Fit>, ApiError> {
        self.text(&FIT)
            .map(|text| {
                text.parse()
                    .map_err(|e: BadFit| ApiError::bad_param("fit", e.to_string()))
            })
            .transpose()
    }

    /// The corpus filter from `tag`, `collection`, `author`, `min_length` and `max_length`.
    pub fn filter(&self) -> Result<Filter, ApiError> {
        let mut tags = TagQuery::default();
        for expr in self.texts(&TAG) {
            let query = TagQuery::parse(expr);
            if query.any_of.is_empty() {
                return Err(ApiError::bad_param(
                    "tag",
                    "tag needs a tag name: a,b for all of them, a|b for any",
                ));
            }
            if query.any_of.len().max(1) * tags.any_of.len().max(1) > MAX_TAG_GROUPS {
                return Err(ApiError::bad_param(
                    "tag",
                    format!("the tag filters expand to more than {MAX_TAG_GROUPS} alternatives"),
                ));
            }
            tags = tags.and(&query);
        }
        let mut collections: Vec<String> = Vec::new();
        for value in self.texts(&COLLECTION) {
            for name in value.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                if !collections.iter().any(|c| c == name) {
                    collections.push(name.to_string());
                }
            }
        }
        let author = self.text(&AUTHOR).map(|a| a.trim().to_string());
        let min_length = self.int(&MIN_LENGTH).map(|n| n as usize);
        let max_length = self.int(&MAX_LENGTH).map(|n| n as usize);
        if let (Some(min), Some(max)) = (min_length, max_length)
            && min > max
        {
            return Err(ApiError::bad_param(
                "min_length",
                format!("min_length ({min}) is greater than max_length ({max})"),
            ));
        }
        Ok(Filter {
            tags,
            collections,
            author,
            min_length,
            max_length,
            ..Filter::default()
        })
    }
}

fn validate<'q>(spec: &ParamSpec, text: Cow<'q, str>) -> Result<Value<'q>, ApiError> {
    let name = spec.name;
    let shown = || text.chars().take(40).collect::<String>();
    match spec.kind {
        Kind::Text { max_chars } => {
            let trimmed = text.trim();
            if trimmed.is_empty() {
                return Err(ApiError::bad_param(
                    name,
                    format!("{name} must not be empty"),
                ));
            }
            if text.chars().count() > max_chars {
                return Err(ApiError::bad_param(
                    name,
                    format!("{name} is limited to {max_chars} characters"),
                ));
            }
            Ok(Value::Text(text))
        }
        Kind::Integer { min, max, .. } => {
            let bad = || {
                ApiError::bad_param(
                    name,
                    format!(
                        "{name} must be a whole number from {min} to {max}, got {:?}",
                        shown()
                    ),
                )
            };
            if text.is_empty() || text.len() > 20 || !text.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            let n: u64 = text.parse().map_err(|_| bad())?;
            if !(min..=max).contains(&n) {
                return Err(bad());
            }
            Ok(Value::Int(n))
        }
        Kind::Boolean { .. } => match text.as_ref() {
            "true" | "1" => Ok(Value::Bool(true)),
            "false" | "0" => Ok(Value::Bool(false)),
            _ => Err(ApiError::bad_param(
                name,
                format!("{name} must be true or false, got {:?}", shown()),
            )),
        },
        Kind::Choice(choices) => {
            if choices.contains(&text.as_ref()) {
                Ok(Value::Text(text))
            } else {
                Err(ApiError::bad_param(
                    name,
                    format!(
                        "{name} must be one of {}, got {:?}",
                        choices.join(", "),
                        shown()
                    ),
                ))
            }
        }
        Kind::Date => Day::parse(&text)
            .map(Value::Date)
            .map_err(|err| ApiError::bad_param(name, format!("{name}: {err}"))),
    }
}

#[cfg(test)]
mod tests;
