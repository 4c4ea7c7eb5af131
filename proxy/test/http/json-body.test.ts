// The JSON body parser: prototype-poisoning keys are refused however they are spelled, and everything else parses.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { GATEWAY_KEY, startHarness, type Harness } from '../helpers/harness.ts';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h.close());

const post = (payload: string) =>
  h.app.inject({ method: 'POST', url: '/v1/chat/completions', headers: { authorization: `Bearer ${GATEWAY_KEY}`, 'content-type': 'application/json' }, payload });

for (const [name, body] of [
  ['__proto__', '{"model":"sonnet","messages":[{"role":"user","content":"hi"}],"__proto__":{"x":1}}'],
  ['escaped __proto__', '{"model":"sonnet","messages":[{"role":"user","content":"hi"}],"\\u005f\\u005fproto__":{"x":1}}'],
  ['constructor', '{"model":"sonnet","messages":[{"role":"user","content":"hi","constructor":{"prototype":{}}}]}'],
  ['nested escaped __proto__', '{"model":"sonnet","messages":[{"role":"user","content":[{"type":"text","text":"hi","\\u005f_proto__":{}}]}]}'],
] as const) {
  test(`a body with a ${name} key is a 400 in OpenAI's error shape`, async () => {
    const res = await post(body);
    assert.equal(res.statusCode, 400, res.body);
    assert.equal(res.json().error.type, 'invalid_request_error');
    assert.match(res.json().error.message, /could reach an object prototype/);
  });
}

test('malformed and empty bodies keep their answers', async () => {
  const malformed = await post('{"model":');
  assert.equal(malformed.statusCode, 400);
  assert.equal(malformed.json().error.code, 'invalid_json');
  const empty = await post('');
  assert.equal(empty.statusCode, 400);
  assert.equal(empty.json().error.code, 'invalid_json');
});

test('a body that only mentions the words in its strings parses', async () => {
  const res = await post(JSON.stringify({ model: 'sonnet', messages: [{ role: 'user', content: 'what does "__proto__" or a constructor do?' }] }));
  assert.equal(res.statusCode, 200, res.body);
});
