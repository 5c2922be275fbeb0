//! Learning outcomes over the protocol: the `primer.outcomes` and `primer.insertChecklist`
//! commands, code lens, inlay hints, semantic tokens and outcome completion, against the real
//! binary and the bundled primer.

mod support;

use serde_json::{json, Value};
use support::{file_uri, workspace, Server};

/// The first learning outcome of the bundled section "2. State" (`state.1`).
const STATE_1: &str = "Explain how a cache's hit rate, working set and warmth determine the load on the database behind it, and why a cold cache can cause an outage.";
const STATE_3: &str = "Compare modulo hashing with consistent hashing by calculating how many keys move when a server is added.";

fn ticked_note() -> String {
    format!("# Week 2\n\n- [x] {STATE_1}\n")
}

fn unticked_note() -> String {
    format!("# Revision\n\n## Outcomes\n\n- [ ] {STATE_1}\n- [ ] compare modulo hashing with consistent hashing, calculating how many keys move when a server is added\n")
}

fn execute(s: &mut Server, command: &str, arguments: Value) -> Value {
    s.request(
        "workspace/executeCommand",
        json!({"command": command, "arguments": arguments}),
    )
}

#[test]
fn outcomes_command_reports_workspace_progress() {
    let ws = workspace(&[("a.md", &ticked_note()), ("b.md", &unticked_note())]);
    let b = ws.path().join("b.md");
    let mut s = Server::spawn();
    let init = s.initialize(&["utf-16"], Some(ws.path()), Value::Null);
    let commands = &init["capabilities"]["executeCommandProvider"]["commands"];
    assert!(
        commands
            .as_array()
            .unwrap()
            .contains(&json!("primer.outcomes")),
        "{commands}"
    );

    let r = execute(
        &mut s,
        "primer.outcomes",
        json!([{"textDocument": {"uri": file_uri(&b)}}]),
    );
    let total = r["total"].as_u64().unwrap();
    assert!(total >= 20, "the bundled primer has many outcomes: {r}");
    assert_eq!(r["done"], 1);
    let outcomes = r["outcomes"].as_array().unwrap();
    assert_eq!(outcomes.len() as u64, total);
    let s1 = outcomes.iter().find(|o| o["id"] == "state.1").unwrap();
    assert_eq!(s1["text"], STATE_1);
    assert_eq!(s1["section"], "state");
    assert_eq!(s1["sectionTitle"], "2. State");
    assert_eq!(s1["done"], true);
    assert_eq!(s1["inDocument"], true);
    assert_eq!(s1["ticked"][0]["uri"], file_uri(&ws.path().join("a.md")));
    assert_eq!(
        s1["ticked"][0]["range"]["start"],
        json!({"line": 2, "character": 6})
    );
    assert_eq!(s1["unticked"][0]["uri"], file_uri(&b));
    // The reworded item counts as state.3, listed but not done.
    let s3 = outcomes.iter().find(|o| o["id"] == "state.3").unwrap();
    assert_eq!(s3["text"], STATE_3);
    assert_eq!(
        (s3["done"].clone(), s3["inDocument"].clone()),
        (json!(false), json!(true))
    );
    let state = r["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == "state")
        .unwrap();
    assert_eq!(state["done"], 1);
    assert!(state["total"].as_u64().unwrap() >= 3);
    assert!(state["uri"].as_str().unwrap().ends_with("/state.md"));

    // Without a document there is no inDocument field; unknown commands are errors.
    let r = execute(&mut s, "primer.outcomes", json!([]));
    assert!(r["outcomes"][0].get("inDocument").is_none());
    let err = s.request_full(
        "workspace/executeCommand",
        json!({"command": "primer.nope"}),
    );
    assert_eq!(err["error"]["code"], -32601, "{err}");
    assert_eq!(s.shutdown(), Some(0));
}

#[test]
fn insert_checklist_edits_through_the_editor_and_only_once() {
    let text = "# Notes\n\nSee [[state]].\n";
    let ws = workspace(&[("n.md", text)]);
    let n = ws.path().join("n.md");
    let mut s = Server::spawn();
    s.initialize(&["utf-16"], Some(ws.path()), Value::Null);
    s.open(&n, text);
    let args = json!([{"textDocument": {"uri": file_uri(&n)}, "position": {"line": 3, "character": 0}, "section": "state"}]);
    let r = execute(&mut s, "primer.insertChecklist", args.clone());
    let inserted = r["inserted"].as_u64().unwrap();
    assert!(inserted >= 3, "{r}");
    assert_eq!(s.applied_edits.len(), 1);
    let edits = s.applied_edits[0]["changes"][file_uri(&n)]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(edits.len(), 1);
    assert_eq!(
        edits[0]["range"]["start"],
        json!({"line": 3, "character": 0})
    );
    let added = edits[0]["newText"].as_str().unwrap();
    assert!(
        added.starts_with("\n## Learning outcomes: 2. State\n\n- [ ] Explain how a cache"),
        "{added:?}"
    );
    assert_eq!(added.matches("- [ ] ").count() as u64, inserted);
    // The server never wrote the file itself.
    assert_eq!(std::fs::read_to_string(&n).unwrap(), text);

    // The editor applies it; asking again inserts nothing and sends no edit.
    let new_text = format!("{text}{added}");
    s.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": file_uri(&n), "version": 2}, "contentChanges": [{"text": new_text}]}),
    );
    let r = execute(&mut s, "primer.insertChecklist", args);
    assert_eq!(r["inserted"], 0);
    assert_eq!(s.applied_edits.len(), 1);

    // The same insert is one code action that asks which checklist: the section the note
    // links to first is complete, so it is not among the choices.
    let actions = s.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": file_uri(&n)}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "context": {"diagnostics": []}}),
    );
    let inserts: Vec<&Value> = actions
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| {
            a["title"]
                .as_str()
                .unwrap_or("")
                .starts_with("Insert learning-outcome")
        })
        .collect();
    assert_eq!(inserts.len(), 1, "{actions}");
    let command = &inserts[0]["command"];
    assert_eq!(command["command"], "primer.insertChecklist");
    s.choose = "The whole primer".into();
    let before = s.applied_edits.len();
    let r = execute(
        &mut s,
        "primer.insertChecklist",
        json!([command["arguments"][0].clone()]),
    );
    assert!(r["inserted"].as_u64().unwrap() > 0, "{r}");
    assert_eq!(s.applied_edits.len(), before + 1);
    let asked = s
        .message_requests
        .last()
        .expect("the server asked which checklist");
    let offered: Vec<&str> = asked["actions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["title"].as_str())
        .collect();
    assert!(offered[0].starts_with("The whole primer"), "{offered:?}");
    assert!(
        !offered.iter().any(|t| t.starts_with("2. State")),
        "state is complete: {offered:?}"
    );
    let bad = s.request_full(
        "workspace/executeCommand",
        json!({"command": "primer.insertChecklist", "arguments": [{"position": {}}]}),
    );
    assert_eq!(bad["error"]["code"], -32602, "{bad}");
}

#[test]
fn code_lens_over_checklists_and_primer_sections() {
    let ws = workspace(&[("a.md", &ticked_note()), ("b.md", &unticked_note())]);
    let b = ws.path().join("b.md");
    let mut s = Server::spawn();
    s.initialize(&["utf-16"], Some(ws.path()), Value::Null);
    s.open(&b, &unticked_note());
    let lenses = s.request(
        "textDocument/codeLens",
        json!({"textDocument": {"uri": file_uri(&b)}}),
    );
    assert_eq!(lenses.as_array().unwrap().len(), 1, "{lenses}");
    assert_eq!(
        lenses[0]["command"]["title"],
        "Outcomes: 1/2 done · 2. State: 1/2"
    );
    assert_eq!(lenses[0]["command"]["command"], "primer.outcomes");
    assert_eq!(
        lenses[0]["range"]["start"],
        json!({"line": 4, "character": 0})
    );

    // Ticking the second item in the editor changes the count.
    let ticked = unticked_note().replace("- [ ] compare", "- [x] compare");
    s.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": file_uri(&b), "version": 2}, "contentChanges": [{"text": ticked}]}),
    );
    let lenses = s.request(
        "textDocument/codeLens",
        json!({"textDocument": {"uri": file_uri(&b)}}),
    );
    assert_eq!(
        lenses[0]["command"]["title"],
        "Outcomes: 2/2 done · 2. State: 2/2"
    );

    // On the primer's own file: how many notes rely on the section (both use state's terms).
    let r = execute(&mut s, "primer.outcomes", json!([]));
    let state_uri = r["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == "state")
        .unwrap()["uri"]
        .clone();
    let lenses = s.request(
        "textDocument/codeLens",
        json!({"textDocument": {"uri": state_uri}}),
    );
    assert_eq!(lenses[0]["command"]["title"], "Used by 2 notes", "{lenses}");
    let cov = execute(&mut s, "primer.coverage", json!([]));
    let state = cov["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == "state")
        .unwrap();
    assert_eq!(state["notes"].as_array().unwrap().len(), 2, "{cov}");
}

#[test]
fn outcome_diagnostics_are_hints_never_errors() {
    let ws = workspace(&[
        ("a.md", &ticked_note()),
        (
            "b.md",
            &format!("{}- [ ] Learn to juggle\n", unticked_note()),
        ),
    ]);
    let b = ws.path().join("b.md");
    let mut s = Server::spawn();
    s.initialize(&["utf-16"], Some(ws.path()), Value::Null);
    s.open(&b, &format!("{}- [ ] Learn to juggle\n", unticked_note()));
    let diags = s.diagnostics(&b);
    let shown: Vec<(String, u64)> = diags
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["severity"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        shown,
        vec![
            ("outcome-ticked-elsewhere".to_string(), 4),
            ("unknown-outcome".to_string(), 3)
        ],
        "{diags:?}"
    );
    // The quick fix ticks the box.
    let fix = s.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": file_uri(&b)}, "range": diags[0]["range"], "context": {"diagnostics": diags}}),
    );
    let tick = fix
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Tick it here too")
        .unwrap();
    let edit = &tick["edit"]["changes"][file_uri(&b)][0];
    assert_eq!(edit["newText"], "[x]");
    assert_eq!(edit["range"]["start"], json!({"line": 4, "character": 2}));
    // Only the problem it fixes, though the editor sent both of the note's diagnostics.
    assert_eq!(tick["diagnostics"].as_array().unwrap().len(), 1, "{tick}");
    assert_eq!(tick["diagnostics"][0]["code"], "outcome-ticked-elsewhere");
}

#[test]
fn completion_after_a_task_box_lists_missing_outcomes() {
    let text = format!("- [x] {STATE_1}\n- [ ] Compare mod");
    let ws = workspace(&[("n.md", &text)]);
    let n = ws.path().join("n.md");
    let mut s = Server::spawn();
    s.initialize(&["utf-16"], Some(ws.path()), Value::Null);
    s.open(&n, &text);
    let r = s.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": file_uri(&n)}, "position": {"line": 1, "character": 17},
               "context": {"triggerKind": 1}}),
    );
    let items = r["items"].as_array().unwrap();
    assert!(
        items.iter().all(|i| i["label"] != STATE_1),
        "state.1 is already listed"
    );
    let s3 = items
        .iter()
        .find(|i| i["label"] == STATE_3)
        .expect("state.3 offered");
    assert_eq!(s3["detail"], "state.3 · 2. State");
    assert_eq!(
        s3["textEdit"]["range"],
        json!({"start": {"line": 1, "character": 6}, "end": {"line": 1, "character": 17}})
    );
}

#[test]
fn inlay_hints_are_off_until_enabled() {
    let text = "😀 Idempotent calls are safe.\n";
    let ws = workspace(&[("n.md", text)]);
    let n = ws.path().join("n.md");
    let range = json!({"start": {"line": 0, "character": 0}, "end": {"line": 1, "character": 0}});
    let params = json!({"textDocument": {"uri": file_uri(&n)}, "range": range});

    let mut s = Server::spawn();
    s.initialize(&["utf-16"], Some(ws.path()), Value::Null);
    s.open(&n, text);
    assert_eq!(
        s.request("textDocument/inlayHint", params.clone()),
        json!([])
    );
    drop(s);

    let mut s = Server::spawn();
    s.initialize(
        &["utf-16"],
        Some(ws.path()),
        json!({"primer": {"inlayHints": {"enabled": true}}}),
    );
    s.open(&n, text);
    let hints = s.request("textDocument/inlayHint", params);
    assert_eq!(hints.as_array().unwrap().len(), 1, "{hints}");
    // After "😀 Idempotent": the emoji is 2 UTF-16 units, then a space and 10 letters.
    assert_eq!(hints[0]["position"], json!({"line": 0, "character": 13}));
    let label = hints[0]["label"].as_str().unwrap();
    assert!(label.starts_with("→ 1 › "), "{label}");
    assert!(label.chars().count() <= 32, "short: {label}");
}

#[test]
fn semantic_tokens_use_custom_types_or_standard_fallbacks() {
    let text = "An idempotent call.\nSee [[state]] and network\npartition.\n";
    let ws = workspace(&[("n.md", text)]);
    let n = ws.path().join("n.md");
    let params = json!({"textDocument": {"uri": file_uri(&n)}});

    let mut s = Server::spawn();
    let init = s.initialize(&["utf-16"], Some(ws.path()), Value::Null);
    let legend = &init["capabilities"]["semanticTokensProvider"]["legend"]["tokenTypes"];
    assert_eq!(
        legend,
        &json!(["primerTerm", "primerLink", "variable", "namespace"])
    );
    s.open(&n, text);
    let data = s.request("textDocument/semanticTokens/full", params.clone())["data"].clone();
    // (line delta, start delta, length, type, modifiers): "idempotent", "[[state]]", then the
    // term "network partition" split at the line break into one token per line.
    assert_eq!(
        data,
        json!([0, 3, 10, 2, 0, 1, 4, 9, 3, 0, 0, 14, 7, 2, 0, 1, 0, 9, 2, 0]),
        "fallback types"
    );
    drop(s);

    let mut s = Server::spawn();
    s.initialize(
        &["utf-16"],
        Some(ws.path()),
        json!({"primer": {"semanticTokens": {"customTypes": true}}}),
    );
    s.open(&n, text);
    let data = s.request("textDocument/semanticTokens/full", params.clone())["data"].clone();
    assert_eq!(
        data,
        json!([0, 3, 10, 0, 0, 1, 4, 9, 1, 0, 0, 14, 7, 0, 0, 1, 0, 9, 0, 0])
    );
    let ranged = s.request(
        "textDocument/semanticTokens/range",
        json!({"textDocument": {"uri": file_uri(&n)}, "range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 20}}}),
    );
    assert_eq!(
        ranged["data"],
        json!([1, 4, 9, 1, 0, 0, 14, 7, 0, 0, 1, 0, 9, 0, 0])
    );
}

#[test]
fn ticking_in_one_open_note_updates_the_hints_of_another() {
    let a_text = format!("- [ ] {STATE_1}\n");
    // b also has a broken link, so its first diagnostics are published and can be waited for.
    let b_text = format!("## Outcomes\n\n- [ ] {STATE_1}\n\nSee [[nope]].\n");
    let ws = workspace(&[("a.md", &a_text), ("b.md", &b_text)]);
    let (a, b) = (ws.path().join("a.md"), ws.path().join("b.md"));
    let mut s = Server::spawn();
    s.initialize(&["utf-16"], Some(ws.path()), Value::Null);
    s.open(&a, &a_text);
    s.open(&b, &b_text);
    // b's diagnostics on open (version 1), then a pause so nothing computed before the tick is
    // still on its way.
    let first = s
        .wait_for(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == file_uri(&b)
                && m["params"]["version"] == 1
        })
        .expect("b's diagnostics on open");
    assert_eq!(
        first["params"]["diagnostics"].as_array().unwrap().len(),
        1,
        "{first}"
    );
    std::thread::sleep(std::time::Duration::from_millis(500));
    // Tick the item in a, in the editor (unsaved): b's diagnostics are computed again.
    s.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": file_uri(&a), "version": 2},
               "contentChanges": [{"range": {"start": {"line": 0, "character": 3}, "end": {"line": 0, "character": 4}}, "text": "x"}]}),
    );
    let hint = s.wait_for(|m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == file_uri(&b)
            && m["params"]["diagnostics"]
                .as_array()
                .is_some_and(|d| d.iter().any(|d| d["code"] == "outcome-ticked-elsewhere"))
    });
    assert!(hint.is_some(), "b got no hint after a was ticked");
}

#[test]
fn the_client_is_told_when_outcome_counts_change() {
    let ws = workspace(&[("a.md", &ticked_note()), ("b.md", &unticked_note())]);
    let b = ws.path().join("b.md");
    let mut s = Server::spawn();
    s.initialize(&["utf-16"], Some(ws.path()), Value::Null);
    // Once the workspace is indexed: the counts it found.
    let told = s
        .wait_for(|m| m["method"] == "primer/outcomesChanged" && m["params"]["done"] == 1)
        .expect("told after indexing");
    assert!(told["params"]["total"].as_u64().unwrap() >= 20, "{told}");
    // Ticking an outcome in another note: told again, with one more done.
    s.open(&b, &unticked_note());
    s.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": file_uri(&b), "version": 2},
               "contentChanges": [{"range": {"start": {"line": 5, "character": 3}, "end": {"line": 5, "character": 4}}, "text": "x"}]}),
    );
    s.wait_for(|m| m["method"] == "primer/outcomesChanged" && m["params"]["done"] == 2)
        .expect("told after a tick");
}
