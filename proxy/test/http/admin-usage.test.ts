// The admin reporting API through inject(), over known usage records and error events: exact shapes of usage,
// daily, costs, requests, errors and stats; the from/to/project/model filters; paging; the CSV and JSON export
// parsed back; and the 400s that name a bad parameter.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ErrorEvent } from '../../src/reliability/error-events.ts';
import { REQUEST_COLUMNS, DAY_COLUMNS } from '../../src/usage/export-rows.ts';
import { ADMIN_KEY, GATEWAY_KEY, startHarness, type Harness } from '../helpers/harness.ts';
import { parseCsv } from '../helpers/parse-csv.ts';
import { usageRecord } from '../helpers/usage-fixtures.ts';

let h: Harness;
const admin = { authorization: `Bearer ${ADMIN_KEY}` };
const get = (url: string, headers: Record<string, string> = admin) => h.app.inject({ method: 'GET', url, headers });

const RECORDS = [
  usageRecord('req_a', {
    ts: '2026-11-01T10:00:00.000Z', latencyMs: 100, costUsd: 0.01, baselineCostUsd: 0.02, tokensBefore: 1000, tokensAfter: 850,
    reductionByLayer: { strip: 100, dedup: 50 }, inputTokens: 800, cacheReadTokens: 50, outputTokens: 40,
  }),
  usageRecord('req_b', {
    ts: '2026-11-01T12:00:00.000Z', projectId: 'team-a', model: 'claude-opus-5-5', requestedModel: 'opus', latencyMs: 300,
    status: 503, errorType: 'overloaded', costUsd: 0, baselineCostUsd: 0, inputTokens: 0, outputTokens: 0, keyId: 'pk_1',
  }),
  usageRecord('req_c', {
    ts: '2026-11-02T09:00:00.000Z', latencyMs: 200, costUsd: 0.02, baselineCostUsd: 0.03, tokensBefore: 3000, tokensAfter: 2500,
    reductionByLayer: { prune: 500 }, cacheHit: 'response', stream: true,
  }),
  usageRecord('req_d', {
    ts: '2026-11-03T00:00:00.000Z', projectId: 'team-a', latencyMs: 400, costUsd: 0.04, baselineCostUsd: 0.04, keyId: 'pk_1',
    client: '=cmd|calc, "quoted"', routeReason: 'smart:opus score 0.72 (architecture, 14 files)',
  }),
];

const EVENTS: ErrorEvent[] = [
  { id: 'err_1', ts: '2026-11-01T12:00:00.000Z', requestId: 'req_b', projectId: 'team-a', model: 'claude-opus-5-5', type: 'overloaded_error', status: 529, attempt: 1, message: 'Overloaded' },
  { id: 'err_2', ts: '2026-11-01T12:00:01.000Z', requestId: 'req_b', projectId: 'team-a', model: 'claude-opus-5-5', type: 'overloaded_error', status: 529, attempt: 2, message: 'Overloaded' },
  { id: 'err_3', ts: '2026-11-02T08:00:00.000Z', requestId: 'req_x', projectId: 'default', model: null, type: 'rate_limited', status: 429, attempt: 0, message: 'Rate limit' },
];

before(async () => {
  h = await startHarness({ config: { enableMultiProject: true } });
  const store = h.app.gatewayContext.store;
  store.projects.create('team-a', { name: 'Team A', rateLimitRpm: null, tokensPerMinute: null, defaultModel: null, maxTokensCap: null, allowedTools: null, reduction: {}, fallbackChain: null });
  for (const r of RECORDS) store.usage.appendUsage(r);
  for (const e of EVENTS) store.errors.record(e);
});
after(() => h.close());

const TOTALS_KEYS = [
  'avgLatencyMs', 'baselineCostUsd', 'cacheReadTokens', 'cacheWriteTokens', 'costUsd', 'errors', 'inputTokens', 'outputTokens',
  'p50LatencyMs', 'p95LatencyMs', 'requests', 'responseCacheHits', 'savedUsd', 'tokensAfter', 'tokensBefore',
];

describe('GET /admin/usage', () => {
  test('totals, by model and by project, with nearest-rank latency percentiles', async () => {
    const res = await get('/admin/usage');
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.deepEqual(Object.keys(body).sort(), ['byModel', 'byProject', 'from', 'to', 'totals']);
    assert.equal(body.from, null);
    assert.deepEqual(Object.keys(body.totals).sort(), TOTALS_KEYS);
    assert.deepEqual(body.totals, {
      requests: 4, errors: 1, inputTokens: 820, cacheWriteTokens: 0, cacheReadTokens: 50, outputTokens: 50,
      tokensBefore: 4000, tokensAfter: 3350, costUsd: 0.07, baselineCostUsd: 0.09, savedUsd: 0.02, responseCacheHits: 1,
      avgLatencyMs: 250, p50LatencyMs: 200, p95LatencyMs: 400,
    });
    assert.deepEqual(body.byModel.map((m: { model: string; requests: number }) => [m.model, m.requests]), [['claude-sonnet-5-5', 3], ['claude-opus-5-5', 1]]);
    const projects = body.byProject.map((p: Record<string, unknown>) => [p.projectId, p.projectName, p.requests, p.p50LatencyMs, p.p95LatencyMs]);
    assert.deepEqual(projects, [['default', 'Default', 2, 100, 200], ['team-a', 'Team A', 2, 300, 400]]);
  });

  test('from is inclusive, to exclusive; project and model narrow', async () => {
    const count = async (query: string) => (await get(`/admin/usage?${query}`)).json().totals.requests;
    assert.equal(await count('from=2026-11-02'), 2);
    assert.equal(await count('to=2026-11-02'), 2);
    assert.equal(await count('from=2026-11-01T12:00:00Z&to=2026-11-03T00:00:00Z'), 2);
    assert.equal(await count('from=2026-11-01T12:00:00.001Z'), 2);
    assert.equal(await count('project=team-a'), 2);
    assert.equal(await count('model=claude-opus-5-5'), 1);
    assert.equal(await count('project=team-a&model=claude-sonnet-5-5'), 1);
    const bounded = (await get('/admin/usage?from=2026-11-02&to=2026-11-03T12:00')).json();
    assert.equal(bounded.from, '2026-11-02T00:00:00.000Z');
    assert.equal(bounded.to, '2026-11-03T12:00:00.000Z');
  });

  test('an empty range has zero totals, not nulls', async () => {
    const body = (await get('/admin/usage?from=2030-01-01')).json();
    assert.equal(body.totals.requests, 0);
    assert.equal(body.totals.p95LatencyMs, 0);
    assert.deepEqual(body.byModel, []);
  });

  for (const [query, param] of [
    ['from=2026-13-01', 'from'],
    ['from=2026-02-30', 'from'],
    ['to=yesterday', 'to'],
    ['from=2026-11-05&to=2026-11-01', 'from'],
  ] as const) {
    test(`a bad ${param} (${query}) is a 400 naming it`, async () => {
      const res = await get(`/admin/usage?${query}`);
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().error.type, 'invalid_request_error');
      assert.equal(res.json().error.param, param);
    });
  }
});

describe('GET /admin/usage/daily', () => {
  test('one row per UTC day and project', async () => {
    const body = (await get('/admin/usage/daily')).json();
    assert.deepEqual(body.days.map((d: Record<string, unknown>) => [d.date, d.projectId, d.requests]), [
      ['2026-11-01', 'default', 1], ['2026-11-01', 'team-a', 1], ['2026-11-02', 'default', 1], ['2026-11-03', 'team-a', 1],
    ]);
    assert.deepEqual(Object.keys(body.days[0]).sort(), ['date', 'projectId', ...TOTALS_KEYS].sort());
    const narrowed = (await get('/admin/usage/daily?project=team-a')).json();
    assert.deepEqual(narrowed.days.map((d: { date: string }) => d.date), ['2026-11-01', '2026-11-03']);
  });
});

describe('GET /admin/costs', () => {
  test('cost, baseline and savings overall, by model, by project, and tokens saved by layer', async () => {
    const body = (await get('/admin/costs')).json();
    assert.deepEqual(body.totals, { costUsd: 0.07, baselineCostUsd: 0.09, savedUsd: 0.02, savedPct: 22.22 });
    assert.deepEqual(body.byModel[0], { model: 'claude-sonnet-5-5', requests: 3, costUsd: 0.07, baselineCostUsd: 0.09, savedUsd: 0.02, savedPct: 22.22 });
    assert.deepEqual(body.byProject.map((p: Record<string, unknown>) => [p.projectId, p.projectName, p.savedUsd]), [['default', 'Default', 0.02], ['team-a', 'Team A', 0]]);
    assert.deepEqual(body.byLayer, [{ layer: 'prune', tokensSaved: 500 }, { layer: 'strip', tokensSaved: 100 }, { layer: 'dedup', tokensSaved: 50 }]);
    const filtered = (await get('/admin/costs?to=2026-11-02')).json();
    assert.deepEqual(filtered.byLayer, [{ layer: 'strip', tokensSaved: 100 }, { layer: 'dedup', tokensSaved: 50 }]);
  });
});

describe('GET /admin/requests', () => {
  test('newest first, whole usage records, paged with before', async () => {
    const first = (await get('/admin/requests?limit=2')).json();
    assert.deepEqual(first.data.map((r: { id: string }) => r.id), ['req_d', 'req_c']);
    assert.equal(first.nextBefore, 'req_c');
    assert.deepEqual(first.data[1], RECORDS[2]);
    const second = (await get(`/admin/requests?limit=2&before=${first.nextBefore}`)).json();
    assert.deepEqual(second.data.map((r: { id: string }) => r.id), ['req_b', 'req_a']);
    assert.equal(second.nextBefore, null);
  });

  test('filters: project, model, status (code, class, error) and free text', async () => {
    const ids = async (query: string) => (await get(`/admin/requests?${query}`)).json().data.map((r: { id: string }) => r.id);
    assert.deepEqual(await ids('project=team-a'), ['req_d', 'req_b']);
    assert.deepEqual(await ids('model=claude-opus-5-5'), ['req_b']);
    assert.deepEqual(await ids('status=503'), ['req_b']);
    assert.deepEqual(await ids('status=5xx'), ['req_b']);
    assert.deepEqual(await ids('status=error'), ['req_b']);
    assert.deepEqual(await ids('status=2xx'), ['req_d', 'req_c', 'req_a']);
    assert.deepEqual(await ids('q=architecture'), ['req_d']);
    assert.deepEqual(await ids('q=100%25'), []);
    assert.deepEqual(await ids('from=2026-11-02&project=default'), ['req_c']);
  });

  test('one request by id; an unknown id is a 404', async () => {
    const found = await get('/admin/requests/req_b');
    assert.equal(found.statusCode, 200);
    assert.deepEqual(found.json(), RECORDS[1]);
    const missing = await get('/admin/requests/req_nope');
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().error.code, 'request_not_found');
  });

  for (const [query, param] of [['limit=0', 'limit'], ['limit=501', 'limit'], ['status=abc', 'status'], ['before=req_nope', 'before']] as const) {
    test(`${query} is a 400 naming ${param}`, async () => {
      const res = await get(`/admin/requests?${query}`);
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().error.param, param);
    });
  }
});

describe('GET /admin/errors and /admin/errors/stats', () => {
  test('error events newest first, paged', async () => {
    const body = (await get('/admin/errors')).json();
    assert.deepEqual(body.data, [...EVENTS].reverse());
    const page = (await get('/admin/errors?limit=1')).json();
    assert.deepEqual(page.data.map((e: ErrorEvent) => e.id), ['err_3']);
    assert.equal(page.nextBefore, 'err_3');
    const next = (await get('/admin/errors?limit=5&before=err_3')).json();
    assert.deepEqual(next.data.map((e: ErrorEvent) => e.id), ['err_2', 'err_1']);
  });

  test('counts by type, status and model', async () => {
    assert.deepEqual((await get('/admin/errors/stats')).json(), {
      byType: [{ type: 'overloaded_error', count: 2 }, { type: 'rate_limited', count: 1 }],
      byStatus: [{ status: 529, count: 2 }, { status: 429, count: 1 }],
      byModel: [{ model: 'claude-opus-5-5', count: 2 }, { model: 'unknown', count: 1 }],
    });
    assert.deepEqual((await get('/admin/errors/stats?project=default')).json().byType, [{ type: 'rate_limited', count: 1 }]);
  });
});

describe('GET /admin/export', () => {
  test('CSV per request: a download with a header row, ISO dates and RFC 4180 quoting that parses back', async () => {
    const res = await get('/admin/export?format=csv&from=2026-11-01&to=2026-11-04');
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'text/csv; charset=utf-8');
    assert.equal(res.headers['content-disposition'], 'attachment; filename="usage-request-2026-11-01-to-2026-11-04.csv"');
    assert.ok(res.body.startsWith('\uFEFF'));
    const rows = parseCsv(res.body.slice(1));
    assert.deepEqual(rows[0], [...REQUEST_COLUMNS, 'savedTokens.dedup', 'savedTokens.prune', 'savedTokens.strip']);
    assert.equal(rows.length, 5);
    const col = (name: string) => rows[0]!.indexOf(name);
    const byId = new Map(rows.slice(1).map((r) => [r[col('id')]!, r]));
    assert.deepEqual([...byId.keys()], ['req_a', 'req_b', 'req_c', 'req_d'], 'oldest first');
    for (const r of rows.slice(1)) assert.match(r[col('ts')]!, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    const d = byId.get('req_d')!;
    assert.equal(d[col('client')], `'=cmd|calc, "quoted"`, 'a formula-looking value is neutralised and round-trips');
    assert.equal(d[col('routeReason')], 'smart:opus score 0.72 (architecture, 14 files)');
    assert.equal(d[col('projectName')], 'Team A');
    const a = byId.get('req_a')!;
    assert.deepEqual([a[col('costUsd')], a[col('baselineCostUsd')], a[col('savedUsd')]], ['0.01', '0.02', '0.01']);
    assert.deepEqual([a[col('savedTokens.strip')], a[col('savedTokens.dedup')], a[col('savedTokens.prune')]], ['100', '50', '0']);
    assert.equal(byId.get('req_b')![col('tokensBefore')], '', 'null is an empty cell');
  });

  test('CSV per day, narrowed to a project', async () => {
    const res = await get('/admin/export?granularity=day&project=team-a');
    assert.equal(res.headers['content-disposition'], 'attachment; filename="usage-day-team-a-all-to-all.csv"');
    const rows = parseCsv(res.body.slice(1));
    assert.deepEqual(rows[0], [...DAY_COLUMNS]);
    assert.deepEqual(rows.slice(1).map((r) => [r[0], r[1], r[2], r[3]]), [['2026-11-01', 'team-a', 'Team A', '1'], ['2026-11-03', 'team-a', 'Team A', '1']]);
  });

  test('JSON per request and per day', async () => {
    const perRequest = await get('/admin/export?format=json&model=claude-opus-5-5');
    assert.equal(perRequest.headers['content-type'], 'application/json; charset=utf-8');
    assert.match(String(perRequest.headers['content-disposition']), /^attachment; filename="usage-request-all-to-all\.json"$/);
    const body = perRequest.json();
    assert.deepEqual(body, { granularity: 'request', from: null, to: null, data: [{ ...RECORDS[1], projectName: 'Team A' }] });
    const perDay = (await get('/admin/export?format=json&granularity=day&to=2026-11-02')).json();
    assert.deepEqual(perDay.data.map((d: Record<string, unknown>) => [d.date, d.projectId, d.projectName, d.requests]), [
      ['2026-11-01', 'default', 'Default', 1], ['2026-11-01', 'team-a', 'Team A', 1],
    ]);
  });

  test('an empty export is still a header row', async () => {
    const rows = parseCsv((await get('/admin/export?from=2030-01-01')).body.slice(1));
    assert.deepEqual(rows, [[...REQUEST_COLUMNS]]);
  });

  for (const [query, param] of [['format=xml', 'format'], ['granularity=hour', 'granularity']] as const) {
    test(`${query} is a 400 naming ${param}`, async () => {
      const res = await get(`/admin/export?${query}`);
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().error.param, param);
    });
  }
});

describe('GET and PUT /admin/prices', () => {
  test('lists the table; a PUT upserts and is used for the next costs', async () => {
    const list = (await get('/admin/prices')).json();
    const sonnet = list.data.find((p: { model: string }) => p.model === 'claude-sonnet-5-5');
    assert.deepEqual(sonnet, {
      model: 'claude-sonnet-5-5', inputPerMTok: 2, outputPerMTok: 10, cacheWrite5mPerMTok: 2.5, cacheWrite1hPerMTok: 4,
      cacheReadPerMTok: 0.1, batchDiscount: 0.5, longPrompt: null,
    });
    const added = { model: 'claude-custom-1', inputPerMTok: 1, outputPerMTok: 2, cacheWrite5mPerMTok: 1.25, cacheWrite1hPerMTok: 2, cacheReadPerMTok: 0.1, batchDiscount: 0.5 };
    const res = await h.app.inject({ method: 'PUT', url: '/admin/prices', headers: admin, payload: { data: [added, { ...sonnet, outputPerMTok: 12 }] } });
    assert.equal(res.statusCode, 200);
    const table = new Map(res.json().data.map((p: { model: string }) => [p.model, p]));
    assert.deepEqual(table.get('claude-custom-1'), { ...added, longPrompt: null });
    assert.equal((table.get('claude-sonnet-5-5') as { outputPerMTok: number }).outputPerMTok, 12);
    assert.equal(h.app.gatewayContext.store.prices.table().get('claude-sonnet-5-5')?.outputPerMTok, 12);
    await h.app.inject({ method: 'PUT', url: '/admin/prices', headers: admin, payload: { data: [sonnet] } });
  });

  for (const [payload, param] of [
    [{}, 'data'],
    [{ data: [{ model: 'x', inputPerMTok: -1, outputPerMTok: 1, cacheWrite5mPerMTok: 1, cacheWrite1hPerMTok: 1, cacheReadPerMTok: 1, batchDiscount: 0.5 }] }, 'data[0].inputPerMTok'],
    [{ data: [{ model: 'x', inputPerMTok: 1, outputPerMTok: 1, cacheWrite5mPerMTok: 1, cacheWrite1hPerMTok: 1, cacheReadPerMTok: 1, batchDiscount: 2 }] }, 'data[0].batchDiscount'],
    [{ data: [{ model: '', inputPerMTok: 1 }] }, 'data[0].model'],
    [{ data: [{ model: 'x', price: 1 }] }, 'data[0].price'],
  ] as const) {
    test(`an invalid price body is a 400 naming ${param}`, async () => {
      const res = await h.app.inject({ method: 'PUT', url: '/admin/prices', headers: admin, payload: payload as object });
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().error.param, param);
    });
  }
});

describe('GET /admin/settings', () => {
  test('features and storage', async () => {
    const body = (await get('/admin/settings')).json();
    assert.equal(body.features.multiProject, true);
    assert.equal(body.features.streaming, true);
    assert.deepEqual(body.storage, {
      sqlite: h.app.gatewayContext.store.file,
      redis: { configured: false, connected: false },
      postgres: { configured: false, connected: false },
    });
  });
});

describe('admin authentication', () => {
  for (const url of ['/admin/usage', '/admin/usage/daily', '/admin/costs', '/admin/requests', '/admin/requests/req_a', '/admin/errors', '/admin/errors/stats', '/admin/export', '/admin/prices', '/admin/projects', '/admin/settings']) {
    test(`${url} needs the admin key`, async () => {
      const none = await get(url, {});
      assert.equal(none.statusCode, 401);
      assert.equal(none.json().error.code, 'missing_api_key');
      const gatewayKey = await get(url, { authorization: `Bearer ${GATEWAY_KEY}` });
      assert.equal(gatewayKey.statusCode, 401);
      assert.equal(gatewayKey.json().error.message, 'Invalid admin API key.');
    });
  }
});
