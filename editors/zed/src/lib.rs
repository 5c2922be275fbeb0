//! Zed extension: starts `primer-ls` for Markdown files. Zed only runs language servers that an
//! extension names; this one finds the binary on the worktree's PATH (or in the
//! `lsp.primer-ls.binary.path` setting) and passes the `primer` settings through.

use zed_extension_api::{self as zed, settings::LspSettings, LanguageServerId, Result, Worktree};

struct Primer;

impl zed::Extension for Primer {
    fn new() -> Self {
        Primer
    }

    fn language_server_command(
        &mut self,
        id: &LanguageServerId,
        worktree: &Worktree,
    ) -> Result<zed::Command> {
        let configured = LspSettings::for_worktree(id.as_ref(), worktree)
            .ok()
            .and_then(|s| s.binary)
            .and_then(|b| b.path);
        let command = configured
            .or_else(|| worktree.which("primer-ls"))
            .ok_or_else(|| {
                "primer-ls was not found: put it on PATH (cargo build --release, then copy \
                 target/release/primer-ls), or set lsp.primer-ls.binary.path in settings.json"
                    .to_string()
            })?;
        Ok(zed::Command {
            command,
            args: vec![],
            env: vec![],
        })
    }

    fn language_server_initialization_options(
        &mut self,
        id: &LanguageServerId,
        worktree: &Worktree,
    ) -> Result<Option<zed::serde_json::Value>> {
        let settings = LspSettings::for_worktree(id.as_ref(), worktree).ok();
        Ok(settings.and_then(|s| s.initialization_options))
    }

    fn language_server_workspace_configuration(
        &mut self,
        id: &LanguageServerId,
        worktree: &Worktree,
    ) -> Result<Option<zed::serde_json::Value>> {
        let settings = LspSettings::for_worktree(id.as_ref(), worktree).ok();
        Ok(settings.and_then(|s| s.settings))
    }
}

zed::register_extension!(Primer);
