//! One analysed Markdown file (a primer section or a note): its text, line index, outline and
//! the term occurrences in its prose.

use std::sync::{Arc, OnceLock};

use crate::checklist::ChecklistItem;
use crate::line_index::LineIndex;
use crate::markdown;
use crate::slug::{fold_name, name_hash, slugify};
use crate::source::{DocText, Stamp};
use crate::terms;
use crate::text::{file_stem, TextRange};

/// Whether a paragraph is long enough to preview a note (or a section) that no heading names:
/// eight words or more.
pub fn previews_a_note(paragraph: &str) -> bool {
    paragraph.split_whitespace().nth(7).is_some()
}

/// One analysed Markdown file: a primer section or a note.
#[derive(Clone, Debug)]
pub struct Doc {
    pub path: Arc<str>,
    /// Whole, or for a note that is not open only the pieces answers over every note read:
    /// see [`Doc::keep_pieces`].
    pub text: DocText,
    pub line_index: LineIndex,
    pub outline: markdown::Outline,
    /// Term occurrences in prose, in text order.
    pub occurrences: Vec<terms::Occurrence>,
    /// A note's outcome checklist items, in text order (empty for primer files).
    pub checklist: Vec<ChecklistItem>,
    /// Every task item of a note, matched to the outcomes (kept so an edit re-matches only the
    /// items it touched).
    pub tasks: Vec<ChecklistItem>,
    /// Whether the parts only edits need are kept (see [`Doc::compact`]).
    pub editable: bool,
    /// Headings by id and by folded text, built the first time a link's anchor is looked up
    /// here (a note with thousands of headings and anchor links answers each in one probe).
    pub headings_by: OnceLock<HeadingIndex>,
    /// A hash of each link's folded name (see [`Doc::link_keys`]), worked out the first time a
    /// search over every note's links asks.
    pub(crate) link_keys: OnceLock<Box<[u32]>>,
}

/// A document's headings by id and by folded text, to find the first heading with an id or a
/// text: 32-bit hashes, sorted, each with its heading (a workspace keeps one for every note a
/// link's anchor points into, 16 bytes a heading instead of two strings and two map entries).
#[derive(Clone, Debug, Default)]
pub struct HeadingIndex {
    ids: Box<[(u32, u32)]>,
    texts: Box<[(u32, u32)]>,
}

impl HeadingIndex {
    pub fn new(outline: &markdown::Outline) -> HeadingIndex {
        let sorted = |key: &dyn Fn(&markdown::Heading) -> u32| -> Box<[(u32, u32)]> {
            let mut list: Vec<(u32, u32)> = outline
                .headings
                .iter()
                .enumerate()
                .map(|(i, h)| (key(h), i as u32))
                .collect();
            list.sort_unstable();
            list.into_boxed_slice()
        };
        HeadingIndex {
            ids: sorted(&|h| name_hash(h.id())),
            texts: sorted(&|h| name_hash(&fold_name(h.text()))),
        }
    }

    /// The first heading (of `outline`, the one the index was built from) whose hash in `list`
    /// is `key`'s and that `is` says has it.
    fn first(list: &[(u32, u32)], key: &str, is: impl Fn(usize) -> bool) -> Option<usize> {
        let hash = name_hash(key);
        let from = list.partition_point(|e| e.0 < hash);
        list[from..]
            .iter()
            .take_while(|e| e.0 == hash)
            .map(|e| e.1 as usize)
            .find(|&i| is(i))
    }

    /// The heading of `outline` (the one the index was built from) an anchor names: by id (as
    /// written, then lowercased), by the anchor's slug, or by its text (case, spaces and
    /// hyphens ignored).
    pub fn find(&self, outline: &markdown::Outline, anchor: &str) -> Option<usize> {
        let headings = &outline.headings;
        let by_id = |id: &str| {
            Self::first(&self.ids, id, |i| {
                headings.get(i).is_some_and(|h| h.id() == id)
            })
        };
        let anchor = anchor.trim();
        let exact = by_id(anchor);
        let lower = by_id(&anchor.to_lowercase());
        let found = match (exact, lower) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        found.or_else(|| by_id(&slugify(anchor))).or_else(|| {
            let text = fold_name(anchor);
            Self::first(&self.texts, &text, |i| {
                headings.get(i).is_some_and(|h| fold_name(h.text()) == text)
            })
        })
    }
}

impl Doc {
    /// Parses `text` and finds the terms of `matcher` in its prose.
    pub fn new(path: Arc<str>, text: Arc<str>, matcher: &terms::TermMatcher) -> Doc {
        let outline = markdown::parse_doc(&text);
        Doc::with_outline(path, text, outline, matcher)
    }

    /// [`Doc::new`] with the outline of `text` already parsed.
    pub(crate) fn with_outline(
        path: Arc<str>,
        text: Arc<str>,
        outline: markdown::Outline,
        matcher: &terms::TermMatcher,
    ) -> Doc {
        // (One term per 190 bytes in the benchmark's notes: room for most notes' terms at once,
        // the rest given back below.)
        let mut occurrences = Vec::with_capacity(text.len() / 256);
        matcher.scan(&text, &outline.prose, &mut occurrences);
        occurrences.shrink_to_fit();
        let line_index = LineIndex::new(&text);
        Doc {
            path,
            text: text.into(),
            line_index,
            outline,
            occurrences,
            checklist: vec![],
            tasks: vec![],
            editable: true,
            headings_by: OnceLock::new(),
            link_keys: OnceLock::new(),
        }
    }

    /// Drops what only re-analysing an edit needs (prose runs, block starts, code spans, the
    /// list items that are not in a checklist, task matches, paragraphs nothing shows): a
    /// workspace keeps thousands of notes that are never edited in this session. A compacted
    /// note that gets edited is analysed afresh.
    pub fn compact(&mut self) {
        let o = &mut self.outline;
        o.prose = vec![];
        o.blocks = vec![];
        o.code = vec![];
        // The checklist's items only, renumbered (moved out, not copied).
        let mut kept = vec![usize::MAX; o.items.len()];
        let mut items = Vec::with_capacity(self.checklist.len());
        for c in &mut self.checklist {
            if kept[c.item] == usize::MAX {
                kept[c.item] = items.len();
                items.push(std::mem::take(&mut o.items[c.item]));
            }
            c.item = kept[c.item];
        }
        o.items = items;
        // A note's paragraphs show as the preview of a heading (its first paragraph) or of the
        // note (its first paragraph of eight words or more).
        let text = self.text.as_str();
        let long = o
            .paragraphs
            .iter()
            .position(|p| previews_a_note(&text[p.range().start..p.range().end]));
        // (Indexed by heading, the note's top before any heading first.)
        let mut seen = vec![false; o.headings.len() + 1];
        let mut i = 0;
        o.paragraphs.retain(|p| {
            let first = p
                .heading()
                .map_or(Some(0), |h| h.checked_add(1))
                .and_then(|at| seen.get_mut(at))
                .is_none_or(|seen| !std::mem::replace(seen, true));
            let keep = first || Some(i) == long;
            i += 1;
            keep
        });
        o.paragraphs.shrink_to_fit();
        for h in &mut o.headings {
            h.forget_base_id();
        }
        self.tasks = vec![];
        self.editable = false;
    }

    /// For each link of the outline, a hash of the folded name it goes by
    /// ([`crate::slug::link_key`]): a search for the links that may mean some place
    /// compares these with the place's names' hashes and resolves only the links that match
    /// (a hash shared by chance costs one resolve more, never a miss).
    pub fn link_keys(&self) -> &[u32] {
        self.link_keys.get_or_init(|| {
            (self.outline.links.iter())
                .map(|link| crate::slug::link_key(link.dest(&self.text)))
                .collect()
        })
    }

    /// The terms the document uses, sorted, each once (worked out when asked: a workspace keeps
    /// thousands of documents, and their occurrences say it).
    pub fn terms_used(&self) -> Vec<terms::TermId> {
        terms::distinct(&self.occurrences)
    }

    /// The checklist item whose line holds `offset`.
    pub fn checklist_item_at(&self, offset: usize) -> Option<&ChecklistItem> {
        self.checklist.iter().find(|c| {
            let item = &self.outline.items[c.item];
            let start = item.range.start;
            let line = self.line_index.line_of(start);
            start <= offset && offset <= self.line_index.line_range(&self.text, line).end
        })
    }

    /// The heading an anchor names (see [`HeadingIndex::find`]).
    pub fn find_heading(&self, anchor: &str) -> Option<usize> {
        self.headings_by
            .get_or_init(|| HeadingIndex::new(&self.outline))
            .find(&self.outline, anchor)
    }

    /// The term occurrence under `offset`.
    pub fn occurrence_at(&self, offset: usize) -> Option<terms::Occurrence> {
        let i = self
            .occurrences
            .partition_point(|o| o.range().end <= offset);
        self.occurrences
            .get(i)
            .filter(|o| o.range().contains(offset))
            .copied()
    }

    /// The document's title: front matter, else its first heading, else its file stem.
    pub fn title(&self) -> String {
        if let Some(t) = &self.outline.title {
            return t.clone();
        }
        if let Some(h) = self.outline.headings.first() {
            return h.text().to_string();
        }
        file_stem(&self.path).to_string()
    }

    /// The Markdown source of a range, with wiki links shown as their words; `text` is the
    /// document's whole text (see [`crate::world::World::whole_text`]).
    pub fn markdown(&self, text: &str, range: TextRange) -> String {
        markdown::shown(text, &self.outline, range)
    }

    /// Makes a note read from a file with `stamp` what a workspace keeps of a note that is not
    /// open: compacted, its link keys worked out (from the whole text, before the first search
    /// for links needs them), and only the pieces of its text that answers over every note
    /// read.
    pub fn close(&mut self, stamp: Stamp) {
        self.compact();
        self.link_keys();
        self.keep_pieces(stamp);
    }

    /// Keeps only the pieces of the text that answers over every note read (see
    /// [`crate::source`]): each link's destination, each list item kept, and the lines whose
    /// columns need their text. For a note that is not open, read from a file with `stamp`,
    /// once compacted (see [`Doc::close`]).
    pub fn keep_pieces(&mut self, stamp: Stamp) {
        let Some(text) = self.text.whole() else {
            return;
        };
        let o = &self.outline;
        let mut ranges: Vec<TextRange> = self.line_index.lines_needing_text().collect();
        ranges.reserve(o.links.len() + 2 * o.items.len());
        // Of a link, its destination (what resolving it reads; its words are shown only from
        // a whole text).
        ranges.extend(o.links.iter().filter_map(|link| link.dest_range()));
        for item in &o.items {
            ranges.push(item.range);
            ranges.push(item.text_range);
        }
        self.text = DocText::pieces(text, ranges, stamp);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The plain reading [`HeadingIndex::find`] must agree with: the first heading with the id
    /// (as written or lowercased), then with the slug's, then with the text.
    fn find_plainly(outline: &markdown::Outline, anchor: &str) -> Option<usize> {
        let anchor = anchor.trim();
        let by_id = |id: &str| outline.headings.iter().position(|h| h.id() == id);
        let found = match (by_id(anchor), by_id(&anchor.to_lowercase())) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        found.or_else(|| by_id(&slugify(anchor))).or_else(|| {
            let text = fold_name(anchor);
            outline
                .headings
                .iter()
                .position(|h| fold_name(h.text()) == text)
        })
    }

    proptest! {
        #[test]
        fn headings_are_found_by_their_hashes_as_by_reading_them_all(
            headings in prop::collection::vec(
                ("#{1,3}", "[Aab é_-]{0,6}", prop::option::of("[aAx-]{1,3}")), 0..8),
            anchors in prop::collection::vec("[Aab é_-]{0,6}|[aAx-]{1,3}", 1..6),
        ) {
            let text: String = headings
                .iter()
                .map(|(marks, words, id)| match id {
                    Some(id) => format!("{marks} {words} {{#{id}}}\n\n"),
                    None => format!("{marks} {words}\n\n"),
                })
                .collect();
            let outline = markdown::parse_doc(&text);
            let index = HeadingIndex::new(&outline);
            for anchor in &anchors {
                prop_assert_eq!(index.find(&outline, anchor), find_plainly(&outline, anchor), "{:?} in {:?}", anchor, text);
            }
        }
    }
}
