// Projects and their keys through the admin API and then through the API itself: the lifecycle (create, list,
// update, delete; keys created once, listed by prefix, revoked), validation, and isolation (a project key opens
// only the API, for its own project, with its own policy; a revoked key is a 401).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, beforeEach, describe, test } from 'node:test';
import { ADMIN_KEY, GATEWAY_KEY, startHarness, type Harness } from '../helpers/harness.ts';

const admin = { authorization: `Bearer ${ADMIN_KEY}` };
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

function api(h: Harness, key: string, payload: object) {
  return h.app.inject({ method: 'POST', url: '/v1/chat/completions', headers: bearer(key), payload });
}

describe('with ENABLE_MULTI_PROJECT on', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ config: { enableMultiProject: true } });
  });
  after(() => h.close());
  beforeEach(() => h.fake.reset());

  const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object, headers = admin) =>
    h.app.inject({ method, url, headers, ...(payload !== undefined && { payload }) });

  let alphaKey = '';
  let alphaKeyId = '';

  test('a project is created with its whole policy (201) and listed after the default project', async () => {
    const res = await call('POST', '/admin/projects', {
      id: 'alpha', name: 'Alpha', rateLimitRpm: 30, tokensPerMinute: 100_000, defaultModel: 'haiku', maxTokensCap: 100,
      allowedTools: ['web_search'], reduction: { prune: false, strip: true }, fallbackChain: ['opus', 'sonnet'],
    });
    assert.equal(res.statusCode, 201);
    const project = res.json();
    assert.match(project.createdAt, /^\d{4}-\d{2}-\d{2}T/);
    assert.deepEqual({ ...project, createdAt: 'x' }, {
      id: 'alpha', name: 'Alpha', rateLimitRpm: 30, tokensPerMinute: 100_000, defaultModel: 'haiku', maxTokensCap: 100,
      allowedTools: ['web_search'], reduction: { prune: false, strip: true }, fallbackChain: ['opus', 'sonnet'], createdAt: 'x', keys: [],
    });
    const list = (await call('GET', '/admin/projects')).json();
    assert.deepEqual(list.data.map((p: { id: string }) => p.id), ['default', 'alpha']);
    const generated = await call('POST', '/admin/projects', { name: 'Generated id' });
    assert.match(generated.json().id, /^proj_[0-9a-f]{10}$/);
    assert.equal(generated.json().defaultModel, null);
  });

  test('a key is shown once (201), kept only as a SHA-256 hash, and listed by prefix', async () => {
    const res = await call('POST', '/admin/projects/alpha/keys', { name: 'ci' });
    assert.equal(res.statusCode, 201);
    const created = res.json();
    assert.match(created.key, /^cgp_[A-Za-z0-9_-]{32}$/);
    assert.match(created.id, /^pk_[0-9a-f]{16}$/);
    assert.deepEqual(Object.keys(created).sort(), ['createdAt', 'id', 'key', 'lastUsedAt', 'name', 'prefix', 'revokedAt']);
    assert.equal(created.prefix, created.key.slice(0, 8));
    assert.equal(created.name, 'ci');
    alphaKey = created.key;
    alphaKeyId = created.id;

    const rows = h.app.gatewayContext.store.db.prepare('SELECT * FROM project_keys').all() as Array<Record<string, unknown>>;
    assert.equal(rows.length, 1);
    assert.ok(!JSON.stringify(rows).includes(alphaKey), 'the key itself is stored nowhere');
    assert.equal(rows[0]!.key_hash, createHash('sha256').update(alphaKey).digest('hex'));

    const listed = (await call('GET', '/admin/projects/alpha/keys')).json();
    assert.deepEqual(listed, { data: [{ id: alphaKeyId, name: 'ci', prefix: created.prefix, createdAt: created.createdAt, revokedAt: null, lastUsedAt: null }] });
    assert.deepEqual((await call('GET', '/admin/projects/alpha')).json().keys, listed.data);
  });

  test("the key's requests run under its project: default model, max_tokens cap, usage record", async () => {
    const res = await api(h, alphaKey, { max_tokens: 5000, messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['x-routed-model'], 'claude-haiku-5-5', 'no model named: the project default');
    assert.match(String(res.headers['x-gateway-adjustments']), /max_tokens 5000 clamped to 100 \(the max_tokens cap of project alpha\)/);
    assert.equal(h.fake.requests[0]!.body.max_tokens, 100);

    const unset = await api(h, alphaKey, { model: 'default', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(unset.headers['x-routed-model'], 'claude-haiku-5-5', "'default' names the project default too");
    assert.ok(h.fake.requests[1]!.body.max_tokens <= 100, 'the model default is capped as well');

    const named = await api(h, alphaKey, { model: 'opus', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(named.headers['x-routed-model'], 'claude-opus-5-5', 'a named model wins over the default');
    assert.equal(named.headers['x-gateway-adjustments'], undefined);

    const records = (await call('GET', '/admin/requests?project=alpha')).json().data;
    assert.equal(records.length, 3);
    for (const r of records) {
      assert.equal(r.projectId, 'alpha');
      assert.equal(r.keyId, alphaKeyId);
    }
    assert.equal((await call('GET', '/admin/projects/alpha/keys')).json().data[0].lastUsedAt !== null, true);
  });

  test('the cap holds on the Anthropic pass-through too', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/v1/messages',
      headers: { ...bearer(alphaKey), 'anthropic-version': '2023-06-01' },
      payload: { model: 'claude-sonnet-4-5', max_tokens: 5000, messages: [{ role: 'user', content: 'hi' }] },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(h.fake.requests[0]!.body.max_tokens, 100);
    assert.equal(res.headers['x-gateway-adjustments'], 'max_tokens 5000 clamped to 100 (the max_tokens cap of project alpha)');
  });

  test('the gateway key still speaks for the default project', async () => {
    const res = await api(h, GATEWAY_KEY, { model: 'sonnet', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(res.statusCode, 200);
    const record = (await call('GET', `/admin/requests/${res.headers['x-request-id']}`)).json();
    assert.equal(record.projectId, 'default');
    assert.match(record.keyId, /^key_[0-9a-f]{10}$/);
  });

  test('a project key opens the API but no admin route, so it sees nothing of other projects', async () => {
    assert.equal((await h.app.inject({ method: 'GET', url: '/v1/models', headers: bearer(alphaKey) })).statusCode, 200);
    for (const url of ['/admin/projects', '/admin/projects/alpha', '/admin/usage', '/admin/requests', '/admin/export', '/admin/prices']) {
      const res = await h.app.inject({ method: 'GET', url, headers: bearer(alphaKey) });
      assert.equal(res.statusCode, 403, url);
      assert.equal(res.json().error.code, 'admin_key_required');
    }
    const write = await call('POST', '/admin/projects', { name: 'sneaky' }, bearer(alphaKey));
    assert.equal(write.statusCode, 403);
  });

  test('the default project policy applies to the gateway key', async () => {
    const put = await call('PUT', '/admin/projects/default', { maxTokensCap: 64 });
    assert.equal(put.statusCode, 200);
    assert.equal(put.json().maxTokensCap, 64);
    const res = await api(h, GATEWAY_KEY, { model: 'sonnet', max_tokens: 1000, messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(h.fake.requests[0]!.body.max_tokens, 64);
    assert.match(String(res.headers['x-gateway-adjustments']), /clamped to 64 \(the max_tokens cap of project default\)/);
    await call('PUT', '/admin/projects/default', { maxTokensCap: null });
  });

  test('PUT changes only the fields it names', async () => {
    const res = await call('PUT', '/admin/projects/alpha', { name: 'Alpha 2', maxTokensCap: null, createdAt: 'ignored', keys: [] });
    assert.equal(res.statusCode, 200);
    const p = res.json();
    assert.deepEqual([p.name, p.maxTokensCap, p.defaultModel, p.rateLimitRpm, p.fallbackChain], ['Alpha 2', null, 'haiku', 30, ['opus', 'sonnet']]);
  });

  test('a revoked key is refused at once with 401; revoking is idempotent; unknown keys are 404', async () => {
    const del = await call('DELETE', `/admin/projects/alpha/keys/${alphaKeyId}`);
    assert.equal(del.statusCode, 204);
    assert.equal(del.body, '');
    const refused = await api(h, alphaKey, { model: 'sonnet', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(refused.statusCode, 401);
    assert.equal(refused.json().error.code, 'invalid_api_key');
    assert.match((await call('GET', '/admin/projects/alpha/keys')).json().data[0].revokedAt, /^\d{4}-/);
    assert.equal((await call('DELETE', `/admin/projects/alpha/keys/${alphaKeyId}`)).statusCode, 204);
    const unknown = await call('DELETE', '/admin/projects/alpha/keys/pk_0000');
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.json().error.code, 'key_not_found');
  });

  test("a key is bound to its project: another project's id in the path finds nothing", async () => {
    const beta = (await call('POST', '/admin/projects', { id: 'beta', name: 'Beta' })).json();
    const key = (await call('POST', '/admin/projects/beta/keys')).json();
    assert.equal((await call('DELETE', `/admin/projects/alpha/keys/${key.id}`)).statusCode, 404);
    assert.deepEqual((await call('GET', '/admin/projects/alpha/keys')).json().data.map((k: { id: string }) => k.id), [alphaKeyId]);
    assert.equal(beta.id, 'beta');
  });

  test('deleting a project revokes its keys; its id stays taken; the default project cannot be deleted', async () => {
    const key = (await call('POST', '/admin/projects/beta/keys', { name: 'second' })).json().key;
    assert.equal((await api(h, key, { model: 'sonnet', messages: [{ role: 'user', content: 'hi' }] })).statusCode, 200);
    assert.equal((await call('DELETE', '/admin/projects/beta')).statusCode, 204);
    assert.equal((await api(h, key, { model: 'sonnet', messages: [{ role: 'user', content: 'hi' }] })).statusCode, 401);
    const gone = await call('GET', '/admin/projects/beta');
    assert.equal(gone.statusCode, 404);
    assert.equal(gone.json().error.code, 'project_not_found');
    assert.equal((await call('DELETE', '/admin/projects/beta')).statusCode, 404);
    const again = await call('POST', '/admin/projects', { id: 'beta', name: 'Beta again' });
    assert.equal(again.statusCode, 400);
    assert.equal(again.json().error.code, 'project_exists');
    const usage = (await call('GET', '/admin/usage?project=beta')).json();
    assert.deepEqual(usage.byProject.map((p: { projectName: string }) => p.projectName), ['Beta'], 'reports keep the name');
    const def = await call('DELETE', '/admin/projects/default');
    assert.equal(def.statusCode, 400);
    assert.equal(def.json().error.code, 'default_project');
  });

  for (const [payload, param] of [
    [{}, 'name'],
    [{ name: '' }, 'name'],
    [{ name: 'x', id: 'Bad Id' }, 'id'],
    [{ name: 'x', rateLimitRpm: 0 }, 'rateLimitRpm'],
    [{ name: 'x', maxTokensCap: 1.5 }, 'maxTokensCap'],
    [{ name: 'x', defaultModel: 'gpt-4o' }, 'defaultModel'],
    [{ name: 'x', fallbackChain: ['opus', 'gpt-4o'] }, 'fallbackChain[1]'],
    [{ name: 'x', allowedTools: 'web_search' }, 'allowedTools'],
    [{ name: 'x', reduction: { turbo: true } }, 'reduction.turbo'],
    [{ name: 'x', reduction: { prune: 'no' } }, 'reduction.prune'],
    [{ name: 'x', colour: 'red' }, 'colour'],
  ] as const) {
    test(`POST ${JSON.stringify(payload)} is a 400 naming ${param}`, async () => {
      const res = await call('POST', '/admin/projects', payload);
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().error.type, 'invalid_request_error');
      assert.equal(res.json().error.param, param);
    });
  }

  test('unknown projects are 404 on every route', async () => {
    for (const [method, url] of [['GET', '/admin/projects/nope'], ['PUT', '/admin/projects/nope'], ['GET', '/admin/projects/nope/keys'], ['POST', '/admin/projects/nope/keys']] as const) {
      const res = await call(method, url, method === 'PUT' ? { name: 'x' } : undefined);
      assert.equal(res.statusCode, 404, `${method} ${url}`);
    }
  });
});

describe('with ENABLE_MULTI_PROJECT off (the default)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  test('only the default project exists; its policy can be edited; nothing can be created', async () => {
    const list = (await h.app.inject({ method: 'GET', url: '/admin/projects', headers: admin })).json();
    assert.deepEqual(list.data.map((p: { id: string }) => p.id), ['default']);
    const create = await h.app.inject({ method: 'POST', url: '/admin/projects', headers: admin, payload: { name: 'x' } });
    assert.equal(create.statusCode, 409);
    assert.equal(create.json().error.code, 'multi_project_disabled');
    const key = await h.app.inject({ method: 'POST', url: '/admin/projects/default/keys', headers: admin });
    assert.equal(key.statusCode, 409);
    const put = await h.app.inject({ method: 'PUT', url: '/admin/projects/default', headers: admin, payload: { rateLimitRpm: 10 } });
    assert.equal(put.json().rateLimitRpm, 10);
  });

  test('a project key is not accepted', async () => {
    const { key } = h.app.gatewayContext.store.keys.create('default', null);
    const res = await api(h, key, { model: 'sonnet', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(res.statusCode, 401);
  });
});
