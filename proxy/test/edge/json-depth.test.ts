import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_JSON_DEPTH, nestsDeeperThan, unsafeJson } from '../../src/edge/json-depth.ts';

test('counts nesting of objects and arrays, not brackets inside strings', () => {
  assert.equal(nestsDeeperThan('{"a":[1,{"b":2}]}', 3), false);
  assert.equal(nestsDeeperThan('{"a":[1,{"b":[]}]}', 3), true);
  assert.equal(nestsDeeperThan(JSON.stringify({ s: '[[[[[[[[[[' }), 2), false);
  assert.equal(nestsDeeperThan(JSON.stringify({ s: 'quote \\" then [[[[' }), 2), false);
});

test('100,000 levels are found without recursion', () => {
  const deep = '['.repeat(100_000) + ']'.repeat(100_000);
  assert.equal(nestsDeeperThan(deep), true);
  assert.equal(unsafeJson(JSON.parse(deep)), 'too_deep');
});

test('exactly the limit is accepted', () => {
  const atLimit = '['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH);
  assert.equal(nestsDeeperThan(atLimit), false);
  assert.equal(unsafeJson(JSON.parse(atLimit)), undefined);
  assert.equal(nestsDeeperThan(`[${atLimit}]`), true);
});

test('a quote after an even run of backslashes closes the string; after an odd run it does not', () => {
  // {"s":"a\\"}[[[ : the string is `a\`, and the brackets after it are outside it.
  assert.equal(nestsDeeperThan('{"s":"a\\\\"}[[[', 2), true);
  // {"s":"a\"[[[["} : the brackets are inside the string.
  assert.equal(nestsDeeperThan('{"s":"a\\"[[[["}', 2), false);
  assert.equal(nestsDeeperThan('{"s":"unterminated [[[[', 2), false);
});

test('agrees with a character-by-character scan on random JSON-like text', () => {
  const slow = (text: string, limit: number) => {
    let depth = 0;
    let inString = false;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (inString) {
        if (c === '\\') i++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === '{' || c === '[') {
        if (++depth > limit) return true;
      } else if (c === '}' || c === ']') depth--;
    }
    return false;
  };
  const alphabet = ['{', '[', ']', '}', '"', '\\', 'a', ':', ','];
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  for (let n = 0; n < 5000; n++) {
    const text = Array.from({ length: 1 + (next() % 40) }, () => alphabet[next() % alphabet.length]).join('');
    for (const limit of [1, 2, 4]) assert.equal(nestsDeeperThan(text, limit), slow(text, limit), text);
  }
});

test('the walk of a parsed body finds the same depth as the text scan, and stops at the limit', () => {
  const atLimit = '['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH);
  assert.equal(unsafeJson(JSON.parse(atLimit)), undefined);
  assert.equal(unsafeJson(JSON.parse(`{"a":${atLimit}}`)), 'too_deep');
  assert.equal(unsafeJson(JSON.parse('['.repeat(100_000) + ']'.repeat(100_000))), 'too_deep');
  assert.equal(unsafeJson('[[[[[[' as unknown), undefined, 'a string is not nesting');
  let seed = 11;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  const build = (depth: number): unknown => {
    if (depth === 0 || next() % 4 === 0) return next() % 2 ? 'text [{' : 1;
    return next() % 2 ? Array.from({ length: 1 + (next() % 3) }, () => build(depth - 1)) : { a: build(depth - 1), b: build(depth - 1) };
  };
  for (let n = 0; n < 2000; n++) {
    const text = JSON.stringify(build(8));
    for (const limit of [1, 2, 3, 5]) assert.equal(unsafeJson(JSON.parse(text), limit) === 'too_deep', nestsDeeperThan(text, limit), text);
  }
});

test('keys that could reach a prototype are found at any depth, however they were escaped', () => {
  assert.equal(unsafeJson(JSON.parse('{"__proto__":{}}')), 'forbidden_key');
  assert.equal(unsafeJson(JSON.parse('{"a":[{"\\u005f_proto__":1}]}')), 'forbidden_key');
  assert.equal(unsafeJson(JSON.parse('[{"b":{"constructor":{"prototype":{}}}}]')), 'forbidden_key');
  assert.equal(unsafeJson(JSON.parse('{"constructor":"a string"}')), undefined, 'as Fastify: only a constructor holding a prototype');
  assert.equal(unsafeJson(JSON.parse('{"constructor":{"name":"x"}}')), undefined);
  assert.equal(unsafeJson(JSON.parse(JSON.stringify({ content: 'what does "__proto__" do?' }))), undefined);
});
