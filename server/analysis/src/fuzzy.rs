//! Names one typo away from a wanted name, found without looking at every name: each name is
//! kept under itself and under every way of deleting one of its characters, and a query looks up
//! its own such variants. Two names one edit apart (a character inserted, deleted or replaced,
//! or two neighbours swapped) always share a variant, so a lookup costs a few hash probes however
//! many names there are.

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// Names longer than this are kept under themselves only (a typo in them is not looked for).
const MAX_VARIANT_CHARS: usize = 64;

/// A multiset of names with the one-typo lookup above.
#[derive(Clone, Debug, Default)]
pub struct NearNames {
    /// Each name once, with how many times it was added; freed slots are `None`.
    names: Vec<Option<(Arc<str>, u32)>>,
    ids: HashMap<Arc<str>, u32>,
    free: Vec<u32>,
    /// Variant hash → the names having it.
    variants: HashMap<u64, Ids>,
}

/// A short list of name ids (most variants belong to one name).
#[derive(Clone, Debug)]
enum Ids {
    One(u32),
    Many(Vec<u32>),
}

impl Ids {
    fn push(&mut self, id: u32) {
        match self {
            Ids::One(a) if *a == id => {}
            Ids::One(a) => *self = Ids::Many(vec![*a, id]),
            Ids::Many(v) => {
                if !v.contains(&id) {
                    v.push(id)
                }
            }
        }
    }

    /// Removes `id`; whether the list is now empty.
    fn remove(&mut self, id: u32) -> bool {
        match self {
            Ids::One(a) => *a == id,
            Ids::Many(v) => {
                v.retain(|&x| x != id);
                v.is_empty()
            }
        }
    }

    fn as_slice(&self) -> &[u32] {
        match self {
            Ids::One(a) => std::slice::from_ref(a),
            Ids::Many(v) => v,
        }
    }
}

fn hash(s: &str) -> u64 {
    let mut h = DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

/// The hashes of `name` and of `name` with each one of its characters deleted.
fn variants(name: &str) -> Vec<u64> {
    let mut out = vec![hash(name)];
    if name.chars().count() > MAX_VARIANT_CHARS {
        return out;
    }
    let mut buf = String::with_capacity(name.len());
    for (i, c) in name.char_indices() {
        buf.clear();
        buf.push_str(&name[..i]);
        buf.push_str(&name[i + c.len_utf8()..]);
        out.push(hash(&buf));
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
        for v in variants(&name) {
            self.variants
                .entry(v)
                .and_modify(|ids| ids.push(id))
                .or_insert(Ids::One(id));
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
            if self.variants.get_mut(&v).is_some_and(|ids| ids.remove(id)) {
                self.variants.remove(&v);
            }
        }
    }

    /// The names that may be one edit from `wanted` (or equal to it): every such name is among
    /// them; the caller measures the distance.
    pub fn near(&self, wanted: &str) -> Vec<&str> {
        let mut ids: Vec<u32> = variants(wanted)
            .iter()
            .filter_map(|v| self.variants.get(v))
            .flat_map(|ids| ids.as_slice().iter().copied())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids.iter()
            .filter_map(|&id| self.names[id as usize].as_ref())
            .map(|(name, _)| &**name)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
