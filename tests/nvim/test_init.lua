-- Headless Neovim end-to-end test of editors/nvim against the real primer-ls binary.
-- Run by tests/nvim/run.sh: nvim --headless --clean -n -u tests/nvim/test_init.lua
-- Env: PRIMER_LS (server binary), PLUGIN_DIR (editors/nvim), NOTES (a copy of fixture/notes).
-- Prints one PASS/FAIL line per check and a summary on stdout (harness.lua); exits 0 when
-- none failed.

local H = dofile(vim.fs.joinpath(vim.fs.dirname(debug.getinfo(1, 'S').source:sub(2)), 'harness.lua'))
local check, eventually, env = H.check, H.eventually, H.env

local function run()
  local server, plugin, notes = env('PRIMER_LS'), env('PLUGIN_DIR'), env('NOTES')
  vim.opt.runtimepath:prepend(plugin)
  vim.opt.swapfile = false

  -- Every primer/outcomesChanged the plugin passes on, from the very start.
  local announced = {}
  vim.api.nvim_create_autocmd('User', {
    pattern = 'PrimerOutcomesChanged',
    callback = function(ev)
      table.insert(announced, ev.data)
    end,
  })

  local primer = require('primer')
  primer.setup({ cmd = { server }, inlay_hints = true })
  vim.cmd('filetype on') -- with --clean -u FILE, detection is still off here (E2E.md pitfall 1)

  check('a .primer-ls.toml marks the workspace root inside a repository', function()
    local repo = vim.fn.tempname()
    vim.fn.mkdir(repo .. '/.git', 'p')
    vim.fn.mkdir(repo .. '/course/notes/week1', 'p')
    vim.fn.writefile({ 'exclude = []' }, repo .. '/course/notes/.primer-ls.toml')
    local root = vim.fs.root(repo .. '/course/notes/week1/a.md', primer.root_markers)
    assert(root == repo .. '/course/notes', 'root is ' .. tostring(root))
    vim.fn.delete(repo, 'rf')
    return root
  end)

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
    for i, line in ipairs(vim.api.nvim_buf_get_lines(0, 0, -1, false)) do
      local s = line:find(text, 1, true)
      if s then
        vim.api.nvim_win_set_cursor(0, { i, s - 1 + (offset or 0) })
        return vim.lsp.util.make_position_params(0, client.offset_encoding)
      end
    end
    error('not in the buffer: ' .. text)
  end
  -- The code lens titles of a buffer, as vim.lsp.codelens keeps them, by line (1-based).
  local function lens_titles(bufnr)
    local out = {}
    for _, lens in ipairs(vim.lsp.codelens.get(bufnr)) do
      if lens.command then
        out[lens.range.start.line + 1] = lens.command.title
      end
    end
    return out
  end
  -- The first line (1-based) of a buffer that starts with `prefix`.
  local function line_starting(bufnr, prefix)
    for i, line in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
      if vim.startswith(line, prefix) then
        return i
      end
    end
  end

  check('the outcome counts arrive once the workspace is indexed (primer/outcomesChanged)', function()
    -- week3.md, never opened so far, ticks one outcome: only the workspace index knows it.
    local last = eventually('a notification counting week3.md', function()
      local n = announced[#announced]
      return n and n.done == 1 and n
    end)
    assert(last.client_id == client.id and last.total > 1, vim.inspect(last))
    local kept = primer.progress[client.id]
    assert(kept and kept.done == 1 and kept.total == last.total, vim.inspect(kept))
    return ('%d notifications, last %d/%d'):format(#announced, last.done, last.total)
  end)

  check('hover on a glossary term', function()
    local result = request('textDocument/hover', at('network partition', 3))
    local value = result and result.contents and result.contents.value or ''
    assert(value:find('Network partition', 1, true), 'hover was: ' .. vim.inspect(result))
    return value:match('[^\n]+')
  end)

  local caching -- the primer's "### Caching" heading: { uri, line (1-based) }
  check('definition of [[state#caching]]', function()
    local result = request('textDocument/definition', at('[[state#caching]]', 4))
    local loc = result and (result.uri and result or result[1])
    assert(loc, 'no location: ' .. vim.inspect(result))
    local uri = loc.uri or loc.targetUri
    local range = loc.range or loc.targetSelectionRange
    assert(uri:match('/state%.md$'), 'uri ' .. uri)
    local line = vim.fn.readfile(vim.uri_to_fname(uri))[range.start.line + 1]
    assert(line == '### Caching', 'target line is ' .. vim.inspect(line))
    caching = { uri = uri, line = range.start.line + 1 }
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

  -- vim.ui.select as a picker plugin would receive it: records the call and answers with the
  -- first item whose label satisfies `want` (or nothing).
  local picked = {}
  local function answer_select(want)
    picked = {}
    vim.ui.select = function(items, opts, on_choice)
      local format = opts.format_item or tostring
      picked.items, picked.opts = items, opts
      picked.labels = vim.tbl_map(format, items)
      for i, item in ipairs(items) do
        if want(picked.labels[i]) then
          picked.label = picked.labels[i]
          return on_choice(item, i)
        end
      end
      on_choice(nil)
    end
  end

  check(':PrimerSection lists the primer in order, without number-only headings', function()
    answer_select(function()
      return false
    end)
    vim.cmd('PrimerSection')
    eventually('vim.ui.select', function()
      return picked.labels
    end)
    local labels = picked.labels
    assert(picked.opts.kind == 'primer_section', 'kind ' .. tostring(picked.opts.kind))
    local sections = vim.tbl_filter(function(l)
      return not l:find(' › ', 1, true)
    end, labels)
    local expected = {
      'The Distributed Software Systems Architecture Primer',
      '1. Reliable RPCs',
      '2. State',
      '3. Scaling Stateless Services',
      '4. Asynchronous Work and Pipelines',
      '5. Distributed Locking and Distributed Consensus',
      'Glossary',
    }
    assert(vim.deep_equal(sections, expected), 'sections: ' .. table.concat(sections, ' | '))
    assert(labels[1] == expected[1], 'first entry ' .. labels[1])
    local seen = {}
    for i, label in ipairs(labels) do
      assert(not label:match(' › [%d%.%s]*$'), 'number-only heading: ' .. label)
      assert(label ~= '2. State › State', 'the section title again: ' .. label)
      assert(not seen[label] or label:match('› Further reading$') or label:match('› Questions:?$'),
        'listed twice: ' .. label)
      seen[label] = true
      -- Each section's entries follow its title, in document order.
      local item, prev = picked.items[i], picked.items[i - 1]
      if prev and item.location.uri == prev.location.uri then
        local a, b = prev.location.range.start.line, item.location.range.start.line
        assert(a < b, ('%s (line %d) after %s (line %d)'):format(label, b, labels[i - 1], a))
      end
    end
    assert(seen['2. State › Caching'], 'no "2. State › Caching" entry')
    return ('%d entries; sections: %s'):format(#labels, table.concat(sections, ', '))
  end)

  check(':PrimerSection jumps to the chosen heading', function()
    answer_select(function(label)
      return label == '2. State › Caching'
    end)
    vim.cmd('PrimerSection')
    eventually("the primer's state.md", function()
      return vim.api.nvim_buf_get_name(0):match('/state%.md$')
    end)
    local line = vim.api.nvim_get_current_line()
    assert(line == '### Caching', ('picked %q, cursor on %q'):format(picked.label, line))
    return ('%q -> %s:%d'):format(picked.label, vim.fn.fnamemodify(vim.api.nvim_buf_get_name(0), ':t'),
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

  check('the "Used by N notes" lens of a primer section lists those notes', function()
    local primer_buf = vim.api.nvim_get_current_buf()
    assert(vim.api.nvim_buf_get_name(primer_buf):match('/state%.md$'), 'not in the primer state.md')
    local params = { textDocument = vim.lsp.util.make_text_document_params(primer_buf) }
    local res = assert(client:request_sync('textDocument/codeLens', params, 10000, primer_buf))
    local lens = vim.iter(res.result or {}):find(function(l)
      return l.command and l.command.title:match('^Used by')
    end)
    vim.fn.setqflist({}, 'f')
    local title
    if lens then
      title = lens.command.title
      eventually('the lens on screen', function()
        return lens_titles(primer_buf)[lens.range.start.line + 1]
      end)
      vim.api.nvim_win_set_cursor(0, { lens.range.start.line + 1, 0 })
      vim.lsp.codelens.run()
    else
      -- This server build shows no coverage lens in a bundled primer file: run the command the
      -- lens would carry.
      title = '(no lens from the server; the command run directly)'
      primer.lens_commands['primer.coverage']({ command = 'primer.coverage' }, { bufnr = primer_buf, client_id = client.id })
    end
    local qf = eventually('the notes in the quickfix list', function()
      local l = vim.fn.getqflist({ title = 1, items = 1 })
      return l.title:match('^Notes using') and l
    end)
    local names = vim.tbl_map(function(i)
      return vim.fn.fnamemodify(vim.api.nvim_buf_get_name(i.bufnr), ':t')
    end, qf.items)
    assert(vim.tbl_contains(names, 'week1.md') and vim.tbl_contains(names, 'week2.md'), vim.inspect(names))
    vim.cmd('cclose')
    return ('%q: %s'):format(title, table.concat(names, ', '))
  end)

  check('the code lens above a checklist shows its progress', function()
    vim.cmd.edit(vim.fn.fnameescape(notes .. '/week3.md'))
    local week3 = vim.api.nvim_get_current_buf()
    local row = assert(line_starting(week3, '- [x] '), 'no checklist in week3.md')
    local title = eventually('a code lens on the checklist', function()
      return lens_titles(week3)[row]
    end)
    assert(title:match('^Outcomes: 1/2 done'), title)
    -- Shown as virtual text, as vim.lsp.codelens displays lenses.
    local marks = vim.api.nvim_buf_get_extmarks(week3, -1, { row - 1, 0 }, { row - 1, -1 }, { details = true })
    local shown = {}
    for _, m in ipairs(marks) do
      for _, chunk in ipairs(m[4].virt_text or {}) do
        table.insert(shown, chunk[1])
      end
    end
    assert(table.concat(shown):find('Outcomes: 1/2 done', 1, true), 'not displayed: ' .. vim.inspect(shown))
    -- Running the lens opens the outcomes in the quickfix list (not the server's JSON).
    vim.fn.setqflist({}, 'f')
    vim.api.nvim_win_set_cursor(0, { row, 0 })
    vim.lsp.codelens.run()
    local qf = eventually('the outcomes in the quickfix list', function()
      local l = vim.fn.getqflist({ title = 1, size = 1 })
      return l.title:match('^Primer outcomes') and l
    end)
    vim.cmd('cclose')
    vim.cmd.buffer(buf)
    return ('line %d: %q; running it: %q (%d entries)'):format(row, title, qf.title, qf.size)
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
    assert(done == '1', 'week3.md ticks one outcome: ' .. msg)
    assert(msg:find('░  2%. State  0/%d+\n'), 'no progress line for 2. State: ' .. msg)
    local qf = vim.fn.getqflist({ title = 1, items = 1 })
    assert(qf.title == ('Primer outcomes %s/%s'):format(done, total), qf.title)
    assert(#qf.items == tonumber(total), #qf.items .. ' items for ' .. total .. ' outcomes')
    local first = qf.items[1]
    assert(first.text:match('^%[ %] intro%.1 '), first.text)
    assert(vim.api.nvim_buf_get_name(first.bufnr):match('_index%.md$'), 'intro.1 is in _index.md')
    vim.cmd('cclose')
    return ('%s/%s, %d quickfix entries'):format(done, total, #qf.items)
  end)

  -- Wraps the plugin's code lens refresh handler to count the server's refresh requests.
  local refreshes = 0
  local on_lens_refresh = primer.on_lens_refresh
  primer.on_lens_refresh = function(...)
    refreshes = refreshes + 1
    return on_lens_refresh(...)
  end

  -- The note as it was before the checks that edit it; they put it back.
  local original = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  local function restore_note()
    vim.api.nvim_buf_set_lines(buf, 0, -1, false, original)
  end

  local inserted -- the checklist :PrimerChecklist state inserted: its first item's line
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
    assert(again:find('no outcome was added', 1, true), again)
    assert(#vim.api.nvim_buf_get_lines(buf, 0, -1, false) == #lines, 'the second run changed the note')
    inserted = line_starting(buf, '- [ ] ')
    return msg
  end)

  check('the new checklist gets its code lens when the server asks (workspace/codeLens/refresh)', function()
    assert(inserted, 'no checklist was inserted')
    -- Nothing but the server's refresh request asks for lenses here: no buffer is entered, no
    -- Insert mode left, nothing written.
    local title = eventually('a code lens on the inserted checklist', function()
      local t = lens_titles(buf)[inserted]
      return t and t:match('^Outcomes: 0/%d+ done') and t
    end)
    assert(refreshes > 0, 'no workspace/codeLens/refresh came')
    return ('%q after %d refresh request(s)'):format(title, refreshes)
  end)

  check('ticking an item updates the lens, the counts and the :PrimerOutcomes list', function()
    assert(inserted, 'no checklist was inserted')
    vim.cmd('PrimerOutcomes')
    eventually('the :PrimerOutcomes list', function()
      return vim.fn.getqflist({ title = 1 }).title:match('^Primer outcomes 1/')
    end)
    vim.cmd('cclose')
    vim.cmd.buffer(buf)
    local item = vim.api.nvim_buf_get_lines(buf, inserted - 1, inserted, false)[1]
    vim.api.nvim_buf_set_lines(buf, inserted - 1, inserted, false, { (item:gsub('^%- %[ %]', '- [x]', 1)) })
    local last = eventually('primer/outcomesChanged with 2 done', function()
      local n = announced[#announced]
      return n and n.done == 2 and n
    end)
    local title = eventually('the lens to count the tick', function()
      local t = lens_titles(buf)[inserted]
      return t and t:match('^Outcomes: 1/%d+ done') and t
    end)
    local qf = eventually('the quickfix list to follow', function()
      local l = vim.fn.getqflist({ title = 1, items = 1 })
      return l.title == ('Primer outcomes 2/%d'):format(last.total) and l
    end)
    local ticked = vim.tbl_filter(function(i)
      return i.text:match('^%[x%] state%.')
    end, qf.items)
    assert(#ticked == 1, #ticked .. ' ticked State outcomes in the list')
    restore_note()
    return ('lens %q, list %q'):format(title, qf.title)
  end)

  check('the checklist code action asks which section (window/showMessageRequest)', function()
    vim.cmd.buffer(buf)
    local before = vim.api.nvim_buf_line_count(buf)
    vim.api.nvim_win_set_cursor(0, { before, 0 })
    local params = vim.lsp.util.make_range_params(0, client.offset_encoding)
    params.context = { diagnostics = {} }
    local actions = vim.tbl_filter(function(a)
      return a.title:find('checklist', 1, true)
    end, request('textDocument/codeAction', params) or {})
    assert(#actions == 1, #actions .. ' checklist actions: ' .. vim.inspect(actions))
    answer_select(function(label)
      return vim.startswith(label, '2. State')
    end)
    -- What `gra` does: the action's command runs on the server, which asks through
    -- vim.ui.select (Neovim's window/showMessageRequest handler) and sends the edit.
    vim.lsp.buf.code_action({
      apply = true,
      filter = function(a)
        return a.title:find('checklist', 1, true) ~= nil
      end,
    })
    local heading = eventually('the checklist in the note', function()
      return line_starting(buf, '## Learning outcomes: 2. State')
    end)
    assert(picked.opts.prompt:find('which section', 1, true), 'prompt ' .. picked.opts.prompt)
    local choices = table.concat(picked.labels, ' | ')
    assert(choices:find('The whole primer', 1, true), 'choices: ' .. choices)
    restore_note()
    return ('%q chose %q of: %s; heading at line %d'):format(actions[1].title, picked.label, choices, heading)
  end)

  -- A hover float as vim.lsp.buf.hover() makes it for the note, entered as with K K.
  local function enter_hover(lines)
    vim.cmd.buffer(buf)
    local _, win = vim.lsp.util.open_floating_preview(lines, 'markdown', { focus_id = 'textDocument/hover' })
    vim.api.nvim_set_current_win(win)
    return win
  end
  -- Presses gx on the link in the hover and returns where it led: { name, line, text }.
  local function follow_with_gx(win, target)
    assert(vim.api.nvim_get_current_win() == win, 'not in the hover window')
    for i, line in ipairs(vim.api.nvim_buf_get_lines(0, 0, -1, false)) do
      local s = line:find(target, 1, true)
      if s then
        vim.api.nvim_win_set_cursor(0, { i, s - 1 })
        break
      end
    end
    assert(vim.fn.maparg('gx', 'n', false, true).buffer == 1, 'no buffer-local gx in the hover')
    vim.api.nvim_feedkeys('gx', 'mx', false)
    assert(vim.api.nvim_win_get_config(0).relative == '', 'still in a floating window')
    local where = {
      name = vim.api.nvim_buf_get_name(0),
      line = vim.api.nvim_win_get_cursor(0)[1],
      text = vim.api.nvim_get_current_line(),
    }
    vim.cmd.buffer(buf)
    return where
  end

  check('gx on a file link in a hover opens the primer at its line', function()
    assert(caching, 'no primer location (definition check failed)')
    local link = ('%s#L%d'):format(caching.uri, caching.line)
    local win = enter_hover({ 'Taught in [2. State › Caching](' .. link .. ')' })
    local where = follow_with_gx(win, '2. State')
    assert(where.name == vim.uri_to_fname(caching.uri), 'opened ' .. where.name)
    assert(where.line == caching.line and where.text == '### Caching', vim.inspect(where))
    return ('%s:%d %q'):format(vim.fn.fnamemodify(where.name, ':t'), where.line, where.text)
  end)

  check('require("primer").open_uri opens a file URI at its #L line', function()
    assert(caching, 'no primer location (definition check failed)')
    vim.cmd.buffer(buf)
    assert(primer.open_uri(('%s#L%d'):format(caching.uri, caching.line)), 'open_uri said no')
    assert(vim.api.nvim_get_current_line() == '### Caching', vim.api.nvim_get_current_line())
    assert(primer.open_uri('https://example.org/') == false, 'an https URI is not opened here')
    vim.cmd.buffer(buf)
  end)

  check('the "Taught in" link of a real hover leads to the heading', function()
    vim.cmd.buffer(buf)
    local result = request('textDocument/hover', at('network partition', 3))
    local value = result.contents.value
    local target = value:match('Taught in %[[^%]]+%]%((file://[^%)]+)%)')
    if not target then
      error('the hover writes "Taught in" without a file link: ' .. (value:match('Taught in[^\n]*') or '?'))
    end
    local win = enter_hover(vim.split(value, '\n'))
    local where = follow_with_gx(win, target)
    assert(where.text:match('^#+ .*Network Partition'), vim.inspect(where))
    return ('%s -> %s:%d %q'):format(target:match('[^/]+$'), vim.fn.fnamemodify(where.name, ':t'), where.line, where.text)
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

  check(':PrimerCohort writes the class page outside the class folder and opens it', function()
    local class = vim.fs.normalize(plugin .. '/../../tests/fixtures/cohort')
    local before = vim.fn.glob(class .. '/**', true, true)
    local opened, finished = nil, nil
    local real_open = vim.ui.open
    vim.ui.open = function(path)
      opened = path
      return { wait = function() end }
    end
    local ok, err = pcall(function()
      vim.cmd('PrimerCohort ' .. vim.fn.fnameescape(class))
      eventually('the page to be opened', function()
        return opened
      end, 20000)
      primer.cohort(class .. '/no-such-folder', function(page)
        finished = { page = page }
      end)
      eventually('the missing folder to be reported', function()
        return finished
      end, 5000)
    end)
    vim.ui.open = real_open
    assert(ok, err)
    assert(finished.page == nil, 'a page for a missing folder')
    assert(not vim.startswith(opened, class), 'the page was written inside the class folder: ' .. opened)
    local html = table.concat(vim.fn.readfile(opened), '\n')
    assert(html:find('<svg', 1, true), 'no heatmap in the page')
    for _, student in ipairs({ 'alice', 'bob', 'chen', 'dana' }) do
      assert(html:find(student, 1, true), student .. ' is not on the page')
    end
    assert(vim.deep_equal(vim.fn.glob(class .. '/**', true, true), before), 'the class folder changed')
    return vim.fn.fnamemodify(opened, ':t') .. ', ' .. #html .. ' bytes'
  end)

  check(':checkhealth primer', function()
    vim.cmd('silent checkhealth primer')
    local text = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), '\n')
    assert(text:find('binary: ' .. server, 1, true), 'no binary line:\n' .. text)
    assert(text:find('version: primer-ls', 1, true), 'no version line:\n' .. text)
    assert(not text:find('ERROR', 1, true), 'errors:\n' .. text)
    local line = text:match('binary: [^\n]+')
    vim.cmd('bwipeout!')
    return line
  end)

  check(':help primer with the shipped tags', function()
    -- The plugin folder is on 'runtimepath' as it is in the repository: no :helptags run.
    for _, tag in ipairs({ 'primer', ':PrimerSection', 'primer-options', 'primer-lazy.nvim', 'primer-packadd' }) do
      vim.cmd.help(tag)
      assert(vim.api.nvim_buf_get_name(0):match('primer%.txt$'), ':help ' .. tag)
    end
    vim.cmd('helpclose')
  end)

  check('doc/tags is what :helptags makes of doc/primer.txt', function()
    local dir = vim.fn.tempname()
    vim.fn.mkdir(dir, 'p')
    vim.fn.writefile(vim.fn.readfile(plugin .. '/doc/primer.txt', 'b'), dir .. '/primer.txt', 'b')
    vim.cmd.helptags(vim.fn.fnameescape(dir))
    local fresh = vim.fn.readfile(dir .. '/tags', 'b')
    local shipped = vim.fn.readfile(plugin .. '/doc/tags', 'b')
    assert(vim.deep_equal(fresh, shipped),
      'editors/nvim/doc/tags is out of date: run :helptags editors/nvim/doc\n' .. table.concat(fresh, '\n'))
    return #vim.tbl_filter(function(l)
      return l ~= ''
    end, shipped) .. ' tags'
  end)
end

H.run('neovim (plugin)', run)
