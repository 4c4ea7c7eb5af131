// The response cache on /v1/responses: an identical request is answered from the cache, as JSON or replayed as
// the Responses event stream, with nothing sent upstream and the same output the first answer had.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type OpenAI from 'openai';
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { Agent } from 'undici';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { assertValidEvents, assertValidResponse, responsesClient, stripSdkExtras } from './responses-helpers.ts';
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
