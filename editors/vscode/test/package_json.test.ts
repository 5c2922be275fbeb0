// The manifest agrees with the code: every setting the code reads is contributed and documented,
// every command the code registers is declared, and the declared VS Code version fits the client.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { DEFAULTS } from '../src/config';

const root = join(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const source = (f: string) => readFileSync(join(root, 'src', f), 'utf8');

test('each setting is contributed with a type, a description and the default the code uses', () => {
  const props = manifest.contributes.configuration.properties;
  for (const [key, value] of Object.entries(DEFAULTS)) {
    const p = props[`primer.${key}`];
    assert.ok(p, `primer.${key} is not contributed`);
    assert.ok(p.type, `primer.${key} has no type`);
    assert.ok(p.markdownDescription || p.description, `primer.${key} is not documented`);
    assert.deepEqual(p.default, value, `primer.${key} default`);
  }
  assert.deepEqual(Object.keys(props).sort(), Object.keys(DEFAULTS).map(k => `primer.${k}`).sort());
});

test('the commands the extension registers are the ones declared', () => {
  const declared = manifest.contributes.commands.map((c: { command: string }) => c.command).sort();
  const registered = [...source('extension.ts').matchAll(/command\('([\w.]+)'/g)].map(m => m[1]);
  registered.push('primer.showOutcomes', 'primer.showCoverage'); // registered through LensCommand
  assert.deepEqual([...new Set(registered)].sort(), declared);
  const titles = manifest.contributes.commands.map((c: { title: string; category: string }) => `${c.category}: ${c.title}`);
  for (const t of ['Primer: Open Section…', 'Primer: Show Learning Outcomes', 'Primer: Insert Outcome Checklist', 'Primer: Open Cohort View', 'Primer: Restart Server']) {
    assert.ok(titles.includes(t), t);
  }
});

test('the semantic token types the server uses are contributed with their fallbacks', () => {
  const types = Object.fromEntries(manifest.contributes.semanticTokenTypes.map((t: { id: string; superType: string }) => [t.id, t.superType]));
  assert.deepEqual(types, { primerTerm: 'variable', primerLink: 'namespace' });
});

test('engines.vscode is the version of @types/vscode and what vscode-languageclient needs', () => {
  const types = manifest.devDependencies['@types/vscode'];
  assert.equal(manifest.engines.vscode, `^${types}`);
  const client = JSON.parse(readFileSync(join(root, 'node_modules', 'vscode-languageclient', 'package.json'), 'utf8'));
  assert.equal(client.engines.vscode, manifest.engines.vscode);
});

test('the extension activates on Markdown and its entry point is the bundle', () => {
  assert.deepEqual(manifest.activationEvents, ['onLanguage:markdown']);
  assert.equal(manifest.main, './dist/extension.js');
});
