//! The names a primer answers to, in this workspace: the words it leaves out as terms, and
//! every name a link may use for a section.

use std::collections::HashSet;

use super::Primer;
use crate::slug::fold_name;
use crate::terms::{TermId, TermMatcher};
use crate::text::file_stem;

impl Primer {
    /// Stops matching `words` as terms in notes (a workspace's words that are not terms, such
    /// as "deadline" in a class that uses it for homework); see [`TermMatcher::without`]. The
    /// glossary keeps the terms, and the course text's own files are not scanned again.
    pub fn leave_out_words(&mut self, words: &[String]) {
        if words.is_empty() && self.words_left_out.is_empty() {
            return;
        }
        self.matcher = TermMatcher::without(
            self.terms
                .iter()
                .enumerate()
                .map(|(i, t)| (i as TermId, t.names.as_slice())),
            words,
        );
        self.words_left_out = words.to_vec();
    }

    /// Every name, folded, that [`Primer::resolve_name`] takes to the section or one of its
    /// headings (ids, titles with and without their number, heading ids and texts, the file
    /// name), and the introduction's aliases.
    pub fn names_of_section(&self, section: usize) -> HashSet<String> {
        let mut names: HashSet<String> = ["intro", "_index", "index"].map(String::from).into();
        names.insert(fold_name(file_stem(&self.doc_of(section).path)));
        names.extend(
            self.by_id
                .iter()
                .filter(|(_, &s)| s == section)
                .map(|(k, _)| fold_name(k)),
        );
        names.extend(
            self.by_heading_id
                .iter()
                .filter(|(_, &(s, _))| s == section)
                .map(|(k, _)| fold_name(k)),
        );
        names.extend(
            self.by_title
                .iter()
                .filter(|(_, &(s, _))| s == section)
                .map(|(k, _)| k.clone()),
        );
        names
    }
}
