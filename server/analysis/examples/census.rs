use primer_analysis::primer::SourceFile;
use primer_analysis::{Doc, Primer};
use std::path::Path;
use std::sync::Arc;

fn walk(dir: &Path, out: &mut Vec<(Arc<str>, Arc<str>)>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            walk(&p, out);
        } else if p.extension().is_some_and(|x| x == "md") {
            let text = std::fs::read_to_string(&p).unwrap();
            out.push((p.display().to_string().into(), text.into()));
        }
    }
}
fn chunk(n: usize) -> usize {
    if n == 0 {
        0
    } else {
        ((n + 8 + 15) / 16 * 16).max(32)
    }
}
fn main() {
    let mut files = vec![];
    for e in std::fs::read_dir("primer").unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "md") {
            files.push(SourceFile {
                path: p.display().to_string(),
                text: std::fs::read_to_string(&p).unwrap(),
            });
        }
    }
    let primer = Primer::build("/primer", files);
    let dir = std::env::args().nth(1).unwrap();
    let mut notes = vec![];
    walk(Path::new(&dir), &mut notes);
    let mut c: std::collections::BTreeMap<&str, (usize, usize)> = Default::default();
    let mut add = |k: &'static str, n: usize, bytes: usize| {
        let e = c.entry(k).or_default();
        e.0 += n;
        e.1 += bytes;
    };
    let rss = || {
        std::fs::read_to_string("/proc/self/status")
            .unwrap()
            .lines()
            .filter(|l| l.starts_with("VmRSS"))
            .collect::<String>()
    };
    println!("before docs {}", rss());
    let mut docs = vec![];
    for (p, t) in &notes {
        let mut d = Doc::note(p.clone(), t.clone(), &primer);
        d.compact();
        docs.push(d);
    }
    println!("after docs {}", rss());
    for d in &docs {
        d.find_heading("nothing-here");
    }
    println!("after heading indexes {}", rss());
    for d in &docs {
        d.link_keys();
    }
    println!("after link keys {}", rss());
    for d in &docs {
        let (p, t) = (&d.path, &d.text);
        let o = &d.outline;
        add("text", 1, chunk(t.len() + 16));
        add("path", 1, chunk(p.len() + 16));
        add("doc struct", 1, chunk(std::mem::size_of::<Doc>() + 16));
        add("line index", 1, chunk(d.line_index.line_count() * 4));
        add(
            "occurrences",
            d.occurrences.len(),
            chunk(d.occurrences.capacity() * 12),
        );

        add(
            "headings",
            o.headings.len(),
            chunk(
                o.headings.capacity()
                    * std::mem::size_of_val(&o.headings[..])
                        .checked_div(o.headings.len().max(1))
                        .unwrap_or(0),
            ),
        );
        for h in &o.headings {
            add(
                "heading strings",
                3,
                chunk(h.text.len()) + chunk(h.id.len()) + chunk(h.base_id.len()),
            );
        }
        add(
            "links",
            o.links.len(),
            chunk(o.links.capacity() * std::mem::size_of::<primer_analysis::markdown::Link>()),
        );
        add(
            "items",
            o.items.len(),
            chunk(o.items.capacity() * std::mem::size_of::<primer_analysis::markdown::ListItem>()),
        );
        add(
            "paragraphs",
            o.paragraphs.len(),
            chunk(
                o.paragraphs.capacity()
                    * std::mem::size_of::<primer_analysis::markdown::Paragraph>(),
            ),
        );
        add(
            "definitions",
            o.definitions.len(),
            chunk(
                o.definitions.capacity()
                    * std::mem::size_of::<primer_analysis::markdown::DefEntry>(),
            ),
        );
        add(
            "footnotes",
            o.footnotes.len(),
            chunk(o.footnotes.capacity() * 40),
        );
        add(
            "checklist",
            d.checklist.len(),
            chunk(
                d.checklist.capacity()
                    * std::mem::size_of::<primer_analysis::checklist::ChecklistItem>(),
            ),
        );
    }
    let mut total = 0;
    for (k, (n, b)) in &c {
        total += b;
        println!("{k:20} {n:>10} {:>8.1} MB", *b as f64 / 1e6);
    }
    println!("total {:.1} MB", total as f64 / 1e6);
    println!(
        "sizes: Doc {} Link {} Heading {} ListItem {} Paragraph {}",
        std::mem::size_of::<Doc>(),
        std::mem::size_of::<primer_analysis::markdown::Link>(),
        std::mem::size_of::<primer_analysis::markdown::Heading>(),
        std::mem::size_of::<primer_analysis::markdown::ListItem>(),
        std::mem::size_of::<primer_analysis::markdown::Paragraph>()
    );
}
