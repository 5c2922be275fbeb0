//! Edits the analysis proposes for the editor to apply: the fix of a problem, and code actions.

use std::sync::Arc;

use crate::text::{FileRange, TextRange};

/// A one-edit fix: replace `range` (in the problem's file) with `text`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    /// What the editor shows: "Replace with 'state'", "Tick it here too".
    pub title: String,
    pub range: TextRange,
    pub text: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActionKind {
    QuickFix,
    Refactor,
}

/// An action: a title and the edits it makes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Action {
    pub title: String,
    pub kind: ActionKind,
    pub edits: Vec<(FileRange, String)>,
    /// The fix is the obvious one (the editor may apply it on a shortcut).
    pub preferred: bool,
    /// For a quick fix: the problem it fixes (its code and range).
    pub fixes: Option<(&'static str, TextRange)>,
    /// What the editor must ask the user before there is anything to apply (then `edits` is
    /// empty).
    pub ask: Option<Ask>,
}

/// A choice an action leaves to the user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ask {
    /// Which outcome checklist to insert at this offset (see `outcomes::checklist_choices`).
    ChecklistSection { at: usize },
}

/// Edits of one file, as the file ranges an [`Action`] holds.
pub fn in_file(path: Arc<str>, edits: Vec<(TextRange, String)>) -> Vec<(FileRange, String)> {
    edits
        .into_iter()
        .map(|(range, text)| {
            (
                FileRange {
                    path: path.clone(),
                    range,
                },
                text,
            )
        })
        .collect()
}
