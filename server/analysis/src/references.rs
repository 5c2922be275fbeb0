//! Find references: every use of a term, or every link to a section or heading, in notes and primer.

use std::collections::HashSet;

use crate::doc::name_hash;
use crate::text::FileRange;
use crate::world::{Item, Target, World};

pub fn references(
    world: &World,
    path: &str,
    offset: usize,
    include_declaration: bool,
) -> Vec<FileRange> {
    let Some(item) = world.item_at(path, offset) else {
        return vec![];
    };
    let mut out = vec![];
    match item {
        Item::Term { term, .. } | Item::TermDefinition { term, .. } => {
            if include_declaration {
                out.push(world.primer.term_location(term));
            }
            out.extend(term_references(world, term));
        }
        Item::Link { resolved, .. } => out.extend(link_references(
            world,
            &resolved.target,
            include_declaration,
        )),
        Item::Heading { target, .. } => {
            out.extend(link_references(world, &target, include_declaration));
            // A primer heading that defines a term also finds the term's uses.
            if let Target::Primer {
                section,
                heading: Some(h),
            } = target
            {
                let range = world.primer.doc_of(section).outline.headings[h].text_range;
                if let Some(term) = world
                    .primer
                    .terms
                    .iter()
                    .position(|t| t.section == section && t.range == range)
                {
                    out.extend(term_references(world, term));
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Every occurrence of a term in prose, notes first, then the primer; not its own definition.
pub fn term_references(world: &World, term: usize) -> Vec<FileRange> {
    let declaration = world.primer.term_location(term);
    let mut out: Vec<FileRange> = world
        .term_uses(term)
        .map(|(doc, range)| FileRange {
            path: doc.path.clone(),
            range,
        })
        .collect();
    for doc in &world.primer.docs {
        let own = doc.path == declaration.path;
        for o in doc
            .occurrences
            .iter()
            .filter(|o| o.term as usize == term && !(own && o.range() == declaration.range))
        {
            out.push(FileRange {
                path: doc.path.clone(),
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
    let mut out = vec![];
    if include_declaration {
        out.extend(world.location(target));
    }
    let names: HashSet<u64> = world
        .names_of(target)
        .iter()
        .map(|n| name_hash(n))
        .collect();
    let empty = name_hash("");
    let target_path = world.location(target).map(|l| l.path);
    for doc in world.all_docs() {
        let same_doc = target_path.as_deref() == Some(&*doc.path);
        for (link, key) in doc.outline.links.iter().zip(doc.link_keys()) {
            // Resolving is the costly part: only links whose name could mean the target are.
            if !(names.contains(key) || *key == empty && same_doc) {
                continue;
            }
            let resolved = world.resolve(&doc.path, &doc.text, link).target;
            if points_at(&resolved, target) {
                out.push(FileRange {
                    path: doc.path.clone(),
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
