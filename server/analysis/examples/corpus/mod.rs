//! What the examples measure: the bundled primer read from `primer/` (run them from the
//! repository's top) and the notes of a corpus folder given on the command line.

use std::path::Path;
use std::sync::Arc;

use primer_analysis::primer::SourceFile;
use primer_analysis::Primer;

/// A note: its path and its text.
pub type Note = (Arc<str>, Arc<str>);

/// The primer, and every note under the folder named by the first argument.
pub fn load(example: &str) -> (Primer, Vec<Note>) {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| panic!("usage: {example} <corpus folder>"));
    let files = std::fs::read_dir("primer")
        .expect("run from the repository's top")
        .filter_map(|e| {
            let path = e.ok()?.path();
            path.extension()
                .is_some_and(|x| x == "md")
                .then(|| SourceFile {
                    text: std::fs::read_to_string(&path).expect("a UTF-8 primer file"),
                    path: path.display().to_string(),
                })
        })
        .collect();
    let primer = Primer::build("/primer", files);
    let mut notes = vec![];
    markdown_files(Path::new(&dir), &mut notes);
    (primer, notes)
}

fn markdown_files(dir: &Path, out: &mut Vec<Note>) {
    for entry in std::fs::read_dir(dir).expect("a readable folder") {
        let path = entry.expect("a folder entry").path();
        if path.is_dir() {
            markdown_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "md") {
            let text = std::fs::read_to_string(&path).expect("a UTF-8 note");
            out.push((path.display().to_string().into(), text.into()));
        }
    }
}
