//! Document sync and file watching: the editor's buffers and the files on disk become notes.
//!
//! Edits are applied without awaiting, so they happen in the order the editor sent them.

use std::sync::Arc;

use primer_analysis::World;
use ropey::Rope;
use tower_lsp::lsp_types::*;

use super::convert::{client_uri, file_path, path_of};
use super::document;
use super::state::{guarded, lock, Backend, OpenDoc};
use crate::disk;

pub(super) async fn did_open(b: &Backend, params: DidOpenTextDocumentParams) {
    let doc = params.text_document;
    let path = path_of(&doc.uri);
    {
        let mut s = lock(&b.state);
        s.uris.insert(path.clone(), client_uri(&doc.uri, &path));
        s.open.insert(
            path.clone(),
            OpenDoc {
                rope: Rope::from_str(&doc.text),
                version: doc.version,
            },
        );
        b.bump(&mut s, &path);
        if !Backend::in_primer(&s, &path) {
            let text: Arc<str> = Arc::from(doc.text.as_str());
            let p: Arc<str> = Arc::from(path.as_str());
            let world = &mut s.world;
            if guarded(|| world.set_note_text(p, text)).is_err() {
                eprintln!("primer-ls: analysing {path} failed; it is left out");
            }
        }
    }
    b.schedule_diagnostics(path, 0);
}

pub(super) async fn did_change(b: &Backend, params: DidChangeTextDocumentParams) {
    let path = path_of(&params.text_document.uri);
    let debounce = {
        let mut s = lock(&b.state);
        let enc = s.encoding;
        let Some(open) = s.open.get_mut(&path) else {
            eprintln!("primer-ls: didChange for {path}, which is not open; ignored");
            return;
        };
        if params.text_document.version <= open.version {
            eprintln!("primer-ls: didChange for {path} with version {} after {}; applied in order received", params.text_document.version, open.version);
        }
        open.version = params.text_document.version;
        let rope = &mut open.rope;
        let applied = guarded(|| document::apply_changes(rope, &params.content_changes, enc));
        let Ok((text, edit)) = applied else {
            eprintln!("primer-ls: applying an edit to {path} failed");
            return;
        };
        b.bump(&mut s, &path);
        let mut checklists_changed = false;
        if !Backend::in_primer(&s, &path) {
            let before = checklist_signature(&s.world, &path);
            let p: Arc<str> = Arc::from(path.as_str());
            let world = &mut s.world;
            let done = guarded(|| match edit {
                Some(edit) => world.edit_note(p.clone(), edit, text.clone()),
                None => world.set_note_text(p.clone(), text.clone()),
            });
            if done.is_err() {
                // The incremental path failed: analyse the whole note, so it is not lost.
                let world = &mut s.world;
                let _ = guarded(|| world.set_note_text(p, text));
            }
            checklists_changed = before != checklist_signature(&s.world, &path);
        }
        (s.config.debounce_ms, checklists_changed)
    };
    let (debounce, checklists_changed) = debounce;
    if checklists_changed {
        b.refresh_outcome_views(&path, debounce).await;
    }
    b.schedule_diagnostics(path, debounce);
}

pub(super) async fn did_save(b: &Backend, _params: DidSaveTextDocumentParams) {
    b.schedule_workspace_diagnostics();
}

pub(super) async fn did_close(b: &Backend, params: DidCloseTextDocumentParams) {
    let path = path_of(&params.text_document.uri);
    let (allowed, primer) = {
        let mut s = lock(&b.state);
        s.open.remove(&path);
        b.bump(&mut s, &path);
        if Backend::in_primer(&s, &path) {
            return;
        }
        (b.allowed(&s), s.world.primer.clone())
    };
    // The note becomes what is on disk again, if it is a file the workspace may read, kept as
    // every note that is not open is; read and analysed off the lock.
    let file = file_path(&path);
    let (used, at) = (primer.clone(), path.clone());
    let read = tokio::task::spawn_blocking(move || {
        let read = disk::read(file.as_ref()?, &allowed).ok()?;
        let mut doc = primer_analysis::Doc::note(at.as_str().into(), read.text, &primer);
        doc.close(read.stamp);
        Some(doc)
    })
    .await
    .ok()
    .flatten();
    let on_disk = read.is_some();
    {
        let mut s = lock(&b.state);
        if s.open.contains_key(&path) {
            return; // Opened again meanwhile: the editor's text wins.
        }
        let primer = s.world.primer.clone();
        let doc = match read {
            // The primer changed meanwhile: its terms are found again.
            Some(doc) if !Arc::ptr_eq(&primer, &used) => s.world.analysed_again(&doc, &primer),
            doc => doc,
        };
        match doc {
            Some(doc) => s.world.set_note(Arc::new(doc)),
            None => b.forget(&mut s, &path),
        }
    }
    if !on_disk {
        b.publish(&path, vec![], None).await;
    }
    b.schedule_workspace_diagnostics();
}

pub(super) async fn did_change_watched_files(b: &Backend, params: DidChangeWatchedFilesParams) {
    // Sort the changes under the lock; read and analyse the files off it.
    let mut primer_changed = false;
    let mut config_changed = false;
    let mut changed: Vec<(String, bool)> = vec![];
    let (allowed, primer) = {
        let s = lock(&b.state);
        for change in params.changes {
            let path = path_of(&change.uri);
            if path.ends_with(&format!("/{}", crate::workspace_config::FILE_NAME)) {
                config_changed = true;
            } else if Backend::in_primer(&s, &path) {
                primer_changed = true;
            } else if !s.open.contains_key(&path) {
                // (The editor's buffer is the truth for open files.)
                changed.push((path, change.typ == FileChangeType::DELETED));
            }
        }
        (b.allowed(&s), s.world.primer.clone())
    };
    if !changed.is_empty() {
        let used = primer.clone();
        let read = tokio::task::spawn_blocking(move || {
            changed
                .into_iter()
                .map(|(path, deleted)| {
                    // A path the gate refuses (outside the workspace, a FIFO, a link to a
                    // device, too large) is read as gone.
                    let text = file_path(&path)
                        .filter(|_| !deleted)
                        .and_then(|f| disk::read(&f, &allowed).ok());
                    let doc = text.map(|t| {
                        let p = Arc::from(path.as_str());
                        let mut doc = primer_analysis::Doc::note(p, t.text, &primer);
                        doc.close(t.stamp);
                        Arc::new(doc)
                    });
                    (path, doc)
                })
                .collect::<Vec<_>>()
        })
        .await
        .unwrap_or_default();
        let mut s = lock(&b.state);
        let same_primer = Arc::ptr_eq(&s.world.primer, &used);
        for (path, doc) in read {
            if s.open.contains_key(&path) {
                continue;
            }
            b.bump(&mut s, &path);
            match doc {
                Some(doc) if same_primer => s.world.set_note(doc),
                Some(doc) => {
                    let primer = s.world.primer.clone();
                    match s.world.analysed_again(&doc, &primer) {
                        Some(again) => s.world.set_note(Arc::new(again)),
                        None => b.forget(&mut s, &path),
                    }
                }
                None => b.forget(&mut s, &path),
            }
        }
    }
    if config_changed {
        b.workspace_config_changed().await;
    }
    if primer_changed {
        b.reload_primer().await;
    } else {
        b.schedule_workspace_diagnostics();
    }
}

/// What a note's checklists say (outcome and tick per item), to notice when they change.
fn checklist_signature(world: &World, path: &str) -> Vec<(Option<usize>, bool)> {
    world
        .note(path)
        .map(|d| d.checklist.iter().map(|c| (c.outcome, c.checked)).collect())
        .unwrap_or_default()
}

impl Backend {
    /// Reads the note at `path` again from its file, as when the editor says it changed.
    pub(super) fn read_again(&self, path: &str) {
        let (Some(uri), Ok(runtime)) = (self.uri_for(path), tokio::runtime::Handle::try_current())
        else {
            return;
        };
        let b = self.clone();
        let changes = vec![FileEvent {
            uri,
            typ: FileChangeType::CHANGED,
        }];
        runtime.spawn(async move {
            did_change_watched_files(&b, DidChangeWatchedFilesParams { changes }).await
        });
    }
}
