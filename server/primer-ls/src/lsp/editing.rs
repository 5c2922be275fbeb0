//! Editing requests: completion and code actions.

use std::collections::HashMap;

use primer_analysis::{completion, ide, Encoding, World};
use tower_lsp::jsonrpc::Result;
use tower_lsp::lsp_types::*;

use super::commands::{INSERT_CHECKLIST_COMMAND, NOT_A_TERM_COMMAND};
use super::convert::{self, path_of};
use super::state::{lock, Backend};

pub(super) async fn completion(
    b: &Backend,
    params: CompletionParams,
) -> Result<Option<CompletionResponse>> {
    b.wait_ready().await;
    let p = params.text_document_position;
    let invoked = params
        .context
        .as_ref()
        .is_none_or(|c| c.trigger_kind != CompletionTriggerKind::TRIGGER_CHARACTER);
    b.query(&p.text_document.uri, move |world, doc, path, enc| {
        let items =
            completion::completions(world, path, convert::offset(doc, p.position, enc), invoked);
        let items: Vec<CompletionItem> = items
            .into_iter()
            .enumerate()
            .map(|(i, c)| CompletionItem {
                label: c.label,
                kind: Some(match c.kind {
                    completion::CompletionKind::Section => CompletionItemKind::MODULE,
                    completion::CompletionKind::Heading => CompletionItemKind::REFERENCE,
                    completion::CompletionKind::Note => CompletionItemKind::FILE,
                    completion::CompletionKind::Term => CompletionItemKind::TEXT,
                    completion::CompletionKind::Outcome => CompletionItemKind::VALUE,
                }),
                sort_text: Some(format!("{i:05}")),
                detail: Some(c.detail),
                documentation: (!c.documentation.is_empty()).then_some(
                    Documentation::MarkupContent(MarkupContent {
                        kind: MarkupKind::Markdown,
                        value: c.documentation,
                    }),
                ),
                filter_text: Some(c.filter),
                text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                    range: convert::range(doc, c.range, enc),
                    new_text: c.insert,
                })),
                ..Default::default()
            })
            .collect();
        Some(CompletionResponse::List(CompletionList {
            is_incomplete: false,
            items,
        }))
    })
    .await
}

pub(super) async fn code_action(
    b: &Backend,
    params: CodeActionParams,
) -> Result<Option<CodeActionResponse>> {
    b.wait_ready().await;
    let path = path_of(&params.text_document.uri);
    b.analyse_at(path, move |b, world, path, enc| {
        let doc = world.doc(path)?;
        let at = convert::text_range(doc, params.range, enc);
        let actions = ide::code_actions(world, path, at);
        let mut out = to_lsp_actions(b, world, path, actions, &params.context.diagnostics, enc);
        out.extend(not_a_term_action(b, world, path, at));
        Some(out)
    })
    .await
}

/// On a term in a note: "Don't treat 'X' as a term here", which adds the words as written to
/// the workspace config's `not-terms` (offered when there is a config file, or the editor can
/// create one).
fn not_a_term_action(
    b: &Backend,
    world: &World,
    path: &str,
    at: primer_analysis::TextRange,
) -> Option<CodeActionOrCommand> {
    let doc = world.note(path)?;
    let found = doc
        .occurrences
        .iter()
        .find(|o| o.range().start <= at.start && at.start <= o.range().end)?;
    {
        let s = lock(&b.state);
        let can_edit =
            s.workspace_config.is_some() || (s.support.create_files && !s.roots.is_empty());
        if !can_edit {
            return None;
        }
    }
    let word = crate::workspace_config::word_for(
        &doc.text.as_str()[found.range().start..found.range().end],
    );
    let title = format!("Don't treat '{word}' as a term here");
    Some(CodeActionOrCommand::CodeAction(CodeAction {
        title: title.clone(),
        kind: Some(CodeActionKind::QUICKFIX),
        command: Some(Command {
            title,
            command: NOT_A_TERM_COMMAND.into(),
            arguments: Some(vec![serde_json::json!({ "word": word })]),
        }),
        ..Default::default()
    }))
}

/// The analysis's actions as LSP code actions; a quick fix names the editor's diagnostic it fixes.
fn to_lsp_actions(
    b: &Backend,
    world: &World,
    path: &str,
    actions: Vec<primer_analysis::Action>,
    diagnostics: &[Diagnostic],
    enc: Encoding,
) -> CodeActionResponse {
    let mut out = vec![];
    for a in actions {
        let mut changes: HashMap<Url, Vec<TextEdit>> = HashMap::new();
        for (fr, text) in &a.edits {
            let (Some(doc), Some(uri)) = (world.doc(&fr.path), b.uri_for(&fr.path)) else {
                continue;
            };
            changes.entry(uri).or_default().push(TextEdit {
                range: convert::range(doc, fr.range, enc),
                new_text: text.clone(),
            });
        }
        // A quick fix names the problem it fixes: the editor's diagnostic of that code there.
        let diagnostics = a.fixes.and_then(|(code, range)| {
            let doc = world.doc(path)?;
            let at = convert::range(doc, range, enc);
            Some(
                diagnostics
                    .iter()
                    .filter(|d| d.code == Some(NumberOrString::String(code.into())))
                    .filter(|d| d.range.start <= at.end && at.start <= d.range.end)
                    .cloned()
                    .collect(),
            )
        });
        // An action that must ask the user first runs a command that asks, then edits.
        let command = a.ask.as_ref().and_then(|ask| match ask {
            primer_analysis::Ask::ChecklistSection { at } => {
                let doc = world.doc(path)?;
                Some(Command {
                    title: a.title.clone(),
                    command: INSERT_CHECKLIST_COMMAND.into(),
                    arguments: Some(vec![serde_json::json!({
                        "textDocument": {"uri": b.uri_for(path)?},
                        "position": convert::position(doc, *at, enc),
                        "ask": true,
                    })]),
                })
            }
        });
        out.push(CodeActionOrCommand::CodeAction(CodeAction {
            title: a.title,
            kind: Some(match a.kind {
                primer_analysis::ActionKind::QuickFix => CodeActionKind::QUICKFIX,
                primer_analysis::ActionKind::Refactor => CodeActionKind::REFACTOR_REWRITE,
            }),
            diagnostics,
            edit: (command.is_none()).then_some(WorkspaceEdit {
                changes: Some(changes),
                ..Default::default()
            }),
            command,
            is_preferred: Some(a.preferred),
            ..Default::default()
        }));
    }
    out
}
