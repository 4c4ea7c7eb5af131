// buildGateway(config, deps): the whole gateway as a Fastify app that never listens by itself. The headless CLI,
// the desktop app and the tests all build this same app.
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { GatewayConfig } from '../config/config.ts';
import type { CircuitStateStore } from '../reliability/circuit-store.ts';
import type { ErrorSink } from '../reliability/error-events.ts';
import type { RateLimitStore } from '../reliability/rate-limit-store.ts';
import { createReliability } from '../reliability/services.ts';
import type { Sleep } from '../reliability/sleep.ts';
import { createDecisionLog } from '../routing/decision-log.ts';
import type { RoutingHistoryStore } from '../routing/history-store.ts';
import { createModelRouter } from '../routing/model-router.ts';
import { createSqliteRoutingHistory } from '../routing/sqlite-history-store.ts';
import { createCallerDirectory } from '../projects/callers.ts';
import { createScaleOut, type ConnectionName } from '../shared-state/scale-out.ts';
import { openGatewayStore, type GatewayStore } from '../store/gateway-store.ts';
import { createThinkingCache, type ThinkingCache } from '../store/thinking-cache.ts';
import { installMemoryBatchTools } from './install-extensions.ts';
import { createSqliteCache } from '../store/sqlite-cache.ts';
import { createChatSavings } from '../gateway/chat-savings.ts';
import { createAnthropicUpstream, type AnthropicUpstream } from '../upstream/anthropic-http.ts';
import { createModelDirectory, type ModelDirectory } from '../upstream/model-directory.ts';
import { GATEWAY_VERSION } from '../version.ts';
import { installErrorHandling } from './error-handler.ts';
import { closeUnusedConnectionsOnShutdown } from './idle-connections.ts';
import './fastify-types.ts';
import type { GatewayContext } from '../gateway/context.ts';
import { randomId } from './random-id.ts';
import { writeRequestLog } from './request-log.ts';
import { installReliabilityHooks } from './reliability-hooks.ts';
import { registerAdminExport } from './routes/admin-export.ts';
import { registerAdminPrices } from './routes/admin-prices.ts';
import { registerAdminProjects } from './routes/admin-projects.ts';
import { registerAdminRequests } from './routes/admin-requests.ts';
import { registerAdminRouting } from './routes/admin-routing.ts';
import { registerAdminSettings } from './routes/admin-settings.ts';
import { registerAdminUsage } from './routes/admin-usage.ts';
import { registerChatCompletions } from './routes/chat-completions.ts';
import { registerDashboard } from './routes/dashboard.ts';
import { registerHealth } from './routes/health.ts';
import { registerMessages } from './routes/messages.ts';
import { registerModels } from './routes/models.ts';
import { installSecurity } from './security.ts';
import { installUsageRecorder } from './usage-recorder.ts';

export interface GatewayDeps {
  upstream?: AnthropicUpstream;
  models?: ModelDirectory;
  thinking?: ThinkingCache;
  now?: () => number;
  newId?: () => string;
  /** pino options, or false for silence (tests). */
  logger?: FastifyServerOptions['logger'];
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
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const GATEWAY_HEADER = `coding-gateway/${GATEWAY_VERSION}`;

export { randomId };

export function buildGateway(config: GatewayConfig, deps: GatewayDeps = {}): FastifyInstance {
  const now = deps.now ?? Date.now;
  const newId = deps.newId ?? randomId;
  let onStoreWriteError = (error: unknown) => console.error('usage batch not written (will retry):', error);
  // Opened first and synchronously: a database newer than this code stops the gateway here, saying so.
  const localStore =
    deps.store ??
    openGatewayStore({
      dataDir: config.dataDir,
      now,
      flushMs: config.usageFlushMs,
      batchSize: config.usageFlushBatch,
      onWriteError: (error) => onStoreWriteError(error),
    });
  let onConnectionChange = (name: ConnectionName, up: boolean, reason: string | null) => console.warn(`${name} ${up ? 'connected' : `unreachable: ${reason}`}`);
  // Redis (shared state), Postgres (replication) and metrics; every usage record is also counted in the metrics.
  const scaleOut = createScaleOut(config, localStore.db, { now, onConnectionChange: (name, up, reason) => onConnectionChange(name, up, reason) });
  const store = scaleOut.observe(localStore);
  const circuitStore = deps.circuitStore ?? scaleOut.shared.circuitStore;
  const rateLimitStore = deps.rateLimitStore ?? scaleOut.shared.rateLimitStore;
  // Without Redis, complete answers are cached in the local SQLite store.
  const caches = config.redisUrl ? scaleOut.shared.caches : { ...scaleOut.shared.caches, response: createSqliteCache(store.db, 'response', now) };
  const ctx: GatewayContext = {
    config,
    store,
    now,
    newId,
    upstream:
      deps.upstream ??
      createAnthropicUpstream({
        baseUrl: config.anthropicBaseUrl,
        apiKey: config.anthropicApiKey,
        headersTimeoutMs: config.upstreamTimeoutMs,
        bodyTimeoutMs: config.streamIdleTimeoutMs,
      }),
    models: deps.models ?? createModelDirectory({ baseUrl: config.anthropicBaseUrl, apiKey: config.anthropicApiKey, now }),
    thinking: deps.thinking ?? createThinkingCache(),
    activeStreams: new Set(),
    router: createModelRouter({ config, history: deps.routingHistory ?? createSqliteRoutingHistory(store.db, { now }), now }),
    routingLog: createDecisionLog(),
    reliability: createReliability(config, {
      now,
      newId,
      upstreamBaseUrl: config.anthropicBaseUrl,
      errorSink: scaleOut.observeErrors(deps.errorSink ?? store.errors),
      ...(circuitStore && { circuitStore }),
      ...(rateLimitStore && { rateLimitStore }),
      ...(deps.random && { random: deps.random }),
      ...(deps.sleep && { sleep: deps.sleep }),
    }),
    caches,
    savings: createChatSavings(config, caches.response, now),
    connections: scaleOut,
  };

  const app = Fastify({
    logger: deps.logger ?? {
      level: config.logLevel,
      redact: { paths: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers["api-key"]', 'req.headers["x-origin-secret"]'], censor: '[redacted]' },
    },
    // One line per request is written by the onResponse hook below instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.maxBodyBytes,
    return503OnClosing: true,
    requestIdHeader: false,
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : `req_${newId()}`;
    },
  });

  onStoreWriteError = (error) => app.log.error({ err: error }, 'usage batch not written (will retry)');
  onConnectionChange = (name, up, reason) =>
    up ? app.log.info({ storage: name }, `${name} connected`) : app.log.warn({ storage: name, reason }, `${name} unreachable: serving on local state`);
  app.decorateRequest('record', null as never);
  app.decorateRequest('identity', null);
  // Hooks on every request take `done` instead of returning a promise: one less promise and microtask each.
  app.addHook('onRequest', (request, reply, done) => {
    request.record = { startedAt: now() };
    reply.header('x-request-id', request.id);
    reply.header('x-gateway', GATEWAY_HEADER);
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    writeRequestLog(request, reply.statusCode, now());
    done();
  });

  installErrorHandling(app);
  // Before the key check: a project key made on another replica is fetched from Postgres first.
  scaleOut.install(app, { reliability: ctx.reliability, store });
  installSecurity(app, config, createCallerDirectory(config, store, now));
  installUsageRecorder(app, ctx, store);
  installReliabilityHooks(app, ctx);
  installMemoryBatchTools(app, ctx, { repoMap: () => ctx.savings.repoMap() });
  app.addHook('onReady', () => ctx.savings.ready());

  const features = () => ({
    openaiChatCompletions: true,
    anthropicPassthrough: true,
    streaming: true,
    toolCalls: true,
    thinking: true,
    originSecret: config.originSecret !== undefined,
    cloudflareAccess: config.requireCfAccessHeaders,
    smartRouting: config.enableSmartRouting,
    retries: config.retryEnabled,
    circuitBreaker: config.circuitBreakerEnabled,
    fallbacks: config.fallbackChain.length > 0,
    rateLimiting: config.rateLimitEnabled,
    multiProject: config.enableMultiProject,
    memoryLayer: config.enableMemoryLayer,
    batchApi: config.enableBatchApi,
    pluginTools: config.enablePluginTools,
    tokenReduction: Object.values(config.reduction).some((v) => v === true),
    responseCache: config.cacheTtlSeconds > 0,
  });

  registerHealth(app, ctx, features);
  registerModels(app, ctx);
  registerChatCompletions(app, ctx);
  registerMessages(app, ctx);
  registerAdminRouting(app, ctx);
  registerDashboard(app);
  registerAdminUsage(app, store);
  registerAdminRequests(app, store);
  registerAdminProjects(app, config, store);
  registerAdminPrices(app, store);
  registerAdminExport(app, store);
  registerAdminSettings(app, features, () => ({ sqlite: store.file, ...scaleOut.settings() }));

  closeUnusedConnectionsOnShutdown(app);
  app.addHook('onClose', async () => {
    for (const abort of ctx.activeStreams) abort.abort();
    if (!deps.upstream) await ctx.upstream.close();
    // What the router learned is written before the database closes.
    if (!deps.routingHistory) ctx.router.close();
    // Records written so far get a last chance to reach Postgres; the rest waits in the outbox.
    store.usage.flush();
    await scaleOut.close();
    // Last: requests still ending above write their usage records first.
    if (!deps.store) store.close();
  });
  app.decorate('gatewayContext', ctx);
  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    gatewayContext: GatewayContext;
  }
}
