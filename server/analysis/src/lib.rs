//! The pure analysis core of primer-ls: Markdown files in, answers out.
//!
//! Files → [`Doc`]s (outline + term occurrences) → a [`Primer`] and a [`World`] of notes →
//! feature queries (hover, definition, references, completion, symbols, diagnostics, code actions).
//! Positions are byte offsets; [`line_index`] converts them for the protocol edge. Nothing here
//! knows of LSP, JSON or async runtimes.

pub mod code_actions;
pub mod completion;
pub mod decorations;
pub mod diagnostics;
pub mod goto;
pub mod hover;
pub mod line_index;
pub mod markdown;
pub mod outcomes;
pub mod primer;
pub mod references;
mod reparse;
pub mod slug;
pub mod symbols;
pub mod terms;
pub mod world;

#[cfg(test)]
mod fixture;
#[cfg(test)]
mod tests;

use std::sync::Arc;

pub use line_index::{Encoding, LineCol, LineIndex};
pub use primer::{Outcome, Primer, Section, Term, TermSource};
pub use world::{Target, World};

/// A half-open byte range `start..end` in one text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TextRange {
    pub start: usize,
    pub end: usize,
}

impl TextRange {
    pub fn new(start: usize, end: usize) -> TextRange {
        TextRange {
            start,
            end: end.max(start),
        }
    }

    pub fn empty(at: usize) -> TextRange {
        TextRange { start: at, end: at }
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// Whether `offset` is inside, counting the position right after the last byte.
    pub fn contains_inclusive(&self, offset: usize) -> bool {
        self.start <= offset && offset <= self.end
    }

    pub fn contains(&self, offset: usize) -> bool {
        self.start <= offset && offset < self.end
    }

    pub fn intersects(&self, other: TextRange) -> bool {
        self.start <= other.end && other.start <= self.end
    }
}

/// A range in a named file.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileRange {
    pub path: Arc<str>,
    pub range: TextRange,
}

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
    pub checklist: Vec<outcomes::ChecklistItem>,
    /// Every task item of a note, matched to the outcomes (kept so an edit re-matches only the
    /// items it touched).
    pub tasks: Vec<outcomes::ChecklistItem>,
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

    /// Analyses a note: [`Doc::new`] with the primer's terms, plus its outcome checklists.
    pub fn note(path: Arc<str>, text: Arc<str>, primer: &Primer) -> Doc {
        let mut doc = Doc::new(path, text, &primer.matcher);
        let all = 0..doc.outline.items.len();
        doc.tasks = outcomes::match_tasks(primer, &doc.text, &doc.outline, all);
        doc.checklist = outcomes::checklists(&doc.outline, &doc.tasks);
        doc
    }

    /// The note after one edit: `edit` (a range of this document's text) was replaced, giving
    /// `text`. Only the blocks around the edit are parsed, scanned and matched again; the answer
    /// is the same as [`Doc::note`] on `text`.
    pub fn edited(&self, edit: TextRange, text: Arc<str>, primer: &Primer) -> Doc {
        reparse::edited(self.clone(), edit, text, primer)
    }

    /// [`Doc::edited`] on a document no one else holds: its analysis is moved, not copied.
    pub fn into_edited(self, edit: TextRange, text: Arc<str>, primer: &Primer) -> Doc {
        reparse::edited(self, edit, text, primer)
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

/// The file name of a path without its extension.
pub fn file_stem(path: &str) -> &str {
    let cut = path.bytes().rposition(|b| b == b'/' || b == b'\\');
    let name = cut.map_or(path, |i| &path[i + 1..]);
    name.strip_suffix(".md")
        .or_else(|| name.strip_suffix(".markdown"))
        .unwrap_or(name)
}

/// A `file://` URL for an absolute path, for links inside hover text.
pub fn file_url(path: &str) -> String {
    let path = path.replace('\\', "/");
    let slash = if path.starts_with('/') { "" } else { "/" };
    format!("file://{slash}{}", percent_encode_path(&path))
}

/// A `/`-separated path with every byte but letters, digits, `/`, `-`, `.`, `_` and `~`
/// percent-encoded, as URLs and relative links want it.
pub fn percent_encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// How much a problem matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Information,
    Hint,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Information => "info",
            Severity::Hint => "hint",
        }
    }
}

/// Something wrong in a file, with an optional replacement that fixes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub path: Arc<str>,
    pub range: TextRange,
    pub severity: Severity,
    /// A stable short name: `broken-link`, `ambiguous-link`, `duplicate-term`, ...
    pub code: &'static str,
    pub message: String,
    /// An edit that fixes the problem.
    pub fix: Option<Fix>,
}

/// A one-edit fix: replace `range` (in the problem's file) with `text`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    /// What the editor shows: "Replace with 'state'", "Tick it here too".
    pub title: String,
    pub range: TextRange,
    pub text: String,
}
