-- Headless test of the documented one-step installs of editors/nvim, in a fresh Neovim each:
--   INSTALL=lazy     the lazy.nvim spec of doc/primer.txt (*primer-lazy.nvim*): its `build` runs
--                    as lazy.nvim runs it (a shell command in the plugin's folder), then its
--                    `config(plugin)`;
--   INSTALL=packadd  a package folder that is a symbolic link to editors/nvim, then :packadd.
-- lazy.nvim itself cannot be fetched here, and cargo would take minutes: the checkout is a copy
-- of the repository's plugin and Cargo manifests, and a stand-in `cargo` earlier on PATH checks
-- its arguments and "builds" by copying the real server into target/release. Then the plugin
-- must find that build before a `primer-ls` on PATH, attach with it, and have working :help
-- without :helptags; with the build removed it must fall back to PATH.
-- Env: INSTALL, PRIMER_LS (server binary), REPO (the repository), NOTES (a copy of the fixture
-- notes), SCRATCH (an empty folder for the checkout).

local H = dofile(vim.fs.joinpath(vim.fs.dirname(debug.getinfo(1, 'S').source:sub(2)), 'harness.lua'))
local check, eventually, env = H.check, H.eventually, H.env

-- Runs a command and returns its stdout; errors when it fails.
local function sh(cmd, opts)
  local done = vim.system(cmd, vim.tbl_extend('force', { text = true }, opts or {})):wait(60000)
  assert(done.code == 0, ('%s: exit %s\n%s%s'):format(table.concat(cmd, ' '), done.code, done.stdout, done.stderr))
  return done.stdout
end

local function write_executable(path, lines)
  vim.fn.writefile(lines, path)
  vim.fn.setfperm(path, 'rwxr-xr-x')
end

-- The Lua code block after a help tag in doc/primer.txt, without its indent.
local function help_code_block(file, tag)
  local lines, out, state = vim.fn.readfile(file), {}, 'before'
  for _, line in ipairs(lines) do
    if state == 'before' and line:find('*' .. tag .. '*', 1, true) then
      state = 'tag'
    elseif state == 'tag' and line:match('>lua$') then
      state = 'code'
    elseif state == 'code' then
      if line:match('^<') then
        return table.concat(out, '\n')
      end
      table.insert(out, (line:gsub('^    ', '')))
    end
  end
  error(('no >lua block after *%s* in %s'):format(tag, file))
end

local function run()
  local install, server, repo, notes = env('INSTALL'), env('PRIMER_LS'), env('REPO'), env('NOTES')
  local scratch = env('SCRATCH')
  vim.opt.swapfile = false

  -- A checkout: the plugin and the Cargo manifests of the repository.
  local checkout = vim.fs.joinpath(scratch, 'primer-ls')
  vim.fn.mkdir(checkout .. '/editors', 'p')
  sh({ 'cp', '-R', repo .. '/editors/nvim', checkout .. '/editors/nvim' })
  sh({ 'cp', repo .. '/Cargo.toml', checkout .. '/Cargo.toml' })
  for _, manifest in ipairs(vim.fn.glob(repo .. '/server/*/Cargo.toml', false, true)) do
    local dir = checkout .. '/server/' .. vim.fn.fnamemodify(manifest, ':h:t')
    vim.fn.mkdir(dir, 'p')
    sh({ 'cp', manifest, dir .. '/Cargo.toml' })
  end
  local built = vim.fs.joinpath(checkout, 'target', 'release', 'primer-ls')

  -- Earlier on PATH: the stand-in cargo, and a `primer-ls` that the build must win over.
  local bin = vim.fs.joinpath(scratch, 'bin')
  vim.fn.mkdir(bin, 'p')
  write_executable(bin .. '/cargo', {
    '#!/bin/sh',
    '# Stand-in for cargo: `cargo build --release [-p PACKAGE]` in a workspace that has PACKAGE.',
    'set -e',
    '[ "$1" = build ] || { echo "cargo stand-in: only build, not $*" >&2; exit 2; }',
    'shift; release=; package=',
    'while [ $# -gt 0 ]; do',
    '  case "$1" in',
    '    --release) release=1 ;;',
    '    -p|--package) shift; package=$1 ;;',
    '    *) echo "cargo stand-in: unexpected argument $1" >&2; exit 2 ;;',
    '  esac; shift',
    'done',
    '[ -n "$release" ] || { echo "cargo stand-in: not a release build" >&2; exit 2; }',
    'grep -q "^\\[workspace\\]" Cargo.toml || { echo "cargo stand-in: $PWD is not the workspace" >&2; exit 2; }',
    'if [ -n "$package" ]; then',
    '  manifest=$(grep -lx "name = \\"$package\\"" server/*/Cargo.toml | head -n 1)',
    '  [ -n "$manifest" ] || { echo "cargo stand-in: no package $package" >&2; exit 2; }',
    '  grep -qx "name = \\"primer-ls\\"" "$manifest" || { echo "cargo stand-in: $package builds no primer-ls" >&2; exit 2; }',
    'fi',
    'mkdir -p target/release && cp "$CARGO_STANDIN_OUTPUT" target/release/primer-ls',
  })
  write_executable(bin .. '/primer-ls', { '#!/bin/sh', 'exit 0' })
  vim.env.PATH = bin .. ':' .. vim.env.PATH
  vim.env.CARGO_STANDIN_OUTPUT = server

  local doc = vim.fs.joinpath(repo, 'editors', 'nvim', 'doc', 'primer.txt')
  local build -- the documented build command
  if install == 'lazy' then
    local spec = assert(load('return ' .. help_code_block(doc, 'primer-lazy.nvim'), 'lazy spec'))()
    build = spec.build
    check('the lazy.nvim spec of the help file: a build command and config(plugin)', function()
      assert(type(spec.build) == 'string', 'build is not a shell command: ' .. vim.inspect(spec.build))
      assert(type(spec.config) == 'function', 'no config(plugin)')
      assert(spec.dir or spec.url or spec[1], 'no source (dir, url or short name)')
      return ("build = '%s'"):format(spec.build)
    end)
    check('README.md documents the same build command', function()
      local readme = table.concat(vim.fn.readfile(repo .. '/README.md'), '\n')
      local quoted = ("build = '%s'"):format(spec.build)
      assert(readme:find(quoted, 1, true), 'README.md does not document ' .. quoted)
    end)
    check('the build step, run as lazy.nvim runs it, leaves target/release/primer-ls', function()
      assert(type(build) == 'string', 'no build command')
      -- lazy.nvim: a string `build` is a shell command run in the plugin's folder.
      local shell = vim.o.shell ~= '' and vim.o.shell or 'sh'
      sh({ shell, '-c', build }, { cwd = checkout })
      assert(vim.fn.executable(built) == 1, 'nothing at ' .. built)
      return ('%s -c %q in %s'):format(shell, build, checkout)
    end)
    check('config(plugin) puts the plugin on the runtimepath and sets it up', function()
      -- What lazy.nvim passes: the plugin, whose `dir` is its checkout.
      spec.config({ name = 'primer-ls', dir = checkout }, {})
      local module = vim.api.nvim_get_runtime_file('lua/primer/init.lua', false)[1]
      assert(module == checkout .. '/editors/nvim/lua/primer/init.lua', 'primer comes from ' .. tostring(module))
      return module
    end)
  else
    check('the build command of the help file, run in the clone, leaves target/release/primer-ls', function()
      local text = table.concat(vim.fn.readfile(doc), '\n')
      local packadd = text:sub((assert(text:find('*primer-packadd*', 1, true))))
      build = assert(packadd:match('\n%s+cd [^\n]- && (cargo build[^\n]+)\n'), 'no cargo build line')
      sh({ 'sh', '-c', build }, { cwd = checkout })
      assert(vim.fn.executable(built) == 1, 'nothing at ' .. built)
      return build
    end)
    check(':packadd primer through a package folder that links to editors/nvim', function()
      local pack = vim.fs.joinpath(scratch, 'site')
      vim.fn.mkdir(pack .. '/pack/primer/opt', 'p')
      sh({ 'ln', '-s', checkout .. '/editors/nvim', pack .. '/pack/primer/opt/primer' })
      vim.o.packpath = pack
      vim.cmd.packadd('primer')
      require('primer').setup({})
      local module = vim.api.nvim_get_runtime_file('lua/primer/init.lua', false)[1]
      assert(module == pack .. '/pack/primer/opt/primer/lua/primer/init.lua', 'primer comes from ' .. tostring(module))
      return module
    end)
  end

  local primer = package.loaded.primer
  check('the build in the checkout wins over primer-ls on PATH', function()
    assert(primer, 'the plugin is not loaded')
    local path, source = primer.binary()
    assert(path == built and source == 'checkout', ('found %s (%s), wanted %s'):format(path, source, built))
    assert(vim.fn.exepath('primer-ls') == bin .. '/primer-ls', 'the PATH stand-in is not on PATH')
    return path
  end)

  check('a note starts the server that was built', function()
    vim.cmd('filetype on')
    vim.cmd.edit(vim.fn.fnameescape(notes .. '/week1.md'))
    local buf = vim.api.nvim_get_current_buf()
    local client = eventually('primer_ls to attach', function()
      local c = vim.lsp.get_clients({ bufnr = buf, name = 'primer_ls' })[1]
      return c and c.initialized and c
    end, 20000)
    assert(client.config.cmd[1] == built, 'cmd ' .. vim.inspect(client.config.cmd))
    local info = client.server_info or {}
    return ('%s %s from %s'):format(info.name, info.version, client.config.cmd[1])
  end)

  check(':checkhealth primer names the checkout', function()
    vim.cmd('silent checkhealth primer')
    local text = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), '\n')
    local line = assert(text:match('binary: [^\n]+'), 'no binary line:\n' .. text)
    assert(line:find(built, 1, true) and line:find("plugin's own checkout", 1, true), line)
    vim.cmd('bwipeout!')
    return line
  end)

  check(':help primer works without :helptags', function()
    for _, tag in ipairs({ 'primer', 'primer-install', 'primer-lazy.nvim', 'primer-packadd' }) do
      vim.cmd.help(tag)
      assert(vim.api.nvim_buf_get_name(0):match('primer%.txt$'), ':help ' .. tag)
    end
    vim.cmd('helpclose')
  end)

  check('without a build, primer-ls on PATH', function()
    assert(primer, 'the plugin is not loaded')
    vim.fn.delete(checkout .. '/target', 'rf')
    local path, source = primer.binary()
    assert(path == bin .. '/primer-ls' and source == 'PATH', ('found %s (%s)'):format(path, source))
    return path
  end)
end

H.run('neovim (install: ' .. (os.getenv('INSTALL') or '?') .. ')', run)
