//! Finding every glossary term in prose at once: one Aho-Corasick automaton over all the names'
//! variants (plural, singular, possessive), walked from each word start of a prose block (line
//! breaks and hyphens read as spaces), keeping the longest whole-word name found there.

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::nfa::contiguous::NFA;
use aho_corasick::{Anchored, MatchKind};
use std::collections::HashMap;

use crate::markdown::{Join, ProseSegment};
use crate::text::TextRange;

/// Index of a term in [`crate::Primer::terms`].
pub type TermId = u32;

/// A term found in a document: 12 bytes (a workspace keeps hundreds of thousands).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Occurrence {
    pub term: TermId,
    start: u32,
    end: u32,
}

impl Occurrence {
    /// `range` is in a text under 4 GB (the line index and the transport hold texts to that).
    pub fn new(term: TermId, range: TextRange) -> Occurrence {
        Occurrence {
            term,
            start: range.start as u32,
            end: range.end as u32,
        }
    }

    pub fn range(&self) -> TextRange {
        TextRange::new(self.start as usize, self.end as usize)
    }
}

/// Whether a name is an abbreviation, matched with its exact case: one word with at least two
/// capitals that make up at least half of its letters (API, 2PC, mTLS, gRPC; not WebSocket).
pub fn is_abbreviation(name: &str) -> bool {
    let upper = name.chars().filter(|c| c.is_uppercase()).count();
    let letters = name.chars().filter(|c| c.is_alphabetic()).count();
    !name.contains(char::is_whitespace) && upper >= 2 && upper * 2 >= letters
}

/// The terms of some occurrences, sorted, each once (a bitmap pass: no sorting of the
/// occurrences, which a long note has tens of thousands of).
pub fn distinct(occurrences: &[Occurrence]) -> Vec<TermId> {
    let Some(max) = occurrences.iter().map(|o| o.term).max() else {
        return vec![];
    };
    let mut seen = vec![0u64; max as usize / 64 + 1];
    for o in occurrences {
        seen[o.term as usize / 64] |= 1 << (o.term % 64);
    }
    let mut out = vec![];
    for (w, bits) in seen.iter().enumerate() {
        let mut bits = *bits;
        while bits != 0 {
            let b = bits.trailing_zeros();
            out.push((w * 64) as TermId + b);
            bits &= bits - 1;
        }
    }
    out
}

/// The matcher for one set of terms.
pub struct TermMatcher {
    /// The names' trie, walked anchored at each word start.
    trie: Option<NFA>,
    /// Which word starts can begin a name (see [`Starts`]).
    starts: Starts,
    /// The trie's patterns, by pattern id.
    patterns: Vec<Pattern>,
}

/// One name the trie holds: a variant of a term's name, in lower case unless it is an
/// abbreviation's, which must be written exactly so.
struct Pattern {
    term: TermId,
    key: Box<str>,
    exact: bool,
}

impl std::fmt::Debug for TermMatcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TermMatcher({} patterns)", self.patterns.len())
    }
}

impl TermMatcher {
    /// Builds a matcher from `(term, names)`; earlier terms win when two claim the same name.
    pub fn new<'a>(terms: impl IntoIterator<Item = (TermId, &'a [String])>) -> TermMatcher {
        TermMatcher::without(terms, &[])
    }

    /// [`TermMatcher::new`] that leaves out `words` (a workspace's words that are not terms),
    /// in any case and with their plural, singular and possessive forms: "deadline" also
    /// leaves out "Deadlines", while longer names that contain it ("deadline propagation")
    /// still match.
    pub fn without<'a>(
        terms: impl IntoIterator<Item = (TermId, &'a [String])>,
        words: &[String],
    ) -> TermMatcher {
        let left_out: std::collections::HashSet<String> = words
            .iter()
            .flat_map(|w| variants(w, false))
            .map(|v| v.to_lowercase())
            .collect();
        let mut seen: HashMap<String, ()> = HashMap::new();
        let mut strings: Vec<String> = vec![];
        let mut patterns = vec![];
        for (id, names) in terms {
            for name in names {
                let abbrev = is_abbreviation(name);
                for variant in variants(name, abbrev) {
                    let key = if abbrev {
                        variant.clone()
                    } else {
                        variant.to_lowercase()
                    };
                    if key.is_empty()
                        || left_out.contains(&key.to_lowercase())
                        || seen.insert(key.clone(), ()).is_some()
                    {
                        continue;
                    }
                    patterns.push(Pattern {
                        term: id,
                        key: key.clone().into_boxed_str(),
                        exact: abbrev,
                    });
                    strings.push(key);
                }
            }
        }
        let mut starts = Starts::default();
        for key in &strings {
            starts.add(key.as_bytes());
        }
        // The trie is walked only from word starts (anchored): a contiguous NFA keeps it in a
        // few hundred kilobytes (a full DFA of a glossary's thousands of names takes
        // megabytes, and every step of a walk would miss the cache).
        let trie = (!strings.is_empty()).then(|| {
            NFA::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .ascii_case_insensitive(true)
                .prefilter(false)
                .build(&strings)
                .expect("term patterns are plain strings")
        });
        TermMatcher {
            trie,
            starts,
            patterns,
        }
    }

    /// Finds the terms in a document's prose (its segments in order) and appends them to `out`.
    ///
    /// Prose is read as the words a reader sees: the segments of one block joined (by nothing
    /// or by a space, see [`Join`]), every run of separators (spaces, hyphens, line breaks,
    /// tabs) read as one space. At each word start (a place not right after a word character)
    /// the trie is walked as far as the text follows a name, and the longest name found there
    /// that ends a word (and has an abbreviation's exact case) is taken; the search goes on
    /// after it, or at the next word start when there was none. The text is read in place: no
    /// copy of the prose is made.
    pub fn scan(&self, text: &str, prose: &[ProseSegment], out: &mut Vec<Occurrence>) {
        let Some(trie) = &self.trie else { return };
        let mut fed = Vec::new();
        let mut i = 0;
        while i < prose.len() {
            // One block: segments joined by anything but a barrier.
            let mut j = i + 1;
            while j < prose.len() && prose[j].join != Join::Barrier {
                j += 1;
            }
            let block = Block {
                text,
                segs: &prose[i..j],
            };
            self.scan_block(trie, &block, &mut fed, out);
            i = j;
        }
    }

    fn scan_block(&self, trie: &NFA, block: &Block, fed: &mut Vec<u8>, out: &mut Vec<Occurrence>) {
        let bytes = block.text.as_bytes();
        let (mut s, mut p) = (0, block.segs[0].range.start);
        // Whether the character before `p` (as read) is a word character.
        let mut after_word = false;
        // Whether the rest of segment `s` from the place it was entered is ASCII.
        let mut ascii = None;
        loop {
            let end = block.segs[s].range.end;
            if p >= end {
                s += 1;
                let Some(next) = block.segs.get(s) else { break };
                p = next.range.start;
                ascii = None;
                if next.join == Join::Space {
                    after_word = false;
                }
                continue;
            }
            let ascii_rest = *ascii.get_or_insert_with(|| bytes[p..end].is_ascii());
            if ascii_rest && self.starts.word_led {
                // Every name starts with a word byte: only the word starts are tried, found
                // eight bytes at a time.
                let found = self.scan_ascii(trie, block, s, p, after_word, fed);
                match found {
                    Ok(((term, end_seg, e), at)) => {
                        out.push(Occurrence::new(term, TextRange::new(at, e)));
                        (s, p) = (end_seg, e);
                        ascii = None;
                        after_word = bytes[e - 1].is_ascii_alphanumeric() || bytes[e - 1] == b'_';
                    }
                    Err(last_is_word) => (p, after_word) = (end, last_is_word),
                }
                continue;
            }
            let c = bytes[p];
            if after_word && (c.is_ascii_alphanumeric() || c == b'_') {
                p += 1;
                continue;
            }
            if !after_word && self.starts.may_start(block, s, p) {
                if let Some((term, end_seg, e)) = self.walk(trie, block, s, p, fed) {
                    out.push(Occurrence::new(term, TextRange::new(p, e)));
                    (s, p) = (end_seg, e);
                    ascii = None;
                    after_word = block.text[..e]
                        .chars()
                        .next_back()
                        .is_some_and(is_word_char);
                    continue;
                }
            }
            if c.is_ascii() {
                after_word = c.is_ascii_alphanumeric() || c == b'_';
                p += 1;
            } else {
                let ch = block.text[p..end].chars().next().unwrap_or(' ');
                after_word = is_word_char(ch);
                p += ch.len_utf8();
            }
        }
    }

    /// The first name found from `p` to the end of ASCII segment `s`, with where it starts;
    /// else whether the segment's last byte is a word byte.
    #[allow(clippy::type_complexity)]
    fn scan_ascii(
        &self,
        trie: &NFA,
        block: &Block,
        s: usize,
        mut p: usize,
        mut after_word: bool,
        fed: &mut Vec<u8>,
    ) -> Result<((TermId, usize, usize), usize), bool> {
        let bytes = block.text.as_bytes();
        let end = block.segs[s].range.end;
        while p < end {
            let n = (end - p).min(64);
            let words = word_bytes(&bytes[p..p + n]);
            let mut starts = words & !((words << 1) | after_word as u64);
            while starts != 0 {
                let at = p + starts.trailing_zeros() as usize;
                starts &= starts - 1;
                if self.starts.may_start(block, s, at) {
                    if let Some(found) = self.walk(trie, block, s, at, fed) {
                        return Ok((found, at));
                    }
                }
            }
            after_word = words >> (n - 1) & 1 == 1;
            p += n;
        }
        Err(after_word)
    }

    /// Walks the trie from the word start `p` (in segment `s`): the longest name read there
    /// that ends a word, with the segment and the source offset where it ends.
    fn walk(
        &self,
        trie: &NFA,
        block: &Block,
        mut s: usize,
        p: usize,
        fed: &mut Vec<u8>,
    ) -> Option<(TermId, usize, usize)> {
        let bytes = block.text.as_bytes();
        let Ok(mut sid) = trie.start_state(Anchored::Yes) else {
            return None;
        };
        fed.clear();
        let mut best = None;
        let mut k = p;
        let mut end = block.segs[s].range.end;
        loop {
            let byte = if k < end {
                let c = bytes[k];
                k += 1;
                if is_separator(c) {
                    if fed.last() == Some(&b' ') {
                        continue;
                    }
                    b' '
                } else {
                    c
                }
            } else {
                s += 1;
                let Some(next) = block.segs.get(s) else { break };
                (k, end) = (next.range.start, next.range.end);
                if next.join == Join::Space && fed.last() != Some(&b' ') {
                    b' '
                } else {
                    continue;
                }
            };
            fed.push(byte);
            sid = trie.next_state(Anchored::Yes, sid, byte);
            if !trie.is_special(sid) {
                continue;
            }
            if trie.is_dead(sid) {
                break;
            }
            if trie.is_match(sid) && byte != b' ' && !block.word_after(s, k) {
                if let Some(term) = self.name_at(trie, sid, fed) {
                    best = Some((term, s, k));
                }
            }
        }
        best
    }

    /// The term of a name the walk reached in `sid` that is exactly `found` (a match state also
    /// holds shorter names ending there, and a name written in two cases is two patterns).
    fn name_at(&self, trie: &NFA, sid: StateID, found: &[u8]) -> Option<TermId> {
        (0..trie.match_len(sid))
            .map(|i| trie.match_pattern(sid, i).as_usize())
            .filter(|&pid| {
                let p = &self.patterns[pid];
                p.key.len() == found.len() && (!p.exact || found == p.key.as_bytes())
            })
            .min()
            .map(|pid| self.patterns[pid].term)
    }
}

/// One block of prose: segments joined by anything but a barrier.
struct Block<'a> {
    text: &'a str,
    segs: &'a [ProseSegment],
}

impl Block<'_> {
    /// Whether a word character follows source offset `k` of segment `s`, as read (the next
    /// segment follows directly when joined by nothing).
    fn word_after(&self, mut s: usize, k: usize) -> bool {
        let range = self.segs[s].range;
        if k < range.end {
            return self.text[k..range.end]
                .chars()
                .next()
                .is_some_and(is_word_char);
        }
        while let Some(next) = self.segs.get(s + 1) {
            if next.join != Join::Adjacent {
                return false;
            }
            if let Some(c) = self.text[next.range.start..next.range.end].chars().next() {
                return is_word_char(c);
            }
            s += 1;
        }
        false
    }
}

/// For up to 64 ASCII bytes, a mask with bit `i` set when byte `i` is a word byte (a letter, a
/// digit or `_`), worked out eight bytes at a time.
fn word_bytes(chunk: &[u8]) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    // Bit 7 of each byte of the result is set when that byte is in `lo..=hi` (bytes below
    // 0x80, so no sum carries into the next byte).
    let within = |v: u64, lo: u8, hi: u8| {
        let at_least = v.wrapping_add(ONES * u64::from(0x80 - lo));
        let above = v.wrapping_add(ONES * u64::from(0x7F - hi));
        at_least & !above
    };
    let mut mask = 0;
    for (i, eight) in chunk.chunks(8).enumerate() {
        let mut word = [0u8; 8];
        word[..eight.len()].copy_from_slice(eight);
        let x = u64::from_le_bytes(word);
        let flags =
            (within(x | (ONES * 0x20), b'a', b'z') | within(x, b'0', b'9') | within(x, b'_', b'_'))
                & (ONES * 0x80);
        // Gathers bit 7 of byte k into bit 56 + k.
        let bits = (flags >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56;
        mask |= bits << (8 * i);
    }
    mask
}

/// Which word starts can begin a name, by their first bytes as read (separators as a space,
/// ASCII letters in lower case): a name of one or two bytes by those bytes, a longer one by a
/// hash of its first three (8 KB each), so a word start that begins no name is passed over
/// without walking the trie.
struct Starts {
    one: [bool; 256],
    two: Box<[u64]>,
    three: Box<[u64]>,
    four: Box<[u64]>,
    /// Every name starts with a word byte or a non-ASCII one (none with `.` or `#`).
    word_led: bool,
}

impl Default for Starts {
    fn default() -> Starts {
        Starts {
            one: [false; 256],
            two: vec![0; 1 << 10].into_boxed_slice(),
            three: vec![0; 1 << 10].into_boxed_slice(),
            four: vec![0; 1 << 10].into_boxed_slice(),
            word_led: true,
        }
    }
}

fn set_bit(bits: &mut [u64], i: usize) {
    bits[i / 64] |= 1 << (i % 64);
}

fn bit(bits: &[u64], i: usize) -> bool {
    bits[i / 64] & (1 << (i % 64)) != 0
}

fn pair(a: u8, b: u8) -> usize {
    (a as usize) << 8 | b as usize
}

/// A 16-bit hash of three or four bytes.
fn hashed(key: u32) -> usize {
    (key.wrapping_mul(0x9E37_79B1) >> 16) as usize
}

/// A byte as the filter reads it: separators as a space, ASCII letters in lower case.
fn folded(b: u8) -> u8 {
    if is_separator(b) {
        b' '
    } else {
        b.to_ascii_lowercase()
    }
}

impl Starts {
    fn add(&mut self, name: &[u8]) {
        let f: Vec<u8> = name.iter().map(|&b| folded(b)).collect();
        if let Some(&first) = f.first() {
            self.word_led &= !first.is_ascii() || first.is_ascii_alphanumeric() || first == b'_';
        }
        match f[..] {
            [a] => self.one[a as usize] = true,
            [a, b] => set_bit(&mut self.two, pair(a, b)),
            [a, b, c] => set_bit(&mut self.three, hashed(u32::from_le_bytes([a, b, c, 0]))),
            [a, b, c, d, ..] => set_bit(&mut self.four, hashed(u32::from_le_bytes([a, b, c, d]))),
            [] => {}
        }
    }

    /// Whether a name may start at source offset `p` of segment `s`. Near a segment's end, or
    /// where a run of separators is read as one space, it says yes and the walk decides.
    fn may_start(&self, block: &Block, s: usize, p: usize) -> bool {
        let bytes = block.text.as_bytes();
        if p + 4 > block.segs[s].range.end {
            return true;
        }
        let [a, b, c, d] = [0, 1, 2, 3].map(|i| folded(bytes[p + i]));
        if (b == b' ' || d == b' ') && c == b' ' {
            return true;
        }
        self.one[a as usize]
            || bit(&self.two, pair(a, b))
            || bit(&self.three, hashed(u32::from_le_bytes([a, b, c, 0])))
            || bit(&self.four, hashed(u32::from_le_bytes([a, b, c, d])))
    }
}

/// Bytes read as a space between words: spaces, tabs, line breaks and hyphens.
fn is_separator(b: u8) -> bool {
    matches!(b, b' ' | b'-' | b'\n' | b'\r' | b'\t')
}

/// The names a term matches: the name itself, its plural or singular, and possessives.
/// Only the last word is inflected ("circuit breakers", "network partition's").
pub fn variants(name: &str, abbrev: bool) -> Vec<String> {
    let base: String = name
        .split([' ', '-', '\t', '\n'])
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    if base.is_empty() {
        return vec![];
    }
    let (head, last) = match base.rfind(' ') {
        Some(i) => (&base[..=i], &base[i + 1..]),
        None => ("", base.as_str()),
    };
    let mut forms = vec![last.to_string()];
    if abbrev {
        forms.push(format!("{last}s"));
    } else if last.chars().any(char::is_alphabetic) {
        forms.push(plural(last));
        if let Some(s) = singular(last) {
            forms.push(s);
        }
    }
    let mut out = vec![];
    for f in forms {
        for suffix in ["", "'s", "’s"] {
            let v = format!("{head}{f}{suffix}");
            if !out.contains(&v) {
                out.push(v);
            }
        }
    }
    out
}

/// English plural of one word, by the common rules.
pub fn plural(word: &str) -> String {
    let lower = word.to_lowercase();
    if lower.ends_with('s')
        || lower.ends_with('x')
        || lower.ends_with('z')
        || lower.ends_with("ch")
        || lower.ends_with("sh")
    {
        format!("{word}es")
    } else if lower.ends_with('y')
        && !lower.ends_with("ay")
        && !lower.ends_with("ey")
        && !lower.ends_with("oy")
        && !lower.ends_with("uy")
    {
        format!("{}ies", &word[..word.len() - 1])
    } else {
        format!("{word}s")
    }
}

/// English singular of a plural word, or `None` when it does not look plural.
pub fn singular(word: &str) -> Option<String> {
    let lower = word.to_lowercase();
    if lower.len() <= 3 || lower.ends_with("ss") || lower.ends_with("us") || lower.ends_with("is") {
        return None;
    }
    if let Some(stem) = lower.strip_suffix("ies") {
        return Some(format!("{}y", &word[..stem.len()]));
    }
    for suffix in ["sses", "shes", "ches", "xes", "zes"] {
        if lower.ends_with(suffix) && !lower.ends_with("aches") {
            return Some(word[..word.len() - 2].to_string());
        }
    }
    lower
        .ends_with('s')
        .then(|| word[..word.len() - 1].to_string())
}

fn is_word_char(c: char) -> bool {
    // CJK text has no spaces between words: an English term right beside it is still a word.
    (c.is_alphanumeric()
        && !('\u{2E80}'..='\u{D7FF}').contains(&c)
        && !('\u{F900}'..='\u{FAFF}').contains(&c))
        || c == '_'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inflections() {
        assert_eq!(plural("partition"), "partitions");
        assert_eq!(plural("proxy"), "proxies");
        assert_eq!(plural("cache"), "caches");
        assert_eq!(plural("switch"), "switches");
        assert_eq!(singular("Circuit"), None);
        assert_eq!(singular("Breakers").as_deref(), Some("Breaker"));
        assert_eq!(singular("proxies").as_deref(), Some("proxy"));
        assert_eq!(singular("caches").as_deref(), Some("cache"));
        assert_eq!(singular("status"), None);
        assert!(is_abbreviation("API") && is_abbreviation("mTLS") && is_abbreviation("2PC"));
        assert!(
            !is_abbreviation("Raft")
                && !is_abbreviation("Load Balancer")
                && !is_abbreviation("WebSocket")
        );
    }
}

#[cfg(test)]
mod scan_properties {
    use super::*;
    use proptest::prelude::*;

    /// The plain reading [`TermMatcher::scan`] must agree with: each block folded into a buffer
    /// (every byte with its source offset), then every name tried at every word start.
    fn scan_slowly(m: &TermMatcher, text: &str, prose: &[ProseSegment]) -> Vec<Occurrence> {
        let mut out = vec![];
        let mut i = 0;
        while i < prose.len() {
            let mut j = i + 1;
            while j < prose.len() && prose[j].join != Join::Barrier {
                j += 1;
            }
            let (mut buf, mut src) = (Vec::<u8>::new(), Vec::<usize>::new());
            for seg in &prose[i..j] {
                if seg.join == Join::Space && buf.last() != Some(&b' ') {
                    buf.push(b' ');
                    src.push(usize::MAX);
                }
                for k in seg.range.start..seg.range.end {
                    let b = text.as_bytes()[k];
                    let b = if is_separator(b) { b' ' } else { b };
                    if b == b' ' && buf.last() == Some(&b' ') {
                        continue;
                    }
                    buf.push(b);
                    src.push(k);
                }
            }
            let char_at = |at: usize| {
                let end = (at + 4).min(buf.len());
                (at..=end)
                    .rev()
                    .find_map(|e| std::str::from_utf8(&buf[at..e]).ok())
                    .and_then(|s| s.chars().next())
            };
            let mut at = 0;
            while at < buf.len() {
                let before = (0..at).rev().find(|&k| buf[k] & 0xC0 != 0x80);
                let starts = buf[at] & 0xC0 != 0x80
                    && before.is_none_or(|k| !char_at(k).is_some_and(is_word_char));
                // The longest name that fits; of two as long, the first.
                let fits = |p: &&Pattern| {
                    let key = p.key.as_bytes();
                    let Some(found) = buf.get(at..at + key.len()) else {
                        return false;
                    };
                    let same = if p.exact {
                        found == key
                    } else {
                        found.eq_ignore_ascii_case(key)
                    };
                    starts && same && !char_at(at + key.len()).is_some_and(is_word_char)
                };
                let best = m.patterns.iter().filter(fits).fold(
                    None,
                    |best: Option<&Pattern>, p| match best {
                        Some(b) if b.key.len() >= p.key.len() => Some(b),
                        _ => Some(p),
                    },
                );
                match best {
                    Some(p) => {
                        let end = at + p.key.len();
                        let range = TextRange::new(src[at], src[end - 1] + 1);
                        out.push(Occurrence::new(p.term, range));
                        at = end;
                    }
                    None => at += 1,
                }
            }
            i = j;
        }
        out
    }

    fn names() -> Vec<(TermId, Vec<String>)> {
        let terms: &[&[&str]] = &[
            &["Cache"],
            &["Cache line"],
            &["API"],
            &["Circuit breaker", "breaker"],
            &["Read-through cache"],
            &["é-mail"],
            &["分区"],
            &["C"],
            &["Go"],
            &["X-Ray"],
            &["api gateway"],
        ];
        terms
            .iter()
            .enumerate()
            .map(|(i, n)| (i as TermId, n.iter().map(|s| s.to_string()).collect()))
            .collect()
    }

    #[test]
    fn a_shorter_name_is_found_where_the_longer_one_runs_into_a_word() {
        let names = names();
        let m = TermMatcher::new(names.iter().map(|(t, n)| (*t, n.as_slice())));
        let text = "a cache linear probe, a cache line";
        let prose = [ProseSegment {
            range: TextRange::new(0, text.len()),
            join: Join::Barrier,
        }];
        let mut found = vec![];
        m.scan(text, &prose, &mut found);
        let found: Vec<&str> = found
            .iter()
            .map(|o| &text[o.range().start..o.range().end])
            .collect();
        assert_eq!(found, ["cache", "cache line"]);
    }

    proptest! {
        // Many cases: the corners (a name right before a run of separators, at a segment's
        // end) are each a few pieces' luck.
        #![proptest_config(ProptestConfig::with_cases(3000))]
        #[test]
        fn scanning_in_place_finds_what_trying_every_name_finds(
            pieces in prop::collection::vec((
                prop::collection::vec(prop::sample::select(vec![
                    "cache", "Cache", "CACHE", "line", "lines", " ", "  ", "-", "\n", "\r\n", "\t",
                    "API", "Api", "api", "s", "'s", "’s", "breaker", "circuit", "read", "through",
                    "é", "mail", "分区", "x", "ray", "_", ",", "go", "c", "gateway", ".", "net", "9",
                ]), 0..6),
                prop::sample::select(vec!["", "**", "`x`", "["]),
                0u8..3,
            ), 1..12),
        ) {
            let (mut text, mut prose) = (String::new(), vec![]);
            for (i, (words, gap, join)) in pieces.iter().enumerate() {
                text.push_str(gap);
                let start = text.len();
                text.push_str(&words.concat());
                let join = match (i, join) {
                    (0, _) | (_, 0) => Join::Barrier,
                    (_, 1) => Join::Space,
                    _ => Join::Adjacent,
                };
                prose.push(ProseSegment { range: TextRange::new(start, text.len()), join });
            }
            // With names that all start with a word byte (word starts found eight bytes at a
            // time in ASCII prose), and with one that does not (every place tried).
            let mut names = names();
            for dotted in [false, true] {
                if dotted {
                    names.push((names.len() as TermId, vec![".NET".to_string()]));
                }
                let m = TermMatcher::new(names.iter().map(|(t, n)| (*t, n.as_slice())));
                prop_assert_eq!(m.starts.word_led, !dotted);
                let mut fast = vec![];
                m.scan(&text, &prose, &mut fast);
                prop_assert_eq!(fast, scan_slowly(&m, &text, &prose), "in {:?}", text);
            }
        }

        #[test]
        fn word_bytes_eight_at_a_time_are_word_bytes_one_at_a_time(
            chunk in prop::collection::vec(0u8..0x80, 0..=64),
        ) {
            let plain = chunk.iter().enumerate().fold(0u64, |m, (i, &b)| {
                m | u64::from(b.is_ascii_alphanumeric() || b == b'_') << i
            });
            prop_assert_eq!(word_bytes(&chunk), plain);
        }
    }
}
