//! Go to definition: a term to its definition in the primer, a link to its destination.

use crate::world::{Item, Target};
use crate::{FileRange, World};

pub fn goto_definition(world: &World, path: &str, offset: usize) -> Option<FileRange> {
    match world.item_at(path, offset)? {
        Item::Term { term, .. } | Item::TermDefinition { term, .. } => {
            Some(term_location(world, term))
        }
        Item::Link { resolved, .. } => match resolved.target {
            Target::Broken { .. } | Target::External => None,
            target => world.location(&target),
        },
        Item::Heading { .. } => None,
    }
}

/// Where a term is defined in the primer.
pub fn term_location(world: &World, term: usize) -> FileRange {
    let t = &world.primer.terms[term];
    FileRange {
        path: world.primer.doc_of(t.section).path.clone(),
        range: t.range,
    }
}
