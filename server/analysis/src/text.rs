//! Byte ranges in a text, and the small path and text helpers every layer needs.

use std::sync::Arc;

/// A [`TextRange`] in 8 bytes, for the records a workspace keeps by the hundred thousand (a
/// text is under 4 GB: the file gate and the transport cap texts far below that).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Span {
    start: u32,
    end: u32,
}

impl Span {
    pub fn new(range: TextRange) -> Span {
        Span {
            start: range.start as u32,
            end: range.end as u32,
        }
    }

    pub fn get(self) -> TextRange {
        TextRange::new(self.start as usize, self.end as usize)
    }
}

/// A half-open byte range `start..end` in one text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TextRange {
    pub start: usize,
    pub end: usize,
}

impl TextRange {
    pub fn new(start: usize, end: usize) -> TextRange {
        TextRange {
            start,
            end: end.max(start),
        }
    }

    pub fn empty(at: usize) -> TextRange {
        TextRange { start: at, end: at }
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// Whether `offset` is inside, counting the position right after the last byte.
    pub fn contains_inclusive(&self, offset: usize) -> bool {
        self.start <= offset && offset <= self.end
    }

    pub fn contains(&self, offset: usize) -> bool {
        self.start <= offset && offset < self.end
    }

    pub fn intersects(&self, other: TextRange) -> bool {
        self.start <= other.end && other.start <= self.end
    }
}

/// A range in a named file.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileRange {
    pub path: Arc<str>,
    pub range: TextRange,
}

/// The file name of a path without its extension.
pub fn file_stem(path: &str) -> &str {
    let cut = path.bytes().rposition(|b| b == b'/' || b == b'\\');
    let name = cut.map_or(path, |i| &path[i + 1..]);
    name.strip_suffix(".md")
        .or_else(|| name.strip_suffix(".markdown"))
        .unwrap_or(name)
}

/// A `file://` URL for an absolute path, for links inside hover text.
pub fn file_url(path: &str) -> String {
    let path = path.replace('\\', "/");
    let slash = if path.starts_with('/') { "" } else { "/" };
    format!("file://{slash}{}", percent_encode_path(&path))
}

/// A `/`-separated path with every byte but letters, digits, `/`, `-`, `.`, `_` and `~`
/// percent-encoded, as URLs and relative links want it.
pub fn percent_encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

/// Resolves `.` and `..` in a `/`-separated path; `None` when `..` climbs above the start.
pub fn normalize(path: &str) -> Option<String> {
    let absolute = path.starts_with('/');
    let mut parts: Vec<&str> = vec![];
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    let joined = parts.join("/");
    Some(if absolute {
        format!("/{joined}")
    } else {
        joined
    })
}

/// The folder a path is in ("" for a bare name).
pub fn folder_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

/// The path of `target` as a link in the file at `from` writes it (relative to its folder).
pub fn path_from(from: &str, target: &str) -> String {
    relative_path(folder_of(from), target)
}

/// The path of `target` as written from inside folder `dir`.
pub fn relative_path(dir: &str, target: &str) -> String {
    let from: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    let to: Vec<&str> = target.split('/').filter(|s| !s.is_empty()).collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<&str> = vec![".."; from.len() - common];
    parts.extend(&to[common..]);
    parts.join("/")
}

pub fn floor_boundary(text: &str, offset: usize) -> usize {
    let mut o = offset.min(text.len());
    while !text.is_char_boundary(o) {
        o -= 1;
    }
    o
}

/// The end of the line holding `offset` (before its line break).
pub fn line_end(text: &str, offset: usize) -> usize {
    text[offset..]
        .find(['\n', '\r'])
        .map_or(text.len(), |i| offset + i)
}

/// Whether `text` ends with an empty line (two line breaks in a row).
pub fn blank_line_ends(text: &str) -> bool {
    text.ends_with("\n\n") || text.ends_with("\r\n\r\n") || text.ends_with("\r\r")
}

/// `text` with each wiki link `[[dest]]` / `[[dest|words]]` replaced by what `show(dest, words)`
/// gives (an unclosed `[[` is left as it is).
pub fn replace_wikilinks(text: &str, mut show: impl FnMut(&str, Option<&str>) -> String) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("[[") {
        let Some(len) = rest[start..].find("]]") else {
            break;
        };
        out.push_str(&rest[..start]);
        let inner = &rest[start + 2..start + len];
        let (dest, words) = match inner.split_once('|') {
            Some((d, w)) => (d, Some(w)),
            None => (inner, None),
        };
        out.push_str(&show(dest, words));
        rest = &rest[start + len + 2..];
    }
    out.push_str(rest);
    out
}

/// Where the ASCII byte `byte` first stands in `s`, a few bytes long (a link's destination or
/// name): read in a plain loop, as `str::find` sets up its search for long texts (std's byte
/// search took a percent of the index at 180,000 links).
pub fn find_byte(s: &str, byte: u8) -> Option<usize> {
    s.bytes().position(|b| b == byte)
}

/// Where the first whitespace character of `s` starts, as `s.find(char::is_whitespace)` says,
/// read bytes at a time (a link's destination, some forty bytes of a path, is read so for every
/// link): eight at once while they are printable ASCII other than the space, then byte by byte,
/// where whitespace outside ASCII starts with a byte 0xC2 (U+0085, U+00A0), 0xE1 (U+1680), 0xE2
/// (U+2000 to U+205F) or 0xE3 (U+3000), and only a character starting so is decoded.
pub fn find_whitespace(s: &str) -> Option<usize> {
    use crate::bytes::swar::{within, HIGH};
    let bytes = s.as_bytes();
    let mut at = 0;
    while let Some(eight) = bytes.get(at..at + 8) {
        let x = u64::from_le_bytes(eight.try_into().expect("eight bytes"));
        if within(x, 0x21, 0x7E) != HIGH {
            break;
        }
        at += 8;
    }
    let found = bytes[at..].iter().enumerate().position(|(i, &b)| match b {
        b' ' | b'\t' | b'\n' | b'\x0B' | b'\x0C' | b'\r' => true,
        0xC2 | 0xE1..=0xE3 => s[at + i..].chars().next().is_some_and(char::is_whitespace),
        _ => false,
    });
    found.map(|i| at + i)
}

/// `name#anchor` → (`name`, `Some(anchor)`).
pub fn split_anchor(dest: &str) -> (&str, Option<&str>) {
    match find_byte(dest, b'#') {
        Some(i) => (&dest[..i], Some(&dest[i + 1..])),
        None => (dest, None),
    }
}

/// Whether `text` is already its words with one space between them (as splitting it at
/// whitespace and joining the words with spaces would give): ASCII with no space at either end,
/// no two together and no other whitespace. Other text may hold Unicode whitespace, and is
/// taken as not.
pub fn single_spaced(text: &str) -> bool {
    use crate::bytes::swar::{within, zero, HIGH, ONES};
    let bytes = text.as_bytes();
    // Eight bytes at a time while they are printable ASCII (no byte below 0x21 but spaces):
    // then only two spaces together, or one across the edge, can spoil it.
    let mut at = 0;
    let mut before = b' ';
    while let Some(eight) = bytes.get(at..at + 8) {
        let x = u64::from_le_bytes(eight.try_into().expect("eight bytes"));
        if within(x, 0x20, 0x7F) != HIGH {
            break;
        }
        // Bit 7 set for each space.
        let space = zero(x ^ (ONES * 0x20));
        if space & (space << 8) != 0 || (before == b' ' && space & 0x80 != 0) {
            return false;
        }
        before = eight[7];
        at += 8;
    }
    for &c in &bytes[at..] {
        let bad = match c {
            b' ' => before == b' ',
            b'\t' | b'\n' | b'\x0B' | b'\x0C' | b'\r' => true,
            _ => !c.is_ascii(),
        };
        if bad {
            return false;
        }
        before = c;
    }
    text.is_empty() || before != b' '
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    proptest! {
        /// The first whitespace found byte by byte is the first `char::is_whitespace` finds:
        /// every kind of whitespace, and characters that start with the same bytes but are not.
        #[test]
        fn whitespace_is_found_where_the_characters_say(
            parts in prop::collection::vec(prop::sample::select(vec![
                "a", "dest.md", "#", "student-024/week-12/n0943.md", " ", "\t", "\n", "\r", "\u{b}", "\u{c}", "\u{85}", "\u{a0}",
                "\u{1680}", "\u{2000}", "\u{200a}", "\u{2028}", "\u{2029}", "\u{202f}",
                "\u{205f}", "\u{3000}", "é", "\u{a2}", "\u{1680}x", "\u{16a0}", "\u{2026}",
                "\u{200b}", "\u{3001}", "😀",
            ]), 0..12)
        ) {
            let text: String = parts.concat();
            prop_assert_eq!(super::find_whitespace(&text), text.find(char::is_whitespace));
        }

        /// Text taken as single-spaced is what splitting it at whitespace and joining the words
        /// with one space gives.
        #[test]
        fn single_spaced_text_is_its_words_joined_by_one_space(
            // Mostly printable ASCII, so that runs of eight bytes of it are common.
            parts in prop::collection::vec(prop_oneof![
                12 => prop::sample::select(vec!["a", "bc", "defghij", " ", "  ", "!", "~", "\u{7f}"]),
                1 => prop::sample::select(vec![
                    "\t", "\n", "\r", "\u{b}", "\u{c}", "\u{a0}", "\u{2003}", "é", "\u{1}", "\u{1f}",
                ]),
            ], 0..40)
        ) {
            let text: String = parts.concat();
            let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
            if super::single_spaced(&text) {
                prop_assert_eq!(&joined, &text);
            } else if text.is_ascii() {
                // (Text outside ASCII is taken as not, whatever it holds.)
                prop_assert_ne!(&joined, &text);
            }
        }
    }
}
