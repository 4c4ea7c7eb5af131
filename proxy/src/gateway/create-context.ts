// Builds the gateway context from the validated config and what the host injects (tests inject an upstream,
// a clock, stores). Wiring only: every service it creates is defined in its own module.
import { remoteResponses } from '../store/shared-responses.ts';
import type { FetchJwks } from '../access/jwks-cache.ts';
import { primaryAnthropic, type GatewayConfig } from '../config/config.ts';
import type { BudgetService } from '../budgets/budget-service.ts';
import { createKeyValueCache } from '../shared-state/key-value-cache.ts';
import { createGatewayUpstream, usesUpstreamPool } from '../upstream/gateway-upstream.ts';
import type { CircuitStateStore } from '../reliability/circuit-store.ts';
import type { ErrorSink } from '../reliability/error-events.ts';
import type { RateLimitStore } from '../reliability/rate-limit-store.ts';
import { createReliability } from '../reliability/services.ts';
import type { Sleep } from '../reliability/sleep.ts';
import { createDecisionLog } from '../routing/decision-log.ts';
import type { RoutingHistoryStore } from '../routing/history-store.ts';
import { createModelRouter } from '../routing/model-router.ts';
import { createSqliteRoutingHistory } from '../routing/sqlite-history-store.ts';
import type { ScaleOut } from '../shared-state/scale-out.ts';
import type { GatewayStore } from '../store/gateway-store.ts';
import { createSqliteCache } from '../store/sqlite-cache.ts';
import { createSqliteKeyValues } from '../store/sqlite-key-values.ts';
import { createThinkingStore, DEFAULT_THINKING_MAX_ENTRIES, type ThinkingStore } from '../store/thinking-store.ts';
import { createModelDirectory, type ModelDirectory } from '../upstream/model-directory.ts';
import type { Upstream } from '../upstream/upstream.ts';
import { createChatSavings } from './chat-savings.ts';
import type { GatewayContext } from './context.ts';

export interface GatewayDeps {
  upstream?: Upstream;
  models?: ModelDirectory;
  thinking?: ThinkingStore;
  now?: () => number;
  newId?: () => string;
  /** pino options, or false for silence (tests). */
  logger?: import('fastify').FastifyServerOptions['logger'];
  /** Receives every error event (in-memory ring when absent). */
  errorSink?: ErrorSink;
  /** What the smart router learns, per project (the local SQLite store when absent). */
  routingHistory?: RoutingHistoryStore;
  /** Circuit states, shared between replicas when backed by Redis (local when absent). */
  circuitStore?: CircuitStateStore;
  /** Rate-limit windows, shared between replicas when backed by Redis (local when absent). */
  rateLimitStore?: RateLimitStore;
  /** Jitter source for retry backoff (Math.random when absent). */
  random?: () => number;
  /** Waits between retries (a timer when absent). */
  sleep?: Sleep;
  /** The local store (SQLite in config.dataDir, opened and closed with the app when absent). */
  store?: GatewayStore;
  /** Fetches the Cloudflare Access signing keys (an HTTPS GET of the team's certs URL when absent). */
  fetchJwks?: FetchJwks;
}

export interface ContextParts {
  store: GatewayStore;
  budgets: BudgetService;
  scaleOut: ScaleOut;
  now: () => number;
  newId: () => string;
}

export function createGatewayContext(config: GatewayConfig, deps: GatewayDeps, parts: ContextParts): GatewayContext {
  const { store, scaleOut, now, newId, budgets } = parts;
  const circuitStore = deps.circuitStore ?? scaleOut.shared.circuitStore;
  const rateLimitStore = deps.rateLimitStore ?? scaleOut.shared.rateLimitStore;
  // Without Redis, complete answers are cached in the local SQLite store.
  const caches = config.redisUrl ? scaleOut.shared.caches : { ...scaleOut.shared.caches, response: createSqliteCache(store.db, 'response', now) };
  const reliability = createReliability(config, {
    now,
    newId,
    upstreamBaseUrl: config.anthropicBaseUrl,
    errorSink: scaleOut.observeErrors(deps.errorSink ?? store.errors),
    circuitsPerUpstream: usesUpstreamPool(config),
    ...(circuitStore && { circuitStore }),
    ...(rateLimitStore && { rateLimitStore }),
    ...(deps.random && { random: deps.random }),
    ...(deps.sleep && { sleep: deps.sleep }),
  });
  return {
    config,
    store,
    now,
    newId,
    upstream:
      deps.upstream ??
      createGatewayUpstream(config, {
        breaker: reliability.breaker,
        now,
        // Conversation stickiness is shared by replicas with Redis, so a conversation keeps its account anywhere.
        ...(config.redisUrl && { stickyCache: createKeyValueCache(scaleOut.shared.state, 'upstream-sticky') }),
        ...(deps.random && { random: deps.random }),
      }),
    models: deps.models ?? createModelDirectory({ ...primaryAnthropic(config), now }),
    // Kept thinking outlives the process: in Redis when replicas share it, else in the local SQLite store.
    thinking:
      deps.thinking ??
      createThinkingStore(config.redisUrl ? scaleOut.shared.state : createSqliteKeyValues(store.db, 'thinking', DEFAULT_THINKING_MAX_ENTRIES, now), {
        onError: (error) => console.warn('thinking state unavailable:', error instanceof Error ? error.message : error),
      }),
    activeStreams: new Set(),
    router: createModelRouter({ config, history: deps.routingHistory ?? createSqliteRoutingHistory(store.db, { now }), now }),
    routingLog: createDecisionLog(),
    reliability,
    caches,
    savings: createChatSavings(config, caches.response, now),
    connections: scaleOut,
    budgets,
    ...(scaleOut.replicator && { remoteResponses: remoteResponses(scaleOut.replicator, config.postgresSchema, now) }),
  };
}
