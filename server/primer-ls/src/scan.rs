//! Reading a workspace's notes: walk folders (honouring .gitignore), read Markdown files, and
//! analyse them in parallel.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use primer_analysis::{Doc, Primer};
use rayon::prelude::*;

use crate::disk::{self, path_key, path_string, Allowed};

/// A warning about one file (unreadable, not UTF-8).
#[derive(Debug, Clone)]
pub struct FileWarning {
    pub path: String,
    pub message: String,
}

/// Every Markdown file under `roots` (files given directly are taken as they are), except those
/// inside `exclude`. Hidden folders and ignored files are skipped; symbolic links are not
/// followed (so a link loop cannot trap the walk) and each one found gets a warning, as does a
/// folder that cannot be listed.
pub fn markdown_files(
    roots: &[PathBuf],
    exclude: Option<&Path>,
) -> (Vec<PathBuf>, Vec<FileWarning>) {
    let mut out = vec![];
    let mut warnings = vec![];
    for root in roots {
        if root.is_file() {
            out.push(root.clone());
            continue;
        }
        let walker = ignore::WalkBuilder::new(root)
            .follow_links(false)
            .require_git(false)
            .build();
        for entry in walker {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    warnings.push(FileWarning {
                        path: path_string(root),
                        message: format!("part of the folder cannot be read: {e}"),
                    });
                    continue;
                }
            };
            let p = entry.path();
            // A workspace folder that is itself a link is walked; links inside it are not. Only
            // links that could have been notes or folders of notes are worth a warning.
            let linked = entry.depth() > 0 && entry.path_is_symlink();
            let is_md = p.extension().is_some_and(|x| x == "md" || x == "markdown");
            if linked && (is_md || p.is_dir()) {
                warnings.push(FileWarning {
                    path: path_string(p),
                    message: "is a symbolic link; links in the workspace are not followed".into(),
                });
                continue;
            }
            if linked || !is_md || !entry.file_type().is_some_and(|t| t.is_file()) {
                continue;
            }
            if exclude.is_some_and(|ex| p.starts_with(ex)) {
                continue;
            }
            if path_key(p).is_none() {
                warnings.push(FileWarning {
                    path: path_string(p),
                    message: "has a name that cannot be written in a file URI (bytes that are \
                              not UTF-8, or a backslash); skipped"
                        .into(),
                });
                continue;
            }
            out.push(p.to_path_buf());
        }
    }
    out.sort();
    out.dedup();
    (out, warnings)
}

/// A line longer than this gets a warning (it is still analysed).
const LONG_LINE_BYTES: usize = 1 << 20;

/// Quotes or lists nested deeper than this get a warning (they are still analysed).
const DEEP_NESTING: usize = 100;

/// The most quote or list markers (`>`, `-`, `*`, `+`) that open any one line.
fn deepest_nesting(text: &str) -> usize {
    text.lines()
        .map(|line| {
            line.split_whitespace()
                .take_while(|w| matches!(*w, ">" | "-" | "*" | "+") || w.chars().all(|c| c == '>'))
                .map(|w| if w.starts_with('>') { w.len() } else { 1 })
                .sum::<usize>()
        })
        .max()
        .unwrap_or(0)
}

/// The length of the longest line, in bytes.
fn longest_line(text: &str) -> usize {
    let mut longest = 0;
    let mut start = 0;
    for i in memchr::memchr_iter(b'\n', text.as_bytes()).chain([text.len()]) {
        longest = longest.max(i - start);
        start = i + 1;
    }
    longest
}

/// Reads (through the gate, inside `allowed`) and analyses files in parallel. Files the gate
/// refuses or that cannot be read become warnings; invalid UTF-8 is replaced and warned about.
pub fn analyse(
    files: &[PathBuf],
    primer: &Primer,
    allowed: &Allowed,
) -> (Vec<Arc<Doc>>, Vec<FileWarning>) {
    let results: Vec<Result<(Arc<Doc>, Option<FileWarning>), FileWarning>> = files
        .par_iter()
        .map(|p| {
            let path = path_string(p);
            let read = disk::read(p, allowed).map_err(|refused| FileWarning {
                path: path.clone(),
                message: refused.to_string(),
            })?;
            let text = read.text;
            if text.as_bytes()[..text.len().min(8192)].contains(&0) {
                return Err(FileWarning {
                    path,
                    message: "looks like a binary file (it has NUL bytes); skipped".into(),
                });
            }
            let longest = longest_line(&text);
            let nesting = deepest_nesting(&text);
            let warning = if read.lossy {
                Some("is not valid UTF-8; invalid bytes were replaced".to_string())
            } else if longest > LONG_LINE_BYTES {
                Some(format!(
                    "has a line of {} KB; it is analysed, but an editor may be slow on it",
                    longest >> 10
                ))
            } else if nesting > DEEP_NESTING {
                Some(format!(
                    "nests quotes or lists {nesting} levels deep; it is analysed, but such \
                     nesting is likely a mistake"
                ))
            } else {
                None
            };
            let warning = warning.map(|message| FileWarning {
                path: path.clone(),
                message,
            });
            let mut doc = Doc::note(Arc::from(path.as_str()), Arc::from(text.as_str()), primer);
            doc.compact();
            Ok((Arc::new(doc), warning))
        })
        .collect();
    let mut docs = vec![];
    let mut warnings = vec![];
    for r in results {
        match r {
            Ok((doc, w)) => {
                docs.push(doc);
                warnings.extend(w);
            }
            Err(w) => warnings.push(w),
        }
    }
    (docs, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_gone_between_listing_and_reading_is_a_warning() {
        let dir = std::env::temp_dir().join(format!("primer-ls-scan-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("here.md"), "A partition.").unwrap();
        let (files, _) = markdown_files(std::slice::from_ref(&dir), None);
        std::fs::remove_file(dir.join("here.md")).unwrap();
        let (docs, warnings) = analyse(&files, &Primer::empty(), &Allowed::new([&dir]));
        assert!(docs.is_empty());
        assert_eq!(warnings.len(), 1);
        assert!(
            warnings[0].message.starts_with("does not exist"),
            "{:?}",
            warnings[0]
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn listing_skips_the_primer_folder_and_non_markdown() {
        let dir = std::env::temp_dir().join(format!("primer-ls-list-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("primer")).unwrap();
        std::fs::create_dir_all(dir.join("notes")).unwrap();
        std::fs::write(dir.join("primer/s.md"), "x").unwrap();
        std::fs::write(dir.join("notes/n.md"), "x").unwrap();
        std::fs::write(dir.join("notes/n.txt"), "x").unwrap();
        let (files, _) = markdown_files(std::slice::from_ref(&dir), Some(&dir.join("primer")));
        assert_eq!(files, vec![dir.join("notes/n.md")]);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
