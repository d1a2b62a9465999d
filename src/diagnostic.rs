//! Problems found while loading or checking collections, each tied to a file and line.

use serde::Serialize;
use std::fmt;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Loaded anyway, but worth fixing.
    Warning,
    /// The entry or file could not be used as written.
    Error,
}

/// One problem in one place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// File path or embedded collection name.
    pub file: String,
    /// 1-based line, when the problem has one.
    pub line: Option<usize>,
    /// Warning or error.
    pub severity: Severity,
    /// What is wrong, and where useful what to do.
    pub message: String,
}

impl Diagnostic {
    /// A warning at `file:line`.
    pub fn warning(file: &str, line: Option<usize>, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, file, line, message)
    }

    /// An error at `file:line`.
    pub fn error(file: &str, line: Option<usize>, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, file, line, message)
    }

    fn new(
        severity: Severity,
        file: &str,
        line: Option<usize>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            file: file.to_string(),
            line,
            severity,
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        match self.line {
            Some(line) => write!(f, "{}:{}: {}: {}", self.file, line, kind, self.message),
            None => write!(f, "{}: {}: {}", self.file, kind, self.message),
        }
    }
}
