// callUpstream against a scripted Upstream: statuses, transport failures, retries and fallbacks, stream openings
// (and the body destroyed when one fails), and the pass-through's kept error answer.
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, test } from 'node:test';
import { GatewayError } from '../../src/errors.ts';
import { CircuitBreaker } from '../../src/reliability/circuit-breaker.ts';
import { createLocalCircuitStore } from '../../src/reliability/circuit-store.ts';
import type { ReliabilityDeps } from '../../src/reliability/resilient-call.ts';
import { callUpstream, type CallUpstreamOptions } from '../../src/upstream/call.ts';
import type { Upstream, UpstreamRequest, UpstreamResponse } from '../../src/upstream/upstream.ts';

type Scripted = { status: number; body: string | string[]; headers?: Record<string, string> } | { fail: NodeJS.ErrnoException };

function response(step: Extract<Scripted, { status: number }>): UpstreamResponse & { destroyed: () => boolean } {
  const chunks = (Array.isArray(step.body) ? step.body : [step.body]).map((part) => Buffer.from(part));
  const body = Readable.from(chunks) as Readable & { text: () => Promise<string> };
  body.text = async () => Buffer.concat(await body.toArray()).toString('utf8');
  return { statusCode: step.status, headers: step.headers ?? {}, body, destroyed: () => body.destroyed } as never;
}

function scripted(steps: Scripted[]) {
  const sent: UpstreamRequest[] = [];
  const answered: Array<ReturnType<typeof response>> = [];
  const upstream: Upstream = {
    baseUrl: 'http://fake',
    async send(request) {
      sent.push(request);
      const step = steps.shift();
      if (!step) throw new Error('no more scripted answers');
      if ('fail' in step) throw step.fail;
      const r = response(step);
      answered.push(r);
      return r;
    },
    close: async () => {},
  };
  return { upstream, sent, answered };
}

function reliability(maxAttempts = 2): ReliabilityDeps {
  const breaker = new CircuitBreaker({ enabled: true, threshold: 5, timeoutMs: 1_000, store: createLocalCircuitStore(), now: () => 0 });
  return {
    breaker,
    retry: { enabled: true, maxAttempts, baseMs: 1, maxDelayMs: 10 },
    sleep: async () => {},
    random: () => 0.5,
    now: () => 0,
    newId: () => 'x',
    errors: { record: () => {} },
    upstreamName: 'fake',
  };
}

const MESSAGE = { id: 'msg_1', type: 'message', role: 'assistant', content: [{ type: 'text', text: 'hi' }], usage: { input_tokens: 1, output_tokens: 1 } };
const OVERLOADED = JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
const INVALID = JSON.stringify({ type: 'error', error: { type: 'invalid_request_error', message: 'bad' } });
const SSE_START = `event: message_start\ndata: ${JSON.stringify({ type: 'message_start', message: { ...MESSAGE, content: [] } })}\n\n`;
const SSE_TEXT = `event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\n`;

function options(overrides: Partial<CallUpstreamOptions> = {}): CallUpstreamOptions {
  return { requestId: 'req', projectId: 'default', models: ['m1'], bodyFor: (model) => ({ model }), stream: false, signal: new AbortController().signal, ...overrides };
}

describe('callUpstream', () => {
  test('a 200 JSON answer is parsed; the body is built per model and its size reported', async () => {
    const { upstream, sent } = scripted([{ status: 200, body: JSON.stringify(MESSAGE) }]);
    const attempts: unknown[] = [];
    const call = await callUpstream({ upstream, reliability: reliability(), now: () => 0, keepAliveMs: 1000 }, options({ onAttempt: (info) => attempts.push(info) }));
    assert.equal(call.value.kind, 'body');
    assert.deepEqual(call.value.kind === 'body' && call.value.json, MESSAGE);
    assert.equal(sent[0]!.path, '/v1/messages');
    assert.equal(sent[0]!.body, '{"model":"m1"}');
    assert.equal(sent[0]!.headers?.accept, 'application/json');
    assert.deepEqual(attempts, [{ model: 'm1', attempt: 1, bodyBytes: 14 }]);
  });

  test('an overloaded model is retried, then handed to the fallback, which gets its own body', async () => {
    const { upstream, sent } = scripted([
      { status: 529, body: OVERLOADED },
      { status: 200, body: JSON.stringify(MESSAGE) },
    ]);
    const statuses: number[] = [];
    const call = await callUpstream({ upstream, reliability: reliability(1), now: () => 0, keepAliveMs: 1000 }, options({ models: ['m1', 'm2'], onStatus: (s) => statuses.push(s) }));
    assert.equal(call.model, 'm2');
    assert.equal(call.attempts, 2);
    assert.deepEqual(call.fallback, { from: 'm1', why: 'overloaded' });
    assert.deepEqual(sent.map((r) => r.body), ['{"model":"m1"}', '{"model":"m2"}']);
    assert.deepEqual(statuses, [529, 200]);
  });

  test('a client error is thrown in the gateway shape, without a retry', async () => {
    const { upstream, sent } = scripted([{ status: 400, body: INVALID }]);
    await assert.rejects(callUpstream({ upstream, reliability: reliability(), now: () => 0, keepAliveMs: 1000 }, options()), (error: unknown) => {
      assert.ok(error instanceof GatewayError);
      assert.equal(error.status, 400);
      assert.equal(error.message, 'bad');
      return true;
    });
    assert.equal(sent.length, 1);
  });

  test('a refused connection becomes upstream_unreachable after its retries', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const { upstream, sent } = scripted([{ fail: refused }, { fail: refused }]);
    await assert.rejects(callUpstream({ upstream, reliability: reliability(2), now: () => 0, keepAliveMs: 1000 }, options()), { code: 'upstream_unreachable' });
    assert.equal(sent.length, 2);
  });

  test('a stream is opened up to its first content event; accept asks for events', async () => {
    const { upstream, sent } = scripted([{ status: 200, body: [SSE_START, SSE_TEXT] }]);
    const call = await callUpstream({ upstream, reliability: reliability(), now: () => 0, keepAliveMs: 1000 }, options({ stream: true }));
    assert.equal(call.value.kind, 'stream');
    if (call.value.kind !== 'stream') return;
    assert.deepEqual(call.value.opened.opening.events.map((e) => e.type), ['message_start', 'content_block_start']);
    assert.equal(sent[0]!.headers?.accept, 'text/event-stream');
  });

  test('an error event that opens a 200 stream is retried, and the failed body is destroyed', async () => {
    const errorEvent = `event: error\ndata: ${OVERLOADED}\n\n`;
    const { upstream, answered } = scripted([
      { status: 200, body: [errorEvent] },
      { status: 200, body: [SSE_START, SSE_TEXT] },
    ]);
    const call = await callUpstream({ upstream, reliability: reliability(2), now: () => 0, keepAliveMs: 1000 }, options({ stream: true }));
    assert.equal(call.attempts, 2);
    assert.equal(answered[0]!.destroyed(), true);
  });

  test('pass-through: an error answer comes back as Anthropic wrote it, after the retries of a retryable one', async () => {
    const keep = { keepErrorAnswer: true, stream: false };
    const first = scripted([{ status: 400, body: INVALID }]);
    const bad = await callUpstream({ upstream: first.upstream, reliability: reliability(), now: () => 0, keepAliveMs: 1000 }, options(keep));
    assert.deepEqual(bad.value.kind === 'body' && [bad.value.status, bad.value.text, bad.value.json], [400, INVALID, undefined]);

    const second = scripted([
      { status: 529, body: OVERLOADED, headers: { 'request-id': 'r1' } },
      { status: 529, body: OVERLOADED, headers: { 'request-id': 'r2' } },
    ]);
    const spent = await callUpstream({ upstream: second.upstream, reliability: reliability(2), now: () => 0, keepAliveMs: 1000 }, options(keep));
    assert.equal(second.sent.length, 2);
    assert.deepEqual(spent.value.kind === 'body' && [spent.value.status, spent.value.headers['request-id']], [529, 'r2']);
    assert.equal(spent.attempts, 2);
  });

  test('upstreamFor chooses the upstream of each attempt', async () => {
    const a = scripted([{ status: 529, body: OVERLOADED }]);
    const b = scripted([{ status: 200, body: JSON.stringify(MESSAGE) }]);
    const call = await callUpstream(
      { upstream: a.upstream, reliability: reliability(2), now: () => 0, keepAliveMs: 1000 },
      options({ upstreamFor: (_model, attempt) => (attempt === 1 ? a.upstream : b.upstream) }),
    );
    assert.equal(call.attempts, 2);
    assert.equal(a.sent.length + b.sent.length, 2);
  });
});
