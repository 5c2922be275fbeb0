//! `workspace/executeCommand`: the server's commands (docs/protocol.md describes them).

use std::collections::{HashMap, HashSet};

use primer_analysis::{outcomes, World};
use serde_json::Value;
use tower_lsp::jsonrpc::{Error, Result};
use tower_lsp::lsp_types::*;

use super::convert::{self, path_of};
use super::state::{guarded, lock, Backend};

/// The command that panics on purpose, for testing panic containment. It exists only when the
/// environment variable `PRIMER_LS_FAULT_INJECTION=1` is set.
pub(super) const PANIC_COMMAND: &str = "primer-ls.debug.panic";

/// The commands behind `workspace/executeCommand` (docs/protocol.md describes them).
pub(super) const OUTCOMES_COMMAND: &str = "primer.outcomes";

pub(super) const INSERT_CHECKLIST_COMMAND: &str = "primer.insertChecklist";

pub(super) const COVERAGE_COMMAND: &str = "primer.coverage";

/// What the server keeps, by count (for tests that check nothing grows without bound). Like
/// [`PANIC_COMMAND`], only with `PRIMER_LS_FAULT_INJECTION=1`.
pub(super) const STATS_COMMAND: &str = "primer-ls.debug.stats";

impl Backend {
    /// `primer.outcomes`: workspace-wide progress as JSON (see docs/protocol.md).
    pub(super) async fn outcomes_command(&self, arg: &Value) -> Result<Value> {
        let document = arg
            .pointer("/textDocument/uri")
            .and_then(Value::as_str)
            .and_then(|u| Url::parse(u).ok())
            .map(|u| path_of(&u));
        self.analyse(move |b, world, enc| {
            outcomes_json(world, document.as_deref(), |fr| {
                b.location_of(world, fr, enc)
            })
        })
        .await
    }

    /// `primer.coverage`: which notes rely on which sections.
    pub(super) async fn coverage_command(&self) -> Result<Value> {
        self.analyse(|b, world, _| {
            let cov = outcomes::coverage(world);
            let primer = &world.primer;
            let url = |p: &str| b.uri_for(p).map(|u| u.to_string());
            let sections: Vec<Value> = cov
                .sections
                .iter()
                .enumerate()
                .map(|(s, notes)| {
                    serde_json::json!({
                        "id": primer.sections[s].id,
                        "title": primer.sections[s].title,
                        "uri": url(&primer.doc_of(s).path),
                        "notes": notes.iter().filter_map(|n| url(n)).collect::<Vec<_>>(),
                    })
                })
                .collect();
            let notes: Vec<Value> = cov
                .notes
                .iter()
                .map(|(path, secs)| {
                    serde_json::json!({
                        "uri": url(path),
                        "sections": secs.iter().map(|&s| primer.sections[s].id.clone()).collect::<Vec<_>>(),
                    })
                })
                .collect();
            serde_json::json!({"sections": sections, "notes": notes})
        })
        .await
    }

    /// Asks the user which checklist to insert (`window/showMessageRequest`, one button per
    /// choice); the sections of the chosen one. One choice is taken without asking; `None` when
    /// there is nothing to insert or the user chose nothing.
    async fn choose_checklist(
        &self,
        world: &World,
        path: &str,
        position: Position,
        enc: primer_analysis::Encoding,
    ) -> Option<Vec<usize>> {
        let doc = world.note(path)?;
        let at = convert::offset(doc, position, enc);
        let choices = outcomes::checklist_choices(world, path, at);
        if choices.len() <= 1 {
            return choices.into_iter().next().map(|c| c.sections);
        }
        let actions: Vec<MessageActionItem> = choices
            .iter()
            .map(|c| MessageActionItem {
                title: c.label.clone(),
                properties: Default::default(),
            })
            .collect();
        // Waiting for a person: longer than for an automatic answer, but not for ever.
        let answer = tokio::time::timeout(
            std::time::Duration::from_secs(300),
            self.client.show_message_request(
                MessageType::INFO,
                "Insert the learning outcomes of which section?",
                Some(actions),
            ),
        )
        .await;
        let chosen = answer.ok()?.ok()??;
        choices
            .into_iter()
            .find(|c| c.label == chosen.title)
            .map(|c| c.sections)
    }

    /// `primer.insertChecklist`: asks the editor to insert the missing outcomes.
    pub(super) async fn insert_checklist_command(&self, arg: &Value) -> Result<Value> {
        let bad = |what: &str| Error::invalid_params(format!("primer.insertChecklist: {what}"));
        let uri = arg
            .pointer("/textDocument/uri")
            .and_then(Value::as_str)
            .and_then(|u| Url::parse(u).ok())
            .ok_or_else(|| bad("expected {textDocument: {uri}, position}"))?;
        let position: Position = arg
            .get("position")
            .cloned()
            .and_then(|p| serde_json::from_value(p).ok())
            .unwrap_or_default();
        let (world, enc) = self.snapshot();
        let path = path_of(&uri);
        let ask = arg.get("ask").and_then(Value::as_bool) == Some(true);
        let sections: Vec<usize> = match arg.get("section").and_then(Value::as_str) {
            Some(id) => vec![world
                .primer
                .section_by_id(id)
                .ok_or_else(|| bad(&format!("no primer section '{id}'")))?],
            None if ask => match self.choose_checklist(&world, &path, position, enc).await {
                Some(sections) => sections,
                None => return Ok(serde_json::json!({"inserted": 0, "reason": "dismissed"})),
            },
            None => (0..world.primer.sections.len()).collect(),
        };
        let edit = guarded(|| {
            let doc = world.note(&path)?;
            let at = convert::offset(doc, position, enc);
            let (edits, n) = outcomes::insert_checklist(&world, &path, at, &sections)?;
            let edits: Vec<TextEdit> = edits
                .into_iter()
                .map(|(r, text)| TextEdit {
                    range: convert::range(doc, r, enc),
                    new_text: text,
                })
                .collect();
            Some((edits, n))
        })?;
        let Some((edits, n)) = edit else {
            if world.note(&path).is_none() {
                return Err(bad(
                    "the document is not a note primer-ls knows (is it open?)",
                ));
            }
            return Ok(serde_json::json!({"inserted": 0, "reason": "complete"}));
        };
        let mut changes = HashMap::new();
        changes.insert(uri, edits);
        let applied = self
            .ask(self.client.apply_edit(WorkspaceEdit {
                changes: Some(changes),
                ..Default::default()
            }))
            .await;
        match applied {
            Some(Ok(r)) if r.applied => Ok(serde_json::json!({"inserted": n})),
            Some(Ok(r)) => Err(Error::invalid_params(format!(
                "the editor did not apply the checklist: {}",
                r.failure_reason.unwrap_or_default()
            ))),
            Some(Err(e)) => Err(e),
            None => Err(Error::invalid_params(
                "the editor did not answer the request to apply the checklist",
            )),
        }
    }
}

pub(super) async fn execute_command(
    b: &Backend,
    params: ExecuteCommandParams,
) -> Result<Option<Value>> {
    b.wait_ready().await;
    if params.command == PANIC_COMMAND && lock(&b.state).fault_injection {
        guarded(|| panic!("deliberate panic for testing ({PANIC_COMMAND})"))?;
    }
    if params.command == STATS_COMMAND && lock(&b.state).fault_injection {
        let s = lock(&b.state);
        return Ok(Some(serde_json::json!({
            "open": s.open.len(),
            "uris": s.uris.len(),
            "revisions": s.revisions.len(),
            "published": s.published.len(),
            "notes": s.world.note_count(),
        })));
    }
    let first = params.arguments.into_iter().next().unwrap_or(Value::Null);
    match params.command.as_str() {
        OUTCOMES_COMMAND => b.outcomes_command(&first).await.map(Some),
        COVERAGE_COMMAND => b.coverage_command().await.map(Some),
        INSERT_CHECKLIST_COMMAND => b.insert_checklist_command(&first).await.map(Some),
        _ => {
            let mut e = Error::invalid_params(format!("unknown command '{}'", params.command));
            e.code = tower_lsp::jsonrpc::ErrorCode::MethodNotFound;
            Err(e)
        }
    }
}

/// The `primer.outcomes` answer: every outcome with its status, and per-section totals.
fn outcomes_json(
    world: &World,
    document: Option<&str>,
    location: impl Fn(&primer_analysis::FileRange) -> Option<Location>,
) -> Value {
    let primer = &world.primer;
    let progress = outcomes::progress(world);
    let listed: HashSet<usize> = document
        .and_then(|d| world.note(d))
        .map(|d| d.checklist.iter().filter_map(|c| c.outcome).collect())
        .unwrap_or_default();
    let locations = |v: &[primer_analysis::FileRange]| -> Vec<Location> {
        v.iter().filter_map(&location).collect()
    };
    let list: Vec<Value> = primer
        .outcomes
        .iter()
        .zip(&progress.outcomes)
        .enumerate()
        .map(|(i, (o, status))| {
            let at = primer_analysis::FileRange {
                path: primer.doc_of(o.section).path.clone(),
                range: o.range,
            };
            let mut v = serde_json::json!({
                "id": o.id,
                "text": o.text,
                "section": primer.sections[o.section].id,
                "sectionTitle": primer.sections[o.section].title,
                "done": status.done(),
                "location": location(&at),
                "ticked": locations(&status.ticked),
                "unticked": locations(&status.unticked),
            });
            if document.is_some() {
                v["inDocument"] = Value::Bool(listed.contains(&i));
            }
            v
        })
        .collect();
    let sections: Vec<Value> = (0..primer.sections.len())
        .filter(|&s| primer.section_outcomes(s).next().is_some())
        .map(|s| {
            let (done, total) = progress.count(|o| primer.outcomes[o].section == s);
            serde_json::json!({
                "id": primer.sections[s].id,
                "title": primer.sections[s].title,
                "uri": convert::uri_of(&primer.doc_of(s).path),
                "done": done,
                "total": total,
            })
        })
        .collect();
    let (done, total) = progress.count(|_| true);
    serde_json::json!({"done": done, "total": total, "sections": sections, "outcomes": list})
}
