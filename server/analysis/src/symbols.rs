//! Symbols: the heading tree of one file, and a fuzzy search over sections, headings, terms and notes.

use crate::text::{file_stem, FileRange, TextRange};
use crate::world::World;

/// A heading and the headings under it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentSymbol {
    pub name: String,
    pub level: u8,
    /// The heading's whole section.
    pub range: TextRange,
    /// The heading line.
    pub selection: TextRange,
    pub children: Vec<DocumentSymbol>,
}

pub fn document_symbols(world: &World, path: &str) -> Vec<DocumentSymbol> {
    let Some(doc) = world.doc(path) else {
        return vec![];
    };
    let headings = &doc.outline.headings;
    let mut roots: Vec<DocumentSymbol> = vec![];
    // A stack of open symbols by level; each closes when a heading of the same or a higher level starts.
    let mut stack: Vec<DocumentSymbol> = vec![];
    for (i, h) in headings.iter().enumerate() {
        if h.is_wordless() {
            continue;
        }
        let sym = DocumentSymbol {
            name: h.text().to_string(),
            level: h.level,
            range: doc.outline.heading_section(i, doc.text.len()),
            selection: h.range(),
            children: vec![],
        };
        while stack.last().is_some_and(|top| top.level >= h.level) {
            let done = stack.pop().unwrap();
            attach(&mut stack, &mut roots, done);
        }
        stack.push(sym);
    }
    while let Some(done) = stack.pop() {
        attach(&mut stack, &mut roots, done);
    }
    roots
}

fn attach(stack: &mut [DocumentSymbol], roots: &mut Vec<DocumentSymbol>, sym: DocumentSymbol) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(sym),
        None => roots.push(sym),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SymbolKind {
    Section,
    Heading,
    Term,
    Note,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkspaceSymbol {
    pub name: String,
    pub kind: SymbolKind,
    /// Where it sits: the section title for a heading or term.
    pub container: Option<String>,
    pub location: FileRange,
}

/// Sections, primer headings, terms and notes whose name holds the query's characters in order
/// (case-insensitive), best matches first.
pub fn workspace_symbols(world: &World, query: &str) -> Vec<WorkspaceSymbol> {
    let primer = &world.primer;
    let mut found: Vec<(u32, WorkspaceSymbol)> = vec![];
    let mut consider = |name: &str, kind, container: Option<String>, location: FileRange| {
        if let Some(score) = fuzzy_score(query, name) {
            found.push((
                score,
                WorkspaceSymbol {
                    name: name.to_string(),
                    kind,
                    container,
                    location,
                },
            ));
        }
    };
    for (s, section) in primer.sections.iter().enumerate() {
        consider(
            &section.title,
            SymbolKind::Section,
            None,
            primer.location(s, None),
        );
        for (h, heading) in primer.doc_of(s).outline.headings.iter().enumerate() {
            if heading.is_wordless() {
                continue;
            }
            consider(
                heading.text(),
                SymbolKind::Heading,
                Some(section.title.clone()),
                primer.location(s, Some(h)),
            );
        }
    }
    for (i, term) in primer.terms.iter().enumerate() {
        let location = world.primer.term_location(i);
        consider(
            &term.display,
            SymbolKind::Term,
            Some(primer.sections[term.section].title.clone()),
            location,
        );
    }
    for note in world.notes() {
        let location = FileRange {
            path: note.path.clone(),
            range: TextRange::empty(0),
        };
        consider(
            file_stem(&note.path),
            SymbolKind::Note,
            Some(note.title()),
            location,
        );
    }
    found.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.name.cmp(&b.1.name)));
    // An empty query lists everything (an editor's "all sections" picker); a search keeps the best.
    if !query.trim().is_empty() {
        found.truncate(500);
    }
    found.into_iter().map(|(_, s)| s).collect()
}

/// A score when every character of `query` appears in `name` in order; higher is better.
pub fn fuzzy_score(query: &str, name: &str) -> Option<u32> {
    let name_l: Vec<char> = name.to_lowercase().chars().collect();
    let mut score = 0u32;
    let mut at = 0;
    let mut prev_hit: Option<usize> = None;
    for q in query.to_lowercase().chars().filter(|c| !c.is_whitespace()) {
        let found = name_l[at..].iter().position(|&c| c == q)? + at;
        score += 1;
        if prev_hit.is_some_and(|p| p + 1 == found) {
            score += 3;
        }
        if found == 0 || !name_l[found - 1].is_alphanumeric() {
            score += 5;
        }
        prev_hit = Some(found);
        at = found + 1;
    }
    Some(score * 100 / (name_l.len() as u32 + 10))
}
