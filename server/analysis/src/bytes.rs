//! Masks of 64 bytes at a time: bit `i` of a mask tells something of byte `i`. The line index
//! reads a text's line breaks and bytes outside ASCII this way, the term scan its word bytes. And
//! a word's first eight bytes as one number ([`word_bits`]), by which short words are looked up.
//!
//! On x86-64 the masks come from SSE2 (part of every x86-64 processor: no check at run time),
//! sixteen bytes per comparison; elsewhere eight bytes at a time in a `u64`. Both give the same
//! masks (a property test compares them on any input).

/// Line feeds, carriage returns and bytes outside ASCII among 64 bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineMasks {
    pub lf: u64,
    pub cr: u64,
    pub high: u64,
}

/// Word bytes (ASCII letters, digits and `_`), underscores among them, and bytes outside ASCII
/// among 64 bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WordMasks {
    pub words: u64,
    pub under: u64,
    pub high: u64,
}

/// What a task item's first line is read by, among 64 bytes: its line breaks (line feed or
/// carriage return), its box's brackets, `<` (which may open an id marker), the blanks
/// `str::trim` takes in ASCII (space, tab, the line breaks, vertical tab, form feed), and bytes
/// outside ASCII.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ItemMasks {
    pub ends: u64,
    pub open: u64,
    pub close: u64,
    pub lt: u64,
    pub blank: u64,
    pub high: u64,
}

/// The [`ItemMasks`] of `chunk`.
#[inline(always)]
pub fn item_masks(chunk: &[u8; 64]) -> ItemMasks {
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    // SAFETY: as in `line_masks`.
    unsafe {
        sse2::item_masks(chunk)
    }
    #[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
    {
        swar::item_masks(chunk)
    }
}

/// The line breaks and bytes outside ASCII of `chunk`.
#[inline(always)]
pub fn line_masks(chunk: &[u8; 64]) -> LineMasks {
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    // SAFETY: the build's target has SSE2 (the `cfg` above), so every processor it runs on does.
    unsafe {
        sse2::line_masks(chunk)
    }
    #[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
    {
        swar::line_masks(chunk)
    }
}

/// The word bytes and bytes outside ASCII of `chunk`.
#[inline(always)]
pub fn word_masks(chunk: &[u8; 64]) -> WordMasks {
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    // SAFETY: as in `line_masks`.
    unsafe {
        sse2::word_masks(chunk)
    }
    #[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
    {
        swar::word_masks(chunk)
    }
}

/// A mask of the first `n` bytes of a chunk (all 64 when `n` is 64 or more): bit `i` set for
/// `i < n`.
#[inline(always)]
pub fn first_bytes(n: usize) -> u64 {
    if n >= 64 {
        !0
    } else {
        (1u64 << n) - 1
    }
}

/// The eight bytes of `bytes` from `at` as a number (the first lowest), or, where fewer than
/// eight are left, the first `len` (at most eight) of them and zero bytes after.
#[inline(always)]
fn eight_at(bytes: &[u8], at: usize, len: usize) -> u64 {
    match bytes.get(at..at + 8) {
        Some(eight) => u64::from_le_bytes(eight.try_into().expect("eight bytes")),
        None => bytes[at..at + len.min(8)]
            .iter()
            .rev()
            .fold(0, |x, &b| x << 8 | u64::from(b)),
    }
}

/// A mask of the first `n` bytes of an eight-byte number (all eight when `n` is 8 or more), by
/// a table: the shift eight bytes would need does not exist. (It is [`first_bytes`]`(8 * n)`,
/// but that one's test of its shift cost the term scan 0.9 million more instructions an
/// analysis of the benchmark's 1 MB note, `bash bench/cachegrind.sh`.)
#[inline(always)]
fn low_bytes(n: usize) -> u64 {
    const KEEP: [u64; 9] = {
        let mut keep = [!0; 9];
        let mut len = 0;
        while len < 8 {
            keep[len] = (1 << (8 * len)) - 1;
            len += 1;
        }
        keep
    };
    KEEP[n.min(8)]
}

/// The first eight bytes (at most) of the word `bytes[at..at + len]` (ASCII word bytes) in
/// lower case, in a `u64` (its first byte lowest): the whole word when it has at most eight. The
/// term scan looks up names' first words by it, the outcome index its short words.
pub(crate) fn word_bits(bytes: &[u8], at: usize, len: usize) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    // Setting bit 5 of every byte lower-cases an ASCII letter and leaves a digit as it is
    // (`_` becomes 0x7F: the same in the words looked up as in the words they are looked up
    // among); only the word's own bytes are kept.
    (eight_at(bytes, at, len) | (ONES * 0x20)) & low_bytes(len)
}

/// Whether `bytes[start..end]` is one to eight bytes, each a space, tab, line feed or carriage
/// return: the gap between two lines of a wrapped paragraph (a longer gap, or one reaching
/// past the text, reads as not blank).
#[inline(always)]
pub(crate) fn short_blank(bytes: &[u8], start: usize, end: usize) -> bool {
    use swar::{zero, HIGH, ONES};
    let len = end.wrapping_sub(start);
    if len.wrapping_sub(1) >= 8 || end > bytes.len() {
        return false;
    }
    let x = eight_at(bytes, start, len);
    let blank = zero(x ^ (ONES * 0x20))
        | zero(x ^ (ONES * 0x09))
        | zero(x ^ (ONES * 0x0A))
        | zero(x ^ (ONES * 0x0D));
    // The high bit of each of the gap's bytes.
    let keep = HIGH & low_bytes(len);
    blank & keep == keep
}

/// Up to 64 bytes of `bytes` from `at` as a full chunk: in place when 64 are there, else copied
/// into `pad` after zero bytes (which are neither breaks, word bytes nor outside ASCII).
#[inline(always)]
pub fn chunk_at<'a>(bytes: &'a [u8], at: usize, pad: &'a mut [u8; 64]) -> &'a [u8; 64] {
    match bytes.get(at..at + 64) {
        Some(c) => c.try_into().expect("64 bytes"),
        None => {
            let rest = &bytes[at.min(bytes.len())..];
            *pad = [0; 64];
            pad[..rest.len()].copy_from_slice(rest);
            pad
        }
    }
}

#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
mod sse2 {
    use super::{ItemMasks, LineMasks, WordMasks};
    use std::arch::x86_64::{
        __m128i, _mm_and_si128, _mm_cmpeq_epi8, _mm_cmpgt_epi8, _mm_cmplt_epi8, _mm_movemask_epi8,
        _mm_or_si128, _mm_set1_epi8, _mm_set_epi64x,
    };

    /// Sixteen bytes as a vector (read as two numbers: no pointer; the compiler makes it one
    /// load).
    #[inline]
    #[target_feature(enable = "sse2")]
    fn load(b: &[u8]) -> __m128i {
        let lo = i64::from_le_bytes(b[..8].try_into().expect("eight bytes"));
        let hi = i64::from_le_bytes(b[8..16].try_into().expect("eight bytes"));
        _mm_set_epi64x(hi, lo)
    }

    #[inline]
    #[target_feature(enable = "sse2")]
    fn quarters(chunk: &[u8; 64]) -> [__m128i; 4] {
        [
            load(&chunk[..16]),
            load(&chunk[16..32]),
            load(&chunk[32..48]),
            load(&chunk[48..]),
        ]
    }

    /// Bit `i` of the result from bit 7 of byte `i` of the quarters, in order.
    #[inline]
    #[target_feature(enable = "sse2")]
    fn gather(q: [__m128i; 4]) -> u64 {
        let mut mask = 0;
        for (i, v) in q.into_iter().enumerate() {
            mask |= u64::from(_mm_movemask_epi8(v) as u16) << (16 * i);
        }
        mask
    }

    /// Bytes in `lo..=hi`, compared as signed bytes: those outside ASCII are negative, in no
    /// range that starts above zero.
    #[inline]
    #[target_feature(enable = "sse2")]
    fn within(v: __m128i, lo: u8, hi: u8) -> __m128i {
        _mm_and_si128(
            _mm_cmpgt_epi8(v, _mm_set1_epi8(lo as i8 - 1)),
            _mm_cmplt_epi8(v, _mm_set1_epi8(hi as i8 + 1)),
        )
    }

    #[inline]
    #[target_feature(enable = "sse2")]
    pub fn line_masks(chunk: &[u8; 64]) -> LineMasks {
        let q = quarters(chunk);
        let (mut lf, mut cr) = (q, q);
        for v in &mut lf {
            *v = _mm_cmpeq_epi8(*v, _mm_set1_epi8(b'\n' as i8));
        }
        for v in &mut cr {
            *v = _mm_cmpeq_epi8(*v, _mm_set1_epi8(b'\r' as i8));
        }
        LineMasks {
            lf: gather(lf),
            cr: gather(cr),
            high: gather(q),
        }
    }

    #[inline]
    #[target_feature(enable = "sse2")]
    pub fn word_masks(chunk: &[u8; 64]) -> WordMasks {
        let q = quarters(chunk);
        let (mut words, mut under) = (q, q);
        for (v, u) in words.iter_mut().zip(&mut under) {
            // Setting bit 5 lower-cases a letter and moves no other byte into `a..=z`.
            let letter = within(_mm_or_si128(*v, _mm_set1_epi8(0x20)), b'a', b'z');
            let digit = within(*v, b'0', b'9');
            *u = _mm_cmpeq_epi8(*v, _mm_set1_epi8(b'_' as i8));
            *v = _mm_or_si128(_mm_or_si128(letter, digit), *u);
        }
        WordMasks {
            words: gather(words),
            under: gather(under),
            high: gather(q),
        }
    }

    #[inline]
    #[target_feature(enable = "sse2")]
    pub fn item_masks(chunk: &[u8; 64]) -> ItemMasks {
        let q = quarters(chunk);
        let eq = |b: u8| q.map(|v| _mm_cmpeq_epi8(v, _mm_set1_epi8(b as i8)));
        let or = |a: [__m128i; 4], b: [__m128i; 4]| [0, 1, 2, 3].map(|i| _mm_or_si128(a[i], b[i]));
        ItemMasks {
            ends: gather(or(eq(b'\n'), eq(b'\r'))),
            open: gather(eq(b'[')),
            close: gather(eq(b']')),
            lt: gather(eq(b'<')),
            blank: gather(or(eq(b' '), q.map(|v| within(v, 0x09, 0x0D)))),
            high: gather(q),
        }
    }
}

/// Eight bytes at a time in a `u64` (bit 7 of each byte computed, then gathered). Its byte
/// tests also serve text read eight bytes at a time elsewhere (`text::single_spaced`).
#[cfg_attr(all(target_arch = "x86_64", target_feature = "sse2"), allow(dead_code))]
pub(crate) mod swar {
    use super::{ItemMasks, LineMasks, WordMasks};

    pub(crate) const ONES: u64 = 0x0101_0101_0101_0101;
    pub(crate) const HIGH: u64 = ONES * 0x80;

    /// Bit 7 of byte `k` into bit `k`.
    fn gather(flags: u64) -> u64 {
        ((flags & HIGH) >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56
    }

    /// Bit 7 of each byte set when that byte is zero (exact: no carry crosses bytes).
    pub(crate) fn zero(v: u64) -> u64 {
        !(((v & !HIGH) + !HIGH) | v | !HIGH)
    }

    /// Bit 7 of each byte set when that byte is in `lo..=hi` and below 0x80 (exact: the sums
    /// are made on the low seven bits, which carry into bit 7 only).
    pub(crate) fn within(v: u64, lo: u8, hi: u8) -> u64 {
        let low = v & !HIGH;
        let at_least = low + ONES * u64::from(0x80 - lo);
        let above = low + ONES * u64::from(0x7F - hi);
        at_least & !above & !v & HIGH
    }

    fn each_eight(chunk: &[u8; 64], f: impl Fn(u64) -> u64) -> u64 {
        chunk.chunks_exact(8).enumerate().fold(0, |mask, (i, b)| {
            let x = u64::from_le_bytes(b.try_into().expect("eight bytes"));
            mask | gather(f(x)) << (8 * i)
        })
    }

    pub fn line_masks(chunk: &[u8; 64]) -> LineMasks {
        LineMasks {
            lf: each_eight(chunk, |x| zero(x ^ (ONES * u64::from(b'\n')))),
            cr: each_eight(chunk, |x| zero(x ^ (ONES * u64::from(b'\r')))),
            high: each_eight(chunk, |x| x),
        }
    }

    pub fn word_masks(chunk: &[u8; 64]) -> WordMasks {
        WordMasks {
            words: each_eight(chunk, |x| {
                within(x | (ONES * 0x20), b'a', b'z')
                    | within(x, b'0', b'9')
                    | within(x, b'_', b'_')
            }),
            under: each_eight(chunk, |x| within(x, b'_', b'_')),
            high: each_eight(chunk, |x| x),
        }
    }

    pub fn item_masks(chunk: &[u8; 64]) -> ItemMasks {
        let eq = |b: u8| move |x: u64| zero(x ^ (ONES * u64::from(b)));
        ItemMasks {
            ends: each_eight(chunk, |x| eq(b'\n')(x) | eq(b'\r')(x)),
            open: each_eight(chunk, eq(b'[')),
            close: each_eight(chunk, eq(b']')),
            lt: each_eight(chunk, eq(b'<')),
            blank: each_eight(chunk, |x| eq(b' ')(x) | within(x, 0x09, 0x0D)),
            high: each_eight(chunk, |x| x),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn plain_lines(chunk: &[u8; 64]) -> LineMasks {
        let bits =
            |f: &dyn Fn(u8) -> bool| (0..64).fold(0u64, |m, i| m | u64::from(f(chunk[i])) << i);
        LineMasks {
            lf: bits(&|b| b == b'\n'),
            cr: bits(&|b| b == b'\r'),
            high: bits(&|b| b >= 0x80),
        }
    }

    fn plain_words(chunk: &[u8; 64]) -> WordMasks {
        let bits =
            |f: &dyn Fn(u8) -> bool| (0..64).fold(0u64, |m, i| m | u64::from(f(chunk[i])) << i);
        WordMasks {
            words: bits(&|b| b.is_ascii_alphanumeric() || b == b'_'),
            under: bits(&|b| b == b'_'),
            high: bits(&|b| b >= 0x80),
        }
    }

    fn plain_items(chunk: &[u8; 64]) -> ItemMasks {
        let bits =
            |f: &dyn Fn(u8) -> bool| (0..64).fold(0u64, |m, i| m | u64::from(f(chunk[i])) << i);
        ItemMasks {
            ends: bits(&|b| b == b'\n' || b == b'\r'),
            open: bits(&|b| b == b'['),
            close: bits(&|b| b == b']'),
            lt: bits(&|b| b == b'<'),
            // What `str::trim` takes.
            blank: bits(&|b| b < 0x80 && (b as char).is_whitespace()),
            high: bits(&|b| b >= 0x80),
        }
    }

    /// Bytes drawn as often from those at the ranges' edges and the breaks as from any.
    fn chunk() -> impl Strategy<Value = [u8; 64]> {
        let edges = prop::sample::select(
            b"\n\r\t /09:@AZ[_`az{\x7f\x80\xbf\xc0\xe2\xff\x00]<\x0b\x0c\x08\x0d".to_vec(),
        );
        prop::collection::vec(prop_oneof![edges, any::<u8>()], 64)
            .prop_map(|v| <[u8; 64]>::try_from(v).expect("64 bytes"))
    }

    proptest! {
        #[test]
        fn masks_match_a_byte_by_byte_reading(c in chunk()) {
            prop_assert_eq!(line_masks(&c), plain_lines(&c));
            prop_assert_eq!(swar::line_masks(&c), plain_lines(&c));
            prop_assert_eq!(word_masks(&c), plain_words(&c));
            prop_assert_eq!(swar::word_masks(&c), plain_words(&c));
            prop_assert_eq!(item_masks(&c), plain_items(&c));
            prop_assert_eq!(swar::item_masks(&c), plain_items(&c));
        }
    }

    proptest! {
        /// Any stretch of a chunk, near its end too (where fewer than eight bytes are left).
        #[test]
        fn a_short_blank_is_one_to_eight_blanks(c in chunk(), start in 0usize..=70, len in 0usize..=12) {
            let end = start + len;
            let plain = (1..=8).contains(&len)
                && c.get(start..end).is_some_and(|g| {
                    g.iter().all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
                });
            prop_assert_eq!(short_blank(&c, start, end), plain);
            // Blanks drawn often enough to be seen: the same stretch with its bytes made blank.
            let mut blank = c;
            for (k, b) in blank.iter_mut().enumerate().skip(start).take(len) {
                *b = b" \t\n\r"[k % 4];
            }
            let plain = (1..=8).contains(&len) && end <= 64;
            prop_assert_eq!(short_blank(&blank, start, end), plain);
        }
    }

    #[test]
    fn every_byte_value_in_every_place() {
        for b in 0..=255u8 {
            for at in [0, 7, 8, 15, 16, 31, 47, 48, 63] {
                let mut c = [b'.'; 64];
                c[at] = b;
                assert_eq!(line_masks(&c), plain_lines(&c), "byte {b:#x} at {at}");
                assert_eq!(word_masks(&c), plain_words(&c), "byte {b:#x} at {at}");
                assert_eq!(swar::line_masks(&c), plain_lines(&c), "byte {b:#x} at {at}");
                assert_eq!(swar::word_masks(&c), plain_words(&c), "byte {b:#x} at {at}");
                assert_eq!(item_masks(&c), plain_items(&c), "byte {b:#x} at {at}");
                assert_eq!(swar::item_masks(&c), plain_items(&c), "byte {b:#x} at {at}");
            }
        }
    }

    #[test]
    fn a_chunk_past_the_end_is_padded_with_bytes_that_are_nothing() {
        let text = b"ab\ncd\xc3\xa9";
        let mut pad = [0xFF; 64];
        let c = chunk_at(text, 1, &mut pad);
        assert_eq!(&c[..6], b"b\ncd\xc3\xa9");
        assert_eq!(
            line_masks(c),
            LineMasks {
                lf: 0b10,
                cr: 0,
                high: 0b11_0000
            }
        );
        assert_eq!(
            word_masks(c),
            WordMasks {
                words: 0b1101,
                under: 0,
                high: 0b11_0000
            }
        );
    }
}
