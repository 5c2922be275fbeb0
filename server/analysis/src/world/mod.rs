//! The workspace as the analysis sees it: the primer plus every note, and what links point at.
//!
//! Link resolution order, for `[[name]]` or `[[name#anchor]]`:
//! 1. an empty name (`[[#anchor]]`) is a heading of the same file;
//! 2. a name with a `/` or ending in `.md` is a path: relative to the linking file (or, with a
//!    leading `/`, to its workspace folder); it may point at a note or at a primer file;
//! 3. otherwise the primer: a section id, a heading id anywhere in the primer, then a section or
//!    heading title;
//! 4. otherwise a note whose file stem is the name (the one nearest the linking note first).
//!
//! When a name matches both a primer place and a note, the primer wins and the link gets an
//! `ambiguous-link` hint saying how to link the note (`[[name.md]]`).
//! Markdown links `[text](dest)` follow rules 1 and 2; a `dest` with a URL scheme is external.

mod near;
mod notes;
mod sections;
mod texts;
mod uses;

pub use crate::slug::link_key_into;
pub use near::closest;

use std::sync::{Arc, OnceLock};

use rustc_hash::FxHashMap;

use crate::doc::Doc;
use crate::fuzzy::NearNames;
use crate::markdown::{Link, LinkKind};
use crate::primer::{split_anchor, Primer};
use crate::slug::fold_name;
use crate::source::{Source, Stamp};
use crate::text::{file_stem, folder_of, normalize, percent_decode, FileRange, TextRange};

/// What a link points at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A primer section, or one of its headings.
    Primer {
        section: usize,
        heading: Option<usize>,
    },
    /// A note, or one of its headings.
    Note {
        path: Arc<str>,
        heading: Option<usize>,
    },
    /// A URL or a file that is not Markdown: not ours to check.
    External,
    /// Nothing: the link is broken. `suggestion` is the closest destination that exists.
    Broken {
        reason: String,
        suggestion: Option<String>,
    },
}

/// A resolved link, with a note when it could also mean something else.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolved {
    pub target: Target,
    /// Set when a primer place and a note both match the name.
    pub also_note: Option<Arc<str>>,
}

/// What exists on disk, by metadata only (never reading): for telling whether a link's target
/// exists when it is not a note the world holds (a file outside the checked scope, an image, a
/// folder). The server and the command line give the real file system; without one, only the
/// notes and primer files the world holds exist.
pub trait FileSystem: Send + Sync + std::fmt::Debug {
    fn kind(&self, path: &str) -> Option<FileKind>;

    /// The text of a note's file as it is now, with its stamp, read through the same gate the
    /// notes were read through: for a note that kept only pieces of its text
    /// ([`Doc::keep_pieces`]) when an answer needs the rest. `None` when it cannot be read.
    fn read(&self, _path: &str) -> Option<(Arc<str>, Stamp)> {
        None
    }

    /// Told that a note's file no longer has the text the note was analysed from (found when
    /// an answer read it again, see [`World::whole_text`]), so that whoever keeps the world can
    /// have it read again.
    fn changed(&self, _path: &str) {}
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    File,
    Folder,
}

/// The notes relying on one primer section, worked out when first asked for.
type Relying = OnceLock<Vec<Arc<str>>>;

/// The primer and the notes: an immutable snapshot, cheap to clone.
#[derive(Clone, Debug)]
pub struct World {
    pub primer: Arc<Primer>,
    notes: notes::Notes,
    /// Folded file stem → note paths, sorted.
    stems: Arc<FxHashMap<String, Vec<Arc<str>>>>,
    /// The folded stems again, for finding one near a mistyped name without trying them all:
    /// built the first time one is looked for (only a broken link asks), then kept up to date.
    near: Arc<OnceLock<NearNames>>,
    /// Workspace folders, as paths without a trailing `/` (see [`World::set_roots`]).
    roots: Arc<Vec<String>>,
    /// What exists on disk, for links to what the world does not hold (see [`World::set_fs`]).
    fs: Option<Arc<dyn FileSystem>>,
    /// This state's number (see [`World::revision`]).
    revision: u64,
    /// For each term, how many notes use it (kept up to date as notes change).
    term_notes: Arc<Vec<u32>>,
    /// For each outcome, how many ticked checklist items name it (kept up to date likewise).
    outcome_ticks: Arc<Vec<u32>>,
    /// For each primer section, the notes relying on it: worked out when first asked for in
    /// this state of the notes, primer and roots, and shared by the snapshots taken of it (any
    /// change starts afresh). Hover on a primer heading and its lens ask on every request.
    relying: Arc<OnceLock<Vec<Relying>>>,
    /// The notes in path order, worked out when first asked for in this state of the notes
    /// (searches over every note answer in path order).
    in_order: Arc<OnceLock<Vec<Arc<Doc>>>>,
    /// Every term's uses in the notes, and the notes' links' name keys, worked out likewise
    /// when first asked for.
    term_uses: Arc<OnceLock<uses::TermUses>>,
    link_keys: Arc<OnceLock<uses::LinkKeys>>,
}

impl World {
    pub fn new(primer: Arc<Primer>) -> World {
        World {
            primer,
            notes: notes::Notes::default(),
            stems: Arc::default(),
            near: Arc::default(),
            roots: Arc::default(),
            fs: None,
            revision: fresh_revision(),
            term_notes: Arc::default(),
            outcome_ticks: Arc::default(),
            relying: Arc::default(),
            in_order: Arc::default(),
            term_uses: Arc::default(),
            link_keys: Arc::default(),
        }
    }

    pub fn set_roots(&mut self, roots: Vec<String>) {
        self.revision = fresh_revision();
        self.relying = Arc::default();
        self.roots = Arc::new(
            roots
                .into_iter()
                .map(|r| r.trim_end_matches('/').to_string())
                .collect(),
        );
    }

    /// Replaces the primer; every note's terms are found again.
    pub fn set_primer(&mut self, primer: Arc<Primer>) {
        self.revision = fresh_revision();
        self.primer = primer;
        self.relying = Arc::default();
        let notes: Vec<Doc> = self
            .notes
            .values()
            .filter_map(|d| self.analysed_again(d, &self.primer))
            .collect();
        // Term ids belong to the old primer: count from nothing again.
        self.notes = notes::Notes::default();
        self.stems = Arc::default();
        self.near = Arc::default();
        self.term_notes = Arc::default();
        self.outcome_ticks = Arc::default();
        for doc in notes {
            self.set_note(Arc::new(doc));
        }
    }

    /// Brings `fresh` up to date with this world: `fresh` was made from `base` (an earlier
    /// snapshot of this world) with another primer, off the server's lock. Notes changed, added
    /// or removed here since `base` are changed, added or removed there too (analysed with
    /// `fresh`'s primer); everything else is taken from `fresh` as it is.
    pub fn catch_up(&self, base: &World, mut fresh: World) -> World {
        for (path, doc) in self.notes.iter() {
            let same = base.notes.get(path).is_some_and(|b| Arc::ptr_eq(b, doc));
            if !same {
                match self.analysed_again(doc, &fresh.primer) {
                    Some(again) => fresh.set_note(Arc::new(again)),
                    None => {
                        fresh.remove_note(path);
                    }
                }
            }
        }
        for path in base.notes.keys() {
            if !self.notes.contains_key(path) {
                fresh.remove_note(path);
            }
        }
        fresh.same_setup_as(self);
        fresh
    }

    /// What exists on disk (none: what the world holds and nothing else).
    pub fn set_fs(&mut self, fs: Option<Arc<dyn FileSystem>>) {
        self.revision = fresh_revision();
        self.fs = fs;
    }

    /// Takes `other`'s workspace folders and file system (for a world built afresh from it).
    pub fn same_setup_as(&mut self, other: &World) {
        self.revision = fresh_revision();
        self.roots = other.roots.clone();
        self.fs = other.fs.clone();
    }

    pub fn roots(&self) -> &[String] {
        &self.roots
    }

    /// A number no other state of any world had: each change of the notes, primer, folders or
    /// file system gives a new one; snapshots share it. An answer may be kept under it.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Adds or replaces a note from its text.
    pub fn set_note_text(&mut self, path: Arc<str>, text: Arc<str>) {
        let doc = Doc::note(path, text, &self.primer);
        self.set_note(Arc::new(doc));
    }

    /// Replaces a note after one edit: `edit` (a range of its current text) was replaced, giving
    /// `text`. Only the blocks around the edit are analysed again.
    pub fn edit_note(&mut self, path: Arc<str>, edit: TextRange, text: Arc<str>) {
        let editable = self.notes.get(&path).is_some_and(|d| d.editable);
        let old = match editable {
            true => self.notes.remove(&path),
            false => None,
        };
        let Some(old) = old else {
            // Unknown, or compacted after indexing: analysed afresh.
            self.set_note_text(path, text);
            return;
        };
        self.count(&old, -1);
        // Usually no snapshot holds the note any more: then its analysis is moved, not copied.
        let doc = match Arc::try_unwrap(old) {
            Ok(owned) => owned.into_edited(edit, text, &self.primer),
            Err(shared) => shared.edited(edit, text, &self.primer),
        };
        self.count(&doc, 1);
        self.notes.insert(path, Arc::new(doc));
    }

    /// Adds or replaces an analysed note (built with this world's primer matcher).
    pub fn set_note(&mut self, doc: Arc<Doc>) {
        self.put_note(doc, true);
    }

    /// [`World::set_note`] for many notes at once (a batch of an index): the index of near
    /// names is not kept up to date note by note but built again when next asked (while a
    /// workspace is read, a link not yet resolvable has it built early, and thousands of
    /// notes would then each be added to it, and it copied whenever a request shares it).
    pub fn set_notes(&mut self, docs: impl IntoIterator<Item = Arc<Doc>>) {
        self.near = Arc::default();
        for doc in docs {
            self.put_note(doc, false);
        }
    }

    fn put_note(&mut self, doc: Arc<Doc>, near: bool) {
        let path = doc.path.clone();
        self.count(&doc, 1);
        let old = self.notes.insert(path.clone(), doc);
        let fresh = old.is_none();
        if let Some(old) = old {
            self.count(&old, -1);
        }
        if fresh {
            let folded = fold_name(file_stem(&path));
            if near {
                self.change_near(|near| near.insert(&folded));
            }
            let paths = Arc::make_mut(&mut self.stems).entry(folded).or_default();
            let at = paths.partition_point(|p| p < &path);
            paths.insert(at, path);
        }
    }

    /// Adds `by` to the note count of each term.
    /// Adds (`by` = 1) or takes away (-1) a note's share of the running counts: the notes using
    /// each term, and the ticked checklist items naming each outcome.
    fn count(&mut self, doc: &Doc, by: i32) {
        self.revision = fresh_revision();
        // Every change of a note passes here: what was worked out from all notes is stale. Each
        // is replaced unless empty and this world's alone (a snapshot taken before this change
        // shares it and may still fill it with the notes it holds); the notes of a batch replace
        // them once.
        afresh(&mut self.relying);
        afresh(&mut self.in_order);
        afresh(&mut self.term_uses);
        afresh(&mut self.link_keys);
        let add = |counts: &mut Vec<u32>, len: usize, ids: &mut dyn Iterator<Item = usize>| {
            if counts.len() < len {
                counts.resize(len, 0);
            }
            for i in ids {
                if let Some(c) = counts.get_mut(i) {
                    *c = c.saturating_add_signed(by);
                }
            }
        };
        if !doc.occurrences.is_empty() {
            let len = self.primer.terms.len();
            let counts = Arc::make_mut(&mut self.term_notes);
            add(
                counts,
                len,
                &mut doc.terms_used().into_iter().map(|t| t as usize),
            );
        }
        let mut ticked = doc
            .checklist
            .iter()
            .filter(|c| c.checked)
            .filter_map(|c| c.outcome)
            .peekable();
        if ticked.peek().is_some() {
            let len = self.primer.outcomes.len();
            add(Arc::make_mut(&mut self.outcome_ticks), len, &mut ticked);
        }
    }

    /// Whether a checklist item in some note ticks the outcome.
    pub fn outcome_ticked(&self, outcome: usize) -> bool {
        self.outcome_ticks.get(outcome).is_some_and(|&n| n > 0)
    }

    pub fn remove_note(&mut self, path: &str) -> bool {
        let old = self.notes.remove(path);
        if let Some(old) = &old {
            self.count(old, -1);
        }
        let removed = old.is_some();
        if removed {
            let folded = fold_name(file_stem(path));
            self.change_near(|near| near.remove(&folded));
            if let Some(paths) = Arc::make_mut(&mut self.stems).get_mut(&folded) {
                paths.retain(|p| &**p != path);
            }
        }
        removed
    }

    pub fn note(&self, path: &str) -> Option<&Arc<Doc>> {
        self.notes.get(path)
    }

    pub fn notes(&self) -> impl Iterator<Item = &Arc<Doc>> {
        self.notes.values()
    }

    pub fn note_count(&self) -> usize {
        self.notes.len()
    }

    /// A note or a primer file by path.
    pub fn doc(&self, path: &str) -> Option<&Doc> {
        self.notes.get(path).map(|d| &**d).or_else(|| {
            self.primer
                .section_by_path(path)
                .map(|s| self.primer.doc_of(s))
        })
    }

    /// Notes and primer files, notes in path order, then the primer in section order.
    pub fn all_docs(&self) -> Vec<&Doc> {
        let mut docs: Vec<&Doc> = self.notes_in_order().iter().map(|d| &**d).collect();
        docs.extend(self.primer.docs.iter());
        docs
    }

    /// The notes in path order.
    pub fn notes_in_order(&self) -> &[Arc<Doc>] {
        self.in_order.get_or_init(|| {
            // Sorted by the map's own keys (no two alike), not by each document's path: one
            // memory read fewer per comparison, a few milliseconds at 10,000 notes.
            let mut notes: Vec<(&Arc<str>, &Arc<Doc>)> = self.notes.iter().collect();
            notes.sort_unstable_by(|a, b| a.0.cmp(b.0));
            let notes: Vec<Arc<Doc>> = notes.into_iter().map(|(_, d)| d.clone()).collect();
            notes
        })
    }

    /// Resolves a link found in the file at `from`, whose text is `text`.
    pub fn resolve<S: Source + ?Sized>(&self, from: &str, text: &S, link: &Link) -> Resolved {
        let dest = link.dest(text).trim();
        let plain = |target| Resolved {
            target,
            also_note: None,
        };
        if link.kind == LinkKind::Markdown {
            if dest.is_empty() {
                return plain(Target::Broken {
                    reason: "empty link target".into(),
                    suggestion: None,
                });
            }
            if has_scheme(dest) {
                return plain(Target::External);
            }
            let (path, anchor) = split_anchor(dest);
            if path.is_empty() {
                return plain(self.in_same_file(from, anchor.unwrap_or("")));
            }
            let path = percent_decode(path);
            let is_markdown = path.ends_with(".md") || path.ends_with(".markdown");
            if !is_markdown {
                return plain(self.on_disk(from, &path));
            }
            return plain(self.by_path(from, &path, anchor));
        }
        let (name, anchor) = split_anchor(dest);
        let name = name.trim();
        if name.is_empty() {
            return plain(self.in_same_file(from, anchor.unwrap_or("")));
        }
        if name.contains('/') || name.ends_with(".md") {
            let path = if name.ends_with(".md") {
                name.to_string()
            } else {
                format!("{name}.md")
            };
            return plain(self.by_path(from, &path, anchor));
        }
        // (Folded once, for the notes' names and the primer's titles alike.)
        let folded = fold_name(name);
        let note = self.note_by_stem(from, &folded);
        if let Some((section, heading)) = self.primer.resolve_folded(name, &folded) {
            let target = match anchor {
                None => Target::Primer { section, heading },
                Some(a) => match self.primer.resolve_anchor(section, a) {
                    Some(h) => Target::Primer {
                        section,
                        heading: Some(h),
                    },
                    None => self.broken_anchor(
                        self.primer.doc_of(section),
                        a,
                        &self.primer.sections[section].id,
                    ),
                },
            };
            return Resolved {
                target,
                also_note: note,
            };
        }
        if let Some(path) = note {
            return plain(self.in_note(path, anchor));
        }
        plain(Target::Broken {
            reason: format!("no primer section, heading or note is called '{name}'"),
            suggestion: self.suggest_name(name).map(|s| match anchor {
                Some(a) => format!("{s}#{a}"),
                None => s,
            }),
        })
    }

    fn in_same_file(&self, from: &str, anchor: &str) -> Target {
        let Some(doc) = self.doc(from) else {
            return Target::Broken {
                reason: "unknown file".into(),
                suggestion: None,
            };
        };
        match doc.find_heading(anchor) {
            Some(h) => self.target_in(doc, Some(h)),
            None => self.broken_anchor(doc, anchor, ""),
        }
    }

    fn target_in(&self, doc: &Doc, heading: Option<usize>) -> Target {
        match self.primer.section_by_path(&doc.path) {
            Some(section) if self.notes.get(&doc.path).is_none() => {
                Target::Primer { section, heading }
            }
            _ => Target::Note {
                path: doc.path.clone(),
                heading,
            },
        }
    }

    fn in_note(&self, path: Arc<str>, anchor: Option<&str>) -> Target {
        // (A note the world does not hold, which callers never ask for, is the whole note.)
        let (Some(a), Some(doc)) = (anchor, self.notes.get(&path)) else {
            return Target::Note {
                path,
                heading: None,
            };
        };
        match doc.find_heading(a) {
            Some(h) => Target::Note {
                path,
                heading: Some(h),
            },
            None => self.broken_anchor(doc, a, file_stem(&path)),
        }
    }

    fn broken_anchor(&self, doc: &Doc, anchor: &str, prefix: &str) -> Target {
        let best = closest(anchor, doc.outline.headings.iter().map(|h| h.id())).map(|(_, b)| b);
        Target::Broken {
            reason: format!("'{}' has no heading '{anchor}'", doc.title()),
            suggestion: best.map(|b| {
                if prefix.is_empty() {
                    format!("#{b}")
                } else {
                    format!("{prefix}#{b}")
                }
            }),
        }
    }

    fn by_path(&self, from: &str, path: &str, anchor: Option<&str>) -> Target {
        let resolved = self.absolute(from, path);
        let found = resolved.as_deref().and_then(|p| self.doc(p));
        let doc = match found {
            Some(doc) => doc,
            None => {
                // A file name of the primer (`state.md`) links the section wherever the primer lives.
                let stem = file_stem(path);
                let in_primer = self
                    .primer
                    .section_by_id(stem)
                    .filter(|&s| file_stem(&self.primer.doc_of(s).path).eq_ignore_ascii_case(stem));
                match in_primer {
                    Some(s) => self.primer.doc_of(s),
                    None => {
                        // A file that exists but is not a note held here (outside the checked
                        // scope) is no broken link; its anchors are not checked.
                        let fs = self.fs.as_ref();
                        let exists = resolved.as_deref().and_then(|p| fs?.kind(p));
                        if exists == Some(FileKind::File) {
                            return Target::External;
                        }
                        return Target::Broken {
                            reason: format!("no file '{path}'"),
                            suggestion: self.suggest_note_path(from, path, anchor),
                        };
                    }
                }
            }
        };
        match anchor {
            None => self.target_in(doc, None),
            Some(a) => match doc.find_heading(a) {
                Some(h) => self.target_in(doc, Some(h)),
                None => self.broken_anchor(doc, a, path),
            },
        }
    }

    /// A link to something that is not Markdown (an image, a PDF, a folder): whether it exists,
    /// by metadata. A folder is served as static site generators serve it: its `index.md`,
    /// `_index.md` or `README.md`, else the folder itself. Without a file system to ask, such
    /// links are not checked.
    fn on_disk(&self, from: &str, path: &str) -> Target {
        let Some(fs) = &self.fs else {
            return Target::External;
        };
        let Some(resolved) = self.absolute(from, path) else {
            return Target::External; // A site-absolute link with no known root.
        };
        match fs.kind(&resolved) {
            Some(FileKind::Folder) => {
                let base = resolved.trim_end_matches('/');
                for index in ["index.md", "_index.md", "README.md"] {
                    let p = format!("{base}/{index}");
                    if self.notes.get(p.as_str()).is_some() {
                        return Target::Note {
                            path: Arc::from(p.as_str()),
                            heading: None,
                        };
                    }
                }
                Target::External
            }
            Some(FileKind::File) => Target::External,
            None => Target::Broken {
                reason: format!("no file or folder '{path}'"),
                suggestion: None,
            },
        }
    }

    /// The absolute path a path link names, from the file at `from`: relative to its folder, or
    /// with a leading `/` to its workspace folder.
    fn absolute(&self, from: &str, path: &str) -> Option<String> {
        if let Some(rest) = path.strip_prefix('/') {
            let root = self
                .roots
                .iter()
                .filter(|r| from.starts_with(&format!("{r}/")))
                .max_by_key(|r| r.len())?;
            Some(format!("{root}/{rest}"))
        } else {
            let dir = folder_of(from);
            normalize(&format!("{dir}/{path}"))
        }
    }

    /// The note whose stem, folded, is `folded`: the one in the same folder as `from`, else the
    /// first by path.
    fn note_by_stem(&self, from: &str, folded: &str) -> Option<Arc<str>> {
        let paths = self.stems.get(folded)?;
        if let [only] = &paths[..] {
            return Some(only.clone());
        }
        let dir = folder_of(from);
        paths
            .iter()
            .find(|p| folder_of(p) == dir)
            .or_else(|| paths.first())
            .cloned()
    }

    /// The primer place or note name closest to a mistyped `name`, if one is a typo or two away
    /// (primer names are few and all tried; notes are looked up in the index of near names).
    fn suggest_name(&self, name: &str) -> Option<String> {
        let primer = &self.primer;
        let sections = primer.sections.iter().map(|s| s.id.as_str());
        let headings = primer
            .docs
            .iter()
            .flat_map(|d| d.outline.headings.iter().map(|h| h.id()));
        let in_primer = closest(name, sections.chain(headings));
        let note = self.nearest_note(name);
        match (in_primer, note) {
            (Some((d, p)), Some((dn, _))) if d <= dn => Some(p.to_string()),
            (_, Some((_, n))) => Some(file_stem(n).to_string()),
            (Some((_, p)), None) => Some(p.to_string()),
            (None, None) => None,
        }
    }

    /// The note a broken path link most likely meant: named like its file (or a typo away),
    /// nearest to where the link points, never the linking note itself; with the link's anchor
    /// (or the closest heading of that note). Nothing rather than a poor guess.
    fn suggest_note_path(&self, from: &str, path: &str, anchor: Option<&str>) -> Option<String> {
        let mut candidates: Vec<(usize, &str)> = vec![];
        for (d, name) in self.note_stems_near(file_stem(path)) {
            let paths = self.stems.get(name).into_iter().flatten();
            candidates.extend(paths.filter(|p| &***p != from).map(|p| (d, &**p)));
        }
        let at = self
            .absolute(from, path)
            .unwrap_or_else(|| path.to_string());
        let target = crate::fuzzy::closest_path(&at, &candidates)?;
        let mut link = crate::text::path_from(from, target);
        if let (Some(a), Some(doc)) = (anchor, self.notes.get(target)) {
            let heading = match doc.find_heading(a) {
                Some(h) => Some(doc.outline.headings[h].id()),
                None => closest(a, doc.outline.headings.iter().map(|h| h.id())).map(|c| c.1),
            };
            if let Some(h) = heading {
                link = format!("{link}#{h}");
            }
        }
        Some(link)
    }

    /// Where a target is, for go-to-definition.
    pub fn location(&self, target: &Target) -> Option<FileRange> {
        match target {
            Target::Primer { section, heading } => Some(self.primer.location(*section, *heading)),
            Target::Note { path, heading } => {
                let doc = self.notes.get(path)?;
                let range =
                    heading.map_or(TextRange::empty(0), |h| doc.outline.headings[h].range());
                Some(FileRange {
                    path: path.clone(),
                    range,
                })
            }
            _ => None,
        }
    }

    /// The document a target is in.
    pub fn target_doc(&self, target: &Target) -> Option<&Doc> {
        match target {
            Target::Primer { section, .. } => Some(self.primer.doc_of(*section)),
            Target::Note { path, .. } => self.notes.get(path).map(|d| &**d),
            _ => None,
        }
    }
}

/// A [`World::revision`] not given before.
fn fresh_revision() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// Replaces what was worked out from the notes with an empty slot, unless it is empty already
/// and no snapshot shares it.
fn afresh<T>(slot: &mut Arc<OnceLock<T>>) {
    if slot.get().is_some() || Arc::strong_count(slot) > 1 {
        *slot = Arc::default();
    }
}

fn has_scheme(dest: &str) -> bool {
    match dest.find(':') {
        Some(i) => {
            i > 1
                && dest[..i]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-' || c == '.')
        }
        None => false,
    }
}

/// What sits under a cursor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
    /// A link, and what it resolves to.
    Link { link: Link, resolved: Resolved },
    /// A glossary term used in prose.
    Term { term: usize, range: TextRange },
    /// A primer definition-list entry or topic heading defining a term.
    TermDefinition { term: usize, range: TextRange },
    /// A heading of the document (primer or note).
    Heading { target: Target, range: TextRange },
}

impl World {
    /// The link, term or heading at `offset` in the file `path`, or else just before it (a
    /// cursor right after a word is on that word).
    pub fn item_at(&self, path: &str, offset: usize) -> Option<Item> {
        self.item_exactly_at(path, offset)
            .or_else(|| self.item_exactly_at(path, offset.checked_sub(1)?))
    }

    fn item_exactly_at(&self, path: &str, offset: usize) -> Option<Item> {
        let doc = self.doc(path)?;
        if let Some(link) = doc
            .outline
            .links
            .iter()
            .find(|l| l.range().contains(offset))
        {
            return Some(Item::Link {
                link: link.clone(),
                resolved: self.resolve(path, &doc.text, link),
            });
        }
        let in_primer = self.notes.get(path).is_none();
        if in_primer {
            if let Some(section) = self.primer.section_by_path(path) {
                if let Some(term) = self
                    .primer
                    .terms
                    .iter()
                    .position(|t| t.section == section && t.range.contains_inclusive(offset))
                {
                    return Some(Item::TermDefinition {
                        term,
                        range: self.primer.terms[term].range,
                    });
                }
            }
        }
        if let Some(o) = doc.occurrence_at(offset) {
            return Some(Item::Term {
                term: o.term as usize,
                range: o.range(),
            });
        }
        let h = doc
            .outline
            .headings
            .iter()
            .position(|h| h.range().contains(offset))?;
        Some(Item::Heading {
            target: self.target_in(doc, Some(h)),
            range: doc.outline.headings[h].text_range(),
        })
    }

    /// How many notes use a term.
    pub fn notes_using(&self, term: usize) -> usize {
        self.term_notes.get(term).copied().unwrap_or(0) as usize
    }
}
