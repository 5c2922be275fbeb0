-- :checkhealth primer: the binary, its version, the primer folder setting and the running client.

local M = {}

function M.check()
  local health = vim.health
  local primer = require('primer')
  local config = primer.config()

  health.start('primer-ls: Neovim')
  if vim.fn.has('nvim-0.11') == 1 then
    health.ok('Neovim 0.11+: vim.lsp.config / vim.lsp.enable')
  elseif vim.fn.has('nvim-0.10') == 1 then
    health.ok('Neovim 0.10: clients are started with vim.lsp.start on FileType markdown')
  else
    health.error('Neovim 0.10 or newer is required')
  end

  health.start('primer-ls: server binary')
  local found, source = primer.binary()
  local exe = (config.cmd and type(config.cmd) == 'table' and config.cmd[1]) or found
  local how = {
    option = 'the binary/cmd option of setup()',
    checkout = "a build in the plugin's own checkout",
    PATH = 'PATH',
  }
  local path = vim.fn.exepath(exe)
  if path == '' then
    health.error(('`%s` was not found: no build in the checkout, nothing on PATH'):format(exe), {
      'With lazy.nvim: `:Lazy build primer-ls` (runs `cargo build --release -p primer-ls`).',
      'Else build it in ' .. primer.repo_dir .. ' with `cargo build --release -p primer-ls`,',
      "or pass its path: require('primer').setup({ binary = '/path/to/primer-ls' })",
    })
  else
    local from = exe == found and how[source] or 'the cmd of the primer_ls configuration'
    health.ok(('binary: %s (from %s)'):format(path, from or source))
    local done = vim.system({ path, '--version' }, { text = true }):wait(5000)
    if done.code == 0 then
      health.ok('version: ' .. vim.trim(done.stdout or ''))
    else
      local msg = '`%s --version` failed (exit %s): %s'
      health.error(msg:format(path, tostring(done.code), vim.trim(done.stderr or '')))
    end
  end

  health.start('primer-ls: primer folder')
  local options = config.init_options and config.init_options.primer or {}
  local folder = options.path or primer.options.primer_path
  if not folder or folder == '' then
    health.info('primer.path is not set: the workspace `primer/` folder or the bundled primer')
  elseif vim.fn.isdirectory(folder) == 1 then
    health.ok('primer.path: ' .. folder)
  elseif not vim.startswith(folder, '/') then
    local msg = 'primer.path `%s` is relative: the server resolves it against the workspace root'
      .. ' (it is not a folder under the current directory)'
    health.warn(msg:format(folder))
  else
    health.error(('primer.path `%s` is not a folder'):format(folder),
      { 'The server falls back to the bundled primer. Fix primer_path in setup().' })
  end

  health.start('primer-ls: clients')
  local clients = vim.lsp.get_clients({ name = primer.name })
  if #clients == 0 then
    health.info('no primer-ls client is running (open a Markdown file in a notes folder)')
  end
  for _, client in ipairs(clients) do
    local msg = 'client %d: root %s, position encoding %s'
    health.info(msg:format(client.id, client.root_dir or '(none)', client.offset_encoding))
  end
end

return M
