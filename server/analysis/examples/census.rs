//! Where the memory of an indexed corpus goes: every note analysed, compacted and kept in pieces
//! as the server keeps it, then the bytes of each part counted (records and their allocations, rounded as
//! glibc's malloc rounds them), with the process's resident memory before and after.
//!
//! `cargo run --release -p primer-analysis --example census -- target/bench-corpus/10k`
//! (run from the repository's top: the bundled primer is read from `primer/`). Linux only for
//! the resident memory lines.

mod corpus;

use std::collections::BTreeMap;

use primer_analysis::markdown::{Heading, Link, Paragraph};
use primer_analysis::Doc;

/// The bytes glibc's malloc takes for a block of `n` bytes (none for an empty one).
fn block(n: usize) -> usize {
    if n == 0 {
        0
    } else {
        (n + 8).div_ceil(16).max(2) * 16
    }
}

fn resident() -> String {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .filter(|l| l.starts_with("VmRSS"))
        .collect()
}

fn main() {
    let (primer, notes) = corpus::load("census");
    println!("texts read              {}", resident());
    let docs: Vec<Doc> = notes
        .iter()
        .map(|(path, text)| {
            let mut doc = Doc::note(path.clone(), text.clone(), &primer);
            doc.close(primer_analysis::source::Stamp([0; 3]));
            doc
        })
        .collect();
    println!("notes analysed          {}", resident());
    for doc in &docs {
        doc.find_heading("");
        doc.link_keys();
    }
    println!("heading and link keys   {}", resident());

    let mut parts: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut add = |part: &'static str, count: usize, bytes: usize| {
        let p = parts.entry(part).or_default();
        p.0 += count;
        p.1 += bytes;
    };
    for doc in &docs {
        let o = &doc.outline;
        add("text (the pieces kept)", 1, block(doc.text.heap_bytes()));
        add("path", 1, block(doc.path.len() + 16));
        add("document", 1, block(size_of::<Doc>() + 16));
        add("line index", 1, block(doc.line_index.heap_bytes()));
        let occurrences = doc.occurrences.len();
        add("term occurrences", occurrences, block(occurrences * 12));
        add(
            "headings",
            o.headings.len(),
            block(o.headings.len() * size_of::<Heading>()),
        );
        for h in &o.headings {
            let names = h.text().len() + h.id().len() + h.base_id().len();
            add("heading names", 1, block(names));
        }
        add(
            "links",
            o.links.len(),
            block(o.links.len() * size_of::<Link>()),
        );
        let paragraphs = o.paragraphs.len();
        add(
            "paragraphs",
            paragraphs,
            block(paragraphs * size_of::<Paragraph>()),
        );
    }
    let mut total = 0;
    for (part, (count, bytes)) in &parts {
        total += bytes;
        println!("{part:20} {count:>10} {:>8.1} MB", *bytes as f64 / 1e6);
    }
    println!("{:31} {:>8.1} MB", "total", total as f64 / 1e6);
}
