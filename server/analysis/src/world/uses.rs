//! Where each term is used in the notes: one list for all terms, so the references of a term
//! used thousands of times read only its uses, not every note's. And the name keys of every
//! note's links in one list, so a search for the links to a target reads them in one sweep
//! instead of visiting every note.

use std::sync::Arc;

use super::World;
use crate::doc::Doc;
use crate::text::TextRange;

/// Every term's uses in the notes, the notes in path order and each note's in text order.
#[derive(Debug, Default)]
pub(crate) struct TermUses {
    /// Term `t`'s uses are `uses[starts[t]..starts[t + 1]]`.
    starts: Vec<u32>,
    /// A use: the note's place in [`World::notes_in_order`], and the use's range.
    uses: Vec<(u32, u32, u32)>,
}

impl TermUses {
    fn new(notes: &[Arc<Doc>]) -> TermUses {
        let Some(terms) = notes
            .iter()
            .flat_map(|d| d.occurrences.iter().map(|o| o.term))
            .max()
            .map(|t| t as usize + 1)
        else {
            return TermUses::default();
        };
        // Counted first, then each use put in its term's place (a counting sort: the order of
        // the notes and of each note's uses is kept).
        let mut starts = vec![0u32; terms + 1];
        for doc in notes {
            for o in &doc.occurrences {
                starts[o.term as usize + 1] += 1;
            }
        }
        for t in 0..terms {
            starts[t + 1] += starts[t];
        }
        let mut next = starts.clone();
        let mut uses = vec![(0, 0, 0); starts[terms] as usize];
        for (i, doc) in notes.iter().enumerate() {
            for o in &doc.occurrences {
                let at = &mut next[o.term as usize];
                let r = o.range();
                uses[*at as usize] = (i as u32, r.start as u32, r.end as u32);
                *at += 1;
            }
        }
        TermUses { starts, uses }
    }
}

impl World {
    /// The uses of a term in the notes: each note (in path order) with the range of a use (in
    /// text order). Worked out for all terms when first asked for in this state of the notes.
    pub fn term_uses(&self, term: usize) -> impl Iterator<Item = (&Arc<Doc>, TextRange)> {
        let notes = self.notes_in_order();
        let index = self.term_uses.get_or_init(|| TermUses::new(notes));
        let span = match (index.starts.get(term), index.starts.get(term + 1)) {
            (Some(&a), Some(&b)) => a as usize..b as usize,
            _ => 0..0,
        };
        index.uses[span].iter().map(move |&(i, start, end)| {
            (
                &notes[i as usize],
                TextRange::new(start as usize, end as usize),
            )
        })
    }
}

/// The name keys of the notes' links ([`Doc::link_keys`]), the notes in path order, one after
/// the other.
#[derive(Debug, Default)]
pub(crate) struct LinkKeys {
    /// Note `i`'s keys are `keys[starts[i]..starts[i + 1]]`.
    starts: Vec<u32>,
    keys: Vec<u32>,
}

impl LinkKeys {
    fn new(notes: &[Arc<Doc>]) -> LinkKeys {
        let mut starts = Vec::with_capacity(notes.len() + 1);
        let mut keys = vec![];
        starts.push(0);
        for doc in notes {
            keys.extend_from_slice(doc.link_keys());
            starts.push(keys.len() as u32);
        }
        LinkKeys { starts, keys }
    }
}

impl World {
    /// Each note (in path order) with the name keys of its links, in the links' order: reading
    /// the keys does not visit the notes. Worked out when first asked for in this state of the
    /// notes.
    pub fn notes_link_keys(&self) -> impl Iterator<Item = (&Arc<Doc>, &[u32])> {
        let notes = self.notes_in_order();
        let index = self.link_keys.get_or_init(|| LinkKeys::new(notes));
        notes
            .iter()
            .zip(index.starts.windows(2))
            .map(|(doc, at)| (doc, &index.keys[at[0] as usize..at[1] as usize]))
    }
}
