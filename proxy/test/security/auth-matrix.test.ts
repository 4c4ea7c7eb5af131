// Who opens what, for every route: no key, a wrong key, a revoked project key, a project key, another
// project's key, the gateway key and the admin key. The gateway key never opens /admin; project keys never do;
// a project's resources are invisible to another project's key.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ADMIN_KEY, GATEWAY_KEY, startHarness, type Harness } from '../helpers/harness.ts';

type Credential = 'none' | 'wrong' | 'revoked' | 'project' | 'otherProject' | 'gateway' | 'admin';
const CREDENTIALS: Credential[] = ['none', 'wrong', 'revoked', 'project', 'otherProject', 'gateway', 'admin'];

/** Every route the gateway serves (as printRoutes lists them with every feature on), with sample parameters. */
const ROUTES: Array<[string, string]> = [
  ['GET', '/health'],
  ['GET', '/dashboard'],
  ['GET', '/v1/models'],
  ['GET', '/models'],
  ['GET', '/v1/models/claude-sonnet-4-5'],
  ['GET', '/models/claude-sonnet-4-5'],
  ['POST', '/v1/chat/completions'],
  ['POST', '/chat/completions'],
  ['POST', '/v1/messages'],
  ['POST', '/v1/messages/count_tokens'],
  ['POST', '/v1/batch'],
  ['GET', '/v1/batch'],
  ['GET', '/v1/batch/batch_x'],
  ['POST', '/v1/batch/batch_x/cancel'],
  ['POST', '/v1/batches'],
  ['GET', '/v1/batches'],
  ['GET', '/v1/batches/batch_x'],
  ['POST', '/v1/batches/batch_x/cancel'],
  ['POST', '/v1/files'],
  ['GET', '/v1/files'],
  ['GET', '/v1/files/file_x'],
  ['DELETE', '/v1/files/file_x'],
  ['GET', '/v1/files/file_x/content'],
  ['GET', '/admin/metrics'],
  ['GET', '/admin/memories'],
  ['POST', '/admin/memories'],
  ['GET', '/admin/memories/m_x'],
  ['PUT', '/admin/memories/m_x'],
  ['PATCH', '/admin/memories/m_x'],
  ['DELETE', '/admin/memories/m_x'],
  ['GET', '/admin/tools'],
  ['GET', '/admin/routing'],
  ['GET', '/admin/requests'],
  ['GET', '/admin/requests/req_x'],
  ['GET', '/admin/usage'],
  ['GET', '/admin/usage/daily'],
  ['GET', '/admin/costs'],
  ['GET', '/admin/errors'],
  ['GET', '/admin/errors/stats'],
  ['GET', '/admin/export'],
  ['GET', '/admin/projects'],
  ['POST', '/admin/projects'],
  ['GET', '/admin/projects/zeta'],
  ['PUT', '/admin/projects/zeta'],
  ['DELETE', '/admin/projects/zeta'],
  ['GET', '/admin/projects/zeta/keys'],
  ['POST', '/admin/projects/zeta/keys'],
  ['DELETE', '/admin/projects/zeta/keys/pk_x'],
  ['GET', '/admin/prices'],
  ['PUT', '/admin/prices'],
  ['GET', '/admin/settings'],
];

const accessOf = (url: string) => (url === '/health' || url.startsWith('/dashboard') ? 'open' : url.startsWith('/admin') ? 'admin' : 'api');

let h: Harness;
const keys: Partial<Record<Credential, string>> = { wrong: 'wrong-key-0123456789abcdef', gateway: GATEWAY_KEY, admin: ADMIN_KEY };
const adminCall = (method: string, url: string, payload?: unknown) =>
  h.app.inject({ method: method as 'POST', url, headers: { authorization: `Bearer ${ADMIN_KEY}` }, ...(payload !== undefined && { payload: payload as object }) });

async function projectKey(project: string): Promise<{ key: string; id: string }> {
  await adminCall('POST', '/admin/projects', { id: project, name: project });
  const created = (await adminCall('POST', `/admin/projects/${project}/keys`, { name: 'k' })).json();
  return { key: created.key, id: created.id };
}

before(async () => {
  h = await startHarness({ config: { enableMultiProject: true, enableBatchApi: true, enableMemoryLayer: true, enablePluginTools: true } });
  keys.project = (await projectKey('alpha')).key;
  keys.otherProject = (await projectKey('beta')).key;
  const revoked = await projectKey('gamma');
  assert.equal((await adminCall('DELETE', `/admin/projects/gamma/keys/${revoked.id}`)).statusCode, 204);
  keys.revoked = revoked.key;
});
after(() => h.close());

function expected(access: string, credential: Credential): 'open' | 401 | 403 {
  if (access === 'open') return 'open';
  if (credential === 'none' || credential === 'wrong' || credential === 'revoked') return 401;
  if (access === 'api' || credential === 'admin') return 'open';
  return credential === 'gateway' ? 401 : 403;
}

describe('the auth matrix', () => {
  for (const [method, url] of ROUTES) {
    test(`${method} ${url}`, async () => {
      const access = accessOf(url);
      for (const credential of CREDENTIALS) {
        const key = keys[credential];
        const res = await h.app.inject({
          method: method as 'GET',
          url,
          headers: { ...(key && { authorization: `Bearer ${key}` }), 'content-type': 'application/json' },
          ...(method !== 'GET' && method !== 'DELETE' && { payload: '{}' }),
        });
        const want = expected(access, credential);
        const got = res.statusCode === 401 || res.statusCode === 403 ? res.statusCode : 'open';
        assert.equal(got, want, `${credential}: ${res.statusCode} ${res.body.slice(0, 200)}`);
        assert.ok(res.statusCode < 500, `${credential}: ${res.statusCode} ${res.body.slice(0, 200)}`);
        if (want === 403) assert.equal(res.json().error.code, 'admin_key_required');
      }
    });
  }
});

describe("another project's resources", () => {
  test('a file uploaded with one project key is invisible to another', async () => {
    const line = '{"custom_id":"a","method":"POST","url":"/v1/chat/completions","body":{"model":"sonnet","messages":[{"role":"user","content":"hi"}]}}\n';
    const boundary = 'cg-boundary-1234';
    const payload = [
      `--${boundary}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nbatch\r\n`,
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="in.jsonl"\r\nContent-Type: application/jsonl\r\n\r\n${line}\r\n`,
      `--${boundary}--\r\n`,
    ].join('');
    const upload = await h.app.inject({
      method: 'POST',
      url: '/v1/files',
      headers: { authorization: `Bearer ${keys.project}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload,
    });
    if (upload.statusCode >= 400) return assert.fail(`upload refused: ${upload.body}`);
    const id = upload.json().id as string;
    const mine = await h.app.inject({ method: 'GET', url: `/v1/files/${id}`, headers: { authorization: `Bearer ${keys.project}` } });
    assert.equal(mine.statusCode, 200);
    for (const key of [keys.otherProject, keys.revoked]) {
      const theirs = await h.app.inject({ method: 'GET', url: `/v1/files/${id}`, headers: { authorization: `Bearer ${key}` } });
      assert.ok(theirs.statusCode === 404 || theirs.statusCode === 401, `${theirs.statusCode} ${theirs.body}`);
    }
  });
});
