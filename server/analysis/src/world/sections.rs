//! Which notes rely on which primer sections, and the names a link may use for a place.

use std::collections::{BTreeSet, HashSet};
use std::sync::{Arc, OnceLock};

use super::{Target, World};
use crate::doc::Doc;
use crate::slug::fold_name;
use crate::slug::name_hash;
use crate::text::file_stem;

impl World {
    /// The primer sections a note relies on: those it links to and those teaching terms it uses.
    pub fn note_sections(&self, path: &str) -> BTreeSet<usize> {
        let mut out = BTreeSet::new();
        let Some(doc) = self.note(path) else {
            return out;
        };
        for link in &doc.outline.links {
            if let Target::Primer { section, .. } = self.resolve(path, &doc.text, link).target {
                out.insert(section);
            }
        }
        for o in &doc.occurrences {
            if let Some((section, _)) = self.primer.terms[o.term as usize].taught_in {
                out.insert(section);
            }
        }
        out
    }

    /// The notes relying on one section, sorted: those whose [`World::note_sections`] hold it.
    /// Only the links whose name could mean the section are resolved.
    pub fn notes_relying_on(&self, section: usize) -> &[Arc<str>] {
        let sections = self.relying.get_or_init(|| {
            (0..self.primer.sections.len())
                .map(|_| OnceLock::new())
                .collect()
        });
        match sections.get(section) {
            Some(notes) => notes.get_or_init(|| self.relying_on(section)),
            None => &[],
        }
    }

    fn relying_on(&self, section: usize) -> Vec<Arc<str>> {
        let taught: Vec<u32> = (0..self.primer.terms.len())
            .filter(|&t| {
                self.primer.terms[t]
                    .taught_in
                    .is_some_and(|(s, _)| s == section)
            })
            .map(|t| t as u32)
            .collect();
        let names: HashSet<u32> = self
            .primer
            .names_of_section(section)
            .iter()
            .map(|n| name_hash(n))
            .collect();
        let links_here = |d: &Doc| {
            d.outline
                .links
                .iter()
                .zip(d.link_keys())
                .any(|(link, key)| {
                    names.contains(key)
                        && matches!(self.resolve(&d.path, &d.text, link).target,
                        Target::Primer { section: s, .. } if s == section)
                })
        };
        let mut out: Vec<Arc<str>> = self
            .notes()
            .filter(|d| {
                d.occurrences
                    .iter()
                    .any(|o| taught.binary_search(&o.term).is_ok())
                    || links_here(d)
            })
            .map(|d| d.path.clone())
            .collect();
        out.sort();
        out
    }

    /// Every folded name a link may go by and still resolve to `target` (a superset: the
    /// candidates are resolved); see [`link_key_into`].
    pub fn names_of(&self, target: &Target) -> HashSet<String> {
        let mut names = HashSet::new();
        match target {
            Target::Primer { section, .. } => return self.primer.names_of_section(*section),
            Target::Note { path, .. } => {
                names.insert(fold_name(file_stem(path)));
            }
            _ => {}
        }
        names
    }
}
