//! Diagnostics: broken and ambiguous links in a file; for the primer, also what `check` expects of a course text.

use crate::edits::Fix;
use crate::primer::{Term, TermSource};
use crate::problem::{Problem, Severity};
use crate::render::shown_path;
use crate::terms::is_abbreviation;
use crate::text::path_from;
use crate::text::{file_stem, TextRange};
use crate::world::{Target, World};

/// Problems of one file (a note or a primer file).
pub fn diagnostics(world: &World, path: &str) -> Vec<Problem> {
    let Some(doc) = world.doc(path) else {
        return vec![];
    };
    let mut out = vec![];
    for link in &doc.outline.links {
        let resolved = world.resolve(path, &doc.text, link);
        // An empty destination has an empty range: mark the whole link instead.
        let range = link
            .dest_range()
            .filter(|r| !r.is_empty())
            .unwrap_or(link.range());
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
                        .filter(|_| link.dest_range().is_some())
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
                            "'{}' is a primer section and also your note '{}'; this links the primer. Write [[{}]] for the note.",
                            link.dest(&doc.text),
                            shown_path(world, &note),
                            path_from(path, &note)
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
    out.extend(teaching_places(world));
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

/// Glossary entries whose "taught in" is not the heading named after them, links whose words
/// name a term but go somewhere else than where it is taught, and aliases that are a topic of
/// their own (a heading named after them, away from the term's).
fn teaching_places(world: &World) -> Vec<Problem> {
    let primer = &world.primer;
    let mut out = vec![];
    for term in &primer.terms {
        if term.source != TermSource::DefinitionList {
            continue;
        }
        if let (Some((s, h)), Some(taught)) = (term.own_heading, term.taught_in) {
            if taught != (s, Some(h)) {
                out.push(Problem {
                    path: primer.doc_of(term.section).path.clone(),
                    range: term.range,
                    severity: Severity::Warning,
                    code: "taught-elsewhere",
                    message: format!(
                        "'{}' has a heading of its own, [[{}]], but its entry says it is taught in [[{}]]",
                        term.display,
                        primer.place_link(s, Some(h)),
                        primer.place_link(taught.0, taught.1)
                    ),
                    fix: None,
                });
            }
        }
        let own = term.own_heading.map(|(s, h)| (s, Some(h)));
        for alias in term.names.iter().skip(1) {
            let Some((s, h)) = primer.topic_heading(alias) else {
                continue;
            };
            if Some((s, Some(h))) != own && Some((s, Some(h))) != term.taught_in {
                out.push(Problem {
                    path: primer.doc_of(term.section).path.clone(),
                    range: term.range,
                    severity: Severity::Warning,
                    code: "alias-with-own-topic",
                    message: format!(
                        "'{alias}' is listed as another name for '{}', but the primer teaches it under a heading of its own, [[{}]]; give it an entry of its own",
                        term.display,
                        primer.place_link(s, Some(h))
                    ),
                    fix: None,
                });
            }
        }
    }
    // Links in the primer whose words name a term, to a place other than where it is taught.
    for (s, _) in primer.sections.iter().enumerate() {
        let doc = primer.doc_of(s);
        for link in &doc.outline.links {
            let Target::Primer { section, heading } =
                world.resolve(&doc.path, &doc.text, link).target
            else {
                continue;
            };
            let Some(t) = primer.term_by_name(link.label(&doc.text)) else {
                continue;
            };
            let term = &primer.terms[t];
            let Some(taught) = term
                .taught_in
                .filter(|_| term.source == TermSource::DefinitionList)
            else {
                continue;
            };
            let own = term.own_heading.map(|(s, h)| (s, Some(h)));
            if (section, heading) != taught && Some((section, heading)) != own {
                out.push(Problem {
                    path: doc.path.clone(),
                    range: link.dest_range().unwrap_or(link.range()),
                    severity: Severity::Warning,
                    code: "link-elsewhere",
                    message: format!(
                        "these words name '{}', which is taught in [[{}]], but the link goes to [[{}]]",
                        term.display,
                        primer.place_link(taught.0, taught.1),
                        primer.place_link(section, heading)
                    ),
                    fix: None,
                });
            }
        }
    }
    out
}

fn is_abbreviation_only(term: &Term) -> bool {
    term.names.len() == 1 && is_abbreviation(&term.names[0])
}
