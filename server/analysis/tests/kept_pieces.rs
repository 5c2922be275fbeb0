//! A note that is not open keeps only pieces of its text (its links, its list items, the lines
//! whose columns need their text) and reads the rest back from its file when an answer needs it.
//! Property: every answer is what the same notes give when they keep their whole texts, in
//! byte offsets and in the columns of every encoding.

mod support;

use std::collections::HashMap;
use std::sync::Arc;

use primer_analysis::source::Stamp;
use primer_analysis::world::{FileKind, FileSystem};
use primer_analysis::{goto, ide, outcomes, references, symbols, Doc, Encoding, FileRange, World};
use proptest::prelude::*;
use support::{fragment_text, primer};

/// Files in memory, each stamped with a hash of its text and its length; and the paths the
/// world said it found changed.
#[derive(Debug, Default)]
struct Files(HashMap<String, Arc<str>>, std::sync::Mutex<Vec<String>>);

fn stamp(text: &str) -> Stamp {
    use std::hash::{BuildHasher, RandomState};
    static SEED: std::sync::OnceLock<RandomState> = std::sync::OnceLock::new();
    let hash = SEED.get_or_init(RandomState::new).hash_one(text);
    Stamp([hash, 0, text.len() as u64])
}

impl FileSystem for Files {
    fn kind(&self, path: &str) -> Option<FileKind> {
        self.0.contains_key(path).then_some(FileKind::File)
    }

    fn read(&self, path: &str) -> Option<(Arc<str>, Stamp)> {
        let text = self.0.get(path)?.clone();
        Some((text.clone(), stamp(&text)))
    }

    fn changed(&self, path: &str) {
        self.1.lock().unwrap().push(path.to_string());
    }
}

fn path(i: usize) -> String {
    format!("/notes/n{i}.md")
}

/// The notes as a workspace keeps them once read: compacted, whole or (as the server keeps
/// them) in pieces.
fn world(texts: &[String], pieces: bool) -> World {
    let mut world = World::new(primer().clone());
    world.set_roots(vec!["/notes".into()]);
    let files = texts
        .iter()
        .enumerate()
        .map(|(i, t)| (path(i), Arc::from(t.as_str())))
        .collect();
    world.set_fs(Some(Arc::new(Files(files, Default::default()))));
    for (i, text) in texts.iter().enumerate() {
        let mut doc = Doc::note(path(i).into(), text.as_str().into(), primer());
        if pieces {
            doc.close(stamp(text));
            assert!(doc.text.whole().is_none());
        } else {
            doc.compact();
        }
        world.set_note(Arc::new(doc));
    }
    world
}

/// Ranges with the line and column of both ends in each encoding, read through the document
/// each is in (so a note in pieces converts from its pieces).
fn shown(world: &World, ranges: &[FileRange]) -> Vec<String> {
    ranges
        .iter()
        .map(|r| {
            let doc = world.doc(&r.path).expect("a known document");
            let cols: Vec<_> = [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32]
                .into_iter()
                .map(|e| {
                    doc.line_index
                        .range_cols(&doc.text, r.range.start, r.range.end, e)
                })
                .collect();
            format!("{} {:?} {cols:?}", r.path, r.range)
        })
        .collect()
}

fn answers(world: &World, texts: &[String]) -> Vec<String> {
    let mut out = vec![];
    for (i, text) in texts.iter().enumerate() {
        let p = path(i);
        // Diagnostics of every note (the workspace's, for notes that are not open).
        let problems = ide::diagnostics(world, &p);
        let ranges: Vec<FileRange> = problems
            .iter()
            .map(|d| FileRange {
                path: p.as_str().into(),
                range: d.range,
            })
            .collect();
        out.push(format!("{p}: {problems:?} {:?}", shown(world, &ranges)));
        // Requests about this note: the editor has it open, so it is whole; the others are
        // not.
        let asked = world.with_whole(&p).expect("its file is unchanged");
        for (at, _) in text.char_indices().step_by(3) {
            let hover = ide::hover(&asked, &p, at).map(|h| (h.range, h.markdown));
            let found = goto::goto_definition(&asked, &p, at);
            let refs = references::references(&asked, &p, at, true);
            out.push(format!(
                "{p}@{at}: {hover:?} {:?} {:?}",
                found.map(|f| shown(&asked, &[f])),
                shown(&asked, &refs)
            ));
        }
    }
    out.push(format!("{:?}", outcomes::progress(world)));
    out.push(format!("{:?}", outcomes::coverage(world)));
    out.push(format!("{:?}", symbols::workspace_symbols(world, "")));
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn notes_in_pieces_answer_as_whole_ones(texts in prop::collection::vec(fragment_text(), 3)) {
        let whole = world(&texts, false);
        let mut pieces = world(&texts, true);
        let expected = answers(&whole, &texts);
        let got = answers(&pieces, &texts);
        for (e, g) in expected.iter().zip(&got) {
            prop_assert_eq!(e, g);
        }
        // A new primer reads the notes in pieces again from their files.
        let mut whole = whole;
        whole.set_primer(primer().clone());
        pieces.set_primer(primer().clone());
        prop_assert!(pieces.notes().all(|d| d.text.whole().is_none()));
        prop_assert_eq!(answers(&whole, &texts), answers(&pieces, &texts));
    }
}

#[test]
fn a_file_changed_since_it_was_read_is_not_read_as_the_old_text() {
    let texts = vec![
        "# Zero\n\nSee [[n1#one]].\n".to_string(),
        "# One\n\nThe first paragraph of the note, long enough to be its preview.\n".to_string(),
        String::new(),
    ];
    let mut world = world(&texts, true);
    let at = texts[0].find("n1#").unwrap();
    let preview = |w: &World| ide::hover(w, &path(0), at).unwrap().markdown;
    assert!(preview(&world).contains("long enough to be its preview"));
    // The same length, other words: the pieces (its heading's line is not one) do not show it,
    // the stamp (here a hash; on disk the file's time) does.
    let changed = texts[1].replace("The first", "Our  first");
    let files = [(path(1), Arc::from(changed.as_str()))];
    let files = Arc::new(Files(files.into_iter().collect(), Default::default()));
    world.set_fs(Some(files.clone()));
    let doc = world.note(&path(1)).unwrap().clone();
    assert_eq!(world.whole_text(&doc), None);
    // The file system is told, so that the server can have the note read again.
    assert_eq!(*files.1.lock().unwrap(), [path(1)]);
    assert!(world.with_whole(&path(1)).is_none());
    let shown = preview(&world);
    assert!(
        shown.contains("One") && !shown.contains("preview"),
        "{shown}"
    );
}
