//! The workspace as a notes folder in the wild: link verdicts that do not depend on where the
//! server is rooted, and the workspace config file (`.primer-ls.toml`): its primer, its excluded
//! folders, its words that are not terms, and the code action that adds one.

mod support;

use std::path::Path;

use serde_json::{json, Value};
use support::{file_uri, markdown_under, notes_repository, workspace, Server};

/// The code action with this title, among `actions`.
fn titled(actions: &Value, title: &str) -> Value {
    actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == title)
        .unwrap_or_else(|| panic!("no action '{title}': {actions}"))
        .clone()
}

fn hover_text(v: &Value) -> String {
    v["contents"]["value"].as_str().unwrap_or("").to_string()
}

/// The error diagnostics of every Markdown file under `top`, each opened in turn, as
/// `file: message` with paths relative to `top`. Each file is opened with one more link that
/// is surely broken, so that it surely gets diagnostics to wait for; that one is left out.
fn errors_of_every_file(s: &mut Server, top: &Path) -> Vec<String> {
    let files = markdown_under(top);
    let mut out = vec![];
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        s.open(&file, &format!("{text}\n[sentinel](no-such-sentinel.md)\n"));
        for d in s.diagnostics(&file) {
            let message = d["message"].as_str().unwrap();
            if d["severity"] == 1 && !message.contains("no-such-sentinel") {
                let rel = file.strip_prefix(top).unwrap().display().to_string();
                out.push(format!("{rel}: {message}"));
            }
        }
    }
    out
}

#[test]
fn link_verdicts_do_not_depend_on_where_the_server_is_rooted() {
    let repo = notes_repository();
    let top = repo.path();
    let mut verdicts = vec![];
    for root in [
        Some(top.to_path_buf()),
        Some(top.join("course/week1")),
        Some(top.join("prep")),
        None,
    ] {
        let mut s = Server::spawn();
        s.initialize(&["utf-16"], root.as_deref(), Value::Null);
        verdicts.push((root, errors_of_every_file(&mut s, top)));
    }
    for (root, errors) in &verdicts {
        assert_eq!(errors.len(), 1, "rooted at {root:?}: {errors:?}");
        assert!(
            errors[0].starts_with("README.md: ") && errors[0].contains("img/nope.png"),
            "rooted at {root:?}: {errors:?}"
        );
    }
}

/// Waits for the log line of what the walk left out, and checks it.
fn assert_left_out(s: &mut Server, expected: &str) {
    let logged = s
        .wait_for_log("left out of the notes")
        .expect("what was left out is logged");
    assert_eq!(logged["params"]["message"], expected);
}

const COURSE: &str = "+++\ntitle=\"1. Widgets\"\n+++\n# Widgets\n\nWidget\n: A small part that does one job.\n\nDeadline\n: The time by which a call must answer.\n";

#[test]
fn the_config_file_names_the_primer_leaves_out_folders_and_words() {
    let ws = workspace(&[
        (
            ".primer-ls.toml",
            "# Our class.\nprimer = \"course\"\nexclude = [\"drafts/\"]\nnot-terms = [\"deadline\"]\n",
        ),
        ("course/widgets.md", COURSE),
        ("week1.md", "A widget has a deadline.\n"),
        ("drafts/wip.md", "# Half a thought\n"),
        (".obsidian/cache.md", "# Editor state\n"),
    ]);
    let note = ws.path().join("week1.md");
    let mut s = Server::spawn();
    s.initialize(&["utf-16"], Some(ws.path()), Value::Null);
    assert_left_out(
        &mut s,
        "left out of the notes: 1 hidden (.obsidian); 1 excluded by .primer-ls.toml (drafts)",
    );
    s.open(&note, "A widget has a deadline.\n");
    // The course's term is served; the word the class uses otherwise is not a term.
    assert!(hover_text(&s.at("textDocument/hover", &note, 0, 4)).contains("one job"));
    assert_eq!(s.at("textDocument/hover", &note, 0, 17), Value::Null);
    // The excluded draft is not a note: a search of the notes' names finds the class's note,
    // not the draft.
    let found = s.request("workspace/symbol", json!({"query": "week1"}));
    assert!(found.to_string().contains("week1.md"), "{found}");
    let found = s.request("workspace/symbol", json!({"query": "wip"}));
    assert!(!found.to_string().contains("drafts/wip.md"), "{found}");
}

#[test]
fn notes_too_large_are_found_when_read_told_with_what_was_left_out_and_not_kept() {
    // The walk does not ask each note's size: a note over the limit is found when it is read,
    // warned about and counted with what was left out; one that grew too large since the last
    // walk is not kept from it, nor one that became unreadable as a note (binary).
    let ws = workspace(&[
        ("notes/a.md", "See [[b]] and [[c]].\n"),
        ("notes/b.md", "# B\n"),
        ("notes/c.md", "# C\n"),
        ("notes/delta.md", "# Delta\n"),
    ]);
    let over = |name: &str| {
        // Sparse: its size is known without writing it.
        let file = std::fs::File::create(ws.path().join(name)).unwrap();
        file.set_len(32 * 1024 * 1024 + 1).unwrap();
    };
    over("notes/huge.md");
    let mut s = Server::spawn();
    s.initialize(&["utf-16"], Some(ws.path()), Value::Null);
    let warned = s
        .wait_for_log("huge.md: ")
        .expect("the note too large is warned about");
    assert!(
        warned["params"]["message"]
            .as_str()
            .unwrap()
            .contains("more than the 32 MB"),
        "{warned}"
    );
    assert_left_out(&mut s, "left out of the notes: 1 too large (notes/huge.md)");
    let names =
        |s: &mut Server, query: &str| s.request("workspace/symbol", json!({"query": query}));
    assert!(names(&mut s, "c").to_string().contains("notes/c.md"));
    assert!(names(&mut s, "delta")
        .to_string()
        .contains("notes/delta.md"));
    // `c.md` grows too large and `delta.md` is overwritten with binary bytes; a change of the
    // config's exclusions walks the notes again.
    over("notes/c.md");
    std::fs::write(ws.path().join("notes/delta.md"), b"\0\x01binary\0").unwrap();
    let config = ws.path().join(".primer-ls.toml");
    std::fs::write(&config, "exclude = [\"drafts/\"]\n").unwrap();
    s.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&config), "type": 1}]}),
    );
    assert_left_out(
        &mut s,
        "left out of the notes: 2 too large (notes/c.md, notes/huge.md)",
    );
    let found = names(&mut s, "c");
    assert!(!found.to_string().contains("notes/c.md"), "{found}");
    let found = names(&mut s, "delta");
    assert!(!found.to_string().contains("notes/delta.md"), "{found}");
    assert!(names(&mut s, "b").to_string().contains("notes/b.md"));
}

#[test]
fn a_primer_folder_that_is_not_a_primer_holds_notes() {
    // The notes are listed while the primer loads, leaving out `primer/`; here it turns out to
    // hold no section (only a README), so the bundled primer is used and the folder's files
    // are notes after all.
    let ws = workspace(&[
        ("primer/README.md", "# Handouts from the first week\n"),
        ("week1.md", "A cache hit.\n"),
    ]);
    let mut s = Server::spawn();
    s.initialize(&["utf-16"], Some(ws.path()), Value::Null);
    s.wait_for_log("indexed 2 notes")
        .expect("both files are indexed as notes");
    // Notes are found by their file names.
    let found = s.request("workspace/symbol", json!({"query": "README"}));
    assert!(
        found.to_string().contains("primer/README.md"),
        "the README is a note: {found}"
    );
}

#[test]
fn dont_treat_as_a_term_adds_the_word_to_the_config_and_stops_matching_it() {
    let text = "Network partitions happen. A network partition again.\n";
    let ws = workspace(&[
        (
            ".primer-ls.toml",
            "# Our class's settings.\nexclude = [\"drafts/\"] # not notes\n",
        ),
        ("week1.md", text),
    ]);
    let note = ws.path().join("week1.md");
    let config = ws.path().join(".primer-ls.toml");
    let mut s = Server::spawn();
    s.initialize(&["utf-16"], Some(ws.path()), Value::Null);
    s.open(&note, text);
    assert!(hover_text(&s.at("textDocument/hover", &note, 0, 3)).contains("Network partition"));
    let actions = s.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": file_uri(&note)},
               "range": {"start": {"line": 0, "character": 3}, "end": {"line": 0, "character": 3}},
               "context": {"diagnostics": []}}),
    );
    let action = titled(&actions, "Don't treat 'network partitions' as a term here");
    assert_eq!(action["kind"], "quickfix");
    let command = &action["command"];
    let answer = s.request(
        "workspace/executeCommand",
        json!({"command": command["command"], "arguments": command["arguments"]}),
    );
    assert_eq!(answer["added"], true, "{answer}");
    // One edit, at the end of the file, that the editor applies: nothing else is touched.
    assert_eq!(
        s.applied_edits,
        vec![json!({"changes": {file_uri(&config): [{
            "range": {"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 0}},
            "newText": "not-terms = [\"network partitions\"]\n"
        }]}})]
    );
    // The server did not write the file; it uses the new text at once, with every form.
    assert!(!std::fs::read_to_string(&config)
        .unwrap()
        .contains("not-terms"));
    assert_eq!(s.at("textDocument/hover", &note, 0, 3), Value::Null);
    assert_eq!(s.at("textDocument/hover", &note, 0, 33), Value::Null);
    // The same word again changes nothing.
    std::fs::write(
        &config,
        "# Our class's settings.\nexclude = [\"drafts/\"] # not notes\nnot-terms = [\"network partitions\"]\n",
    )
    .unwrap();
    let again = s.request(
        "workspace/executeCommand",
        json!({"command": command["command"], "arguments": command["arguments"]}),
    );
    assert_eq!(again["added"], false, "{again}");
    assert_eq!(s.applied_edits.len(), 1);
}

#[test]
fn with_no_config_file_the_action_creates_one_where_the_editor_can() {
    let text = "A network partition.\n";
    let ws = workspace(&[("week1.md", text)]);
    let note = ws.path().join("week1.md");
    let config = ws.path().join(".primer-ls.toml");
    let at = json!({"textDocument": {"uri": file_uri(&note)},
                    "range": {"start": {"line": 0, "character": 5}, "end": {"line": 0, "character": 5}},
                    "context": {"diagnostics": []}});
    let titles = |actions: &Value| -> Vec<String> {
        actions
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["title"].as_str().unwrap().to_string())
            .collect()
    };
    // An editor that cannot create files in an edit is not offered the action.
    let mut plain = Server::spawn();
    plain.initialize(&["utf-16"], Some(ws.path()), Value::Null);
    plain.open(&note, text);
    let offered = titles(&plain.request("textDocument/codeAction", at.clone()));
    assert!(
        !offered.iter().any(|t| t.starts_with("Don't treat")),
        "{offered:?}"
    );

    let mut s = Server::spawn();
    s.workspace_edit = json!({"documentChanges": true, "resourceOperations": ["create"]});
    s.initialize(&["utf-16"], Some(ws.path()), Value::Null);
    s.open(&note, text);
    let actions = s.request("textDocument/codeAction", at);
    let action = titled(&actions, "Don't treat 'network partition' as a term here");
    let answer = s.request(
        "workspace/executeCommand",
        json!({"command": action["command"]["command"], "arguments": action["command"]["arguments"]}),
    );
    assert_eq!(answer["added"], true, "{answer}");
    let uri = file_uri(&config);
    assert_eq!(
        s.applied_edits,
        vec![json!({"documentChanges": [
            {"kind": "create", "uri": uri, "options": {"overwrite": false, "ignoreIfExists": true}},
            {"textDocument": {"uri": uri, "version": null}, "edits": [{
                "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
                "newText": "not-terms = [\"network partition\"]\n"
            }]}
        ]})]
    );
    assert_eq!(s.at("textDocument/hover", &note, 0, 5), Value::Null);
    assert!(!config.exists(), "the server never writes the file itself");
}

#[test]
fn a_config_file_edited_by_hand_is_read_again() {
    let text = "Idempotency and a network partition.\n";
    let ws = workspace(&[("week1.md", text)]);
    let note = ws.path().join("week1.md");
    let config = ws.path().join(".primer-ls.toml");
    let mut s = Server::spawn();
    s.initialize(&["utf-16"], Some(ws.path()), Value::Null);
    s.open(&note, text);
    assert!(hover_text(&s.at("textDocument/hover", &note, 0, 24)).contains("Network partition"));
    let changed = |s: &mut Server, typ: u32| {
        s.notify(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": file_uri(&config), "type": typ}]}),
        );
    };
    std::fs::write(&config, "not-terms = [\"Network Partition\"]\n").unwrap();
    changed(&mut s, 1);
    s.wait_for_log("(reloaded)")
        .expect("the primer is loaded again");
    assert_eq!(s.at("textDocument/hover", &note, 0, 24), Value::Null);
    assert!(hover_text(&s.at("textDocument/hover", &note, 0, 3)).contains("dempoten"));
    // A file saved half-written is reported, and the settings read before stay.
    std::fs::write(&config, "not-terms = [\n").unwrap();
    changed(&mut s, 2);
    let shown = s
        .wait_for(|m| m["method"] == "window/showMessage")
        .expect("the broken config is shown");
    assert!(
        shown["params"]["message"]
            .as_str()
            .unwrap()
            .contains("is not valid TOML"),
        "{shown}"
    );
    assert_eq!(s.at("textDocument/hover", &note, 0, 24), Value::Null);
    // Deleting it brings the term back.
    std::fs::remove_file(&config).unwrap();
    changed(&mut s, 3);
    s.wait_for_log("(reloaded)")
        .expect("the primer is loaded again");
    assert!(hover_text(&s.at("textDocument/hover", &note, 0, 24)).contains("Network partition"));
}

#[test]
fn a_note_opened_while_the_workspace_is_read_gets_no_false_broken_links() {
    // Many notes, so that reading them takes longer than the diagnostics' debounce; a note
    // opened at once links one of them by name. Its diagnostics wait for the end of the walk.
    let dir = workspace(&[]);
    for i in 0..20_000 {
        std::fs::write(
            dir.path().join(format!("n{i:05}.md")),
            format!("# Note {i}\n"),
        )
        .unwrap();
    }
    let note = dir.path().join("open.md");
    let text = "See [[n19999]] and [[no-such-note]].\n";
    std::fs::write(&note, text).unwrap();
    let mut s = Server::spawn();
    s.request(
        "initialize",
        json!({"processId": null, "rootUri": file_uri(dir.path()),
               "workspaceFolders": [{"uri": file_uri(dir.path()), "name": "ws"}],
               "capabilities": {}}),
    );
    s.notify("initialized", json!({}));
    s.open(&note, text);
    let published = s
        .wait_for(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == file_uri(&note)
        })
        .expect("the open note's diagnostics");
    // Published with the rest once the walk ended, for the version the editor has.
    assert_eq!(published["params"]["version"], 1, "{published}");
    let diagnostics = published["params"]["diagnostics"]
        .as_array()
        .unwrap()
        .clone();
    let indexed_before = s.notifications.iter().any(|m| {
        m["method"] == "window/logMessage"
            && m["params"]["message"]
                .as_str()
                .is_some_and(|t| t.starts_with("indexed "))
    });
    assert!(indexed_before, "diagnostics came before the walk ended");
    let messages: Vec<&str> = diagnostics
        .iter()
        .filter(|d| d["severity"] == 1)
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(messages[0].contains("no-such-note"), "{messages:?}");
}

#[test]
fn a_note_opened_while_every_note_is_checked_keeps_the_diagnostics_of_its_own_text() {
    // The diagnostics of every note are worked out in the background after the index, from
    // the files as read. A note opened meanwhile gets its own from the editor's text; the ones
    // worked out from its file, published after them, would show the file's problems instead.
    let dir = workspace(&[]);
    for i in 0..2_000 {
        std::fs::write(dir.path().join(format!("n{i:04}.md")), "A note.\n").unwrap();
    }
    // Notes whose problems are published by that background work: once all of them have
    // come, so has everything it publishes.
    let canaries: Vec<_> = (0..20)
        .map(|i| {
            let path = dir.path().join(format!("canary{i:02}.md"));
            std::fs::write(&path, format!("See [[missing-{i}]].\n")).unwrap();
            path
        })
        .collect();
    let late = dir.path().join("late.md");
    std::fs::write(&late, "See [[gone-from-the-file]].\n").unwrap();
    let mut s = Server::spawn();
    s.initialize(&["utf-16"], Some(dir.path()), Value::Null);
    // The outcome count the server sends as it sets out to check every note: the note is
    // opened then, while they are being checked.
    s.notifications
        .retain(|m| m["method"] != "primer/outcomesChanged");
    s.wait_for(|m| m["method"] == "primer/outcomesChanged")
        .expect("the outcome count after the index");
    s.open(&late, "See [[gone-from-the-editor]].\n");
    for canary in &canaries {
        assert!(!s.diagnostics(canary).is_empty());
    }
    std::thread::sleep(std::time::Duration::from_millis(300));
    // (An answer comes after every message sent before it.)
    s.at("textDocument/hover", &late, 0, 0);
    let published: Vec<&Value> = s
        .notifications
        .iter()
        .filter(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == file_uri(&late)
        })
        .collect();
    // None of the file's text, not even for a moment; the last of the editor's.
    assert!(!published.is_empty());
    for p in &published {
        assert!(!p.to_string().contains("gone-from-the-file"), "{p}");
    }
    let last = published[published.len() - 1];
    assert_eq!(last["params"]["version"], 1, "{last}");
    assert!(last.to_string().contains("gone-from-the-editor"), "{last}");
}

#[test]
fn a_large_workspace_joins_in_parts_and_says_how_far_it_is() {
    // 5,000 notes join the world 2,000 at a time: the editor is told after each part.
    let dir = workspace(&[]);
    for i in 0..5_000 {
        std::fs::write(dir.path().join(format!("n{i:04}.md")), "A note.\n").unwrap();
    }
    let mut s = Server::spawn();
    s.initialize(&["utf-16"], Some(dir.path()), Value::Null);
    let reports: Vec<(String, u64)> = s
        .notifications
        .iter()
        .filter(|m| m["method"] == "$/progress" && m["params"]["value"]["kind"] == "report")
        .map(|m| {
            let v = &m["params"]["value"];
            (
                v["message"].as_str().unwrap().to_string(),
                v["percentage"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        reports,
        [
            ("2000 of 5000 notes".to_string(), 40),
            ("4000 of 5000 notes".to_string(), 80)
        ]
    );
}
