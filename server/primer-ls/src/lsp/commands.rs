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

pub(super) const NOT_A_TERM_COMMAND: &str = "primer.notATerm";

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
        let path = path_of(&uri);
        // An answer about one note, from its whole text (see `analyse_at`).
        let whole = self
            .analyse_at(path.clone(), |_, world, _, enc| Some((world.clone(), enc)))
            .await?;
        let Some((world, enc)) = whole else {
            return Ok(serde_json::json!({"inserted": 0, "reason": "changed on disk"}));
        };
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

impl Backend {
    /// `primer.notATerm`: adds `word` to `not-terms` in the workspace's `.primer-ls.toml` (made
    /// at the top of the first workspace folder when there is none) through an edit the editor
    /// applies, then stops matching it at once, before the file is saved.
    pub(super) async fn not_a_term_command(&self, arg: &Value) -> Result<Value> {
        let bad = |what: &str| Error::invalid_params(format!("primer.notATerm: {what}"));
        let word = arg
            .get("word")
            .and_then(Value::as_str)
            .map(|w| w.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|w| !w.is_empty() && w.len() <= 200)
            .ok_or_else(|| bad("expected {word} (a word or phrase of at most 200 bytes)"))?;
        let (file, create, enc) = {
            let s = lock(&self.state);
            let file = s
                .workspace_config
                .as_ref()
                .map(|c| c.file.clone())
                .or_else(|| {
                    s.roots
                        .first()
                        .map(|r| r.join(crate::workspace_config::FILE_NAME))
                });
            (file, s.support.create_files, s.encoding)
        };
        let file = file.ok_or_else(|| bad("the workspace has no folder for .primer-ls.toml"))?;
        let at = file.clone();
        let old = tokio::task::spawn_blocking(move || {
            let folder = at
                .parent()
                .map(std::path::Path::to_path_buf)
                .unwrap_or_default();
            match crate::disk::read(&at, &crate::disk::Allowed::new([folder])) {
                Ok(read) => Ok(Some(read.text)),
                Err(crate::disk::Refused::Missing) => Ok(None),
                Err(refused) => Err(format!("{} {refused}", at.display())),
            }
        })
        .await
        .map_err(|_| Error::internal_error())?
        .map_err(|e| bad(&e))?;
        let new =
            crate::workspace_config::with_word_not_a_term(old.as_deref().unwrap_or(""), &word)
                .map_err(|e| bad(&format!("{e} ({})", file.display())))?;
        let uri = Url::from_file_path(&file).map_err(|_| bad("the config file has no URI"))?;
        let answer = serde_json::json!({"word": word, "uri": uri});
        if old.as_deref() == Some(new.as_str()) {
            return Ok(serde_json::json!({"added": false, "word": word, "uri": uri}));
        }
        let edit = match &old {
            Some(old) => {
                let mut changes = HashMap::new();
                changes.insert(uri.clone(), vec![smallest_edit(old, &new, enc)]);
                WorkspaceEdit {
                    changes: Some(changes),
                    ..Default::default()
                }
            }
            None if create => WorkspaceEdit {
                document_changes: Some(DocumentChanges::Operations(vec![
                    DocumentChangeOperation::Op(ResourceOp::Create(CreateFile {
                        uri: uri.clone(),
                        options: Some(CreateFileOptions {
                            overwrite: Some(false),
                            ignore_if_exists: Some(true),
                        }),
                        annotation_id: None,
                    })),
                    DocumentChangeOperation::Edit(TextDocumentEdit {
                        text_document: OptionalVersionedTextDocumentIdentifier {
                            uri: uri.clone(),
                            version: None,
                        },
                        edits: vec![OneOf::Left(TextEdit {
                            range: Range::default(),
                            new_text: new.clone(),
                        })],
                    }),
                ])),
                ..Default::default()
            },
            None => {
                return Err(bad(&format!(
                    "the editor cannot create files through an edit; create {} with the line \
                     not-terms = [\"{word}\"]",
                    file.display()
                )))
            }
        };
        match self.ask(self.client.apply_edit(edit)).await {
            Some(Ok(r)) if r.applied => {}
            Some(Ok(r)) => {
                return Err(bad(&format!(
                    "the editor did not apply the edit: {}",
                    r.failure_reason.unwrap_or_default()
                )))
            }
            Some(Err(e)) => return Err(e),
            None => {
                return Err(bad(
                    "the editor did not answer the request to apply the edit",
                ))
            }
        }
        // The editor has the new text (saved or not): use it now.
        lock(&self.state).workspace_config =
            Some(crate::workspace_config::WorkspaceConfig::parse(&file, &new));
        self.reload_primer().await;
        let mut answer = answer;
        answer["added"] = Value::Bool(true);
        Ok(answer)
    }
}

/// One edit that turns `old` into `new`: the middle between what they share at both ends.
fn smallest_edit(old: &str, new: &str, enc: primer_analysis::Encoding) -> TextEdit {
    let mut start = old
        .bytes()
        .zip(new.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(start) || !new.is_char_boundary(start) {
        start -= 1;
    }
    let mut common_end = old[start..]
        .bytes()
        .rev()
        .zip(new[start..].bytes().rev())
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(old.len() - common_end)
        || !new.is_char_boundary(new.len() - common_end)
    {
        common_end -= 1;
    }
    let index = primer_analysis::LineIndex::new(old);
    TextEdit {
        range: Range {
            start: convert::text_position(old, &index, start, enc),
            end: convert::text_position(old, &index, old.len() - common_end, enc),
        },
        new_text: new[start..new.len() - common_end].to_string(),
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
        NOT_A_TERM_COMMAND => b.not_a_term_command(&first).await.map(Some),
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
