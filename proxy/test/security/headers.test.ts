// Response heads stay small and clean whatever the client sends: values are bounded and printable, request ids
// are echoed only when they are short and plain, and notes are cut with a count of what was left out.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startHarness, type Harness } from '../helpers/harness.ts';

let h: Harness;
before(async () => {
  h = await startHarness({ listen: true });
});
after(() => h.close());

const headBytes = (headers: Record<string, unknown>) => Object.entries(headers).reduce((n, [k, v]) => n + k.length + String(v).length + 4, 0);

test('a hostile x-request-id is replaced, not echoed', async () => {
  for (const id of ['r'.repeat(5000), 'a\r\nSet-Cookie: x=1', 'ünï', '']) {
    const res = await fetch(`${h.baseURL}/models`, { headers: { ...h.auth, 'x-request-id': encodeURIComponent(id).slice(0, 6000) } });
    const echoed = res.headers.get('x-request-id') ?? '';
    assert.ok(echoed.length <= 128 && /^[A-Za-z0-9._:%-]*$/.test(echoed), echoed.slice(0, 100));
  }
});

test('model ids and tool notes from the client never grow the head past a few kilobytes', async () => {
  const messages: Array<Record<string, unknown>> = [{ role: 'user', content: 'go' }];
  for (let i = 0; i < 2000; i++) {
    messages.push({ role: 'assistant', tool_calls: [{ id: `c${i}`, type: 'function', function: { name: 't', arguments: `not json ${i} ${'\u00ff'.repeat(50)}` } }] });
    messages.push({ role: 'tool', tool_call_id: `c${i}`, content: 'ok' });
  }
  const res = await fetch(`${h.baseURL}/chat/completions`, {
    method: 'POST',
    headers: { ...h.auth, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'claude-sonnet-4-5', messages, tools: [{ type: 'function', function: { name: 't' } }] }),
  });
  const headers = Object.fromEntries(res.headers);
  assert.equal(res.status, 200);
  assert.ok(headBytes(headers) < 8 * 1024, `head of ${headBytes(headers)} bytes`);
  assert.match(headers['x-gateway-adjustments'] ?? '', /more notes\)$/);
  for (const value of Object.values(headers)) assert.match(value, /^[\x20-\x7e]*$/);
});

test('the Anthropic pass-through answers its errors in its own shape', async () => {
  const res = await fetch(`${h.baseURL}/messages`, { method: 'POST', headers: { ...h.auth, 'content-type': 'application/json' }, body: '{"model":' + '['.repeat(5000) });
  assert.equal(res.status, 400);
  const body = (await res.json()) as { type: string; error: { type: string } };
  assert.equal(body.type, 'error');
  assert.equal(body.error.type, 'invalid_request_error');
});
