// /v1/responses on the wire: named SSE events without a [DONE] line, keep-alive comments while the model is
// silent, and the response cache (an identical request answered as JSON or replayed as the event stream, with
// nothing sent upstream).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type OpenAI from 'openai';
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { Agent } from 'undici';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { assertValidEvents, assertValidResponse, responsesClient, stripSdkExtras } from './responses-helpers.ts';
import { postSse } from './raw-sse.ts';
import { messageCalls } from './scripted-model.ts';

const pool = new Agent();
let h: Harness;
let client: OpenAI;
before(async () => {
  h = await startHarness({ listen: true, config: { cacheTtlSeconds: 600 } });
  h.fake.setResponder(() => ({ content: [{ type: 'thinking', thinking: 'Short.' }, { type: 'text', text: 'Cached answer.' }], stopReason: 'end_turn' }));
  client = responsesClient(h, pool);
});
after(async () => {
  await pool.destroy();
  await h.close();
});

test('a repeated request is answered from the cache, as JSON and as a replayed stream', async () => {
  const body = { model: 'sonnet', input: 'Say something cacheable.', temperature: 0, include: ['reasoning.encrypted_content' as const] };
  const first = await client.responses.create({ ...body }).withResponse();
  assert.equal(first.response.headers.get('x-cache'), 'MISS');
  const upstreamCalls = messageCalls(h.fake.requests).length;

  const again = await client.responses.create({ ...body }).withResponse();
  assert.equal(again.response.headers.get('x-cache'), 'HIT');
  assertValidResponse(again.data);
  assert.notEqual(again.data.id, first.data.id);
  assert.deepEqual(again.data.output.map((o) => o.type), ['reasoning', 'message']);
  assert.equal(again.data.output_text, 'Cached answer.');

  const stream = client.responses.stream({ ...body });
  const events: ResponseStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  const streamed = await stream.finalResponse();
  assertValidEvents(events);
  assert.equal(events.at(-1)!.type, 'response.completed');
  assert.deepEqual(stripSdkExtras(streamed.output).map((o: { type: string }) => o.type), ['reasoning', 'message']);
  assert.equal(streamed.output_text, 'Cached answer.');
  assert.equal(messageCalls(h.fake.requests).length, upstreamCalls, 'nothing more was sent upstream');
});

test('every frame is a named event whose name is its type; keep-alives flow while the model is silent', async () => {
  const slow = await startHarness({ listen: true, config: { keepAliveMs: 100 } });
  try {
    slow.fake.setResponder(() => ({ content: [{ type: 'text', text: 'Finally.' }], eventDelayMs: 400 }));
    const res = await fetch(`${slow.baseURL}/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...slow.auth },
      body: JSON.stringify({ model: 'sonnet', input: 'take your time', stream: true }),
      signal: AbortSignal.timeout(20_000),
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
    const frames = (await res.text()).split('\n\n').filter((f) => f !== '');
    const comments = frames.filter((f) => f.startsWith(':'));
    assert.ok(comments.length >= 3, `keep-alives sent: ${comments.length}`);
    const events = frames.filter((f) => !f.startsWith(':'));
    for (const frame of events) {
      const [eventLine, dataLine] = frame.split('\n');
      const data = JSON.parse(dataLine!.slice('data: '.length));
      assert.equal(eventLine, `event: ${data.type}`);
    }
    assert.ok(!frames.some((f) => f.includes('[DONE]')));
    assert.equal(JSON.parse(events.at(-1)!.split('\n')[1]!.slice(6)).response.output[0].content[0].text, 'Finally.');
    const raw = await postSse(`${slow.baseURL}/responses`, slow.auth, { model: 'sonnet', input: 'again', stream: true });
    assert.ok(raw.frames.findIndex((f) => f.kind === 'comment') < raw.frames.findIndex((f) => f.text.includes('output_text.delta')), 'a keep-alive came before the content');
  } finally {
    await slow.close();
  }
});
