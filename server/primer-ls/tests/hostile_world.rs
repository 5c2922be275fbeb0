//! Hostile files, paths, settings and clients, against the real binary over stdio: nothing the
//! file system, the configuration or a client's (non-)answers hold can make the server read what
//! it must not, hang, serve a stale setting or grow without bound.

mod support;

use std::path::Path;

use serde_json::{json, Value};
use support::{file_uri, workspace, Server};

fn hover_text(v: &Value) -> String {
    v["contents"]["value"].as_str().unwrap_or("").to_string()
}

fn symbols(s: &mut Server, query: &str) -> Vec<String> {
    s.request("workspace/symbol", json!({ "query": query }))
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|v| v["name"].as_str().unwrap_or("").to_string())
        .collect()
}

fn watched(s: &mut Server, path: &Path, typ: u32) {
    s.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(path), "type": typ}]}),
    );
}

/// Retries `check` for up to 30 s (files are read off the server's lock, a little after events;
/// a loaded machine may take a while).
fn eventually(s: &mut Server, check: impl Fn(&mut Server) -> bool) -> bool {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while std::time::Instant::now() < deadline {
        if check(s) {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    false
}

#[cfg(unix)]
#[test]
fn watched_paths_the_gate_refuses_are_never_read() {
    use std::os::unix::fs::symlink;
    let ws = workspace(&[("a.md", "A network partition.\n")]);
    let outside = workspace(&[("secret.md", "# Zebra Secret Heading\n")]);
    let a = ws.path().join("a.md");
    let mut s = Server::spawn();
    s.initialize(&["utf-16"], Some(ws.path()), Value::Null);
    s.open(&a, "A network partition.\n");

    // A FIFO named like a note: reading it would wait forever for a writer.
    let fifo = ws.path().join("x.md");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    watched(&mut s, &fifo, 1);
    // A link to a device that never ends, and one to a file outside the workspace.
    symlink("/dev/zero", ws.path().join("zero.md")).unwrap();
    watched(&mut s, &ws.path().join("zero.md"), 1);
    symlink(outside.path().join("secret.md"), ws.path().join("link.md")).unwrap();
    watched(&mut s, &ws.path().join("link.md"), 1);
    // A path outside every workspace folder.
    watched(&mut s, &outside.path().join("secret.md"), 1);
    // didClose of a file never opened, outside the workspace.
    s.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": file_uri(&outside.path().join("secret.md"))}}),
    );
    // Every later request is answered, and nothing of those files is served.
    let h = s.at("textDocument/hover", &a, 0, 5);
    assert!(hover_text(&h).contains("artition"), "{h}");
    std::thread::sleep(std::time::Duration::from_millis(300));
    for name in ["x", "zero", "link", "secret"] {
        assert!(
            !symbols(&mut s, name).contains(&name.to_string()),
            "{name} became a note"
        );
    }
    assert!(s.alive());
    // A real change next to them is still picked up.
    let b = ws.path().join("b.md");
    std::fs::write(&b, "# Quagga Notes\n").unwrap();
    watched(&mut s, &b, 1);
    assert!(eventually(&mut s, |s| symbols(s, "b").contains(&"b".to_string())));
}

#[cfg(unix)]
#[test]
fn the_primer_folder_reads_only_its_own_files() {
    use std::os::unix::fs::symlink;
    let course =
        "+++\ntitle=\"1. Time\"\n+++\nFlux capacitor\n: What makes time travel possible.\n";
    let ws = workspace(&[("primer/time.md", course), ("n.md", "x\n")]);
    let outside = workspace(&[(
        "space.md",
        "+++\ntitle=\"2. Space\"\n+++\nWarp drive\n: Faster than light.\n",
    )]);
    symlink(
        outside.path().join("space.md"),
        ws.path().join("primer/space.md"),
    )
    .unwrap();
    symlink("/proc/self/pagemap", ws.path().join("primer/pagemap.md")).unwrap();
    // 300 MB, sparse: over the cap, skipped unread.
    let big = std::fs::File::create(ws.path().join("primer/huge.md")).unwrap();
    big.set_len(300 << 20).unwrap();
    let note = ws.path().join("n.md");
    let mut s = Server::spawn();
    s.initialize(&["utf-16"], Some(ws.path()), Value::Null);
    s.wait_for_log("1 sections")
        .expect("only time.md is a section");
    s.open(&note, "The flux capacitor and the warp drive.\n");
    assert!(hover_text(&s.at("textDocument/hover", &note, 0, 6)).contains("time travel"));
    assert_eq!(s.at("textDocument/hover", &note, 0, 30), Value::Null);
}

#[test]
fn a_relative_cache_folder_is_ignored_and_definitions_open_real_files() {
    let ws = workspace(&[("a.md", "A network partition.\n")]);
    let home = tempfile::tempdir().unwrap();
    let cwd = tempfile::tempdir().unwrap();
    let a = ws.path().join("a.md");
    let mut s = Server::spawn_in(
        cwd.path(),
        &[
            ("XDG_CACHE_HOME", "relative/cache"),
            ("HOME", home.path().to_str().unwrap()),
        ],
    );
    s.initialize(&["utf-16"], Some(ws.path()), Value::Null);
    s.open(&a, "A network partition.\n");
    let d = s.at("textDocument/definition", &a, 0, 5);
    let uri = d["uri"].as_str().unwrap_or("");
    assert!(
        uri.starts_with(&file_uri(&home.path().join(".cache/primer-ls"))),
        "{d}"
    );
    assert!(
        std::fs::read_dir(cwd.path()).unwrap().next().is_none(),
        "wrote into the current folder"
    );
}

#[test]
fn a_leftover_cache_folder_is_repaired_and_no_temporaries_stay() {
    let ws = workspace(&[("a.md", "A network partition.\n")]);
    let cache = tempfile::tempdir().unwrap();
    let a = ws.path().join("a.md");
    // A first server writes the cache; then its folder is damaged (a file deleted), and an old
    // temporary folder is left beside it.
    let first_uri = {
        let mut s = Server::spawn_with_env(&[("XDG_CACHE_HOME", cache.path().to_str().unwrap())]);
        s.initialize(&["utf-16"], Some(ws.path()), Value::Null);
        s.open(&a, "A network partition.\n");
        let d = s.at("textDocument/definition", &a, 0, 5);
        d["uri"].as_str().unwrap().to_string()
    };
    let dir = cache.path().join("primer-ls");
    let primer = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .find(|e| e.file_name().to_string_lossy().starts_with("primer-"))
        .unwrap()
        .path();
    let glossary = primer.join("glossary.md");
    let mut perm = std::fs::metadata(&glossary).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perm.set_readonly(false);
    std::fs::set_permissions(&glossary, perm).unwrap();
    std::fs::remove_file(&glossary).unwrap();
    let stale = dir.join(".tmp-1-1");
    std::fs::create_dir_all(&stale).unwrap();
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    std::fs::File::open(&stale)
        .unwrap()
        .set_modified(old)
        .unwrap();

    let mut s = Server::spawn_with_env(&[("XDG_CACHE_HOME", cache.path().to_str().unwrap())]);
    s.initialize(&["utf-16"], Some(ws.path()), Value::Null);
    s.open(&a, "A network partition.\n");
    let d = s.at("textDocument/definition", &a, 0, 5);
    assert_eq!(d["uri"], first_uri, "the same place, repaired");
    assert!(glossary.is_file(), "the deleted file is back");
    let left: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with(".tmp-"))
        .collect();
    assert!(left.is_empty(), "temporaries left: {left:?}");
}

#[test]
fn without_a_writable_cache_definitions_into_the_primer_are_none() {
    let ws = workspace(&[("a.md", "A network partition.\n")]);
    let blocker = tempfile::NamedTempFile::new().unwrap();
    let a = ws.path().join("a.md");
    // The cache folder is a file: nothing can be written there.
    let mut s = Server::spawn_with_env(&[
        ("XDG_CACHE_HOME", blocker.path().to_str().unwrap()),
        ("HOME", blocker.path().to_str().unwrap()),
    ]);
    s.initialize(&["utf-16"], Some(ws.path()), Value::Null);
    s.open(&a, "A network partition.\n");
    assert!(hover_text(&s.at("textDocument/hover", &a, 0, 5)).contains("artition"));
    assert_eq!(s.at("textDocument/definition", &a, 0, 5), Value::Null);
}

#[test]
fn one_note_per_file_whatever_the_uri_spelling() {
    let ws = workspace(&[
        ("a.md", "A network partition.\n"),
        ("b.md", "A network partition too.\n"),
    ]);
    let root = ws.path().display().to_string();
    let mut s = Server::spawn();
    s.initialize(&["utf-16"], Some(ws.path()), Value::Null);
    for uri in [
        format!("file://{root}//a.md"),
        format!("file://{root}/a.md?x=1"),
        format!("file://{root}/./sub/../a.md"),
    ] {
        s.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": "A network partition.\n"}}),
        );
    }
    let b = ws.path().join("b.md");
    let h = hover_text(&s.at("textDocument/hover", &b, 0, 5));
    assert!(h.contains("used in 2 notes"), "{h}");
}

#[cfg(unix)]
#[test]
fn names_that_cannot_be_uris_are_skipped_and_folders_are_whole_components() {
    use std::os::unix::ffi::OsStrExt;
    let parent = tempfile::tempdir().unwrap();
    let notes = parent.path().join("notes");
    let old = parent.path().join("notes-old");
    std::fs::create_dir_all(&notes).unwrap();
    std::fs::create_dir_all(&old).unwrap();
    std::fs::write(notes.join("n.md"), "# Narwhal\n").unwrap();
    std::fs::write(old.join("o.md"), "An old network partition.\n").unwrap();
    std::fs::write(notes.join("back\\slash.md"), "# Backslash\n").unwrap();
    std::fs::write(
        notes.join(std::ffi::OsStr::from_bytes(b"bad-\xff.md")),
        "# Badbytes\n",
    )
    .unwrap();
    let mut s = Server::spawn();
    s.initialize(&["utf-16"], Some(&notes), Value::Null);
    // Every note the server knows has a URI naming a file that exists.
    let all = s.request("workspace/symbol", json!({ "query": "" }));
    let notes_found: Vec<&Value> = all
        .as_array()
        .unwrap()
        .iter()
        .filter(|sym| sym["kind"] == 1)
        .collect();
    assert!(!notes_found.is_empty());
    for sym in notes_found {
        let uri = sym["location"]["uri"].as_str().unwrap();
        assert!(Path::new(&url_path(uri)).exists(), "{uri} names no file");
    }
    // Removing folder `notes` keeps the open notes of `notes-old`.
    s.notify(
        "workspace/didChangeWorkspaceFolders",
        json!({"event": {"added": [{"uri": file_uri(&old), "name": "old"}], "removed": []}}),
    );
    let o = old.join("o.md");
    s.open(&o, "An old network partition.\n");
    s.notify(
        "workspace/didChangeWorkspaceFolders",
        json!({"event": {"added": [], "removed": [{"uri": file_uri(&notes), "name": "notes"}]}}),
    );
    assert!(eventually(&mut s, |s| !symbols(s, "n").contains(&"n".to_string())));
    let h = s.at("textDocument/hover", &o, 0, 10);
    assert!(
        hover_text(&h).contains("artition"),
        "the open note of notes-old is gone: {h}"
    );
}

fn url_path(uri: &str) -> String {
    let p = uri.strip_prefix("file://").unwrap_or(uri);
    let bytes = p.as_bytes();
    let mut out = vec![];
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&p[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).to_string()
}

/// A course folder with `sections` files (slow to load when there are many) defining `term`.
fn course(dir: &Path, sections: usize, term: &str) {
    std::fs::create_dir_all(dir).unwrap();
    for i in 0..sections {
        let mut text = format!("+++\ntitle=\"{i}. Part\"\n+++\n");
        if i == 0 {
            text.push_str(&format!("{term}\n: The term of this course.\n"));
        }
        for k in 0..40 {
            text.push_str(&format!(
                "## Heading {k}\n\nSome words about part {i} and {k}.\n\n"
            ));
        }
        std::fs::write(dir.join(format!("s{i}.md")), text).unwrap();
    }
}

#[test]
fn the_last_primer_setting_wins() {
    let ws = workspace(&[("n.md", "Zorblax and Quuxle.\n")]);
    course(&ws.path().join("slow"), 400, "Zorblax");
    course(&ws.path().join("fast"), 1, "Quuxle");
    let note = ws.path().join("n.md");
    let mut s = Server::spawn();
    s.initialize(&["utf-16"], Some(ws.path()), Value::Null);
    s.open(&note, "Zorblax and Quuxle.\n");
    let set = |s: &mut Server, which: &str| {
        s.notify(
            "workspace/didChangeConfiguration",
            json!({"settings": {"primer": {"path": which}}}),
        );
    };
    // Slow A, then at once fast B; then a hundred quick flips ending on B.
    set(&mut s, "slow");
    set(&mut s, "fast");
    for i in 0..100 {
        set(&mut s, if i % 2 == 0 { "slow" } else { "fast" });
    }
    let settled = eventually(&mut s, |s| {
        hover_text(&s.at("textDocument/hover", &note, 0, 14)).contains("Quuxle")
    });
    assert!(settled, "B is in use");
    // And stays so once every load has ended.
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert!(hover_text(&s.at("textDocument/hover", &note, 0, 14)).contains("Quuxle"));
    assert_eq!(
        s.at("textDocument/hover", &note, 0, 2),
        Value::Null,
        "A is not in use"
    );
}

#[test]
fn a_client_that_never_answers_stalls_nothing() {
    let ws = workspace(&[("a.md", "A network partition.\n"), ("b.md", "# Bravo\n")]);
    let a = ws.path().join("a.md");
    let mut s = Server::spawn();
    s.unanswered = vec![
        "window/workDoneProgress/create",
        "workspace/configuration",
        "client/registerCapability",
    ];
    s.initialize(&["utf-16"], Some(ws.path()), Value::Null); // waits for "indexed"
    s.open(&a, "A network partition.\n");
    assert!(hover_text(&s.at("textDocument/hover", &a, 0, 5)).contains("artition"));
    assert!(symbols(&mut s, "b").contains(&"b".to_string()));
}

#[test]
fn primer_reloads_happen_off_the_request_path() {
    // A workspace whose notes take a while to analyse again with a new primer.
    let mut files: Vec<(String, String)> = (0..1500)
        .map(|i| {
            (
                format!("notes/n{i}.md"),
                format!("# Note {i}\n\nThe network partition and the quorum {i}.\n").repeat(20),
            )
        })
        .collect();
    files.push((
        "primer/p.md".into(),
        "+++\ntitle=\"1. P\"\n+++\nNetwork partition\n: Nodes that cannot talk.\n".into(),
    ));
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let ws = workspace(&refs);
    let note = ws.path().join("notes/n0.md");
    let primer = ws.path().join("primer/p.md");
    let mut s = Server::spawn();
    s.initialize(&["utf-16"], Some(ws.path()), Value::Null);
    s.open(&note, "The network partition.\n");
    for _ in 0..8 {
        watched(&mut s, &primer, 2);
    }
    // The hover is answered before the reload (which re-analyses 1,500 notes) has finished.
    let h = s.at("textDocument/hover", &note, 0, 8);
    assert!(hover_text(&h).contains("cannot talk"), "{h}");
    let reloaded_before = s.notifications.iter().any(|m| {
        m["params"]["message"]
            .as_str()
            .is_some_and(|t| t.contains("(reloaded)"))
    });
    assert!(!reloaded_before, "the hover waited for the reload");
    s.wait_for_log("(reloaded)").expect("the reload ends");
    // Eight events, coalesced into at most two loads.
    std::thread::sleep(std::time::Duration::from_millis(500));
    let loads = s
        .notifications
        .iter()
        .filter(|m| {
            m["params"]["message"]
                .as_str()
                .is_some_and(|t| t.contains("(reloaded)"))
        })
        .count();
    assert!(loads <= 1, "{loads} more reloads");
}

#[test]
fn closed_untitled_documents_leave_nothing_behind() {
    let mut s = Server::spawn_with_env(&[("PRIMER_LS_FAULT_INJECTION", "1")]);
    s.initialize(&["utf-16"], None, Value::Null);
    for i in 0..2000 {
        let uri = format!("untitled:Untitled-{i}");
        s.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": "A [[broken]] partition.\n"}}),
        );
        s.notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": uri}}),
        );
    }
    let settled = eventually(&mut s, |s| {
        let stats = s.request(
            "workspace/executeCommand",
            json!({"command": "primer-ls.debug.stats"}),
        );
        stats["open"] == 0
            && stats["uris"] == 0
            && stats["revisions"] == 0
            && stats["notes"] == 0
            && stats["published"] == 0
    });
    let stats = s.request(
        "workspace/executeCommand",
        json!({"command": "primer-ls.debug.stats"}),
    );
    assert!(settled, "state kept for closed documents: {stats}");
}
