//! The learning-outcomes feature: workspace-wide progress, the code lens over each checklist,
//! which notes rely on which sections, inserting a checklist, and the hints and hover of
//! checklist items. How an item names an outcome is the model's business ([`crate::checklist`]).

mod hints;
mod insert;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use crate::primer::Primer;
use crate::source::Source;
use crate::text::{FileRange, TextRange};
use crate::world::{Target, World};

pub use hints::{hover, outcome_markdown, problems};
pub use insert::{checklist_actions, checklist_choices, insert_checklist, ChecklistChoice};

/// Where each outcome is listed across the notes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OutcomeStatus {
    /// Ticked items naming the outcome (paths sorted).
    pub ticked: Vec<FileRange>,
    pub unticked: Vec<FileRange>,
}

impl OutcomeStatus {
    pub fn done(&self) -> bool {
        !self.ticked.is_empty()
    }
}

/// Workspace-wide progress: one status per primer outcome (same order as `primer.outcomes`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Progress {
    pub outcomes: Vec<OutcomeStatus>,
}

/// One section's share of the outcomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SectionProgress {
    pub section: usize,
    pub done: usize,
    pub total: usize,
}

impl Progress {
    /// Done and total per section that has outcomes, in primer order.
    pub fn sections(&self, primer: &Primer) -> Vec<SectionProgress> {
        (0..primer.sections.len())
            .filter_map(|s| {
                let (done, total) = self.count(|o| primer.outcomes[o].section == s);
                (total > 0).then_some(SectionProgress {
                    section: s,
                    done,
                    total,
                })
            })
            .collect()
    }

    /// `(done, total)` for the outcomes `which` selects.
    pub fn count(&self, mut which: impl FnMut(usize) -> bool) -> (usize, usize) {
        let mut done = 0;
        let mut total = 0;
        for (i, status) in self.outcomes.iter().enumerate() {
            if which(i) {
                total += 1;
                done += status.done() as usize;
            }
        }
        (done, total)
    }
}

/// Progress over every note in the workspace.
pub fn progress(world: &World) -> Progress {
    let mut outcomes = vec![OutcomeStatus::default(); world.primer.outcomes.len()];
    let mut notes: Vec<_> = world.notes().collect();
    notes.sort_by(|a, b| a.path.cmp(&b.path));
    for doc in notes {
        for c in &doc.checklist {
            let Some(o) = c.outcome else { continue };
            let at = FileRange {
                path: doc.path.clone(),
                range: c.words,
            };
            if c.checked {
                outcomes[o].ticked.push(at);
            } else {
                outcomes[o].unticked.push(at);
            }
        }
    }
    Progress { outcomes }
}

/// The code lens text above each checklist of a note: `(first item's range, text)`.
pub fn checklist_lenses(world: &World, path: &str) -> Vec<(TextRange, String)> {
    let Some(doc) = world.note(path) else {
        return vec![];
    };
    if doc.checklist.is_empty() {
        return vec![];
    }
    let primer = &world.primer;
    let progress = progress(world);
    let mut lists: BTreeMap<u32, (TextRange, BTreeSet<usize>)> = BTreeMap::new();
    for c in &doc.checklist {
        let entry = lists
            .entry(c.list)
            .or_insert((doc.outline.items[c.item].range, BTreeSet::new()));
        entry.1.extend(c.outcome);
    }
    let mut out = vec![];
    for (_, (range, outcomes)) in lists {
        let (done, total) = progress.count(|o| outcomes.contains(&o));
        let mut text = format!("Outcomes: {done}/{total} done");
        let sections: BTreeSet<usize> = outcomes
            .iter()
            .map(|&o| primer.outcomes[o].section)
            .collect();
        for s in sections {
            let (d, t) =
                progress.count(|o| outcomes.contains(&o) && primer.outcomes[o].section == s);
            text.push_str(&format!(" · {}: {d}/{t}", primer.sections[s].title));
        }
        let line_end = doc
            .text
            .get(range.start..range.end)
            .and_then(|item| item.find(['\n', '\r']))
            .map_or(range.end, |i| range.start + i);
        out.push((TextRange::new(range.start, line_end), text));
    }
    out
}

/// Which notes rely on which sections, both ways.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Coverage {
    /// Per primer section: the notes relying on it, sorted.
    pub sections: Vec<Vec<Arc<str>>>,
    /// Per note (sorted by path): the sections it relies on.
    pub notes: Vec<(Arc<str>, Vec<usize>)>,
}

pub fn coverage(world: &World) -> Coverage {
    let mut sections = vec![vec![]; world.primer.sections.len()];
    let mut paths: Vec<Arc<str>> = world.notes().map(|d| d.path.clone()).collect();
    paths.sort();
    let mut notes = vec![];
    for path in paths {
        let relied: Vec<usize> = world.note_sections(&path).into_iter().collect();
        for &s in &relied {
            sections[s].push(path.clone());
        }
        notes.push((path, relied));
    }
    Coverage { sections, notes }
}

/// The section a note links to most (ties: primer order); `None` when it links to none.
pub fn most_linked_section(world: &World, path: &str) -> Option<usize> {
    let doc = world.note(path)?;
    let mut counts: BTreeMap<usize, usize> = BTreeMap::new();
    for link in &doc.outline.links {
        if let Target::Primer { section, .. } = world.resolve(path, &doc.text, link).target {
            *counts.entry(section).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|(s, _)| s)
}
