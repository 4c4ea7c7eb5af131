// What lets several gateways run as one and be watched: shared state (Redis), replication to Postgres, and the
// Prometheus metrics, built once per gateway from its config and its local store. buildGateway wires it in.
import type { FastifyInstance } from 'fastify';
import type { GatewayConfig } from '../config/config.ts';
import { createGatewayMetrics, type GatewayMetrics } from '../metrics/gateway-metrics.ts';
import type { AnthropicUpstream } from '../upstream/anthropic-http.ts';
import { installMetrics } from '../metrics/metrics-routes.ts';
import { observeErrors, observeStore } from '../metrics/observe-store.ts';
import type { ErrorSink } from '../reliability/error-events.ts';
import { upstreamName, type Reliability } from '../reliability/services.ts';
import type { GatewayStore } from '../store/gateway-store.ts';
import { installRemoteKeyLookup } from '../store/postgres/key-miss-hook.ts';
import { replicationFor, type PostgresStatus, type Replicator } from '../store/postgres/replicator.ts';
import { createSharedStateServices, type SharedStateServices } from './shared-services.ts';
import type { SharedStateStatus } from './shared-state.ts';

export type ConnectionName = 'redis' | 'postgres';

export interface ConnectionsHealth {
  /** True when a configured Redis or Postgres is unreachable (the gateway still serves). */
  degraded: boolean;
  redis: { configured: boolean; connected: boolean; mode: SharedStateStatus['mode'] };
  postgres: { configured: boolean; connected: boolean; outboxPending: number };
}

export interface StorageConnections {
  /** For GET /health: no addresses, no error texts (the endpoint is open). */
  health(): ConnectionsHealth;
  /** For GET /admin/settings. */
  settings(): { redis: { configured: boolean; connected: boolean }; postgres: { configured: boolean; connected: boolean } };
  redis(): SharedStateStatus;
  postgres(): PostgresStatus;
}

export interface ScaleOut extends StorageConnections {
  shared: SharedStateServices;
  metrics: GatewayMetrics | undefined;
  replicator: Replicator | undefined;
  /** The store, with every usage record it accepts also counted in the metrics. */
  observe(store: GatewayStore): GatewayStore;
  /** The error sink, with every event also counted in the metrics. */
  observeErrors(sink: ErrorSink): ErrorSink;
  /** Hooks and routes; call before the key check is installed (a key made on another replica is fetched first). */
  install(app: FastifyInstance, services: { reliability: Reliability; store: GatewayStore; upstream?: AnthropicUpstream }): void;
  close(): Promise<void>;
}

export interface ScaleOutEvents {
  /** A configured Redis or Postgres became reachable, or stopped being reachable. */
  onConnectionChange?: (name: ConnectionName, up: boolean, reason: string | null) => void;
  now?: () => number;
}

const NO_POSTGRES: PostgresStatus = Object.freeze({ configured: false, connected: false, outboxPending: 0, lastShippedAt: null, lastError: null });
/** A starting replica waits this long for Redis, so it shares state from its first request. */
const REDIS_STARTUP_WAIT_MS = 1500;

export function createScaleOut(config: GatewayConfig, db: GatewayStore['db'], events: ScaleOutEvents = {}): ScaleOut {
  const tell = (name: ConnectionName) => (up: boolean, reason: string | null) => events.onConnectionChange?.(name, up, reason);
  const shared = createSharedStateServices(config, { onRedisChange: tell('redis'), ...(events.now && { now: events.now }) });
  const replicator = replicationFor(config, db, { onChange: tell('postgres'), ...(events.now && { now: events.now }) });
  const postgres = () => replicator?.status() ?? NO_POSTGRES;

  let reliability: Reliability | undefined;
  let upstream: AnthropicUpstream | undefined;
  const metrics = config.prometheusEnabled
    ? createGatewayMetrics(
        {
          async circuits() {
            if (!reliability) return [];
            await reliability.breaker.refresh().catch(() => undefined);
            return reliability.circuitStates();
          },
          ...(config.redisUrl && { sharedState: () => shared.status() }),
          ...(replicator && { postgres }),
          ...(config.upstreams?.length && { upstreams: () => upstream?.status?.().upstreams }),
        },
        { upstream: upstreamName(config.anthropicBaseUrl) },
      )
    : undefined;

  return {
    shared,
    metrics,
    replicator,
    redis: () => shared.status(),
    postgres,
    health() {
      const redis = shared.status();
      const pg = postgres();
      return {
        degraded: (redis.configured && !redis.connected) || (pg.configured && !pg.connected),
        redis: { configured: redis.configured, connected: redis.connected, mode: redis.mode },
        postgres: { configured: pg.configured, connected: pg.connected, outboxPending: pg.outboxPending },
      };
    },
    settings() {
      const redis = shared.status();
      const pg = postgres();
      return { redis: { configured: redis.configured, connected: redis.connected }, postgres: { configured: pg.configured, connected: pg.connected } };
    },
    observe: (store) => (metrics ? observeStore(store, metrics) : store),
    observeErrors: (sink) => (metrics ? observeErrors(sink, metrics) : sink),
    install(app, services) {
      reliability = services.reliability;
      upstream = services.upstream;
      if (replicator) installRemoteKeyLookup(app, services.store.keys, replicator, config.enableMultiProject);
      installMetrics(app, metrics);
      if (config.redisUrl) app.addHook('onReady', async () => shared.whenReady(REDIS_STARTUP_WAIT_MS));
    },
    async close() {
      await Promise.all([replicator?.close(), shared.close()]);
    },
  };
}
