//! `initialize`: what the client can do, and what the server offers in return.

use std::path::PathBuf;

use primer_analysis::Encoding;
use tower_lsp::jsonrpc::Result;
use tower_lsp::lsp_types::*;

use super::commands::{
    COVERAGE_COMMAND, INSERT_CHECKLIST_COMMAND, NOT_A_TERM_COMMAND, OUTCOMES_COMMAND,
    PANIC_COMMAND, STATS_COMMAND,
};
use super::config::Config;
use super::state::{lock, Backend, ClientSupport};
use super::views::TOKEN_TYPES;

pub(super) async fn initialize(b: &Backend, params: InitializeParams) -> Result<InitializeResult> {
    let enc = negotiate_encoding(&params.capabilities);
    let mut roots: Vec<PathBuf> = params
        .workspace_folders
        .iter()
        .flatten()
        .filter_map(|f| f.uri.to_file_path().ok())
        .collect();
    #[allow(deprecated)]
    if roots.is_empty() {
        if let Some(p) = params.root_uri.as_ref().and_then(|u| u.to_file_path().ok()) {
            roots.push(p);
        }
    }
    let mut config = Config::default();
    if let Some(opts) = &params.initialization_options {
        config.update(opts);
    }
    let caps = &params.capabilities;
    let support = ClientSupport {
        work_done_progress: caps
            .window
            .as_ref()
            .and_then(|w| w.work_done_progress)
            .unwrap_or(false),
        watched_files: caps
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false),
        configuration: caps
            .workspace
            .as_ref()
            .and_then(|w| w.configuration)
            .unwrap_or(false),
        custom_token_types: caps
            .text_document
            .as_ref()
            .and_then(|t| t.semantic_tokens.as_ref())
            .is_some_and(|t| t.token_types.iter().any(|k| k.as_str() == TOKEN_TYPES[0])),
        code_lens_refresh: caps
            .workspace
            .as_ref()
            .and_then(|w| w.code_lens.as_ref())
            .and_then(|c| c.refresh_support)
            .unwrap_or(false),
        inlay_hint_refresh: caps
            .workspace
            .as_ref()
            .and_then(|w| w.inlay_hint.as_ref())
            .and_then(|c| c.refresh_support)
            .unwrap_or(false),
        create_files: caps
            .workspace
            .as_ref()
            .and_then(|w| w.workspace_edit.as_ref())
            .is_some_and(|e| {
                e.document_changes == Some(true)
                    && e.resource_operations
                        .as_ref()
                        .is_some_and(|ops| ops.contains(&ResourceOperationKind::Create))
            }),
    };
    // The primer is loaded after the answer (in `initialized`), so the editor is not kept
    // waiting; requests before then see an empty primer.
    {
        let mut s = lock(&b.state);
        s.encoding = enc;
        s.world.set_roots(link_roots(&roots));
        s.roots = roots;
        b.use_disk(&mut s);
        s.config = config;
        s.support = support;
    }
    let mut commands: Vec<String> = [
        OUTCOMES_COMMAND,
        INSERT_CHECKLIST_COMMAND,
        COVERAGE_COMMAND,
        NOT_A_TERM_COMMAND,
    ]
    .map(String::from)
    .to_vec();
    if lock(&b.state).fault_injection {
        commands.push(PANIC_COMMAND.to_string());
        commands.push(STATS_COMMAND.to_string());
    }
    Ok(InitializeResult {
        server_info: Some(ServerInfo {
            name: "primer-ls".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
        capabilities: ServerCapabilities {
            position_encoding: Some(encoding_kind(enc)),
            text_document_sync: Some(TextDocumentSyncCapability::Options(
                TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(TextDocumentSyncKind::INCREMENTAL),
                    save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                    ..Default::default()
                },
            )),
            hover_provider: Some(HoverProviderCapability::Simple(true)),
            definition_provider: Some(OneOf::Left(true)),
            references_provider: Some(OneOf::Left(true)),
            completion_provider: Some(CompletionOptions {
                // A space completes outcomes after `- [ ] `; elsewhere it answers nothing.
                trigger_characters: Some(vec!["[".into(), "#".into(), " ".into()]),
                ..Default::default()
            }),
            document_symbol_provider: Some(OneOf::Left(true)),
            workspace_symbol_provider: Some(OneOf::Left(true)),
            code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
                code_action_kinds: Some(vec![
                    CodeActionKind::QUICKFIX,
                    CodeActionKind::REFACTOR_REWRITE,
                ]),
                ..Default::default()
            })),
            execute_command_provider: Some(ExecuteCommandOptions {
                commands,
                ..Default::default()
            }),
            code_lens_provider: Some(CodeLensOptions {
                resolve_provider: Some(false),
            }),
            inlay_hint_provider: Some(OneOf::Left(true)),
            semantic_tokens_provider: Some(
                SemanticTokensServerCapabilities::SemanticTokensOptions(SemanticTokensOptions {
                    legend: SemanticTokensLegend {
                        token_types: TOKEN_TYPES
                            .iter()
                            .map(|t| SemanticTokenType::new(t))
                            .collect(),
                        token_modifiers: vec![],
                    },
                    range: Some(true),
                    full: Some(SemanticTokensFullOptions::Bool(true)),
                    ..Default::default()
                }),
            ),
            workspace: Some(WorkspaceServerCapabilities {
                workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                    supported: Some(true),
                    change_notifications: Some(OneOf::Left(true)),
                }),
                file_operations: None,
            }),
            ..Default::default()
        },
    })
}

pub(super) async fn initialized(b: &Backend, _params: InitializedParams) {
    let support = lock(&b.state).support;
    if support.watched_files {
        let options = DidChangeWatchedFilesRegistrationOptions {
            watchers: ["**/*.md", "**/.primer-ls.toml"]
                .map(|glob| FileSystemWatcher {
                    glob_pattern: GlobPattern::String(glob.into()),
                    kind: None,
                })
                .to_vec(),
        };
        let registration = Registration {
            id: "primer-ls-watch-md".into(),
            method: "workspace/didChangeWatchedFiles".into(),
            register_options: serde_json::to_value(options).ok(),
        };
        let _ = b
            .ask(b.client.register_capability(vec![registration]))
            .await;
    }
    if support.configuration {
        // Only read here: the primer is loaded next, with these settings.
        if let Some(value) = b.fetch_configuration().await {
            lock(&b.state).config.update(&value);
        }
    }
    b.read_workspace_config().await;
    // The notes are listed while the primer loads.
    let early = b.walk_early();
    b.reload_primer().await;
    b.index_workspace_after(Some(early)).await;
}

fn negotiate_encoding(caps: &ClientCapabilities) -> Encoding {
    let offered = caps
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref());
    match offered {
        Some(list) if list.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
        _ => Encoding::Utf16,
    }
}

fn encoding_kind(enc: Encoding) -> PositionEncodingKind {
    match enc {
        Encoding::Utf8 => PositionEncodingKind::UTF8,
        Encoding::Utf16 => PositionEncodingKind::UTF16,
        Encoding::Utf32 => PositionEncodingKind::UTF32,
    }
}

/// The folders links with a leading `/` start at: each workspace folder's repository top
/// (`.primer-ls.toml` or `.git` at or above it), else the folder itself.
pub(super) fn link_roots(roots: &[PathBuf]) -> Vec<String> {
    roots
        .iter()
        .map(|r| crate::disk::project_root(r).unwrap_or_else(|| r.clone()))
        .map(|r| crate::disk::path_string(&r))
        .collect()
}
