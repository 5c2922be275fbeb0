//! Markdown shown to the user that several features share: the hover answer, a term's card.

use std::fmt::Write;

use crate::text::{file_url, replace_wikilinks, TextRange};
use crate::world::World;

/// A hover: Markdown to show, and the range it is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hover {
    pub range: TextRange,
    pub markdown: String,
}

/// A term's hover text: its name, definition, where it is taught (links that open the primer
/// there), how many notes use it.
pub fn term_markdown(world: &World, term: usize) -> String {
    let primer = &world.primer;
    let t = &primer.terms[term];
    let mut s = format!("**{}**", t.display);
    let others: Vec<&str> = t.names.iter().skip(1).map(String::as_str).collect();
    if !others.is_empty() {
        let _ = write!(s, " · also *{}*", others.join("*, *"));
    }
    let (definition, mut places) = taught_sentence(world, &primer.term_definition(term));
    let definition = wikilinks_as_links(world, &definition);
    let _ = write!(s, "\n\n{definition}\n\n---\n");
    if let Some(main) = t.taught_in {
        places.retain(|p| *p != main);
        places.insert(0, main);
    }
    if places.is_empty() {
        let _ = write!(
            s,
            "Defined in {}",
            place_markdown_link(world, t.section, None)
        );
    } else {
        let links: Vec<String> = places
            .iter()
            .map(|&(sec, h)| place_markdown_link(world, sec, h))
            .collect();
        let _ = write!(s, "Taught in {}", links.join(" and "));
    }
    let n = world.notes_using(term);
    let _ = write!(s, " · used in {n} note{}", if n == 1 { "" } else { "s" });
    s
}

/// A primer place as a Markdown link with its title as the text, to the file at the heading's
/// line (`file:///…/state.md#L42`), which editors open there; just the title in italics when
/// the primer's files are nowhere an editor can open.
pub fn place_markdown_link(world: &World, section: usize, heading: Option<usize>) -> String {
    let primer = &world.primer;
    let title = primer.place_title(section, heading);
    let at = primer.location(section, heading);
    if !at.path.starts_with('/') {
        return format!("*{title}*");
    }
    let doc = primer.doc_of(section);
    let line = doc.line_index.line_of(at.range.start) + 1;
    format!(
        "[{}]({}#L{line})",
        title.replace('[', "\\[").replace(']', "\\]"),
        file_url(&at.path)
    )
}

/// Splits off a definition's closing "Taught in [[…]]." sentence (glossaries end entries so):
/// the rest, and the primer places the sentence links, which the hover shows once, as links.
fn taught_sentence(world: &World, definition: &str) -> (String, Vec<(usize, Option<usize>)>) {
    let trimmed = definition.trim_end();
    let Some(at) = trimmed.rfind("Taught in ").filter(|&i| {
        let before = trimmed[..i].trim_end();
        before.is_empty() || before.ends_with(['.', '!', '?', ')'])
    }) else {
        return (definition.to_string(), vec![]);
    };
    let sentence = &trimmed[at..];
    let mut places = vec![];
    let mut rest = sentence;
    while let Some(start) = rest.find("[[") {
        let Some(len) = rest[start..].find("]]") else {
            break;
        };
        let inner = &rest[start + 2..start + len];
        let dest = inner.split('|').next().unwrap_or(inner);
        if let Some(place) = world.primer.resolve_place(dest) {
            if !places.contains(&place) {
                places.push(place);
            }
        }
        rest = &rest[start + len + 2..];
    }
    if places.is_empty() {
        return (definition.to_string(), vec![]);
    }
    (trimmed[..at].trim_end().to_string(), places)
}

/// Shows `[[target|words]]` as a link with those words (or the target's title) to where the
/// target is in the primer, and as *words* when it names no primer place.
fn wikilinks_as_links(world: &World, text: &str) -> String {
    replace_wikilinks(text, |dest, words| match world.primer.resolve_place(dest) {
        Some((sec, h)) => {
            let link = place_markdown_link(world, sec, h);
            match (words, link.strip_prefix('[')) {
                (Some(w), Some(rest_of_link)) => {
                    let url = &rest_of_link[rest_of_link.find("](").unwrap_or(0)..];
                    format!("[{w}{url}")
                }
                (Some(w), None) => format!("*{w}*"),
                (None, _) => link,
            }
        }
        None => format!("*{}*", words.unwrap_or(dest)),
    })
}

/// The first `max` items joined with commas, and how many more there are.
pub fn list_some(items: &[&str], max: usize) -> String {
    let mut s = items[..items.len().min(max)].join(", ");
    if items.len() > max {
        let _ = write!(s, " and {} more", items.len() - max);
    }
    s
}

/// A note's path relative to its workspace folder.
pub fn shown_path<'p>(world: &World, path: &'p str) -> &'p str {
    world
        .roots()
        .iter()
        .find_map(|r| path.strip_prefix(r.as_str())?.strip_prefix('/'))
        .unwrap_or(path)
}
