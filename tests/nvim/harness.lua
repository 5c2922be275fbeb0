-- The small test harness of the headless Neovim tests: checks that report PASS/FAIL lines
-- on stdout, waiting for a condition, and the end of the run (exit code 0 only when nothing
-- failed). Loaded with dofile() by test_init.lua and install_test.lua.

local H = {}

local counts = { passed = 0, failed = 0 }

local function line(text)
  io.stdout:write(text .. '\n')
  io.stdout:flush()
end

-- Runs one check; an error fails that check only. `fn` may return a detail.
function H.check(name, fn)
  local ok, res = pcall(fn)
  local detail = res ~= nil and (' - ' .. tostring(res)) or ''
  line(('%s: %s%s'):format(ok and 'PASS' or 'FAIL', name, detail))
  counts[ok and 'passed' or 'failed'] = counts[ok and 'passed' or 'failed'] + 1
  return ok
end

-- Waits for `fn` to return a truthy value and returns it; errors with `what` on timeout.
function H.eventually(what, fn, ms)
  local value
  local ok = vim.wait(ms or 10000, function()
    value = fn()
    return value
  end, 50)
  assert(ok, 'timed out waiting for ' .. what)
  return value
end

function H.env(name)
  return assert(os.getenv(name), name .. ' is not set')
end

-- Runs `body` and quits: prints the summary (`label: N passed, M failed`) and exits
-- with 0 when nothing failed. An error outside a check fails the run, it never hangs it.
function H.run(label, body)
  local ok, err = pcall(body)
  if not ok then
    line('FAIL: test script - ' .. tostring(err))
    counts.failed = counts.failed + 1
  end
  line(('%s: %d passed, %d failed'):format(label, counts.passed, counts.failed))
  if counts.failed > 0 then
    line('lsp log: ' .. vim.lsp.get_log_path())
    vim.cmd('cquit! 1')
  else
    vim.cmd('qall!')
  end
end

return H
