//! Code actions: the fix for a broken link, and "link this term to the primer".

use crate::outcomes;
use crate::world::Item;
use crate::{FileRange, TextRange, World};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActionKind {
    QuickFix,
    Refactor,
}

/// An action: a title and the edits it makes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Action {
    pub title: String,
    pub kind: ActionKind,
    pub edits: Vec<(FileRange, String)>,
    /// The fix is the obvious one (the editor may apply it on a shortcut).
    pub preferred: bool,
    /// For a quick fix: the problem it fixes (its code and range).
    pub fixes: Option<(&'static str, TextRange)>,
}

/// Actions for the selection `range` in `path`.
pub fn code_actions(world: &World, path: &str, range: TextRange) -> Vec<Action> {
    let mut out = vec![];
    for p in crate::diagnostics::diagnostics(world, path) {
        if let (Some(fix), true) = (&p.fix, p.range.intersects(range)) {
            out.push(Action {
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
            });
        }
    }
    if world.note(path).is_some() {
        if let Some(Item::Term { term, range: at }) = world.item_at(path, range.start) {
            out.extend(link_term(world, path, term, at));
            out.extend(link_all(world, path, term));
            out.extend(footnote(world, path, term, at));
        }
        out.extend(checklist_actions(world, path, range.start));
    }
    out
}

/// "Insert learning-outcome checklist" for the section the note links to most, the whole primer,
/// then each other section; only those that would add something.
pub fn checklist_actions(world: &World, path: &str, at: usize) -> Vec<Action> {
    let primer = &world.primer;
    let with_outcomes: Vec<usize> = (0..primer.sections.len())
        .filter(|&s| primer.section_outcomes(s).next().is_some())
        .collect();
    let first = outcomes::most_linked_section(world, path).filter(|s| with_outcomes.contains(s));
    let mut choices: Vec<Option<usize>> = first.map(Some).into_iter().collect();
    choices.push(None);
    choices.extend(
        with_outcomes
            .iter()
            .filter(|&&s| Some(s) != first)
            .map(|&s| Some(s)),
    );
    let mut out = vec![];
    for choice in choices {
        let sections = match choice {
            Some(s) => vec![s],
            None => with_outcomes.clone(),
        };
        let Some((edits, n)) = outcomes::insert_checklist(world, path, at, &sections) else {
            continue;
        };
        let what = match choice {
            Some(s) => format!("section '{}'", primer.sections[s].title),
            None => "the whole primer".to_string(),
        };
        out.push(Action {
            title: format!(
                "Insert learning-outcome checklist: {what} ({n} item{})",
                if n == 1 { "" } else { "s" }
            ),
            kind: ActionKind::Refactor,
            edits: file_edits(world, path, edits),
            preferred: false,
            fixes: None,
        });
    }
    out
}

fn file_edits(
    world: &World,
    path: &str,
    edits: Vec<(TextRange, String)>,
) -> Vec<(FileRange, String)> {
    let Some(doc) = world.doc(path) else {
        return vec![];
    };
    edits
        .into_iter()
        .map(|(range, text)| {
            (
                FileRange {
                    path: doc.path.clone(),
                    range,
                },
                text,
            )
        })
        .collect()
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
            let words = &doc.text[o.range.start..o.range.end];
            (o.range, wiki_link(&doc.text, o.range.start, &link, words))
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
        edits: file_edits(world, path, edits),
        preferred: false,
        fixes: None,
    })
}

/// Adds a footnote with the term's definition after this mention, and the footnote text (the
/// definition and a link to where it is taught) at the end of the note.
pub fn footnote(world: &World, path: &str, term: usize, at: TextRange) -> Option<Action> {
    let primer = &world.primer;
    let t = &primer.terms[term];
    let doc = world.note(path)?;
    let label = crate::slug::slugify(&t.display);
    let label = if label.is_empty() {
        format!("term-{term}")
    } else {
        label
    };
    let mut edits = vec![(TextRange::empty(at.end), format!("[^{label}]"))];
    let exists = doc.outline.footnotes.iter().any(|(l, _)| l == &label);
    if !exists {
        let definition = crate::hover::term_definition(world, term);
        let definition = definition.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut note = format!("[^{label}]: **{}**: {definition}", t.display);
        if let Some((section, heading)) = t.taught_in {
            let link = format!("[[{}", primer.place_link(section, heading));
            if !definition.contains(&link) {
                note.push_str(&format!(" See {link}]]."));
            }
        }
        let eol = if doc.text.contains("\r\n") {
            "\r\n"
        } else {
            "\n"
        };
        let text = &doc.text;
        let mut insert = String::new();
        if !text.is_empty() && !text.ends_with(['\n', '\r']) {
            insert.push_str(eol);
        }
        let trimmed = text.trim_end_matches(['\n', '\r']);
        let ends_with_footnote = trimmed
            .rsplit(['\n', '\r'])
            .next()
            .is_some_and(|l| l.starts_with("[^"));
        if !text.is_empty() && !ends_with_footnote && !outcomes::blank_line_ends(text) {
            insert.push_str(eol);
        }
        insert.push_str(&note);
        insert.push_str(eol);
        edits.push((TextRange::empty(text.len()), insert));
    }
    Some(Action {
        title: format!("Add the definition of '{}' as a footnote", t.display),
        kind: ActionKind::Refactor,
        edits: file_edits(world, path, edits),
        preferred: false,
        fixes: None,
    })
}

/// Wraps one term occurrence as a wiki link to where it is taught, keeping the words.
pub fn link_term(world: &World, path: &str, term: usize, at: TextRange) -> Option<Action> {
    let primer = &world.primer;
    let (section, heading) = primer.terms[term].taught_in?;
    let doc = world.doc(path)?;
    let words = &doc.text[at.start..at.end];
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
            wiki_link(&doc.text, at.start, &link, words),
        )],
        preferred: false,
        fixes: None,
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
