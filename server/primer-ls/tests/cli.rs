//! Command-line tests: the same analysis, no editor.

mod support;

use std::process::Command;

use serde_json::Value;
use support::{bin, repo, workspace};

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
    assert!(out.contains("primer-ls check"));
    let (_, out, _) = run(&["--version"], &dir);
    assert!(out.starts_with("primer-ls "));
}
