// GET /admin/metrics on a gateway carrying real traffic (the fake Anthropic behind it): what the scrape says
// must agree with the usage records, the circuit and the rate limiter. Read by a Prometheus text-format parser,
// and scraped by a real Prometheus server when Debian's prometheus package is installed.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { UsageRecord } from '../../src/usage/record.ts';
import { defaultResponder, lastUserText } from '../fake-anthropic/responder.ts';
import { ADMIN_KEY, GATEWAY_KEY, startHarness, type Harness } from '../helpers/harness.ts';
import { parseScrape, total, value } from '../helpers/prometheus.ts';

const SONNET = 'claude-sonnet-5-5';
const admin = { authorization: `Bearer ${ADMIN_KEY}` };
const auth = { authorization: `Bearer ${GATEWAY_KEY}` };

let h: Harness;

function chat(text: string, extra: object = {}) {
  return h.app.inject({ method: 'POST', url: '/v1/chat/completions', headers: auth, payload: { model: 'sonnet', messages: [{ role: 'user', content: text }], ...extra } });
}

async function scrape() {
  const res = await h.app.inject({ method: 'GET', url: '/admin/metrics', headers: admin });
  assert.equal(res.statusCode, 200, res.body);
  return { res, f: parseScrape(res.body) };
}

const statuses: number[] = [];
let activeWhileSlow = -1;

before(async () => {
  h = await startHarness({
    listen: true,
    config: {
      rateLimitEnabled: true,
      rateLimitRpm: 5,
      circuitBreakerEnabled: true,
      circuitBreakerThreshold: 2,
      circuitBreakerTimeoutMs: 60_000,
      retryMaxAttempts: 2,
      fallbackChain: [],
    },
    fake: {
      respond: (req) => {
        const text = lastUserText(req.body?.messages ?? []);
        if (text.includes('FAIL')) return { error: { status: 529, type: 'overloaded_error', message: 'Overloaded' } };
        if (text.includes('SLOW')) return { ...defaultResponder(req), delayMs: 400 };
        return defaultResponder(req);
      },
    },
  });
  // A minute boundary in the middle would let the sliding window weigh the first requests less.
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 55_000) await new Promise((r) => setTimeout(r, 60_500 - intoMinute));

  statuses.push((await chat('hello')).statusCode);
  statuses.push((await chat('hi', { stream: true, stream_options: { include_usage: true } })).statusCode);
  const slow = chat('SLOW answer');
  await new Promise((r) => setTimeout(r, 150));
  activeWhileSlow = value((await scrape()).f, 'gateway_active_requests', { endpoint: 'chat' });
  statuses.push((await slow).statusCode);
  statuses.push((await chat('FAIL now')).statusCode); // two 529s open the circuit (threshold 2)
  statuses.push((await chat('after the failure')).statusCode); // refused by the open circuit
  statuses.push((await chat('one too many')).statusCode); // the sixth request in a minute: rate limited
});
after(() => h.close());

describe('GET /admin/metrics', () => {
  test('the traffic went as planned', () => {
    assert.deepEqual(statuses, [200, 200, 200, 503, 503, 429]);
    assert.equal(activeWhileSlow, 1);
  });

  test('needs the admin key and answers in the Prometheus text format', async () => {
    assert.equal((await h.app.inject({ method: 'GET', url: '/admin/metrics' })).statusCode, 401);
    const withApiKey = await h.app.inject({ method: 'GET', url: '/admin/metrics', headers: auth });
    assert.equal(withApiKey.statusCode, 401);
    assert.equal(withApiKey.json().error.type, 'authentication_error');
    const { res } = await scrape();
    assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
  });

  test('requests, upstream errors, circuit and rate-limit series match what happened', async () => {
    const { f } = await scrape();
    assert.equal(total(f, 'gateway_requests_total', { endpoint: 'chat', status_class: '2xx' }), 3);
    assert.equal(total(f, 'gateway_requests_total', { endpoint: 'chat', status_class: '2xx', stream: 'true' }), 1);
    assert.equal(total(f, 'gateway_requests_total', { endpoint: 'chat', status_class: '5xx' }), 2);
    assert.equal(total(f, 'gateway_requests_total', { endpoint: 'chat', status_class: '4xx' }), 1);
    assert.equal(value(f, 'gateway_upstream_errors_total', { model: SONNET, type: 'overloaded_error', status: '529' }), 2);
    assert.equal(total(f, 'gateway_upstream_errors_total'), 2);
    assert.equal(value(f, 'gateway_circuit_state', { model: SONNET }), 2);
    assert.equal(value(f, 'gateway_rate_limit_hits_total', { project: 'default', source: 'gateway' }), 1);
    assert.equal(value(f, 'gateway_active_requests', { endpoint: 'chat' }), 0);
    assert.equal(f.has('gateway_shared_state_up'), false);
    assert.equal(f.has('process_cpu_seconds_total'), true);
  });

  test('tokens, cost and savings add up to the usage records', async () => {
    const records = (await h.app.inject({ method: 'GET', url: '/admin/requests?limit=100', headers: admin })).json().data as UsageRecord[];
    assert.equal(records.length, 6);
    const { f } = await scrape();
    const sum = (pick: (r: UsageRecord) => number) => records.reduce((n, r) => n + pick(r), 0);
    assert.ok(sum((r) => r.outputTokens) > 0);
    assert.equal(total(f, 'gateway_tokens_total', { type: 'input' }), sum((r) => r.inputTokens));
    assert.equal(total(f, 'gateway_tokens_total', { type: 'output' }), sum((r) => r.outputTokens));
    assert.equal(total(f, 'gateway_tokens_total', { type: 'cache_read' }), sum((r) => r.cacheReadTokens));
    assert.equal(total(f, 'gateway_tokens_total', { type: 'cache_write' }), sum((r) => r.cacheWriteTokens));
    assert.ok(Math.abs(total(f, 'gateway_cost_usd_total') - sum((r) => r.costUsd)) < 1e-9);
    const layers = new Map<string, number>();
    for (const r of records) for (const [layer, n] of Object.entries(r.reductionByLayer)) if (n > 0) layers.set(layer, (layers.get(layer) ?? 0) + n);
    for (const [layer, n] of layers) assert.equal(total(f, 'gateway_tokens_saved_total', { layer }), n, layer);
    assert.equal(f.get('gateway_tokens_saved_total')!.metrics.length, layers.size);
  });

  test('a real Prometheus scrapes it', { skip: hasPrometheus() ? false : "prometheus not installed (Debian's prometheus package): the parser checks above still ran" }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cg-prom-'));
    const target = new URL(h.baseURL).host;
    writeFileSync(
      join(dir, 'prometheus.yml'),
      [
        'global: { scrape_interval: 500ms, scrape_timeout: 400ms }',
        'scrape_configs:',
        '  - job_name: gateway',
        '    metrics_path: /admin/metrics',
        '    authorization: { type: Bearer, credentials: ' + ADMIN_KEY + ' }',
        `    static_configs: [ { targets: ['${target}'] } ]`,
        '',
      ].join('\n'),
    );
    const port = await freePort();
    const server = spawn('prometheus', [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=error'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    server.stderr.on('data', (d) => (stderr += d));
    try {
      const query = async (promql: string): Promise<number | undefined> => {
        const res = await fetch(`http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent(promql)}`).catch(() => undefined);
        if (!res?.ok) return undefined;
        const result = ((await res.json()) as { data: { result: Array<{ value: [number, string] }> } }).data.result;
        return result.length === 0 ? undefined : Number(result[0]!.value[1]);
      };
      const deadline = Date.now() + 15_000;
      while ((await query('up{job="gateway"}')) !== 1) {
        if (Date.now() > deadline) throw new Error(`Prometheus did not scrape the gateway: ${stderr}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      assert.equal(await query('sum(gateway_requests_total{endpoint="chat"})'), 6);
      assert.equal(await query('sum(gateway_request_latency_seconds_count{endpoint="chat"})'), 6);
      assert.equal(await query(`gateway_circuit_state{model="${SONNET}"}`), 2);
      assert.equal(await query('sum(gateway_upstream_errors_total)'), 2);
    } finally {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('PROMETHEUS_ENABLED=0', () => {
  test('the route says the metrics are off', async () => {
    const off = await startHarness({ config: { prometheusEnabled: false } });
    try {
      const res = await off.app.inject({ method: 'GET', url: '/admin/metrics', headers: admin });
      assert.equal(res.statusCode, 404);
      assert.equal(res.json().error.code, 'metrics_disabled');
    } finally {
      await off.close();
    }
  });
});

function hasPrometheus(): boolean {
  return spawnSync('prometheus', ['--version'], { stdio: 'ignore' }).status === 0;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
