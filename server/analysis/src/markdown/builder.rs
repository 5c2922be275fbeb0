//! The outline builder: it reads pulldown-cmark's events for one Markdown file (or a slice
//! of one) and keeps what the analysis needs, then takes shortcodes and bare addresses out of
//! the prose.

use pulldown_cmark::{CowStr, Event, LinkType, Parser, Tag, TagEnd};

use super::links::{dest_range, label_source};
use super::markup::{drop_shortcodes, is_shortcode, markup, shortcodes};
use super::{
    after_blank_line, front_matter, options, DefEntry, Heading, Join, Link, LinkKind, ListItem,
    Outline, Paragraph, ProseSegment,
};
use crate::slug::{slugify_into, SlugCounter};
use crate::text::TextRange;

/// Parses `text[start..end]` (see [`super::parse_slice`]), keeping the plain text of every
/// list item or only of task items.
pub(super) fn parse_with(text: &str, start: usize, end: usize, all_item_text: bool) -> Outline {
    let mut b = Builder {
        text,
        out: Outline::default(),
        all_item_text,
        ..Default::default()
    };
    b.out.reserve_for(end - start);
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
    let markup = markup(text, skip, end, &b.out.prose);
    drop_shortcodes(&mut b.out, &markup);
    b.out.shrink();
    b.out
}

/// A list item whose end has not been read yet: its index in the outline's items, and its
/// plain text so far unless that is the source as written (its `text_range`).
struct OpenItem {
    index: usize,
    text: Option<String>,
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
    /// Open list items (a stack).
    items: Vec<OpenItem>,
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
    /// A segment for every line of a wrapped paragraph: the plain reading that a property
    /// test holds the one segment for all of them to.
    lines_apart: bool,
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
                self.maybe_plain_text(&t, range);
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
                self.maybe_plain_text(" ", range);
            }
            Event::FootnoteReference(_) | Event::TaskListMarker(_) | Event::Rule => {
                if let Event::TaskListMarker(checked) = event {
                    if let Some(open) = self.items.last() {
                        self.out.items[open.index].checked = Some(checked);
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
                    text: None,
                    text_range: TextRange::new(range.end, range.end),
                    checked: None,
                    heading: self.current_heading(),
                    depth: self.list_depth.saturating_sub(1),
                    list: self.lists.last().copied().unwrap_or(0),
                });
                self.items.push(OpenItem {
                    index: self.out.items.len() - 1,
                    text: None,
                });
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
                if let Some(open) = self.items.pop() {
                    let item = &mut self.out.items[open.index];
                    let r = item.text_range;
                    let text = open.text.as_deref().unwrap_or(&self.text[r.start..r.end]);
                    item.text = if !crate::text::single_spaced(text) {
                        Some(text.split_whitespace().collect::<Vec<_>>().join(" ").into())
                    } else {
                        open.text.map(String::into_boxed_str)
                    };
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

    /// [`Builder::plain_text`] when a heading, link, list item or definition's term is open:
    /// most prose is in none, and the call is not made for it.
    #[inline(always)]
    fn maybe_plain_text(&mut self, t: &str, range: TextRange) {
        if self.heading.is_some()
            || self.link.is_some()
            || !self.items.is_empty()
            || self.in_def_title
        {
            self.plain_text(t, range);
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
        if let Some(open) = self.items.last_mut() {
            let item = &mut self.out.items[open.index];
            if !self.all_item_text && item.checked.is_none() {
                return self.def_title_text(t);
            }
            // While the pieces are the source as written, one after the other, the text is
            // that source: no copy is made.
            let empty = item.text_range.is_empty();
            let as_written = t.len() == range.len()
                && std::ptr::eq(t.as_ptr(), self.text[range.start..].as_ptr())
                && (empty || range.start == item.text_range.end);
            match &mut open.text {
                None if as_written => {}
                None => {
                    let r = item.text_range;
                    let mut copy = String::with_capacity(r.len() + t.len());
                    copy.push_str(&self.text[r.start..r.end]);
                    copy.push_str(t);
                    open.text = Some(copy);
                }
                Some(copy) => copy.push_str(t),
            }
            if empty {
                item.text_range.start = range.start;
            }
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
        self.maybe_plain_text(t, range);
        if self.link.is_some() {
            return;
        }
        // Prose: the source bytes (entities and escapes stay as written, offsets stay exact).
        // A line that goes on from the last one's text with only a line break and spaces
        // between extends its segment: the scan reads such a run as the one space the join
        // would give, and a wrapped paragraph is one segment instead of one a line.
        if self.pending_join == Join::Space && !self.lines_apart {
            if let Some(last) = self.out.prose.last_mut() {
                if crate::bytes::short_blank(self.text.as_bytes(), last.range.end, range.start) {
                    last.range.end = range.end;
                    self.pending_join = Join::Adjacent;
                    return;
                }
            }
        }
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

/// The prose as the builder reads it from the events, before markup is taken out of it: a
/// wrapped paragraph's lines in one segment, or a segment each (the plain reading).
#[cfg(test)]
pub(super) fn raw_prose(text: &str, lines_apart: bool) -> Vec<ProseSegment> {
    let mut b = Builder {
        text,
        lines_apart,
        ..Default::default()
    };
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        b.event(event, TextRange::new(range.start, range.end));
    }
    b.out.prose
}

/// [`raw_prose`] with the markup taken out, as the term scan reads it: a wrapped paragraph's
/// lines in one segment, or with `lines_apart` a segment each.
#[cfg(test)]
pub(crate) fn prose_as_read(text: &str, lines_apart: bool) -> Vec<ProseSegment> {
    let mut out = Outline {
        prose: raw_prose(text, lines_apart),
        ..Default::default()
    };
    let spans = markup(text, 0, text.len(), &out.prose);
    drop_shortcodes(&mut out, &spans);
    out.prose
}

#[cfg(test)]
mod tests {
    use super::super::parse_doc;
    use proptest::prelude::*;

    #[test]
    fn task_items_as_written_keep_no_copy_of_their_text() {
        let text = "- [ ] Explain caching\n- [x] Compare *leader* election\n\
                    - [ ] Escaped \\* star &amp; more\n- [ ] two  spaces\n- [ ] wraps\n  onto a line\n\
                    - [ ] `code` here\n- a plain item\n";
        let outline = parse_doc(text);
        let items: Vec<_> = outline
            .items
            .iter()
            .map(|i| (i.text(text), i.text.is_some()))
            .collect();
        assert_eq!(
            items,
            [
                ("Explain caching", false),
                ("Compare leader election", true),
                ("Escaped * star & more", true),
                ("two spaces", true),
                ("wraps onto a line", true),
                ("code here", true),
                // (A document keeps only its task items' text.)
                ("", false),
            ]
        );
    }

    /// The first list item's plain text as pulldown-cmark's events give it: its own text (not
    /// a nested item's; in a code block or an image's words, none) and inline code, a line
    /// break as a space (an image's too), then its words joined by one space.
    fn plainly(text: &str) -> String {
        use pulldown_cmark::{Event, Parser, Tag, TagEnd};
        let mut out = String::new();
        // Open items: 1 while the first is the innermost; none once it has ended.
        let (mut open, mut ended, mut hidden) = (0, false, 0);
        for event in Parser::new_ext(text, super::options()) {
            let mine = open == 1 && !ended;
            match event {
                Event::Start(Tag::Item) => open += 1,
                Event::End(TagEnd::Item) => {
                    open -= 1;
                    ended |= open == 0;
                }
                Event::Start(Tag::CodeBlock(_) | Tag::Image { .. }) => hidden += 1,
                Event::End(TagEnd::CodeBlock | TagEnd::Image) => hidden -= 1,
                Event::Text(t) if mine && hidden == 0 => out.push_str(&t),
                Event::Code(t) if mine => out.push_str(&t),
                Event::SoftBreak | Event::HardBreak if mine => out.push(' '),
                _ => {}
            }
        }
        out.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn a_wrapped_paragraphs_lines_are_one_prose_segment() {
        let text = "A cache\nline wraps\n   here.\r\nAnd on.\n\n> A quote\n> goes on\n\n\
                    A hard\\\nbreak, and *em*\nnext.\n";
        // Each segment's text and join.
        let shown = |text: &'static str, prose: Vec<super::ProseSegment>| -> Vec<_> {
            prose
                .iter()
                .map(|s| (&text[s.range.start..s.range.end], s.join))
                .collect()
        };
        use super::Join::*;
        assert_eq!(
            shown(text, super::raw_prose(text, false)),
            [
                ("A cache\nline wraps\n   here.\r\nAnd on.", Barrier),
                // A quote's marker and a backslash are not blanks: the lines stay apart.
                ("A quote", Barrier),
                ("goes on", Space),
                ("A hard", Barrier),
                ("break, and ", Space),
                ("em", Adjacent),
                ("next.", Space),
            ]
        );
        // Markup separates the prose on either side of it, whether or not it ends a line.
        let text =
            "A circuit {{< s >}}\nbreaker, a circuit {{< s >}} breaker, https://x.io\nbreaker.\n";
        assert_eq!(
            shown(text, super::prose_as_read(text, false)),
            [
                ("A circuit ", Barrier),
                ("\nbreaker, a circuit ", Barrier),
                (" breaker, ", Barrier),
                ("\nbreaker.", Barrier),
            ]
        );
    }

    proptest! {
        /// Whether a task item's text is kept as a copy or read from the source, it is what
        /// its events give.
        #[test]
        fn a_task_items_text_is_what_its_events_give(
            parts in prop::collection::vec(prop::sample::select(vec![
                "cache", "Raft", " ", "  ", "*", "**", "_", "`", "\\*", "&amp;", "\n  ", "é", "[x]",
                "<b>", "\t", "![", "](i.png)", "\n\n", "\n- ",
            ]), 1..12),
        ) {
            let item = format!("- [ ] {}\n", parts.concat());
            let outline = parse_doc(&item);
            if let Some(task) = outline.items.first().filter(|i| i.checked.is_some()) {
                prop_assert_eq!(task.text(&item), plainly(&item), "{:?}", item);
            }
        }

        /// Lines read as one segment find the addresses and shortcodes that the same lines read
        /// a segment each, joined by a space, find (the scan's half: in `terms::scan`).
        #[test]
        fn lines_joined_into_one_segment_hold_the_markup_of_lines_apart(
            text in super::super::test_prose::wrapped_paragraph(),
        ) {
            let joined = super::raw_prose(&text, false);
            let lines = super::raw_prose(&text, true);
            prop_assert!(joined.len() <= lines.len());
            let end = text.len();
            prop_assert_eq!(
                super::markup(&text, 0, end, &joined),
                super::markup(&text, 0, end, &lines),
                "{:?}", text
            );
        }

    }
}
