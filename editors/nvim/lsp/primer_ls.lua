-- The primer-ls configuration for Neovim 0.11+: `vim.lsp.enable('primer_ls')` switches it on.
-- require('primer').setup() layers its options (binary, primer folder) on top with vim.lsp.config.

---@type vim.lsp.Config
return {
  cmd = { require('primer').binary() },
  filetypes = { 'markdown' },
  -- One group of equal priority: the nearest folder holding any of them is the workspace root,
  -- so a notes folder with `.primer-ls` inside a larger git repository is its own workspace.
  root_markers = require('primer').root_markers,
  -- Like root_markers, except that a primer file (opened by go-to-definition) joins the running
  -- server instead of starting another one for the primer's folder.
  root_dir = function(bufnr, on_dir)
    on_dir(require('primer').root_dir(bufnr))
  end,
  on_attach = function(client, bufnr)
    require('primer').attach(client, bufnr)
  end,
}
