-- primer-ls for Neovim: setup(), the server binary, the workspace root, the buffer-local commands
-- made on attach, and the handlers for what the server sends by itself (code lens refreshes,
-- outcome counts). The server configuration itself lives in lsp/primer_ls.lua.

local M = {}

M.name = 'primer_ls'

-- One equal-priority group (:help lsp-root_markers): the nearest folder holding any marker wins.
M.root_markers = { { '.primer-ls.toml', '.primer-ls', 'primer', '.git' } }

-- Options given to setup(); see :help primer-options.
M.options = {}

local has_011 = vim.fn.has('nvim-0.11') == 1

-- This file is editors/nvim/lua/primer/init.lua: the plugin is three folders up, the repository
-- (where lazy.nvim's `build` step runs cargo) five. Links are resolved first: a package folder
-- (pack/*/opt/primer) may be a symbolic link to editors/nvim.
local this_file = vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p')
this_file = (vim.uv or vim.loop).fs_realpath(this_file) or this_file
local plugin_dir = vim.fn.fnamemodify(this_file, ':h:h:h')
M.repo_dir = vim.fn.fnamemodify(plugin_dir, ':h:h')

local exe_name = vim.fn.has('win32') == 1 and 'primer-ls.exe' or 'primer-ls'

--- The server binary, and where it was found: the `binary` (or `cmd`) option; else a release
--- build in the repository this plugin sits in (what lazy.nvim's `build` step leaves there); else
--- `primer-ls` on PATH; else a debug build of the repository; else plain `primer-ls`.
--- @return string path, 'option'|'checkout'|'PATH'|'missing' source
function M.binary()
  if M.options.binary then
    return M.options.binary, 'option'
  end
  local function built(profile)
    local exe = vim.fs.joinpath(M.repo_dir, 'target', profile, exe_name)
    return vim.fn.executable(exe) == 1 and exe or nil
  end
  local release = built('release')
  if release then
    return release, 'checkout'
  end
  if vim.fn.executable('primer-ls') == 1 then
    return vim.fn.exepath('primer-ls'), 'PATH'
  end
  local debug_build = built('debug')
  if debug_build then
    return debug_build, 'checkout'
  end
  return 'primer-ls', 'missing'
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

-- The quickfix list :PrimerOutcomes made ({ id, client_id }), kept up to date while it exists,
-- and the number of requests for it, so that a late answer never replaces a newer one.
local outcomes_list
local outcomes_requests = 0

-- Asks the server for the outcomes and puts them in the quickfix list: a new list (opened, with
-- a summary message) when `opts.open`, else the list :PrimerOutcomes made, replaced in place.
local function fill_outcomes(client, bufnr, opts)
  outcomes_requests = outcomes_requests + 1
  local n = outcomes_requests
  local args = { { textDocument = { uri = vim.uri_from_bufnr(bufnr) } } }
  execute(client, bufnr, 'primer.outcomes', args, function(result)
    if not opts.open and n ~= outcomes_requests then
      return
    end
    if type(result) ~= 'table' or not result.outcomes then
      notify('the server sent no outcomes', vim.log.levels.WARN)
      return
    end
    local what = {
      title = ('Primer outcomes %d/%d'):format(result.done, result.total),
      items = M.outcomes_qflist(result, client.offset_encoding),
    }
    if opts.open then
      vim.fn.setqflist({}, ' ', what)
      outcomes_list = { id = vim.fn.getqflist({ id = 0 }).id, client_id = client.id }
      vim.cmd('botright copen')
      notify(M.outcomes_summary(result))
    elseif outcomes_list and vim.fn.getqflist({ id = outcomes_list.id }).id ~= 0 then
      what.id = outcomes_list.id
      what.idx = vim.fn.getqflist({ id = outcomes_list.id, idx = 0 }).idx
      vim.fn.setqflist({}, 'r', what)
    end
  end)
end

-- The latest outcome counts each client announced (primer/outcomesChanged), by client id.
M.progress = {}

--- Handler of the server's `primer/outcomesChanged` notification (docs/protocol.md): remembers
--- the counts, brings the :PrimerOutcomes quickfix list up to date, and fires the
--- `User PrimerOutcomesChanged` autocommand (data: { client_id, done, total }) for statuslines.
function M.on_outcomes_changed(client_id, params)
  if type(params) ~= 'table' then
    return
  end
  M.progress[client_id] = { done = params.done, total = params.total }
  local client = vim.lsp.get_client_by_id(client_id)
  if client and outcomes_list and outcomes_list.client_id == client_id then
    local bufnr = next(client.attached_buffers)
    if bufnr then
      fill_outcomes(client, bufnr, { open = false })
    end
  end
  vim.api.nvim_exec_autocmds('User', {
    pattern = 'PrimerOutcomesChanged',
    modeline = false,
    data = { client_id = client_id, done = params.done, total = params.total },
  })
end

-- Code lenses: the last request per buffer, so that a late answer never replaces a newer one.
local lens_requests = {}

--- Asks primer-ls for the code lenses of a buffer and shows them (vim.lsp.codelens). Unlike
--- vim.lsp.codelens.refresh(), which skips a buffer while a request is in flight, a refresh is
--- never dropped: the server asks for one exactly when the counts changed.
function M.refresh_lenses(bufnr)
  if not vim.api.nvim_buf_is_loaded(bufnr) then
    return
  end
  local params = { textDocument = vim.lsp.util.make_text_document_params(bufnr) }
  for _, client in ipairs(vim.lsp.get_clients({ bufnr = bufnr, name = M.name })) do
    local key = bufnr .. ':' .. client.id
    local n = (lens_requests[key] or 0) + 1
    lens_requests[key] = n
    request(client, 'textDocument/codeLens', params, function(err, result, ctx)
      if lens_requests[key] == n and vim.api.nvim_buf_is_loaded(bufnr) then
        vim.lsp.codelens.on_codelens(err, result or {}, ctx)
      end
    end, bufnr)
  end
end

--- Handler of `workspace/codeLens/refresh`: refreshes the lenses of every buffer of the client.
function M.on_lens_refresh(client_id)
  local client = vim.lsp.get_client_by_id(client_id)
  if client and M.options.code_lens ~= false then
    for bufnr in pairs(client.attached_buffers) do
      M.refresh_lenses(bufnr)
    end
  end
end

-- Whether a heading is worth a picker entry: not empty, not just a number ("# 4" above a
-- section's title), not the section's own title again ("State" in "2. State").
local function meaningful_heading(name, section_title)
  local text = vim.trim(name or '')
  if text == '' or text:match('^[%d%.%s%)]*$') then
    return false
  end
  local bare = (section_title or ''):gsub('^%d+[%.%)]?%s*', '')
  return text:lower() ~= bare:lower()
end

--- The entries of :PrimerSection from a workspace/symbol answer: sections (SymbolKind Module) in
--- primer order (`section_uris`, the primer.coverage order; sections not in it come after, by
--- file), each followed by its headings (SymbolKind String) in document order; number-only
--- headings and those repeating the section's title are left out. Entries: { label, location }.
function M.section_entries(symbols, section_uris)
  local kinds = vim.lsp.protocol.SymbolKind
  local rank = {}
  for i, uri in ipairs(section_uris or {}) do
    rank[uri] = i
  end
  local titles = {}
  for _, s in ipairs(symbols) do
    if s.kind == kinds.Module then
      titles[s.location.uri] = s.name
    end
  end
  local entries = {}
  for _, s in ipairs(symbols) do
    local uri = s.location.uri
    local is_section = s.kind == kinds.Module
    if is_section or (s.kind == kinds.String and meaningful_heading(s.name, titles[uri])) then
      table.insert(entries, {
        label = is_section and s.name or ('%s › %s'):format(s.containerName or titles[uri] or '', s.name),
        location = s.location,
        rank = rank[uri] or math.huge,
        is_section = is_section,
      })
    end
  end
  table.sort(entries, function(a, b)
    if a.rank ~= b.rank then
      return a.rank < b.rank
    end
    if a.location.uri ~= b.location.uri then
      return a.location.uri < b.location.uri
    end
    if a.is_section ~= b.is_section then
      return a.is_section
    end
    return a.location.range.start.line < b.location.range.start.line
  end)
  return entries
end

-- :PrimerSection: pick a primer section or heading with vim.ui.select (so telescope, fzf-lua or
-- snacks show it when they replace vim.ui.select) and jump to it. The list is the server's
-- workspace symbols (query ""), ordered as primer.coverage lists the sections.
local function pick_section(client, bufnr)
  local function with_symbols(section_uris)
    request(client, 'workspace/symbol', { query = '' }, function(err, symbols)
      if err or type(symbols) ~= 'table' then
        local why = err and err.message or 'no answer'
        notify('workspace/symbol failed: ' .. why, vim.log.levels.ERROR)
        return
      end
      local entries = M.section_entries(symbols, section_uris)
      if #entries == 0 then
        notify('the primer has no sections', vim.log.levels.WARN)
        return
      end
      vim.ui.select(entries, {
        prompt = 'Primer section',
        kind = 'primer_section',
        format_item = function(entry)
          return entry.label
        end,
      }, function(choice)
        if choice then
          vim.lsp.util.show_document(choice.location, client.offset_encoding, { focus = true })
        end
      end)
    end, bufnr)
  end
  -- primer.coverage gives the sections in primer order; a server without it gets file order.
  local params = { command = 'primer.coverage', arguments = {} }
  request(client, 'workspace/executeCommand', params, function(err, result)
    local uris = {}
    for _, s in ipairs(not err and type(result) == 'table' and result.sections or {}) do
      table.insert(uris, s.uri)
    end
    with_symbols(uris)
  end, bufnr)
end

--- The `primer-ls cohort` command line for a class folder: the course text is `primer_path`, else
--- the `primer/` folder of the current directory, else the bundled primer. The page is written to
--- `page`, outside the class folder.
function M.cohort_cmd(dir, page)
  local cmd = { (M.binary()), 'cohort' }
  local primer = M.options.primer_path
  if not primer then
    local here = vim.fs.joinpath(vim.fn.getcwd(), 'primer')
    primer = vim.fn.isdirectory(here) == 1 and here or nil
  end
  if primer then
    vim.list_extend(cmd, { '--primer', primer })
  end
  vim.list_extend(cmd, { '--html', page, dir })
  return cmd
end

--- `:PrimerCohort [dir]`: writes the class's outcome page (one folder of notes per student in
--- `dir`, the current directory without one) and opens it with the system's viewer
--- (`vim.ui.open`). `on_done(page)` runs after it opened, with nil when it failed.
function M.cohort(dir, on_done)
  dir = vim.fs.normalize(vim.fn.fnamemodify(dir ~= nil and dir ~= '' and dir or vim.fn.getcwd(), ':p'))
  on_done = on_done or function() end
  if vim.fn.isdirectory(dir) == 0 then
    notify('no folder ' .. dir, vim.log.levels.ERROR)
    return on_done(nil)
  end
  local page = vim.fn.tempname() .. '-cohort.html'
  local ok, err = pcall(vim.system, M.cohort_cmd(dir, page), { text = true }, vim.schedule_wrap(function(out)
    if out.code ~= 0 then
      local said = vim.trim(out.stderr or '')
      notify('the cohort page failed: ' .. (said ~= '' and said or ('exit ' .. out.code)), vim.log.levels.ERROR)
      return on_done(nil)
    end
    local opened, why = vim.ui.open(page)
    if not opened then
      notify(('wrote %s (could not open it: %s)'):format(page, why or '?'), vim.log.levels.WARN)
    else
      notify('cohort page: ' .. page)
    end
    on_done(page)
  end))
  if not ok then
    notify('could not run ' .. (M.binary()) .. ': ' .. tostring(err), vim.log.levels.ERROR)
    on_done(nil)
  end
end

--- Opens a `file:` URI, at the line of a `#L<line>` fragment (the links of primer-ls's hovers,
--- "Taught in [2. State › Caching](file:///…/state.md#L15)"). From a floating window (the hover),
--- the file opens in the window below it. Returns false for a URI that is not a file.
function M.open_uri(uri)
  local base = uri:gsub('#.*$', '')
  if not vim.startswith(base, 'file:') then
    return false
  end
  local line = tonumber(uri:match('#L(%d+)')) or 1
  if vim.api.nvim_win_get_config(0).relative ~= '' then
    vim.api.nvim_win_close(0, false)
  end
  local pos = { line = line - 1, character = 0 }
  local location = { uri = base, range = { start = pos, ['end'] = pos } }
  return vim.lsp.util.show_document(location, 'utf-16', { focus = true })
end

-- The destination of the Markdown link under the cursor, or else of the first link on its line.
local function link_at_cursor()
  local line = vim.api.nvim_get_current_line()
  local col = vim.api.nvim_win_get_cursor(0)[2] + 1
  local first
  for from, target, to in line:gmatch('()%[[^%]]*%]%(([^%)%s]+)%)()') do
    if col >= from and col < to then
      return target
    end
    first = first or target
  end
  return first
end

--- `gx` / `gf` in a primer-ls hover: a `file:` link opens in Neovim (at its line), anything else
--- goes to vim.ui.open as with the default `gx`.
function M.follow_link()
  local target = link_at_cursor()
  if not target then
    notify('no link under the cursor', vim.log.levels.WARN)
  elseif not M.open_uri(target) then
    vim.ui.open(target)
  end
end

-- Gives a primer-ls hover window (entered with K K, or CTRL-W w) the `gx` / `gf` mappings.
local function on_win_enter()
  local win = vim.api.nvim_get_current_win()
  local source = vim.w[win]['textDocument/hover']
  if vim.api.nvim_win_get_config(win).relative == '' or type(source) ~= 'number' then
    return
  end
  if #vim.lsp.get_clients({ bufnr = source, name = M.name }) == 0 then
    return
  end
  local buf = vim.api.nvim_win_get_buf(win)
  for _, lhs in ipairs({ 'gx', 'gf' }) do
    vim.keymap.set('n', lhs, M.follow_link, { buffer = buf, desc = 'primer-ls: open the link in Neovim' })
  end
end

-- Creates the buffer-local commands, code lenses and hover mappings. Called on attach
-- (lsp/primer_ls.lua and setup()).
function M.attach(client, bufnr)
  -- Glossary terms are underlined with dots, links into the primer like links; a colour scheme
  -- or the user's own highlights win (default = true).
  vim.api.nvim_set_hl(0, '@lsp.type.primerTerm', { underdotted = true, default = true })
  vim.api.nvim_set_hl(0, '@lsp.type.primerLink', { link = 'Underlined', default = true })
  if M.options.inlay_hints and vim.lsp.inlay_hint then
    vim.lsp.inlay_hint.enable(true, { bufnr = bufnr })
  end
  vim.api.nvim_create_autocmd('WinEnter', {
    group = vim.api.nvim_create_augroup('primer_hover', { clear = true }),
    callback = on_win_enter,
  })
  if M.options.code_lens ~= false then
    vim.api.nvim_create_autocmd({ 'BufEnter', 'CursorHold', 'InsertLeave', 'BufWritePost' }, {
      group = vim.api.nvim_create_augroup('primer_lens_' .. bufnr, { clear = true }),
      buffer = bufnr,
      callback = function()
        M.refresh_lenses(bufnr)
      end,
    })
    M.refresh_lenses(bufnr)
  end

  local function command(name, fn, opts)
    vim.api.nvim_buf_create_user_command(bufnr, name, fn, opts)
  end
  command('PrimerSection', function()
    pick_section(client, bufnr)
  end, { desc = 'primer-ls: jump to a primer section or heading' })
  command('PrimerOutcomes', function()
    fill_outcomes(client, bufnr, { open = true })
  end, { desc = 'primer-ls: learning outcomes with progress, in the quickfix list' })
  command('PrimerChecklist', function(cmd)
    -- The server inserts the checklist itself (workspace/applyEdit) at the cursor; without a
    -- section it asks which one (window/showMessageRequest, shown with vim.ui.select).
    local args = vim.lsp.util.make_position_params(0, client.offset_encoding)
    if cmd.args ~= '' then
      args.section = cmd.args
    else
      args.ask = true
    end
    execute(client, bufnr, 'primer.insertChecklist', { args }, function(result)
      local n = type(result) == 'table' and result.inserted or 0
      if n == 0 then
        notify('no outcome was added (the note lists them already, or none was chosen)')
      else
        notify(('inserted %d outcome%s'):format(n, n == 1 and '' or 's'))
      end
    end)
  end, {
    nargs = '?',
    desc = 'primer-ls: insert a learning-outcomes checklist (of one section, or asks which)',
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

--- Client-side commands for the server's code lenses (lsp/primer_ls.lua): instead of sending them
--- back to the server, which would answer with JSON, they open the matching view.
M.lens_commands = {
  -- "Outcomes: 3/7 done" above a checklist: the outcomes in the quickfix list.
  ['primer.outcomes'] = function(_, ctx)
    local client = vim.lsp.get_client_by_id(ctx.client_id)
    if client then
      fill_outcomes(client, ctx.bufnr, { open = true })
    end
  end,
  -- "Used by N notes" above a primer section: those notes in the quickfix list.
  ['primer.coverage'] = function(_, ctx)
    local client = vim.lsp.get_client_by_id(ctx.client_id)
    if not client then
      return
    end
    local uri = vim.uri_from_bufnr(ctx.bufnr)
    execute(client, ctx.bufnr, 'primer.coverage', {}, function(result)
      for _, s in ipairs(type(result) == 'table' and result.sections or {}) do
        if s.uri == uri then
          local items = vim.tbl_map(function(note)
            return { filename = vim.uri_to_fname(note), lnum = 1, text = 'uses ' .. s.title }
          end, s.notes or {})
          vim.fn.setqflist({}, ' ', { title = 'Notes using ' .. s.title, items = items })
          vim.cmd('botright copen')
          return
        end
      end
      notify('this file is not a section of the primer in use', vim.log.levels.WARN)
    end)
  end,
}

-- The configuration setup() adds on top of lsp/primer_ls.lua.
local function overrides(opts)
  local cfg = {
    cmd = opts.cmd or { (M.binary()) },
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
--- @field code_lens? boolean show the outcome progress above checklists (default true)
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
  vim.api.nvim_create_user_command('PrimerCohort', function(o)
    M.cohort(o.args)
  end, { nargs = '?', complete = 'dir', desc = "primer-ls: open a class's outcome page" })

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
