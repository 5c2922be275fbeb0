// The outcome views' texts and grouping, from primer.outcomes answers and error answers.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { OutcomesResult } from '../src/lsp_ext';
import {
  isOutcomesResult,
  isUnsupported,
  outcomeTooltip,
  sectionLabel,
  sectionNodes,
  stateFromError,
  statusText,
  statusTooltip,
  uriBaseName,
  viewMessage,
} from '../src/progress';

const loc = (uri: string) => ({ uri, range: { start: { line: 1, character: 0 }, end: { line: 1, character: 5 } } });

const RESULT: OutcomesResult = {
  done: 2,
  total: 3,
  sections: [
    { id: 'reliable-rpcs', title: '1. Reliable RPCs', uri: 'file:///p/reliable-rpcs.md', done: 1, total: 1 },
    { id: 'state', title: '2. State', uri: 'file:///p/state.md', done: 1, total: 2 },
  ],
  outcomes: [
    { id: 'reliable-rpcs.1', text: 'Explain retries', section: 'reliable-rpcs', done: true, ticked: [loc('file:///n/week1.md')] },
    { id: 'state.1', text: 'Explain caches', section: 'state', done: true, ticked: [loc('file:///n/week%202.md')] },
    { id: 'state.2', text: 'Compare hashing', section: 'state', done: false, unticked: [loc('file:///n/week1.md')] },
  ],
};

test('the status bar reads "Outcomes done/total"', () => {
  assert.equal(statusText({ kind: 'ready', result: RESULT }), '$(checklist) Outcomes 2/3');
});

test('without a count the status bar reads "Outcomes —" and the tooltip says why', () => {
  const unsupported = stateFromError({ code: -32601, message: 'Method not found' });
  assert.equal(unsupported.kind, 'unsupported');
  assert.equal(statusText(unsupported), '$(checklist) Outcomes —');
  assert.match(statusTooltip(unsupported), /does not support learning outcomes/);
  assert.match(statusTooltip(unsupported), /Restart Server/);
  const failed = stateFromError(new Error('boom'));
  assert.equal(failed.kind, 'failed');
  assert.equal(statusText(failed), '$(checklist) Outcomes —');
  assert.match(viewMessage(failed) ?? '', /boom/);
});

test('method-not-found, invalid params and "unknown command" answers mean unsupported', () => {
  assert.ok(isUnsupported({ code: -32601, message: 'Method not found' }));
  assert.ok(isUnsupported({ code: -32602, message: 'Invalid params' }));
  assert.ok(isUnsupported({ code: -32603, message: 'unknown command: primer.outcomes' }));
  assert.ok(!isUnsupported({ code: -32603, message: 'internal error' }));
  assert.ok(!isUnsupported(undefined));
});

test('the tooltip lists each section’s progress', () => {
  const tip = statusTooltip({ kind: 'ready', result: RESULT });
  assert.match(tip, /2 of 3 learning outcomes/);
  assert.match(tip, /1\. Reliable RPCs: 1\/1/);
  assert.match(tip, /2\. State: 1\/2/);
});

test('outcomes are grouped under their sections; a section is complete when all are done', () => {
  const nodes = sectionNodes(RESULT);
  assert.deepEqual(nodes.map(n => [n.section.id, n.outcomes.map(o => o.id), n.complete]), [
    ['reliable-rpcs', ['reliable-rpcs.1'], true],
    ['state', ['state.1', 'state.2'], false],
  ]);
});

test('a section is started when a note lists one of its outcomes, ticked or not', () => {
  const quiet = (o: OutcomesResult['outcomes'][number]) => ({ ...o, done: false, ticked: [], unticked: [] });
  const r: OutcomesResult = { ...RESULT, outcomes: [quiet(RESULT.outcomes[0]), quiet(RESULT.outcomes[1]), RESULT.outcomes[2]] };
  assert.deepEqual(sectionNodes(r).map(n => [n.section.id, n.started]), [
    ['reliable-rpcs', false],
    ['state', true],
  ]);
});

test('an outcome of a section the answer does not list still shows, with its own count', () => {
  const r: OutcomesResult = { ...RESULT, outcomes: [...RESULT.outcomes, { id: 'x.1', text: 'X', section: 'x', sectionTitle: 'Extra', done: true }] };
  const last = sectionNodes(r).at(-1)!;
  assert.equal(last.section.title, 'Extra');
  assert.equal(`${last.section.done}/${last.section.total}`, '1/1');
});

test('the outcome tooltip names the notes that tick it or list it', () => {
  const [, caches, hashing] = RESULT.outcomes;
  assert.match(outcomeTooltip(caches), /Ticked in week 2\.md/);
  assert.match(outcomeTooltip(hashing), /not ticked, in week1\.md/);
  assert.match(outcomeTooltip({ ...hashing, unticked: [] }), /No note lists it/);
});

test('answers are recognised by their shape', () => {
  assert.ok(isOutcomesResult(RESULT));
  assert.ok(!isOutcomesResult(null));
  assert.ok(!isOutcomesResult({ done: 1 }));
  assert.ok(!isOutcomesResult('Outcomes 1/2'));
});

test('the view message counts the outcomes', () => {
  assert.equal(viewMessage({ kind: 'ready', result: RESULT }), '2 of 3 outcomes done.');
  assert.equal(viewMessage({ kind: 'ready', result: { done: 0, total: 0, sections: [], outcomes: [] } }), 'The primer lists no learning outcomes.');
});

test('uriBaseName decodes the file name', () => {
  assert.equal(uriBaseName('file:///a/b/week%202.md'), 'week 2.md');
  assert.equal(uriBaseName('file:///a/state.md#x'), 'state.md');
});

test('a stopped server: an error in the status bar, no numbers, the reason in view and tooltip', () => {
  const stopped = { kind: 'stopped', message: 'primer-ls (/bin/false) did not start.' } as const;
  assert.equal(statusText(stopped), '$(error) primer-ls');
  assert.match(statusTooltip(stopped), /did not start\.\nClick to restart/);
  assert.equal(viewMessage(stopped), stopped.message);
});

test('section labels are short enough for the count to show', () => {
  const label = (id: string, title: string) => sectionLabel({ id, title });
  assert.equal(label('intro', 'The Distributed Software Systems Architecture Primer'), 'Introduction');
  assert.equal(label('state', '2. State'), '2. State');
  assert.equal(label('rpcs', '1. Reliable RPCs'), '1. Reliable RPCs');
  assert.equal(label('locks', '5. Distributed Locking and Distributed Consensus'), '5. Distributed Locking…');
  assert.equal(label('async', '4. Asynchronous Work and Pipelines'), '4. Asynchronous Work…');
  assert.equal(label('x', 'Supercalifragilisticexpialidocious-and-more'), 'Supercalifragilisticexp…');
  for (const title of ['3. Scaling Stateless Services', '5. Distributed Locking and Distributed Consensus']) {
    assert.ok(label('s', title).length <= 24, title);
  }
});
