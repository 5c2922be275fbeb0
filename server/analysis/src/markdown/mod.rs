//! One Markdown file → its outline: front matter title, headings, links, prose runs, list items,
//! task items, definition-list entries. All structure comes from pulldown-cmark's offset iterator,
//! so code, HTML, math and front matter are excluded from prose by construction.

use pulldown_cmark::{CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};

mod front_matter;
mod links;
mod markup;
#[cfg(test)]
pub(crate) mod test_prose;

use crate::slug::{slugify_into, SlugCounter};
use crate::text::{Span, TextRange};
pub use front_matter::front_matter_title;
pub(crate) use front_matter::{front_matter, opens_front_matter};
pub use links::shown;
use links::{dest_range, label_source};
pub use markup::is_shortcode;
use markup::{bare_urls, drop_shortcodes, shortcodes};

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
    /// The item's plain text (in a document's outline, only a task item's: see
    /// [`parse_doc`]).
    pub text: String,
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
    /// Gives back the spare capacity of the lists a workspace keeps for thousands of outlines
    /// (the prose, code, block starts and paragraphs of a note that is not edited go, or are
    /// shrunk, when it is compacted: see `Doc::compact`).
    pub(crate) fn shrink(&mut self) {
        self.headings.shrink_to_fit();
        self.links.shrink_to_fit();
        self.items.shrink_to_fit();
        self.definitions.shrink_to_fit();
        self.footnotes.shrink_to_fit();
        for item in &mut self.items {
            item.text.shrink_to_fit();
        }
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

fn parse_with(text: &str, start: usize, end: usize, all_item_text: bool) -> Outline {
    let mut b = Builder {
        text,
        out: Outline::default(),
        all_item_text,
        ..Default::default()
    };
    let mut skip = start;
    if start == 0 {
        let (front, found) = front_matter(&text[..end]);
        if let Some((range, title)) = found {
            b.out.front_matter = Some(range);
            b.out.title = title;
        }
        skip = front;
    }
    let body = &text[skip..end];
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        let range = TextRange::new(range.start + skip, range.end + skip);
        b.event(event, range);
    }
    let mut markup = shortcodes(text, skip, end);
    markup.extend(bare_urls(text, &b.out.prose));
    markup.sort();
    drop_shortcodes(&mut b.out, &markup);
    b.out.shrink();
    b.out
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

/// A heading whose end has not been read yet.
struct OpenHeading<'t> {
    level: u8,
    range: TextRange,
    /// The explicit `{#id}`.
    id: Option<CowStr<'t>>,
    not_term: bool,
    /// Where its text starts and ends in the source, once some has been read.
    text_range: Option<TextRange>,
}

#[derive(Default)]
struct Builder<'t> {
    text: &'t str,
    out: Outline,
    slugs: SlugCounter,
    /// The open heading.
    heading: Option<OpenHeading<'t>>,
    /// The open heading's plain text so far (one buffer for every heading).
    heading_text: String,
    /// A buffer for a heading's slug.
    slug: String,
    /// Open link: kind, dest, range (its words are in `link_label`).
    link: Option<(LinkKind, CowStr<'t>, TextRange)>,
    /// The open link's words so far (one buffer for every link).
    link_label: String,
    /// Open list items (a stack): index into `out.items`.
    items: Vec<usize>,
    list_depth: usize,
    /// Open lists (a stack of list numbers) and how many lists were opened so far.
    lists: Vec<u32>,
    list_count: u32,
    /// Open definition-list entry.
    def_entry: Option<DefEntry>,
    in_def_title: bool,
    /// The open definition list's last title has words, and an entry in `out.definitions`.
    titled: bool,
    def_start: Option<usize>,
    in_code_block: bool,
    in_image: usize,
    /// The open link is an image's.
    image_link: bool,
    in_html_block: bool,
    /// The next prose segment's join.
    pending_join: Join,
    /// Depth of blocks that stop term matching across their edges.
    skip_paragraph: bool,
    /// Inside an `Aliases:` definition.
    skip_definition: bool,
    /// How many tags are open: 0 between top-level blocks.
    depth: usize,
    /// Keep the plain text of every list item, not only of task items.
    all_item_text: bool,
}

impl<'t> Builder<'t> {
    fn current_heading(&self) -> Option<usize> {
        self.out.headings.len().checked_sub(1)
    }

    fn event(&mut self, event: Event<'t>, range: TextRange) {
        match event {
            Event::Start(tag) => {
                if self.depth == 0 && range.start > 0 && after_blank_line(self.text, range.start) {
                    self.out.blocks.push(range.start);
                }
                self.depth += 1;
                self.start(tag, range)
            }
            Event::End(tag) => {
                self.depth = self.depth.saturating_sub(1);
                self.end(tag, range)
            }
            Event::Text(t) => self.text(&t, range),
            Event::Code(t) => {
                self.out.code.push(range);
                self.pending_join = Join::Barrier;
                self.plain_text(&t, range);
            }
            Event::InlineMath(_)
            | Event::DisplayMath(_)
            | Event::InlineHtml(_)
            | Event::Html(_) => {
                self.out.code.push(range);
                self.pending_join = Join::Barrier;
            }
            Event::SoftBreak | Event::HardBreak => {
                if self.pending_join == Join::Adjacent {
                    self.pending_join = Join::Space;
                }
                self.plain_text(" ", range);
            }
            Event::FootnoteReference(_) | Event::TaskListMarker(_) | Event::Rule => {
                if let Event::TaskListMarker(checked) = event {
                    if let Some(&i) = self.items.last() {
                        self.out.items[i].checked = Some(checked);
                    }
                }
                self.pending_join = Join::Barrier;
            }
        }
    }

    fn start(&mut self, tag: Tag<'t>, range: TextRange) {
        match tag {
            Tag::Heading {
                level, id, classes, ..
            } => {
                let not_term = classes.iter().any(|c| c.as_ref() == "not-term");
                self.heading = Some(OpenHeading {
                    level: level as u8,
                    range,
                    id,
                    not_term,
                    text_range: None,
                });
                self.heading_text.clear();
                self.pending_join = Join::Barrier;
            }
            Tag::Paragraph => {
                let src = &self.text[range.start..range.end];
                self.skip_paragraph = src.starts_with("{{<") || src.starts_with("{{%");
                if self.def_start.is_none() && !self.skip_paragraph {
                    self.out
                        .paragraphs
                        .push(Paragraph::new(range, self.current_heading()));
                }
                self.pending_join = Join::Barrier;
            }
            Tag::CodeBlock(_) => {
                self.in_code_block = true;
                self.out.code.push(range);
            }
            Tag::HtmlBlock => self.in_html_block = true,
            Tag::List(_) => {
                self.list_depth += 1;
                self.lists.push(self.list_count);
                self.list_count += 1;
            }
            Tag::Item => {
                self.out.items.push(ListItem {
                    range,
                    text: String::new(),
                    text_range: TextRange::new(range.end, range.end),
                    checked: None,
                    heading: self.current_heading(),
                    depth: self.list_depth.saturating_sub(1),
                    list: self.lists.last().copied().unwrap_or(0),
                });
                self.items.push(self.out.items.len() - 1);
                self.pending_join = Join::Barrier;
            }
            Tag::DefinitionListTitle => {
                self.in_def_title = true;
                self.titled = false;
                self.def_entry = Some(DefEntry {
                    term: String::new(),
                    term_range: range,
                    definitions: vec![],
                });
                self.pending_join = Join::Barrier;
            }
            Tag::DefinitionListDefinition => {
                self.def_start = Some(range.start);
                // An `Aliases:` line lists names; it is not prose that uses them.
                let body = self.text[range.start..range.end].trim_start_matches([':', ' ', '\t']);
                self.skip_definition = body
                    .get(..8)
                    .is_some_and(|b| b.eq_ignore_ascii_case("aliases:"));
                self.pending_join = Join::Barrier;
            }
            Tag::Link {
                link_type,
                dest_url,
                ..
            } => {
                let kind = match link_type {
                    LinkType::WikiLink { .. } => LinkKind::Wiki,
                    _ => LinkKind::Markdown,
                };
                self.link = Some((kind, dest_url, range));
                self.link_label.clear();
                self.pending_join = Join::Barrier;
            }
            Tag::Image { dest_url, .. } => {
                // An image is a link to a file (checked like one), unless inside a link.
                if self.link.is_none() && self.in_image == 0 {
                    self.link = Some((LinkKind::Markdown, dest_url, range));
                    self.link_label.clear();
                    self.image_link = true;
                }
                self.in_image += 1
            }
            Tag::TableCell | Tag::BlockQuote(_) | Tag::FootnoteDefinition(_) => {
                if let Tag::FootnoteDefinition(label) = &tag {
                    self.out.footnotes.push((label.to_string(), range));
                }
                self.pending_join = Join::Barrier
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd, range: TextRange) {
        match tag {
            TagEnd::Heading(_) => {
                if let Some(h) = self.heading.take() {
                    let text = self.heading_text.trim();
                    let base_id: &str = match &h.id {
                        Some(id) => id,
                        None => {
                            slugify_into(text, &mut self.slug);
                            &self.slug
                        }
                    };
                    let id = self.slugs.unique(base_id);
                    let text_range = h.text_range.unwrap_or(h.range);
                    self.out.headings.push(Heading::new(
                        h.level, text, id, base_id, h.range, text_range, h.not_term,
                    ));
                }
                self.pending_join = Join::Barrier;
            }
            TagEnd::Paragraph => {
                self.skip_paragraph = false;
                self.pending_join = Join::Barrier;
            }
            TagEnd::CodeBlock => self.in_code_block = false,
            TagEnd::HtmlBlock => self.in_html_block = false,
            TagEnd::List(_) => {
                self.list_depth = self.list_depth.saturating_sub(1);
                self.lists.pop();
            }
            TagEnd::Item => {
                if let Some(i) = self.items.pop() {
                    let item = &mut self.out.items[i];
                    if !crate::text::single_spaced(&item.text) {
                        item.text = item.text.split_whitespace().collect::<Vec<_>>().join(" ");
                    }
                }
                self.pending_join = Join::Barrier;
            }
            TagEnd::DefinitionListTitle => {
                self.in_def_title = false;
                if let Some(e) = &mut self.def_entry {
                    // A Hugo shortcode on the line right above the first term (no blank line
                    // between) joins the title: it is markup, not part of the term.
                    let src = &self.text[range.start..range.end];
                    let mut start = range.start;
                    let mut kept = src;
                    while let Some(line_end) = kept.find('\n') {
                        let line = kept[..line_end].trim();
                        if !is_shortcode(line) {
                            break;
                        }
                        start += line_end + 1;
                        kept = &kept[line_end + 1..];
                    }
                    let spans = shortcodes(&e.term, 0, e.term.len());
                    for span in spans.iter().rev() {
                        e.term.replace_range(span.start..span.end, "");
                    }
                    e.term = e.term.trim().to_string();
                    let trimmed = kept.trim();
                    let lead = kept.len() - kept.trim_start().len();
                    e.term_range = TextRange::new(start + lead, start + lead + trimmed.len());
                    if !e.term.is_empty() {
                        self.out.definitions.push(e.clone());
                        self.titled = true;
                    }
                }
            }
            TagEnd::DefinitionListDefinition => {
                self.skip_definition = false;
                if let Some(start) = self.def_start.take() {
                    let src = &self.text[start..range.end];
                    let body_start =
                        start + (src.len() - src.trim_start_matches([':', ' ', '\t']).len());
                    let body = self.text[body_start..range.end].trim_end();
                    let body_range = TextRange::new(body_start, body_start + body.len());
                    let mut body = dedent(body);
                    // A closing shortcode right under the last definition joins it: markup.
                    for span in shortcodes(&body, 0, body.len()).iter().rev() {
                        body.replace_range(span.start..span.end, "");
                    }
                    let body = body.trim().to_string();
                    // Only under its own title: a title with no words (math, an image) has
                    // none, and its definitions must not join an earlier list's entry.
                    if let Some(e) = self.out.definitions.last_mut().filter(|_| self.titled) {
                        e.definitions.push((body, body_range));
                    }
                }
                self.pending_join = Join::Barrier;
            }
            TagEnd::Link => {
                self.close_link();
                self.pending_join = Join::Barrier;
            }
            TagEnd::Image => {
                self.in_image = self.in_image.saturating_sub(1);
                if self.in_image == 0 && std::mem::take(&mut self.image_link) {
                    self.close_link();
                }
            }
            TagEnd::DefinitionList => {
                self.def_entry = None;
                self.titled = false;
            }
            TagEnd::TableCell | TagEnd::BlockQuote(_) | TagEnd::FootnoteDefinition => {
                self.pending_join = Join::Barrier
            }
            _ => {}
        }
    }

    /// Ends the open link (or image): it joins the outline's links.
    fn close_link(&mut self) {
        if let Some((kind, dest, lrange)) = self.link.take() {
            let mut dest: &str = &dest;
            let mut dest_range = dest_range(self.text, kind, lrange);
            // In a table cell the bar of `[[dest\|words]]` is escaped, and pulldown-cmark leaves
            // the backslash on the destination.
            if kind == LinkKind::Wiki && dest.ends_with('\\') {
                dest = &dest[..dest.len() - 1];
                dest_range = dest_range.map(|r| TextRange::new(r.start, r.end - 1));
            }
            // The destination and the words are kept only when they differ from the source.
            let in_source = dest_range.is_some_and(|r| self.text.get(r.start..r.end) == Some(dest));
            let label = self.link_label.trim();
            let words_in_source = label_source(self.text, kind, lrange, dest_range) == Some(label);
            self.out.links.push(Link::new(
                kind,
                lrange,
                dest_range,
                (!in_source).then(|| dest.into()),
                (!words_in_source).then(|| label.into()),
            ));
        }
    }

    /// Text that is part of the plain text of the open heading, link, list item or term.
    fn plain_text(&mut self, t: &str, range: TextRange) {
        if let Some(h) = &mut self.heading {
            self.heading_text.push_str(t);
            h.text_range = Some(match h.text_range {
                Some(r) => TextRange::new(r.start, range.end),
                None => range,
            });
        }
        if self.link.is_some() {
            self.link_label.push_str(t);
        }
        if let Some(&i) = self.items.last() {
            let item = &mut self.out.items[i];
            if !self.all_item_text && item.checked.is_none() {
                return self.def_title_text(t);
            }
            if item.text.is_empty() {
                item.text_range.start = range.start;
                // Room for the item's first line at once (its text comes in several pieces).
                item.text
                    .reserve(item.range.end.saturating_sub(range.start).min(160));
            }
            item.text.push_str(t);
            item.text_range.end = range.end;
        }
        self.def_title_text(t);
    }

    fn def_title_text(&mut self, t: &str) {
        if self.in_def_title {
            if let Some(e) = &mut self.def_entry {
                e.term.push_str(t);
            }
        }
    }

    fn text(&mut self, t: &str, range: TextRange) {
        if self.in_code_block
            || self.in_html_block
            || self.in_image > 0
            || self.skip_paragraph
            || self.skip_definition
        {
            return;
        }
        self.plain_text(t, range);
        if self.link.is_some() {
            return;
        }
        // Prose: the source bytes (entities and escapes stay as written, offsets stay exact).
        self.out.prose.push(ProseSegment {
            range,
            join: self.pending_join,
        });
        self.pending_join = Join::Adjacent;
    }
}

/// Removes the continuation-line indentation of a definition.
fn dedent(body: &str) -> String {
    body.lines().map(str::trim).collect::<Vec<_>>().join("\n")
}
