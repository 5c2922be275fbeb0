// Restarting a crashed server: a few times, then a message instead of a loop.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { RestartPolicy } from '../src/restarts';

test('up to four crashes within three minutes restart the server; the fifth gives up with a message', () => {
  let t = 0;
  const policy = new RestartPolicy(4, 180_000, () => t);
  for (let i = 0; i < 4; i++) {
    t += 10_000;
    assert.deepEqual(policy.crashed(), { restart: true });
  }
  t += 10_000;
  const last = policy.crashed();
  assert.equal(last.restart, false);
  assert.match(last.message ?? '', /5 times in 3 minutes/);
  assert.match(last.message ?? '', /Primer: Restart Server/);
});

test('crashes older than the window are forgotten', () => {
  let t = 0;
  const policy = new RestartPolicy(2, 60_000, () => t);
  assert.equal(policy.crashed().restart, true);
  assert.equal(policy.crashed().restart, true);
  t += 61_000;
  assert.equal(policy.crashed().restart, true);
});
