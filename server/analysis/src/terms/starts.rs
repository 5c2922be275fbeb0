//! Which word starts can begin one of a [`super::TermMatcher`]'s names, told from their first
//! bytes or their whole first word without walking the names' trie (see [`Starts`]).

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::nfa::contiguous::NFA;
use aho_corasick::Anchored;

use super::is_word_byte;
pub(super) use crate::bytes::word_bits;

/// How many bytes a name's first word has: its leading ASCII word bytes.
fn first_word_len(name: &[u8]) -> usize {
    name.iter().take_while(|&&b| is_word_byte(b)).count()
}

/// Which word starts can begin a name, by their first bytes as read (separators as a space,
/// ASCII letters in lower case): a name of one or two bytes by those bytes, one of three by a
/// hash of them, a longer one by a hash of its first four (8 KB each), so a word start that
/// begins no name is passed over without walking the trie.
pub(super) struct Starts {
    one: [bool; 256],
    two: Box<Bits16>,
    three: Box<Bits16>,
    four: Box<Bits16>,
    /// Every name starts with a word byte or a non-ASCII one (none with `.` or `#`).
    pub(super) word_led: bool,
    /// The names' first words (their leading ASCII word bytes), by a 16-bit hash (see
    /// [`word_key`]).
    pub(super) first_words: Box<Bits16>,
    /// The state the names' trie reaches after a name's first word, for those of at most
    /// sixteen bytes, by the word's [`first_word_key`] (see [`Starts::walk_words`]).
    pub(super) after_first_word: rustc_hash::FxHashMap<u128, StateID>,
    /// The state the trie reaches from a state after a word of a name, through one space and
    /// the name's next word (its leading ASCII word bytes, at most sixteen), by that state and
    /// the word's [`first_word_key`]: a walk reads a whole word at once (see
    /// [`Starts::walk_words`]).
    pub(super) after_next_word: rustc_hash::FxHashMap<(u32, u128), StateID>,
}

impl Default for Starts {
    fn default() -> Starts {
        Starts {
            one: [false; 256],
            two: Box::new([0; 1 << 10]),
            three: Box::new([0; 1 << 10]),
            four: Box::new([0; 1 << 10]),
            word_led: true,
            first_words: Box::new([0; 1 << 10]),
            after_first_word: Default::default(),
            after_next_word: Default::default(),
        }
    }
}

/// One bit for each 16-bit key (8 KB).
pub(super) type Bits16 = [u64; 1 << 10];

fn set_bit(bits: &mut Bits16, i: usize) {
    bits[(i / 64) % bits.len()] |= 1 << (i % 64);
}

/// Bit `i` (a 16-bit key: no bound to check when the caller's key is one).
#[inline(always)]
pub(super) fn bit(bits: &Bits16, i: usize) -> bool {
    bits[(i / 64) % bits.len()] & (1 << (i % 64)) != 0
}

fn pair(a: u8, b: u8) -> usize {
    (a as usize) << 8 | b as usize
}

/// A 16-bit hash of three or four bytes.
fn hashed(key: u32) -> usize {
    (key.wrapping_mul(0x9E37_79B1) >> 16) as usize
}

/// The key of the word `bytes[at..at + len]` (ASCII word bytes, at most sixteen) among the
/// names' first words: `first`, its [`word_bits`], in the low half, those of the bytes after
/// its first eight (none: 0) in the high half.
pub(super) fn first_word_key(bytes: &[u8], at: usize, len: usize, first: u64) -> u128 {
    let rest = if len > 8 {
        word_bits(bytes, at + 8, len - 8)
    } else {
        0
    };
    u128::from(rest) << 64 | u128::from(first)
}

/// A 16-bit hash of a word of `len` bytes by its [`word_bits`].
pub(super) fn word_key(bits: u64, len: usize) -> usize {
    let h = (bits ^ ((len as u64) << 59)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (h >> 48) as usize
}

/// A byte as the filter reads it: separators as a space, ASCII letters in lower case.
pub(super) fn folded(b: u8) -> u8 {
    FOLDED[b as usize]
}

/// [`folded`] for every byte, worked out once.
static FOLDED: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = match b as u8 {
            b' ' | b'-' | b'\n' | b'\r' | b'\t' => b' ',
            other => other.to_ascii_lowercase(),
        };
        b += 1;
    }
    table
};

impl Starts {
    pub(super) fn add(&mut self, name: &[u8]) {
        let f: Vec<u8> = name.iter().map(|&b| folded(b)).collect();
        if let Some(&first) = f.first() {
            self.word_led &= !first.is_ascii() || is_word_byte(first);
        }
        match f[..] {
            [a] => self.one[a as usize] = true,
            [a, b] => set_bit(&mut self.two, pair(a, b)),
            [a, b, c] => set_bit(&mut self.three, hashed(u32::from_le_bytes([a, b, c, 0]))),
            [a, b, c, d, ..] => set_bit(&mut self.four, hashed(u32::from_le_bytes([a, b, c, d]))),
            [] => {}
        }
        let word = first_word_len(name);
        if word > 0 {
            set_bit(
                &mut self.first_words,
                word_key(word_bits(name, 0, word), word),
            );
        }
    }

    /// Records, for each name's first word of at most sixteen bytes, the state `trie` (built
    /// from `names`) reaches after it; and for each later word of at most sixteen bytes that
    /// follows a space after a word byte, the state it reaches after the word from the state
    /// before the space.
    pub(super) fn walk_words<'a>(&mut self, trie: &NFA, names: impl Iterator<Item = &'a str>) {
        let Ok(start) = trie.start_state(Anchored::Yes) else {
            return;
        };
        for name in names {
            let name = name.as_bytes();
            let state_after = |from: StateID, bytes: &[u8]| {
                (bytes.iter()).fold(from, |sid, &b| {
                    trie.next_state(Anchored::Yes, sid, folded(b))
                })
            };
            let len = first_word_len(name);
            if (1..=16).contains(&len) {
                let key = first_word_key(name, 0, len, word_bits(name, 0, len));
                self.after_first_word
                    .insert(key, state_after(start, &name[..len]));
            }
            let mut sid = start;
            for (j, &b) in name.iter().enumerate() {
                if b == b' ' && j > 0 && is_word_byte(name[j - 1]) {
                    let len = first_word_len(&name[j + 1..]);
                    if (1..=16).contains(&len) {
                        let at = j + 1;
                        let key = first_word_key(name, at, len, word_bits(name, at, len));
                        let after = state_after(sid, &name[j..at + len]);
                        if !trie.is_dead(after) {
                            self.after_next_word.insert((sid.as_u32(), key), after);
                        }
                    }
                }
                sid = trie.next_state(Anchored::Yes, sid, folded(b));
            }
        }
    }

    /// Whether a name may start at offset `p` of `bytes`, in a segment that ends at `end`.
    /// Near the segment's end, or where a run of separators is read as one space, it says yes
    /// and the walk decides.
    pub(super) fn may_start(&self, bytes: &[u8], end: usize, p: usize) -> bool {
        if p + 4 > end {
            return true;
        }
        let four: [u8; 4] = bytes[p..p + 4].try_into().expect("four bytes");
        let [a, b, c, d] = four.map(folded);
        if (b == b' ' || d == b' ') && c == b' ' {
            return true;
        }
        self.one[a as usize]
            || bit(&self.two, pair(a, b))
            || bit(&self.three, hashed(u32::from_le_bytes([a, b, c, 0])))
            || bit(&self.four, hashed(u32::from_le_bytes([a, b, c, d])))
    }
}
