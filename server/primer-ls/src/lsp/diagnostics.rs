//! Publishing diagnostics: debounced per document after edits, for every note after the
//! workspace changes, and computed off the request path on a snapshot.

use primer_analysis::{ide, Encoding, Severity, World};
use serde_json::Value;
use tower_lsp::lsp_types::*;

use super::convert::{self, uri_of};
use super::lsp_ext::{OutcomesChanged, OutcomesChangedParams};
use super::state::{guarded, in_background, lock, Backend};

impl Backend {
    /// Computes and publishes diagnostics for every note (off the request path). An open
    /// document's carry the version they were computed for. None is published for a note
    /// opened, changed or closed since they set out (its own come after that): they would be of
    /// an older text.
    pub(super) async fn publish_workspace_diagnostics(&self) {
        self.outcomes_changed();
        let (world, enc, open, revisions) = {
            let s = lock(&self.state);
            let open: std::collections::HashMap<String, i32> =
                s.open.iter().map(|(p, d)| (p.clone(), d.version)).collect();
            // (Only the notes the editor has opened have a revision: a short list.)
            (s.world.clone(), s.encoding, open, s.revisions.clone())
        };
        let answering = self.answering.clone();
        let computed = in_background(move || {
            let mut out = vec![];
            for doc in world.notes() {
                answering.step_aside();
                let problems = guarded(|| ide::diagnostics(&world, &doc.path)).unwrap_or_default();
                out.push((
                    doc.path.to_string(),
                    to_lsp_diagnostics(&world, &doc.path, &problems, enc),
                ));
            }
            out
        })
        .await
        .unwrap_or_default();
        for (path, diags) in computed {
            let version = open.get(&path).copied();
            let revision = revisions.get(&path).copied();
            self.publish_if(&path, diags, version, Some(revision)).await;
        }
    }

    pub(super) async fn publish(&self, path: &str, diags: Vec<Diagnostic>, version: Option<i32>) {
        self.publish_if(path, diags, version, None).await
    }

    /// Publishes a document's diagnostics, unless they are stale: when `revision` is given, the
    /// document must still be at it; and diagnostics are only published for documents the
    /// server still has (a closed untitled buffer gets none after its close).
    pub(super) async fn publish_if(
        &self,
        path: &str,
        diags: Vec<Diagnostic>,
        version: Option<i32>,
        revision: Option<Option<u64>>,
    ) {
        let uri = {
            let mut s = lock(&self.state);
            if revision.is_some_and(|r| s.revisions.get(path).copied() != r) {
                return;
            }
            if !diags.is_empty() && s.world.doc(path).is_none() {
                return;
            }
            let was = s.published.contains(path);
            if diags.is_empty() && !was {
                return;
            }
            if diags.is_empty() {
                s.published.remove(path);
            } else {
                s.published.insert(path.to_string());
            }
            s.uris.get(path).cloned().or_else(|| uri_of(path))
        };
        if let Some(uri) = uri {
            self.client.publish_diagnostics(uri, diags, version).await;
        }
    }

    /// Publishes one document's diagnostics after `delay_ms`, unless it changed again meanwhile.
    pub(super) fn schedule_diagnostics(&self, path: String, delay_ms: u64) {
        let backend = self.clone();
        // The revision this change made, taken now: a task that starts late (the runtime busy
        // with a stream of edits) must not take a later edit's revision for its own, or every
        // late one publishes once the stream ends.
        let rev = lock(&self.state).revisions.get(&path).copied();
        tokio::spawn(async move {
            if delay_ms > 0 {
                tokio::time::sleep(std::time::Duration::from_millis(delay_ms)).await;
            }
            let (world, enc, version) = {
                let s = lock(&backend.state);
                if s.revisions.get(&path).copied() != rev || s.walking() {
                    return;
                }
                (
                    s.world.clone(),
                    s.encoding,
                    s.open.get(&path).map(|d| d.version),
                )
            };
            let p = path.clone();
            // The note being edited: what the user waits for.
            let _answering = backend.answering.start();
            let diags = tokio::task::spawn_blocking(move || {
                let problems = guarded(|| ide::diagnostics(&world, &p)).unwrap_or_default();
                to_lsp_diagnostics(&world, &p, &problems, enc)
            })
            .await
            .unwrap_or_default();
            backend.publish_if(&path, diags, version, Some(rev)).await;
        });
    }

    /// After a note's checklist changed: other open notes' outcome hints and every code lens.
    pub(super) async fn refresh_outcome_views(&self, changed: &str, delay_ms: u64) {
        let (others, refresh) = {
            let s = lock(&self.state);
            let others: Vec<String> = s
                .open
                .keys()
                .filter(|p| p.as_str() != changed)
                .filter(|p| s.world.note(p).is_some_and(|d| !d.checklist.is_empty()))
                .cloned()
                .collect();
            (others, s.support.code_lens_refresh)
        };
        for path in others {
            self.schedule_diagnostics(path, delay_ms);
        }
        let _ = refresh;
        self.outcomes_changed();
    }

    /// Tells the client that workspace-wide outcome counts may have changed: the
    /// `primer/outcomesChanged` notification (docs/protocol.md) with the counts, and a code lens
    /// refresh when the client supports one. Sent when the workspace is indexed, when the primer
    /// is loaded, and whenever a note's checklists or the notes on disk change.
    pub(super) fn outcomes_changed(&self) {
        let (world, refresh) = {
            let s = lock(&self.state);
            (s.world.clone(), s.support.code_lens_refresh)
        };
        let total = world.primer.outcomes.len();
        let done = (0..total).filter(|&o| world.outcome_ticked(o)).count();
        let b = self.clone();
        // Not awaited here: the answers must not hold up the next edit.
        tokio::spawn(async move {
            b.client
                .send_notification::<OutcomesChanged>(OutcomesChangedParams { done, total })
                .await;
            if refresh {
                b.ask(b.client.code_lens_refresh()).await;
            }
        });
    }

    /// Re-checks every note a while after files changed on disk or were saved.
    pub(super) fn schedule_workspace_diagnostics(&self) {
        let backend = self.clone();
        // Counted now, as the debounced check of one note takes its revision now (not when the
        // task first runs): a later change supersedes this one even if its task starts first.
        let (rev, delay) = {
            let mut s = lock(&self.state);
            s.workspace_revision += 1;
            (s.workspace_revision, s.config.debounce_ms)
        };
        tokio::spawn(async move {
            tokio::time::sleep(std::time::Duration::from_millis(delay.max(100))).await;
            // (A walk that is running publishes everything when it ends.)
            let current = {
                let s = lock(&backend.state);
                s.workspace_revision == rev && !s.walking()
            };
            if current {
                backend.publish_workspace_diagnostics().await;
            }
        });
    }
}

fn to_lsp_diagnostics(
    world: &World,
    path: &str,
    problems: &[primer_analysis::Problem],
    enc: Encoding,
) -> Vec<Diagnostic> {
    let Some(doc) = world.doc(path) else {
        return vec![];
    };
    problems
        .iter()
        .map(|p| Diagnostic {
            range: convert::range(doc, p.range, enc),
            severity: Some(match p.severity {
                Severity::Error => DiagnosticSeverity::ERROR,
                Severity::Warning => DiagnosticSeverity::WARNING,
                Severity::Information => DiagnosticSeverity::INFORMATION,
                Severity::Hint => DiagnosticSeverity::HINT,
            }),
            code: Some(NumberOrString::String(p.code.to_string())),
            source: Some("primer-ls".into()),
            message: p.message.clone(),
            data: p.fix.as_ref().map(|f| Value::String(f.text.clone())),
            ..Default::default()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::Duration;

    use futures::StreamExt;
    use tower::Service;
    use tower_lsp::jsonrpc::Request;
    use tower_lsp::LspService;

    use super::*;

    /// The debounced checks of a stream of edits that all start after the last edit (the
    /// runtime busy until then; here, a runtime of one thread that is not yielded to) publish
    /// once: each waits for the revision of its own edit, not the one it finds when it starts.
    #[tokio::test]
    async fn checks_that_start_after_a_stream_of_edits_publish_once() {
        let (mut service, mut socket) = LspService::new(Backend::new);
        let init = Request::build("initialize")
            .params(serde_json::json!({ "capabilities": {} }))
            .id(1)
            .finish();
        futures::future::poll_fn(|cx| service.poll_ready(cx))
            .await
            .unwrap();
        service.call(init).await.unwrap();
        let b = service.inner().clone();
        let path = "/notes/a.md";
        {
            let mut s = lock(&b.state);
            s.walked = true;
            let text = Arc::from("See [[nowhere]].\n");
            let doc = primer_analysis::Doc::note(Arc::from(path), text, &s.world.primer);
            s.world.set_note(Arc::new(doc));
        }
        for _ in 0..5 {
            b.bump(&mut lock(&b.state), path);
            b.schedule_diagnostics(path.to_string(), 20);
        }
        let mut published = 0;
        while let Ok(Some(message)) =
            tokio::time::timeout(Duration::from_millis(500), socket.next()).await
        {
            if message.method() == "textDocument/publishDiagnostics" {
                published += 1;
            }
        }
        assert_eq!(published, 1);
    }
}
