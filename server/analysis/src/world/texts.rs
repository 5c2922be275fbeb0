//! The whole texts of notes that kept only pieces of theirs (see [`crate::source`]): read again
//! from their files, through the world's file system, when an answer needs all of a note.

use std::sync::Arc;

use super::World;
use crate::doc::Doc;
use crate::primer::Primer;
use crate::source::DocText;

impl World {
    /// `doc` analysed again with `primer`, kept as it was (compacted or not, whole or in
    /// pieces). A note that kept only pieces of its text is read again from its file as it is
    /// now; `None` when it cannot be (gone, unreadable), which the watcher of files reports
    /// too.
    pub fn analysed_again(&self, doc: &Doc, primer: &Primer) -> Option<Doc> {
        let (text, stamp) = match &doc.text {
            DocText::Whole(text) => (text.clone(), None),
            DocText::Pieces(_) => {
                let (text, stamp) = self.fs.as_ref()?.read(&doc.path)?;
                (text, Some(stamp))
            }
        };
        let mut again = Doc::note(doc.path.clone(), text, primer);
        match stamp {
            Some(stamp) => again.close(stamp),
            None if !doc.editable => again.compact(),
            None => {}
        }
        Some(again)
    }

    /// This world with the note at `path` whole, analysed afresh from its file, when it kept
    /// only pieces of its text: for an answer about one document that reads all of it (the
    /// editor asks about open notes, which are whole; a request can still name another). `None`
    /// when its file no longer has the text analysed.
    pub fn with_whole(&self, path: &str) -> Option<std::borrow::Cow<'_, World>> {
        let Some(doc) = self.notes.get(path).filter(|d| d.text.whole().is_none()) else {
            return Some(std::borrow::Cow::Borrowed(self));
        };
        let text = self.whole_text(doc)?;
        let mut world = self.clone();
        world.set_note_text(doc.path.clone(), text);
        Some(std::borrow::Cow::Owned(world))
    }

    /// The whole text of `doc` (a document of this world): the one it keeps, or for a note that
    /// kept only pieces, its file read again when it is still the text analysed (same stamp,
    /// same pieces). `None` when it is not: the file changed (or went) since, and the file
    /// system is told so ([`super::FileSystem::changed`]).
    pub fn whole_text(&self, doc: &Doc) -> Option<Arc<str>> {
        match &doc.text {
            DocText::Whole(text) => Some(text.clone()),
            DocText::Pieces(pieces) => {
                let fs = self.fs.as_ref()?;
                let same = fs
                    .read(&doc.path)
                    .filter(|(text, stamp)| *stamp == pieces.stamp() && pieces.agree_with(text));
                if same.is_none() {
                    fs.changed(&doc.path);
                }
                same.map(|(text, _)| text)
            }
        }
    }
}
