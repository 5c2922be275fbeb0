//! `primer-ls sections` and `primer-ls terms`: what the primer holds, one line each.

use std::io::Write;

use primer_analysis::Primer;

/// Every section and heading, as `id` or `id#heading` and the title (indented by level).
pub fn sections(primer: &Primer, out: &mut impl Write) -> i32 {
    for (s, section) in primer.sections.iter().enumerate() {
        let _ = writeln!(out, "{}\t{}", section.id, section.title);
        for h in &primer.doc_of(s).outline.headings {
            let _ = writeln!(
                out,
                "{}#{}\t{}{}",
                section.id,
                h.id(),
                "  ".repeat(h.level as usize),
                h.text()
            );
        }
    }
    0
}

/// Every term's name and the section defining it, by name.
pub fn terms(primer: &Primer, out: &mut impl Write) -> i32 {
    let mut names: Vec<(String, String)> = primer
        .terms
        .iter()
        .map(|t| (t.names[0].clone(), primer.sections[t.section].id.clone()))
        .collect();
    names.sort_by_key(|(n, _)| n.to_lowercase());
    for (n, s) in names {
        let _ = writeln!(out, "{n}\t{s}");
    }
    0
}
