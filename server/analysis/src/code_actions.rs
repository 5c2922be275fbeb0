//! Code actions: the quick fix of a problem, and the annotations of a term mention (link it to
//! where it is taught, link every mention, add its definition as a footnote).

use crate::edits::{in_file, Action, ActionKind};
use crate::problem::Problem;
use crate::slug::slugify;
use crate::text::{blank_line_ends, FileRange, TextRange};
use crate::world::{Item, World};

/// Quick fixes for the problems whose range meets `range`: each problem's own fix.
pub fn quick_fixes(problems: &[Problem], range: TextRange) -> Vec<Action> {
    problems
        .iter()
        .filter(|p| p.range.intersects(range))
        .filter_map(|p| {
            let fix = p.fix.as_ref()?;
            Some(Action {
                title: fix.title.clone(),
                kind: ActionKind::QuickFix,
                edits: vec![(
                    FileRange {
                        path: p.path.clone(),
                        range: fix.range,
                    },
                    fix.text.clone(),
                )],
                preferred: p.code == "broken-link",
                fixes: Some((p.code, p.range)),
                ask: None,
            })
        })
        .collect()
}

/// The actions on a term mention at `offset` in a note: link it, link them all, footnote it.
pub fn term_actions(world: &World, path: &str, offset: usize) -> Vec<Action> {
    let mut out = vec![];
    if world.note(path).is_some() {
        if let Some(Item::Term { term, range: at }) = world.item_at(path, offset) {
            out.extend(link_term(world, path, term, at));
            out.extend(link_all(world, path, term));
            out.extend(footnote(world, path, term, at));
        }
    }
    out
}

/// Wraps every mention of a term in the note as a link to where it is taught.
pub fn link_all(world: &World, path: &str, term: usize) -> Option<Action> {
    let primer = &world.primer;
    let (section, heading) = primer.terms[term].taught_in?;
    let doc = world.note(path)?;
    let link = primer.place_link(section, heading);
    let edits: Vec<(TextRange, String)> = doc
        .occurrences
        .iter()
        .filter(|o| o.term as usize == term)
        .map(|o| {
            let words = &doc.text.as_str()[o.range().start..o.range().end];
            (
                o.range(),
                wiki_link(doc.text.as_str(), o.range().start, &link, words),
            )
        })
        .collect();
    if edits.len() < 2 {
        return None;
    }
    Some(Action {
        title: format!(
            "Link all {} mentions of '{}' in this note to the primer",
            edits.len(),
            primer.terms[term].display
        ),
        kind: ActionKind::Refactor,
        edits: in_file(doc.path.clone(), edits),
        preferred: false,
        fixes: None,
        ask: None,
    })
}

/// Adds a footnote with the term's definition after this mention, and the footnote text (the
/// definition and a link to where it is taught) at the end of the note.
pub fn footnote(world: &World, path: &str, term: usize, at: TextRange) -> Option<Action> {
    let primer = &world.primer;
    let t = &primer.terms[term];
    let doc = world.note(path)?;
    let label = slugify(&t.display);
    let label = if label.is_empty() {
        format!("term-{term}")
    } else {
        label
    };
    let mut edits = vec![(TextRange::empty(at.end), format!("[^{label}]"))];
    let exists = doc.outline.footnotes.iter().any(|(l, _)| l == &label);
    if !exists {
        let definition = primer.term_definition(term);
        let definition = definition.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut note = format!("[^{label}]: **{}**: {definition}", t.display);
        if let Some((section, heading)) = t.taught_in {
            let link = format!("[[{}", primer.place_link(section, heading));
            if !definition.contains(&link) {
                note.push_str(&format!(" See {link}]]."));
            }
        }
        let eol = if doc.text.as_str().contains("\r\n") {
            "\r\n"
        } else {
            "\n"
        };
        let text = doc.text.as_str();
        let mut insert = String::new();
        if !text.is_empty() && !text.ends_with(['\n', '\r']) {
            insert.push_str(eol);
        }
        let trimmed = text.trim_end_matches(['\n', '\r']);
        let ends_with_footnote = trimmed
            .rsplit(['\n', '\r'])
            .next()
            .is_some_and(|l| l.starts_with("[^"));
        if !text.is_empty() && !ends_with_footnote && !blank_line_ends(text) {
            insert.push_str(eol);
        }
        insert.push_str(&note);
        insert.push_str(eol);
        edits.push((TextRange::empty(text.len()), insert));
    }
    Some(Action {
        title: format!("Add the definition of '{}' as a footnote", t.display),
        kind: ActionKind::Refactor,
        edits: in_file(doc.path.clone(), edits),
        preferred: false,
        fixes: None,
        ask: None,
    })
}

/// Wraps one term occurrence as a wiki link to where it is taught, keeping the words.
pub fn link_term(world: &World, path: &str, term: usize, at: TextRange) -> Option<Action> {
    let primer = &world.primer;
    let (section, heading) = primer.terms[term].taught_in?;
    let doc = world.doc(path)?;
    let words = &doc.text.as_str()[at.start..at.end];
    let link = primer.place_link(section, heading);
    Some(Action {
        title: format!(
            "Link this mention of '{words}' to the primer ({})",
            primer.place_title(section, heading)
        ),
        kind: ActionKind::Refactor,
        edits: vec![(
            FileRange {
                path: doc.path.clone(),
                range: at,
            },
            wiki_link(doc.text.as_str(), at.start, &link, words),
        )],
        preferred: false,
        fixes: None,
        ask: None,
    })
}

/// `[[link|words]]`, with the bar escaped (`\|`) on a table row, where a bare one would split
/// the cell.
fn wiki_link(text: &str, at: usize, link: &str, words: &str) -> String {
    let line_start = text[..at].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let on_table_row = text[line_start..].trim_start().starts_with('|');
    let bar = if on_table_row { "\\|" } else { "|" };
    format!("[[{link}{bar}{words}]]")
}
