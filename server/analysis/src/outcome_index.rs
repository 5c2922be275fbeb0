//! The primer's learning outcomes as words, so that the words of a checklist item in a note can
//! name one: exactly (normalised words equal) or closely (a Sørensen–Dice score over the two
//! word multisets of at least [`SIMILARITY`], so small rewordings still count).

use std::collections::HashMap;

/// How close an item's words must be to an outcome's to name it (0..=1).
pub const SIMILARITY: f32 = 0.7;

/// How an item was matched to its outcome.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum MatchHow {
    Id,
    Exact,
    Similar(f32),
}

/// Normalised words of the primer's outcomes, for matching items against them.
#[derive(Clone, Debug, Default)]
pub struct OutcomeIndex {
    exact: HashMap<String, usize>,
    /// Every word of any outcome, numbered.
    vocabulary: HashMap<String, u32>,
    /// Each outcome's word numbers, sorted.
    words: Vec<Vec<u32>>,
}

/// The number given to words no outcome has: they can never be in common.
const UNKNOWN: u32 = u32::MAX;

impl OutcomeIndex {
    pub fn new<'a>(texts: impl Iterator<Item = &'a str>) -> OutcomeIndex {
        let mut index = OutcomeIndex::default();
        for (i, text) in texts.enumerate() {
            let words = words(text);
            index.exact.entry(words.join(" ")).or_insert(i);
            let mut ids: Vec<u32> = words
                .into_iter()
                .map(|w| {
                    let next = index.vocabulary.len() as u32;
                    *index.vocabulary.entry(w).or_insert(next)
                })
                .collect();
            ids.sort_unstable();
            index.words.push(ids);
        }
        index
    }

    /// The outcome the text names, by exact words or by similarity, with how.
    pub fn find(&self, text: &str) -> Option<(usize, MatchHow)> {
        let w = words(text);
        if w.is_empty() {
            return None;
        }
        if let Some(&i) = self.exact.get(&w.join(" ")) {
            return Some((i, MatchHow::Exact));
        }
        let (i, score) = self.closest_above(&w, SIMILARITY)?;
        Some((i, MatchHow::Similar(score)))
    }

    /// The most similar outcome, however far.
    pub fn closest(&self, text: &str) -> Option<(usize, f32)> {
        self.closest_words(&words(text))
    }

    fn closest_words(&self, w: &[String]) -> Option<(usize, f32)> {
        self.closest_above(w, 0.0)
    }

    /// The most similar outcome if its score is at least `floor`. An outcome whose score cannot
    /// reach the best so far (at most twice the words the item shares with any outcome, over
    /// both lengths) is not compared at all: most task items in notes are not outcomes.
    fn closest_above(&self, w: &[String], floor: f32) -> Option<(usize, f32)> {
        let mut ids: Vec<u32> = w
            .iter()
            .map(|w| self.vocabulary.get(w).copied().unwrap_or(UNKNOWN))
            .collect();
        ids.sort_unstable();
        let known = ids.iter().filter(|&&i| i != UNKNOWN).count();
        let mut best: Option<(usize, f32)> = None;
        for (i, other) in self.words.iter().enumerate() {
            let reach = 2.0 * known.min(other.len()) as f32 / (ids.len() + other.len()) as f32;
            let needed = best.map_or(floor, |b| b.1.max(floor));
            if reach < needed || (best.is_some() && reach <= needed) {
                continue;
            }
            let score = dice(&ids, other);
            if score > best.map_or(0.0, |b| b.1) && score >= floor {
                best = Some((i, score));
            }
        }
        best
    }
}

/// Lowercase alphanumeric words; everything else separates them.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Sørensen–Dice coefficient of two word multisets, both sorted (unknown words never match).
fn dice(a: &[u32], b: &[u32]) -> f32 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut common) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Equal if a[i] != UNKNOWN => {
                common += 1;
                i += 1;
                j += 1;
            }
            std::cmp::Ordering::Less | std::cmp::Ordering::Equal => i += 1,
            std::cmp::Ordering::Greater => j += 1,
        }
    }
    2.0 * common as f32 / (a.len() + b.len()) as f32
}
