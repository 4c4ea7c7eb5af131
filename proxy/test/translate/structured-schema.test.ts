import assert from 'node:assert/strict';
import { test } from 'node:test';
import { adaptSchema } from '../../src/translate/structured-schema.ts';

test('closes nested objects and moves unsupported constraints into descriptions', () => {
  const input = {
    type: 'object',
    properties: {
      items: { type: 'array', items: { type: 'object', properties: { n: { type: 'number', multipleOf: 2 } } }, maxItems: 3, minItems: 1 },
      choice: { oneOf: [{ $ref: '#/$defs/a' }, { type: 'null' }] },
    },
    $defs: { a: { type: 'object', properties: { s: { type: 'string', format: 'email', pattern: '^a' } }, additionalProperties: false } },
  };
  const before = JSON.stringify(input);
  const { schema, changes } = adaptSchema(input);
  assert.equal(JSON.stringify(input), before, 'input left untouched');
  assert.deepEqual(schema, {
    type: 'object',
    properties: {
      items: {
        type: 'array',
        items: { type: 'object', properties: { n: { type: 'number', description: '{multipleOf: 2}' } }, additionalProperties: false },
        minItems: 1,
        description: '{maxItems: 3}',
      },
      choice: { anyOf: [{ $ref: '#/$defs/a' }, { type: 'null' }] },
    },
    $defs: { a: { type: 'object', properties: { s: { type: 'string', format: 'email', pattern: '^a' } }, additionalProperties: false } },
    additionalProperties: false,
  });
  assert.deepEqual(changes, ['additionalProperties', 'maxItems', 'multipleOf', 'oneOf']);
});

test('a schema already in the subset is unchanged', () => {
  const input = { type: 'object', properties: { a: { type: 'string', enum: ['x', 'y'] } }, required: ['a'], additionalProperties: false };
  assert.deepEqual(adaptSchema(input), { schema: input, changes: [] });
});
