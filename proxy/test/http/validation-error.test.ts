// Schema refusals as the gateway answers them: each Ajv keyword becomes a message that names the parameter or
// field, a repeated query parameter says so, nested body paths read like the hand checks' (data[0].model), and
// the error is the same invalid_request_error a hand check raises.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FastifySchemaValidationError } from 'fastify';
import { toGatewayError } from '../../src/http/error-handler.ts';
import { ISO_INSTANT_PATTERN } from '../../src/http/schemas/iso-instant.ts';
import { validationError, type SchemaPart } from '../../src/http/validation-error.ts';

const issue = (keyword: string, instancePath: string, params: Record<string, unknown>, message?: string): FastifySchemaValidationError => ({
  keyword, instancePath, schemaPath: `#${instancePath}/${keyword}`, params, ...(message !== undefined && { message }),
});

const cases: Array<[string, FastifySchemaValidationError, SchemaPart, unknown, string | null, string]> = [
  ['a repeated parameter', issue('type', '/limit', { type: 'integer' }), 'querystring', { limit: ['1', '2'] }, 'limit', 'limit must be given once'],
  ['a repeated text parameter', issue('type', '/from', { type: 'string' }), 'querystring', { from: ['a', 'b'] }, 'from', 'from must be given once'],
  ['not a number', issue('type', '/limit', { type: 'integer' }), 'querystring', { limit: 'ten' }, 'limit', 'limit must be an integer, got "ten"'],
  ['over the maximum', issue('maximum', '/limit', { comparison: '<=', limit: 500 }), 'querystring', { limit: 501 }, 'limit', 'limit must be <= 500, got 501'],
  ['under the minimum', issue('minimum', '/limit', { comparison: '>=', limit: 1 }), 'querystring', { limit: 0 }, 'limit', 'limit must be >= 1, got 0'],
  ['not one of the values', issue('enum', '/format', { allowedValues: ['csv', 'json'] }), 'querystring', { format: 'xml' }, 'format', 'format must be one of csv, json, got "xml"'],
  [
    'not an ISO instant',
    issue('pattern', '/to', { pattern: ISO_INSTANT_PATTERN }),
    'querystring',
    { to: 'yesterday' },
    'to',
    'to must be an ISO date (2026-11-01) or date-time (2026-11-01T09:30:00Z), got "yesterday"',
  ],
  ['another pattern', issue('pattern', '/id', { pattern: '^b_' }), 'params', { id: 'x' }, 'id', 'id must be text matching ^b_, got "x"'],
  ['too long', issue('maxLength', '/project', { limit: 256 }), 'querystring', { project: 'p'.repeat(300) }, 'project', 'project must be at most 256 characters long'],
  ['empty', issue('minLength', '/subject', { limit: 1 }), 'params', { subject: '' }, 'subject', 'subject must not be empty'],
  ['repeated too often', issue('maxItems', '/include', { limit: 16 }), 'querystring', {}, 'include', 'include may be given at most 16 times'],
  ['a missing field, nested', issue('required', '/data/0', { missingProperty: 'model' }), 'body', { data: [{}] }, 'data[0].model', 'data[0].model is required'],
  ['an unknown field', issue('additionalProperties', '', { additionalProperty: 'price' }), 'body', { price: 1 }, 'price', 'price is not a known field'],
  ['an unknown parameter', issue('additionalProperties', '', { additionalProperty: 'sort' }), 'querystring', { sort: 'x' }, 'sort', 'sort is not a known parameter'],
  ['the whole body', issue('type', '', { type: 'object' }), 'body', 'text', null, 'The request body must be an object, got "text"'],
  ['one of two types', issue('type', '/n', { type: 'integer,null' }), 'body', { n: 'x' }, 'n', 'n must be an integer or null, got "x"'],
  ['an escaped path', issue('type', '/a~1b/c~0d', { type: 'string' }), 'body', { 'a/b': { 'c~d': 1 } }, 'a/b.c~d', 'a/b.c~d must be a string, got 1'],
  ['another keyword', issue('const', '/x', {}, 'must be equal to constant'), 'body', { x: 1 }, 'x', 'x must be equal to constant'],
];

describe('validationError', () => {
  for (const [what, given, part, input, param, message] of cases) {
    test(`${what}: ${message}`, () => {
      const error = validationError(given, part, input);
      assert.deepEqual(error.toJSON(), { error: { message, type: 'invalid_request_error', param, code: null } });
      assert.equal(error.status, 400);
    });
  }

  test('a long value is quoted cut short', () => {
    const error = validationError(issue('type', '/limit', { type: 'integer' }), 'querystring', { limit: 'x'.repeat(500) });
    assert.equal(error.message, `limit must be an integer, got "${'x'.repeat(100)}..."`);
  });
});

describe('toGatewayError for FST_ERR_VALIDATION', () => {
  const fastifyError = (validation?: FastifySchemaValidationError[]) =>
    Object.assign(new Error('querystring/limit must be <= 500'), { code: 'FST_ERR_VALIDATION', statusCode: 400, validationContext: 'querystring', validation });

  test('reads the value from the request it refused', () => {
    const request = { query: { limit: ['1', '2'] }, params: {}, body: undefined, headers: {} };
    const error = toGatewayError(fastifyError([issue('type', '/limit', { type: 'integer' })]), request as never);
    assert.deepEqual(error.toJSON().error, { message: 'limit must be given once', type: 'invalid_request_error', param: 'limit', code: null });
  });

  test('without the request, still names the parameter', () => {
    const error = toGatewayError(fastifyError([issue('maximum', '/limit', { comparison: '<=', limit: 500 })]));
    assert.deepEqual(error.toJSON().error, { message: 'limit must be <= 500', type: 'invalid_request_error', param: 'limit', code: null });
  });

  test('without issues, the generic refusal', () => {
    const error = toGatewayError(fastifyError());
    assert.equal(error.status, 400);
    assert.match(error.message, /does not match the route schema/);
  });
});
