//! The command line: `check`, `define`, `sections`, `terms`, using the same analysis as the server.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use primer_analysis::{Encoding, Primer, Problem, Severity, World};
use serde_json::json;

use crate::primer_source;

pub const USAGE: &str = "\
primer-ls: a language server that makes Markdown course notes aware of the course text (the primer)

Usage:
  primer-ls [--stdio]                      serve the Language Server Protocol on stdin/stdout
  primer-ls check [--primer DIR] [--format text|json] [PATH...]
                                           lint notes (default: the current folder); with --primer,
                                           lint that primer too. Exit 1 when errors were found.
  primer-ls define [--primer DIR] TERM     print a term's definition and where it is defined
  primer-ls sections [--primer DIR]        list the primer's sections and headings
  primer-ls terms [--primer DIR]           list the primer's glossary terms
  primer-ls outcomes [--primer DIR] [--format text|json] [--html FILE] [PATH...]
                                           learning-outcome progress of the notes in PATH
                                           (default: the current folder), per section; --html
                                           writes a self-contained page
  primer-ls --help | --version

Without --primer the bundled Distributed Software Systems Architecture primer is used.
Exit codes: 0 fine, 1 problems found (check) or unknown term (define), 2 bad usage or unreadable input.";

/// A usage or input error: printed, exit code 2.
pub struct Fatal(pub String);

pub(crate) struct Args {
    pub primer: Option<PathBuf>,
    pub json: bool,
    pub html: Option<PathBuf>,
    pub help: bool,
    pub rest: Vec<String>,
}

fn parse_args(args: &[String]) -> Result<Args, Fatal> {
    let mut out = Args {
        primer: None,
        json: false,
        html: None,
        help: false,
        rest: vec![],
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--primer" => {
                out.primer = Some(PathBuf::from(
                    it.next()
                        .ok_or_else(|| Fatal("--primer needs a folder".into()))?,
                ))
            }
            "--format" => match it.next().map(String::as_str) {
                Some("json") => out.json = true,
                Some("text") => out.json = false,
                other => {
                    return Err(Fatal(format!(
                        "--format must be text or json, not {}",
                        other.unwrap_or("nothing")
                    )))
                }
            },
            "--html" => {
                out.html = Some(PathBuf::from(
                    it.next()
                        .ok_or_else(|| Fatal("--html needs a file name".into()))?,
                ))
            }
            "--help" | "-h" => out.help = true,
            s if s.starts_with("--primer=") => {
                out.primer = Some(PathBuf::from(&s["--primer=".len()..]))
            }
            s if s.starts_with("--") => return Err(Fatal(format!("unknown option {s}"))),
            s => out.rest.push(s.to_string()),
        }
    }
    Ok(out)
}

fn load_primer(dir: Option<&Path>) -> Result<Arc<Primer>, Fatal> {
    match dir {
        Some(d) => primer_source::from_folder(d).map_err(|e| Fatal(e.0)),
        None => Ok(primer_source::bundled(false)),
    }
}

/// Runs a subcommand; returns the exit code.
pub fn run(command: &str, args: &[String]) -> Result<i32, Fatal> {
    let args = parse_args(args)?;
    if args.help {
        println!("{USAGE}");
        return Ok(0);
    }
    let primer = load_primer(args.primer.as_deref())?;
    let mut out = std::io::stdout().lock();
    match command {
        "check" => check(primer, &args, &mut out),
        "define" => define(&primer, &args, &mut out),
        "outcomes" => crate::report::outcomes(primer, &args, &mut out),
        "sections" => {
            for (s, section) in primer.sections.iter().enumerate() {
                let _ = writeln!(out, "{}\t{}", section.id, section.title);
                for h in &primer.doc_of(s).outline.headings {
                    let _ = writeln!(
                        out,
                        "{}#{}\t{}{}",
                        section.id,
                        h.id,
                        "  ".repeat(h.level as usize),
                        h.text
                    );
                }
            }
            Ok(0)
        }
        "terms" => {
            let mut names: Vec<(String, String)> = primer
                .terms
                .iter()
                .map(|t| (t.names[0].clone(), primer.sections[t.section].id.clone()))
                .collect();
            names.sort_by_key(|(n, _)| n.to_lowercase());
            for (n, s) in names {
                let _ = writeln!(out, "{n}\t{s}");
            }
            Ok(0)
        }
        _ => Err(Fatal(format!("unknown command '{command}'\n\n{USAGE}"))),
    }
}

/// The notes under the command's paths (default: the current folder), analysed, and the
/// warnings about files that could not be read well.
pub(crate) fn load_notes(
    primer: Arc<Primer>,
    args: &Args,
) -> Result<(World, Vec<crate::scan::FileWarning>), Fatal> {
    let paths: Vec<PathBuf> = if args.rest.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.rest.iter().map(PathBuf::from).collect()
    };
    for p in &paths {
        if !p.exists() {
            return Err(Fatal(format!("{}: no such file or folder", p.display())));
        }
    }
    let abs: Vec<PathBuf> = paths
        .iter()
        .map(|p| p.canonicalize().unwrap_or_else(|_| p.clone()))
        .collect();
    let primer_dir = args.primer.as_ref().and_then(|p| p.canonicalize().ok());
    let (files, mut warnings) = crate::scan::markdown_files(&abs, primer_dir.as_deref());
    let (docs, more) = crate::scan::analyse(&files, &primer);
    warnings.extend(more);
    let mut world = World::new(primer);
    world.set_roots(
        abs.iter()
            .filter(|p| p.is_dir())
            .map(|p| primer_source::path_string(p))
            .collect(),
    );
    for d in docs {
        world.set_note(d);
    }
    Ok((world, warnings))
}

/// A path as the user would like to read it: relative to the current folder when inside it.
pub(crate) fn shown(p: &str) -> String {
    match std::env::current_dir() {
        Ok(c) => Path::new(p)
            .strip_prefix(&c)
            .map(primer_source::path_string)
            .unwrap_or_else(|_| p.to_string()),
        Err(_) => p.to_string(),
    }
}

fn check(primer: Arc<Primer>, args: &Args, out: &mut impl Write) -> Result<i32, Fatal> {
    let (world, warnings) = load_notes(primer, args)?;
    let mut problems: Vec<Problem> = vec![];
    let mut paths: Vec<Arc<str>> = world.notes().map(|d| d.path.clone()).collect();
    paths.sort();
    {
        use rayon::prelude::*;
        let found: Vec<Vec<Problem>> = paths
            .par_iter()
            .map(|p| primer_analysis::ide::diagnostics(&world, p))
            .collect();
        problems.extend(found.into_iter().flatten());
    }
    if args.primer.is_some() {
        problems.extend(primer_analysis::diagnostics::primer_problems(&world));
    }
    let mut unreadable = false;
    for w in &warnings {
        unreadable |= w.message.starts_with("cannot");
        eprintln!("{}: warning: {}", shown(&w.path), w.message);
    }
    let errors = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    if args.json {
        let items: Vec<_> = problems
            .iter()
            .map(|p| {
                let (start, end) = line_cols(&world, p);
                json!({
                    "file": shown(&p.path), "line": start.0, "column": start.1, "endLine": end.0, "endColumn": end.1,
                    "severity": p.severity.as_str(), "code": p.code, "message": p.message, "fix": p.fix.as_ref().map(|f| &f.text),
                })
            })
            .collect();
        let _ = writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&items).unwrap_or_default()
        );
    } else {
        for p in &problems {
            let (start, _) = line_cols(&world, p);
            let _ = writeln!(
                out,
                "{}:{}:{}: {}: {} [{}]",
                shown(&p.path),
                start.0,
                start.1,
                p.severity.as_str(),
                p.message,
                p.code
            );
        }
        let files_checked = world.note_count();
        eprintln!(
            "checked {files_checked} note(s): {errors} error(s), {} other problem(s)",
            problems.len() - errors
        );
    }
    Ok(if unreadable {
        2
    } else if errors > 0 {
        1
    } else {
        0
    })
}

/// 1-based (line, column) of a problem's start and end; columns count characters.
fn line_cols(world: &World, p: &Problem) -> ((u32, u32), (u32, u32)) {
    let start = line_col(world, &p.path, p.range.start);
    let end = line_col(world, &p.path, p.range.end);
    (start, end)
}

/// 1-based (line, column) of an offset in a file; columns count characters.
pub(crate) fn line_col(world: &World, path: &str, offset: usize) -> (u32, u32) {
    let Some(doc) = world.doc(path) else {
        return (1, 1);
    };
    let lc = doc.line_index.line_col(&doc.text, offset, Encoding::Utf32);
    (lc.line + 1, lc.col + 1)
}

fn define(primer: &Primer, args: &Args, out: &mut impl Write) -> Result<i32, Fatal> {
    if args.rest.is_empty() {
        return Err(Fatal("define needs a TERM".into()));
    }
    let wanted = args.rest.join(" ");
    let Some(t) = primer
        .term_by_name(&wanted)
        .or_else(|| singular_lookup(primer, &wanted))
    else {
        let all = primer
            .terms
            .iter()
            .flat_map(|t| t.names.iter().map(String::as_str));
        let mut scored: Vec<(usize, &str)> = all
            .map(|n| {
                (
                    primer_analysis::slug::edit_distance(&wanted.to_lowercase(), &n.to_lowercase()),
                    n,
                )
            })
            .collect();
        scored.sort();
        let closest: Vec<&str> = scored.iter().take(5).map(|(_, n)| *n).collect();
        eprintln!(
            "primer-ls: unknown term '{wanted}'. Closest terms: {}",
            closest.join(", ")
        );
        return Ok(1);
    };
    let term = &primer.terms[t];
    let doc = primer.doc_of(term.section);
    let lc = doc
        .line_index
        .line_col(&doc.text, term.range.start, Encoding::Utf32);
    let _ = writeln!(out, "{}", term.display);
    if term.names.len() > 1 {
        let _ = writeln!(out, "also: {}", term.names[1..].join(", "));
    }
    let _ = writeln!(out, "\n{}\n", term.definition.trim());
    if let Some((s, h)) = term.taught_in {
        let _ = writeln!(
            out,
            "taught in: {} ([[{}]])",
            primer.place_title(s, h),
            primer.place_link(s, h)
        );
    }
    let _ = writeln!(
        out,
        "defined in: {} ({}:{}:{})",
        primer.sections[term.section].title,
        doc.path,
        lc.line + 1,
        lc.col + 1
    );
    Ok(0)
}

fn singular_lookup(primer: &Primer, wanted: &str) -> Option<usize> {
    let last = wanted.rsplit(' ').next()?;
    let single = primer_analysis::terms::singular(last)?;
    primer.term_by_name(&format!("{}{single}", &wanted[..wanted.len() - last.len()]))
}
