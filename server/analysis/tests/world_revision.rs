//! A world's revision: the number under which an answer worked out from every note may be kept
//! and given again (the server keeps its last references answer so). Any change of what an
//! answer reads gives a number never seen before; a snapshot and the questions asked of it keep
//! the number.

use std::collections::HashSet;
use std::sync::Arc;

use primer_analysis::primer::Primer;
use primer_analysis::world::{FileKind, FileSystem};
use primer_analysis::{references, Doc, TextRange, World};

fn primer() -> &'static Arc<Primer> {
    static PRIMER: std::sync::OnceLock<Arc<Primer>> = std::sync::OnceLock::new();
    PRIMER.get_or_init(|| Arc::new(Primer::empty()))
}

#[derive(Debug)]
struct NoFiles;

impl FileSystem for NoFiles {
    fn kind(&self, _path: &str) -> Option<FileKind> {
        None
    }
}

/// Every revision a world goes through, checked to be new at each step.
struct Seen(HashSet<u64>);

impl Seen {
    fn new(world: &World) -> Seen {
        Seen(HashSet::from([world.revision()]))
    }

    fn changed(&mut self, world: &World, what: &str) {
        assert!(
            self.0.insert(world.revision()),
            "{what} kept a revision seen before"
        );
    }
}

#[test]
fn every_change_gives_a_new_revision_and_questions_keep_it() {
    let mut world = World::new(primer().clone());
    let mut seen = Seen::new(&world);
    world.set_roots(vec!["/notes".into()]);
    seen.changed(&world, "the workspace folders");
    world.set_fs(Some(Arc::new(NoFiles)));
    seen.changed(&world, "the file system");
    world.set_note_text("/notes/a.md".into(), "A [[b]] about partitions.\n".into());
    seen.changed(&world, "a note added from its text");
    let b = Doc::note("/notes/b.md".into(), "# B\n".into(), primer());
    world.set_notes([Arc::new(b)]);
    seen.changed(&world, "a batch of notes");

    // Questions, over one note or every note, leave the state as it is; a snapshot shares it.
    let before = world.revision();
    let link = "A [[b".len();
    let places = references::reference_places(&world, "/notes/a.md", link, true);
    assert_eq!(places.len(), 2, "the link and the note it names");
    assert!(world.item_at("/notes/a.md", link).is_some());
    assert_eq!(world.notes_link_keys().count(), 2);
    let snapshot = world.clone();
    assert_eq!((world.revision(), snapshot.revision()), (before, before));

    let replaced = TextRange::new(2, 7);
    world.edit_note(
        "/notes/a.md".into(),
        replaced,
        "A [[c]] about partitions.\n".into(),
    );
    seen.changed(&world, "an edit");
    assert_eq!(
        snapshot.revision(),
        before,
        "the snapshot keeps its state's number"
    );
    let c = Doc::note("/notes/c.md".into(), "# C\n".into(), primer());
    world.set_note(Arc::new(c));
    seen.changed(&world, "a note added");
    assert!(world.remove_note("/notes/b.md"));
    seen.changed(&world, "a note removed");
    world.set_primer(primer().clone());
    seen.changed(&world, "the primer");
    let mut fresh = World::new(primer().clone());
    seen.changed(&fresh, "a new world");
    fresh.same_setup_as(&world);
    seen.changed(&fresh, "a world given another's folders and file system");
    let mut other = snapshot.clone();
    other.set_roots(vec!["/elsewhere".into()]);
    seen.changed(&other, "a snapshot changed apart from its world");
}
