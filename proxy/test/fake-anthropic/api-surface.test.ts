import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { MODELS, startFakeAnthropic, type FakeAnthropic } from './index.ts';
import { call, client, post, request } from './test-helpers.ts';

/** A PNG signature as base64 (16 characters, whole 3-byte groups): image bytes the API can read as a PNG. */
const PNG_HEAD = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]).toString('base64');

let fake: FakeAnthropic;
before(async () => {
  fake = await startFakeAnthropic();
});
after(() => fake.close());

const newestFirst = [...MODELS].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0)).map((m) => m.id);

describe('count_tokens', () => {
  const body = {
    model: 'claude-sonnet-4-5',
    system: 'You are terse.',
    tools: [{ name: 'lookup', input_schema: { type: 'object' } }],
    messages: [{ role: 'user', content: 'How many tokens is this?' }],
  };

  test('answers {input_tokens} equal to what a message would bill', async () => {
    const counted = await post(fake, '/v1/messages/count_tokens', body);
    assert.equal(counted.status, 200);
    assert.deepEqual(Object.keys(counted.json), ['input_tokens']);
    const tok = (x: unknown) => Math.ceil(JSON.stringify(x).length / 4);
    const expected = tok(body.tools[0]) + tok({ type: 'text', text: body.system }) + tok({ type: 'text', text: body.messages[0]!.content });
    assert.equal(counted.json.input_tokens, expected);
    const created = await post(fake, '/v1/messages', { ...body, max_tokens: 50 });
    assert.equal(created.json.usage.input_tokens, expected);
  });

  test('works through the SDK', async () => {
    const result = await client(fake).messages.countTokens(body as any);
    assert.equal(typeof result.input_tokens, 'number');
    assert.ok(result.input_tokens > 10);
  });

  test('validates like the Messages endpoint but takes no max_tokens', async () => {
    const unknown = await post(fake, '/v1/messages/count_tokens', { ...body, model: 'claude-nope' });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json.error.message, 'model: claude-nope');
    const withMax = await post(fake, '/v1/messages/count_tokens', { ...body, max_tokens: 10 });
    assert.equal(withMax.status, 400);
    assert.equal(withMax.json.error.message, 'max_tokens: Extra inputs are not permitted');
  });

  test('images cost by size, not by their base64 length', async () => {
    const image = (bytes: number) => ({ type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG_HEAD + 'A'.repeat(Math.ceil(bytes / 3) * 4 - PNG_HEAD.length) } });
    const count = async (content: unknown[]) =>
      (await post(fake, '/v1/messages/count_tokens', { model: 'claude-sonnet-4-5', messages: [{ role: 'user', content }] })).json.input_tokens as number;
    const small = await count([image(3_000), { type: 'text', text: 'what is this?' }]);
    const large = await count([image(300_000), { type: 'text', text: 'what is this?' }]);
    assert.ok(small < 200, `small image counted ${small}`);
    assert.ok(large - small > 1000 && large < 2000, `large image counted ${large}`);
  });
});

describe('models', () => {
  test('lists every model newest first on one default page', async () => {
    const res = await call(fake, 'GET', '/v1/models');
    assert.equal(res.status, 200);
    assert.deepEqual(res.json.data.map((m: any) => m.id), newestFirst);
    assert.equal(res.json.first_id, newestFirst[0]);
    assert.equal(res.json.last_id, newestFirst.at(-1));
    assert.equal(res.json.has_more, false);
    const sonnet = res.json.data.find((m: any) => m.id === 'claude-sonnet-4-5-20250929');
    assert.equal(sonnet.type, 'model');
    assert.equal(sonnet.display_name, 'Claude Sonnet 4.5');
    assert.equal(sonnet.max_tokens, 64000);
    assert.equal(sonnet.lifecycle, 'deprecated');
    assert.equal(sonnet.capabilities.thinking.types.enabled.supported, true);
  });

  test('pages with limit, after_id and before_id', async () => {
    const page1 = (await call(fake, 'GET', '/v1/models?limit=5')).json;
    assert.deepEqual(page1.data.map((m: any) => m.id), newestFirst.slice(0, 5));
    assert.equal(page1.has_more, true);
    const page2 = (await call(fake, 'GET', `/v1/models?limit=5&after_id=${page1.last_id}`)).json;
    assert.deepEqual(page2.data.map((m: any) => m.id), newestFirst.slice(5, 10));
    const back = (await call(fake, 'GET', `/v1/models?limit=5&before_id=${page2.first_id}`)).json;
    assert.deepEqual(back.data.map((m: any) => m.id), newestFirst.slice(0, 5));
    assert.equal(back.has_more, false);
    const bad = await call(fake, 'GET', '/v1/models?limit=0');
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error.message, 'limit: Input should be greater than or equal to 1');
  });

  test('the SDK pages through all of them', async () => {
    const ids: string[] = [];
    for await (const model of client(fake).models.list({ limit: 4 })) ids.push(model.id);
    assert.deepEqual(ids, newestFirst);
  });

  test('retrieving resolves aliases and 404s unknown ids', async () => {
    const alias = await call(fake, 'GET', '/v1/models/claude-haiku-4-5');
    assert.equal(alias.json.id, 'claude-haiku-4-5-20251001');
    const info = await client(fake).models.retrieve('claude-opus-5');
    assert.equal(info.display_name, 'Claude Opus 5');
    const missing = await call(fake, 'GET', '/v1/models/claude-nope');
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.json.error, { type: 'not_found_error', message: 'model: claude-nope' });
  });

  test('every model the SDK names is known', async () => {
    const sdkModels = [
      'claude-fable-5-2', 'claude-mythos-5-2', 'claude-haiku-5-5', 'claude-sonnet-5-5', 'claude-fable-5-1', 'claude-opus-5-5',
      'claude-mythos-5-1', 'claude-sonnet-5', 'claude-fable-5', 'claude-mythos-5', 'claude-opus-5', 'claude-opus-4-8',
      'claude-opus-4-7', 'claude-mythos-preview', 'claude-opus-4-6', 'claude-sonnet-4-6', 'claude-haiku-4-5',
      'claude-haiku-4-5-20251001', 'claude-opus-4-5', 'claude-opus-4-5-20251101', 'claude-sonnet-4-5', 'claude-sonnet-4-5-20250929',
    ];
    for (const model of sdkModels) {
      const res = await post(fake, '/v1/messages', request({ model, max_tokens: 16 }));
      assert.equal(res.status, 200, `${model}: ${res.text}`);
    }
  });
});
