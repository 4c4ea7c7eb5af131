import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CachePacing } from '../../src/reduce/pacing.ts';

const MIN = 60_000;

describe('cache lifetime by pace', () => {
  test('a conversation starts on 5 minutes and stays there while turns come fast', () => {
    const pacing = new CachePacing();
    assert.deepEqual([0, 30_000, 90_000, 150_000].map((t) => pacing.observe('c', t)), ['5m', '5m', '5m', '5m']);
  });

  test('moves to 1 hour after a gap near the 5-minute lifetime, and stays', () => {
    const pacing = new CachePacing();
    assert.deepEqual([0, 30_000, 30_000 + 4 * MIN, 30_000 + 4 * MIN + 10_000].map((t) => pacing.observe('c', t)), ['5m', '5m', '1h', '1h']);
  });

  test('a break longer than an hour is no evidence either way', () => {
    const pacing = new CachePacing();
    assert.deepEqual([0, 2 * 60 * MIN, 2 * 60 * MIN + 30_000].map((t) => pacing.observe('c', t)), ['5m', '5m', '5m']);
  });

  test('the number of conversations kept is bounded', () => {
    const pacing = new CachePacing(2);
    pacing.observe('a', 0);
    pacing.observe('a', 5 * MIN);
    pacing.observe('b', 0);
    pacing.observe('c', 0);
    // 'a' was evicted by the bound: it starts over.
    assert.equal(pacing.observe('a', 5 * MIN + 1000), '5m');
  });
});
