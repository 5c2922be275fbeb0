//! Analysing a note against the primer: its outline and terms, and its task items matched to
//! the primer's learning outcomes.

use std::sync::Arc;

use crate::checklist::{checklists, item_parts, ChecklistItem};
use crate::doc::Doc;
use crate::markdown::Outline;
use crate::outcome_index::MatchHow;
use crate::primer::Primer;

impl Doc {
    /// Analyses a note: [`Doc::new`] with the primer's terms, plus its outcome checklists.
    pub fn note(path: Arc<str>, text: Arc<str>, primer: &Primer) -> Doc {
        let mut doc = Doc::new(path, text, &primer.matcher);
        let all = 0..doc.outline.items.len();
        doc.tasks = match_tasks(primer, doc.text.as_str(), &doc.outline, all);
        doc.checklist = checklists(&doc.outline, &doc.tasks);
        doc
    }
}

/// Every task item of a note among `outline.items[items]`, matched to the outcomes (the costly
/// part; see [`checklists`] for which of them form outcome checklists).
pub fn match_tasks(
    primer: &Primer,
    text: &str,
    outline: &Outline,
    items: std::ops::Range<usize>,
) -> Vec<ChecklistItem> {
    let tasks = outline.items[items.clone()]
        .iter()
        .filter(|item| item.checked.is_some())
        .count();
    let mut out = Vec::with_capacity(tasks);
    for i in items {
        let item = &outline.items[i];
        let Some(checked) = item.checked else {
            continue;
        };
        let Some((check_box, words, marker_id)) = item_parts(text, item.range) else {
            continue;
        };
        let (outcome, how) = match &marker_id {
            Some(id) => (primer.outcome_by_id(id), Some(MatchHow::Id)),
            None => {
                // (An item's text as written is read in place, with the note around it.)
                let found = match item.text_as_written() {
                    Some(range) => primer.outcome_index.find_in(text, range),
                    None => primer.outcome_index.find(item.text(text)),
                };
                found.map_or((None, None), |(o, how)| (Some(o), Some(how)))
            }
        };
        out.push(ChecklistItem {
            item: i,
            list: item.list,
            checked,
            check_box,
            words,
            how: how.filter(|_| outcome.is_some() || marker_id.is_some()),
            outcome,
            marker_id,
        });
    }
    out
}
