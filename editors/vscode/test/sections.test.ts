// "Open Section…" entries from workspace/symbol answers.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { SymbolInformation } from '../src/lsp_ext';
import { isMeaningfulHeading, sectionEntries } from '../src/sections';

const sym = (name: string, kind: number, file: string, line: number, containerName?: string): SymbolInformation => ({
  name,
  kind,
  containerName,
  location: { uri: `file:///primer/${file}`, range: { start: { line, character: 0 }, end: { line, character: 3 } } },
});

// The server answers in its own order (alphabetical today), with terms and notes mixed in.
const SYMBOLS = [
  sym('Caching', 15, 'state.md', 40, '2. State'),
  sym('10. Queues', 2, 'queues.md', 0),
  sym('2. State', 2, 'state.md', 0),
  sym('Idempotency', 15, 'rpcs.md', 30, '1. Reliable RPCs'),
  sym('idempotent', 13, 'glossary.md', 5),
  sym('1. Reliable RPCs', 2, 'rpcs.md', 0),
  sym('Databases', 15, 'state.md', 10, '2. State'),
  sym('The Primer', 2, '_index.md', 0),
  sym('week1.md', 1, '../notes/week1.md', 0),
  sym('Orphan', 15, 'gone.md', 3, 'Gone'),
];

test('sections come in reading order, each followed by its headings by line', () => {
  const rows = sectionEntries(SYMBOLS).map(e => (e.isSection ? e.label : `  ${e.label} (${e.section})`));
  assert.deepEqual(rows, [
    'The Primer',
    '1. Reliable RPCs',
    '  Idempotency (1. Reliable RPCs)',
    '2. State',
    '  Databases (2. State)',
    '  Caching (2. State)',
    '10. Queues',
    '  Orphan (Gone)',
  ]);
});

test('terms, notes and other symbols are left out', () => {
  const labels = sectionEntries(SYMBOLS).map(e => e.label);
  assert.ok(!labels.includes('idempotent'));
  assert.ok(!labels.includes('week1.md'));
});

test('an empty answer gives no entries', () => {
  assert.deepEqual(sectionEntries([]), []);
});

test('number-only, empty and repeated-title headings are left out', () => {
  const rows = sectionEntries([
    sym('2. State', 2, 'state.md', 0),
    sym('2', 15, 'state.md', 4, '2. State'),
    sym('State', 15, 'state.md', 6, '2. State'),
    sym(' ', 15, 'state.md', 8, '2. State'),
    sym('Caching', 15, 'state.md', 14, '2. State'),
    sym('State', 15, 'glossary.md', 40, 'Glossary'),
    sym('Glossary', 2, 'glossary.md', 0),
  ]).map(e => e.label);
  assert.deepEqual(rows, ['2. State', 'Caching', 'Glossary', 'State']);
});

test('isMeaningfulHeading', () => {
  assert.equal(isMeaningfulHeading('4', '4. Asynchronous Work'), false);
  assert.equal(isMeaningfulHeading('4.', undefined), false);
  assert.equal(isMeaningfulHeading('Asynchronous Work', '4. Asynchronous Work'), false);
  assert.equal(isMeaningfulHeading('Queues', '4. Asynchronous Work'), true);
  assert.equal(isMeaningfulHeading('2PC in practice', '5. Consensus'), true);
});
