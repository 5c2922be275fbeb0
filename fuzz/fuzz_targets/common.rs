//! The bundled primer, built once per fuzzing process.

use std::sync::OnceLock;

use primer_analysis::primer::SourceFile;
use primer_analysis::Primer;

pub fn primer() -> &'static Primer {
    static PRIMER: OnceLock<Primer> = OnceLock::new();
    PRIMER.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../primer");
        let mut files = vec![];
        for entry in std::fs::read_dir(&dir).expect("the primer folder") {
            let p = entry.expect("a primer file").path();
            if p.extension().is_some_and(|x| x == "md") {
                let text = std::fs::read_to_string(&p).expect("primer text");
                files.push(SourceFile {
                    path: p.display().to_string(),
                    text,
                });
            }
        }
        Primer::build("/primer", files)
    })
}
