import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_HEADER_VALUE, boundedHeaderValue, boundedNotes } from '../../src/edge/header-value.ts';

test('control characters and non-ASCII never reach a header', () => {
  assert.equal(boundedHeaderValue('a\r\nSet-Cookie: x\u0000é'), 'a??Set-Cookie: x??');
});

test('long values are cut with a marker and stay under the bound', () => {
  const value = boundedHeaderValue('m'.repeat(100_000));
  assert.ok(value.length <= MAX_HEADER_VALUE);
  assert.match(value, /\.\.\.\(\+\d+ chars\)$/);
});

test('many notes keep whole notes and count the rest', () => {
  const notes = Array.from({ length: 10_000 }, (_, i) => `tool result ${i} adjusted`);
  const header = boundedNotes(notes, 4096);
  assert.ok(header.length <= 4096);
  assert.match(header, /^tool result 0 adjusted; tool result 1 adjusted/);
  assert.match(header, /\(\+\d+ more notes\)$/);
});
