//! Prose for property tests: segments of words, each after a gap of markup and joined to the one
//! before as a generated number says.

use proptest::prelude::*;

use super::{Join, ProseSegment};
use crate::text::TextRange;

/// The text and its prose segments: for each `(words, gap, join)`, `gap` then the words; the
/// first segment, and those with `join` 0, start a block ([`Join::Barrier`]), 1 joins by a line
/// break ([`Join::Space`]), anything else directly ([`Join::Adjacent`]).
pub(crate) fn prose_of(pieces: &[(Vec<&str>, &str, u8)]) -> (String, Vec<ProseSegment>) {
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
        prose.push(ProseSegment {
            range: TextRange::new(start, text.len()),
            join,
        });
    }
    (text, prose)
}

/// A few lines of Markdown: words that make names, line breaks with and without indentation,
/// quote and list markers, hard breaks, emphasis, code, addresses and a shortcode.
pub(crate) fn wrapped_paragraph() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec![
            "cache",
            "line",
            "Cache",
            "circuit",
            "breaker",
            "API",
            "read-through",
            " ",
            "\n",
            "\n  ",
            "\r\n",
            "  \n",
            "\n\t",
            "\\\n",
            "*",
            "**",
            "`x`",
            "\n> ",
            "\n- ",
            "http://a.io/x",
            "www.b.org",
            "c@d.io",
            "{{< s >}}",
            "é",
            "&amp;",
            "_",
            ".",
        ]),
        1..24,
    )
    .prop_map(|parts| parts.concat())
}

/// The prose of a text as the term scan reads it from the outline (markup taken out).
pub(crate) use super::builder::prose_as_read;
