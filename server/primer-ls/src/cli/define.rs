//! `primer-ls define`: a term's definition and where it is defined.

use std::io::Write;

use primer_analysis::{Encoding, Primer};

use super::{Fatal, PrimerOption};

#[derive(clap::Args, Debug)]
pub struct DefineArgs {
    #[command(flatten)]
    pub primer: PrimerOption,
    /// The term (several words are joined with spaces).
    #[arg(value_name = "TERM", required = true)]
    pub term: Vec<String>,
}

pub fn define(primer: &Primer, args: &DefineArgs, out: &mut impl Write) -> Result<i32, Fatal> {
    let wanted = args.term.join(" ");
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
