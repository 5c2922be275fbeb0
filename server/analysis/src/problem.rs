//! Problems the analysis reports about a file, and how much each matters.

use std::sync::Arc;

use crate::edits::Fix;
use crate::text::TextRange;

/// How much a problem matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Information,
    Hint,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Information => "info",
            Severity::Hint => "hint",
        }
    }
}

/// Something wrong in a file, with an optional replacement that fixes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub path: Arc<str>,
    pub range: TextRange,
    pub severity: Severity,
    /// A stable short name: `broken-link`, `ambiguous-link`, `duplicate-term`, ...
    pub code: &'static str,
    pub message: String,
    /// An edit that fixes the problem.
    pub fix: Option<Fix>,
}
