//! Byte offsets ⇄ (line, column) in UTF-8, UTF-16 or UTF-32 columns: the one place positions are converted.
//!
//! Lines end at `\n`, `\r\n` or a lone `\r`, as the LSP specification says. Columns past the end of
//! a line, lines past the end of the text and columns inside a UTF-16 surrogate pair or a UTF-8
//! sequence are clamped (to the line's end, the text's end, the start of the character), never an error.

use crate::source::Source;

/// The unit in which a column counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Encoding {
    Utf8,
    Utf16,
    Utf32,
}

/// A zero-based line and a column counted in some [`Encoding`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

/// Where each line of one text starts, and which lines hold characters outside ASCII.
///
/// Offsets are `u32`: a text is at most a few tens of megabytes (the transport and the file gate
/// cap it), and `u16` in a text shorter than 64 KB (nearly every note): a workspace keeps a
/// line index for every note, and a smaller one keeps more of them in the cache when answers
/// convert thousands of positions across thousands of notes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineIndex {
    /// Byte offset of the first byte of each line; always starts with 0.
    line_starts: Starts,
    /// The lines (sorted) whose columns need their text: those with a byte outside ASCII, and
    /// those that end in CRLF. On every other line a column in any encoding is the byte offset
    /// in the line, and the line ends one byte before the next starts: found without reading
    /// the text (a note that is not open keeps only these lines of it, see [`crate::source`]).
    needs_text: Vec<u32>,
    len: usize,
}

impl LineIndex {
    /// One pass over the text, 64 bytes at a time (see [`crate::bytes`]): only the line breaks
    /// are read one by one, and of the bytes between them only whether one is outside ASCII.
    pub fn new(text: &str) -> LineIndex {
        assert!(text.len() < u32::MAX as usize, "a text of 4 GB or more");
        let bytes = text.as_bytes();
        let mut lines = Lines {
            // Found into a buffer the thread keeps, then copied once into the index's own, of
            // the right size and width (no growing, no shrinking for each text).
            starts: SCRATCH.with(|s| s.take()),
            needs_text: vec![],
            high: false,
            skip_lf_at: usize::MAX,
        };
        lines.starts.clear();
        lines.starts.push(0);
        let mut pad = [0; 64];
        let mut base = 0;
        while base < bytes.len() {
            let masks = crate::bytes::line_masks(crate::bytes::chunk_at(bytes, base, &mut pad));
            lines.chunk(bytes, base, masks);
            base += 64;
        }
        if lines.high {
            lines.needs_text.push((lines.starts.len() - 1) as u32);
        }
        lines.needs_text.shrink_to_fit();
        let line_starts = if text.len() <= usize::from(u16::MAX) {
            // (Every offset, the text's length included, fits.)
            Starts::Narrow(lines.starts.iter().map(|&s| s as u16).collect())
        } else {
            Starts::Wide(lines.starts.as_slice().into())
        };
        if lines.starts.capacity() <= SCRATCH_KEPT {
            SCRATCH.with(|s| s.set(lines.starts));
        }
        LineIndex {
            line_starts,
            needs_text: lines.needs_text,
            len: text.len(),
        }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The bytes the index keeps beside itself (its line starts and its list of lines whose
    /// columns need their text), for the memory census.
    pub fn heap_bytes(&self) -> usize {
        let starts = match &self.line_starts {
            Starts::Narrow(s) => s.len() * 2,
            Starts::Wide(s) => s.len() * 4,
        };
        starts + self.needs_text.capacity() * 4
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The byte range of `line` without its line terminator (empty past the last line).
    pub fn line_range<S: Source + ?Sized>(&self, text: &S, line: usize) -> std::ops::Range<usize> {
        self.range_of(text, line, self.needs_text(line))
    }

    /// [`LineIndex::line_range`], told whether the line needs its text.
    fn range_of<S: Source + ?Sized>(
        &self,
        text: &S,
        line: usize,
        needs_text: bool,
    ) -> std::ops::Range<usize> {
        let Some(start) = self.line_starts.get(line) else {
            return self.len..self.len;
        };
        let next = self.next_start(line);
        if line + 1 == self.line_starts.len() {
            // The last line: no terminator.
            return start..next;
        }
        if !needs_text {
            return start..next - 1;
        }
        let Some(line_text) = text.get(start..next) else {
            return start..next - 1;
        };
        start..start + without_line_end(line_text.as_bytes())
    }

    /// [`LineIndex::line_range`] of every line of `text` (the text indexed), in order, each
    /// cut at its terminator read from the text: a pass over all lines does not look up which
    /// of them need their text.
    pub fn line_ranges<'a>(
        &'a self,
        text: &'a str,
    ) -> impl Iterator<Item = std::ops::Range<usize>> + 'a {
        (0..self.line_count()).map(move |line| self.range_of(text, line, true))
    }

    /// Whether `line`'s columns need its text (see the field).
    pub fn needs_text(&self, line: usize) -> bool {
        self.needs_text.binary_search(&(line as u32)).is_ok()
    }

    /// The ranges of the lines whose columns need their text, with their terminators: what a
    /// text that keeps only pieces must keep for columns to be found.
    pub fn lines_needing_text(&self) -> impl Iterator<Item = crate::text::TextRange> + '_ {
        self.needs_text.iter().map(|&line| {
            let line = line as usize;
            let start = self.line_starts.get(line).unwrap_or(self.len);
            crate::text::TextRange::new(start, self.next_start(line))
        })
    }

    /// The line that holds byte `offset` (offsets past the end belong to the last line).
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.len);
        match &self.line_starts {
            Starts::Narrow(starts) => line_in(starts, offset, self.len),
            Starts::Wide(starts) => line_in(starts, offset, self.len),
        }
    }

    /// Where the line after `line` starts (the text's length after the last line).
    fn next_start(&self, line: usize) -> usize {
        self.line_starts.get(line + 1).unwrap_or(self.len)
    }

    /// Converts a byte offset to a line and column; an offset inside a character counts from that character's start.
    pub fn line_col<S: Source + ?Sized>(&self, text: &S, offset: usize, enc: Encoding) -> LineCol {
        let offset = offset.min(self.len);
        let (line, range, line_text) = self.line_at(text, offset);
        LineCol {
            line: line as u32,
            col: col_at(&range, line_text, offset, enc),
        }
    }

    /// [`LineIndex::line_col`] of both ends of a range; the end is counted on from the start
    /// when both are on one line (the start's line, and its text when its columns need it,
    /// looked up once for both).
    pub fn range_cols<S: Source + ?Sized>(
        &self,
        text: &S,
        start: usize,
        end: usize,
        enc: Encoding,
    ) -> (LineCol, LineCol) {
        let start = start.min(self.len);
        let end = end.min(self.len).max(start);
        let (line, range, line_text) = self.line_at(text, start);
        let a = LineCol {
            line: line as u32,
            col: col_at(&range, line_text, start, enc),
        };
        if end > range.end || start > range.end {
            return (a, self.line_col(text, end, enc));
        }
        let more = match line_text {
            None => end - start,
            Some(t) => {
                let (from, to) = (start - range.start, end - range.start);
                if !t.is_char_boundary(from) || !t.is_char_boundary(to) {
                    return (a, self.line_col(text, end, enc));
                }
                units(&t.as_bytes()[from..to], enc)
            }
        };
        let col = a.col + more as u32;
        (a, LineCol { line: a.line, col })
    }

    /// The line that holds `offset` (at most the text's length): its number, its range, and its
    /// text when its columns need it (none on a line whose columns are its byte offsets).
    fn line_at<'t, S: Source + ?Sized>(
        &self,
        text: &'t S,
        offset: usize,
    ) -> (usize, std::ops::Range<usize>, Option<&'t str>) {
        let line = self.line_of(offset);
        let needs_text = self.needs_text(line);
        let range = self.range_of(text, line, needs_text);
        let line_text = needs_text.then(|| text.get(range.clone()).unwrap_or(""));
        (line, range, line_text)
    }

    /// Converts a line and column to a byte offset, clamping past-the-end lines and columns.
    pub fn offset<S: Source + ?Sized>(&self, text: &S, pos: LineCol, enc: Encoding) -> usize {
        let line = pos.line as usize;
        if line >= self.line_starts.len() {
            return self.len;
        }
        let needs_text = self.needs_text(line);
        let range = self.range_of(text, line, needs_text);
        if !needs_text {
            return range.start + (pos.col as usize).min(range.len());
        }
        range.start + col_to_byte(text.get(range.clone()).unwrap_or(""), pos.col, enc)
    }
}

thread_local! {
    /// The buffer [`LineIndex::new`] finds line starts into, kept by each thread between texts.
    static SCRATCH: std::cell::Cell<Vec<u32>> = const { std::cell::Cell::new(Vec::new()) };
}

/// The most line starts a thread's buffer keeps room for after a text (256 KB): a text of
/// more lines gets a buffer of its own, given back once used.
const SCRATCH_KEPT: usize = 1 << 16;

/// Line starts, each in as few bytes as the text's length allows.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Starts {
    Narrow(Box<[u16]>),
    Wide(Box<[u32]>),
}

impl Starts {
    fn len(&self) -> usize {
        match self {
            Starts::Narrow(s) => s.len(),
            Starts::Wide(s) => s.len(),
        }
    }

    fn get(&self, line: usize) -> Option<usize> {
        match self {
            Starts::Narrow(s) => s.get(line).map(|&s| usize::from(s)),
            Starts::Wide(s) => s.get(line).map(|&s| s as usize),
        }
    }
}

/// The length of `line` (a line with its terminator) without the terminator: `\n`, `\r\n` or
/// `\r`.
fn without_line_end(line: &[u8]) -> usize {
    let mut end = line.len();
    if line[..end].ends_with(b"\n") {
        end -= 1;
    }
    if line[..end].ends_with(b"\r") {
        end -= 1;
    }
    end
}

/// A line start of either width, as an offset.
trait Start: Copy {
    fn at(self) -> usize;
}

impl Start for u16 {
    fn at(self) -> usize {
        usize::from(self)
    }
}

impl Start for u32 {
    fn at(self) -> usize {
        self as usize
    }
}

/// [`LineIndex::line_of`] in `starts` (of a text of `len` bytes), for `offset` at most `len`.
fn line_in<T: Start>(starts: &[T], offset: usize, len: usize) -> usize {
    // First a guess from the average line length, then a line at a time: a note's lines are
    // alike enough that the answer is usually a few lines away, in the same cache line of the
    // index, where a binary search reads several far apart (references convert tens of
    // thousands of offsets in thousands of notes whose indexes are not in cache).
    let last = starts.len() - 1;
    let mut line = (offset as u64 * starts.len() as u64 / (len as u64 + 1)) as usize;
    line = line.min(last);
    for _ in 0..16 {
        if starts[line].at() > offset {
            line -= 1; // `starts[0]` is 0: never below the first line.
        } else if line < last && starts[line + 1].at() <= offset {
            line += 1;
        } else {
            return line;
        }
    }
    starts.partition_point(|&s| s.at() <= offset) - 1
}

/// The column of `offset` on a line [`LineIndex::line_at`] gave (`range`, and `line_text` when
/// the line's columns need it): on a line of ASCII only, the byte offset in the line, whatever
/// the encoding.
fn col_at(
    range: &std::ops::Range<usize>,
    line_text: Option<&str>,
    offset: usize,
    enc: Encoding,
) -> u32 {
    let in_line = offset.min(range.end) - range.start;
    match line_text {
        None => in_line as u32,
        Some(t) => byte_to_col(t, in_line, enc),
    }
}

/// The byte offset within `line` (a line without its terminator) of column `col`, clamped to the
/// line's length and floored to a character boundary.
pub fn col_to_byte(line: &str, col: u32, enc: Encoding) -> usize {
    let col = col as usize;
    match enc {
        Encoding::Utf8 => {
            let mut b = col.min(line.len());
            while !line.is_char_boundary(b) {
                b -= 1;
            }
            b
        }
        Encoding::Utf16 | Encoding::Utf32 => {
            let mut units = 0;
            for (i, c) in line.char_indices() {
                let w = if enc == Encoding::Utf16 {
                    c.len_utf16()
                } else {
                    1
                };
                if units + w > col {
                    return i;
                }
                units += w;
            }
            line.len()
        }
    }
}

/// The column of byte `byte` within `line`, floored to a character boundary.
pub fn byte_to_col(line: &str, byte: usize, enc: Encoding) -> u32 {
    let mut b = byte.min(line.len());
    while !line.is_char_boundary(b) {
        b -= 1;
    }
    units(&line.as_bytes()[..b], enc) as u32
}

/// How many units of `enc` the whole characters in `bytes` take, counted from the bytes: every
/// byte that starts a character is one unit, and in UTF-16 a four-byte character is two.
fn units(bytes: &[u8], enc: Encoding) -> usize {
    if enc == Encoding::Utf8 || bytes.is_ascii() {
        return bytes.len();
    }
    let starts = bytes.iter().filter(|&&b| (b as i8) >= -0x40).count();
    match enc {
        Encoding::Utf16 => starts + bytes.iter().filter(|&&b| b >= 0xF0).count(),
        _ => starts,
    }
}

/// The lines found so far while [`LineIndex::new`] reads a text.
struct Lines {
    starts: Vec<u32>,
    needs_text: Vec<u32>,
    /// The line being read has a byte outside ASCII.
    high: bool,
    /// The LF of a CRLF already read: its line started after it.
    skip_lf_at: usize,
}

impl Lines {
    /// Reads the masks of the 64 bytes that start at `base` in `bytes`.
    #[inline(always)]
    fn chunk(&mut self, bytes: &[u8], base: usize, masks: crate::bytes::LineMasks) {
        if masks.cr == 0 && masks.high == 0 && !self.high && self.skip_lf_at != base {
            // Nearly every chunk of prose: line feeds only (none the end of a CRLF begun in
            // the chunk before), and ASCII lines.
            // The first four line starts are written whatever their number (the extra cut
            // off after), so that the loop over them has no branch to guess at its end.
            let (mut lf, len) = (masks.lf, self.starts.len());
            let n = lf.count_ones() as usize;
            let mut four = [0u32; 4];
            for start in &mut four {
                *start = (base + lf.trailing_zeros() as usize + 1) as u32;
                lf &= lf.wrapping_sub(1);
            }
            self.starts.extend_from_slice(&four);
            while lf != 0 {
                self.starts
                    .push((base + lf.trailing_zeros() as usize + 1) as u32);
                lf &= lf - 1;
            }
            self.starts.truncate(len + n);
            return;
        }
        let (mut breaks, mut high) = (masks.lf | masks.cr, masks.high);
        while breaks != 0 {
            let k = breaks.trailing_zeros() as usize;
            breaks &= breaks - 1;
            // The bytes before the break belong to the line it ends.
            let before = (1u64 << k) - 1;
            self.high |= high & before != 0;
            high &= !before;
            let at = base + k;
            if at == self.skip_lf_at {
                continue;
            }
            let start = if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') {
                self.skip_lf_at = at + 1;
                at + 2
            } else {
                at + 1
            };
            // (Both taken: `|`, not `||`.)
            if std::mem::take(&mut self.high) | (start == at + 2) {
                self.needs_text.push((self.starts.len() - 1) as u32);
            }
            self.starts.push(start as u32);
        }
        self.high |= high != 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emoji_and_cjk_columns_in_each_encoding() {
        let text = "a😀b\n分区 x\r\nlast";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_count(), 3);
        let b = text.find('b').unwrap();
        assert_eq!(
            idx.line_col(text, b, Encoding::Utf8),
            LineCol { line: 0, col: 5 }
        );
        assert_eq!(
            idx.line_col(text, b, Encoding::Utf16),
            LineCol { line: 0, col: 3 }
        );
        assert_eq!(
            idx.line_col(text, b, Encoding::Utf32),
            LineCol { line: 0, col: 2 }
        );
        let x = text.find('x').unwrap();
        assert_eq!(
            idx.line_col(text, x, Encoding::Utf16),
            LineCol { line: 1, col: 3 }
        );
        assert_eq!(
            idx.offset(text, LineCol { line: 1, col: 3 }, Encoding::Utf16),
            x
        );
        assert_eq!(
            idx.offset(text, LineCol { line: 2, col: 0 }, Encoding::Utf16),
            text.find("last").unwrap()
        );
    }

    #[test]
    fn out_of_range_positions_are_clamped() {
        let text = "a😀b\nxy";
        let idx = LineIndex::new(text);
        // Past the end of line 0: its end, before the newline.
        assert_eq!(
            idx.offset(text, LineCol { line: 0, col: 99 }, Encoding::Utf16),
            6
        );
        // Inside the surrogate pair of the emoji: the emoji's start.
        assert_eq!(
            idx.offset(text, LineCol { line: 0, col: 2 }, Encoding::Utf16),
            1
        );
        // Inside the UTF-8 bytes of the emoji: the emoji's start.
        assert_eq!(
            idx.offset(text, LineCol { line: 0, col: 3 }, Encoding::Utf8),
            1
        );
        // Past the last line: the end of the text.
        assert_eq!(
            idx.offset(text, LineCol { line: 7, col: 0 }, Encoding::Utf16),
            text.len()
        );
        assert_eq!(
            idx.line_col(text, 999, Encoding::Utf16),
            LineCol { line: 1, col: 2 }
        );
    }

    #[test]
    fn lone_cr_ends_a_line() {
        let text = "one\rtwo\r\nthree";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_count(), 3);
        assert_eq!(&text[idx.line_range(text, 1)], "two");
        assert_eq!(
            idx.line_col(text, text.find("three").unwrap(), Encoding::Utf8),
            LineCol { line: 2, col: 0 }
        );
    }

    #[test]
    fn texts_on_either_side_of_64_kb_end_with_a_line_at_their_length() {
        // A text of 65,535 bytes keeps its starts in two bytes, the text's length among them
        // (a last line that starts at the end); one byte more and they take four.
        for (len, narrow) in [(u16::MAX as usize, true), (u16::MAX as usize + 1, false)] {
            let text = format!("{}é\n", "x".repeat(len - 3));
            assert_eq!(text.len(), len);
            let idx = LineIndex::new(&text);
            assert_eq!(matches!(idx.line_starts, Starts::Narrow(_)), narrow);
            assert_eq!(idx.line_count(), 2);
            assert_eq!(idx.line_range(&text, 1), len..len);
            assert_eq!(idx.line_of(len), 1);
            for enc in [Encoding::Utf8, Encoding::Utf16] {
                let end = idx.line_col(&text, len, enc);
                assert_eq!(end, LineCol { line: 1, col: 0 });
                assert_eq!(idx.offset(&text, end, enc), len);
                // The last character of a line of 64 KB, before its break.
                let before = idx.line_col(&text, len - 3, enc);
                assert_eq!(idx.offset(&text, before, enc), len - 3);
            }
        }
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn text() -> impl Strategy<Value = String> {
            let pieces = prop::sample::select(vec![
                "a",
                "Z",
                " ",
                "é",
                "e\u{301}",
                "分",
                "区",
                "😀",
                "👩\u{200d}💻",
                "🇫🇷",
                "\n",
                "\r\n",
                "\r",
                "\t",
            ]);
            prop::collection::vec(pieces, 0..100).prop_map(|v| v.concat())
        }

        impl LineIndex {
            /// The line starts, whatever their width.
            fn starts(&self) -> Vec<u32> {
                (0..self.line_count())
                    .map(|l| self.line_starts.get(l).unwrap() as u32)
                    .collect()
            }
        }

        fn encodings() -> [Encoding; 3] {
            [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32]
        }

        /// The plain reading [`LineIndex::new`] must agree with: every line break found, then
        /// every line checked for bytes outside ASCII and for a CRLF at its end.
        fn index_plainly(text: &str) -> (Vec<u32>, Vec<u32>) {
            let bytes = text.as_bytes();
            let mut starts = vec![0u32];
            let mut i = 0;
            while i < bytes.len() {
                match bytes[i] {
                    b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                        starts.push((i + 2) as u32);
                        i += 1;
                    }
                    b'\r' | b'\n' => starts.push((i + 1) as u32),
                    _ => {}
                }
                i += 1;
            }
            let needs_text = (0..starts.len())
                .filter(|&l| {
                    let end = starts.get(l + 1).map_or(bytes.len(), |&e| e as usize);
                    let line = &bytes[starts[l] as usize..end];
                    !line.is_ascii() || line.ends_with(b"\r\n")
                })
                .map(|l| l as u32)
                .collect();
            (starts, needs_text)
        }

        proptest! {
            /// A pass over every line gives, line by line, what `line_range` gives.
            #[test]
            fn a_pass_over_the_lines_gives_each_lines_range(text in text()) {
                let idx = LineIndex::new(&text);
                let by_line: Vec<_> = (0..idx.line_count())
                    .map(|line| idx.line_range(text.as_str(), line))
                    .collect();
                prop_assert_eq!(idx.line_ranges(&text).collect::<Vec<_>>(), by_line);
            }

            #[test]
            fn line_starts_and_lines_needing_text_are_those_a_plain_reading_finds(
                text in text(),
                pad in 0usize..65,
            ) {
                // Breaks and other characters at every place within the 64 bytes read at a
                // time, across two of them, and in the padded last.
                let text = format!("{}{text}", "x".repeat(pad));
                let idx = LineIndex::new(&text);
                prop_assert_eq!((idx.starts(), idx.needs_text), index_plainly(&text), "{:?}", text);
            }

            /// ASCII prose with line feeds only, up to 64 of them in the 64 bytes read at a
            /// time.
            #[test]
            fn line_feeds_of_ascii_prose_start_the_lines_a_plain_reading_finds(
                pieces in prop::collection::vec(prop::sample::select(vec!["a", "bb", " ", "\n", "\n\n"]), 0..150),
            ) {
                let text = pieces.concat();
                let idx = LineIndex::new(&text);
                prop_assert_eq!((idx.starts(), idx.needs_text), index_plainly(&text), "{:?}", text);
            }

            /// A text that keeps only the lines whose columns need it (a note that is not open)
            /// converts every offset, range and position as the whole text does.
            #[test]
            fn the_lines_needing_text_are_all_a_conversion_reads(text in text(), pad in 0usize..65) {
                let text = format!("{}{text}", "x".repeat(pad));
                let idx = LineIndex::new(&text);
                let kept = crate::source::DocText::pieces(
                    &text,
                    idx.lines_needing_text().collect(),
                    crate::source::Stamp([0; 3]),
                );
                let offsets: Vec<usize> = (0..=text.len()).collect();
                for enc in encodings() {
                    for &o in &offsets {
                        let at = idx.line_col(&text, o, enc);
                        prop_assert_eq!(idx.line_col(&kept, o, enc), at, "{} in {:?}", o, text);
                        prop_assert_eq!(idx.offset(&kept, at, enc), idx.offset(&text, at, enc));
                        let past = LineCol { line: at.line, col: at.col + 3 };
                        prop_assert_eq!(idx.offset(&kept, past, enc), idx.offset(&text, past, enc));
                        for &e in offsets.iter().skip(o).take(6) {
                            prop_assert_eq!(
                                idx.range_cols(&kept, o, e, enc),
                                idx.range_cols(&text, o, e, enc)
                            );
                        }
                    }
                    for line in 0..idx.line_count() + 1 {
                        prop_assert_eq!(idx.line_range(&kept, line), idx.line_range(&text, line));
                    }
                }
            }

            #[test]
            fn a_text_of_64_kb_or_more_is_indexed_as_a_shorter_one(text in text()) {
                // The same text after a line of 64 KB: its offsets in four bytes, not two.
                let first = format!("{}\n", "x".repeat(1 << 16));
                let long = format!("{first}{text}");
                let (short_idx, long_idx) = (LineIndex::new(&text), LineIndex::new(&long));
                prop_assert!(matches!(short_idx.line_starts, Starts::Narrow(_)));
                prop_assert!(matches!(long_idx.line_starts, Starts::Wide(_)));
                prop_assert_eq!(long_idx.line_count(), short_idx.line_count() + 1);
                for enc in encodings() {
                    for (offset, _) in text.char_indices().chain([(text.len(), ' ')]) {
                        let short = short_idx.line_col(&text, offset, enc);
                        let long_at = long_idx.line_col(&long, first.len() + offset, enc);
                        prop_assert_eq!(long_at, LineCol { line: short.line + 1, col: short.col });
                        prop_assert_eq!(long_idx.line_of(first.len() + offset), short_idx.line_of(offset) + 1);
                        prop_assert_eq!(
                            long_idx.offset(&long, long_at, enc),
                            first.len() + short_idx.offset(&text, short, enc)
                        );
                    }
                }
            }

            #[test]
            fn offset_to_position_and_back_is_the_identity(text in text()) {
                let idx = LineIndex::new(&text);
                for enc in encodings() {
                    for (offset, _) in text.char_indices().chain([(text.len(), ' ')]) {
                        let lc = idx.line_col(&text, offset, enc);
                        // A CRLF's LF is not a position of its own: it maps to the CR's.
                        let lf_of_crlf = offset > 0 && text[..offset].ends_with('\r') && text[offset..].starts_with('\n');
                        let back = idx.offset(&text, lc, enc);
                        if lf_of_crlf {
                            prop_assert_eq!(back, offset - 1);
                        } else {
                            prop_assert_eq!(back, offset, "{:?} at {} in {:?}", enc, offset, text);
                        }
                    }
                }
            }

            #[test]
            fn columns_counted_from_bytes_equal_columns_counted_by_characters(text in text(), a in 0usize..200, b in 0usize..200, near in any::<bool>()) {
                let idx = LineIndex::new(&text);
                // Anywhere in the text; half the ranges short (a term, a link), both ends on one
                // line mostly.
                let a = a % (text.len() + 1);
                let b = if near { a + b % 9 } else { b % (text.len() + 1) };
                let (a, b) = (a, b.min(text.len()));
                let (start, end) = (a.min(b), a.max(b));
                for enc in encodings() {
                    // The plain count: characters, each its width in the encoding.
                    let plain = |offset: usize| {
                        let line = idx.line_of(offset);
                        let span = idx.line_range(&text, line);
                        let mut upto = offset.min(span.end);
                        while !text.is_char_boundary(upto) {
                            upto -= 1;
                        }
                        let col: usize = text[span.start..upto].chars().map(|c| match enc {
                            Encoding::Utf8 => c.len_utf8(),
                            Encoding::Utf16 => c.len_utf16(),
                            Encoding::Utf32 => 1,
                        }).sum();
                        LineCol { line: line as u32, col: col as u32 }
                    };
                    prop_assert_eq!(idx.line_col(&text, start, enc), plain(start));
                    prop_assert_eq!(idx.range_cols(&text, start, end, enc), (plain(start), plain(end)));
                }
            }

            #[test]
            fn the_line_of_an_offset_is_the_line_a_binary_search_finds(
                lines in prop::collection::vec(0usize..120, 1..80),
                at in 0usize..12_000,
            ) {
                // Lines of very different lengths, so the first guess is often far off.
                let text: String = lines.iter().map(|&n| format!("{}\n", "x".repeat(n))).collect();
                let idx = LineIndex::new(&text);
                for offset in [at, at % (text.len() + 1), text.len()] {
                    let plain = idx.starts().partition_point(|&s| s as usize <= offset.min(text.len())) - 1;
                    prop_assert_eq!(idx.line_of(offset), plain);
                }
            }

            #[test]
            fn columns_past_the_end_or_inside_a_character_are_clamped(text in text(), line in 0u32..10, col in 0u32..80) {
                let idx = LineIndex::new(&text);
                for enc in encodings() {
                    let at = idx.offset(&text, LineCol { line, col }, enc);
                    prop_assert!(text.is_char_boundary(at));
                    if (line as usize) < idx.line_count() {
                        let span = idx.line_range(&text, line as usize);
                        prop_assert!(span.start <= at && at <= span.end, "{:?} {}:{} -> {} not in {:?}", enc, line, col, at, span);
                        // Never past the position asked for.
                        prop_assert!(idx.line_col(&text, at, enc).col <= col);
                    } else {
                        prop_assert_eq!(at, text.len());
                    }
                }
            }
        }
    }
}
