import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_JSON_DEPTH, nestsDeeperThan, valueNestsDeeperThan } from '../../src/edge/json-depth.ts';

test('counts nesting of objects and arrays, not brackets inside strings', () => {
  assert.equal(nestsDeeperThan('{"a":[1,{"b":2}]}', 3), false);
  assert.equal(nestsDeeperThan('{"a":[1,{"b":[]}]}', 3), true);
  assert.equal(nestsDeeperThan(JSON.stringify({ s: '[[[[[[[[[[' }), 2), false);
  assert.equal(nestsDeeperThan(JSON.stringify({ s: 'quote \\" then [[[[' }), 2), false);
});

test('100,000 levels are found without recursion', () => {
  const deep = '['.repeat(100_000) + ']'.repeat(100_000);
  assert.equal(nestsDeeperThan(deep), true);
  assert.equal(valueNestsDeeperThan(JSON.parse(deep)), true);
});

test('exactly the limit is accepted', () => {
  const atLimit = '['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH);
  assert.equal(nestsDeeperThan(atLimit), false);
  assert.equal(valueNestsDeeperThan(JSON.parse(atLimit)), false);
  assert.equal(nestsDeeperThan(`[${atLimit}]`), true);
});
