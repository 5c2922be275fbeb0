//! `primer-ls check`: lint notes (and with `--primer`, the primer itself).

use std::io::Write;
use std::sync::Arc;

use primer_analysis::{Problem, Severity, World};
use serde_json::json;

use super::{Fatal, Format, PrimerOption};
use crate::load::{line_col, shown};

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    pub primer: PrimerOption,
    /// How to print the problems.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// Notes or folders of notes (default: the current folder).
    #[arg(value_name = "PATH")]
    pub paths: Vec<String>,
}

pub fn check(args: &CheckArgs, out: &mut impl Write) -> Result<i32, Fatal> {
    let (world, warnings) = args.primer.notes(&args.paths)?;
    // The course text itself is linted when it is asked for by name.
    let primer_dir = args.primer.primer.as_deref();
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
    if primer_dir.is_some() {
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
    if args.format == Format::Json {
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
