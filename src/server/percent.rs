//! Percent-encoding of query strings: strict decoding of request parameters (a bad escape is an
//! error the client hears about, not something to guess at) and encoding for the links we build.

use std::borrow::Cow;

/// Decodes `+` and `%XX` escapes; the result must be UTF-8. Borrows when there are none.
pub fn decode(raw: &str) -> Result<Cow<'_, str>, &'static str> {
    if memchr::memchr2(b'%', b'+', raw.as_bytes()).is_none() {
        return Ok(Cow::Borrowed(raw));
    }
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes.get(i + 1..i + 3).ok_or("a truncated %-escape")?;
                let hex = std::str::from_utf8(hex).map_err(|_| "a bad %-escape")?;
                out.push(u8::from_str_radix(hex, 16).map_err(|_| "a bad %-escape")?);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out)
        .map(Cow::Owned)
        .map_err(|_| "bytes that are not UTF-8")
}

/// Percent-encodes a value for a link's query string.
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~,|".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_strictly_and_borrows_when_it_can() {
        assert!(matches!(decode("plain"), Ok(Cow::Borrowed("plain"))));
        assert_eq!(decode("a+b%26c%C3%A9").unwrap(), "a b&cé");
        assert_eq!(decode("%7e").unwrap(), "~");
        assert_eq!(decode("50%").unwrap_err(), "a truncated %-escape");
        assert_eq!(decode("%zz").unwrap_err(), "a bad %-escape");
        assert_eq!(decode("%ff").unwrap_err(), "bytes that are not UTF-8");
    }

    #[test]
    fn encodes_for_links() {
        assert_eq!(encode("a b&c"), "a%20b%26c");
        assert_eq!(encode("a-b_c.d~e,f|g"), "a-b_c.d~e,f|g");
        assert_eq!(decode(&encode("é/?=")).unwrap(), "é/?=");
    }
}
