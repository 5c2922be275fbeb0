//! Where one core's time goes when every note of a corpus is analysed: the bare pulldown-cmark
//! parse of each note (with the outline's options), then, note by note as `Doc::note` runs
//! them, the outline, the term scan, the line index, the task items matched to outcomes and
//! the rest (checklists, compacting); and the links' name keys the server works out for each
//! note as it reads it. The best of seven rounds of each, in milliseconds.
//!
//! `cargo run --release -p primer-analysis --example phases -- target/bench-corpus/10k`
//! (run from the repository's top: the bundled primer is read from `primer/`).

mod corpus;

use std::time::{Duration, Instant};

use primer_analysis::{markdown, note, Doc, LineIndex};

fn main() {
    let (primer, notes) = corpus::load("phases");
    let bytes: usize = notes.iter().map(|(_, t)| t.len()).sum();
    // bare, outline, scan, line index, task items, whole analysis, link keys
    let mut best = [Duration::MAX; 7];
    for _ in 0..7 {
        let t = Instant::now();
        let events: usize = notes
            .iter()
            .map(|(_, t)| {
                pulldown_cmark::Parser::new_ext(t, markdown::options())
                    .into_offset_iter()
                    .count()
            })
            .sum();
        let bare = t.elapsed();
        let mut phases = [Duration::ZERO; 4];
        let mut found = 0;
        for (_, text) in &notes {
            let t0 = Instant::now();
            let outline = markdown::parse(text);
            let t1 = Instant::now();
            let mut out = vec![];
            primer.matcher.scan(text, &outline.prose, &mut out);
            let t2 = Instant::now();
            let lines = LineIndex::new(text);
            let t3 = Instant::now();
            let tasks = note::match_tasks(&primer, text, &outline, 0..outline.items.len());
            let t4 = Instant::now();
            phases[0] += t1 - t0;
            phases[1] += t2 - t1;
            phases[2] += t3 - t2;
            phases[3] += t4 - t3;
            found += out.len() + lines.line_count() + tasks.len();
        }
        let t = Instant::now();
        let docs: Vec<Doc> = notes
            .iter()
            .map(|(p, t)| {
                let mut doc = Doc::note(p.clone(), t.clone(), &primer);
                doc.compact();
                doc
            })
            .collect();
        let whole = t.elapsed();
        // The keys of each note's links right after its analysis, as the server's reading
        // threads work them out (its text still in the cache).
        let mut link_keys = Duration::ZERO;
        let mut keys = 0;
        for (p, t) in &notes {
            let mut doc = Doc::note(p.clone(), t.clone(), &primer);
            doc.compact();
            let t = Instant::now();
            keys += doc.link_keys().len();
            link_keys += t.elapsed();
        }
        let docs = (docs.len(), keys);
        std::hint::black_box((events, found, docs));
        for (b, d) in best.iter_mut().zip([
            bare, phases[0], phases[1], phases[2], phases[3], whole, link_keys,
        ]) {
            *b = (*b).min(d);
        }
    }
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!("{} notes, {:.1} MB", notes.len(), bytes as f64 / 1e6);
    for (name, d) in [
        "bare parse",
        "outline",
        "term scan",
        "line index",
        "task items",
        "Doc::note + compact",
        "link keys",
    ]
    .iter()
    .zip(best)
    {
        println!(
            "{name:<20} {:>7.1} ms  {:>5.2}x the bare parse",
            ms(d),
            ms(d) / ms(best[0])
        );
    }
}
