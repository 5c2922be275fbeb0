//! Where a course text's terms come from besides its glossary and headings: which definition
//! lists are reading lists (never terms), how the text writes a heading's name, and the
//! supplementary glossary for a text that has none.

use std::collections::HashMap;

use super::{heading_topic, split_term_line, take_aliases, Term, TermSource};
use crate::markdown::{self, Outline};
use crate::primer::SourceFile;
use crate::slug::fold_name;
use crate::terms::{is_abbreviation, TermId, TermMatcher};
use crate::text::TextRange;

/// Words of a heading naming a reading list (its definition lists name resources, not terms).
const READING_WORDS: &[&str] = &[
    "reading",
    "readings",
    "resources",
    "references",
    "bibliography",
    "see also",
    "links",
    "sources",
    "further",
    "additional",
];

/// The definition-list entries of a file that belong to reading lists: lists under a heading
/// about reading, or lists where an entry's title is a link, holds a URL or a quotation: they
/// name books, articles and blogs, never terms.
pub(super) fn reading_entries(outline: &Outline) -> std::collections::HashSet<usize> {
    let mut out = std::collections::HashSet::new();
    let defs = &outline.definitions;
    let mut i = 0;
    while i < defs.len() {
        // One list: entries that follow each other with only their definitions between.
        let mut j = i + 1;
        while j < defs.len() {
            let prev_end = defs[j - 1]
                .definitions
                .last()
                .map_or(defs[j - 1].term_range.end, |(_, r)| r.end);
            let gap_has_block =
                outline.paragraphs.iter().any(|p| {
                    p.range().start >= prev_end && p.range().end <= defs[j].term_range.start
                }) || outline.headings.iter().any(|h| {
                    h.range().start >= prev_end && h.range().end <= defs[j].term_range.start
                });
            if gap_has_block {
                break;
            }
            j += 1;
        }
        let under_reading = outline
            .heading_at(defs[i].term_range.start)
            .map(|h| outline.headings[h].text().to_lowercase())
            .is_some_and(|t| READING_WORDS.iter().any(|w| t.contains(w)));
        let resources = defs[i..j].iter().any(|e| {
            let linked = outline.links.iter().any(|l| {
                l.range().start >= e.term_range.start && l.range().end <= e.term_range.end
            });
            linked || e.term.contains("http") || e.term.contains(['"', '“', '”'])
        });
        if under_reading || resources {
            out.extend(i..j);
        }
        i = j;
    }
    out
}

/// A heading's name as the text writes it: "RAFT" over a section that writes "Raft" is the
/// term "Raft" (matched in any case), not an abbreviation matched only in capitals.
pub(super) fn as_the_text_writes_it(name: String, text: &str, region: TextRange) -> String {
    if !is_abbreviation(&name) || name.contains(|c: char| c.is_lowercase()) {
        return name;
    }
    let body = &text[region.start..region.end];
    let lower = name.to_lowercase();
    let mut other: Option<String> = None;
    let mut exact = 0;
    for word in body.split(|c: char| !c.is_alphanumeric()) {
        if word == name {
            exact += 1;
        } else if word.to_lowercase() == lower {
            // A capitalised spelling ("Raft") over a lower-case one (a URL's "raft").
            let capitalised = word.starts_with(char::is_uppercase);
            if other
                .as_ref()
                .is_none_or(|o| capitalised && !o.starts_with(char::is_uppercase))
            {
                other = Some(word.to_string());
            }
        }
    }
    match other {
        Some(w) if exact <= 1 => w,
        _ => name,
    }
}

/// Terms from a supplementary glossary, for a course text with none of its own: each entry the
/// text uses (by any of its names, in its prose) and defines no other way becomes a term, taught
/// where the text teaches it: the heading named after it, else the section using it most. Its
/// wiki links point into the glossary's own course, so the definition shows them as words.
pub(super) fn supplement_terms(
    parsed: &[(String, String, Outline)],
    files: &[SourceFile],
    terms: &mut Vec<Term>,
    names: &mut HashMap<String, usize>,
) {
    let mut entries: Vec<(Vec<String>, String)> = vec![];
    for f in files {
        let outline = markdown::parse(&f.text);
        let reading = reading_entries(&outline);
        for (e, entry) in outline.definitions.iter().enumerate() {
            if entry.definitions.is_empty() || reading.contains(&e) {
                continue;
            }
            let mut term_names = split_term_line(&entry.term);
            let (definition, aliases) = take_aliases(&entry.definitions[0].0);
            for (def, _) in &entry.definitions[1..] {
                term_names.extend(take_aliases(def).1);
            }
            term_names.extend(aliases);
            let definition = strip_taught_in(&wikilink_words(&definition));
            entries.push((term_names, definition));
        }
    }
    let lists: Vec<(TermId, &[String])> = entries
        .iter()
        .enumerate()
        .map(|(i, (n, _))| (i as TermId, n.as_slice()))
        .collect();
    let matcher = TermMatcher::new(lists);
    // Uses per entry per section, and the first use.
    let mut uses: HashMap<usize, Vec<(usize, TextRange)>> = HashMap::new();
    for (s, (_, text, outline)) in parsed.iter().enumerate() {
        let mut found = vec![];
        matcher.scan(text, &outline.prose, &mut found);
        for o in found {
            uses.entry(o.term as usize)
                .or_default()
                .push((s, o.range()));
        }
    }
    let mut used: Vec<usize> = uses.keys().copied().collect();
    used.sort_unstable();
    for e in used {
        let (entry_names, definition) = &entries[e];
        let free: Vec<String> = entry_names
            .iter()
            .filter(|n| !names.contains_key(&fold_name(n)))
            .cloned()
            .collect();
        if free.is_empty() {
            continue; // The text defines it itself.
        }
        if let Some(&owner) = entry_names.iter().find_map(|n| names.get(&fold_name(n))) {
            // The text defines it under another of its names: the others join that term.
            for n in free {
                names.insert(fold_name(&n), owner);
                terms[owner].names.push(n);
            }
            continue;
        }
        let places = &uses[&e];
        let own = free.iter().find_map(|n| {
            parsed.iter().enumerate().find_map(|(s, (_, _, outline))| {
                let h = outline.headings.iter().position(|h| {
                    !h.not_term
                        && heading_topic(h.text()).is_some_and(|t| fold_name(&t) == fold_name(n))
                })?;
                Some((s, h))
            })
        });
        let (section, range, taught_in) = match own {
            Some((s, h)) => (s, parsed[s].2.headings[h].text_range(), (s, Some(h))),
            None => {
                let mut per: HashMap<usize, usize> = HashMap::new();
                for (s, _) in places {
                    *per.entry(*s).or_default() += 1;
                }
                let best = per
                    .iter()
                    .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                    .map(|(s, _)| *s)
                    .unwrap_or(places[0].0);
                let first = places
                    .iter()
                    .find(|(s, _)| *s == best)
                    .map_or(places[0].1, |p| p.1);
                (best, first, (best, None))
            }
        };
        let index = terms.len();
        for n in &free {
            names.insert(fold_name(n), index);
        }
        terms.push(Term {
            display: free[0].clone(),
            names: free,
            definition: definition.clone(),
            source: TermSource::Supplement,
            section,
            range,
            taught_in: Some(taught_in),
            own_heading: own,
        });
    }
}

/// `[[target|words]]` as its words, `[[target]]` as its last part in words.
pub(super) fn wikilink_words(text: &str) -> String {
    crate::text::replace_wikilinks(text, |dest, words| match words {
        Some(w) => w.to_string(),
        None => dest.rsplit('#').next().unwrap_or(dest).replace('-', " "),
    })
}

/// A definition without its closing "Taught in …" sentence (it names another course's places).
pub(super) fn strip_taught_in(text: &str) -> String {
    let t = text.trim_end();
    match t.rfind("Taught in ") {
        Some(i) if t[..i].trim_end().ends_with(['.', '!', '?', ')']) => {
            t[..i].trim_end().to_string()
        }
        _ => t.to_string(),
    }
}
