// One structured log line per request, with the routing facts and no keys or bodies.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { ADMIN_KEY, GATEWAY_KEY, startHarness } from '../helpers/harness.ts';

function captureLogs() {
  const lines: Array<Record<string, any>> = [];
  let raw = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      raw += chunk.toString();
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, stream, raw: () => raw };
}

test('each request logs one line with the routing facts, never the key or the body', async () => {
  const logs = captureLogs();
  const h = await startHarness({ deps: { logger: { level: 'info', stream: logs.stream } } });
  try {
    const secretText = 'my-very-private-prompt-text';
    const res = await h.app.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: { authorization: `Bearer ${GATEWAY_KEY}`, 'user-agent': 'test-client/1.0' },
      payload: {
        model: 'sonnet',
        messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: secretText }],
        tools: [{ type: 'function', function: { name: 'read_file', parameters: { type: 'object', properties: {} } } }],
      },
    });
    assert.equal(res.statusCode, 200, res.body);
    const requestLines = logs.lines.filter((l) => l.msg === 'request');
    assert.equal(requestLines.length, 1);
    const line = requestLines[0]!;
    assert.equal(line.status, 200);
    assert.equal(line.path, '/v1/chat/completions');
    assert.equal(line.client, 'test-client/1.0');
    assert.equal(line.requestedModel, 'sonnet');
    assert.equal(line.model, h.config.defaultModel);
    assert.equal(line.modelSource, 'alias');
    assert.equal(line.tools, 1);
    assert.equal(line.messages, 2);
    assert.equal(line.roles, 'system:1 user:1');
    assert.deepEqual(line.fields, ['messages', 'model', 'tools']);
    assert.equal(line.upstreamStatus, 200);
    assert.equal(line.stream, false);
    assert.match(line.keyId, /^key_[0-9a-f]{10}$/);
    assert.equal(typeof line.usage.prompt, 'number');
    assert.equal(typeof line.ms, 'number');
    assert.equal(line.reqId, res.headers['x-request-id']);
    assert.doesNotMatch(logs.raw(), new RegExp(GATEWAY_KEY));
    assert.doesNotMatch(logs.raw(), new RegExp(secretText));
    assert.doesNotMatch(logs.raw(), /sk-ant-fake-upstream-key/);
  } finally {
    await h.close();
  }
});

test('failed requests log their error type', async () => {
  const logs = captureLogs();
  const h = await startHarness({ deps: { logger: { level: 'info', stream: logs.stream } } });
  try {
    await h.app.inject({ method: 'POST', url: '/v1/chat/completions', headers: { authorization: 'Bearer wrong-wrong-wrong' }, payload: { model: 'x', messages: [] } });
    const line = logs.lines.find((l) => l.msg === 'request')!;
    assert.equal(line.status, 401);
    assert.equal(line.errorType, 'invalid_api_key');
    assert.doesNotMatch(logs.raw(), /wrong-wrong-wrong/);
  } finally {
    await h.close();
  }
});

test('an admin query its schema refuses still logs as an admin call', async () => {
  const logs = captureLogs();
  const h = await startHarness({ deps: { logger: { level: 'info', stream: logs.stream } } });
  try {
    const res = await h.app.inject({ method: 'GET', url: '/admin/requests?limit=0', headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    assert.equal(res.statusCode, 400);
    const line = logs.lines.find((l) => l.msg === 'request')!;
    assert.equal(line.status, 400);
    assert.equal(line.endpoint, 'admin');
    assert.equal(line.errorType, 'invalid_request_error');
  } finally {
    await h.close();
  }
});
