//! The bundled primer (`primer/` at the repository root) is a complete, consistent course text.

use std::path::Path;
use std::sync::Arc;

use primer_analysis::primer::SourceFile;
use primer_analysis::{diagnostics, hover, Primer, World};

fn bundled() -> World {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../primer");
    let mut files = vec![];
    for entry in std::fs::read_dir(&dir).unwrap() {
        let p = entry.unwrap().path();
        if p.extension().is_some_and(|x| x == "md") {
            files.push(SourceFile {
                path: p.display().to_string(),
                text: std::fs::read_to_string(&p).unwrap(),
            });
        }
    }
    World::new(Arc::new(Primer::build(&dir.display().to_string(), files)))
}

#[test]
fn the_primer_has_no_problems() {
    let world = bundled();
    let problems: Vec<String> = diagnostics::primer_problems(&world)
        .iter()
        .map(|p| format!("{}:{}: {}", p.path, p.range.start, p.message))
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_primer_has_the_outline_s_shape() {
    let world = bundled();
    let p = &world.primer;
    let ids: Vec<&str> = p.sections.iter().map(|s| s.id.as_str()).collect();
    for id in [
        "intro",
        "reliable-rpcs",
        "state",
        "scaling-stateless-services",
        "asynchronous-work-and-pipelines",
        "distributed-locking-and-distributed-consensus",
    ] {
        assert!(ids.contains(&id), "missing section {id}: {ids:?}");
    }
    assert!(p.sections.len() > 5);
    let glossary_terms = p
        .terms
        .iter()
        .filter(|t| t.source == primer_analysis::TermSource::DefinitionList)
        .count();
    assert!(glossary_terms >= 150, "{glossary_terms} glossary terms");
    assert!(
        p.outcomes
            .iter()
            .filter(|o| o.id.starts_with("intro."))
            .count()
            >= 4
    );
    for (s, section) in p.sections.iter().enumerate() {
        if section.id != "glossary" {
            assert!(
                p.section_outcomes(s).count() >= 3,
                "{} has too few outcomes",
                section.id
            );
        }
    }
}

#[test]
fn every_term_hovers_with_its_definition_in_a_note() {
    let mut world = bundled();
    let names: Vec<(usize, String)> = world
        .primer
        .terms
        .iter()
        .enumerate()
        .map(|(i, t)| (i, t.names[0].clone()))
        .collect();
    let mut text = String::new();
    let mut at = vec![];
    for (i, name) in &names {
        text.push_str("We met ");
        at.push((*i, text.len()));
        text.push_str(name);
        text.push_str(" today.\n\n");
    }
    world.set_note_text(Arc::from("/notes/all.md"), Arc::from(text.as_str()));
    let mut wrong = vec![];
    for (i, offset) in at {
        let term = &world.primer.terms[i];
        match hover::hover(&world, "/notes/all.md", offset) {
            // The term, and where it is taught said once, as links (the glossary's closing
            // "Taught in [[…]]." sentence is not repeated in the body).
            Some(h)
                if h.markdown.contains(&format!("**{}**", term.display))
                    && h.markdown.matches("Taught in").count() <= 1
                    && !h.markdown.contains("[[") => {}
            other => wrong.push(format!(
                "{} -> {:?}",
                term.names[0],
                other.map(|h| h.markdown.lines().next().unwrap_or("").to_string())
            )),
        }
    }
    assert!(
        wrong.is_empty(),
        "{} terms do not hover as themselves:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn every_glossary_term_is_used_in_a_section_s_prose() {
    let world = bundled();
    let p = &world.primer;
    let mut unused = vec![];
    for (i, term) in p
        .terms
        .iter()
        .enumerate()
        .filter(|(_, t)| t.source == primer_analysis::TermSource::DefinitionList)
    {
        let used = p.docs.iter().any(|doc| {
            let is_glossary_doc = primer_analysis::file_stem(&doc.path) == "glossary";
            !is_glossary_doc
                && doc
                    .occurrences
                    .iter()
                    .any(|o| o.term as usize == i && o.range() != term.range)
        });
        if !used {
            unused.push(term.display.clone());
        }
    }
    assert!(
        unused.is_empty(),
        "{} terms appear in no section prose: {}",
        unused.len(),
        unused.join(", ")
    );
}

#[test]
fn every_outcome_checklist_item_finds_its_own_outcome() {
    // A checklist made by inserting the whole primer names each outcome once, and a student's
    // light rewording (lower case, no final punctuation, "the" dropped) still finds the same one.
    let world = bundled();
    let p = &world.primer;
    let mut note = String::from("## Learning outcomes\n\n");
    for o in &p.outcomes {
        let reworded = o.text.to_lowercase().replace("the ", "");
        note.push_str(&format!(
            "- [ ] {}\n- [x] {}\n",
            o.text,
            reworded.trim_end_matches('.')
        ));
    }
    let mut world = world.clone();
    world.set_note_text("/notes/all.md".into(), note.as_str().into());
    let doc = world.note("/notes/all.md").unwrap();
    let found: Vec<Option<usize>> = doc.checklist.iter().map(|c| c.outcome).collect();
    let wanted: Vec<Option<usize>> = (0..p.outcomes.len())
        .flat_map(|i| [Some(i), Some(i)])
        .collect();
    assert_eq!(found, wanted);
    let progress = primer_analysis::outcomes::progress(&world);
    assert_eq!(
        progress.count(|_| true),
        (p.outcomes.len(), p.outcomes.len())
    );
}

/// Every heading id of the published primer resolves in the bundled one, to a heading of the
/// same topic: notes written against either work with both.
#[test]
fn links_written_against_the_published_primer_resolve() {
    let world = bundled();
    let list = include_str!("data/published-heading-ids.txt");
    let mut note = String::new();
    let mut wanted = vec![];
    for line in list
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let (link, title) = line.split_once('\t').expect("id, a tab, a title");
        note.push_str(&format!("- [[{link}]]\n"));
        wanted.push((link, title));
    }
    assert_eq!(wanted.len(), 78, "the list has 78 ids");
    let mut world = world;
    world.set_note_text(Arc::from("/notes/published.md"), Arc::from(note.as_str()));
    let doc = world.note("/notes/published.md").unwrap().clone();
    let mut wrong = vec![];
    for (link, (id, title)) in doc.outline.links.iter().zip(&wanted) {
        let target = world.resolve(&doc.path, &doc.text, link).target;
        let shown = match target {
            primer_analysis::Target::Primer { section, heading } => {
                world.primer.place_title(section, heading)
            }
            other => {
                wrong.push(format!("{id}: {other:?}"));
                continue;
            }
        };
        // The same topic: the resolved place's title shares the published title's main words.
        let words = |t: &str| -> Vec<String> {
            t.split(|c: char| !c.is_alphanumeric())
                .filter(|w| w.len() > 3 || w.chars().all(|c| c.is_ascii_digit()) && !w.is_empty())
                .map(str::to_lowercase)
                .filter(|w| !["section", "this", "what", "with"].contains(&w.as_str()))
                .collect()
        };
        let have = words(&shown);
        let missing: Vec<String> = words(title)
            .into_iter()
            .filter(|w| !have.iter().any(|h| h.starts_with(w.trim_end_matches('s'))))
            .collect();
        if !missing.is_empty() {
            wrong.push(format!(
                "{id} → {shown}: not \"{title}\" (missing {missing:?})"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
