//! A note's task items as outcome checklists: each item's parts (box, words, id marker), and which
//! task lists count as outcome checklists.
//!
//! An item names an outcome when
//! 1. it carries an explicit marker `<!-- outcome: state.2 -->` (the id is the section id and the
//!    outcome's number in that section), or
//! 2. its words name one (see [`crate::outcome_index`]): exactly, or closely enough.
//!
//! A task list is an *outcome checklist* when at least one of its items names an outcome (or it
//! sits under a heading that mentions outcomes); only those lists are checked, so a shopping list
//! in a note is left alone.

use std::collections::BTreeSet;

use crate::markdown::Outline;
use crate::outcome_index::MatchHow;
use crate::text::TextRange;

/// The explicit id marker's opening, as written in a note: `<!-- outcome: state.2 -->`.
pub const MARKER: &str = "outcome:";

/// One task-list item of an outcome checklist in a note.
#[derive(Clone, Debug, PartialEq)]
pub struct ChecklistItem {
    /// Index into the note's `outline.items`.
    pub item: usize,
    pub list: u32,
    pub checked: bool,
    /// The `[ ]` / `[x]` box.
    pub check_box: TextRange,
    /// The item's words on its first line (without an id marker): what a fix replaces.
    pub words: TextRange,
    /// The outcome it names, if any.
    pub outcome: Option<usize>,
    pub how: Option<MatchHow>,
    /// The id of an explicit marker, also when no outcome has it.
    pub marker_id: Option<String>,
}

/// The task items that belong to outcome checklists: lists where an item names an outcome (or
/// has a marker), or that sit under a heading mentioning outcomes.
pub fn checklists(outline: &Outline, tasks: &[ChecklistItem]) -> Vec<ChecklistItem> {
    // Whether a heading mentions outcomes, read once for each run of items under it (items
    // follow one another under the same heading).
    let mut last: Option<(usize, bool)> = None;
    let mut under_outcomes = |heading: usize| match last {
        Some((h, mentions)) if h == heading => mentions,
        _ => {
            let title = outline.headings[heading].text().to_lowercase();
            let mentions = title.contains("outcome");
            last = Some((heading, mentions));
            mentions
        }
    };
    let lists: BTreeSet<u32> = tasks
        .iter()
        .filter(|c| c.outcome.is_some() || c.marker_id.is_some())
        .map(|c| c.list)
        .chain(tasks.iter().filter_map(|c| {
            let heading = outline.items[c.item].heading?;
            under_outcomes(heading).then_some(c.list)
        }))
        .collect();
    tasks
        .iter()
        .filter(|c| lists.contains(&c.list))
        .cloned()
        .collect()
}

/// The parts of a task item's first line: the box, the words, and an explicit id marker.
pub(crate) fn item_parts(
    text: &str,
    range: TextRange,
) -> Option<(TextRange, TextRange, Option<String>)> {
    let src = text.get(range.start..range.end)?;
    // (Searched for with memchr: an item's line is short, and `str::find` of a string sets up
    // a searcher for each.)
    let line_len = memchr::memchr2(b'\n', b'\r', src.as_bytes()).unwrap_or(src.len());
    let line = &src[..line_len];
    // (The box is near the line's start: read byte by byte.)
    let open = line.bytes().position(|b| b == b'[')?;
    let close = open + line.bytes().skip(open).position(|b| b == b']')?;
    let check_box = TextRange::new(range.start + open, range.start + close + 1);
    let mut words_end = line_len;
    let mut marker_id = None;
    let comment = memchr::memchr_iter(b'<', &line.as_bytes()[close..])
        .find(|&c| line[close + c..].starts_with("<!--"));
    if let Some(c) = comment {
        let comment_start = close + c;
        let body = &line[comment_start + 4..];
        if let Some(end) = body.find("-->") {
            let inner = body[..end].trim();
            if let Some(id) = inner.strip_prefix(MARKER) {
                marker_id = Some(id.trim().to_string());
                words_end = comment_start;
            }
        }
    }
    let after_box = close + 1;
    let lead = line[after_box..words_end].len() - line[after_box..words_end].trim_start().len();
    let trail = line[..words_end].len() - line[..words_end].trim_end().len();
    let words = TextRange::new(
        range.start + after_box + lead,
        range.start + words_end - trail,
    );
    Some((check_box, words, marker_id))
}
