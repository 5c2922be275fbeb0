//! One Markdown file → its outline: front matter title, headings, links, prose runs, list items,
//! task items, definition-list entries. All structure comes from pulldown-cmark's offset iterator,
//! so code, HTML, math and front matter are excluded from prose by construction.

use pulldown_cmark::Options;

mod builder;
mod front_matter;
mod links;
mod markup;
#[cfg(test)]
pub(crate) mod test_prose;

use crate::text::{Span, TextRange};
use builder::parse_with;
pub use front_matter::front_matter_title;
pub(crate) use front_matter::{front_matter, opens_front_matter};
pub use links::shown;
pub use markup::is_shortcode;

/// A heading of the document (48 bytes, its text and ids in one allocation: a workspace
/// keeps tens of thousands).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    /// The heading opted out of defining a term with `{.not-term}`.
    pub not_term: bool,
    /// The lengths of the text and of the id at the start of `names`.
    text_len: u32,
    id_len: u32,
    /// The text, the id and the base id, one after the other (see [`Heading::text`],
    /// [`Heading::id`], [`Heading::base_id`]).
    names: Box<str>,
    /// The whole heading line(s) (see [`Heading::range`]).
    range: Span,
    /// The heading's text in the source (see [`Heading::text_range`]).
    text_range: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkKind {
    /// `[[target]]`, `[[target|label]]`.
    Wiki,
    /// `[text](dest)` and its reference forms.
    Markdown,
}

impl Heading {
    pub fn new(
        level: u8,
        text: &str,
        id: &str,
        base_id: &str,
        range: TextRange,
        text_range: TextRange,
        not_term: bool,
    ) -> Heading {
        Heading {
            level,
            not_term,
            text_len: text.len() as u32,
            id_len: id.len() as u32,
            names: [text, id, base_id].concat().into_boxed_str(),
            range: Span::new(range),
            text_range: Span::new(text_range),
        }
    }

    /// The whole heading line(s).
    pub fn range(&self) -> TextRange {
        self.range.get()
    }

    /// The heading's text in the source.
    pub fn text_range(&self) -> TextRange {
        self.text_range.get()
    }

    /// Moves the heading's places in the source (after an edit before it).
    pub(crate) fn move_by(&mut self, to: impl Fn(TextRange) -> TextRange) {
        self.range = Span::new(to(self.range()));
        self.text_range = Span::new(to(self.text_range()));
    }

    /// The heading's text, without `#` marks or `{#id}` attributes.
    pub fn text(&self) -> &str {
        &self.names[..self.text_len as usize]
    }

    /// The explicit `{#id}`, or else the GitHub slug, unique within the document.
    pub fn id(&self) -> &str {
        let start = self.text_len as usize;
        &self.names[start..start + self.id_len as usize]
    }

    /// The id before it was made unique (`-1`, `-2` suffixes are added in document order);
    /// empty once the document is compacted.
    pub fn base_id(&self) -> &str {
        &self.names[(self.text_len + self.id_len) as usize..]
    }

    pub(crate) fn set_id(&mut self, id: &str) {
        *self = Heading::new(
            self.level,
            self.text(),
            id,
            self.base_id(),
            self.range(),
            self.text_range(),
            self.not_term,
        );
    }

    /// Drops the base id (only re-analysing an edit needs it).
    pub(crate) fn forget_base_id(&mut self) {
        let end = (self.text_len + self.id_len) as usize;
        if end < self.names.len() {
            self.names = self.names[..end].into();
        }
    }

    /// A heading with no words (`# 2`, an empty `##`): a number or a divider, never a topic,
    /// a completion or a symbol.
    pub fn is_wordless(&self) -> bool {
        !self.text().chars().any(char::is_alphabetic)
    }
}

/// A link and where its destination sits (32 bytes: a workspace keeps hundreds of thousands).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    pub kind: LinkKind,
    /// The whole link in the source (see [`Link::range`]).
    range: Span,
    /// The destination text in the source (see [`Link::dest_range`]).
    dest_range: Option<Span>,
    /// The destination and the words when they are not the source's own bytes (escapes,
    /// `<…>`, markup, a reference-style link): most links keep no copy. See [`Link::dest`] and
    /// [`Link::label`].
    copies: Option<Box<LinkCopies>>,
}

/// What a link keeps of its destination and words when the source does not show them as they are.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct LinkCopies {
    dest: Option<Box<str>>,
    label: Option<Box<str>>,
}

/// A list item with its plain text; `checked` is set for task items (`- [ ]`, `- [x]`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListItem {
    pub range: TextRange,
    /// The item's plain text when it is not its source as written (markup taken out, a line
    /// break or runs of spaces read as one space): see [`ListItem::text`].
    text: Option<Box<str>>,
    pub text_range: TextRange,
    pub checked: Option<bool>,
    /// The heading the item sits under.
    pub heading: Option<usize>,
    /// Nesting depth: 0 for a top-level list.
    pub depth: usize,
    /// Which list the item belongs to: the items of one list share it (lists are numbered in
    /// text order).
    pub list: u32,
}

impl ListItem {
    /// The item's plain text; `source` is the text of the document it is in. (In a
    /// document's outline only a task item has one: see [`parse_doc`].)
    pub fn text<'a, S: crate::source::Source + ?Sized>(&'a self, source: &'a S) -> &'a str {
        match &self.text {
            Some(text) => text,
            None => source
                .get(self.text_range.start..self.text_range.end)
                .unwrap_or(""),
        }
    }

    /// Where the item's plain text is in its document's source, when it is that source as
    /// written (no markup, escape or line break inside it: most items).
    pub fn text_as_written(&self) -> Option<TextRange> {
        self.text.is_none().then_some(self.text_range)
    }
}

/// A definition-list entry: `TERM` then one or more `: definition` lines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DefEntry {
    pub term: String,
    pub term_range: TextRange,
    /// Each definition's source text (Markdown), with the leading `: ` removed.
    pub definitions: Vec<(String, TextRange)>,
}

/// A paragraph: its Markdown source and the heading it sits under (16 bytes: a workspace keeps
/// tens of thousands).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paragraph {
    range: Span,
    /// The heading's index plus one; 0 for none.
    heading: u32,
}

impl Paragraph {
    pub fn new(range: TextRange, heading: Option<usize>) -> Paragraph {
        Paragraph {
            range: Span::new(range),
            heading: heading.map_or(0, |h| h as u32 + 1),
        }
    }

    /// The paragraph's Markdown source.
    pub fn range(&self) -> TextRange {
        self.range.get()
    }

    /// The heading the paragraph sits under.
    pub fn heading(&self) -> Option<usize> {
        (self.heading as usize).checked_sub(1)
    }

    /// Moves the paragraph (after an edit before it) and renumbers its heading.
    pub(crate) fn move_by(
        &mut self,
        to: impl Fn(TextRange) -> TextRange,
        heading: impl Fn(Option<usize>) -> Option<usize>,
    ) {
        *self = Paragraph::new(to(self.range()), heading(self.heading()));
    }
}

/// How a prose segment joins the one before it in the same block.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Join {
    /// Directly adjacent (only emphasis marks between).
    Adjacent,
    /// A line break between: read as one space.
    Space,
    /// Something that is not prose between (code, HTML, a link): terms never span it.
    #[default]
    Barrier,
}

/// A run of prose text in the source, in reading order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProseSegment {
    pub range: TextRange,
    pub join: Join,
}

/// Everything the rest of the analysis needs from one Markdown file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outline {
    pub title: Option<String>,
    pub front_matter: Option<TextRange>,
    pub headings: Vec<Heading>,
    pub links: Vec<Link>,
    pub items: Vec<ListItem>,
    pub definitions: Vec<DefEntry>,
    pub paragraphs: Vec<Paragraph>,
    /// Prose segments; segments of different blocks are joined by [`Join::Barrier`].
    pub prose: Vec<ProseSegment>,
    /// Code blocks, code spans, math and HTML: where terms and links are never looked for.
    pub code: Vec<TextRange>,
    /// Footnote definitions: label and the definition's range.
    pub footnotes: Vec<(String, TextRange)>,
    /// Where top-level blocks start after a blank line: places where parsing can restart with
    /// the same result, so an edit re-parses only the blocks around it (see `reparse`).
    pub blocks: Vec<usize>,
}

impl Outline {
    /// Makes room, before the parser sets out its own tree, for the lists an outline of `bytes`
    /// of Markdown usually fills (one prose run per 55 bytes, a block per 250, a link per 460
    /// on the benchmark notes). Lists that grew while the parser's tree grew beside them were
    /// copied whenever either outgrew its place: reserved, the analysis of the 1,000 benchmark
    /// notes runs 2.0% fewer instructions (1.8% outside `memcpy`), that of the 1 MB note 2.0%
    /// fewer, most of them `memcpy`'s (callgrind over repeated analyses).
    pub(crate) fn reserve_for(&mut self, bytes: usize) {
        self.prose.reserve(bytes / 48);
        self.links.reserve(bytes / 512);
        self.code.reserve(bytes / 1024);
        self.blocks.reserve(bytes / 256);
        self.paragraphs.reserve(bytes / 320);
        self.items.reserve(bytes / 384);
    }

    /// Gives back the spare capacity of the lists a workspace keeps for thousands of outlines
    /// (the prose, code, block starts and paragraphs of a note that is not edited go, or are
    /// shrunk, when it is compacted: see `Doc::compact`).
    pub(crate) fn shrink(&mut self) {
        self.headings.shrink_to_fit();
        self.links.shrink_to_fit();
        self.items.shrink_to_fit();
        self.definitions.shrink_to_fit();
        self.footnotes.shrink_to_fit();
    }

    /// The heading whose section (up to the next heading of the same or a higher level) holds `offset`.
    pub fn heading_at(&self, offset: usize) -> Option<usize> {
        let i = self.headings.partition_point(|h| h.range().start <= offset);
        i.checked_sub(1)
    }

    /// The byte range a heading's section covers: from the heading to the next heading of the same or a higher level.
    pub fn heading_section(&self, index: usize, text_len: usize) -> TextRange {
        let h = &self.headings[index];
        let end = self.headings[index + 1..]
            .iter()
            .find(|n| n.level <= h.level)
            .map_or(text_len, |n| n.range().start);
        TextRange::new(h.range().start, end)
    }

    /// The first paragraph directly under a heading (before any sub-heading), or the document's first paragraph for `None`.
    pub fn first_paragraph(&self, heading: Option<usize>) -> Option<&Paragraph> {
        self.paragraphs.iter().find(|p| p.heading() == heading)
    }

    pub fn link_at(&self, offset: usize) -> Option<&Link> {
        self.links
            .iter()
            .find(|l| l.range().contains_inclusive(offset))
    }

    pub fn in_code(&self, offset: usize) -> bool {
        self.code
            .iter()
            .any(|r| r.start <= offset && offset < r.end)
    }
}

/// The parser options every outline is read with.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_DEFINITION_LIST
        | Options::ENABLE_WIKILINKS
        | Options::ENABLE_MATH
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
}

/// Parses one Markdown file. Never fails: any text has an outline.
pub fn parse(text: &str) -> Outline {
    parse_with(text, 0, text.len(), true)
}

/// [`parse`] for a document: the plain text is kept only for task items (what checklists match
/// against outcomes), not for every list item.
pub(crate) fn parse_doc(text: &str) -> Outline {
    parse_slice(text, 0, text.len())
}

/// Parses `text[start..end]` on its own (front matter only when `start` is 0), with offsets
/// into the whole `text`. Heading ids are unique within the slice only.
/// (As [`parse_doc`], plain text only for task items.)
pub(crate) fn parse_slice(text: &str, start: usize, end: usize) -> Outline {
    parse_with(text, start, end, false)
}

/// Whether `at` starts a line that follows a blank line (or starts the text), both ended by
/// `\n` (or `\r\n`). A lone `\r` does not count: pulldown-cmark ends some lines only at `\n`
/// (the info string of a code fence runs to it), so what follows a lone `\r` can still change
/// how an earlier line parses, and parsing must not restart there.
pub(crate) fn after_blank_line(text: &str, at: usize) -> bool {
    let before = &text.as_bytes()[..at];
    if before.is_empty() {
        return true;
    }
    let Some(mut i) = before.len().checked_sub(1).filter(|&i| before[i] == b'\n') else {
        return false;
    };
    if i > 0 && before[i - 1] == b'\r' {
        i -= 1;
    }
    while i > 0 && matches!(before[i - 1], b' ' | b'\t') {
        i -= 1;
    }
    i == 0 || before[i - 1] == b'\n'
}
