// The metrics registry on its own: records and error events in, the exposition text out, read back by a
// Prometheus text-format parser (and checked by promtool when it is installed).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createGatewayMetrics, type GatewayMetrics, type LiveSources } from '../../src/metrics/gateway-metrics.ts';
import type { ErrorEvent } from '../../src/reliability/error-events.ts';
import { hasPromtool, parseScrape, promtoolCheck, samples, value } from '../helpers/prometheus.ts';
import { usageRecord } from '../helpers/usage-fixtures.ts';

const SONNET = 'claude-sonnet-5-5';

function live(overrides: Partial<LiveSources> = {}): LiveSources {
  return { circuits: async () => [], ...overrides };
}

/** A histogram's series as prom-client holds them (the text parser folds labelled histograms together). */
async function histogram(metrics: GatewayMetrics, name: string, labels: Record<string, string>) {
  const values = (await metrics.registry.getSingleMetric(name)!.get()).values as Array<{ value: number; labels: Record<string, string | number | undefined>; metricName?: string }>;
  const own = values.filter((v) => Object.entries(labels).every(([k, val]) => v.labels[k] === val));
  const at = (suffix: string) => own.filter((v) => v.metricName === `${name}_${suffix}`);
  return {
    count: at('count').map((v) => v.value),
    sum: at('sum').map((v) => v.value),
    bucket: (le: number) => at('bucket').find((v) => v.labels.le === le)?.value,
  };
}

function errorEvent(overrides: Partial<ErrorEvent>): ErrorEvent {
  return {
    id: 'err_1', ts: '2026-11-20T10:00:00.000Z', requestId: 'req_1', projectId: 'default', model: SONNET,
    type: 'overloaded_error', status: 529, attempt: 1, message: 'Overloaded', ...overrides,
  };
}

const REQUIRED = {
  gateway_requests_total: 'COUNTER',
  gateway_request_latency_seconds: 'HISTOGRAM',
  gateway_tokens_total: 'COUNTER',
  gateway_cost_usd_total: 'COUNTER',
  gateway_active_requests: 'GAUGE',
  gateway_circuit_state: 'GAUGE',
  gateway_cache_hits_total: 'COUNTER',
  gateway_rate_limit_hits_total: 'COUNTER',
  gateway_stream_duration_seconds: 'HISTOGRAM',
  gateway_upstream_errors_total: 'COUNTER',
  gateway_tokens_saved_total: 'COUNTER',
} as const;

describe('gateway metrics', () => {
  test('usage records become request, latency, token, cost, cache and savings series', async () => {
    const metrics = createGatewayMetrics(live(), { upstream: 'api.anthropic.com', defaultMetrics: false });
    metrics.observeUsage(usageRecord('a', { inputTokens: 100, cacheWriteTokens: 2000, cacheReadTokens: 0, outputTokens: 40, costUsd: 0.01, latencyMs: 300, reductionByLayer: { strip: 120, dedup: 30 } }));
    metrics.observeUsage(usageRecord('b', { stream: true, inputTokens: 5, cacheReadTokens: 2000, outputTokens: 60, costUsd: 0.002, latencyMs: 1500, ttftMs: 200, reductionByLayer: { strip: 80, cacheControl: -12 } }));
    metrics.observeUsage(usageRecord('c', { projectId: 'backend', cacheHit: 'response', inputTokens: 0, outputTokens: 0, costUsd: 0, status: 200 }));
    metrics.observeUsage(usageRecord('d', { status: 503, stream: true, model: null, requestedModel: 'opus', errorType: 'overloaded', inputTokens: 0, outputTokens: 0, costUsd: 0 }));
    const f = parseScrape((await metrics.scrape()).body);

    for (const [name, type] of Object.entries(REQUIRED)) assert.equal(f.get(name)?.type, type, name);
    assert.equal(value(f, 'gateway_requests_total', { endpoint: 'chat', model: SONNET, project: 'default', status_class: '2xx', stream: 'false' }), 1);
    assert.equal(value(f, 'gateway_requests_total', { endpoint: 'chat', model: SONNET, project: 'default', status_class: '2xx', stream: 'true' }), 1);
    assert.equal(value(f, 'gateway_requests_total', { project: 'backend', status_class: '2xx' }), 1);
    // A request that never reached a model counts under the model it asked for.
    assert.equal(value(f, 'gateway_requests_total', { model: 'opus', status_class: '5xx', stream: 'true' }), 1);

    assert.equal(value(f, 'gateway_tokens_total', { model: SONNET, project: 'default', type: 'input' }), 105);
    assert.equal(value(f, 'gateway_tokens_total', { model: SONNET, project: 'default', type: 'cache_write' }), 2000);
    assert.equal(value(f, 'gateway_tokens_total', { model: SONNET, project: 'default', type: 'cache_read' }), 2000);
    assert.equal(value(f, 'gateway_tokens_total', { model: SONNET, project: 'default', type: 'output' }), 100);
    assert.ok(Math.abs(value(f, 'gateway_cost_usd_total', { model: SONNET, project: 'default' }) - 0.012) < 1e-12);

    assert.equal(value(f, 'gateway_cache_hits_total', { cache_type: 'response', project: 'backend' }), 1);
    assert.equal(value(f, 'gateway_cache_hits_total', { cache_type: 'prompt', project: 'default' }), 1);
    assert.equal(value(f, 'gateway_tokens_saved_total', { layer: 'strip', project: 'default' }), 200);
    assert.equal(value(f, 'gateway_tokens_saved_total', { layer: 'dedup', project: 'default' }), 30);
    // A layer that added tokens is not a saving (and a counter cannot go down).
    assert.deepEqual(samples(f, 'gateway_tokens_saved_total', { layer: 'cacheControl' }), []);

    const latency = await histogram(metrics, 'gateway_request_latency_seconds', { endpoint: 'chat', model: SONNET, stream: 'false' });
    // Records a (0.3 s, project default) and c (0.1 s, project backend): latency has no project label.
    assert.deepEqual(latency.count, [2]);
    assert.deepEqual(latency.sum, [0.4]);
    assert.equal(latency.bucket(0.05), 0);
    assert.equal(latency.bucket(0.25), 1);
    assert.equal(latency.bucket(0.5), 2);
    // Only streams that started (status below 400) have a stream duration.
    const streams = await histogram(metrics, 'gateway_stream_duration_seconds', {});
    assert.deepEqual(streams.count, [1]);
    assert.deepEqual(streams.sum, [1.5]);
    assert.deepEqual((await histogram(metrics, 'gateway_stream_duration_seconds', { model: SONNET, endpoint: 'chat' })).count, [1]);
    assert.deepEqual((await histogram(metrics, 'gateway_time_to_first_token_seconds', { stream: 'true', model: SONNET })).sum, [0.2]);
  });

  test('error events: upstream failures by type and status, rate-limit refusals by source', async () => {
    const metrics = createGatewayMetrics(live(), { upstream: 'api.anthropic.com', defaultMetrics: false });
    metrics.observeError(errorEvent({ id: 'e1', attempt: 1 }));
    metrics.observeError(errorEvent({ id: 'e2', attempt: 2 }));
    metrics.observeError(errorEvent({ id: 'e3', type: 'rate_limit_error', status: 429, attempt: 1, projectId: 'backend' }));
    metrics.observeError(errorEvent({ id: 'e4', type: 'rate_limited', status: 429, attempt: 0, model: null }));
    // The gateway's own refusals are not upstream errors.
    metrics.observeError(errorEvent({ id: 'e5', type: 'circuit_open', status: 503, attempt: 2 }));
    metrics.observeError(errorEvent({ id: 'e6', type: 'internal_error', status: 500, attempt: 0 }));
    const f = parseScrape((await metrics.scrape()).body);

    assert.equal(value(f, 'gateway_upstream_errors_total', { upstream: 'api.anthropic.com', model: SONNET, type: 'overloaded_error', status: '529' }), 2);
    assert.equal(value(f, 'gateway_upstream_errors_total', { type: 'rate_limit_error', status: '429' }), 1);
    assert.equal(samples(f, 'gateway_upstream_errors_total').length, 2);
    assert.equal(value(f, 'gateway_rate_limit_hits_total', { project: 'default', source: 'gateway' }), 1);
    assert.equal(value(f, 'gateway_rate_limit_hits_total', { project: 'backend', source: 'upstream' }), 1);
  });

  test('live gauges: requests in flight, circuit states, Redis and Postgres status', async () => {
    let redisUp = true;
    const metrics = createGatewayMetrics(
      live({
        circuits: async () => [
          { upstream: 'api.anthropic.com', model: SONNET, state: 'open' },
          { upstream: 'api.anthropic.com', model: 'claude-opus-5-5', state: 'half_open' },
          { upstream: 'api.anthropic.com', model: 'claude-haiku-5-5', state: 'closed' },
        ],
        sharedState: () => ({ connected: redisUp }),
        postgres: () => ({ connected: false, outboxPending: 17 }),
      }),
      { upstream: 'api.anthropic.com', defaultMetrics: false },
    );
    const endA = metrics.requestStarted('chat');
    const endB = metrics.requestStarted('chat');
    metrics.requestStarted('messages');
    endA();
    endA(); // ending twice counts once
    let f = parseScrape((await metrics.scrape()).body);
    assert.equal(value(f, 'gateway_active_requests', { endpoint: 'chat' }), 1);
    assert.equal(value(f, 'gateway_active_requests', { endpoint: 'messages' }), 1);
    assert.equal(value(f, 'gateway_circuit_state', { model: SONNET }), 2);
    assert.equal(value(f, 'gateway_circuit_state', { model: 'claude-opus-5-5' }), 1);
    assert.equal(value(f, 'gateway_circuit_state', { model: 'claude-haiku-5-5' }), 0);
    assert.equal(value(f, 'gateway_shared_state_up', { backend: 'redis' }), 1);
    assert.equal(value(f, 'gateway_postgres_up'), 0);
    assert.equal(value(f, 'gateway_postgres_outbox_pending'), 17);

    endB();
    redisUp = false;
    f = parseScrape((await metrics.scrape()).body);
    assert.equal(value(f, 'gateway_active_requests', { endpoint: 'chat' }), 0);
    assert.equal(value(f, 'gateway_shared_state_up', { backend: 'redis' }), 0);
  });

  test('without Redis or Postgres configured their gauges have no samples', async () => {
    const metrics = createGatewayMetrics(live(), { upstream: 'api.anthropic.com', defaultMetrics: false });
    const f = parseScrape((await metrics.scrape()).body);
    assert.equal(f.has('gateway_shared_state_up'), false);
    assert.equal(f.has('gateway_postgres_up'), false);
    assert.equal(f.has('gateway_postgres_outbox_pending'), false);
    // Requests in flight start at zero, so dashboards see the series before the first request.
    assert.equal(value(f, 'gateway_active_requests', { endpoint: 'chat' }), 0);
  });

  test('promtool accepts the exposition (process metrics included)', { skip: hasPromtool() ? false : "promtool not installed (Debian's prometheus package); the parser checks above still ran" }, async () => {
    const metrics = createGatewayMetrics(live(), { upstream: 'api.anthropic.com' });
    metrics.observeUsage(usageRecord('a', { reductionByLayer: { strip: 10 } }));
    metrics.observeError(errorEvent({}));
    const text = (await metrics.scrape()).body;
    // The gateway's own families pass every lint.
    const own = text.split('\n').filter((line) => /^(# (HELP|TYPE) )?gateway_/.test(line)).join('\n') + '\n';
    const check = promtoolCheck(own);
    assert.equal(check.status, 0, check.output);
    assert.equal(check.output, '');
    // The whole scrape parses; the only remarks are on names prom-client chose for Node's process metrics.
    const whole = promtoolCheck(text);
    const remarks = whole.output.split('\n').filter((line) => line.trim() !== '');
    assert.ok(remarks.every((line) => line.startsWith('nodejs_') && line.includes('should not have "_total" suffix')), whole.output);
  });
});
