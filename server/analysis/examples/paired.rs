//! The 1 MB note's analysis against its bare pulldown-cmark parse, the two alternated run by
//! run so that both see the host in the same state: the fastest of each and their ratio, and
//! the ratio of each pair's two runs (its median and quartiles).
//!
//! `cargo run --release -p primer-analysis --example paired -- target/bench-corpus/1k [pairs]`
//! (run from the repository's top: the bundled primer is read from `primer/`). `bench/run.sh`
//! runs it after the micro benches, and `bench/report.py` takes the median of the pairs' ratios
//! for the target of at most 2×: on this noisy host the fastest of two separate runs of
//! `cargo bench` (seconds apart) can differ by the host's state as much as by the code's.

mod corpus;

use std::hint::black_box;
use std::time::Instant;

use primer_analysis::{markdown, Doc};

fn main() {
    let (primer, notes) = corpus::load("paired");
    let (path, text) = notes
        .into_iter()
        .find(|(p, _)| p.ends_with("/big.md"))
        .expect("the corpus has a big.md (bench/gen_corpus.py --big-note-mb 1)");
    let pairs: usize = std::env::args()
        .nth(2)
        .and_then(|n| n.parse().ok())
        .unwrap_or(200);
    let bare = || {
        pulldown_cmark::Parser::new_ext(&text, markdown::options())
            .into_offset_iter()
            .count()
    };
    let analyse = || Doc::note(path.clone(), text.clone(), &primer);
    // Warm both, as divan's first samples do.
    for _ in 0..5 {
        black_box(bare());
        drop(black_box(analyse()));
    }
    let (mut b, mut a, mut ratios) = (vec![], vec![], vec![]);
    for i in 0..pairs {
        // Which of the two runs first alternates too.
        let (tb, ta) = if i % 2 == 0 {
            let tb = time(|| black_box(bare()));
            (tb, time_doc(&analyse))
        } else {
            let ta = time_doc(&analyse);
            (time(|| black_box(bare())), ta)
        };
        b.push(tb);
        a.push(ta);
        ratios.push(ta / tb);
    }
    let fastest = |v: &[f64]| v.iter().copied().fold(f64::INFINITY, f64::min);
    ratios.sort_by(f64::total_cmp);
    let q = |f: f64| ratios[((ratios.len() - 1) as f64 * f).round() as usize];
    println!(
        "pairs {pairs}; bare parse fastest {:.3} ms; analysis fastest {:.3} ms; ratio of the fastest {:.3}",
        fastest(&b) * 1e3,
        fastest(&a) * 1e3,
        fastest(&a) / fastest(&b)
    );
    println!(
        "ratio of each pair: median {:.3}, quartiles {:.3} and {:.3}",
        q(0.5),
        q(0.25),
        q(0.75)
    );
}

/// Seconds `f` took.
fn time<T>(f: impl FnOnce() -> T) -> f64 {
    let t = Instant::now();
    black_box(f());
    t.elapsed().as_secs_f64()
}

/// Seconds the analysis took, its result dropped afterwards (untimed, as divan does).
fn time_doc(f: &impl Fn() -> Doc) -> f64 {
    let t = Instant::now();
    let doc = black_box(f());
    let took = t.elapsed().as_secs_f64();
    drop(doc);
    took
}
