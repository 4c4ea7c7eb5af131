// Every API request leaves one usage record, built from what the request learned and priced from the table:
// chat (streamed or not), the Anthropic pass-through, count_tokens, errors and rate limits; refused and
// unmetered requests leave none. The record exists by the time the client has its response.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { costUsd } from '../../src/usage/cost.ts';
import type { UsageRecord } from '../../src/usage/record.ts';
import { ADMIN_KEY, GATEWAY_KEY, startHarness, type Harness } from '../helpers/harness.ts';

let h: Harness;
before(async () => {
  h = await startHarness({ config: { usageFlushMs: 600_000 } });
});
after(() => h.close());

const auth = { authorization: `Bearer ${GATEWAY_KEY}`, 'user-agent': 'RooCode/3.0' };
const chat = (payload: object, headers: Record<string, string> = auth) => h.app.inject({ method: 'POST', url: '/v1/chat/completions', headers, payload });

async function recordOf(id: unknown): Promise<UsageRecord | undefined> {
  const res = await h.app.inject({ method: 'GET', url: `/admin/requests/${String(id)}`, headers: { authorization: `Bearer ${ADMIN_KEY}` } });
  return res.statusCode === 200 ? (res.json() as UsageRecord) : undefined;
}

describe('usage records', () => {
  test('a chat completion: tokens from the upstream usage, cost from the price table, written before the response ended', async () => {
    const store = h.app.gatewayContext.store;
    const pendingBefore = store.usage.pending();
    const res = await chat({ model: 'sonnet', messages: [{ role: 'user', content: 'Hello there, how are you?' }] });
    assert.equal(res.statusCode, 200);
    assert.equal(store.usage.pending(), pendingBefore + 1, 'journaled and queued by the time the client had the answer');

    const usage = res.json().usage;
    const record = (await recordOf(res.headers['x-request-id']))!;
    const price = store.prices.table().get('claude-sonnet-5-5');
    assert.deepEqual(
      { ...record, ts: 'x', latencyMs: 0, ttftMs: 0 },
      {
        id: res.headers['x-request-id'], ts: 'x', projectId: 'default', keyId: record.keyId, client: 'RooCode/3.0', endpoint: 'chat',
        requestedModel: 'sonnet', model: 'claude-sonnet-5-5', routeReason: 'alias', stream: false, status: 200, errorType: null,
        latencyMs: 0, ttftMs: 0, tokensBefore: null, tokensAfter: null, reductionByLayer: {},
        inputTokens: usage.prompt_tokens - usage.prompt_tokens_details.cached_tokens - usage.cache_creation_input_tokens,
        cacheWriteTokens: usage.cache_creation_input_tokens, cacheReadTokens: usage.prompt_tokens_details.cached_tokens,
        outputTokens: usage.completion_tokens,
        costUsd: costUsd({ inputTokens: usage.prompt_tokens, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, cacheReadTokens: 0, outputTokens: usage.completion_tokens }, price),
        baselineCostUsd: record.costUsd, cacheHit: null, batch: false, thinking: null,
      },
    );
    assert.ok(record.costUsd > 0);
    assert.match(record.ts, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    assert.ok(record.latencyMs >= 0 && record.ttftMs !== null);
  });

  test('a stream is recorded once it has ended, with the usage of its last event', async () => {
    const res = await chat({ model: 'opus', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'Stream please' }] });
    assert.equal(res.statusCode, 200);
    const frames = res.body.split('\n\n').filter((f) => f.startsWith('data: {'));
    const usage = JSON.parse(frames[frames.length - 1]!.slice(6)).usage;
    const record = (await recordOf(res.headers['x-request-id']))!;
    assert.equal(record.stream, true);
    assert.equal(record.model, 'claude-opus-5-5');
    assert.equal(record.outputTokens, usage.completion_tokens);
    assert.equal(record.inputTokens, usage.prompt_tokens);
    assert.ok(record.outputTokens > 0);
  });

  test('the Anthropic pass-through and count_tokens are recorded under their endpoints', async () => {
    const headers = { ...auth, 'anthropic-version': '2023-06-01' };
    const body = { model: 'claude-haiku-4-5', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] };
    const message = await h.app.inject({ method: 'POST', url: '/v1/messages', headers, payload: body });
    const counted = await h.app.inject({ method: 'POST', url: '/v1/messages/count_tokens', headers, payload: { model: body.model, messages: body.messages } });
    const m = (await recordOf(message.headers['x-request-id']))!;
    const c = (await recordOf(counted.headers['x-request-id']))!;
    assert.deepEqual([m.endpoint, m.model, m.outputTokens > 0, m.inputTokens, m.costUsd > 0], ['messages', 'claude-haiku-4-5', true, message.json().usage.input_tokens, true]);
    assert.deepEqual([c.endpoint, c.status, c.inputTokens, c.outputTokens, c.costUsd], ['count_tokens', 200, 0, 0, 0]);
  });

  test('1-hour cache writes are priced at their own rate, streamed or not', async () => {
    const store = h.app.gatewayContext.store;
    const price = store.prices.table().get('claude-sonnet-5-5')!;
    const headers = { ...auth, 'anthropic-version': '2023-06-01' };
    for (const stream of [false, true]) {
      h.fake.reset();
      const system = [{ type: 'text', text: `${stream ? 'Streamed' : 'Plain'} rules. ${'Keep answers short and exact. '.repeat(400)}`, cache_control: { type: 'ephemeral', ttl: '1h' } }];
      const res = await h.app.inject({
        method: 'POST',
        url: '/v1/messages',
        headers,
        payload: { model: 'claude-sonnet-5-5', max_tokens: 50, stream, system, messages: [{ role: 'user', content: 'hi' }] },
      });
      assert.equal(res.statusCode, 200, res.body);
      const record = (await recordOf(res.headers['x-request-id']))!;
      assert.ok(record.cacheWriteTokens > 1000, `cache written (${record.cacheWriteTokens})`);
      const expected = costUsd(
        { inputTokens: record.inputTokens, cacheWrite5mTokens: 0, cacheWrite1hTokens: record.cacheWriteTokens, cacheReadTokens: 0, outputTokens: record.outputTokens },
        price,
      );
      assert.equal(record.costUsd, expected, `stream: ${stream}`);
    }
  });

  test('the chat route reads the 1-hour split too, streamed or not', async () => {
    const price = h.app.gatewayContext.store.prices.table().get('claude-sonnet-5-5')!;
    for (const stream of [false, true]) {
      h.fake.reset();
      const system = { role: 'system', content: [{ type: 'text', text: `Chat ${stream} rules. ${'Be exact. '.repeat(1500)}`, cache_control: { type: 'ephemeral', ttl: '1h' } }] };
      const res = await chat({ model: 'claude-sonnet-5-5', stream, messages: [system, { role: 'user', content: 'hi' }] });
      const record = (await recordOf(res.headers['x-request-id']))!;
      assert.ok(record.cacheWriteTokens > 1000, `cache written (${record.cacheWriteTokens})`);
      const oneHour = { inputTokens: record.inputTokens, cacheWrite5mTokens: 0, cacheWrite1hTokens: record.cacheWriteTokens, cacheReadTokens: 0, outputTokens: record.outputTokens };
      assert.equal(record.costUsd, costUsd(oneHour, price), `stream: ${stream}`);
    }
  });

  test('an error answer is recorded with its status and type', async () => {
    const res = await chat({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(res.statusCode, 404);
    const record = (await recordOf(res.headers['x-request-id']))!;
    assert.deepEqual([record.status, record.errorType, record.endpoint, record.costUsd], [404, 'model_not_found', 'chat', 0]);
  });

  test('refused, unauthenticated and unmetered requests leave no record', async () => {
    const store = h.app.gatewayContext.store;
    store.usage.flush();
    const before = store.db.prepare('SELECT COUNT(*) AS n FROM usage_records').get() as { n: number };
    await chat({ model: 'sonnet', messages: [{ role: 'user', content: 'hi' }] }, {});
    await chat({ model: 'sonnet', messages: [{ role: 'user', content: 'hi' }] }, { authorization: 'Bearer wrong-key-wrong-key' });
    await h.app.inject({ method: 'GET', url: '/v1/models', headers: auth });
    await h.app.inject({ method: 'GET', url: '/health' });
    await h.app.inject({ method: 'GET', url: '/admin/usage', headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    store.usage.flush();
    assert.deepEqual(store.db.prepare('SELECT COUNT(*) AS n FROM usage_records').get(), before);
  });
});

describe('usage records of streams the client left', () => {
  test('recorded once the connection closes, as client_aborted, with the input the upstream had billed', async () => {
    const listening = await startHarness({ listen: true });
    try {
      listening.fake.setResponder(() => ({ content: [{ type: 'text', text: 'a b c d e f g h i j k l m n o p' }], eventDelayMs: 150 }));
      const abort = new AbortController();
      const res = await fetch(`${listening.baseURL}/chat/completions`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'sonnet', stream: true, messages: [{ role: 'user', content: 'tell me slowly' }] }),
        signal: abort.signal,
      });
      const id = res.headers.get('x-request-id');
      const reader = res.body!.getReader();
      await reader.read();
      abort.abort();
      const store = listening.app.gatewayContext.store;
      let record;
      for (let i = 0; i < 50 && !record; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        store.usage.flush();
        record = (await listening.app.inject({ method: 'GET', url: `/admin/requests/${id}`, headers: { authorization: `Bearer ${ADMIN_KEY}` } })).json();
        if (record.error) record = undefined;
      }
      assert.ok(record, 'recorded');
      assert.equal(record.errorType, 'client_aborted');
      assert.equal(record.stream, true);
      assert.ok(record.inputTokens > 0, 'the input side of the usage is known from message_start');
    } finally {
      await listening.close();
    }
  });
});

describe('usage records of rate-limited requests', () => {
  test('a request refused by the rate limit is recorded as a 429 on its endpoint', async () => {
    const limited = await startHarness({ config: { rateLimitEnabled: true, rateLimitRpm: 1, rateLimitTpm: 0 } });
    try {
      const send = () => limited.app.inject({ method: 'POST', url: '/v1/chat/completions', headers: auth, payload: { model: 'sonnet', messages: [{ role: 'user', content: 'hi' }] } });
      assert.equal((await send()).statusCode, 200);
      const refused = await send();
      assert.equal(refused.statusCode, 429);
      const res = await limited.app.inject({ method: 'GET', url: `/admin/requests/${String(refused.headers['x-request-id'])}`, headers: { authorization: `Bearer ${ADMIN_KEY}` } });
      assert.deepEqual([res.json().endpoint, res.json().status, res.json().projectId], ['chat', 429, 'default']);
    } finally {
      await limited.close();
    }
  });
});
