// Fault injection against the fake Anthropic. Each case checks what the client saw, what the upstream received
// and what the gateway recorded (the usage record, the error events, the circuit states in /health).
import assert from 'node:assert/strict';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { GatewayConfig } from '../../src/config/config.ts';
import type { GatewayDeps } from '../../src/http/app.ts';
import { createErrorRing, type ErrorRing } from '../../src/reliability/error-events.ts';
import type { FakePlan, RecordedRequest } from '../fake-anthropic/types.ts';
import { ADMIN_KEY, GATEWAY_KEY, startHarness, type Harness } from '../helpers/harness.ts';

const SONNET = 'claude-sonnet-5-5';
const OPUS = 'claude-opus-5-5';
const auth = { authorization: `Bearer ${GATEWAY_KEY}` };
const anthropicAuth = { 'x-api-key': GATEWAY_KEY, 'anthropic-version': '2023-06-01' };

interface Rig {
  h: Harness;
  errors: ErrorRing;
  waits: number[];
  clock: { now: number };
}

/** A gateway with reliability on, an error ring to read, a recorded (instant) sleep and a settable clock. */
async function rig(config: Partial<GatewayConfig> = {}, deps: GatewayDeps = {}, listen = false): Promise<Rig> {
  const errors = createErrorRing();
  const waits: number[] = [];
  const clock = { now: Date.parse('2026-11-20T10:00:00Z') };
  const h = await startHarness({
    listen,
    config: { retryEnabled: true, retryMaxAttempts: 3, retryBackoffBaseMs: 100, circuitBreakerEnabled: false, ...config },
    deps: {
      errorSink: errors,
      sleep: async (ms) => {
        waits.push(ms);
      },
      random: () => 0.5,
      now: () => clock.now,
      ...deps,
    },
  });
  return { h, errors, waits, clock };
}

const calls = (h: Harness): RecordedRequest[] => h.fake.requests.filter((r) => r.path === '/v1/messages');

function chat(h: Harness, payload: object) {
  return h.app.inject({ method: 'POST', url: '/v1/chat/completions', headers: auth, payload });
}

async function usageRecord(h: Harness, id: unknown): Promise<Record<string, any>> {
  const res = await h.app.inject({ method: 'GET', url: `/admin/requests/${String(id)}`, headers: { authorization: `Bearer ${ADMIN_KEY}` } });
  assert.equal(res.statusCode, 200, `usage record ${String(id)}: ${res.body}`);
  return res.json();
}

function dataFrames(body: string): any[] {
  return body
    .split('\n\n')
    .filter((f) => f.startsWith('data: ') && f !== 'data: [DONE]')
    .map((f) => JSON.parse(f.slice(6)));
}

const streamedText = (frames: any[]) => frames.map((c) => c.choices?.[0]?.delta?.content ?? '').join('');

/** Plans in order for successive upstream calls; the last one repeats. */
function sequence(...plans: FakePlan[]) {
  let i = 0;
  return () => plans[Math.min(i++, plans.length - 1)]!;
}

async function eventually(check: () => boolean, what: string, ms = 2_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * An upstream that opens a stream and falls silent: the first request gets only message_start, every later one
 * a little text as well. It never sends pings.
 */
async function silentUpstream() {
  const requests: Array<{ closed: boolean }> = [];
  const event = (type: string, data: object) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
  const server = createServer((req, res) => {
    const seen = { closed: false };
    requests.push(seen);
    res.on('close', () => (seen.closed = true));
    req.resume();
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(event('message_start', { message: { id: 'msg_silent', type: 'message', role: 'assistant', model: SONNET, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 5, output_tokens: 1 } } }));
    if (requests.length > 1) {
      res.write(event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }));
      res.write(event('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'partial' } }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A POST through node:http that can hang up at any point. (Node's fetch opens a spare connection after an abort,
 * which a closing server then waits on.)
 */
function rawPost(url: string, body: object) {
  let status = 0;
  let resolveFirst!: (text: string) => void;
  const firstChunk = new Promise<string>((resolve) => (resolveFirst = resolve));
  const req = httpRequest(url, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' } }, (res) => {
    status = res.statusCode ?? 0;
    res.once('data', (chunk: Buffer) => resolveFirst(chunk.toString()));
    res.on('error', () => undefined);
  });
  req.on('error', () => undefined);
  req.end(JSON.stringify(body));
  return { firstChunk, status: () => status, disconnect: () => req.destroy() };
}

const question = { model: 'sonnet', messages: [{ role: 'user', content: 'Hello there' }] };
const OK: FakePlan = { content: [{ type: 'text', text: 'fine, thanks' }] };

describe('retries', () => {
  let r: Rig;
  before(async () => {
    r = await rig();
  });
  after(() => r.h.close());
  beforeEach(() => {
    r.h.fake.reset();
    r.waits.length = 0;
  });

  test('a 429 with retry-after is retried after exactly that wait', async () => {
    r.h.fake.setResponder(sequence({ error: { status: 429, type: 'rate_limit_error', message: 'slow down', headers: { 'retry-after': '2' } } }, OK));
    const res = await chat(r.h, question);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().choices[0].message.content, 'fine, thanks');
    assert.deepEqual(r.waits, [2_000]);
    const sent = calls(r.h);
    assert.equal(sent.length, 2);
    assert.deepEqual(sent[1]!.body, sent[0]!.body, 'the same request, byte for byte');
    const event = r.errors.recent(1)[0]!;
    assert.deepEqual({ ...event, id: '', ts: '' }, {
      id: '', ts: '', requestId: res.headers['x-request-id'], projectId: 'default', model: SONNET,
      type: 'rate_limit_error', status: 429, attempt: 1, message: 'slow down',
    });
    const record = await usageRecord(r.h, res.headers['x-request-id']);
    assert.deepEqual([record.status, record.model, record.errorType], [200, SONNET, null]);
  });

  test('a retry-after longer than RETRY_MAX_DELAY_SECONDS is handed to the client at once', async () => {
    r.h.fake.setResponder(() => ({ error: { status: 429, type: 'rate_limit_error', message: 'slow down', headers: { 'retry-after': '30' } } }));
    const res = await chat(r.h, question);
    assert.equal(res.statusCode, 429);
    assert.equal(res.headers['retry-after'], '30');
    assert.equal(res.json().error.type, 'rate_limit_error');
    assert.deepEqual(r.waits, []);
    assert.equal(calls(r.h).length, 1);
  });

  test('server errors back off exponentially with jitter, then the last error reaches the client', async () => {
    r.h.fake.setResponder(() => ({ error: { status: 500, type: 'api_error', message: 'Internal server error' } }));
    const res = await chat(r.h, question);
    assert.equal(res.statusCode, 502);
    assert.equal(res.json().error.code, 'upstream_error');
    assert.deepEqual(r.waits, [75, 150], 'base 100 ms, doubled, half of it jitter (random 0.5)');
    assert.equal(calls(r.h).length, 3);
    const events = r.errors.recent(3).filter((e) => e.requestId === res.headers['x-request-id']);
    assert.deepEqual(events.map((e) => [e.type, e.status, e.attempt]), [[ 'api_error', 500, 3 ], [ 'api_error', 500, 2 ], [ 'api_error', 500, 1 ]]);
    const record = await usageRecord(r.h, res.headers['x-request-id']);
    assert.deepEqual([record.status, record.errorType], [502, 'upstream_error']);
  });

  test('a 400 is not retried', async () => {
    r.h.fake.setResponder(() => ({ error: { status: 400, type: 'invalid_request_error', message: 'messages: bad' } }));
    const res = await chat(r.h, question);
    assert.equal(res.statusCode, 400);
    assert.equal(calls(r.h).length, 1);
  });

  test('an error event before any content (200, then error) is retried; the client sees one clean stream', async () => {
    r.h.fake.setResponder(sequence({ ...OK, errorEventAfter: 0 }, OK));
    const res = await chat(r.h, { ...question, stream: true });
    assert.equal(res.statusCode, 200);
    assert.equal(streamedText(dataFrames(res.body)), 'fine, thanks');
    assert.ok(res.body.endsWith('data: [DONE]\n\n'));
    assert.equal(calls(r.h).length, 2);
    assert.deepEqual(r.errors.recent(1).map((e) => [e.type, e.status, e.attempt]), [['overloaded_error', 503, 1]]);
  });

  test('an error event after content has gone out is not retried: the stream ends with an error frame', async () => {
    r.h.fake.setResponder(() => ({ content: [{ type: 'text', text: 'one two three four five six seven' }], errorEventAfter: 3 }));
    const res = await chat(r.h, { ...question, stream: true });
    assert.equal(res.statusCode, 200);
    const frames = dataFrames(res.body);
    assert.ok(streamedText(frames).length > 0, 'partial content delivered');
    assert.deepEqual(frames.at(-1), { error: { message: 'Overloaded', type: 'overloaded_error', param: null, code: 'overloaded' } });
    assert.ok(!res.body.includes('[DONE]'));
    assert.equal(calls(r.h).length, 1);
    assert.deepEqual(r.errors.recent(1).map((e) => [e.type, e.status, e.requestId]), [['overloaded_error', 503, res.headers['x-request-id']]]);
    const record = await usageRecord(r.h, res.headers['x-request-id']);
    assert.deepEqual([record.status, record.errorType], [200, 'overloaded']);
  });

  test('a connection dropped before any content is retried', async () => {
    r.h.fake.setResponder(sequence({ ...OK, dropAfter: 1 }, OK));
    const res = await chat(r.h, { ...question, stream: true });
    assert.equal(res.statusCode, 200);
    assert.equal(streamedText(dataFrames(res.body)), 'fine, thanks');
    assert.equal(calls(r.h).length, 2);
    assert.equal(r.errors.recent(1)[0]!.type, 'connection_error');
  });

  test('a connection dropped mid-stream ends the stream with an error frame, not a retry', async () => {
    r.h.fake.setResponder(() => ({ content: [{ type: 'text', text: 'one two three four five six seven eight' }], dropAfter: 5 }));
    const res = await chat(r.h, { ...question, stream: true });
    assert.equal(res.statusCode, 200);
    const frames = dataFrames(res.body);
    assert.ok(streamedText(frames).length > 0);
    assert.equal(frames.at(-1).error.type, 'server_error');
    assert.ok(frames.every((f) => (f.choices?.[0]?.finish_reason ?? null) === null), 'no finish_reason was made up');
    assert.equal(calls(r.h).length, 1);
    assert.equal(r.errors.recent(1)[0]!.type, 'stream_error');
  });

  test('the Anthropic pass-through retries too, and hands over Anthropic\'s own answer when retries run out', async () => {
    const message = { model: 'claude-haiku-4-5', max_tokens: 50, messages: [{ role: 'user', content: 'Hi' }] };
    r.h.fake.setResponder(sequence({ error: { status: 529, type: 'overloaded_error', message: 'Overloaded' } }, OK));
    const ok = await r.h.app.inject({ method: 'POST', url: '/v1/messages', headers: anthropicAuth, payload: message });
    assert.equal(ok.statusCode, 200);
    assert.equal(ok.json().type, 'message');
    assert.equal(calls(r.h).length, 2);

    r.h.fake.reset();
    r.h.fake.setResponder(() => ({ error: { status: 529, type: 'overloaded_error', message: 'Overloaded' } }));
    const failed = await r.h.app.inject({ method: 'POST', url: '/v1/messages', headers: anthropicAuth, payload: message });
    assert.equal(failed.statusCode, 529, 'the status Anthropic sent');
    assert.equal(failed.json().error.type, 'overloaded_error');
    assert.equal(calls(r.h).length, 3);
  });
});

describe('timeouts and cancellation', () => {
  test('a hung upstream times out after UPSTREAM_TIMEOUT_SECONDS on every attempt, each attempt cancelled', async () => {
    const r = await rig({ upstreamTimeoutMs: 150, retryMaxAttempts: 2 });
    try {
      r.h.fake.setResponder(() => ({ hang: true }));
      const started = Date.now();
      const res = await chat(r.h, question);
      assert.equal(res.statusCode, 504);
      assert.equal(res.json().error.code, 'upstream_timeout');
      assert.ok(Date.now() - started >= 300);
      const sent = calls(r.h);
      assert.equal(sent.length, 2);
      await eventually(() => sent.every((c) => c.aborted), 'both upstream requests to be aborted');
      assert.deepEqual(r.errors.recent(2).map((e) => [e.type, e.status, e.attempt]), [['timeout_error', 504, 2], ['timeout_error', 504, 1]]);
    } finally {
      await r.h.close();
    }
  });

  test('a stream that falls silent longer than STREAM_IDLE_TIMEOUT_SECONDS is cut: retried before the first byte, an error frame after', async () => {
    // The fake fills every silence of a second or more with pings, and the idle timer (undici's body timeout)
    // has about a second of resolution, so this upstream is a plain server that just stops talking.
    const silent = await silentUpstream();
    const r = await rig({ streamIdleTimeoutMs: 100, retryMaxAttempts: 2, anthropicBaseUrl: silent.url });
    try {
      const started = Date.now();
      const res = await chat(r.h, { ...question, stream: true });
      assert.equal(res.statusCode, 200);
      const frames = dataFrames(res.body);
      assert.equal(streamedText(frames), 'partial');
      assert.deepEqual(frames.at(-1), { error: { message: 'The Anthropic API stopped sending events.', type: 'timeout_error', param: null, code: 'upstream_timeout' } });
      assert.equal(silent.requests.length, 2, 'silent at the opening: retried; silent after content went out: not');
      await eventually(() => silent.requests.every((q) => q.closed), 'both upstream requests to be closed');
      assert.ok(Date.now() - started < 5_000);
      assert.deepEqual(r.errors.recent(2).map((e) => [e.type, e.status, e.attempt]), [['timeout_error', 504, 2], ['timeout_error', 504, 1]]);
    } finally {
      await r.h.close();
      await silent.close();
    }
  });

  test('a client that disconnects mid-stream cancels the upstream request at once', async () => {
    const r = await rig({}, {}, true);
    try {
      r.h.fake.setResponder(() => ({ content: [{ type: 'text', text: 'one two three four five six seven eight nine ten' }], eventDelayMs: 100 }));
      const client = rawPost(`${r.h.baseURL}/chat/completions`, { ...question, stream: true });
      const first = await client.firstChunk;
      assert.equal(client.status(), 200);
      assert.match(first, /^data: /);
      client.disconnect();
      const sent = calls(r.h);
      await eventually(() => sent[0]?.aborted === true, 'the upstream request to be aborted', 1_000);
      assert.equal(sent.length, 1);
      assert.equal(r.errors.recent().length, 0, 'a client leaving is not an upstream error');
    } finally {
      await r.h.close();
    }
  });

  test('a client that leaves during a backoff stops the retries', async () => {
    const r = await rig({ retryBackoffBaseMs: 400 }, { sleep: undefined as never }, true);
    try {
      r.h.fake.setResponder(() => ({ error: { status: 503, type: 'overloaded_error', message: 'busy' } }));
      const client = rawPost(`${r.h.baseURL}/chat/completions`, question);
      await eventually(() => calls(r.h).length === 1, 'the first attempt');
      client.disconnect();
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.equal(calls(r.h).length, 1, 'no attempt after the client left');
    } finally {
      await r.h.close();
    }
  });
});

describe('circuit breaker', () => {
  test('a 529 storm opens the circuit; after the timeout one probe goes through and closes it', async () => {
    const r = await rig({ circuitBreakerEnabled: true, circuitBreakerThreshold: 3, circuitBreakerTimeoutMs: 30_000, fallbackChain: [] });
    try {
      const upstream = new URL(r.h.fake.url).host;
      r.h.fake.setResponder(() => ({ error: { status: 529, type: 'overloaded_error', message: 'Overloaded' } }));
      const storm = await chat(r.h, question);
      assert.equal(storm.statusCode, 503);
      assert.equal(storm.json().error.code, 'overloaded');
      assert.equal(calls(r.h).length, 3);

      const refused = await chat(r.h, question);
      assert.equal(refused.statusCode, 503);
      assert.equal(refused.json().error.code, 'circuit_open');
      assert.equal(refused.headers['retry-after'], '30');
      assert.equal(calls(r.h).length, 3, 'an open circuit sends nothing upstream');
      const health = (await r.h.app.inject({ method: 'GET', url: '/health' })).json();
      assert.equal(health.status, 'degraded');
      assert.deepEqual(health.circuits, [{ upstream, model: SONNET, state: 'open' }]);
      assert.deepEqual(r.errors.recent(1).map((e) => [e.type, e.status, e.attempt, e.model]), [['circuit_open', 503, 0, SONNET]]);

      r.clock.now += 30_000;
      r.h.fake.setResponder(() => ({ ...OK, delayMs: 100 }));
      const [a, b] = await Promise.all([chat(r.h, question), chat(r.h, question)]);
      assert.deepEqual([a.statusCode, b.statusCode].sort(), [200, 503], 'one probe; the other caller is refused meanwhile');
      assert.equal(calls(r.h).length, 4);
      const after = (await r.h.app.inject({ method: 'GET', url: '/health' })).json();
      assert.deepEqual([after.status, after.circuits], ['ok', [{ upstream, model: SONNET, state: 'closed' }]]);
      assert.equal((await chat(r.h, question)).statusCode, 200);
    } finally {
      await r.h.close();
    }
  });

  test('a failed probe opens the circuit again', async () => {
    const r = await rig({ circuitBreakerEnabled: true, circuitBreakerThreshold: 1, circuitBreakerTimeoutMs: 1_000, retryMaxAttempts: 1, fallbackChain: [] });
    try {
      r.h.fake.setResponder(() => ({ error: { status: 500, type: 'api_error', message: 'boom' } }));
      await chat(r.h, question);
      r.clock.now += 1_000;
      assert.equal((await chat(r.h, question)).json().error.code, 'upstream_error', 'the probe went upstream and failed');
      assert.equal((await chat(r.h, question)).json().error.code, 'circuit_open');
      assert.equal(calls(r.h).length, 2);
    } finally {
      await r.h.close();
    }
  });
});

describe('fallbacks', () => {
  const opusOverloaded = (req: RecordedRequest): FakePlan =>
    req.body?.model === OPUS ? { error: { status: 529, type: 'overloaded_error', message: 'Overloaded' } } : OK;

  test('an overloaded Opus falls back to Sonnet at once, and says so', async () => {
    const r = await rig();
    try {
      r.h.fake.setResponder(opusOverloaded);
      for (const stream of [false, true]) {
        r.h.fake.reset();
        const res = await chat(r.h, { ...question, model: 'opus', stream });
        assert.equal(res.statusCode, 200, res.body);
        assert.equal(res.headers['x-fallback-from'], OPUS);
        assert.equal(res.headers['x-routed-model'], SONNET);
        assert.equal(res.headers['x-route-reason'], `alias; fallback:${OPUS} overloaded`);
        if (stream) assert.equal(dataFrames(res.body)[0].model, SONNET);
        else assert.equal(res.json().model, SONNET);
        assert.deepEqual(calls(r.h).map((c) => c.body.model), [OPUS, SONNET]);
        assert.deepEqual(r.waits, [], 'no waiting: another model was ready');
        const record = await usageRecord(r.h, res.headers['x-request-id']);
        assert.deepEqual([record.requestedModel, record.model, record.routeReason], ['opus', SONNET, `alias; fallback:${OPUS} overloaded`]);
      }
    } finally {
      await r.h.close();
    }
  });

  test('an open Opus circuit goes straight to Sonnet without calling Opus', async () => {
    const r = await rig({ circuitBreakerEnabled: true, circuitBreakerThreshold: 1 });
    try {
      r.h.fake.setResponder(opusOverloaded);
      await chat(r.h, { ...question, model: 'opus' });
      r.h.fake.reset();
      const res = await chat(r.h, { ...question, model: 'opus' });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['x-route-reason'], `alias; fallback:${OPUS} circuit open`);
      assert.deepEqual(calls(r.h).map((c) => c.body.model), [SONNET]);
      const summary = (await r.h.app.inject({ method: 'GET', url: '/admin/routing', headers: { authorization: `Bearer ${ADMIN_KEY}` } })).json();
      assert.deepEqual(summary, { byReason: [{ reason: 'alias', count: 2 }, { reason: `fallback:${OPUS}`, count: 2 }], byModel: [{ model: SONNET, count: 2 }] });
    } finally {
      await r.h.close();
    }
  });

  test('FALLBACK_CHAIN=off: no fallback', async () => {
    const r = await rig({ fallbackChain: [], retryMaxAttempts: 1 });
    try {
      r.h.fake.setResponder(opusOverloaded);
      const res = await chat(r.h, { ...question, model: 'opus' });
      assert.equal(res.statusCode, 503);
      assert.deepEqual(calls(r.h).map((c) => c.body.model), [OPUS]);
    } finally {
      await r.h.close();
    }
  });
});

describe('rate limits', () => {
  test('requests per minute: headers on every API response, then a 429 in OpenAI shape with retry-after', async () => {
    const r = await rig({ rateLimitEnabled: true, rateLimitRpm: 2 });
    try {
      r.clock.now = Date.parse('2026-11-20T10:00:10Z');
      const first = await chat(r.h, question);
      assert.deepEqual(
        [first.headers['x-ratelimit-limit'], first.headers['x-ratelimit-remaining'], first.headers['x-ratelimit-reset']],
        ['2', '1', '50'],
      );
      const models = await r.h.app.inject({ method: 'GET', url: '/v1/models', headers: auth });
      assert.equal(models.headers['x-ratelimit-remaining'], '1', 'listing models shows the limit without using it');
      const second = await chat(r.h, question);
      assert.equal(second.headers['x-ratelimit-remaining'], '0');

      const refused = await chat(r.h, question);
      assert.equal(refused.statusCode, 429);
      assert.deepEqual(refused.json(), {
        error: {
          message: "Rate limit reached for project 'default' on requests per min (RPM): Limit 2, Used 2. Please try again in 80s.",
          type: 'requests',
          param: null,
          code: 'rate_limit_exceeded',
        },
      });
      assert.equal(refused.headers['retry-after'], '80');
      assert.equal(refused.headers['x-ratelimit-remaining'], '0');
      assert.equal(calls(r.h).length, 2, 'the refused request never went upstream');
      assert.deepEqual(r.errors.recent(1).map((e) => [e.type, e.status, e.attempt]), [['rate_limited', 429, 0]]);
      const record = await usageRecord(r.h, refused.headers['x-request-id']);
      assert.deepEqual([record.status, record.errorType], [429, 'rate_limit_exceeded']);

      const native = await r.h.app.inject({
        method: 'POST',
        url: '/v1/messages',
        headers: anthropicAuth,
        payload: { model: 'claude-haiku-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'Hi' }] },
      });
      assert.equal(native.statusCode, 429);
      assert.equal(native.json().type, 'error');
      assert.equal(native.json().error.type, 'rate_limit_error', 'Anthropic shape on the native route');

      r.clock.now += 80_000;
      assert.equal((await chat(r.h, question)).statusCode, 200, 'room again once the window slid');
    } finally {
      await r.h.close();
    }
  });

  test('tokens per minute: charged by estimate up front, then by what the upstream really used', async () => {
    const r = await rig({ rateLimitEnabled: true, rateLimitRpm: 0, rateLimitTpm: 150 });
    try {
      const long = { ...question, messages: [{ role: 'user', content: 'x'.repeat(200) }] };
      const estimate = (payload: object) => Math.ceil(JSON.stringify(payload).length / 4);
      const first = await chat(r.h, long);
      assert.equal(first.statusCode, 200);
      assert.equal(first.headers['x-ratelimit-limit-tokens'], '150');
      assert.equal(first.headers['x-ratelimit-remaining-tokens'], String(150 - estimate(long)));
      assert.equal(first.headers['x-ratelimit-limit'], '150', 'with only a token limit, the generic headers describe it');
      const used = first.json().usage.total_tokens; // the fake echoes the prompt: far more than the estimate
      assert.ok(used > estimate(long) && used + estimate(question) > 150);
      const second = await chat(r.h, question);
      assert.equal(second.statusCode, 429);
      assert.equal(second.json().error.type, 'tokens');
      assert.match(second.json().error.message, new RegExp(`tokens per min \\(TPM\\): Limit 150, Used ${used}\\.`));
      assert.equal(calls(r.h).length, 1);
    } finally {
      await r.h.close();
    }
  });
});

describe('per-project policy (project keys)', () => {
  test("a project's default model, fallback chain and request limit apply to its key only", async () => {
    const r = await rig({ enableMultiProject: true, rateLimitEnabled: true, rateLimitRpm: 100 });
    try {
      const admin = { authorization: `Bearer ${ADMIN_KEY}` };
      const created = await r.h.app.inject({
        method: 'POST',
        url: '/admin/projects',
        headers: admin,
        payload: { id: 'beta', name: 'Beta', defaultModel: 'opus', fallbackChain: ['opus', 'haiku'], rateLimitRpm: 1 },
      });
      assert.equal(created.statusCode, 201, created.body);
      const key = (await r.h.app.inject({ method: 'POST', url: '/admin/projects/beta/keys', headers: admin, payload: {} })).json().key;
      r.h.fake.setResponder((req) => (req.body?.model === OPUS ? { error: { status: 529, type: 'overloaded_error', message: 'Overloaded' } } : OK));

      const res = await r.h.app.inject({ method: 'POST', url: '/v1/chat/completions', headers: { authorization: `Bearer ${key}` }, payload: { ...question, model: 'auto' } });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.headers['x-route-reason'], `auto:project default; fallback:${OPUS} overloaded`);
      assert.deepEqual(calls(r.h).map((c) => c.body.model), [OPUS, 'claude-haiku-5-5'], "the project's own chain");
      assert.equal(res.headers['x-ratelimit-limit'], '1');
      const record = await usageRecord(r.h, res.headers['x-request-id']);
      assert.deepEqual([record.projectId, record.model], ['beta', 'claude-haiku-5-5']);

      const limited = await r.h.app.inject({ method: 'POST', url: '/v1/chat/completions', headers: { authorization: `Bearer ${key}` }, payload: question });
      assert.equal(limited.statusCode, 429);
      assert.match(limited.json().error.message, /project 'beta'/);
      const gatewayKey = await chat(r.h, question);
      assert.equal(gatewayKey.statusCode, 200, 'the default project has its own window');
      assert.equal(gatewayKey.headers['x-ratelimit-limit'], '100');
    } finally {
      await r.h.close();
    }
  });
});

describe('smart routing end to end', () => {
  test('auto: the decision and its reasons reach the client, the upstream and the record', async () => {
    const r = await rig({ enableSmartRouting: true });
    try {
      const res = await chat(r.h, {
        model: 'auto',
        messages: [{ role: 'user', content: 'Design the architecture of our new payments service and review its security.' }],
      });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['x-model-source'], 'smart');
      assert.equal(res.headers['x-route-reason'], 'smart:opus score 0.50 (architecture, security)');
      assert.deepEqual(calls(r.h).map((c) => c.body.model), [OPUS]);
      const record = await usageRecord(r.h, res.headers['x-request-id']);
      assert.deepEqual([record.requestedModel, record.model, record.routeReason], ['auto', OPUS, 'smart:opus score 0.50 (architecture, security)']);

      const simple = await chat(r.h, { model: 'cg-auto', messages: [{ role: 'user', content: 'what does ls -la do?' }] });
      assert.equal(simple.headers['x-route-reason'], 'smart:sonnet score 0.00 (no complexity signals)');
      assert.equal(calls(r.h).at(-1)!.body.model, SONNET);
    } finally {
      await r.h.close();
    }
  });
});
