//! Find references: every use of a term, or every link to a section or heading, in notes and primer.

use std::cmp::Ordering;

use crate::doc::Doc;
use crate::slug::name_hash;
use crate::text::{FileRange, TextRange};
use crate::world::{Item, Target, World};

/// A range in one of the world's documents: what references list, with the document itself
/// (answers convert thousands of them, and need not look each document up by its path).
#[derive(Clone, Copy, Debug)]
pub struct Place<'w> {
    pub doc: &'w Doc,
    pub range: TextRange,
}

impl Place<'_> {
    pub fn file_range(&self) -> FileRange {
        FileRange {
            path: self.doc.path.clone(),
            range: self.range,
        }
    }

    /// Whether both are in one file: one document, or two of one path.
    pub fn same_file(&self, other: &Place) -> bool {
        std::ptr::eq(self.doc, other.doc) || self.doc.path == other.doc.path
    }

    /// By path, then by range (most neighbours share a document, and compare by range only).
    fn order(&self, other: &Place) -> Ordering {
        let by_path = if std::ptr::eq(self.doc, other.doc) {
            Ordering::Equal
        } else {
            self.doc.path.cmp(&other.doc.path)
        };
        by_path.then(self.range.cmp(&other.range))
    }
}

/// The references at `offset` of `path`, as [`reference_places`] finds them.
pub fn references(
    world: &World,
    path: &str,
    offset: usize,
    include_declaration: bool,
) -> Vec<FileRange> {
    reference_places(world, path, offset, include_declaration)
        .iter()
        .map(Place::file_range)
        .collect()
}

/// Every use of the term, or every link to the section or heading, at `offset` of `path`, in
/// notes and primer, by path and then by place, each once.
pub fn reference_places<'w>(
    world: &'w World,
    path: &str,
    offset: usize,
    include_declaration: bool,
) -> Vec<Place<'w>> {
    let Some(item) = world.item_at(path, offset) else {
        return vec![];
    };
    // The notes' uses of a term come in order already (`in_order`); the rest are put in order.
    let mut in_order = vec![];
    let mut out = vec![];
    match item {
        Item::Term { term, .. } | Item::TermDefinition { term, .. } => {
            if include_declaration {
                out.push(term_declaration(world, term));
            }
            in_order = note_uses(world, term);
            out.extend(primer_uses(world, term));
        }
        Item::Link { resolved, .. } => {
            out.extend(link_places(world, &resolved.target, include_declaration))
        }
        Item::Heading { target, .. } => {
            out.extend(link_places(world, &target, include_declaration));
            // A primer heading that defines a term also finds the term's uses.
            if let Target::Primer {
                section,
                heading: Some(h),
            } = target
            {
                let range = world.primer.doc_of(section).outline.headings[h].text_range();
                if let Some(term) = world
                    .primer
                    .terms
                    .iter()
                    .position(|t| t.section == section && t.range == range)
                {
                    in_order = note_uses(world, term);
                    out.extend(primer_uses(world, term));
                }
            }
        }
    }
    out.sort_by(Place::order);
    let mut out = merge(in_order, out);
    // (Ranges first: most neighbours are in two documents, whose paths are a memory read away.)
    out.dedup_by(|a, b| a.range == b.range && a.same_file(b));
    out
}

/// `in_order` and `more`, both in order, in one list in order (each of `more` after the places
/// of `in_order` it equals, as a stable sort of the two one after the other puts it). Found
/// by halving `in_order` for each of `more`: `more` is a few places (the primer's), `in_order`
/// tens of thousands, and comparing places of two documents compares their paths.
fn merge<'w>(in_order: Vec<Place<'w>>, more: Vec<Place<'w>>) -> Vec<Place<'w>> {
    if more.is_empty() {
        return in_order;
    }
    let mut out = Vec::with_capacity(in_order.len() + more.len());
    let mut rest = &in_order[..];
    for m in more {
        let before = rest.partition_point(|p| p.order(&m) != Ordering::Greater);
        out.extend_from_slice(&rest[..before]);
        out.push(m);
        rest = &rest[before..];
    }
    out.extend_from_slice(rest);
    out
}

fn term_declaration(world: &World, term: usize) -> Place<'_> {
    let t = &world.primer.terms[term];
    Place {
        doc: world.primer.doc_of(t.section),
        range: t.range,
    }
}

/// Every occurrence of a term in prose, notes first, then the primer; not its own definition.
pub fn term_references(world: &World, term: usize) -> Vec<FileRange> {
    term_places(world, term)
        .iter()
        .map(Place::file_range)
        .collect()
}

fn term_places(world: &World, term: usize) -> Vec<Place<'_>> {
    let mut out = note_uses(world, term);
    out.extend(primer_uses(world, term));
    out
}

/// The uses of a term in the notes, in order (by path, then place).
fn note_uses(world: &World, term: usize) -> Vec<Place<'_>> {
    world
        .term_uses(term)
        .map(|(doc, range)| Place { doc, range })
        .collect()
}

/// The uses of a term in the primer, not its own definition.
fn primer_uses(world: &World, term: usize) -> Vec<Place<'_>> {
    let declaration = term_declaration(world, term);
    let mut out = vec![];
    for doc in &world.primer.docs {
        let own = std::ptr::eq(doc, declaration.doc);
        for o in doc
            .occurrences
            .iter()
            .filter(|o| o.term as usize == term && !(own && o.range() == declaration.range))
        {
            out.push(Place {
                doc,
                range: o.range(),
            });
        }
    }
    out
}

/// Every link that points at `target`; a whole section also counts the links to its headings.
pub fn link_references(
    world: &World,
    target: &Target,
    include_declaration: bool,
) -> Vec<FileRange> {
    link_places(world, target, include_declaration)
        .iter()
        .map(Place::file_range)
        .collect()
}

fn link_places<'w>(world: &'w World, target: &Target, include_declaration: bool) -> Vec<Place<'w>> {
    let mut out = vec![];
    let target_doc = world.target_doc(target);
    if include_declaration {
        if let (Some(doc), Some(at)) = (target_doc, world.location(target)) {
            out.push(Place {
                doc,
                range: at.range,
            });
        }
    }
    // A target has a handful of names: a list read in order is quicker than a hash set for
    // each of the workspace's links.
    let mut names: Vec<u32> = world
        .names_of(target)
        .iter()
        .map(|n| name_hash(n))
        .collect();
    names.sort_unstable();
    names.dedup();
    let empty = name_hash("");
    // The notes' keys are read in one list, and a note is visited only for a link that may
    // point at the target; then the primer's files.
    let notes = world.notes_link_keys().map(|(doc, keys)| (&**doc, keys));
    let primer = world.primer.docs.iter().map(|doc| (doc, doc.link_keys()));
    for (doc, keys) in notes.chain(primer) {
        // (Only a link with no name, to a place in its own file, needs to know which it is in.)
        let same_doc = || target_doc.is_some_and(|t| std::ptr::eq(t, doc) || t.path == doc.path);
        for (i, key) in keys.iter().enumerate() {
            // Resolving is the costly part: only links whose name could mean the target are.
            if !(names.contains(key) || *key == empty && same_doc()) {
                continue;
            }
            let link = &doc.outline.links[i];
            let resolved = world.resolve(&doc.path, &doc.text, link).target;
            if points_at(&resolved, target) {
                out.push(Place {
                    doc,
                    range: link.range(),
                });
            }
        }
    }
    out
}

fn points_at(resolved: &Target, target: &Target) -> bool {
    match (resolved, target) {
        (
            Target::Primer {
                section: a,
                heading: ha,
            },
            Target::Primer {
                section: b,
                heading: hb,
            },
        ) => a == b && (hb.is_none() || ha == hb),
        (
            Target::Note {
                path: a,
                heading: ha,
            },
            Target::Note {
                path: b,
                heading: hb,
            },
        ) => a == b && (hb.is_none() || ha == hb),
        _ => false,
    }
}

#[cfg(test)]
mod properties {
    use std::sync::Arc;

    use proptest::prelude::*;

    use super::*;
    use crate::terms::TermMatcher;

    proptest! {
        /// Merging in by halving gives what a stable sort of both lists one after the other
        /// gives, documents and all (two documents may share a path).
        #[test]
        fn merging_places_in_equals_sorting_them_all(
            paths in prop::collection::vec(prop::sample::select(vec!["/a.md", "/b.md", "/b/c.md", "/ab.md"]), 1..5),
            first in prop::collection::vec((0usize..5, 0usize..4, 0usize..3), 0..30),
            second in prop::collection::vec((0usize..5, 0usize..4, 0usize..3), 0..6),
        ) {
            let none = TermMatcher::new(std::iter::empty());
            let docs: Vec<Doc> = paths
                .iter()
                .map(|p| Doc::new(Arc::from(*p), Arc::from(""), &none))
                .collect();
            let places = |list: &[(usize, usize, usize)]| {
                let mut out: Vec<Place> = list
                    .iter()
                    .map(|&(d, start, len)| Place {
                        doc: &docs[d % docs.len()],
                        range: TextRange::new(start, start + len),
                    })
                    .collect();
                out.sort_by(Place::order);
                out
            };
            let (a, b) = (places(&first), places(&second));
            let mut all = a.clone();
            all.extend(b.iter().copied());
            all.sort_by(Place::order);
            let shown = |list: &[Place]| -> Vec<(*const Doc, TextRange)> {
                list.iter().map(|p| (p.doc as *const Doc, p.range)).collect()
            };
            prop_assert_eq!(shown(&merge(a, b)), shown(&all));
        }
    }
}
