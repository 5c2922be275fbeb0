//! A document's text as the analysis holds it: whole, or, for a note that is not open, only the
//! pieces that answers over every note read (its links, and the lines whose columns need their
//! text), with the stamp of the file it was read from to read the rest back when a rare answer
//! needs it (a preview, a new primer).
//!
//! A workspace of 10,000 notes is mostly text nobody reads again once analysed: the words of
//! the notes that are not open. Keeping only the pieces leaves the derived data and a few
//! percent of the text.

use std::sync::Arc;

use crate::text::TextRange;

/// A text that answers for byte ranges of it: a `str`, or a document's [`DocText`].
pub trait Source {
    /// The text of `start..end`, as [`str::get`]: `None` outside the text or off a character
    /// boundary, and for a [`DocText`] that kept only pieces, for a range it did not keep.
    fn get(&self, range: std::ops::Range<usize>) -> Option<&str>;
}

impl Source for str {
    fn get(&self, range: std::ops::Range<usize>) -> Option<&str> {
        str::get(self, range)
    }
}

impl Source for String {
    fn get(&self, range: std::ops::Range<usize>) -> Option<&str> {
        str::get(self, range)
    }
}

impl Source for Arc<str> {
    fn get(&self, range: std::ops::Range<usize>) -> Option<&str> {
        str::get(self, range)
    }
}

/// What tells a file's text, as read, from a later one: given by whoever read it (the server:
/// the file's identity, length and modification time), compared before reading it again.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Stamp(pub [u64; 3]);

/// A document's text: whole, or only some pieces of it.
#[derive(Clone, Debug)]
pub enum DocText {
    Whole(Arc<str>),
    Pieces(Arc<Pieces>),
}

/// Pieces of a text: each piece's start in the text, in order, with where it starts in one
/// buffer holding them all.
#[derive(Debug)]
pub struct Pieces {
    len: usize,
    stamp: Stamp,
    /// (start in the text, start in `buf`) of each piece; a piece ends where the next one
    /// starts in `buf`.
    starts: Box<[(u32, u32)]>,
    buf: Box<str>,
}

impl From<Arc<str>> for DocText {
    fn from(text: Arc<str>) -> DocText {
        DocText::Whole(text)
    }
}

impl From<&str> for DocText {
    fn from(text: &str) -> DocText {
        DocText::Whole(text.into())
    }
}

impl DocText {
    /// Keeps only `ranges` of `text` (in any order, overlapping or not; one that is not on
    /// character boundaries of the text is left out), for a text read from a file with `stamp`.
    pub fn pieces(text: &str, mut ranges: Vec<TextRange>, stamp: Stamp) -> DocText {
        ranges.retain(|r| {
            r.end > r.start && text.is_char_boundary(r.start) && text.is_char_boundary(r.end)
        });
        ranges.sort_unstable_by_key(|r| r.start);
        let mut merged: Vec<TextRange> = Vec::with_capacity(ranges.len());
        for r in ranges {
            match merged.last_mut() {
                // Touching or overlapping pieces are one; so are two a few bytes apart (a
                // piece's entry costs 8 bytes).
                Some(last) if r.start <= last.end + 8 => last.end = last.end.max(r.end),
                _ => merged.push(r),
            }
        }
        let mut buf = String::with_capacity(merged.iter().map(TextRange::len).sum());
        let starts = merged
            .iter()
            .map(|r| {
                let at = buf.len() as u32;
                buf.push_str(&text[r.start..r.end]);
                (r.start as u32, at)
            })
            .collect();
        DocText::Pieces(Arc::new(Pieces {
            len: text.len(),
            stamp,
            starts,
            buf: buf.into_boxed_str(),
        }))
    }

    /// The whole text, when it is kept.
    pub fn whole(&self) -> Option<&Arc<str>> {
        match self {
            DocText::Whole(text) => Some(text),
            DocText::Pieces(_) => None,
        }
    }

    /// The whole text. Only for a document known to be whole (an open one, one of the primer,
    /// one the caller made from its text): a document that kept pieces gives an empty text,
    /// which a debug build reports as the bug it is.
    pub fn as_str(&self) -> &str {
        match self {
            DocText::Whole(text) => text,
            DocText::Pieces(_) => {
                debug_assert!(false, "the whole text of a document that kept only pieces");
                ""
            }
        }
    }

    /// The pieces kept, when the text is not whole.
    pub fn kept(&self) -> Option<&Pieces> {
        match self {
            DocText::Whole(_) => None,
            DocText::Pieces(p) => Some(p),
        }
    }

    pub fn len(&self) -> usize {
        match self {
            DocText::Whole(text) => text.len(),
            DocText::Pieces(p) => p.len,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The bytes kept beside the record (for the memory census).
    pub fn heap_bytes(&self) -> usize {
        match self {
            DocText::Whole(text) => text.len(),
            DocText::Pieces(p) => p.buf.len() + p.starts.len() * 8 + std::mem::size_of::<Pieces>(),
        }
    }
}

impl Pieces {
    pub fn stamp(&self) -> Stamp {
        self.stamp
    }

    /// Whether `text` (a file read again) is the text these pieces were kept from, as far as
    /// they show: its length and every piece.
    pub fn agree_with(&self, text: &str) -> bool {
        text.len() == self.len
            && self
                .ranges()
                .all(|(r, piece)| text.get(r.start..r.end) == Some(piece))
    }

    /// Piece `i`: where it starts in the text, and its bytes.
    fn piece(&self, i: usize) -> (usize, &str) {
        let (start, at) = self.starts[i];
        let end = self
            .starts
            .get(i + 1)
            .map_or(self.buf.len(), |n| n.1 as usize);
        (start as usize, &self.buf[at as usize..end])
    }

    /// Each piece with its range in the text.
    fn ranges(&self) -> impl Iterator<Item = (TextRange, &str)> + '_ {
        (0..self.starts.len()).map(|i| {
            let (start, piece) = self.piece(i);
            (TextRange::new(start, start + piece.len()), piece)
        })
    }

    fn get(&self, range: std::ops::Range<usize>) -> Option<&str> {
        if range.start > range.end || range.end > self.len {
            return None;
        }
        // The last piece that starts at or before the range.
        let i = self
            .starts
            .partition_point(|&(start, _)| start as usize <= range.start)
            .checked_sub(1);
        let found = i.and_then(|i| {
            let (start, piece) = self.piece(i);
            piece.get(range.start - start..range.end - start)
        });
        if found.is_none() && range.is_empty() {
            return Some("");
        }
        debug_assert!(
            found.is_some(),
            "{range:?}: a range of the text that was not kept"
        );
        found
    }
}

impl Source for DocText {
    fn get(&self, range: std::ops::Range<usize>) -> Option<&str> {
        match self {
            DocText::Whole(text) => text.get(range),
            DocText::Pieces(p) => p.get(range),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const STAMP: Stamp = Stamp([1, 2, 3]);

    #[test]
    fn kept_pieces_read_as_the_text_and_the_rest_is_none() {
        let text = "one [[two]] three\nfour é five\n";
        let kept = DocText::pieces(
            text,
            vec![TextRange::new(4, 11), TextRange::new(18, 31)],
            STAMP,
        );
        assert_eq!(kept.len(), text.len());
        assert_eq!(kept.get(4..11), Some("[[two]]"));
        assert_eq!(kept.get(6..9), Some("two"));
        assert_eq!(kept.get(18..31), Some("four é five\n"));
        assert_eq!(kept.get(99..100), None);
        assert!(kept.whole().is_none());
        let pieces = kept.kept().unwrap();
        assert!(pieces.agree_with(text));
        assert!(!pieces.agree_with("one [[tww]] three\nfour é five\n"));
        assert!(!pieces.agree_with("one [[two]] three\nfour é five"));
        assert!(pieces.agree_with("ONE [[two]] three\nfour é five\n"));
    }

    proptest! {
        /// Any range inside a kept one reads as the text does, however the kept ranges overlap
        /// or touch.
        #[test]
        fn a_range_inside_a_kept_one_reads_as_the_text(
            text in "[a-z \n]{0,80}",
            ranges in prop::collection::vec((0usize..90, 0usize..12), 0..8),
            probe in (0usize..90, 0usize..20),
        ) {
            let ranges: Vec<TextRange> = ranges
                .into_iter()
                .map(|(s, n)| TextRange::new(s.min(text.len()), (s + n).min(text.len())))
                .collect();
            let kept = DocText::pieces(&text, ranges.clone(), STAMP);
            prop_assert!(kept.kept().unwrap().agree_with(&text));
            let (s, n) = probe;
            let want = TextRange::new(s, s + n);
            if ranges.iter().any(|r| r.start <= want.start && want.end <= r.end) {
                prop_assert_eq!(kept.get(want.start..want.end), text.get(want.start..want.end));
            }
        }
    }
}
