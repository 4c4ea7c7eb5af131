// The gateway's Prometheus metrics (prom-client), in a registry of its own per gateway so several gateways in
// one process (tests, the desktop app rebuilding one) never mix their numbers. Request metrics are fed from
// the usage record each request leaves when it ends (one observer: observeUsage); upstream errors and rate-limit
// refusals from the error events; active requests, circuit states and storage health are read live at scrape.
// The per-request counters are summed between scrapes (tally.ts) rather than hashed label by label per request.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CircuitView } from '../reliability/circuit-breaker.ts';
import type { ErrorEvent } from '../reliability/error-events.ts';
import type { UsageRecord } from '../usage/record.ts';
import type { UpstreamStatus } from '../upstream/pool/status-types.ts';
import { registerUpstreamMetrics } from './upstream-metrics.ts';
import { talliedCounter } from './tally.ts';

export interface LiveSources {
  /** Circuits and their states, refreshed from the shared store first. */
  circuits(): Promise<CircuitView[]>;
  /** Redis status; only when REDIS_URL is set (else the gauge is not exported). */
  sharedState?: () => { connected: boolean };
  /** Postgres status; only when DATABASE_URL is set (else its gauges are not exported). */
  postgres?: () => { connected: boolean; outboxPending: number };
  /** Each configured upstream's state and traffic (several upstreams only). */
  upstreams?: () => UpstreamStatus[] | undefined;
}

export interface GatewayMetrics {
  /** This gateway's own metrics (the scrape adds the process metrics). */
  registry: Registry;
  observeUsage(record: UsageRecord): void;
  observeError(event: ErrorEvent): void;
  /** A request on an API route began; the returned function ends it (call it once). */
  requestStarted(endpoint: string): () => void;
  /** The exposition text and its content type. */
  scrape(): Promise<{ contentType: string; body: string }>;
}

const LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600];
const TTFT_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60];

/** Circuit states as numbers: alert on `gateway_circuit_state > 0`. */
export const CIRCUIT_STATE_VALUE = { closed: 0, half_open: 1, open: 2 } as const;

/** Error event types the gateway produces itself: not upstream errors. */
const GATEWAY_EVENT_TYPES = new Set(['circuit_open', 'client_closed', 'rate_limited', 'internal_error']);

const statusClass = (status: number) => `${Math.floor(status / 100)}xx`;

/** Labelled children of a metric by label values in labelNames order, created once each (bounded). */
function childrenOf<C>(metric: { labels(...values: string[]): C }): (...values: string[]) => C {
  const children = new Map<string, C>();
  return (...values) => {
    const key = values.join('\u0000');
    let child = children.get(key);
    if (child === undefined) {
      if (children.size >= 10_000) children.clear();
      child = metric.labels(...values);
      children.set(key, child);
    }
    return child;
  };
}

// Node's process metrics are the process's, not a gateway's: collected once (their collectors watch the event
// loop and the garbage collector for good), and shown beside every gateway's own.
let processMetrics: Registry | undefined;
function processRegistry(): Registry {
  if (!processMetrics) {
    processMetrics = new Registry();
    collectDefaultMetrics({ register: processMetrics });
  }
  return processMetrics;
}

export function createGatewayMetrics(live: LiveSources, options: { upstream: string; defaultMetrics?: boolean }): GatewayMetrics {
  const registry = new Registry();
  const registers = [registry];

  const requestsTally = talliedCounter({
    name: 'gateway_requests_total',
    help: 'API requests by endpoint, served model, project, status class and streaming.',
    labelNames: ['endpoint', 'model', 'project', 'status_class', 'stream'],
    registers,
  });
  const latency = new Histogram({
    name: 'gateway_request_latency_seconds',
    help: 'Time from a request arriving to its last byte leaving.',
    labelNames: ['endpoint', 'model', 'stream'] as const,
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const ttft = new Histogram({
    name: 'gateway_time_to_first_token_seconds',
    help: 'Time from a request arriving to the first upstream byte.',
    labelNames: ['endpoint', 'model', 'stream'] as const,
    buckets: TTFT_BUCKETS,
    registers,
  });
  const streamDuration = new Histogram({
    name: 'gateway_stream_duration_seconds',
    help: 'Duration of streamed responses that started (status below 400).',
    labelNames: ['endpoint', 'model'] as const,
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const tokensTally = talliedCounter({
    name: 'gateway_tokens_total',
    help: 'Tokens billed upstream by type: input (uncached), cache_write, cache_read, output.',
    labelNames: ['model', 'project', 'type'],
    registers,
  });
  const costTally = talliedCounter({
    name: 'gateway_cost_usd_total',
    help: 'Cost in USD from the price table and the upstream usage.',
    labelNames: ['model', 'project'],
    registers,
  });
  const baselineCostTally = talliedCounter({
    name: 'gateway_baseline_cost_usd_total',
    help: 'What the same requests would have cost without the gateway, in USD.',
    labelNames: ['model', 'project'],
    registers,
  });
  const cacheHitsTally = talliedCounter({
    name: 'gateway_cache_hits_total',
    help: 'Cache hits: response (answered from the response cache, no upstream call) and prompt (Anthropic prompt-cache reads).',
    labelNames: ['cache_type', 'project'],
    registers,
  });
  const tokensSavedTally = talliedCounter({
    name: 'gateway_tokens_saved_total',
    help: 'Estimated input tokens saved by each token-reduction layer.',
    labelNames: ['layer', 'project'],
    registers,
  });
  const rateLimitHits = new Counter({
    name: 'gateway_rate_limit_hits_total',
    help: "Requests refused for a rate limit: source gateway (a project's limit) or upstream (Anthropic's 429).",
    labelNames: ['project', 'source'] as const,
    registers,
  });
  const upstreamErrors = new Counter({
    name: 'gateway_upstream_errors_total',
    help: 'Failed upstream attempts (retried ones included) by upstream, model, error type and status.',
    labelNames: ['upstream', 'model', 'type', 'status'] as const,
    registers,
  });
  const active = new Gauge({
    name: 'gateway_active_requests',
    help: 'API requests in flight.',
    labelNames: ['endpoint'] as const,
    registers,
  });
  new Gauge({
    name: 'gateway_circuit_state',
    help: 'Circuit breaker state per upstream and model: 0 closed, 1 half-open, 2 open.',
    labelNames: ['upstream', 'model'] as const,
    registers,
    async collect() {
      this.reset();
      for (const c of await live.circuits()) this.set({ upstream: c.upstream, model: c.model }, CIRCUIT_STATE_VALUE[c.state]);
    },
  });
  const sharedState = live.sharedState;
  if (sharedState) {
    new Gauge({
      name: 'gateway_shared_state_up',
      help: 'Whether shared state is served by Redis (1) or, Redis being unreachable, by local memory (0).',
      labelNames: ['backend'] as const,
      registers,
      collect() {
        this.set({ backend: 'redis' }, sharedState().connected ? 1 : 0);
      },
    });
  }
  const postgres = live.postgres;
  if (postgres) {
    new Gauge({
      name: 'gateway_postgres_up',
      help: 'Whether the last exchange with Postgres (DATABASE_URL) succeeded.',
      registers,
      collect() {
        this.set(postgres().connected ? 1 : 0);
      },
    });
    new Gauge({
      name: 'gateway_postgres_outbox_pending',
      help: 'Rows waiting in the local outbox to be shipped to Postgres.',
      registers,
      collect() {
        this.set(postgres().outboxPending);
      },
    });
  }
  if (live.upstreams) registerUpstreamMetrics(registry, live.upstreams);
  for (const endpoint of ['chat', 'messages']) active.set({ endpoint }, 0);
  // The gauge moves twice per request: its labelled children are looked up once per endpoint.
  const activeChildren = new Map<string, ReturnType<typeof active.labels>>();
  const activeChild = (endpoint: string) => {
    let child = activeChildren.get(endpoint);
    if (!child) activeChildren.set(endpoint, (child = active.labels({ endpoint })));
    return child;
  };
  const exposed = options.defaultMetrics === false ? registry : Registry.merge([registry, processRegistry()]);

  // Every request touches these series: their labelled children are kept instead of looked up by label object.
  const latencyOf = childrenOf(latency);
  const ttftOf = childrenOf(ttft);

  return {
    registry,
    observeUsage(r) {
      const model = r.model ?? r.requestedModel ?? 'none';
      const project = r.projectId;
      const stream = String(r.stream);
      requestsTally.add([r.endpoint, model, project, statusClass(r.status), stream]);
      latencyOf(r.endpoint, model, stream).observe(r.latencyMs / 1000);
      if (r.ttftMs !== null) ttftOf(r.endpoint, model, stream).observe(r.ttftMs / 1000);
      if (r.stream && r.status < 400) streamDuration.observe({ endpoint: r.endpoint, model }, r.latencyMs / 1000);
      if (r.inputTokens > 0) tokensTally.add([model, project, 'input'], r.inputTokens);
      if (r.cacheWriteTokens > 0) tokensTally.add([model, project, 'cache_write'], r.cacheWriteTokens);
      if (r.cacheReadTokens > 0) tokensTally.add([model, project, 'cache_read'], r.cacheReadTokens);
      if (r.outputTokens > 0) tokensTally.add([model, project, 'output'], r.outputTokens);
      if (r.costUsd > 0) costTally.add([model, project], r.costUsd);
      if (r.baselineCostUsd > 0) baselineCostTally.add([model, project], r.baselineCostUsd);
      if (r.cacheHit === 'response') cacheHitsTally.add(['response', project]);
      if (r.cacheReadTokens > 0) cacheHitsTally.add(['prompt', project]);
      for (const layer in r.reductionByLayer) {
        const saved = r.reductionByLayer[layer as keyof typeof r.reductionByLayer];
        if (saved !== undefined && saved > 0) tokensSavedTally.add([layer, project], saved);
      }
    },
    observeError(e) {
      if (e.type === 'rate_limited') {
        rateLimitHits.inc({ project: e.projectId, source: 'gateway' });
        return;
      }
      if (e.attempt < 1 || GATEWAY_EVENT_TYPES.has(e.type)) return;
      upstreamErrors.inc({ upstream: options.upstream, model: e.model ?? 'none', type: e.type, status: String(e.status) });
      if (e.status === 429) rateLimitHits.inc({ project: e.projectId, source: 'upstream' });
    },
    requestStarted(endpoint) {
      const gauge = activeChild(endpoint);
      gauge.inc();
      let ended = false;
      return () => {
        if (ended) return;
        ended = true;
        gauge.dec();
      };
    },
    async scrape() {
      return { contentType: exposed.contentType, body: await exposed.metrics() };
    },
  };
}
