//! Reading prose for the names of a [`TermMatcher`]: word starts found in place (64 bytes at a
//! time in ASCII, see [`crate::bytes`]), filtered by their whole first word (by their first
//! bytes where the word may run on), and the names' trie walked from each. A first word of at
//! most sixteen bytes is looked up whole: the walk starts from the trie's state after it; a later
//! word of at most sixteen bytes after one separator is looked up whole too, from the state
//! before the separator.

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::nfa::contiguous::NFA;
use aho_corasick::Anchored;

use super::starts::{bit, first_word_key, folded, word_bits, word_key};
use super::{is_separator, is_word_byte, is_word_char, Occurrence, Pattern, TermId, TermMatcher};
use crate::markdown::{Join, ProseSegment};
use crate::text::TextRange;

impl TermMatcher {
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
        let mut written = Vec::new();
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
            self.scan_block(trie, &block, &mut written, out);
            i = j;
        }
    }

    fn scan_block(
        &self,
        trie: &NFA,
        block: &Block,
        written: &mut Vec<u8>,
        out: &mut Vec<Occurrence>,
    ) {
        let bytes = block.text.as_bytes();
        let (mut s, mut p) = (0, block.segs[0].range.start);
        // Whether the character before `p` (as read) is a word character.
        let mut after_word = false;
        loop {
            let end = block.segs[s].range.end;
            if p >= end {
                s += 1;
                let Some(next) = block.segs.get(s) else { break };
                p = next.range.start;
                if next.join == Join::Space {
                    after_word = false;
                }
                continue;
            }
            if self.starts.word_led && bytes[p].is_ascii() {
                // Every name starts with a word byte: only the word starts are tried, found
                // 64 bytes at a time in the ASCII bytes from `p`.
                let found =
                    self.scan_ascii(trie, block, s, TextRange::new(p, end), after_word, written);
                match found {
                    Ok(((term, end_seg, e), at)) => {
                        out.push(Occurrence::new(term, TextRange::new(at, e)));
                        (s, p) = (end_seg, e);
                        // (The name may end in a later segment, past ASCII.)
                        after_word = block.char_before(e).is_some_and(is_word_char);
                    }
                    Err(read) => (p, after_word) = read,
                }
                continue;
            }
            let c = bytes[p];
            if after_word && is_word_byte(c) {
                p += 1;
                continue;
            }
            if !after_word
                && self
                    .starts
                    .may_start(block.text.as_bytes(), block.segs[s].range.end, p)
            {
                if let Some((term, end_seg, e)) = self.walk(trie, block, s, p, written) {
                    out.push(Occurrence::new(term, TextRange::new(p, e)));
                    (s, p) = (end_seg, e);
                    after_word = block.char_before(e).is_some_and(is_word_char);
                    continue;
                }
            }
            if c.is_ascii() {
                after_word = is_word_byte(c);
                p += 1;
            } else {
                // (A place inside a character, which a segment never starts at, reads as one
                // byte that is no word.)
                let ch = block.char_at(p, end);
                after_word = ch.is_some_and(is_word_char);
                p += ch.map_or(1, char::len_utf8);
            }
        }
    }

    /// The first name that starts in the ASCII bytes of `range` (of segment `s`) from its
    /// start, with where it starts; else where those ASCII bytes end and whether the last of
    /// them is a word byte.
    #[allow(clippy::type_complexity)]
    fn scan_ascii(
        &self,
        trie: &NFA,
        block: &Block,
        s: usize,
        range: TextRange,
        mut after_word: bool,
        written: &mut Vec<u8>,
    ) -> Result<((TermId, usize, usize), usize), (usize, bool)> {
        let bytes = block.text.as_bytes();
        let (mut p, end) = (range.start, range.end);
        let mut pad = [0; 64];
        // A word that reaches the segment's end ends there unless the next segment follows
        // with nothing between (`*cache*d` reads as one word).
        let goes_on = block
            .segs
            .get(s + 1)
            .is_some_and(|next| next.join == Join::Adjacent);
        while p < end {
            let (words, n) = ascii_word_bytes(bytes, p, (end - p).min(64), &mut pad);
            if n == 0 {
                break;
            }
            let mut starts = words & !((words << 1) | after_word as u64);
            while starts != 0 {
                let i = starts.trailing_zeros() as usize;
                let at = p + i;
                starts &= starts - 1;
                // The word's ASCII letters and digits: when an ASCII byte that is no word byte
                // ends them in this chunk, or the segment's end does, a name can start here
                // only if its own first word is the same; else (the word runs on past the
                // chunk) its first bytes decide.
                let run = (!(words >> i)).trailing_zeros() as usize;
                let ends = i + run < n || (p + n == end && !goes_on);
                let found = if !ends {
                    self.starts
                        .may_start(bytes, block.segs[s].range.end, at)
                        .then(|| self.walk(trie, block, s, at, written))
                        .flatten()
                } else {
                    let word = word_bits(bytes, at, run);
                    if !bit(&self.starts.first_words, word_key(word, run)) {
                        continue;
                    }
                    // The word is read at once: the walk goes on from the trie's state after
                    // it (a word no name begins with begins none).
                    if run <= 16 {
                        let key = first_word_key(bytes, at, run, word);
                        match self.starts.after_first_word.get(&key) {
                            Some(&sid) => self.walk_from(trie, block, s, at, (run, sid), written),
                            None => continue,
                        }
                    } else {
                        self.walk(trie, block, s, at, written)
                    }
                };
                if let Some(found) = found {
                    return Ok((found, at));
                }
            }
            after_word = words >> (n - 1) & 1 == 1;
            p += n;
            if n < 64 && p < end {
                break; // A byte outside ASCII.
            }
        }
        Err((p, after_word))
    }

    /// Walks the trie from the word start `p` (in segment `s`): the longest name read there
    /// that ends a word, with the segment and the source offset where it ends. `written` is a
    /// buffer for the bytes read as written, which only an abbreviation's case needs.
    fn walk(
        &self,
        trie: &NFA,
        block: &Block,
        s: usize,
        p: usize,
        written: &mut Vec<u8>,
    ) -> Option<(TermId, usize, usize)> {
        let sid = trie.start_state(Anchored::Yes).ok()?;
        self.walk_from(trie, block, s, p, (0, sid), written)
    }

    /// [`TermMatcher::walk`] with the first `read` bytes from `p` (in segment `s`, no
    /// separator among them) already walked, to the trie's state `sid`.
    fn walk_from(
        &self,
        trie: &NFA,
        block: &Block,
        s: usize,
        p: usize,
        (read, mut sid): (usize, StateID),
        written: &mut Vec<u8>,
    ) -> Option<(TermId, usize, usize)> {
        let mut best = None;
        let mut read = Reader::new(block, s, p).skip(block, read);
        loop {
            if read.fed > 0
                && trie.is_match(sid)
                && read.last != b' '
                && !block.word_after(read.s, read.k)
            {
                if let Some(found) = self.name_at(trie, sid, read.fed, || {
                    // The bytes read so far, as written, read again (only an abbreviation's
                    // name needs them).
                    written.clear();
                    let mut again = Reader::new(block, s, p);
                    written.extend(std::iter::from_fn(|| again.next(block)).take(read.fed));
                    &written[..]
                }) {
                    best = Some((found, read.s, read.k));
                }
            }
            // One separator and a whole word after it, in this segment: read at once, by the
            // trie's state after them (a word no name goes on with there ends the walk: no
            // name can end inside it, nor after it).
            if is_word_byte(read.last) {
                if let Some((key, after)) = next_word(block.text.as_bytes(), read.k, read.end) {
                    match self.starts.after_next_word.get(&(sid.as_u32(), key)) {
                        Some(&next) => {
                            read.fed += after - read.k;
                            (read.k, read.last) = (after, block.text.as_bytes()[after - 1]);
                            sid = next;
                            continue;
                        }
                        None => break,
                    }
                }
            }
            let Some(byte) = read.next(block) else { break };
            // The trie holds the names in lower case (ASCII): it is walked with the bytes as
            // `folded` reads them; an abbreviation's case is checked on the bytes as written.
            sid = trie.next_state(Anchored::Yes, sid, folded(byte));
            if trie.is_special(sid) && trie.is_dead(sid) {
                break;
            }
        }
        // A possessive after the name belongs to it ("the cache's size").
        best.map(|(p, s, k)| {
            let (s, k) = block.possessive_after(s, k, p.exact).unwrap_or((s, k));
            (p.term, s, k)
        })
    }

    /// The pattern of a name the walk reached in `sid` after reading `len` bytes, which
    /// `found` gives as written, that is exactly those bytes (a match state also holds shorter
    /// names ending there, and a name written in two cases is two patterns).
    fn name_at<'f>(
        &self,
        trie: &NFA,
        sid: StateID,
        len: usize,
        found: impl FnOnce() -> &'f [u8],
    ) -> Option<&Pattern> {
        let mut found = Some(found);
        let mut bytes: &[u8] = &[];
        let mut best = None;
        for i in 0..trie.match_len(sid) {
            let pid = trie.match_pattern(sid, i).as_usize();
            let p = &self.patterns[pid];
            if p.key.len() != len || best.is_some_and(|b| b < pid) {
                continue;
            }
            if p.exact {
                if let Some(f) = found.take() {
                    bytes = f();
                }
                if bytes != p.key.as_bytes() {
                    continue;
                }
            }
            best = Some(pid);
        }
        best.map(|pid| &self.patterns[pid])
    }
}

/// The bytes of a block as a walk reads them from a place: segments joined (by a space when
/// [`Join::Space`]), every run of separators as one space.
struct Reader {
    /// The segment and the source offset of the next byte, and where the segment ends.
    s: usize,
    k: usize,
    end: usize,
    /// How many bytes were read, and the last of them.
    fed: usize,
    last: u8,
}

impl Reader {
    fn new(block: &Block, s: usize, p: usize) -> Reader {
        Reader {
            s,
            k: p,
            end: block.segs[s].range.end,
            fed: 0,
            last: 0,
        }
    }

    /// The reader after `n` bytes of its segment that hold no separator.
    fn skip(mut self, block: &Block, n: usize) -> Reader {
        if n > 0 {
            self.k += n;
            self.fed = n;
            self.last = block.text.as_bytes()[self.k - 1];
        }
        self
    }

    #[inline(always)]
    fn next(&mut self, block: &Block) -> Option<u8> {
        let bytes = block.text.as_bytes();
        let byte = loop {
            if self.k < self.end {
                let c = bytes[self.k];
                self.k += 1;
                if !is_separator(c) {
                    break c;
                }
                if self.last != b' ' {
                    break b' ';
                }
            } else {
                self.s += 1;
                let next = block.segs.get(self.s)?;
                (self.k, self.end) = (next.range.start, next.range.end);
                if next.join == Join::Space && self.last != b' ' {
                    break b' ';
                }
            }
        };
        self.fed += 1;
        self.last = byte;
        Some(byte)
    }
}

/// One block of prose: segments joined by anything but a barrier.
struct Block<'a> {
    text: &'a str,
    segs: &'a [ProseSegment],
}

impl Block<'_> {
    /// The character at `at`, if one starts there before `end`.
    fn char_at(&self, at: usize, end: usize) -> Option<char> {
        self.text.get(at..end)?.chars().next()
    }

    /// The character that ends at `at`.
    fn char_before(&self, at: usize) -> Option<char> {
        self.text.get(..at)?.chars().next_back()
    }

    /// Where the possessive (`'s` or `’s`) that follows source offset `k` of segment `s`, as
    /// read, ends, when one does and a word ends with it; for an abbreviation's `exact` name
    /// only with a lower-case `s`.
    fn possessive_after(&self, mut s: usize, mut k: usize, exact: bool) -> Option<(usize, usize)> {
        let bytes = self.text.as_bytes();
        // The next byte as read: the next segment follows directly when joined by nothing.
        let mut next = || loop {
            let seg = self.segs[s].range;
            if k < seg.end {
                k += 1;
                return Some(bytes[k - 1]);
            }
            let after = self.segs.get(s + 1).filter(|n| n.join == Join::Adjacent)?;
            (s, k) = (s + 1, after.range.start);
        };
        let apostrophe = match next()? {
            b'\'' => true,
            0xE2 => next()? == 0x80 && next()? == 0x99,
            _ => false,
        };
        let letter = next()?;
        (apostrophe && (letter == b's' || letter == b'S' && !exact) && !self.word_after(s, k))
            .then_some((s, k))
    }

    /// Whether a word character follows source offset `k` of segment `s`, as read (the next
    /// segment follows directly when joined by nothing).
    fn word_after(&self, mut s: usize, k: usize) -> bool {
        let range = self.segs[s].range;
        if k < range.end {
            return match self.text.as_bytes()[k] {
                // (An ASCII byte is a whole character.)
                b if b.is_ascii() => is_word_byte(b),
                _ => self.char_at(k, range.end).is_some_and(is_word_char),
            };
        }
        while let Some(next) = self.segs.get(s + 1) {
            if next.join != Join::Adjacent {
                return false;
            }
            if let Some(c) = self.char_at(next.range.start, next.range.end) {
                return is_word_char(c);
            }
            s += 1;
        }
        false
    }
}

/// After a word that ends at `k`, in a segment that ends at `end`: when one separator follows,
/// then a word of at most sixteen ASCII word bytes, then an ASCII byte that is no word byte, all
/// in the segment, the word's [`first_word_key`] and where it ends. (Anything else, the walk
/// reads byte by byte.)
#[inline(always)]
fn next_word(bytes: &[u8], k: usize, end: usize) -> Option<(u128, usize)> {
    let at = k + 1;
    if at >= end || !is_separator(bytes[k]) {
        return None;
    }
    // The word's bytes among the ASCII ones that follow in the segment: it must end before they
    // do (at an ASCII byte that is no word byte).
    let (words, ascii) = ascii_word_bytes(bytes, at, (end - at).min(64), &mut [0; 64]);
    let len = words.trailing_ones() as usize;
    if len == 0 || len > 16 || len >= ascii {
        return None;
    }
    Some((
        first_word_key(bytes, at, len, word_bits(bytes, at, len)),
        at + len,
    ))
}

/// For the `len` bytes (at most 64) of `bytes` from `at`, how many of them are ASCII before the
/// first that is not, and for those a mask with bit `i` set when byte `at + i` is a word byte
/// (a letter, a digit or `_`). The 64 bytes from `at` are read at once (see [`crate::bytes`]),
/// in place where the text has them, else through `pad`.
fn ascii_word_bytes(bytes: &[u8], at: usize, len: usize, pad: &mut [u8; 64]) -> (u64, usize) {
    let masks = crate::bytes::word_masks(crate::bytes::chunk_at(bytes, at, pad));
    let high = masks.high & crate::bytes::first_bytes(len);
    let ascii = if high == 0 {
        len
    } else {
        high.trailing_zeros() as usize
    };
    (masks.words & crate::bytes::first_bytes(ascii), ascii)
}

#[cfg(test)]
mod properties {
    use super::super::Pattern;
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
                        let mut end = at + p.key.len();
                        // A possessive that ends a word joins the name.
                        for apostrophe in ["'", "’"] {
                            let after = end + apostrophe.len();
                            let letter = buf.get(after).copied();
                            if buf[end..].starts_with(apostrophe.as_bytes())
                                && (letter == Some(b's') || letter == Some(b'S') && !p.exact)
                                && !char_at(after + 1).is_some_and(is_word_char)
                            {
                                end = after + 1;
                                break;
                            }
                        }
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
            &["line_9"],
            &["api gateway"],
            // First words of nine to sixteen bytes (looked up whole) and of more.
            &["Replication", "Replications"],
            &["Replication log"],
            &["Interoperability layer"],
            &["Interoperabilities"],
            // Later words read whole: of nine or more bytes, of more than sixteen, one that
            // starts outside ASCII, one followed by a byte that is no separator.
            &["Cache line replication"],
            &["Go interoperabilities"],
            &["Log é-mail"],
            &["API mail.net"],
        ];
        terms
            .iter()
            .enumerate()
            .map(|(i, n)| (i as TermId, n.iter().map(|s| s.to_string()).collect()))
            .collect()
    }

    #[test]
    fn the_folding_table_reads_separators_as_a_space_and_letters_in_lower_case() {
        for b in 0..=255u8 {
            let plain = if is_separator(b) {
                b' '
            } else {
                b.to_ascii_lowercase()
            };
            assert_eq!(folded(b), plain, "{b}");
        }
    }

    #[test]
    fn a_later_word_cut_by_markup_is_read_across_it() {
        // "a cache li**ne**, a cache li**ne**s": the word after "cache" runs on into the next
        // segment, so it is not looked up whole at the first segment's end.
        let names = names();
        let m = TermMatcher::new(names.iter().map(|(t, n)| (*t, n.as_slice())));
        let (text, prose) = crate::markdown::test_prose::prose_of(&[
            (vec!["a cache li"], "", 0),
            (vec!["ne"], "**", 2),
            (vec![", a cache li"], "**", 2),
            (vec!["nes"], "**", 2),
        ]);
        let mut found = vec![];
        m.scan(&text, &prose, &mut found);
        let found: Vec<&str> = found
            .iter()
            .map(|o| &text[o.range().start..o.range().end])
            .collect();
        assert_eq!(found, ["cache li**ne", "cache li**nes"]);
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

    #[test]
    fn a_possessive_joins_the_name_once_and_in_an_abbreviations_case() {
        let names = names();
        let m = TermMatcher::new(names.iter().map(|(t, n)| (*t, n.as_slice())));
        let found = |text: &str| {
            let prose = [ProseSegment {
                range: TextRange::new(0, text.len()),
                join: Join::Barrier,
            }];
            let mut out = vec![];
            m.scan(text, &prose, &mut out);
            out.iter()
                .map(|o| text[o.range().start..o.range().end].to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(found("the Cache's size"), ["Cache's"]);
        assert_eq!(found("the CACHE’S size"), ["CACHE’S"]);
        assert_eq!(found("go's’s"), ["go's"]);
        assert_eq!(found("cache'still"), ["cache"]);
        assert_eq!(found("an API's limit, an API'S limit"), ["API's", "API"]);
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
                    "replication", "Replications", "log", "interoperability", "Layer",
                    "interoperabilities",
                    // Names of several words, whole or split, with one separator or more.
                    "cache line", "Cache-line", "circuit\tbreaker", "line replication",
                    "go interoperabilities", "api mail", "log é", "cache  line", "api gateway",
                ]), 0..6),
                prop::sample::select(vec!["", "**", "`x`", "["]),
                0u8..3,
            ), 1..12),
            pad in 0usize..48,
        ) {
            // The first segment's words after `pad` short words, so that a name can run across
            // the 64 bytes the word starts are found in at a time.
            let filler = "x ".repeat(pad);
            let mut pieces = pieces;
            pieces[0].0.insert(0, &filler);
            let (text, prose) = crate::markdown::test_prose::prose_of(&pieces);
            // With names that all start with a word byte (word starts found 64 bytes at a
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

        /// A wrapped paragraph's lines read as one segment give the terms that its lines read
        /// a segment each, joined by a space, give.
        #[test]
        fn lines_joined_into_one_segment_hold_the_terms_of_lines_apart(
            text in crate::markdown::test_prose::wrapped_paragraph(),
        ) {
            use crate::markdown::test_prose::prose_as_read;
            let names = names();
            let m = TermMatcher::new(names.iter().map(|(t, n)| (*t, n.as_slice())));
            let (mut joined, mut apart) = (vec![], vec![]);
            m.scan(&text, &prose_as_read(&text, false), &mut joined);
            m.scan(&text, &prose_as_read(&text, true), &mut apart);
            prop_assert_eq!(joined, apart, "{:?}", text);
        }

        #[test]
        fn word_bytes_64_at_a_time_are_word_bytes_one_at_a_time(
            text in prop::collection::vec(
                prop_oneof![8 => 0u8..0x80, 1 => 0x80u8..=0xFF], 0..=100,
            ),
            at in 0usize..=100,
            len in 0usize..=64,
        ) {
            // Any stretch of the text, near its end too (where the 64 bytes are padded).
            let at = at.min(text.len());
            let len = len.min(text.len() - at);
            let chunk = &text[at..at + len];
            let ascii = chunk.iter().position(|b| !b.is_ascii()).unwrap_or(chunk.len());
            let plain = chunk[..ascii].iter().enumerate().fold(0u64, |m, (i, &b)| {
                m | u64::from(b.is_ascii_alphanumeric() || b == b'_') << i
            });
            prop_assert_eq!(ascii_word_bytes(&text, at, len, &mut [0xFF; 64]), (plain, ascii));
        }
    }
}
