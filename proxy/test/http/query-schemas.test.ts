// Every route that reads a query string checks it by schema: a bad date, a bad limit, a value out of its set or a
// parameter given twice is a 400 in OpenAI's error shape naming the parameter; defaults apply to what is left out
// or blank; unknown parameters are ignored; good queries answer as before; the key is still checked first.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ADMIN_KEY, GATEWAY_KEY, startHarness, type Harness } from '../helpers/harness.ts';
import { usageRecord } from '../helpers/usage-fixtures.ts';

let h: Harness;
const admin = { authorization: `Bearer ${ADMIN_KEY}` };
const api = { authorization: `Bearer ${GATEWAY_KEY}` };
const get = (url: string, headers: Record<string, string> = url.startsWith('/admin') ? admin : api) => h.app.inject({ method: 'GET', url, headers });

/** 51 requests, one a minute: one more than /admin/requests answers by default. */
const RECORD_COUNT = 51;

before(async () => {
  h = await startHarness({ config: { enableMultiProject: true, enableBatchApi: true } });
  const store = h.app.gatewayContext.store;
  for (let i = 0; i < RECORD_COUNT; i++) {
    store.usage.appendUsage(usageRecord(`req_${String(i).padStart(3, '0')}`, { ts: new Date(Date.UTC(2026, 10, 1, 10, i)).toISOString() }));
  }
});
after(() => h.close());

async function refused(url: string, param: string, message?: string | RegExp): Promise<void> {
  const res = await get(url);
  assert.equal(res.statusCode, 400, `${url}: ${res.body}`);
  const { error } = res.json();
  assert.equal(error.type, 'invalid_request_error');
  assert.equal(error.param, param);
  assert.equal(error.code, null);
  if (typeof message === 'string') assert.equal(error.message, message);
  else if (message) assert.match(error.message, message);
}

async function answered(url: string, status = 200) {
  const res = await get(url);
  assert.equal(res.statusCode, status, `${url}: ${res.body}`);
  return res;
}

const FILTERED_ROUTES = ['/admin/usage', '/admin/usage/daily', '/admin/costs', '/admin/errors/stats', '/admin/routing', '/admin/requests', '/admin/errors', '/admin/export'];

describe('from, to, project and model', () => {
  for (const route of FILTERED_ROUTES) {
    test(`${route} refuses bad ones, naming them`, async () => {
      await refused(`${route}?from=yesterday`, 'from', 'from must be an ISO date (2026-11-01) or date-time (2026-11-01T09:30:00Z), got "yesterday"');
      await refused(`${route}?to=2026-02-30`, 'to', 'to is not a valid date: "2026-02-30"');
      await refused(`${route}?from=2026-11-05&to=2026-11-01`, 'from', 'from must not be after to');
      await refused(`${route}?project=a&project=b`, 'project', 'project must be given once');
      await refused(`${route}?from=2026-11-01&from=2026-11-02`, 'from', 'from must be given once');
      await refused(`${route}?model=${'m'.repeat(300)}`, 'model', 'model must be at most 256 characters long');
    });

    test(`${route} takes good ones, ignores blank and unknown ones`, async () => {
      await answered(`${route}?from=2026-11-01&to=2026-11-03T12:00&project=default&model=claude-sonnet-5-5`);
      await answered(`${route}?from=2026-11-01t09:30:00%2B01:00&to=2026-11-02T00:00:00.5z`);
      await answered(`${route}?from=&to=%20&project=&sort=newest`);
    });
  }

  test('a blank value is left out and a padded one trimmed, as before', async () => {
    const requests = async (query: string) => (await answered(`/admin/usage${query}`)).json().totals.requests;
    assert.equal(await requests('?project='), await requests(''));
    const padded = (await answered('/admin/usage?from=%202026-11-01T10:50Z%20&to=2026-11-02')).json();
    assert.equal(padded.from, '2026-11-01T10:50:00.000Z');
    assert.equal(padded.totals.requests, 1);
  });

  test('/admin/routing filters its decisions like the reports: from inclusive, to exclusive, UTC unless an offset is named', async () => {
    const log = h.app.gatewayContext.routingLog;
    log.add({ ts: Date.UTC(2026, 10, 1, 10, 0), projectId: 'default', model: 'claude-sonnet-5-5', reason: 'alias' });
    log.add({ ts: Date.UTC(2026, 10, 1, 11, 0), projectId: 'team-a', model: 'claude-opus-5-5', reason: 'smart:opus score 0.8' });
    const models = async (query: string) => (await answered(`/admin/routing?${query}`)).json().byModel.map((m: { model: string }) => m.model);
    assert.deepEqual(await models('from=2026-11-01T10:00&to=2026-11-01T11:00'), ['claude-sonnet-5-5']);
    assert.deepEqual(await models('from=2026-11-01T12:00%2B01:00&to=2026-11-02'), ['claude-opus-5-5']);
    assert.deepEqual(await models('from=2026-11-01&project=team-a'), ['claude-opus-5-5']);
    assert.deepEqual(await models('model=claude-sonnet-5-5&project='), ['claude-sonnet-5-5']);
  });
});

describe('limit', () => {
  const LIMITS: Array<[string, number]> = [
    ['/admin/requests', 500],
    ['/admin/errors', 500],
    ['/admin/memories', 500],
    ['/v1/batch', 100],
    ['/v1/batches', 100],
    ['/v1/files', 10_000],
    ['/v1/responses/resp_unknown/input_items', 100],
  ];
  for (const [route, max] of LIMITS) {
    test(`${route} takes 1 to ${max}, once`, async () => {
      await refused(`${route}?limit=0`, 'limit', 'limit must be >= 1, got 0');
      await refused(`${route}?limit=${max + 1}`, 'limit', `limit must be <= ${max}, got ${max + 1}`);
      await refused(`${route}?limit=ten`, 'limit', 'limit must be an integer, got "ten"');
      await refused(`${route}?limit=2.5`, 'limit', 'limit must be an integer, got "2.5"');
      await refused(`${route}?limit=1&limit=2`, 'limit', 'limit must be given once');
      // A stored response that does not exist is a 404 once its query passed.
      const ok = route.startsWith('/v1/responses') ? 404 : 200;
      await answered(`${route}?limit=${max}`, ok);
      await answered(`${route}?limit=1`, ok);
    });
  }

  test('/admin/requests answers 50 by default, also for a blank limit', async () => {
    for (const url of ['/admin/requests', '/admin/requests?limit=', '/admin/requests?limit=%20']) {
      // More than 50 are stored: the seeded ones, and refused /v1/batch calls, which are metered.
      const body = (await answered(url)).json();
      assert.equal(body.data.length, 50, url);
      assert.equal(body.nextBefore, body.data[49].id, url);
    }
    const page = (await answered('/admin/requests?limit=2&before=req_049')).json();
    assert.deepEqual(page.data.map((r: { id: string }) => r.id), ['req_048', 'req_047']);
  });

  test('/admin/requests still refuses a cursor it does not know', async () => {
    await refused('/admin/requests?before=req_nope', 'before', 'before: no entry with id "req_nope"');
  });
});

describe('values from a set', () => {
  test('/admin/export: format and granularity, csv per request by default', async () => {
    const res = await answered('/admin/export?from=2026-11-01&to=2026-11-02');
    assert.equal(res.headers['content-type'], 'text/csv; charset=utf-8');
    assert.equal(res.headers['content-disposition'], 'attachment; filename="usage-request-2026-11-01-to-2026-11-02.csv"');
    const blank = await answered('/admin/export?format=&granularity=');
    assert.equal(blank.headers['content-type'], 'text/csv; charset=utf-8');
    await refused('/admin/export?format=xml', 'format', 'format must be one of csv, json, got "xml"');
    await refused('/admin/export?granularity=hour', 'granularity', 'granularity must be one of request, day, got "hour"');
    await refused('/admin/export?format=csv&format=json', 'format', 'format must be given once');
    assert.equal((await answered('/admin/export?format=json&granularity=day')).json().granularity, 'day');
  });

  test('/admin/requests: status as a code, a class or error', async () => {
    for (const status of ['200', '4XX', 'error']) await answered(`/admin/requests?status=${status}`);
    await refused('/admin/requests?status=abc', 'status', 'status must be an HTTP status (e.g. 429), a class (2xx, 4xx, 5xx) or "error", got "abc"');
    await refused('/admin/requests?status=600', 'status');
    await refused('/admin/requests?status=429&status=500', 'status', 'status must be given once');
  });

  test('/admin/memories: kind', async () => {
    await answered('/admin/memories?kind=decision&project=default&q=pnpm');
    await refused('/admin/memories?kind=wish', 'kind', 'kind must be one of requirement, decision, answer, note, got "wish"');
  });

  test('/v1/responses/{id}/input_items: order', async () => {
    await answered('/v1/responses/resp_unknown/input_items?order=asc&after=msg_1', 404);
    await refused('/v1/responses/resp_unknown/input_items?order=sideways', 'order', 'order must be one of asc, desc, got "sideways"');
  });
});

describe('the other parameters', () => {
  test('/admin/tools: project, once', async () => {
    assert.equal((await answered('/admin/tools?project=default')).json().data.every((t: { allowed?: boolean }) => t.allowed === true), true);
    assert.equal((await answered('/admin/tools?project=')).json().data[0]?.allowed, undefined);
    await refused('/admin/tools?project=a&project=b', 'project', 'project must be given once');
  });

  test('/v1/batch: after and results, once', async () => {
    assert.deepEqual((await answered('/v1/batch?after=batch_x')).json().data, []);
    await refused('/v1/batch?after=a&after=b', 'after', 'after must be given once');
    await answered('/v1/batch/batch_unknown?results=false', 404);
    await refused('/v1/batch/batch_unknown?results=false&results=true', 'results', 'results must be given once');
  });

  test('/v1/responses/{id}: include may be repeated', async () => {
    await answered('/v1/responses/resp_unknown?include=reasoning.encrypted_content&include=message.output_text.logprobs', 404);
    await answered('/v1/responses/resp_unknown?include[]=reasoning.encrypted_content', 404);
  });
});

describe('the key comes first', () => {
  for (const url of ['/admin/requests?limit=0', '/admin/usage?from=yesterday', '/v1/batch?limit=0']) {
    test(`${url} without a key is a 401`, async () => {
      const res = await get(url, {});
      assert.equal(res.statusCode, 401);
      assert.equal(res.json().error.code, 'missing_api_key');
    });
  }
});
