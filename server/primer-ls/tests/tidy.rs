//! Checks of the code's own structure, read from the source (in the manner of rust-analyzer's
//! tidy tests): the analysis core's layers point one way, no feature imports another, no module
//! circles in the server crate, the core names no protocol crate, and no source file outside the
//! tests is longer than 800 lines.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The analysis crate's layers, in order. A module may import modules of earlier layers, and of
/// its own layer only those listed before it (features: none at all).
const LAYERS: &[(&str, &[&str])] = &[
    (
        "base",
        &[
            "bytes",
            "text",
            "source",
            "edits",
            "problem",
            "slug",
            "fuzzy",
            "line_index",
        ],
    ),
    (
        "model",
        &[
            "markdown",
            "terms",
            "outcome_index",
            "checklist",
            "doc",
            "definitions",
            "primer",
            "note",
            "reparse",
            "world",
        ],
    ),
    ("shared", &["render"]),
    (
        "feature",
        &[
            "hover",
            "goto",
            "references",
            "completion",
            "symbols",
            "diagnostics",
            "code_actions",
            "outcomes",
            "decorations",
        ],
    ),
    ("entry", &["ide"]),
];

/// Test-only modules of the analysis crate, free to use anything.
const TEST_MODULES: &[&str] = &["tests", "fixture"];

fn server_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every `.rs` file under `dir`, with its top-level module name (`outcomes/hints.rs` → `outcomes`).
fn modules(dir: &Path) -> Vec<(String, PathBuf)> {
    let mut out = vec![];
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let rel = p.strip_prefix(dir).unwrap();
                let first = rel.components().next().unwrap().as_os_str();
                let name = first.to_string_lossy().trim_end_matches(".rs").to_string();
                out.push((name, p));
            }
        }
    }
    out.sort();
    out
}

/// The source without comments (doc links to other modules are not imports).
fn code_of(path: &Path) -> String {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| match l.find("//") {
            Some(i) if !l[..i].contains('"') => &l[..i],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn ident_at(s: &str) -> &str {
    let end = s
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    &s[..end]
}

/// The first path segment of every `prefix::` path in `code`, including each entry of a
/// `prefix::{a, b::c}` group.
fn first_segments(code: &str, prefix: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let needle = format!("{prefix}::");
    let mut at = 0;
    while let Some(i) = code[at..].find(&needle) {
        let start = at + i;
        at = start + needle.len();
        let before = code[..start].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        let rest = &code[at..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 1;
            let mut entry_start = true;
            for (k, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    ',' if depth == 1 => {
                        entry_start = true;
                        continue;
                    }
                    c if c.is_whitespace() => continue,
                    _ => {}
                }
                if entry_start && depth == 1 {
                    let id = ident_at(&group[k..]);
                    if !id.is_empty() {
                        out.insert(id.to_string());
                    }
                    entry_start = false;
                }
            }
        } else {
            let id = ident_at(rest);
            if !id.is_empty() {
                out.insert(id.to_string());
            }
        }
    }
    out
}

#[test]
fn analysis_layers_point_one_way() {
    let src = server_dir().join("analysis/src");
    let mut position: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for (layer, (_, names)) in LAYERS.iter().enumerate() {
        for (k, name) in names.iter().enumerate() {
            position.insert(name, (layer, k));
        }
    }
    let feature = LAYERS.iter().position(|(l, _)| *l == "feature").unwrap();
    let mut errors = vec![];
    for (module, path) in modules(&src) {
        if module == "lib" || TEST_MODULES.contains(&module.as_str()) {
            continue;
        }
        let Some(&(layer, k)) = position.get(module.as_str()) else {
            errors.push(format!(
                "{module}: not in any layer (add it to LAYERS in tidy.rs and to lib.rs's map)"
            ));
            continue;
        };
        let shown = path.strip_prefix(&src).unwrap().display().to_string();
        for used in first_segments(&code_of(&path), "crate") {
            if used == module {
                continue;
            }
            let Some(&(l2, k2)) = position.get(used.as_str()) else {
                errors.push(format!(
                    "{shown}: `crate::{used}` is not a module; import it from the module that defines it"
                ));
                continue;
            };
            let allowed = l2 < layer || (l2 == layer && layer != feature && k2 < k);
            if !allowed {
                let why = if l2 == layer && layer == feature {
                    "a feature imports another feature; move the shared part down a layer"
                } else {
                    "an import against the direction of the layers"
                };
                errors.push(format!("{shown}: imports `{used}`: {why}"));
            }
        }
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

#[test]
fn the_core_knows_no_protocol() {
    let src = server_dir().join("analysis/src");
    let manifest = std::fs::read_to_string(server_dir().join("analysis/Cargo.toml")).unwrap();
    let mut errors = vec![];
    for name in ["tower-lsp", "lsp-types", "serde_json", "tokio"] {
        if manifest.contains(name) {
            errors.push(format!("analysis/Cargo.toml depends on {name}"));
        }
    }
    for (_, path) in modules(&src) {
        let code = code_of(&path);
        for name in ["tower_lsp", "lsp_types", "serde_json", "tokio"] {
            if code.contains(&format!("{name}::")) {
                errors.push(format!("{}: uses {name}", path.display()));
            }
        }
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

/// A cycle among `graph`'s nodes, if there is one.
fn cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|n| n == node) {
            let mut c = path[i..].to_vec();
            c.push(node.to_string());
            return Some(c);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(c) = visit(next, graph, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        if let Some(c) = visit(node, graph, &mut vec![], &mut done) {
            return Some(c);
        }
    }
    None
}

/// The import graph among the files directly in `dir` (and their folders), by `prefix::` paths.
fn graph_of(dir: &Path, prefix: &str) -> BTreeMap<String, BTreeSet<String>> {
    let all = modules(dir);
    let names: BTreeSet<String> = all.iter().map(|(n, _)| n.clone()).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, path) in &all {
        let edges = graph.entry(module.clone()).or_default();
        for used in first_segments(&code_of(path), prefix) {
            if &used != module && names.contains(&used) {
                edges.insert(used);
            }
        }
    }
    graph
}

#[test]
fn the_server_crate_has_no_module_circles() {
    let src = server_dir().join("primer-ls/src");
    let mut errors = vec![];
    let mut top = graph_of(&src, "crate");
    top.remove("main");
    if let Some(c) = cycle(&top) {
        errors.push(format!("modules import each other: {}", c.join(" → ")));
    }
    for sub in ["lsp", "cli", "html"] {
        // Inside a folder module, siblings are reached through `super::` (from files in the folder).
        let dir = src.join(sub);
        let mut graph = graph_of(&dir, "super");
        graph.remove("mod");
        for edges in graph.values_mut() {
            edges.remove("mod");
        }
        if let Some(c) = cycle(&graph) {
            errors.push(format!(
                "{sub}/: modules import each other: {}",
                c.join(" → ")
            ));
        }
    }
    // Subcommands share what they need through `load` or `html`, never each other.
    let cli = graph_of(&src.join("cli"), "super");
    for (module, edges) in &cli {
        if module != "mod" && edges.iter().any(|e| e != "mod") {
            errors.push(format!(
                "cli/{module}.rs imports another subcommand: {edges:?}"
            ));
        }
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

#[test]
fn no_source_file_is_over_800_lines() {
    let mut errors = vec![];
    for krate in ["analysis/src", "transport/src", "primer-ls/src"] {
        for (module, path) in modules(&server_dir().join(krate)) {
            if TEST_MODULES.contains(&module.as_str()) {
                continue;
            }
            let lines = std::fs::read_to_string(&path).unwrap().lines().count();
            if lines > 800 {
                errors.push(format!("{}: {lines} lines", path.display()));
            }
        }
    }
    assert!(
        errors.is_empty(),
        "split these files:\n{}",
        errors.join("\n")
    );
}

#[test]
fn the_checks_see_imports() {
    // The import reader itself: groups, nested groups, paths in expressions, comments.
    let code =
        "use crate::a::X;\nuse crate::{b, c::{D, E}, d};\nlet x = crate::e::f(y); // crate::g\n";
    let found = first_segments(&code_of_str(code), "crate");
    let want: BTreeSet<String> = ["a", "b", "c", "d", "e"].map(String::from).into();
    assert_eq!(found, want);
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    g.entry("x".into()).or_default().insert("y".into());
    g.entry("y".into()).or_default().insert("x".into());
    assert!(cycle(&g).is_some());
    g.get_mut("y").unwrap().clear();
    assert!(cycle(&g).is_none());
}

fn code_of_str(s: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("x.rs");
    std::fs::write(&p, s).unwrap();
    code_of(&p)
}
