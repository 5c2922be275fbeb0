//! Hover: a term's definition, a link's destination, a broken link's reason.

use std::fmt::Write;

use crate::world::{Item, Target};
use crate::{TextRange, World};

/// A hover: Markdown to show, and the range it is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hover {
    pub range: TextRange,
    pub markdown: String,
}

pub fn hover(world: &World, path: &str, offset: usize) -> Option<Hover> {
    let item = world.item_at(path, offset);
    if let Some(doc) = world.note(path) {
        if let Some(c) = crate::outcomes::item_at(doc, offset) {
            let on_words = item.is_some() && offset >= c.words.start;
            if let (false, Some(o)) = (on_words, c.outcome) {
                let range = TextRange::new(doc.outline.items[c.item].range.start, c.words.end);
                return Some(Hover {
                    range,
                    markdown: outcome_markdown(world, path, o),
                });
            }
        }
    }
    let (markdown, range) = match item? {
        Item::Term { term, range } | Item::TermDefinition { term, range } => {
            (term_markdown(world, term), range)
        }
        Item::Link { link, resolved } => {
            let md = match &resolved.target {
                Target::External => return None,
                Target::Broken { reason, suggestion } => {
                    let mut s = format!("**Broken link**: {reason}.");
                    if let Some(sug) = suggestion {
                        let _ = write!(s, " Did you mean `{sug}`?");
                    }
                    s
                }
                target => {
                    let mut s = place_markdown(world, target);
                    if let Some(note) = &resolved.also_note {
                        let _ = write!(s, "\n\n---\n*Also the name of the note `{note}`; link it as `[[{}.md]]`.*", crate::file_stem(note));
                    }
                    s
                }
            };
            (md, link.range)
        }
        Item::Heading {
            target: Target::Primer { section, .. },
            range,
        } => (section_users_markdown(world, section), range),
        Item::Heading { .. } => return None,
    };
    Some(Hover { range, markdown })
}

/// An outcome named by a checklist item: its text, section, status across the notes, and the
/// terms its section teaches.
pub fn outcome_markdown(world: &World, from: &str, outcome: usize) -> String {
    let primer = &world.primer;
    let o = &primer.outcomes[outcome];
    let status = &crate::outcomes::progress(world).outcomes[outcome];
    let dir = from.rsplit_once('/').map_or("", |(d, _)| d);
    let shown = |ranges: &[crate::FileRange]| -> String {
        let mut names: Vec<String> = ranges
            .iter()
            .map(|r| format!("`{}`", crate::world::relative_path(dir, &r.path)))
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
        crate::file_url(&doc.path),
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

/// A primer heading: the notes that rely on its section.
fn section_users_markdown(world: &World, section: usize) -> String {
    let primer = &world.primer;
    let notes = crate::outcomes::notes_relying_on(world, section);
    let mut s = format!("**{}**\n\n", primer.sections[section].title);
    if notes.is_empty() {
        s.push_str("None of your notes relies on this section yet.");
        return s;
    }
    let names: Vec<String> = notes
        .iter()
        .map(|p| format!("`{}`", shown_path(world, p)))
        .collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let n = notes.len();
    let _ = write!(
        s,
        "Relied on by {n} note{} (links or terms): {}",
        if n == 1 { "" } else { "s" },
        list_some(&names, 12)
    );
    s
}

/// A note's path relative to its workspace folder.
fn shown_path<'p>(world: &World, path: &'p str) -> &'p str {
    world
        .roots
        .iter()
        .find_map(|r| path.strip_prefix(r.as_str())?.strip_prefix('/'))
        .unwrap_or(path)
}

/// The first `max` items joined with commas, and how many more there are.
fn list_some(items: &[&str], max: usize) -> String {
    let mut s = items[..items.len().min(max)].join(", ");
    if items.len() > max {
        let _ = write!(s, " and {} more", items.len() - max);
    }
    s
}

/// A term's hover text: its name, definition, where it is taught, how many notes use it.
pub fn term_markdown(world: &World, term: usize) -> String {
    let primer = &world.primer;
    let t = &primer.terms[term];
    let mut s = format!("**{}**", t.display);
    let others: Vec<&str> = t.names.iter().skip(1).map(String::as_str).collect();
    if !others.is_empty() {
        let _ = write!(s, " · also *{}*", others.join("*, *"));
    }
    let definition = strip_wikilinks(&term_definition(world, term));
    let _ = write!(s, "\n\n{definition}\n\n---\n");
    match t.taught_in {
        Some((sec, h)) => {
            let _ = write!(
                s,
                "Taught in *{}* (`[[{}]]`)",
                primer.place_title(sec, h),
                primer.place_link(sec, h)
            );
        }
        None => {
            let _ = write!(s, "Defined in *{}*", primer.sections[t.section].title);
        }
    }
    let n = world.notes_using(term);
    let _ = write!(s, " · used in {n} note{}", if n == 1 { "" } else { "s" });
    s
}

/// A term's definition as Markdown: its definition-list text, or the paragraph after its heading.
pub fn term_definition(world: &World, term: usize) -> String {
    let primer = &world.primer;
    let t = &primer.terms[term];
    let doc = primer.doc_of(t.section);
    match t.source {
        crate::TermSource::Heading => {
            let para = doc
                .outline
                .paragraphs
                .iter()
                .find(|p| p.range.start >= t.range.end);
            para.map(|p| doc.markdown(p.range)).unwrap_or_default()
        }
        crate::TermSource::DefinitionList => t.definition.clone(),
    }
}

/// A primer place or note: its title, first paragraph and (for a section) its outcomes.
pub fn place_markdown(world: &World, target: &Target) -> String {
    let primer = &world.primer;
    let Some(doc) = world.target_doc(target) else {
        return String::new();
    };
    let (title, heading) = match target {
        Target::Primer { section, heading } => (primer.place_title(*section, *heading), *heading),
        Target::Note { heading, .. } => {
            let mut t = doc.title();
            if let Some(h) = heading {
                let _ = write!(t, " › {}", doc.outline.headings[*h].text);
            }
            (t, *heading)
        }
        _ => return String::new(),
    };
    let mut s = format!("### {title}\n");
    // A section's summary is its first real paragraph (not a one-line bold lead-in).
    let para = match heading {
        Some(h) => doc.outline.paragraphs.iter().find(|p| p.heading == Some(h)),
        None => doc.outline.paragraphs.iter().find(|p| {
            doc.text[p.range.start..p.range.end]
                .split_whitespace()
                .count()
                >= 8
        }),
    };
    if let Some(p) = para {
        let _ = write!(s, "\n{}\n", doc.markdown(p.range));
    }
    if let Target::Primer {
        section,
        heading: None,
    } = target
    {
        let outcomes: Vec<_> = primer.section_outcomes(*section).collect();
        if !outcomes.is_empty() {
            s.push_str("\n**Learning outcomes**\n");
            for o in outcomes {
                let _ = writeln!(s, "- {}", o.text);
            }
        }
    }
    if let Target::Note { path, .. } = target {
        let _ = write!(s, "\n*Note `{path}`*");
    }
    s.trim_end().to_string()
}

/// Shows `[[target|words]]` as *words* and `[[target]]` as *target*.
fn strip_wikilinks(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("[[") {
        let Some(len) = rest[start..].find("]]") else {
            break;
        };
        out.push_str(&rest[..start]);
        let inner = &rest[start + 2..start + len];
        let words = inner.rsplit('|').next().unwrap_or(inner);
        let _ = write!(out, "*{words}*");
        rest = &rest[start + len + 2..];
    }
    out.push_str(rest);
    out
}
