//! One analysed Markdown file (a primer section or a note): its text, line index, outline and
//! the term occurrences in its prose.

use std::sync::Arc;

use crate::checklist::ChecklistItem;
use crate::line_index::LineIndex;
use crate::markdown;
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
}

impl Doc {
    /// Parses `text` and finds the terms of `matcher` in its prose.
    pub fn new(path: Arc<str>, text: Arc<str>, matcher: &terms::TermMatcher) -> Doc {
        let outline = markdown::parse(&text);
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
        }
    }

    /// Drops what only re-analysing an edit needs (prose runs, block starts, code spans, the
    /// words of list items that are not tasks, task matches): a workspace keeps thousands of
    /// notes that are never edited in this session. A compacted note that gets edited is
    /// analysed afresh.
    pub fn compact(&mut self) {
        let o = &mut self.outline;
        o.prose = vec![];
        o.blocks = vec![];
        o.code = vec![];
        for item in o.items.iter_mut().filter(|i| i.checked.is_none()) {
            item.text = String::new();
        }
        for h in &mut o.headings {
            h.base_id = String::new();
        }
        self.tasks = vec![];
        self.editable = false;
    }

    /// The checklist item whose line holds `offset`.
    pub fn checklist_item_at(&self, offset: usize) -> Option<&ChecklistItem> {
        self.checklist.iter().find(|c| {
            let item = &self.outline.items[c.item];
            let start = item.range.start;
            start <= offset && offset <= line_end(&self.text, start)
        })
    }

    /// The term occurrence under `offset`.
    pub fn occurrence_at(&self, offset: usize) -> Option<terms::Occurrence> {
        let i = self.occurrences.partition_point(|o| o.range.end <= offset);
        self.occurrences
            .get(i)
            .filter(|o| o.range.contains(offset))
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
        let mut out = String::new();
        let mut at = range.start;
        for link in self
            .outline
            .links
            .iter()
            .filter(|l| l.range.start >= range.start && l.range.end <= range.end)
        {
            if link.kind != markdown::LinkKind::Wiki {
                continue;
            }
            out.push_str(&self.text[at..link.range.start]);
            out.push('*');
            out.push_str(&link.label);
            out.push('*');
            at = link.range.end;
        }
        out.push_str(&self.text[at..range.end]);
        out.trim().to_string()
    }
}
