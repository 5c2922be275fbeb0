//! Any bytes, read as a note and as a primer file: analysis never panics, every range it
//! reports lies on character boundaries inside the text, and the note kept in pieces (as one
//! that is not open) reads and converts as the whole one.
#![no_main]

use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use primer_analysis::primer::SourceFile;
use primer_analysis::{Doc, Primer, World};

mod common;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let doc = Doc::note("/notes/n.md".into(), text.as_str().into(), common::primer());
    let ok = |r: primer_analysis::TextRange| {
        r.start <= r.end && r.end <= text.len() && text.is_char_boundary(r.start) && text.is_char_boundary(r.end)
    };
    assert!(doc.occurrences.iter().all(|o| ok(o.range())));
    assert!(doc.outline.links.iter().all(|l| ok(l.range())));
    assert!(doc.outline.headings.iter().all(|h| ok(h.range()) && ok(h.text_range())));
    assert!(doc.checklist.iter().all(|c| ok(c.words) && ok(c.check_box)));

    // Kept in pieces, as a note that is not open: its links read the same destinations, and
    // every offset converts to the same columns.
    let mut kept = doc.clone();
    kept.close(primer_analysis::source::Stamp([0; 3]));
    for (a, b) in doc.outline.links.iter().zip(&kept.outline.links) {
        assert_eq!(a.dest(&doc.text), b.dest(&kept.text));
    }
    let step = (text.len() / 64).max(1);
    for at in (0..=text.len()).step_by(step) {
        for enc in [primer_analysis::Encoding::Utf8, primer_analysis::Encoding::Utf16] {
            let whole = doc.line_index.line_col(&doc.text, at, enc);
            assert_eq!(whole, kept.line_index.line_col(&kept.text, at, enc));
            assert_eq!(
                doc.line_index.offset(&doc.text, whole, enc),
                kept.line_index.offset(&kept.text, whole, enc)
            );
        }
    }

    // The same text as a primer section, and a note's questions against it.
    let primer = Primer::build(
        "/p",
        vec![SourceFile {
            path: "/p/section.md".into(),
            text: text.clone(),
        }],
    );
    let mut world = World::new(Arc::new(primer));
    world.set_note_text("/n/a.md".into(), text.as_str().into());
    let _ = primer_analysis::diagnostics::primer_problems(&world);
    for at in [0, text.len() / 2, text.len()] {
        let _ = primer_analysis::ide::hover(&world, "/n/a.md", at);
        let _ = primer_analysis::completion::completions(&world, "/n/a.md", at, true);
    }
});
