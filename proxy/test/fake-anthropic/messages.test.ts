import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { Message } from '@anthropic-ai/sdk/resources/messages';
import { startFakeAnthropic, type FakeAnthropic } from './index.ts';
import { client, parseSse, post, request } from './test-helpers.ts';

let fake: FakeAnthropic;
before(async () => {
  fake = await startFakeAnthropic({ seed: 42 });
});
after(() => fake.close());
beforeEach(() => {
  fake.reset();
  fake.setResponder(undefined);
});

const weatherTool = {
  name: 'get_weather',
  description: 'Current weather for a city',
  input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

describe('non-streaming messages', () => {
  test('echoes the last user text in the Messages API shape', async () => {
    const res = await post(fake, '/v1/messages', request());
    assert.equal(res.status, 200);
    assert.match(res.headers.get('request-id')!, /^req_[0-9A-Za-z]{24}$/);
    assert.ok(res.headers.get('anthropic-organization-id'));
    assert.match(res.json.id, /^msg_[0-9A-Za-z]{24}$/);
    assert.deepEqual({ ...res.json, id: 'x' }, {
      id: 'x',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5-20250929',
      content: [{ type: 'text', text: 'Echo: Hello' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: {
        // {"type":"text","text":"Hello"} is 29 characters: 8 tokens at four characters each.
        input_tokens: 8,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
        cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
        output_tokens: 3,
        service_tier: 'standard',
        inference_geo: 'global',
      },
    });
  });

  test('records every request with its headers and parsed body', async () => {
    await post(fake, '/v1/messages', request(), {
      'content-type': 'application/json',
      'anthropic-version': '2023-06-01',
      'anthropic-beta': 'extended-cache-ttl-2025-04-11',
    });
    assert.equal(fake.requests.length, 1);
    const [recorded] = fake.requests;
    assert.equal(recorded!.method, 'POST');
    assert.equal(recorded!.path, '/v1/messages');
    assert.equal(recorded!.headers['anthropic-beta'], 'extended-cache-ttl-2025-04-11');
    assert.deepEqual(recorded!.body, request());
    assert.equal(recorded!.aborted, false);
  });

  test('answers tool results with a count of them', async () => {
    const res = await post(
      fake,
      '/v1/messages',
      request({
        tools: [weatherTool],
        messages: [
          { role: 'user', content: 'weather?' },
          {
            role: 'assistant',
            content: [
              { type: 'tool_use', id: 'toolu_a', name: 'get_weather', input: { city: 'Paris' } },
              { type: 'tool_use', id: 'toolu_b', name: 'get_weather', input: { city: 'Oslo' } },
            ],
          },
          {
            role: 'user',
            content: [
              { type: 'tool_result', tool_use_id: 'toolu_a', content: '18C' },
              { type: 'tool_result', tool_use_id: 'toolu_b', content: [{ type: 'text', text: '4C' }] },
            ],
          },
        ],
      }),
    );
    assert.equal(res.status, 200);
    assert.deepEqual(res.json.content, [{ type: 'text', text: 'Tool results received: 2' }]);
    assert.equal(res.json.stop_reason, 'end_turn');
  });

  test('calls the tools named on CALL lines, in parallel', async () => {
    const res = await post(
      fake,
      '/v1/messages',
      request({
        tools: [weatherTool],
        messages: [{ role: 'user', content: 'CALL get_weather {"city": "Paris"}\nCALL get_weather {"city": "Oslo"}\nCALL unknown_tool {}' }],
      }),
    );
    assert.equal(res.status, 200);
    assert.equal(res.json.stop_reason, 'tool_use');
    assert.equal(res.json.content.length, 2);
    for (const block of res.json.content) assert.match(block.id, /^toolu_[0-9A-Za-z]{24}$/);
    assert.deepEqual(
      res.json.content.map((b: any) => [b.type, b.name, b.input]),
      [
        ['tool_use', 'get_weather', { city: 'Paris' }],
        ['tool_use', 'get_weather', { city: 'Oslo' }],
      ],
    );
  });

  test('a stop sequence ends the text before it', async () => {
    const res = await post(fake, '/v1/messages', request({ messages: [{ role: 'user', content: 'one STOP two' }], stop_sequences: ['STOP'] }));
    assert.deepEqual(res.json.content, [{ type: 'text', text: 'Echo: one ' }]);
    assert.equal(res.json.stop_reason, 'stop_sequence');
    assert.equal(res.json.stop_sequence, 'STOP');
  });

  test('an answer longer than max_tokens is cut and stops with max_tokens', async () => {
    const res = await post(fake, '/v1/messages', request({ max_tokens: 2, messages: [{ role: 'user', content: 'a long question indeed' }] }));
    assert.deepEqual(res.json.content, [{ type: 'text', text: 'Echo: a ' }]);
    assert.equal(res.json.stop_reason, 'max_tokens');
    assert.equal(res.json.usage.output_tokens, 2);
  });

  test('max_tokens 0 pre-warms: empty content, max_tokens stop, no output tokens', async () => {
    const res = await post(fake, '/v1/messages', request({ max_tokens: 0 }));
    assert.equal(res.status, 200);
    assert.deepEqual(res.json.content, []);
    assert.equal(res.json.stop_reason, 'max_tokens');
    assert.equal(res.json.usage.output_tokens, 0);
  });

  test('a responder scenario can refuse, with stop details', async () => {
    fake.setResponder(() => ({ content: [{ type: 'text', text: 'I cannot help.' }], stopReason: 'refusal', outputTokens: 7 }));
    const res = await post(fake, '/v1/messages', request());
    assert.equal(res.json.stop_reason, 'refusal');
    assert.deepEqual(res.json.stop_details, { type: 'refusal', category: null, explanation: null });
    assert.equal(res.json.usage.output_tokens, 7);
  });

  test('the official SDK reads the response', async () => {
    const message = await client(fake).messages.create({
      model: 'claude-opus-4-6',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'Hi from the SDK' }],
    });
    assert.equal(message.model, 'claude-opus-4-6');
    assert.deepEqual(message.content, [{ type: 'text', text: 'Echo: Hi from the SDK' }]);
  });
});

describe('streaming messages', () => {
  const longText = 'The quick brown fox jumps over the lazy dog while the streaming parser keeps up with every fragment.';

  test('follows the wire order, with a ping after the first block start', async () => {
    const res = await post(fake, '/v1/messages', request({ stream: true, messages: [{ role: 'user', content: longText }] }));
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type')!, /^text\/event-stream/);
    const events = parseSse(res.text);
    const names = events.map((e) => e.event);
    assert.deepEqual(names.slice(0, 3), ['message_start', 'content_block_start', 'ping']);
    assert.deepEqual(names.slice(-3), ['content_block_stop', 'message_delta', 'message_stop']);
    for (const e of events) assert.equal(e.data.type, e.event);
    const start = events[0]!.data.message;
    assert.deepEqual(start.content, []);
    assert.equal(start.stop_reason, null);
    assert.equal(start.usage.output_tokens, 1);
    assert.deepEqual(Object.keys(start.usage).sort(), [
      'cache_creation',
      'cache_creation_input_tokens',
      'cache_read_input_tokens',
      'inference_geo',
      'input_tokens',
      'output_tokens',
      'service_tier',
    ]);
    const deltas = events.filter((e) => e.event === 'content_block_delta').map((e) => e.data.delta.text as string);
    assert.ok(deltas.length > 5, `expected many fragments, got ${deltas.length}`);
    assert.equal(deltas.join(''), `Echo: ${longText}`);
    const midWord = deltas.slice(0, -1).some((d, i) => /\w$/.test(d) && /^\w/.test(deltas[i + 1]!));
    assert.ok(midWord, 'some fragment boundary should fall inside a word');
    const delta = events.at(-2)!.data;
    assert.deepEqual(delta.delta, { stop_reason: 'end_turn', stop_sequence: null });
    assert.deepEqual(Object.keys(delta.usage).sort(), ['cache_creation_input_tokens', 'cache_read_input_tokens', 'input_tokens', 'output_tokens']);
    assert.equal(delta.usage.input_tokens, start.usage.input_tokens);
  });

  test('fragments tool input JSON at arbitrary points, leading with an empty fragment', async () => {
    const input = { city: 'San Francisco', units: ['celsius', 'fahrenheit'], detail: { hourly: true, days: 3 } };
    const res = await post(
      fake,
      '/v1/messages',
      request({ stream: true, tools: [weatherTool], messages: [{ role: 'user', content: `CALL get_weather ${JSON.stringify(input)}` }] }),
    );
    const events = parseSse(res.text);
    const blockStart = events.find((e) => e.event === 'content_block_start')!.data.content_block;
    assert.equal(blockStart.type, 'tool_use');
    assert.deepEqual(blockStart.input, {});
    const fragments = events.filter((e) => e.event === 'content_block_delta').map((e) => e.data.delta.partial_json as string);
    assert.equal(fragments[0], '');
    assert.ok(fragments.length > 4);
    assert.deepEqual(JSON.parse(fragments.join('')), input);
  });

  test('the same seed and request order give byte-identical streams', async () => {
    const other = await startFakeAnthropic({ seed: 42 });
    const different = await startFakeAnthropic({ seed: 43 });
    try {
      const body = request({ stream: true, messages: [{ role: 'user', content: longText }] });
      const a = await post(fake, '/v1/messages', body);
      const b = await post(other, '/v1/messages', body);
      const c = await post(different, '/v1/messages', body);
      assert.equal(a.text, b.text);
      assert.notEqual(a.text, c.text);
    } finally {
      await other.close();
      await different.close();
    }
  });

  test('the SDK stream helper accumulates the same message as the non-streaming call', async () => {
    const params = {
      model: 'claude-sonnet-4-5',
      max_tokens: 512,
      tools: [weatherTool] as any,
      messages: [{ role: 'user' as const, content: 'CALL get_weather {"city": "Lisbon", "when": {"day": "tomorrow"}}\nCALL get_weather {"city": "Porto"}' }],
    };
    const streamed: Message = await client(fake).messages.stream(params).finalMessage();
    const plain = await client(fake).messages.create(params);
    const shape = (m: Message) => m.content.map((b) => (b.type === 'tool_use' ? [b.name, b.input] : b.type));
    assert.deepEqual(shape(streamed), [
      ['get_weather', { city: 'Lisbon', when: { day: 'tomorrow' } }],
      ['get_weather', { city: 'Porto' }],
    ]);
    assert.deepEqual(shape(streamed), shape(plain));
    assert.equal(streamed.stop_reason, 'tool_use');
    assert.equal(streamed.usage.output_tokens, plain.usage.output_tokens);
    assert.equal(streamed.usage.input_tokens, plain.usage.input_tokens);
  });
});

describe('thinking', () => {
  const thinkingRequest = (overrides: Record<string, unknown> = {}) =>
    request({ max_tokens: 4096, thinking: { type: 'enabled', budget_tokens: 1024 }, ...overrides });

  test('a thinking request answers with a signed thinking block, then text', async () => {
    const res = await post(fake, '/v1/messages', thinkingRequest());
    assert.equal(res.status, 200);
    const [thinking, text] = res.json.content;
    assert.equal(thinking.type, 'thinking');
    assert.equal(thinking.thinking, 'Considering: Hello');
    assert.ok(thinking.signature.length > 20);
    assert.deepEqual(text, { type: 'text', text: 'Echo: Hello' });
  });

  test('streams thinking deltas and one signature delta before the block stops', async () => {
    const res = await post(fake, '/v1/messages', thinkingRequest({ stream: true }));
    const events = parseSse(res.text).filter((e) => e.data.index === 0);
    assert.deepEqual(events[0]!.data.content_block, { type: 'thinking', thinking: '', signature: '' });
    const deltas = events.filter((e) => e.event === 'content_block_delta').map((e) => e.data.delta);
    assert.equal(deltas.at(-1).type, 'signature_delta');
    assert.ok(deltas.slice(0, -1).every((d: any) => d.type === 'thinking_delta'));
    assert.equal(deltas.slice(0, -1).map((d: any) => d.thinking).join(''), 'Considering: Hello');
    assert.equal(events.at(-1)!.event, 'content_block_stop');
  });

  test('models that think by default return omitted thinking unless display is summarized', async () => {
    const omitted = await post(fake, '/v1/messages', request({ model: 'claude-opus-5' }));
    assert.equal(omitted.json.content[0].type, 'thinking');
    assert.equal(omitted.json.content[0].thinking, '');
    assert.ok(omitted.json.content[0].signature.length > 0);
    const shown = await post(fake, '/v1/messages', request({ model: 'claude-opus-5', thinking: { type: 'adaptive', display: 'summarized' } }));
    assert.equal(shown.json.content[0].thinking, 'Considering: Hello');
  });

  test('signed thinking blocks are accepted back unchanged and refused when altered', async () => {
    const first = await post(
      fake,
      '/v1/messages',
      thinkingRequest({ tools: [weatherTool], messages: [{ role: 'user', content: 'CALL get_weather {"city": "Rome"}' }] }),
    );
    const [thinking, toolUse] = first.json.content;
    assert.equal(toolUse.type, 'tool_use');
    const followUp = (assistant: unknown[]) =>
      thinkingRequest({
        tools: [weatherTool],
        messages: [
          { role: 'user', content: 'CALL get_weather {"city": "Rome"}' },
          { role: 'assistant', content: assistant },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: toolUse.id, content: '21C' }] },
        ],
      });
    const ok = await post(fake, '/v1/messages', followUp([thinking, toolUse]));
    assert.equal(ok.status, 200);
    const tampered = await post(fake, '/v1/messages', followUp([{ ...thinking, thinking: `${thinking.thinking}!` }, toolUse]));
    assert.equal(tampered.status, 400);
    assert.equal(tampered.json.error.message, 'messages.1.content.0: Invalid `signature` in `thinking` block');
    const forged = await post(fake, '/v1/messages', followUp([{ ...thinking, signature: 'forged' }, toolUse]));
    assert.equal(forged.status, 400);
    const missing = await post(fake, '/v1/messages', followUp([toolUse]));
    assert.equal(missing.status, 400);
    assert.match(
      missing.json.error.message,
      /^messages\.1\.content\.0\.type: Expected `thinking` or `redacted_thinking`, but found `tool_use`\. When `thinking` is enabled, a final `assistant` message must start with a thinking block/,
    );
  });
});
