//! Command-line tests: the same analysis, no editor.

mod support;

use std::process::Command;

use serde_json::Value;
use support::{bin, markdown_under, notes_repository, repo, workspace};

fn run(args: &[&str], dir: &std::path::Path) -> (i32, String, String) {
    let out = Command::new(bin())
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[test]
fn check_reports_broken_links_in_the_examples() {
    let (code, out, _) = run(&["check", "examples/notes"], &repo());
    assert_eq!(code, 1, "{out}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 1, "{out}");
    assert!(
        lines[0].starts_with("examples/notes/week2/caching-notes.md:12:")
            && lines[0].contains(": error: Broken link:")
            && lines[0].contains("Did you mean 'state#cache-invalidation'?"),
        "{out}"
    );
}

#[test]
fn check_json_output_and_clean_notes() {
    let (code, out, _) = run(&["check", "--format", "json", "examples/notes"], &repo());
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 1);
    assert_eq!(v[0]["severity"], "error");
    assert_eq!(v[0]["code"], "broken-link");
    assert_eq!(v[0]["line"], 12);
    assert_eq!(v[0]["fix"], "state#cache-invalidation");
    let ws = workspace(&[(
        "a.md",
        "Fine [[state]] and [[reliable-rpcs#idempotency]].\n",
    )]);
    let (code, out, _) = run(&["check", "."], ws.path());
    assert_eq!((code, out.as_str()), (0, ""));
}

#[test]
fn check_the_bundled_primer_as_a_primer() {
    let (code, out, err) = run(&["check", "--primer", "primer", "primer"], &repo());
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(out, "");
}

#[test]
fn check_a_primer_with_problems() {
    let primer = "+++\ntitle=\"1. One\"\n+++\n## Topic\n\nSee [[two]].\n\nWidget\n: A thing.\n\nWidget\n: Again.\n";
    let ws = workspace(&[("p/one.md", primer)]);
    let (code, out, _) = run(&["check", "--primer", "p", "p"], ws.path());
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(
            "p/one.md:6:7: error: Broken link: no primer section, heading or note is called 'two'"
        ),
        "{out}"
    );
    assert!(
        out.contains("p/one.md:11:1: warning: 'Widget' is already defined"),
        "{out}"
    );
    assert!(out.contains("has no learning outcomes"), "{out}");
    assert!(
        out.contains("Term 'Widget' links to no primer section"),
        "{out}"
    );
}

#[test]
fn bad_usage_and_missing_input_exit_2() {
    let dir = repo();
    let (code, _, err) = run(&["check", "--primer", "/no/such/folder", "."], &dir);
    assert_eq!(code, 2);
    assert!(
        err.contains("cannot read the primer folder /no/such/folder"),
        "{err}"
    );
    let empty = workspace(&[("notes.txt", "x")]);
    let (code, _, err) = run(&["check", "--primer", "."], empty.path());
    assert_eq!(code, 2);
    assert!(err.contains("has no Markdown sections"), "{err}");
    let (code, _, err) = run(&["check", "no-such-path"], &dir);
    assert_eq!(code, 2);
    assert!(
        err.contains("no-such-path: no such file or folder"),
        "{err}"
    );
    let (code, _, _) = run(&["check", "--format", "yaml"], &dir);
    assert_eq!(code, 2);
    let (code, _, _) = run(&["frobnicate"], &dir);
    assert_eq!(code, 2);
}

#[test]
fn invalid_utf8_is_a_warning_not_a_failure() {
    let ws = workspace(&[]);
    std::fs::write(ws.path().join("bad.md"), b"[[stat]] \xff\n").unwrap();
    let (code, out, err) = run(&["check", "."], ws.path());
    assert_eq!(code, 1, "{out}{err}");
    assert!(err.contains("bad.md: warning: is not valid UTF-8"), "{err}");
    assert!(out.contains("bad.md:1:3: error: Broken link"), "{out}");
}

#[test]
fn define_known_and_unknown_terms() {
    let dir = repo();
    let (code, out, _) = run(&["define", "network", "partitions"], &dir);
    assert_eq!(code, 0);
    assert!(out.starts_with("Network partition\n"), "{out}");
    assert!(
        out.contains("taught in: 2. State › Network Partition ([[state#network-partition]])"),
        "{out}"
    );
    let (code, out, err) = run(&["define", "netwrk", "partitin"], &dir);
    assert_eq!((code, out.as_str()), (1, ""));
    assert!(err.contains("Closest terms: Network partition"), "{err}");
}

#[test]
fn sections_terms_help_version() {
    let dir = repo();
    let (code, out, _) = run(&["sections"], &dir);
    assert_eq!(code, 0);
    assert!(out.lines().any(|l| l == "state\t2. State"), "{out}");
    assert!(
        out.lines().any(|l| l.starts_with("state#caching\t")),
        "{out}"
    );
    let (_, out, _) = run(&["terms"], &dir);
    assert!(out.lines().count() >= 150);
    assert!(
        out.lines()
            .any(|l| l == "Circuit breaker\treliable-rpcs" || l.starts_with("Circuit breaker\t")),
        "{out}"
    );
    let (code, out, _) = run(&["--help"], &dir);
    assert_eq!(code, 0);
    assert!(out.contains("check") && out.contains("outcomes") && out.contains("completions"));
    let (_, out, _) = run(&["--version"], &dir);
    assert!(out.starts_with("primer-ls "));
}

#[test]
fn every_subcommand_has_its_own_help_and_refuses_what_it_does_not_take() {
    let dir = repo();
    for (command, option) in [
        ("check", "--format"),
        ("define", "TERM"),
        ("sections", "--primer"),
        ("terms", "--primer"),
        ("outcomes", "--html"),
        ("completions", "fish"),
    ] {
        let (code, out, _) = run(&[command, "--help"], &dir);
        assert_eq!(code, 0, "{command} --help");
        assert!(
            out.contains(option),
            "{command} --help lacks {option}: {out}"
        );
        assert!(out.contains(&format!("primer-ls {command}")), "{out}");
    }
    // Unknown arguments and options are usage errors (exit 2), not silently ignored.
    for args in [
        &["sections", "extra"][..],
        &["terms", "--nope"],
        &["check", "--format", "xml"],
        &["define"],
        &["nonsense"],
        &["completions", "tcsh"],
    ] {
        let (code, _, err) = run(args, &dir);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains("error"), "{args:?}: {err}");
    }
}

#[test]
fn completion_scripts_for_three_shells() {
    let dir = repo();
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef primer-ls"),
        ("fish", "complete -c primer-ls"),
    ] {
        let (code, out, _) = run(&["completions", shell], &dir);
        assert_eq!(code, 0, "{shell}");
        assert!(out.contains(marker), "{shell}: {out}");
        assert!(
            out.contains("outcomes") && out.contains("--primer"),
            "{shell}"
        );
    }
}

const STATE_1: &str = "Explain how a cache's hit rate, working set and warmth determine the load on the database behind it, and why a cold cache can cause an outage.";

fn outcome_notes() -> tempfile::TempDir {
    workspace(&[
        ("a.md", &format!("# A\n\n- [x] {STATE_1}\n")),
        (
            "sub/b.md",
            "# B\n\n- [ ] compare modulo hashing and consistent hashing by calculating how many keys move when a server is added\n",
        ),
    ])
}

#[test]
fn outcomes_as_text_and_json() {
    let ws = outcome_notes();
    let (code, out, _) = run(&["outcomes", "--format", "json"], ws.path());
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).unwrap();
    let total = v["total"].as_u64().unwrap();
    assert_eq!(
        (v["done"].as_u64(), v["notes"].as_u64()),
        (Some(1), Some(2))
    );
    let state = v["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "state")
        .unwrap();
    assert_eq!(
        (state["done"].as_u64(), state["total"].as_u64()),
        (Some(1), Some(7))
    );
    let s1 = v["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == "state.1")
        .unwrap();
    assert_eq!(s1["ticked"][0]["file"], "a.md");
    assert_eq!(s1["ticked"][0]["line"], 3);
    let s3 = v["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == "state.3")
        .unwrap();
    assert_eq!(
        (s3["done"].clone(), s3["unticked"][0]["file"].clone()),
        (Value::Bool(false), "sub/b.md".into())
    );

    let (code, out, _) = run(&["outcomes"], ws.path());
    assert_eq!(code, 0);
    assert!(
        out.starts_with(&format!("Learning outcomes: 1/{total} done (2 notes)\n")),
        "{out}"
    );
    let state_row = out.lines().find(|l| l.starts_with("2. State ")).unwrap();
    assert!(
        state_row.ends_with("██░░░░░░░░░░░░░░░░░░  1/7"),
        "{state_row}"
    );
    let ticked = out.lines().find(|l| l.contains("[x] state.1")).unwrap();
    assert!(ticked.ends_with("cause an outage.  (a.md:3)"), "{ticked}");
    assert_eq!(out.matches("[x] ").count(), 1);
    assert_eq!(out.matches("[ ] ").count() as u64, total - 1);
}

#[test]
fn outcomes_as_a_self_contained_html_page() {
    let ws = outcome_notes();
    let (code, _, err) = run(&["outcomes", "--html", "report/progress.html"], ws.path());
    assert_eq!(code, 2, "the folder for the page must exist: {err}");
    assert!(err.contains("cannot write report/progress.html"), "{err}");
    std::fs::create_dir(ws.path().join("report")).unwrap();
    let (code, out, _) = run(&["outcomes", "--html", "report/progress.html"], ws.path());
    assert_eq!((code, out.as_str()), (0, ""));
    let page = std::fs::read_to_string(ws.path().join("report/progress.html")).unwrap();
    let (_, json, _) = run(&["outcomes", "--format", "json"], ws.path());
    let total = serde_json::from_str::<Value>(&json).unwrap()["total"]
        .as_u64()
        .unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains(&format!(
        "id=\"summary\" data-done=\"1\" data-total=\"{total}\">1 of {total} done, from 2 notes</p>"
    )));
    assert!(page.contains("<section data-section=\"state\" data-done=\"1\" data-total=\"7\">"));
    assert!(
        page.contains("<div class=\"fill\" style=\"width: 14%\">"),
        "1 of 7 is 14%"
    );
    assert_eq!(page.matches("<li class=\"done\"").count(), 1);
    assert_eq!(page.matches("<li class=\"todo\"").count() as u64, total - 1);
    // The ticked outcome links to the note, relative to the page; text is escaped.
    assert!(
        page.contains("ticked in <a href=\"../a.md\">a.md:3</a>"),
        "{page}"
    );
    assert!(page.contains("a cache&#39;s hit rate"));
    // Self-contained: no scripts, stylesheets, images or fonts from anywhere.
    for outside in [
        "<script", "<link", "src=", "http://", "https://", "@import", "url(",
    ] {
        assert!(
            !page.contains(outside),
            "the page refers outside: {outside}"
        );
    }
    let (code, out, _) = run(&["outcomes", "--help"], ws.path());
    assert!(code == 0 && out.contains("primer-ls outcomes"), "{out}");
}

/// The bundled primer is clean, and `check --primer` catches each kind of teaching mistake
/// planted in a copy of it: an entry taught under a broader heading than its own, a link whose
/// words name a term but go elsewhere, an alias that is a term of its own, and an abbreviation
/// defined twice (abbreviation list and glossary).
#[test]
fn check_catches_taught_in_links_aliases_and_double_definitions() {
    let dir = repo();
    let (code, out, _) = run(&["check", "--primer", "primer", "primer"], &dir);
    assert_eq!((code, out.as_str()), (0, ""), "the bundled primer is clean");
    let plants: [(&str, &str, &str, &str); 4] = [
        (
            "glossary.md",
            "Taught in [[distributed-locking-and-distributed-consensus#quorums]].",
            "Taught in [[distributed-locking-and-distributed-consensus#raft]].",
            "taught-elsewhere",
        ),
        (
            "state.md",
            "## State {#section-2-state .not-term}",
            "## State {#section-2-state .not-term}\n\nA [[state#sharding|routing proxy]] forwards requests.",
            "link-elsewhere",
        ),
        (
            "glossary.md",
            "Clock skew\n: Clock skew is",
            "Clock skew\n: Aliases: clock drift\n: Clock skew is",
            "duplicate-term",
        ),
        (
            "glossary.md",
            "Remote procedure call\n:",
            "Remote procedure call (RPC)\n:",
            "duplicate-term",
        ),
    ];
    for (file, from, to, code_wanted) in plants {
        let copy = tempfile::tempdir().unwrap();
        for entry in std::fs::read_dir(dir.join("primer")).unwrap() {
            let p = entry.unwrap().path();
            std::fs::copy(&p, copy.path().join(p.file_name().unwrap())).unwrap();
        }
        let target = copy.path().join(file);
        let text = std::fs::read_to_string(&target).unwrap();
        assert!(text.contains(from), "the plant's anchor is gone: {from}");
        std::fs::write(&target, text.replacen(from, to, 1)).unwrap();
        let p = copy.path().to_str().unwrap();
        let (_, out, _) = run(&["check", "--primer", p, p], &dir);
        assert!(
            out.contains(&format!("[{code_wanted}]")),
            "{code_wanted} not caught:\n{out}"
        );
    }
}

/// `primer-ls cohort` on a class of four (one folder each; dana has no checklist): the table,
/// the JSON and the page's structure; nothing under the class's folder is written.
#[test]
fn cohort_as_text_json_and_a_page() {
    let dir = repo();
    let class = dir.join("tests/fixtures/cohort");
    let before = snapshot(&class);
    let (code, out, _) = run(&["cohort", "tests/fixtures/cohort"], &dir);
    assert_eq!(code, 0);
    let rows: Vec<&str> = out.lines().skip(2).take(4).collect();
    expect_test::expect![[r#"
        alice    █░░░░░░░░░░░░░░░░░░░  3/35  (2 notes)
        bob      ░░░░░░░░░░░░░░░░░░░░  1/35  (1 note)
        chen     █░░░░░░░░░░░░░░░░░░░  2/35  (2 notes)
        dana     ░░░░░░░░░░░░░░░░░░░░  0/35  (1 note)"#]]
    .assert_eq(&rows.join("\n"));
    assert!(
        out.contains("Done by the fewest students:\n  0/4  intro.2"),
        "{out}"
    );

    let (code, out, _) = run(
        &["cohort", "--format", "json", "tests/fixtures/cohort"],
        &dir,
    );
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).unwrap();
    let names: Vec<&str> = v["students"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["alice", "bob", "chen", "dana"]);
    let alice = &v["students"][0];
    assert_eq!(
        (
            alice["done"].as_u64(),
            alice["total"].as_u64(),
            alice["notes"].as_u64()
        ),
        (Some(3), Some(35), Some(2))
    );
    let state = alice["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "state")
        .unwrap();
    assert_eq!(
        (state["done"].as_u64(), state["total"].as_u64()),
        (Some(2), Some(7))
    );
    let outcomes = v["outcomes"].as_array().unwrap();
    assert_eq!(outcomes.len(), 35);
    assert_eq!(outcomes[0]["id"], "intro.1", "primer order");
    let s1 = outcomes.iter().find(|o| o["id"] == "state.1").unwrap();
    assert_eq!(s1["done_by"], serde_json::json!(["alice", "bob", "chen"]));
    assert_eq!(s1["not_done_by"], serde_json::json!(["dana"]));
    assert_eq!(s1["section"], "state");

    let page_dir = tempfile::tempdir().unwrap();
    let page = page_dir.path().join("class.html");
    let (code, _, _) = run(
        &[
            "cohort",
            "--html",
            page.to_str().unwrap(),
            "tests/fixtures/cohort",
        ],
        &dir,
    );
    assert_eq!(code, 0);
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(!html.contains("<script"), "no scripts");
    assert!(!html.contains("https://"), "no network");
    assert_eq!(html.matches("<g class=\"cell\"").count(), 4 * 35);
    assert_eq!(html.matches("data-state=\"done\"").count(), 6);
    assert_eq!(html.matches("data-state=\"listed\"").count(), 2);
    assert!(html
        .contains("<div class=\"row\" data-section=\"state\" data-done=\"4\" data-cells=\"28\">"));
    assert!(
        html.contains(">week1.md</a>: reliable-rpcs.1, state.1</li>"),
        "links to the notes"
    );
    // The page may not go inside the class's folder, and nothing there was written.
    let inside = class.join("page.html");
    let (code, _, err) = run(
        &[
            "cohort",
            "--html",
            inside.to_str().unwrap(),
            "tests/fixtures/cohort",
        ],
        &dir,
    );
    assert_eq!(code, 2, "{err}");
    assert_eq!(snapshot(&class), before);
}

fn snapshot(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut out = vec![];
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.display().to_string(), std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// A notes repository of the usual shape (READMEs at every level, Hugo `_index.md`, folder links,
/// a site-absolute link, images, a PDF, bare URLs): `check` gives every link the same verdict
/// whether it checks the whole tree, one folder or one file, and the only error is the one
/// truly broken link (a missing image).
#[test]
fn link_verdicts_do_not_depend_on_the_scope() {
    let repo_dir = notes_repository();
    let root = repo_dir.path();
    let verdicts = |scope: &str| -> Vec<String> {
        let (_, out, _) = run(&["check", "--format", "json", scope], root);
        let v: Value = serde_json::from_str(&out).unwrap();
        let mut found: Vec<String> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                let file = p["file"].as_str().unwrap();
                let file = file
                    .rsplit_once(root.to_str().unwrap())
                    .map_or(file, |(_, f)| f);
                let (line, severity) = (&p["line"], &p["severity"]);
                format!(
                    "{}: {line}: {severity}: {}",
                    file.trim_start_matches('/'),
                    p["message"]
                )
            })
            .collect();
        found.sort();
        found
    };
    let whole = verdicts(".");
    let errors: Vec<&String> = whole.iter().filter(|v| v.contains("error")).collect();
    assert_eq!(errors.len(), 1, "{whole:?}");
    assert!(
        errors[0].starts_with("README.md: ") && errors[0].contains("img/nope.png"),
        "{whole:?}"
    );
    // Every folder and every file alone: exactly what the whole tree says about its files.
    let files = markdown_under(root);
    let mut scopes: Vec<String> = files
        .iter()
        .flat_map(|f| f.ancestors().skip(1))
        .filter(|d| d.starts_with(root) && *d != root)
        .chain(files.iter().map(|f| f.as_path()))
        .map(|p| p.strip_prefix(root).unwrap().display().to_string())
        .collect();
    scopes.sort();
    scopes.dedup();
    assert!(scopes.len() >= 12, "{scopes:?}");
    for scope in &scopes {
        let expected: Vec<String> = whole
            .iter()
            .filter(|v| v.starts_with(&format!("{scope}: ")) || v.starts_with(&format!("{scope}/")))
            .cloned()
            .collect();
        assert_eq!(verdicts(scope), expected, "{scope}");
    }
    // Terms are never found inside the bare URLs.
    let (_, out, _) = run(&["check", "README.md"], root);
    assert!(!out.contains("nginx"), "{out}");
}

#[test]
fn check_follows_the_workspace_config_from_any_scope() {
    let ws = workspace(&[
        (
            ".primer-ls.toml",
            "primer = \"course\"\nexclude = [\"drafts/\"]\ncolour = \"red\"\n",
        ),
        (
            "course/widgets.md",
            "+++\ntitle=\"1. Widgets\"\n+++\n# Widgets\n\nWidget\n: A small part.\n",
        ),
        (
            "notes/week1.md",
            "See [[widgets]] and [the part](../course/widgets.md#widgets).\n",
        ),
        ("drafts/wip.md", "[gone](nowhere.md)\n"),
    ]);
    let root = ws.path();
    for scope in [&[][..], &["notes"][..], &["notes/week1.md"][..]] {
        let mut args = vec!["check"];
        args.extend_from_slice(scope);
        let (code, out, err) = run(&args, root);
        // The course's section resolves, the excluded draft is not checked, and the key the
        // file does not know is named.
        assert_eq!(code, 0, "{scope:?}: {out}{err}");
        assert!(
            err.contains("unknown key `colour` (the keys are primer, exclude, not-terms)"),
            "{scope:?}: {err}"
        );
    }
    // Named on the command line, the draft is checked (a file given is taken as it is).
    let (code, out, _) = run(&["check", "drafts/wip.md"], root);
    assert_eq!(code, 1, "{out}");
    // Without the file the draft counts (and the course folder is notes like any other).
    std::fs::remove_file(root.join(".primer-ls.toml")).unwrap();
    let (code, out, _) = run(&["check"], root);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.starts_with("drafts/wip.md:1:8: error: Broken link"),
        "{out}"
    );
}
