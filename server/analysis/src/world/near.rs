//! Note names near a mistyped one, for "did you mean" on a broken link: through an index of
//! each name's typo variants, built the first time a broken link asks and then kept up to date.

use std::sync::Arc;

use super::World;
use crate::fuzzy::NearNames;
use crate::slug::{fold_name, typo_distance, typo_limit};

impl World {
    /// Changes the index of near names when it is built; else leaves it to be built from the
    /// stems as they are then (a snapshot taken before may still build the one it shares from
    /// its own).
    pub(super) fn change_near(&mut self, change: impl FnOnce(&mut NearNames)) {
        if self.near.get().is_none() {
            self.near = Arc::default();
            return;
        }
        if let Some(near) = Arc::make_mut(&mut self.near).get_mut() {
            change(near);
        }
    }

    /// The index of near names of the notes' stems (see [`World::change_near`]).
    fn near(&self) -> &NearNames {
        self.near.get_or_init(|| {
            let mut near = NearNames::default();
            for (stem, paths) in self.stems.iter() {
                for _ in paths {
                    near.insert(stem);
                }
            }
            near
        })
    }

    /// The note whose name is closest to `name`, within one typo, and the typos: found through
    /// the index of near names, so the cost does not grow with the number of notes.
    pub(super) fn nearest_note(&self, name: &str) -> Option<(usize, &Arc<str>)> {
        let (d, folded) = self.note_stems_near(name).min()?;
        Some((d, self.stems.get(folded)?.first()?))
    }

    /// The (folded) note file names within one typo of `name`, with their typos.
    pub(super) fn note_stems_near(&self, name: &str) -> impl Iterator<Item = (usize, &str)> {
        let folded = fold_name(name);
        let wanted: Vec<char> = folded.chars().collect();
        let limit = typo_limit(wanted.len()).min(1);
        let near = self.near().near(&folded);
        near.into_iter().filter_map(move |candidate| {
            let other: Vec<char> = candidate.chars().collect();
            typo_distance(&wanted, &other, limit).map(|d| (d, candidate))
        })
    }
}

/// The candidate closest to `wanted` (ignoring case), with its typos, if it is within the typos
/// a name of that length may have ([`typo_limit`]).
pub fn closest<'a>(
    wanted: &str,
    candidates: impl Iterator<Item = &'a str>,
) -> Option<(usize, &'a str)> {
    let wanted_l: Vec<char> = wanted.to_lowercase().chars().collect();
    let limit = typo_limit(wanted_l.len());
    let mut best: Option<(usize, &str)> = None;
    let mut other: Vec<char> = vec![];
    for c in candidates {
        let reach = best.map_or(limit, |(d, _)| d.saturating_sub(1).min(limit));
        // A cheap length check first: ASCII has one byte per character.
        if c.is_ascii() && c.len().abs_diff(wanted_l.len()) > reach {
            continue;
        }
        other.clear();
        other.extend(c.chars().flat_map(char::to_lowercase));
        if let Some(d) = typo_distance(&wanted_l, &other, reach) {
            if best.is_none_or(|(bd, _)| d < bd) {
                best = Some((d, c));
            }
        }
    }
    best
}
