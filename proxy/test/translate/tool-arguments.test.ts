import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Adjustments } from '../../src/translate/adjustments.ts';
import { customInput, functionInput } from '../../src/translate/tool-arguments.ts';

test('function arguments: objects parse, everything else is kept under _raw with a note', () => {
  const notes = new Adjustments();
  assert.deepEqual(functionInput('{"a":1}', 'c1', notes), { a: 1 });
  assert.deepEqual(functionInput('  ', 'c2', notes), {});
  assert.deepEqual(functionInput('```json\n{"b":2}\n```', 'c3', notes), { b: 2 });
  assert.deepEqual(functionInput('"text"', 'c4', notes), { _raw: '"text"' });
  assert.deepEqual(functionInput('{"a":', 'c5', notes), { _raw: '{"a":' });
  assert.deepEqual(notes.list(), [
    'arguments of tool call c4 were not a JSON object, sent as {"_raw": text}',
    'arguments of tool call c5 were not a JSON object, sent as {"_raw": text}',
  ]);
});

test('custom tool input: raw text, or the {input} object a client may have sent', () => {
  assert.deepEqual(customInput('*** Begin Patch'), { input: '*** Begin Patch' });
  assert.deepEqual(customInput('{"input":"x"}'), { input: 'x' });
  assert.deepEqual(customInput('{"input":"x","other":1}'), { input: '{"input":"x","other":1}' });
});

test('adjustments are ASCII, single-line and unique', () => {
  const notes = new Adjustments();
  notes.add('café;\nmenu');
  notes.add('café;\nmenu');
  notes.add('   ');
  assert.deepEqual(notes.list(), ['caf?, menu']);
});
