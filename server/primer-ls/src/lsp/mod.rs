//! The language server: documents and configuration in, analysis snapshots out.
//!
//! Edits are applied in the notification handlers without awaiting, so they happen in the order
//! the editor sent them; requests take an immutable [`World`] snapshot and run the analysis where
//! a panic is caught, so one failing request answers with an error and the server keeps going.

mod config;
pub mod convert;
mod document;
mod stdio;

use std::collections::{HashMap, HashSet};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, MutexGuard};

use primer_analysis::{completion, goto, ide, references, symbols};
use primer_analysis::{decorations, outcomes};
use primer_analysis::{Encoding, Primer, Severity, World};
use ropey::Rope;
use serde_json::Value;
use tower_lsp::jsonrpc::{Error, Result};
use tower_lsp::lsp_types::notification::Progress;
use tower_lsp::lsp_types::request::WorkDoneProgressCreate;
use tower_lsp::lsp_types::*;
use tower_lsp::{Client, LanguageServer, LspService, Server};

use crate::primer_source;
use config::Config;
use convert::{path_of, uri_of};

/// The command that panics on purpose, for testing panic containment. It exists only when the
/// environment variable `PRIMER_LS_FAULT_INJECTION=1` is set.
const PANIC_COMMAND: &str = "primer-ls.debug.panic";

/// The commands behind `workspace/executeCommand` (docs/protocol.md describes them).
const OUTCOMES_COMMAND: &str = "primer.outcomes";
const INSERT_CHECKLIST_COMMAND: &str = "primer.insertChecklist";
const COVERAGE_COMMAND: &str = "primer.coverage";

/// The semantic token legend: two custom types, then their standard fallbacks.
const TOKEN_TYPES: [&str; 4] = ["primerTerm", "primerLink", "variable", "namespace"];

pub fn serve_stdio() -> i32 {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("primer-ls: cannot start: {e}");
            return 1;
        }
    };
    runtime.block_on(async {
        let shutdown = Arc::new(AtomicBool::new(false));
        let (input, output) = stdio::start(shutdown);
        let (service, socket) = LspService::new(Backend::new);
        Server::new(input, output, socket).serve(service).await;
    });
    0
}

struct OpenDoc {
    rope: Rope,
    version: i32,
}

#[derive(Clone, Copy, Default)]
struct ClientSupport {
    work_done_progress: bool,
    watched_files: bool,
    configuration: bool,
    /// The client listed `primerTerm` among its semantic token types.
    custom_token_types: bool,
    code_lens_refresh: bool,
    inlay_hint_refresh: bool,
}

struct State {
    world: World,
    encoding: Encoding,
    open: HashMap<String, OpenDoc>,
    /// The URI the client used for each path, so answers use the same spelling.
    uris: HashMap<String, Url>,
    roots: Vec<PathBuf>,
    config: Config,
    /// The primer folder in use; `None` for the bundled primer.
    primer_dir: Option<PathBuf>,
    support: ClientSupport,
    /// Bumped on every change of a path, so stale debounced work can tell.
    revisions: HashMap<String, u64>,
    /// Paths whose last published diagnostics were not empty.
    published: HashSet<String>,
    workspace_revision: u64,
    fault_injection: bool,
}

#[derive(Clone)]
pub struct Backend {
    client: Client,
    state: Arc<Mutex<State>>,
    /// Becomes true once the first primer is loaded (just after `initialized`); requests that
    /// arrive earlier wait for it, so the first hover already knows the glossary.
    ready: Arc<tokio::sync::watch::Sender<bool>>,
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(|e| e.into_inner())
}

/// Runs analysis where a panic becomes an InternalError for this request only.
fn guarded<T>(f: impl FnOnce() -> T) -> Result<T> {
    std::panic::catch_unwind(AssertUnwindSafe(f)).map_err(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        let mut e = Error::internal_error();
        e.message = format!("primer-ls failed on this request: {what}").into();
        e
    })
}

impl Backend {
    fn new(client: Client) -> Backend {
        let state = State {
            world: World::new(Arc::new(Primer::empty())),
            encoding: Encoding::Utf16,
            open: HashMap::new(),
            uris: HashMap::new(),
            roots: vec![],
            config: Config::default(),
            primer_dir: None,
            support: ClientSupport::default(),
            revisions: HashMap::new(),
            published: HashSet::new(),
            workspace_revision: 0,
            fault_injection: std::env::var("PRIMER_LS_FAULT_INJECTION").is_ok_and(|v| v == "1"),
        };
        Backend {
            client,
            state: Arc::new(Mutex::new(state)),
            ready: Arc::new(tokio::sync::watch::Sender::new(false)),
        }
    }

    /// Waits (at most 10 s) until the primer is loaded.
    async fn wait_ready(&self) {
        let mut rx = self.ready.subscribe();
        let wait = rx.wait_for(|loaded| *loaded);
        let _ = tokio::time::timeout(std::time::Duration::from_secs(10), wait).await;
    }

    fn snapshot(&self) -> (World, Encoding) {
        let s = lock(&self.state);
        (s.world.clone(), s.encoding)
    }

    fn uri_for(&self, path: &str) -> Option<Url> {
        lock(&self.state)
            .uris
            .get(path)
            .cloned()
            .or_else(|| uri_of(path))
    }

    /// Runs a query against a snapshot for the document at `uri`.
    fn query<T>(
        &self,
        uri: &Url,
        f: impl FnOnce(&World, &primer_analysis::Doc, &str, Encoding) -> Option<T>,
    ) -> Result<Option<T>> {
        let (world, enc) = self.snapshot();
        let path = path_of(uri);
        guarded(|| {
            let doc = world.doc(&path)?;
            f(&world, doc, &path, enc)
        })
    }

    fn location_of(
        &self,
        world: &World,
        fr: &primer_analysis::FileRange,
        enc: Encoding,
    ) -> Option<Location> {
        let mut loc = convert::location(world, fr, enc)?;
        if let Some(uri) = lock(&self.state).uris.get(&*fr.path) {
            loc.uri = uri.clone();
        }
        Some(loc)
    }

    /// Many locations at once: each file's URI is made once (a common term has thousands of uses).
    fn locations(
        &self,
        world: &World,
        ranges: &[primer_analysis::FileRange],
        enc: Encoding,
    ) -> Vec<Location> {
        let uris = lock(&self.state).uris.clone();
        let mut cache: HashMap<&str, Option<Url>> = HashMap::new();
        ranges
            .iter()
            .filter_map(|fr| {
                let uri = cache
                    .entry(&fr.path)
                    .or_insert_with(|| uris.get(&*fr.path).cloned().or_else(|| uri_of(&fr.path)))
                    .clone()?;
                let doc = world.doc(&fr.path)?;
                Some(Location {
                    uri,
                    range: convert::range(doc, fr.range, enc),
                })
            })
            .collect()
    }

    async fn log(&self, typ: MessageType, message: String) {
        eprintln!("primer-ls: {message}");
        self.client.log_message(typ, message).await;
    }

    /// Chooses and loads the primer: the configured folder, else a workspace `primer/` folder,
    /// else the bundled primer. A bad configured folder is an error message and the bundled primer.
    fn load_primer(
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

    async fn reload_primer(&self) {
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
    async fn index_workspace(&self) {
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

    async fn progress(&self, token: &NumberOrString, value: WorkDoneProgress) {
        self.client
            .send_notification::<Progress>(ProgressParams {
                token: token.clone(),
                value: ProgressParamsValue::WorkDone(value),
            })
            .await;
    }

    /// Computes and publishes diagnostics for every note (off the request path).
    async fn publish_workspace_diagnostics(&self) {
        let (world, enc) = self.snapshot();
        let computed = tokio::task::spawn_blocking(move || {
            let mut out = vec![];
            for doc in world.notes() {
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
            self.publish(&path, diags, None).await;
        }
    }

    async fn publish(&self, path: &str, diags: Vec<Diagnostic>, version: Option<i32>) {
        let uri = {
            let mut s = lock(&self.state);
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
    fn schedule_diagnostics(&self, path: String, delay_ms: u64) {
        let backend = self.clone();
        tokio::spawn(async move {
            let rev = lock(&backend.state).revisions.get(&path).copied();
            if delay_ms > 0 {
                tokio::time::sleep(std::time::Duration::from_millis(delay_ms)).await;
            }
            let (world, enc, version) = {
                let s = lock(&backend.state);
                if s.revisions.get(&path).copied() != rev {
                    return;
                }
                (
                    s.world.clone(),
                    s.encoding,
                    s.open.get(&path).map(|d| d.version),
                )
            };
            let p = path.clone();
            let diags = tokio::task::spawn_blocking(move || {
                let problems = guarded(|| ide::diagnostics(&world, &p)).unwrap_or_default();
                to_lsp_diagnostics(&world, &p, &problems, enc)
            })
            .await
            .unwrap_or_default();
            if lock(&backend.state).revisions.get(&path).copied() == rev {
                backend.publish(&path, diags, version).await;
            }
        });
    }

    /// After a note's checklist changed: other open notes' outcome hints and every code lens.
    async fn refresh_outcome_views(&self, changed: &str, delay_ms: u64) {
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
        if refresh {
            // Not awaited here: the answer must not hold up the next edit.
            let client = self.client.clone();
            tokio::spawn(async move { client.code_lens_refresh().await });
        }
    }

    /// Re-checks every note a while after files changed on disk or were saved.
    fn schedule_workspace_diagnostics(&self) {
        let backend = self.clone();
        tokio::spawn(async move {
            let (rev, delay) = {
                let mut s = lock(&backend.state);
                s.workspace_revision += 1;
                (s.workspace_revision, s.config.debounce_ms)
            };
            tokio::time::sleep(std::time::Duration::from_millis(delay.max(100))).await;
            if lock(&backend.state).workspace_revision == rev {
                backend.publish_workspace_diagnostics().await;
            }
        });
    }

    fn bump(&self, s: &mut State, path: &str) -> u64 {
        let r = s.revisions.entry(path.to_string()).or_insert(0);
        *r += 1;
        *r
    }

    /// Whether a path belongs to the primer in use (and so is not a note).
    fn in_primer(s: &State, path: &str) -> bool {
        s.primer_dir
            .as_ref()
            .is_some_and(|d| Path::new(path).starts_with(d))
    }
}

/// What a note's checklists say (outcome and tick per item), to notice when they change.
fn checklist_signature(world: &World, path: &str) -> Vec<(Option<usize>, bool)> {
    world
        .note(path)
        .map(|d| d.checklist.iter().map(|c| (c.outcome, c.checked)).collect())
        .unwrap_or_default()
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

#[tower_lsp::async_trait]
impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
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
        };
        // The primer is loaded after the answer (in `initialized`), so the editor is not kept
        // waiting; requests before then see an empty primer.
        {
            let mut s = lock(&self.state);
            s.encoding = enc;
            s.world.set_roots(
                roots
                    .iter()
                    .map(|r| primer_source::path_string(r))
                    .collect(),
            );
            s.roots = roots;
            s.config = config;
            s.support = support;
        }
        let mut commands: Vec<String> =
            [OUTCOMES_COMMAND, INSERT_CHECKLIST_COMMAND, COVERAGE_COMMAND]
                .map(String::from)
                .to_vec();
        if lock(&self.state).fault_injection {
            commands.push(PANIC_COMMAND.to_string());
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
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(vec![
                            CodeActionKind::QUICKFIX,
                            CodeActionKind::REFACTOR_REWRITE,
                        ]),
                        ..Default::default()
                    },
                )),
                execute_command_provider: Some(ExecuteCommandOptions {
                    commands,
                    ..Default::default()
                }),
                code_lens_provider: Some(CodeLensOptions {
                    resolve_provider: Some(false),
                }),
                inlay_hint_provider: Some(OneOf::Left(true)),
                semantic_tokens_provider: Some(
                    SemanticTokensServerCapabilities::SemanticTokensOptions(
                        SemanticTokensOptions {
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
                        },
                    ),
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

    async fn initialized(&self, _: InitializedParams) {
        let support = lock(&self.state).support;
        if support.watched_files {
            let options = DidChangeWatchedFilesRegistrationOptions {
                watchers: vec![FileSystemWatcher {
                    glob_pattern: GlobPattern::String("**/*.md".into()),
                    kind: None,
                }],
            };
            let registration = Registration {
                id: "primer-ls-watch-md".into(),
                method: "workspace/didChangeWatchedFiles".into(),
                register_options: serde_json::to_value(options).ok(),
            };
            let _ = self.client.register_capability(vec![registration]).await;
        }
        if support.configuration {
            // Only read here: the primer is loaded next, with these settings.
            if let Some(value) = self.fetch_configuration().await {
                lock(&self.state).config.update(&value);
            }
        }
        self.reload_primer().await;
        self.index_workspace().await;
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        let path = path_of(&doc.uri);
        {
            let mut s = lock(&self.state);
            s.uris.insert(path.clone(), doc.uri.clone());
            s.open.insert(
                path.clone(),
                OpenDoc {
                    rope: Rope::from_str(&doc.text),
                    version: doc.version,
                },
            );
            self.bump(&mut s, &path);
            if !Backend::in_primer(&s, &path) {
                let text: Arc<str> = Arc::from(doc.text.as_str());
                let p: Arc<str> = Arc::from(path.as_str());
                let world = &mut s.world;
                if guarded(|| world.set_note_text(p, text)).is_err() {
                    eprintln!("primer-ls: analysing {path} failed; it is left out");
                }
            }
        }
        self.schedule_diagnostics(path, 0);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let path = path_of(&params.text_document.uri);
        let debounce = {
            let mut s = lock(&self.state);
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
            self.bump(&mut s, &path);
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
            self.refresh_outcome_views(&path, debounce).await;
        }
        self.schedule_diagnostics(path, debounce);
    }

    async fn did_save(&self, _: DidSaveTextDocumentParams) {
        self.schedule_workspace_diagnostics();
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        let path = path_of(&uri);
        let on_disk = uri.to_file_path().ok().filter(|p| p.is_file());
        {
            let mut s = lock(&self.state);
            s.open.remove(&path);
            self.bump(&mut s, &path);
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
            self.publish(&path, vec![], None).await;
        }
        self.schedule_workspace_diagnostics();
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let mut primer_changed = false;
        for change in params.changes {
            let path = path_of(&change.uri);
            let fs_path = change.uri.to_file_path().ok();
            let mut s = lock(&self.state);
            if Backend::in_primer(&s, &path) {
                primer_changed = true;
                continue;
            }
            if s.open.contains_key(&path) {
                continue; // The editor's buffer is the truth for open files.
            }
            self.bump(&mut s, &path);
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
            self.reload_primer().await;
        } else {
            self.schedule_workspace_diagnostics();
        }
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let pull = lock(&self.state).support.configuration;
        if pull {
            self.pull_configuration().await;
        } else {
            self.apply_config(&params.settings).await;
        }
    }

    async fn did_change_workspace_folders(&self, params: DidChangeWorkspaceFoldersParams) {
        {
            let mut s = lock(&self.state);
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
        self.index_workspace().await;
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        self.wait_ready().await;
        let p = params.text_document_position_params;
        self.query(&p.text_document.uri, |world, doc, path, enc| {
            let h = ide::hover(world, path, convert::offset(doc, p.position, enc))?;
            Some(Hover {
                contents: HoverContents::Markup(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value: h.markdown,
                }),
                range: Some(convert::range(doc, h.range, enc)),
            })
        })
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        self.wait_ready().await;
        let p = params.text_document_position_params;
        let (world, enc) = self.snapshot();
        let path = path_of(&p.text_document.uri);
        let found = guarded(|| {
            let doc = world.doc(&path)?;
            goto::goto_definition(&world, &path, convert::offset(doc, p.position, enc))
        })?;
        Ok(found
            .and_then(|fr| self.location_of(&world, &fr, enc))
            .map(GotoDefinitionResponse::Scalar))
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        self.wait_ready().await;
        let p = params.text_document_position;
        let (world, enc) = self.snapshot();
        let path = path_of(&p.text_document.uri);
        let include = params.context.include_declaration;
        let found = guarded(|| {
            let doc = world.doc(&path)?;
            Some(references::references(
                &world,
                &path,
                convert::offset(doc, p.position, enc),
                include,
            ))
        })?;
        Ok(found.map(|refs| self.locations(&world, &refs, enc)))
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        self.wait_ready().await;
        let p = params.text_document_position;
        let invoked = params
            .context
            .as_ref()
            .is_none_or(|c| c.trigger_kind != CompletionTriggerKind::TRIGGER_CHARACTER);
        self.query(&p.text_document.uri, |world, doc, path, enc| {
            let items = completion::completions(
                world,
                path,
                convert::offset(doc, p.position, enc),
                invoked,
            );
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
                    documentation: (!c.documentation.is_empty()).then(|| {
                        Documentation::MarkupContent(MarkupContent {
                            kind: MarkupKind::Markdown,
                            value: c.documentation,
                        })
                    }),
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
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        self.wait_ready().await;
        self.query(&params.text_document.uri, |world, doc, path, enc| {
            #[allow(deprecated)]
            fn convert_all(
                doc: &primer_analysis::Doc,
                syms: Vec<symbols::DocumentSymbol>,
                enc: Encoding,
            ) -> Vec<DocumentSymbol> {
                syms.into_iter()
                    .map(|s| DocumentSymbol {
                        name: if s.name.is_empty() {
                            "(untitled)".into()
                        } else {
                            s.name
                        },
                        detail: Some(format!("H{}", s.level)),
                        kind: SymbolKind::STRING,
                        tags: None,
                        deprecated: None,
                        range: convert::range(doc, s.range, enc),
                        selection_range: convert::range(doc, s.selection, enc),
                        children: Some(convert_all(doc, s.children, enc)),
                    })
                    .collect()
            }
            Some(DocumentSymbolResponse::Nested(convert_all(
                doc,
                symbols::document_symbols(world, path),
                enc,
            )))
        })
    }

    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<Vec<SymbolInformation>>> {
        self.wait_ready().await;
        let (world, enc) = self.snapshot();
        let found = guarded(|| symbols::workspace_symbols(&world, &params.query))?;
        #[allow(deprecated)]
        let out = found
            .into_iter()
            .filter_map(|s| {
                Some(SymbolInformation {
                    name: s.name,
                    kind: match s.kind {
                        symbols::SymbolKind::Section => SymbolKind::MODULE,
                        symbols::SymbolKind::Heading => SymbolKind::STRING,
                        symbols::SymbolKind::Term => SymbolKind::KEY,
                        symbols::SymbolKind::Note => SymbolKind::FILE,
                    },
                    tags: None,
                    deprecated: None,
                    location: self.location_of(&world, &s.location, enc)?,
                    container_name: s.container,
                })
            })
            .collect();
        Ok(Some(out))
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        self.wait_ready().await;
        let (world, enc) = self.snapshot();
        let path = path_of(&params.text_document.uri);
        let actions = guarded(|| {
            let doc = world.doc(&path)?;
            Some(ide::code_actions(
                &world,
                &path,
                convert::text_range(doc, params.range, enc),
            ))
        })?;
        let Some(actions) = actions else {
            return Ok(None);
        };
        let mut out = vec![];
        for a in actions {
            let mut changes: HashMap<Url, Vec<TextEdit>> = HashMap::new();
            for (fr, text) in &a.edits {
                let (Some(doc), Some(uri)) = (world.doc(&fr.path), self.uri_for(&fr.path)) else {
                    continue;
                };
                changes.entry(uri).or_default().push(TextEdit {
                    range: convert::range(doc, fr.range, enc),
                    new_text: text.clone(),
                });
            }
            // A quick fix names the problem it fixes: the editor's diagnostic of that code there.
            let diagnostics = a.fixes.and_then(|(code, range)| {
                let doc = world.doc(&path)?;
                let at = convert::range(doc, range, enc);
                Some(
                    params
                        .context
                        .diagnostics
                        .iter()
                        .filter(|d| d.code == Some(NumberOrString::String(code.into())))
                        .filter(|d| d.range.start <= at.end && at.start <= d.range.end)
                        .cloned()
                        .collect(),
                )
            });
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: a.title,
                kind: Some(match a.kind {
                    primer_analysis::ActionKind::QuickFix => CodeActionKind::QUICKFIX,
                    primer_analysis::ActionKind::Refactor => CodeActionKind::REFACTOR_REWRITE,
                }),
                diagnostics,
                edit: Some(WorkspaceEdit {
                    changes: Some(changes),
                    ..Default::default()
                }),
                is_preferred: Some(a.preferred),
                ..Default::default()
            }));
        }
        Ok(Some(out))
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<Value>> {
        self.wait_ready().await;
        if params.command == PANIC_COMMAND && lock(&self.state).fault_injection {
            guarded(|| panic!("deliberate panic for testing ({PANIC_COMMAND})"))?;
        }
        let first = params.arguments.into_iter().next().unwrap_or(Value::Null);
        match params.command.as_str() {
            OUTCOMES_COMMAND => self.outcomes_command(&first).map(Some),
            COVERAGE_COMMAND => self.coverage_command().map(Some),
            INSERT_CHECKLIST_COMMAND => self.insert_checklist_command(&first).await.map(Some),
            _ => {
                let mut e = Error::invalid_params(format!("unknown command '{}'", params.command));
                e.code = tower_lsp::jsonrpc::ErrorCode::MethodNotFound;
                Err(e)
            }
        }
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        self.wait_ready().await;
        self.query(&params.text_document.uri, |world, doc, path, enc| {
            let mut lenses: Vec<CodeLens> = outcomes::checklist_lenses(world, path)
                .into_iter()
                .map(|(range, title)| CodeLens {
                    range: convert::range(doc, range, enc),
                    command: Some(Command {
                        title,
                        command: OUTCOMES_COMMAND.into(),
                        arguments: Some(vec![serde_json::json!({
                            "textDocument": {"uri": params.text_document.uri.clone()}
                        })]),
                    }),
                    data: None,
                })
                .collect();
            if world.note(path).is_none() {
                if let Some(section) = world.primer.section_by_path(path) {
                    let n = world.notes_relying_on(section).len();
                    let at = doc
                        .outline
                        .headings
                        .first()
                        .map_or(primer_analysis::TextRange::empty(0), |h| h.text_range);
                    lenses.push(CodeLens {
                        range: convert::range(doc, at, enc),
                        command: Some(Command {
                            title: format!("Used by {n} note{}", if n == 1 { "" } else { "s" }),
                            command: COVERAGE_COMMAND.into(),
                            arguments: None,
                        }),
                        data: None,
                    });
                }
            }
            Some(lenses)
        })
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        self.wait_ready().await;
        if !lock(&self.state).config.inlay_hints {
            return Ok(Some(vec![]));
        }
        self.query(&params.text_document.uri, |world, doc, path, enc| {
            let range = convert::text_range(doc, params.range, enc);
            let hints = decorations::inlay_hints(world, path, range)
                .into_iter()
                .map(|h| InlayHint {
                    position: convert::position(doc, h.offset, enc),
                    label: InlayHintLabel::String(h.label),
                    kind: None,
                    text_edits: None,
                    tooltip: Some(InlayHintTooltip::String(h.tooltip)),
                    padding_left: Some(true),
                    padding_right: None,
                    data: None,
                })
                .collect();
            Some(hints)
        })
    }

    async fn semantic_tokens_full(
        &self,
        params: SemanticTokensParams,
    ) -> Result<Option<SemanticTokensResult>> {
        self.wait_ready().await;
        let tokens = self.tokens(&params.text_document.uri, None)?;
        Ok(tokens.map(|data| {
            SemanticTokensResult::Tokens(SemanticTokens {
                result_id: None,
                data,
            })
        }))
    }

    async fn semantic_tokens_range(
        &self,
        params: SemanticTokensRangeParams,
    ) -> Result<Option<SemanticTokensRangeResult>> {
        self.wait_ready().await;
        let tokens = self.tokens(&params.text_document.uri, Some(params.range))?;
        Ok(tokens.map(|data| {
            SemanticTokensRangeResult::Tokens(SemanticTokens {
                result_id: None,
                data,
            })
        }))
    }
}

impl Backend {
    /// Semantic tokens of a document (or of one range of it), in the legend the client can use.
    fn tokens(&self, uri: &Url, range: Option<Range>) -> Result<Option<Vec<SemanticToken>>> {
        let custom = {
            let s = lock(&self.state);
            s.support.custom_token_types || s.config.custom_token_types
        };
        self.query(uri, |world, doc, path, enc| {
            let within = range.map(|r| convert::text_range(doc, r, enc));
            let tokens: Vec<(primer_analysis::TextRange, u32)> =
                decorations::semantic_tokens(world, path)
                    .into_iter()
                    .filter(|(r, _)| within.is_none_or(|w| w.intersects(*r)))
                    .map(|(r, kind)| {
                        let index = match kind {
                            decorations::TokenKind::Term => 0,
                            decorations::TokenKind::PrimerLink => 1,
                        };
                        (r, if custom { index } else { index + 2 })
                    })
                    .collect();
            Some(convert::semantic_tokens(doc, &tokens, enc))
        })
    }

    /// `primer.outcomes`: workspace-wide progress as JSON (see docs/protocol.md).
    fn outcomes_command(&self, arg: &Value) -> Result<Value> {
        let (world, enc) = self.snapshot();
        let document = arg
            .pointer("/textDocument/uri")
            .and_then(Value::as_str)
            .and_then(|u| Url::parse(u).ok())
            .map(|u| path_of(&u));
        guarded(|| {
            outcomes_json(&world, document.as_deref(), |fr| {
                self.location_of(&world, fr, enc)
            })
        })
    }

    /// `primer.coverage`: which notes rely on which sections.
    fn coverage_command(&self) -> Result<Value> {
        let (world, _) = self.snapshot();
        guarded(|| {
            let cov = outcomes::coverage(&world);
            let primer = &world.primer;
            let url = |p: &str| self.uri_for(p).map(|u| u.to_string());
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
    }

    /// `primer.insertChecklist`: asks the editor to insert the missing outcomes.
    async fn insert_checklist_command(&self, arg: &Value) -> Result<Value> {
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
        let sections: Vec<usize> = match arg.get("section").and_then(Value::as_str) {
            Some(id) => vec![world
                .primer
                .section_by_id(id)
                .ok_or_else(|| bad(&format!("no primer section '{id}'")))?],
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
            return Ok(serde_json::json!({"inserted": 0}));
        };
        let mut changes = HashMap::new();
        changes.insert(uri, edits);
        let applied = self
            .client
            .apply_edit(WorkspaceEdit {
                changes: Some(changes),
                ..Default::default()
            })
            .await;
        match applied {
            Ok(r) if r.applied => Ok(serde_json::json!({"inserted": n})),
            Ok(r) => Err(Error::invalid_params(format!(
                "the editor did not apply the checklist: {}",
                r.failure_reason.unwrap_or_default()
            ))),
            Err(e) => Err(e),
        }
    }

    /// The client's `primer` settings (workspace/configuration), if it has any.
    async fn fetch_configuration(&self) -> Option<Value> {
        let items = vec![ConfigurationItem {
            scope_uri: None,
            section: Some("primer".into()),
        }];
        let values = self.client.configuration(items).await.ok()?;
        values.into_iter().next().filter(|v| !v.is_null())
    }

    async fn pull_configuration(&self) {
        if let Some(value) = self.fetch_configuration().await {
            self.apply_config(&value).await;
        }
    }

    /// Takes new settings: reloads the primer when its path changed, and asks the client to
    /// redraw what the other settings change.
    async fn apply_config(&self, value: &Value) {
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
