//! Turning file bytes into text: UTF-8 checked, other encodings decoded lossily with a warning.

use crate::diagnostic::Diagnostic;
use std::borrow::Cow;

/// Why a file cannot be read as a collection at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// NUL bytes mean a binary file (often a `.dat` index named by mistake).
    #[error("line {line}: binary data (NUL byte); is this a .dat index or another binary file?")]
    Binary {
        /// Line of the first NUL byte.
        line: usize,
    },
}

/// Decodes collection bytes: a UTF-8 BOM is dropped, invalid UTF-8 is replaced with U+FFFD and
/// reported once (with the first bad line) in `diagnostics`.
pub fn decode<'a>(
    bytes: &'a [u8],
    file: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Cow<'a, str>, DecodeError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Some(pos) = memchr::memchr(0, bytes) {
        return Err(DecodeError::Binary {
            line: line_of(bytes, pos),
        });
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(Cow::Borrowed(text)),
        Err(err) => {
            let line = line_of(bytes, err.valid_up_to());
            diagnostics.push(Diagnostic::warning(
                file,
                Some(line),
                "not valid UTF-8 (Latin-1?); bad bytes shown as \u{FFFD}. Convert with: iconv -f latin1 -t utf-8",
            ));
            Ok(String::from_utf8_lossy(bytes))
        }
    }
}

/// Applies rot13 to ASCII letters, as classic `off/` fortunes are stored.
pub fn rot13(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            'a'..='m' | 'A'..='M' => char::from(c as u8 + 13),
            'n'..='z' | 'N'..='Z' => char::from(c as u8 - 13),
            _ => c,
        })
        .collect()
}

fn line_of(bytes: &[u8], pos: usize) -> usize {
    memchr::memchr_iter(b'\n', &bytes[..pos]).count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin1_is_decoded_with_a_warning_naming_the_line() {
        let mut diags = Vec::new();
        let text = decode(b"ok\n%\ncaf\xe9\n", "f.txt", &mut diags).unwrap();
        assert_eq!(text, "ok\n%\ncaf\u{FFFD}\n");
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].line, Some(3));
        assert!(diags[0].to_string().starts_with("f.txt:3: warning"));
    }

    #[test]
    fn bom_is_dropped_and_nul_is_binary() {
        let mut diags = Vec::new();
        assert_eq!(decode(b"\xEF\xBB\xBFhi", "f", &mut diags).unwrap(), "hi");
        assert_eq!(
            decode(b"a\nb\0", "f", &mut diags),
            Err(DecodeError::Binary { line: 2 })
        );
        assert!(diags.is_empty());
    }

    #[test]
    fn rot13_round_trips() {
        assert_eq!(rot13("Hello, World!"), "Uryyb, Jbeyq!");
        assert_eq!(rot13(&rot13("café Zz")), "café Zz");
    }
}
