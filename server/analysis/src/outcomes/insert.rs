//! Inserting a learning-outcome checklist into a note, and the code actions that offer it.

use std::collections::{BTreeMap, BTreeSet};

use crate::edits::{Action, ActionKind, Ask};
use crate::markdown::Outline;
use crate::primer::Outcome;
use crate::text::{blank_line_ends, floor_boundary, line_end, TextRange};
use crate::world::World;

/// The edits inserting a checklist of the outcomes `sections` names that the note lacks: missing
/// items join an existing checklist of their section; the rest form a new block at `at`.
/// Returns the edits (sorted, non-overlapping) and how many items they add.
pub fn insert_checklist(
    world: &World,
    path: &str,
    at: usize,
    sections: &[usize],
) -> Option<(Vec<(TextRange, String)>, usize)> {
    let doc = world.note(path)?;
    let primer = &world.primer;
    let text = doc.text.as_str();
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let present: BTreeSet<usize> = doc.checklist.iter().filter_map(|c| c.outcome).collect();
    let mut edits: BTreeMap<usize, String> = BTreeMap::new();
    let mut block = String::new();
    let mut block_sections = 0;
    let mut inserted = 0;
    for &s in sections {
        let missing: Vec<&Outcome> = primer
            .outcomes
            .iter()
            .enumerate()
            .filter(|(i, o)| o.section == s && !present.contains(i))
            .map(|(_, o)| o)
            .collect();
        if missing.is_empty() {
            continue;
        }
        inserted += missing.len();
        // The last item of the note that names an outcome of this section.
        let last = doc
            .checklist
            .iter()
            .rev()
            .find(|c| c.outcome.is_some_and(|o| primer.outcomes[o].section == s));
        if let Some(last) = last {
            let item = &doc.outline.items[last.item];
            let line_start = text[..item.range.start]
                .rfind(['\n', '\r'])
                .map_or(0, |i| i + 1);
            let prefix = &text[line_start..last.check_box.start];
            // After the whole item: its continuation lines and sub-items stay with it.
            let item_text = &text[item.range.start..item.range.end];
            let end = item.range.start + item_text.trim_end().len();
            let edit = edits.entry(end).or_default();
            for o in missing {
                edit.push_str(eol);
                edit.push_str(prefix);
                edit.push_str("[ ] ");
                edit.push_str(&o.text);
            }
        } else {
            if sections.len() > 1 {
                block.push_str(&format!("### {}{eol}{eol}", primer.sections[s].title));
            }
            for o in missing {
                block.push_str(&format!("- [ ] {}{eol}", o.text));
            }
            block.push_str(eol);
            block_sections += 1;
        }
    }
    if block_sections > 0 {
        let heading = if sections.len() == 1 {
            format!(
                "## Learning outcomes: {}{eol}{eol}",
                primer.sections[sections[0]].title
            )
        } else {
            format!("## Learning outcomes{eol}{eol}")
        };
        let block = format!("{heading}{}", block.trim_end());
        let at = end_of_block_at(&doc.outline, at);
        let (pos, new_text) = place_block(text, at, &block, eol);
        let edit = edits.entry(pos).or_default();
        edit.push_str(&new_text);
    }
    if inserted == 0 {
        return None;
    }
    let edits = edits
        .into_iter()
        .map(|(pos, s)| (TextRange::empty(pos), s))
        .collect();
    Some((edits, inserted))
}

/// Where a block may go for a cursor at `at`: not inside a paragraph, a code block or a list,
/// but on the last line of the one the cursor is in.
fn end_of_block_at(outline: &Outline, at: usize) -> usize {
    let inside = |r: TextRange| r.start <= at && at < r.end;
    let last_char = |r: TextRange| r.end.saturating_sub(1).max(r.start);
    if let Some(item) = outline
        .items
        .iter()
        .find(|i| i.depth == 0 && inside(i.range))
    {
        let last = outline
            .items
            .iter()
            .filter(|i| i.list == item.list)
            .map(|i| i.range)
            .max_by_key(|r| r.end)
            .unwrap_or(item.range);
        return last_char(last);
    }
    let block = outline
        .paragraphs
        .iter()
        .map(|p| p.range())
        .chain(outline.code.iter().copied())
        .filter(|&r| inside(r))
        .max_by_key(|r| r.end);
    block.map_or(at, last_char)
}

/// Where a new block goes for a cursor at `at`, and the text with the blank lines around it: on a
/// blank line, there; otherwise after the cursor's line.
fn place_block(text: &str, at: usize, block: &str, eol: &str) -> (usize, String) {
    let at = floor_boundary(text, at.min(text.len()));
    let start = text[..at].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let end = line_end(text, at);
    let blank = text[start..end].trim().is_empty();
    let pos = if blank {
        start
    } else if end == text.len() {
        end
    } else {
        end + if text[end..].starts_with("\r\n") {
            2
        } else {
            1
        }
    };
    let before = &text[..pos];
    let after = &text[pos..];
    let mut out = String::new();
    if !before.trim().is_empty() {
        let ends_with_break = before.ends_with(['\n', '\r']);
        let last_line = before
            .trim_end_matches(['\n', '\r'])
            .rsplit(['\n', '\r'])
            .next()
            .unwrap_or("");
        if !ends_with_break {
            out.push_str(eol);
            out.push_str(eol);
        } else if !last_line.trim().is_empty() && !blank_line_ends(before) {
            out.push_str(eol);
        }
    }
    out.push_str(block);
    out.push_str(eol);
    let next_line = after.split(['\n', '\r']).next().unwrap_or("");
    if !next_line.trim().is_empty() {
        out.push_str(eol);
    }
    (pos, out)
}

/// One way to insert a checklist: its label, the sections it takes outcomes from, and how many
/// items it adds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChecklistChoice {
    pub label: String,
    pub sections: Vec<usize>,
    pub items: usize,
}

/// The checklists a note can take, only those that would add something: the section the note
/// links to most, then the whole primer, then each other section.
pub fn checklist_choices(world: &World, path: &str, at: usize) -> Vec<ChecklistChoice> {
    let primer = &world.primer;
    let with_outcomes: Vec<usize> = (0..primer.sections.len())
        .filter(|&s| primer.section_outcomes(s).next().is_some())
        .collect();
    let first = super::most_linked_section(world, path).filter(|s| with_outcomes.contains(s));
    let mut choices: Vec<Option<usize>> = first.map(Some).into_iter().collect();
    choices.push(None);
    choices.extend(
        with_outcomes
            .iter()
            .filter(|&&s| Some(s) != first)
            .map(|&s| Some(s)),
    );
    let mut out = vec![];
    for choice in choices {
        let sections = match choice {
            Some(s) => vec![s],
            None => with_outcomes.clone(),
        };
        let Some((_, n)) = insert_checklist(world, path, at, &sections) else {
            continue;
        };
        let what = match choice {
            Some(s) => primer.sections[s].title.clone(),
            None => "The whole primer".to_string(),
        };
        out.push(ChecklistChoice {
            label: format!("{what} ({n} item{})", if n == 1 { "" } else { "s" }),
            sections,
            items: n,
        });
    }
    out
}

/// One action, "Insert learning-outcome checklist…", that asks which checklist (when there is
/// more than one way to add something) instead of listing every section on every line.
pub fn checklist_actions(world: &World, path: &str, at: usize) -> Vec<Action> {
    if world.note(path).is_none() || checklist_choices(world, path, at).is_empty() {
        return vec![];
    }
    vec![Action {
        title: "Insert learning-outcome checklist…".into(),
        kind: ActionKind::Refactor,
        edits: vec![],
        preferred: false,
        fixes: None,
        ask: Some(Ask::ChecklistSection { at }),
    }]
}
