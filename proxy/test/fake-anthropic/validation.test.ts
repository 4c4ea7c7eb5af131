import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startFakeAnthropic, type FakeAnthropic } from './index.ts';
import { call, LEGACY_HEADERS, post, request, VERSION_HEADERS } from './test-helpers.ts';

let fake: FakeAnthropic;
before(async () => {
  fake = await startFakeAnthropic({ seed: 1 });
});
after(() => fake.close());

interface Case {
  name: string;
  body: unknown;
  headers?: Record<string, string>;
  path?: string;
  status?: number;
  type?: string;
  message: string | RegExp;
}

const tool = (name: string, extra: Record<string, unknown> = {}) => ({ name, input_schema: { type: 'object' }, ...extra });
const text = (t: string, extra: Record<string, unknown> = {}) => ({ type: 'text', text: t, ...extra });
const cc = { type: 'ephemeral' };
const toolUse = (id: string) => ({ type: 'tool_use', id, name: 'lookup', input: {} });
const toolResult = (id: string) => ({ type: 'tool_result', tool_use_id: id, content: 'ok' });

/** A PNG signature as base64. */
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]).toString('base64');

const cases: Case[] = [
  { name: 'body is not JSON', body: '{"model": ', message: 'There was an error parsing the body of your request: invalid JSON.' },
  { name: 'model missing', body: { max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }, message: 'model: Field required' },
  { name: 'unknown model', body: request({ model: 'claude-imaginary-9' }), status: 404, type: 'not_found_error', message: 'model: claude-imaginary-9' },
  { name: 'max_tokens missing', body: { model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'hi' }] }, message: 'max_tokens: Field required' },
  { name: 'max_tokens negative', body: request({ max_tokens: -1 }), message: 'max_tokens: Input should be greater than or equal to 0' },
  { name: 'max_tokens not an integer', body: request({ max_tokens: 1.5 }), message: 'max_tokens: Input should be a valid integer' },
  {
    name: 'max_tokens above the model limit',
    body: request({ max_tokens: 64_001 }),
    message: 'max_tokens: 64001 > 64000, which is the maximum allowed number of output tokens for claude-sonnet-4-5-20250929',
  },
  { name: 'unknown top-level field', body: request({ stream_options: { include_usage: true } }), message: 'stream_options: Extra inputs are not permitted' },
  { name: 'messages missing', body: { model: 'claude-sonnet-4-5', max_tokens: 10 }, message: 'messages: Field required' },
  { name: 'messages empty', body: request({ messages: [] }), message: 'messages: at least one message is required' },
  { name: 'unknown role', body: request({ messages: [{ role: 'tool', content: 'x' }] }), message: "messages.0.role: Input should be 'user' or 'assistant'" },
  {
    name: 'system role on a model without mid-conversation system messages',
    body: request({ messages: [{ role: 'system', content: 'x' }, { role: 'user', content: 'hi' }] }),
    message: 'messages: Unexpected role "system". The Messages API accepts a top-level `system` parameter, not "system" as an input message role.',
  },
  {
    name: 'empty string content',
    body: request({ messages: [{ role: 'user', content: '' }] }),
    message: 'messages.0: all messages must have non-empty content except for the optional final assistant message',
  },
  { name: 'empty text block', body: request({ messages: [{ role: 'user', content: [text('')] }] }), message: 'messages: text content blocks must be non-empty' },
  {
    name: 'whitespace-only text block',
    body: request({ messages: [{ role: 'user', content: [text(' \n\t ')] }] }),
    message: 'messages: text content blocks must contain non-whitespace text',
  },
  { name: 'empty system text block', body: request({ system: [text('')] }), message: 'system: text content blocks must be non-empty' },
  {
    name: 'unknown block type',
    body: request({ messages: [{ role: 'user', content: [{ type: 'input_text', text: 'x' }] }] }),
    message: /^messages\.0\.content\.0: Input tag 'input_text' found using 'type' does not match any of the expected tags: 'text', 'image'/,
  },
  {
    name: 'extra field on a text block',
    body: request({ messages: [{ role: 'user', content: [text('hi', { id: 'x' })] }] }),
    message: 'messages.0.content.0.text.id: Extra inputs are not permitted',
  },
  {
    name: 'bad image media type',
    body: request({ messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/bmp', data: 'AAAA' } }] }] }),
    message: "messages.0.content.0.image.source.base64.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'",
  },
  {
    name: 'image bytes that are not the declared type',
    body: request({ messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/gif', data: PNG } }] }] }),
    message: 'messages.0.content.0.image.source.base64.media_type: The image was specified using the image/gif media type, but the image appears to be a image/png image',
  },
  {
    name: 'image data that is not base64',
    body: request({ messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'not base64!' } }] }] }),
    message: 'messages.0.content.0.image.source.base64.data: Invalid base64 data',
  },
  {
    name: 'image data that is no image',
    body: request({ messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } }] }] }),
    message: 'messages.0.content.0.image.source.base64.data: Could not process image',
  },
  { name: 'top_p of 0', headers: LEGACY_HEADERS, body: request({ top_p: 0 }), message: 'top_p: Input should be greater than 0' },
  {
    name: 'metadata.user_id over 256 characters',
    body: request({ metadata: { user_id: 'u'.repeat(257) } }),
    message: 'metadata.user_id: String should have at most 256 characters',
  },
  {
    name: 'bad cache_control ttl',
    body: request({ messages: [{ role: 'user', content: [text('hi', { cache_control: { type: 'ephemeral', ttl: '10m' } })] }] }),
    message: "messages.0.content.0.text.cache_control.ttl: Input should be '5m' or '1h'",
  },
  {
    name: 'tool name with a dot',
    body: request({ tools: [tool('files.read')] }),
    message: "tools.0.custom.name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'",
  },
  { name: 'tool name of 129 characters', body: request({ tools: [tool('a'.repeat(129))] }), message: "tools.0.custom.name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'" },
  { name: 'tool without input_schema', body: request({ tools: [{ name: 'x' }] }), message: 'tools.0.custom.input_schema: Field required' },
  { name: 'tool schema not an object type', body: request({ tools: [{ name: 'x', input_schema: { type: 'array' } }] }), message: "tools.0.custom.input_schema.type: Input should be 'object'" },
  { name: 'OpenAI-style tool', body: request({ tools: [{ type: 'function', function: { name: 'x' } }] }), message: /^tools\.0: Input tag 'function'/ },
  { name: 'duplicate tool names', body: request({ tools: [tool('a'), tool('a')] }), message: 'tools: Tool names must be unique.' },
  { name: 'tool_choice without tools', body: request({ tool_choice: { type: 'any' } }), message: 'tool_choice may only be specified while providing tools.' },
  {
    name: 'five cache_control blocks',
    body: request({
      system: [text('a', { cache_control: cc }), text('b', { cache_control: cc }), text('c', { cache_control: cc })],
      messages: [{ role: 'user', content: [text('d', { cache_control: cc }), text('e', { cache_control: cc })] }],
    }),
    message: 'A maximum of 4 blocks with cache_control may be provided. Found 5.',
  },
  {
    name: 'nested cache_control in tool_result content counts toward the limit',
    body: request({
      system: [text('a', { cache_control: cc }), text('b', { cache_control: cc }), text('c', { cache_control: cc })],
      tools: [tool('lookup')],
      messages: [
        { role: 'user', content: 'go' },
        { role: 'assistant', content: [toolUse('toolu_1')] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: [text('r', { cache_control: cc })], cache_control: cc }] },
      ],
    }),
    message: 'A maximum of 4 blocks with cache_control may be provided. Found 5.',
  },
  {
    name: 'automatic caching with four explicit breakpoints',
    body: request({
      cache_control: cc,
      system: [text('a', { cache_control: cc }), text('b', { cache_control: cc }), text('c', { cache_control: cc })],
      messages: [{ role: 'user', content: [text('d', { cache_control: cc }), text('e')] }],
    }),
    message: 'A maximum of 4 blocks with cache_control may be provided. Found 5.',
  },
  {
    name: 'a 1h breakpoint after a 5m one',
    body: request({ system: [text('a', { cache_control: cc }), text('b', { cache_control: { type: 'ephemeral', ttl: '1h' } })] }),
    message: "cache_control: a ttl='1h' cache_control block must not come after a ttl='5m' cache_control block.",
  },
  // Sampling rules per model generation, on API version 2023-06-01.
  {
    name: 'temperature and top_p together on the 4.5 generation',
    headers: LEGACY_HEADERS,
    body: request({ temperature: 0.5, top_p: 0.9 }),
    message: '`temperature` and `top_p` cannot both be specified for this model. Please use only one.',
  },
  { name: 'temperature on Opus 4.7', headers: LEGACY_HEADERS, body: request({ model: 'claude-opus-4-7', temperature: 1 }), message: '`temperature` is deprecated for this model.' },
  { name: 'top_k on Sonnet 5.5', headers: LEGACY_HEADERS, body: request({ model: 'claude-sonnet-5-5', top_k: 5 }), message: '`top_k` is deprecated for this model.' },
  { name: 'temperature above 1', headers: LEGACY_HEADERS, body: request({ temperature: 1.5 }), message: 'temperature: Input should be less than or equal to 1' },
  {
    name: 'temperature other than 1 with thinking',
    headers: LEGACY_HEADERS,
    body: request({ max_tokens: 4096, temperature: 0.2, thinking: { type: 'enabled', budget_tokens: 2048 } }),
    message: /^`temperature` may only be set to 1 when thinking is enabled\./,
  },
  // API version 2026-10-21.
  { name: 'temperature on 2026-10-21, even at its default', body: request({ temperature: 1 }), message: 'temperature: Extra inputs are not permitted' },
  {
    name: 'document block in an assistant message on 2026-10-21',
    body: request({
      model: 'claude-sonnet-4-5',
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: [{ type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'x' } }] },
        { role: 'user', content: 'and?' },
      ],
    }),
    message: 'messages.1.content.0: `document` blocks are not supported in `assistant` messages.',
  },
  {
    name: 'citations on a user text block on 2026-10-21',
    body: request({
      messages: [{ role: 'user', content: [text('quoted', { citations: [{ type: 'char_location', cited_text: 'q', document_index: 0, document_title: null, start_char_index: 0, end_char_index: 1 }] })] }],
    }),
    message: 'messages.0.content.0: `citations` are not supported on text blocks in `user` messages.',
  },
  {
    name: 'cache_control on a thinking block',
    body: request({
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: [{ type: 'thinking', thinking: 't', signature: 's', cache_control: cc }, text('answer')] },
        { role: 'user', content: 'more' },
      ],
    }),
    message: 'messages.1.content.0.thinking.cache_control: Extra inputs are not permitted',
  },
  // Thinking.
  {
    name: 'budget below 1024',
    body: request({ max_tokens: 4096, thinking: { type: 'enabled', budget_tokens: 512 } }),
    message: 'thinking.enabled.budget_tokens: Input should be greater than or equal to 1024',
  },
  {
    name: 'budget not below max_tokens',
    body: request({ max_tokens: 2048, thinking: { type: 'enabled', budget_tokens: 2048 } }),
    message: '`max_tokens` must be greater than `thinking.budget_tokens`.',
  },
  {
    name: 'thinking with a forced tool',
    body: request({ max_tokens: 4096, tools: [tool('a')], tool_choice: { type: 'any' }, thinking: { type: 'enabled', budget_tokens: 1024 } }),
    message: 'Thinking may not be enabled when tool_choice forces tool use.',
  },
  {
    name: 'manual thinking on Opus 4.7',
    body: request({ model: 'claude-opus-4-7', max_tokens: 4096, thinking: { type: 'enabled', budget_tokens: 1024 } }),
    message: '"thinking.type.enabled" is not supported for this model. Use "thinking.type.adaptive" and "output_config.effort" to control thinking behavior.',
  },
  { name: 'disabling thinking on an always-thinking model', body: request({ model: 'claude-opus-5-5', thinking: { type: 'disabled' } }), message: '"thinking.type.disabled" is not supported for this model.' },
  // Prefill.
  {
    name: 'prefill on a 4.6 model',
    body: request({ model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'Sure' }] }),
    message: 'This model does not support assistant message prefill. The conversation must end with a user message.',
  },
  {
    name: 'prefill ending in whitespace',
    body: request({ messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'Sure ' }] }),
    message: 'final assistant content cannot end with trailing whitespace',
  },
  // Pre-warming limits.
  { name: 'max_tokens 0 with stream', body: request({ max_tokens: 0, stream: true }), message: 'max_tokens: 0 cannot be combined with `stream: true`.' },
  // Size.
  {
    name: 'prompt longer than the context window',
    body: request({ messages: [{ role: 'user', content: 'x'.repeat(4 * 200_001) }] }),
    message: /^prompt is too long: 2000\d\d tokens > 200000 maximum$/,
  },
  // Pairing of tool calls and results.
  {
    name: 'tool_use without a result in the next message',
    body: request({
      tools: [tool('lookup')],
      messages: [
        { role: 'user', content: 'go' },
        { role: 'assistant', content: [toolUse('toolu_1'), toolUse('toolu_2')] },
        { role: 'user', content: [toolResult('toolu_1')] },
      ],
    }),
    message:
      'messages.1: `tool_use` ids were found without `tool_result` blocks immediately after: toolu_2. Each `tool_use` block must have a corresponding `tool_result` block in the next message.',
  },
  {
    name: 'text before the tool results',
    body: request({
      tools: [tool('lookup')],
      messages: [
        { role: 'user', content: 'go' },
        { role: 'assistant', content: [toolUse('toolu_1')] },
        { role: 'user', content: [text('here you go'), toolResult('toolu_1')] },
      ],
    }),
    message:
      'messages.1: `tool_use` ids were found without `tool_result` blocks immediately after: toolu_1. Each `tool_use` block must have a corresponding `tool_result` block in the next message.',
  },
  {
    name: 'tool_result answering no tool_use',
    body: request({
      tools: [tool('lookup')],
      messages: [
        { role: 'user', content: 'go' },
        { role: 'assistant', content: [toolUse('toolu_1')] },
        { role: 'user', content: [toolResult('toolu_1'), toolResult('toolu_9')] },
      ],
    }),
    message:
      'messages.2.content.1: unexpected `tool_use_id` found in `tool_result` blocks: toolu_9. Each `tool_result` block must have a corresponding `tool_use` block in the previous message.',
  },
  {
    name: 'tool_result after a message in between',
    body: request({
      tools: [tool('lookup')],
      messages: [
        { role: 'user', content: 'go' },
        { role: 'assistant', content: [toolUse('toolu_1')] },
        { role: 'user', content: [toolResult('toolu_1')] },
        { role: 'assistant', content: 'done' },
        { role: 'user', content: [toolResult('toolu_1')] },
      ],
    }),
    message: /^messages\.4\.content\.0: unexpected `tool_use_id` found in `tool_result` blocks: toolu_1\./,
  },
  {
    name: 'repeated tool_use id',
    body: request({
      tools: [tool('lookup')],
      messages: [
        { role: 'user', content: 'go' },
        { role: 'assistant', content: [toolUse('toolu_1')] },
        { role: 'user', content: [toolResult('toolu_1')] },
        { role: 'assistant', content: [toolUse('toolu_1')] },
        { role: 'user', content: [toolResult('toolu_1')] },
      ],
    }),
    message: 'messages.3.content.0: `tool_use` ids must be unique',
  },
];

describe('request validation', () => {
  for (const c of cases) {
    test(c.name, async () => {
      const res = await call(fake, 'POST', c.path ?? '/v1/messages', c.body, c.headers ?? VERSION_HEADERS);
      assert.equal(res.status, c.status ?? 400, res.text);
      assert.equal(res.json.type, 'error');
      assert.equal(res.json.error.type, c.type ?? 'invalid_request_error');
      if (typeof c.message === 'string') assert.equal(res.json.error.message, c.message);
      else assert.match(res.json.error.message, c.message);
      assert.equal(res.json.request_id, res.headers.get('request-id'));
    });
  }

  test('the same requests without the fault are accepted', async () => {
    const ok = [
      request({ temperature: 0.5 }),
      request({ model: 'claude-opus-5', messages: [{ role: 'user', content: 'a' }, { role: 'system', content: 'be brief' }, { role: 'user', content: 'b' }] }),
      request({ messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'Sure' }] }),
      request({ tools: [tool('a-b_C9'.padEnd(128, 'x'))] }),
      request({ max_tokens: 64_000 }),
    ];
    for (const [i, body] of ok.entries()) {
      const res = await post(fake, '/v1/messages', body, i === 0 ? LEGACY_HEADERS : VERSION_HEADERS);
      assert.equal(res.status, 200, `case ${i}: ${res.text}`);
    }
  });
});

describe('edge of the API', () => {
  test('anthropic-version is required', async () => {
    const res = await call(fake, 'POST', '/v1/messages', request(), { 'content-type': 'application/json' });
    assert.equal(res.status, 400);
    assert.deepEqual(res.json.error, { type: 'invalid_request_error', message: 'anthropic-version: header is required' });
  });

  test('unknown routes are a 404 in the error shape', async () => {
    const res = await call(fake, 'GET', '/v1/chat/completions');
    assert.equal(res.status, 404);
    assert.deepEqual(res.json.error, { type: 'not_found_error', message: 'Not Found' });
  });

  test('a body over 32 MB is request_too_large', async () => {
    const res = await post(fake, '/v1/messages', { padding: 'x'.repeat(32 * 1024 * 1024) });
    assert.equal(res.status, 413);
    assert.equal(res.json.error.type, 'request_too_large');
  });

  test('an API key is checked when configured, by x-api-key or bearer token', async () => {
    const locked = await startFakeAnthropic({ apiKey: 'sk-right' });
    try {
      const none = await post(locked, '/v1/messages', request());
      assert.equal(none.status, 401);
      assert.deepEqual(none.json.error, { type: 'authentication_error', message: 'x-api-key header is required' });
      const wrong = await post(locked, '/v1/messages', request(), { ...VERSION_HEADERS, 'x-api-key': 'sk-wrong' });
      assert.equal(wrong.status, 401);
      assert.equal(wrong.json.error.message, 'invalid x-api-key');
      const byHeader = await post(locked, '/v1/messages', request(), { ...VERSION_HEADERS, 'x-api-key': 'sk-right' });
      assert.equal(byHeader.status, 200);
      const byBearer = await post(locked, '/v1/messages', request(), { ...VERSION_HEADERS, authorization: 'Bearer sk-right' });
      assert.equal(byBearer.status, 200);
      // With both, the API uses x-api-key.
      const both = await post(locked, '/v1/messages', request(), { ...VERSION_HEADERS, 'x-api-key': 'sk-wrong', authorization: 'Bearer sk-right' });
      assert.equal(both.status, 401);
    } finally {
      await locked.close();
    }
  });
});
