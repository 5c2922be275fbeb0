//! Self-contained HTML pages (no scripts, no network, styles inline): the outcome progress page
//! and the cohort page.

mod cohort;
mod outcomes;

use std::path::Path;

pub use cohort::{cohort_page, Cohort, StudentRow};
pub use outcomes::outcomes_page;

pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A link from the page (written to `page`) to a note: relative when both share a folder tree.
pub fn note_href(page: &Path, note: &str) -> String {
    let page_dir = page
        .canonicalize()
        .ok()
        .or_else(|| {
            // A bare file name lives in the current folder.
            let parent = page.parent().filter(|p| !p.as_os_str().is_empty());
            let parent = parent.unwrap_or_else(|| Path::new("."));
            Some(parent.canonicalize().ok()?.join(page.file_name()?))
        })
        .and_then(|p| p.parent().map(crate::disk::path_string));
    let path = match page_dir {
        Some(dir) => primer_analysis::text::relative_path(&dir, note),
        None => return primer_analysis::file_url(note),
    };
    primer_analysis::percent_encode_path(&path)
}
