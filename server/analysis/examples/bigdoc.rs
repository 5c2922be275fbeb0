use primer_analysis::primer::SourceFile;
use primer_analysis::{Doc, Primer};
use std::sync::Arc;
fn main() {
    let mut files = vec![];
    for e in std::fs::read_dir("primer").unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "md") {
            files.push(SourceFile {
                path: p.display().to_string(),
                text: std::fs::read_to_string(&p).unwrap(),
            });
        }
    }
    let primer = Primer::build("/primer", files);
    let t: Arc<str> = std::fs::read_to_string(std::env::args().nth(1).unwrap())
        .unwrap()
        .into();
    let rss = || {
        std::fs::read_to_string("/proc/self/status")
            .unwrap()
            .lines()
            .filter(|l| l.starts_with("VmRSS"))
            .collect::<String>()
    };
    println!("before {}", rss());
    let d = Doc::note("/x/big.md".into(), t.clone(), &primer);
    println!("after {}", rss());
    let o = &d.outline;
    println!("text {} prose {} ({} B each) items {} ({} B) code {} blocks {} headings {} links {} paragraphs {} occurrences {} tasks {} checklist {} lines {}",
        t.len(), o.prose.len(), std::mem::size_of::<primer_analysis::markdown::ProseSegment>(), o.items.len(), std::mem::size_of::<primer_analysis::markdown::ListItem>(), o.code.len(), o.blocks.len(), o.headings.len(), o.links.len(), o.paragraphs.len(), d.occurrences.len(), d.tasks.len(), d.checklist.len(), d.line_index.line_count());
    let item_text: usize = o.items.iter().map(|i| i.text.capacity()).sum();
    println!("item text {item_text}");
}
