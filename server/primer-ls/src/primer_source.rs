//! Where the primer comes from: the bundled one (embedded in the binary, written read-only to a
//! cache folder so editors can open its files) or a folder on disk.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use primer_analysis::primer::SourceFile;
use primer_analysis::Primer;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_primer.rs"));
}

/// Why a primer folder could not be used.
#[derive(Debug)]
pub struct PrimerError(pub String);

impl std::fmt::Display for PrimerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The bundled primer. Its files are written (once per version and content) to the cache folder
/// so that go-to-definition can open them; when that fails they keep a `primer-ls-bundled:` path.
pub fn bundled(materialize: bool) -> Arc<Primer> {
    let root = if materialize {
        write_cache().ok()
    } else {
        None
    };
    let root_str = root
        .as_ref()
        .map_or_else(|| "primer-ls-bundled:".to_string(), |r| path_string(r));
    let files = embedded::FILES
        .iter()
        .map(|(name, text)| SourceFile {
            path: format!("{}/{name}", root_str.trim_end_matches('/')),
            text: text.to_string(),
        })
        .collect();
    Arc::new(Primer::build(&root_str, files))
}

/// Reads a primer folder: every `.md` file in it (not in subfolders).
pub fn from_folder(dir: &Path) -> Result<Arc<Primer>, PrimerError> {
    let rd = std::fs::read_dir(dir).map_err(|e| {
        PrimerError(format!(
            "cannot read the primer folder {}: {e}",
            dir.display()
        ))
    })?;
    let mut files = vec![];
    let mut warnings = vec![];
    for entry in rd.filter_map(Result::ok) {
        let path = entry.path();
        if path.extension().is_none_or(|x| x != "md") || !path.is_file() {
            continue;
        }
        match read_text(&path) {
            Ok((text, lossy)) => {
                if lossy {
                    warnings.push(format!(
                        "{} is not valid UTF-8; invalid bytes were replaced",
                        path.display()
                    ));
                }
                files.push(SourceFile {
                    path: path_string(&path),
                    text,
                });
            }
            Err(e) => warnings.push(format!("cannot read {}: {e}", path.display())),
        }
    }
    for w in &warnings {
        eprintln!("primer-ls: warning: {w}");
    }
    let sections = files
        .iter()
        .filter(|f| !primer_analysis::file_stem(&f.path).eq_ignore_ascii_case("readme"))
        .count();
    if sections == 0 {
        return Err(PrimerError(format!(
            "the primer folder {} has no Markdown sections (.md files)",
            dir.display()
        )));
    }
    Ok(Arc::new(Primer::build(&path_string(dir), files)))
}

/// Reads a file as text; invalid UTF-8 is replaced (and reported as `true`).
pub fn read_text(path: &Path) -> std::io::Result<(String, bool)> {
    let bytes = std::fs::read(path)?;
    match String::from_utf8(bytes) {
        Ok(s) => Ok((s, false)),
        Err(e) => Ok((String::from_utf8_lossy(e.as_bytes()).into_owned(), true)),
    }
}

pub fn path_string(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

fn cache_root() -> Option<PathBuf> {
    if let Some(x) = std::env::var_os("XDG_CACHE_HOME").filter(|x| !x.is_empty()) {
        return Some(PathBuf::from(x));
    }
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(|h| PathBuf::from(h).join(".cache"))
}

/// Writes the bundled primer to `<cache>/primer-ls/primer-<version>-<hash>/`, read-only.
fn write_cache() -> std::io::Result<PathBuf> {
    let base = cache_root()
        .ok_or_else(|| std::io::Error::other("no cache folder (set XDG_CACHE_HOME or HOME)"))?;
    let mut hash: u64 = 0xcbf29ce484222325;
    for (name, text) in embedded::FILES {
        for b in name.bytes().chain(text.bytes()) {
            hash = (hash ^ u64::from(b)).wrapping_mul(0x100000001b3);
        }
    }
    let dir = base
        .join("primer-ls")
        .join(format!("primer-{}-{hash:016x}", env!("CARGO_PKG_VERSION")));
    if dir.join(".complete").exists() {
        return Ok(dir);
    }
    let tmp = base
        .join("primer-ls")
        .join(format!(".tmp-{}-{hash:016x}", std::process::id()));
    std::fs::create_dir_all(&tmp)?;
    for (name, text) in embedded::FILES {
        let p = tmp.join(name);
        std::fs::write(&p, text)?;
        let mut perm = std::fs::metadata(&p)?.permissions();
        perm.set_readonly(true);
        std::fs::set_permissions(&p, perm)?;
    }
    std::fs::write(tmp.join(".complete"), "")?;
    match std::fs::rename(&tmp, &dir) {
        Ok(()) => Ok(dir),
        // Another server won the race: use its copy.
        Err(_) if dir.join(".complete").exists() => {
            let _ = std::fs::remove_dir_all(&tmp);
            Ok(dir)
        }
        Err(e) => Err(e),
    }
}
