// Token reduction and the response cache on the live chat path: prompt-cache reads from the second turn of a
// session on, X-Reduction and X-Cache, cached answers as JSON and as a replayed stream, and what is recorded.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEFAULT_REDUCTION_SETTINGS } from '../../src/reduce/settings.ts';
import { ADMIN_KEY, startHarness, type Harness } from '../helpers/harness.ts';

const SYSTEM = 'You are a careful coding agent working in a TypeScript repository. '.repeat(120);
const tools = [
  { type: 'function', function: { name: 'read_file', description: 'Read a file', parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } } },
];

let h: Harness;
before(async () => {
  h = await startHarness({ config: { reduction: DEFAULT_REDUCTION_SETTINGS, cacheTtlSeconds: 600 } });
});
after(() => h.close());

function chat(body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return h.app.inject({ method: 'POST', url: '/v1/chat/completions', headers: { ...h.auth, ...headers }, payload: body });
}

function waitForRecords() {
  return new Promise((resolve) => setTimeout(resolve, 150));
}

describe('token reduction on the chat path', () => {
  test('a multi-turn session reads the prompt cache from its second turn on', async () => {
    const messages: Array<Record<string, unknown>> = [{ role: 'system', content: SYSTEM }];
    const reads: number[] = [];
    for (let turn = 1; turn <= 4; turn++) {
      messages.push({ role: 'user', content: `Step ${turn}: explain what module ${turn} does in one line.` });
      const res = await chat({ model: 'sonnet', messages, tools });
      assert.equal(res.statusCode, 200, res.body);
      assert.match(String(res.headers['x-reduction']), /cacheControl/);
      const body = res.json();
      reads.push(body.usage.prompt_tokens_details.cached_tokens);
      messages.push({ role: 'assistant', content: body.choices[0].message.content });
    }
    assert.equal(reads[0], 0);
    for (const read of reads.slice(1)) assert.ok(read > 0, `expected cache reads from turn 2 on, got ${reads.join(', ')}`);
    const upstream = h.fake.requests.filter((r) => r.path === '/v1/messages').at(-1)!;
    const marks = JSON.stringify(upstream.body).match(/"cache_control"/g) ?? [];
    assert.ok(marks.length >= 1 && marks.length <= 4);
  });

  test('each request records its reduction for the dashboard', async () => {
    const res = await chat({ model: 'sonnet', messages: [{ role: 'system', content: SYSTEM }, { role: 'user', content: 'record me' }] });
    assert.equal(res.statusCode, 200);
    await waitForRecords();
    const id = String(res.headers['x-request-id']);
    const recorded = await h.app.inject({ method: 'GET', url: `/admin/requests/${id}`, headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    assert.equal(recorded.statusCode, 200, recorded.body);
    const record = recorded.json();
    assert.ok(record.tokensBefore > 0);
    assert.ok(record.tokensAfter > 0);
    assert.equal(typeof record.reductionByLayer, 'object');
  });
});

describe('response cache', () => {
  const deterministic = { model: 'sonnet', temperature: 0, messages: [{ role: 'user', content: 'What is 2 + 2? Answer with the digit.' }] };

  test('a repeated deterministic request is answered from the cache, without an upstream call', async () => {
    const first = await chat(deterministic);
    assert.equal(first.headers['x-cache'], 'MISS');
    const calls = h.fake.requests.length;
    const second = await chat(deterministic);
    assert.equal(second.statusCode, 200);
    assert.equal(second.headers['x-cache'], 'HIT');
    assert.equal(h.fake.requests.length, calls, 'no upstream call on a hit');
    assert.equal(second.json().choices[0].message.content, first.json().choices[0].message.content);
    assert.notEqual(second.json().id, first.json().id);

    await waitForRecords();
    const recorded = await h.app.inject({ method: 'GET', url: `/admin/requests/${second.headers['x-request-id']}`, headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    assert.equal(recorded.json().cacheHit, 'response');
    assert.equal(recorded.json().costUsd, 0);
  });

  test('a streamed answer is cached and replayed as a proper stream', async () => {
    const body = { ...deterministic, messages: [{ role: 'user', content: 'Name a prime number.' }], stream: true, stream_options: { include_usage: true } };
    const miss = await chat(body);
    assert.equal(miss.headers['x-cache'], 'MISS');
    const calls = h.fake.requests.length;
    const hit = await chat(body);
    assert.equal(hit.headers['x-cache'], 'HIT');
    assert.equal(h.fake.requests.length, calls);
    const text = (raw: string) =>
      raw
        .split('\n\n')
        .filter((f) => f.startsWith('data: {'))
        .map((f) => JSON.parse(f.slice(6)))
        .map((c) => c.choices[0]?.delta?.content ?? '')
        .join('');
    assert.equal(text(hit.body), text(miss.body));
    assert.match(hit.body, /data: \[DONE\]\n\n$/);
    assert.match(hit.body, /"role":"assistant"/);
  });

  test('nondeterministic tool-less requests and opted-out clients bypass the cache', async () => {
    const loose = await chat({ model: 'sonnet', messages: [{ role: 'user', content: 'Write a haiku.' }] });
    assert.equal(loose.headers['x-cache'], 'BYPASS');
    const optedOut = await chat(deterministic, { 'cache-control': 'no-cache' });
    assert.equal(optedOut.headers['x-cache'], 'BYPASS');
  });
});

describe('PROMPT_CACHE_TTL', () => {
  test('a fixed lifetime is what the breakpoints carry', async () => {
    const fixed = await startHarness({ config: { reduction: { ...DEFAULT_REDUCTION_SETTINGS, promptCacheTtl: '1h' } } });
    try {
      const res = await fixed.app.inject({
        method: 'POST',
        url: '/v1/chat/completions',
        headers: fixed.auth,
        payload: { model: 'sonnet', messages: [{ role: 'system', content: SYSTEM }, { role: 'user', content: 'one hour please' }] },
      });
      assert.equal(res.statusCode, 200, res.body);
      const sent = JSON.stringify(fixed.fake.requests.at(-1)!.body);
      assert.match(sent, /"cache_control":\{"type":"ephemeral","ttl":"1h"\}/);
      assert.doesNotMatch(sent, /"ttl":"5m"/);
    } finally {
      await fixed.close();
    }
  });
});
