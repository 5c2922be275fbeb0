-- primer-ls for Neovim: setup(), the workspace root, and the buffer-local commands made on attach.
-- The server configuration itself lives in lsp/primer_ls.lua.

local M = {}

M.name = 'primer_ls'

-- One equal-priority group (:help lsp-root_markers): the nearest folder holding any marker wins.
M.root_markers = { { '.primer-ls', 'primer', '.git' } }

-- Options given to setup(); see :help primer-options.
M.options = {}

local has_011 = vim.fn.has('nvim-0.11') == 1

-- editors/nvim, found from this file (…/lua/primer/init.lua).
local plugin_dir = vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p:h:h:h')

-- The server binary: the configured one, else `primer-ls` on PATH, else a build in the repository
-- this plugin sits in (editors/nvim/../../target/{release,debug}), else plain `primer-ls`.
function M.binary()
  if M.options.binary then
    return M.options.binary
  end
  if vim.fn.executable('primer-ls') == 1 then
    return 'primer-ls'
  end
  for _, profile in ipairs({ 'release', 'debug' }) do
    local exe = vim.fs.normalize(plugin_dir .. '/../../target/' .. profile .. '/primer-ls')
    if vim.fn.executable(exe) == 1 then
      return vim.fn.fnamemodify(exe, ':p')
    end
  end
  return 'primer-ls'
end

-- Where the server writes the bundled primer: $XDG_CACHE_HOME/primer-ls or ~/.cache/primer-ls.
local function bundled_primer_dir()
  local cache = vim.env.XDG_CACHE_HOME
  if not cache or cache == '' then
    cache = vim.fs.joinpath(vim.env.HOME or '', '.cache')
  end
  return vim.fs.normalize(vim.fs.joinpath(cache, 'primer-ls'))
end

local function is_under(path, dir)
  if not dir or dir == '' then
    return false
  end
  return vim.startswith(path, vim.fs.normalize(vim.fn.fnamemodify(dir, ':p')) .. '/')
end

-- The workspace root for a buffer. A primer file (the bundled primer, or the configured primer
-- folder) gets the root of a running primer-ls client, so that client serves it too.
function M.root_dir(bufnr)
  local name = vim.fs.normalize(vim.api.nvim_buf_get_name(bufnr))
  if is_under(name, bundled_primer_dir()) or is_under(name, M.options.primer_path) then
    for _, client in ipairs(vim.lsp.get_clients({ name = M.name })) do
      if client.root_dir then
        return client.root_dir
      end
    end
  end
  return vim.fs.root(bufnr, M.root_markers)
end

-- Calls client:request on 0.11 and client.request on 0.10.
local function request(client, method, params, handler, bufnr)
  if has_011 then
    return client:request(method, params, handler, bufnr)
  end
  return client.request(method, params, handler, bufnr)
end

local function notify(msg, level)
  vim.notify('primer-ls: ' .. msg, level or vim.log.levels.INFO, { title = 'primer-ls' })
end

-- Runs a server command; `on_result` gets the result. An error answer is reported, never faked:
-- MethodNotFound / InvalidParams / InvalidRequest mean this server version lacks the command.
local function execute(client, bufnr, command, arguments, on_result)
  local params = { command = command, arguments = arguments }
  request(client, 'workspace/executeCommand', params, function(err, result)
    if err then
      local why = err.message or tostring(err.code)
      if err.code == -32601 or err.code == -32602 or err.code == -32600 then
        local msg = '%s is not supported by this primer-ls version (%s)'
        notify(msg:format(command, why), vim.log.levels.WARN)
      else
        notify(('%s failed: %s'):format(command, why), vim.log.levels.ERROR)
      end
      return
    end
    on_result(result)
  end, bufnr)
end

local function bar(done, total, width)
  local filled = total > 0 and math.floor(done * width / total) or 0
  return string.rep('█', filled) .. string.rep('░', width - filled)
end

-- The summary of a primer.outcomes answer: a total line, then one line per section.
function M.outcomes_summary(result)
  local lines = { ('Outcomes: %d/%d done'):format(result.done or 0, result.total or 0) }
  for _, s in ipairs(result.sections or {}) do
    table.insert(lines, ('%s  %s  %d/%d'):format(bar(s.done, s.total, 12), s.title, s.done, s.total))
  end
  return table.concat(lines, '\n')
end

-- Quickfix items for a primer.outcomes answer: each outcome, at the note item that ticks it, or
-- else at a note that lists it, or else at its place in the primer.
function M.outcomes_qflist(result, offset_encoding)
  local items = {}
  for _, o in ipairs(result.outcomes or {}) do
    local where = (o.ticked or {})[1] or (o.unticked or {})[1] or o.location
    if where then
      local item = vim.lsp.util.locations_to_items({ where }, offset_encoding)[1]
      item.text = ('%s %s  %s'):format(o.done and '[x]' or '[ ]', o.id, o.text)
      table.insert(items, item)
    end
  end
  return items
end

-- :PrimerSection: pick a primer section or heading and jump to it. The list comes from
-- workspace/symbol (query ""), so it is the primer the server really uses (configured folder,
-- workspace primer/ or bundled) with locations; kinds Module = section, String = heading.
local function pick_section(client, bufnr)
  request(client, 'workspace/symbol', { query = '' }, function(err, symbols)
    if err or type(symbols) ~= 'table' then
      local why = err and err.message or 'no answer'
      notify('workspace/symbol failed: ' .. why, vim.log.levels.ERROR)
      return
    end
    local kinds = vim.lsp.protocol.SymbolKind
    local items = vim.tbl_filter(function(s)
      return s.kind == kinds.Module or s.kind == kinds.String
    end, symbols)
    -- Document order: by file, then by line.
    table.sort(items, function(a, b)
      if a.location.uri ~= b.location.uri then
        return a.location.uri < b.location.uri
      end
      return a.location.range.start.line < b.location.range.start.line
    end)
    if #items == 0 then
      notify('the primer has no sections', vim.log.levels.WARN)
      return
    end
    vim.ui.select(items, {
      prompt = 'Primer section',
      format_item = function(s)
        if s.kind == kinds.Module then
          return s.name
        end
        return ('%s › %s'):format(s.containerName or '', s.name)
      end,
    }, function(choice)
      if choice then
        vim.lsp.util.show_document(choice.location, client.offset_encoding, { focus = true })
      end
    end)
  end, bufnr)
end

-- Creates the buffer-local commands. Called on attach (lsp/primer_ls.lua and setup()).
function M.attach(client, bufnr)
  -- Glossary terms are underlined with dots, links into the primer like links; a colour scheme
  -- or the user's own highlights win (default = true).
  vim.api.nvim_set_hl(0, '@lsp.type.primerTerm', { underdotted = true, default = true })
  vim.api.nvim_set_hl(0, '@lsp.type.primerLink', { link = 'Underlined', default = true })
  if M.options.inlay_hints and vim.lsp.inlay_hint then
    vim.lsp.inlay_hint.enable(true, { bufnr = bufnr })
  end
  local function command(name, fn, desc)
    vim.api.nvim_buf_create_user_command(bufnr, name, fn, { desc = desc })
  end
  command('PrimerSection', function()
    pick_section(client, bufnr)
  end, 'primer-ls: jump to a primer section or heading')
  command('PrimerOutcomes', function()
    local args = { { textDocument = { uri = vim.uri_from_bufnr(bufnr) } } }
    execute(client, bufnr, 'primer.outcomes', args, function(result)
      if type(result) ~= 'table' or not result.outcomes then
        notify('the server sent no outcomes', vim.log.levels.WARN)
        return
      end
      local title = ('Primer outcomes %d/%d'):format(result.done, result.total)
      vim.fn.setqflist({}, ' ', {
        title = title,
        items = M.outcomes_qflist(result, client.offset_encoding),
      })
      vim.cmd('botright copen')
      notify(M.outcomes_summary(result))
    end)
  end, 'primer-ls: learning outcomes with progress, in the quickfix list')
  vim.api.nvim_buf_create_user_command(bufnr, 'PrimerChecklist', function(cmd)
    -- The server inserts the checklist itself (workspace/applyEdit) at the cursor.
    local args = vim.lsp.util.make_position_params(0, client.offset_encoding)
    if cmd.args ~= '' then
      args.section = cmd.args
    end
    execute(client, bufnr, 'primer.insertChecklist', { args }, function(result)
      local n = type(result) == 'table' and result.inserted or 0
      if n == 0 then
        notify('the checklist already lists every outcome')
      else
        notify(('inserted %d outcome%s'):format(n, n == 1 and '' or 's'))
      end
    end)
  end, {
    nargs = '?',
    desc = 'primer-ls: insert the learning-outcomes checklist (of one section, or all)',
    complete = function(lead)
      local params = { command = 'primer.outcomes', arguments = {} }
      local res = has_011 and client:request_sync('workspace/executeCommand', params, 2000, bufnr)
        or client.request_sync('workspace/executeCommand', params, 2000, bufnr)
      local ids = {}
      for _, s in ipairs(res and res.result and res.result.sections or {}) do
        if vim.startswith(s.id, lead) then
          table.insert(ids, s.id)
        end
      end
      return ids
    end,
  })
end

-- The configuration setup() adds on top of lsp/primer_ls.lua.
local function overrides(opts)
  local cfg = {
    cmd = opts.cmd or { M.binary() },
    on_attach = function(client, bufnr)
      M.attach(client, bufnr)
      if opts.on_attach then
        opts.on_attach(client, bufnr)
      end
    end,
  }
  -- Neovim takes any semantic token type, so ask for primer-ls's own (highlighted below).
  local primer = {
    semanticTokens = { customTypes = true },
    inlayHints = { enabled = opts.inlay_hints == true },
  }
  if opts.primer_path then
    -- The server does not expand `~` or $VARS; a relative path stays relative to the root.
    primer.path = vim.fs.normalize(opts.primer_path)
  end
  -- initializationOptions for the start, settings for workspace/configuration afterwards.
  cfg.init_options = { primer = primer }
  cfg.settings = { primer = primer }
  return cfg
end

-- The server configuration in effect (used by :checkhealth primer).
function M.config()
  if has_011 then
    return vim.lsp.config[M.name] or {}
  end
  return M._config_010 or {}
end

--- @class primer.Options
--- @field cmd? string[] the whole server command; wins over `binary`
--- @field binary? string path to the primer-ls executable
--- @field primer_path? string the course text folder (primer.path)
--- @field inlay_hints? boolean after each term's first mention, show where it is taught
--- @field on_attach? fun(client: vim.lsp.Client, bufnr: integer)

--- Configures and enables primer-ls for Markdown buffers.
--- @param opts? primer.Options
function M.setup(opts)
  opts = opts or {}
  M.options = vim.deepcopy(opts)
  if opts.primer_path then
    M.options.primer_path = vim.fs.normalize(opts.primer_path)
  end
  if opts.cmd and not opts.binary then
    M.options.binary = opts.cmd[1]
  end
  local cfg = overrides(opts)

  if has_011 then
    vim.lsp.config(M.name, cfg)
    vim.lsp.enable(M.name)
    return
  end

  -- Neovim 0.10: no vim.lsp.config/enable, so start the client on FileType ourselves.
  local file = vim.api.nvim_get_runtime_file('lsp/primer_ls.lua', false)[1]
  local base = assert(file, 'primer: lsp/primer_ls.lua is not on the runtimepath')
  cfg = vim.tbl_deep_extend('force', dofile(base), cfg)
  cfg.name = M.name
  M._config_010 = cfg
  local function start(bufnr)
    if vim.bo[bufnr].buftype ~= '' then
      return
    end
    local c = vim.deepcopy(cfg)
    c.root_dir = M.root_dir(bufnr) -- a string here: vim.lsp.start takes no root function in 0.10
    c.root_markers, c.filetypes = nil, nil
    vim.lsp.start(c, { bufnr = bufnr })
  end
  local group = vim.api.nvim_create_augroup('primer_ls', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = cfg.filetypes,
    callback = function(ev)
      start(ev.buf)
    end,
  })
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    local ft = vim.bo[bufnr].filetype
    if vim.api.nvim_buf_is_loaded(bufnr) and vim.tbl_contains(cfg.filetypes, ft) then
      start(bufnr)
    end
  end
end

return M
