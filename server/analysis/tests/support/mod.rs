//! What the analysis's integration tests share: the bundled primer and notes drawn from
//! Markdown fragments.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use primer_analysis::primer::SourceFile;
use primer_analysis::Primer;
use proptest::prelude::*;

/// The bundled primer, built once from `primer/`.
pub fn primer() -> &'static Arc<Primer> {
    static PRIMER: OnceLock<Arc<Primer>> = OnceLock::new();
    PRIMER.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../primer");
        let mut files = vec![];
        for entry in std::fs::read_dir(&dir).unwrap() {
            let p = entry.unwrap().path();
            if p.extension().is_some_and(|x| x == "md") {
                let text = std::fs::read_to_string(&p).unwrap();
                files.push(SourceFile {
                    path: p.display().to_string(),
                    text,
                });
            }
        }
        Arc::new(Primer::build("/primer", files))
    })
}

/// Markdown fragments that matter to the analysis; a note is drawn as a run of them.
const FRAGMENTS: &[&str] = &[
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    "\r\r",
    "# Week 1\n",
    "## Learning outcomes\n",
    "### Caching {#cache}\n",
    "- [ ] Explain why a timed-out RPC leaves the client unsure whether the server did the work, and how idempotency and request-ID deduplication make such calls safe to retry.\n",
    "- [x] Compare modulo hashing with consistent hashing\n",
    "  - [ ] nested item <!-- outcome: state.2 -->\n",
    "1. first\n",
    "* star item\n",
    "```\n",
    "```rust\nlet x = 1;\n",
    "````m",
    "~~~\n",
    "    indented code\n",
    "> a quote about network partition\n",
    "Term\n: a definition\n",
    "$x$\n\n",
    ": lone definition\n",
    "<!--\n",
    "-->\n",
    "<div>\n",
    "A network partition splits the cluster. ",
    "Circuit breakers and retries; ",
    "idempotency ",
    "See [[state#caching]] and [[stat]]. ",
    "[a link](other.md#top) ",
    "[ref]: other.md\n",
    "[ref] ",
    "[^1]: a footnote\n",
    "[^1] ",
    "horizontal\nscalability ",
    "😀🎉 ",
    "キャッシュ is a cache ",
    "e\u{301}te\u{301} ",
    "---\n",
    "---\ntitle: T\n---\n",
    "+++\n",
    "...\n",
    "<!--forhugo\n+++\ntitle = \"H\"\n+++\nforhugo-->\n",
    "| a | b |\n|---|---|\n| c | d |\n",
    "x",
    " ",
    "-",
    "[",
    "| fault tolerance | x |\n",
    "]",
    "`",
    "[[n1]] ",
    "[[n2#caching]] ",
    "[b](n1.md#cache) ",
    "[[n0#learning-outcomes|the outcomes]] ",
    "[[../notes/n2.md]] ",
];

pub fn fragment_text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(FRAGMENTS), 0..40).prop_map(|v| v.concat())
}
