//! Document sync and file watching: the editor's buffers and the files on disk become notes.
//!
//! Edits are applied without awaiting, so they happen in the order the editor sent them.

use std::sync::Arc;

use primer_analysis::World;
use ropey::Rope;
use tower_lsp::lsp_types::*;

use super::convert::path_of;
use super::document;
use super::state::{guarded, lock, Backend, OpenDoc};
use crate::primer_source;

pub(super) async fn did_open(b: &Backend, params: DidOpenTextDocumentParams) {
    let doc = params.text_document;
    let path = path_of(&doc.uri);
    {
        let mut s = lock(&b.state);
        s.uris.insert(path.clone(), doc.uri.clone());
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
    let uri = params.text_document.uri;
    let path = path_of(&uri);
    let on_disk = uri.to_file_path().ok().filter(|p| p.is_file());
    {
        let mut s = lock(&b.state);
        s.open.remove(&path);
        b.bump(&mut s, &path);
        if Backend::in_primer(&s, &path) {
            return;
        }
        match on_disk
            .as_ref()
            .and_then(|p| primer_source::read_text(p).ok())
        {
            Some((text, _)) => s
                .world
                .set_note_text(Arc::from(path.as_str()), Arc::from(text.as_str())),
            None => {
                s.world.remove_note(&path);
            }
        }
    }
    if on_disk.is_none() {
        b.publish(&path, vec![], None).await;
    }
    b.schedule_workspace_diagnostics();
}

pub(super) async fn did_change_watched_files(b: &Backend, params: DidChangeWatchedFilesParams) {
    let mut primer_changed = false;
    for change in params.changes {
        let path = path_of(&change.uri);
        let fs_path = change.uri.to_file_path().ok();
        let mut s = lock(&b.state);
        if Backend::in_primer(&s, &path) {
            primer_changed = true;
            continue;
        }
        if s.open.contains_key(&path) {
            continue; // The editor's buffer is the truth for open files.
        }
        b.bump(&mut s, &path);
        let text = fs_path
            .filter(|_| change.typ != FileChangeType::DELETED)
            .and_then(|p| primer_source::read_text(&p).ok());
        match text {
            Some((text, _)) => s
                .world
                .set_note_text(Arc::from(path.as_str()), Arc::from(text.as_str())),
            None => {
                s.world.remove_note(&path);
            }
        }
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
