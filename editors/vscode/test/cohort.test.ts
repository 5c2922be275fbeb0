// The cohort page: the command line for the settings, the note links, the webview's page.

import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';

import { cohortArgs, noteTarget, webviewHtml } from '../src/cohort';

const base = { cohortDir: '/class/2026', pageFile: '/tmp/cohort.html', home: '/home/ana' };

test('the bundled primer when no primer is set and the workspace has none', () => {
  const args = cohortArgs({ ...base, primerPath: '', workspaceDir: '/ws', isDir: () => false });
  assert.deepEqual(args, ['cohort', '--html', '/tmp/cohort.html', '/class/2026']);
});

test("the workspace's primer folder, as the server would read it", () => {
  const args = cohortArgs({ ...base, primerPath: '', workspaceDir: '/ws', isDir: p => p === path.join('/ws', 'primer') });
  assert.deepEqual(args, ['cohort', '--primer', path.join('/ws', 'primer'), '--html', '/tmp/cohort.html', '/class/2026']);
});

test('primer.path wins, with ~ expanded and a relative path taken from the workspace', () => {
  const home = cohortArgs({ ...base, primerPath: '~/course', workspaceDir: '/ws', isDir: () => true });
  assert.deepEqual(home.slice(0, 3), ['cohort', '--primer', path.join('/home/ana', 'course')]);
  const relative = cohortArgs({ ...base, primerPath: 'text', workspaceDir: '/ws', isDir: () => true });
  assert.equal(relative[2], path.join('/ws', 'text'));
});

test("the page's links lead to notes; web links and anchors do not", () => {
  assert.equal(noteTarget('../class/ana/week%201.md', '/tmp/x/cohort.html'), path.resolve('/tmp/class/ana/week 1.md'));
  assert.equal(noteTarget('file:///class/b%C3%A9a/n.md', '/tmp/cohort.html'), '/class/béa/n.md');
  assert.equal(noteTarget('https://example.org/', '/tmp/cohort.html'), undefined);
  assert.equal(noteTarget('#outcomes', '/tmp/cohort.html'), undefined);
  assert.equal(noteTarget('%E0%A4%A', '/tmp/cohort.html'), undefined);
});

test('the webview page allows no network and only its own script', () => {
  const html = webviewHtml('<html><head><title>t</title></head><body><a href="a.md">a</a></body></html>', 'n0nce');
  assert.match(html, /<head><meta http-equiv="Content-Security-Policy" content="default-src 'none';/);
  assert.match(html, /script-src 'nonce-n0nce'/);
  assert.match(html, /<script nonce="n0nce">[^]*postMessage[^]*<\/script><\/body>/);
  assert.equal((html.match(/<script/g) || []).length, 1);
});
