//! The cohort page of `primer-ls cohort --html`: a heatmap of students × outcomes (inline SVG;
//! done, listed but not ticked, and not listed each have a mark of their own, not only a colour),
//! a bar per section of the share of students' outcomes done, and per student the notes that
//! tick outcomes. One self-contained file: no scripts, no network, styles inline; readable
//! printed.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;

use primer_analysis::outcomes::Progress;
use primer_analysis::Primer;

use super::{escape, note_href};

/// One student: the folder's name, how many notes, and their progress.
pub struct StudentRow {
    pub name: String,
    pub notes: usize,
    pub progress: Progress,
}

/// A cohort: the primer and its students, in name order.
pub struct Cohort {
    pub primer: Arc<Primer>,
    pub students: Vec<StudentRow>,
}

impl Cohort {
    /// The students who ticked `outcome`, by name.
    pub fn done_by(&self, outcome: usize) -> Vec<&str> {
        self.students
            .iter()
            .filter(|s| s.progress.outcomes[outcome].done())
            .map(|s| s.name.as_str())
            .collect()
    }
}

const STYLE: &str = "
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 70rem; padding: 0 1rem; color: #1d232a; background: #fff; }
h1 { font-size: 1.5rem; margin-bottom: .25rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
.summary, .legend { color: #4a535c; }
.bars div.row { display: grid; grid-template-columns: 22rem 1fr 4rem; gap: .75rem; align-items: center; margin: .3rem 0; }
.track { height: .7rem; background: #e8eae4; border: 1px solid #b9bdb3; border-radius: .35rem; overflow: hidden; }
.fill { height: 100%; background: #2b6cb0; }
.pct { font-variant-numeric: tabular-nums; text-align: right; }
svg text { font: 11px ui-monospace, monospace; }
.student { margin: .6rem 0; } .student ul { margin: .2rem 0 0 1.2rem; padding: 0; }
a { color: #1f5fa8; }
@media print { body { margin: 0; max-width: none; } a { color: inherit; } }
";

const CELL: usize = 16;

/// The page, written to `page` (links to notes are relative to it).
pub fn cohort_page(c: &Cohort, page: &Path) -> String {
    let primer = &c.primer;
    let n = c.students.len();
    let total = primer.outcomes.len();
    let mut s = String::new();
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Cohort: {n} students</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <h1>Learning outcomes of the cohort</h1>\n\
         <p class=\"summary\" id=\"summary\" data-students=\"{n}\" data-outcomes=\"{total}\">{n} student{}, {total} outcomes</p>\n",
        if n == 1 { "" } else { "s" }
    );
    // A bar per section: the share of the students' outcomes of that section that are done.
    s.push_str("<h2>Sections</h2>\n<div class=\"bars\">\n");
    let mut by_section: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, o) in primer.outcomes.iter().enumerate() {
        by_section.entry(o.section).or_default().push(i);
    }
    for (section, outcomes) in &by_section {
        let cells = outcomes.len() * n;
        let done: usize = outcomes.iter().map(|&o| c.done_by(o).len()).sum();
        let percent = (done * 100).checked_div(cells).unwrap_or(0);
        let _ = writeln!(
            s,
            "<div class=\"row\" data-section=\"{}\" data-done=\"{done}\" data-cells=\"{cells}\"><span>{}</span>\
             <div class=\"track\" role=\"progressbar\" aria-valuenow=\"{percent}\" aria-valuemax=\"100\"><div class=\"fill\" style=\"width: {percent}%\"></div></div>\
             <span class=\"pct\">{percent}%</span></div>",
            escape(&primer.sections[*section].id),
            escape(&primer.sections[*section].title)
        );
    }
    s.push_str("</div>\n");
    // The heatmap.
    s.push_str("<h2>Students × outcomes</h2>\n<p class=\"legend\">✓ done · ○ listed, not ticked · blank: not listed. Columns are the outcomes in primer order: section number (0 is the first section) and outcome number.</p>\n");
    let label_w = 10
        + 8 * c
            .students
            .iter()
            .map(|s| s.name.chars().count())
            .max()
            .unwrap_or(4);
    let top = 40;
    let width = label_w + total * CELL + 10;
    let height = top + n * CELL + 10;
    let _ = writeln!(
        s,
        "<svg id=\"heatmap\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"students by outcomes\">"
    );
    for (i, o) in primer.outcomes.iter().enumerate() {
        let x = label_w + i * CELL + CELL / 2;
        // Short labels: the section's place in the primer (0, the introduction) and the
        // outcome's number; the full id and text are the label's tooltip.
        let number = o.id.rsplit('.').next().unwrap_or("");
        let _ = writeln!(
            s,
            "<text x=\"{x}\" y=\"{}\" transform=\"rotate(-60 {x} {})\"><title>{}: {}</title>{}.{number}</text>",
            top - 6,
            top - 6,
            escape(&o.id),
            escape(&o.text),
            o.section
        );
    }
    for (r, st) in c.students.iter().enumerate() {
        let y = top + r * CELL;
        let _ = writeln!(
            s,
            "<text x=\"4\" y=\"{}\">{}</text>",
            y + CELL - 4,
            escape(&st.name)
        );
        for (i, o) in primer.outcomes.iter().enumerate() {
            let x = label_w + i * CELL;
            let status = &st.progress.outcomes[i];
            let (state, fill, mark) = if status.done() {
                ("done", "#2b6cb0", "✓")
            } else if !status.unticked.is_empty() {
                ("listed", "#ffffff", "○")
            } else {
                ("absent", "#f1f2ee", "")
            };
            let _ = write!(
                s,
                "<g class=\"cell\" data-student=\"{}\" data-outcome=\"{}\" data-state=\"{state}\"><rect x=\"{x}\" y=\"{y}\" width=\"{}\" height=\"{}\" fill=\"{fill}\" stroke=\"#8a9096\" stroke-width=\"0.5\"><title>{} · {} · {state}</title></rect>",
                escape(&st.name),
                escape(&o.id),
                CELL - 1,
                CELL - 1,
                escape(&st.name),
                escape(&o.id)
            );
            if !mark.is_empty() {
                let color = if state == "done" {
                    "#ffffff"
                } else {
                    "#1d232a"
                };
                let _ = write!(
                    s,
                    "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"{color}\">{mark}</text>",
                    x + CELL / 2 - 1,
                    y + CELL - 4
                );
            }
            s.push_str("</g>\n");
        }
    }
    s.push_str("</svg>\n");
    // Per student: the notes that tick outcomes.
    s.push_str("<h2>Students</h2>\n");
    for st in &c.students {
        let (done, total) = st.progress.count(|_| true);
        let _ = write!(
            s,
            "<div class=\"student\" data-student=\"{}\"><strong>{}</strong>: {done} of {total} done, {} note{}",
            escape(&st.name),
            escape(&st.name),
            st.notes,
            if st.notes == 1 { "" } else { "s" }
        );
        let mut notes: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (i, status) in st.progress.outcomes.iter().enumerate() {
            for t in &status.ticked {
                notes
                    .entry(&t.path)
                    .or_default()
                    .push(&primer.outcomes[i].id);
            }
        }
        if !notes.is_empty() {
            s.push_str("<ul>\n");
            for (note, ids) in notes {
                let name = note.rsplit('/').next().unwrap_or(note);
                let _ = writeln!(
                    s,
                    "<li><a href=\"{}\">{}</a>: {}</li>",
                    escape(&note_href(page, note)),
                    escape(name),
                    escape(&ids.join(", "))
                );
            }
            s.push_str("</ul>");
        }
        s.push_str("</div>\n");
    }
    s.push_str("</body>\n</html>\n");
    s
}
