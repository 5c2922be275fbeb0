//! Any bytes, read as a note and as a primer file: analysis never panics, and every range it
//! reports lies on character boundaries inside the text.
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
