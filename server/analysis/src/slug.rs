//! GitHub-style heading slugs, and the small text normalisations the matching needs.

use std::fmt::Write as _;

use crate::text::{file_stem, find_byte, percent_decode, split_anchor};

/// The GitHub slug of a heading text: lowercase, punctuation other than `-` and `_` dropped,
/// spaces turned into `-`.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    slugify_into(text, &mut out);
    out
}

/// [`slugify`] into `out` (cleared first), for callers that slug many headings with one buffer.
pub fn slugify_into(text: &str, out: &mut String) {
    out.clear();
    for c in text.trim().chars() {
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                out.push(c.to_ascii_lowercase());
            } else if c == ' ' {
                out.push('-');
            }
        } else if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        }
    }
}

/// Hands out unique slugs within one document, as GitHub does: `x`, `x-1`, `x-2`, passing over
/// a number another heading's slug already took (`x`, `x-1`, `x` gives `x`, `x-1`, `x-2`).
#[derive(Default)]
pub struct SlugCounter {
    /// Every slug handed out, with how many times it was asked for.
    seen: rustc_hash::FxHashMap<Box<str>, u32>,
    /// The last slug handed out.
    last: String,
}

impl SlugCounter {
    pub fn unique(&mut self, slug: &str) -> &str {
        self.last.clear();
        self.last.push_str(slug);
        let Some(&asked) = self.seen.get(slug) else {
            self.seen.insert(slug.into(), 1);
            return &self.last;
        };
        let mut n = asked;
        loop {
            self.last.truncate(slug.len());
            let _ = write!(self.last, "-{n}");
            n += 1;
            if !self.seen.contains_key(self.last.as_str()) {
                break;
            }
        }
        if let Some(asked) = self.seen.get_mut(slug) {
            *asked = n;
        }
        self.seen.insert(self.last.as_str().into(), 1);
        &self.last
    }
}

/// Lowercases and collapses whitespace, hyphens and underscores to single spaces; used to compare
/// names ("Round-Robin" and "round robin" are the same name).
pub fn fold_name(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_name_into(text, &mut out);
    out
}

/// [`fold_name`] into `out` (cleared first), for callers that fold many names with one buffer.
pub fn fold_name_into(text: &str, out: &mut String) {
    out.clear();
    let text = text.trim();
    let mut folded = [0u8; 64];
    if let Some(n) = fold_ascii(text, &mut folded) {
        out.push_str(std::str::from_utf8(&folded[..n]).expect("ASCII folds to ASCII"));
        return;
    }
    fold_chars_into(text, out);
}

/// [`fold_name_into`] of a trimmed `text` that is ASCII and at most 64 bytes (nearly every
/// name: a link's destination, a heading), into a buffer on the stack: its length there, else
/// `None`. Each byte is a character: a space for each run of separators between words, letters
/// in lower case (never longer than the name).
fn fold_ascii(text: &str, folded: &mut [u8; 64]) -> Option<usize> {
    if text.len() > folded.len() || !text.is_ascii() {
        return None;
    }
    let (mut n, mut space) = (0, false);
    for &b in text.as_bytes() {
        if is_ascii_separator(b) {
            space = n > 0;
            continue;
        }
        if std::mem::take(&mut space) {
            folded[n] = b' ';
            n += 1;
        }
        folded[n] = b.to_ascii_lowercase();
        n += 1;
    }
    Some(n)
}

/// Whether an ASCII byte separates a name's words: one `char::is_whitespace` takes, `-` or `_`.
fn is_ascii_separator(b: u8) -> bool {
    matches!(
        b,
        b' ' | b'\t' | b'\n' | b'\x0B' | b'\x0C' | b'\r' | b'-' | b'_'
    )
}

/// [`fold_name_into`] read a character at a time (of a trimmed `text`, into an empty `out`).
fn fold_chars_into(text: &str, out: &mut String) {
    for c in text.chars() {
        if c.is_whitespace() || c == '-' || c == '_' {
            if !out.ends_with(' ') && !out.is_empty() {
                out.push(' ');
            }
        } else if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
    let kept = out.trim_end().len();
    out.truncate(kept);
}

/// Edit distance between two short strings, for "did you mean" suggestions.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    edit_distance_chars(&a, &b, &mut vec![])
}

/// [`edit_distance`] of two char slices, with `buf` as scratch space (reused across calls).
pub fn edit_distance_chars(a: &[char], b: &[char], buf: &mut Vec<usize>) -> usize {
    buf.clear();
    buf.extend(0..=b.len());
    buf.extend(std::iter::repeat_n(0, b.len() + 1));
    let (prev, cur) = buf.split_at_mut(b.len() + 1);
    let (mut prev, mut cur) = (prev, cur);
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// Edit distance where swapping two neighbouring characters is one edit, as it is one typo
/// (optimal string alignment); `None` when it is more than `limit` (found without finishing).
pub fn typo_distance(a: &[char], b: &[char], limit: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    let w = b.len() + 1;
    let mut rows = vec![0usize; 3 * w];
    for (j, cell) in rows[..w].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        let cur = (i % 3) * w;
        let prev = ((i + 2) % 3) * w;
        let prev2 = ((i + 1) % 3) * w;
        rows[cur] = i;
        let mut row_min = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (rows[prev + j] + 1)
                .min(rows[cur + j - 1] + 1)
                .min(rows[prev + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(rows[prev2 + j - 2] + 1);
            }
            rows[cur + j] = d;
            row_min = row_min.min(d);
        }
        if row_min > limit {
            return None;
        }
    }
    let d = rows[(a.len() % 3) * w + b.len()];
    (d <= limit).then_some(d)
}

/// How many typos a name of `len` characters may have and still be suggested for: none below
/// four characters (a suggestion there is a guess), one up to seven, two from eight.
pub fn typo_limit(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// The folded name a link goes by, into `buf`: its destination without anchor, folder or
/// `.md`, percent-decoded. No allocation unless the name has a `%`.
pub fn link_key_into(dest: &str, buf: &mut String) {
    let (name, _) = split_anchor(dest);
    if find_byte(name, b'%').is_some() {
        fold_name_into(file_stem(&percent_decode(name)), buf);
    } else {
        fold_name_into(file_stem(name), buf);
    }
}

/// The [`name_hash`] of the folded name a link goes by (see [`link_key_into`]), folded on the
/// stack when it can be (see [`fold_ascii`]) and has no `%`.
pub fn link_key(dest: &str) -> u32 {
    let (name, _) = split_anchor(dest);
    let mut folded = [0u8; 64];
    if find_byte(name, b'%').is_none() {
        if let Some(n) = fold_ascii(file_stem(name).trim(), &mut folded) {
            return hash_bytes(&folded[..n]);
        }
    }
    let mut key = String::new();
    link_key_into(dest, &mut key);
    name_hash(&key)
}

/// The 32-bit hash of a name (the same in every process): a link's folded name in
/// [`crate::doc::Doc::link_keys`], a heading's id or folded text in [`crate::doc::HeadingIndex`], a name's typo variants
/// in [`crate::fuzzy::NearNames`]. Kept by the hundred thousand, so 32 bits; every user checks
/// or resolves what a hash finds, so a hash shared by chance costs a little work, never a
/// wrong answer.
pub fn name_hash(name: &str) -> u32 {
    hash_bytes(name.as_bytes())
}

/// [`name_hash`] of a name's bytes.
fn hash_bytes(name: &[u8]) -> u32 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    h.write(name);
    let h = h.finish();
    (h >> 32) as u32 ^ h as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_follow_github() {
        assert_eq!(
            slugify("Fallacy 1: The network is reliable"),
            "fallacy-1-the-network-is-reliable"
        );
        assert_eq!(
            slugify("Leader/Follower Datastore Replication"),
            "leaderfollower-datastore-replication"
        );
        assert_eq!(
            slugify("About Remote Procedure Calls (RPCs)"),
            "about-remote-procedure-calls-rpcs"
        );
        assert_eq!(slugify("Why a cache service?"), "why-a-cache-service");
        let mut c = SlugCounter::default();
        assert_eq!(c.unique("questions"), "questions");
        assert_eq!(c.unique("questions"), "questions-1");
        assert_eq!(c.unique("questions"), "questions-2");
        // A number another heading's slug already took is passed over.
        let ids: Vec<String> = ["x", "x-1", "x", "x", "x-2", "y-10", "y", "y"]
            .iter()
            .map(|s| c.unique(s).to_string())
            .collect();
        assert_eq!(ids, ["x", "x-1", "x-2", "x-3", "x-2-1", "y-10", "y", "y-1"]);
        let last = (0..12).map(|_| c.unique("z").to_string()).last();
        assert_eq!(last.as_deref(), Some("z-11"));
    }

    #[test]
    fn names_fold_and_distances_count() {
        assert_eq!(
            fold_name("  Round-Robin  scheduling"),
            "round robin scheduling"
        );
        assert_eq!(edit_distance("stat", "state"), 1);
        assert_eq!(edit_distance("caching", "cachnig"), 2);
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        assert_eq!(typo_distance(&c("caching"), &c("cachnig"), 2), Some(1));
        assert_eq!(typo_distance(&c("stat"), &c("state"), 1), Some(1));
        assert_eq!(typo_distance(&c("sharding"), &c("caching"), 2), None);
        assert_eq!(typo_distance(&c(""), &c("ab"), 2), Some(2));
    }

    proptest::proptest! {
        #[test]
        fn a_links_key_is_the_hash_of_the_name_it_goes_by(
            pieces in proptest::collection::vec(proptest::sample::select(vec![
                "a", "Q", "7", " ", "-", "_", "\t", "/", "\\", "#", "%20", "%", ".md", ".markdown",
                "é", "\u{A0}", "state", "Scaling-Stateless-Services ",
            ]), 0..14),
        ) {
            let dest = pieces.concat();
            let mut name = String::new();
            link_key_into(&dest, &mut name);
            proptest::prop_assert_eq!(link_key(&dest), name_hash(&name), "{:?}", dest);
        }

        #[test]
        fn names_fold_byte_by_byte_as_they_fold_character_by_character(
            pieces in proptest::collection::vec(proptest::sample::select(vec![
                "a", "Z", "9", " ", "  ", "-", "_", "\t", "\n", "\r", "\x0B", "\x0C", "\x1F",
                ".", "#", "é", "\u{A0}", "\u{2003}", "Σ",
            ]), 0..12),
        ) {
            let text = pieces.concat();
            let mut plain = String::new();
            fold_chars_into(text.trim(), &mut plain);
            proptest::prop_assert_eq!(fold_name(&text), plain, "{:?}", text);
        }
    }
}
