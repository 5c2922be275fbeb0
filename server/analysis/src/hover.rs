//! Hover: a term's definition, a link's destination, a broken link's reason.

use std::fmt::Write;

use crate::render::{shown_path, term_markdown, Hover};
use crate::text::path_from;
use crate::world::{Item, Target, World};

pub fn hover(world: &World, path: &str, offset: usize) -> Option<Hover> {
    let (markdown, range) = match world.item_at(path, offset)? {
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
                        let _ = write!(
                            s,
                            "\n\n---\n*Also the name of the note `{}`; link it as `[[{}]]`.*",
                            shown_path(world, note),
                            path_from(path, note)
                        );
                    }
                    s
                }
            };
            (md, link.range())
        }
        Item::Heading {
            target: Target::Primer { section, .. },
            range,
        } => (section_users_markdown(world, section), range),
        Item::Heading { .. } => return None,
    };
    Some(Hover { range, markdown })
}

/// A primer heading: the notes that rely on its section.
fn section_users_markdown(world: &World, section: usize) -> String {
    let primer = &world.primer;
    let notes = world.notes_relying_on(section);
    let mut s = format!("**{}**\n\n", primer.sections[section].title);
    if notes.is_empty() {
        s.push_str("None of your notes relies on this section yet.");
        return s;
    }
    // Only the names shown are written out (a section may have thousands of notes).
    const SHOWN: usize = 12;
    let n = notes.len();
    let mut list = notes
        .iter()
        .take(SHOWN)
        .map(|p| format!("`{}`", shown_path(world, p)))
        .collect::<Vec<_>>()
        .join(", ");
    if n > SHOWN {
        let _ = write!(list, " and {} more", n - SHOWN);
    }
    let _ = write!(
        s,
        "Relied on by {n} note{} (links or terms): {list}",
        if n == 1 { "" } else { "s" },
    );
    s
}

/// A primer place or note: its title, first paragraph and (for a section) its outcomes.
pub fn place_markdown(world: &World, target: &Target) -> String {
    let primer = &world.primer;
    let Some(doc) = world.target_doc(target) else {
        return String::new();
    };
    // (A note that is not open is read again for its paragraph; none is shown when it changed.)
    let text = world.whole_text(doc);
    let (title, heading) = match target {
        Target::Primer { section, heading } => (primer.place_title(*section, *heading), *heading),
        Target::Note { heading, .. } => {
            let mut t = doc.title();
            if let Some(h) = heading {
                let _ = write!(t, " › {}", doc.outline.headings[*h].text());
            }
            (t, *heading)
        }
        _ => return String::new(),
    };
    let mut s = format!("### {title}\n");
    // A section's summary is its first real paragraph (not a one-line bold lead-in).
    if let Some(text) = &text {
        let para = match heading {
            Some(h) => doc
                .outline
                .paragraphs
                .iter()
                .find(|p| p.heading() == Some(h)),
            None => doc.outline.paragraphs.iter().find(|p| {
                text.get(p.range().start..p.range().end)
                    .is_some_and(crate::doc::previews_a_note)
            }),
        };
        if let Some(p) = para {
            let _ = write!(s, "\n{}\n", doc.markdown(text, p.range()));
        }
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
