// The pure parts of several upstreams: the event-stream decoder (cut at every byte), the Bedrock transcoder,
// the balancer, rate-limit headroom, model ids, cloud errors and the UPSTREAMS parser.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { parseUpstreams, describeUpstream } from '../../src/config/upstreams.ts';
import { configFromEnv } from '../../src/config/env.ts';
import { ConfigError } from '../../src/config/env-readers.ts';
import { effectiveWeight, orderUpstreams, type Candidate } from '../../src/upstream/balancer.ts';
import { EventStreamDecoder, EventStreamError } from '../../src/upstream/providers/aws-event-stream.ts';
import { messageToSse } from '../../src/upstream/providers/bedrock-stream.ts';
import { bedrockErrorBody, vertexErrorBody } from '../../src/upstream/providers/cloud-errors.ts';
import { bedrockModelId, vertexModelId } from '../../src/upstream/providers/model-ids.ts';
import { capacityFromHeaders, exhaustedCapacity } from '../../src/upstream/rate-limit-headers.ts';
import { conversationOf } from '../../src/upstream/pool/conversation.ts';

const codec = new EventStreamCodec((b: Uint8Array) => Buffer.from(b).toString('utf8'), (s: string) => new Uint8Array(Buffer.from(s, 'utf8')));

function chunkFrame(event: unknown): Uint8Array {
  const bytes = Buffer.from(JSON.stringify(event)).toString('base64');
  return codec.encode({
    headers: { ':event-type': { type: 'string', value: 'chunk' }, ':message-type': { type: 'string', value: 'event' }, ':content-type': { type: 'string', value: 'application/json' } },
    body: new Uint8Array(Buffer.from(JSON.stringify({ bytes }))),
  });
}

describe('AWS event-stream decoding', () => {
  const events = [
    { type: 'message_start', message: { id: 'msg_1', usage: { input_tokens: 3 } } },
    { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'héllo ✓' } },
    { type: 'message_stop' },
  ];
  const bytes = Buffer.concat(events.map((e) => chunkFrame(e)));

  test('the same messages come out however the bytes are cut', () => {
    const whole = new EventStreamDecoder().push(bytes);
    assert.equal(whole.length, 3);
    for (let cut = 1; cut < bytes.length; cut++) {
      const decoder = new EventStreamDecoder();
      const out = [...decoder.push(bytes.subarray(0, cut)), ...decoder.push(bytes.subarray(cut))];
      decoder.end();
      assert.deepEqual(out.map((m) => Buffer.from(m.payload).toString()), whole.map((m) => Buffer.from(m.payload).toString()));
    }
  });

  test('one byte at a time', () => {
    const decoder = new EventStreamDecoder();
    const out = [];
    for (const byte of bytes) out.push(...decoder.push(Uint8Array.of(byte)));
    assert.equal(out.length, 3);
  });

  test('chunks become Anthropic SSE events, exceptions become error events', () => {
    const [first] = new EventStreamDecoder().push(chunkFrame(events[1]));
    assert.equal(Buffer.from(messageToSse(first!)!).toString(), `event: content_block_delta\ndata: ${JSON.stringify(events[1])}\n\n`);
    const exception = codec.encode({
      headers: { ':message-type': { type: 'string', value: 'exception' }, ':exception-type': { type: 'string', value: 'throttlingException' } },
      body: new Uint8Array(Buffer.from(JSON.stringify({ message: 'Too many tokens' }))),
    });
    const sse = Buffer.from(messageToSse(new EventStreamDecoder().push(exception)[0]!)!).toString();
    assert.match(sse, /^event: error\ndata: /);
    assert.equal(JSON.parse(sse.split('data: ')[1]!).error.type, 'rate_limit_error');
  });

  test('a corrupted frame and a cut-off stream are errors, not silence', () => {
    const broken = Buffer.from(chunkFrame(events[0]));
    broken.writeUInt8(broken.readUInt8(broken.length - 6) ^ 0xff, broken.length - 6);
    assert.throws(() => new EventStreamDecoder().push(broken), EventStreamError);
    const decoder = new EventStreamDecoder();
    decoder.push(bytes.subarray(0, 20));
    assert.throws(() => decoder.end(), EventStreamError);
  });
});

describe('the balancer', () => {
  const now = 1_000_000;
  const c = (name: string, weight = 1, extra: Partial<Candidate> = {}): Candidate => ({ name, weight, capacity: undefined, circuitOpen: false, ...extra });
  const base = { tried: new Set<string>(), now, random: Math.random, drainedBelow: 0.05, sticky: undefined };

  test('the sticky upstream comes first while healthy, and not once it is drained, open or tried', () => {
    const candidates = [c('a'), c('b'), c('c')];
    assert.equal(orderUpstreams({ ...base, candidates, sticky: 'b' })[0], 'b');
    const drained = [c('a'), c('b', 1, { capacity: { remaining: 0, resetAt: now + 1000 } })];
    assert.deepEqual(orderUpstreams({ ...base, candidates: drained, sticky: 'b' }), ['a', 'b']);
    assert.deepEqual(orderUpstreams({ ...base, candidates: [c('a'), c('b', 1, { circuitOpen: true })], sticky: 'b' }), ['a', 'b']);
    assert.deepEqual(orderUpstreams({ ...base, candidates: [c('a'), c('b')], sticky: 'b', tried: new Set(['b']) }), ['a', 'b']);
  });

  test('a drained upstream is healthy again once its limit resets', () => {
    const candidates = [c('a', 0), c('b', 1, { capacity: { remaining: 0, resetAt: now - 1 } })];
    assert.equal(orderUpstreams({ ...base, candidates })[0], 'b');
  });

  test('weights share new conversations; low headroom scales a weight down', () => {
    let s = 42;
    const random = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const counts: Record<string, number> = { a: 0, b: 0 };
    for (let i = 0; i < 4000; i++) counts[orderUpstreams({ ...base, random, candidates: [c('a', 3), c('b', 1)] })[0]!]!++;
    assert.ok(Math.abs(counts.a! / 4000 - 0.75) < 0.03, JSON.stringify(counts));
    assert.equal(effectiveWeight(c('a', 4, { capacity: { remaining: 0.25, resetAt: now + 10 } }), now), 2);
    assert.equal(effectiveWeight(c('a', 4, { capacity: { remaining: 0.9, resetAt: now + 10 } }), now), 4);
  });

  test('weight 0 is a standby: used only after every weighted upstream', () => {
    for (let i = 0; i < 50; i++) assert.deepEqual(orderUpstreams({ ...base, candidates: [c('standby', 0), c('main', 1)] }), ['main', 'standby']);
  });
});

describe('the conversation key', () => {
  test('the same on every turn, whatever breakpoints moved; different for another conversation', () => {
    const first = { role: 'user', content: [{ type: 'text', text: 'Fix the bug in parser.ts', cache_control: { type: 'ephemeral' } }] };
    const turn1 = { system: 'You are a coding agent.', messages: [first] };
    const turn3 = {
      system: 'You are a coding agent.',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Fix the bug in parser.ts' }] }, { role: 'assistant', content: 'Done.' }, { role: 'user', content: 'Thanks' }],
    };
    assert.equal(conversationOf(turn1), conversationOf(turn3));
    assert.notEqual(conversationOf(turn1), conversationOf({ ...turn1, system: 'Another agent.' }));
    assert.equal(conversationOf({ messages: [] }), undefined);
  });
});

describe('rate-limit headroom', () => {
  const now = Date.parse('2026-12-07T05:00:00Z');
  test('the tightest limit counts', () => {
    const capacity = capacityFromHeaders({
      'anthropic-ratelimit-requests-limit': '1000',
      'anthropic-ratelimit-requests-remaining': '900',
      'anthropic-ratelimit-requests-reset': '2026-12-07T05:00:30Z',
      'anthropic-ratelimit-input-tokens-limit': '100000',
      'anthropic-ratelimit-input-tokens-remaining': '2000',
      'anthropic-ratelimit-input-tokens-reset': '2026-12-07T05:00:10Z',
    }, now);
    assert.deepEqual(capacity, { remaining: 0.02, resetAt: now + 10_000 });
    assert.equal(capacityFromHeaders({}, now), undefined);
  });
  test('a 429 empties the upstream until retry-after', () => {
    assert.deepEqual(exhaustedCapacity({ 'retry-after': '7' }, now), { remaining: 0, resetAt: now + 7000 });
  });
});

describe('model ids and cloud errors', () => {
  test('Bedrock and Vertex ids by default', () => {
    assert.equal(bedrockModelId('claude-sonnet-4-5-20250929'), 'anthropic.claude-sonnet-4-5-20250929-v1:0');
    assert.equal(bedrockModelId('claude-sonnet-4-5-20250929', 'us'), 'us.anthropic.claude-sonnet-4-5-20250929-v1:0');
    assert.equal(bedrockModelId('global.anthropic.claude-opus-4-5-20251101-v1:0'), 'global.anthropic.claude-opus-4-5-20251101-v1:0');
    assert.equal(vertexModelId('claude-sonnet-4-5-20250929'), 'claude-sonnet-4-5@20250929');
    assert.equal(vertexModelId('claude-opus-4-5@20251101'), 'claude-opus-4-5@20251101');
  });
  test('Bedrock and Google error bodies in Anthropic shape', () => {
    assert.deepEqual(bedrockErrorBody(429, '{"message":"Too many requests"}', 'ThrottlingException:http://internal.amazon.com/'), {
      type: 'error',
      error: { type: 'rate_limit_error', message: 'Amazon Bedrock: Too many requests' },
    });
    assert.equal(bedrockErrorBody(503, '{"message":"busy"}', 'ServiceUnavailableException').error.type, 'overloaded_error');
    assert.equal(vertexErrorBody(429, '{"error":{"code":429,"message":"Quota exceeded","status":"RESOURCE_EXHAUSTED"}}').error.type, 'rate_limit_error');
  });
});

describe('UPSTREAMS', () => {
  const env = { GATEWAY_API_KEY: 'gateway-key-0123456789abcdef', ADMIN_API_KEY: 'admin-key-0123456789abcdef00' };
  test('a list with every provider parses; secrets stay out of the description', () => {
    const problems: string[] = [];
    const list = parseUpstreams(JSON.stringify([
      { name: 'main', provider: 'anthropic', credentials: { apiKey: 'sk-ant-secret' }, weight: 2 },
      { name: 'aws', provider: 'bedrock', credentials: { region: 'us-east-1', inferenceProfile: 'us' }, models: { 'claude-sonnet-4-5': 'us.anthropic.claude-sonnet-4-5-20250929-v1:0' } },
      { name: 'gcp', provider: 'vertex', credentials: { projectId: 'p', region: 'global' }, models: ['claude-sonnet-4-5'] },
      { name: 'azure', provider: 'foundry', credentials: { resource: 'team', apiKey: 'foundry-secret' } },
    ]), problems);
    assert.deepEqual(problems, []);
    assert.equal(list.length, 4);
    assert.equal(list[0]!.weight, 2);
    assert.doesNotMatch(JSON.stringify(list.map(describeUpstream)), /secret/);
  });
  test('every problem is named, and no secret is repeated', () => {
    const problems: string[] = [];
    parseUpstreams(JSON.stringify([
      { name: 'x', provider: 'openai' },
      { name: 'a', provider: 'bedrock', credentials: { accessKeyId: 'AKIASECRET' } },
      { name: 'a', provider: 'vertex', credentials: { region: 'us' }, weight: -1, color: 'red' },
    ]), problems);
    const text = problems.join('\n');
    assert.match(text, /UPSTREAMS\[0\]\.provider must be one of/);
    assert.match(text, /UPSTREAMS\[1\]\.credentials\.region is required/);
    assert.match(text, /needs both accessKeyId and secretAccessKey/);
    assert.match(text, /UPSTREAMS\[2\]\.credentials\.projectId is required/);
    assert.match(text, /weight must be a number/);
    assert.match(text, /unknown field "color"/);
    assert.match(text, /two upstreams named "a"/);
    assert.doesNotMatch(text, /AKIASECRET/);
  });
  test('UPSTREAMS replaces the need for ANTHROPIC_API_KEY; bad JSON is a config error', () => {
    const config = configFromEnv({ ...env, UPSTREAMS: '[{"name":"gcp","provider":"vertex","credentials":{"projectId":"p","region":"us-east5"}}]' });
    assert.equal(config.upstreams?.[0]?.provider, 'vertex');
    assert.throws(() => configFromEnv({ ...env, UPSTREAMS: '[{"name": "x", "provider": "anthropic", "credentials": {"apiKey": "sk-leak' }), (e: ConfigError) => /UPSTREAMS is not valid JSON/.test(e.message) && !e.message.includes('sk-leak'));
    assert.equal(configFromEnv({ ...env, ANTHROPIC_API_KEY: 'sk-ant-x' }).upstreams, undefined);
  });
});
