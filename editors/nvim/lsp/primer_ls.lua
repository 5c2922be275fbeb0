-- The primer-ls configuration for Neovim 0.11+: `vim.lsp.enable('primer_ls')` switches it on.
-- require('primer').setup() layers its options (binary, primer folder) on top with vim.lsp.config.

---@type vim.lsp.Config
return {
  cmd = { (require('primer').binary()) },
  filetypes = { 'markdown' },
  -- One group of equal priority: the nearest folder holding any of them is the workspace root,
  -- so a notes folder with `.primer-ls.toml` inside a larger git repository is its own workspace.
  root_markers = require('primer').root_markers,
  -- Like root_markers, except that a primer file (opened by go-to-definition) joins the running
  -- server instead of starting another one for the primer's folder.
  root_dir = function(bufnr, on_dir)
    on_dir(require('primer').root_dir(bufnr))
  end,
  -- Neovim 0.11 has no handler for workspace/codeLens/refresh: the plugin's own, so the server
  -- asks for fresh lenses whenever the outcome counts change.
  capabilities = { workspace = { codeLens = { refreshSupport = true } } },
  handlers = {
    ['workspace/codeLens/refresh'] = function(_, _, ctx)
      require('primer').on_lens_refresh(ctx.client_id)
      return vim.NIL
    end,
    ['primer/outcomesChanged'] = function(_, params, ctx)
      require('primer').on_outcomes_changed(ctx.client_id, params)
    end,
  },
  -- The code lenses' commands open the plugin's views instead of asking the server for JSON.
  commands = require('primer').lens_commands,
  on_attach = function(client, bufnr)
    require('primer').attach(client, bufnr)
  end,
}
