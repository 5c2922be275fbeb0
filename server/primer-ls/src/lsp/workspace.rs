//! The workspace: choosing and loading the primer, indexing the notes of the workspace folders,
//! and configuration.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use primer_analysis::{Doc, Primer, World};
use rayon::prelude::*;
use serde_json::Value;
use tower_lsp::lsp_types::notification::Progress;
use tower_lsp::lsp_types::request::WorkDoneProgressCreate;
use tower_lsp::lsp_types::*;

use super::config::Config;
use super::state::{lock, Backend};
use crate::primer_source;
use crate::workspace_config::WorkspaceConfig;

impl Backend {
    /// Chooses and loads the primer: the editor's `primer.path`, else the workspace config's
    /// `primer`, else a workspace `primer/` folder, else the bundled primer. A bad folder is an
    /// error message and the bundled primer. The workspace's words that are not terms are left
    /// out.
    pub(super) fn load_primer(
        config: &Config,
        workspace: Option<&WorkspaceConfig>,
        roots: &[PathBuf],
    ) -> (Arc<Primer>, Option<PathBuf>, Option<String>) {
        let not_terms = workspace.map_or(&[][..], |w| w.not_terms.as_slice());
        let done = |mut primer: Primer, dir: Option<PathBuf>, error: Option<String>| {
            primer.leave_out_words(not_terms);
            (Arc::new(primer), dir, error)
        };
        if let Some((dir, fix)) = chosen_primer(config, workspace, roots) {
            return match primer_source::from_folder(&dir, &config.glossary) {
                Ok(primer) => done(primer, Some(dir), None),
                Err(e) => done(
                    primer_source::bundled(true),
                    None,
                    Some(format!("primer-ls: {e}. Using the bundled primer instead; {fix} to a folder of Markdown sections.")),
                ),
            };
        }
        for candidate in workspace_primer_folders(roots) {
            if let Ok(primer) = primer_source::from_folder(&candidate, &config.glossary) {
                return done(primer, Some(candidate), None);
            }
        }
        done(primer_source::bundled(true), None, None)
    }

    /// Starts walking the workspace folders, leaving out the primer folder the primer will most
    /// likely be loaded from: the walk and the loading of the primer run side by side. See
    /// [`Backend::index_workspace_after`].
    pub(super) fn walk_early(&self) -> EarlyWalk {
        let (config, roots, workspace) = {
            let s = lock(&self.state);
            (
                s.config.clone(),
                s.roots.clone(),
                s.workspace_config.clone(),
            )
        };
        // Off the lock: finding the folder asks the file system.
        let primer_dir = likely_primer_dir(&config, workspace.as_ref(), &roots);
        let (walking, dir, config_used) = (roots.clone(), primer_dir.clone(), workspace.clone());
        let walk = tokio::task::spawn_blocking(move || walk(&walking, dir, config_used));
        EarlyWalk {
            primer_dir,
            roots,
            workspace,
            walk,
        }
    }

    /// Reads the workspace's `.primer-ls.toml` (the first workspace folder's, found at or above
    /// it) and keeps it; its problems are shown. Whether the primer or its words, and whether
    /// the excluded notes, changed from the config held before.
    pub(super) async fn read_workspace_config(&self) -> (bool, bool) {
        let roots = lock(&self.state).roots.clone();
        let read = tokio::task::spawn_blocking(move || {
            roots
                .iter()
                .find_map(|r| crate::workspace_config::find(r))
                .map(|f| WorkspaceConfig::load(&f))
        })
        .await
        .unwrap_or(None);
        let before = {
            let mut s = lock(&self.state);
            let read = read.clone().map(|r| r.or_kept(s.workspace_config.as_ref()));
            std::mem::replace(&mut s.workspace_config, read)
        };
        let read = lock(&self.state).workspace_config.clone();
        if before == read {
            return (false, false);
        }
        if let Some(c) = &read {
            self.log(
                MessageType::INFO,
                format!("workspace config: {}", c.file.display()),
            )
            .await;
            if !c.problems.is_empty() {
                let problems = c.problems.join("; ");
                self.client
                    .show_message(MessageType::WARNING, format!("primer-ls: {problems}"))
                    .await;
                self.log(MessageType::WARNING, problems).await;
            }
        }
        let part = |c: &Option<WorkspaceConfig>| {
            c.as_ref().map(|c| (c.primer.clone(), c.not_terms.clone()))
        };
        let exclude = |c: &Option<WorkspaceConfig>| c.as_ref().map(|c| c.exclude.clone());
        (
            part(&before) != part(&read),
            exclude(&before) != exclude(&read),
        )
    }

    /// A `.primer-ls.toml` was created, changed or deleted: read it again, and load the primer
    /// or walk the notes again when what they depend on changed.
    pub(super) async fn workspace_config_changed(&self) {
        let (primer, notes) = self.read_workspace_config().await;
        if primer {
            self.reload_primer().await;
        }
        if notes {
            self.index_workspace().await;
        }
    }

    /// Loads the primer the settings name and makes it the world's. The last setting wins:
    /// reloads asked for while one runs are coalesced (the running one loads again with the
    /// latest settings when it ends), and a load whose settings changed meanwhile is dropped.
    /// The notes are analysed again with the new primer on a snapshot, off the state lock, and
    /// what changed meanwhile is caught up under it.
    pub(super) async fn reload_primer(&self) {
        {
            let mut s = lock(&self.state);
            s.primer_generation += 1;
            if s.primer_loading {
                return;
            }
            s.primer_loading = true;
        }
        let (loaded, current, first) = loop {
            let (generation, config, workspace, roots, current, first) = {
                let s = lock(&self.state);
                (
                    s.primer_generation,
                    s.config.clone(),
                    s.workspace_config.clone(),
                    s.roots.clone(),
                    s.primer_dir.clone(),
                    s.world.primer.sections.is_empty(),
                )
            };
            let loaded = tokio::task::spawn_blocking(move || {
                Backend::load_primer(&config, workspace.as_ref(), &roots)
            })
            .await
            .unwrap_or_else(|_| {
                (
                    Arc::new(primer_source::bundled(true)),
                    None,
                    Some("primer-ls: loading the primer failed".into()),
                )
            });
            let snapshot = {
                let s = lock(&self.state);
                if s.primer_generation != generation {
                    continue;
                }
                s.world.clone()
            };
            let primer = loaded.0.clone();
            let rebuilt = tokio::task::spawn_blocking(move || {
                let fresh = with_primer(&snapshot, primer);
                (snapshot, fresh)
            })
            .await;
            let Ok((snapshot, fresh)) = rebuilt else {
                lock(&self.state).primer_loading = false;
                return;
            };
            let mut s = lock(&self.state);
            if s.primer_generation != generation {
                continue;
            }
            let before: Vec<Arc<str>> = s.world.notes().map(|d| d.path.clone()).collect();
            s.world = s.world.catch_up(&snapshot, fresh);
            // A note that kept pieces of its text and whose file could not be read again is
            // left out, as one that is gone.
            for path in before {
                if s.world.note(&path).is_none() {
                    self.forget(&mut s, &path);
                }
            }
            s.primer_dir = loaded.1.clone();
            s.primer_loading = false;
            s.workspace_revision += 1;
            break (loaded, current, first);
        };
        let (primer, dir, error) = loaded;
        self.ready.send_replace(true);
        // What `primer-ls check --primer` would report about the course text itself.
        for p in primer.problems.iter().take(50) {
            let message = format!("primer: {}: {} [{}]", p.path, p.message, p.code);
            self.log(MessageType::WARNING, message).await;
        }
        if let Some(e) = error {
            self.client
                .show_message(MessageType::ERROR, e.clone())
                .await;
            self.log(MessageType::ERROR, e).await;
        }
        let from = dir.as_ref().map_or_else(
            || "the bundled primer".to_string(),
            |d| d.display().to_string(),
        );
        let changed = current != dir;
        self.log(
            MessageType::INFO,
            format!(
                "primer: {} sections, {} terms from {from}{}",
                primer.sections.len(),
                primer.terms.len(),
                if changed || first { "" } else { " (reloaded)" }
            ),
        )
        .await;
        self.schedule_workspace_diagnostics();
    }

    /// Walks the workspace folders and analyses every note, reporting progress when the client
    /// can show it; then publishes every note's diagnostics.
    pub(super) async fn index_workspace(&self) {
        self.index_workspace_after(None).await
    }

    /// [`Backend::index_workspace`] with a walk started earlier, taken when it walked what
    /// would be walked now (the same folders, primer folder and workspace config); otherwise
    /// the folders are walked again.
    pub(super) async fn index_workspace_after(&self, early: Option<EarlyWalk>) {
        lock(&self.state).indexing += 1;
        self.walk_workspace(early).await;
        {
            let mut s = lock(&self.state);
            s.indexing -= 1;
            s.walked = true;
        }
        self.publish_workspace_diagnostics().await;
    }

    async fn walk_workspace(&self, early: Option<EarlyWalk>) {
        let (roots, primer_dir, workspace, progress) = {
            let s = lock(&self.state);
            (
                s.roots.clone(),
                s.primer_dir.clone(),
                s.workspace_config.clone(),
                s.support.work_done_progress,
            )
        };
        let token = NumberOrString::String("primer-ls/index".into());
        // A client that never answers the create request gets no progress, not a stall.
        let create =
            self.client
                .send_request::<WorkDoneProgressCreate>(WorkDoneProgressCreateParams {
                    token: token.clone(),
                });
        let progress = progress && matches!(self.ask(create).await, Some(Ok(())));
        if progress {
            self.progress(
                &token,
                WorkDoneProgress::Begin(WorkDoneProgressBegin {
                    title: "Indexing notes".into(),
                    message: Some(format!("{} folder(s)", roots.len())),
                    percentage: Some(0),
                    ..Default::default()
                }),
            )
            .await;
        }
        let primer = lock(&self.state).world.primer.clone();
        let used = primer.clone();
        let started = std::time::Instant::now();
        let walked_roots = roots.clone();
        let still = early
            .filter(|e| e.primer_dir == primer_dir && e.roots == roots && e.workspace == workspace);
        let walked = match still {
            Some(e) => e.walk.await,
            None => {
                let walking = roots.clone();
                tokio::task::spawn_blocking(move || walk(&walking, primer_dir, workspace)).await
            }
        };
        let Ok((mut walk, problems)) = walked else {
            return;
        };
        let mut warnings = std::mem::take(&mut walk.warnings);
        warnings.extend(
            problems
                .into_iter()
                .map(|message| crate::scan::FileWarning {
                    path: ".primer-ls.toml".into(),
                    message,
                }),
        );
        // The notes go into the world a batch at a time: requests answer from the notes read so
        // far while the rest are read (links to the others are still checked on disk).
        let allowed = crate::disk::Allowed::new(&roots);
        let files = Arc::new(std::mem::take(&mut walk.files));
        let total = files.len();
        let batch = total.div_ceil(4).max(INDEX_BATCH);
        let mut count = 0;
        let mut gone = vec![];
        // The reading threads hand each note in as it is analysed; a batch joins the world
        // while the next is read.
        let intake = Arc::new(Intake::new(batch));
        // (Let go in the background below, after what the walk left out is counted: its trim
        // then takes no lock from the answers asked as the index ends.)
        let reading = crate::memory::reading_many();
        {
            let (files, primer) = (files.clone(), primer.clone());
            let finish = Finish(intake.clone());
            tokio::task::spawn_blocking(move || {
                crate::scan::analyse_each(&files, &primer, &allowed, &|analysed| {
                    finish.0.take_in(analysed)
                });
            });
        }
        // Files listed but not read: not kept from an earlier index; those too large are told
        // with what the walk left out.
        let mut skipped = HashSet::new();
        loop {
            let Some(Taken {
                docs,
                warnings: more,
                skipped: passed,
                last: done,
            }) = intake.take_out()
            else {
                intake.ready.notified().await;
                continue;
            };
            warnings.extend(more);
            for s in passed {
                if s.too_large {
                    walk.left_out.too_large.push(PathBuf::from(&s.warning.path));
                }
                skipped.insert(s.warning.path.clone());
                warnings.push(s.warning);
            }
            count += docs.len();
            {
                let mut s = lock(&self.state);
                // If the primer changed while indexing, the terms are found again with the new one.
                let same_primer = Arc::ptr_eq(&s.world.primer, &used);
                let docs: Vec<_> = docs
                    .into_iter()
                    .filter(|d| !s.open.contains_key(&*d.path))
                    .collect();
                if same_primer {
                    s.world.set_notes(docs);
                } else {
                    let primer = s.world.primer.clone();
                    for doc in docs {
                        if let Some(again) = s.world.analysed_again(&doc, &primer) {
                            s.world.set_note(Arc::new(again));
                        }
                    }
                }
            }
            if done {
                break;
            }
            if progress {
                self.progress(
                    &token,
                    WorkDoneProgress::Report(WorkDoneProgressReport {
                        message: Some(format!("{count} of {total} notes")),
                        percentage: Some((count * 100 / total.max(1)) as u32),
                        ..Default::default()
                    }),
                )
                .await;
            }
        }
        let walked: HashSet<_> = files
            .iter()
            .filter_map(|f| crate::disk::path_key(f))
            .filter(|k| !skipped.contains(&**k))
            .collect();
        {
            let mut s = lock(&self.state);
            // Notes of these folders the walk no longer finds (now excluded, or gone) go,
            // unless the editor has them open.
            let held = |n: &str| walked_roots.iter().any(|r| Path::new(n).starts_with(r));
            gone = s
                .world
                .notes()
                .map(|d| &*d.path)
                .filter(|&n| held(n) && !walked.contains(n) && !s.open.contains_key(n))
                .map(str::to_string)
                .collect();
            for g in &gone {
                self.forget(&mut s, g);
            }
        }
        for g in gone {
            self.publish(&g, vec![], None).await;
        }
        // What the walk left out is counted once the notes are in (it lists every folder
        // again): in the background, at a lower priority, while the notes' diagnostics and the
        // editor's requests go first.
        let b = self.clone();
        tokio::spawn(async move {
            let counted = super::state::in_background(move || {
                walk.count_left_out(&files);
                drop(reading);
                walk.left_out.summary(&roots)
            })
            .await;
            if let Some(Some(line)) = counted {
                b.log(MessageType::INFO, line).await;
            }
        });
        // (The notes' warnings came in as they were read: in the order of their files.)
        warnings.sort();
        for w in warnings {
            self.log(MessageType::WARNING, format!("{}: {}", w.path, w.message))
                .await;
        }
        self.log(
            MessageType::INFO,
            format!(
                "indexed {count} notes in {} ms",
                started.elapsed().as_millis()
            ),
        )
        .await;
        if progress {
            self.progress(
                &token,
                WorkDoneProgress::End(WorkDoneProgressEnd {
                    message: Some(format!("{count} notes")),
                }),
            )
            .await;
        }
    }

    pub(super) async fn progress(&self, token: &NumberOrString, value: WorkDoneProgress) {
        self.client
            .send_notification::<Progress>(ProgressParams {
                token: token.clone(),
                value: ProgressParamsValue::WorkDone(value),
            })
            .await;
    }

    /// The client's `primer` settings (workspace/configuration), if it has any.
    pub(super) async fn fetch_configuration(&self) -> Option<Value> {
        let items = vec![ConfigurationItem {
            scope_uri: None,
            section: Some("primer".into()),
        }];
        let values = self.ask(self.client.configuration(items)).await?.ok()?;
        values.into_iter().next().filter(|v| !v.is_null())
    }

    pub(super) async fn pull_configuration(&self) {
        if let Some(value) = self.fetch_configuration().await {
            self.apply_config(&value).await;
        }
    }

    /// Takes new settings: reloads the primer when its path changed, and asks the client to
    /// redraw what the other settings change.
    pub(super) async fn apply_config(&self, value: &Value) {
        let (before, after, support) = {
            let mut s = lock(&self.state);
            let before = s.config.clone();
            s.config.update(value);
            (before, s.config.clone(), s.support)
        };
        if before.inlay_hints != after.inlay_hints && support.inlay_hint_refresh {
            let b = self.clone();
            tokio::spawn(async move { b.ask(b.client.inlay_hint_refresh()).await });
        }
        if before.primer_path != after.primer_path {
            self.reload_primer().await;
        }
    }
}

/// New settings: those the notification carries when it has a `primer` section (some clients
/// send them even when they can be asked), else those the client gives when asked.
pub(super) async fn did_change_configuration(b: &Backend, params: DidChangeConfigurationParams) {
    let pull = lock(&b.state).support.configuration;
    if params.settings.get("primer").is_some() || !pull {
        b.apply_config(&params.settings).await;
    } else {
        b.pull_configuration().await;
    }
}

pub(super) async fn did_change_workspace_folders(
    b: &Backend,
    params: DidChangeWorkspaceFoldersParams,
) {
    let mut gone: Vec<String> = vec![];
    {
        let mut s = lock(&b.state);
        for removed in &params.event.removed {
            if let Ok(p) = removed.uri.to_file_path() {
                s.roots.retain(|r| r != &p);
            }
        }
        for added in &params.event.added {
            if let Ok(p) = added.uri.to_file_path() {
                s.roots.push(p);
            }
        }
        // Notes no remaining folder holds (by whole path components: `/x/notes-old` is not
        // inside `/x/notes`) go, unless the editor has them open.
        let roots = s.roots.clone();
        let held = |n: &str| roots.iter().any(|r| Path::new(n).starts_with(r));
        gone = s
            .world
            .notes()
            .map(|d| d.path.to_string())
            .filter(|n| n.starts_with('/') && !held(n) && !s.open.contains_key(n))
            .collect();
        for g in &gone {
            b.forget(&mut s, g);
        }
        let roots = super::capabilities::link_roots(&s.roots);
        s.world.set_roots(roots);
        // Notes are read again through the gate of the folders they are now read from.
        b.use_disk(&mut s);
    }
    for g in gone {
        b.publish(&g, vec![], None).await;
    }
    let (primer, _) = b.read_workspace_config().await;
    if primer {
        b.reload_primer().await;
    }
    b.index_workspace().await;
}

/// How many notes at least are read and analysed before they join the world, while indexing
/// (a large workspace joins in about four batches: each join copies the world's maps when a
/// request holds a snapshot of them, and the first request after it puts the notes in order
/// again; ten or sixteen batches measured slower, two or three no faster).
const INDEX_BATCH: usize = 2000;

/// Where the reading threads leave the notes they analysed for the index to take into the
/// world: it is woken when a batch is ready and when the reading is over.
struct Intake {
    batch: usize,
    ready: tokio::sync::Notify,
    waiting: std::sync::Mutex<Waiting>,
}

/// Tells the index that every file has been read when the reading ends, however it ends (a
/// panic in one note's analysis must not leave the index waiting).
struct Finish(Arc<Intake>);

impl Drop for Finish {
    fn drop(&mut self) {
        lock(&self.0.waiting).done = true;
        self.0.ready.notify_one();
    }
}

#[derive(Default)]
struct Waiting {
    docs: Vec<Arc<Doc>>,
    warnings: Vec<crate::scan::FileWarning>,
    skipped: Vec<crate::scan::Skipped>,
    done: bool,
}

/// What the index takes out of the intake at once: a batch of notes (the first in), the
/// warnings and the files skipped so far, and whether that was the last of them.
struct Taken {
    docs: Vec<Arc<Doc>>,
    warnings: Vec<crate::scan::FileWarning>,
    skipped: Vec<crate::scan::Skipped>,
    last: bool,
}

impl Intake {
    fn new(batch: usize) -> Intake {
        Intake {
            batch,
            ready: tokio::sync::Notify::new(),
            waiting: Default::default(),
        }
    }

    /// A reading thread's note (or why a file was skipped).
    fn take_in(&self, analysed: crate::scan::Analysed) {
        let full = {
            let mut w = lock(&self.waiting);
            match analysed {
                Ok((doc, warning)) => {
                    w.docs.push(doc);
                    w.warnings.extend(warning);
                }
                Err(skipped) => w.skipped.push(skipped),
            }
            // Woken as a batch fills (a wake-up waits while the index is joining; it takes
            // every full batch before it waits again).
            w.docs.len() == self.batch
        };
        if full {
            self.ready.notify_one();
        }
    }

    /// A batch of notes when one is waiting or the reading is over (see [`Taken`]).
    fn take_out(&self) -> Option<Taken> {
        let mut w = lock(&self.waiting);
        if w.docs.len() < self.batch && !w.done {
            return None;
        }
        let n = w.docs.len().min(self.batch);
        Some(Taken {
            docs: w.docs.drain(..n).collect(),
            warnings: std::mem::take(&mut w.warnings),
            skipped: std::mem::take(&mut w.skipped),
            last: w.done && w.docs.is_empty(),
        })
    }
}

/// A walk of the workspace folders started before the primer was loaded, and what it was
/// started with.
pub(super) struct EarlyWalk {
    primer_dir: Option<PathBuf>,
    roots: Vec<PathBuf>,
    workspace: Option<WorkspaceConfig>,
    walk: tokio::task::JoinHandle<(crate::scan::Walk, Vec<String>)>,
}

/// Walks `roots` for notes, leaving out `primer_dir` and what the workspace config excludes;
/// with the problems of the config's `exclude`.
fn walk(
    roots: &[PathBuf],
    primer_dir: Option<PathBuf>,
    workspace: Option<WorkspaceConfig>,
) -> (crate::scan::Walk, Vec<String>) {
    let mut problems = vec![];
    let exclude = workspace.and_then(|w| w.excluder(&mut problems));
    let walk =
        crate::scan::markdown_files_in_parallel(roots, primer_dir.as_deref(), exclude.as_ref());
    (walk, problems)
}

/// The primer folder [`Backend::load_primer`] will try first (it takes another when that one
/// cannot be read): known before the primer is loaded, so the walk of the notes, which leaves it
/// out, can start at once.
fn likely_primer_dir(
    config: &Config,
    workspace: Option<&WorkspaceConfig>,
    roots: &[PathBuf],
) -> Option<PathBuf> {
    match chosen_primer(config, workspace, roots) {
        Some((dir, _)) => Some(dir),
        None => workspace_primer_folders(roots).next(),
    }
}

/// The workspace folders' own `primer/` folders, in the folders' order: where a primer is looked
/// for when the settings choose none.
fn workspace_primer_folders(roots: &[PathBuf]) -> impl Iterator<Item = PathBuf> + '_ {
    roots
        .iter()
        .map(|r| r.join("primer"))
        .filter(|candidate| candidate.is_dir())
}

/// The primer folder the settings choose (the editor's `primer.path`, relative to the first
/// workspace folder, else the workspace config's `primer`), with how to change that choice.
fn chosen_primer(
    config: &Config,
    workspace: Option<&WorkspaceConfig>,
    roots: &[PathBuf],
) -> Option<(PathBuf, &'static str)> {
    match (
        &config.primer_path,
        workspace.and_then(|w| w.primer.as_ref()),
    ) {
        (Some(p), _) => {
            let mut dir = PathBuf::from(p);
            if dir.is_relative() {
                if let Some(root) = roots.first() {
                    dir = root.join(dir);
                }
            }
            Some((dir, "set primer.path"))
        }
        (None, Some(dir)) => Some((dir.clone(), "set `primer` in .primer-ls.toml")),
        (None, None) => None,
    }
}

/// The world's notes analysed again with another primer, in parallel (those that kept only
/// pieces of their text read again from their files; one that cannot be is left out, as its
/// file's change or removal is on its way).
fn with_primer(world: &World, primer: Arc<Primer>) -> World {
    let notes: Vec<&Arc<Doc>> = world.notes().collect();
    let docs: Vec<Arc<Doc>> = notes
        .par_iter()
        .filter_map(|d| world.analysed_again(d, &primer).map(Arc::new))
        .collect();
    let mut fresh = World::new(primer);
    fresh.same_setup_as(world);
    fresh.set_notes(docs);
    fresh
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(name: &str) -> crate::scan::Analysed {
        let doc = Doc::note(Arc::from(name), Arc::from("A note.\n"), &Primer::empty());
        Ok((Arc::new(doc), None))
    }

    #[test]
    fn the_intake_gives_full_batches_then_the_rest_once_the_reading_ends() {
        let intake = Arc::new(Intake::new(2));
        let finish = Finish(intake.clone());
        for name in ["/a.md", "/b.md", "/c.md"] {
            finish.0.take_in(note(name));
        }
        finish.0.take_in(Err(crate::scan::Skipped {
            warning: crate::scan::FileWarning {
                path: "/d.md".into(),
                message: "unreadable".into(),
            },
            too_large: false,
        }));
        let taken = intake.take_out().expect("a full batch");
        let paths: Vec<&str> = taken.docs.iter().map(|d| &*d.path).collect();
        assert_eq!(
            (paths, taken.skipped.len(), taken.last),
            (vec!["/a.md", "/b.md"], 1, false)
        );
        // One note waits: not a batch while the reading goes on.
        assert!(intake.take_out().is_none());
        drop(finish);
        let taken = intake.take_out().expect("the rest");
        assert_eq!(
            (taken.docs.len(), taken.skipped.len(), taken.last),
            (1, 0, true)
        );
    }

    #[test]
    fn a_panic_while_reading_still_ends_the_intake() {
        let intake = Arc::new(Intake::new(2));
        let finish = Finish(intake.clone());
        let reading = std::thread::spawn(move || {
            finish.0.take_in(note("/a.md"));
            panic!("a note's analysis panicked");
        });
        assert!(reading.join().is_err());
        let taken = intake.take_out().expect("the reading is over");
        assert_eq!((taken.docs.len(), taken.last), (1, true));
    }
}
