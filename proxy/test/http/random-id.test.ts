// Ids cut from the pooled random bytes: 16 letters and digits each, no repeats across pool refills, and the
// time-ordered ids whose text order is time order.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { randomId, timeOrderedId } from '../../src/http/random-id.ts';

test('randomId gives 16 letters and digits, different every time, across pool refills', () => {
  const seen = new Set<string>();
  // The pool holds 256 ids; 2,000 draws cross several refills.
  for (let i = 0; i < 2000; i++) {
    const id = randomId();
    assert.match(id, /^[A-Za-z0-9]{16}$/);
    seen.add(id);
  }
  assert.equal(seen.size, 2000);
});

test('timeOrderedId gives 16 letters and digits whose text order is their time order', () => {
  const at = Date.UTC(2026, 11, 7, 12);
  const ids = [at, at + 1, at + 999, at + 86_400_000, Date.UTC(2100, 0, 1)].map((t) => timeOrderedId(t));
  for (const id of ids) assert.match(id, /^[A-Za-z0-9]{16}$/);
  assert.deepEqual([...ids].sort(), ids);
  const sameMs = new Set(Array.from({ length: 1000 }, () => timeOrderedId(at)));
  assert.equal(sameMs.size, 1000, 'ids made in the same millisecond still differ');
});
