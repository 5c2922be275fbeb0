//! Re-deriving a note after one edit from the blocks around it, not the whole text.
//!
//! Parsing can restart at a top-level block that follows a blank line (`Outline::blocks`): no
//! container, fence or HTML block is open there, so what follows parses the same whatever came
//! before. An edit re-parses from the last such block before it to the first one after it that
//! is still such a block in the new text; everything else keeps its analysis, moved by the
//! length the edit added. Heading ids (unique per document) and list numbers are fixed up after.
//!
//! A reference-style link (`[x][ref]`, `[ref]`) or footnote reference may be defined anywhere
//! in the note (the first definition of a label wins), so a note that has, or had before the
//! edit, anything that may be such a definition (`]:`) is parsed whole.

use std::ops::Range;
use std::sync::Arc;

use crate::checklist::checklists;
use crate::doc::Doc;
use crate::line_index::LineIndex;
use crate::markdown::{self, Outline};
use crate::note::match_tasks;
use crate::primer::Primer;
use crate::slug::SlugCounter;
use crate::terms::Occurrence;
use crate::text::TextRange;

impl Doc {
    /// The note after one edit: `edit` (a range of this document's text) was replaced, giving
    /// `text`. Only the blocks around the edit are parsed, scanned and matched again; the answer
    /// is the same as [`Doc::note`] on `text`.
    pub fn edited(&self, edit: TextRange, text: Arc<str>, primer: &Primer) -> Doc {
        edited(self.clone(), edit, text, primer)
    }

    /// [`Doc::edited`] on a document no one else holds: its analysis is moved, not copied.
    pub fn into_edited(self, edit: TextRange, text: Arc<str>, primer: &Primer) -> Doc {
        edited(self, edit, text, primer)
    }
}

/// Moves offsets at or after an edit by the length it added.
#[derive(Clone, Copy)]
struct Shift {
    delta: isize,
}

impl Shift {
    fn at(self, offset: usize) -> usize {
        (offset as isize + self.delta) as usize
    }

    fn range(self, r: TextRange) -> TextRange {
        TextRange::new(self.at(r.start), self.at(r.end))
    }
}

/// How indices of one kind (headings, list items, lists) move: old ones `< old_end` that are not
/// `< before` were replaced by `region` new ones.
#[derive(Clone, Copy, Debug)]
struct Renumber {
    before: usize,
    region: usize,
    old_end: usize,
}

impl Renumber {
    fn after(self, old: usize) -> usize {
        old - self.old_end + self.before + self.region
    }
}

/// The part of the new text that was parsed again.
struct Region {
    start: usize,
    old_end: usize,
    new_end: usize,
    outline: Outline,
}

/// Parses the new text around an edit; see the module comment.
///
/// The region starts at an old block start `back` blocks before the edit and must still see the
/// following old block (the last one before the edit) start a block: otherwise the edit changed
/// how the block before it ends (a loose list or definition list growing), and the region starts
/// further back. It ends at the first old block start after the edit that is still one; the
/// parse runs `ahead` blocks past the edit to find it. Both distances double until they hold.
fn parse_region(old: &Outline, text: &str, edit: TextRange, delta: isize, whole: bool) -> Region {
    let shift = Shift { delta };
    let everything = || Region {
        start: 0,
        old_end: (text.len() as isize - delta) as usize,
        new_end: text.len(),
        outline: markdown::parse_slice(text, 0, text.len()),
    };
    if whole {
        return everything();
    }
    // Front matter ends at the first closing line, which an edit may add, remove or move: an
    // edit up to the end of the old or the new front matter, or any edit while it is unclosed,
    // parses the whole text again.
    if markdown::opens_front_matter(text) || old.front_matter.is_some() {
        let new_end = markdown::front_matter(text).0;
        let old_end = old.front_matter.map_or(0, |r| r.end);
        let unclosed = new_end == 0 && markdown::opens_front_matter(text);
        if unclosed || edit.start <= old_end.max(new_end) {
            return everything();
        }
    }
    let before = &old.blocks[..old.blocks.partition_point(|&b| b < edit.start)];
    let after = &old.blocks[old.blocks.partition_point(|&b| b <= edit.end)..];
    let (mut back, mut ahead) = (1, 1);
    loop {
        // Start at before[len - back - 1]; before[len - back..] must stay block starts.
        let start = before.len().checked_sub(back + 1).map_or(0, |i| before[i]);
        let must_start = &before[before.len().saturating_sub(back)..];
        let limit = after.get(ahead).map_or(text.len(), |&b| shift.at(b));
        let outline = markdown::parse_slice(text, start, limit);
        let starts = |at: usize| outline.blocks.binary_search(&at).is_ok();
        if start > 0 && !must_start.first().is_none_or(|&b| starts(b)) {
            back = back * 2 + 1;
            continue;
        }
        if limit == text.len() {
            return Region {
                start,
                old_end: (text.len() as isize - delta) as usize,
                new_end: text.len(),
                outline,
            };
        }
        if let Some(&old_end) = after[..ahead].iter().find(|&&b| starts(shift.at(b))) {
            return Region {
                start,
                old_end,
                new_end: shift.at(old_end),
                outline,
            };
        }
        ahead = ahead * 2 + 1;
    }
}

/// `old` before `start`, then `region` up to `new_end`, then the old elements from `old_end`
/// on, moved; `at` gives an element's start. Elements are moved, never copied. Returns the
/// counts for renumbering.
fn splice<T>(
    mut old: Vec<T>,
    mut region: Vec<T>,
    r: &Region,
    at: impl Fn(&T) -> usize,
    mut moved: impl FnMut(&mut T),
) -> (Vec<T>, Renumber) {
    let before = old.partition_point(|x| at(x) < r.start);
    let old_end = old.partition_point(|x| at(x) < r.old_end);
    let kept = region.partition_point(|x| at(x) < r.new_end);
    let mut after = old.split_off(old_end);
    old.truncate(before);
    region.truncate(kept);
    for x in &mut after {
        moved(x);
    }
    old.reserve(kept + after.len());
    old.append(&mut region);
    old.append(&mut after);
    let counts = Renumber {
        before,
        region: kept,
        old_end,
    };
    (old, counts)
}

/// The merged outline, and how heading and list-item indices moved.
fn merge(old: Outline, new: Outline, r: &Region, shift: Shift) -> (Outline, Renumber, Renumber) {
    let (mut headings, h) = splice(
        old.headings,
        new.headings,
        r,
        |x| x.range().start,
        |x| x.move_by(|r| shift.range(r)),
    );
    let mut slugs = SlugCounter::default();
    for heading in &mut headings {
        let id = slugs.unique(heading.base_id());
        if heading.id() != id {
            heading.set_id(id);
        }
    }
    // A heading index: old ones after the region move; region ones are offset; `None` in the
    // region means "under the last heading before it".
    let old_heading = |x: Option<usize>| match x {
        Some(i) if i >= h.old_end => Some(h.after(i)),
        _ => (h.before + h.region).checked_sub(1),
    };
    let region_heading = |x: Option<usize>| match x {
        Some(i) => Some(h.before + i),
        None => h.before.checked_sub(1),
    };
    // Lists are numbered in order; a list never crosses a block boundary.
    let list_count =
        |items: &[markdown::ListItem]| items.iter().map(|i| i.list + 1).max().unwrap_or(0);
    let lists_before = {
        let n = old.items.partition_point(|x| x.range.start < r.start);
        list_count(&old.items[..n])
    };
    let lists_old_end = {
        let n = old.items.partition_point(|x| x.range.start < r.old_end);
        list_count(&old.items[..n])
    };
    let mut region_items = new.items;
    for x in &mut region_items {
        x.heading = region_heading(x.heading);
        x.list += lists_before;
    }
    let lists_region = {
        let n = region_items.partition_point(|x| x.range.start < r.new_end);
        list_count(&region_items[..n]).saturating_sub(lists_before)
    };
    let (items, i) = splice(
        old.items,
        region_items,
        r,
        |x| x.range.start,
        |x| {
            x.range = shift.range(x.range);
            x.text_range = shift.range(x.text_range);
            x.heading = old_heading(x.heading);
            x.list = x.list - lists_old_end + lists_before + lists_region;
        },
    );
    let mut region_paragraphs = new.paragraphs;
    for p in &mut region_paragraphs {
        p.move_by(|r| r, region_heading);
    }
    let (paragraphs, _) = splice(
        old.paragraphs,
        region_paragraphs,
        r,
        |x| x.range().start,
        |x| x.move_by(|r| shift.range(r), old_heading),
    );
    let (links, _) = splice(
        old.links,
        new.links,
        r,
        |x| x.range().start,
        |x| x.move_by(|r| shift.range(r)),
    );
    let (definitions, _) = splice(
        old.definitions,
        new.definitions,
        r,
        |x| x.term_range.start,
        |x| {
            x.term_range = shift.range(x.term_range);
            for (_, d) in &mut x.definitions {
                *d = shift.range(*d);
            }
        },
    );
    let (prose, _) = splice(
        old.prose,
        new.prose,
        r,
        |x| x.range.start,
        |x| {
            x.range = shift.range(x.range);
        },
    );
    let (code, _) = splice(old.code, new.code, r, |x| x.start, |x| *x = shift.range(*x));
    let (footnotes, _) = splice(
        old.footnotes,
        new.footnotes,
        r,
        |x| x.1.start,
        |x| {
            x.1 = shift.range(x.1);
        },
    );
    let (blocks, _) = splice(old.blocks, new.blocks, r, |&x| x, |x| *x = shift.at(*x));
    let (title, front_matter) = if r.start == 0 {
        (new.title, new.front_matter)
    } else {
        (old.title, old.front_matter)
    };
    let outline = Outline {
        title,
        front_matter,
        headings,
        links,
        items,
        definitions,
        paragraphs,
        prose,
        code,
        footnotes,
        blocks,
    };
    (outline, h, i)
}

/// See [`Doc::edited`]; `old` is taken apart, its analysis moved into the new document.
fn edited(old: Doc, edit: TextRange, text: Arc<str>, primer: &Primer) -> Doc {
    let edit = TextRange::new(edit.start.min(old.text.len()), edit.end.min(old.text.len()));
    let delta = text.len() as isize - old.text.len() as isize;
    let shift = Shift { delta };
    // Link reference and footnote definitions reach across the whole note.
    let definitions = |t: &str| memchr::memmem::find(t.as_bytes(), b"]:").is_some();
    let whole = definitions(old.text.as_str()) || definitions(&text);
    let mut region = parse_region(&old.outline, &text, edit, delta, whole);
    let new = std::mem::take(&mut region.outline);
    let (outline, _, items) = merge(old.outline, new, &region, shift);

    // Terms: scan the region's prose only.
    let prose_in = index_range(
        &outline.prose,
        |p| p.range.start,
        region.start,
        region.new_end,
    );
    let mut found = vec![];
    primer
        .matcher
        .scan(&text, &outline.prose[prose_in], &mut found);
    let (occurrences, _) = splice(
        old.occurrences,
        found,
        &region,
        |o| o.range().start,
        |o| {
            *o = Occurrence::new(o.term, shift.range(o.range()));
        },
    );

    // Task items: match the region's again, renumber the others, then classify the lists.
    let region_items = items.before..items.before + items.region;
    let region_tasks = match_tasks(primer, &text, &outline, region_items);
    let mut old_tasks = old.tasks;
    let tasks_before = old_tasks.partition_point(|t| t.item < items.before);
    let tasks_after = old_tasks.partition_point(|t| t.item < items.old_end);
    let mut after = old_tasks.split_off(tasks_after);
    old_tasks.truncate(tasks_before);
    let mut tasks = old_tasks;
    tasks.extend(region_tasks);
    for t in &mut after {
        t.item = items.after(t.item);
        t.list = outline.items[t.item].list;
        t.check_box = shift.range(t.check_box);
        t.words = shift.range(t.words);
    }
    tasks.append(&mut after);
    let checklist = checklists(&outline, &tasks);
    Doc {
        path: old.path,
        line_index: LineIndex::new(&text),
        text: text.into(),
        outline,
        occurrences,
        checklist,
        tasks,
        editable: true,
        headings_by: Default::default(),
        link_keys: Default::default(),
    }
}

/// The indices of the elements starting in `start..end`.
fn index_range<T>(v: &[T], at: impl Fn(&T) -> usize, start: usize, end: usize) -> Range<usize> {
    v.partition_point(|x| at(x) < start)..v.partition_point(|x| at(x) < end)
}
