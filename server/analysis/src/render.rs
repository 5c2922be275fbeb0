//! Markdown shown to the user that several features share: the hover answer, a term's card.

use std::fmt::Write;

use crate::text::TextRange;
use crate::world::World;

/// A hover: Markdown to show, and the range it is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hover {
    pub range: TextRange,
    pub markdown: String,
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
    let definition = strip_wikilinks(&world.primer.term_definition(term));
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
        .roots
        .iter()
        .find_map(|r| path.strip_prefix(r.as_str())?.strip_prefix('/'))
        .unwrap_or(path)
}
