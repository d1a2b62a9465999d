//! Formatting of log lines: timestamps, numbers, and fields as `key=value` text or JSON members,
//! without going through `core::fmt` on the common paths.

use std::fmt::Write as _;
use tracing::field::{Field, Visit};

/// `YYYY-MM-DDTHH:MM:SS.uuuuuuZ` from the cached date part and the microseconds.
pub(super) fn push_time(out: &mut String, date: &str, micros: u32) {
    let mut buffer = itoa::Buffer::new();
    let digits = buffer.format(micros.min(999_999));
    out.push_str(date);
    out.push_str(&".000000"[..7 - digits.len()]);
    out.push_str(digits);
    out.push('Z');
}

/// Appends a number in decimal.
pub(super) fn push_u64(out: &mut String, n: u64) {
    out.push_str(itoa::Buffer::new().format(n));
}

/// `key=value` pairs; the message first, unlabelled.
pub(super) struct TextFields<'a>(pub(super) &'a mut String);

impl TextFields<'_> {
    fn key(&mut self, field: &Field) {
        push_key(self.0, field.name());
    }
}

/// ` name=` before a text value.
pub(super) fn push_key(out: &mut String, name: &str) {
    out.push(' ');
    out.push_str(name);
    out.push('=');
}

/// `,"name":` before a JSON value.
pub(super) fn push_member(out: &mut String, name: &str) {
    out.push_str(",\"");
    out.push_str(name);
    out.push_str("\":");
}

/// Byte classes of log values, looked up once per byte.
const SPACE_OR_EQUALS: u8 = 1;
/// A byte JSON must escape other than control bytes: `"` and `\`.
const QUOTE_OR_BACKSLASH: u8 = 2;
/// Control bytes (below 0x20, and DEL).
const CONTROL: u8 = 4;

static BYTE_CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = CONTROL;
        b += 1;
    }
    table[0x7f] = CONTROL;
    table[b' ' as usize] = SPACE_OR_EQUALS;
    table[b'=' as usize] = SPACE_OR_EQUALS;
    table[b'"' as usize] = QUOTE_OR_BACKSLASH;
    table[b'\\' as usize] = QUOTE_OR_BACKSLASH;
    table
};

/// The union of the classes of the bytes of `value`.
fn classes(value: &str) -> u8 {
    value
        .bytes()
        .fold(0, |seen, b| seen | BYTE_CLASS[usize::from(b)])
}

/// A text value: bare when it is a plain word, JSON-quoted when it is empty or has spaces,
/// quotes, `=` or backslashes, Rust-escaped when it has other control characters.
pub(super) fn text_value(out: &mut String, value: &str) {
    let seen = classes(value);
    if value.is_empty() || seen & (SPACE_OR_EQUALS | QUOTE_OR_BACKSLASH) != 0 {
        push_json_string(out, value, seen);
    } else if seen & CONTROL != 0 {
        let _ = write!(out, "{value:?}");
    } else {
        out.push_str(value);
    }
}

impl Visit for TextFields<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.0.push(' ');
            self.0.push_str(value);
            return;
        }
        self.key(field);
        text_value(self.0, value);
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.key(field);
        push_u64(self.0, value);
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.0, " {value:?}");
        } else {
            self.key(field);
            let _ = write!(self.0, "{value:?}");
        }
    }
}

/// `,"key":value` members.
pub(super) struct JsonFields<'a>(pub(super) &'a mut String);

impl JsonFields<'_> {
    fn key(&mut self, field: &Field) {
        push_member(self.0, field.name());
    }
}

impl Visit for JsonFields<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.key(field);
        json_string(self.0, value);
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.key(field);
        push_u64(self.0, value);
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.key(field);
        if value < 0 {
            self.0.push('-');
        }
        push_u64(self.0, value.unsigned_abs());
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        self.key(field);
        self.0.push_str(if value { "true" } else { "false" });
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.key(field);
        json_string(self.0, &format!("{value:?}"));
    }
}

/// `value` as a JSON string.
pub(super) fn json_string(out: &mut String, value: &str) {
    push_json_string(out, value, classes(value));
}

/// `value`, whose byte classes are `seen`, as a JSON string.
fn push_json_string(out: &mut String, value: &str, seen: u8) {
    out.push('"');
    if seen & (QUOTE_OR_BACKSLASH | CONTROL) == 0 {
        out.push_str(value);
        out.push('"');
        return;
    }
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// `YYYY-MM-DDTHH:MM:SS` (UTC) of a Unix time, by Howard Hinnant's days-to-civil algorithm.
pub(super) fn civil_time(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_time(0), "1970-01-01T00:00:00");
        assert_eq!(civil_time(951_782_400), "2000-02-29T00:00:00");
        assert_eq!(civil_time(1_798_761_599), "2026-12-31T23:59:59");
    }

    #[test]
    fn numbers_and_times() {
        let mut out = String::new();
        push_u64(&mut out, 0);
        out.push(' ');
        push_u64(&mut out, u64::MAX);
        assert_eq!(out, "0 18446744073709551615");
        out.clear();
        push_time(&mut out, "2026-01-02T03:04:05", 42);
        assert_eq!(out, "2026-01-02T03:04:05.000042Z");
    }

    #[test]
    fn text_values_are_bare_quoted_or_escaped() {
        for (value, shown) in [
            ("/random", "/random"),
            ("", "\"\""),
            ("a b", "\"a b\""),
            ("tag=x", "\"tag=x\""),
            ("say \"hi\"\\", "\"say \\\"hi\\\"\\\\\""),
            ("tab\there", "\"tab\\there\""),
            ("bell\u{7}", "\"bell\\u{7}\""),
            ("é/ü", "é/ü"),
        ] {
            let mut out = String::new();
            text_value(&mut out, value);
            assert_eq!(out, shown, "{value:?}");
        }
    }

    #[test]
    fn json_escaping() {
        let mut out = String::new();
        json_string(&mut out, "a\"b\\c\nd\u{1}é");
        assert_eq!(out, "\"a\\\"b\\\\c\\nd\\u0001é\"");
        let parsed: String = serde_json::from_str(&out).unwrap();
        assert_eq!(parsed, "a\"b\\c\nd\u{1}é");
    }
}
