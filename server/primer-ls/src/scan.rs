//! Reading a workspace's notes: walk folders (honouring .gitignore), read Markdown files, and
//! analyse them in parallel.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use primer_analysis::{Doc, LineIndex, Primer};
use rayon::prelude::*;

use crate::disk::{self, path_key, path_string, Allowed};

/// A warning about one file (unreadable, not UTF-8); warnings are put in order by file, then
/// by message.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct FileWarning {
    pub path: String,
    pub message: String,
}

/// What a walk found: the notes to read, warnings, and (once [`Walk::count_left_out`] has
/// run) what it left out.
#[derive(Debug, Default)]
pub struct Walk {
    pub files: Vec<PathBuf>,
    pub warnings: Vec<FileWarning>,
    pub left_out: LeftOut,
    /// The folders the walk listed, and the notes and folders it yielded but did not take
    /// (links, the primer's, names with no key): with the notes, what the count of the
    /// left-out ones compares with.
    folders: Vec<PathBuf>,
    passed_over: Vec<PathBuf>,
}

/// Folders and Markdown files a walk left out, by why (each folder counts once, whatever it
/// holds).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct LeftOut {
    /// Names starting with a dot.
    pub hidden: Vec<PathBuf>,
    /// Ignored by `.gitignore`, `.ignore` or git's exclude files.
    pub ignored: Vec<PathBuf>,
    /// Left out by the workspace config's `exclude`.
    pub excluded: Vec<PathBuf>,
    /// Notes over the size limit: listed by the walk (which does not ask each file's size) and
    /// found when read (see [`Skipped::too_large`]).
    pub too_large: Vec<PathBuf>,
}

impl LeftOut {
    /// One line for the log, naming a few of each, or `None` when nothing was left out.
    pub fn summary(&self, roots: &[PathBuf]) -> Option<String> {
        let shown = |p: &PathBuf| {
            roots
                .iter()
                .find_map(|r| p.strip_prefix(r).ok())
                .map_or_else(|| path_string(p), path_string)
        };
        let mut parts = vec![];
        for (list, why) in [
            (&self.hidden, "hidden"),
            (&self.ignored, "ignored by .gitignore"),
            (&self.excluded, "excluded by .primer-ls.toml"),
            (&self.too_large, "too large"),
        ] {
            if list.is_empty() {
                continue;
            }
            let mut names: Vec<String> = list.iter().take(4).map(shown).collect();
            if list.len() > 4 {
                names.push("…".into());
            }
            parts.push(format!("{} {why} ({})", list.len(), names.join(", ")));
        }
        (!parts.is_empty()).then(|| format!("left out of the notes: {}", parts.join("; ")))
    }
}

/// Every Markdown file under `roots` (files given directly are taken as they are), except those
/// inside `primer_dir` and those `exclude` matches. Hidden folders and ignored files are
/// skipped, and counted; symbolic links are not followed (so a link loop cannot trap the walk)
/// and each one found gets a warning, as does a folder that cannot be listed.
pub fn markdown_files(
    roots: &[PathBuf],
    primer_dir: Option<&Path>,
    exclude: Option<&ignore::gitignore::Gitignore>,
) -> Walk {
    walk_with(roots, primer_dir, exclude, false)
}

/// [`markdown_files`] listing the folders on several threads: for a server's one walk of a
/// whole workspace (a large one is listed in a fraction of the time; a small one pays the
/// parallel walk's millisecond of winding down, which `cohort`'s walk per student would pay
/// two hundred times).
pub fn markdown_files_in_parallel(
    roots: &[PathBuf],
    primer_dir: Option<&Path>,
    exclude: Option<&ignore::gitignore::Gitignore>,
) -> Walk {
    walk_with(roots, primer_dir, exclude, true)
}

fn walk_with(
    roots: &[PathBuf],
    primer_dir: Option<&Path>,
    exclude: Option<&ignore::gitignore::Gitignore>,
    parallel: bool,
) -> Walk {
    let mut walk = Walk::default();
    let excluded = Arc::new(std::sync::Mutex::new(vec![]));
    for root in roots {
        if root.is_file() {
            walk.files.push(root.clone());
            continue;
        }
        let mut builder = ignore::WalkBuilder::new(root);
        builder.follow_links(false).require_git(false);
        if let Some(exclude) = exclude.cloned() {
            let excluded = excluded.clone();
            builder.filter_entry(move |entry| {
                let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
                let out = entry.depth() > 0
                    && exclude
                        .matched_path_or_any_parents(entry.path(), is_dir)
                        .is_ignore();
                if out && (is_dir || is_markdown(entry.path())) {
                    if let Ok(mut list) = excluded.lock() {
                        list.push(entry.path().to_path_buf());
                    }
                }
                !out
            });
        }
        let listed = if parallel {
            list_in_parallel(&builder)
        } else {
            builder.build().collect()
        };
        for listed in listed {
            let entry = match listed {
                Ok(e) => e,
                Err(e) => {
                    walk.warnings.push(FileWarning {
                        path: path_string(root),
                        message: format!("part of the folder cannot be read: {e}"),
                    });
                    continue;
                }
            };
            let p = entry.path();
            // A workspace folder that is itself a link is walked; links inside it are not. Only
            // links that could have been notes or folders of notes are worth a warning.
            let linked = entry.depth() > 0 && entry.path_is_symlink();
            let is_md = is_markdown(p);
            if linked && (is_md || p.is_dir()) {
                walk.warnings.push(FileWarning {
                    path: path_string(p),
                    message: "is a symbolic link; links in the workspace are not followed".into(),
                });
                walk.passed_over.push(p.to_path_buf());
                continue;
            }
            if !linked && entry.file_type().is_some_and(|t| t.is_dir()) {
                walk.folders.push(p.to_path_buf());
            }
            if linked || !is_md || !entry.file_type().is_some_and(|t| t.is_file()) {
                continue;
            }
            if primer_dir.is_some_and(|ex| p.starts_with(ex)) {
                walk.passed_over.push(p.to_path_buf());
                continue;
            }
            if path_key(p).is_none() {
                walk.warnings.push(FileWarning {
                    path: path_string(p),
                    message: "has a name that cannot be written in a file URI (bytes that are \
                              not UTF-8, or a backslash); skipped"
                        .into(),
                });
                walk.passed_over.push(p.to_path_buf());
                continue;
            }
            walk.files.push(entry.into_path());
        }
    }
    walk.left_out.excluded =
        std::mem::take(&mut *excluded.lock().unwrap_or_else(|e| e.into_inner()));
    // The folders were listed on several threads: the same walk gives the same order.
    walk.warnings.sort();
    // By bytes: comparing paths component by component took a tenth of a large walk.
    let by_bytes = |a: &PathBuf, b: &PathBuf| {
        a.as_os_str()
            .as_encoded_bytes()
            .cmp(b.as_os_str().as_encoded_bytes())
    };
    walk.folders.sort_unstable_by(by_bytes);
    walk.files.sort_unstable_by(by_bytes);
    walk.files.dedup();
    walk
}

/// Every entry a walk yields, listed on several threads. (No file's size is asked for: a stat
/// of each note was a fifth of the walk; the reading finds those too large.)
fn list_in_parallel(builder: &ignore::WalkBuilder) -> Vec<Result<ignore::DirEntry, ignore::Error>> {
    let (send, receive) = std::sync::mpsc::channel();
    builder.build_parallel().run(|| {
        let send = send.clone();
        Box::new(move |entry| {
            let _ = send.send(entry);
            ignore::WalkState::Continue
        })
    });
    drop(send);
    receive.into_iter().collect()
}

impl Walk {
    /// Counts what the walk left out that it could not see: hidden and ignored entries of the
    /// folders it listed (each listed once more). Kept apart from the walk, so a server can
    /// index first and count after. `taken` are the notes the walk listed when they were taken
    /// out of [`Walk::files`] (else they are read there).
    pub fn count_left_out(&mut self, taken: &[PathBuf]) {
        let excluded: HashSet<&PathBuf> = self.left_out.excluded.iter().collect();
        // What the walk yielded (and so did not leave out unseen), worked out here rather than
        // kept while walking: a set of 15,000 paths took a fifth of a large walk's time.
        let seen: HashSet<&PathBuf> = (self.files.iter())
            .chain(taken)
            .chain(&self.folders)
            .chain(&self.passed_over)
            .collect();
        let mut hidden = vec![];
        let mut ignored = vec![];
        for folder in &self.folders {
            let Ok(children) = std::fs::read_dir(folder) else {
                continue;
            };
            for child in children.filter_map(Result::ok) {
                let p = child.path();
                let Ok(kind) = child.file_type() else {
                    continue;
                };
                let counts = kind.is_dir() || (kind.is_file() && is_markdown(&p));
                // (A repository's `.git` is never notes; counting it would only add noise.)
                if !counts
                    || seen.contains(&p)
                    || excluded.contains(&p)
                    || child.file_name() == ".git"
                {
                    continue;
                }
                if child.file_name().to_string_lossy().starts_with('.') {
                    hidden.push(p);
                } else {
                    ignored.push(p);
                }
            }
        }
        drop(seen);
        self.left_out.hidden = hidden;
        self.left_out.ignored = ignored;
        for list in [
            &mut self.left_out.hidden,
            &mut self.left_out.ignored,
            &mut self.left_out.excluded,
            &mut self.left_out.too_large,
        ] {
            list.sort();
        }
        self.folders = vec![];
        self.passed_over = vec![];
    }
}

fn is_markdown(p: &Path) -> bool {
    p.extension().is_some_and(|x| x == "md" || x == "markdown")
}

/// A line longer than this gets a warning (it is still analysed).
const LONG_LINE_BYTES: usize = 1 << 20;

/// Quotes or lists nested deeper than this get a warning (they are still analysed).
const DEEP_NESTING: usize = 100;

/// The longest line of a note (in bytes) and the most quote or list markers (`>`, `-`, `*`,
/// `+`) that open any one of its lines, read along its line index (the lines an editor shows).
fn shape(text: &str, index: &LineIndex) -> (usize, usize) {
    let mut longest = 0;
    let mut deepest = 0;
    for range in index.line_ranges(text) {
        longest = longest.max(range.len());
        deepest = deepest.max(nesting(&text[range]));
    }
    (longest, deepest)
}

/// How many quote or list markers open `line`.
fn nesting(line: &str) -> usize {
    // Most lines open with a word: they are passed over without splitting them into words.
    match line.bytes().find(|b| !matches!(b, b' ' | b'\t')) {
        None => return 0,
        Some(b) if b.is_ascii_graphic() && !matches!(b, b'>' | b'-' | b'*' | b'+') => return 0,
        Some(_) => {}
    }
    ascii_markers(line.as_bytes()).unwrap_or_else(|| markers(line))
}

/// [`markers`] read byte by byte while the line is ASCII; `None` where a byte outside ASCII
/// (which may be a space of another kind) would decide.
fn ascii_markers(line: &[u8]) -> Option<usize> {
    let space = |b: u8| b.is_ascii_whitespace() || b == 0x0B;
    let (mut i, mut count) = (0, 0);
    loop {
        while line.get(i).is_some_and(|&b| space(b)) {
            i += 1;
        }
        let Some(&first) = line.get(i) else {
            return Some(count);
        };
        // A word of one `-`, `*` or `+`, or of `>`s only, each of them a marker.
        let run = match first {
            b'-' | b'*' | b'+' => 1,
            b'>' => line[i..].iter().take_while(|&&b| b == b'>').count(),
            b if b.is_ascii() => return Some(count),
            _ => return None,
        };
        match line.get(i + run) {
            None => return Some(count + run),
            Some(&b) if space(b) => {}
            Some(&b) if b.is_ascii() => return Some(count),
            Some(_) => return None,
        }
        count += run;
        i += run;
    }
}

/// [`nesting`] word by word.
fn markers(line: &str) -> usize {
    line.split_whitespace()
        .take_while(|w| matches!(*w, ">" | "-" | "*" | "+") || w.chars().all(|c| c == '>'))
        .map(|w| if w.starts_with('>') { w.len() } else { 1 })
        .sum()
}

/// Reads (through the gate, inside `allowed`, as [`disk::read_listed`] reads what a walk
/// listed) and analyses files in parallel. Files the gate refuses or that cannot be read become
/// warnings; invalid UTF-8 is replaced and warned about.
pub fn analyse(
    files: &[PathBuf],
    primer: &Primer,
    allowed: &Allowed,
) -> (Vec<Arc<Doc>>, Vec<FileWarning>) {
    let results: Vec<Analysed> = reading_pool().install(|| {
        files
            .par_iter()
            .map(|p| analyse_one(p, primer, allowed))
            .collect()
    });
    let mut docs = vec![];
    let mut warnings = vec![];
    for r in results {
        match r {
            Ok((doc, w)) => {
                docs.push(doc);
                warnings.extend(w);
            }
            Err(skipped) => warnings.push(skipped.warning),
        }
    }
    (docs, warnings)
}

/// [`analyse`] handing each file's outcome to `each` as soon as it is known, in no particular
/// order: for a server, which takes the notes in as they come rather than a batch at a time
/// (so no reading thread waits for the slowest note of a batch).
pub fn analyse_each(
    files: &[PathBuf],
    primer: &Primer,
    allowed: &Allowed,
    each: &(dyn Fn(Analysed) + Sync),
) {
    reading_pool().install(|| {
        files
            .par_iter()
            .for_each(|p| each(analyse_one(p, primer, allowed)))
    });
}

/// One file's outcome: its document and a warning about it, or why it was skipped.
pub type Analysed = Result<(Arc<Doc>, Option<FileWarning>), Skipped>;

/// A listed file that was not analysed, and why.
#[derive(Debug)]
pub struct Skipped {
    pub warning: FileWarning,
    /// It is over the size limit: one of the notes left out (see [`LeftOut::too_large`]).
    pub too_large: bool,
}

/// Reads one listed file and analyses it (see [`analyse`]).
fn analyse_one(p: &Path, primer: &Primer, allowed: &Allowed) -> Analysed {
    let path = path_string(p);
    let read = disk::read_listed(p, allowed).map_err(|refused| Skipped {
        too_large: matches!(refused, disk::Refused::TooLarge(_)),
        warning: FileWarning {
            path: path.clone(),
            message: refused.to_string(),
        },
    })?;
    let text = read.text;
    if memchr::memchr(0, &text.as_bytes()[..text.len().min(8192)]).is_some() {
        return Err(Skipped {
            too_large: false,
            warning: FileWarning {
                path,
                message: "looks like a binary file (it has NUL bytes); skipped".into(),
            },
        });
    }
    let mut doc = Doc::note(Arc::from(path.as_str()), text, primer);
    let (longest, nesting) = shape(doc.text.as_str(), &doc.line_index);
    let warning = if read.lossy {
        Some("is not valid UTF-8; invalid bytes were replaced".to_string())
    } else if longest > LONG_LINE_BYTES {
        Some(format!(
            "has a line of {} KB; it is analysed, but an editor may be slow on it",
            longest >> 10
        ))
    } else if nesting > DEEP_NESTING {
        Some(format!(
            "nests quotes or lists {nesting} levels deep; it is analysed, but such nesting is \
             likely a mistake"
        ))
    } else {
        None
    };
    let warning = warning.map(|message| FileWarning {
        path: path.clone(),
        message,
    });
    doc.close(read.stamp);
    Ok((Arc::new(doc), warning))
}

/// Threads for reading and analysing notes: more than the cores, so that while some wait for
/// the disk (a cold page cache, a network file system) the others work.
fn reading_pool() -> &'static rayon::ThreadPool {
    static POOL: std::sync::OnceLock<rayon::ThreadPool> = std::sync::OnceLock::new();
    POOL.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        rayon::ThreadPoolBuilder::new()
            .num_threads((cores * 4).clamp(4, 16))
            .thread_name(|i| format!("primer-ls-read-{i}"))
            .build()
            .expect("threads for reading notes")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Passing over lines that open with a word gives what reading every line word by
        /// word gives (markers, spaces of every kind, words, other characters).
        #[test]
        fn nesting_passes_over_words_and_agrees_with_reading_every_word(
            line in "([ \t\u{a0}\u{3000}\u{b}\r]|[>*+-]{1,3}|[a-z]{1,4}|[#.é1]){0,12}"
        ) {
            proptest::prop_assert_eq!(nesting(&line), markers(&line));
        }
    }

    #[test]
    fn the_shape_of_a_note_is_its_longest_line_and_deepest_markers() {
        let text =
            "# Title\r\n> > - a quote holding a list\r\nplain - not a list\n\n    >>> deeper\rend";
        let doc = Doc::note(Arc::from("/n.md"), Arc::from(text), &Primer::empty());
        assert_eq!(
            shape(text, &doc.line_index),
            ("> > - a quote holding a list".len(), 3)
        );
    }

    /// [`shape`] read along the note's line index, line by line.
    fn shape_by_lines(text: &str) -> (usize, usize) {
        let doc = Doc::note(Arc::from("/n.md"), Arc::from(text), &Primer::empty());
        let index = &doc.line_index;
        (0..index.line_count())
            .map(|line| index.line_range(text, line))
            .fold((0, 0), |(longest, deepest), range| {
                (longest.max(range.len()), deepest.max(nesting(&text[range])))
            })
    }

    proptest::proptest! {
        /// Read in one pass along the line index, the lines (every kind of line end, a last line
        /// with or without one) are those [`LineIndex::line_range`] gives.
        #[test]
        fn the_shape_is_that_of_the_lines_the_line_index_has(
            text in "([\r\n]|\r\n|[ \t]{1,3}|[>*+-]{1,2}|[a-z]{1,5}|é|😀){0,16}"
        ) {
            let doc = Doc::note(Arc::from("/n.md"), Arc::from(text.as_str()), &Primer::empty());
            proptest::prop_assert_eq!(
                shape(&text, &doc.line_index),
                shape_by_lines(&text),
                "{:?}",
                text
            );
        }
    }

    #[test]
    fn a_file_gone_between_listing_and_reading_is_a_warning() {
        let dir = std::env::temp_dir().join(format!("primer-ls-scan-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("here.md"), "A partition.").unwrap();
        let files = markdown_files(std::slice::from_ref(&dir), None, None).files;
        std::fs::remove_file(dir.join("here.md")).unwrap();
        let (docs, warnings) = analyse(&files, &Primer::empty(), &Allowed::new([&dir]));
        assert!(docs.is_empty());
        assert_eq!(warnings.len(), 1);
        assert!(
            warnings[0].message.starts_with("does not exist"),
            "{:?}",
            warnings[0]
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_walk_counts_what_it_leaves_out_and_why() {
        let dir = tempfile::tempdir().unwrap();
        let top = dir.path().to_path_buf();
        for folder in [
            ".git",
            ".obsidian",
            "build",
            "drafts/old",
            "notes/templates",
        ] {
            std::fs::create_dir_all(top.join(folder)).unwrap();
        }
        for file in [
            "notes/a.md",
            "notes/.scratch.md",
            "notes/templates/t.md",
            "build/out.md",
            "drafts/old/d.md",
            "keep.tmp.md",
        ] {
            std::fs::write(top.join(file), "A partition.").unwrap();
        }
        std::fs::write(top.join(".gitignore"), "build/\n").unwrap();
        // A sparse file over the limit: its size is known without writing it.
        let big = std::fs::File::create(top.join("notes/huge.md")).unwrap();
        big.set_len(disk::MAX_FILE_BYTES + 1).unwrap();
        let config = crate::workspace_config::WorkspaceConfig {
            file: top.join(".primer-ls.toml"),
            exclude: vec!["drafts/".into(), "templates".into(), "*.tmp.md".into()],
            ..Default::default()
        };
        let exclude = config.excluder(&mut vec![]).unwrap();
        let mut walk = markdown_files(std::slice::from_ref(&top), None, Some(&exclude));
        walk.count_left_out(&[]);
        // Listed on several threads, the same walk.
        let mut parallel =
            markdown_files_in_parallel(std::slice::from_ref(&top), None, Some(&exclude));
        parallel.count_left_out(&[]);
        assert_eq!(parallel.files, walk.files);
        assert_eq!(parallel.left_out, walk.left_out);
        let said = |w: &Walk| -> Vec<(String, String)> {
            w.warnings
                .iter()
                .map(|w| (w.path.clone(), w.message.clone()))
                .collect()
        };
        assert_eq!(said(&parallel), said(&walk));
        // The note too large is listed (no size is asked for while walking), and found so
        // when it is read.
        let (a, huge) = (top.join("notes/a.md"), top.join("notes/huge.md"));
        assert_eq!(walk.files, vec![a.clone(), huge.clone()]);
        let allowed = Allowed::new([&top]);
        let analysed = |p: &PathBuf| analyse_one(p, &Primer::empty(), &allowed);
        assert!(analysed(&a).is_ok());
        let skipped = analysed(&huge).expect_err("a note too large is skipped");
        assert!(skipped.too_large);
        assert!(skipped.warning.message.contains("more than the 32 MB"));
        walk.left_out.too_large.push(huge);
        assert_eq!(
            walk.left_out.summary(std::slice::from_ref(&top)).unwrap(),
            "left out of the notes: 2 hidden (.obsidian, notes/.scratch.md); 1 ignored by \
             .gitignore (build); 3 excluded by .primer-ls.toml (drafts, keep.tmp.md, \
             notes/templates); 1 too large (notes/huge.md)"
        );
        // Nothing left out, nothing to say.
        let mut clean = markdown_files(&[top.join("notes/templates")], None, None);
        clean.count_left_out(&[]);
        assert_eq!(clean.left_out.summary(&[]), None);
    }

    #[test]
    fn listing_skips_the_primer_folder_and_non_markdown() {
        let dir = std::env::temp_dir().join(format!("primer-ls-list-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("primer")).unwrap();
        std::fs::create_dir_all(dir.join("notes")).unwrap();
        std::fs::write(dir.join("primer/s.md"), "x").unwrap();
        std::fs::write(dir.join("notes/n.md"), "x").unwrap();
        std::fs::write(dir.join("notes/n.txt"), "x").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(dir.join("notes/n.md"), dir.join("notes/linked.md")).unwrap();
        let mut walk = markdown_files(std::slice::from_ref(&dir), Some(&dir.join("primer")), None);
        assert_eq!(walk.files, vec![dir.join("notes/n.md")]);
        // What the walk saw and passed over (the primer's section, a link) is not counted as
        // left out unseen, also when the notes were taken out of the walk (as the server does).
        let taken = std::mem::take(&mut walk.files);
        walk.count_left_out(&taken);
        assert_eq!(walk.left_out, LeftOut::default());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
