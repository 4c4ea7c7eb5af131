import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApiError, attachmentName, createClient, queryString } from '../src/api/client.ts';
import { inputFromForm, EMPTY_FORM, formFromProject } from '../src/lib/project-form.ts';
import { href, parseRoute } from '../src/lib/router.ts';

function recordingFetch(answer: (url: string, init: RequestInit) => Response) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fetchImpl = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return answer(url, init);
  }) as unknown as typeof fetch;
  return { calls, fetchImpl };
}

describe('admin client', () => {
  test('sends the admin key as a Bearer token and drops empty query values', async () => {
    const { calls, fetchImpl } = recordingFetch(() => Response.json({ data: [], nextBefore: null }));
    const client = createClient({ baseUrl: 'http://127.0.0.1:8787/', adminKey: 'k-123' }, fetchImpl);
    await client.requests({ limit: 50, project: '', model: 'claude-opus-5-5', q: 'a b' });
    assert.equal(calls[0]!.url, 'http://127.0.0.1:8787/admin/requests?limit=50&model=claude-opus-5-5&q=a+b');
    assert.deepEqual(calls[0]!.init.headers, { authorization: 'Bearer k-123' });
    assert.equal(queryString({}), '');
  });

  test('JSON bodies, 204 answers and path escaping', async () => {
    const { calls, fetchImpl } = recordingFetch((url, init) => (init.method === 'DELETE' ? new Response(null, { status: 204 }) : Response.json({ id: 'p' }, { status: 201 })));
    const client = createClient({ baseUrl: 'http://gw', adminKey: 'k' }, fetchImpl);
    await client.createKey('web app', 'laptop');
    assert.equal(calls[0]!.url, 'http://gw/admin/projects/web%20app/keys');
    assert.equal(calls[0]!.init.body, '{"name":"laptop"}');
    assert.equal((calls[0]!.init.headers as Record<string, string>)['content-type'], 'application/json');
    assert.equal(await client.revokeKey('web app', 'pk_1'), undefined);
    assert.equal(calls[1]!.url, 'http://gw/admin/projects/web%20app/keys/pk_1');
  });

  test('errors carry the gateway message and status; an unreachable gateway is status 0', async () => {
    const { fetchImpl } = recordingFetch(() => Response.json({ error: { message: 'Invalid admin API key.', type: 'authentication_error' } }, { status: 401 }));
    const client = createClient({ baseUrl: 'http://gw', adminKey: 'bad' }, fetchImpl);
    await assert.rejects(client.settings(), (error: unknown) => error instanceof ApiError && error.status === 401 && error.message === 'Invalid admin API key.' && error.type === 'authentication_error');
    const down = createClient({ baseUrl: 'http://gw', adminKey: 'k' }, (async () => {
      throw new TypeError('fetch failed');
    }) as unknown as typeof fetch);
    await assert.rejects(down.usage({}), (error: unknown) => error instanceof ApiError && error.status === 0);
  });

  test('a gateway without a storage test endpoint answers null, so the page re-reads the settings', async () => {
    const { fetchImpl } = recordingFetch(() => Response.json({ error: { message: 'Unknown route' } }, { status: 404 }));
    assert.equal(await createClient({ baseUrl: 'http://gw', adminKey: 'k' }, fetchImpl).testStorage('redis'), null);
  });

  test('exports are fetched with the key and named from Content-Disposition', async () => {
    const { calls, fetchImpl } = recordingFetch(() => new Response('id,ts\r\n', { headers: { 'content-disposition': 'attachment; filename="usage-2026-11.csv"' } }));
    const file = await createClient({ baseUrl: 'http://gw', adminKey: 'k' }, fetchImpl).exportFile({ format: 'csv', granularity: 'day', from: '2026-11-01', to: '2026-11-08', project: 'web' });
    assert.equal(calls[0]!.url, 'http://gw/admin/export?format=csv&granularity=day&from=2026-11-01&to=2026-11-08&project=web');
    assert.equal(file.filename, 'usage-2026-11.csv');
    assert.equal(await file.blob.text(), 'id,ts\r\n');
    assert.equal(attachmentName("attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.json", 'x'), 'résumé.json');
    assert.equal(attachmentName(null, 'fallback.csv'), 'fallback.csv');
  });
});

describe('project form', () => {
  test('empty fields mean the gateway default; lists are split and deduplicated', () => {
    const result = inputFromForm({ ...EMPTY_FORM, name: ' web ', rateLimitRpm: '120', allowedTools: 'read_file, grep,read_file', fallbackChain: 'claude-opus-5-5\nclaude-sonnet-5-5', reduction: { prune: false } });
    assert.deepEqual(result, {
      input: {
        name: 'web', rateLimitRpm: 120, tokensPerMinute: null, defaultModel: null, maxTokensCap: null,
        allowedTools: ['read_file', 'grep'], reduction: { prune: false }, fallbackChain: ['claude-opus-5-5', 'claude-sonnet-5-5'],
      },
    });
  });
  test('a missing name and bad numbers are reported per field', () => {
    assert.deepEqual(inputFromForm({ ...EMPTY_FORM, rateLimitRpm: '-3', maxTokensCap: '1.5' }), {
      errors: { name: 'A project needs a name', rateLimitRpm: 'A whole number above zero, or empty for the default', maxTokensCap: 'A whole number above zero, or empty for the default' },
    });
  });
  test('a project round-trips through the form', () => {
    const project = { id: 'web', name: 'Web', rateLimitRpm: 60, tokensPerMinute: null, defaultModel: 'claude-haiku-4-5', maxTokensCap: 4096, allowedTools: ['grep'], reduction: { dedup: true }, fallbackChain: null, createdAt: '', keys: [] };
    const result = inputFromForm(formFromProject(project));
    assert.ok('input' in result);
    const { id: _id, createdAt: _c, keys: _k, ...policy } = project;
    assert.deepEqual(result.input, policy);
  });
});

describe('routes', () => {
  test('hash routes parse and print back', () => {
    assert.deepEqual(parseRoute(''), { page: 'overview' });
    assert.deepEqual(parseRoute('#/requests/req_1%2F2'), { page: 'requests', id: 'req_1/2' });
    assert.deepEqual(parseRoute('#/projects'), { page: 'projects' });
    assert.deepEqual(parseRoute('#/nope'), { page: 'overview' });
    assert.equal(href({ page: 'requests', id: 'req_1/2' }), '#/requests/req_1%2F2');
  });
});
