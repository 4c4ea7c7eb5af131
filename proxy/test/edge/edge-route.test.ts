// The OpenAI route refuses, with the client's own field paths, what Anthropic would refuse, and corrects what it
// safely can, saying so in X-Gateway-Adjustments. Nothing it refuses reaches the strict fake upstream.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { IMAGES } from './images.ts';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h.close());

const chat = (body: Record<string, unknown>) =>
  h.app.inject({ method: 'POST', url: '/v1/chat/completions', headers: h.auth, payload: { model: 'claude-sonnet-4-5', ...body } });
const imageMessage = (url: string) => [{ role: 'user', content: [{ type: 'text', text: 'look' }, { type: 'image_url', image_url: { url } }] }];

describe('refused at the edge, with the client path', () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['invalid base64', { messages: imageMessage('data:image/png;base64,@@@@') }, 'messages[0].content[1].image_url'],
    ['empty payload', { messages: imageMessage('data:image/png;base64,') }, 'messages[0].content[1].image_url'],
    ['not an image', { messages: imageMessage(`data:image/png;base64,${Buffer.from('hello').toString('base64')}`) }, 'messages[0].content[1].image_url'],
    [
      'tool name with a NUL byte',
      { messages: [{ role: 'user', content: 'hi' }], tools: [{ type: 'function', function: { name: 'ok' } }, { type: 'function', function: { name: 'a\u0000b' } }] },
      'tools[1].function.name',
    ],
    ['tool name of 200 characters', { messages: [{ role: 'user', content: 'hi' }], tools: [{ type: 'function', function: { name: 'n'.repeat(200) } }] }, 'tools[0].function.name'],
    [
      'duplicated tool name',
      { messages: [{ role: 'user', content: 'hi' }], tools: [{ type: 'function', function: { name: 'x' } }, { type: 'function', function: { name: 'x' } }] },
      'tools[1].function.name',
    ],
  ];
  for (const [name, body, param] of cases) {
    test(name, async () => {
      const before = h.fake.requests.length;
      const res = await chat(body);
      assert.equal(res.statusCode, 400, res.body);
      assert.equal(res.json().error.type, 'invalid_request_error');
      assert.equal(res.json().error.param, param);
      assert.equal(h.fake.requests.length, before, 'nothing reached the upstream');
    });
  }
});

describe('corrected and noted', () => {
  test('a PNG labelled GIF is sent as PNG', async () => {
    const res = await chat({ messages: imageMessage(`data:image/gif;base64,${IMAGES['image/png']}`) });
    assert.equal(res.statusCode, 200, res.body);
    assert.match(String(res.headers['x-gateway-adjustments']), /messages\[0\]\.content\[1\]\.image_url declared image\/gif but holds image\/png/);
    const sent = h.fake.requests.at(-1)!.body as { messages: Array<{ content: Array<{ source?: { media_type: string } }> }> };
    assert.equal(sent.messages[0]!.content[1]!.source!.media_type, 'image/png');
  });

  test('a JPEG labelled PNG inside a tool result is sent as JPEG', async () => {
    const messages = [
      { role: 'user', content: 'shoot' },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'shot', input: {} }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: IMAGES['image/jpeg'] } }] }] },
    ];
    const res = await chat({ messages, tools: [{ type: 'function', function: { name: 'shot' } }] });
    assert.equal(res.statusCode, 200, res.body);
    assert.match(String(res.headers['x-gateway-adjustments']), /messages\[2\]\.content\[0\]\.content\[0\]\.source\.data declared image\/png but holds image\/jpeg/);
  });

  test('top_p 0 becomes temperature 0 and a long user id its hash', async () => {
    const res = await chat({ messages: [{ role: 'user', content: 'hi' }], top_p: 0, user: 'u'.repeat(300) });
    assert.equal(res.statusCode, 200, res.body);
    const sent = h.fake.requests.at(-1)!.body as { top_p?: number; temperature?: number; metadata: { user_id: string } };
    assert.equal(sent.top_p, undefined);
    assert.equal(sent.temperature, 0);
    assert.match(sent.metadata.user_id, /^sha256:[0-9a-f]{64}$/);
  });
});

describe('limits that never become 500s', () => {
  test('10,000 levels of nesting in a tool schema, response_format or tool arguments', async () => {
    const deep = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000);
    const bodies = [
      `{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{"name":"t","parameters":${deep}}}]}`,
      `{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"hi"}],"response_format":{"type":"json_schema","json_schema":{"name":"x","schema":${deep}}}}`,
    ];
    for (const payload of bodies) {
      const res = await h.app.inject({ method: 'POST', url: '/v1/chat/completions', headers: { ...h.auth, 'content-type': 'application/json' }, payload });
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().error.code, 'json_too_deep');
    }
    const res = await chat({
      messages: [
        { role: 'user', content: 'go' },
        { role: 'assistant', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 't', arguments: '['.repeat(50_000) + ']'.repeat(50_000) } }] },
        { role: 'tool', tool_call_id: 'call_1', content: 'done' },
      ],
      tools: [{ type: 'function', function: { name: 't' } }],
    });
    assert.equal(res.statusCode, 200, res.body);
  });

  test('an over-long path segment and an unknown route answer in OpenAI shape', async () => {
    for (const url of [`/v1/models/${'m'.repeat(5000)}`, '/v1/nowhere', '/v1/models/%E0%A4%A']) {
      const res = await h.app.inject({ method: 'GET', url, headers: h.auth });
      assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${url} ${res.statusCode}`);
      assert.equal(typeof res.json().error.message, 'string');
      assert.equal(typeof res.json().error.type, 'string');
    }
  });

  test('huge model ids and 10,000 tool messages keep the response head small', async () => {
    const messages: Array<Record<string, unknown>> = [{ role: 'user', content: 'go' }];
    for (let i = 0; i < 5000; i++) {
      messages.push({ role: 'assistant', tool_calls: [{ id: `call_${i}_${'x'.repeat(200)}`, type: 'function', function: { name: 't', arguments: 'not json' } }] });
      messages.push({ role: 'tool', tool_call_id: `call_${i}_${'x'.repeat(200)}`, content: 'ok' });
    }
    const res = await chat({ messages, tools: [{ type: 'function', function: { name: 't' } }] });
    const head = Object.entries(res.headers).reduce((n, [k, v]) => n + k.length + String(v).length + 4, 0);
    assert.ok(head < 16 * 1024, `response head is ${head} bytes (${res.statusCode})`);
    const long = await chat({ model: `claude-${'x'.repeat(100_000)}`, messages: [{ role: 'user', content: 'hi' }] });
    const longHead = Object.entries(long.headers).reduce((n, [k, v]) => n + k.length + String(v).length + 4, 0);
    assert.ok(longHead < 16 * 1024);
    assert.ok(long.body.length < 8 * 1024);
  });
});
