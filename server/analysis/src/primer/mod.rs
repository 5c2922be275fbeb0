//! The primer model: sections (one per file), headings, glossary terms and learning outcomes,
//! derived from a folder's Markdown files.

use std::collections::HashMap;
use std::sync::Arc;

use rustc_hash::FxHashMap;

mod names;
mod sources;

use crate::definitions::{find_definition, heading_parts, is_everyday, prose_terms};
use crate::doc::{Doc, HeadingIndex};
use crate::markdown::{self, Outline};
use crate::outcome_index::OutcomeIndex;
use crate::problem::{Problem, Severity};
use crate::slug::fold_name;
use crate::terms::{is_abbreviation, singular, TermId, TermMatcher};
pub use crate::text::split_anchor;
use crate::text::{file_stem, FileRange, TextRange};
use sources::{as_the_text_writes_it, reading_entries, supplement_terms};

/// One file of a primer, as read.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// Where the file is (a real path, or a virtual one for an embedded primer).
    pub path: String,
    pub text: String,
}

/// A primer section: one file.
#[derive(Debug)]
pub struct Section {
    /// The file stem; `intro` for `_index.md` / `index.md`.
    pub id: String,
    pub title: String,
    /// Index into [`Primer::docs`].
    pub doc: usize,
}

/// Where a term comes from, most explicit first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TermSource {
    DefinitionList,
    Heading,
    /// A sentence of the text defines it ("X means …", "Full Name (ABBR)").
    Prose,
    /// The supplementary glossary (the bundled one, for a text without a glossary).
    Supplement,
}

/// A glossary term.
#[derive(Debug)]
pub struct Term {
    /// The name as written in the primer ("Remote Procedure Call (RPC)", "Circuit Breakers").
    pub display: String,
    /// The names it is matched by: its name, abbreviation and aliases.
    pub names: Vec<String>,
    /// The definition, as Markdown.
    pub definition: String,
    pub source: TermSource,
    /// The section whose file defines it and the definition's range there.
    pub section: usize,
    pub range: TextRange,
    /// Where the term is taught: the first primer link in its definition, or its heading.
    pub taught_in: Option<(usize, Option<usize>)>,
    /// A heading named after the term (a topic heading), if the primer has one: where a
    /// glossary entry should say it is taught.
    pub own_heading: Option<(usize, usize)>,
}

/// A learning outcome.
#[derive(Debug)]
pub struct Outcome {
    /// `SECTION.N`, counting from 1 within the section's outcome list.
    pub id: String,
    pub text: String,
    pub section: usize,
    pub range: TextRange,
}

/// The course text, analysed.
#[derive(Debug)]
pub struct Primer {
    /// The folder the files are in (for messages).
    pub root: String,
    pub docs: Vec<Doc>,
    pub sections: Vec<Section>,
    pub terms: Vec<Term>,
    pub outcomes: Vec<Outcome>,
    /// The outcomes' words, for matching checklist items in notes.
    pub outcome_index: OutcomeIndex,
    pub matcher: TermMatcher,
    /// Words the matcher leaves out in this workspace ([`Primer::leave_out_words`]).
    pub words_left_out: Vec<String>,
    /// Problems found while building: duplicate terms, unreadable structure.
    pub problems: Vec<Problem>,
    // (Looked up for every link a note resolves: FxHash, as the world's maps of notes.)
    by_id: FxHashMap<String, usize>,
    by_heading_id: FxHashMap<String, (usize, usize)>,
    by_title: FxHashMap<String, (usize, Option<usize>)>,
    by_path: FxHashMap<Arc<str>, usize>,
}

const NOT_TOPICS: &[&str] = &[
    "questions",
    "question",
    "project work",
    "learning outcomes",
    "further reading",
    "further optional reading",
    "additional reading",
    "reading",
    "readings",
    "glossary",
    "summary",
    "overview",
    "introduction",
    "references",
    "exercises",
    "about",
    "contents",
    "see also",
    "notes",
    "recap",
    "conclusion",
    "background",
    "resources",
];

/// Whether a heading names a topic (and so defines a term), and the term's name.
pub fn heading_topic(text: &str) -> Option<String> {
    let mut text = text
        .trim()
        .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.')
        .trim();
    for article in ["The ", "the ", "A ", "a ", "An ", "an "] {
        text = text.strip_prefix(article).unwrap_or(text);
    }
    if text.is_empty() || text.contains(['?', ':', '!']) || !text.chars().any(char::is_alphabetic) {
        return None;
    }
    let folded = fold_name(text);
    let words: Vec<&str> = folded.split(' ').collect();
    if words.len() > 4
        || words
            .iter()
            .any(|w| matches!(*w, "and" | "or" | "vs" | "versus" | "how" | "why" | "what"))
    {
        return None;
    }
    if NOT_TOPICS
        .iter()
        .any(|stop| folded == *stop || folded.starts_with(&format!("{stop} ")))
    {
        return None;
    }
    let original_words: Vec<&str> = text.split_whitespace().collect();
    let last = original_words.last()?;
    let last = if is_abbreviation(last) {
        // "CDNs" names the CDN.
        match last.strip_suffix('s') {
            Some(one) if is_abbreviation(one) => one.to_string(),
            _ => last.to_string(),
        }
    } else {
        singular(last).unwrap_or_else(|| last.to_string())
    };
    let mut name = original_words[..original_words.len() - 1].join(" ");
    if !name.is_empty() {
        name.push(' ');
    }
    name.push_str(&last);
    Some(name)
}

/// `Full Name (ABBR)` → `["Full Name", "ABBR"]`; anything else → itself.
fn split_term_line(term: &str) -> Vec<String> {
    let term = term.trim();
    if let Some(open) = term.rfind('(') {
        if term.ends_with(')') && open > 0 {
            let full = term[..open].trim();
            let inner = term[open + 1..term.len() - 1].trim();
            if !full.is_empty() && !inner.is_empty() {
                return vec![full.to_string(), inner.to_string()];
            }
        }
    }
    vec![term.to_string()]
}

/// Splits `Aliases: a, b` lines out of a definition: (the rest, the aliases).
fn take_aliases(text: &str) -> (String, Vec<String>) {
    let mut rest = vec![];
    let mut aliases = vec![];
    for line in text.lines() {
        let trimmed = line.trim();
        let lower = trimmed.to_ascii_lowercase();
        if lower.starts_with("aliases:") || lower.starts_with("alias:") {
            let list = &trimmed[trimmed.find(':').unwrap_or(0) + 1..];
            aliases.extend(
                list.split([',', ';'])
                    .map(|a| a.trim().trim_end_matches('.').to_string())
                    .filter(|a| !a.is_empty()),
            );
        } else {
            rest.push(line);
        }
    }
    (rest.join("\n").trim().to_string(), aliases)
}

fn section_id_for(path: &str) -> String {
    match file_stem(path) {
        "_index" | "index" => "intro".to_string(),
        stem => stem.to_string(),
    }
}

/// A number that orders sections: the intro first, then by the number their title starts with.
fn section_order(id: &str, title: &str) -> (u8, u64, String) {
    if id == "intro" {
        return (0, 0, String::new());
    }
    let digits: String = title.chars().take_while(char::is_ascii_digit).collect();
    match digits.parse() {
        Ok(n) => (1, n, title.to_string()),
        Err(_) => (2, 0, title.to_string()),
    }
}

impl Primer {
    /// An empty primer (no sections, no terms).
    pub fn empty() -> Primer {
        Primer::build("", vec![])
    }

    /// Builds the primer from its files. `README.md` is documentation, not a section.
    pub fn build(root: &str, files: Vec<SourceFile>) -> Primer {
        Primer::build_with(root, files, None)
    }

    /// [`Primer::build`], with a supplementary glossary for a text that has none of its own:
    /// its entries become terms where the text uses them (see `supplement_terms`).
    pub fn build_with(
        root: &str,
        files: Vec<SourceFile>,
        supplement: Option<Vec<SourceFile>>,
    ) -> Primer {
        // 1. Parse every file once (outline only; terms come later).
        let mut parsed: Vec<(String, String, Outline)> = files
            .into_iter()
            .filter(|f| !file_stem(&f.path).eq_ignore_ascii_case("readme"))
            .map(|f| {
                let outline = markdown::parse(&f.text);
                (f.path, f.text, outline)
            })
            .collect();
        parsed.sort_by_cached_key(|(path, _, outline)| {
            let id = section_id_for(path);
            let title = outline.title.clone().unwrap_or_default();
            (section_order(&id, &title), path.clone())
        });

        let mut problems = vec![];
        let mut sections = vec![];
        let mut by_id = FxHashMap::default();
        let mut by_heading_id = FxHashMap::default();
        let mut by_title = FxHashMap::default();
        let mut by_path = FxHashMap::default();
        for (i, (path, _, outline)) in parsed.iter().enumerate() {
            let id = section_id_for(path);
            let title = outline
                .title
                .clone()
                .or_else(|| outline.headings.first().map(|h| h.text().to_string()))
                .unwrap_or_else(|| id.clone());
            by_id.entry(id.to_lowercase()).or_insert(i);
            if id == "intro" {
                by_id.entry(file_stem(path).to_lowercase()).or_insert(i);
            }
            by_title.entry(fold_name(&title)).or_insert((i, None));
            let untitled = title
                .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.')
                .trim();
            by_title.entry(fold_name(untitled)).or_insert((i, None));
            by_path.insert(Arc::from(path.as_str()), i);
            sections.push(Section { id, title, doc: i });
        }
        for (i, (_, _, outline)) in parsed.iter().enumerate() {
            for (h, heading) in outline.headings.iter().enumerate() {
                by_heading_id
                    .entry(heading.id().to_string())
                    .or_insert((i, h));
                by_title
                    .entry(fold_name(heading.text()))
                    .or_insert((i, Some(h)));
            }
        }

        let mut primer = Primer {
            root: root.to_string(),
            docs: vec![],
            sections,
            terms: vec![],
            outcomes: vec![],
            outcome_index: OutcomeIndex::default(),
            matcher: TermMatcher::new(std::iter::empty()),
            words_left_out: vec![],
            problems: vec![],
            by_id,
            by_heading_id,
            by_title,
            by_path,
        };

        // Each file's headings by id and text, for the anchors of links between them (and kept
        // by the documents afterwards).
        let headings: Vec<HeadingIndex> = parsed
            .iter()
            .map(|(_, _, outline)| HeadingIndex::new(outline))
            .collect();

        // 2. Terms: glossary entries first (not reading lists), then topic headings, then, for
        // a text with no glossary of its own, terms its prose defines and the supplement.
        let mut names: HashMap<String, usize> = HashMap::new();
        let mut terms: Vec<Term> = vec![];
        let mut has_glossary = false;
        for (s, (path, text, outline)) in parsed.iter().enumerate() {
            let reading = reading_entries(outline);
            for (e, entry) in outline.definitions.iter().enumerate() {
                if entry.definitions.is_empty() || reading.contains(&e) {
                    continue;
                }
                let mut term_names = split_term_line(&entry.term);
                let mut definition = String::new();
                for (k, (def, _)) in entry.definitions.iter().enumerate() {
                    let (rest, aliases) = take_aliases(def);
                    term_names.extend(aliases);
                    if k == 0 || definition.is_empty() {
                        definition = rest;
                    }
                }
                has_glossary |= !(term_names.len() == 1 && is_abbreviation(&term_names[0]));
                let taught_in = first_primer_link(
                    &primer,
                    &headings,
                    &parsed,
                    text,
                    outline,
                    entry.definitions[0].1,
                );
                add_term(
                    &mut terms,
                    &mut names,
                    &mut problems,
                    path,
                    Term {
                        display: entry.term.clone(),
                        names: term_names,
                        definition,
                        source: TermSource::DefinitionList,
                        section: s,
                        range: entry.term_range,
                        taught_in,
                        own_heading: None,
                    },
                );
            }
        }
        for (s, (path, text, outline)) in parsed.iter().enumerate() {
            let section_title = primer.sections[s]
                .title
                .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.')
                .trim()
                .to_lowercase();
            for (h, heading) in outline.headings.iter().enumerate() {
                // The heading that repeats the section's title is the section, not a topic.
                if heading.not_term || heading.text().trim().to_lowercase() == section_title {
                    continue;
                }
                let region = outline.heading_section(h, text.len());
                // The first paragraph may list aliases.
                let mut aliases = vec![];
                if let Some(para) = outline.paragraphs.iter().find(|p| p.heading() == Some(h)) {
                    let src = &text[para.range().start..para.range().end];
                    if src
                        .trim_start()
                        .to_ascii_lowercase()
                        .starts_with("aliases:")
                    {
                        aliases = take_aliases(src).1;
                    }
                }
                let parts = heading_parts(heading.text());
                let single = parts.len() == 1;
                for part in parts {
                    let Some(name) = heading_topic(&part) else {
                        continue;
                    };
                    let name = as_the_text_writes_it(name, text, region);
                    let folded = fold_name(&name);
                    if let Some(&existing) = names.get(&folded) {
                        // Already a term: the heading is where it is taught (and its own, when
                        // the heading names nothing else).
                        terms[existing].taught_in.get_or_insert((s, Some(h)));
                        if single {
                            terms[existing].own_heading.get_or_insert((s, h));
                        }
                        continue;
                    }
                    let mut term_names = vec![name.clone()];
                    term_names.extend(aliases.iter().cloned());
                    let found = find_definition(text, outline, region, &term_names);
                    // An everyday word is a term only where the text defines it; in a text
                    // without a glossary, any heading.
                    let everyday = !name.contains(' ') && is_everyday(&name);
                    let defined = found.as_ref().is_some_and(|(_, score)| *score >= 6);
                    if (everyday || !has_glossary) && !defined {
                        continue;
                    }
                    let definition = match found {
                        Some((d, _)) => d,
                        None => match outline.paragraphs.iter().find(|p| p.heading() == Some(h)) {
                            Some(p) => markdown::shown(text, outline, p.range()),
                            None => continue,
                        },
                    };
                    add_term(
                        &mut terms,
                        &mut names,
                        &mut problems,
                        path,
                        Term {
                            display: part.clone(),
                            names: term_names,
                            definition,
                            source: TermSource::Heading,
                            section: s,
                            range: heading.text_range(),
                            taught_in: Some((s, Some(h))),
                            own_heading: single.then_some((s, h)),
                        },
                    );
                }
            }
        }
        if !has_glossary {
            // Everyday words a sentence defines count only when the text uses them again.
            let folded_texts: Vec<String> = parsed.iter().map(|(_, t, _)| fold_name(t)).collect();
            let uses = |name: &str| -> usize {
                let n = fold_name(name);
                folded_texts.iter().map(|t| t.matches(&n).count()).sum()
            };
            for (s, (path, text, outline)) in parsed.iter().enumerate() {
                for found in prose_terms(text, outline) {
                    // ("The simplest tool is …" opens with everyday words it never uses again.)
                    let opens = fold_name(&text[found.sentence.start..found.sentence.end])
                        .trim_start_matches("the ")
                        .trim_start_matches("a ")
                        .trim_start_matches("an ")
                        .starts_with(&fold_name(&found.names[0]));
                    let everyday = found.names[0].split_whitespace().all(is_everyday);
                    if opens && everyday && uses(&found.names[0]) < 2 {
                        continue;
                    }
                    let claimed: Vec<usize> = found
                        .names
                        .iter()
                        .filter_map(|n| names.get(&fold_name(n)).copied())
                        .collect();
                    let sentence = markdown::shown(text, outline, found.sentence);
                    if let Some(&existing) = claimed.first() {
                        // "Full Name (ABBR)" where ABBR is listed: the full name joins the entry,
                        // and a listed abbreviation shows its expansion and this sentence.
                        for n in &found.names {
                            if let std::collections::hash_map::Entry::Vacant(e) =
                                names.entry(fold_name(n))
                            {
                                e.insert(existing);
                                terms[existing].names.push(n.clone());
                            }
                        }
                        for &c in &claimed {
                            let term = &mut terms[c];
                            let short = term.definition.len() < 120;
                            if term.source == TermSource::DefinitionList
                                && short
                                && !term.definition.contains(&sentence)
                            {
                                term.definition = format!(
                                    "{}. {sentence}",
                                    term.definition.trim_end_matches('.')
                                );
                                term.taught_in
                                    .get_or_insert((s, outline.heading_at(found.sentence.start)));
                            }
                        }
                        continue;
                    }
                    add_term(
                        &mut terms,
                        &mut names,
                        &mut problems,
                        path,
                        Term {
                            display: found.names[0].clone(),
                            names: found.names.clone(),
                            definition: sentence,
                            source: TermSource::Prose,
                            section: s,
                            range: found.sentence,
                            taught_in: Some((s, outline.heading_at(found.sentence.start))),
                            own_heading: None,
                        },
                    );
                }
            }
            if let Some(files) = &supplement {
                supplement_terms(&parsed, files, &mut terms, &mut names);
            }
        }

        // 3. Learning outcomes.
        let mut outcomes = vec![];
        for (s, (_, source, outline)) in parsed.iter().enumerate() {
            let mut n = 0;
            for item in &outline.items {
                let text = item.text(source);
                let under_outcomes = item.heading.is_some_and(|h| {
                    outline.headings[h]
                        .text()
                        .to_lowercase()
                        .contains("learning outcomes")
                });
                if under_outcomes && item.depth == 0 && !text.is_empty() {
                    n += 1;
                    outcomes.push(Outcome {
                        id: format!("{}.{n}", primer.sections[s].id),
                        text: text.to_string(),
                        section: s,
                        range: item.text_range,
                    });
                }
            }
        }

        // 4. The matcher, then every file's term occurrences.
        let matcher = TermMatcher::new(
            terms
                .iter()
                .enumerate()
                .map(|(i, t)| (i as TermId, t.names.as_slice())),
        );
        primer.docs = parsed
            .into_iter()
            .zip(headings)
            .map(|((path, text, outline), index)| {
                // The outline parsed first (with every list item's text, which the outcomes
                // were read from) serves the document: the file is not parsed again.
                let (path, text) = (Arc::from(path.as_str()), Arc::from(text.as_str()));
                let doc = Doc::with_outline(path, text, outline, &matcher);
                let _ = doc.headings_by.set(index);
                doc
            })
            .collect();
        primer.matcher = matcher;
        primer.terms = terms;
        primer.outcome_index = OutcomeIndex::new(outcomes.iter().map(|o| o.text.as_str()));
        primer.outcomes = outcomes;
        primer.problems = problems;
        primer
    }

    pub fn section_by_id(&self, id: &str) -> Option<usize> {
        self.by_id.get(&id.to_lowercase()).copied()
    }

    pub fn section_by_path(&self, path: &str) -> Option<usize> {
        self.by_path.get(path).copied()
    }

    pub fn doc_of(&self, section: usize) -> &Doc {
        &self.docs[self.sections[section].doc]
    }

    /// Resolves a name as a primer place: a section id, a heading id anywhere, or a section or
    /// heading title (case-insensitive), in that order.
    pub fn resolve_name(&self, name: &str) -> Option<(usize, Option<usize>)> {
        let name = name.trim();
        self.resolve_folded(name, &fold_name(name))
    }

    /// [`Primer::resolve_name`] of a trimmed `name` whose [`fold_name`] the caller has already.
    pub(crate) fn resolve_folded(
        &self,
        name: &str,
        folded: &str,
    ) -> Option<(usize, Option<usize>)> {
        // Ids are kept in lower case; most names are written so already (ASCII without
        // capitals, which lower-casing leaves as it is).
        let lower: std::borrow::Cow<str> = if name
            .bytes()
            .any(|b| b.is_ascii_uppercase() || !b.is_ascii())
        {
            name.to_lowercase().into()
        } else {
            name.into()
        };
        if let Some(&s) = self.by_id.get(&*lower) {
            return Some((s, None));
        }
        if let Some(&(s, h)) = self.by_heading_id.get(&*lower) {
            return Some((s, Some(h)));
        }
        self.by_title.get(folded).copied()
    }

    /// A primer place named by a link's destination, `section` or `section#anchor` (or any name
    /// [`Primer::resolve_name`] takes).
    pub fn resolve_place(&self, dest: &str) -> Option<(usize, Option<usize>)> {
        let (name, anchor) = split_anchor(dest);
        let (s, h) = self.resolve_name(name)?;
        match anchor {
            Some(a) => self.resolve_anchor(s, a).map(|h| (s, Some(h))),
            None => Some((s, h)),
        }
    }

    /// Resolves an anchor within a section: a heading id, or a heading's text or slug.
    pub fn resolve_anchor(&self, section: usize, anchor: &str) -> Option<usize> {
        self.doc_of(section).find_heading(anchor)
    }

    /// Where a primer place is: the heading, or the whole file's start for a section.
    pub fn location(&self, section: usize, heading: Option<usize>) -> FileRange {
        let doc = self.doc_of(section);
        let range = match heading {
            Some(h) => doc.outline.headings[h].range(),
            None => TextRange::empty(0),
        };
        FileRange {
            path: doc.path.clone(),
            range,
        }
    }

    /// A human name for a primer place: "2. State" or "2. State › Caching".
    pub fn place_title(&self, section: usize, heading: Option<usize>) -> String {
        let title = &self.sections[section].title;
        match heading {
            Some(h) => format!(
                "{title} › {}",
                self.doc_of(section).outline.headings[h].text()
            ),
            None => title.clone(),
        }
    }

    /// The link text that points at a primer place: `state` or `state#caching`.
    pub fn place_link(&self, section: usize, heading: Option<usize>) -> String {
        let id = &self.sections[section].id;
        match heading {
            Some(h) => format!("{id}#{}", self.doc_of(section).outline.headings[h].id()),
            None => id.clone(),
        }
    }

    pub fn term_by_name(&self, name: &str) -> Option<usize> {
        let folded = fold_name(name);
        self.terms.iter().position(|t| {
            t.names.iter().any(|n| fold_name(n) == folded) || fold_name(&t.display) == folded
        })
    }

    /// Where a term is defined: its definition-list entry or its topic heading.
    pub fn term_location(&self, term: usize) -> FileRange {
        let t = &self.terms[term];
        FileRange {
            path: self.doc_of(t.section).path.clone(),
            range: t.range,
        }
    }

    /// A term's definition as Markdown: its definition-list text, or the paragraph after its heading.
    pub fn term_definition(&self, term: usize) -> String {
        self.terms[term].definition.clone()
    }

    /// The heading named after `name` (a topic heading whose term name folds to it), if any.
    pub fn topic_heading(&self, name: &str) -> Option<(usize, usize)> {
        let folded = fold_name(name);
        self.docs.iter().enumerate().find_map(|(s, doc)| {
            let h = doc.outline.headings.iter().position(|h| {
                !h.not_term && heading_topic(h.text()).is_some_and(|t| fold_name(&t) == folded)
            })?;
            Some((s, h))
        })
    }

    /// The outcome with this id (`state.2`), in any case.
    pub fn outcome_by_id(&self, id: &str) -> Option<usize> {
        self.outcomes
            .iter()
            .position(|o| o.id.eq_ignore_ascii_case(id))
    }

    /// The outcomes of one section.
    pub fn section_outcomes(&self, section: usize) -> impl Iterator<Item = &Outcome> {
        self.outcomes.iter().filter(move |o| o.section == section)
    }
}

fn first_primer_link(
    primer: &Primer,
    headings: &[HeadingIndex],
    parsed: &[(String, String, Outline)],
    text: &str,
    outline: &Outline,
    within: TextRange,
) -> Option<(usize, Option<usize>)> {
    outline
        .links
        .iter()
        .filter(|l| {
            l.range().start >= within.start
                && l.range().end <= within.end
                && l.kind == markdown::LinkKind::Wiki
        })
        .find_map(|l| {
            let (name, anchor) = split_anchor(l.dest(text));
            let (s, h) = primer.resolve_name(name)?;
            match anchor {
                Some(a) => headings[s].find(&parsed[s].2, a).map(|h| (s, Some(h))),
                None => Some((s, h)),
            }
        })
}

fn add_term(
    terms: &mut Vec<Term>,
    names: &mut HashMap<String, usize>,
    problems: &mut Vec<Problem>,
    path: &str,
    term: Term,
) {
    let index = terms.len();
    let mut kept = vec![];
    for name in &term.names {
        let folded = fold_name(name);
        if folded.is_empty() {
            continue;
        }
        match names.get(&folded) {
            Some(&other) if other != index => {
                // Two glossary entries claiming one name is a mistake in the course text,
                // whichever of the entry's names it is (an abbreviation listed twice, say).
                let both_listed = term.source == TermSource::DefinitionList
                    && terms[other].source == TermSource::DefinitionList;
                if both_listed {
                    problems.push(Problem {
                        path: Arc::from(path),
                        range: term.range,
                        severity: Severity::Warning,
                        code: "duplicate-term",
                        message: format!(
                            "'{name}' is already defined as '{}'; this definition of it is ignored",
                            terms[other].display
                        ),
                        fix: None,
                    });
                }
                if kept.is_empty() && name == &term.names[0] && both_listed {
                    return;
                }
            }
            _ => {
                names.insert(folded, index);
                kept.push(name.clone());
            }
        }
    }
    if kept.is_empty() {
        return;
    }
    terms.push(Term {
        names: kept,
        ..term
    });
}
