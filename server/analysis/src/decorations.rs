//! What an editor draws over a note: inlay hints after the first mention of each term, and
//! semantic tokens for terms and links into the primer.

use std::collections::HashSet;

use crate::text::TextRange;
use crate::world::{Target, World};

/// An inlay hint: `label` shown right after byte `offset`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InlayHint {
    pub offset: usize,
    pub label: String,
    /// The hover text of the hint.
    pub tooltip: String,
}

/// After the first mention of each term in a note (within `range`), the place it is taught.
pub fn inlay_hints(world: &World, path: &str, range: TextRange) -> Vec<InlayHint> {
    let Some(doc) = world.note(path) else {
        return vec![];
    };
    let primer = &world.primer;
    let mut seen = HashSet::new();
    let mut out = vec![];
    for o in &doc.occurrences {
        if !seen.insert(o.term) {
            continue;
        }
        let term = &primer.terms[o.term as usize];
        let Some((section, heading)) = term.taught_in else {
            continue;
        };
        if !range.intersects(o.range()) {
            continue;
        }
        out.push(InlayHint {
            offset: o.range().end,
            label: format!("→ {}", short_place(world, section, heading)),
            tooltip: format!(
                "'{}' is taught in [[{}]]",
                term.display,
                primer.place_link(section, heading)
            ),
        });
    }
    out
}

/// A primer place in a few words, for text that sits inside a sentence: the section's number (or
/// a short title) and the heading cut at a word to about 24 characters: `2 › Caching`.
pub fn short_place(world: &World, section: usize, heading: Option<usize>) -> String {
    let primer = &world.primer;
    let title = &primer.sections[section].title;
    let number: String = title.chars().take_while(char::is_ascii_digit).collect();
    let section_part = if number.is_empty() {
        shorten(title, 24)
    } else {
        number
    };
    match heading {
        Some(h) => {
            let text = &primer.doc_of(section).outline.headings[h].text();
            format!("{section_part} › {}", shorten(text, 24))
        }
        None => section_part,
    }
}

/// `text` cut at a word boundary to at most `max` characters, with `…` when cut.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out = String::new();
    for word in text.split_whitespace() {
        let next = if out.is_empty() {
            word.to_string()
        } else {
            format!("{out} {word}")
        };
        if next.chars().count() > max - 1 {
            break;
        }
        out = next;
    }
    if out.is_empty() {
        out = text.chars().take(max - 1).collect();
    }
    let out = out.trim_end_matches([',', ';', ':', '.']).to_string();
    format!("{out}…")
}

/// What a semantic token marks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// A glossary term in prose.
    Term,
    /// A link that resolves into the primer.
    PrimerLink,
}

/// The semantic tokens of a file, in text order, not overlapping. In a note every term is
/// marked; in the primer, whose prose is full of them, only the first mention of each term in
/// each paragraph (or line, outside paragraphs).
pub fn semantic_tokens(world: &World, path: &str) -> Vec<(TextRange, TokenKind)> {
    let Some(doc) = world.doc(path) else {
        return vec![];
    };
    let in_primer = world.note(path).is_none();
    let mut seen: HashSet<(usize, u32)> = HashSet::new();
    let mut out: Vec<(TextRange, TokenKind)> = doc
        .occurrences
        .iter()
        .filter(|o| {
            if !in_primer {
                return true;
            }
            let paragraphs = &doc.outline.paragraphs;
            let i = paragraphs.partition_point(|p| p.range().end <= o.range().start);
            let block = match paragraphs.get(i) {
                Some(p) if p.range().start <= o.range().start => p.range().start,
                // Outside paragraphs (list items, tables): per line.
                _ => doc.line_index.line_of(o.range().start) + doc.text.len(),
            };
            seen.insert((block, o.term))
        })
        .map(|o| (o.range(), TokenKind::Term))
        .collect();
    for link in &doc.outline.links {
        if let Target::Primer { .. } = world.resolve(path, &doc.text, link).target {
            out.push((link.range(), TokenKind::PrimerLink));
        }
    }
    out.sort_by_key(|(r, _)| (r.start, r.end));
    // Terms are never inside links, but keep the promise of no overlap whatever the input.
    let mut end = 0;
    out.retain(|(r, _)| {
        let keep = r.start >= end;
        if keep {
            end = r.end;
        }
        keep
    });
    out
}
