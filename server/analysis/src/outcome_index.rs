//! The primer's learning outcomes as words, so that the words of a checklist item in a note can
//! name one: exactly (normalised words equal) or closely (a Sørensen–Dice score over the two
//! word multisets of at least [`SIMILARITY`], so small rewordings still count).

use rustc_hash::FxHashMap;

use crate::text::TextRange;

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
    /// Each outcome's word numbers in order: an item with the same words names it exactly.
    exact: FxHashMap<Vec<u32>, usize>,
    /// Every word of any outcome, numbered.
    vocabulary: FxHashMap<String, u32>,
    /// The vocabulary's words of at most eight ASCII letters and digits, by [`short_key`]: the
    /// words of an item are looked up so, without a lower-case copy or a string's hash.
    short: FxHashMap<u64, u32>,
    /// Each outcome's word numbers, sorted.
    words: Vec<Vec<u32>>,
    /// The fewest and the most words of any outcome.
    lengths: (usize, usize),
    /// One bit per [`filter_key`] of the vocabulary's words: most words of an item are no
    /// outcome's, and a clear bit tells so without hashing the word or lower-casing a copy.
    filter: Vec<u64>,
}

/// Bits in [`OutcomeIndex::filter`].
const FILTER_BITS: usize = 1 << 15;

/// A word's key in the filter, from its length and its first, second and last bytes (of its
/// lower-case form; `lower` lower-cases one byte, so that an ASCII word needs no copy).
fn filter_key(word: &[u8], lower: impl Fn(u8) -> u8) -> usize {
    let (first, second, last) = match word {
        [] => (0, 0, 0),
        [a] => (lower(*a), 0, lower(*a)),
        [a, b, ..] => (lower(*a), lower(*b), lower(word[word.len() - 1])),
    };
    mix_key(word.len(), first, second, last)
}

/// [`filter_key`] from a word's length and its lower-case first, second (0 if none) and last
/// bytes.
#[inline(always)]
fn mix_key(len: usize, first: u8, second: u8, last: u8) -> usize {
    let mixed = (len as u32).wrapping_mul(0x9E37_79B9)
        ^ u32::from(first).wrapping_mul(0x85EB_CA6B)
        ^ u32::from(second).wrapping_mul(0xC2B2_AE35)
        ^ u32::from(last).wrapping_mul(0x27D4_EB2F);
    (mixed ^ (mixed >> 15)) as usize % FILTER_BITS
}

/// A word of at most eight ASCII letters and digits in lower case, as a number (see
/// [`crate::bytes::word_bits`]).
fn short_key(word: &[u8]) -> Option<u64> {
    (word.len() <= 8 && word.iter().all(u8::is_ascii_alphanumeric))
        .then(|| crate::bytes::word_bits(word, 0, word.len()))
}

/// The number given to words no outcome has: they can never be in common.
const UNKNOWN: u32 = u32::MAX;

impl OutcomeIndex {
    pub fn new<'a>(texts: impl Iterator<Item = &'a str>) -> OutcomeIndex {
        let mut index = OutcomeIndex {
            lengths: (usize::MAX, 0),
            filter: vec![0; FILTER_BITS / 64],
            ..Default::default()
        };
        for (i, text) in texts.enumerate() {
            let mut ids: Vec<u32> = words(text)
                .into_iter()
                .map(|w| {
                    let next = index.vocabulary.len() as u32;
                    *index.vocabulary.entry(w).or_insert(next)
                })
                .collect();
            index.lengths = (
                index.lengths.0.min(ids.len()),
                index.lengths.1.max(ids.len()),
            );
            index.exact.entry(ids.clone()).or_insert(i);
            ids.sort_unstable();
            index.words.push(ids);
        }
        for (word, &id) in &index.vocabulary {
            let key = filter_key(word.as_bytes(), |b| b);
            index.filter[key / 64] |= 1 << (key % 64);
            if let Some(key) = short_key(word.as_bytes()) {
                index.short.insert(key, id);
            }
        }
        index
    }

    /// The outcome the text names, by exact words or by similarity, with how.
    pub fn find(&self, text: &str) -> Option<(usize, MatchHow)> {
        self.find_in(text, TextRange::new(0, text.len()))
    }

    /// [`OutcomeIndex::find`] for the text `source[range]` (read in place where `source` has
    /// bytes after it: a short item is read with the 64 bytes from its start at once).
    pub fn find_in(&self, source: &str, range: TextRange) -> Option<(usize, MatchHow)> {
        if self.words.is_empty() {
            return None;
        }
        let text = source.get(range.start..range.end)?;
        // Counted first, without keeping the words' numbers: most task items in notes share a
        // word or none with the outcomes, so no outcome's length lets them reach the score (and
        // they cannot name one exactly, with a word no outcome has).
        // Whether `known` words of `len` may be similar enough to some outcome's (the most any
        // outcome's length allows). It never falls as `known` grows, so a bound above `known`
        // that cannot be similar (and is not every word) rejects the item as the count would;
        // past this point the words' numbers are read again, so a bound decides nothing else.
        let similar = |len: usize, known: usize| {
            let best_length = known.clamp(self.lengths.0, self.lengths.1);
            2.0 * known.min(best_length) as f32 / ((len + best_length) as f32) >= SIMILARITY
        };
        let (len, known) =
            self.count_words(source, range, |len, most| most == len || similar(len, most));
        let may_be_similar = similar(len, known);
        if len == 0 || known < len && !may_be_similar {
            return None;
        }
        let mut ids = self.ids(text);
        if known == len {
            if let Some(&i) = self.exact.get(&ids) {
                return Some((i, MatchHow::Exact));
            }
        }
        if !may_be_similar {
            return None;
        }
        ids.sort_unstable();
        let (i, score) = self.closest_above(&ids, SIMILARITY)?;
        Some((i, MatchHow::Similar(score)))
    }

    /// The most similar outcome, however far.
    pub fn closest(&self, text: &str) -> Option<(usize, f32)> {
        let mut ids = self.ids(text);
        ids.sort_unstable();
        self.closest_above(&ids, 0.0)
    }

    /// How many words `source[range]` has, and how many of them some outcome has; or, when
    /// `worth_counting(words, most)` says no, with `most` at least as many as that instead.
    fn count_words(
        &self,
        source: &str,
        range: TextRange,
        worth_counting: impl Fn(usize, usize) -> bool,
    ) -> (usize, usize) {
        let mut pad = [0; 64];
        let masks = (range.len() <= 64).then(|| {
            let chunk = crate::bytes::chunk_at(source.as_bytes(), range.start, &mut pad);
            (crate::bytes::word_masks(chunk), chunk)
        });
        let valid = crate::bytes::first_bytes(range.len());
        let Some((masks, chunk)) = masks.filter(|(m, _)| m.high & valid == 0) else {
            let (mut len, mut known) = (0, 0);
            self.each_id(&source[range.start..range.end], |id| {
                len += 1;
                known += usize::from(id != UNKNOWN);
            });
            return (len, known);
        };
        // A short ASCII item (nearly all are) at once: its words are the runs of ASCII letters
        // and digits. Each word's filter bit is read without a branch; the few words it lets
        // through are looked up, if there are enough of them to matter.
        let words = masks.words & !masks.under & valid;
        let (mut starts, mut ends) = (words & !(words << 1), words & !(words >> 1));
        let len = starts.count_ones() as usize;
        // The words the filter lets through, as (start, end) in the chunk (64 bytes hold at
        // most 32 words).
        let mut through = [(0u8, 0u8); 32];
        let mut n = 0;
        while starts != 0 {
            let (a, b) = (
                starts.trailing_zeros() as usize,
                ends.trailing_zeros() as usize + 1,
            );
            starts &= starts - 1;
            ends &= ends - 1;
            let lower = |i: usize| chunk[i].to_ascii_lowercase();
            let second = if b - a > 1 { lower(a + 1) } else { 0 };
            let key = mix_key(b - a, lower(a), second, lower(b - 1));
            through[n] = (a as u8, b as u8);
            n += (self.filter[key / 64] >> (key % 64)) as usize & 1;
        }
        if !worth_counting(len, n) {
            return (len, n);
        }
        let mut lower = String::new();
        let known = through[..n]
            .iter()
            .filter(|&&(a, b)| {
                self.ascii_word_id(&chunk[a as usize..b as usize], &mut lower) != UNKNOWN
            })
            .count();
        (len, known)
    }

    /// The numbers of a text's words, in order ([`UNKNOWN`] for words no outcome has).
    fn ids(&self, text: &str) -> Vec<u32> {
        let mut ids = vec![];
        self.each_id(text, |id| ids.push(id));
        ids
    }

    /// Gives `f` the number of each of a text's words, in order ([`UNKNOWN`] for words no
    /// outcome has).
    fn each_id(&self, text: &str, mut f: impl FnMut(u32)) {
        if text.is_ascii() {
            let mut lower = String::new();
            for w in text.as_bytes().split(|b| !b.is_ascii_alphanumeric()) {
                if !w.is_empty() {
                    f(self.ascii_word_id(w, &mut lower));
                }
            }
            return;
        }
        let mut lower = String::new();
        for w in text.split(|c: char| !c.is_alphanumeric()) {
            if w.is_empty() {
                continue;
            }
            lower.clear();
            lower.push_str(&w.to_lowercase());
            f(if self.may_know(filter_key(lower.as_bytes(), |b| b)) {
                self.vocabulary.get(&lower).copied().unwrap_or(UNKNOWN)
            } else {
                UNKNOWN
            });
        }
    }

    /// The number of an ASCII word of letters and digits ([`UNKNOWN`] if no outcome has it). The
    /// word is lower-cased (into a buffer on the stack, or `lower` when longer) only when the
    /// filter lets it through.
    #[inline(always)]
    fn ascii_word_id(&self, w: &[u8], lower: &mut String) -> u32 {
        if !self.may_know(filter_key(w, |b| b.to_ascii_lowercase())) {
            return UNKNOWN;
        }
        if let Some(key) = short_key(w) {
            return self.short.get(&key).copied().unwrap_or(UNKNOWN);
        }
        let mut buffer = [0u8; 32];
        let word = match buffer.get_mut(..w.len()) {
            Some(short) => {
                short.copy_from_slice(w);
                short.make_ascii_lowercase();
                std::str::from_utf8(short).unwrap_or_default()
            }
            None => {
                lower.clear();
                lower.extend(w.iter().map(|b| char::from(b.to_ascii_lowercase())));
                lower
            }
        };
        self.vocabulary.get(word).copied().unwrap_or(UNKNOWN)
    }

    /// Whether a word with this [`filter_key`] may be in the vocabulary (if not, it is not).
    fn may_know(&self, key: usize) -> bool {
        self.filter
            .get(key / 64)
            .is_some_and(|bits| bits & (1 << (key % 64)) != 0)
    }

    /// The most similar outcome if its score is at least `floor`. An outcome whose score cannot
    /// reach the best so far (at most twice the words the item shares with any outcome, over
    /// both lengths) is not compared at all.
    fn closest_above(&self, ids: &[u32], floor: f32) -> Option<(usize, f32)> {
        let known = ids.iter().filter(|&&i| i != UNKNOWN).count();
        let mut best: Option<(usize, f32)> = None;
        for (i, other) in self.words.iter().enumerate() {
            let reach = 2.0 * known.min(other.len()) as f32 / (ids.len() + other.len()) as f32;
            let needed = best.map_or(floor, |b| b.1.max(floor));
            if reach < needed || (best.is_some() && reach <= needed) {
                continue;
            }
            let score = dice(ids, other);
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The plain matching [`OutcomeIndex::find`] must agree with: the joined words looked up,
    /// else every outcome scored.
    fn find_plainly(outcomes: &[&str], text: &str) -> Option<(usize, MatchHow)> {
        let w = words(text);
        if w.is_empty() {
            return None;
        }
        if let Some(i) = outcomes
            .iter()
            .position(|o| words(o).join(" ") == w.join(" "))
        {
            return Some((i, MatchHow::Exact));
        }
        let score = |o: &str| {
            let mut a = w.clone();
            let mut b = words(o);
            a.sort();
            b.sort();
            let (mut i, mut j, mut common) = (0, 0, 0);
            while i < a.len() && j < b.len() {
                match a[i].cmp(&b[j]) {
                    std::cmp::Ordering::Equal => (common, i, j) = (common + 1, i + 1, j + 1),
                    std::cmp::Ordering::Less => i += 1,
                    std::cmp::Ordering::Greater => j += 1,
                }
            }
            2.0 * common as f32 / (a.len() + b.len()) as f32
        };
        let mut best: Option<(usize, f32)> = None;
        for (i, o) in outcomes.iter().enumerate() {
            let s = score(o);
            if s >= SIMILARITY && s > best.map_or(0.0, |b| b.1) {
                best = Some((i, s));
            }
        }
        best.map(|(i, s)| (i, MatchHow::Similar(s)))
    }

    /// Pieces of items and of the text around them.
    const PARTS: [&str; 18] = [
        "Explain",
        "raft",
        "cache",
        "key",
        "_",
        "cache_key",
        " ",
        "-",
        ",",
        "Σ",
        "é",
        "x",
        "partitioning",
        "7",
        "Leader election",
        "\n",
        "exqqqqn",
        "Cacke",
    ];

    const OUTCOMES: [&str; 4] = [
        "Explain how a network partition forces a choice",
        "Compare leader election in Raft and Paxos",
        "Explain caching",
        "Design a read-through cache for a hot key",
    ];

    proptest! {
        #[test]
        fn the_pruned_match_is_the_plain_match(
            outcome in 0..OUTCOMES.len(),
            kept in prop::collection::vec(any::<bool>(), 8),
            added in prop::collection::vec(prop::sample::select(vec![
                "explain", "partition", "leader", "raft", "caching", "cache", "key", "EXPLAIN",
                "Raft,", "umbrella", "seven", "Σ", "the", "-",
                // No outcome's words, but with the same filter bits as some (the same length,
                // first two and last letters).
                "exqqqqn", "Cacke", "rabt", "lezzzr",
            ]), 0..5),
        ) {
            // An outcome's words with some left out and some added: items near the threshold.
            let mut picked: Vec<&str> = OUTCOMES[outcome]
                .split(' ')
                .zip(kept.iter().chain(std::iter::repeat(&true)))
                .filter_map(|(w, &keep)| keep.then_some(w))
                .collect();
            picked.extend(added);
            let index = OutcomeIndex::new(OUTCOMES.iter().copied());
            let text = picked.join(" ");
            prop_assert_eq!(index.find(&text), find_plainly(&OUTCOMES, &text), "{}", text);
        }

        /// A text's words are numbered as splitting it at every character that is not a letter
        /// or a digit gives them, whatever its length and characters.
        #[test]
        fn words_are_numbered_as_a_plain_split_gives_them(
            parts in prop::collection::vec(prop::sample::select(vec![
                "Explain", "raft", "cache", "key", "_", "cache_key", " ", "-", ",", "Σ", "é", "x",
                "partitioning", "7",
            ]), 0..30),
        ) {
            let index = OutcomeIndex::new(OUTCOMES.iter().copied());
            let text: String = parts.concat();
            let plain: Vec<u32> = words(&text)
                .iter()
                .map(|w| index.vocabulary.get(w).copied().unwrap_or(UNKNOWN))
                .collect();
            prop_assert_eq!(index.ids(&text), plain, "{:?}", text);
        }

        /// An item read in place, with the note's text around it (a short one with the 64
        /// bytes from its start at once), counts and matches as the item's text alone does:
        /// whatever follows it, and whether it is short, long, outside ASCII or has `_`.
        #[test]
        fn an_item_read_in_place_is_read_as_its_text_alone(
            before in prop::collection::vec(prop::sample::select(PARTS.to_vec()), 0..4),
            item in prop::collection::vec(prop::sample::select(PARTS.to_vec()), 0..24),
            after in prop::collection::vec(prop::sample::select(PARTS.to_vec()), 0..24),
        ) {
            let index = OutcomeIndex::new(OUTCOMES.iter().copied());
            let (before, item) = (before.concat(), item.concat());
            let source = format!("{before}{item}{}", after.concat());
            let range = TextRange::new(before.len(), before.len() + item.len());
            let plain = words(&item);
            let known = plain.iter().filter(|w| index.vocabulary.contains_key(*w)).count();
            prop_assert_eq!(
                index.count_words(&source, range, |_, _| true),
                (plain.len(), known),
                "{:?}",
                item
            );
            prop_assert_eq!(index.find_in(&source, range), index.find(&item), "{:?}", item);
        }
    }

    #[test]
    fn no_outcomes_name_nothing() {
        assert_eq!(
            OutcomeIndex::new(std::iter::empty()).find("Explain caching"),
            None
        );
        assert_eq!(OutcomeIndex::default().find("Explain caching"), None);
    }
}
