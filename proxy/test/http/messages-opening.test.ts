// The Anthropic pass-through reads a stream's opening before answering: an error event that opens a 200 stream
// is retried like an error status, and what the client finally gets is the upstream's bytes, unchanged.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { GATEWAY_KEY, startHarness, type Harness } from '../helpers/harness.ts';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h.close());

const headers = { 'x-api-key': GATEWAY_KEY, 'anthropic-version': '2023-06-01' };
const body = { model: 'claude-haiku-4-5', max_tokens: 64, stream: true, messages: [{ role: 'user', content: 'Say hello' }] };

test('an error event opening a 200 stream is retried before the client sees a byte', async () => {
  let calls = 0;
  h.fake.setResponder(() => (++calls === 1 ? { content: [{ type: 'text', text: 'never shown' }], errorEventAfter: 0 } : { content: [{ type: 'text', text: 'hello there' }] }));
  const res = await h.app.inject({ method: 'POST', url: '/v1/messages', headers, payload: body });
  h.fake.setResponder(undefined);
  assert.equal(res.statusCode, 200);
  assert.equal(calls, 2, 'the first stream failed at its opening and was tried again');
  assert.doesNotMatch(res.body, /event: error/);
  assert.doesNotMatch(res.body, /never shown/);
  const text = [...res.body.matchAll(/"text":"([^"]*)"/g)].map((m) => m[1]).join('');
  assert.equal(text, 'hello there');
  assert.match(res.body, /^event: message_start/);
  assert.match(res.body, /event: message_stop\ndata: \{"type":"message_stop"\}\n\n$/);
});

test('an error after content has started still reaches the client in-band', async () => {
  h.fake.setResponder(() => ({ content: [{ type: 'text', text: 'one two three four five six' }], errorEventAfter: 3 }));
  const res = await h.app.inject({ method: 'POST', url: '/v1/messages', headers, payload: body });
  h.fake.setResponder(undefined);
  assert.equal(res.statusCode, 200);
  assert.match(res.body, /event: error/);
  assert.equal(h.fake.requests.filter((r) => r.path === '/v1/messages').length >= 1, true);
});
