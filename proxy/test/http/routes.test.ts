// Route behaviour through Fastify's inject(): auth, errors, models, health, chat and the Anthropic pass-through,
// against the fake Anthropic.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startAccessTeam } from '../helpers/access-team.ts';
import { ADMIN_KEY, GATEWAY_KEY, startHarness, type Harness } from '../helpers/harness.ts';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h.close());
beforeEach(() => {
  h.fake.reset();
  h.fake.setResponder(undefined);
});

const chatBody = { model: 'sonnet', messages: [{ role: 'user', content: 'Hello there' }] };

function post(url: string, payload: unknown, headers: Record<string, string> = { authorization: `Bearer ${GATEWAY_KEY}` }) {
  return h.app.inject({ method: 'POST', url, payload: payload as object, headers });
}

describe('authentication', () => {
  test('a request without a key gets 401 in OpenAI shape', async () => {
    const res = await post('/v1/chat/completions', chatBody, {});
    assert.equal(res.statusCode, 401);
    assert.deepEqual(Object.keys(res.json().error).sort(), ['code', 'message', 'param', 'type']);
    assert.equal(res.json().error.type, 'authentication_error');
    assert.equal(res.json().error.code, 'missing_api_key');
    assert.equal(h.fake.requests.length, 0);
  });

  test('a wrong key gets 401', async () => {
    const res = await post('/v1/chat/completions', chatBody, { authorization: 'Bearer nope-nope-nope-nope' });
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().error.code, 'invalid_api_key');
  });

  for (const [name, value] of [
    ['authorization', `Bearer ${GATEWAY_KEY}`],
    ['x-api-key', GATEWAY_KEY],
    ['api-key', GATEWAY_KEY],
  ] as const) {
    test(`the key is accepted as ${name}`, async () => {
      const res = await post('/v1/chat/completions', chatBody, { [name]: value });
      assert.equal(res.statusCode, 200, res.body);
    });
  }

  test('health is open and reports version, upstream and features', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/health' });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.status, 'ok');
    assert.match(body.version, /^\d+\.\d+\.\d+/);
    assert.equal(body.upstream.reachable, true);
    assert.equal(body.features.streaming, true);
  });

  test('a foreign Host header is refused (DNS rebinding)', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/health', headers: { host: 'evil.example:8787' } });
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().error.code, 'host_not_allowed');
  });

  test('every response carries a request id and X-Gateway', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/health' });
    assert.match(String(res.headers['x-request-id']), /^req_/);
    assert.match(String(res.headers['x-gateway']), /^coding-gateway\//);
    const echoed = await h.app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'abc-123' } });
    assert.equal(echoed.headers['x-request-id'], 'abc-123');
  });
});

describe('origin lock and Cloudflare Access', () => {
  test('ORIGIN_SECRET and REQUIRE_CF_ACCESS_HEADERS are enforced', async () => {
    const team = await startAccessTeam();
    const locked = await startHarness({
      config: { originSecret: 'the-origin-secret', requireCfAccessHeaders: true, cfAccessTeamDomain: team.origin, cfAccessAudiences: [team.aud] },
    });
    try {
      const auth = { authorization: `Bearer ${GATEWAY_KEY}` };
      const noSecret = await locked.app.inject({ method: 'GET', url: '/v1/models', headers: auth });
      assert.equal(noSecret.statusCode, 403);
      assert.equal(noSecret.json().error.code, 'origin_secret_required');
      const noCf = await locked.app.inject({ method: 'GET', url: '/v1/models', headers: { ...auth, 'x-origin-secret': 'the-origin-secret' } });
      assert.equal(noCf.statusCode, 403);
      assert.equal(noCf.json().error.code, 'cf_access_required');
      // Access consumes service-token headers at its edge and never forwards them: alone they prove nothing.
      const serviceHeaders = await locked.app.inject({
        method: 'GET',
        url: '/v1/models',
        headers: { ...auth, 'x-origin-secret': 'the-origin-secret', 'cf-access-client-id': 'id', 'cf-access-client-secret': 's' },
      });
      assert.equal(serviceHeaders.statusCode, 403);
      const ok = await locked.app.inject({
        method: 'GET',
        url: '/v1/models',
        headers: { ...auth, 'x-origin-secret': 'the-origin-secret', 'cf-access-jwt-assertion': team.token() },
      });
      assert.equal(ok.statusCode, 200);
      const health = await locked.app.inject({ method: 'GET', url: '/health' });
      assert.equal(health.statusCode, 200);
    } finally {
      await locked.close();
      await team.close();
    }
  });
});

describe('models', () => {
  test('lists upstream models, aliases and prefixed ids in OpenAI shape', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/v1/models', headers: h.auth });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.object, 'list');
    const ids = body.data.map((m: { id: string }) => m.id);
    for (const id of ['sonnet', 'opus', 'haiku', h.config.defaultModel, `cg-${h.config.defaultModel}`, 'cg-sonnet']) {
      assert.ok(ids.includes(id), `${id} missing`);
    }
    for (const model of body.data) {
      assert.equal(model.object, 'model');
      assert.equal(typeof model.created, 'number');
      assert.equal(typeof model.owned_by, 'string');
    }
    assert.equal(res.headers['x-model-source'], 'upstream');
    const alias = await h.app.inject({ method: 'GET', url: '/models', headers: h.auth });
    assert.deepEqual(alias.json(), body);
  });

  test('retrieves one model, 404 for an unknown one', async () => {
    const one = await h.app.inject({ method: 'GET', url: '/v1/models/opus', headers: h.auth });
    assert.equal(one.json().id, 'opus');
    const none = await h.app.inject({ method: 'GET', url: '/v1/models/gpt-4o', headers: h.auth });
    assert.equal(none.statusCode, 404);
    assert.equal(none.json().error.code, 'model_not_found');
  });
});

describe('chat completions errors', () => {
  test('malformed JSON is a 400 in OpenAI shape', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/v1/chat/completions', payload: '{"model": "sonnet",', headers: { ...h.auth, 'content-type': 'application/json' } });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.type, 'invalid_request_error');
    assert.equal(res.json().error.code, 'invalid_json');
  });

  test('schema violations name the field', async () => {
    const res = await post('/v1/chat/completions', { model: 'sonnet', messages: [] });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.param, 'messages');
    const n = await post('/v1/chat/completions', { ...chatBody, n: 3 });
    assert.equal(n.statusCode, 400);
    assert.equal(n.json().error.param, 'n');
  });

  test('a model Anthropic does not know is 404; newer claude ids pass through', async () => {
    const res = await post('/v1/chat/completions', { ...chatBody, model: 'gpt-4o' });
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().error.code, 'model_not_found');
    const newer = await post('/v1/chat/completions', { ...chatBody, model: 'claude-sonnet-9-9' });
    assert.equal(newer.statusCode, 404, 'the fake upstream does not know it either');
    assert.equal(h.fake.requests.at(-1)?.body.model, 'claude-sonnet-9-9');
  });

  test('a body over MAX_BODY_BYTES is 413', async () => {
    const small = await startHarness({ config: { maxBodyBytes: 2048 } });
    try {
      const res = await small.app.inject({
        method: 'POST',
        url: '/v1/chat/completions',
        payload: { model: 'sonnet', messages: [{ role: 'user', content: 'x'.repeat(5000) }] },
        headers: small.auth,
      });
      assert.equal(res.statusCode, 413);
      assert.equal(res.json().error.code, 'request_too_large');
    } finally {
      await small.close();
    }
  });

  test('upstream 429 keeps retry-after; 529 becomes 503 overloaded', async () => {
    h.fake.setResponder(() => ({ error: { status: 429, type: 'rate_limit_error', message: 'slow down', headers: { 'retry-after': '7' } } }));
    const limited = await post('/v1/chat/completions', chatBody);
    assert.equal(limited.statusCode, 429);
    assert.equal(limited.headers['retry-after'], '7');
    assert.equal(limited.json().error.type, 'rate_limit_error');

    h.fake.setResponder(() => ({ error: { status: 529, type: 'overloaded_error', message: 'Overloaded' } }));
    const overloaded = await post('/v1/chat/completions', chatBody);
    assert.equal(overloaded.statusCode, 503);
    assert.equal(overloaded.json().error.code, 'overloaded');
  });

  test('an error event as the first streamed event becomes a real status', async () => {
    h.fake.setResponder(() => ({ content: [{ type: 'text', text: 'hi' }], errorEventAfter: 0 }));
    const res = await post('/v1/chat/completions', { ...chatBody, stream: true });
    assert.equal(res.statusCode, 503);
    assert.equal(res.headers['content-type']?.toString().includes('application/json'), true);
  });

  test('unknown routes are 404 in OpenAI shape', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/v1/nothing', headers: h.auth });
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().error.type, 'not_found_error');
  });
});

describe('chat completions', () => {
  test('non-streaming: translated request upstream, OpenAI response back', async () => {
    const res = await post('/v1/chat/completions', { ...chatBody, max_tokens: 100, user: 'u-1' });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.object, 'chat.completion');
    assert.match(body.id, /^chatcmpl-/);
    assert.equal(body.model, h.config.defaultModel);
    assert.equal(body.choices[0].message.role, 'assistant');
    assert.equal(body.choices[0].message.content, 'Echo: Hello there');
    assert.equal(body.choices[0].finish_reason, 'stop');
    assert.equal(body.usage.total_tokens, body.usage.prompt_tokens + body.usage.completion_tokens);
    assert.equal(res.headers['x-model-source'], 'alias');

    const upstream = h.fake.requests.at(-1)!;
    assert.equal(upstream.path, '/v1/messages');
    assert.equal(upstream.body.model, h.config.defaultModel);
    assert.equal(upstream.body.max_tokens, 100);
    assert.deepEqual(upstream.body.metadata, { user_id: 'u-1' });
    assert.equal(upstream.headers['x-api-key'], 'sk-ant-fake-upstream-key');
    assert.equal(upstream.headers['anthropic-version'], '2023-06-01');
  });

  test('streaming: SSE chunks end with [DONE]', async () => {
    const res = await post('/v1/chat/completions', { ...chatBody, stream: true, stream_options: { include_usage: true } });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /text\/event-stream/);
    const frames = res.body.split('\n\n').filter(Boolean);
    assert.equal(frames.at(-1), 'data: [DONE]');
    const chunks = frames.slice(0, -1).map((f) => JSON.parse(f.replace(/^data: /, '')));
    assert.equal(chunks[0].choices[0].delta.role, 'assistant');
    const text = chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('');
    assert.equal(text, 'Echo: Hello there');
    const usage = chunks.at(-1);
    assert.deepEqual(usage.choices, []);
    assert.ok(usage.usage.prompt_tokens > 0);
  });

  test('the prefixed id and an exact id both route', async () => {
    const prefixed = await post('/v1/chat/completions', { ...chatBody, model: `cg-${h.config.opusModel}` });
    assert.equal(prefixed.statusCode, 200);
    assert.equal(prefixed.headers['x-model-source'], 'prefix');
    assert.equal(h.fake.requests.at(-1)?.body.model, h.config.opusModel);
  });

  test('adjustments made for the model are reported in a header', async () => {
    const res = await post('/v1/chat/completions', { ...chatBody, model: 'opus', temperature: 0.2, top_p: 0.5 });
    assert.equal(res.statusCode, 200, res.body);
    assert.ok(String(res.headers['x-gateway-adjustments'] ?? '').length > 0);
  });
});

describe('Anthropic pass-through', () => {
  const anthropicHeaders = { 'x-api-key': GATEWAY_KEY, 'anthropic-version': '2023-06-01', 'anthropic-beta': 'some-beta-2026-01-01' };
  const message = { model: 'claude-haiku-4-5', max_tokens: 50, messages: [{ role: 'user', content: 'Hi' }] };

  test('forwards version and beta headers unchanged and returns Anthropic JSON', async () => {
    const res = await post('/v1/messages', message, anthropicHeaders);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().type, 'message');
    const upstream = h.fake.requests.at(-1)!;
    assert.equal(upstream.headers['anthropic-beta'], 'some-beta-2026-01-01');
    assert.equal(upstream.headers['anthropic-version'], '2023-06-01');
    assert.equal(upstream.headers['x-api-key'], 'sk-ant-fake-upstream-key');
  });

  test('streams Anthropic SSE through untouched', async () => {
    const res = await post('/v1/messages', { ...message, stream: true }, anthropicHeaders);
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /^event: message_start/);
    assert.match(res.body, /event: message_stop/);
  });

  test('count_tokens passes through', async () => {
    const res = await post('/v1/messages/count_tokens', { model: message.model, messages: message.messages }, anthropicHeaders);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(typeof res.json().input_tokens, 'number');
  });

  test('gateway errors on this route are in Anthropic shape; upstream errors pass unchanged', async () => {
    const unauth = await post('/v1/messages', message, { 'anthropic-version': '2023-06-01' });
    assert.equal(unauth.statusCode, 401);
    assert.equal(unauth.json().type, 'error');
    assert.equal(unauth.json().error.type, 'authentication_error');
    const bad = await post('/v1/messages', { ...message, max_tokens: undefined }, anthropicHeaders);
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().type, 'error');
    assert.equal(bad.json().error.type, 'invalid_request_error');
  });

  test('the admin key also opens the API', async () => {
    const res = await post('/v1/chat/completions', chatBody, { authorization: `Bearer ${ADMIN_KEY}` });
    assert.equal(res.statusCode, 200);
  });
});
