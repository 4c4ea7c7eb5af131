// A stand-in for the gateway's admin API, written from the contract the dashboard codes against: in-memory
// usage records, projects and keys behind the same routes, plus the real dashboard route. Browser tests use it
// for states a live gateway does not easily show (empty, failing) and for layout checks with weeks of history.
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { DailyRow, KeyInfo, Project, Totals, UsageRecord } from '../../../../renderer/src/api/types.ts';
import { registerDashboard } from '../../../src/http/routes/dashboard.ts';

export const MOCK_ADMIN_KEY = 'mock-admin-key-0123456789';

export interface MockAdmin {
  url: string;
  records: UsageRecord[];
  projects: Project[];
  /** Paths (without query) that answer 500 from now on. */
  failing: Set<string>;
  close(): Promise<void>;
}

export interface MockAdminOptions {
  records?: UsageRecord[];
  projects?: Project[];
  dashboardDir?: string;
  now?: () => number;
  /** What GET /health adds (the upstreams of a gateway with several). */
  health?: Record<string, unknown>;
  /** What GET /admin/budgets lists. */
  budgets?: unknown[];
}

const MODELS = ['claude-sonnet-5-5', 'claude-opus-5-5', 'claude-haiku-4-5'];
const PRICES: Record<string, { input: number; output: number }> = {
  'claude-sonnet-5-5': { input: 3, output: 15 },
  'claude-opus-5-5': { input: 5, output: 25 },
  'claude-haiku-4-5': { input: 1, output: 5 },
};

/** A deterministic project as the admin API returns it. */
export function mockProject(id: string, name: string, createdAt: string, keys: KeyInfo[] = []): Project {
  return {
    id,
    name,
    rateLimitRpm: null,
    tokensPerMinute: null,
    defaultModel: null,
    maxTokensCap: null,
    allowedTools: null,
    reduction: {},
    fallbackChain: null,
    createdAt,
    keys,
  };
}

/** Weeks of plausible traffic across three projects and three models, the same on every run. */
export function sampleRecords(now: number, count = 240, days = 21): UsageRecord[] {
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const projects = ['default', 'web-app', 'data-pipeline'];
  const out: UsageRecord[] = [];
  for (let i = 0; i < count; i++) {
    const ts = new Date(now - Math.floor((i / count) * days * 86_400_000) - Math.floor(rand() * 3_600_000)).toISOString();
    const model = MODELS[Math.floor(rand() * MODELS.length)]!;
    const price = PRICES[model]!;
    const tokensBefore = 8000 + Math.floor(rand() * 40_000);
    const strip = Math.floor(tokensBefore * 0.05);
    const dedup = Math.floor(tokensBefore * rand() * 0.15);
    const prune = rand() > 0.6 ? Math.floor(tokensBefore * 0.2) : 0;
    const tokensAfter = tokensBefore - strip - dedup - prune;
    const cacheRead = Math.floor(tokensAfter * (0.4 + rand() * 0.5));
    const cacheWrite = Math.floor((tokensAfter - cacheRead) * 0.3);
    const input = tokensAfter - cacheRead - cacheWrite;
    const output = 200 + Math.floor(rand() * 1800);
    const status = rand() > 0.95 ? (rand() > 0.5 ? 429 : 502) : 200;
    const responseHit = status === 200 && rand() > 0.92;
    const cost = responseHit ? 0 : ((input + cacheWrite * 1.25 + cacheRead * 0.1) * price.input + output * price.output) / 1e6;
    const baseline = (tokensBefore * price.input + output * price.output) / 1e6;
    out.push({
      id: `req_mock${String(count - i).padStart(5, '0')}`,
      ts,
      projectId: projects[i % 3]!,
      keyId: 'key_0123456789',
      client: 'openai/js 6.49.0',
      endpoint: 'chat',
      requestedModel: i % 4 === 0 ? 'sonnet' : model,
      model,
      routeReason: i % 4 === 0 ? 'alias' : i % 7 === 0 ? 'smart:opus score 0.72 (architecture, 14 files)' : 'exact',
      stream: i % 2 === 0,
      status,
      errorType: status === 429 ? 'rate_limit_error' : status === 502 ? 'api_error' : null,
      latencyMs: 400 + Math.floor(rand() * 4000),
      ttftMs: 200 + Math.floor(rand() * 900),
      tokensBefore,
      tokensAfter,
      reductionByLayer: { strip, dedup, ...(prune ? { prune } : {}) },
      inputTokens: responseHit ? 0 : input,
      cacheWriteTokens: responseHit ? 0 : cacheWrite,
      cacheReadTokens: responseHit ? 0 : cacheRead,
      outputTokens: output,
      costUsd: cost,
      baselineCostUsd: baseline,
      cacheHit: responseHit ? 'response' : null,
      batch: false,
      thinking: i === 0 ? MOCK_THINKING : null,
    });
  }
  return out;
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

export function totalsOf(records: readonly UsageRecord[]): Totals {
  const latencies = records.map((r) => r.latencyMs).sort((a, b) => a - b);
  const sum = (pick: (r: UsageRecord) => number) => records.reduce((acc, r) => acc + pick(r), 0);
  const costUsd = sum((r) => r.costUsd);
  const baselineCostUsd = sum((r) => r.baselineCostUsd);
  return {
    requests: records.length,
    errors: records.filter((r) => r.status >= 400).length,
    inputTokens: sum((r) => r.inputTokens),
    cacheWriteTokens: sum((r) => r.cacheWriteTokens),
    cacheReadTokens: sum((r) => r.cacheReadTokens),
    outputTokens: sum((r) => r.outputTokens),
    tokensBefore: sum((r) => r.tokensBefore ?? 0),
    tokensAfter: sum((r) => r.tokensAfter ?? 0),
    costUsd,
    baselineCostUsd,
    savedUsd: baselineCostUsd - costUsd,
    responseCacheHits: records.filter((r) => r.cacheHit === 'response').length,
    avgLatencyMs: records.length ? Math.round(sum((r) => r.latencyMs) / records.length) : 0,
    p50LatencyMs: percentile(latencies, 0.5),
    p95LatencyMs: percentile(latencies, 0.95),
  };
}

function groupBy<K extends string>(records: readonly UsageRecord[], key: (r: UsageRecord) => K): Map<K, UsageRecord[]> {
  const groups = new Map<K, UsageRecord[]>();
  for (const r of records) {
    const k = key(r);
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  return groups;
}

function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export async function startMockAdmin(options: MockAdminOptions = {}): Promise<MockAdmin> {
  const now = options.now ?? Date.now;
  const records = options.records ?? [];
  const projects = options.projects ?? [mockProject('default', 'Default', new Date(now() - 30 * 86_400_000).toISOString())];
  const failing = new Set<string>();
  let counter = 0;
  const app: FastifyInstance = Fastify({ logger: false });
  registerDashboard(app, options.dashboardDir ? { dir: options.dashboardDir } : {});

  const fail = (status: number, message: string, type = 'invalid_request_error') => Object.assign(new Error(message), { statusCode: status, errorType: type });
  app.setErrorHandler((error: Error & { statusCode?: number; errorType?: string }, _request, reply) => {
    reply.code(error.statusCode ?? 500).send({ error: { message: error.message, type: error.errorType ?? 'server_error', param: null, code: null } });
  });

  app.addHook('onRequest', async (request: FastifyRequest) => {
    const path = request.url.split('?')[0]!;
    if (!path.startsWith('/admin') && !path.startsWith('/v1')) return;
    if (request.headers.authorization !== `Bearer ${MOCK_ADMIN_KEY}`) throw fail(401, 'Invalid admin API key.', 'authentication_error');
    if (failing.has(path)) throw fail(500, 'The usage store is unavailable.', 'server_error');
  });

  type RangeQuery = { from?: string; to?: string; project?: string; model?: string };
  const inRange = (q: RangeQuery) =>
    records.filter(
      (r) =>
        (!q.from || r.ts >= q.from) &&
        (!q.to || r.ts < q.to) &&
        (!q.project || r.projectId === q.project) &&
        (!q.model || r.model === q.model),
    );
  const projectName = (id: string) => projects.find((p) => p.id === id)?.name ?? id;

  app.get<{ Querystring: RangeQuery }>('/admin/usage', async (request) => {
    const rows = inRange(request.query);
    return {
      from: request.query.from ?? null,
      to: request.query.to ?? null,
      totals: totalsOf(rows),
      byModel: [...groupBy(rows, (r) => r.model ?? 'unknown')].map(([model, rs]) => ({ model, ...totalsOf(rs) })),
      byProject: [...groupBy(rows, (r) => r.projectId)].map(([projectId, rs]) => ({ projectId, projectName: projectName(projectId), ...totalsOf(rs) })),
    };
  });
  app.get<{ Querystring: RangeQuery }>('/admin/usage/daily', async (request) => {
    const days: DailyRow[] = [];
    for (const [key, rs] of groupBy(inRange(request.query), (r) => `${r.ts.slice(0, 10)}|${r.projectId}`)) {
      const [date, projectId] = key.split('|') as [string, string];
      days.push({ date, projectId, ...totalsOf(rs) });
    }
    return { days: days.sort((a, b) => a.date.localeCompare(b.date) || a.projectId.localeCompare(b.projectId)) };
  });
  app.get<{ Querystring: RangeQuery }>('/admin/costs', async (request) => {
    const rows = inRange(request.query);
    const t = totalsOf(rows);
    const layers = new Map<string, number>();
    for (const r of rows) for (const [layer, n] of Object.entries(r.reductionByLayer)) layers.set(layer, (layers.get(layer) ?? 0) + n);
    return {
      totals: { costUsd: t.costUsd, baselineCostUsd: t.baselineCostUsd, savedUsd: t.savedUsd, savedPct: t.baselineCostUsd ? (t.savedUsd / t.baselineCostUsd) * 100 : 0 },
      byModel: [],
      byProject: [],
      byLayer: [...layers].map(([layer, tokensSaved]) => ({ layer, tokensSaved })),
    };
  });
  app.get<{ Querystring: { limit?: string; before?: string; project?: string; model?: string; status?: string; q?: string } }>('/admin/requests', async (request) => {
    const q = request.query;
    const limit = Math.min(200, Number(q.limit ?? 50));
    let rows = [...records].sort((a, b) => b.ts.localeCompare(a.ts));
    if (q.before) {
      const at = rows.findIndex((r) => r.id === q.before);
      rows = at === -1 ? [] : rows.slice(at + 1);
    }
    rows = rows.filter(
      (r) =>
        (!q.project || r.projectId === q.project) &&
        (!q.model || r.model === q.model) &&
        (!q.status || `${Math.floor(r.status / 100)}xx` === q.status || String(r.status) === q.status) &&
        (!q.q || JSON.stringify(r).toLowerCase().includes(q.q.toLowerCase())),
    );
    const page = rows.slice(0, limit);
    return { data: page, nextBefore: rows.length > limit ? page[page.length - 1]!.id : null };
  });
  app.get<{ Params: { id: string } }>('/admin/requests/:id', async (request) => {
    const found = records.find((r) => r.id === request.params.id);
    if (!found) throw fail(404, 'No such request.', 'not_found_error');
    return found;
  });
  app.get('/admin/projects', async () => ({ data: projects }));
  const budgets = [...((options.budgets ?? []) as Array<{ scope: string; subject: string }>)];
  app.get('/admin/budgets', async () => ({ budgets }));
  app.put<{ Params: { scope: string; subject: string }; Body: Record<string, unknown> }>('/admin/budgets/:scope/:subject', async (request) => {
    const { scope, subject } = request.params;
    const stored = { scope, subject, softPercent: 80, totalUsd: null, ...request.body, status: { state: 'ok', exceeded: null, spend: { period: 0, total: 0 }, periodStart: new Date(now()).toISOString(), resetsAt: new Date(now() + 86_400_000).toISOString() } };
    const at = budgets.findIndex((b) => b.scope === scope && b.subject === subject);
    if (at >= 0) budgets[at] = stored;
    else budgets.push(stored);
    return stored;
  });
  app.post<{ Body: Partial<Project> & { name?: string } }>('/admin/projects', async (request, reply) => {
    const body = request.body ?? {};
    if (!body.name) throw fail(400, 'name is required');
    const id = body.name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
    if (projects.some((p) => p.id === id)) throw fail(409, `A project named ${body.name} exists.`);
    const project = { ...mockProject(id, body.name, new Date(now()).toISOString()), ...body, id, keys: [] };
    projects.push(project);
    return reply.code(201).send(project);
  });
  const findProject = (id: string) => {
    const project = projects.find((p) => p.id === id);
    if (!project) throw fail(404, 'No such project.', 'not_found_error');
    return project;
  };
  app.put<{ Params: { id: string }; Body: Partial<Project> }>('/admin/projects/:id', async (request) => {
    const project = findProject(request.params.id);
    Object.assign(project, { ...request.body, id: project.id, keys: project.keys, createdAt: project.createdAt });
    return project;
  });
  app.delete<{ Params: { id: string } }>('/admin/projects/:id', async (request, reply) => {
    const project = findProject(request.params.id);
    projects.splice(projects.indexOf(project), 1);
    return reply.code(204).send();
  });
  app.post<{ Params: { id: string }; Body: { name?: string } }>('/admin/projects/:id/keys', async (request, reply) => {
    const project = findProject(request.params.id);
    const secret = `cgp_${(++counter).toString(16).padStart(4, '0')}${'x'.repeat(28)}`;
    const info: KeyInfo = { id: `pk_${counter}`, name: request.body?.name ?? '', prefix: secret.slice(0, 8), createdAt: new Date(now()).toISOString(), revokedAt: null, lastUsedAt: null };
    project.keys.push(info);
    return reply.code(201).send({ key: secret, ...info });
  });
  app.delete<{ Params: { id: string; keyId: string } }>('/admin/projects/:id/keys/:keyId', async (request, reply) => {
    const key = findProject(request.params.id).keys.find((k) => k.id === request.params.keyId);
    if (!key) throw fail(404, 'No such key.', 'not_found_error');
    key.revokedAt = new Date(now()).toISOString();
    return reply.code(204).send();
  });
  app.get('/admin/settings', async () => ({
    features: { responseCache: true, smartRouting: true, prometheus: false, tokenReduction: true },
    storage: { sqlite: '/var/lib/coding-gateway/gateway.sqlite', redis: { configured: true, connected: true }, postgres: { configured: false, connected: false } },
  }));
  app.get<{ Querystring: RangeQuery & { format?: string; granularity?: string } }>('/admin/export', async (request, reply) => {
    const rows = inRange(request.query);
    const name = `usage-${request.query.from ?? 'all'}.${request.query.format === 'json' ? 'json' : 'csv'}`;
    reply.header('content-disposition', `attachment; filename="${name}"`);
    if (request.query.format === 'json') return reply.type('application/json').send(JSON.stringify({ data: rows }));
    const columns = ['id', 'ts', 'projectId', 'model', 'status', 'costUsd', 'baselineCostUsd', 'routeReason'] as const;
    const lines = [columns.join(','), ...rows.map((r) => columns.map((c) => csvCell(r[c])).join(','))];
    return reply.type('text/csv; charset=utf-8').send(`${lines.join('\r\n')}\r\n`);
  });
  app.get('/health', async () => ({ status: 'ok', version: '0.1.0-mock', ...options.health }));
  app.get('/v1/models', async () => ({ object: 'list', data: MODELS.map((id) => ({ id, object: 'model' })) }));

  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = address && typeof address === 'object' ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, records, projects, failing, close: () => app.close() };
}

/** The newest mock request's thinking: some kept, one removed by the gateway, one dropped by Anthropic. */
export const MOCK_THINKING = {
  sent: 3,
  removed: 1,
  unchecked: 1,
  dropBlock: true,
  switchedOff: false,
  upstream: [{ type: 'thinking_dropped', reason: 'prefix_binding_mismatch', path: 'messages[2].content[0]' }],
};
