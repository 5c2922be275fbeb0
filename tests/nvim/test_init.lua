-- Headless Neovim end-to-end test of editors/nvim against the real primer-ls binary.
-- Run by tests/nvim/run.sh: nvim --headless --clean -n -u tests/nvim/test_init.lua
-- Env: PRIMER_LS (server binary), PLUGIN_DIR (editors/nvim), NOTES (a copy of fixture/notes).
-- Prints one PASS/FAIL line per check on stdout; exits 0 when all pass, 1 otherwise.

local failed = false
local counts = { passed = 0, failed = 0 }

local function report(ok, name, detail)
  local suffix = detail and (' - ' .. tostring(detail)) or ''
  io.stdout:write(('%s: %s%s\n'):format(ok and 'PASS' or 'FAIL', name, suffix))
  io.stdout:flush()
  failed = failed or not ok
  counts[ok and 'passed' or 'failed'] = counts[ok and 'passed' or 'failed'] + 1
end

-- Runs one check; an error fails that check only. `fn` may return a detail to print.
local function check(name, fn)
  local ok, res = pcall(fn)
  report(ok, name, res)
  return ok
end

-- Waits for `fn` to return a truthy value; errors with `what` on timeout.
local function eventually(what, fn, ms)
  local value
  local ok = vim.wait(ms or 10000, function()
    value = fn()
    return value
  end, 50)
  assert(ok, 'timed out waiting for ' .. what)
  return value
end

local function env(name)
  return assert(os.getenv(name), name .. ' is not set')
end

local function run()
  local server, plugin, notes = env('PRIMER_LS'), env('PLUGIN_DIR'), env('NOTES')
  vim.opt.runtimepath:prepend(plugin)
  vim.opt.swapfile = false
  require('primer').setup({ cmd = { server }, inlay_hints = true })
  vim.cmd('filetype on') -- with --clean -u FILE, detection is still off here (E2E.md pitfall 1)

  vim.cmd.edit(vim.fn.fnameescape(notes .. '/week1.md'))
  local buf = vim.api.nvim_get_current_buf()
  assert(vim.bo[buf].filetype == 'markdown', 'filetype is ' .. vim.bo[buf].filetype)

  local client
  local attached = check('attach', function()
    client = eventually('primer_ls to attach', function()
      local c = vim.lsp.get_clients({ bufnr = buf, name = 'primer_ls' })[1]
      return c and c.initialized and c
    end, 20000)
    local info = 'client %d, root %s, encoding %s'
    return info:format(client.id, client.root_dir, client.offset_encoding)
  end)
  if not attached then
    return
  end

  -- Request helpers: real requests through the client, with its negotiated encoding.
  local function request(method, params)
    local res, err = client:request_sync(method, params, 10000, buf)
    assert(res, method .. ': ' .. tostring(err))
    assert(not res.err, method .. ' error: ' .. vim.inspect(res.err))
    return res.result
  end
  -- Position params with the cursor `offset` bytes into the first occurrence of `text`.
  local function at(text, offset)
    for i, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
      local s = line:find(text, 1, true)
      if s then
        vim.api.nvim_win_set_cursor(0, { i, s - 1 + (offset or 0) })
        return vim.lsp.util.make_position_params(0, client.offset_encoding)
      end
    end
    error('not in the buffer: ' .. text)
  end

  check('hover on a glossary term', function()
    local result = request('textDocument/hover', at('network partition', 3))
    local value = result and result.contents and result.contents.value or ''
    assert(value:find('Network partition', 1, true), 'hover was: ' .. vim.inspect(result))
    return value:match('[^\n]+')
  end)

  check('definition of [[state#caching]]', function()
    local result = request('textDocument/definition', at('[[state#caching]]', 4))
    local loc = result and (result.uri and result or result[1])
    assert(loc, 'no location: ' .. vim.inspect(result))
    local uri = loc.uri or loc.targetUri
    local range = loc.range or loc.targetSelectionRange
    assert(uri:match('/state%.md$'), 'uri ' .. uri)
    local line = vim.fn.readfile(vim.uri_to_fname(uri))[range.start.line + 1]
    assert(line == '### Caching', 'target line is ' .. vim.inspect(line))
    return uri
  end)

  check('references to a term', function()
    local params = at('network partition', 3)
    params.context = { includeDeclaration = false }
    -- Retried: the other note is found once the server has indexed the workspace.
    local refs = eventually('a reference in week2.md', function()
      local r = request('textDocument/references', params) or {}
      for _, loc in ipairs(r) do
        if loc.uri:match('/notes/week2%.md$') and #r >= 2 then
          return r
        end
      end
    end)
    return #refs .. ' locations'
  end)

  check('diagnostic for [[stat]]', function()
    local d = eventually("a 'Did you mean' diagnostic", function()
      for _, d in ipairs(vim.diagnostic.get(buf)) do
        if d.message:find("Did you mean 'state'", 1, true) then
          return d
        end
      end
    end)
    assert(d.severity == vim.diagnostic.severity.ERROR, 'severity ' .. d.severity)
    return d.message
  end)

  check('completion after [[sta', function()
    local text = 'See [[sta'
    vim.api.nvim_buf_set_lines(buf, -1, -1, false, { text })
    local row = vim.api.nvim_buf_line_count(buf) - 1
    -- The insert position is the end of the line; the line is ASCII, so bytes = characters.
    local params = {
      textDocument = { uri = vim.uri_from_bufnr(buf) },
      position = { line = row, character = #text },
      context = { triggerKind = 1 },
    }
    local result = request('textDocument/completion', params)
    vim.api.nvim_buf_set_lines(buf, row, row + 1, false, {}) -- undo the typing
    local items = result and (result.items or result) or {}
    local labels = vim.tbl_map(function(i)
      return i.label
    end, items)
    assert(vim.tbl_contains(labels, 'state'), 'labels: ' .. table.concat(labels, ', '))
    return #items .. ' items'
  end)

  -- Captures vim.notify for the command checks.
  local notes_seen = {}
  vim.notify = function(msg, level)
    table.insert(notes_seen, { msg = msg, level = level })
  end

  check(':PrimerSection jumps to the chosen heading', function()
    local chosen
    vim.ui.select = function(items, opts, on_choice)
      for _, item in ipairs(items) do
        local label = opts.format_item(item)
        if label:find('Caching', 1, true) then
          chosen = label
          return on_choice(item)
        end
      end
      on_choice(nil)
    end
    vim.cmd('PrimerSection')
    eventually("the primer's state.md", function()
      return vim.api.nvim_buf_get_name(0):match('/state%.md$')
    end)
    assert(chosen, 'no entry with Caching')
    local line = vim.api.nvim_get_current_line()
    assert(line == '### Caching', ('picked %q, cursor on %q'):format(chosen, line))
    return ('%q -> %s:%d'):format(chosen, vim.fn.fnamemodify(vim.api.nvim_buf_get_name(0), ':t'),
      vim.api.nvim_win_get_cursor(0)[1])
  end)

  check('a primer file joins the running client', function()
    local primer_buf = vim.api.nvim_get_current_buf()
    assert(primer_buf ~= buf, 'still in the note')
    eventually('the primer buffer to attach', function()
      return vim.lsp.buf_is_attached(primer_buf, client.id)
    end)
    local all = vim.lsp.get_clients({ name = 'primer_ls' })
    assert(#all == 1, #all .. ' primer_ls clients')
  end)

  -- Runs a user command in the note and returns the first vim.notify it caused.
  local function notified_by(cmd)
    vim.cmd.buffer(buf)
    notes_seen = {}
    vim.cmd(cmd)
    local n = eventually('a vim.notify message from ' .. cmd, function()
      return notes_seen[1]
    end)
    assert(n.level == vim.log.levels.INFO, 'not an info message: ' .. n.msg)
    return n.msg
  end
  check(':PrimerOutcomes fills the quickfix list with progress', function()
    local msg = notified_by('PrimerOutcomes')
    local done, total = msg:match('^primer%-ls: Outcomes: (%d+)/(%d+) done')
    assert(done, 'no summary: ' .. msg)
    assert(msg:find('░  2. State  0/6\n', 1, true), 'no progress line for 2. State: ' .. msg)
    local qf = vim.fn.getqflist({ title = 1, items = 1 })
    assert(qf.title == ('Primer outcomes %s/%s'):format(done, total), qf.title)
    assert(#qf.items == tonumber(total), #qf.items .. ' items for ' .. total .. ' outcomes')
    local first = qf.items[1]
    assert(first.text:match('^%[ %] intro%.1 '), first.text)
    assert(vim.api.nvim_buf_get_name(first.bufnr):match('_index%.md$'), 'intro.1 is in _index.md')
    vim.cmd('cclose')
    return ('%s/%s, %d quickfix entries'):format(done, total, #qf.items)
  end)
  check(':PrimerChecklist state inserts the missing outcomes once', function()
    local last = vim.api.nvim_buf_line_count(buf)
    vim.cmd.buffer(buf)
    vim.api.nvim_win_set_cursor(0, { last, 0 })
    local msg = notified_by('PrimerChecklist state')
    local n = tonumber(msg:match('inserted (%d+) outcomes'))
    assert(n and n >= 3, msg)
    local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
    local text = table.concat(lines, '\n')
    assert(text:find('## Learning outcomes: 2. State', 1, true), text)
    local _, items = text:gsub('\n%- %[ %] ', '')
    assert(items == n, items .. ' task items for ' .. n)
    local again = notified_by('PrimerChecklist state')
    assert(again:find('already lists every outcome', 1, true), again)
    assert(#vim.api.nvim_buf_get_lines(buf, 0, -1, false) == #lines, 'the second run changed the note')
    vim.cmd('silent undo')
    return msg
  end)
  check('semantic tokens and inlay hints on a term', function()
    vim.cmd.buffer(buf)
    local params = at('network partition', 2)
    local row, col = params.position.line, 10
    local token = eventually('a primerTerm token', function()
      for _, t in ipairs(vim.lsp.semantic_tokens.get_at_pos(buf, row, col) or {}) do
        if t.type == 'primerTerm' then
          return t
        end
      end
    end)
    local hints = eventually('an inlay hint', function()
      local h = vim.lsp.inlay_hint.get({ bufnr = buf })
      return #h > 0 and h
    end)
    local label = hints[1].inlay_hint.label
    label = type(label) == 'table' and label[1].value or label
    assert(label:find('→', 1, true), label)
    return ('%s at %d:%d; first hint %q'):format(token.type, row, col, label)
  end)

  check(':checkhealth primer', function()
    vim.cmd('silent checkhealth primer')
    local text = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), '\n')
    assert(text:find('binary: ', 1, true), 'no binary line:\n' .. text)
    assert(text:find('version: primer-ls', 1, true), 'no version line:\n' .. text)
    assert(not text:find('ERROR', 1, true), 'errors:\n' .. text)
    vim.cmd('bwipeout!')
  end)

  check(':help primer', function()
    -- Build the help tags in a temporary copy, so the source tree stays untouched.
    local dir = vim.fn.tempname()
    vim.fn.mkdir(dir .. '/doc', 'p')
    vim.fn.writefile(vim.fn.readfile(plugin .. '/doc/primer.txt'), dir .. '/doc/primer.txt')
    vim.cmd.helptags(vim.fn.fnameescape(dir .. '/doc'))
    vim.opt.runtimepath:append(dir)
    for _, tag in ipairs({ 'primer', ':PrimerSection', 'primer-options', 'primer-install' }) do
      vim.cmd.help(tag)
      assert(vim.api.nvim_buf_get_name(0):match('primer%.txt$'), ':help ' .. tag)
    end
    vim.cmd('helpclose')
  end)
end

local ok, err = pcall(run)
if not ok then
  report(false, 'test script', err)
end
io.stdout:write(('neovim: %d passed, %d failed\n'):format(counts.passed, counts.failed))
if failed then
  io.stdout:write('lsp log: ' .. vim.lsp.get_log_path() .. '\n')
  vim.cmd('cquit! 1')
else
  vim.cmd('qall!')
end
