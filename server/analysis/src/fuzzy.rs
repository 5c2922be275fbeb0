//! Names one typo away from a wanted name, found without looking at every name: each name is
//! kept under itself and under every way of deleting one of its characters, and a query looks up
//! its own such variants. Two names one edit apart (a character inserted, deleted or replaced,
//! or two neighbours swapped) always share a variant, so a lookup costs a few hash probes however
//! many names there are.

use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::slug::name_hash;
use crate::text::folder_of;

/// Names longer than this are kept under themselves only (a typo in them is not looked for).
const MAX_VARIANT_CHARS: usize = 64;

/// A multiset of names with the one-typo lookup above.
///
/// A workspace of 10,000 notes keeps about 160,000 variants of their names, so each is kept in
/// 8 bytes: a 32-bit hash of the variant and the one name having it (or, for the few variants
/// several names share, where their list is). Two variants sharing a hash by chance only add a
/// candidate, whose distance the caller measures.
#[derive(Clone, Debug, Default)]
pub struct NearNames {
    /// Each name once, with how many times it was added; freed slots are `None`.
    names: Vec<Option<(Arc<str>, u32)>>,
    ids: FxHashMap<Arc<str>, u32>,
    free: Vec<u32>,
    /// Variant hash → the name having it, or [`SHARED`] with the index in `shared` of the
    /// names having it.
    variants: FxHashMap<u32, u32>,
    shared: Vec<Vec<u32>>,
    shared_free: Vec<u32>,
}

/// Marks a variant's entry as an index into [`NearNames::shared`].
const SHARED: u32 = 1 << 31;

/// The hashes of `name` and of `name` with each one of its characters deleted.
fn variants(name: &str) -> Vec<u32> {
    let mut out = vec![name_hash(name)];
    if name.chars().count() > MAX_VARIANT_CHARS {
        return out;
    }
    let mut buf = String::with_capacity(name.len());
    for (i, c) in name.char_indices() {
        buf.clear();
        buf.push_str(&name[..i]);
        buf.push_str(&name[i + c.len_utf8()..]);
        out.push(name_hash(&buf));
    }
    out.sort_unstable();
    out.dedup();
    out
}

impl NearNames {
    pub fn insert(&mut self, name: &str) {
        if let Some(&id) = self.ids.get(name) {
            if let Some((_, n)) = &mut self.names[id as usize] {
                *n += 1;
            }
            return;
        }
        let name: Arc<str> = Arc::from(name);
        let id = match self.free.pop() {
            Some(id) => {
                self.names[id as usize] = Some((name.clone(), 1));
                id
            }
            None => {
                self.names.push(Some((name.clone(), 1)));
                (self.names.len() - 1) as u32
            }
        };
        assert!(id < SHARED, "more than two billion names");
        for v in variants(&name) {
            let Some(entry) = self.variants.get_mut(&v) else {
                self.variants.insert(v, id);
                continue;
            };
            if *entry & SHARED != 0 {
                self.shared[(*entry & !SHARED) as usize].push(id);
                continue;
            }
            let list = vec![*entry, id];
            let at = match self.shared_free.pop() {
                Some(at) => {
                    self.shared[at as usize] = list;
                    at
                }
                None => {
                    self.shared.push(list);
                    (self.shared.len() - 1) as u32
                }
            };
            *entry = at | SHARED;
        }
        self.ids.insert(name, id);
    }

    /// Takes away one of the name's additions; the name goes when none is left.
    pub fn remove(&mut self, name: &str) {
        let Some(&id) = self.ids.get(name) else {
            return;
        };
        let slot = &mut self.names[id as usize];
        if let Some((_, n)) = slot {
            *n -= 1;
            if *n > 0 {
                return;
            }
        }
        *slot = None;
        self.ids.remove(name);
        self.free.push(id);
        for v in variants(name) {
            let Some(&entry) = self.variants.get(&v) else {
                continue;
            };
            if entry & SHARED == 0 {
                if entry == id {
                    self.variants.remove(&v);
                }
                continue;
            }
            let at = entry & !SHARED;
            let list = &mut self.shared[at as usize];
            list.retain(|&x| x != id);
            if list.is_empty() {
                *list = Vec::new();
                self.shared_free.push(at);
                self.variants.remove(&v);
            }
        }
    }

    /// The names that may be one edit from `wanted` (or equal to it): every such name is among
    /// them; the caller measures the distance.
    pub fn near(&self, wanted: &str) -> Vec<&str> {
        let mut ids: Vec<u32> = vec![];
        for v in variants(wanted) {
            match self.variants.get(&v) {
                Some(&entry) if entry & SHARED != 0 => {
                    ids.extend_from_slice(&self.shared[(entry & !SHARED) as usize])
                }
                Some(&id) => ids.push(id),
                None => {}
            }
        }
        ids.sort_unstable();
        ids.dedup();
        ids.iter()
            .filter_map(|&id| self.names[id as usize].as_ref())
            .map(|(name, _)| &**name)
            .collect()
    }
}

/// File names that many folders have (a folder's page): among several of them only one in a
/// folder of the wanted name is a fair guess.
const FOLDER_PAGES: [&str; 3] = ["index", "_index", "readme"];

/// Of the `candidates` (absolute paths of files named like the wanted one, with the typos in
/// their names), the one closest to where the link points (`wanted`, absolute): fewest typos,
/// then in a folder of the wanted folder's name, then the fewest folders to change on the way,
/// then by path. Nothing when the guess would be poor: several candidates as close by name, or a
/// name many folders have, and none in the wanted folder or in a folder of the wanted folder's name.
pub fn closest_path<'a>(wanted: &str, candidates: &[(usize, &'a str)]) -> Option<&'a str> {
    let folders = |p: &str| -> Vec<String> {
        let dir = folder_of(p);
        dir.split('/')
            .filter(|c| !c.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let want = folders(wanted);
    let (typos, other_folder_name, moves, best) = candidates
        .iter()
        .map(|&(typos, path)| {
            let there = folders(path);
            (
                typos,
                want.last() != there.last(),
                folder_moves(&want, &there),
                path,
            )
        })
        .min()?;
    let stem = crate::text::file_stem(wanted).to_lowercase();
    let common = FOLDER_PAGES.contains(&stem.as_str());
    let several = candidates.iter().filter(|c| c.0 == typos).count() > 1;
    if (several || common) && moves > 0 && other_folder_name {
        return None;
    }
    Some(best)
}

/// Edits (a folder added, dropped or renamed) that turn one folder path into another.
fn folder_moves(a: &[String], b: &[String]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, x) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, y) in b.iter().enumerate() {
            let next = (diagonal + usize::from(x != y))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            diagonal = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Whether one edit (a character inserted, deleted or replaced, or two neighbours swapped)
    /// or none turns `a` into `b`.
    fn one_edit(a: &str, b: &str) -> bool {
        let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
        let (a, b) = (&a[prefix..], &b[prefix..]);
        let suffix = a
            .iter()
            .rev()
            .zip(b.iter().rev())
            .take_while(|(x, y)| x == y)
            .count();
        let (a, b) = (&a[..a.len() - suffix], &b[..b.len() - suffix]);
        match (a.len(), b.len()) {
            (0, 0) | (0, 1) | (1, 0) | (1, 1) => true,
            (2, 2) => a[0] == b[1] && a[1] == b[0],
            _ => false,
        }
    }

    proptest! {
        /// After any additions and removals, a lookup finds every name present one edit or
        /// none away, and never a name no longer present.
        #[test]
        fn lookups_follow_additions_and_removals(
            ops in prop::collection::vec((any::<bool>(), "[abé]{0,4}"), 0..40),
            wanted in prop::collection::vec("[abé]{0,5}", 1..6),
        ) {
            let mut names = NearNames::default();
            let mut counts: std::collections::BTreeMap<String, u32> = Default::default();
            for (add, name) in &ops {
                if *add {
                    names.insert(name);
                    *counts.entry(name.clone()).or_default() += 1;
                } else {
                    names.remove(name);
                    if let Some(n) = counts.get_mut(name) {
                        *n -= 1;
                        if *n == 0 {
                            counts.remove(name);
                        }
                    }
                }
            }
            for w in &wanted {
                let found: std::collections::BTreeSet<&str> = names.near(w).into_iter().collect();
                for f in &found {
                    prop_assert!(counts.contains_key(*f), "{:?} found for {:?} but removed", f, w);
                }
                for n in counts.keys() {
                    if one_edit(n, w) {
                        prop_assert!(found.contains(n.as_str()), "{:?} not found for {:?}", n, w);
                    }
                }
            }
        }
    }

    #[test]
    fn every_name_one_edit_away_is_found() {
        let mut names = NearNames::default();
        for n in ["caching", "week 3 caching", "state", "partitions", "raft"] {
            names.insert(n);
        }
        fn found<'a>(names: &'a NearNames, w: &str) -> Vec<&'a str> {
            let mut v = names.near(w);
            v.sort();
            v
        }
        assert_eq!(found(&names, "cachng"), ["caching"]); // deleted
        assert_eq!(found(&names, "cacching"), ["caching"]); // inserted
        assert_eq!(found(&names, "cachinq"), ["caching"]); // replaced
        assert_eq!(found(&names, "cahcing"), ["caching"]); // swapped
        assert_eq!(found(&names, "stat"), ["state"]);
        assert!(found(&names, "consensus").is_empty());
        names.insert("state");
        names.remove("state");
        assert_eq!(
            found(&names, "stat"),
            ["state"],
            "added twice, removed once"
        );
        names.remove("state");
        assert!(found(&names, "stat").is_empty());
    }

    #[test]
    fn the_path_closest_to_the_link_wins_or_nothing() {
        let readmes = [
            (0, "/r/README.md"),
            (0, "/r/docs/README.md"),
            (0, "/r/prep/README.md"),
            (0, "/r/labs/one/README.md"),
        ];
        // `../prep/README.md` from /r/docs/a/x.md: the prep folder one level up.
        assert_eq!(
            closest_path("/r/docs/prep/README.md", &readmes),
            Some("/r/prep/README.md")
        );
        // No folder of that name anywhere: no guess among twenty READMEs.
        assert_eq!(closest_path("/r/docs/setup/README.md", &readmes), None);
        // One note of a distinctive name is offered wherever it is; a typo loses to an exact name.
        assert_eq!(
            closest_path("/r/x/lab-notes.md", &[(0, "/r/y/z/lab-notes.md")]),
            Some("/r/y/z/lab-notes.md")
        );
        let two = [(1, "/r/a/lab-note.md"), (0, "/r/b/lab-notes.md")];
        assert_eq!(
            closest_path("/r/b/c/lab-notes.md", &two),
            Some("/r/b/lab-notes.md")
        );
        // A single README in another folder is still no fair guess.
        assert_eq!(
            closest_path("/r/docs/README.md", &[(0, "/r/other/README.md")]),
            None
        );
    }
}
