// Ids cut from the pooled random bytes: 16 letters and digits each, and no repeats across pool refills.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { randomId } from '../../src/http/random-id.ts';

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
