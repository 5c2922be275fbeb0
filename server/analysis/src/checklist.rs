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
    match short_item_parts(text, range) {
        Some((check_box, words)) => Some((check_box, words, None)),
        None => item_parts_plainly(text, range),
    }
}

/// [`item_parts`] of an item whose first line is in ASCII, within the 64 bytes from its start,
/// has a box and no `<` after it (nearly every item): read from those bytes' masks at once.
/// `None` when the line is not such a line.
fn short_item_parts(text: &str, range: TextRange) -> Option<(TextRange, TextRange)> {
    use crate::bytes::{chunk_at, first_bytes, item_masks};
    if range.start > range.end || range.end > text.len() || !text.is_char_boundary(range.end) {
        return None;
    }
    let m = item_masks(chunk_at(text.as_bytes(), range.start, &mut [0; 64]));
    let ends = m.ends & first_bytes(range.len());
    let line_len = match ends {
        0 if range.len() <= 64 => range.len(),
        0 => return None,
        ends => ends.trailing_zeros() as usize,
    };
    let line = first_bytes(line_len);
    if m.high & line != 0 || !text.is_char_boundary(range.start) {
        return None;
    }
    let open = (m.open & line).trailing_zeros() as usize;
    let close = (m.close & line & !first_bytes(open + 1)).trailing_zeros() as usize;
    // (No box: a shift past the line finds nothing, and the plain reading says so.)
    if close >= line_len || m.lt & line & !first_bytes(close) != 0 {
        return None;
    }
    let after_box = close + 1;
    let words = line & !m.blank;
    // The first word byte after the box (or the line's end), and the last one (the box's
    // `]` at least).
    let lead_end = (words & !first_bytes(after_box))
        .trailing_zeros()
        .min(line_len as u32) as usize;
    let last = 63 - words.leading_zeros() as usize;
    Some((
        TextRange::new(range.start + open, range.start + close + 1),
        TextRange::new(range.start + lead_end, range.start + last + 1),
    ))
}

/// [`item_parts`] read plainly, for any item.
fn item_parts_plainly(
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The parts read at once from the masks of an item's first 64 bytes are those read
        /// plainly, whatever the line holds, wherever it ends, and wherever the item ends.
        #[test]
        fn an_items_parts_read_at_once_are_those_read_plainly(
            parts in prop::collection::vec(prop::sample::select(vec![
                "- ", "[", "]", "[ ]", "[x]", " ", "  ", "\t", "\u{b}", "\u{c}", "cache", "é",
                "<", "<!-- outcome: a.1 -->", "<!--", "-->", "\n", "\r\n", "\r", "x", "0123456789",
                "a longer stretch of words", "\u{0}", "\u{1f}",
                // Lines of 64 bytes and about ("- [ ] " and two of the first make 64).
                "xxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            ]), 0..14),
            lead in 0usize..4,
            cut in 0usize..8,
        ) {
            let text = format!("{}{}", "x".repeat(lead), parts.concat());
            // The item's range from `lead`, ending at the text's end or `cut` bytes before it.
            let end = text.len().saturating_sub(cut).max(lead);
            let end = (end..=text.len()).find(|&e| text.is_char_boundary(e)).unwrap_or(text.len());
            let range = TextRange::new(lead, end);
            prop_assert_eq!(item_parts(&text, range), item_parts_plainly(&text, range), "{:?}", &text[lead..end]);
        }
    }
}
