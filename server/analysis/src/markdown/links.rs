//! A link's destination and words, read back from the source when the outline keeps no copy.

use super::{Link, LinkCopies, LinkKind, Outline};
use crate::source::Source;
use crate::text::{find_byte, find_whitespace, Span, TextRange};

impl Link {
    pub(super) fn new(
        kind: LinkKind,
        range: TextRange,
        dest_range: Option<TextRange>,
        dest: Option<Box<str>>,
        label: Option<Box<str>>,
    ) -> Link {
        Link {
            kind,
            range: Span::new(range),
            dest_range: dest_range.map(Span::new),
            copies: (dest.is_some() || label.is_some())
                .then(|| Box::new(LinkCopies { dest, label })),
        }
    }

    /// A link to a name that is in no text (what completion would insert): `dest` is kept.
    pub fn to_name(kind: LinkKind, dest: &str, range: TextRange) -> Link {
        Link::new(kind, range, None, Some(dest.into()), Some("".into()))
    }

    /// The whole link in the source.
    pub fn range(&self) -> TextRange {
        self.range.get()
    }

    /// The destination text in the source (inside `[[...]]` before any `|`, or inside
    /// `(...)`); `None` for reference-style Markdown links.
    pub fn dest_range(&self) -> Option<TextRange> {
        self.dest_range.map(Span::get)
    }

    /// Moves the link's places in the source (after an edit before it).
    pub(crate) fn move_by(&mut self, to: impl Fn(TextRange) -> TextRange) {
        self.range = Span::new(to(self.range()));
        self.dest_range = self.dest_range().map(|r| Span::new(to(r)));
    }

    /// The destination as written (`state#caching`, `../week2.md#x`); `text` is the text of
    /// the document the link is in.
    pub fn dest<'a, S: Source + ?Sized>(&'a self, text: &'a S) -> &'a str {
        match self.copies.as_ref().and_then(|c| c.dest.as_deref()) {
            Some(dest) => dest,
            None => self
                .dest_range()
                .and_then(|r| text.get(r.start..r.end))
                .unwrap_or(""),
        }
    }

    /// The words shown for the link, as plain text; `text` is the text of its document.
    pub fn label<'a, S: Source + ?Sized>(&'a self, text: &'a S) -> &'a str {
        match self.copies.as_ref().and_then(|c| c.label.as_deref()) {
            Some(label) => label,
            None => label_source(text, self.kind, self.range(), self.dest_range()).unwrap_or(""),
        }
    }
}

/// A link's words as they stand in the source: after the `|` of a wiki link (its destination
/// when there is none), between the brackets of a Markdown link or image.
pub(super) fn label_source<S: Source + ?Sized>(
    text: &S,
    kind: LinkKind,
    range: TextRange,
    dest_range: Option<TextRange>,
) -> Option<&str> {
    let src = text.get(range.start..range.end)?;
    let words = match kind {
        LinkKind::Wiki => {
            let inner = src.strip_prefix("[[")?.strip_suffix("]]")?;
            find_byte(inner, b'|').map_or(inner, |i| &inner[i + 1..])
        }
        LinkKind::Markdown => {
            let dest = dest_range?;
            let open = find_byte(src, b'[')? + 1;
            let close = rfind_link_middle(text.get(range.start..dest.start)?)?;
            src.get(open..close)?
        }
    };
    Some(words.trim())
}

/// Where a link's destination stands in the source (`None` for a reference-style link).
pub(super) fn dest_range(text: &str, kind: LinkKind, link: TextRange) -> Option<TextRange> {
    let src = &text[link.start..link.end];
    match kind {
        LinkKind::Wiki => {
            let inner_start = link.start + 2;
            let inner = src.get(2..src.len().saturating_sub(2))?;
            let end = find_byte(inner, b'|').unwrap_or(inner.len());
            Some(TextRange::new(inner_start, inner_start + end))
        }
        LinkKind::Markdown => {
            if !src.ends_with(')') {
                return None;
            }
            let open = rfind_link_middle(src)?;
            let inner = &src[open + 2..src.len() - 1];
            let inner_trim = inner.trim();
            let lead = inner.len() - inner.trim_start().len();
            // Drop a title: `(dest "title")`.
            let dest_len = find_whitespace(inner_trim).unwrap_or(inner_trim.len());
            let start = link.start + open + 2 + lead;
            Some(TextRange::new(start, start + dest_len))
        }
    }
}

/// Where the last `](` of `s` starts (a byte search: `str::rfind` of a string sets up a
/// searcher for each link).
fn rfind_link_middle(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    memchr::memrchr_iter(b']', bytes).find(|&i| bytes.get(i + 1) == Some(&b'('))
}

/// The Markdown source of `text[range]`, with wiki links shown as their words in italics.
pub fn shown(text: &str, outline: &Outline, range: TextRange) -> String {
    let mut out = String::new();
    let mut at = range.start;
    for link in outline
        .links
        .iter()
        .filter(|l| l.range().start >= range.start && l.range().end <= range.end)
    {
        if link.kind != LinkKind::Wiki {
            continue;
        }
        out.push_str(&text[at..link.range().start]);
        out.push('*');
        out.push_str(link.label(text));
        out.push('*');
        at = link.range().end;
    }
    out.push_str(&text[at..range.end]);
    out.trim().to_string()
}

#[cfg(test)]
mod properties {
    use super::super::*;
    use proptest::prelude::*;

    #[test]
    fn plain_links_keep_no_copy_of_their_destination_or_words() {
        let text =
            "[[state]], [[state#caching|a cache]], [words](week-2.md), ![a map](map.png)\n\n\
                    | [[state\\|in a table]] |\n|---|\n";
        let outline = parse_doc(text);
        assert_eq!(outline.links.len(), 5);
        for link in &outline.links {
            // (An image shows no words: its empty label needs no copy either.)
            let copies = link.copies.as_deref();
            let label = copies
                .and_then(|c| c.label.as_deref())
                .filter(|l| !l.is_empty());
            let dest = copies.and_then(|c| c.dest.as_deref());
            assert_eq!((dest, label), (None, None), "{link:?}");
        }
        let words: Vec<_> = outline.links.iter().map(|l| l.label(text)).collect();
        assert_eq!(words, ["state", "a cache", "words", "", "in a table"]);
        // Escapes, markup and reference-style links keep theirs.
        let text = "[*em* words](a\\_b.md) and [ref][r]\n\n[r]: target.md\n";
        let outline = parse_doc(text);
        let kept: Vec<_> = outline
            .links
            .iter()
            .map(|l| (l.dest(text), l.label(text)))
            .collect();
        assert_eq!(kept, [("a_b.md", "em words"), ("target.md", "ref")]);
        assert!(outline
            .links
            .iter()
            .all(|l| l.copies.as_ref().is_some_and(|c| c.dest.is_some())));
    }

    /// Each link's destination and words as pulldown-cmark gives them, read from its events
    /// alone: a link's (or, outside a link, an image's) destination, and the text and code
    /// inside it (an image's words are its code only: its alt text is no link words).
    fn plainly(text: &str) -> Vec<(String, String)> {
        use pulldown_cmark::{Event, LinkType, Parser, Tag, TagEnd};
        let mut out = vec![];
        let mut open: Option<(String, String)> = None;
        let (mut depth, mut images) = (0, 0);
        for event in Parser::new_ext(text, options()) {
            match event {
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    ..
                }) if open.is_none() => {
                    let mut dest = dest_url.to_string();
                    if matches!(link_type, LinkType::WikiLink { .. }) && dest.ends_with('\\') {
                        dest.pop();
                    }
                    open = Some((dest, String::new()));
                    depth = 1;
                }
                Event::Start(Tag::Image { dest_url, .. }) => {
                    if open.is_none() {
                        open = Some((dest_url.to_string(), String::new()));
                    }
                    depth += 1;
                    images += 1;
                }
                Event::Start(Tag::Link { .. }) => depth += 1,
                Event::End(end @ (TagEnd::Link | TagEnd::Image)) => {
                    if end == TagEnd::Image {
                        images -= 1;
                    }
                    depth -= 1;
                    if depth == 0 {
                        let (dest, words) = open.take().unwrap();
                        out.push((dest, words.trim().to_string()));
                    }
                }
                Event::Text(t) if images == 0 => {
                    if let Some((_, words)) = &mut open {
                        words.push_str(&t);
                    }
                }
                Event::Code(t) => {
                    if let Some((_, words)) = &mut open {
                        words.push_str(&t);
                    }
                }
                _ => {}
            }
        }
        out
    }

    proptest! {
        #[test]
        fn the_last_link_middle_is_found_as_rfind_finds_it(
            parts in prop::collection::vec(prop::sample::select(vec!["]", "(", "](", "a", "é", ")"]), 0..12)
        ) {
            let s: String = parts.concat();
            prop_assert_eq!(super::rfind_link_middle(&s), s.rfind("]("), "{:?}", s);
        }
    }

    proptest! {
        #[test]
        fn destinations_and_words_read_back_are_the_parsers(
            links in prop::collection::vec((
                prop::sample::select(vec![
                    "[[D]]", "[[D|W]]", "[[ D | W ]]", "[W](D)", "[W](<D>)", "[W](D \"t\")",
                    "![W](D)", "[W][r]", "[W]", "| [[D\\|W]] |", "[*W* `c`](D)", "[[D#h]]",
                    "[W\\]](D)", "[W](D\\_x)", "[W](D&amp;x)", "[**W**][r]",
                ]),
                prop::sample::select(vec!["state", "a b", "é分", "x_y", "", "s#t", "../n.md"]),
                prop::sample::select(vec!["words", "a *b* c", "`x`", "é", "", "w\\*"]),
            ), 1..6),
            sep in prop::sample::select(vec![" ", "\n", "\n\n", " and "]),
        ) {
            let mut text = String::new();
            for (form, dest, words) in &links {
                text.push_str(&form.replace('D', dest).replace('W', words));
                text.push_str(sep);
            }
            text.push_str("\n[r]: ref-dest\n");
            let read: Vec<(String, String)> = parse_doc(&text)
                .links
                .iter()
                .map(|l| (l.dest(&text).to_string(), l.label(&text).to_string()))
                .collect();
            prop_assert_eq!(read, plainly(&text), "{:?}", text);
        }
    }
}
