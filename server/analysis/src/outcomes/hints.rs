//! What an outcome checklist item shows: hints (an item that names no outcome, an unknown id, an
//! outcome ticked in another note) and its hover.

use std::fmt::Write;

use crate::edits::Fix;
use crate::problem::{Problem, Severity};
use crate::render::{list_some, Hover};
use crate::text::{file_url, folder_of, relative_path, FileRange, TextRange};
use crate::world::World;

/// Checklist items that name no outcome, and outcomes ticked in another note but not here.
pub fn problems(world: &World, path: &str) -> Vec<Problem> {
    let Some(doc) = world.note(path) else {
        return vec![];
    };
    if doc.checklist.is_empty() {
        return vec![];
    }
    let primer = &world.primer;
    // Where outcomes are ticked is gathered over every note only when a hint needs it; the
    // world keeps a count per outcome for the question whether.
    let mut progress = None;
    let dir = folder_of(path);
    let mut out = vec![];
    for c in &doc.checklist {
        let range = if c.words.is_empty() {
            c.check_box
        } else {
            c.words
        };
        match (c.outcome, &c.marker_id) {
            (None, Some(id)) => out.push(Problem {
                path: doc.path.clone(),
                range,
                severity: Severity::Information,
                code: "unknown-outcome-id",
                message: format!(
                    "No learning outcome has the id '{id}' (ids look like '{}').",
                    primer.outcomes.first().map_or("state.1", |o| o.id.as_str())
                ),
                fix: None,
            }),
            (None, None) => {
                let text = doc.outline.items[c.item].text(&doc.text);
                let closest = primer.outcome_index.closest(text);
                let mut message =
                    "This checklist item names none of the primer's learning outcomes.".to_string();
                if let Some((o, _)) = closest {
                    let o = &primer.outcomes[o];
                    message.push_str(&format!(" Closest: {} \"{}\"", o.id, o.text));
                }
                out.push(Problem {
                    path: doc.path.clone(),
                    range,
                    severity: Severity::Information,
                    code: "unknown-outcome",
                    message,
                    fix: closest.map(|(o, _)| {
                        let o = &primer.outcomes[o];
                        Fix {
                            title: format!("Use the closest outcome ({})", o.id),
                            range: c.words,
                            text: o.text.clone(),
                        }
                    }),
                });
            }
            (Some(o), _) => {
                if c.checked || !world.outcome_ticked(o) {
                    continue;
                }
                let progress = progress.get_or_insert_with(|| super::progress(world));
                let status = &progress.outcomes[o];
                let elsewhere: Vec<String> = status
                    .ticked
                    .iter()
                    .map(|t| relative_path(dir, &t.path))
                    .collect();
                out.push(Problem {
                    path: doc.path.clone(),
                    range,
                    severity: Severity::Hint,
                    code: "outcome-ticked-elsewhere",
                    message: format!(
                        "Outcome {} is ticked in {} but not here.",
                        primer.outcomes[o].id,
                        elsewhere.join(", ")
                    ),
                    fix: Some(Fix {
                        title: "Tick it here too".into(),
                        range: c.check_box,
                        text: "[x]".into(),
                    }),
                });
            }
        }
    }
    out
}

/// An outcome named by a checklist item: its text, section, status across the notes, and the
/// terms its section teaches.
pub fn outcome_markdown(world: &World, from: &str, outcome: usize) -> String {
    let primer = &world.primer;
    let o = &primer.outcomes[outcome];
    let status = &super::progress(world).outcomes[outcome];
    let dir = folder_of(from);
    let shown = |ranges: &[FileRange]| -> String {
        let mut names: Vec<String> = ranges
            .iter()
            .map(|r| format!("`{}`", relative_path(dir, &r.path)))
            .collect();
        names.dedup();
        names.join(", ")
    };
    let mark = if status.done() {
        "✓ done"
    } else {
        "not done yet"
    };
    let mut s = format!("**Learning outcome `{}`** · {mark}\n\n{}\n\n", o.id, o.text);
    let doc = primer.doc_of(o.section);
    let _ = writeln!(
        s,
        "Section: [{}]({}) (`[[{}]]`)  ",
        primer.sections[o.section].title,
        file_url(&doc.path),
        primer.sections[o.section].id
    );
    if status.done() {
        let _ = writeln!(s, "Ticked in {}  ", shown(&status.ticked));
    }
    if !status.unticked.is_empty() {
        let _ = writeln!(s, "Listed unticked in {}  ", shown(&status.unticked));
    }
    let terms: Vec<&str> = primer
        .terms
        .iter()
        .filter(|t| t.taught_in.is_some_and(|(sec, _)| sec == o.section))
        .map(|t| t.display.as_str())
        .collect();
    if !terms.is_empty() {
        let _ = write!(s, "\n---\nTerms of this section: {}", list_some(&terms, 24));
    }
    s.trim_end().to_string()
}

/// The hover of a checklist item that names an outcome (unless the cursor is on a term or a link
/// among its words, which have hovers of their own).
pub fn hover(world: &World, path: &str, offset: usize) -> Option<Hover> {
    let doc = world.note(path)?;
    let c = doc.checklist_item_at(offset)?;
    let on_words = world.item_at(path, offset).is_some() && offset >= c.words.start;
    let outcome = c.outcome.filter(|_| !on_words)?;
    let range = TextRange::new(doc.outline.items[c.item].range.start, c.words.end);
    Some(Hover {
        range,
        markdown: outcome_markdown(world, path, outcome),
    })
}
