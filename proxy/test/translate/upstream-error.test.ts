import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GatewayError } from '../../src/errors.ts';
import { fromAnthropicError, fromAnthropicErrorEvent } from '../../src/translate/upstream-error.ts';

const body = (type: string, message: string) => ({ type: 'error', error: { type, message }, request_id: 'req_011CVx' });

function shape(error: GatewayError) {
  assert.ok(error instanceof GatewayError);
  return { status: error.status, type: error.type, code: error.code, param: error.param };
}

describe('fromAnthropicError', () => {
  test('maps each documented Anthropic error to the OpenAI status, type and code', () => {
    const table: Array<[number, string, { status: number; type: string; code: string | null; param: string | null }]> = [
      [400, 'invalid_request_error', { status: 400, type: 'invalid_request_error', code: null, param: null }],
      [401, 'authentication_error', { status: 401, type: 'authentication_error', code: 'upstream_authentication_failed', param: null }],
      [402, 'billing_error', { status: 402, type: 'billing_error', code: 'upstream_billing_error', param: null }],
      [403, 'permission_error', { status: 403, type: 'permission_error', code: 'upstream_permission_denied', param: null }],
      [404, 'not_found_error', { status: 404, type: 'not_found_error', code: null, param: null }],
      [409, 'conflict_error', { status: 409, type: 'conflict_error', code: null, param: null }],
      [413, 'request_too_large', { status: 413, type: 'invalid_request_error', code: 'request_too_large', param: null }],
      [429, 'rate_limit_error', { status: 429, type: 'rate_limit_error', code: 'rate_limit_exceeded', param: null }],
      [500, 'api_error', { status: 502, type: 'server_error', code: 'upstream_error', param: null }],
      [504, 'timeout_error', { status: 504, type: 'timeout_error', code: 'upstream_timeout', param: null }],
      [529, 'overloaded_error', { status: 503, type: 'overloaded_error', code: 'overloaded', param: null }],
    ];
    for (const [status, type, expected] of table) {
      assert.deepStrictEqual(shape(fromAnthropicError(status, body(type, 'Something happened'))), expected, type);
    }
  });

  test("invalid requests keep Anthropic's message and name the OpenAI param", () => {
    const error = fromAnthropicError(400, body('invalid_request_error', 'messages.3.content.0.text: text content blocks must be non-empty'));
    assert.equal(error.message, 'messages.3.content.0.text: text content blocks must be non-empty');
    assert.equal(error.param, 'messages');
    assert.equal(fromAnthropicError(400, body('invalid_request_error', 'max_tokens: Field required')).param, 'max_tokens');
    assert.equal(fromAnthropicError(400, body('invalid_request_error', 'stop_sequences.0: must not be blank')).param, 'stop');
    assert.equal(fromAnthropicError(400, body('invalid_request_error', 'system.0.text: bad')).param, 'messages');
    assert.equal(fromAnthropicError(400, body('invalid_request_error', 'tools.2.input_schema: bad')).param, 'tools');
    assert.equal(fromAnthropicError(400, body('invalid_request_error', '`temperature` and `top_p` cannot both be specified')).param, null);
    assert.equal(fromAnthropicError(400, body('invalid_request_error', 'error: not a field')).param, null);
  });

  test('an over-long prompt becomes context_length_exceeded, which agents act on', () => {
    const error = fromAnthropicError(400, body('invalid_request_error', 'prompt is too long: 215000 tokens > 200000 maximum'));
    assert.deepStrictEqual(shape(error), { status: 400, type: 'invalid_request_error', code: 'context_length_exceeded', param: 'messages' });
    assert.match(error.message, /215000 tokens/);
  });

  test('a rejected upstream key says it is the gateway key, not the client key', () => {
    const error = fromAnthropicError(401, body('authentication_error', 'invalid x-api-key'));
    assert.equal(error.status, 401);
    assert.match(error.message, /gateway's Anthropic API key was rejected/);
    assert.match(error.message, /invalid x-api-key/);
  });

  test('an unknown model is model_not_found on param model', () => {
    const error = fromAnthropicError(404, body('not_found_error', 'model: claude-nonexistent-9'));
    assert.deepStrictEqual(shape(error), { status: 404, type: 'not_found_error', code: 'model_not_found', param: 'model' });
    assert.match(error.message, /claude-nonexistent-9/);
  });

  test('rate limits keep retry-after and the Anthropic reset hints, whatever the header case', () => {
    const error = fromAnthropicError(429, body('rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit'), {
      'Retry-After': '17',
      'anthropic-ratelimit-tokens-reset': '2026-11-21T10:00:17Z',
      'anthropic-ratelimit-requests-reset': '2026-11-21T10:00:05Z',
      'anthropic-ratelimit-tokens-remaining': '0',
      'x-unrelated': 'nope',
      'anthropic-ratelimit-output-tokens-reset': undefined,
    });
    assert.deepStrictEqual(error.headers, {
      'retry-after': '17',
      'anthropic-ratelimit-requests-reset': '2026-11-21T10:00:05Z',
      'anthropic-ratelimit-tokens-reset': '2026-11-21T10:00:17Z',
    });
    assert.deepStrictEqual(fromAnthropicError(429, body('rate_limit_error', 'slow down')).headers, {});
  });

  test('overloaded keeps retry-after', () => {
    assert.deepStrictEqual(fromAnthropicError(529, body('overloaded_error', 'Overloaded'), { 'retry-after': '3' }).headers, { 'retry-after': '3' });
  });

  test('unreadable bodies fall back on the HTTP status', () => {
    const html = fromAnthropicError(413, '<html><body><h1>413 Request Entity Too Large</h1></body></html>');
    assert.deepStrictEqual(shape(html), { status: 413, type: 'invalid_request_error', code: 'request_too_large', param: null });
    assert.equal(html.message, 'Anthropic returned HTTP 413: 413 Request Entity Too Large');

    assert.deepStrictEqual(shape(fromAnthropicError(502, '')), { status: 502, type: 'server_error', code: 'upstream_error', param: null });
    assert.equal(fromAnthropicError(502, '').message, 'Anthropic returned HTTP 502 without an error message');
    assert.deepStrictEqual(shape(fromAnthropicError(529, null)), { status: 503, type: 'overloaded_error', code: 'overloaded', param: null });
    assert.deepStrictEqual(shape(fromAnthropicError(429, 42)), { status: 429, type: 'rate_limit_error', code: 'rate_limit_exceeded', param: null });
    assert.equal(fromAnthropicError(500, 'x'.repeat(500)).message.length < 260, true);
  });

  test('JSON bodies given as text or bytes are parsed', () => {
    const text = JSON.stringify(body('permission_error', 'no access to model'));
    assert.equal(fromAnthropicError(403, text).status, 403);
    assert.equal(fromAnthropicError(403, new TextEncoder().encode(text)).message, "The gateway's Anthropic API key is not allowed to do this: no access to model");
  });

  test('a flat {type, message} body and an unknown error type are handled', () => {
    assert.equal(fromAnthropicError(529, { type: 'overloaded_error', message: 'busy' }).status, 503);
    const future4xx = fromAnthropicError(422, body('brand_new_error', 'new rule'));
    assert.deepStrictEqual(shape(future4xx), { status: 422, type: 'invalid_request_error', code: 'brand_new_error', param: null });
    assert.equal(future4xx.message, 'new rule');
    const future5xx = fromAnthropicError(503, body('brand_new_error', 'new outage'));
    assert.equal(future5xx.status, 503);
    assert.equal(future5xx.type, 'overloaded_error');
    assert.deepStrictEqual(shape(fromAnthropicError(599, body('brand_new_error', 'odd'))), { status: 502, type: 'server_error', code: 'brand_new_error', param: null });
  });

  test('the error serialises to the OpenAI error shape', () => {
    assert.deepStrictEqual(fromAnthropicError(529, body('overloaded_error', 'Overloaded')).toJSON(), {
      error: { message: 'Overloaded', type: 'overloaded_error', param: null, code: 'overloaded' },
    });
  });
});

describe('fromAnthropicErrorEvent', () => {
  test('maps by error type alone', () => {
    assert.deepStrictEqual(shape(fromAnthropicErrorEvent({ type: 'overloaded_error', message: 'Overloaded' })), {
      status: 503,
      type: 'overloaded_error',
      code: 'overloaded',
      param: null,
    });
    assert.equal(fromAnthropicErrorEvent({ type: 'api_error', message: 'boom' }).status, 502);
    assert.equal(fromAnthropicErrorEvent({ type: 'rate_limit_error', message: 'slow' }).status, 429);
    assert.equal(fromAnthropicErrorEvent({ type: 'invalid_request_error', message: 'bad' }).status, 400);
  });

  test('an unknown or malformed error event is a 502 server error', () => {
    const unknown = fromAnthropicErrorEvent({ type: 'mystery_error', message: 'hm' });
    assert.deepStrictEqual(shape(unknown), { status: 502, type: 'server_error', code: 'mystery_error', param: null });
    const malformed = fromAnthropicErrorEvent({} as never);
    assert.equal(malformed.status, 502);
    assert.equal(malformed.message, 'Upstream stream error');
    assert.equal(fromAnthropicErrorEvent(undefined as never).status, 502);
  });
});
