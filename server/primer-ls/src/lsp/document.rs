//! The open documents' text: LSP content changes applied to a rope.

use std::sync::Arc;

use primer_analysis::{Encoding, TextRange};
use ropey::Rope;
use tower_lsp::lsp_types::TextDocumentContentChangeEvent;

use super::convert;

/// Applies changes in order. Returns the new text, and when there was exactly one ranged change
/// (what editors send per keystroke), the byte range of the old text it replaced, so that only
/// the blocks around it need analysing again.
pub fn apply_changes(
    rope: &mut Rope,
    changes: &[TextDocumentContentChangeEvent],
    enc: Encoding,
) -> (Arc<str>, Option<TextRange>) {
    let mut edit = None;
    for change in changes {
        edit = apply_change(rope, change, enc);
    }
    let edit = edit.filter(|_| changes.len() == 1);
    (text_of(rope), edit)
}

/// The rope's text, copied once, straight into the buffer the note keeps (a 1 MB note is not
/// copied twice on every keystroke).
pub fn text_of(rope: &Rope) -> Arc<str> {
    let mut buffer = crate::text_buffer::zeroed(rope.len_bytes());
    let slot = Arc::get_mut(&mut buffer).expect("a buffer no one else holds");
    let mut at = 0;
    for chunk in rope.chunks() {
        slot[at..at + chunk.len()].copy_from_slice(chunk.as_bytes());
        at += chunk.len();
    }
    assert_eq!(at, buffer.len(), "a rope's chunks hold all its bytes");
    // SAFETY: the bytes are the rope's chunks, each a `str`, one after the other (a character
    // never spans two chunks).
    unsafe { crate::text_buffer::into_text_unchecked(buffer) }
}

/// Applies one change; a range past the end or inside a character is clamped (never a panic).
pub fn apply_change(
    rope: &mut Rope,
    change: &TextDocumentContentChangeEvent,
    enc: Encoding,
) -> Option<TextRange> {
    let Some(r) = change.range else {
        *rope = Rope::from_str(&change.text);
        return None;
    };
    let start = convert::rope_char(rope, r.start, enc);
    let end = convert::rope_char(rope, r.end, enc).max(start);
    let replaced = TextRange::new(rope.char_to_byte(start), rope.char_to_byte(end));
    rope.remove(start..end);
    rope.insert(start, &change.text);
    Some(replaced)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use tower_lsp::lsp_types::{Position, Range};

    proptest! {
        /// The text copied out of a rope is the rope's text, whatever its chunks.
        #[test]
        fn the_text_of_a_rope_is_its_text(
            parts in prop::collection::vec("[a-zé分\n🦀 ]{0,300}", 0..12),
            at in 0usize..4000,
        ) {
            let mut rope = Rope::new();
            for part in &parts {
                let at = rope.len_chars().min(at);
                rope.insert(at, part);
            }
            let text = text_of(&rope);
            let plain = rope.to_string();
            prop_assert_eq!(&*text, plain.as_str());
        }
    }

    /// The reference: a position → byte offset in a plain String, counted character by
    /// character (lines end at \n, \r\n or a lone \r; a column inside a character goes to that
    /// character's start, one past the line's end to the line's end).
    fn offset(text: &str, pos: Position, enc: Encoding) -> usize {
        let mut line = 0;
        let mut i = 0;
        let bytes = text.as_bytes();
        while line < pos.line {
            match text[i..].find(['\n', '\r']) {
                None => return text.len(),
                Some(k) => {
                    i += k;
                    if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                        i += 1;
                    }
                    i += 1;
                    line += 1;
                }
            }
        }
        let mut col = 0;
        for (k, c) in text[i..].char_indices() {
            let width = match enc {
                Encoding::Utf8 => c.len_utf8() as u32,
                Encoding::Utf16 => c.len_utf16() as u32,
                Encoding::Utf32 => 1,
            };
            if c == '\n' || c == '\r' || col + width > pos.character {
                return i + k;
            }
            col += width;
        }
        text.len()
    }

    fn texts() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "a",
            "é",
            "e\u{301}",
            "中",
            "😀",
            "👩\u{200d}💻",
            "\n",
            "\r\n",
            "\r",
            " ",
            "#",
            "[[x]]",
        ]);
        prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
    }

    fn position() -> impl Strategy<Value = Position> {
        (0u32..8, 0u32..12).prop_map(|(line, character)| Position { line, character })
    }

    fn encoding() -> impl Strategy<Value = Encoding> {
        prop::sample::select(vec![Encoding::Utf8, Encoding::Utf16, Encoding::Utf32])
    }

    proptest! {
        #[test]
        fn ranged_changes_edit_the_rope_like_a_string(
            start in texts(),
            edits in prop::collection::vec((position(), position(), texts()), 1..10),
            enc in encoding(),
        ) {
            let mut rope = Rope::from_str(&start);
            let mut plain = start.clone();
            for (a, b, insert) in edits {
                let (a, b) = if (a.line, a.character) <= (b.line, b.character) { (a, b) } else { (b, a) };
                let change = TextDocumentContentChangeEvent {
                    range: Some(Range { start: a, end: b }),
                    range_length: None,
                    text: insert.clone(),
                };
                let replaced = apply_change(&mut rope, &change, enc).unwrap();
                let (x, y) = (offset(&plain, a, enc), offset(&plain, b, enc).max(offset(&plain, a, enc)));
                prop_assert_eq!(replaced, TextRange::new(x, y));
                plain.replace_range(x..y, &insert);
                prop_assert_eq!(rope.to_string(), plain.clone());
            }
        }
    }
}
