//! Completion: sections, headings and notes after `[[`; a section's headings after `[[id#`;
//! glossary terms when asked for explicitly.

use crate::doc::Doc;
use crate::markdown::{Link, LinkKind};
use crate::render::term_markdown;
use crate::text::{file_stem, floor_boundary, TextRange};
use crate::world::{Target, World};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompletionKind {
    Section,
    Heading,
    Note,
    Term,
    Outcome,
}

/// One completion: `edit` replaces `range` with `insert` (which may hold a `$0` cursor).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Completion {
    pub label: String,
    pub kind: CompletionKind,
    pub detail: String,
    pub documentation: String,
    pub range: TextRange,
    pub insert: String,
    /// What the editor filters on.
    pub filter: String,
}

/// Completions at `offset` in `path`. `invoked` is true when the user asked (not a trigger character).
pub fn completions(world: &World, path: &str, offset: usize, invoked: bool) -> Vec<Completion> {
    let Some(doc) = world.doc(path) else {
        return vec![];
    };
    let text = doc.text.as_str();
    let offset = floor_boundary(text, offset);
    if doc.outline.in_code(offset.saturating_sub(1)) && doc.outline.in_code(offset) {
        return vec![];
    }
    let line_start = text[..offset].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let before = &text[line_start..offset];
    if let Some(open) = before.rfind("[[") {
        let typed = &before[open + 2..];
        if !typed.contains("]]") && !typed.contains('|') {
            let start = line_start + open + 2;
            let after = &text[offset..];
            let closes = after.starts_with("]]");
            return link_completions(world, path, typed, TextRange::new(start, offset), closes);
        }
    }
    if let Some(typed_from) = after_task_box(before) {
        return outcome_completions(world, path, TextRange::new(line_start + typed_from, offset));
    }
    if invoked {
        return term_completions(world, text, offset);
    }
    vec![]
}

fn link_completions(
    world: &World,
    from: &str,
    typed: &str,
    range: TextRange,
    closes: bool,
) -> Vec<Completion> {
    let primer = &world.primer;
    let close = if closes { "" } else { "]]" };
    let mut out = vec![];
    if let Some((name, _)) = typed.split_once('#') {
        // Headings of one section or note.
        let target = if name.is_empty() {
            world.doc(from).map(|d| (d, String::new()))
        } else {
            let link = Link::to_name(LinkKind::Wiki, name, range);
            match world.resolve(from, "", &link).target {
                t @ (Target::Primer { .. } | Target::Note { .. }) => {
                    world.target_doc(&t).map(|d| (d, format!("{name}#")))
                }
                _ => None,
            }
        };
        if let Some((doc, prefix)) = target {
            // (A note that is not open is read again for its paragraphs.)
            let text = world.whole_text(doc).unwrap_or_default();
            for (h, heading) in doc.outline.headings.iter().enumerate() {
                if heading.is_wordless() {
                    continue;
                }
                let snippet = doc
                    .outline
                    .paragraphs
                    .iter()
                    .find(|p| p.heading() == Some(h) && p.range().end <= text.len())
                    .map(|p| doc.markdown(&text, p.range()));
                out.push(Completion {
                    label: format!("{prefix}{}", heading.id()),
                    kind: CompletionKind::Heading,
                    detail: heading.text().to_string(),
                    documentation: snippet.map(|s| snippet_of(&s)).unwrap_or_default(),
                    range,
                    insert: format!("{prefix}{}{close}", heading.id()),
                    filter: format!("{prefix}{} {}", heading.id(), heading.text()),
                });
            }
        }
        return out;
    }
    for (s, section) in primer.sections.iter().enumerate() {
        let doc = primer.doc_of(s);
        let snippet = doc
            .outline
            .paragraphs
            .first()
            .map(|p| snippet_of(&doc.markdown(doc.text.as_str(), p.range())))
            .unwrap_or_default();
        out.push(Completion {
            label: section.id.clone(),
            kind: CompletionKind::Section,
            detail: section.title.clone(),
            documentation: snippet,
            range,
            insert: format!("{}{close}", section.id),
            filter: format!("{} {}", section.id, section.title),
        });
        for (h, heading) in doc.outline.headings.iter().enumerate() {
            if heading.is_wordless() {
                continue;
            }
            let link = primer.place_link(s, Some(h));
            let snippet = doc
                .outline
                .paragraphs
                .iter()
                .find(|p| p.heading() == Some(h))
                .map(|p| snippet_of(&doc.markdown(doc.text.as_str(), p.range())));
            out.push(Completion {
                label: link.clone(),
                kind: CompletionKind::Heading,
                detail: primer.place_title(s, Some(h)),
                documentation: snippet.unwrap_or_default(),
                range,
                insert: format!("{link}{close}"),
                filter: format!("{link} {}", heading.text()),
            });
        }
    }
    let mut notes: Vec<&Doc> = world.notes().map(|d| &**d).collect();
    notes.sort_unstable_by(|a, b| a.path.cmp(&b.path));
    for note in notes {
        if &*note.path == from {
            continue;
        }
        let link = note_link(world, from, &note.path, range);
        out.push(Completion {
            label: link.clone(),
            kind: CompletionKind::Note,
            detail: note.title(),
            documentation: format!("Note `{}`", note.path),
            range,
            insert: format!("{link}{close}"),
            filter: format!("{link} {}", note.title()),
        });
    }
    out
}

/// What to write in `[[...]]` from `from` to reach the note at `path`: its file name when that
/// name leads there, else its path relative to `from` (another note or a primer section has the
/// name), which always does. So the label shows the folder exactly when the name is not enough.
fn note_link(world: &World, from: &str, path: &str, range: TextRange) -> String {
    let stem = file_stem(path);
    let link = Link::to_name(LinkKind::Wiki, stem, range);
    match world.resolve(from, "", &link).target {
        Target::Note { path: p, .. } if &*p == path => stem.to_string(),
        _ => crate::text::path_from(from, path),
    }
}

/// Where the words of a task item start when `line` (up to the cursor) is `- [ ] ` and words:
/// a bullet (`-`, `*`, `+` or `1.`), a box, a space.
fn after_task_box(line: &str) -> Option<usize> {
    let trimmed = line.trim_start();
    let indent = line.len() - trimmed.len();
    let bullet = if trimmed.starts_with(['-', '*', '+']) {
        1
    } else {
        let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
        let ok = (1..=9).contains(&digits) && trimmed[digits..].starts_with(['.', ')']);
        if !ok {
            return None;
        }
        digits + 1
    };
    let rest = &trimmed[bullet..];
    let spaces = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    let rest = &rest[spaces..];
    let is_box = spaces > 0
        && rest.len() >= 4
        && rest.starts_with('[')
        && matches!(rest.as_bytes()[1], b' ' | b'x' | b'X')
        && rest[2..].starts_with("] ");
    is_box.then_some(indent + bullet + spaces + 4)
}

/// Outcomes the note does not list yet, for the words of a task item.
fn outcome_completions(world: &World, path: &str, range: TextRange) -> Vec<Completion> {
    let primer = &world.primer;
    let listed: std::collections::BTreeSet<usize> = world
        .note(path)
        .map(|d| d.checklist.iter().filter_map(|c| c.outcome).collect())
        .unwrap_or_default();
    primer
        .outcomes
        .iter()
        .enumerate()
        .filter(|(i, _)| !listed.contains(i))
        .map(|(_, o)| Completion {
            label: o.text.clone(),
            kind: CompletionKind::Outcome,
            detail: format!("{} · {}", o.id, primer.sections[o.section].title),
            documentation: format!(
                "Learning outcome `{}` of *{}*",
                o.id, primer.sections[o.section].title
            ),
            range,
            insert: o.text.clone(),
            filter: o.text.clone(),
        })
        .collect()
}

fn term_completions(world: &World, text: &str, offset: usize) -> Vec<Completion> {
    let word_start = text[..offset]
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphanumeric() || *c == '-' || *c == '_')
        .last()
        .map_or(offset, |(i, _)| i);
    let typed = text[word_start..offset].to_lowercase();
    let range = TextRange::new(word_start, offset);
    let mut out = vec![];
    for (i, term) in world.primer.terms.iter().enumerate() {
        for name in &term.names {
            if !typed.is_empty()
                && !name
                    .to_lowercase()
                    .split(' ')
                    .any(|w| w.starts_with(&typed))
            {
                continue;
            }
            out.push(Completion {
                label: name.clone(),
                kind: CompletionKind::Term,
                detail: if name == &term.display {
                    "glossary term".into()
                } else {
                    format!("glossary term: {}", term.display)
                },
                documentation: term_markdown(world, i),
                range,
                insert: name.clone(),
                filter: name.clone(),
            });
        }
    }
    out
}

/// The first two sentences or 200 characters of a paragraph.
fn snippet_of(text: &str) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut end = flat.len();
    let mut sentences = 0;
    for (i, c) in flat.char_indices() {
        if matches!(c, '.' | '!' | '?') && flat[i + 1..].starts_with(' ') {
            sentences += 1;
            if sentences == 2 {
                end = i + 1;
                break;
            }
        }
    }
    let mut cut = flat[..end].to_string();
    if cut.chars().count() > 200 {
        cut = cut.chars().take(199).collect::<String>() + "…";
    }
    cut
}
