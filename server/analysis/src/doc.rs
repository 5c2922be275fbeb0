//! One analysed Markdown file (a primer section or a note): its text, line index, outline and
//! the term occurrences in its prose.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use crate::checklist::ChecklistItem;
use crate::line_index::LineIndex;
use crate::markdown;
use crate::slug::{fold_name, slugify};
use crate::terms;
use crate::text::{file_stem, line_end, TextRange};

/// One analysed Markdown file: a primer section or a note.
#[derive(Clone, Debug)]
pub struct Doc {
    pub path: Arc<str>,
    pub text: Arc<str>,
    pub line_index: LineIndex,
    pub outline: markdown::Outline,
    /// Term occurrences in prose, in text order.
    pub occurrences: Vec<terms::Occurrence>,
    /// A note's outcome checklist items, in text order (empty for primer files).
    pub checklist: Vec<ChecklistItem>,
    /// Every task item of a note, matched to the outcomes (kept so an edit re-matches only the
    /// items it touched).
    pub tasks: Vec<ChecklistItem>,
    /// The terms the document uses, sorted, each once.
    pub terms_used: Vec<terms::TermId>,
    /// Whether the parts only edits need are kept (see [`Doc::compact`]).
    pub editable: bool,
    /// Headings by id and by folded text, built the first time a link's anchor is looked up
    /// here (a note with thousands of headings and anchor links answers each in one probe).
    pub headings_by: OnceLock<HeadingIndex>,
    /// A hash of each link's folded name (see [`Doc::link_keys`]), worked out the first time a
    /// search over every note's links asks.
    pub(crate) link_keys: OnceLock<Box<[u64]>>,
}

/// A document's headings by id and by folded text: the first heading with each.
#[derive(Clone, Debug, Default)]
pub struct HeadingIndex {
    ids: HashMap<String, usize>,
    texts: HashMap<String, usize>,
}

impl HeadingIndex {
    pub fn new(outline: &markdown::Outline) -> HeadingIndex {
        let mut index = HeadingIndex::default();
        for (i, h) in outline.headings.iter().enumerate() {
            index.ids.entry(h.id.clone()).or_insert(i);
            index.texts.entry(fold_name(&h.text)).or_insert(i);
        }
        index
    }

    /// The heading an anchor names: by id (as written, then lowercased), by the anchor's slug,
    /// or by its text (case, spaces and hyphens ignored).
    pub fn find(&self, anchor: &str) -> Option<usize> {
        let anchor = anchor.trim();
        let exact = self.ids.get(anchor);
        let lower = self.ids.get(&anchor.to_lowercase());
        let by_id = match (exact, lower) {
            (Some(&a), Some(&b)) => Some(a.min(b)),
            (a, b) => a.or(b).copied(),
        };
        by_id
            .or_else(|| self.ids.get(&slugify(anchor)).copied())
            .or_else(|| self.texts.get(&fold_name(anchor)).copied())
    }
}

impl Doc {
    /// Parses `text` and finds the terms of `matcher` in its prose.
    pub fn new(path: Arc<str>, text: Arc<str>, matcher: &terms::TermMatcher) -> Doc {
        let outline = markdown::parse_doc(&text);
        let mut occurrences = Vec::new();
        matcher.scan(&text, &outline.prose, &mut occurrences);
        occurrences.shrink_to_fit();
        let line_index = LineIndex::new(&text);
        Doc {
            path,
            text,
            line_index,
            outline,
            terms_used: terms::distinct(&occurrences),
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
        // The checklist's items only, renumbered.
        let mut kept = vec![usize::MAX; o.items.len()];
        let mut items = Vec::with_capacity(self.checklist.len());
        for c in &mut self.checklist {
            if kept[c.item] == usize::MAX {
                kept[c.item] = items.len();
                items.push(o.items[c.item].clone());
            }
            c.item = kept[c.item];
        }
        o.items = items;
        // A note's paragraphs show as the preview of a heading (its first paragraph) or of the
        // note (its first paragraph of eight words or more).
        let text = &self.text;
        let long = o.paragraphs.iter().position(|p| {
            text[p.range.start..p.range.end]
                .split_whitespace()
                .nth(7)
                .is_some()
        });
        let mut headings_seen = std::collections::HashSet::new();
        let mut i = 0;
        o.paragraphs.retain(|p| {
            let keep = headings_seen.insert(p.heading) || Some(i) == long;
            i += 1;
            keep
        });
        o.paragraphs.shrink_to_fit();
        for h in &mut o.headings {
            h.base_id = String::new();
        }
        self.tasks = vec![];
        self.editable = false;
    }

    /// For each link of the outline, a hash of the folded name it goes by
    /// ([`crate::slug::link_key_into`]): a search for the links that may mean some place
    /// compares these with the place's names' hashes and resolves only the links that match
    /// (a hash shared by chance costs one resolve more, never a miss).
    pub fn link_keys(&self) -> &[u64] {
        self.link_keys.get_or_init(|| {
            let mut key = String::new();
            self.outline
                .links
                .iter()
                .map(|link| {
                    crate::slug::link_key_into(link.dest(&self.text), &mut key);
                    name_hash(&key)
                })
                .collect()
        })
    }

    /// The checklist item whose line holds `offset`.
    pub fn checklist_item_at(&self, offset: usize) -> Option<&ChecklistItem> {
        self.checklist.iter().find(|c| {
            let item = &self.outline.items[c.item];
            let start = item.range.start;
            start <= offset && offset <= line_end(&self.text, start)
        })
    }

    /// The heading an anchor names (see [`HeadingIndex::find`]).
    pub fn find_heading(&self, anchor: &str) -> Option<usize> {
        self.headings_by
            .get_or_init(|| HeadingIndex::new(&self.outline))
            .find(anchor)
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
            return h.text.clone();
        }
        file_stem(&self.path).to_string()
    }

    /// The Markdown source of a range, with wiki links shown as their words.
    pub fn markdown(&self, range: TextRange) -> String {
        markdown::shown(&self.text, &self.outline, range)
    }
}

/// The hash [`Doc::link_keys`] uses for a folded name (the same in every process).
pub fn name_hash(name: &str) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    h.write(name.as_bytes());
    h.finish()
}
