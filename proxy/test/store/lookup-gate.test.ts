import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLookupGate } from '../../src/store/postgres/lookup-gate.ts';
import { isWellFormedProjectKey, newProjectKey } from '../../src/projects/project-keys.ts';

test('lookups are bounded in concurrency and rate', () => {
  let t = 0;
  const gate = createLookupGate({ maxConcurrent: 1, perSecond: 5, now: () => t });
  assert.equal(gate.tryEnter(), true);
  assert.equal(gate.tryEnter(), false, 'one at a time');
  gate.leave();
  let admitted = 1;
  for (let i = 0; i < 100; i++) {
    if (gate.tryEnter()) {
      admitted++;
      gate.leave();
    }
  }
  assert.equal(admitted, 5, 'the bucket holds five a second');
  t += 1000;
  assert.equal(gate.tryEnter(), true, 'refilled a second later');
});

test('only keys of the shape the gateway makes are looked up', () => {
  assert.equal(isWellFormedProjectKey(newProjectKey()), true);
  assert.equal(isWellFormedProjectKey('cgp_short'), false);
  assert.equal(isWellFormedProjectKey(`cgp_${'a'.repeat(32)}\u0000`), false);
});
