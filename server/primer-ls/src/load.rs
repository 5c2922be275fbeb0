//! Loading what the command line works on: a primer and a folder of notes, analysed, and showing
//! paths and positions as a user reads them.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use primer_analysis::{Encoding, FileRange, Primer, World};

use crate::primer_source;
use crate::workspace_config::WorkspaceConfig;

/// Why something given on the command line cannot be loaded.
pub struct LoadError(pub String);

/// The primer in `dir`, or the bundled one, with the workspace's words that are not terms
/// left out.
pub fn load_primer(
    dir: Option<&Path>,
    glossary: &primer_source::Supplement,
    not_terms: &[String],
) -> Result<Arc<Primer>, LoadError> {
    let mut primer = match dir {
        Some(d) => primer_source::from_folder(d, glossary).map_err(|e| LoadError(e.0))?,
        None => primer_source::bundled(false),
    };
    primer.leave_out_words(not_terms);
    Ok(Arc::new(primer))
}

/// The workspace config (`.primer-ls.toml`) for what the command works on: found from the first
/// path given (default: the current folder). What in it cannot be used is printed as warnings.
pub fn workspace_config(paths: &[String]) -> Option<WorkspaceConfig> {
    let start = paths
        .first()
        .map_or_else(|| PathBuf::from("."), PathBuf::from);
    let start = start.canonicalize().ok()?;
    let folder = if start.is_dir() {
        start
    } else {
        start.parent()?.to_path_buf()
    };
    let config = WorkspaceConfig::load(&crate::workspace_config::find(&folder)?);
    for p in &config.problems {
        eprintln!("primer-ls: warning: {p}");
    }
    Some(config)
}

/// The notes under `paths` (default: the current folder), analysed, and the warnings about
/// files that could not be read well. Files in `primer_dir` are not notes, nor those the
/// workspace config excludes.
pub fn load_notes(
    primer: Arc<Primer>,
    paths: &[String],
    primer_dir: Option<&Path>,
    config: Option<&WorkspaceConfig>,
) -> Result<(World, Vec<crate::scan::FileWarning>), LoadError> {
    let paths: Vec<PathBuf> = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.iter().map(PathBuf::from).collect()
    };
    for p in &paths {
        if !p.exists() {
            return Err(LoadError(format!(
                "{}: no such file or folder",
                p.display()
            )));
        }
    }
    let abs: Vec<PathBuf> = paths
        .iter()
        .map(|p| p.canonicalize().unwrap_or_else(|_| p.clone()))
        .collect();
    let primer_dir = primer_dir.and_then(|p| p.canonicalize().ok());
    let mut problems = vec![];
    let exclude = config.and_then(|c| c.excluder(&mut problems));
    for p in problems {
        eprintln!("primer-ls: warning: {p}");
    }
    let walk = crate::scan::markdown_files(&abs, primer_dir.as_deref(), exclude.as_ref());
    let mut warnings = walk.warnings;
    let (docs, more) = crate::scan::analyse(&walk.files, &primer, &crate::disk::Allowed::new(&abs));
    warnings.extend(more);
    let mut world = World::new(primer);
    world.set_fs(Some(Arc::new(crate::disk::Disk {
        allowed: crate::disk::Allowed::new(&abs),
        changed: Default::default(),
    })));
    // Links with a leading `/` start at the repository's top (`.primer-ls.toml` or `.git`), so
    // one file checked alone resolves them as the whole repository does.
    let roots = abs
        .iter()
        .filter_map(|p| crate::disk::project_root(p).or_else(|| p.is_dir().then(|| p.clone())))
        .map(|p| crate::disk::path_string(&p))
        .collect();
    world.set_roots(roots);
    for d in docs {
        world.set_note(d);
    }
    Ok((world, warnings))
}

/// A path as the user would like to read it: relative to the current folder when inside it.
pub fn shown(p: &str) -> String {
    match std::env::current_dir() {
        Ok(c) => Path::new(p)
            .strip_prefix(&c)
            .map(crate::disk::path_string)
            .unwrap_or_else(|_| p.to_string()),
        Err(_) => p.to_string(),
    }
}

/// 1-based (line, column) of an offset in a file; columns count characters.
pub fn line_col(world: &World, path: &str, offset: usize) -> (u32, u32) {
    let Some(doc) = world.doc(path) else {
        return (1, 1);
    };
    let lc = doc.line_index.line_col(&doc.text, offset, Encoding::Utf32);
    (lc.line + 1, lc.col + 1)
}

/// Where an item is, as `file:line`.
pub fn place(world: &World, at: &FileRange) -> String {
    let (line, _) = line_col(world, &at.path, at.range.start);
    format!("{}:{line}", shown(&at.path))
}
