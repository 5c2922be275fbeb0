//! A note and a series of edits from the fuzzer's bytes: re-deriving the note edit by edit gives
//! exactly the analysis of the final text from scratch.
#![no_main]

use libfuzzer_sys::fuzz_target;
use primer_analysis::{Doc, TextRange};

mod common;

fn floor(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fuzz_target!(|data: &[u8]| {
    // The text is everything before the first 0xFF byte; each later chunk of the form
    // [at, len, bytes...] separated by 0xFF is an edit.
    let mut parts = data.split(|&b| b == 0xFF);
    let start = String::from_utf8_lossy(parts.next().unwrap_or_default()).into_owned();
    let primer = common::primer();
    let mut doc = Doc::note("/n.md".into(), start.as_str().into(), primer);
    for part in parts.take(16) {
        let (head, insert) = part.split_at(part.len().min(2));
        let text = doc.text.as_str().to_string();
        let at = floor(&text, *head.first().unwrap_or(&0) as usize * text.len() / 255);
        let end = floor(&text, at + *head.get(1).unwrap_or(&0) as usize % 32);
        let insert = String::from_utf8_lossy(insert);
        let mut new = text.clone();
        new.replace_range(at..end, &insert);
        doc = doc.edited(TextRange::new(at, end), new.as_str().into(), primer);
        let fresh = Doc::note("/n.md".into(), new.as_str().into(), primer);
        assert_eq!(doc.outline, fresh.outline);
        assert_eq!(doc.occurrences, fresh.occurrences);
        assert_eq!(doc.tasks, fresh.tasks);
        assert_eq!(doc.checklist, fresh.checklist);
    }
});
