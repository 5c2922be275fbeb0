//! Finding every glossary term in prose at once: one Aho-Corasick automaton over all the names'
//! forms (plural, singular), walked from each word start of a prose block (line breaks and
//! hyphens read as spaces), keeping the longest whole-word name found there, with a possessive
//! that follows it.

use aho_corasick::nfa::contiguous::NFA;
use aho_corasick::MatchKind;
use std::collections::HashMap;

use crate::text::{Span, TextRange};

mod scan;
mod starts;

use starts::Starts;

/// Index of a term in [`crate::Primer::terms`].
pub type TermId = u32;

/// A term found in a document: 12 bytes (a workspace keeps hundreds of thousands).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Occurrence {
    pub term: TermId,
    span: Span,
}

impl Occurrence {
    pub fn new(term: TermId, range: TextRange) -> Occurrence {
        Occurrence {
            term,
            span: Span::new(range),
        }
    }

    pub fn range(&self) -> TextRange {
        self.span.get()
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
            .flat_map(|w| forms(w, false))
            .map(|v| v.to_lowercase())
            .collect();
        let mut seen: HashMap<String, ()> = HashMap::new();
        let mut strings: Vec<String> = vec![];
        let mut patterns = vec![];
        for (id, names) in terms {
            for name in names {
                let abbrev = is_abbreviation(name);
                for variant in forms(name, abbrev) {
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
        // megabytes, and every step of a walk would miss the cache). It holds the names in
        // ASCII lower case and is walked with lower-cased bytes, rather than built to ignore
        // case (which gives every letter two transitions: a larger trie, slower to build and
        // to walk); the abbreviations' case is checked against the text read.
        let trie = (!strings.is_empty()).then(|| {
            NFA::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .prefilter(false)
                .build(strings.iter().map(|k| k.to_ascii_lowercase()))
                .expect("term patterns are plain strings")
        });
        if let Some(trie) = &trie {
            starts.walk_words(trie, strings.iter().map(String::as_str));
        }
        TermMatcher {
            trie,
            starts,
            patterns,
        }
    }
}

/// Bytes read as a space between words: spaces, tabs, line breaks and hyphens.
fn is_separator(b: u8) -> bool {
    matches!(b, b' ' | b'-' | b'\n' | b'\r' | b'\t')
}

/// The names a term matches, as the matcher's trie holds them: the name itself and its plural
/// or singular; only the last word is inflected ("circuit breakers"). A possessive after one
/// ("network partition's") is read by the scan itself, so the trie need not hold it.
pub fn forms(name: &str, abbrev: bool) -> Vec<String> {
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
    let mut out: Vec<String> = vec![];
    for f in forms {
        let v = format!("{head}{f}");
        if !out.contains(&v) {
            out.push(v);
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

/// An ASCII byte that is part of a word: a letter, a digit or `_` (as [`is_word_char`] reads
/// an ASCII character).
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return is_word_byte(c as u8);
    }
    // The punctuation, emoji and emoji modifiers notes are full of are no word characters,
    // told without searching the Unicode tables (a test holds this to the rule below).
    if matches!(c, '\u{2000}'..='\u{206F}' | '\u{FE00}'..='\u{FE0F}' | '\u{1F300}'..='\u{1FAFF}') {
        return false;
    }
    is_word_char_by_tables(c)
}

/// What a word character is: a letter or a digit, but not one of CJK text (which has no spaces
/// between words: an English term right beside it is still a word), or `_`.
fn is_word_char_by_tables(c: char) -> bool {
    (c.is_alphanumeric()
        && !('\u{2E80}'..='\u{D7FF}').contains(&c)
        && !('\u{F900}'..='\u{FAFF}').contains(&c))
        || c == '_'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_characters_told_without_the_tables_are_those_the_tables_tell() {
        let differ: Vec<char> = (0..=char::MAX as u32)
            .filter_map(char::from_u32)
            .filter(|&c| is_word_char(c) != is_word_char_by_tables(c))
            .collect();
        assert_eq!(differ, vec![]);
    }

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
