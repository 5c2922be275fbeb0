//! Code actions: the fix for a broken link, and "link this term to the primer".

use crate::world::Item;
use crate::{FileRange, TextRange, World};

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
}

/// Actions for the selection `range` in `path`.
pub fn code_actions(world: &World, path: &str, range: TextRange) -> Vec<Action> {
    let mut out = vec![];
    for p in crate::diagnostics::diagnostics(world, path) {
        if let (Some(fix), true) = (&p.fix, p.range.intersects(range)) {
            out.push(Action {
                title: format!("Replace with '{fix}'"),
                kind: ActionKind::QuickFix,
                edits: vec![(
                    FileRange {
                        path: p.path.clone(),
                        range: p.range,
                    },
                    fix.clone(),
                )],
                preferred: true,
            });
        }
    }
    if world.note(path).is_some() {
        if let Some(Item::Term { term, range: at }) = world.item_at(path, range.start) {
            if let Some(action) = link_term(world, path, term, at) {
                out.push(action);
            }
        }
    }
    out
}

/// Wraps one term occurrence as a wiki link to where it is taught, keeping the words.
pub fn link_term(world: &World, path: &str, term: usize, at: TextRange) -> Option<Action> {
    let primer = &world.primer;
    let (section, heading) = primer.terms[term].taught_in?;
    let doc = world.doc(path)?;
    let words = &doc.text[at.start..at.end];
    let link = primer.place_link(section, heading);
    Some(Action {
        title: format!(
            "Link '{words}' to the primer ({})",
            primer.place_title(section, heading)
        ),
        kind: ActionKind::Refactor,
        edits: vec![(
            FileRange {
                path: doc.path.clone(),
                range: at,
            },
            format!("[[{link}|{words}]]"),
        )],
        preferred: false,
    })
}
