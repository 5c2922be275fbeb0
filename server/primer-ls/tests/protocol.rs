//! Protocol tests: the real binary over stdio, initialized as an editor would.

mod support;

use serde_json::{json, Value};
use support::{file_uri, workspace, Server};

const NOTE: &str = "# Week 1\n\n😀🎉 A network partition splits the cluster.\n\nSee [[state#caching]] and [[stat]].\n";

fn hover_text(v: &Value) -> String {
    v["contents"]["value"].as_str().unwrap_or("").to_string()
}

#[test]
fn utf16_client_hovers_a_term_after_emoji() {
    let ws = workspace(&[("notes/week1.md", NOTE)]);
    let note = ws.path().join("notes/week1.md");
    let mut s = Server::spawn();
    let init = s.initialize(&["utf-16"], Some(ws.path()), Value::Null);
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-16");
    s.open(&note, NOTE);
    // Line 2: "😀🎉 A network partition": two emoji are 4 UTF-16 units; "network" starts at 7.
    let h = s.at("textDocument/hover", &note, 2, 10);
    assert!(hover_text(&h).contains("**Network partition**"), "{h}");
    assert!(hover_text(&h).contains("break in connectivity"), "{h}");
    assert_eq!(
        h["range"],
        json!({"start": {"line": 2, "character": 7}, "end": {"line": 2, "character": 24}})
    );
    // A plain word has no hover.
    assert_eq!(s.at("textDocument/hover", &note, 2, 27), Value::Null);
    assert_eq!(s.shutdown(), Some(0));
}

#[test]
fn utf8_is_preferred_when_offered() {
    let ws = workspace(&[("week1.md", NOTE)]);
    let note = ws.path().join("week1.md");
    let mut s = Server::spawn();
    let init = s.initialize(&["utf-16", "utf-8"], Some(ws.path()), Value::Null);
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
    s.open(&note, NOTE);
    // In UTF-8 the two emoji take 8 bytes: "network" starts at byte 11.
    let h = s.at("textDocument/hover", &note, 2, 13);
    assert_eq!(h["range"]["start"], json!({"line": 2, "character": 11}));
}

#[test]
fn definition_opens_the_bundled_primer_from_the_cache() {
    let ws = workspace(&[("week1.md", NOTE)]);
    let note = ws.path().join("week1.md");
    let mut s = Server::spawn();
    s.initialize(&["utf-16"], Some(ws.path()), Value::Null);
    s.open(&note, NOTE);
    let def = s.at("textDocument/definition", &note, 4, 8);
    let uri = def["uri"].as_str().unwrap();
    let path = uri.strip_prefix("file://").unwrap();
    assert!(
        path.starts_with(&s.cache.path().display().to_string()),
        "{uri}"
    );
    let text = std::fs::read_to_string(path).unwrap();
    let line = text
        .lines()
        .nth(def["range"]["start"]["line"].as_u64().unwrap() as usize)
        .unwrap();
    assert_eq!(line, "### Caching");
    assert!(std::fs::metadata(path).unwrap().permissions().readonly());
}

#[test]
fn diagnostics_on_open_and_for_the_workspace_on_start_with_a_quick_fix() {
    let other = "Broken: [[why-distributed-sytems]]\n";
    let ws = workspace(&[("week1.md", NOTE), ("sub/other.md", other)]);
    let note = ws.path().join("week1.md");
    let mut s = Server::spawn();
    s.initialize(&["utf-16"], Some(ws.path()), Value::Null);
    // The workspace scan publishes for notes nobody opened.
    let d = s.diagnostics(&ws.path().join("sub/other.md"));
    assert_eq!(d.len(), 1);
    assert!(
        d[0]["message"]
            .as_str()
            .unwrap()
            .contains("Did you mean 'why-distributed-systems'"),
        "{d:?}"
    );
    s.open(&note, NOTE);
    let d = s.diagnostics(&note);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(
        d[0]["range"],
        json!({"start": {"line": 4, "character": 28}, "end": {"line": 4, "character": 32}})
    );
    assert_eq!(d[0]["severity"], 1);
    let actions = s.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": file_uri(&note)}, "range": d[0]["range"], "context": {"diagnostics": d}}),
    );
    let fix = &actions[0];
    assert_eq!(fix["title"], "Replace with 'state'");
    let edit = &fix["edit"]["changes"][file_uri(&note)][0];
    assert_eq!(edit["newText"], "state");
}

#[test]
fn incremental_edits_then_hover_and_references() {
    let ws = workspace(&[
        ("a.md", "Partitions everywhere.\n"),
        ("b.md", "One partition.\n"),
    ]);
    let a = ws.path().join("a.md");
    let mut s = Server::spawn();
    s.initialize(&["utf-16"], Some(ws.path()), Value::Null);
    let text = "Hello 😀 world\n";
    s.open(&a, text);
    // Replace "world" with "replication".
    s.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": file_uri(&a), "version": 2},
               "contentChanges": [{"range": {"start": {"line": 0, "character": 9}, "end": {"line": 0, "character": 14}}, "text": "big partition"}]}),
    );
    let h = s.at("textDocument/hover", &a, 0, 16);
    assert!(hover_text(&h).contains("partition"), "{h}");
    let refs = s.at("textDocument/references", &a, 0, 16);
    let mut uris: Vec<String> = refs
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["uri"].as_str().unwrap().to_string())
        .collect();
    uris.dedup();
    assert!(
        uris.contains(&file_uri(&ws.path().join("b.md"))),
        "{uris:?}"
    );
}

#[test]
fn references_asked_again_follow_every_change() {
    let ws = workspace(&[
        ("a.md", "Partitions everywhere.\n"),
        ("b.md", "One partition.\n"),
        ("c.md", "No term here.\n"),
    ]);
    let (a, b, c) = (
        ws.path().join("a.md"),
        ws.path().join("b.md"),
        ws.path().join("c.md"),
    );
    let mut s = Server::spawn();
    s.initialize(&["utf-16"], Some(ws.path()), Value::Null);
    s.open(&a, "Partitions everywhere.\n");
    let files = |s: &mut Server| -> Vec<String> {
        let refs = s.at("textDocument/references", &a, 0, 3);
        let mut uris: Vec<String> = refs
            .as_array()
            .unwrap_or_else(|| panic!("{refs}"))
            .iter()
            .map(|r| r["uri"].as_str().unwrap().to_string())
            .collect();
        uris.dedup();
        uris
    };
    let first = files(&mut s);
    assert!(
        first.contains(&file_uri(&b)) && !first.contains(&file_uri(&c)),
        "{first:?}"
    );
    // The same question in the same state: the same answer.
    assert_eq!(files(&mut s), first);
    // Another note comes to use the term, one stops using it, and the asked note changes
    // under the cursor: each answer after is that of the notes as they are then.
    s.open(&c, "A partition at last.\n");
    assert!(files(&mut s).contains(&file_uri(&c)));
    s.open(&b, "One.\n");
    assert!(!files(&mut s).contains(&file_uri(&b)));
    s.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": file_uri(&a), "version": 2},
               "contentChanges": [{"text": "Nothing at all.\n"}]}),
    );
    assert_eq!(files(&mut s), Vec::<String>::new());
}

#[test]
fn completion_symbols_and_progress() {
    let ws = workspace(&[("week1.md", "# Week one\n## Details\n")]);
    let note = ws.path().join("week1.md");
    let mut s = Server::spawn();
    s.initialize(&["utf-16"], Some(ws.path()), Value::Null);
    assert!(s
        .wait_for(|m| m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end")
        .is_some());
    s.open(&note, "See [[sta\n");
    let c = s.at("textDocument/completion", &note, 0, 9);
    let labels: Vec<&str> = c["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert!(
        labels.contains(&"state") && labels.contains(&"state#caching"),
        "{labels:?}"
    );
    let state = c["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["label"] == "state")
        .unwrap();
    assert_eq!(state["textEdit"]["newText"], "state]]");
    assert_eq!(state["detail"], "2. State");
    let sym = s.request("workspace/symbol", json!({"query": "circuit breaker"}));
    assert!(
        sym.as_array()
            .unwrap()
            .iter()
            .any(|x| x["name"] == "Circuit breaker"),
        "{sym}"
    );
    s.open(&ws.path().join("x.md"), "# Top\n## Sub\n");
    let ds = s.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": file_uri(&ws.path().join("x.md"))}}),
    );
    assert_eq!(ds[0]["name"], "Top");
    assert_eq!(ds[0]["children"][0]["name"], "Sub");
}

#[test]
fn a_missing_primer_folder_is_reported_and_the_bundled_one_serves() {
    let ws = workspace(&[("week1.md", NOTE)]);
    let note = ws.path().join("week1.md");
    let mut s = Server::spawn();
    s.initialize(
        &["utf-16"],
        Some(ws.path()),
        json!({"primer": {"path": "/no/such/primer"}}),
    );
    let msg = s
        .wait_for(|m| m["method"] == "window/showMessage")
        .expect("a showMessage");
    assert_eq!(msg["params"]["type"], 1);
    assert!(msg["params"]["message"]
        .as_str()
        .unwrap()
        .contains("/no/such/primer"));
    s.open(&note, NOTE);
    assert!(hover_text(&s.at("textDocument/hover", &note, 2, 10)).contains("Network partition"));
}

#[test]
fn a_workspace_primer_folder_is_used_in_place() {
    let primer =
        "+++\ntitle=\"Mine\"\n+++\nFlux capacitor\n: The thing that makes time travel possible.\n";
    let ws = workspace(&[
        ("primer/mine.md", primer),
        ("notes/n.md", "The flux capacitor hums.\n"),
    ]);
    let note = ws.path().join("notes/n.md");
    let mut s = Server::spawn();
    s.initialize(&["utf-16"], Some(ws.path()), Value::Null);
    s.open(&note, "The flux capacitor hums.\n");
    let h = s.at("textDocument/hover", &note, 0, 6);
    assert!(hover_text(&h).contains("time travel"), "{h}");
    let def = s.at("textDocument/definition", &note, 0, 6);
    assert_eq!(def["uri"], file_uri(&ws.path().join("primer/mine.md")));
}

#[test]
fn a_single_file_with_no_folder_works() {
    let dir = workspace(&[]);
    let note = dir.path().join("lonely.md");
    let mut s = Server::spawn();
    s.initialize(&["utf-16"], None, Value::Null);
    s.open(&note, "Horizontal scaling helps.\n");
    assert!(hover_text(&s.at("textDocument/hover", &note, 0, 3)).contains("Horizontal scalability"));
}

#[test]
fn bad_requests_get_answers_and_the_server_keeps_going() {
    let ws = workspace(&[("week1.md", NOTE)]);
    let note = ws.path().join("week1.md");
    let mut s = Server::spawn_with_env(&[("PRIMER_LS_FAULT_INJECTION", "1")]);
    s.initialize(&["utf-16"], Some(ws.path()), Value::Null);
    s.open(&note, NOTE);
    // Unknown URI, out-of-range position: no answer, no crash.
    let unknown = ws.path().join("never-opened-and-absent.md");
    assert_eq!(s.at("textDocument/hover", &unknown, 0, 0), Value::Null);
    assert_eq!(s.at("textDocument/hover", &note, 999, 999), Value::Null);
    assert_eq!(s.at("textDocument/hover", &note, 2, 9999), Value::Null);
    // A body that is not JSON gets a Parse error.
    s.send_raw(b"{\"jsonrpc\": \"2.0\", \"id\": 77, \"meth");
    let err = s
        .wait_for(|m| m["error"]["code"] == -32700)
        .expect("a parse error");
    assert_eq!(err["id"], Value::Null);
    // Missing params: InvalidParams.
    let r = s.request_full(
        "textDocument/hover",
        json!({"textDocument": {"uri": file_uri(&note)}}),
    );
    assert_eq!(r["error"]["code"], -32602);
    // A panic inside a request fails that request only.
    let r = s.request_full(
        "workspace/executeCommand",
        json!({"command": "primer-ls.debug.panic"}),
    );
    assert_eq!(r["error"]["code"], -32603, "{r}");
    // didChange for a document never opened is ignored.
    s.notify("textDocument/didChange", json!({"textDocument": {"uri": file_uri(&unknown), "version": 3}, "contentChanges": [{"text": "x"}]}));
    assert!(hover_text(&s.at("textDocument/hover", &note, 2, 10)).contains("Network partition"));
    assert_eq!(s.shutdown(), Some(0));
}

#[test]
fn exit_without_shutdown_is_code_1() {
    let mut s = Server::spawn();
    s.initialize(&["utf-16"], None, Value::Null);
    assert_eq!(s.exit(), Some(1));
}

#[test]
fn invalid_utf8_and_hostile_files_do_not_stop_the_workspace() {
    let ws = workspace(&[("good.md", "A partition.\n")]);
    std::fs::write(ws.path().join("bad.md"), b"caf\xe9 partition \xff\xfe\n").unwrap();
    std::fs::create_dir(ws.path().join("folder.md")).unwrap();
    let mut s = Server::spawn();
    s.initialize(&["utf-16"], Some(ws.path()), Value::Null);
    let warn = s.wait_for_log("not valid UTF-8");
    assert!(warn.is_some());
    let good = ws.path().join("good.md");
    s.open(&good, "A partition.\n");
    let refs = s.at("textDocument/references", &good, 0, 4);
    assert!(
        refs.as_array()
            .unwrap()
            .iter()
            .any(|r| r["uri"] == file_uri(&ws.path().join("bad.md"))),
        "{refs}"
    );
}

#[test]
fn files_changed_on_disk_update_the_index() {
    let ws = workspace(&[("a.md", "A partition.\n")]);
    let a = ws.path().join("a.md");
    let c = ws.path().join("c.md");
    let mut s = Server::spawn();
    s.initialize(&["utf-16"], Some(ws.path()), Value::Null);
    s.open(&a, "A partition.\n");
    let uris = |v: &Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|r| r["uri"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(!uris(&s.at("textDocument/references", &a, 0, 4)).contains(&file_uri(&c)));
    // Files are read off the server's lock: the change shows up soon after the event.
    let shows_c = |s: &mut Server, want: bool| {
        (0..2000).any(|_| {
            let has = uris(&s.at("textDocument/references", &a, 0, 4)).contains(&file_uri(&c));
            has == want || {
                std::thread::sleep(std::time::Duration::from_millis(10));
                false
            }
        })
    };
    std::fs::write(&c, "More partitions.\n").unwrap();
    s.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&c), "type": 1}]}),
    );
    assert!(shows_c(&mut s, true));
    std::fs::remove_file(&c).unwrap();
    s.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&c), "type": 3}]}),
    );
    assert!(shows_c(&mut s, false));
}

#[test]
fn the_primer_path_setting_comes_from_workspace_configuration() {
    let course = "+++\ntitle=\"1. Time\"\n+++\nFlux capacitor\n: The thing that makes time travel possible.\n";
    let ws = workspace(&[
        ("course/time.md", course),
        ("n.md", "The flux capacitor.\n"),
    ]);
    let note = ws.path().join("n.md");
    let mut s = Server::spawn();
    s.configuration = json!({"path": ws.path().join("course").display().to_string()});
    s.initialize(&["utf-16"], Some(ws.path()), Value::Null);
    s.wait_for_log("1 sections")
        .expect("the configured primer was loaded");
    s.open(&note, "The flux capacitor.\n");
    assert!(hover_text(&s.at("textDocument/hover", &note, 0, 6)).contains("time travel"));
    // Back to the bundled primer when the setting is cleared.
    s.configuration = json!({"path": null});
    s.notify("workspace/didChangeConfiguration", json!({"settings": {}}));
    s.wait_for_log("bundled primer")
        .expect("the bundled primer was loaded again");
    assert_eq!(s.at("textDocument/hover", &note, 0, 6), Value::Null);
}

#[test]
fn a_hover_right_after_initialize_waits_for_the_primer() {
    // Editors send didOpen and the first hover without waiting for anything; the primer loads
    // just after the initialize answer, and that hover must already know the glossary.
    let ws = workspace(&[("a.md", "A network partition.\n")]);
    let a = ws.path().join("a.md");
    let mut s = Server::spawn();
    let r = s.request(
        "initialize",
        json!({"processId": null, "rootUri": file_uri(ws.path()), "capabilities": {}}),
    );
    assert!(r["capabilities"]["hoverProvider"]
        .as_bool()
        .unwrap_or(false));
    s.notify("initialized", json!({}));
    s.open(&a, "A network partition.\n");
    let h = s.at("textDocument/hover", &a, 0, 5);
    assert!(hover_text(&h).contains("**Network partition**"), "{h}");
}
