//! Test fixtures: several files in one string, a cursor marked with `‸`.
//!
//! ```text
//! //- /primer/state.md
//! ## Caching
//! //- /notes/week1.md
//! I read about cach‸ing.
//! ```
//! Files under `/primer/` make the primer; the others are notes in a workspace folder `/`.

use std::sync::Arc;

use crate::line_index::Encoding;
use crate::primer::Primer;
use crate::primer::SourceFile;
use crate::text::FileRange;
use crate::world::World;

pub const CURSOR: &str = "‸";

pub struct Fixture {
    pub world: World,
    /// The file and offset of the cursor, when the fixture has one.
    pub cursor: Option<(String, usize)>,
}

pub fn fixture(text: &str) -> Fixture {
    fixture_leaving_out(text, &[])
}

/// [`fixture`] in a workspace whose words `left_out` are not terms.
pub fn fixture_leaving_out(text: &str, left_out: &[&str]) -> Fixture {
    let mut files: Vec<(String, String)> = vec![];
    for chunk in text.split("//- ").filter(|c| !c.trim().is_empty()) {
        let (path, body) = chunk.split_once('\n').unwrap_or((chunk, ""));
        files.push((path.trim().to_string(), body.to_string()));
    }
    let mut cursor = None;
    for (path, body) in &mut files {
        if let Some(at) = body.find(CURSOR) {
            body.replace_range(at..at + CURSOR.len(), "");
            cursor = Some((path.clone(), at));
        }
    }
    let primer_files: Vec<SourceFile> = files
        .iter()
        .filter(|(p, _)| p.starts_with("/primer/"))
        .map(|(p, t)| SourceFile {
            path: p.clone(),
            text: t.clone(),
        })
        .collect();
    let mut primer = Primer::build("/primer", primer_files);
    primer.leave_out_words(&left_out.iter().map(|w| w.to_string()).collect::<Vec<_>>());
    let mut world = World::new(Arc::new(primer));
    world.set_roots(vec!["/".into()]);
    for (path, body) in files.iter().filter(|(p, _)| !p.starts_with("/primer/")) {
        world.set_note_text(Arc::from(path.as_str()), Arc::from(body.as_str()));
    }
    Fixture { world, cursor }
}

impl Fixture {
    pub fn at(&self) -> (&str, usize) {
        let (p, o) = self.cursor.as_ref().expect("fixture has a cursor ‸");
        (p.as_str(), *o)
    }

    /// `path:line:col "text"` for a range, lines and columns from 1.
    pub fn show(&self, r: &FileRange) -> String {
        let doc = self.world.doc(&r.path).expect("known file");
        let lc = doc
            .line_index
            .line_col(&doc.text, r.range.start, Encoding::Utf8);
        let text = doc.text.as_str()[r.range.start..r.range.end]
            .lines()
            .next()
            .unwrap_or("");
        format!("{}:{}:{} {text:?}", r.path, lc.line + 1, lc.col + 1)
    }
}

/// A small primer shared by many tests.
pub const PRIMER: &str = r#"
//- /primer/_index.md
+++
title="The Primer"
+++
## About this primer {#about}

A short course.

### Learning outcomes for this primer:

- Explain the reasons that we build distributed systems
- Describe replication

## Why Distributed Systems? {#why-distributed-systems}

Some workloads are too high for one machine. This is called horizontal scalability.

## Glossary of Abbreviations {.not-term}

{{< details summary="Glossary of Abbreviations" >}}

API
: Application Programming Interface: how programs ask each other for work.

{{< /details >}}
//- /primer/state.md
+++
title="2. State"
+++
# 2 {.not-term}

## Caching

A cache is a fast store that keeps a recently used subset of data.

### Circuit Breakers

A circuit breaker stops calling a failing dependency for a while.

## Network Partition

A network partition splits machines into groups that cannot talk.

## Learning outcomes

- Explain why caches go cold
- Describe how a network partition forces a choice
//- /primer/glossary.md
+++
title="Glossary"
+++
Horizontal scalability
: Handling more load by adding machines rather than enlarging one. See [[intro#why-distributed-systems]].
: Aliases: scale out, horizontally scalable

Partition
: One slice of a split data set. See [[state#caching]].

Remote Procedure Call (RPC)
: A call to a function that runs on another machine.
"#;
