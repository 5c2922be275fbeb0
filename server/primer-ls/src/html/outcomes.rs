//! The outcome progress page of `primer-ls outcomes --html`.

use std::fmt::Write as _;
use std::path::Path;

use primer_analysis::outcomes::Progress;
use primer_analysis::World;

use super::{escape, note_href};
use crate::load::place;

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
pub fn outcomes_page(world: &World, progress: &Progress, page: &Path) -> String {
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
    for r in progress.sections(primer) {
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
