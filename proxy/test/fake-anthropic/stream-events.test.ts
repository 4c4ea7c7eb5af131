import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createRng } from './rng.ts';
import { modelJson, splitJson, splitText } from './stream-events.ts';

describe('fragmentation', () => {
  const text = 'Streaming text arrives in pieces: sometimes whole words, sometimes half a word, never lost.';

  test('text pieces join back to the text, vary in size, and repeat for the same seed', () => {
    const a = splitText(text, createRng(9));
    assert.equal(a.join(''), text);
    assert.ok(a.every((p) => p.length > 0));
    assert.ok(new Set(a.map((p) => p.length)).size > 3);
    assert.deepEqual(splitText(text, createRng(9)), a);
    assert.notDeepEqual(splitText(text, createRng(10)), a);
  });

  test('JSON fragments start empty and join back to the JSON', () => {
    const json = modelJson({ path: 'src/a.ts', edits: [{ line: 3, text: 'x = "y"' }], dry: false });
    for (let seed = 0; seed < 20; seed++) {
      const pieces = splitJson(json, createRng(seed));
      assert.equal(pieces[0], '');
      assert.equal(pieces.join(''), json);
    }
  });

  test('tool input is written with a space after colons and commas, like the model writes it', () => {
    const value = { a: 1, b: [true, null, 'x, y: z'], c: { d: {} } };
    assert.equal(modelJson(value), '{"a": 1, "b": [true, null, "x, y: z"], "c": {"d": {}}}');
    assert.deepEqual(JSON.parse(modelJson(value)), value);
  });
});
