//! `primer-ls outcomes`: learning-outcome progress of a folder of notes, as a terminal table, as
//! JSON, or as a self-contained HTML page.

use std::fmt::Write as _;
use std::io::Write;

use primer_analysis::outcomes::{progress, Progress};
use primer_analysis::{FileRange, World};
use serde_json::json;

use super::{Fatal, Format, PrimerOption};

#[derive(clap::Args, Debug)]
pub struct OutcomesArgs {
    #[command(flatten)]
    pub primer: PrimerOption,
    /// How to print the progress.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// Also write one self-contained HTML page (no scripts, no network) to FILE.
    #[arg(long, value_name = "FILE")]
    pub html: Option<std::path::PathBuf>,
    /// Notes or folders of notes (default: the current folder).
    #[arg(value_name = "PATH")]
    pub paths: Vec<String>,
}
use crate::load::{line_col, place, shown};

pub fn outcomes(args: &OutcomesArgs, out: &mut impl Write) -> Result<i32, Fatal> {
    let (world, warnings) = args.primer.notes(&args.paths)?;
    for w in &warnings {
        eprintln!("{}: warning: {}", shown(&w.path), w.message);
    }
    let progress = progress(&world);
    if let Some(file) = &args.html {
        let page = crate::html::outcomes_page(&world, &progress, file);
        std::fs::write(file, page)
            .map_err(|e| Fatal(format!("cannot write {}: {e}", file.display())))?;
        eprintln!("wrote {}", file.display());
        if args.format != Format::Json {
            return Ok(0);
        }
    }
    let text = if args.format == Format::Json {
        serde_json::to_string_pretty(&json_report(&world, &progress)).unwrap_or_default()
    } else {
        text_report(&world, &progress)
    };
    let _ = writeln!(out, "{text}");
    Ok(0)
}

fn bar(done: usize, total: usize, width: usize) -> String {
    let filled = (done * width).checked_div(total).unwrap_or(0);
    format!("{}{}", "█".repeat(filled), "░".repeat(width - filled))
}

fn text_report(world: &World, progress: &Progress) -> String {
    let primer = &world.primer;
    let (done, total) = progress.count(|_| true);
    let n = world.note_count();
    let mut s = format!(
        "Learning outcomes: {done}/{total} done ({n} note{})\n\n",
        if n == 1 { "" } else { "s" }
    );
    let id_width = primer
        .outcomes
        .iter()
        .map(|o| o.id.chars().count())
        .max()
        .unwrap_or(0);
    let rows = progress.sections(primer);
    let width = rows
        .iter()
        .map(|r| primer.sections[r.section].title.chars().count())
        .max()
        .unwrap_or(0);
    for r in &rows {
        let title = &primer.sections[r.section].title;
        let pad = width - title.chars().count();
        let _ = writeln!(
            s,
            "{title}{}  {}  {}/{}",
            " ".repeat(pad),
            bar(r.done, r.total, 20),
            r.done,
            r.total
        );
    }
    for r in &rows {
        let _ = writeln!(s, "\n{}", primer.sections[r.section].title);
        for (i, o) in primer.outcomes.iter().enumerate() {
            if o.section != r.section {
                continue;
            }
            let status = &progress.outcomes[i];
            let mark = if status.done() { "[x]" } else { "[ ]" };
            let _ = write!(s, "  {mark} {:<id_width$}  {}", o.id, o.text);
            if let Some(first) = status.ticked.first() {
                let _ = write!(s, "  ({})", place(world, first));
            }
            s.push('\n');
        }
    }
    s.trim_end().to_string()
}

fn json_report(world: &World, progress: &Progress) -> serde_json::Value {
    let primer = &world.primer;
    let (done, total) = progress.count(|_| true);
    let places = |v: &[FileRange]| -> Vec<serde_json::Value> {
        v.iter()
            .map(|at| {
                let (line, column) = line_col(world, &at.path, at.range.start);
                json!({"file": shown(&at.path), "line": line, "column": column})
            })
            .collect()
    };
    let sections: Vec<_> = progress
        .sections(primer)
        .iter()
        .map(|r| {
            let s = &primer.sections[r.section];
            json!({"id": s.id, "title": s.title, "done": r.done, "total": r.total})
        })
        .collect();
    let outcomes: Vec<_> = primer
        .outcomes
        .iter()
        .zip(&progress.outcomes)
        .map(|(o, status)| {
            json!({
                "id": o.id,
                "text": o.text,
                "section": primer.sections[o.section].id,
                "sectionTitle": primer.sections[o.section].title,
                "done": status.done(),
                "ticked": places(&status.ticked),
                "unticked": places(&status.unticked),
            })
        })
        .collect();
    json!({"done": done, "total": total, "notes": world.note_count(), "sections": sections, "outcomes": outcomes})
}
