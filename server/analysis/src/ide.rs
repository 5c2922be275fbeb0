//! The entry points where one request needs several features: the server and the command line
//! call these (or a single feature directly), so every client gets the same combined answer.

use crate::code_actions;
use crate::diagnostics;
use crate::edits::Action;
use crate::hover;
use crate::outcomes;
use crate::problem::Problem;
use crate::render::Hover;
use crate::text::TextRange;
use crate::world::World;

/// The hover at `offset`: a checklist item's outcome, else a term, link or primer heading.
pub fn hover(world: &World, path: &str, offset: usize) -> Option<Hover> {
    outcomes::hover(world, path, offset).or_else(|| hover::hover(world, path, offset))
}

/// Every problem of a file: its links, then its outcome checklists.
pub fn diagnostics(world: &World, path: &str) -> Vec<Problem> {
    let mut out = diagnostics::diagnostics(world, path);
    out.extend(outcomes::problems(world, path));
    out
}

/// The actions for the selection `range`: quick fixes of the problems there, the term mention's
/// annotations, and inserting an outcome checklist.
pub fn code_actions(world: &World, path: &str, range: TextRange) -> Vec<Action> {
    let mut out = code_actions::quick_fixes(&diagnostics(world, path), range);
    out.extend(code_actions::term_actions(world, path, range.start));
    out.extend(outcomes::checklist_actions(world, path, range.start));
    out
}
