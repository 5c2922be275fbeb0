//! Learning outcomes in notes: task-list items matched to the primer's outcomes, workspace-wide
//! progress, which notes rely on which sections, and the edit that inserts a checklist.
//!
//! An item names an outcome when
//! 1. it carries an explicit marker `<!-- outcome: state.2 -->` (the id is the section id and the
//!    outcome's number in that section), or
//! 2. its words, normalised (case, punctuation, whitespace), equal the outcome's, or
//! 3. its words are close to the outcome's: a Sørensen–Dice score over the two word multisets of
//!    at least [`SIMILARITY`], so small rewordings still count.
//!
//! A task list is an *outcome checklist* when at least one of its items names an outcome (or it
//! sits under a heading that mentions outcomes); only those lists are checked, so a shopping list
//! in a note is left alone.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use crate::markdown::Outline;
use crate::world::Target;
use crate::{FileRange, Primer, TextRange, World};

/// How close an item's words must be to an outcome's to name it (0..=1).
pub const SIMILARITY: f32 = 0.7;

/// The explicit id marker's opening, as written in a note: `<!-- outcome: state.2 -->`.
pub const MARKER: &str = "outcome:";

/// How an item was matched to its outcome.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum MatchHow {
    Id,
    Exact,
    Similar(f32),
}

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

/// Normalised words of the primer's outcomes, for matching items against them.
#[derive(Clone, Debug, Default)]
pub struct OutcomeIndex {
    exact: HashMap<String, usize>,
    /// Every word of any outcome, numbered.
    vocabulary: HashMap<String, u32>,
    /// Each outcome's word numbers, sorted.
    words: Vec<Vec<u32>>,
}

/// The number given to words no outcome has: they can never be in common.
const UNKNOWN: u32 = u32::MAX;

impl OutcomeIndex {
    pub fn new<'a>(texts: impl Iterator<Item = &'a str>) -> OutcomeIndex {
        let mut index = OutcomeIndex::default();
        for (i, text) in texts.enumerate() {
            let words = words(text);
            index.exact.entry(words.join(" ")).or_insert(i);
            let mut ids: Vec<u32> = words
                .into_iter()
                .map(|w| {
                    let next = index.vocabulary.len() as u32;
                    *index.vocabulary.entry(w).or_insert(next)
                })
                .collect();
            ids.sort_unstable();
            index.words.push(ids);
        }
        index
    }

    /// The outcome the text names, by exact words or by similarity, with how.
    pub fn find(&self, text: &str) -> Option<(usize, MatchHow)> {
        let w = words(text);
        if w.is_empty() {
            return None;
        }
        if let Some(&i) = self.exact.get(&w.join(" ")) {
            return Some((i, MatchHow::Exact));
        }
        let (i, score) = self.closest_above(&w, SIMILARITY)?;
        Some((i, MatchHow::Similar(score)))
    }

    /// The most similar outcome, however far.
    pub fn closest(&self, text: &str) -> Option<(usize, f32)> {
        self.closest_words(&words(text))
    }

    fn closest_words(&self, w: &[String]) -> Option<(usize, f32)> {
        self.closest_above(w, 0.0)
    }

    /// The most similar outcome if its score is at least `floor`. An outcome whose score cannot
    /// reach the best so far (at most twice the words the item shares with any outcome, over
    /// both lengths) is not compared at all: most task items in notes are not outcomes.
    fn closest_above(&self, w: &[String], floor: f32) -> Option<(usize, f32)> {
        let mut ids: Vec<u32> = w
            .iter()
            .map(|w| self.vocabulary.get(w).copied().unwrap_or(UNKNOWN))
            .collect();
        ids.sort_unstable();
        let known = ids.iter().filter(|&&i| i != UNKNOWN).count();
        let mut best: Option<(usize, f32)> = None;
        for (i, other) in self.words.iter().enumerate() {
            let reach = 2.0 * known.min(other.len()) as f32 / (ids.len() + other.len()) as f32;
            let needed = best.map_or(floor, |b| b.1.max(floor));
            if reach < needed || (best.is_some() && reach <= needed) {
                continue;
            }
            let score = dice(&ids, other);
            if score > best.map_or(0.0, |b| b.1) && score >= floor {
                best = Some((i, score));
            }
        }
        best
    }
}

/// Lowercase alphanumeric words; everything else separates them.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Sørensen–Dice coefficient of two word multisets, both sorted (unknown words never match).
fn dice(a: &[u32], b: &[u32]) -> f32 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut common) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Equal if a[i] != UNKNOWN => {
                common += 1;
                i += 1;
                j += 1;
            }
            std::cmp::Ordering::Less | std::cmp::Ordering::Equal => i += 1,
            std::cmp::Ordering::Greater => j += 1,
        }
    }
    2.0 * common as f32 / (a.len() + b.len()) as f32
}

/// Every task item of a note among `outline.items[items]`, matched to the outcomes (the costly
/// part; see [`checklists`] for which of them form outcome checklists).
pub fn match_tasks(
    primer: &Primer,
    text: &str,
    outline: &Outline,
    items: std::ops::Range<usize>,
) -> Vec<ChecklistItem> {
    let mut out = vec![];
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
            None => match primer.outcome_index.find(&item.text) {
                Some((o, how)) => (Some(o), Some(how)),
                None => (None, None),
            },
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

/// The task items that belong to outcome checklists: lists where an item names an outcome (or
/// has a marker), or that sit under a heading mentioning outcomes.
pub fn checklists(outline: &Outline, tasks: &[ChecklistItem]) -> Vec<ChecklistItem> {
    let lists: BTreeSet<u32> = tasks
        .iter()
        .filter(|c| c.outcome.is_some() || c.marker_id.is_some())
        .map(|c| c.list)
        .chain(tasks.iter().filter_map(|c| {
            let heading = outline.items[c.item].heading?;
            let title = outline.headings[heading].text.to_lowercase();
            title.contains("outcome").then_some(c.list)
        }))
        .collect();
    tasks
        .iter()
        .filter(|c| lists.contains(&c.list))
        .cloned()
        .collect()
}

/// The parts of a task item's first line: the box, the words, and an explicit id marker.
fn item_parts(text: &str, range: TextRange) -> Option<(TextRange, TextRange, Option<String>)> {
    let src = text.get(range.start..range.end)?;
    let line_len = src.find(['\n', '\r']).unwrap_or(src.len());
    let line = &src[..line_len];
    let open = line.find('[')?;
    let close = open + line[open..].find(']')?;
    let check_box = TextRange::new(range.start + open, range.start + close + 1);
    let mut words_end = line_len;
    let mut marker_id = None;
    if let Some(c) = line[close..].find("<!--") {
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

impl Progress {
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
        let line_end = doc.text[range.start..range.end]
            .find(['\n', '\r'])
            .map_or(range.end, |i| range.start + i);
        out.push((TextRange::new(range.start, line_end), text));
    }
    out
}

/// The primer sections a note relies on: those it links to and those teaching terms it uses.
pub fn note_sections(world: &World, path: &str) -> BTreeSet<usize> {
    let mut out = BTreeSet::new();
    let Some(doc) = world.note(path) else {
        return out;
    };
    for link in &doc.outline.links {
        if let Target::Primer { section, .. } = world.resolve(path, link).target {
            out.insert(section);
        }
    }
    for o in &doc.occurrences {
        if let Some((section, _)) = world.primer.terms[o.term as usize].taught_in {
            out.insert(section);
        }
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
        let relied: Vec<usize> = note_sections(world, &path).into_iter().collect();
        for &s in &relied {
            sections[s].push(path.clone());
        }
        notes.push((path, relied));
    }
    Coverage { sections, notes }
}

/// The notes relying on one section, sorted.
pub fn notes_relying_on(world: &World, section: usize) -> Vec<Arc<str>> {
    let mut out: Vec<Arc<str>> = world
        .notes()
        .filter(|d| note_sections(world, &d.path).contains(&section))
        .map(|d| d.path.clone())
        .collect();
    out.sort();
    out
}

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
    let text = &doc.text;
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let present: BTreeSet<usize> = doc.checklist.iter().filter_map(|c| c.outcome).collect();
    let mut edits: BTreeMap<usize, String> = BTreeMap::new();
    let mut block = String::new();
    let mut block_sections = 0;
    let mut inserted = 0;
    for &s in sections {
        let missing: Vec<&crate::Outcome> = primer
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
        .map(|p| p.range)
        .chain(outline.code.iter().copied())
        .filter(|&r| inside(r))
        .max_by_key(|r| r.end);
    block.map_or(at, last_char)
}

/// The end of the line holding `offset` (before its line break).
fn line_end(text: &str, offset: usize) -> usize {
    text[offset..]
        .find(['\n', '\r'])
        .map_or(text.len(), |i| offset + i)
}

/// Where a new block goes for a cursor at `at`, and the text with the blank lines around it: on a
/// blank line, there; otherwise after the cursor's line.
fn place_block(text: &str, at: usize, block: &str, eol: &str) -> (usize, String) {
    let at = crate::completion::floor_boundary(text, at.min(text.len()));
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

/// Whether `text` ends with an empty line (two line breaks in a row).
pub(crate) fn blank_line_ends(text: &str) -> bool {
    text.ends_with("\n\n") || text.ends_with("\r\n\r\n") || text.ends_with("\r\r")
}

/// The section a note links to most (ties: primer order); `None` when it links to none.
pub fn most_linked_section(world: &World, path: &str) -> Option<usize> {
    let doc = world.note(path)?;
    let mut counts: BTreeMap<usize, usize> = BTreeMap::new();
    for link in &doc.outline.links {
        if let Target::Primer { section, .. } = world.resolve(path, link).target {
            *counts.entry(section).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|(s, _)| s)
}

/// The checklist item whose line holds `offset`.
pub fn item_at(doc: &crate::Doc, offset: usize) -> Option<&ChecklistItem> {
    doc.checklist.iter().find(|c| {
        let item = &doc.outline.items[c.item];
        let start = item.range.start;
        start <= offset && offset <= line_end(&doc.text, start)
    })
}
