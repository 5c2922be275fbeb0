//! Notes that are not open, as the server keeps them (only the pieces of their text that
//! answers over every note read): positions in them after an emoji, CJK and CRLF, previews read
//! back from their files, requests about them, and a file changed behind the server's back.

mod support;

use serde_json::{json, Value};
use support::{file_uri, workspace, Server};

const A: &str = "# Alpha 😀\r\n\r\nA partition 😀 here, é and a partition there.\r\n\r\n## Part two\r\n\r\nThe first paragraph of part two, with enough words to be shown.\r\n";
const B: &str = "# Bee\n\nCJK 分区 then partition and [[a#part-two]].\n";
const C: &str = "Both [[a#part-two]] and partition.\n";

/// Each place `word` stands in `text`, as an LSP range in UTF-16 columns.
fn utf16_ranges(text: &str, word: &str) -> Vec<(u32, u32, u32)> {
    let mut out = vec![];
    for (line, l) in text.split('\n').enumerate() {
        for (at, _) in l.match_indices(word) {
            let col = l[..at].encode_utf16().count() as u32;
            out.push((line as u32, col, col + word.encode_utf16().count() as u32));
        }
    }
    out
}

/// The ranges of the locations in `uri`, as (line, start column, end column).
fn ranges_in(locations: &Value, uri: &str) -> Vec<(u32, u32, u32)> {
    let mut out: Vec<(u32, u32, u32)> = locations
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["uri"] == uri)
        .map(|l| {
            let r = &l["range"];
            assert_eq!(r["start"]["line"], r["end"]["line"], "{l}");
            let n = |v: &Value| v.as_u64().unwrap() as u32;
            (
                n(&r["start"]["line"]),
                n(&r["start"]["character"]),
                n(&r["end"]["character"]),
            )
        })
        .collect();
    out.sort_unstable();
    out
}

fn hover_text(v: &Value) -> String {
    v["contents"]["value"].as_str().unwrap_or("").to_string()
}

#[test]
fn closed_notes_answer_from_their_pieces_and_their_files() {
    let dir = workspace(&[("a.md", A), ("b.md", B)]);
    let (a, b, c) = (
        dir.path().join("a.md"),
        dir.path().join("b.md"),
        dir.path().join("c.md"),
    );
    std::fs::write(&c, C).unwrap();
    let mut s = Server::spawn();
    s.initialize(&["utf-16"], Some(dir.path()), Value::Null);
    s.open(&c, C);

    // Every use of the term in the notes that are not open, at the columns an editor counts.
    let word_at = C.find("partition").unwrap() as u32;
    let refs = s.at("textDocument/references", &c, 0, word_at);
    assert_eq!(
        ranges_in(&refs, &file_uri(&a)),
        utf16_ranges(A, "partition"),
        "{refs}"
    );
    assert_eq!(
        ranges_in(&refs, &file_uri(&b)),
        utf16_ranges(B, "partition")
    );

    // A link to a heading of a note that is not open shows its first paragraph, read again
    // from the file.
    let link_at = C.find("a#part").unwrap() as u32;
    let shown = hover_text(&s.at("textDocument/hover", &c, 0, link_at));
    assert!(shown.contains("The first paragraph of part two"), "{shown}");

    // A request about a note the editor has not opened is answered from its file.
    let (line, col) = (2, utf16_ranges(B, "a#part")[0].1);
    let shown = hover_text(&s.at("textDocument/hover", &b, line, col));
    assert!(shown.contains("The first paragraph of part two"), "{shown}");
    let term = hover_text(&s.at(
        "textDocument/hover",
        &b,
        2,
        utf16_ranges(B, "partition")[0].1,
    ));
    assert!(term.to_lowercase().contains("partition"), "{term}");

    // The file changes and the editor has not said so yet: the old pieces are not read as the
    // new text (no preview), and nothing fails.
    let changed = A.replace("The first paragraph", "Another paragraph");
    std::fs::write(&a, &changed).unwrap();
    let shown = hover_text(&s.at("textDocument/hover", &c, 0, link_at));
    assert!(
        shown.contains("Part two") && !shown.contains("paragraph"),
        "{shown}"
    );
    // A request about that note finds it changed and has it read again (the editor need not
    // watch files): the new text shows.
    let poll_hover = |s: &mut Server, words: &str| {
        let mut shown = String::new();
        for _ in 0..1000 {
            // (Null, or "changed while computed" when the note is read again meanwhile, until
            // it is.)
            let symbols = s.request_full(
                "textDocument/documentSymbol",
                json!({"textDocument": {"uri": file_uri(&a)}}),
            );
            shown = hover_text(&s.at("textDocument/hover", &c, 0, link_at));
            if !symbols["result"].is_null() && shown.contains(words) {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        shown
    };
    let shown = poll_hover(&mut s, "Another paragraph");
    assert!(shown.contains("Another paragraph"), "{shown}");
    // And when the editor says a file changed, it is read again at once.
    std::fs::write(&a, A.replace("The first paragraph", "A third paragraph")).unwrap();
    s.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&a), "type": 2}]}),
    );
    let shown = poll_hover(&mut s, "A third paragraph");
    assert!(shown.contains("A third paragraph"), "{shown}");

    // Closed, the editor's note becomes one that is not open, kept as the others are: asked
    // about from another note it still answers at the right columns.
    s.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": file_uri(&c)}}),
    );
    let at = utf16_ranges(B, "partition")[0].1;
    let mut found = vec![];
    for _ in 0..1000 {
        let refs = s.at("textDocument/references", &b, 2, at);
        found = ranges_in(&refs, &file_uri(&c));
        if !found.is_empty() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert_eq!(found, utf16_ranges(C, "partition"));
    let shown = hover_text(&s.at("textDocument/hover", &c, 0, link_at));
    assert!(shown.contains("A third paragraph"), "{shown}");
    assert!(s.alive());
}

#[test]
fn references_asked_in_a_note_changed_behind_the_servers_back_are_of_its_new_text() {
    // References take the server's direct path to the editor (their locations written straight
    // out): asked in a note whose file changed while the editor said nothing, they have it read
    // again, as every other request does, instead of answering from the text it had.
    const OLD: &str = "# Gamma\n\nOne partition here.\n";
    const NEW: &str = "# Gamma\n\nA line put first.\n\nOne partition here.\n";
    let dir = workspace(&[("g.md", OLD), ("c.md", C)]);
    let (g, c) = (dir.path().join("g.md"), dir.path().join("c.md"));
    let mut s = Server::spawn();
    s.initialize(&["utf-16"], Some(dir.path()), Value::Null);
    let at = utf16_ranges(C, "partition")[0].1;
    let refs = s.at("textDocument/references", &c, 0, at);
    assert_eq!(
        ranges_in(&refs, &file_uri(&g)),
        utf16_ranges(OLD, "partition")
    );

    std::fs::write(&g, NEW).unwrap();
    let (line, col, _) = utf16_ranges(NEW, "partition")[0];
    let mut found = vec![];
    for _ in 0..1000 {
        // (Null while the note is read again.)
        let refs = s.at("textDocument/references", &g, line, col);
        if !refs.is_null() {
            found = ranges_in(&refs, &file_uri(&g));
            if !found.is_empty() {
                break;
            }
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert_eq!(found, utf16_ranges(NEW, "partition"));
    assert!(s.alive());
}

#[test]
fn a_preview_of_a_note_changed_behind_the_servers_back_has_it_read_again() {
    // Only hovers in another note are asked (nothing about the changed note itself, and no
    // watcher event): the hover that finds its file changed shows no preview, and has it read
    // again; a later one shows its new text.
    let dir = workspace(&[("a.md", A), ("c.md", C)]);
    let (a, c) = (dir.path().join("a.md"), dir.path().join("c.md"));
    let mut s = Server::spawn();
    s.initialize(&["utf-16"], Some(dir.path()), Value::Null);
    s.open(&c, C);
    let link_at = C.find("a#part").unwrap() as u32;
    let shown = hover_text(&s.at("textDocument/hover", &c, 0, link_at));
    assert!(shown.contains("The first paragraph"), "{shown}");

    std::fs::write(&a, A.replace("The first paragraph", "Another paragraph")).unwrap();
    let mut shown = String::new();
    for _ in 0..1000 {
        shown = hover_text(&s.at("textDocument/hover", &c, 0, link_at));
        if shown.contains("Another paragraph") {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert!(shown.contains("Another paragraph"), "{shown}");
    assert!(s.alive());
}

#[test]
fn a_workspace_folder_reached_through_a_link_reads_its_notes_again() {
    // The notes live in x/notes; the editor opens repo/notes, a symbolic link to them, in a
    // repository (repo/.git) whose top is where links with a leading `/` start. Notes are
    // read again through the gate they were read through: the folder the editor opened.
    let dir = workspace(&[
        ("x/notes/a.md", A),
        ("x/notes/c.md", C),
        ("repo/.git/HEAD", ""),
    ]);
    let folder = dir.path().join("repo/notes");
    std::os::unix::fs::symlink(dir.path().join("x/notes"), &folder).unwrap();
    let c = folder.join("c.md");
    let mut s = Server::spawn();
    s.initialize(&["utf-16"], Some(&folder), Value::Null);
    s.open(&c, C);
    let link_at = C.find("a#part").unwrap() as u32;
    let shown = hover_text(&s.at("textDocument/hover", &c, 0, link_at));
    assert!(shown.contains("The first paragraph of part two"), "{shown}");
}
