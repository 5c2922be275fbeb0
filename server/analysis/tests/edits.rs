//! Property tests: a note edited piece by piece is analysed exactly as the same text from scratch.
//!
//! Texts and edits are drawn from Markdown fragments that matter to the analysis: headings, task
//! lists under "Learning outcomes", fences opened and closed, quotes, definition lists, links,
//! glossary terms, CRLF and lone CR line ends, emoji, CJK and combining marks.

mod support;

use std::sync::Arc;

use primer_analysis::{Doc, TextRange};
use proptest::prelude::*;
use support::{fragment_text, primer};

/// An edit as fractions of the text (so it always lands somewhere) and the text it inserts.
fn edit() -> impl Strategy<Value = (f64, f64, String)> {
    (
        0.0..=1.0f64,
        0.0..0.3f64,
        fragment_text().prop_map(|s| s.chars().take(60).collect()),
    )
}

fn floor(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn assert_same(edited: &Doc, fresh: &Doc) {
    assert_eq!(edited.text.as_str(), fresh.text.as_str());
    assert_eq!(edited.outline, fresh.outline, "outline of {:?}", fresh.text);
    assert_eq!(
        edited.occurrences, fresh.occurrences,
        "terms of {:?}",
        fresh.text
    );
    assert_eq!(edited.tasks, fresh.tasks, "task items of {:?}", fresh.text);
    assert_eq!(
        edited.checklist, fresh.checklist,
        "checklists of {:?}",
        fresh.text
    );
    assert_eq!(edited.line_index, fresh.line_index);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn edits_give_the_analysis_of_the_final_text(start in fragment_text(), edits in prop::collection::vec(edit(), 1..12)) {
        let primer = primer();
        let path: Arc<str> = "/notes/n.md".into();
        let mut doc = Doc::note(path.clone(), start.as_str().into(), primer);
        for (at, len, insert) in edits {
            let text = doc.text.as_str().to_string();
            let a = floor(&text, (at * text.len() as f64) as usize);
            let b = floor(&text, a + (len * text.len() as f64) as usize);
            let mut new = text.clone();
            new.replace_range(a..b, &insert);
            let next = doc.edited(TextRange::new(a, b), new.as_str().into(), primer);
            let fresh = Doc::note(path.clone(), new.as_str().into(), primer);
            assert_same(&next, &fresh);
            doc = next;
        }
    }
}

#[test]
fn typing_in_a_big_note_keeps_the_analysis_exact() {
    // A 200-block note: type a fence, a heading and a task item into the middle, one character
    // at a time, and delete them again.
    let primer = primer();
    let block = "## Notes\n\nA network partition splits the cluster; see [[state]].\n\n- [ ] Explain why caches go cold\n\n";
    let mut text = block.repeat(200);
    let path: Arc<str> = "/notes/big.md".into();
    let mut doc = Doc::note(path.clone(), text.as_str().into(), primer);
    let at = text.len() / 2;
    let at = at + text[at..].find("\n\n").unwrap() + 2;
    let typed = "```\ncode\n```\n# Title\n- [x] Explain how a cache's hit rate\n";
    for (i, c) in typed.char_indices() {
        text.insert(at + i, c);
        doc = doc.edited(TextRange::empty(at + i), text.as_str().into(), primer);
        assert_same(&doc, &Doc::note(path.clone(), text.as_str().into(), primer));
    }
    for _ in 0..typed.len() {
        text.remove(at);
        doc = doc.edited(TextRange::new(at, at + 1), text.as_str().into(), primer);
    }
    assert_same(&doc, &Doc::note(path, text.as_str().into(), primer));
}

#[test]
fn lines_ended_by_a_lone_carriage_return_are_parsed_again_with_what_follows() {
    // pulldown-cmark reads a fence's info string up to the next `\n`, across lone `\r`s: a
    // backtick after them makes the line prose, and a `\n` typed before that backtick makes it
    // a code fence again. Every such edit must give the analysis of the final text.
    let primer = primer();
    let path: Arc<str> = "/notes/cr.md".into();
    let cases = [
        (
            "intro\n````m\r\rone partition\r\rtwo\r\rthree` idempotency\n",
            "three`",
            "\n",
        ),
        (
            "intro\n```m\r\r- [ ] a task\r\r## H\r\rp\r\rx` y\n",
            "x`",
            "\r\n",
        ),
        ("# T\n```m\r\rcode\r\r> quote\r\rmore\r\r`\n", "`\n", "\n"),
        ("a\n```\r\r# H\r\rb\r\rc\r\r``` `\n", " `\n", "\n"),
    ];
    for (start, before, insert) in cases {
        let at = start.find(before).unwrap();
        let mut text = start.to_string();
        let doc = Doc::note(path.clone(), text.as_str().into(), primer);
        text.insert_str(at, insert);
        let edited = doc.edited(TextRange::empty(at), text.as_str().into(), primer);
        assert_same(
            &edited,
            &Doc::note(path.clone(), text.as_str().into(), primer),
        );
        // And back again.
        let back = edited.edited(TextRange::new(at, at + insert.len()), start.into(), primer);
        assert_same(&back, &Doc::note(path.clone(), start.into(), primer));
    }
}

#[test]
fn reference_definitions_far_from_their_links_are_followed_by_edits() {
    // A reference link and its definition many blocks apart: adding, changing, duplicating
    // (the first wins) or removing the definition changes the link, wherever the edit is.
    let primer = primer();
    let path: Arc<str> = "/notes/refs.md".into();
    let filler = "A paragraph about caching.\n\n".repeat(20);
    let start = format!("See [the state section] and [^1].\n\n{filler}[the state section]: state.md\n\n[^1]: A note.\n");
    let edits: [(&str, &str); 4] = [
        (
            "[the state section]: state.md",
            "[the state section]: other.md",
        ),
        ("[the state section]: state.md\n", ""),
        (
            "A paragraph about caching.\n\n",
            "[the state section]: first.md\n\n",
        ),
        ("[^1]: A note.\n", "[^2]: Another.\n"),
    ];
    for (from, to) in edits {
        let doc = Doc::note(path.clone(), start.as_str().into(), primer);
        let at = start.find(from).unwrap();
        let text = start.replacen(from, to, 1);
        let edited = doc.edited(
            TextRange::new(at, at + from.len()),
            text.as_str().into(),
            primer,
        );
        assert_same(
            &edited,
            &Doc::note(path.clone(), text.as_str().into(), primer),
        );
    }
}
