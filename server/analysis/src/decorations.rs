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
        if !range.intersects(o.range) {
            continue;
        }
        out.push(InlayHint {
            offset: o.range.end,
            label: format!("→ {}", primer.place_title(section, heading)),
            tooltip: format!(
                "'{}' is taught in [[{}]]",
                term.display,
                primer.place_link(section, heading)
            ),
        });
    }
    out
}

/// What a semantic token marks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// A glossary term in prose.
    Term,
    /// A link that resolves into the primer.
    PrimerLink,
}

/// The semantic tokens of a file, in text order, not overlapping.
pub fn semantic_tokens(world: &World, path: &str) -> Vec<(TextRange, TokenKind)> {
    let Some(doc) = world.doc(path) else {
        return vec![];
    };
    let mut out: Vec<(TextRange, TokenKind)> = doc
        .occurrences
        .iter()
        .map(|o| (o.range, TokenKind::Term))
        .collect();
    for link in &doc.outline.links {
        if let Target::Primer { .. } = world.resolve(path, link).target {
            out.push((link.range, TokenKind::PrimerLink));
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
