//! `primer-ls cohort`: a class's learning-outcome progress at a glance. `DIR` holds one folder
//! per student (the folder's name is the student's); each is analysed as that student's
//! workspace, by the same rules as `primer-ls outcomes`. Nothing under `DIR` is written.

use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use primer_analysis::outcomes::{progress, Progress};
use primer_analysis::Primer;
use serde_json::json;

use super::{Fatal, Format, PrimerOption};
use crate::html::{cohort_page, Cohort, StudentRow};
use crate::load::load_notes;

#[derive(clap::Args, Debug)]
pub struct CohortArgs {
    #[command(flatten)]
    pub primer: PrimerOption,
    /// How to print the cohort's progress.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// Also write one self-contained HTML page (a heatmap of students × outcomes) to FILE,
    /// outside DIR.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// A folder with one folder of notes per student.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
}

pub fn cohort(primer: Arc<Primer>, args: &CohortArgs, out: &mut impl Write) -> Result<i32, Fatal> {
    let dir = args
        .dir
        .canonicalize()
        .map_err(|e| Fatal(format!("{}: {e}", args.dir.display())))?;
    if let Some(page) = &args.html {
        let parent = page.parent().filter(|p| !p.as_os_str().is_empty());
        let parent = parent.unwrap_or_else(|| Path::new(".")).canonicalize().ok();
        if parent.is_some_and(|p| p.starts_with(&dir)) {
            return Err(Fatal(format!(
                "--html {}: the page would be written inside {}, which is the students' folder",
                page.display(),
                args.dir.display()
            )));
        }
    }
    let mut folders: Vec<(String, PathBuf)> = std::fs::read_dir(&dir)
        .map_err(|e| Fatal(format!("{}: {e}", args.dir.display())))?
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| (e.file_name().to_string_lossy().to_string(), e.path()))
        .filter(|(name, _)| !name.starts_with('.'))
        .collect();
    folders.sort();
    let primer_dir = args.primer.primer.as_deref();
    let mut students = vec![];
    for (name, path) in folders {
        if let Err(e) = std::fs::read_dir(&path) {
            eprintln!("primer-ls: {name}: the folder cannot be read ({e}); left out");
            continue;
        }
        let key = crate::disk::path_string(&path);
        let (world, _) = match load_notes(primer.clone(), &[key], primer_dir, None) {
            Ok(w) => w,
            Err(e) => {
                eprintln!("primer-ls: {name}: {}; left out", e.0);
                continue;
            }
        };
        let progress = progress(&world);
        students.push(StudentRow {
            name,
            notes: world.note_count(),
            progress,
        });
    }
    let cohort = Cohort {
        primer: primer.clone(),
        students,
    };
    if let Some(page) = &args.html {
        std::fs::write(page, cohort_page(&cohort, page))
            .map_err(|e| Fatal(format!("cannot write {}: {e}", page.display())))?;
        eprintln!("wrote {}", page.display());
        if args.format != Format::Json {
            return Ok(0);
        }
    }
    let text = match args.format {
        Format::Json => serde_json::to_string_pretty(&json_report(&cohort)).unwrap_or_default(),
        Format::Text => text_report(&cohort),
    };
    let _ = writeln!(out, "{text}");
    Ok(0)
}

fn counts(progress: &Progress) -> (usize, usize) {
    progress.count(|_| true)
}

fn text_report(c: &Cohort) -> String {
    let width = c
        .students
        .iter()
        .map(|s| s.name.chars().count())
        .max()
        .unwrap_or(7)
        .max(7);
    let mut s = format!(
        "Cohort: {} student{}, {} outcomes\n\n",
        c.students.len(),
        if c.students.len() == 1 { "" } else { "s" },
        c.primer.outcomes.len()
    );
    for st in &c.students {
        let (done, total) = counts(&st.progress);
        let filled = (done * 20).checked_div(total).unwrap_or(0);
        let _ = writeln!(
            s,
            "{:<width$}  {}{}  {done}/{total}  ({} note{})",
            st.name,
            "█".repeat(filled),
            "░".repeat(20 - filled),
            st.notes,
            if st.notes == 1 { "" } else { "s" }
        );
    }
    let mut by_done: Vec<(usize, usize)> = (0..c.primer.outcomes.len())
        .map(|o| (c.done_by(o).len(), o))
        .collect();
    by_done.sort();
    let _ = writeln!(s, "\nDone by the fewest students:");
    for (n, o) in by_done.iter().take(10) {
        let outcome = &c.primer.outcomes[*o];
        let _ = writeln!(
            s,
            "  {n}/{}  {}  {}",
            c.students.len(),
            outcome.id,
            outcome.text
        );
    }
    s.trim_end().to_string()
}

fn json_report(c: &Cohort) -> serde_json::Value {
    let primer = &c.primer;
    let students: Vec<_> = c
        .students
        .iter()
        .map(|st| {
            let (done, total) = counts(&st.progress);
            let sections: Vec<_> = st
                .progress
                .sections(primer)
                .iter()
                .map(|r| {
                    json!({"id": primer.sections[r.section].id, "done": r.done, "total": r.total})
                })
                .collect();
            json!({"name": st.name, "done": done, "total": total, "sections": sections, "notes": st.notes})
        })
        .collect();
    let outcomes: Vec<_> = primer
        .outcomes
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let done_by = c.done_by(i);
            let not_done_by: Vec<&str> = c
                .students
                .iter()
                .map(|s| s.name.as_str())
                .filter(|n| !done_by.contains(n))
                .collect();
            json!({
                "id": o.id,
                "text": o.text,
                "section": primer.sections[o.section].id,
                "done_by": done_by,
                "not_done_by": not_done_by,
            })
        })
        .collect();
    let title = primer
        .sections
        .first()
        .map(|s| s.title.clone())
        .unwrap_or_default();
    json!({"primer": title, "students": students, "outcomes": outcomes})
}
