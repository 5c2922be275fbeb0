//! Where the primer comes from: the bundled one (embedded in the binary, written read-only to a
//! cache folder so editors can open its files) or a folder on disk.

use std::path::{Path, PathBuf};

use primer_analysis::primer::SourceFile;
use primer_analysis::Primer;

use crate::disk::{self, path_key, path_string, Allowed, Refused};

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

/// The prefix of the bundled primer's paths when its files could not be written anywhere: no
/// editor can open them, so nothing that points there is offered as a location.
pub const BUNDLED_SCHEME: &str = "primer-ls-bundled:";

/// The bundled primer. Its files are written (once per version and content) to the cache folder
/// so that go-to-definition can open them; when that fails they keep a [`BUNDLED_SCHEME`] path.
pub fn bundled(materialize: bool) -> Primer {
    let root = if materialize {
        match write_cache() {
            Ok(dir) => Some(dir),
            Err(e) => {
                eprintln!(
                    "primer-ls: cannot write the bundled primer's files to the cache folder ({e}); \
                     go to definition into the primer is off"
                );
                None
            }
        }
    } else {
        None
    };
    let root_str = root
        .as_ref()
        .map_or_else(|| BUNDLED_SCHEME.to_string(), |r| path_string(r));
    let files = embedded::FILES
        .iter()
        .map(|(name, text)| SourceFile {
            path: format!("{}/{name}", root_str.trim_end_matches('/')),
            text: text.to_string(),
        })
        .collect();
    Primer::build(&root_str, files)
}

/// Which glossary supplements a course text that has none of its own.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Supplement {
    /// The bundled primer's glossary and abbreviation list (the default).
    #[default]
    Bundled,
    /// None.
    Off,
    /// A glossary file of the user's (Markdown definition lists).
    File(PathBuf),
}

impl Supplement {
    /// From a setting: `none`/`off`/`false` for none, a path for a file, empty for the default.
    pub fn from_setting(value: Option<&str>) -> Supplement {
        match value.map(str::trim) {
            None | Some("") | Some("bundled") => Supplement::Bundled,
            Some(v) if matches!(v.to_lowercase().as_str(), "none" | "off" | "false") => {
                Supplement::Off
            }
            Some(path) => Supplement::File(PathBuf::from(path)),
        }
    }

    /// The supplement's files.
    fn files(&self) -> Option<Vec<SourceFile>> {
        match self {
            Supplement::Off => None,
            Supplement::Bundled => Some(
                embedded::FILES
                    .iter()
                    .filter(|(name, _)| matches!(*name, "glossary.md" | "_index.md"))
                    .map(|(name, text)| SourceFile {
                        path: format!("{BUNDLED_SCHEME}/{name}"),
                        text: text.to_string(),
                    })
                    .collect(),
            ),
            Supplement::File(path) => match std::fs::read_to_string(path) {
                Ok(text) => Some(vec![SourceFile {
                    path: path_string(path),
                    text,
                }]),
                Err(e) => {
                    eprintln!(
                        "primer-ls: warning: the glossary {} cannot be read: {e}",
                        path.display()
                    );
                    None
                }
            },
        }
    }
}

/// Reads a primer folder: every `.md` file in it (not in subfolders). A course text with no
/// glossary of its own is supplemented by `supplement` for the terms it uses.
pub fn from_folder(dir: &Path, supplement: &Supplement) -> Result<Primer, PrimerError> {
    let rd = std::fs::read_dir(dir).map_err(|e| {
        PrimerError(format!(
            "cannot read the primer folder {}: {e}",
            dir.display()
        ))
    })?;
    let mut files = vec![];
    let mut warnings = vec![];
    // Only files inside the folder (links are followed only to files inside it).
    let allowed = Allowed::new([dir]);
    for entry in rd.filter_map(Result::ok) {
        let path = entry.path();
        if path.extension().is_none_or(|x| x != "md") {
            continue;
        }
        let Some(key) = path_key(&path) else {
            warnings.push(format!(
                "{} has a name that cannot be written in a file URI; skipped",
                path.display()
            ));
            continue;
        };
        match disk::read(&path, &allowed) {
            Ok(read) => {
                if read.lossy {
                    warnings.push(format!(
                        "{} is not valid UTF-8; invalid bytes were replaced",
                        path.display()
                    ));
                }
                files.push(SourceFile {
                    path: key.into_owned(),
                    text: read.text.to_string(),
                });
            }
            Err(Refused::NotAFile("folder")) => {}
            Err(refused) => warnings.push(format!("{} {refused}", path.display())),
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
    Ok(Primer::build_with(
        &path_string(dir),
        files,
        supplement.files(),
    ))
}

/// The cache folder: `$XDG_CACHE_HOME` when it is an absolute path (the XDG spec says a
/// relative one is to be ignored), else `$HOME/.cache`.
fn cache_root() -> Option<PathBuf> {
    let absolute = |v: std::ffi::OsString| Some(PathBuf::from(v)).filter(|p| p.is_absolute());
    std::env::var_os("XDG_CACHE_HOME")
        .and_then(absolute)
        .or_else(|| {
            std::env::var_os("HOME")
                .and_then(absolute)
                .map(|h| h.join(".cache"))
        })
}

/// Whether a materialised primer is whole: its marker and every file, at its length.
fn is_complete(dir: &Path) -> bool {
    dir.join(".complete").is_file()
        && embedded::FILES.iter().all(|(name, text)| {
            std::fs::symlink_metadata(dir.join(name))
                .is_ok_and(|m| m.is_file() && m.len() == text.len() as u64)
        })
}

/// Removes a folder of ours, read-only files and all.
fn remove_folder(dir: &Path) {
    if let Ok(rd) = std::fs::read_dir(dir) {
        for entry in rd.filter_map(Result::ok) {
            if let Ok(meta) = entry.metadata() {
                let mut perm = meta.permissions();
                #[allow(clippy::permissions_set_readonly_false)]
                perm.set_readonly(false);
                let _ = std::fs::set_permissions(entry.path(), perm);
            }
        }
    }
    let _ = std::fs::remove_dir_all(dir);
}

/// Temporary folders left by servers that stopped while writing (older than ten minutes).
fn remove_stale_temporaries(parent: &Path) {
    let Ok(rd) = std::fs::read_dir(parent) else {
        return;
    };
    let stale = std::time::Duration::from_secs(600);
    for entry in rd.filter_map(Result::ok) {
        let name = entry.file_name();
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > stale);
        if name.to_string_lossy().starts_with(".tmp-") && old {
            remove_folder(&entry.path());
        }
    }
}

/// Writes the bundled primer to `<cache>/primer-ls/primer-<version>-<hash>/`, read-only: into a
/// temporary folder first, then renamed into place, so a folder with that name is whole. A
/// leftover folder that is not whole (a server stopped while writing, a file deleted by hand)
/// is replaced.
fn write_cache() -> std::io::Result<PathBuf> {
    let base = cache_root().ok_or_else(|| {
        std::io::Error::other("no cache folder (set XDG_CACHE_HOME or HOME to an absolute path)")
    })?;
    let mut hash: u64 = 0xcbf29ce484222325;
    for (name, text) in embedded::FILES {
        for b in name.bytes().chain(text.bytes()) {
            hash = (hash ^ u64::from(b)).wrapping_mul(0x100000001b3);
        }
    }
    let parent = base.join("primer-ls");
    let dir = parent.join(format!("primer-{}-{hash:016x}", env!("CARGO_PKG_VERSION")));
    if is_complete(&dir) {
        return Ok(dir);
    }
    std::fs::create_dir_all(&parent)?;
    remove_stale_temporaries(&parent);
    let unique = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let tmp = parent.join(format!(".tmp-{}-{unique}", std::process::id()));
    let written = (|| {
        std::fs::create_dir_all(&tmp)?;
        for (name, text) in embedded::FILES {
            let p = tmp.join(name);
            std::fs::write(&p, text)?;
            let mut perm = std::fs::metadata(&p)?.permissions();
            perm.set_readonly(true);
            std::fs::set_permissions(&p, perm)?;
        }
        std::fs::write(tmp.join(".complete"), "")
    })();
    if let Err(e) = written {
        remove_folder(&tmp);
        return Err(e);
    }
    if dir.exists() && !is_complete(&dir) {
        // A leftover that is not whole: moved aside (atomically), then removed.
        let aside = parent.join(format!(".tmp-old-{}-{unique}", std::process::id()));
        if std::fs::rename(&dir, &aside).is_ok() {
            remove_folder(&aside);
        }
    }
    match std::fs::rename(&tmp, &dir) {
        Ok(()) => Ok(dir),
        Err(e) => {
            remove_folder(&tmp);
            // Another server won the race: use its copy.
            if is_complete(&dir) {
                Ok(dir)
            } else {
                Err(e)
            }
        }
    }
}
