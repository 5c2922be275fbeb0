//! Embeds the bundled primer into the binary: `primer/` beside this manifest (a link to the
//! repository's `primer/` in a checkout, the folder itself in a published package), or the
//! repository's `primer/` when the link is not one (a checkout without symbolic links).

use std::fmt::Write;
use std::path::{Path, PathBuf};

fn markdown_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "md"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

fn main() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let candidates = [manifest.join("primer"), manifest.join("../../primer")];
    let Some((dir, files)) = candidates
        .iter()
        .map(|d| (d, markdown_files(d)))
        .find(|(_, files)| !files.is_empty())
    else {
        panic!(
            "the bundled primer was not found: expected Markdown files in {} or {}",
            candidates[0].display(),
            candidates[1].display()
        );
    };
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut out = String::from(
        "/// The bundled primer's files: (file name, text).\npub const FILES: &[(&str, &str)] = &[\n",
    );
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let name = f.file_name().unwrap().to_string_lossy();
        let abs = f.canonicalize().unwrap();
        writeln!(
            out,
            "    ({name:?}, include_str!({:?})),",
            abs.display().to_string()
        )
        .unwrap();
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("embedded_primer.rs");
    std::fs::write(dest, out).unwrap();
}
