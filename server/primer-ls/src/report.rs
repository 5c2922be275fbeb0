//! `primer-ls outcomes`: learning-outcome progress of a folder of notes, as a terminal table, as
//! JSON, or as a self-contained HTML page.

use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use primer_analysis::outcomes::{progress, Progress};
use primer_analysis::{FileRange, Primer, World};
use serde_json::json;

use crate::cli::{line_col, load_notes, shown, Args, Fatal};

/// One section's share of the outcomes.
struct SectionRow {
    section: usize,
    done: usize,
    total: usize,
}

fn section_rows(primer: &Primer, progress: &Progress) -> Vec<SectionRow> {
    (0..primer.sections.len())
        .filter_map(|s| {
            let (done, total) = progress.count(|o| primer.outcomes[o].section == s);
            (total > 0).then_some(SectionRow {
                section: s,
                done,
                total,
            })
        })
        .collect()
}

pub fn outcomes(primer: Arc<Primer>, args: &Args, out: &mut impl Write) -> Result<i32, Fatal> {
    let (world, warnings) = load_notes(primer, args)?;
    for w in &warnings {
        eprintln!("{}: warning: {}", shown(&w.path), w.message);
    }
    let progress = progress(&world);
    if let Some(file) = &args.html {
        let page = html_page(&world, &progress, file);
        std::fs::write(file, page)
            .map_err(|e| Fatal(format!("cannot write {}: {e}", file.display())))?;
        eprintln!("wrote {}", file.display());
        if !args.json {
            return Ok(0);
        }
    }
    let text = if args.json {
        serde_json::to_string_pretty(&json_report(&world, &progress)).unwrap_or_default()
    } else {
        text_report(&world, &progress)
    };
    let _ = writeln!(out, "{text}");
    Ok(0)
}

/// Where an item is, as `file:line`.
fn place(world: &World, at: &FileRange) -> String {
    let (line, _) = line_col(world, &at.path, at.range.start);
    format!("{}:{line}", shown(&at.path))
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
    let rows = section_rows(primer, progress);
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
    let sections: Vec<_> = section_rows(primer, progress)
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

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A link from the page (written to `page`) to a note: relative when both share a folder tree.
fn note_href(page: &Path, note: &str) -> String {
    let page_dir = page
        .canonicalize()
        .ok()
        .or_else(|| {
            // A bare file name lives in the current folder.
            let parent = page.parent().filter(|p| !p.as_os_str().is_empty());
            let parent = parent.unwrap_or_else(|| Path::new("."));
            Some(parent.canonicalize().ok()?.join(page.file_name()?))
        })
        .and_then(|p| p.parent().map(crate::primer_source::path_string));
    let path = match page_dir {
        Some(dir) => primer_analysis::text::relative_path(&dir, note),
        None => return primer_analysis::file_url(note),
    };
    primer_analysis::percent_encode_path(&path)
}

const STYLE: &str = "
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #1d232a; background: #fbfbf8; }
h1 { font-size: 1.5rem; margin-bottom: .25rem; }
.summary { color: #56606b; margin-top: 0; }
section { margin: 1.5rem 0; padding: 1rem 1.25rem; background: #fff; border: 1px solid #e3e4de; border-radius: 8px; }
h2 { font-size: 1.1rem; margin: 0 0 .5rem; display: flex; justify-content: space-between; }
.count { font-variant-numeric: tabular-nums; color: #56606b; font-weight: normal; }
.bar { height: .6rem; background: #eceee8; border-radius: .3rem; overflow: hidden; margin-bottom: .75rem; }
.fill { height: 100%; background: #2f8f5b; }
ul { list-style: none; padding: 0; margin: 0; }
li { padding: .35rem 0 .35rem 1.8rem; position: relative; border-top: 1px solid #f0f1ec; }
li::before { position: absolute; left: .2rem; top: .3rem; font-weight: bold; }
li.done::before { content: '✓'; color: #2f8f5b; }
li.todo::before { content: '○'; color: #9aa3ad; }
.id { font: 12px ui-monospace, monospace; color: #7a838c; margin-right: .4rem; }
.where { font-size: 13px; color: #56606b; }
a { color: #1f5fa8; }
";

fn html_page(world: &World, progress: &Progress, page: &Path) -> String {
    let primer = &world.primer;
    let (done, total) = progress.count(|_| true);
    let mut s = String::new();
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Learning outcomes: {done}/{total}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <h1>Learning outcomes</h1>\n\
         <p class=\"summary\" id=\"summary\" data-done=\"{done}\" data-total=\"{total}\">{done} of {total} done, from {} note{}</p>\n",
        world.note_count(),
        if world.note_count() == 1 { "" } else { "s" }
    );
    for r in section_rows(primer, progress) {
        let sec = &primer.sections[r.section];
        let percent = (r.done * 100).checked_div(r.total).unwrap_or(0);
        let _ = write!(
            s,
            "<section data-section=\"{}\" data-done=\"{}\" data-total=\"{}\">\n\
             <h2>{} <span class=\"count\">{}/{}</span></h2>\n\
             <div class=\"bar\" role=\"progressbar\" aria-valuenow=\"{}\" aria-valuemax=\"{}\"><div class=\"fill\" style=\"width: {percent}%\"></div></div>\n<ul>\n",
            escape(&sec.id),
            r.done,
            r.total,
            escape(&sec.title),
            r.done,
            r.total,
            r.done,
            r.total
        );
        for (i, o) in primer.outcomes.iter().enumerate() {
            if o.section != r.section {
                continue;
            }
            let status = &progress.outcomes[i];
            let class = if status.done() { "done" } else { "todo" };
            let _ = write!(
                s,
                "<li class=\"{class}\" data-id=\"{}\"><span class=\"id\">{}</span>{}",
                escape(&o.id),
                escape(&o.id),
                escape(&o.text)
            );
            if status.done() {
                let links: Vec<String> = status
                    .ticked
                    .iter()
                    .map(|t| {
                        format!(
                            "<a href=\"{}\">{}</a>",
                            escape(&note_href(page, &t.path)),
                            escape(&place(world, t))
                        )
                    })
                    .collect();
                let _ = write!(
                    s,
                    "<br><span class=\"where\">ticked in {}</span>",
                    links.join(", ")
                );
            }
            s.push_str("</li>\n");
        }
        s.push_str("</ul>\n</section>\n");
    }
    s.push_str("</body>\n</html>\n");
    s
}
