//! The 1 MB note of a corpus analysed `N` times (`Doc::note`, as `analyse_note_1mb` measures
//! it), or with `BARE=1` parsed `N` times by pulldown-cmark alone (as `pulldown_bare_parse_1mb`
//! does): a program for `valgrind`, which counts what the work costs where a clock on this
//! machine cannot tell 1% from noise. `bench/cachegrind.sh` runs it.
//!
//! `N=5 cargo run --release -p primer-analysis --example big_note -- target/bench-corpus/1k`
//! (run from the repository's top: the bundled primer is read from `primer/`).

mod corpus;

use primer_analysis::{markdown, Doc, Primer};

/// The analysis, out of line so that a profiler can name it.
#[inline(never)]
fn analyse(path: &corpus::Note, primer: &Primer) -> usize {
    Doc::note(path.0.clone(), path.1.clone(), primer)
        .occurrences
        .len()
}

/// The bare parse, out of line likewise.
#[inline(never)]
fn bare(text: &str) -> usize {
    pulldown_cmark::Parser::new_ext(text, markdown::options())
        .into_offset_iter()
        .count()
}

fn main() {
    let (primer, notes) = corpus::load("big_note");
    let note = notes
        .into_iter()
        .find(|(p, _)| p.ends_with("/big.md"))
        .expect("the corpus has a big.md (bench/gen_corpus.py --big-note-mb 1)");
    let times: usize = std::env::var("N")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1);
    let only_parse = std::env::var_os("BARE").is_some();
    let mut found = 0;
    for _ in 0..times {
        found += if only_parse {
            bare(&note.1)
        } else {
            analyse(&note, &primer)
        };
    }
    println!("{found}");
}
