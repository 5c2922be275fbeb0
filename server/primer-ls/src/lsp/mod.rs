//! The language server: documents and configuration in, analysis snapshots out.
//!
//! Edits are applied in the notification handlers without awaiting, so they happen in the order
//! the editor sent them; requests take an immutable [`World`](primer_analysis::World) snapshot
//! and run the analysis where a panic is caught, so one failing request answers with an error and
//! the server keeps going.
//!
//! Where things happen:
//! - [`state`]: the server state, its lock and snapshots; [`server`]: the dispatch table.
//! - [`capabilities`]: `initialize`. [`config`]: settings.
//! - [`sync`]: document sync and file watching ([`document`] applies edits to a rope).
//! - [`workspace`]: loading the primer, indexing the workspace, configuration changes.
//! - [`navigation`]: hover, definition, references, symbols.
//! - [`editing`]: completion, code actions. [`commands`]: `workspace/executeCommand`.
//! - [`views`]: code lenses, inlay hints, semantic tokens.
//! - [`diagnostics`]: the debounced diagnostics scheduler, and telling views that outcome
//!   counts changed. [`lsp_ext`]: messages of the protocol's extensions.
//! - [`convert`]: positions, ranges and URIs between LSP and the analysis (the one place).
//! - [`transport`]: the bytes between the editor and tower-lsp's service: our own frame reader
//!   and one writer. [`direct`]: large answers (references) serialized straight to bytes
//!   ([`json_out`]).

mod capabilities;
mod commands;
mod config;
pub mod convert;
mod diagnostics;
mod direct;
mod document;
mod editing;
mod json_out;
mod lsp_ext;
mod navigation;
mod server;
mod state;
mod sync;
mod transport;
mod views;
mod workspace;

use tower_lsp::LspService;

use state::Backend;

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
    let (service, socket) = LspService::new(Backend::new);
    transport::serve(&runtime, service, socket)
}
