// Settings: reading them with defaults, what the server is sent, and what a change requires.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { changeEffect, expandHome, initializationOptions, readSettings, type SettingKey } from '../src/config';

const from = (values: Partial<Record<SettingKey, unknown>>) => readSettings(key => values[key]);

test('unset settings take the defaults the server also uses', () => {
  assert.deepEqual(from({}), {
    serverPath: '',
    primerPath: '',
    inlayHints: false,
    debounceMs: 200,
    trace: 'off',
  });
});

test('values of the wrong type fall back to the defaults', () => {
  const s = from({ path: 42, 'inlayHints.enabled': 'yes', 'diagnostics.debounceMs': 'fast', 'trace.server': 'loud' });
  assert.equal(s.primerPath, '');
  assert.equal(s.inlayHints, false);
  assert.equal(s.debounceMs, 200);
  assert.equal(s.trace, 'off');
});

test('the debounce is clamped to what the server accepts', () => {
  assert.equal(from({ 'diagnostics.debounceMs': -5 }).debounceMs, 0);
  assert.equal(from({ 'diagnostics.debounceMs': 99999 }).debounceMs, 10000);
  assert.equal(from({ 'diagnostics.debounceMs': 12.6 }).debounceMs, 13);
});

test('initializationOptions nest the settings under "primer" and ask for custom token types', () => {
  const s = from({ path: ' course ', 'inlayHints.enabled': true, 'diagnostics.debounceMs': 50 });
  assert.deepEqual(initializationOptions(s), {
    primer: {
      path: 'course',
      diagnostics: { debounceMs: 50 },
      inlayHints: { enabled: true },
      semanticTokens: { customTypes: true },
    },
  });
});

test('an empty primer.path is sent as "" so that clearing the setting clears it in the server', () => {
  assert.equal(initializationOptions(from({})).primer.path, '');
});

test('a leading ~ is the home folder', () => {
  assert.equal(initializationOptions(from({ path: '~/course' }), '/home/ada').primer.path, '/home/ada/course');
  assert.equal(expandHome('~', '/home/ada'), '/home/ada');
  assert.equal(expandHome('a/~/b', '/home/ada'), 'a/~/b');
});

test('a new server path restarts; primer settings reconfigure; trace needs neither', () => {
  const only = (...keys: SettingKey[]) => changeEffect(k => keys.includes(k));
  assert.equal(only('server.path'), 'restart');
  assert.equal(only('server.path', 'path'), 'restart');
  assert.equal(only('path'), 'reconfigure');
  assert.equal(only('inlayHints.enabled'), 'reconfigure');
  assert.equal(only('diagnostics.debounceMs'), 'reconfigure');
  assert.equal(only('trace.server'), 'none');
  assert.equal(only(), 'none');
});
