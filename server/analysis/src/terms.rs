//! Finding every glossary term in prose at once: one Aho-Corasick automaton over all the names'
//! variants (plural, singular, possessive), run over each prose block with line breaks and
//! hyphens read as spaces, keeping whole words and the longest match.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Input, MatchKind};
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
    ac: Option<AhoCorasick>,
    /// For each pattern: its term, and for abbreviations the exact text it must have.
    patterns: Vec<(TermId, Option<Box<str>>)>,
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
                    patterns.push((id, abbrev.then(|| variant.clone().into_boxed_str())));
                    strings.push(key);
                }
            }
        }
        let ac = (!strings.is_empty()).then(|| {
            // A full DFA: a few hundred kilobytes for a glossary, and the fastest scan.
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .ascii_case_insensitive(true)
                .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                .build(&strings)
                .expect("term patterns are plain strings")
        });
        TermMatcher { ac, patterns }
    }

    /// Finds the terms in a document's prose (its segments in order) and appends them to `out`.
    pub fn scan(&self, text: &str, prose: &[ProseSegment], out: &mut Vec<Occurrence>) {
        let Some(ac) = &self.ac else { return };
        let mut buf = Vec::new();
        let mut map: Vec<(usize, usize)> = Vec::new();
        let mut i = 0;
        while i < prose.len() {
            // One block: segments joined by anything but a barrier.
            let mut j = i + 1;
            while j < prose.len() && prose[j].join != Join::Barrier {
                j += 1;
            }
            buf.clear();
            map.clear();
            for seg in &prose[i..j] {
                if seg.join == Join::Space && buf.last() != Some(&b' ') {
                    buf.push(b' ');
                }
                fold_segment(text, seg.range, &mut buf, &mut map);
            }
            self.scan_buffer(ac, &buf, &map, out);
            i = j;
        }
    }

    fn scan_buffer(
        &self,
        ac: &AhoCorasick,
        buf: &[u8],
        map: &[(usize, usize)],
        out: &mut Vec<Occurrence>,
    ) {
        let to_src = |pos: usize| {
            let k = map.partition_point(|&(b, _)| b <= pos) - 1;
            map[k].1 + (pos - map[k].0)
        };
        let mut at = 0;
        while at < buf.len() {
            let Some(m) = ac.find(Input::new(buf).span(at..buf.len())) else {
                break;
            };
            let (term, exact) = &self.patterns[m.pattern().as_usize()];
            let whole_word = !is_word_before(buf, m.start()) && !is_word_after(buf, m.end());
            let case_ok = exact
                .as_deref()
                .is_none_or(|e| &buf[m.start()..m.end()] == e.as_bytes());
            if whole_word && case_ok {
                let range = TextRange::new(to_src(m.start()), to_src(m.end() - 1) + 1);
                out.push(Occurrence::new(*term, range));
                at = m.end();
            } else {
                at = m.start() + 1;
            }
        }
    }
}

/// Appends the bytes of `range` to `buf` with each run of separators read as one space (none
/// right after a space), and records in `map` where copying skipped source bytes: `(buffer
/// offset, source offset)` pairs from which every buffer position maps back to the text.
fn fold_segment(text: &str, range: TextRange, buf: &mut Vec<u8>, map: &mut Vec<(usize, usize)>) {
    let bytes = &text.as_bytes()[range.start..range.end];
    // Runs of other bytes are copied whole; each run of separators becomes one space
    // (none after a space). `map` gets an entry wherever the copy skips source bytes.
    let mut fresh = true;
    let mut k = 0;
    while k < bytes.len() {
        let run = k;
        while k < bytes.len() && !is_separator(bytes[k]) {
            k += 1;
        }
        if k > run {
            if fresh {
                map.push((buf.len(), range.start + run));
                fresh = false;
            }
            buf.extend_from_slice(&bytes[run..k]);
        }
        if k < bytes.len() {
            if buf.last() == Some(&b' ') {
                fresh = true;
            } else {
                if fresh {
                    map.push((buf.len(), range.start + k));
                    fresh = false;
                }
                buf.push(b' ');
            }
            k += 1;
            while k < bytes.len() && is_separator(bytes[k]) {
                fresh = true;
                k += 1;
            }
        }
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

fn is_word_before(buf: &[u8], at: usize) -> bool {
    if at == 0 {
        return false;
    }
    let mut k = at - 1;
    while k > 0 && at - k < 4 && buf[k] & 0xC0 == 0x80 {
        k -= 1;
    }
    std::str::from_utf8(&buf[k..at])
        .ok()
        .and_then(|s| s.chars().next())
        .is_some_and(is_word_char)
}

fn is_word_after(buf: &[u8], at: usize) -> bool {
    let after = &buf[at..buf.len().min(at + 4)];
    let s = match std::str::from_utf8(after) {
        Ok(s) => s,
        Err(e) => std::str::from_utf8(&after[..e.valid_up_to()]).unwrap_or(""),
    };
    s.chars().next().is_some_and(is_word_char)
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
mod fold_properties {
    use super::*;
    use proptest::prelude::*;

    /// The plain byte-by-byte folding `fold_segment` must agree with.
    fn fold_slowly(text: &str, range: TextRange, buf: &mut Vec<u8>, map: &mut Vec<(usize, usize)>) {
        let mut fresh = true;
        for (k, &byte) in text.as_bytes()[range.start..range.end].iter().enumerate() {
            let b = if is_separator(byte) { b' ' } else { byte };
            if b == b' ' && buf.last() == Some(&b' ') {
                fresh = true;
                continue;
            }
            if fresh {
                map.push((buf.len(), range.start + k));
                fresh = false;
            }
            buf.push(b);
        }
    }

    proptest! {
        #[test]
        fn folding_runs_equals_folding_bytes(
            pieces in prop::collection::vec(prop::sample::select(vec!["a", "bc", " ", "-", "\n", "\r\n", "\t", "é", "分", "  "]), 0..40),
            lead in prop::sample::select(vec!["", " ", "x"]),
            cut in 0usize..4,
        ) {
            let text = pieces.concat();
            let mut start = cut.min(text.len());
            while !text.is_char_boundary(start) {
                start -= 1;
            }
            let range = TextRange::new(start, text.len());
            let (mut a, mut am) = (lead.as_bytes().to_vec(), vec![]);
            let (mut b, mut bm) = (a.clone(), vec![]);
            fold_segment(&text, range, &mut a, &mut am);
            fold_slowly(&text, range, &mut b, &mut bm);
            prop_assert_eq!(a, b);
            prop_assert_eq!(am, bm);
        }
    }
}
