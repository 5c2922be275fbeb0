//! The workspace: choosing and loading the primer, indexing the notes of the workspace folders,
//! and configuration.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use primer_analysis::Primer;
use serde_json::Value;
use tower_lsp::lsp_types::notification::Progress;
use tower_lsp::lsp_types::request::WorkDoneProgressCreate;
use tower_lsp::lsp_types::*;

use super::config::Config;
use super::state::{lock, Backend};
use crate::primer_source;

impl Backend {
    /// Chooses and loads the primer: the configured folder, else a workspace `primer/` folder,
    /// else the bundled primer. A bad configured folder is an error message and the bundled primer.
    pub(super) fn load_primer(
        config: &Config,
        roots: &[PathBuf],
    ) -> (Arc<Primer>, Option<PathBuf>, Option<String>) {
        if let Some(p) = &config.primer_path {
            let mut dir = PathBuf::from(p);
            if dir.is_relative() {
                if let Some(root) = roots.first() {
                    dir = root.join(dir);
                }
            }
            return match primer_source::from_folder(&dir) {
                Ok(primer) => (primer, Some(dir), None),
                Err(e) => (
                    primer_source::bundled(true),
                    None,
                    Some(format!("primer-ls: {e}. Using the bundled primer instead; set primer.path to a folder of Markdown sections.")),
                ),
            };
        }
        for root in roots {
            let candidate = root.join("primer");
            if candidate.is_dir() {
                if let Ok(primer) = primer_source::from_folder(&candidate) {
                    return (primer, Some(candidate), None);
                }
            }
        }
        (primer_source::bundled(true), None, None)
    }

    pub(super) async fn reload_primer(&self) {
        let (config, roots, current, first) = {
            let s = lock(&self.state);
            let first = s.world.primer.sections.is_empty();
            (
                s.config.clone(),
                s.roots.clone(),
                s.primer_dir.clone(),
                first,
            )
        };
        let (primer, dir, error) =
            tokio::task::spawn_blocking(move || Backend::load_primer(&config, &roots))
                .await
                .unwrap_or_else(|_| {
                    (
                        primer_source::bundled(true),
                        None,
                        Some("primer-ls: loading the primer failed".into()),
                    )
                });
        let sections = primer.sections.len();
        let terms = primer.terms.len();
        // What `primer-ls check --primer` would report about the course text itself.
        for p in primer.problems.iter().take(50) {
            let message = format!("primer: {}: {} [{}]", p.path, p.message, p.code);
            self.log(MessageType::WARNING, message).await;
        }
        {
            let mut s = lock(&self.state);
            s.world.set_primer(primer);
            s.primer_dir = dir.clone();
            s.workspace_revision += 1;
        }
        self.ready.send_replace(true);
        if let Some(e) = error {
            self.client
                .show_message(MessageType::ERROR, e.clone())
                .await;
            self.log(MessageType::ERROR, e).await;
        }
        let from = dir.map_or_else(
            || "the bundled primer".to_string(),
            |d| d.display().to_string(),
        );
        let changed = current.as_deref().map(Path::to_path_buf) != lock(&self.state).primer_dir;
        self.log(
            MessageType::INFO,
            format!(
                "primer: {sections} sections, {terms} terms from {from}{}",
                if changed || first { "" } else { " (reloaded)" }
            ),
        )
        .await;
        self.publish_workspace_diagnostics().await;
    }

    /// Walks the workspace folders and analyses every note, reporting progress when the client can show it.
    pub(super) async fn index_workspace(&self) {
        let (roots, exclude, progress) = {
            let s = lock(&self.state);
            (
                s.roots.clone(),
                s.primer_dir.clone(),
                s.support.work_done_progress,
            )
        };
        let token = NumberOrString::String("primer-ls/index".into());
        let progress = progress
            && self
                .client
                .send_request::<WorkDoneProgressCreate>(WorkDoneProgressCreateParams {
                    token: token.clone(),
                })
                .await
                .is_ok();
        if progress {
            self.progress(
                &token,
                WorkDoneProgress::Begin(WorkDoneProgressBegin {
                    title: "Indexing notes".into(),
                    message: Some(format!("{} folder(s)", roots.len())),
                    ..Default::default()
                }),
            )
            .await;
        }
        let primer = lock(&self.state).world.primer.clone();
        let used = primer.clone();
        let started = std::time::Instant::now();
        let result = tokio::task::spawn_blocking(move || {
            let (files, mut warnings) = crate::scan::markdown_files(&roots, exclude.as_deref());
            let (docs, more) = crate::scan::analyse(&files, &primer);
            warnings.extend(more);
            (docs, warnings)
        })
        .await;
        let (docs, warnings) = result.unwrap_or_default();
        let count = docs.len();
        {
            let mut s = lock(&self.state);
            // If the primer changed while indexing, the terms are found again with the new one.
            let same_primer = Arc::ptr_eq(&s.world.primer, &used);
            for doc in docs {
                if !s.open.contains_key(&*doc.path) {
                    if same_primer {
                        s.world.set_note(doc);
                    } else {
                        s.world.set_note_text(doc.path.clone(), doc.text.clone());
                    }
                }
            }
        }
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
        self.publish_workspace_diagnostics().await;
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
        let values = self.client.configuration(items).await.ok()?;
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
            let client = self.client.clone();
            tokio::spawn(async move { client.inlay_hint_refresh().await });
        }
        if before.primer_path != after.primer_path {
            self.reload_primer().await;
        }
    }
}

pub(super) async fn did_change_configuration(b: &Backend, params: DidChangeConfigurationParams) {
    let pull = lock(&b.state).support.configuration;
    if pull {
        b.pull_configuration().await;
    } else {
        b.apply_config(&params.settings).await;
    }
}

pub(super) async fn did_change_workspace_folders(
    b: &Backend,
    params: DidChangeWorkspaceFoldersParams,
) {
    {
        let mut s = lock(&b.state);
        for removed in &params.event.removed {
            if let Ok(p) = removed.uri.to_file_path() {
                s.roots.retain(|r| r != &p);
                let prefix = primer_source::path_string(&p);
                let gone: Vec<String> = s
                    .world
                    .notes()
                    .map(|d| d.path.to_string())
                    .filter(|n| n.starts_with(&prefix))
                    .collect();
                for g in gone {
                    s.world.remove_note(&g);
                }
            }
        }
        for added in &params.event.added {
            if let Ok(p) = added.uri.to_file_path() {
                s.roots.push(p);
            }
        }
        let roots = s
            .roots
            .iter()
            .map(|r| primer_source::path_string(r))
            .collect();
        s.world.set_roots(roots);
    }
    b.index_workspace().await;
}
