//! The world's notes by path, kept on shelves: a change copies one shelf, not every note.
//!
//! A snapshot of the world (every request takes one, and the diagnostics of every note hold one
//! for as long as they take) shares the notes with the world. Had they been one map, the first
//! change of a note while a snapshot lived (an opened note, a keystroke) would copy the whole
//! map: 10,000 entries, several milliseconds on the thread that serves requests. With the notes
//! on [`SHELVES`] shelves, it copies the list of shelves and the one shelf that changes.

use std::hash::BuildHasher;
use std::sync::Arc;

use rustc_hash::{FxBuildHasher, FxHashMap};

use crate::doc::Doc;

/// How many shelves: at 10,000 notes about 160 notes a shelf.
const SHELVES: usize = 64;

type Shelf = FxHashMap<Arc<str>, Arc<Doc>>;

/// Notes by path.
#[derive(Clone, Debug, Default)]
pub(super) struct Notes {
    /// Empty until the first note comes, then [`SHELVES`] shelves.
    shelves: Arc<Vec<Arc<Shelf>>>,
    len: usize,
}

/// The shelf of a path: the top bits of its hash multiplied by an odd constant, so that the
/// notes of one shelf do not share the bits their shelf's own table places them by.
fn shelf_of(path: &str) -> usize {
    let mixed = FxBuildHasher
        .hash_one(path)
        .wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (mixed >> (64 - SHELVES.trailing_zeros())) as usize
}

impl Notes {
    pub(super) fn get(&self, path: &str) -> Option<&Arc<Doc>> {
        self.shelves.get(shelf_of(path))?.get(path)
    }

    pub(super) fn contains_key(&self, path: &str) -> bool {
        self.get(path).is_some()
    }

    pub(super) fn len(&self) -> usize {
        self.len
    }

    pub(super) fn insert(&mut self, path: Arc<str>, doc: Arc<Doc>) -> Option<Arc<Doc>> {
        let shelves = Arc::make_mut(&mut self.shelves);
        if shelves.is_empty() {
            shelves.resize_with(SHELVES, Arc::default);
        }
        let old = Arc::make_mut(&mut shelves[shelf_of(&path)]).insert(path, doc);
        if old.is_none() {
            self.len += 1;
        }
        old
    }

    pub(super) fn remove(&mut self, path: &str) -> Option<Arc<Doc>> {
        let at = shelf_of(path);
        // Nothing is copied when there is nothing to remove.
        self.shelves.get(at)?.get(path)?;
        let shelves = Arc::make_mut(&mut self.shelves);
        let old = Arc::make_mut(&mut shelves[at]).remove(path);
        if old.is_some() {
            self.len -= 1;
        }
        old
    }

    pub(super) fn iter(&self) -> impl Iterator<Item = (&Arc<str>, &Arc<Doc>)> {
        self.shelves.iter().flat_map(|shelf| shelf.iter())
    }

    pub(super) fn keys(&self) -> impl Iterator<Item = &Arc<str>> {
        self.iter().map(|(path, _)| path)
    }

    pub(super) fn values(&self) -> impl Iterator<Item = &Arc<Doc>> {
        self.iter().map(|(_, doc)| doc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(path: &str) -> Arc<Doc> {
        Arc::new(Doc::note(
            path.into(),
            "".into(),
            &crate::primer::Primer::empty(),
        ))
    }

    #[test]
    fn a_change_copies_one_shelf_and_the_snapshot_keeps_its_notes() {
        let mut notes = Notes::default();
        let paths: Vec<String> = (0..1000).map(|i| format!("/notes/n{i}.md")).collect();
        for p in &paths {
            assert!(notes.insert(p.as_str().into(), doc(p)).is_none());
        }
        assert_eq!(notes.len(), 1000);
        let snapshot = notes.clone();
        let changed = "/notes/n7.md";
        notes.insert(changed.into(), doc(changed));
        assert_eq!(
            notes.remove("/notes/n8.md").map(|d| d.path.clone()),
            Some("/notes/n8.md".into())
        );
        assert!(notes.remove("/notes/none.md").is_none());
        // Every shelf but those of the two changed notes is still shared with the snapshot.
        let shared = (0..SHELVES)
            .filter(|&i| Arc::ptr_eq(&notes.shelves[i], &snapshot.shelves[i]))
            .count();
        let changed_shelves = if shelf_of(changed) == shelf_of("/notes/n8.md") {
            1
        } else {
            2
        };
        assert_eq!(shared, SHELVES - changed_shelves);
        // Both answer for their own notes.
        assert_eq!((notes.len(), snapshot.len()), (999, 1000));
        assert!(snapshot.contains_key("/notes/n8.md") && !notes.contains_key("/notes/n8.md"));
        assert!(!Arc::ptr_eq(
            notes.get(changed).unwrap(),
            snapshot.get(changed).unwrap()
        ));
        let mut listed: Vec<&str> = notes.keys().map(|k| &**k).collect();
        listed.sort_unstable();
        let mut expected: Vec<&str> = paths.iter().map(String::as_str).collect();
        expected.retain(|p| *p != "/notes/n8.md");
        expected.sort_unstable();
        assert_eq!(listed, expected);
        // The notes spread over the shelves (no shelf holds more than a few times its share).
        let fullest = snapshot.shelves.iter().map(|s| s.len()).max().unwrap();
        assert!(fullest < 4 * 1000 / SHELVES, "a shelf of {fullest}");
    }
}
