// Finding the server binary: setting, then bundled, then PATH, and the messages when it fails.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';

import { findServer, isExecutableFile, type LookupInput } from '../src/binary';

const EXT = '/ext';
const lookup = (files: string[], input: Partial<LookupInput> = {}) =>
  findServer({
    setting: '',
    extensionDir: EXT,
    platform: 'linux',
    home: '/home/ada',
    isExecutable: p => files.includes(p),
    ...input,
  });

test('the setting wins over a bundled binary and PATH', () => {
  const r = lookup(['/opt/pls', '/ext/server/primer-ls', '/usr/bin/primer-ls'], {
    setting: '/opt/pls',
    pathEnv: '/usr/bin',
  });
  assert.deepEqual(r, { found: true, path: '/opt/pls', source: 'setting' });
});

test('a setting that names no executable is an error, not a fallback', () => {
  const r = lookup(['/ext/server/primer-ls'], { setting: '/nope/primer-ls' });
  assert.equal(r.found, false);
  assert.ok(!r.found && r.message.includes('/nope/primer-ls'));
  assert.ok(!r.found && r.message.includes('primer.server.path'));
});

test('a relative setting is taken from the workspace folder; ~ is the home folder', () => {
  const rel = lookup(['/ws/bin/primer-ls'], { setting: 'bin/primer-ls', workspaceDir: '/ws' });
  assert.deepEqual(rel, { found: true, path: '/ws/bin/primer-ls', source: 'setting' });
  const home = lookup(['/home/ada/.local/bin/primer-ls'], { setting: '~/.local/bin/primer-ls' });
  assert.deepEqual(home, { found: true, path: '/home/ada/.local/bin/primer-ls', source: 'setting' });
});

test('without a setting the bundled binary comes before PATH', () => {
  const r = lookup(['/ext/server/primer-ls', '/usr/bin/primer-ls'], { pathEnv: '/usr/bin' });
  assert.deepEqual(r, { found: true, path: '/ext/server/primer-ls', source: 'bundled' });
});

test('PATH is searched in order, empty entries skipped', () => {
  const r = lookup(['/b/primer-ls', '/c/primer-ls'], { pathEnv: '::/a:/b:/c' });
  assert.deepEqual(r, { found: true, path: '/b/primer-ls', source: 'PATH' });
});

test('nothing found: the message says how to get a server, and what was tried', () => {
  const r = lookup([], { pathEnv: '/usr/bin:/bin' });
  assert.equal(r.found, false);
  if (!r.found) {
    assert.match(r.message, /not found/);
    assert.match(r.message, /primer\.server\.path/);
    assert.match(r.message, /PATH/);
    assert.deepEqual(r.tried, ['/ext/server/primer-ls', '/usr/bin/primer-ls', '/bin/primer-ls']);
  }
});

test('Windows looks for primer-ls.exe with ; separated PATH', () => {
  const exe = path.join('C:\\tools', 'primer-ls.exe');
  const r = lookup([exe], { platform: 'win32', pathEnv: 'C:\\other;C:\\tools' });
  assert.deepEqual(r, { found: true, path: exe, source: 'PATH' });
});

test('isExecutableFile: a file with the x bit yes; without it, a folder or nothing, no', { skip: process.platform === 'win32' }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'primer-bin-'));
  try {
    const exe = path.join(dir, 'primer-ls');
    fs.writeFileSync(exe, '#!/bin/sh\n');
    fs.chmodSync(exe, 0o755);
    const plain = path.join(dir, 'plain');
    fs.writeFileSync(plain, '');
    fs.chmodSync(plain, 0o644);
    assert.equal(isExecutableFile(exe), true);
    assert.equal(isExecutableFile(plain), false); // root too: access(2) wants an x bit
    assert.equal(isExecutableFile(dir), false);
    assert.equal(isExecutableFile(path.join(dir, 'missing')), false);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
