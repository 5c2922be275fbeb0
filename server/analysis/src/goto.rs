//! Go to definition: a term to its definition in the primer, a link to its destination.

use crate::text::FileRange;
use crate::world::{Item, Target, World};

pub fn goto_definition(world: &World, path: &str, offset: usize) -> Option<FileRange> {
    match world.item_at(path, offset)? {
        Item::Term { term, .. } | Item::TermDefinition { term, .. } => {
            Some(world.primer.term_location(term))
        }
        Item::Link { resolved, .. } => match resolved.target {
            Target::Broken { .. } | Target::External => None,
            target => world.location(&target),
        },
        Item::Heading { .. } => None,
    }
}
