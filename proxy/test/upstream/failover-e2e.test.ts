// Balancing and failover over several upstreams at once, driven through a listening gateway with the openai
// SDK: weights, stickiness, failover on every fault class before the first byte (and none after it), a drained
// upstream avoided before it answers 429, and circuits per upstream and model. Each failover case adds a row
// to the fault table printed at the end (fault, upstream, what the client got, who answered).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { ADMIN_KEY, GATEWAY_KEY } from '../helpers/harness.ts';
import { startUpstreamLab, type UpstreamLab } from '../helpers/upstream-lab.ts';
import type { FakeAnthropic } from '../fake-anthropic/index.ts';

const MODEL = 'claude-sonnet-5-5';
const faultTable: string[][] = [];

/** A deterministic dice for the balancer, so weight shares do not depend on luck. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

function client(lab: UpstreamLab): OpenAI {
  return new OpenAI({ baseURL: lab.h.baseURL, apiKey: GATEWAY_KEY, maxRetries: 0 });
}

function conversation(topic: string) {
  return [{ role: 'user' as const, content: `Conversation about ${topic}.` }];
}

async function ask(lab: UpstreamLab, topic: string, stream = false): Promise<{ upstream: string | null; status: number; text: string }> {
  try {
    if (!stream) {
      const { data, response } = await client(lab).chat.completions.create({ model: MODEL, messages: conversation(topic), max_tokens: 32 }).withResponse();
      return { upstream: response.headers.get('x-upstream'), status: response.status, text: data.choices[0]!.message.content ?? '' };
    }
    const { data, response } = await client(lab).chat.completions.create({ model: MODEL, messages: conversation(topic), max_tokens: 32, stream: true }).withResponse();
    let text = '';
    try {
      for await (const chunk of data) text += chunk.choices[0]?.delta?.content ?? '';
    } catch (error) {
      return { upstream: response.headers.get('x-upstream'), status: response.status, text: `${text} [stream error: ${(error as Error).message}]` };
    }
    return { upstream: response.headers.get('x-upstream'), status: response.status, text };
  } catch (error) {
    const e = error as { status?: number; headers?: Headers; error?: { code?: string } };
    return { upstream: e.headers?.get('x-upstream') ?? null, status: e.status ?? 0, text: `error ${e.error?.code ?? ''}` };
  }
}


describe('balancing', () => {
  let lab: UpstreamLab;
  before(async () => {
    lab = await startUpstreamLab({ weights: { primary: 3, secondary: 1 }, harness: { deps: { random: seeded(7) } } });
  });
  after(() => lab.close());

  test('new conversations are spread by weight (3:1)', async () => {
    const counts: Record<string, number> = {};
    for (let i = 0; i < 120; i++) {
      const { upstream } = await ask(lab, `topic ${i}`);
      counts[upstream!] = (counts[upstream!] ?? 0) + 1;
    }
    const share = counts.primary! / 120;
    assert.ok(share > 0.62 && share < 0.88, `primary share ${share}`);
    assert.equal(counts.primary! + counts.secondary!, 120);
  });

  test('a conversation stays on the upstream of its first turn', async () => {
    const first = await ask(lab, 'a long refactoring');
    for (let turn = 0; turn < 8; turn++) assert.equal((await ask(lab, 'a long refactoring')).upstream, first.upstream);
  });
});

describe('failover before the first byte', () => {
  let lab: UpstreamLab;
  // primary takes every new conversation (secondary is a weight-0 standby), so faults on primary are seen.
  before(async () => {
    lab = await startUpstreamLab({ weights: { primary: 1, secondary: 0 } });
  });
  after(() => lab.close());

  const faults: Array<[string, Parameters<FakeAnthropic['setResponder']>[0]]> = [
    // retry-after 0: the 429 does not keep primary drained for the cases after this one.
    ['429 rate_limit_error', () => ({ error: { status: 429, type: 'rate_limit_error', message: 'Number of requests has exceeded your rate limit', headers: { 'retry-after': '0' } } })],
    ['529 overloaded_error', () => ({ error: { status: 529, type: 'overloaded_error', message: 'Overloaded' } })],
    ['500 api_error', () => ({ error: { status: 500, type: 'api_error', message: 'Internal server error' } })],
    ['503 (unavailable)', () => ({ error: { status: 503, type: 'api_error', message: 'Service unavailable' } })],
  ];
  for (const [fault, responder] of faults) {
    for (const stream of [false, true]) {
      test(`${fault} on primary${stream ? ' (stream)' : ''}: secondary answers`, async () => {
        lab.primary.setResponder(responder);
        const before = lab.secondary.requests.length;
        const got = await ask(lab, `${fault} ${stream}`, stream);
        lab.primary.setResponder(undefined);
        assert.equal(got.status, 200);
        assert.equal(got.upstream, 'secondary');
        assert.ok(got.text.length > 0);
        assert.equal(lab.secondary.requests.length, before + 1);
        faultTable.push([fault + (stream ? ', stream' : ''), 'primary (anthropic)', `200 ${stream ? 'stream' : 'JSON'}`, 'secondary']);
      });
    }
  }

  test('an error event before the first content byte moves the retry to another upstream', async () => {
    lab.primary.setResponder(() => ({ errorEventAfter: 0, errorEvent: { type: 'overloaded_error', message: 'Overloaded' } }));
    const got = await ask(lab, 'opening error', true);
    lab.primary.setResponder(undefined);
    assert.equal(got.status, 200);
    assert.equal(got.upstream, 'secondary');
    faultTable.push(['overloaded_error event inside a 200 stream, before content', 'primary (anthropic)', '200 stream', 'secondary']);
  });

  test('after the first byte there is no failover: the stream ends with an error', async () => {
    lab.primary.setResponder(() => ({ content: [{ type: 'text', text: 'a fairly long answer that will be cut off half way through its words' }], dropAfter: 5 }));
    const before = lab.secondary.requests.length;
    const got = await ask(lab, 'cut mid stream', true);
    lab.primary.setResponder(undefined);
    assert.equal(got.status, 200);
    assert.equal(got.upstream, 'primary');
    assert.match(got.text, /stream error/);
    assert.equal(lab.secondary.requests.length, before, 'nothing was sent to another upstream');
    faultTable.push(['connection dropped mid-stream (after first byte)', 'primary (anthropic)', '200 stream, then an error frame', 'primary (no failover)']);
  });

});

describe('clouds in the chain', () => {
  let lab: UpstreamLab;
  before(async () => {
    lab = await startUpstreamLab({ weights: { primary: 1, secondary: 0, bedrock: 0, vertex: 0 } });
  });
  after(() => lab.close());

  test('Bedrock throttling and Vertex quota errors fail over like Anthropic ones', async () => {
    lab.primary.setResponder(() => ({ error: { status: 529, type: 'overloaded_error', message: 'Overloaded' } }));
    lab.secondary.setResponder(() => ({ error: { status: 429, type: 'rate_limit_error', message: 'rate limited' } }));
    lab.bedrock.setResponder(() => ({ error: { status: 429, type: 'rate_limit_error', message: 'Too many requests' } }));
    const got = await ask(lab, 'everyone busy but vertex');
    assert.equal(got.status, 200);
    assert.equal(got.upstream, 'vertex');
    faultTable.push(['529 on primary, 429 on secondary, ThrottlingException on bedrock', 'primary, secondary, bedrock', '200 JSON', 'vertex']);
    lab.vertex.setResponder(() => ({ error: { status: 429, type: 'rate_limit_error', message: 'quota' } }));
    const none = await ask(lab, 'everyone busy');
    assert.equal(none.status, 429);
    faultTable.push(['every upstream failing (529, 429, Throttling, RESOURCE_EXHAUSTED)', 'all four', '429 rate_limit_exceeded (OpenAI shape)', 'the last one tried (after retries)']);
    for (const f of [lab.primary, lab.secondary, lab.bedrock, lab.vertex]) f.setResponder(undefined);
  });
});

describe('a refused connection', () => {
  let lab: UpstreamLab;
  before(async () => {
    lab = await startUpstreamLab({ weights: { primary: 1, secondary: 0 } });
  });
  after(() => lab.close());

  test('an upstream that cannot be reached hands over to the next', async () => {
    // The primary goes away entirely: its port refuses connections.
    await lab.primary.close();
    const got = await ask(lab, 'primary is gone', true);
    assert.equal(got.status, 200);
    assert.equal(got.upstream, 'secondary');
    faultTable.push(['connection refused', 'primary (anthropic)', '200 stream', 'secondary']);
  });

  test('when the last upstream cannot be reached either, the error names it', async () => {
    await lab.secondary.close();
    const res = await fetch(`${lab.h.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${GATEWAY_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: MODEL, messages: conversation('nobody home'), max_tokens: 16 }),
    });
    assert.equal(res.status, 502);
    const body = (await res.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'upstream_unreachable');
    assert.match(body.error.message, /^Upstream "(primary|secondary)" \(anthropic\) could not be reached/);
    assert.doesNotMatch(body.error.message, /sk-ant/);
    faultTable.push(['connection refused on every upstream', 'primary, secondary', '502 upstream_unreachable naming the upstream', 'nobody']);
  });
});

describe('headroom and circuits', () => {
  let lab: UpstreamLab;
  before(async () => {
    lab = await startUpstreamLab({
      weights: { primary: 1, secondary: 1 },
      harness: { deps: { random: seeded(3) }, config: { circuitBreakerEnabled: true, circuitBreakerThreshold: 2, circuitBreakerTimeoutMs: 60_000 } },
    });
  });
  after(() => lab.close());

  test('a drained upstream gets no new conversations before it would answer 429', async () => {
    const reset = new Date(Date.now() + 60_000).toISOString();
    const drained = { 'anthropic-ratelimit-requests-limit': '100', 'anthropic-ratelimit-requests-remaining': '0', 'anthropic-ratelimit-requests-reset': reset };
    lab.primary.setResponder(() => ({ headers: drained }));
    lab.secondary.setResponder(() => ({ headers: drained }));
    // Whichever answers first reports itself drained; after that every new conversation avoids it.
    const first = await ask(lab, 'drain probe');
    const other = first.upstream === 'primary' ? 'secondary' : 'primary';
    (first.upstream === 'primary' ? lab.secondary : lab.primary).setResponder(undefined);
    const drainedFake = first.upstream === 'primary' ? lab.primary : lab.secondary;
    const before = drainedFake.requests.length;
    for (let i = 0; i < 10; i++) assert.equal((await ask(lab, `after drain ${i}`)).upstream, other);
    assert.equal(drainedFake.requests.length, before, 'the drained upstream was not asked again');
    faultTable.push(['rate-limit headers say 0 requests remaining (no 429 yet)', first.upstream!, '200 JSON', `${other} (steered away before a 429)`]);
    lab.primary.setResponder(undefined);
    lab.secondary.setResponder(undefined);
  });

  test('/health shows each upstream: state, headroom, traffic, no secrets', async () => {
    const res = await fetch(lab.h.baseURL.replace(/\/v1$/, '') + '/health');
    const text = await res.text();
    const body = JSON.parse(text);
    assert.deepEqual(body.upstreams.map((u: { name: string }) => u.name), ['primary', 'secondary']);
    assert.ok(body.upstreams.some((u: { state: string }) => u.state === 'drained'));
    assert.ok(body.upstreams.every((u: { traffic: { requests: number } }) => u.traffic.requests > 0));
    assert.doesNotMatch(text, /sk-ant-fake/);
  });

  test('metrics carry each upstream: state, headroom, attempts', async () => {
    const res = await fetch(lab.h.baseURL.replace(/\/v1$/, '') + '/admin/metrics', { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    const text = await res.text();
    assert.match(text, /gateway_upstream_state\{upstream="primary",provider="anthropic"\} [012]/);
    assert.match(text, /gateway_upstream_headroom_ratio\{upstream="(primary|secondary)"\} 0/);
    assert.match(text, /gateway_upstream_attempts_total\{upstream="secondary"\} [1-9]/);
    assert.doesNotMatch(text, /sk-ant-fake/);
  });
});

describe('circuits per upstream and model', () => {
  let lab: UpstreamLab;
  before(async () => {
    lab = await startUpstreamLab({
      weights: { primary: 1, secondary: 0 },
      harness: { config: { circuitBreakerEnabled: true, circuitBreakerThreshold: 2, circuitBreakerTimeoutMs: 60_000, retryMaxAttempts: 1 } },
    });
  });
  after(() => lab.close());

  test('a failing upstream opens its circuit for the model and is skipped while it is open', async () => {
    lab.primary.setResponder(() => ({ error: { status: 500, type: 'api_error', message: 'Internal server error' } }));
    for (let i = 0; i < 2; i++) assert.equal((await ask(lab, `failing ${i}`)).upstream, 'secondary');
    const before = lab.primary.requests.length;
    assert.equal((await ask(lab, 'circuit open now')).upstream, 'secondary');
    assert.equal(lab.primary.requests.length, before, 'primary was skipped while its circuit is open');
    const health = await (await fetch(lab.h.baseURL.replace(/\/v1$/, '') + '/health')).json() as { upstreams: Array<{ name: string; state: string }> };
    assert.equal(health.upstreams.find((u) => u.name === 'primary')!.state, 'failing');
    faultTable.push(['500 twice in a row (circuit opens)', 'primary (anthropic)', '200 JSON', 'secondary; primary not asked until the circuit half-opens']);
  });
});

after(() => {
  const rows = [['fault', 'upstream', 'client got', 'who answered'], ...faultTable];
  console.log(`\nFault table\n${rows.map((r) => `| ${r.join(' | ')} |`).join('\n')}\n`);
});
