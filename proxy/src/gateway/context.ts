// Everything a route needs, built once by buildGateway and handed to each route module. Modules outside http/
// take the slice they use (`Pick<GatewayContext, ...>`), not the whole thing.
import type { BudgetService } from '../budgets/budget-service.ts';
import type { RemoteResponses } from '../store/shared-responses.ts';
import type { ChatSavings } from './chat-savings.ts';
import type { GatewayConfig } from '../config/config.ts';
import type { Reliability } from '../reliability/services.ts';
import type { DecisionLog } from '../routing/decision-log.ts';
import type { ModelRouter } from '../routing/model-router.ts';
import type { StorageConnections } from '../shared-state/scale-out.ts';
import type { SharedCaches } from '../shared-state/shared-services.ts';
import type { GatewayStore } from '../store/gateway-store.ts';
import type { ThinkingStore } from '../store/thinking-store.ts';
import type { ChatExtensions } from '../tools/chat-extensions.ts';
import type { CallUpstreamDeps } from '../upstream/call.ts';
import type { Upstream } from '../upstream/upstream.ts';
import type { ModelDirectory } from '../upstream/model-directory.ts';

export interface GatewayContext {
  config: GatewayConfig;
  /** SQLite: usage records, error events, projects and keys, prices. */
  store: GatewayStore;
  /** Where Messages requests go; reached only through callUpstream (upstream/call.ts). */
  upstream: Upstream;
  models: ModelDirectory;
  thinking: ThinkingStore;
  /** Milliseconds since the epoch; injected so tests and benchmarks control time. */
  now: () => number;
  /** A fresh random id fragment (letters and digits). */
  newId: () => string;
  /** Streams in flight, so a shutdown can let them finish and then cut the rest. */
  activeStreams: Set<AbortController>;
  /** Chooses each request's model (aliases, `auto`, smart routing) and learns from outcomes. */
  router: ModelRouter;
  /** Recent routing decisions, for GET /admin/routing. */
  routingLog: DecisionLog;
  /** Retries, circuit breakers, fallbacks, rate limits and error telemetry. */
  reliability: Reliability;
  /** The response and file-hash caches: in Redis with REDIS_URL (shared by replicas), else in memory. */
  caches: SharedCaches;
  /** Token reduction and the response cache on the chat path. */
  savings: ChatSavings;
  /** Whether Redis and Postgres, when configured, are reachable (for /health and /admin/settings). */
  connections: StorageConnections;
  /** Spend budgets per project and key (checked before a request, charged as its usage record is written). */
  budgets: BudgetService;
  /** Stored responses other replicas wrote, read from Postgres (DATABASE_URL); absent without it. */
  remoteResponses?: RemoteResponses;
  /** Memory and plugin tools for chat requests (ENABLE_MEMORY_LAYER, ENABLE_PLUGIN_TOOLS); absent when both are off. */
  chatExtensions?: ChatExtensions;
}

/** What one upstream call needs from the context, read live (a host or a test may swap the upstream). */
export function callDeps(ctx: Pick<GatewayContext, 'upstream' | 'reliability' | 'now' | 'config'>): CallUpstreamDeps {
  return {
    get upstream() {
      return ctx.upstream;
    },
    get reliability() {
      return ctx.reliability.call;
    },
    now: () => ctx.now(),
    keepAliveMs: ctx.config.keepAliveMs,
  };
}
