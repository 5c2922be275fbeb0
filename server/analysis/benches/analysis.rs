//! Micro benchmarks of the analysis core on the generated corpus (`bench/gen_corpus.py`).
//!
//! `cargo bench -p primer-analysis` reads the corpus from `$PRIMER_BENCH_CORPUS`, or else from
//! `target/bench-corpus/1k`, generating it there first (1,000 notes and a 1 MB `big.md`).

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use primer_analysis::primer::SourceFile;
use primer_analysis::{markdown, Doc, Primer, TextRange, World};

fn main() {
    divan::main();
}

fn repo() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    here.canonicalize().unwrap_or(here)
}

struct Corpus {
    primer: Arc<Primer>,
    /// Every note: path and text.
    notes: Vec<(Arc<str>, Arc<str>)>,
    big: (Arc<str>, Arc<str>),
    world: World,
}

fn corpus() -> &'static Corpus {
    static CORPUS: OnceLock<Corpus> = OnceLock::new();
    CORPUS.get_or_init(|| {
        // A relative folder is taken from the repository's top (cargo runs benches in the
        // crate's own folder).
        let dir = std::env::var_os("PRIMER_BENCH_CORPUS")
            .map(|d| repo().join(d))
            .unwrap_or_else(|| repo().join("target/bench-corpus/1k"));
        let dir = match dir.canonicalize() {
            Ok(d) => d,
            Err(_) => dir,
        };
        if !dir.join("manifest.json").exists() {
            let status = std::process::Command::new("python3")
                .arg(repo().join("bench/gen_corpus.py"))
                .args(["--notes", "1000", "--big-note-mb", "1", "--out"])
                .arg(&dir)
                .status()
                .expect("python3 runs the corpus generator");
            assert!(status.success(), "the corpus generator failed");
        }
        let mut files = vec![];
        for e in std::fs::read_dir(repo().join("primer")).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "md") {
                let text = std::fs::read_to_string(&p).unwrap();
                files.push(SourceFile {
                    path: p.display().to_string(),
                    text,
                });
            }
        }
        let primer = Arc::new(Primer::build("/primer", files));
        let mut notes = vec![];
        walk(&dir, &mut notes);
        notes.sort();
        let big = notes
            .iter()
            .find(|(p, _)| p.ends_with("/big.md"))
            .cloned()
            .expect("the corpus has big.md");
        let mut world = World::new(primer.clone());
        world.set_roots(vec![dir.display().to_string()]);
        for (p, t) in &notes {
            world.set_note_text(p.clone(), t.clone());
        }
        Corpus {
            primer,
            notes,
            big,
            world,
        }
    })
}

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

/// The offset of the first occurrence of `needle` in the big note.
fn in_big(needle: &str) -> usize {
    corpus().big.1.find(needle).expect("the big note has it") + 1
}

/// The bare parse the analysis is measured against: pulldown-cmark with the options the
/// analysis itself parses with (every extension on, `Options::all()`, parses about 8% slower
/// and would flatter the ratio).
#[divan::bench]
fn pulldown_bare_parse_1mb(b: divan::Bencher) {
    let text = corpus().big.1.clone();
    b.counter(divan::counter::BytesCount::new(text.len()))
        .bench(|| {
            pulldown_cmark::Parser::new_ext(&text, primer_analysis::markdown::options())
                .into_offset_iter()
                .count()
        });
}

#[divan::bench]
fn outline_parse_1mb(b: divan::Bencher) {
    let text = corpus().big.1.clone();
    b.counter(divan::counter::BytesCount::new(text.len()))
        .bench(|| markdown::parse(&text));
}

#[divan::bench]
fn term_scan_1mb(b: divan::Bencher) {
    let c = corpus();
    let text = c.big.1.clone();
    let outline = markdown::parse(&text);
    b.counter(divan::counter::BytesCount::new(text.len()))
        .bench(|| {
            let mut out = vec![];
            c.primer.matcher.scan(&text, &outline.prose, &mut out);
            out.len()
        });
}

#[divan::bench]
fn line_index_1mb(b: divan::Bencher) {
    let text = corpus().big.1.clone();
    b.counter(divan::counter::BytesCount::new(text.len()))
        .bench(|| primer_analysis::line_index::LineIndex::new(&text).line_count());
}

#[divan::bench]
fn analyse_note_1mb(b: divan::Bencher) {
    let c = corpus();
    b.counter(divan::counter::BytesCount::new(c.big.1.len()))
        .bench(|| Doc::note(c.big.0.clone(), c.big.1.clone(), &c.primer));
}

#[divan::bench(sample_count = 10)]
fn analyse_all_notes_one_core(b: divan::Bencher) {
    let c = corpus();
    let bytes: usize = c.notes.iter().map(|(_, t)| t.len()).sum();
    b.counter(divan::counter::BytesCount::new(bytes)).bench(|| {
        c.notes
            .iter()
            .map(|(p, t)| Doc::note(p.clone(), t.clone(), &c.primer).occurrences.len())
            .sum::<usize>()
    });
}

#[divan::bench]
fn hover_term(b: divan::Bencher) {
    let c = corpus();
    let at = c.big.1.find("hit rate").unwrap() + 2;
    b.bench(|| primer_analysis::hover::hover(&c.world, &c.big.0, at));
}

#[divan::bench]
fn definition_of_link(b: divan::Bencher) {
    let c = corpus();
    let at = in_big("[[reliable-rpcs#") + 3;
    b.bench(|| primer_analysis::goto::goto_definition(&c.world, &c.big.0, at));
}

#[divan::bench(sample_count = 20)]
fn references_of_common_term(b: divan::Bencher) {
    let c = corpus();
    let at = c.big.1.find("hit rate").unwrap() + 2;
    b.bench(|| primer_analysis::references::references(&c.world, &c.big.0, at, false).len());
}

#[divan::bench(sample_count = 20)]
fn diagnostics_1mb(b: divan::Bencher) {
    let c = corpus();
    b.bench(|| primer_analysis::diagnostics::diagnostics(&c.world, &c.big.0).len());
}

/// What a keystroke costs: one character typed into the middle of the 1 MB note, the note
/// re-derived around it (the text copy included, as the server makes it).
#[divan::bench]
fn edit_one_char_and_reanalyse_1mb(b: divan::Bencher) {
    let c = corpus();
    let at = c.big.1.len() / 2;
    let at = at + c.big.1[at..].find("\n\n").unwrap() + 2;
    let mut world = c.world.clone();
    let mut text = c.big.1.to_string();
    let mut typed = false;
    b.bench_local(|| {
        // Type a character, then delete it again: the note stays the same size.
        let edit = if typed {
            text.remove(at);
            TextRange::new(at, at + 1)
        } else {
            text.insert(at, 'x');
            TextRange::empty(at)
        };
        typed = !typed;
        world.edit_note(c.big.0.clone(), edit, text.as_str().into());
    });
}

/// The same keystroke analysed from scratch, for comparison.
#[divan::bench(sample_count = 20)]
fn edit_one_char_full_reanalysis_1mb(b: divan::Bencher) {
    let c = corpus();
    let at = c.big.1.len() / 2;
    let mut world = c.world.clone();
    let mut text = c.big.1.to_string();
    b.bench_local(|| {
        text.insert(at, 'x');
        text.remove(at);
        world.set_note_text(c.big.0.clone(), text.as_str().into());
    });
}

/// Hover on a primer section's first heading: says how many notes rely on the section, which
/// looks at every note (its lens shows the same count).
#[divan::bench(sample_count = 20)]
fn hover_primer_heading(b: divan::Bencher) {
    let c = corpus();
    let section = c
        .primer
        .section_by_id("state")
        .expect("the primer has 'state'");
    let doc = c.primer.doc_of(section);
    let at = doc.outline.headings[1].text_range().start + 1;
    let path = doc.path.clone();
    b.bench(|| primer_analysis::hover::hover(&c.world, &path, at).map(|h| h.markdown.len()));
}

/// Every link to the hub note, from one of them.
#[divan::bench(sample_count = 20)]
fn references_of_hub_link(b: divan::Bencher) {
    let c = corpus();
    let (path, text) = c
        .notes
        .iter()
        .find(|(_, t)| t.contains("[[course-map]]"))
        .expect("a note links the hub");
    let at = text.find("[[course-map]]").unwrap() + 3;
    b.bench(|| primer_analysis::references::references(&c.world, path, at, false).len());
}

/// The notes relying on a section right after a change (the first hover or lens after an
/// edit works them out for every section; later ones reuse them).
#[divan::bench(sample_count = 20)]
fn notes_relying_after_a_change(b: divan::Bencher) {
    let c = corpus();
    let section = c
        .primer
        .section_by_id("state")
        .expect("the primer has 'state'");
    b.with_inputs(|| {
        let mut w = c.world.clone();
        w.set_roots(c.world.roots().to_vec());
        w
    })
    .bench_values(|w| w.notes_relying_on(section).len());
}
