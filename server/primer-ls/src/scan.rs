//! Reading a workspace's notes: walk folders (honouring .gitignore), read Markdown files, and
//! analyse them in parallel.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use primer_analysis::{Doc, Primer};
use rayon::prelude::*;

use crate::primer_source::{path_string, read_text};

/// A warning about one file (unreadable, not UTF-8).
#[derive(Debug, Clone)]
pub struct FileWarning {
    pub path: String,
    pub message: String,
}

/// Every Markdown file under `roots` (files given directly are taken as they are), except those
/// inside `exclude`. Hidden folders and ignored files are skipped; symlink loops are not followed.
pub fn markdown_files(roots: &[PathBuf], exclude: Option<&Path>) -> Vec<PathBuf> {
    let mut out = vec![];
    for root in roots {
        if root.is_file() {
            out.push(root.clone());
            continue;
        }
        let walker = ignore::WalkBuilder::new(root)
            .follow_links(false)
            .require_git(false)
            .build();
        for entry in walker.filter_map(Result::ok) {
            let p = entry.path();
            let is_md = p.extension().is_some_and(|x| x == "md" || x == "markdown");
            if !is_md || !entry.file_type().is_some_and(|t| t.is_file()) {
                continue;
            }
            if exclude.is_some_and(|ex| p.starts_with(ex)) {
                continue;
            }
            out.push(p.to_path_buf());
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Reads and analyses files in parallel. Unreadable files become warnings; invalid UTF-8 is
/// replaced and warned about.
pub fn analyse(files: &[PathBuf], primer: &Primer) -> (Vec<Arc<Doc>>, Vec<FileWarning>) {
    let results: Vec<Result<(Arc<Doc>, Option<FileWarning>), FileWarning>> = files
        .par_iter()
        .map(|p| {
            let path = path_string(p);
            match read_text(p) {
                Ok((text, lossy)) => {
                    let warning = lossy.then(|| FileWarning {
                        path: path.clone(),
                        message: "is not valid UTF-8; invalid bytes were replaced".into(),
                    });
                    let doc = Doc::note(Arc::from(path.as_str()), Arc::from(text.as_str()), primer);
                    Ok((Arc::new(doc), warning))
                }
                Err(e) => Err(FileWarning {
                    path,
                    message: format!("cannot be read: {e}"),
                }),
            }
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
        let files = markdown_files(&[dir.clone()], None);
        std::fs::remove_file(dir.join("here.md")).unwrap();
        let (docs, warnings) = analyse(&files, &Primer::empty());
        assert!(docs.is_empty());
        assert_eq!(warnings.len(), 1);
        assert!(
            warnings[0].message.starts_with("cannot be read"),
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
        let files = markdown_files(&[dir.clone()], Some(&dir.join("primer")));
        assert_eq!(files, vec![dir.join("notes/n.md")]);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
