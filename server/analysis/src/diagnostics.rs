//! Diagnostics: broken and ambiguous links in a file; for the primer, also what `check` expects of a course text.

use crate::edits::Fix;
use crate::primer::{Term, TermSource};
use crate::problem::{Problem, Severity};
use crate::terms::is_abbreviation;
use crate::text::{file_stem, TextRange};
use crate::world::{Target, World};

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
                range: TextRange::empty(0),
                severity: Severity::Warning,
                code: "no-outcomes",
                message: format!("Section '{}' has no learning outcomes (a list under a 'Learning outcomes' heading).", section.title),
                fix: None,
            });
        }
    }
    for term in &primer.terms {
        if term.source == TermSource::DefinitionList
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

fn is_abbreviation_only(term: &Term) -> bool {
    term.names.len() == 1 && is_abbreviation(&term.names[0])
}
