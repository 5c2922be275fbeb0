//! Diagnostics: broken and ambiguous links in a file; for the primer, also what `check` expects of a course text.

use crate::world::Target;
use crate::{file_stem, Fix, Problem, Severity, World};

/// Problems of one file (a note or a primer file).
pub fn diagnostics(world: &World, path: &str) -> Vec<Problem> {
    let Some(doc) = world.doc(path) else {
        return vec![];
    };
    let mut out = vec![];
    for link in &doc.outline.links {
        let resolved = world.resolve(path, link);
        let range = link.dest_range.unwrap_or(link.range);
        match resolved.target {
            Target::Broken { reason, suggestion } => {
                let message = match &suggestion {
                    Some(s) => format!("Broken link: {reason}. Did you mean '{s}'?"),
                    None => format!("Broken link: {reason}."),
                };
                out.push(Problem {
                    path: doc.path.clone(),
                    range,
                    severity: Severity::Error,
                    code: "broken-link",
                    message,
                    fix: suggestion
                        .filter(|_| link.dest_range.is_some())
                        .map(|s| Fix {
                            title: format!("Replace with '{s}'"),
                            range,
                            text: s,
                        }),
                });
            }
            _ => {
                if let Some(note) = resolved.also_note {
                    out.push(Problem {
                        path: doc.path.clone(),
                        range,
                        severity: Severity::Hint,
                        code: "ambiguous-link",
                        message: format!(
                            "'{}' is a primer section and also your note '{note}'; this links the primer. Write [[{}.md]] for the note.",
                            link.dest,
                            file_stem(&note)
                        ),
                        fix: None,
                    });
                }
            }
        }
    }
    out.extend(checklist_problems(world, path));
    out
}

/// Checklist items that name no outcome, and outcomes ticked in another note but not here.
fn checklist_problems(world: &World, path: &str) -> Vec<Problem> {
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
    let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
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
                let text = &doc.outline.items[c.item].text;
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
                let progress = progress.get_or_insert_with(|| crate::outcomes::progress(world));
                let status = &progress.outcomes[o];
                let elsewhere: Vec<String> = status
                    .ticked
                    .iter()
                    .map(|t| crate::world::relative_path(dir, &t.path))
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

/// Problems of the whole primer: its files' links, duplicate terms, sections without outcomes.
pub fn primer_problems(world: &World) -> Vec<Problem> {
    let primer = &world.primer;
    let mut out = primer.problems.clone();
    for (s, section) in primer.sections.iter().enumerate() {
        let doc = primer.doc_of(s);
        out.extend(diagnostics(world, &doc.path));
        let is_glossary = file_stem(&doc.path).eq_ignore_ascii_case("glossary");
        if !is_glossary && primer.section_outcomes(s).next().is_none() {
            out.push(Problem {
                path: doc.path.clone(),
                range: crate::TextRange::empty(0),
                severity: Severity::Warning,
                code: "no-outcomes",
                message: format!("Section '{}' has no learning outcomes (a list under a 'Learning outcomes' heading).", section.title),
                fix: None,
            });
        }
    }
    for term in &primer.terms {
        if term.source == crate::TermSource::DefinitionList
            && term.taught_in.is_none()
            && !is_abbreviation_only(term)
        {
            out.push(Problem {
                path: primer.doc_of(term.section).path.clone(),
                range: term.range,
                severity: Severity::Warning,
                code: "term-without-section",
                message: format!("Term '{}' links to no primer section (add a [[section#heading]] link to its definition).", term.display),
                fix: None,
            });
        }
    }
    out
}

fn is_abbreviation_only(term: &crate::Term) -> bool {
    term.names.len() == 1 && crate::terms::is_abbreviation(&term.names[0])
}
